package condition

import "fmt"

// The syntax tree of a Python expression, as the admin wrote it. Every node keeps the character
// offset of the token that identifies it (the operator, the name, the bracket), which is where
// compile and runtime errors point.
type (
	node interface{ at() int }

	nameExpr struct {
		pos  int
		name string
	}
	constExpr struct {
		pos int
		val any // nil, bool, int64, float64 or string
	}
	// seqExpr is a tuple "(a, b)", a list "[a, b]" or a set "{a, b}": all are lists here,
	// but for "%" formatting, which takes a tuple's items as its arguments.
	seqExpr struct {
		pos   int
		items []node
		tuple bool
	}
	// dictExpr is a dict "{k: v, ...}": keys[i] maps to values[i].
	dictExpr struct {
		pos          int // the "{"
		keys, values []node
	}
	// fstringExpr is an f-string: lits[0] values[0] lits[1] ... values[n-1] lits[n], each value
	// written by str(), or by repr() where its conversion convs[i] is 'r', then formatted by
	// its spec specs[i] (a text, nil for none).
	fstringExpr struct {
		pos    int
		lits   []string
		values []node
		convs  []rune
		specs  []node
	}
	attrExpr struct {
		pos  int // the attribute's name
		x    node
		name string
	}
	indexExpr struct {
		pos      int // the "["
		x, index node
	}
	sliceExpr struct {
		pos             int // the "["
		x, lo, hi, step node
	}
	callExpr struct {
		pos    int // the "("
		fn     node
		args   []node    // positional arguments
		kwargs []keyword // keyword arguments, after the positional ones
	}
	keyword struct {
		pos   int // the name
		name  string
		value node
	}
	unaryExpr struct {
		pos int
		op  string // "not", "-", "+"
		x   node
	}
	binaryExpr struct {
		pos  int
		op   string // "+", "-", "*", "/", "//", "%", "**"
		x, y node
	}
	boolExpr struct {
		pos  int
		op   string // "and", "or"
		x, y node
	}
	// compareExpr is a comparison chain: x ops[0] ys[0] ops[1] ys[1] ...
	compareExpr struct {
		x   node
		ops []compareOp
		ys  []node
	}
	compareOp struct {
		pos int
		op  string // "==", "!=", "<", "<=", ">", ">=", "in", "not in", "is", "is not"
	}
	// ifExpr is a conditional expression: then if cond else otherwise.
	ifExpr struct {
		pos                   int // the "if"
		then, cond, otherwise node
	}
	// compExpr is a list comprehension, "[elt for name in iter if conds[0] if ...]", with one
	// for clause.
	compExpr struct {
		pos       int // the "["
		elt, iter node
		name      string
		conds     []node
	}
)

func (n *nameExpr) at() int    { return n.pos }
func (n *constExpr) at() int   { return n.pos }
func (n *seqExpr) at() int     { return n.pos }
func (n *dictExpr) at() int    { return n.pos }
func (n *fstringExpr) at() int { return n.pos }
func (n *attrExpr) at() int    { return n.pos }
func (n *indexExpr) at() int   { return n.pos }
func (n *sliceExpr) at() int   { return n.pos }
func (n *callExpr) at() int    { return n.pos }
func (n *unaryExpr) at() int   { return n.pos }
func (n *binaryExpr) at() int  { return n.pos }
func (n *boolExpr) at() int    { return n.pos }
func (n *compareExpr) at() int { return n.ops[0].pos }
func (n *ifExpr) at() int      { return n.pos }
func (n *compExpr) at() int    { return n.pos }

// maxDepth bounds nesting, so a pathological condition cannot exhaust the stack.
const maxDepth = 100

type parser struct {
	toks  []token
	i     int
	depth int
	block bool // it reads statements (block.go), not one expression
}

// parse reads one Python expression (Python 3 grammar, the subset conditions use), or, when
// that fails and the text holds a return, statements (a *blockExpr, block.go). It returns nil
// for a condition with no tokens at all.
func parse(src string) (node, *Error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	if toks[0].is(tEOF) {
		return nil, nil
	}
	n, err := parseExpression(toks)
	if err != nil && hasReturn(toks) {
		// Statements that end in return, as Dokos runs them (block.go).
		return parseBlock([]rune(src), toks)
	}
	return n, err
}

// parseExpression reads toks as one expression.
func parseExpression(toks []token) (node, *Error) {
	p := &parser{toks: toks}
	n, err := p.expr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); !t.is(tEOF) {
		if t.isOp(",") {
			return nil, errorAt(t.pos, "a condition is one expression: remove this %q or put the tuple in parentheses", ",")
		}
		return nil, p.unexpected(t)
	}
	return n, nil
}

// hasReturn reports whether toks look like statements rather than one expression: they hold
// a return. Without one, statements would never be true, and the error of one expression
// (an assignment for a comparison, a line break) is the useful one.
func hasReturn(toks []token) bool {
	for _, t := range toks {
		if t.isName("return") {
			return true
		}
	}
	return false
}

func errorAt(pos int, format string, args ...any) *Error {
	return &Error{pos: pos, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if !t.is(tEOF) {
		p.i++
	}
	return t
}

// accept consumes the next token if it is the operator op.
func (p *parser) accept(op string) bool {
	if p.peek().isOp(op) {
		p.i++
		return true
	}
	return false
}

// acceptKeyword consumes the next token if it is the keyword kw.
func (p *parser) acceptKeyword(kw string) bool {
	if p.peek().isName(kw) {
		p.i++
		return true
	}
	return false
}

func (p *parser) expect(op string) *Error {
	if !p.accept(op) {
		return p.unexpected(p.peek())
	}
	return nil
}

// unexpected explains why token t cannot appear where it is, naming Python constructs that
// conditions do not support.
func (p *parser) unexpected(t token) *Error {
	switch {
	case t.is(tEOF):
		return errorAt(t.pos, "unexpected end of condition")
	case t.is(tNewline) && !p.block:
		return errorAt(t.pos, "line break outside parentheses: put a condition that spans lines in ( ), or write statements that end in return")
	case t.is(tNewline), t.is(tDedent):
		return errorAt(t.pos, "unexpected end of line")
	case t.is(tIndent):
		return errorAt(t.pos, "IndentationError: unexpected indent")
	case t.isOp("="):
		return errorAt(t.pos, `assignment is not supported (use "==" to compare)`)
	case t.isOp(":="):
		return errorAt(t.pos, "assignment expressions (:=) are not supported")
	case t.kind == tOp && len(t.text) >= 2 && t.text[len(t.text)-1] == '=' && t.text != "==" && t.text != "!=" && t.text != "<=" && t.text != ">=":
		return errorAt(t.pos, "assignment is not supported")
	case t.isOp(";"):
		return errorAt(t.pos, "statements are not supported: a condition is one expression")
	case t.isOp("|"), t.isOp("&"), t.isOp("^"), t.isOp("~"), t.isOp("<<"), t.isOp(">>"):
		return errorAt(t.pos, "bitwise operator %q is not supported", t.text)
	case t.isOp("@"):
		return errorAt(t.pos, "operator %q is not supported", t.text)
	case p.block && (t.isName("elif") || t.isName("else")):
		return errorAt(t.pos, "%q without the if it belongs to", t.text)
	case t.isName("if"), t.isName("else"):
		return errorAt(t.pos, "%q out of place: a conditional expression is written x if c else y", t.text)
	case t.isName("for"):
		return errorAt(t.pos, "generator, set and dict comprehensions are not supported (a list comprehension, [x for x in items], is)")
	case t.isName("lambda"):
		return errorAt(t.pos, "lambda is not supported")
	case t.isName("await"), t.isName("yield"):
		return errorAt(t.pos, "%s is not supported", t.text)
	case t.isKeyword() && !t.isName("and") && !t.isName("or") && !t.isName("not") && !t.isName("in") && !t.isName("is"):
		return errorAt(t.pos, "statements are not supported: %q cannot be used in a condition", t.text)
	}
	return errorAt(t.pos, "unexpected token %q", t.text)
}

func (p *parser) expr() (node, *Error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return nil, errorAt(p.peek().pos, "condition is nested too deeply")
	}
	n, err := p.orTest()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	if !t.isName("if") {
		return n, nil
	}
	// Python's "x if c else y": c and x are or-tests, y an expression (so a chain nests to
	// the right).
	p.next()
	cond, err := p.orTest()
	if err != nil {
		return nil, err
	}
	if !p.acceptKeyword("else") {
		return nil, errorAt(p.peek().pos, "a conditional expression needs its else: x if c else y")
	}
	otherwise, err := p.expr()
	if err != nil {
		return nil, err
	}
	return &ifExpr{pos: t.pos, then: n, cond: cond, otherwise: otherwise}, nil
}

func (p *parser) orTest() (node, *Error) {
	return p.boolChain("or", p.andTest)
}

func (p *parser) andTest() (node, *Error) {
	return p.boolChain("and", p.notTest)
}

func (p *parser) boolChain(op string, operand func() (node, *Error)) (node, *Error) {
	x, err := operand()
	if err != nil {
		return nil, err
	}
	for p.peek().isName(op) {
		pos := p.next().pos
		y, err := operand()
		if err != nil {
			return nil, err
		}
		x = &boolExpr{pos: pos, op: op, x: x, y: y}
	}
	return x, nil
}

func (p *parser) notTest() (node, *Error) {
	if t := p.peek(); t.isName("not") {
		p.next()
		p.depth++
		defer func() { p.depth-- }()
		if p.depth > maxDepth {
			return nil, errorAt(t.pos, "condition is nested too deeply")
		}
		x, err := p.notTest()
		if err != nil {
			return nil, err
		}
		return &unaryExpr{pos: t.pos, op: "not", x: x}, nil
	}
	return p.comparison()
}

// compareOperator reads a comparison operator, if one comes next.
func (p *parser) compareOperator() (compareOp, bool) {
	t := p.peek()
	switch {
	case t.kind == tOp && (t.text == "==" || t.text == "!=" || t.text == "<" || t.text == "<=" || t.text == ">" || t.text == ">="):
		p.next()
		return compareOp{t.pos, t.text}, true
	case t.isName("in"):
		p.next()
		return compareOp{t.pos, "in"}, true
	case t.isName("not") && p.toks[p.i+1].isName("in"):
		p.i += 2
		return compareOp{t.pos, "not in"}, true
	case t.isName("is"):
		p.next()
		if p.acceptKeyword("not") {
			return compareOp{t.pos, "is not"}, true
		}
		return compareOp{t.pos, "is"}, true
	}
	return compareOp{}, false
}

func (p *parser) comparison() (node, *Error) {
	x, err := p.arith()
	if err != nil {
		return nil, err
	}
	var c *compareExpr
	for {
		op, ok := p.compareOperator()
		if !ok {
			break
		}
		y, err := p.arith()
		if err != nil {
			return nil, err
		}
		if c == nil {
			c = &compareExpr{x: x}
		}
		c.ops = append(c.ops, op)
		c.ys = append(c.ys, y)
	}
	if c == nil {
		return x, nil
	}
	return c, nil
}

func (p *parser) arith() (node, *Error) {
	return p.binaryChain([]string{"+", "-"}, p.term)
}

func (p *parser) term() (node, *Error) {
	return p.binaryChain([]string{"*", "/", "//", "%"}, p.factor)
}

func (p *parser) binaryChain(ops []string, operand func() (node, *Error)) (node, *Error) {
	x, err := operand()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		found := false
		for _, op := range ops {
			found = found || t.isOp(op)
		}
		if !found {
			return x, nil
		}
		p.next()
		y, err := operand()
		if err != nil {
			return nil, err
		}
		x = &binaryExpr{pos: t.pos, op: t.text, x: x, y: y}
	}
}

func (p *parser) factor() (node, *Error) {
	t := p.peek()
	if !t.isOp("-") && !t.isOp("+") {
		return p.power()
	}
	p.next()
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return nil, errorAt(t.pos, "condition is nested too deeply")
	}
	x, err := p.factor()
	if err != nil {
		return nil, err
	}
	if c, ok := x.(*constExpr); ok && t.text == "-" {
		switch v := c.val.(type) {
		case int64:
			return &constExpr{pos: t.pos, val: -v}, nil
		case float64:
			return &constExpr{pos: t.pos, val: -v}, nil
		}
	}
	return &unaryExpr{pos: t.pos, op: t.text, x: x}, nil
}

func (p *parser) power() (node, *Error) {
	x, err := p.primary()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.isOp("**") {
		p.next()
		y, err := p.factor()
		if err != nil {
			return nil, err
		}
		return &binaryExpr{pos: t.pos, op: "**", x: x, y: y}, nil
	}
	return x, nil
}

// primary reads an atom followed by attribute accesses, calls and subscripts.
func (p *parser) primary() (node, *Error) {
	x, err := p.atom()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		switch {
		case t.isOp("."):
			p.next()
			name := p.next()
			if name.kind != tName || name.isKeyword() {
				return nil, errorAt(name.pos, "expected a name after %q", ".")
			}
			x = &attrExpr{pos: name.pos, x: x, name: name.text}
		case t.isOp("("):
			p.next()
			call := &callExpr{pos: t.pos, fn: x}
			if err := p.arguments(call); err != nil {
				return nil, err
			}
			x = call
		case t.isOp("["):
			p.next()
			if x, err = p.subscript(t.pos, x); err != nil {
				return nil, err
			}
		default:
			return x, nil
		}
	}
}

// arguments reads the arguments of call after "(" up to and including ")": positional ones,
// then keyword ones (name=value), as Python orders them.
func (p *parser) arguments(call *callExpr) *Error {
	for !p.accept(")") {
		if t := p.peek(); t.isOp("*") || t.isOp("**") {
			return errorAt(t.pos, "argument unpacking is not supported")
		}
		arg, err := p.expr()
		if err != nil {
			return err
		}
		if eq := p.peek(); eq.isOp("=") {
			name, ok := arg.(*nameExpr)
			if !ok {
				return errorAt(eq.pos, `expression cannot contain assignment, perhaps you meant "=="?`)
			}
			p.next()
			for _, kw := range call.kwargs {
				if kw.name == name.name {
					return errorAt(name.pos, "keyword argument repeated: %s", name.name)
				}
			}
			value, err := p.expr()
			if err != nil {
				return err
			}
			call.kwargs = append(call.kwargs, keyword{pos: name.pos, name: name.name, value: value})
		} else {
			if len(call.kwargs) > 0 {
				return errorAt(arg.at(), "positional argument follows keyword argument")
			}
			call.args = append(call.args, arg)
		}
		if !p.accept(",") {
			return p.expect(")")
		}
	}
	return nil
}

// subscript reads "x[i]", "x[lo:hi]" or "x[lo:hi:step]" after the "[" at pos; any of lo, hi
// and step may be left out.
func (p *parser) subscript(pos int, x node) (node, *Error) {
	var bounds [3]node // lo, hi, step
	if !p.peek().isOp(":") {
		n, err := p.expr()
		if err != nil {
			return nil, err
		}
		if p.accept("]") {
			return &indexExpr{pos: pos, x: x, index: n}, nil
		}
		bounds[0] = n
	}
	for i := 1; i < len(bounds) && p.accept(":"); i++ {
		if t := p.peek(); t.isOp("]") || t.isOp(":") {
			continue
		}
		n, err := p.expr()
		if err != nil {
			return nil, err
		}
		bounds[i] = n
	}
	if err := p.expect("]"); err != nil {
		return nil, err
	}
	return &sliceExpr{pos: pos, x: x, lo: bounds[0], hi: bounds[1], step: bounds[2]}, nil
}

func (p *parser) atom() (node, *Error) {
	t := p.next()
	switch t.kind {
	case tInt:
		if t.big != nil {
			return &constExpr{pos: t.pos, val: t.big}, nil
		}
		return &constExpr{pos: t.pos, val: t.num}, nil
	case tFloat:
		return &constExpr{pos: t.pos, val: t.flt}, nil
	case tString, tFString:
		return p.text(t)
	case tName:
		switch t.text {
		case "None":
			return &constExpr{pos: t.pos, val: nil}, nil
		case "True":
			return &constExpr{pos: t.pos, val: true}, nil
		case "False":
			return &constExpr{pos: t.pos, val: false}, nil
		}
		if t.isKeyword() {
			return nil, p.unexpected(t)
		}
		return &nameExpr{pos: t.pos, name: t.text}, nil
	}
	switch {
	case t.isOp("("):
		if p.accept(")") {
			return &seqExpr{pos: t.pos, tuple: true}, nil
		}
		x, err := p.expr()
		if err != nil {
			return nil, err
		}
		if p.accept(")") {
			return x, nil // a parenthesised expression, not a tuple
		}
		if !p.peek().isOp(",") {
			return nil, p.unexpected(p.peek())
		}
		return p.sequence(t.pos, ")", []node{x})
	case t.isOp("["):
		if p.accept("]") {
			return &seqExpr{pos: t.pos}, nil
		}
		if err := p.refuseUnpacking(); err != nil {
			return nil, err
		}
		x, err := p.expr()
		if err != nil {
			return nil, err
		}
		if p.peek().isName("for") {
			return p.comprehension(t.pos, x)
		}
		return p.sequence(t.pos, "]", []node{x})
	case t.isOp("{"):
		if p.accept("}") {
			return &dictExpr{pos: t.pos}, nil
		}
		if err := p.refuseUnpacking(); err != nil {
			return nil, err
		}
		x, err := p.expr()
		if err != nil {
			return nil, err
		}
		if p.accept(":") {
			return p.dict(t.pos, x)
		}
		return p.sequence(t.pos, "}", []node{x})
	}
	return nil, p.unexpected(t)
}

// comprehension reads the rest of a list comprehension after its element, from its "for" to
// the closing "]": one name, its iterable, and any "if" clauses. The iterable and the clauses
// are or-tests, as Python reads them: a conditional expression there needs parentheses.
func (p *parser) comprehension(pos int, elt node) (node, *Error) {
	p.next() // for
	name, err := p.loopName("a comprehension")
	if err != nil {
		return nil, err
	}
	c := &compExpr{pos: pos, elt: elt, name: name}
	if c.iter, err = p.orTest(); err != nil {
		return nil, err
	}
	for p.peek().isName("if") {
		p.next()
		cond, err := p.orTest()
		if err != nil {
			return nil, err
		}
		c.conds = append(c.conds, cond)
	}
	if t := p.peek(); t.isName("for") {
		return nil, errorAt(t.pos, "a comprehension with a second for is not supported: write one loop, or a block of statements")
	}
	if err := p.expect("]"); err != nil {
		return nil, err
	}
	return c, nil
}

// loopName reads the name of a for (a loop's or a comprehension's, what) and the "in" after it:
// one name, not a tuple to unpack.
func (p *parser) loopName(what string) (string, *Error) {
	name := p.next()
	if !name.is(tName) || name.isKeyword() {
		return "", p.unexpected(name)
	}
	if t := p.peek(); t.isOp(",") {
		return "", errorAt(t.pos, "%s takes one name in a condition, not a tuple to unpack", what)
	}
	if !p.acceptKeyword("in") {
		return "", p.unexpected(p.peek())
	}
	return name.text, nil
}

// dict reads the rest of a dict literal after its first key and ":", up to the closing "}":
// "key: value" entries, separated by commas, a trailing comma allowed.
func (p *parser) dict(pos int, key node) (node, *Error) {
	d := &dictExpr{pos: pos}
	for {
		value, err := p.expr()
		if err != nil {
			return nil, err
		}
		d.keys, d.values = append(d.keys, key), append(d.values, value)
		if p.accept("}") {
			return d, nil
		}
		if err := p.expect(","); err != nil {
			return nil, err
		}
		if p.accept("}") {
			return d, nil
		}
		if err := p.refuseUnpacking(); err != nil {
			return nil, err
		}
		if key, err = p.expr(); err != nil {
			return nil, err
		}
		if t := p.peek(); !t.isOp(":") {
			return nil, errorAt(t.pos, "a dict entry is key: value")
		}
		p.next()
	}
}

// refuseUnpacking refuses "*x" or "**x" where an item of a set or a dict literal begins.
func (p *parser) refuseUnpacking() *Error {
	if t := p.peek(); t.isOp("*") || t.isOp("**") {
		return errorAt(t.pos, "unpacking (%s) is not supported", t.text)
	}
	return nil
}

// text reads the string literal t and those right after it, which Python joins ("a" "b" is
// "ab"): a string, or an f-string when one of them is.
func (p *parser) text(t token) (node, *Error) {
	f := &fstringExpr{pos: t.pos, lits: []string{""}}
	for {
		last := len(f.lits) - 1
		if t.is(tString) {
			f.lits[last] += t.str
		} else if err := p.fields(f, t.fstr); err != nil {
			return nil, err
		}
		if next := p.peek(); !next.is(tString) && !next.is(tFString) {
			break
		}
		t = p.next()
	}
	if len(f.values) == 0 {
		return &constExpr{pos: f.pos, val: f.lits[0]}, nil
	}
	return f, nil
}

// fields appends the literal parts and replacement fields of the f-string fs to f.
func (p *parser) fields(f *fstringExpr, fs *fstring) *Error {
	for i, field := range fs.fields {
		value, err := p.field(field)
		if err != nil {
			return err
		}
		var spec node
		if field.spec != nil {
			inner := &fstringExpr{pos: field.pos, lits: []string{""}}
			if err := p.fields(inner, field.spec); err != nil {
				return err
			}
			spec = inner
			if len(inner.values) == 0 {
				spec = &constExpr{pos: field.pos, val: inner.lits[0]}
			}
		}
		f.lits[len(f.lits)-1] += fs.lits[i]
		f.lits = append(f.lits, "")
		f.values, f.convs, f.specs = append(f.values, value), append(f.convs, field.conv), append(f.specs, spec)
	}
	f.lits[len(f.lits)-1] += fs.lits[len(fs.fields)]
	return nil
}

// field reads the expression of an f-string's replacement field. As in Python, it reads as if
// in parentheses: a line break may be inside it, and "a, b" is a tuple.
func (p *parser) field(f fstringField) (node, *Error) {
	toks, err := lex("(" + f.src + ")")
	if err != nil {
		err.pos += f.pos - 1
		return nil, err
	}
	for i := range toks {
		toks[i].pos += f.pos - 1 // the "(" stands on the field's "{"
	}
	sub := &parser{toks: toks, depth: p.depth}
	n, err := sub.expr()
	if err != nil {
		return nil, err
	}
	if t := sub.peek(); !t.is(tEOF) {
		return nil, sub.unexpected(t)
	}
	return n, nil
}

// sequence reads the items of a tuple, list or set up to the closing bracket, after the items
// already read.
func (p *parser) sequence(pos int, closing string, items []node) (node, *Error) {
	seq := &seqExpr{pos: pos, items: items, tuple: closing == ")"}
	for {
		if len(seq.items) > 0 {
			if p.accept(closing) {
				return seq, nil
			}
			if err := p.expect(","); err != nil {
				return nil, err
			}
		}
		if p.accept(closing) {
			return seq, nil
		}
		item, err := p.expr()
		if err != nil {
			return nil, err
		}
		seq.items = append(seq.items, item)
	}
}
