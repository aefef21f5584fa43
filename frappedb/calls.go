package frappedb

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Tuple is a Python tuple: get_value's answer for several fields.
type Tuple []any

// Row is a row as the ERP's frappe._dict, its columns in order: get_value's answer with
// as_dict, and get_all's rows.
type Row struct {
	Columns []string
	Values  []any
}

// call is one of the read calls: its parameters in the ERP's order, how many of the first are
// required, and what it does with its arguments bound to them.
type call struct {
	params   []string
	required int
	run      func(s *Session, name string, args []any) (any, error)
}

// calls are the read calls by their last name: frappe.db.get_value is "get_value", and
// frappe.get_all and frappe.db.get_all are both "get_all"; frappe.get_system_settings is
// "get_system_settings".
var calls = map[string]call{
	"get_value":           {[]string{"doctype", "filters", "fieldname", "ignore", "as_dict", "debug", "order_by", "cache", "for_update"}, 1, (*Session).getValue},
	"get_single_value":    {[]string{"doctype", "fieldname", "cache"}, 2, (*Session).getSingleValue},
	"exists":              {[]string{"dt", "dn", "cache"}, 1, (*Session).exists},
	"count":               {[]string{"dt", "filters", "debug", "cache", "distinct"}, 1, (*Session).count},
	"get_all":             {getAllParams, 1, (*Session).getAll},
	"get_list":            {getAllParams, 1, (*Session).getAll},
	"get_doc":             {[]string{"doctype", "name", "for_update"}, 1, (*Session).getDoc},
	"get_cached_doc":      {[]string{"doctype", "name", "for_update"}, 1, (*Session).getDoc},
	"get_fullname":        {[]string{"user"}, 0, (*Session).getFullname},
	"get_system_settings": {[]string{"key"}, 1, (*Session).getSystemSettings},
}

var getAllParams = []string{"doctype", "filters", "fields", "order_by", "limit_start", "limit_page_length", "page_length", "limit", "pluck", "or_filters", "debug", "as_list", "ignore_permissions", "distinct"}

// Params returns the parameters of the read call name (get_value, get_all, get_doc...), in the
// ERP's order, and how many of the first are required; ok is false for a name that is not one.
func Params(name string) (params []string, required int, ok bool) {
	c, ok := calls[name]
	return slices.Clone(c.params), c.required, ok
}

// Call makes the read call name with args bound to its Params, by position: nil for one not
// given, as for None. Text is as written (not escaped), dicts are map[string]any, lists and
// tuples []any. The answer is a value as the Lookup decoded it, a Tuple, a *Row, a list of
// them ([]any), a document (map[string]any, child tables as []any of map[string]any), or nil
// for None.
func (s *Session) Call(name string, args []any) (any, error) {
	c, ok := calls[name]
	if !ok {
		return nil, fmt.Errorf("%s() is not a read walnotify makes", name)
	}
	if len(args) != len(c.params) {
		return nil, fmt.Errorf("%s(): %d arguments bound, want %d", name, len(args), len(c.params))
	}
	for i := range c.required {
		if args[i] == nil {
			return nil, fmt.Errorf("%s(): missing argument %q", name, c.params[i])
		}
	}
	v, err := c.run(s, name, args)
	if err != nil {
		return nil, fmt.Errorf("%s(): %w", name, err)
	}
	return v, nil
}

// getDoc is frappe.get_doc(doctype, name): the document with its child tables; a single
// document type's without a name. A missing document is the ERP's DoesNotExistError; a dict,
// which makes a new document in the ERP, is refused.
func (s *Session) getDoc(_ string, args []any) (any, error) {
	if _, ok := args[0].(map[string]any); ok {
		return nil, errors.New("a dict makes a new document; walnotify only reads documents")
	}
	doctype := Text(args[0])
	if args[1] == nil {
		fields, ok, err := s.single(doctype)
		switch {
		case err != nil:
			return nil, err
		case !ok:
			return nil, fmt.Errorf("give the name of the %s", doctype)
		}
		return fields, nil
	}
	name := Text(args[1])
	doc, err := s.document(doctype, name)
	if err != nil {
		return nil, err
	}
	if doc == nil {
		return nil, fmt.Errorf("DoesNotExistError: %s %s not found", doctype, name)
	}
	return doc, nil
}

// getValue is frappe.db.get_value(doctype, filters=None, fieldname="name", ignore=None,
// as_dict=False, debug=False, order_by=...): the field of the first matching row (a Tuple of
// fields for a list of names, a *Row with as_dict), None when no row matches. filters is a
// name, a dict or a list of conditions; None (or the doctype itself) reads a single document
// type, and gives None for one that is not single.
func (s *Session) getValue(_ string, args []any) (any, error) {
	doctype := Text(args[0])
	fields, many := []string{"name"}, false
	if args[2] != nil {
		var err error
		if fields, many, err = fieldNames(args[2]); err != nil {
			return nil, err
		}
	}
	many = many || len(fields) == 1 && fields[0] == "*"
	asDict := Truthy(args[4])
	if f, ok := args[1].(string); args[1] == nil || ok && f == doctype && doctype != "DocType" {
		// The ERP reads a single document type then, whatever doctype is: nothing (None) for
		// one that is not single.
		values, ok, err := s.single(doctype)
		if err != nil || !ok {
			return nil, err
		}
		asked := singleFields(values, fields)
		row := make([]any, len(asked))
		for i, f := range asked {
			row[i] = values[f]
		}
		return shaped(asked, row, many, asDict), nil
	}
	filters, err := Filters(args[1])
	if err != nil {
		return nil, err
	}
	q := Query{Doctype: doctype, Fields: fields, Filters: filters, Limit: 1}
	if o := args[6]; o != nil {
		if q.Order, err = OrderBy(Text(o)); err != nil {
			return nil, err
		}
	}
	cols, rows, err := s.rows(q)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	return shaped(cols, rows[0], many, asDict), nil
}

// shaped is get_value's answer for a row: a *Row with as_dict, a Tuple for several fields, or
// the one field's value.
func shaped(cols []string, row []any, many, asDict bool) any {
	switch {
	case asDict:
		return &Row{Columns: cols, Values: row}
	case many:
		return Tuple(row)
	}
	return row[0]
}

// singleFields are the fields a read of a single document type gives: those asked for, every
// field (in name order) for "*".
func singleFields(values map[string]any, fields []string) []string {
	if len(fields) != 1 || fields[0] != "*" {
		return fields
	}
	out := make([]string, 0, len(values))
	for k := range values {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// getSingleValue is frappe.db.get_single_value(doctype, fieldname): the field of a single
// document type, typed by its field type; an error for a field it does not have, as in the ERP.
func (s *Session) getSingleValue(_ string, args []any) (any, error) {
	doctype, field := Text(args[0]), Text(args[1])
	fields, ok, err := s.single(doctype)
	switch {
	case err != nil:
		return nil, err
	case !ok:
		return nil, fmt.Errorf("%s is not a single document type", doctype)
	}
	v, ok := fields[field]
	if !ok {
		return nil, fmt.Errorf("field %s does not exist on %s", field, doctype)
	}
	return v, nil
}

// getSystemSettings is frappe.get_system_settings(key): a field of System Settings, None for
// one it does not have (the ERP's .get).
func (s *Session) getSystemSettings(_ string, args []any) (any, error) {
	fields, _, err := s.single("System Settings")
	if err != nil {
		return nil, err
	}
	return fields[Text(args[0])], nil
}

// exists is frappe.db.exists(doctype, name_or_filters): the name of the first matching
// document, None when there is none. A dict of filters may carry the doctype itself.
func (s *Session) exists(_ string, args []any) (any, error) {
	var doctype string
	filterArg := args[1]
	if d, ok := args[0].(map[string]any); ok {
		// exists({"doctype": "Customer", "customer_group": "VIP"})
		rest := make(map[string]any, len(d))
		for k, v := range d {
			if k == "doctype" {
				doctype = Text(v)
				continue
			}
			rest[k] = v
		}
		filterArg = rest
	} else {
		doctype = Text(args[0])
	}
	if filterArg == nil {
		return nil, errors.New("give a name or filters")
	}
	filters, err := Filters(filterArg)
	if err != nil {
		return nil, err
	}
	_, rows, err := s.rows(Query{Doctype: doctype, Fields: []string{"name"}, Filters: filters, Limit: 1})
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	return rows[0][0], nil
}

// count is frappe.db.count(doctype, filters=None): how many documents match.
func (s *Session) count(_ string, args []any) (any, error) {
	filters, err := Filters(args[1])
	if err != nil {
		return nil, err
	}
	_, rows, err := s.rows(Query{Doctype: Text(args[0]), Filters: filters, Count: true})
	if err != nil {
		return nil, err
	}
	return rows[0][0], nil
}

// getAll is frappe.get_all and frappe.get_list (doctype, filters=None, fields=None,
// order_by=..., limit_start, limit_page_length/page_length/limit, pluck): a list of *Row of
// the fields ("name" by default), or the values of the pluck field. get_list reads as get_all:
// walnotify has no user whose permissions would narrow it.
func (s *Session) getAll(name string, args []any) (any, error) {
	q := Query{Doctype: Text(args[0]), Fields: []string{"name"}}
	var err error
	if q.Filters, err = Filters(args[1]); err != nil {
		return nil, err
	}
	if f := args[2]; f != nil {
		if q.Fields, _, err = fieldNames(f); err != nil {
			return nil, err
		}
	}
	pluck := ""
	if p := args[8]; p != nil {
		pluck = Text(p)
		q.Fields = []string{pluck}
	}
	if o := args[3]; o != nil {
		if q.Order, err = OrderBy(Text(o)); err != nil {
			return nil, err
		}
	}
	start := 0
	if args[4] != nil {
		start = int(number(args[4]))
	}
	for _, l := range args[5:8] {
		if n := number(l); n > 0 {
			q.Limit = int(n) + start
		}
	}
	for _, i := range []int{9, 11, 13} { // or_filters, as_list, distinct
		if Truthy(args[i]) {
			return nil, fmt.Errorf("%s is not supported in walnotify", getAllParams[i])
		}
	}
	cols, rows, err := s.rows(q)
	if err != nil {
		return nil, err
	}
	rows = rows[min(start, len(rows)):]
	out := make([]any, len(rows))
	for i, r := range rows {
		if pluck != "" {
			out[i] = r[0]
			continue
		}
		out[i] = &Row{Columns: cols, Values: r}
	}
	return out, nil
}

// getFullname is the ERP's frappe.utils.get_fullname(user=None): the user's first and last
// names joined by a space, or the user's name itself when the User has neither or does not
// exist. Without a user, the ERP takes the session's, the user who made the change: the
// Session's User.
func (s *Session) getFullname(_ string, args []any) (any, error) {
	user := ""
	if args[0] != nil {
		user = Text(args[0])
	}
	if user == "" {
		user = s.user
	}
	if user == "" {
		return "", nil
	}
	cols, rows, err := s.rows(Query{Doctype: "User", Fields: []string{"first_name", "last_name"}, Filters: []Filter{{Field: "name", Op: "=", Value: user}}, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 || len(cols) != 2 {
		return user, nil
	}
	var names []string
	for _, v := range rows[0] {
		if s, ok := v.(string); ok && s != "" {
			names = append(names, s)
		}
	}
	if len(names) == 0 {
		return user, nil
	}
	return strings.Join(names, " "), nil
}
