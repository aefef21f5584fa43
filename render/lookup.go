package render

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"
)

// The ERP's reads of its own database that templates make: frappe.db.get_value, get_all and
// their kin. The rendering describes each read as a Query; a Lookup (package erpdb) runs it.

// Query is one read that a template asks for: the rows of a document type that match every
// filter, in order, at most Limit of them, or how many there are.
type Query struct {
	Doctype string
	Fields  []string // column names; "*" alone is every column
	Filters []Filter // all must match
	Order   []Order  // empty: the document type's own order (its sort field and order)
	Limit   int      // most rows to read; 0 is no bound but the Lookup's own
	Count   bool     // count the rows instead: one row of one int64
}

// Filter is one condition of a Query, as the ERP writes them: {"status": "Open"},
// {"qty": [">", 5]}, [["status", "in", ["Open", "Replied"]]].
type Filter struct {
	Field string
	Op    string // =, !=, <, >, <=, >=, like, not like, in, not in, between, is
	Value any    // a []any for in, not in and between; "set" or "not set" for is; nil for NULL
}

// Order is one key of a Query's order.
type Order struct {
	Field string
	Desc  bool
}

// Lookup reads the ERP's tables for frappe.db.get_value and its kin. A rendering without one
// (Data.Lookup nil) fails where a template calls them.
type Lookup interface {
	// Rows reads what q asks for: the columns, in the table's order for "*", and the rows'
	// values in that order, as the change stream decodes them.
	Rows(ctx context.Context, q Query) (columns []string, rows [][]any, err error)
	// Document reads a document with its child tables (doc.items), its values as the change
	// stream decodes them; nil when there is no such document.
	Document(ctx context.Context, doctype, name string) (map[string]any, error)
	// Single reads the fields of a single document type (System Settings, ...), each typed by
	// its field type as the ERP's get_single_value gives it; ok is false when doctype is not
	// a single one.
	Single(ctx context.Context, doctype string) (fields map[string]any, ok bool, err error)
}

// errNoLookup is what a read fails with where no database is at hand.
var errNoLookup = errors.New("frappe.db is not available here: the rendering has no database")

// lookupFunctions are frappe.db's functions, and frappe.get_all and get_list.
func lookupFunctions() map[string]any {
	return map[string]any{
		"get_value":        dbGetValue,
		"get_single_value": dbGetSingleValue,
		"exists":           dbExists,
		"count":            dbCount,
		"get_all":          dbGetAll("get_all"),
		"get_list":         dbGetAll("get_list"),
	}
}

// documentFunctions are frappe.get_doc and frappe.get_cached_doc.
func documentFunctions() map[string]any {
	return map[string]any{"get_doc": getDoc("get_doc"), "get_cached_doc": getDoc("get_cached_doc")}
}

// once makes one of a rendering's reads: the answer kept under key for the rest of the
// rendering, the read counted against MaxLookups, and run within the rendering's deadline.
func once[T any](st *state, key string, read func(ctx context.Context, l Lookup) (T, error)) (T, error) {
	var zero T
	if st.lookup == nil {
		return zero, errNoLookup
	}
	if v, ok := st.reads[key]; ok {
		return v.(T), nil
	}
	st.lookups++
	if st.lookups > st.limits.MaxLookups {
		return zero, fmt.Errorf("more than %d database reads in one rendering", st.limits.MaxLookups)
	}
	ctx, cancel := context.WithDeadline(context.Background(), st.deadline)
	defer cancel()
	v, err := read(ctx, st.lookup)
	if err != nil {
		return zero, err
	}
	if st.reads == nil {
		st.reads = map[string]any{}
	}
	st.reads[key] = v
	return v, nil
}

// read runs one query for a rendering (see once), bounded by MaxLookupRows.
func (st *state) read(q Query) ([]string, [][]any, error) {
	r, err := once(st, fmt.Sprintf("rows %#v", q), func(ctx context.Context, l Lookup) (readResult, error) {
		if q.Limit == 0 || q.Limit > st.limits.MaxLookupRows {
			q.Limit = st.limits.MaxLookupRows + 1
		}
		cols, rows, err := l.Rows(ctx, q)
		if err != nil {
			return readResult{}, err
		}
		if len(rows) > st.limits.MaxLookupRows {
			return readResult{}, fmt.Errorf("more than %d rows of %s: give a limit (limit=, page_length=) or narrower filters", st.limits.MaxLookupRows, q.Doctype)
		}
		return readResult{cols, rows}, st.chargeItems(float64(len(rows) * max(len(cols), 1)))
	})
	return r.columns, r.rows, err
}

// readResult is a query's answer.
type readResult struct {
	columns []string
	rows    [][]any
}

// single reads a single document type's fields for a rendering (see once); ok is false when
// doctype is not a single one.
func (st *state) single(doctype string) (map[string]any, bool, error) {
	fields, err := once(st, "single "+doctype, func(ctx context.Context, l Lookup) (map[string]any, error) {
		fields, ok, err := l.Single(ctx, doctype)
		if !ok {
			fields = nil
		}
		return fields, err
	})
	return fields, fields != nil, err
}

// document reads a document with its child tables for a rendering (see once); nil when there
// is none.
func (st *state) document(doctype, name string) (map[string]any, error) {
	return once(st, "doc "+doctype+"\x00"+name, func(ctx context.Context, l Lookup) (map[string]any, error) {
		doc, err := l.Document(ctx, doctype, name)
		if err != nil {
			return nil, err
		}
		size := len(doc)
		for _, v := range doc {
			if rows, ok := v.([]any); ok {
				size += len(rows)
			}
		}
		return doc, st.chargeItems(float64(size))
	})
}

// value is a value read from the database as templates see it: escaped for the service as
// a document's values are.
func (st *state) value(v any) any { return templateValue(v, st.format) }

// getDoc is frappe.get_doc(doctype, name): the document with its child tables, read as the
// rendering's document is (doc.items, doc.get(...), get_formatted); a single document type's
// without a name. A missing document is the ERP's DoesNotExistError; a dict, which makes a new
// document in the ERP, is refused.
func getDoc(name string) func(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	return func(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
		args, err := call(name, va, 1, "doctype", "name", "for_update")
		if err != nil {
			return nil, err
		}
		st := stateOf(e.Environment.Context)
		if _, ok := pairs(args[0]); ok {
			return nil, fmt.Errorf("%s(): a dict makes a new document; walnotify only reads documents", name)
		}
		doctype := st.text(args[0])
		if args[1] == nil || args[1].IsNil() {
			fields, ok, err := st.single(doctype)
			switch {
			case err != nil:
				return nil, fmt.Errorf("%s(): %w", name, err)
			case !ok:
				return nil, fmt.Errorf("%s(): give the name of the %s", name, doctype)
			}
			return st.value(fields), nil
		}
		docName := st.text(args[1])
		doc, err := st.document(doctype, docName)
		if err != nil {
			return nil, fmt.Errorf("%s(): %w", name, err)
		}
		if doc == nil {
			return nil, fmt.Errorf("%s(): DoesNotExistError: %s %s not found", name, doctype, docName)
		}
		return st.value(doc), nil
	}
}

// dbGetValue is frappe.db.get_value(doctype, filters=None, fieldname="name", ignore=None,
// as_dict=False, debug=False, order_by=...): the field of the first matching row (a tuple of
// fields for a list of names, a dict with as_dict), None when no row matches. filters is a
// name, a dict or a list of conditions; None (or the doctype itself) reads a single document
// type, and gives None for one that is not single.
func dbGetValue(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("get_value", va, 1, "doctype", "filters", "fieldname", "ignore", "as_dict", "debug", "order_by", "cache", "for_update")
	if err != nil {
		return nil, err
	}
	st := stateOf(e.Environment.Context)
	doctype := st.text(args[0])
	fields, many := []string{"name"}, false
	if f := args[2]; f != nil && !f.IsNil() {
		if fields, many, err = st.fieldNames(f); err != nil {
			return nil, fmt.Errorf("get_value(): %w", err)
		}
	}
	many = many || len(fields) == 1 && fields[0] == "*"
	asDict := args[4] != nil && truthy(args[4])
	if f := args[1]; f == nil || f.IsNil() || f.IsString() && st.text(f) == doctype && doctype != "DocType" {
		// The ERP reads a single document type then, whatever doctype is: nothing (None) for
		// one that is not single.
		values, ok, err := st.single(doctype)
		if err != nil || !ok {
			if err != nil {
				err = fmt.Errorf("get_value(): %w", err)
			}
			return nil, err
		}
		asked := singleFields(values, fields)
		row := make([]any, len(asked))
		for i, f := range asked {
			row[i] = values[f]
		}
		return st.shaped(asked, row, many, asDict), nil
	}
	filters, err := st.filters(args[1])
	if err != nil {
		return nil, fmt.Errorf("get_value(): %w", err)
	}
	q := Query{Doctype: doctype, Fields: fields, Filters: filters, Limit: 1}
	if o := args[6]; o != nil && !o.IsNil() {
		if q.Order, err = orderBy(st.text(o)); err != nil {
			return nil, fmt.Errorf("get_value(): %w", err)
		}
	}
	cols, rows, err := st.read(q)
	if err != nil {
		return nil, fmt.Errorf("get_value(): %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return st.shaped(cols, rows[0], many, asDict), nil
}

// shaped is get_value's answer for a row: a dict with as_dict, a tuple for several fields, or
// the one field's value.
func (st *state) shaped(cols []string, row []any, many, asDict bool) any {
	switch {
	case asDict:
		return st.dict(cols, row)
	case many:
		t := make(pyTuple, len(row))
		for i, v := range row {
			t[i] = st.value(v)
		}
		return t
	}
	return st.value(row[0])
}

// singleFields are the fields a read of a single document type gives: those asked for, every
// field (in name order) for "*".
func singleFields(values map[string]any, fields []string) []string {
	if len(fields) != 1 || fields[0] != "*" {
		return fields
	}
	out := make([]string, 0, len(values))
	for _, p := range mustItems(values) {
		out = append(out, p[0].(string))
	}
	return out
}

// dbGetSingleValue is frappe.db.get_single_value(doctype, fieldname): the field of a single
// document type, typed by its field type; an error for a field it does not have, as in the ERP.
func dbGetSingleValue(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("get_single_value", va, 2, "doctype", "fieldname", "cache")
	if err != nil {
		return nil, err
	}
	st := stateOf(e.Environment.Context)
	doctype, field := st.text(args[0]), st.text(args[1])
	fields, ok, err := st.single(doctype)
	switch {
	case err != nil:
		return nil, fmt.Errorf("get_single_value(): %w", err)
	case !ok:
		return nil, fmt.Errorf("get_single_value(): %s is not a single document type", doctype)
	}
	v, ok := fields[field]
	if !ok {
		return nil, fmt.Errorf("get_single_value(): field %s does not exist on %s", field, doctype)
	}
	return st.value(v), nil
}

// dbExists is frappe.db.exists(doctype, name_or_filters): the name of the first matching
// document, None when there is none. A dict of filters may carry the doctype itself.
func dbExists(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("exists", va, 1, "dt", "dn", "cache")
	if err != nil {
		return nil, err
	}
	st := stateOf(e.Environment.Context)
	var doctype string
	filterArg := args[1]
	if ps, ok := pairs(args[0]); ok {
		// exists({"doctype": "Customer", "customer_group": "VIP"})
		d := &exec.Dict{}
		for _, p := range ps {
			if p[0] == "doctype" {
				doctype = st.text(exec.AsValue(p[1]))
				continue
			}
			d.Pairs = append(d.Pairs, &exec.Pair{Key: exec.AsValue(p[0]), Value: exec.AsValue(p[1])})
		}
		filterArg = exec.AsValue(d)
	} else {
		doctype = st.text(args[0])
	}
	if filterArg == nil || filterArg.IsNil() {
		return nil, errors.New("exists(): give a name or filters")
	}
	filters, err := st.filters(filterArg)
	if err != nil {
		return nil, fmt.Errorf("exists(): %w", err)
	}
	_, rows, err := st.read(Query{Doctype: doctype, Fields: []string{"name"}, Filters: filters, Limit: 1})
	if err != nil {
		return nil, fmt.Errorf("exists(): %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return st.value(rows[0][0]), nil
}

// dbCount is frappe.db.count(doctype, filters=None): how many documents match.
func dbCount(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("count", va, 1, "dt", "filters", "debug", "cache", "distinct")
	if err != nil {
		return nil, err
	}
	st := stateOf(e.Environment.Context)
	filters, err := st.filters(args[1])
	if err != nil {
		return nil, fmt.Errorf("count(): %w", err)
	}
	_, rows, err := st.read(Query{Doctype: st.text(args[0]), Filters: filters, Count: true})
	if err != nil {
		return nil, fmt.Errorf("count(): %w", err)
	}
	return rows[0][0], nil
}

// dbGetAll is frappe.get_all and frappe.get_list (doctype, filters=None, fields=None,
// order_by=..., limit_start, limit_page_length/page_length/limit, pluck): a list of dicts of
// the fields ("name" by default), or the values of the pluck field. get_list reads as get_all:
// walnotify has no user whose permissions would narrow it.
func dbGetAll(name string) func(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	return func(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
		args, err := call(name, va, 1, "doctype", "filters", "fields", "order_by", "limit_start", "limit_page_length", "page_length", "limit", "pluck", "or_filters", "debug", "as_list", "ignore_permissions", "distinct")
		if err != nil {
			return nil, err
		}
		st := stateOf(e.Environment.Context)
		q := Query{Doctype: st.text(args[0]), Fields: []string{"name"}}
		if q.Filters, err = st.filters(args[1]); err != nil {
			return nil, fmt.Errorf("%s(): %w", name, err)
		}
		if f := args[2]; f != nil && !f.IsNil() {
			if q.Fields, _, err = st.fieldNames(f); err != nil {
				return nil, fmt.Errorf("%s(): %w", name, err)
			}
		}
		pluck := ""
		if p := args[8]; p != nil && !p.IsNil() {
			pluck = st.text(p)
			q.Fields = []string{pluck}
		}
		if o := args[3]; o != nil && !o.IsNil() {
			if q.Order, err = orderBy(st.text(o)); err != nil {
				return nil, fmt.Errorf("%s(): %w", name, err)
			}
		}
		start := 0
		if s := args[4]; s != nil && !s.IsNil() {
			start = int(toFlt(Plain, s))
		}
		for _, l := range []*exec.Value{args[5], args[6], args[7]} {
			if l != nil && !l.IsNil() && toFlt(Plain, l) > 0 {
				q.Limit = int(toFlt(Plain, l)) + start
			}
		}
		for i, unsupported := range map[int]string{9: "or_filters", 11: "as_list", 13: "distinct"} {
			if args[i] != nil && truthy(args[i]) {
				return nil, fmt.Errorf("%s(): %s is not supported in walnotify templates", name, unsupported)
			}
		}
		cols, rows, err := st.read(q)
		if err != nil {
			return nil, fmt.Errorf("%s(): %w", name, err)
		}
		rows = rows[min(start, len(rows)):]
		out := make([]any, len(rows))
		for i, r := range rows {
			if pluck != "" {
				out[i] = st.value(r[0])
				continue
			}
			out[i] = st.dict(cols, r)
		}
		return out, nil
	}
}

// dict is a row as the ERP's frappe._dict, in the columns' order.
func (st *state) dict(cols []string, row []any) *exec.Dict {
	d := &exec.Dict{Pairs: make([]*exec.Pair, len(cols))}
	for i, c := range cols {
		d.Pairs[i] = &exec.Pair{Key: exec.AsValue(st.format.Escape(c)), Value: exec.AsValue(st.value(row[i]))}
	}
	return d
}

// fieldNames reads a fieldname or fields argument: one name ("status", or "a, b" as the ERP
// splits it), or a list or tuple of names; many is false for one name given as text.
func (st *state) fieldNames(v *exec.Value) (fields []string, many bool, err error) {
	if v.IsString() {
		s := st.format.unescape(v.String())
		if strings.Contains(s, ",") {
			for _, f := range strings.Split(s, ",") {
				fields = append(fields, strings.TrimSpace(f))
			}
			return fields, true, nil
		}
		return []string{strings.TrimSpace(s)}, false, nil
	}
	if !v.IsList() {
		return nil, false, fmt.Errorf("fields must be a name or a list of names, not %s", pyType(v))
	}
	for _, f := range items(v) {
		s, ok := f.(string)
		if !ok {
			return nil, false, fmt.Errorf("a field name must be text, not %s", pyType(exec.AsValue(f)))
		}
		fields = append(fields, strings.TrimSpace(st.format.unescape(s)))
	}
	if len(fields) == 0 {
		return nil, false, errors.New("no fields given")
	}
	return fields, true, nil
}

// filters reads a filters argument as the ERP does: None (no filter), a name, a dict of
// field -> value or field -> [operator, value], or a list of [field, operator, value] (or
// [doctype, field, operator, value]) conditions.
func (st *state) filters(v *exec.Value) ([]Filter, error) {
	if v == nil || v.IsNil() {
		return nil, nil
	}
	if ps, ok := pairs(v); ok {
		out := make([]Filter, 0, len(ps))
		for _, p := range ps {
			field, ok := p[0].(string)
			if !ok {
				return nil, fmt.Errorf("a filter's field must be text, not %s", pyType(exec.AsValue(p[0])))
			}
			f, err := st.condition(field, exec.AsValue(p[1]))
			if err != nil {
				return nil, err
			}
			out = append(out, f)
		}
		return out, nil
	}
	if v.IsList() {
		var out []Filter
		for _, item := range items(v) {
			c := exec.AsValue(item)
			if !c.IsList() {
				return nil, fmt.Errorf("a filter must be [field, operator, value], not %s", pyReprAny(item))
			}
			parts := items(c)
			if len(parts) == 4 {
				parts = parts[1:] // [doctype, field, operator, value]
			}
			if len(parts) != 3 {
				return nil, fmt.Errorf("a filter must be [field, operator, value], not %s", pyReprAny(item))
			}
			field, ok := parts[0].(string)
			if !ok {
				return nil, fmt.Errorf("a filter's field must be text, not %s", pyReprAny(parts[0]))
			}
			f, err := st.operation(field, exec.AsValue(parts[1]), exec.AsValue(parts[2]))
			if err != nil {
				return nil, err
			}
			out = append(out, f)
		}
		return out, nil
	}
	if v.IsString() || v.IsNumber() {
		return []Filter{{Field: "name", Op: "=", Value: st.text(v)}}, nil // a name is text
	}
	return nil, fmt.Errorf("filters must be a name, a dict or a list, not %s", pyType(v))
}

// condition is one field -> value pair of a filters dict: equality, or [operator, value].
func (st *state) condition(field string, v *exec.Value) (Filter, error) {
	if v.IsList() {
		parts := items(v)
		if len(parts) != 2 {
			return Filter{}, fmt.Errorf("filter on %s: give [operator, value], not %s", field, pyReprAny(v.Interface()))
		}
		return st.operation(field, exec.AsValue(parts[0]), exec.AsValue(parts[1]))
	}
	return Filter{Field: st.format.unescape(field), Op: "=", Value: st.param(v)}, nil
}

// operators are the ERP's filter operators walnotify reads, by their lower-case spelling.
var operators = map[string]string{
	"=": "=", "==": "=", "!=": "!=", "<>": "!=", "<": "<", ">": ">", "<=": "<=", ">=": ">=",
	"like": "like", "not like": "not like", "in": "in", "not in": "not in", "between": "between", "is": "is",
}

// operation is one [operator, value] filter on a field.
func (st *state) operation(field string, op, v *exec.Value) (Filter, error) {
	name, ok := operators[strings.ToLower(strings.TrimSpace(st.text(op)))]
	if !ok {
		return Filter{}, fmt.Errorf("filter on %s: operator %q is not supported", field, st.text(op))
	}
	f := Filter{Field: st.format.unescape(field), Op: name}
	switch name {
	case "in", "not in":
		var list []any
		if v.IsString() {
			// The ERP splits a text on commas: ["in", "Open, Replied"].
			for _, s := range strings.Split(st.text(v), ",") {
				list = append(list, strings.TrimSpace(s))
			}
		} else if v.IsList() {
			for _, item := range items(v) {
				list = append(list, st.param(exec.AsValue(item)))
			}
		} else {
			list = []any{st.param(v)}
		}
		f.Value = list
	case "between":
		parts := items(v)
		if !v.IsList() || len(parts) != 2 {
			return Filter{}, fmt.Errorf("filter on %s: between takes [from, to]", field)
		}
		f.Value = []any{st.param(exec.AsValue(parts[0])), st.param(exec.AsValue(parts[1]))}
	case "is":
		s := strings.ToLower(st.text(v))
		if s != "set" && s != "not set" {
			return Filter{}, fmt.Errorf(`filter on %s: "is" takes "set" or "not set"`, field)
		}
		f.Value = s
	default:
		f.Value = st.param(v)
	}
	return f, nil
}

// param is a filter's value as the query takes it: text as written (unescaped), numbers and
// booleans as they are, anything else its text.
func (st *state) param(v *exec.Value) any {
	switch x := v.Interface().(type) {
	case nil:
		return nil
	case string:
		return st.format.unescape(x)
	case bool:
		if x {
			return int64(1)
		}
		return int64(0)
	case int:
		return int64(x)
	case int64, float64:
		return x
	case number:
		return float64(x)
	}
	return st.text(v)
}

// orderBy reads an order_by argument: "field [asc|desc], ...", with or without the ERP's
// "`tabX`." prefix.
func orderBy(s string) ([]Order, error) {
	var out []Order
	for _, part := range strings.Split(s, ",") {
		words := strings.Fields(part)
		if len(words) == 0 || len(words) > 2 {
			return nil, fmt.Errorf("order_by %q: give field names, each with asc or desc", s)
		}
		field := words[0]
		if i := strings.LastIndex(field, "."); i >= 0 {
			field = field[i+1:]
		}
		field = strings.Trim(field, "`\"")
		o := Order{Field: field}
		if len(words) == 2 {
			switch strings.ToLower(words[1]) {
			case "desc":
				o.Desc = true
			case "asc":
			default:
				return nil, fmt.Errorf("order_by %q: %q is neither asc nor desc", s, words[1])
			}
		}
		out = append(out, o)
	}
	return out, nil
}

// getFullname is the ERP's frappe.utils.get_fullname(user=None): the user's first and last
// names joined by a space, or the user's name itself when the User has neither or does not
// exist. Without a user, the ERP takes the session's, the user who made the change: here the
// document's modified_by.
func getFullname(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("get_fullname", va, 0, "user")
	if err != nil {
		return nil, err
	}
	st := stateOf(e.Environment.Context)
	user := st.text(orNone(args[0]))
	if args[0] == nil || args[0].IsNil() || user == "" {
		user, _ = st.rawDoc["modified_by"].(string)
	}
	if user == "" {
		return "", nil
	}
	cols, rows, err := st.read(Query{Doctype: "User", Fields: []string{"first_name", "last_name"}, Filters: []Filter{{Field: "name", Op: "=", Value: user}}, Limit: 1})
	if err != nil {
		return nil, fmt.Errorf("get_fullname(): %w", err)
	}
	if len(rows) == 0 || len(cols) != 2 {
		return st.format.Escape(user), nil
	}
	var names []string
	for _, v := range rows[0] {
		if s, ok := v.(string); ok && s != "" {
			names = append(names, s)
		}
	}
	if len(names) == 0 {
		return st.format.Escape(user), nil
	}
	return st.format.Escape(strings.Join(names, " ")), nil
}
