package render

import (
	"fmt"

	"github.com/nikolalohinski/gonja/v2/exec"

	"walnotify/frappedb"
)

// The ERP's reads of its own database that templates make: frappe.db.get_value, get_all and
// their kin. Package frappedb reads the arguments as the ERP does and shapes the answer; this
// file turns a template's values into its plain ones (text unescaped) and its answers into
// template values (text escaped for the service, as document values are).

// lookupFunctions are frappe.db's functions, and frappe.get_all and get_list.
func lookupFunctions() map[string]any {
	m := map[string]any{}
	for _, name := range []string{"get_value", "get_single_value", "exists", "count", "get_all", "get_list"} {
		m[name] = dbCall(name)
	}
	return m
}

// documentFunctions are frappe.get_doc and frappe.get_cached_doc.
func documentFunctions() map[string]any {
	return map[string]any{"get_doc": dbCall("get_doc"), "get_cached_doc": dbCall("get_cached_doc")}
}

// dbCall is the template function for frappedb's read call name: its arguments bound as
// Python binds them, made plain, and the answer made a template value.
func dbCall(name string) func(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	params, required, _ := frappedb.Params(name)
	return func(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
		args, err := call(name, va, required, params...)
		if err != nil {
			return nil, err
		}
		st := stateOf(e.Environment.Context)
		plain := make([]any, len(args))
		for i, a := range args {
			if plain[i], err = st.plain(a); err != nil {
				return nil, fmt.Errorf("%s(): %w", name, err)
			}
		}
		v, err := st.session().Call(name, plain)
		if err != nil {
			return nil, err
		}
		return st.held(v), nil
	}
}

// session is the rendering's reads, made on first use: bounded by its limits and deadline, the
// values read charged against its budget.
func (st *state) session() *frappedb.Session {
	if st.db == nil {
		user, _ := st.rawDoc["modified_by"].(string)
		st.db = frappedb.NewSession(frappedb.Config{Lookup: st.lookup, Deadline: st.deadline, User: user, Charge: st.chargeItems,
			Limits: frappedb.Limits{Reads: st.limits.MaxLookups, Rows: st.limits.MaxLookupRows}})
	}
	return st.db
}

// plain is an argument as frappedb takes it: text as written (document values unescaped),
// numbers, booleans and None as they are, lists and dicts of them; anything else its text.
func (st *state) plain(v *exec.Value) (any, error) {
	if v == nil || v.IsNil() {
		return nil, nil
	}
	switch x := v.Interface().(type) {
	case string:
		return st.format.unescape(x), nil
	case bool, int64, float64:
		return x, nil
	case int:
		return int64(x), nil
	case number:
		return float64(x), nil
	}
	if ps, ok := pairs(v); ok {
		m := make(map[string]any, len(ps))
		for _, p := range ps {
			k, ok := p[0].(string)
			if !ok {
				return nil, fmt.Errorf("a dict's key must be text here, not %s", pyType(exec.AsValue(p[0])))
			}
			item, err := st.plain(exec.AsValue(p[1]))
			if err != nil {
				return nil, err
			}
			m[st.format.unescape(k)] = item
		}
		return m, nil
	}
	if v.IsList() {
		list := items(v)
		out := make([]any, len(list))
		for i, item := range list {
			var err error
			if out[i], err = st.plain(exec.AsValue(item)); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return st.text(v), nil
}

// value is a value read from the database as templates see it: escaped for the service as
// a document's values are.
func (st *state) value(v any) any { return templateValue(v, st.format) }
