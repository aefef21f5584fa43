package render

import (
	"cmp"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/tokens"
)

// A call's arguments may unpack, as Python's: f(*x) gives x's items as positional arguments,
// f(**x) x's keys and values as keywords, in the order Jinja2's parser takes (m(1, *rest, k=2,
// **more)). gonja's parser reads neither; unparsed writes them __star__(x) and
// __starstar__(x), and prepare makes the call a hidden one that builds the arguments when it
// runs (unpacked, applied).

// unpackMarkers are the names unparsed gives *x and **x, with whether they unpack keywords.
var unpackMarkers = map[string]bool{"__star__": false, "__starstar__": true}

// spread is an argument *x or **x, as its hidden call gives it to the call that unpacks it.
type spread struct {
	value    *exec.Value
	keywords bool // **x
}

// unpacked replaces the arguments that unpack among args (a call's, a filter's or a test's) by
// calls that mark them and gives the order of the keywords as written, "" standing for the **x;
// ok is false when nothing unpacks. The arguments must come in the order Jinja2's parser takes:
// positional ones, then one *x, keywords and one **x last (keywords may come before the *x).
func (p *preparer) unpacked(args []nodes.Expression, kwargs map[string]nodes.Expression) (order []string, ok bool) {
	type slot struct {
		kind string // "arg", "*", "kw", "**"
		name string
		at   *tokens.Token
	}
	var slots []slot
	for i, arg := range args {
		s := slot{kind: "arg", at: arg.Position()}
		if call, isCall := arg.(*nodes.Call); isCall && len(call.Args) == 1 && len(call.Kwargs) == 0 {
			if name, isName := call.Func.(*nodes.Name); isName {
				if keywords, marker := unpackMarkers[name.Name.Val]; marker {
					ok = true
					if keywords {
						s = slot{kind: "**", at: name.Name}
						args[i] = hiddenCall("\x00unpack**", name.Name, call.Args[0])
					} else {
						s = slot{kind: "*", at: name.Name}
						args[i] = p.spreading(name.Name, call.Args[0])
					}
				}
			}
		}
		slots = append(slots, s)
	}
	if !ok {
		return nil, false
	}
	for name, v := range kwargs {
		slots = append(slots, slot{"kw", name, v.Position()})
	}
	slices.SortFunc(slots, func(a, b slot) int { return cmp.Compare(a.at.Pos, b.at.Pos) })
	seen := map[string]bool{}
	for _, s := range slots {
		valid := true
		switch s.kind {
		case "arg":
			valid = !seen["*"] && !seen["**"] && !seen["kw"]
		case "*":
			valid = !seen["*"] && !seen["**"]
		case "kw":
			valid = !seen["**"]
			order = append(order, s.name)
		case "**":
			valid = !seen["**"]
			order = append(order, "")
		}
		if !valid {
			p.fail(s.at, "invalid syntax for function call expression: positional arguments, *x, keywords, then **x")
			return nil, true
		}
		seen[s.kind] = true
	}
	return order, true
}

// spreading is x, an argument *x, as a call of a hidden global made for this call site that
// marks it: an undefined x (a name never set, a key a dict lacks) unpacks as nothing, as
// Jinja2's undefined iterates.
func (p *preparer) spreading(at *tokens.Token, x nodes.Expression) *nodes.Call {
	site := fmt.Sprintf("\x00unpack*#%d", p.env.sites)
	p.env.sites++
	p.env.functions[site] = true // prepare reads the call as any other: x is prepared there
	call := hiddenCall(site, at, x)
	p.env.Context.Set(site, func(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
		v := va.Args[0]
		if v.IsNil() && undefinedNil(e, call.Args[0]) { // x as prepare left it
			v = exec.AsValue([]any{})
		}
		return spread{value: v}, nil
	})
	return call
}

// applied is c, prepared, as a call of a hidden global that calls c's function with c's
// arguments, unpacked (see applyArgs); dict(**x) gives a dict in the order of its keywords.
func (p *preparer) applied(c *nodes.Call, order []string) nodes.Expression {
	fn, ok := c.Func.(nodes.Expression)
	if !ok {
		p.fail(c.Location, "this call cannot unpack its arguments")
		return c
	}
	name, isName := fn.(*nodes.Name)
	toDict := isName && name.Name.Val == "dict"
	site := fmt.Sprintf("\x00apply#%d", p.env.sites)
	p.env.sites++
	p.env.Context.Set(site, func(e *exec.Evaluator, va *exec.VarArgs) (*exec.Value, error) {
		args, keys, err := applyArgs(va, order)
		if err != nil {
			return nil, err
		}
		if toDict && len(args.Args) == 0 {
			d := &exec.Dict{Pairs: []*exec.Pair{}}
			for _, k := range keys {
				d.Pairs = append(d.Pairs, &exec.Pair{Key: exec.AsValue(k), Value: args.KwArgs[k]})
			}
			return exec.AsValue(d), nil
		}
		f := va.Args[0]
		if _, ok := f.Interface().(macroFunc); ok && len(keys) > 0 {
			args.KwArgs[orderKey] = exec.AsValue(keys)
		}
		return callValue(e, f, args)
	})
	call := hiddenCall(site, c.Location, append([]nodes.Expression{fn}, c.Args...)...)
	call.Kwargs = c.Kwargs
	return call
}

// applyArgs builds the arguments of a call that unpacks: va.Args[0] is the function, the rest
// its positional arguments, a *x standing for x's items (a text's characters, a dict's keys)
// and a **x for x's pairs, keywords in order (see unpacked). It fails as Python's on a *x that
// is not iterable, a **x that is not a dict or has a key that is not a text, and a keyword
// given twice. keys are the keywords in the order they came.
func applyArgs(va *exec.VarArgs, order []string) (*exec.VarArgs, []string, error) {
	args := &exec.VarArgs{Args: []*exec.Value{}, KwArgs: map[string]*exec.Value{}}
	var more [][]pyTuple // each **x's pairs, in turn
	for _, v := range va.Args[1:] {
		s, ok := v.Interface().(spread)
		switch {
		case !ok:
			args.Args = append(args.Args, v)
		case s.keywords:
			ps, isDict := pairs(s.value)
			if !isDict {
				return nil, nil, fmt.Errorf("TypeError: argument after ** must be a mapping, not %s", pyType(s.value))
			}
			more = append(more, ps)
		case s.value.IsString():
			for _, c := range characters(s.value.String()) {
				args.Args = append(args.Args, exec.AsValue(c))
			}
		default:
			list, isList := dictKeys(s.value)
			if !isList {
				if !s.value.IsList() {
					return nil, nil, fmt.Errorf("TypeError: argument after * must be an iterable, not %s", pyType(s.value))
				}
				list = items(s.value)
			}
			for _, item := range list {
				args.Args = append(args.Args, exec.ToValue(item))
			}
		}
	}
	var keys []string
	add := func(k string, v *exec.Value) error {
		if _, twice := args.KwArgs[k]; twice {
			return fmt.Errorf("TypeError: got multiple values for keyword argument '%s'", k)
		}
		args.KwArgs[k] = v
		keys = append(keys, k)
		return nil
	}
	for _, name := range order {
		if name != "" {
			if err := add(name, va.KwArgs[name]); err != nil {
				return nil, nil, err
			}
			continue
		}
		ps := more[0]
		more = more[1:]
		for _, kv := range ps {
			k, isText := kv[0].(string)
			if !isText {
				return nil, nil, errors.New("TypeError: keywords must be strings")
			}
			if err := add(k, exec.ToValue(kv[1])); err != nil {
				return nil, nil, err
			}
		}
	}
	return args, keys, nil
}

// callValue calls f, a function of the template's (a helper, a macro, a method's hidden call:
// each takes the call's VarArgs, some the evaluator first), as gonja calls it.
func callValue(e *exec.Evaluator, f *exec.Value, args *exec.VarArgs) (*exec.Value, error) {
	if f.IsError() {
		return nil, f
	}
	if !f.IsCallable() {
		return nil, fmt.Errorf("TypeError: '%s' object is not callable", pyType(f))
	}
	fv := reflect.ValueOf(f.Interface())
	t := fv.Type()
	var in []reflect.Value
	switch {
	case t.NumIn() == 1 && t.In(0) == reflect.TypeFor[*exec.VarArgs]():
		in = []reflect.Value{reflect.ValueOf(args)}
	case t.NumIn() == 2 && t.In(0) == reflect.TypeFor[*exec.Evaluator]() && t.In(1) == reflect.TypeFor[*exec.VarArgs]():
		in = []reflect.Value{reflect.ValueOf(e), reflect.ValueOf(args)}
	default:
		return nil, errors.New("this function cannot take unpacked arguments")
	}
	out := fv.Call(in)
	if len(out) == 2 && !out[1].IsNil() {
		return nil, out[1].Interface().(error)
	}
	if v, ok := out[0].Interface().(*exec.Value); ok {
		if v == nil {
			return exec.AsValue(nil), nil
		}
		if v.IsError() {
			return nil, v
		}
		return v, nil
	}
	return exec.ToValue(out[0].Interface()), nil
}

// isSpread reports whether arg, prepared, is an argument that unpacks (see unpacked).
func isSpread(arg nodes.Expression) bool {
	call, ok := arg.(*nodes.Call)
	if !ok {
		return false
	}
	name, ok := call.Func.(*nodes.Name)
	return ok && strings.HasPrefix(name.Name.Val, "\x00unpack*")
}

// unpacksArgs reports whether filter f has an argument that unpacks (see unparsed).
func unpacksArgs(f *nodes.FilterCall) bool {
	return slices.ContainsFunc(f.Args, func(arg nodes.Expression) bool {
		call, ok := arg.(*nodes.Call)
		if !ok {
			return false
		}
		name, ok := call.Func.(*nodes.Name)
		if !ok {
			return false
		}
		_, marker := unpackMarkers[name.Name.Val]
		return marker
	})
}

// filtered is x, prepared, through filters, of which one or more have arguments that unpack:
// each of those a call of a hidden global that runs the filter by its name (applied), the
// others as gonja runs them.
func (p *preparer) filtered(x nodes.Expression, filters []*nodes.FilterCall) nodes.Expression {
	k := slices.IndexFunc(filters, unpacksArgs)
	if k < 0 {
		k = len(filters)
	}
	if k > 0 {
		in := x
		if message, ok := noneRefused[filters[0].Name]; ok {
			in = p.refusingNone(x, filters[0].Token, message)
		}
		for _, f := range filters[:k] {
			p.filter(f)
		}
		x = &nodes.FilteredExpression{Expression: in, Filters: filters[:k]}
	}
	if k == len(filters) {
		return x
	}
	f := filters[k]
	order, _ := p.unpacked(f.Args, f.Kwargs)
	p.filter(f)
	call := hiddenCall("\x00filter", f.Token, append([]nodes.Expression{&nodes.String{Location: f.Token, Val: f.Name}, x}, f.Args...)...)
	call.Kwargs = f.Kwargs
	return p.filtered(p.applied(call, order), filters[k+1:])
}

// unpackFunctions are the hidden globals that mark **x for the call that unpacks it (spreading
// marks each *x) and run a filter whose arguments unpack.
func unpackFunctions() map[string]any {
	return map[string]any{
		"\x00unpack**": func(_ *exec.Evaluator, va *exec.VarArgs) (any, error) {
			return spread{value: va.Args[0], keywords: true}, nil
		},
		// A filter by its name, on its input, with its arguments (see filtered).
		"\x00filter": func(e *exec.Evaluator, va *exec.VarArgs) (*exec.Value, error) {
			out := e.ExecuteFilterByName(va.Args[0].String(), va.Args[1], &exec.VarArgs{Args: va.Args[2:], KwArgs: va.KwArgs})
			if out.IsError() {
				return nil, out
			}
			return out, nil
		},
	}
}
