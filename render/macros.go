package render

import (
	"cmp"
	"fmt"
	"maps"
	"slices"

	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/parser"
	"github.com/nikolalohinski/gonja/v2/tokens"
)

// Macros as Jinja2 3 has them (jinja2/runtime.py Macro, jinja2/compiler.py macro_body), where
// gonja's refuse extra arguments. A macro whose body reads varargs gets the positional
// arguments past its parameters there, as a tuple; one whose body reads kwargs gets there the
// keyword arguments no parameter takes, as a dict in the order they are written. Without the
// name, such arguments are Jinja2's TypeError. The body of a {% call %} block is a macro too:
// the macro the block calls gets it as caller.

// macro is a {% macro %}, or the body of a {% call %} block, which the block gives the macro it
// calls as caller.
type macro struct {
	name     string // "" for a call block's body
	params   []string
	defaults []nodes.Expression // one for each parameter, nil for none
	body     *nodes.Wrapper
	// varargs, kwargs and caller: the body reads the name, so a call may give positional
	// arguments past the parameters, keywords no parameter has, or a caller. Jinja2 decides
	// it when it compiles the macro; prepare does.
	varargs, kwargs, caller bool
}

// macroFunc is a macro as templates hold it, bound to the scope it runs below: gonja calls it
// with a call's arguments.
type macroFunc func(va *exec.VarArgs) *exec.Value

// in is m bound to run below r's scope: the scope of its {% macro %} or {% call %} tag. Called
// with the keyword describeMacro, it gives m itself (see macroFunc.macro).
func (m *macro) in(r *exec.Renderer) macroFunc {
	return func(va *exec.VarArgs) *exec.Value {
		if _, ok := va.KwArgs[describeMacro]; ok {
			return exec.AsValue(m)
		}
		return m.call(r, va)
	}
}

// describeMacro is the keyword that asks a macroFunc for its macro: no template can write it.
const describeMacro = "\x00macro"

// macro is the macro f runs.
func (f macroFunc) macro() *macro {
	m, _ := f(&exec.VarArgs{KwArgs: map[string]*exec.Value{describeMacro: nil}}).Interface().(*macro)
	return m
}

// String is the macro as Jinja2 prints it: <Macro 'name'>, a call block's <Macro anonymous>.
func (f macroFunc) String() string {
	if m := f.macro(); m != nil && m.name != "" {
		return "<Macro '" + m.name + "'>"
	}
	return "<Macro anonymous>"
}

// attr is the attribute of Jinja2's Macro object that name names: name (None for a call
// block's body), arguments (the parameters' names), catch_kwargs, catch_varargs and caller
// (whether its body reads kwargs, varargs and caller); ok is false for any other.
func (m *macro) attr(name string) (v any, ok bool) {
	switch name {
	case "name":
		if m.name == "" {
			return nil, true
		}
		return m.name, true
	case "arguments":
		args := pyTuple{}
		for _, p := range m.params {
			args = append(args, p)
		}
		return args, true
	case "catch_kwargs":
		return m.kwargs, true
	case "catch_varargs":
		return m.varargs, true
	case "caller":
		return m.caller, true
	}
	return nil, false
}

// repr is the macro's name as Jinja2's errors give it.
func (m *macro) repr() string {
	if m.name == "" {
		return "None"
	}
	return "'" + m.name + "'"
}

// call runs the macro for a call's arguments, in a new scope below r's, and gives the text it
// printed. The arguments bind as Jinja2's Macro.__call__ binds them: positional ones to the
// parameters in order, keywords to the parameters left, defaults (evaluated in the macro's
// scope, where the parameters before are set) or None to the rest.
func (m *macro) call(r *exec.Renderer, va *exec.VarArgs) *exec.Value {
	kw := callKeywords(va)
	given := make([]*exec.Value, len(m.params)) // nil: not given
	copy(given, va.Args)
	for i := len(va.Args); i < len(m.params); i++ {
		given[i] = kw.take(m.params[i])
	}
	var caller *exec.Value
	if m.caller && !slices.Contains(m.params, "caller") {
		caller = kw.take("caller")
	}
	switch {
	case len(kw) > 0 && !m.kwargs && kw.has("caller"):
		return exec.AsValue(fmt.Errorf("TypeError: macro %s was invoked with two values for the special caller argument. This is most likely a bug.", m.repr()))
	case len(kw) > 0 && !m.kwargs:
		return exec.AsValue(fmt.Errorf("TypeError: macro %s takes no keyword argument '%s'", m.repr(), kw[0].name))
	case len(va.Args) > len(m.params) && !m.varargs:
		return exec.AsValue(fmt.Errorf("TypeError: macro %s takes not more than %d argument(s)", m.repr(), len(m.params)))
	}

	out := &blockWriter{st: renderState(r)}
	sub := scope(r)
	sub.Output = out
	ctx := sub.Environment.Context
	for i, name := range m.params {
		v := given[i]
		if v == nil && m.defaults[i] != nil {
			if v = evaluator(sub).Eval(m.defaults[i]); v.IsError() {
				return v
			}
		}
		if v == nil {
			ctx.Set(name, nil)
			continue
		}
		ctx.Set(name, v)
	}
	// Without a caller (none given, or None), caller stays unset: Jinja2's is undefined.
	if caller != nil && !caller.IsNil() {
		ctx.Set("caller", caller)
	}
	if m.varargs {
		rest := pyTuple{}
		for _, v := range va.Args[min(len(m.params), len(va.Args)):] {
			rest = append(rest, v.Interface())
		}
		ctx.Set("varargs", rest)
	}
	if m.kwargs {
		d := &exec.Dict{Pairs: []*exec.Pair{}}
		for _, k := range kw {
			d.Pairs = append(d.Pairs, &exec.Pair{Key: exec.AsValue(k.name), Value: k.value})
		}
		ctx.Set("kwargs", d)
	}
	// A list the body changes by a method is changed in the scope the macro was written in
	// too (writeBack), as the one list it is in Jinja2.
	out.st.enclosing = append(out.st.enclosing, r.Environment.Context)
	defer func() { out.st.enclosing = out.st.enclosing[:len(out.st.enclosing)-1] }()
	if err := nodes.Walk(sub, m.body); err != nil {
		return exec.AsValue(cause(err)) // gonja passes on only the text of a call's error
	}
	return exec.AsValue(out.String()) // plain text, as Jinja2's without autoescape: |e escapes it
}

// keyword is a keyword argument of a call.
type keyword struct {
	name  string
	value *exec.Value
}

// keywords are a call's keyword arguments, in the order they are written.
type keywords []keyword

// orderKey is the keyword that carries the order of a call's other keywords to a macro (see
// keywordsInOrder); it is no identifier, so templates cannot write it.
const orderKey = "\x00order"

// callKeywords are the keyword arguments of a call: in the order they are written when the
// call gave it, in the order of their names otherwise.
func callKeywords(va *exec.VarArgs) keywords {
	var order []string
	if o, ok := va.KwArgs[orderKey]; ok {
		order, _ = o.Interface().([]string)
	} else {
		order = slices.Sorted(maps.Keys(va.KwArgs))
	}
	kw := make(keywords, 0, len(order))
	for _, name := range order {
		kw = append(kw, keyword{name, va.KwArgs[name]})
	}
	return kw
}

func (kw keywords) has(name string) bool {
	return slices.ContainsFunc(kw, func(k keyword) bool { return k.name == name })
}

// take removes the keyword called name and gives its value, nil when there is none.
func (kw *keywords) take(name string) *exec.Value {
	i := slices.IndexFunc(*kw, func(k keyword) bool { return k.name == name })
	if i < 0 {
		return nil
	}
	v := (*kw)[i].value
	*kw = slices.Delete(*kw, i, i+1)
	return v
}

// keywordOrder is the order a call's keyword arguments are written in, which gonja's map of
// them loses.
func keywordOrder(kwargs map[string]nodes.Expression) []string {
	names := slices.Collect(maps.Keys(kwargs))
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Compare(kwargs[a].Position().Pos, kwargs[b].Position().Pos)
	})
	return names
}

// keywordsInOrder is fn, the callee of a call with these keywords, such that a macro it names
// gets them in the order they are written: a hidden call that gives the macro with the order.
func (p *preparer) keywordsInOrder(fn *nodes.Name, order []string) nodes.Expression {
	name := fmt.Sprintf("\x00kwargs#%d", p.env.sites)
	p.env.sites++
	p.env.Context.Set(name, func(_ *exec.Evaluator, va *exec.VarArgs) (any, error) {
		f := va.Args[0]
		if !f.IsCallable() { // gonja would name the hidden call
			return func(*exec.VarArgs) *exec.Value {
				return exec.AsValue(fmt.Errorf("%s is not callable", fn.Name.Val))
			}, nil
		}
		m, ok := f.Interface().(macroFunc)
		if !ok {
			return f.Interface(), nil
		}
		return func(va *exec.VarArgs) *exec.Value {
			va.KwArgs[orderKey] = exec.AsValue(order)
			return m(va)
		}, nil
	})
	return hiddenCall(name, fn.Name, fn)
}

// parseSignature reads a macro's or a call block's parameters as Jinja2 does: (a, b=default),
// names only (no *args, no **kwargs), none without a default after one with.
func parseSignature(args *parser.Parser, m *macro) error {
	if args.Match(tokens.LeftParenthesis) == nil {
		return args.Error("expected '('", args.Current())
	}
	for args.Match(tokens.RightParenthesis) == nil {
		if len(m.params) > 0 && args.Match(tokens.Comma) == nil {
			return args.Error("expected ',' or ')'", args.Current())
		}
		name := args.Match(tokens.Name)
		if name == nil {
			return args.Error("expected a parameter's name", args.Current())
		}
		if slices.Contains(m.params, name.Val) {
			return args.Error(fmt.Sprintf("duplicate parameter %q", name.Val), name)
		}
		var def nodes.Expression
		if args.Match(tokens.Assign) != nil {
			var err error
			if def, err = args.ParseExpression(); err != nil {
				return err
			}
		} else if len(m.defaults) > 0 && m.defaults[len(m.defaults)-1] != nil {
			return args.Error("a parameter without a default follows one with a default", name)
		}
		m.params = append(m.params, name.Val)
		m.defaults = append(m.defaults, def)
	}
	return nil
}

// macroStatement is {% macro name(parameters) %}...{% endmacro %}: it sets name to the macro,
// bound to the scope of the tag.
type macroStatement struct {
	at *tokens.Token
	*macro
}

func (s *macroStatement) Position() *tokens.Token { return s.at }
func (s *macroStatement) String() string          { return "macro " + s.name }

func parseMacro(p *parser.Parser, args *parser.Parser) (nodes.ControlStructure, error) {
	s := &macroStatement{at: args.Current(), macro: &macro{}}
	name := args.Match(tokens.Name)
	if name == nil {
		return nil, args.Error("expected the macro's name", args.Current())
	}
	s.name = name.Val
	if err := parseSignature(args, s.macro); err != nil {
		return nil, err
	}
	if !args.End() {
		return nil, args.Error("unexpected text in macro", args.Current())
	}
	body, err := blockBody(p, "endmacro")
	if err != nil {
		return nil, err
	}
	s.body = body
	return s, nil
}

func (s *macroStatement) Execute(r *exec.Renderer, _ *nodes.ControlStructureBlock) error {
	r.Environment.Context.Set(s.name, s.in(r))
	return nil
}

// callerKey names, in a call block's scope, the block's body bound to it, which the block's
// call gives the macro as caller; it is no identifier, so templates cannot reach it.
const callerKey = "\x00caller"

// callBlock is {% call(parameters) m(arguments) %}...{% endcall %}: m(arguments,
// caller=<the body, as a macro with these parameters>), printed.
type callBlock struct {
	at     *tokens.Token // the tag's, and its source, for errors (set by prepare)
	text   string
	caller *macro
	call   nodes.Expression // the parser gives it the caller keyword
}

func (c *callBlock) Position() *tokens.Token { return c.at }
func (c *callBlock) String() string          { return "call" }

func parseCallBlock(p *parser.Parser, args *parser.Parser) (nodes.ControlStructure, error) {
	c := &callBlock{caller: &macro{}}
	if args.Current(tokens.LeftParenthesis) != nil {
		if err := parseSignature(args, c.caller); err != nil {
			return nil, err
		}
	}
	at := args.Current()
	x, err := args.ParseExpression()
	if err != nil {
		return nil, err
	}
	call, ok := x.(*nodes.Call)
	if !ok {
		return nil, args.Error("expected a macro's call", at)
	}
	if !args.End() {
		return nil, args.Error("unexpected text in call", args.Current())
	}
	if _, ok := call.Kwargs["caller"]; ok {
		return nil, args.Error("the call block gives caller: its call cannot", at)
	}
	// The caller is the last keyword (see keywordOrder): its place is after the tag.
	after := p.Current()
	call.Kwargs["caller"] = &nodes.Name{Name: &tokens.Token{Type: tokens.Name, Val: callerKey, Pos: after.Pos, Line: after.Line, Col: after.Col}}
	c.call = call
	body, err := blockBody(p, "endcall")
	if err != nil {
		return nil, err
	}
	c.caller.body = body
	return c, nil
}

func (c *callBlock) Execute(r *exec.Renderer, _ *nodes.ControlStructureBlock) error {
	sub := scope(r)
	sub.Environment.Context.Set(callerKey, c.caller.in(r))
	v := evaluator(sub).Eval(c.call)
	if v.IsError() {
		return posError(c.at, c.text, v)
	}
	return emit(r, c.at, v)
}
