package render

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/tokens"

	"walnotify/frappedb"
	"walnotify/internal/pyslice"
)

// Python's printing of values inside templates: containers print as Python's str() prints
// them (repr of their items: quoted text, None, True, 45000.0, tuples in parentheses), "not"
// gives a bool, dict.items() gives tuples, tojson and urlencode are Jinja2's.

// pyTuple is a Python tuple: a list that prints in parentheses.
type pyTuple []any

// hiddenCall is a call of one of this package's hidden globals, at a token's place.
func hiddenCall(name string, at *tokens.Token, args ...nodes.Expression) *nodes.Call {
	fn := &nodes.Name{Name: &tokens.Token{Type: tokens.Name, Val: name, Pos: at.Pos, Line: at.Line, Col: at.Col}}
	return &nodes.Call{Location: at, Func: fn, Args: args, Kwargs: map[string]nodes.Expression{}}
}

// pythonFunctions are the hidden globals for not, tuples and dict.items().
func pythonFunctions() map[string]any {
	return map[string]any{
		"\x00not": func(_ *exec.Evaluator, va *exec.VarArgs) (any, error) {
			return !truthy(va.Args[0]), nil
		},
		"\x00item":  getItem,
		"\x00slice": pySlice,
		// The left operand of and and or, as it is but where gonja's truth is not Python's: an
		// empty dict the template wrote, true to gonja, is given as an empty dict of the
		// document's kind, false to it.
		"\x00truth": func(_ *exec.Evaluator, va *exec.VarArgs) (any, error) {
			if d, ok := va.Args[0].Interface().(*exec.Dict); ok && len(d.Pairs) == 0 {
				return map[string]any{}, nil
			}
			return va.Args[0].Interface(), nil
		},
		// frappe.session.user: the ERP's session user is the one who made the change; walnotify
		// takes the document's modified_by.
		"\x00session.user": func(e *exec.Evaluator, _ *exec.VarArgs) (any, error) {
			st := stateOf(e.Environment.Context)
			user, _ := st.rawDoc["modified_by"].(string)
			return st.format.Escape(user), nil
		},
		"\x00attr":   getAttr,
		"\x00unsafe": unsafeAttr,
		"\x00is":     runTest,
		"\x00list": func(_ *exec.Evaluator, va *exec.VarArgs) (any, error) {
			return exec.ValuesList(slices.Clone(va.Args)), nil
		},
		"\x00tuple": func(_ *exec.Evaluator, va *exec.VarArgs) (any, error) {
			t := make(pyTuple, len(va.Args))
			for i, v := range va.Args {
				t[i] = v.Interface()
			}
			return t, nil
		},
	}
}

// truthy is Python's truth of v, as gonja's but for the values it holds behind a pointer or as
// a struct, always true there: an empty dict the template wrote and a zero timedelta are false;
// and a macro is true, where gonja's truth of a func is false.
func truthy(v *exec.Value) bool {
	switch x := v.Interface().(type) {
	case *exec.Dict:
		return len(x.Pairs) > 0
	case timedelta:
		return x != timedelta{}
	case macroFunc:
		return true
	}
	return v.IsTrue()
}

// dictItems is dict.items(): (key, value) tuples, in written order for a dict the template
// wrote, in key order for the document's (dicts.go).
func dictItems(self map[string]any, v *exec.Value, va *exec.VarArgs) (any, error) {
	if len(va.Args)+len(va.KwArgs) > 0 {
		return nil, fmt.Errorf("TypeError: items() takes no arguments")
	}
	if v != nil {
		if _, ok := v.Interface().(*exec.Dict); ok {
			ps, _ := pairs(v)
			return tupleList(ps), nil
		}
	}
	keys := make([]string, 0, len(self))
	for k := range self {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = pyTuple{k, self[k]}
	}
	return out, nil
}

// pySlice is x[start:stop:step], as Python's: a text's characters, a list's or a tuple's
// items, a tuple's slice a tuple (gonja's gives a list, which % formatting takes as one
// argument: "%s-%s" % (a, b)[::-1]). The arguments are x, then start, stop and step, None where
// left out, as in Python. What does not slice (None, a number, a dict) and bounds that are not
// ints are Python's TypeError, a step of zero its ValueError (Jinja2 slices as Python does; gonja
// failed on them without a message, and kept a tuple's slice a list).
func pySlice(_ *exec.Evaluator, va *exec.VarArgs) (any, error) {
	x := va.Args[0]
	var bounds [3]*int
	for i, b := range va.Args[1:4] {
		if b.IsNil() {
			continue
		}
		n, ok := asNum(b)
		if !ok || n.isFloat {
			return nil, errors.New("TypeError: slice indices must be integers or None or have an __index__ method")
		}
		bounds[i] = &n.i
	}
	step := 1
	if bounds[2] != nil {
		step = *bounds[2]
	}
	if step == 0 {
		return nil, errors.New("ValueError: slice step cannot be zero")
	}
	if x.IsString() {
		r := []rune(x.String())
		first, count := pyslice.Range(len(r), bounds[0], bounds[1], step)
		out := make([]rune, count)
		for k := range out {
			out[k] = r[first+k*step]
		}
		return string(out), nil
	}
	if x.IsDict() {
		return nil, errors.New("TypeError: unhashable type: 'slice'")
	}
	if !x.IsList() {
		return nil, fmt.Errorf("TypeError: '%s' object is not subscriptable", pyType(x))
	}
	l := items(x)
	first, count := pyslice.Range(len(l), bounds[0], bounds[1], step)
	out := make([]any, count)
	for k := range out {
		out[k] = l[first+k*step]
	}
	if _, ok := x.Interface().(pyTuple); ok {
		return pyTuple(out), nil
	}
	return out, nil
}

// getItem is Python's (and Jinja2's) x[key]: negative indexes count from the end; a missing
// key or an index out of range is undefined (it prints as nothing), as in Jinja2.
func getItem(_ *exec.Evaluator, va *exec.VarArgs) (any, error) {
	c, key := va.Args[0], va.Args[1]
	switch {
	case c.IsNil():
		return nil, nil // NULL[key]: the ERP's Jinja2 gives an undefined too
	case (c.IsList() || c.IsString()) && (key.IsInteger() || key.IsBool()):
		n, _ := asNum(key)
		if c.IsString() {
			r := []rune(c.String())
			i := n.i
			if i < 0 {
				i += len(r)
			}
			if i < 0 || i >= len(r) {
				return nil, nil
			}
			return string(r[i]), nil
		}
		l := items(c)
		i := n.i
		if i < 0 {
			i += len(l)
		}
		if i < 0 || i >= len(l) {
			return nil, nil
		}
		return l[i], nil
	}
	if d, ok := c.Interface().(*exec.Dict); ok {
		// Found as Python finds a key, by == (see dictIndex), where gonja compared a text key
		// with the text of each key and found no other.
		if i := dictIndex(d, key); i >= 0 {
			return d.Pairs[i].Value.Interface(), nil
		}
		return nil, nil
	}
	if v, ok := c.GetItem(key.Interface()); ok {
		return v.Interface(), nil
	}
	if key.IsString() {
		if v, ok := c.GetAttribute(key.String()); ok {
			return v.Interface(), nil
		}
	}
	return nil, nil
}

// getAttr is x.name where x may be NULL: the attribute, else the item of that name, as gonja
// reads them; on NULL, or when x has neither, an undefined (printed "", as walnotify prints
// undefined), where the ERP's Jinja2 gives its undefined too.
// A third argument names x when x is a bare name: one never set fails, as in the ERP.
func getAttr(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	v, name := va.Args[0], va.Args[1].String()
	if v.IsNil() {
		if len(va.Args) > 2 && !e.Environment.Context.Has(va.Args[2].String()) {
			return nil, fmt.Errorf("'%s' is undefined", va.Args[2].String())
		}
		return nil, nil
	}
	if f, ok := v.Interface().(macroFunc); ok {
		a, _ := f.macro().attr(name)
		return a, nil
	}
	if a, ok := v.GetAttribute(name); ok {
		return a.Interface(), nil
	}
	a, ok := v.GetItem(name)
	if ok {
		return a.Interface(), nil
	}
	if a.IsError() {
		return nil, a
	}
	if n, ok := dateAttr(v, name); ok {
		return n, nil
	}
	return nil, nil
}

// unsafeAttr is x._name, an attribute Jinja2's sandbox finds unsafe: an undefined, whatever x
// holds. A second argument names x when x is a bare name: one never set fails, as in the ERP.
func unsafeAttr(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	if len(va.Args) > 1 && va.Args[0].IsNil() && !e.Environment.Context.Has(va.Args[1].String()) {
		return nil, fmt.Errorf("'%s' is undefined", va.Args[1].String())
	}
	return nil, nil
}

// runTest is "x is name(args)" (and "x in y"), as prepare rewrites it: the test's name, x,
// then its arguments. As a call, an error in x ends the rendering instead of being tested; texts
// are tested as written, not as escaped for the service ("&" in doc.customer).
func runTest(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	f := stateOf(e.Environment.Context).format
	if va.Args[0].String() == "in" && len(va.Args) == 3 {
		// Compares the texts it holds as written itself, in lists too.
		return pyContains(f, va.Args[1], va.Args[2])
	}
	args := unescapeArgs(f, &exec.VarArgs{Args: va.Args[2:], KwArgs: va.KwArgs})
	x := unescapeValue(f, va.Args[1])
	if va.Args[1].Safe && x.IsString() {
		x = exec.AsSafeValue(x.String()) // for "is escaped"
	}
	v := e.ExecuteTestByName(va.Args[0].String(), x, args)
	if v.IsError() {
		return nil, v
	}
	return v.Interface(), nil
}

// pyReprAny is Python's repr() of a plain Go value.
func pyReprAny(v any) string {
	var b strings.Builder
	writeRepr(&b, v)
	return b.String()
}

func writeRepr(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("None")
	case *exec.Value:
		if x == nil || x.IsNil() {
			b.WriteString("None")
			return
		}
		writeRepr(b, x.Interface())
	case bool:
		if x {
			b.WriteString("True")
		} else {
			b.WriteString("False")
		}
	case string:
		b.WriteString(pyRepr(exec.AsValue(x)))
	case float64:
		b.WriteString(pyFloatRepr(x))
	case number:
		b.WriteString(pyFloatRepr(float64(x)))
	case float32:
		b.WriteString(pyFloatRepr(float64(x)))
	case int:
		b.WriteString(strconv.Itoa(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case groupTuple:
		writeRepr(b, pyTuple(x))
	case pyTuple:
		b.WriteByte('(')
		for i, item := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, item)
		}
		if len(x) == 1 {
			b.WriteByte(',')
		}
		b.WriteByte(')')
	case *exec.Dict:
		b.WriteByte('{')
		for i, p := range x.Pairs {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, p.Key)
			b.WriteString(": ")
			writeRepr(b, p.Value)
		}
		b.WriteByte('}')
	case map[string]any:
		b.WriteByte('{')
		for i, k := range slices.Sorted(maps.Keys(x)) {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, k)
			b.WriteString(": ")
			writeRepr(b, x[k])
		}
		b.WriteByte('}')
	default:
		rv := reflect.ValueOf(v)
		switch rv.Kind() {
		case reflect.Slice, reflect.Array:
			b.WriteByte('[')
			for i := range rv.Len() {
				if i > 0 {
					b.WriteString(", ")
				}
				writeRepr(b, rv.Index(i).Interface())
			}
			b.WriteByte(']')
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			fmt.Fprint(b, v)
		default:
			b.WriteString(exec.AsValue(v).String())
		}
	}
}

// isContainer reports whether v prints as a Python container.
func isContainer(v any) bool {
	switch v.(type) {
	case string, []byte:
		return false
	case *exec.Dict:
		return true
	}
	k := reflect.ValueOf(v).Kind()
	return k == reflect.Slice || k == reflect.Array || k == reflect.Map
}

// filterToJSON is Jinja2's tojson(indent=None): json.dumps with sorted keys and Python's separators
// (one line, or members one a line indented by indent spaces), with
// <, >, & and ' escaped so the text is safe in HTML.
func filterToJSON(_ *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	args, err := call("tojson", params, 0, "indent")
	if err != nil {
		return exec.AsValue(err)
	}
	style := jsonStyle{html: true, comma: ", ", sortKeys: true, rows: rowsRefused}
	if style.indent, err = indentArg("tojson", args[0], -1); err != nil {
		return exec.AsValue(err)
	}
	if style.indent >= 0 {
		style.comma = "," // json.dumps's separators with an indent
	}
	var b strings.Builder
	if err := style.write(&b, in.Interface(), 0); err != nil {
		return exec.AsValue(err)
	}
	return &exec.Value{Val: reflect.ValueOf(b.String()), Safe: true}
}

// writeJSON writes v as Python's json.dumps does (separators ", " and ": ", ensure_ascii),
// with tojson's HTML-safe escapes of <, >, & and ' when html, where a document or a child row
// is Python's TypeError, as in the ERP's Jinja2 (no default for a Document). Without html it
// is json.dumps(v, default=str): an Object keeps its key order, and a value JSON cannot hold
// is written as its text.
func writeJSON(b *strings.Builder, v any, html bool) error {
	style := jsonStyle{html: html, comma: ", ", indent: -1, sortKeys: html}
	if html {
		style.rows = rowsRefused
	}
	return style.write(b, v, 0)
}

// jsonStyle is how writeJSON writes: tojson's, json.dumps(default=str)'s, or the ERP's
// frappe.as_json's (indent, every dict's keys sorted, a document's None fields left out).
type jsonStyle struct {
	html     bool   // tojson's HTML-safe escapes of <, >, & and '
	raw      bool   // non-ASCII characters as they are (ensure_ascii=False)
	comma    string // between two members
	colon    string // between a key and its value
	indent   int    // members one a line, indented this much a level; -1: on one line
	sortKeys bool   // every dict's keys sorted (a Go map's always are: it has no order)
	// rows is how a document or a child row (a map that has a doctype) is written: as a dict
	// (rowsAsDicts), without its None fields (rowsNoNulls, the ERP's as_dict(no_nulls=True)),
	// or not at all (rowsRefused, Python's TypeError for a Document without a default).
	rows rowStyle
}

type rowStyle int

const (
	rowsAsDicts rowStyle = iota
	rowsNoNulls
	rowsRefused
)

// member starts member i of a container at level: its separator, and its line when indented.
func (s jsonStyle) member(b *strings.Builder, i, level int) {
	if i > 0 {
		b.WriteString(s.comma)
	}
	if s.indent >= 0 {
		b.WriteByte('\n')
		b.WriteString(strings.Repeat(" ", s.indent*level))
	}
}

// end closes a container of n members at level.
func (s jsonStyle) end(b *strings.Builder, n, level int, closer byte) {
	if s.indent >= 0 && n > 0 {
		b.WriteByte('\n')
		b.WriteString(strings.Repeat(" ", s.indent*level))
	}
	b.WriteByte(closer)
}

// object writes members in the order given.
func (s jsonStyle) object(b *strings.Builder, members Object, level int) error {
	b.WriteByte('{')
	for i, m := range members {
		s.member(b, i, level+1)
		_ = s.write(b, m.Key, level+1)
		b.WriteString(cmp.Or(s.colon, ": "))
		if err := s.write(b, m.Value, level+1); err != nil {
			return err
		}
	}
	s.end(b, len(members), level, '}')
	return nil
}

func (s jsonStyle) write(b *strings.Builder, v any, level int) error {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case *exec.Value:
		if x == nil || x.IsNil() {
			b.WriteString("null")
			return nil
		}
		return s.write(b, x.Interface(), level)
	case Object:
		if s.sortKeys {
			x = slices.Clone(x)
			slices.SortStableFunc(x, func(a, b Member) int { return strings.Compare(a.Key, b.Key) })
		}
		return s.object(b, x, level)
	case *big.Int:
		b.WriteString(x.String())
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case string:
		b.WriteByte('"')
		for _, r := range x {
			switch {
			case r == '"':
				b.WriteString(`\"`)
			case r == '\\':
				b.WriteString(`\\`)
			case r == '\n':
				b.WriteString(`\n`)
			case r == '\r':
				b.WriteString(`\r`)
			case r == '\t':
				b.WriteString(`\t`)
			case r == '\b':
				b.WriteString(`\b`)
			case r == '\f':
				b.WriteString(`\f`)
			case s.html && (r == '<' || r == '>' || r == '&' || r == '\'') || r < 0x20 || r > 0x7e && !s.raw:
				if r > 0xffff {
					r -= 0x10000
					fmt.Fprintf(b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
				} else {
					fmt.Fprintf(b, `\u%04x`, r)
				}
			default:
				b.WriteRune(r)
			}
		}
		b.WriteByte('"')
	case *exec.Dict:
		members := make(Object, 0, len(x.Pairs))
		for _, p := range x.Pairs {
			members = append(members, Member{pyStr(p.Key), p.Value})
		}
		return s.write(b, members, level)
	case float64, number, float32:
		f := reflect.ValueOf(x).Float()
		b.WriteString(jsonSpecials.Replace(pyFloatRepr(f)))
	case map[string]any:
		_, row := x["doctype"]
		if row && s.rows == rowsRefused {
			return errors.New("TypeError: Object of type Document is not JSON serializable")
		}
		members := make(Object, 0, len(x))
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if row && s.rows == rowsNoNulls && x[k] == nil {
				continue
			}
			members = append(members, Member{k, x[k]})
		}
		return s.object(b, members, level)
	default:
		rv := reflect.ValueOf(v)
		switch rv.Kind() {
		case reflect.Slice, reflect.Array:
			b.WriteByte('[')
			for i := range rv.Len() {
				s.member(b, i, level+1)
				if err := s.write(b, rv.Index(i).Interface(), level+1); err != nil {
					return err
				}
			}
			s.end(b, rv.Len(), level, ']')
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			fmt.Fprint(b, v)
		default:
			if !s.html { // default=str
				return s.write(b, fmt.Sprint(v), level)
			}
			return fmt.Errorf("TypeError: Object of type %T is not JSON serializable", v)
		}
	}
	return nil
}

// filterJSON is the ERP's json filter, frappe.as_json(obj, indent=1): see asJSON.
func filterJSON(_ *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	args, err := bind(params, "indent")
	if err != nil {
		return exec.AsValue(fmt.Errorf("json: %w", err))
	}
	out, err := asJSON("json", in, args[0])
	if err != nil {
		return exec.AsValue(err)
	}
	return exec.AsValue(out)
}

// asJSON is the ERP's frappe.as_json(obj, indent=1) (the json filter, the as_json function):
// json.dumps with the members one a line, indented, every dict's keys sorted, "," between
// members, a document or child row without its None fields, and a value JSON cannot hold (a
// timedelta) as its text.
func asJSON(name string, v, indent *exec.Value) (string, error) {
	style := jsonStyle{comma: ",", indent: 1, sortKeys: true, rows: rowsNoNulls}
	var err error
	if style.indent, err = indentArg(name, indent, 1); err != nil {
		return "", err
	}
	var b strings.Builder
	err = style.write(&b, v.Interface(), 0)
	return b.String(), err
}

// indentArg reads json.dumps's indent: a number of spaces, None for one line, dflt when not
// given.
func indentArg(name string, v *exec.Value, dflt int) (int, error) {
	switch {
	case v == nil:
		return dflt, nil
	case v.IsNil():
		return -1, nil
	case v.IsInteger() && v.Integer() >= 0:
		return v.Integer(), nil
	}
	return 0, fmt.Errorf("%s: indent must be a number of spaces or None", name)
}

// jsonFunctions are the ERP's sandbox's json.dumps and json.loads, and as_json.
func jsonFunctions() (json map[string]any, asJSONFunc any) {
	dumps := func(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
		args, err := call("dumps", va, 1, "obj", "skipkeys", "ensure_ascii", "check_circular", "allow_nan", "cls", "indent", "separators", "default", "sort_keys")
		if err != nil {
			return nil, err
		}
		for i, name := range map[int]string{1: "skipkeys", 5: "cls", 8: "default"} {
			if args[i] != nil && !args[i].IsNil() && truthy(args[i]) {
				return nil, fmt.Errorf("dumps(): %s is not supported in walnotify templates", name)
			}
		}
		style := jsonStyle{comma: ", ", colon: ": ", rows: rowsRefused}
		if style.indent, err = indentArg("dumps()", args[6], -1); err != nil {
			return nil, err
		}
		if style.indent >= 0 {
			style.comma = ","
		}
		if sep := args[7]; sep != nil && !sep.IsNil() {
			parts := items(sep)
			a, ok1 := parts, len(parts) == 2
			if !ok1 {
				return nil, errors.New("dumps(): separators must be (item_separator, key_separator)")
			}
			s1, ok1 := a[0].(string)
			s2, ok2 := a[1].(string)
			if !ok1 || !ok2 {
				return nil, errors.New("dumps(): separators must be two texts")
			}
			style.comma, style.colon = s1, s2
		}
		style.raw = args[2] != nil && !truthy(args[2])
		style.sortKeys = args[9] != nil && truthy(args[9])
		var b strings.Builder
		if err := style.write(&b, args[0].Interface(), 0); err != nil {
			return nil, fmt.Errorf("dumps(): %w", err)
		}
		return b.String(), nil
	}
	loads := func(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
		args, err := call("loads", va, 1, "s")
		if err != nil {
			return nil, err
		}
		st := stateOf(e.Environment.Context)
		v, err := ParseJSON(st.text(args[0]))
		if err != nil {
			return nil, fmt.Errorf("loads(): JSONDecodeError: %w", err)
		}
		return st.held(v), nil
	}
	asJSONFunc = func(_ *exec.Evaluator, va *exec.VarArgs) (any, error) {
		args, err := call("as_json", va, 1, "obj", "indent")
		if err != nil {
			return nil, err
		}
		return asJSON("as_json()", args[0], args[1])
	}
	return map[string]any{"dumps": dumps, "loads": loads}, asJSONFunc
}

// held is a value read from outside the template (a database read's answer, what json.loads
// read) as templates hold values: a Tuple a tuple, a Row or an Object a dict in its order,
// text escaped for the service as a document's.
func (st *state) held(v any) any {
	switch x := v.(type) {
	case frappedb.Tuple:
		t := make(pyTuple, len(x))
		for i, item := range x {
			t[i] = st.held(item)
		}
		return t
	case *frappedb.Row:
		members := make(Object, len(x.Columns))
		for i, c := range x.Columns {
			members[i] = Member{c, x.Values[i]}
		}
		return st.held(members)
	case Object:
		d := &exec.Dict{Pairs: make([]*exec.Pair, len(x))}
		for i, m := range x {
			d.Pairs[i] = &exec.Pair{Key: exec.AsValue(st.format.Escape(m.Key)), Value: exec.AsValue(st.held(m.Value))}
		}
		return d
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = st.held(item)
		}
		return out
	}
	return templateValue(v, st.format)
}

// filterURLEncode is Jinja2's urlencode: text quoted with only "/" kept, a dict or a list of
// pairs as a query string.
func filterURLEncode(_ *exec.Evaluator, in *exec.Value, _ *exec.VarArgs) *exec.Value {
	// quote is Python's urllib quote of s's UTF-8 bytes: letters, digits and _.-~ kept, and
	// / outside a query; in a query a space is +.
	quote := func(s string, query bool) string {
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			c := s[i]
			switch {
			case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("_.-~", c) >= 0 || c == '/' && !query:
				b.WriteByte(c)
			case c == ' ' && query:
				b.WriteByte('+')
			default:
				fmt.Fprintf(&b, "%%%02X", c)
			}
		}
		return b.String()
	}
	var pairs []pyTuple
	switch {
	case in.IsString() || in.IsNumber() || in.IsBool() || in.IsNil():
		return exec.AsValue(quote(pyStr(in), false))
	case in.IsDict():
		if d, ok := in.Interface().(*exec.Dict); ok {
			for _, p := range d.Pairs {
				pairs = append(pairs, pyTuple{p.Key.Interface(), p.Value.Interface()})
			}
			break
		}
		m, _ := in.Interface().(map[string]any)
		pairs = mustItems(m)
	case in.IsList():
		for _, item := range items(in) {
			kv := items(exec.AsValue(item))
			if len(kv) != 2 {
				return exec.AsValue(fmt.Errorf("urlencode: expected (key, value) pairs"))
			}
			pairs = append(pairs, pyTuple(kv))
		}
	}
	parts := make([]string, len(pairs))
	for i, kv := range pairs {
		parts[i] = quote(pyStr(exec.ToValue(kv[0])), true) + "=" + quote(pyStr(exec.ToValue(kv[1])), true)
	}
	return exec.AsValue(strings.Join(parts, "&"))
}

func mustItems(m map[string]any) []pyTuple {
	out, _ := dictItems(m, nil, exec.NewVarArgs())
	l := out.([]any)
	pairs := make([]pyTuple, len(l))
	for i, kv := range l {
		pairs[i] = kv.(pyTuple)
	}
	return pairs
}

// definedTest is the "is defined" / "is undefined" test at one place: a name is defined when
// the template or the context has it, an attribute or item when its dict has the key (a NULL
// column is defined and None, as in the ERP), anything else when it evaluates to a value. An
// error on the way (doc.qty // 0, a method of None, a field of a name never set) fails the
// rendering, as in Jinja2.
func definedTest(target nodes.Node, negate bool) func(*exec.Evaluator, *exec.VarArgs) (any, error) {
	return func(e *exec.Evaluator, _ *exec.VarArgs) (any, error) {
		var defined bool
		var err error
		switch x := target.(type) {
		case *nodes.Name:
			defined = e.Environment.Context.Has(x.Name.Val)
		case *nodes.None:
			defined = true // the literal None (or none), defined as any value
		case *nodes.GetAttribute:
			if strings.HasPrefix(x.Attribute, "_") {
				// Unsafe to Jinja2's sandbox (see unsafeAttr): never defined.
				_, err = hasKey(e, x.Node, exec.AsValue(x.Attribute))
				break
			}
			defined, err = hasKey(e, x.Node, exec.AsValue(x.Attribute))
		case *nodes.GetItem:
			key := e.Eval(x.Arg)
			if key.IsError() {
				return nil, key
			}
			defined, err = hasKey(e, x.Node, key)
		default:
			if ex, ok := target.(nodes.Expression); ok {
				v := e.Eval(ex)
				if v.IsError() {
					return nil, v
				}
				defined = !v.IsNil()
			}
		}
		if err != nil {
			return nil, err
		}
		return defined != negate, nil
	}
}

func hasKey(e *exec.Evaluator, container nodes.Node, key *exec.Value) (bool, error) {
	ex, ok := container.(nodes.Expression)
	if !ok {
		return false, nil
	}
	if err := neverSet(e, container); err != nil {
		return false, err
	}
	c := e.Eval(ex)
	if c.IsError() {
		return false, c
	}
	return definedIn(c, key), nil
}

// definedIn reports whether c.key (or c[key]) is defined, as Jinja2 sees it: there, be it None.
func definedIn(c, key *exec.Value) bool {
	if c.IsNil() {
		return false
	}
	has, value := holds(c, key)
	if !has && key.IsString() {
		// A date's or a timestamp's attribute (getdate(x).day), as getAttr reads it.
		_, has = dateAttr(c, key.String())
		return has
	}
	return has && (value == nil || !value.IsNil())
}

// definedAttr is selectattr (reject false) or rejectattr, f, whose tests "defined" and
// "undefined" look at each item's attribute itself, as "row.x is defined" does: gonja's test
// has the attribute's value, nil for a NULL column as for one that is not there, and took
// the NULL for undefined, where Jinja2's None is defined.
func definedAttr(f exec.FilterFunction, reject bool) exec.FilterFunction {
	return func(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
		if len(params.Args) != 2 || len(params.KwArgs) > 0 || in.IsNil() || in.IsError() || !params.Args[0].IsString() || strings.Contains(params.Args[0].String(), ".") {
			return f(e, in, params)
		}
		test := params.Args[1].String()
		if !params.Args[1].IsString() || test != "defined" && test != "undefined" {
			return f(e, in, params)
		}
		out := []any{}
		in.Iterate(func(_, _ int, key, value *exec.Value) bool {
			item := key
			if value != nil {
				item = value
			}
			if definedIn(item, params.Args[0]) == (test == "defined") != reject {
				out = append(out, item.Interface())
			}
			return true
		}, func() {})
		return exec.AsValue(out)
	}
}

// neverSet is Jinja2's error for reading a field or an item of a name never set
// (nothing.attr is defined), which fails as getAttr does; nil for anything else.
func neverSet(e *exec.Evaluator, container nodes.Node) error {
	if n, ok := container.(*nodes.Name); ok && !e.Environment.Context.Has(n.Name.Val) {
		return fmt.Errorf("'%s' is undefined", n.Name.Val)
	}
	return nil
}

// holds reports whether c, neither nil nor an error, has key as a dict's key, a list's index
// or an attribute; value is the attribute, for the defined test, which wants it set.
func holds(c, key *exec.Value) (has bool, value *exec.Value) {
	switch {
	case c.IsDict():
		if m, ok := c.Interface().(map[string]any); ok && key.IsString() {
			_, has := m[key.String()]
			return has, nil
		}
		if d, ok := c.Interface().(*exec.Dict); ok {
			return dictIndex(d, key) >= 0, nil
		}
		_, has := c.GetItem(key.Interface())
		return has, nil
	case c.IsList() && key.IsInteger():
		n := len(items(c))
		i := key.Integer()
		return i < n && i >= -n, nil
	case c.IsString() && key.IsInteger():
		n := utf8.RuneCountInString(c.String())
		i := key.Integer()
		return i < n && i >= -n, nil
	}
	if f, ok := c.Interface().(macroFunc); ok && key.IsString() {
		v, has := f.macro().attr(key.String())
		return has, exec.AsValue(v)
	}
	if key.IsString() {
		v, has := c.GetAttribute(key.String())
		return has, v
	}
	return false, nil
}

// Jinja2 tells None from its undefined where walnotify has nil for both: a filter that iterates
// or measures its input, and a loop, fail on None (sorted(None) is a TypeError) but take the
// undefined as empty. noneRefused are those filters, with the ERP's error. (map, select, reject,
// selectattr and rejectattr give nothing for None: Jinja2's read "if value" first.)
var noneRefused = map[string]string{
	"length":   noLen,
	"len":      noLen,
	"count":    noLen,
	"truncate": noLen,
	"last":     "TypeError: 'NoneType' object is not reversible",
	"reverse":  "FilterArgumentError: argument must be iterable",
	"dictsort": "AttributeError: 'NoneType' object has no attribute 'items'",
	"items":    "TypeError: can only get item pairs from a mapping",
	"sort":     notIterable,
	"list":     notIterable,
	"join":     notIterable,
	"first":    notIterable,
	"sum":      notIterable,
	"min":      notIterable,
	"max":      notIterable,
	"groupby":  notIterable,
	"unique":   notIterable,
	"batch":    notIterable,
	"slice":    notIterable,
}

const (
	notIterable = "TypeError: 'NoneType' object is not iterable"
	noLen       = "TypeError: object of type 'NoneType' has no len()"
)

// refuseNone gives x's value, but fails with message where x is None: nil where x is not one
// of the undefined values (undefinedNil), or a field a document, a row or a JSON column lacks
// (nilOf), which the ERP's Jinja2 iterates as empty: walnotify's document lacks a child table
// it could not read (logged), and a message without its rows should not go out.
func refuseNone(x nodes.Expression, message string) func(*exec.Evaluator, *exec.VarArgs) (*exec.Value, error) {
	return func(e *exec.Evaluator, va *exec.VarArgs) (*exec.Value, error) {
		v := va.Args[0]
		if v.IsNil() {
			if undefined, lacking := nilOf(e, x); !undefined || lacking {
				return nil, errors.New(message)
			}
		}
		return v, nil
	}
}

// undefinedNil reports whether x, whose value is nil, is what Jinja2 gives as undefined: a name
// never set, an attribute or item that is not there (of NULL, of a dict the template wrote,
// of the document or a row that lacks the field, past a list's end, loop.previtem at the
// start), an attribute unsafe to the sandbox (x._name). A row's NULL column (doc.x, row.x), None
// that is there, a call's None, are None.
func undefinedNil(e *exec.Evaluator, x nodes.Expression) bool {
	undefined, _ := nilOf(e, x)
	return undefined
}

// nilOf is undefinedNil, and whether x is a field that a document, a row or a JSON column (a
// map) lacks, from one reading of x's container.
func nilOf(e *exec.Evaluator, x nodes.Expression) (undefined, lacking bool) {
	switch x := x.(type) {
	case *nodes.Name:
		return !e.Environment.Context.Has(x.Name.Val), false
	case *nodes.Call:
		if fn, ok := x.Func.(*nodes.Name); ok && fn.Name.Val == "\x00unsafe" {
			return true, false
		}
	}
	c, key, ok := readFrom(e, x)
	if !ok {
		return false, false
	}
	if c.IsError() || c.IsNil() {
		return true, false
	}
	has, _ := holds(c, key)
	switch c.Interface().(type) {
	case map[string]any, docFields:
		return !has, !has
	}
	return !has, false
}

// readFrom evaluates the container that x reads an attribute or an item of (x.name, x[key],
// and their hidden calls), and gives it with the key; ok is false for any other x.
func readFrom(e *exec.Evaluator, x nodes.Expression) (c, key *exec.Value, ok bool) {
	var container nodes.Node
	switch x := x.(type) {
	case *nodes.GetAttribute:
		container, key = x.Node, exec.AsValue(x.Attribute)
	case *nodes.GetItem:
		container, key = x.Node, e.Eval(x.Arg)
	case *nodes.Call:
		fn, isName := x.Func.(*nodes.Name)
		if isName && (fn.Name.Val == "\x00attr" || fn.Name.Val == "\x00item") {
			container, key = x.Args[0], e.Eval(x.Args[1])
		}
	}
	ex, ok := container.(nodes.Expression)
	if !ok {
		return nil, nil, false
	}
	return e.Eval(ex), key, true
}

// jsonSpecials writes Python json's names of the floats JSON lacks, built once.
var jsonSpecials = strings.NewReplacer("inf", "Infinity", "nan", "NaN")
