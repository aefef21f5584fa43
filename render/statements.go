package render

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	controlStructures "github.com/nikolalohinski/gonja/v2/builtins/control_structures"
	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/parser"
	"github.com/nikolalohinski/gonja/v2/tokens"
)

// The statements this package adds to gonja's. set, with and filter replace gonja's own so that
// the compile-time checks (prepare) can see every expression and every body inside them; the
// others are put into the parsed tree by prepare: printNode replaces {{ }} so that values print
// as Python prints them and every error carries its position, guard counts loop iterations and
// macro calls, and positioned gives gonja's statements' errors a position.

// blockBody parses a block tag's body up to its end tag ("endset", ...), which takes no
// arguments.
func blockBody(p *parser.Parser, endTag string) (*nodes.Wrapper, error) {
	body, end, err := p.WrapUntil(endTag)
	if err != nil {
		return nil, err
	}
	if !end.End() {
		return nil, end.Error(endTag+" takes no arguments", end.Current())
	}
	return body, nil
}

// posError gives err the position of the statement or expression that failed, and a message
// made of that statement's text and the first cause, without gonja's chain of wrappers.
func posError(at *tokens.Token, text string, err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	msg := hiddenCallText.ReplaceAllString(cause(err).Error(), "")
	if text != "" {
		msg = text + ": " + msg
	}
	return &Error{Line: at.Line, Column: at.Col, Msg: msg, err: err, stmt: text}
}

// hiddenCallText is how gonja names a call of this package's operators and methods (ops.go,
// budget.go) and of loop's (loop.cycle()) in its errors: noise for the admin.
var hiddenCallText = regexp.MustCompile("invalid call to function '(\x00|walnotify/render\\.)[^']*': ")

// cause is the error that started err's chain of wrappers, or the first *Error in it.
func cause(err error) error {
	for {
		switch err.(type) {
		case *Error, *budgetError:
			return err
		}
		if v, ok := err.(*exec.Value); ok {
			if inner, ok := v.Interface().(error); ok {
				err = inner
				continue
			}
		}
		if inner := errors.Unwrap(err); inner != nil {
			err = inner
			continue
		}
		return err
	}
}

// evalConditional evaluates "expr if condition else alternative" (condition may be nil).
func evalConditional(r *exec.Renderer, expr, condition, alternative nodes.Expression) *exec.Value {
	e := evaluator(r)
	if condition != nil {
		c := e.Eval(condition)
		switch {
		case c.IsError():
			return c
		case !truthy(c) && alternative == nil:
			return exec.AsValue(nil)
		case !truthy(c):
			return e.Eval(alternative)
		}
	}
	return e.Eval(expr)
}

// emit writes a value as it prints, counting what {{ }} prints anywhere (macro and block
// bodies included) against MaxOutput.
func emit(r *exec.Renderer, at *tokens.Token, v *exec.Value) error {
	st := renderState(r)
	if !v.IsString() {
		if err := st.chargeText(v.Interface()); err != nil {
			return posError(at, "", err)
		}
	}
	s := display(v)
	st.printed += len(s)
	if st.printed > MaxOutput {
		return posError(at, "", st.exceed(overBudget("output exceeds %d bytes", MaxOutput)))
	}
	_, err := io.WriteString(r.Output, s)
	return err
}

// printNode replaces gonja's {{ }} output node.
type printNode struct {
	out  *nodes.Output
	text string // its source, for errors
}

func (n *printNode) Position() *tokens.Token { return n.out.Start }
func (n *printNode) String() string          { return n.out.String() }

func (n *printNode) Execute(r *exec.Renderer, _ *nodes.ControlStructureBlock) error {
	v := evalConditional(r, n.out.Expression, n.out.Condition, n.out.Alternative)
	if v.IsError() {
		return posError(n.out.Start, n.text, v)
	}
	return emit(r, n.out.Start, v)
}

// guard counts one loop iteration or macro call and one level of nesting around a body.
type guard struct {
	at   *tokens.Token
	body *nodes.Wrapper
}

func (g *guard) Position() *tokens.Token { return g.at }
func (g *guard) String() string          { return "guard" }

func (g *guard) Execute(r *exec.Renderer, _ *nodes.ControlStructureBlock) error {
	st := renderState(r)
	st.steps++
	if st.steps > st.limits.MaxSteps {
		return posError(g.at, "", st.exceed(overBudget("stopped after %d loop iterations and macro calls", st.limits.MaxSteps)))
	}
	if err := st.inTime(); err != nil {
		return posError(g.at, "", err)
	}
	st.depth++
	defer func() { st.depth-- }()
	if st.depth > MaxDepth {
		return posError(g.at, "", fmt.Errorf("loops and macro calls nested more than %d deep", MaxDepth))
	}
	return nodes.Walk(r, g.body)
}

// positioned gives the errors of one of gonja's statements the statement's position.
type positioned struct {
	exec.ControlStructure
	at   *tokens.Token
	text string // the tag's source, for errors
}

func (p *positioned) Execute(r *exec.Renderer, b *nodes.ControlStructureBlock) error {
	err := p.ControlStructure.Execute(r, b)
	if err == nil || isLoopControl(err) {
		return err
	}
	return posError(p.at, p.text, err)
}

func isLoopControl(err error) bool {
	var brk *controlStructures.LoopBreakError
	var cont *controlStructures.LoopContinueError
	return errors.As(err, &brk) || errors.As(err, &cont)
}

// setStatement is {% set name = expr [if cond else alt] %}, {% set a, b = expr %} unpacking
// as Python does, {% set ns.attr = ... %} for a namespace(), and the block form {% set name
// %}...{% endset %}, whose text may go through filters first: {% set name|upper %}.
type setStatement struct {
	at          *tokens.Token
	target      nodes.Expression // *nodes.Name or *nodes.GetAttribute
	names       []string         // a, b: the names the value unpacks into
	value       nodes.Expression
	condition   nodes.Expression
	alternative nodes.Expression
	body        *nodes.Wrapper
	filters     []*nodes.FilterCall // the block form's
}

func (s *setStatement) Position() *tokens.Token { return s.at }
func (s *setStatement) String() string          { return "set" }

func parseSet(p *parser.Parser, args *parser.Parser) (nodes.ControlStructure, error) {
	s := &setStatement{at: args.Current()}
	target, err := args.ParseVariableOrLiteral()
	if err != nil {
		return nil, err
	}
	switch target.(type) {
	case *nodes.Name, *nodes.GetAttribute:
		s.target = target
	default:
		return nil, args.Error("set can only assign a name or an attribute of a namespace()", s.at)
	}
	for args.Match(tokens.Comma) != nil {
		first, ok := target.(*nodes.Name)
		name := args.Match(tokens.Name)
		if !ok || name == nil {
			return nil, args.Error("set can unpack into names only", s.at)
		}
		if s.names == nil {
			s.names = []string{first.Name.Val}
		}
		s.names = append(s.names, name.Val)
	}
	if args.Match(tokens.Assign) == nil {
		if s.names == nil && args.Match(tokens.Pipe) != nil {
			if s.filters, err = parseFilters(args); err != nil {
				return nil, err
			}
		}
		if !args.End() || s.names != nil {
			return nil, args.Error("expected '=' in set", args.Current())
		}
		body, err := blockBody(p, "endset")
		if err != nil {
			return nil, err
		}
		s.body = body
		return s, nil
	}
	at := args.Current()
	if s.value, err = args.ParseExpression(); err != nil {
		return nil, err
	}
	if args.Match(tokens.Comma) != nil { // a, b = 1, 2: the value is a tuple, as in Python
		t := &nodes.Tuple{Location: at, Val: []nodes.Expression{s.value}}
		for !args.End() {
			item, err := args.ParseExpression()
			if err != nil {
				return nil, err
			}
			t.Val = append(t.Val, item)
			if args.Match(tokens.Comma) == nil {
				break
			}
		}
		s.value = t
	} else if s.condition, s.alternative, err = args.ParseCondition(); err != nil {
		return nil, err
	}
	if !args.End() {
		return nil, args.Error("unexpected text in set", args.Current())
	}
	return s, nil
}

func (s *setStatement) Execute(r *exec.Renderer, _ *nodes.ControlStructureBlock) error {
	var value *exec.Value
	if s.body != nil {
		b := &blockWriter{st: renderState(r)}
		sub := r.Inherit()
		sub.Output = b
		if err := sub.ExecuteWrapper(s.body); err != nil {
			return err
		}
		if value = applyFilters(r, s.filters, exec.AsValue(b.String())); value.IsError() {
			return value.Interface().(error)
		}
	} else if value = evalConditional(r, s.value, s.condition, s.alternative); value.IsError() {
		return posError(s.at, "set", value)
	}
	if s.names != nil {
		values, err := unpack(value, len(s.names))
		if err != nil {
			return posError(s.at, "set", err)
		}
		for i, name := range s.names {
			r.Environment.Context.Set(name, values[i])
		}
		return nil
	}
	switch t := s.target.(type) {
	case *nodes.Name:
		r.Environment.Context.Set(t.Name.Val, value.Interface())
	case *nodes.GetAttribute:
		ns, ok := r.Eval(t.Node).Interface().(*namespace)
		if !ok {
			return posError(s.at, "set", fmt.Errorf("cannot set %s: only the attributes of a namespace() can be set", t))
		}
		ns.attrs[t.Attribute] = value.Interface()
	}
	return nil
}

// unpack is Python's a, b = v into n names: a text by characters, a list or tuple by items, a
// dict by keys; anything else, or another count, is Python's error.
func unpack(v *exec.Value, n int) ([]any, error) {
	var values []any
	switch {
	case v.IsString():
		values = characters(v.String())
	case v.IsList():
		values = items(v)
	default:
		ps, ok := pairs(v)
		if !ok {
			return nil, fmt.Errorf("TypeError: cannot unpack non-iterable %s object", pyType(v))
		}
		for _, p := range ps {
			values = append(values, p[0])
		}
	}
	switch {
	case len(values) > n:
		return nil, fmt.Errorf("ValueError: too many values to unpack (expected %d)", n)
	case len(values) < n:
		return nil, fmt.Errorf("ValueError: not enough values to unpack (expected %d, got %d)", n, len(values))
	}
	return values, nil
}

// withStatement is {% with a = expr, b = expr %}...{% endwith %}.
type withStatement struct {
	at     *tokens.Token
	names  []string
	values []nodes.Expression
	body   *nodes.Wrapper
}

func (w *withStatement) Position() *tokens.Token { return w.at }
func (w *withStatement) String() string          { return "with" }

func parseWith(p *parser.Parser, args *parser.Parser) (nodes.ControlStructure, error) {
	w := &withStatement{at: args.Current()}
	for !args.End() {
		name := args.Match(tokens.Name)
		if name == nil {
			return nil, args.Error("expected a name in with", args.Current())
		}
		if args.Match(tokens.Assign) == nil {
			return nil, args.Error("expected '=' in with", args.Current())
		}
		value, err := args.ParseExpression()
		if err != nil {
			return nil, err
		}
		w.names = append(w.names, name.Val)
		w.values = append(w.values, value)
		if args.Match(tokens.Comma) == nil && !args.End() {
			return nil, args.Error("expected ',' in with", args.Current())
		}
	}
	body, err := blockBody(p, "endwith")
	if err != nil {
		return nil, err
	}
	w.body = body
	return w, nil
}

func (w *withStatement) Execute(r *exec.Renderer, _ *nodes.ControlStructureBlock) error {
	sub := r.Inherit()
	for i, name := range w.names {
		v := r.Eval(w.values[i])
		if v.IsError() {
			return posError(w.values[i].Position(), "with "+w.names[i], v)
		}
		sub.Environment.Context.Set(name, v.Interface())
	}
	return sub.ExecuteWrapper(w.body)
}

// filterBlock is {% filter name(args)|name2 %}...{% endfilter %}.
type filterBlock struct {
	at      *tokens.Token
	filters []*nodes.FilterCall
	body    *nodes.Wrapper
}

func (f *filterBlock) Position() *tokens.Token { return f.at }
func (f *filterBlock) String() string          { return "filter" }

func parseFilterBlock(p *parser.Parser, args *parser.Parser) (nodes.ControlStructure, error) {
	f := &filterBlock{at: args.Current()}
	var err error
	if f.filters, err = parseFilters(args); err != nil {
		return nil, err
	}
	if !args.End() {
		return nil, args.Error("unexpected text in filter", args.Current())
	}
	body, err := blockBody(p, "endfilter")
	if err != nil {
		return nil, err
	}
	f.body = body
	return f, nil
}

func (f *filterBlock) Execute(r *exec.Renderer, _ *nodes.ControlStructureBlock) error {
	b := &blockWriter{st: renderState(r)}
	sub := r.Inherit()
	sub.Output = b
	if err := sub.ExecuteWrapper(f.body); err != nil {
		return err
	}
	value := applyFilters(r, f.filters, exec.AsValue(b.String()))
	if value.IsError() {
		return value.Interface().(error)
	}
	if !value.IsString() {
		// Jinja2 writes the block's value into its output as it is, which joins texts only
		// ({% filter wordcount %} fails there; {% set n | wordcount %} holds the number).
		return fmt.Errorf("TypeError: expected str instance, %s found", pyType(value))
	}
	return emit(r, f.at, value)
}

// parseFilters parses the filters of a filter block or a set block: name(args)|name2...
func parseFilters(args *parser.Parser) ([]*nodes.FilterCall, error) {
	var filters []*nodes.FilterCall
	for {
		call, err := args.ParseFilter()
		if err != nil {
			return nil, err
		}
		filters = append(filters, call)
		if args.Match(tokens.Pipe) == nil {
			return filters, nil
		}
	}
}

// applyFilters runs a block's text through its filters, in order; a failing one gives an
// error value with its position.
func applyFilters(r *exec.Renderer, filters []*nodes.FilterCall, value *exec.Value) *exec.Value {
	for _, call := range filters {
		if value = r.Evaluator().ExecuteFilter(call, value); value.IsError() {
			return exec.AsValue(posError(call.Token, "filter "+call.Name, value))
		}
	}
	return value
}

// blockWriter collects the text of a set or filter block.
type blockWriter struct {
	strings.Builder
	st *state
}

func (w *blockWriter) state() *state { return w.st }
