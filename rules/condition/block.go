package condition

import (
	"maps"
	"slices"
	"strings"

	"github.com/expr-lang/expr/ast"
)

// Dokos runs a condition as the body of a function (safe_block_eval, with server scripts
// enabled): statements on several lines, names assigned and read, if/elif/else, loops, and a
// return whose value's truth is the condition's. A lone expression is returned, as here. This
// file reads such a block and translates it to one expression: an assignment binds its name
// over the statements after it (expr's let), an if statement is a conditional whose two
// branches each go on with the statements after the if, and a loop is a reduce over its
// items that carries the names it assigns and stops at a return (see loop).

type (
	stmt interface{ at() int }

	// assignStmt is "name = value", or "name op= value" (op "+", "-", ...).
	assignStmt struct {
		pos   int // the name
		name  string
		op    string
		value node
	}
	// returnStmt is "return value"; value is nil for a bare return (None).
	returnStmt struct {
		pos   int
		value node
	}
	// ifStmt is if/elif/else: an elif is an ifStmt alone in els.
	ifStmt struct {
		pos       int
		cond      node
		then, els []stmt
	}
	// forStmt is "for name in iter:", its statements, and those of its else, which run when
	// the loop ends without a break.
	forStmt struct {
		pos       int
		name      string
		iter      node
		body, els []stmt
	}
	exprStmt struct{ value node }
	passStmt struct{ pos int }
	// jumpStmt is break or continue.
	jumpStmt struct {
		pos int
		brk bool
	}

	// blockExpr is a condition of statements, what parse returns for one.
	blockExpr struct {
		pos   int
		stmts []stmt
	}
)

func (s *assignStmt) at() int { return s.pos }
func (s *returnStmt) at() int { return s.pos }
func (s *ifStmt) at() int     { return s.pos }
func (s *forStmt) at() int    { return s.pos }
func (s *exprStmt) at() int   { return s.value.at() }
func (s *passStmt) at() int   { return s.pos }
func (s *jumpStmt) at() int   { return s.pos }
func (b *blockExpr) at() int  { return b.pos }

// augmented are the augmented assignments a block takes, by their binary operator.
var augmented = map[string]string{"+=": "+", "-=": "-", "*=": "*", "/=": "/", "//=": "//", "%=": "%", "**=": "**"}

// maxStatements bounds the statements a block's translation holds: the statements after an if
// statement are translated once in each of its branches.
const maxStatements = 2000

// parseBlock reads toks, which hold line breaks outside brackets, as the statements of a
// function body. Only the statements a condition needs are read: assignments to a name,
// if/elif/else, for, return, pass and expressions.
func parseBlock(src []rune, toks []token) (*blockExpr, *Error) {
	toks, err := indentation(src, toks)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, block: true}
	stmts, err := p.statements()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); !t.is(tEOF) {
		return nil, p.unexpected(t)
	}
	return &blockExpr{pos: toks[0].pos, stmts: stmts}, nil
}

// indentation turns the line breaks of toks into Python's tokens of a block: each line break
// is followed by an indent when the next line is indented more than the block it ends, by a
// dedent for each block the next line closes, and the text ends with a line break and the
// dedents of the blocks still open.
func indentation(src []rune, toks []token) ([]token, *Error) {
	stack := []int{indentOf(src, toks[0].pos)}
	out := make([]token, 0, len(toks)+8)
	for i, t := range toks {
		switch t.kind {
		case tNewline:
			out = append(out, t)
			next := toks[i+1]
			w := indentOf(src, next.pos)
			if w > stack[len(stack)-1] {
				stack = append(stack, w)
				out = append(out, token{kind: tIndent, pos: next.pos})
				continue
			}
			for len(stack) > 1 && w < stack[len(stack)-1] {
				stack = stack[:len(stack)-1]
				out = append(out, token{kind: tDedent, pos: next.pos})
			}
			if w != stack[len(stack)-1] {
				return nil, errorAt(next.pos, "IndentationError: unindent does not match any outer indentation level")
			}
		case tEOF:
			out = append(out, token{kind: tNewline, pos: t.pos})
			for range stack[1:] {
				out = append(out, token{kind: tDedent, pos: t.pos})
			}
			out = append(out, t)
		default:
			out = append(out, t)
		}
	}
	return out, nil
}

// indentOf is the width of the white space that begins the line of the character at pos, a
// tab reaching the next multiple of 8, as Python counts it.
func indentOf(src []rune, pos int) int {
	start := pos
	for start > 0 && src[start-1] != '\n' && src[start-1] != '\r' {
		start--
	}
	w := 0
	for _, r := range src[start:pos] {
		if r == '\t' {
			w = w/8*8 + 8
		} else {
			w++
		}
	}
	return w
}

// statements reads statements up to the end of their block (a dedent) or of the text.
func (p *parser) statements() ([]stmt, *Error) {
	var out []stmt
	for t := p.peek(); !t.is(tEOF) && !t.is(tDedent); t = p.peek() {
		s, err := p.statement()
		if err != nil {
			return nil, err
		}
		out = append(out, s...)
	}
	return out, nil
}

// statement reads an if statement, or a line of simple statements.
func (p *parser) statement() ([]stmt, *Error) {
	switch t := p.peek(); {
	case t.isName("if"):
		s, err := p.ifStatement()
		return []stmt{s}, err
	case t.isName("for"):
		s, err := p.forStatement()
		return []stmt{s}, err
	}
	return p.simpleStatements()
}

func (p *parser) forStatement() (*forStmt, *Error) {
	s := &forStmt{pos: p.next().pos}
	var err *Error
	if s.name, err = p.loopName("a loop"); err != nil {
		return nil, err
	}
	if s.iter, err = p.expr(); err != nil {
		return nil, err
	}
	if s.body, err = p.suite(); err != nil {
		return nil, err
	}
	if p.peek().isName("else") {
		p.next()
		if s.els, err = p.suite(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (p *parser) ifStatement() (*ifStmt, *Error) {
	s := &ifStmt{pos: p.next().pos}
	var err *Error
	if s.cond, err = p.expr(); err != nil {
		return nil, err
	}
	if s.then, err = p.suite(); err != nil {
		return nil, err
	}
	switch t := p.peek(); {
	case t.isName("elif"):
		elif, err := p.ifStatement()
		if err != nil {
			return nil, err
		}
		s.els = []stmt{elif}
	case t.isName("else"):
		p.next()
		if s.els, err = p.suite(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// suite reads ": statements", on the same line or as an indented block.
func (p *parser) suite() ([]stmt, *Error) {
	if err := p.expect(":"); err != nil {
		return nil, err
	}
	if !p.peek().is(tNewline) {
		return p.simpleStatements()
	}
	p.next()
	if t := p.peek(); !t.is(tIndent) {
		return nil, errorAt(t.pos, "IndentationError: expected an indented block")
	}
	p.next()
	stmts, err := p.statements()
	if err != nil {
		return nil, err
	}
	p.next() // the dedent
	return stmts, nil
}

// simpleStatements reads simple statements separated by ";" up to the end of their line.
func (p *parser) simpleStatements() ([]stmt, *Error) {
	var out []stmt
	for {
		s, err := p.simpleStatement()
		if err != nil {
			return nil, err
		}
		if s != nil {
			out = append(out, s)
		}
		if !p.accept(";") || p.peek().is(tNewline) {
			break
		}
	}
	if t := p.next(); !t.is(tNewline) {
		return nil, p.unexpected(t)
	}
	return out, nil
}

func (p *parser) simpleStatement() (stmt, *Error) {
	t := p.peek()
	switch {
	case t.isName("return"):
		p.next()
		if n := p.peek(); n.is(tNewline) || n.isOp(";") {
			return &returnStmt{pos: t.pos}, nil
		}
		v, err := p.expr()
		if err != nil {
			return nil, err
		}
		if n := p.peek(); n.isOp(",") {
			return nil, errorAt(n.pos, "a condition returns one value: remove this %q or put the tuple in parentheses", ",")
		}
		return &returnStmt{pos: t.pos, value: v}, nil
	case t.isName("pass"):
		p.next()
		return &passStmt{pos: t.pos}, nil
	case t.isName("break"), t.isName("continue"):
		p.next()
		return &jumpStmt{pos: t.pos, brk: t.isName("break")}, nil
	case t.is(tName) && !t.isKeyword():
		if n := p.toks[p.i+1]; n.isOp("=") || n.kind == tOp && augmented[n.text] != "" {
			p.i += 2
			v, err := p.expr()
			if err != nil {
				return nil, err
			}
			if n.isOp("=") && p.peek().isOp("=") {
				return nil, errorAt(p.peek().pos, "chained assignment is not supported: assign one name at a time")
			}
			return &assignStmt{pos: t.pos, name: t.text, op: augmented[n.text], value: v}, nil
		}
	case t.isName("elif"), t.isName("else"):
		return nil, p.unexpected(t)
	case t.isKeyword() && !t.isName("not") && !t.isName("lambda") && !t.isName("None") && !t.isName("True") && !t.isName("False") && !t.isName("await") && !t.isName("yield"):
		return nil, errorAt(t.pos, "%q is not supported in a condition's statements (assignments, if/elif/else, for, break, continue, return and pass are)", t.text)
	}
	v, err := p.expr()
	if err != nil {
		return nil, err
	}
	if n := p.peek(); n.isOp("=") || n.kind == tOp && augmented[n.text] != "" {
		return nil, errorAt(n.pos, "only a name can be assigned in a condition (a document is not changed by its condition)")
	}
	if name, item, ok := appended(v); ok {
		// name.append(item) is name += [item]: a new list, as += makes one.
		return &assignStmt{pos: name.pos, name: name.name, op: "+", value: &seqExpr{pos: item.at(), items: []node{item}}}, nil
	}
	return &exprStmt{value: v}, nil
}

// appended reads "name.append(item)", a statement that appends to a list a name holds.
func appended(v node) (*nameExpr, node, bool) {
	call, ok := v.(*callExpr)
	if !ok || len(call.args) != 1 || len(call.kwargs) != 0 {
		return nil, nil, false
	}
	method, ok := call.fn.(*attrExpr)
	if !ok || method.name != "append" {
		return nil, nil, false
	}
	name, ok := method.x.(*nameExpr)
	return name, call.args[0], ok
}

// assignable refuses the names whose meaning conditions fix: the document, frappe and the
// functions they call by name.
func assignable(s *assignStmt) *Error {
	if _, ok := builtins[s.name]; ok || s.name == "doc" || s.name == "frappe" || s.name == "utils" {
		return errorAt(s.pos, "%s cannot be assigned in a condition: choose another name", s.name)
	}
	return nil
}

// returns reports whether a block returns a value anywhere: one that does not (or returns
// only None) is never true.
func returns(stmts []stmt) bool {
	for _, s := range stmts {
		switch s := s.(type) {
		case *returnStmt:
			if s.value != nil {
				return true
			}
		case *ifStmt:
			if returns(s.then) || returns(s.els) {
				return true
			}
		case *forStmt:
			if returns(s.body) || returns(s.els) {
				return true
			}
		}
	}
	return false
}

// assigned adds the names the statements assign, anywhere, to names.
func assigned(stmts []stmt, names map[string]bool) {
	for _, s := range stmts {
		switch s := s.(type) {
		case *assignStmt:
			names[s.name] = true
		case *ifStmt:
			assigned(s.then, names)
			assigned(s.els, names)
		case *forStmt:
			names[s.name] = true
			assigned(s.body, names)
			assigned(s.els, names)
		}
	}
}

// block translates a condition of statements: the truth of what it returns, false when it
// returns nothing (None).
func (t *translator) block(b *blockExpr) (ast.Node, *Error) {
	if !returns(b.stmts) {
		return nil, errorAt(b.pos, "these statements return nothing, so the condition is never true: end them with return and the condition's value")
	}
	t.assigned, t.locals, t.maybeUnbound = map[string]bool{}, map[string][]string{}, map[string]bool{}
	assigned(b.stmts, t.assigned)
	return t.statements(b.stmts, b.pos)
}

// statements translates ss, which run in order to the end of the block or to a return.
func (t *translator) statements(ss []stmt, end int) (ast.Node, *Error) {
	if t.translated++; t.translated > maxStatements {
		return nil, errorAt(end, "too many statements after if statements: each if goes on with the statements after it, %d in all at most", maxStatements)
	}
	if len(ss) == 0 {
		return t.fallThrough(end), nil
	}
	rest := ss[1:]
	switch s := ss[0].(type) {
	case *returnStmt:
		if s.value == nil {
			return t.ret(at(&ast.BoolNode{Value: false}, s.pos)), nil
		}
		v, err := t.cond(s.value)
		if err != nil {
			return nil, err
		}
		return t.ret(v), nil
	case *passStmt:
		return t.statements(rest, end)
	case *jumpStmt:
		if t.loopCarried == nil {
			return nil, errorAt(s.pos, "SyntaxError: %s outside loop", map[bool]string{true: "'break'", false: "'continue'"}[s.brk])
		}
		if s.brk {
			return t.carry(2, s.pos), nil
		}
		return t.carry(0, s.pos), nil // the next item
	case *exprStmt:
		v, err := t.value(s.value)
		if err != nil {
			return nil, err
		}
		after, err := t.statements(rest, end)
		if err != nil {
			return nil, err
		}
		return at(&ast.VariableDeclaratorNode{Name: t.newVar(), Value: v, Expr: after}, s.at()), nil
	case *assignStmt:
		if err := assignable(s); err != nil {
			return nil, err
		}
		var value node = s.value
		if s.op != "" {
			value = &binaryExpr{pos: s.pos, op: s.op, x: &nameExpr{pos: s.pos, name: s.name}, y: s.value}
		}
		v, err := t.value(value)
		if err != nil {
			return nil, err
		}
		// expr declares a variable once: each assignment binds a new one.
		name := t.newVar() + "." + s.name
		t.locals[s.name] = append(t.locals[s.name], name)
		after, err := t.statements(rest, end)
		t.locals[s.name] = t.locals[s.name][:len(t.locals[s.name])-1]
		if err != nil {
			return nil, err
		}
		return at(&ast.VariableDeclaratorNode{Name: name, Value: v, Expr: after}, s.pos), nil
	case *ifStmt:
		c, err := t.cond(s.cond)
		if err != nil {
			return nil, err
		}
		then, err := t.statements(append(s.then[:len(s.then):len(s.then)], rest...), end)
		if err != nil {
			return nil, err
		}
		els, err := t.statements(append(s.els[:len(s.els):len(s.els)], rest...), end)
		if err != nil {
			return nil, err
		}
		return at(&ast.ConditionalNode{Cond: c, Exp1: then, Exp2: els}, s.pos), nil
	case *forStmt:
		return t.loop(s, rest, end)
	}
	panic("unknown statement")
}

// loop translates a for statement and the statements after it, with expr's reduce over the
// items. Its accumulator is a list [state, value, carried...]: state 1 once the loop's
// statements returned value, 2 once they broke out of the loop (the later items then pass it
// on untouched, as Python stops there; a loop's else is skipped after a break), 0 while they
// go on, carrying the names the loop assigns (in sorted order) from one
// item to the next. After the loop, a returned value is the block's (or the enclosing loop's)
// return; otherwise the statements after the loop run with the names as the loop left them.
func (t *translator) loop(s *forStmt, rest []stmt, end int) (ast.Node, *Error) {
	names := map[string]bool{s.name: true} // after the loop, its name is the last item's
	assigned(s.body, names)
	carried := slices.Sorted(maps.Keys(names))
	iter, err := t.value(s.iter)
	if err != nil {
		return nil, err
	}
	pos := func(n ast.Node) ast.Node { return at(n, s.pos) }
	num := func(i int) ast.Node { return pos(&ast.IntegerNode{Value: i}) }
	item := func(list ast.Node, i int) ast.Node { return pos(&ast.MemberNode{Node: list, Property: num(i)}) }
	acc := pos(&ast.PointerNode{Name: "acc"})

	// Before the loop: each carried name as bound on the way here, or unbound.
	start := []ast.Node{num(0), pos(&ast.NilNode{})}
	for _, name := range carried {
		if vars := t.locals[name]; len(vars) > 0 {
			start = append(start, ref(vars[len(vars)-1], s.pos))
		} else {
			start = append(start, pos(&ast.ConstantNode{Value: unboundValue{}}))
		}
	}

	// One item: the carried names from the accumulator, the loop's name, the statements.
	bind := func(values ast.Node, from int) func(ast.Node) ast.Node {
		var wraps []func(ast.Node) ast.Node
		for k, name := range carried {
			v := t.newVar() + "." + name
			t.locals[name] = append(t.locals[name], v)
			t.maybeUnbound[v] = true
			value := item(values, from+k)
			wraps = append(wraps, func(body ast.Node) ast.Node {
				return pos(&ast.VariableDeclaratorNode{Name: v, Value: value, Expr: body})
			})
		}
		return func(body ast.Node) ast.Node {
			for k := len(wraps) - 1; k >= 0; k-- {
				body = wraps[k](body)
			}
			return body
		}
	}
	unbind := func() {
		for _, name := range carried {
			t.locals[name] = t.locals[name][:len(t.locals[name])-1]
		}
	}
	wrapCarried := bind(acc, 2)
	v := t.newVar() + "." + s.name
	t.locals[s.name] = append(t.locals[s.name], v)
	outer := t.loopCarried
	t.loopCarried = &carried
	body, err := t.statements(s.body, s.pos)
	t.loopCarried = outer
	t.locals[s.name] = t.locals[s.name][:len(t.locals[s.name])-1]
	unbind()
	if err != nil {
		return nil, err
	}
	body = wrapCarried(pos(&ast.VariableDeclaratorNode{Name: v, Value: pos(&ast.PointerNode{}), Expr: body}))
	returned := func(state ast.Node) ast.Node {
		return pos(&ast.BinaryNode{Operator: "==", Left: item(state, 0), Right: num(1)})
	}
	stopped := pos(&ast.BinaryNode{Operator: "!=", Left: item(acc, 0), Right: num(0)}) // returned or broken out of
	step := pos(&ast.ConditionalNode{Cond: stopped, Exp1: acc, Exp2: body})
	final := t.newVar()
	folded := pos(&ast.BuiltinNode{Name: "reduce", Arguments: []ast.Node{t.call(s.pos, fnIter, iter), pos(&ast.PredicateNode{Node: step}), pos(&ast.ArrayNode{Nodes: start})}})

	// After the loop: the names as the loop left them, then the statements after it.
	// A loop broken out of skips its else.
	afterward := func(ss []stmt) (ast.Node, *Error) {
		wrap := bind(ref(final, s.pos), 2)
		after, err := t.statements(ss, end)
		unbind()
		if err != nil {
			return nil, err
		}
		return wrap(after), nil
	}
	completed, err := afterward(append(s.els[:len(s.els):len(s.els)], rest...))
	if err != nil {
		return nil, err
	}
	after := completed
	if len(s.els) > 0 {
		broken, err := afterward(rest)
		if err != nil {
			return nil, err
		}
		isBroken := pos(&ast.BinaryNode{Operator: "==", Left: item(ref(final, s.pos), 0), Right: num(2)})
		after = pos(&ast.ConditionalNode{Cond: isBroken, Exp1: broken, Exp2: completed})
	}
	choice := pos(&ast.ConditionalNode{Cond: returned(ref(final, s.pos)), Exp1: t.ret(item(ref(final, s.pos), 1)), Exp2: after})
	return pos(&ast.VariableDeclaratorNode{Name: final, Value: folded, Expr: choice}), nil
}

// ret is a return's value where the statements are: the block's value, or, in a loop, the
// loop's accumulator that says it returned.
func (t *translator) ret(value ast.Node) ast.Node {
	if t.loopCarried == nil {
		return value
	}
	one := at(&ast.IntegerNode{Value: 1}, 0)
	return at(&ast.ArrayNode{Nodes: []ast.Node{one, value}}, 0)
}

// fallThrough is what running off the end of statements gives: None for the block (false), or,
// in a loop, the accumulator that goes on to the next item with the carried names as they are.
func (t *translator) fallThrough(end int) ast.Node {
	if t.loopCarried == nil {
		return at(&ast.BoolNode{Value: false}, end)
	}
	return t.carry(0, end)
}

// carry is a loop's accumulator in state (0 going on, 2 broken out of) with the carried names
// as they are where the statements are.
func (t *translator) carry(state, pos int) ast.Node {
	nodes := []ast.Node{at(&ast.IntegerNode{Value: state}, pos), at(&ast.NilNode{}, pos)}
	for _, name := range *t.loopCarried {
		vars := t.locals[name]
		nodes = append(nodes, ref(vars[len(vars)-1], pos))
	}
	return at(&ast.ArrayNode{Nodes: nodes}, pos)
}

// unboundValue is a name a loop assigns, before anything is: reading it is Python's
// UnboundLocalError (see bound).
type unboundValue struct{}

// bound is a name's value, or UnboundLocalError when it has none yet: a[0] is the name.
func bound(a ...any) (any, error) {
	if _, ok := a[1].(unboundValue); ok {
		return unbound(a[0])
	}
	return a[1], nil
}

// iterate is a loop's items (see pyIter).
func iterate(a ...any) (any, error) { return pyIter(a[0]) }

// pyIter is Python's iteration of v: a list's items, a text's characters, a dict's keys or a
// view's elements; anything else is Python's TypeError.
func pyIter(v any) ([]any, error) {
	if view, ok := v.(dictView); ok {
		v = view.elements()
	}
	switch x := v.(type) {
	case []any:
		return x, nil
	case string:
		items := make([]any, 0, len(x))
		for _, r := range x {
			items = append(items, string(r))
		}
		return items, nil
	case *dict:
		items := make([]any, len(x.keys))
		for i, k := range x.keys {
			items[i] = k
		}
		return items, nil
	}
	return nil, typeError("'%s' object is not iterable", typeName(v))
}

// local translates a name read in a block: the value it was last assigned on the way there,
// or Python's UnboundLocalError when it is assigned elsewhere in the block only; false when
// the block never assigns it.
func (t *translator) local(x *nameExpr) (ast.Node, bool) {
	switch {
	case len(t.locals[x.name]) > 0:
		v := t.locals[x.name][len(t.locals[x.name])-1]
		if t.maybeUnbound[v] {
			return t.call(x.pos, fnBound, at(&ast.StringNode{Value: x.name}, x.pos), ref(v, x.pos)), true
		}
		return ref(v, x.pos), true
	case t.assigned[x.name]:
		return t.call(x.pos, fnUnbound, at(&ast.StringNode{Value: x.name}, x.pos)), true
	}
	return nil, false
}

// unbound is Python's error for a local name read before any value is assigned to it.
func unbound(a ...any) (any, error) {
	return nil, &pyError{"UnboundLocalError", "cannot access local variable '" + strings.ReplaceAll(a[0].(string), "'", "\\'") + "' where it is not associated with a value"}
}
