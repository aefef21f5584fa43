package render

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	controlStructures "github.com/nikolalohinski/gonja/v2/builtins/control_structures"
	"github.com/nikolalohinski/gonja/v2/config"
	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/parser"
	"github.com/nikolalohinski/gonja/v2/tokens"

	"walnotify/internal/pystr"
)

// forbiddenTags are Jinja2 tags that walnotify templates may not use, with the reason.
var forbiddenTags = map[string]string{
	"include":    "templates cannot read other templates or files",
	"import":     "templates cannot read other templates or files",
	"from":       "templates cannot read other templates or files",
	"extends":    "templates cannot read other templates or files",
	"block":      "templates cannot extend other templates",
	"autoescape": "escaping is decided by the webhook's service",
	"do":         "templates cannot run statements",
	"trans":      "use _() instead",
}

// tagError is a tag's parse error that gonja gives without a position (when the tag's
// arguments end too early); offset is where the text after the tag starts.
type tagError struct {
	tag    string
	offset int
	err    error
}

func (e *tagError) Error() string { return e.tag + ": " + e.err.Error() }
func (e *tagError) Unwrap() error { return e.err }

// positionedTag makes the tag's parse errors carry a position.
func positionedTag(name string, parse parser.ControlStructureParser) parser.ControlStructureParser {
	return func(p *parser.Parser, args *parser.Parser) (nodes.ControlStructure, error) {
		after := p.Current()
		cs, err := parse(p, args)
		var se *parser.SyntaxError
		var te *tagError
		if err != nil && !errors.As(err, &te) && (!errors.As(err, &se) || se.Line == 0) {
			return nil, &tagError{tag: name, offset: after.Pos, err: err}
		}
		return cs, err
	}
}

// lexError reports the first error of gonja's lexer (an unclosed string or comment, ...) with
// its position; gonja's parser reports them without one.
func lexError(src string) error {
	stream := tokens.LexAll(src, config.New())
	for !stream.End() {
		stream.Next()
	}
	if tok := stream.Current(); tok.Type == tokens.Error {
		line, col := tokens.ReadablePosition(min(tok.Pos, len(src)), src)
		msg := tok.Val
		// For an unclosed string gonja gives the text after the quote instead of a message.
		if strings.Contains(src, `"`+msg) || strings.Contains(src, `'`+msg) {
			msg = fmt.Sprintf("unclosed string %q", msg)
		}
		return &Error{Line: line, Column: col, Msg: msg}
	}
	return nil
}

// parseError turns gonja's parse error into an *Error with the position of the mistake.
func parseError(src string, err error) error {
	if err := lexError(src); err != nil {
		return err
	}
	var te *tagError
	var se *parser.SyntaxError
	switch {
	case errors.As(err, &te):
		msg := cause(te.err).Error()
		if errors.As(te.err, &se) {
			msg = se.Message
		}
		// The tag starts at the last "{%" before the text that follows it.
		start := strings.LastIndex(src[:min(te.offset, len(src))], "{%")
		line, col := tokens.ReadablePosition(max(start, 0), src)
		return &Error{Line: line, Column: col, Msg: te.tag + ": " + msg, err: err}
	case !errors.As(err, &se):
		return &Error{Msg: cause(err).Error(), err: err}
	}
	msg := se.Message
	line, col := se.Line, se.Column
	if line == 0 { // gonja's end-of-input token has no position
		line, col = tokens.ReadablePosition(len(src), src)
		msg = "unexpected end of template: " + msg
	}
	if (se.Message == "Unbalanced parenthesis" || se.Message == "Expected ]") && strings.Contains(src, " if ") {
		msg += " (" + conditionalInside + ")"
	}
	if name, ok := strings.CutPrefix(se.Message, "ControlStructure '"); ok {
		name, _, _ = strings.Cut(name, "'")
		msg = fmt.Sprintf("unknown tag %q", name)
		if why, ok := forbiddenTags[name]; ok {
			msg = fmt.Sprintf("tag %q is not allowed: %s", name, why)
		}
	}
	return &Error{Line: line, Column: col, Msg: msg, err: err}
}

// prepare checks a parsed template and adapts it for rendering (see statements.go): every
// filter, test and function it names must exist, and frappe.x.y must be one of the helpers.
// It reports every problem, in the order they appear.
func prepare(src string, root *nodes.Template, env *environment) error {
	p := &preparer{src: src, env: env, locals: map[string]bool{}, rows: map[string]bool{"loop": true}}
	p.nodes(root.Nodes)
	for _, name := range p.called {
		if n := name.Name.Val; !env.functions[n] && !p.locals[n] {
			p.fail(name.Name, "unknown function %q", n)
		}
	}
	slices.SortStableFunc(p.errs, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	errs := make([]error, len(p.errs))
	for i, e := range p.errs {
		errs[i] = e
	}
	return errors.Join(errs...) // nil when there are none
}

type preparer struct {
	src    string
	env    *environment
	loops  int             // loops around the current node, within the current macro
	locals map[string]bool // names the template assigns: set, with, for, macros and their parameters
	// rows are the names of for loops' items, and loop: read as gonja reads them (a child row
	// is never NULL), not through getAttr, which costs a call each.
	rows   map[string]bool
	called []*nodes.Name // functions called by a bare name, checked once all locals are known
	errs   []*Error
}

func (p *preparer) fail(at *tokens.Token, format string, args ...any) {
	p.errs = append(p.errs, &Error{Line: at.Line, Column: at.Col, Msg: fmt.Sprintf(format, args...)})
}

func (p *preparer) nodes(list []nodes.Node) {
	for i, n := range list {
		switch n := n.(type) {
		case *nodes.Output:
			n.Expression = p.expr(n.Expression)
			n.Condition = p.expr(n.Condition)
			n.Alternative = p.expr(n.Alternative)
			text := p.src[n.Start.Pos:min(n.End.Pos+len(n.End.Val), len(p.src))]
			list[i] = &nodes.ControlStructureBlock{Location: n.Start, Name: "print", ControlStructure: &printNode{out: n, text: text}}
		case *nodes.ControlStructureBlock:
			p.statement(n)
		case *nodes.Wrapper:
			p.nodes(n.Nodes)
		}
	}
}

// guarded puts a guard around the body of a loop or macro.
func (p *preparer) guarded(at *tokens.Token, body *nodes.Wrapper) {
	p.nodes(body.Nodes)
	inner := &nodes.Wrapper{Location: body.Location, Nodes: body.Nodes}
	body.Nodes = []nodes.Node{&nodes.ControlStructureBlock{Location: at, Name: "guard", ControlStructure: &guard{at: at, body: inner}}}
}

func (p *preparer) statement(b *nodes.ControlStructureBlock) {
	switch s := b.ControlStructure.(type) {
	case *controlStructures.IfControlStructure:
		p.exprs(s.Conditions)
		for i, w := range s.Wrappers {
			p.nodes(w.Nodes)
			// Jinja2's if takes nothing but its endif after its else; gonja's took another
			// else or an elif there, and ran the wrong branch.
			if w.EndTag == "else" && i+1 < len(s.Wrappers) && s.Wrappers[i+1].EndTag != "endif" {
				p.fail(s.Wrappers[i+1].Location, "unexpected {%% %s %%} after {%% else %%}", s.Wrappers[i+1].EndTag)
			}
		}
		b.ControlStructure = &ifStatement{s}
	case *controlStructures.ForControlStructure:
		p.assigned(b.Location, s.Key, s.Value)
		p.locals[s.Key] = true
		p.locals[s.Value] = true
		if rowSource(s.ObjectEvaluator) {
			p.rows[s.Key], p.rows[s.Value] = true, true
		}
		s.ObjectEvaluator = p.refusingNone(p.expr(s.ObjectEvaluator), b.Location, notIterable)
		s.IfCondition = p.expr(s.IfCondition)
		p.loops++
		p.guarded(b.Location, s.BodyWrapper)
		p.loops--
		if s.EmptyWrapper != nil {
			p.nodes(s.EmptyWrapper.Nodes)
		}
		loop := &forLoop{ForControlStructure: s}
		if s.Value == "" {
			_, loop.byName = nameUse(s.Key, s.BodyWrapper, p.env.tested)
		}
		b.ControlStructure = loop
	case *macroStatement:
		p.locals[s.name] = true
		p.macro(b.Location, s.macro)
		return
	case *callBlock:
		s.at, s.text = b.Location, p.tagText(b.Location)
		s.call = p.expr(s.call)
		p.macro(b.Location, s.caller)
		return
	case *controlStructures.BreakControlStructure, *controlStructures.ContinueControlStructure:
		if p.loops == 0 {
			p.fail(b.Location, "%s outside a loop", b.Name)
		}
	case *controlStructures.RawControlStructure:
		trimRaw(p.src, s.Position())
	case *setStatement:
		if name, ok := s.target.(*nodes.Name); ok {
			p.assigned(b.Location, name.Name.Val)
			p.locals[name.Name.Val] = true
		}
		p.assigned(b.Location, s.names...)
		for _, name := range s.names {
			p.locals[name] = true
		}
		if ga, ok := s.target.(*nodes.GetAttribute); ok {
			ga.Node = p.node(ga.Node) // ns.x is assigned to, not read: it stays an attribute
		} else {
			s.target = p.expr(s.target)
		}
		s.value = p.expr(s.value)
		s.condition = p.expr(s.condition)
		s.alternative = p.expr(s.alternative)
		for _, f := range s.filters {
			p.filter(f)
		}
		if s.body != nil {
			p.nodes(s.body.Nodes)
		}
		return
	case *withStatement:
		p.assigned(b.Location, s.names...)
		for i, name := range s.names {
			p.locals[name] = true
			s.values[i] = p.expr(s.values[i])
		}
		p.nodes(s.body.Nodes)
		return
	case *filterBlock:
		for _, f := range s.filters {
			p.filter(f)
		}
		p.nodes(s.body.Nodes)
		return
	default:
		p.fail(b.Location, "tag %q is not allowed", b.Name)
		return
	}
	if cs, ok := b.ControlStructure.(exec.ControlStructure); ok {
		b.ControlStructure = &positioned{ControlStructure: cs, at: b.Location, text: p.tagText(b.Location)}
	}
}

// macro prepares a macro's defaults and body, and finds out whether its body reads varargs,
// kwargs and caller, which says what a call may give it (macros.go). A parameter of that
// name is no more than a parameter, as in Jinja2.
func (p *preparer) macro(at *tokens.Token, m *macro) {
	m.varargs = uses(m.body, "varargs") && !slices.Contains(m.params, "varargs")
	m.kwargs = uses(m.body, "kwargs") && !slices.Contains(m.params, "kwargs")
	m.caller = uses(m.body, "caller")
	if i := slices.Index(m.params, "caller"); m.caller && i >= 0 && m.defaults[i] == nil {
		p.fail(at, `the parameter "caller" of a macro that calls caller() needs a default`)
	}
	if m.caller {
		p.locals["caller"] = true
	}
	p.assigned(at, m.params...)
	for i, name := range m.params {
		p.locals[name] = true
		m.defaults[i] = p.expr(m.defaults[i])
	}
	loops := p.loops
	p.loops = 0
	p.guarded(at, m.body)
	p.loops = loops
}

// assigned refuses the names a tag assigns to (set, for, with, a macro's or a call block's
// parameters) that Jinja2 reads as constants: true, false and none, and their capitalised
// forms, which it cannot assign to.
func (p *preparer) assigned(at *tokens.Token, names ...string) {
	for _, name := range names {
		switch name {
		case "true", "false", "none", "True", "False", "None":
			p.fail(at, "can't assign to %q", name)
		}
	}
}

func (p *preparer) filter(f *nodes.FilterCall) {
	if !p.env.Filters.Exists(f.Name) {
		p.fail(f.Token, "unknown filter %q", f.Name)
	}
	p.exprs(f.Args)
	p.kwargs(f.Kwargs)
}

// refusingNone is x, at a place, failing with message where its value is None but not where it
// is undefined (python.go): the input of a filter that iterates or measures, a loop's items.
func (p *preparer) refusingNone(x nodes.Expression, at *tokens.Token, message string) nodes.Expression {
	name := fmt.Sprintf("\x00none#%d", p.env.sites)
	p.env.sites++
	p.env.Context.Set(name, refuseNone(x, message))
	return hiddenCall(name, at, x)
}

// expr checks an expression and returns it adapted for rendering: arithmetic becomes a call
// to this package's operators (ops.go).
func (p *preparer) expr(e nodes.Expression) nodes.Expression {
	if e == nil {
		return nil
	}
	n := p.node(e)
	if n == nil {
		return nil
	}
	return n.(nodes.Expression)
}

func (p *preparer) exprs(list []nodes.Expression) {
	for i, e := range list {
		list[i] = p.expr(e)
	}
}

func (p *preparer) kwargs(m map[string]nodes.Expression) {
	for k, e := range m {
		m[k] = p.expr(e)
	}
}

// inTest is e's in test (x in y, or x not in y), nil when e is not one.
func inTest(e nodes.Expression) *nodes.TestExpression {
	if n, ok := e.(*nodes.Negation); ok {
		e = n.Term
	}
	if t, ok := e.(*nodes.TestExpression); ok && t.Test.Name == "in" {
		return t
	}
	return nil
}

// rowSource reports whether a for loop over e goes over rows, which are never NULL: a child
// table of doc (doc.items, filtered or not) or comments. The items of another list may be None,
// whose fields are undefined, as in the ERP.
func rowSource(e nodes.Expression) bool {
	for {
		switch x := e.(type) {
		case *nodes.FilteredExpression:
			for _, f := range x.Filters {
				if f.Name == "map" {
					return false // map gives the rows' values
				}
			}
			e = x.Expression
		case *nodes.GetAttribute:
			n, ok := x.Node.(*nodes.Name)
			return ok && n.Name.Val == "doc"
		case *nodes.Name:
			return x.Name.Val == "comments"
		default:
			return false
		}
	}
}

// lastIn is the in test that ends e: e's own (see inTest), or the one that ends the right side
// of e's and or or, at any depth; nil when e ends otherwise.
func lastIn(e nodes.Expression) *nodes.TestExpression {
	for {
		if t := inTest(e); t != nil {
			return t
		}
		b, ok := e.(*nodes.BinaryExpression)
		if !ok || b.Operator.Token.Type != tokens.And && b.Operator.Token.Type != tokens.Or {
			return nil
		}
		e = b.Right
	}
}

// node is expr for the places where gonja keeps a nodes.Node.
func (p *preparer) node(e nodes.Node) nodes.Node {
	switch e := e.(type) {
	case *nodes.FilteredExpression:
		if t := lastIn(e.Expression); t != nil && len(t.Test.Args) == 1 && !p.closesBetween(t.Test.Token.Pos, e.Filters[0].Token.Pos) {
			// Jinja2's in is a comparison, looser than a filter: x in y|f is x in (y|f), and
			// a and x in y|f is a and x in (y|f), where gonja reads (x in y)|f and
			// (a and x in y)|f. Written (x in y)|f, it stays so.
			t.Test.Args[0] = &nodes.FilteredExpression{Expression: t.Test.Args[0], Filters: e.Filters}
			return p.node(e.Expression)
		}
		if slices.ContainsFunc(e.Filters, unpacksArgs) {
			return p.filtered(p.expr(e.Expression), e.Filters)
		}
		e.Expression = p.expr(e.Expression)
		if message, ok := noneRefused[e.Filters[0].Name]; ok {
			e.Expression = p.refusingNone(e.Expression, e.Filters[0].Token, message)
		}
		for _, f := range e.Filters {
			p.filter(f)
		}
	case *nodes.TestExpression:
		if b := p.bindTest(e, e, -1); b != nil {
			return p.node(b)
		}
		if n := e.Test.Name; n == "defined" || n == "undefined" {
			name := fmt.Sprintf("\x00%s#%d", n, p.env.sites)
			p.env.sites++
			p.env.tested = append(p.env.tested, e.Expression)
			// The test looks at the last name, attribute or item itself; what it is read from
			// evaluates as anywhere else ((doc.name * -1) is defined: Python's *, not gonja's).
			switch x := e.Expression.(type) {
			case *nodes.Name:
				if x.Name.Val == "none" {
					e.Expression = p.expr(x)
				}
			case *nodes.GetAttribute:
				x.Node = p.node(x.Node)
			case *nodes.GetItem:
				x.Node, x.Arg = p.node(x.Node), p.node(x.Arg)
			default:
				e.Expression = p.expr(e.Expression)
			}
			p.env.Context.Set(name, definedTest(e.Expression, n == "undefined"))
			return hiddenCall(name, e.Test.Token)
		}
		if chain := p.inChain(e, nil); chain != nil {
			return chain
		}
		return p.test(e, p.expr(e.Expression))
	case *nodes.Call:
		order, unpacks := p.unpacked(e.Args, e.Kwargs)
		if name, ok := e.Func.(*nodes.Name); ok && name.Name.Val == "dict" && len(e.Args) == 0 && len(e.Kwargs) > 0 {
			// dict(a=1, b=x) is the dict {"a": 1, "b": x} in the order written, as Jinja2's;
			// gonja gives a call's keywords as a map.
			d := &nodes.Dict{Token: e.Location}
			for _, k := range keywordOrder(e.Kwargs) {
				d.Pairs = append(d.Pairs, &nodes.Pair{Key: &nodes.String{Location: e.Kwargs[k].Position(), Val: k}, Value: e.Kwargs[k]})
			}
			return p.node(d)
		}
		p.lookupCall(e)
		if name, ok := e.Func.(*nodes.Name); ok {
			p.called = append(p.called, name)
			if len(e.Kwargs) > 1 && !p.env.functions[name.Name.Val] && !unpacks { // perhaps a macro's kwargs
				e.Func = p.keywordsInOrder(name, keywordOrder(e.Kwargs))
			}
		} else {
			// A method's receiver is both inside Func and its Parent: keep them one node. The
			// method's own x.name stays an attribute: methodCall reads it.
			ga, isAttr := e.Func.(*nodes.GetAttribute)
			sameParent := isAttr && e.Parent != nil && e.Parent == ga.Node
			if isAttr && !isFrappePath(ga) {
				ga.Node = p.node(ga.Node)
			} else {
				e.Func = p.node(e.Func)
			}
			if sameParent {
				e.Parent = ga.Node
			}
		}
		p.exprs(e.Args)
		p.kwargs(e.Kwargs)
		call := p.methodCall(e)
		if c, ok := call.(*nodes.Call); ok && unpacks {
			return p.applied(c, order)
		}
		return call
	case *nodes.GetAttribute:
		if path, at, ok := frappePath(e); ok {
			if slices.Equal(path, []string{"session", "user"}) || slices.Equal(path, []string{"user"}) {
				// The ERP's session user (frappe.session.user, frappe.user), the one who made
				// the change: per rendering.
				return hiddenCall("\x00session.user", at)
			}
			p.checkFrappe(path, at)
			return e
		}
		e.Node = p.node(e.Node)
		if target, ok := e.Node.(nodes.Expression); ok && strings.HasPrefix(e.Attribute, "_") {
			// Jinja2's sandbox finds a name starting with "_" unsafe: on the ERP's documents
			// (doc._assign, a row's _x) it is an undefined; doc.get("_assign") reads it.
			args := []nodes.Expression{target}
			if name, bare := target.(*nodes.Name); bare {
				args = append(args, &nodes.String{Location: e.Location, Val: name.Name.Val})
			}
			return hiddenCall("\x00unsafe", e.Location, args...)
		}
		// x.name where x may be NULL: the ERP's Jinja2 gives an undefined for NULL.name, where
		// gonja fails. A bare name also says which, so that a name never set still fails.
		if target, ok := e.Node.(nodes.Expression); ok && e.Attribute != "" {
			args := []nodes.Expression{target, &nodes.String{Location: e.Location, Val: e.Attribute}}
			if name, bare := target.(*nodes.Name); bare {
				if name.Name.Val == "doc" || p.rows[name.Name.Val] {
					return e // doc and a loop's rows are never NULL; docUse reads them as they are
				}
				args = append(args, &nodes.String{Location: e.Location, Val: name.Name.Val})
			}
			return hiddenCall("\x00attr", e.Location, args...)
		}
	case *nodes.GetItem:
		e.Node = p.node(e.Node)
		e.Arg = p.node(e.Arg)
		c, ok1 := e.Node.(nodes.Expression)
		k, ok2 := e.Arg.(nodes.Expression)
		if ok1 && ok2 {
			return hiddenCall("\x00item", e.Location, c, k)
		}
	case *nodes.GetSlice:
		e.Node = p.node(e.Node)
		e.Start = p.node(e.Start)
		e.End = p.node(e.End)
		e.Step = p.node(e.Step)
		return sliceCall(e)
	case *nodes.BinaryExpression:
		if terms, ops := p.chain(e); len(ops) > 1 {
			return p.chained(terms, ops)
		}
		logical := e.Operator.Token.Type == tokens.And || e.Operator.Token.Type == tokens.Or
		truthDiffers := logical && p.truthMayDiffer(e.Left)
		e.Left = p.expr(e.Left)
		e.Right = p.expr(e.Right)
		if logical {
			// gonja's and and or are Python's (lazy, giving an operand) but for the truth of
			// an empty dict the template wrote, which \x00truth gives them where the left
			// operand may be one (a call costs a microsecond).
			if truthDiffers {
				e.Left = hiddenCall("\x00truth", e.Operator.Token, e.Left)
			}
			return e
		}
		if t := e.Operator.Token.Type; t == tokens.Equals || t == tokens.Ne {
			return p.equality(e)
		}
		return operatorCall(e)
	case *nodes.Negation:
		if t, ok := e.Term.(*nodes.TestExpression); ok {
			if b := p.bindTest(t, e, e.Operator.Pos); b != nil {
				return p.node(b)
			}
			if chain := p.inChain(t, e.Operator); chain != nil {
				return chain
			}
		}
		return hiddenCall("\x00not", e.Operator, p.expr(e.Term))
	case *nodes.UnaryExpression:
		op := "\x00+x"
		if e.Negative {
			op = "\x00-x"
		}
		return hiddenCall(op, e.Operator, p.expr(e.Term))
	case *nodes.List:
		p.exprs(e.Val)
		for _, item := range e.Val {
			switch item.(type) {
			case *nodes.String, *nodes.Integer, *nodes.Float, *nodes.Bool, *nodes.None, *nodes.Name, *nodes.List:
			default:
				// An item that may fail fails the list, as in Python, where gonja keeps the
				// error as an item ([1 / 0] printed "[<errors.errorString Value>]").
				return hiddenCall("\x00list", e.Location, e.Val...)
			}
		}
	case *nodes.Tuple:
		p.exprs(e.Val)
		return hiddenCall("\x00tuple", e.Location, e.Val...)
	case *nodes.Dict:
		for _, pair := range e.Pairs {
			pair.Key = p.expr(pair.Key)
			pair.Value = p.expr(pair.Value)
		}
	case *nodes.Pair:
		e.Key = p.expr(e.Key)
		e.Value = p.expr(e.Value)
	case *nodes.Name:
		// gonja reads a call's arguments without their commas: f(a if b else c) would be
		// f(a, if, b, else, c), silently a. Jinja2 reserves these words.
		if n := e.Name.Val; n == "if" || n == "else" {
			p.fail(e.Name, "%s", conditionalInside)
		}
		if e.Name.Val == "none" {
			// Jinja2's none is None, as its None is; gonja reads only the latter.
			return &nodes.None{Location: e.Name}
		}
	}
	return e
}

// equality is e, an == or a != whose operands are prepared, as a call: Python's == (pyEqual),
// but where both operands are nil, Jinja2's, for which an undefined value equals another and
// not None (nothing == none is false, nothing == nothing2 true).
func (p *preparer) equality(e *nodes.BinaryExpression) nodes.Expression {
	negate := e.Operator.Token.Type == tokens.Ne
	left, right := e.Left, e.Right
	site := fmt.Sprintf("\x00eq#%d", p.env.sites)
	p.env.sites++
	p.env.Context.Set(site, func(ev *exec.Evaluator, va *exec.VarArgs) (any, error) {
		a, b := va.Args[0], va.Args[1]
		if a.IsNil() && b.IsNil() {
			return (undefinedNil(ev, left) == undefinedNil(ev, right)) != negate, nil
		}
		return pyEqual(stateOf(ev.Environment.Context).format.unescape, a, b) != negate, nil
	})
	return hiddenCall(site, e.Operator.Token, left, right)
}

// conditionalInside explains a conditional expression that gonja's parser cannot read, one
// without its else (the complete ones are rewritten: see conditionals).
const conditionalInside = "a conditional expression inside ( ), [ ] or a call's arguments needs its else: (x if c else y)"

// isFrappePath reports whether e is frappe.a.b...
func isFrappePath(e *nodes.GetAttribute) bool {
	_, _, ok := frappePath(e)
	return ok
}

// frappePath returns the attribute names of an expression frappe.a.b..., with the position of
// its first name.
func frappePath(e *nodes.GetAttribute) ([]string, *tokens.Token, bool) {
	var path []string
	var n nodes.Node = e
	for {
		switch x := n.(type) {
		case *nodes.GetAttribute:
			if x.Attribute == "" {
				return nil, nil, false
			}
			path = append(path, x.Attribute)
			n = x.Node
			continue
		case *nodes.Name:
			if x.Name.Val != "frappe" {
				return nil, nil, false
			}
			slices.Reverse(path)
			return path, x.Name, true
		}
		return nil, nil, false
	}
}

// sliceCall is x[start:stop:step] as a call of pySlice, which keeps a tuple's slice a tuple
// and fails as Python's on what does not slice; a bound left out is None.
func sliceCall(e *nodes.GetSlice) nodes.Expression {
	args := []nodes.Expression{}
	for _, n := range []nodes.Node{e.Node, e.Start, e.End, e.Step} {
		x, ok := n.(nodes.Expression)
		if !ok {
			x = &nodes.None{Location: e.Location}
		}
		args = append(args, x)
	}
	return hiddenCall("\x00slice", e.Location, args...)
}

// lookupCall records the document type a database read names as text, for Template.Reads.
func (p *preparer) lookupCall(e *nodes.Call) {
	ga, ok := e.Func.(*nodes.GetAttribute)
	if !ok {
		return
	}
	path, _, ok := frappePath(ga)
	if !ok || !isLookup(path) {
		return
	}
	switch path[len(path)-1] { // their argument is not a doctype
	case "get_fullname":
		p.env.doctypes = append(p.env.doctypes, "User")
		return
	case "get_system_settings":
		p.env.doctypes = append(p.env.doctypes, "System Settings")
		return
	}
	if len(e.Args) > 0 {
		if s, ok := e.Args[0].(*nodes.String); ok {
			p.env.doctypes = append(p.env.doctypes, s.Val)
		}
	}
}

// isLookup reports whether frappe.<path> is one of the database reads (lookup.go).
func isLookup(path []string) bool {
	return len(path) > 0 && slices.Contains([]string{"db", "get_all", "get_list", "get_doc", "get_cached_doc", "get_fullname", "get_system_settings"}, path[0]) ||
		len(path) == 2 && path[0] == "utils" && path[1] == "get_fullname"
}

func (p *preparer) checkFrappe(path []string, at *tokens.Token) {
	if isLookup(path) {
		p.env.reads = true
	}
	var v any = p.env.frappe
	for i, name := range path {
		m, ok := v.(map[string]any)
		if !ok {
			break
		}
		if strings.HasPrefix(name, "_") {
			// Jinja2's sandbox, the ERP's, refuses a name that starts with _ (frappe._ fails
			// there with a SecurityError): _("text") is the template's translation.
			p.fail(at, "frappe.%s: a name starting with _ is unsafe in the ERP's sandbox (write _(...))", strings.Join(path[:i+1], "."))
			return
		}
		if v, ok = m[name]; !ok {
			p.fail(at, "frappe.%s is not available in walnotify templates", strings.Join(path[:i+1], "."))
			return
		}
	}
}

// tagText is the source of the tag that starts at the given token ({% for x in y %}).
func (p *preparer) tagText(at *tokens.Token) string {
	start := min(at.Pos, len(p.src))
	end := strings.Index(p.src[start:], "%}")
	if end < 0 {
		return p.src[start:]
	}
	return p.src[start : start+end+len("%}")]
}

// compareOps are the operators Python chains: a < b < c is a < b and b < c.
var compareOps = map[tokens.Type]bool{
	tokens.Equals: true, tokens.Ne: true, tokens.LowerThan: true, tokens.LowerThanOrEqual: true,
	tokens.GreaterThan: true, tokens.GreaterThanOrEqual: true,
}

// chain returns the terms and operators of a comparison chain: gonja parses a < b < c as
// (a < b) < c, which compares a bool with c. A comparison written in parentheses, (a < b) < c,
// is one term, as in Python.
func (p *preparer) chain(e *nodes.BinaryExpression) ([]nodes.Expression, []*nodes.BinOperator) {
	if !compareOps[e.Operator.Token.Type] {
		return nil, nil
	}
	left, ok := e.Left.(*nodes.BinaryExpression)
	if !ok || !compareOps[left.Operator.Token.Type] || p.closesBetween(left.Operator.Token.Pos, e.Operator.Token.Pos) {
		return []nodes.Expression{e.Left, e.Right}, []*nodes.BinOperator{e.Operator}
	}
	terms, ops := p.chain(left)
	return append(terms, e.Right), append(ops, e.Operator)
}

// quoted steps a scan of src over text in quotes: it reports whether the byte at *i is in a
// string or opens or closes one, keeping the open quote in *quote and stepping over an
// escaped character.
func quoted(src string, i *int, quote *byte) bool {
	switch c := src[*i]; {
	case *quote != 0:
		if c == '\\' {
			*i++
		} else if c == *quote {
			*quote = 0
		}
		return true
	case c == '"' || c == '\'':
		*quote = c
		return true
	}
	return false
}

// bindTest rewrites "x op y is test" as "x op (y is test)", whole being the test (or its
// negation, "is not", whose not stands at notAt; -1 for a test without one): a Jinja2 test binds
// as a filter does, to the operand just before it (1 + 2 is odd is 1 + False, doc.qty == 3 is
// sameas true is doc.qty == False), where gonja tests the whole arithmetic or comparison. A
// bracketed operand stays whole ((doc.qty - 1) is even). Nil when there is nothing to rewrite;
// in, a comparison itself, is left as it is.
func (p *preparer) bindTest(t *nodes.TestExpression, whole nodes.Expression, notAt int) nodes.Expression {
	b, ok := t.Expression.(*nodes.BinaryExpression)
	if !ok || t.Test.Name == "in" || !p.boundByTest(b, t, notAt) {
		return nil
	}
	last := b
	for {
		r, ok := last.Right.(*nodes.BinaryExpression)
		if !ok || !p.boundByTest(r, t, notAt) {
			break
		}
		last = r
	}
	t.Expression = last.Right
	last.Right = whole
	return b
}

// boundByTest reports whether b's right operand is what the test t reads in Jinja2: b is
// arithmetic or a comparison, not closed by a bracket before the test, and the not of an "is
// not" (at notAt) comes after b's operator (a not before it negates the whole).
func (p *preparer) boundByTest(b *nodes.BinaryExpression, t *nodes.TestExpression, notAt int) bool {
	at := b.Operator.Token.Pos
	switch b.Operator.Token.Type {
	case tokens.And, tokens.Or:
		return false
	}
	return (notAt < 0 || notAt > at) && !p.closesBetween(at, t.Test.Token.Pos)
}

// closesBetween reports whether the text between two offsets closes a parenthesis it did not
// open: the first operator was inside parentheses that end before the second.
func (p *preparer) closesBetween(from, to int) bool {
	depth := 0
	var quote byte
	for i := from; i < to && i < len(p.src); i++ {
		switch c := p.src[i]; {
		case quoted(p.src, &i, &quote):
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			depth--
			if depth < 0 {
				return true
			}
		}
	}
	return false
}

// chained is a chain's comparisons joined by and, each term prepared once.
func (p *preparer) chained(terms []nodes.Expression, ops []*nodes.BinOperator) nodes.Expression {
	for i := range terms {
		terms[i] = p.expr(terms[i])
	}
	var out nodes.Expression
	for i, op := range ops {
		cmp := operatorCall(&nodes.BinaryExpression{Left: terms[i], Operator: op, Right: terms[i+1]})
		if out == nil {
			out = cmp
			continue
		}
		out = and(out, cmp, op.Token)
	}
	return out
}

// truthMayDiffer reports whether gonja's truth of e's value may not be Python's: only an empty
// dict the template wrote is false to Python and true to gonja, so a literal, a comparison, a
// test, not, arithmetic and a field of doc or of a row (the document's values, whose dicts are
// maps) never differ. e is not prepared yet.
func (p *preparer) truthMayDiffer(e nodes.Expression) bool {
	switch x := e.(type) {
	case *nodes.String, *nodes.Integer, *nodes.Float, *nodes.Bool, *nodes.None, *nodes.List, *nodes.Tuple,
		*nodes.Negation, *nodes.TestExpression, *nodes.UnaryExpression:
		return false
	case *nodes.BinaryExpression:
		if x.Operator.Token.Type == tokens.And || x.Operator.Token.Type == tokens.Or {
			return p.truthMayDiffer(x.Left) || p.truthMayDiffer(x.Right)
		}
		return false
	case *nodes.GetAttribute:
		for {
			switch n := x.Node.(type) {
			case *nodes.GetAttribute:
				x = n
				continue
			case *nodes.Name:
				return n.Name.Val != "doc" && !p.rows[n.Name.Val]
			}
			return true
		}
	}
	return true
}

// and is left and right, at a place.
func and(left, right nodes.Expression, at *tokens.Token) nodes.Expression {
	tok := *at
	tok.Type, tok.Val = tokens.And, "and"
	return &nodes.BinaryExpression{Left: left, Operator: &nodes.BinOperator{Token: &tok}, Right: right}
}

// inChain is t, an in test (not in when not, the not after x, is given), prepared as Python
// reads it when gonja has read it after a comparison chain: a < b in c is a < b and b in c
// (gonja's (a < b) in c asked whether a bool is in c). Nil when t is no such test.
func (p *preparer) inChain(t *nodes.TestExpression, not *tokens.Token) nodes.Expression {
	bin, ok := t.Expression.(*nodes.BinaryExpression)
	if t.Test.Name != "in" || !ok || !compareOps[bin.Operator.Token.Type] ||
		p.closesBetween(bin.Operator.Token.Pos, t.Test.Token.Pos) ||
		not != nil && not.Pos < bin.Operator.Token.Pos { // not (a < b in c)
		return nil
	}
	terms, ops := p.chain(bin)
	chain := p.chained(terms, ops)
	var in nodes.Expression = p.test(t, terms[len(terms)-1])
	if not != nil {
		in = hiddenCall("\x00not", not, in)
	}
	return and(chain, in, t.Test.Token)
}

// test is the test t of x, already prepared: a call that runs it. gonja runs a test on a
// failed expression as on a value ((1 + "x") in [1] was False); as a call's argument, the
// expression's error ends the rendering, as in the ERP. The test's arguments follow the
// expression, so that DocFields sees them ("b" in doc).
func (p *preparer) test(t *nodes.TestExpression, x nodes.Expression) nodes.Expression {
	if !p.env.Tests.Exists(t.Test.Name) {
		p.fail(t.Test.Token, "unknown test %q", t.Test.Name)
	}
	order, unpacks := p.unpacked(t.Test.Args, t.Test.Kwargs)
	p.exprs(t.Test.Args)
	p.kwargs(t.Test.Kwargs)
	if t.Test.Name == "none" && len(t.Test.Args) == 0 && len(t.Test.Kwargs) == 0 {
		// Jinja2's undefined is not None: a name never set, a key the dict lacks.
		site := fmt.Sprintf("\x00isnone#%d", p.env.sites)
		p.env.sites++
		p.env.Context.Set(site, func(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
			return va.Args[0].IsNil() && !undefinedNil(e, x), nil
		})
		return hiddenCall(site, t.Test.Token, x)
	}
	name := &nodes.String{Location: t.Test.Token, Val: t.Test.Name}
	call := hiddenCall("\x00is", t.Test.Token, append([]nodes.Expression{name, x}, t.Test.Args...)...)
	call.Kwargs = t.Test.Kwargs
	if unpacks {
		return p.applied(call, order)
	}
	return call
}

// trimRaw trims a raw block's text as Jinja2 does, which gonja leaves as it is: after
// {% raw -%} the white space it starts with, before {%- endraw %} the white space it ends with.
// data is the block's text, which gonja writes as it is.
func trimRaw(src string, data *tokens.Token) {
	text := data.Val
	if strings.HasSuffix(src[:data.Pos], "-%}") {
		text = strings.TrimLeftFunc(text, pystr.IsSpace)
	}
	if strings.HasPrefix(src[data.Pos+len(data.Val):], "{%-") {
		text = strings.TrimRightFunc(text, pystr.IsSpace)
	}
	data.Val = text
}
