package condition

import (
	"walnotify/frappedb"
)

// The ERP's reads of its own tables that conditions may make, as Frappe 16's and Dokos'
// conditions do: frappe.db.get_value and its kin (package frappedb). Frappe 15 gives its
// conditions frappe.utils only; a condition written for it never calls them.

// readCalls are the read calls by the path a condition names them with, each frappedb's call
// of that name.
var readCalls = map[string]string{
	"frappe.db.get_value": "get_value", "frappe.db.get_single_value": "get_single_value",
	"frappe.db.exists": "exists", "frappe.db.count": "count",
	"frappe.db.get_all": "get_all", "frappe.db.get_list": "get_list",
	"frappe.get_all": "get_all", "frappe.get_list": "get_list",
	"frappe.get_doc": "get_doc", "frappe.get_cached_doc": "get_cached_doc",
	"frappe.utils.get_fullname": "get_fullname", "frappe.get_fullname": "get_fullname",
	"frappe.get_system_settings": "get_system_settings",
}

// reads are the read calls as condition functions, by path: the ERP's parameters (all but the
// required ones None by default), the evaluation's session making the read.
var reads = readFunctions()

func readFunctions() map[string]function {
	out := make(map[string]function, len(readCalls))
	for path, name := range readCalls {
		params, required, ok := frappedb.Params(name)
		if !ok {
			panic("condition: no read call " + name)
		}
		out[path] = function{
			min: required, max: len(params), now: true, params: params, defaults: make([]any, len(params)-required),
			call: func(a ...any) (any, error) {
				args := make([]any, len(params)) // the parameters after the last given are None
				for i, v := range a[1:] {
					args[i] = plainArg(v)
				}
				v, err := a[0].(*evaluation).session().Call(name, args)
				return plainAnswer(v), err
			},
		}
	}
	return out
}

// plainArg is an argument as frappedb takes it: a dict the condition wrote as a map, in lists
// too.
func plainArg(v any) any {
	switch x := v.(type) {
	case *dict:
		m := make(map[string]any, len(x.keys))
		for k, item := range x.items {
			m[k] = plainArg(item)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = plainArg(item)
		}
		return out
	}
	return v
}

// plainAnswer is a read's answer as conditions hold values: a Tuple a list, a Row a dict.
func plainAnswer(v any) any {
	switch x := v.(type) {
	case frappedb.Tuple:
		return []any(x)
	case *frappedb.Row:
		m := make(map[string]any, len(x.Columns))
		for i, c := range x.Columns {
			m[c] = x.Values[i]
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = plainAnswer(item)
		}
		return out
	}
	return v
}

// session is the evaluation's reads, made on first use: within its limits, the document's
// modified_by standing for the ERP's session user.
func (c *evaluation) session() *frappedb.Session {
	if c.db == nil {
		user, _ := c.doc["modified_by"].(string)
		c.db = frappedb.NewSession(frappedb.Config{Lookup: c.lookup, Limits: c.limits, User: user})
	}
	return c.db
}

// sessionUser is frappe.session.user (and frappe.user): the user who made the change, the
// document's modified_by, as templates have it.
func sessionUser(a ...any) (any, error) {
	return a[0].(*evaluation).doc["modified_by"], nil
}
