package render

import (
	"fmt"
	"reflect"
	"slices"

	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/tokens"
)

// methodCall replaces receiver.name(args) by a call of a hidden global made for this call
// site, which evaluates the receiver once and calls Python's method for it: a date text's
// (datevalues.go), a str's (strmethods.go, with the rendering's budget), a list's or a written
// dict's (mutate.go), the document's (documentMethod), and gonja's own method otherwise. gonja finds the receiver of a method
// only when it is a plain name or attribute chain, so "(doc.error or ”).split('\n')" failed
// before.
func (p *preparer) methodCall(c *nodes.Call) nodes.Expression {
	ga, ok := c.Func.(*nodes.GetAttribute)
	if !ok || ga.Attribute == "" {
		return c
	}
	if _, _, ok := frappePath(ga); ok {
		return c
	}
	recv, ok := ga.Node.(nodes.Expression)
	if !ok {
		return c
	}
	name := fmt.Sprintf("\x00.%s#%d", ga.Attribute, p.env.sites)
	p.env.sites++
	method, attr, orig := p.env.str[ga.Attribute], ga.Attribute, c
	if attr == "has_value_changed" || attr == "get_doc_before_save" {
		p.env.before = true
	}
	plain, unpacks, reread := isPlainReference(recv), slices.ContainsFunc(c.Args, isSpread), storedReference(recv)
	p.env.Context.Set(name, func(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
		v, st := va.Args[0], stateOf(e.Environment.Context)
		args := &exec.VarArgs{Args: va.Args[1:], KwArgs: va.KwArgs}
		if m, ok := v.Interface().(map[string]any); ok && attr == "get_formatted" {
			return getFormatted(st, m, args)
		}
		if out, ok, err := st.documentMethod(v, attr, args); ok {
			return out, err
		}
		if out, ok, err := dateMethod(st, v, attr, args); ok {
			return out, err
		}
		if v.IsString() && method != nil {
			out, err := method(st, v.String(), args)
			if err != nil {
				return nil, fmt.Errorf("%s(): %w", attr, err)
			}
			return out, nil
		}
		if d, ok := v.Interface().(*exec.Dict); ok {
			if out, ok, err := writtenDictMethod(st, d, attr, args); ok {
				return out, err
			}
		}
		if v.IsList() && !isTuple(v) && reread && len(va.Args) > 1 {
			// The arguments may have changed the list the receiver names (l.append(l.pop() +
			// 1)), which Python's method sees, being of that same list: read it again.
			if now := e.Eval(recv); now.IsList() {
				v = now
			}
		}
		if v.IsList() && !isTuple(v) {
			l, ok := v.Interface().([]any)
			if !ok {
				l = items(v) // a list gonja made: []*exec.Value
			}
			out, changed, ok, err := listMethod(st, l, attr, args)
			if ok {
				if err == nil && changed != nil {
					storeList(e, recv, v, changed)
				}
				return out, err
			}
		}
		if !plain {
			if out, ok, err := builtinMethod(e, v, attr, args); ok {
				return out, err
			}
		}
		if unpacks {
			// gonja's own way, with the arguments unpacked (applied), which orig's are not: an
			// attribute that is a function (loop.cycle).
			if f, ok := v.GetAttribute(attr); ok && f.IsCallable() {
				out, err := callValue(e, f, args)
				if err != nil {
					return nil, err
				}
				return out.Interface(), nil
			}
			return nil, fmt.Errorf("%s(): cannot take unpacked arguments", attr)
		}
		// gonja's own way.
		out := e.Eval(orig)
		if out.IsError() {
			return nil, out
		}
		return out.Interface(), nil
	})
	at := c.Location
	fn := &nodes.Name{Name: &tokens.Token{Type: tokens.Name, Val: name, Pos: at.Pos, Line: at.Line, Col: at.Col}}
	return &nodes.Call{Location: at, Func: fn, Args: append([]nodes.Expression{recv}, c.Args...), Kwargs: c.Kwargs}
}

// isPlainReference reports whether e is a name or a chain of attributes and items of one,
// whose method calls gonja handles.
func isPlainReference(e nodes.Node) bool {
	switch x := e.(type) {
	case *nodes.Name:
		return true
	case *nodes.GetAttribute:
		return isPlainReference(x.Node)
	case *nodes.GetItem:
		return isPlainReference(x.Node)
	}
	return false
}

// storedReference reports whether e, prepared, reads a name or an attribute or item of one
// (ns.l, d["k"]), which evaluates again to what it holds then, without side effects.
func storedReference(e nodes.Expression) bool {
	switch x := e.(type) {
	case *nodes.Name:
		return true
	case *nodes.GetAttribute:
		n, ok := x.Node.(nodes.Expression)
		return ok && storedReference(n)
	case *nodes.Call:
		fn, ok := x.Func.(*nodes.Name)
		if !ok || fn.Name.Val != "\x00attr" && fn.Name.Val != "\x00item" {
			return false
		}
		_, literal := x.Args[1].(*nodes.String)
		return literal && storedReference(x.Args[0])
	}
	return false
}

// builtinMethod calls gonja's method for v's type, for a receiver gonja cannot find itself.
func builtinMethod(e *exec.Evaluator, v *exec.Value, name string, args *exec.VarArgs) (any, bool, error) {
	methods := e.Environment.Methods
	switch {
	case v.IsDict():
		if m, ok := v.Interface().(map[string]any); ok {
			if f, ok := methods.Dict.Get(name); ok {
				out, err := f(m, v, args)
				return out, true, err
			}
		}
	case v.IsList():
		if l, ok := v.Interface().([]any); ok {
			if f, ok := methods.List.Get(name); ok {
				out, err := f(l, v, args)
				return out, true, err
			}
		}
	case v.IsBool():
		if f, ok := methods.Bool.Get(name); ok {
			out, err := f(v.Bool(), v, args)
			return out, true, err
		}
	case v.IsInteger():
		if f, ok := methods.Int.Get(name); ok {
			out, err := f(v.Integer(), v, args)
			return out, true, err
		}
	case v.IsFloat():
		if f, ok := methods.Float.Get(name); ok {
			out, err := f(v.Float(), v, args)
			return out, true, err
		}
	}
	return nil, false, nil
}

// documentMethod is the ERP's Document.has_value_changed(fieldname) and get_doc_before_save()
// on a row: for the rendering's document, whether the field's value differs from the one
// before the change (Python's ==; true for a new document) and the document before (None for
// a new one); a child row has no state before (true, None). ok is false for another method or
// a receiver that is no row.
func (st *state) documentMethod(v *exec.Value, name string, va *exec.VarArgs) (any, bool, error) {
	if name == "get" {
		if m, ok := v.Interface().(map[string]any); ok && m["doctype"] != nil {
			out, err := st.documentGet(m, va)
			return out, true, err
		}
		return nil, false, nil
	}
	if name != "has_value_changed" && name != "get_doc_before_save" {
		return nil, false, nil
	}
	recv := reflect.ValueOf(v.Interface())
	if recv.Kind() != reflect.Map {
		return nil, false, nil
	}
	isDoc := st.doc != nil && reflect.ValueOf(st.doc).UnsafePointer() == recv.UnsafePointer()
	if name == "get_doc_before_save" {
		if _, err := call(name, va, 0); err != nil {
			return nil, true, err
		}
		if !isDoc || st.before == nil {
			return nil, true, nil
		}
		return st.value(st.before), true, nil
	}
	args, err := call(name, va, 1, "fieldname")
	if err != nil {
		return nil, true, err
	}
	if !isDoc || st.before == nil {
		return true, true, nil
	}
	field := st.text(args[0])
	same := func(s string) string { return s }
	return !pyEqual(same, exec.AsValue(st.before[field]), exec.AsValue(st.rawDoc[field])), true, nil
}

// documentGet is the ERP's Document.get(key, filters=None, limit=None, default=None) on a
// document or a child row (a map with a doctype; a dict is Python's dict.get): a second
// argument by position is the default only when it is true, so doc.get("x", 0) is None for a
// field the document lacks, as in the ERP; a dict there picks the rows of a child table whose
// fields equal its values (an operator, ["!=", x], is refused); limit cuts a list to its first
// items.
func (st *state) documentGet(m map[string]any, va *exec.VarArgs) (any, error) {
	args, err := call("get", va, 1, "key", "filters", "limit", "default")
	if err != nil {
		return nil, err
	}
	key, filters, limit, dflt := args[0], args[1], args[2], args[3]
	var value any
	if dflt != nil {
		value = dflt.Interface()
	}
	byFilters := filters != nil && truthy(filters)
	if byFilters && !filters.IsDict() {
		value, byFilters = filters.Interface(), false
	}
	if key.IsString() {
		if v, ok := m[key.String()]; ok {
			value = v
		}
	}
	if byFilters {
		if value, err = st.filterRows(value, filters); err != nil {
			return nil, err
		}
	}
	if limit != nil && truthy(limit) {
		n, ok := asNum(limit)
		if list := exec.AsValue(value); ok && !n.isFloat && list.IsList() && list.Len() > n.i && n.i > 0 {
			value = items(list)[:n.i]
		}
	}
	return value, nil
}

// filterRows is the rows of a child table whose fields equal the filters' values, as the
// ERP's Document.get with a dict of filters; nothing for what is no list.
func (st *state) filterRows(rows any, filters *exec.Value) (any, error) {
	type filter struct {
		field string
		value *exec.Value
	}
	var fs []filter
	var bad error
	filters.Iterate(func(_, _ int, key, value *exec.Value) bool {
		if value.IsList() {
			bad = fmt.Errorf("get(): a filter with an operator (%s: %s) is not supported", pyStr(key), pyRepr(value))
			return false
		}
		fs = append(fs, filter{pyStr(key), value})
		return true
	}, func() {})
	if bad != nil {
		return nil, bad
	}
	list := exec.AsValue(rows)
	if !list.IsList() {
		return []any{}, nil
	}
	out := []any{}
	for _, row := range items(list) {
		r, ok := row.(map[string]any)
		if !ok {
			continue
		}
		match := true
		for _, f := range fs {
			if !pyEqual(st.format.unescape, exec.AsValue(r[f.field]), f.value) {
				match = false
				break
			}
		}
		if match {
			out = append(out, row)
		}
	}
	return out, nil
}
