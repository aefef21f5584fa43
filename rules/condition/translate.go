package condition

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/checker"
	"github.com/expr-lang/expr/compiler"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/file"
	exprparser "github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
)

// The translation turns the Python syntax tree into an expr AST in which every Python
// operation is a call to one of the functions below (Python's semantics live in Go, not in
// expr's operators), while expr's own nodes provide short-circuit evaluation: && and || for
// and/or in a condition, a let-bound ternary for and/or whose value is used, ! for not.

// Names of the functions in the expr program. They contain a dot, which no Python name can,
// so an admin cannot reach them except through the syntax they stand for.
const (
	fnTruthy = "op.truthy"
	fnAttr   = "op.attr"
	fnIndex  = "op.index"
	fnSlice  = "op.slice"
	// fnFormatTuple is "format % (a, b)": the tuple's items are the arguments.
	fnFormatTuple = "op.format_tuple"
	// fnDict builds a dict from its keys and values, alternating; fnDictKey checks a key
	// computed at run time (a constant one is checked when the condition compiles).
	fnDict    = "op.dict"
	fnDictKey = "op.dict_key"
	// fnFString joins an f-string's literal parts and values, alternating; fnRepr is a
	// value's !r conversion.
	fnFString = "op.fstring"
	fnRepr    = "op.repr"
	// fnFormat is format(value, spec), an f-string's value with a format spec; fnStrFormat is
	// s.format(...), which takes any keyword arguments.
	fnFormat    = "op.format"
	fnStrFormat = "op.str_format"
	// fnGetByPosition is x.get(key, default) with the default given by position, which a
	// document's get takes otherwise than a dict's.
	fnGetByPosition = "op.get_by_position"
	// fnDateReplace is a date's replace(day=1, ...): a replace() with keywords.
	fnDateReplace = "op.date_replace"
	// fnUnbound is Python's error for a name a block assigns, read before it is; fnIter is a
	// loop's items.
	fnUnbound = "op.unbound"
	fnIter    = "op.iter"
	fnBound   = "op.bound"
)

// operations maps Python operators to the functions that implement them.
var operations = map[string]struct {
	name   string
	isBool bool
	call   func(a ...any) (any, error)
}{
	"==":     {"op.eq", true, equality(true)},
	"!=":     {"op.ne", true, equality(false)},
	"<":      {"op.lt", true, ordering("<", func(c int) bool { return c == -1 })},
	"<=":     {"op.le", true, ordering("<=", func(c int) bool { return c == -1 || c == 0 })},
	">":      {"op.gt", true, ordering(">", func(c int) bool { return c == 1 })},
	">=":     {"op.ge", true, ordering(">=", func(c int) bool { return c == 1 || c == 0 })},
	"in":     {"op.in", true, func(a ...any) (any, error) { return contains(a[0], a[1]) }},
	"not in": {"op.not_in", true, notIn},
	"is":     {"op.is", true, func(a ...any) (any, error) { return identical(a[0], a[1]), nil }},
	"is not": {"op.is_not", true, func(a ...any) (any, error) { return !identical(a[0], a[1]), nil }},
	"+":      {"op.add", false, func(a ...any) (any, error) { return add(a[0], a[1]) }},
	"-":      {"op.sub", false, func(a ...any) (any, error) { return sub(a[0], a[1]) }},
	"*":      {"op.mul", false, func(a ...any) (any, error) { return mul(a[0], a[1]) }},
	"/":      {"op.truediv", false, func(a ...any) (any, error) { return trueDivide(a[0], a[1]) }},
	"//":     {"op.floordiv", false, func(a ...any) (any, error) { return floorDivide(a[0], a[1]) }},
	"%":      {"op.mod", false, func(a ...any) (any, error) { return modulo(a[0], a[1]) }},
	"**":     {"op.pow", false, func(a ...any) (any, error) { return power(a[0], a[1]) }},
	"neg":    {"op.neg", false, func(a ...any) (any, error) { return negate(a[0]) }},
	"pos":    {"op.pos", false, func(a ...any) (any, error) { return plus(a[0]) }},
}

func ordering(op string, holds func(int) bool) func(a ...any) (any, error) {
	return func(a ...any) (any, error) {
		c, err := compare(op, a[0], a[1])
		return err == nil && holds(c), err
	}
}

func notIn(a ...any) (any, error) {
	in, err := contains(a[0], a[1])
	return !in, err
}

// helpers are the functions of the expr program that are not Python operators.
var helpers = map[string]func(a ...any) (any, error){
	fnTruthy: func(a ...any) (any, error) { return truthy(a[0]), nil },
	fnAttr:   func(a ...any) (any, error) { return attribute(a[0], a[1].(string)) },
	fnIndex:  func(a ...any) (any, error) { return index(a[0], a[1]) },
	fnSlice:  func(a ...any) (any, error) { return slice(a[0], a[1], a[2], a[3]) },
	fnFormatTuple: func(a ...any) (any, error) {
		if s, ok := a[0].(string); ok {
			return percent(s, a[1], true)
		}
		return modulo(a[0], a[1])
	},
	fnDict:    func(a ...any) (any, error) { return newDict(a...), nil },
	fnDictKey: func(a ...any) (any, error) { return dictKey(a[0]) },
	fnFString: func(a ...any) (any, error) { return joinFString(a...) },
	fnRepr:    func(a ...any) (any, error) { return checkedRepr(a[0]) },

	fnFormat:        func(a ...any) (any, error) { return formatSpec(a[0], a[1]) },
	fnStrFormat:     strFormat,
	fnGetByPosition: getByPosition,
	fnDateReplace:   dateReplace.call,
	fnUnbound:       unbound,
	fnIter:          iterate,
	fnBound:         bound,
}

// boolFunctions are the program functions that always return a bool, with their arities: expr
// is told their type, so it needs no run-time conversion where a bool is expected.
var boolFunctions = makeBoolFunctions()

func makeBoolFunctions() map[string][]int {
	fns := map[string][]int{fnTruthy: {1}, "method.startswith": {2, 3, 4}, "method.endswith": {2, 3, 4}}
	for _, op := range operations {
		if op.isBool {
			fns[op.name] = []int{2}
		}
	}
	return fns
}

// boolSignatures are the types of a bool function, by its arity.
var boolSignatures = []any{nil, new(func(any) bool), new(func(any, any) bool), new(func(any, any, any) bool), new(func(any, any, any, any) bool)}

// programFunctions are all the functions of a condition program, by their name in it.
func programFunctions() map[string]func(a ...any) (any, error) {
	fns := maps.Clone(helpers)
	for _, op := range operations {
		fns[op.name] = op.call
	}
	for name, fn := range builtins {
		fns["builtin."+name] = fn.call
	}
	for name, fn := range frappeUtils {
		fns["frappe.utils."+name] = fn.call
	}
	for name, fn := range methods {
		fns["method."+name] = fn.call
	}
	for path, fn := range reads {
		fns[path] = fn.call
	}
	for path, fn := range frappeFunctions {
		fns[path] = fn.call
	}
	fns["frappe.session.user"] = sessionUser
	return fns
}

// newConfig returns the expr configuration of a condition program: the row as "doc", the
// evaluation as "$now", the functions above, and none of expr's own builtins.
func newConfig() *conf.Config {
	config := conf.CreateNew()
	config.WithEnv(map[string]any{"doc": map[string]any{}, "$now": (*evaluation)(nil)})
	expr.DisableAllBuiltins()(config)
	for name := range config.Disabled {
		delete(config.Builtins, name)
	}
	for name, fn := range programFunctions() {
		var signature []any
		for _, arity := range boolFunctions[name] {
			signature = append(signature, boolSignatures[arity])
		}
		expr.Function(name, fn, signature...)(config)
	}
	return config
}

// compileTree type-checks the translated tree and compiles it to a program.
func compileTree(root ast.Node, src string) (*vm.Program, error) {
	config := newConfig()
	tree := &exprparser.Tree{Node: root, Source: file.NewSource(src)}
	if _, err := checker.Check(tree, config); err != nil {
		return nil, err
	}
	return compiler.Compile(tree, config)
}

// translator turns the syntax tree into the expr AST, refusing what conditions do not support.
type translator struct {
	fields map[string]bool // fields of doc the condition reads
	vars   int             // let-bound variables made so far
	before bool            // it calls has_value_changed or get_doc_before_save
	// reads is whether it reads the ERP's tables (frappe.db.get_value...), doctypes the
	// document types it names in those reads.
	reads    bool
	doctypes []string
	// A block of statements (block.go): the names it assigns anywhere, the program's
	// variables of those bound where the translation is (the last assignment's last), and
	// the statements translated so far.
	assigned   map[string]bool
	locals     map[string][]string
	translated int
	// loopCarried is, in a loop's statements, the names the loop carries from one item to the
	// next (see loop); nil outside loops. maybeUnbound are the variables of carried names,
	// which may hold no value yet.
	loopCarried  *[]string
	maybeUnbound map[string]bool
}

// at sets the node's location to the character offset pos and returns it.
func at[N ast.Node](n N, pos int) N {
	n.SetLocation(file.Location{From: pos, To: pos + 1})
	return n
}

func (t *translator) call(pos int, name string, args ...ast.Node) ast.Node {
	callee := at(&ast.IdentifierNode{Value: name}, pos)
	return at(&ast.CallNode{Callee: callee, Arguments: args}, pos)
}

// isBool reports whether n always produces a bool.
func isBool(n ast.Node) bool {
	switch x := n.(type) {
	case *ast.BoolNode, *ast.UnaryNode:
		return true
	case *ast.BinaryNode:
		return x.Operator == "&&" || x.Operator == "||"
	case *ast.VariableDeclaratorNode:
		return isBool(x.Expr)
	case *ast.CallNode:
		if id, ok := x.Callee.(*ast.IdentifierNode); ok {
			_, isBoolFn := boolFunctions[id.Value]
			return isBoolFn
		}
	}
	return false
}

// cond translates n where only its truth matters: the whole condition and the operands of
// and, or and not. The result is always a bool.
func (t *translator) cond(n node) (ast.Node, *Error) {
	switch x := n.(type) {
	case *ifExpr:
		return t.ifThen(x, t.cond)
	case *boolExpr:
		l, err := t.cond(x.x)
		if err != nil {
			return nil, err
		}
		r, err := t.cond(x.y)
		if err != nil {
			return nil, err
		}
		op := map[string]string{"and": "&&", "or": "||"}[x.op]
		return at(&ast.BinaryNode{Operator: op, Left: l, Right: r}, x.pos), nil
	case *unaryExpr:
		if x.op == "not" {
			v, err := t.cond(x.x)
			if err != nil {
				return nil, err
			}
			return at(&ast.UnaryNode{Operator: "!", Node: v}, x.pos), nil
		}
	case *constExpr:
		return at(&ast.BoolNode{Value: truthy(x.val)}, x.pos), nil
	}
	v, err := t.value(n)
	if err != nil {
		return nil, err
	}
	if isBool(v) {
		return v, nil
	}
	return t.call(n.at(), fnTruthy, v), nil
}

// value translates n where its value is used.
func (t *translator) value(n node) (ast.Node, *Error) {
	switch x := n.(type) {
	case *constExpr:
		return constant(x.val, x.pos), nil
	case *nameExpr:
		return t.name(x)
	case *seqExpr:
		if v, ok := constValue(x); ok {
			return at(&ast.ConstantNode{Value: v}, x.pos), nil
		}
		items, err := t.values(x.items)
		if err != nil {
			return nil, err
		}
		return at(&ast.ArrayNode{Nodes: items}, x.pos), nil
	case *dictExpr:
		return t.dict(x)
	case *compExpr:
		return t.comprehension(x)
	case *fstringExpr:
		args := []ast.Node{at(&ast.StringNode{Value: x.lits[0]}, x.pos)}
		for i, n := range x.values {
			v, err := t.value(n)
			if err != nil {
				return nil, err
			}
			switch {
			case x.convs[i] == 'r':
				v = t.call(n.at(), fnRepr, v)
			case x.convs[i] == 's' && x.specs[i] != nil:
				v = t.call(n.at(), fnFString, v) // str(v), which the spec formats
			}
			if x.specs[i] != nil {
				spec, err := t.value(x.specs[i])
				if err != nil {
					return nil, err
				}
				v = t.call(n.at(), fnFormat, v, spec)
			}
			args = append(args, v, at(&ast.StringNode{Value: x.lits[i+1]}, x.pos))
		}
		return t.call(x.pos, fnFString, args...), nil
	case *attrExpr:
		if path := frappePath(x); path != "" {
			if path == "frappe.session.user" || path == "frappe.user" {
				t.fields["modified_by"] = true
				return t.call(x.pos, "frappe.session.user", ref("$now", x.pos)), nil
			}
			_, util := frappeUtils[strings.TrimPrefix(path, "frappe.utils.")]
			_, fn := frappeFunctions[path]
			if _, read := reads[path]; util || read || fn {
				return nil, errorAt(x.pos, "%s must be called: %s()", path, path)
			}
			return nil, errorAt(x.pos, "%s is not supported", path)
		}
		if strings.HasPrefix(x.name, "_") {
			return nil, errorAt(x.pos, "attribute %q is not supported: names starting with \"_\" cannot be read (use doc.get(%q))", x.name, x.name)
		}
		t.field(x.x, x.name)
		obj, err := t.value(x.x)
		if err != nil {
			return nil, err
		}
		return t.call(x.pos, fnAttr, obj, at(&ast.StringNode{Value: x.name}, x.pos)), nil
	case *indexExpr:
		if key, ok := x.index.(*constExpr); ok {
			if s, ok := key.val.(string); ok {
				t.field(x.x, s)
			}
		}
		args, err := t.values([]node{x.x, x.index})
		if err != nil {
			return nil, err
		}
		return t.call(x.pos, fnIndex, args...), nil
	case *sliceExpr:
		args, err := t.values([]node{x.x, x.lo, x.hi, x.step})
		if err != nil {
			return nil, err
		}
		return t.call(x.pos, fnSlice, args...), nil
	case *callExpr:
		return t.callExpr(x)
	case *unaryExpr:
		if x.op == "not" {
			return t.cond(x)
		}
		v, err := t.value(x.x)
		if err != nil {
			return nil, err
		}
		op := map[string]string{"-": "neg", "+": "pos"}[x.op]
		return t.call(x.pos, operations[op].name, v), nil
	case *binaryExpr:
		args, err := t.values([]node{x.x, x.y})
		if err != nil {
			return nil, err
		}
		if x.op == "%" && isTuple(x.y) {
			return t.call(x.pos, fnFormatTuple, args...), nil
		}
		return t.call(x.pos, operations[x.op].name, args...), nil
	case *boolExpr:
		return t.boolValue(x)
	case *ifExpr:
		return t.ifThen(x, t.value)
	case *compareExpr:
		if err := literalIdentity(x); err != nil {
			return nil, err
		}
		left, err := t.value(x.x)
		if err != nil {
			return nil, err
		}
		return t.chain(left, x, 0)
	}
	panic(fmt.Sprintf("condition: unexpected syntax node %T", n))
}

// literalIdentity refuses "is" and "is not" between a literal other than None, True and False
// and anything but those three ("x is 'Open'", "n is 3"): they ask whether two values are the
// same object, which Python answers by how it happens to store them (a text read from the
// database is never the one a condition writes; an int is up to 256 only), and warns about
// them. Against None, True or False, identity is well defined and stays.
func literalIdentity(c *compareExpr) *Error {
	operands := append([]node{c.x}, c.ys...)
	for i, op := range c.ops {
		if op.op != "is" && op.op != "is not" {
			continue
		}
		x, y := operands[i], operands[i+1]
		if singleton(x) || singleton(y) || !literal(x) && !literal(y) {
			continue
		}
		return errorAt(op.pos, `%q with a literal is not supported: it asks whether they are the same object, not equal values (use %q)`, op.op, map[string]string{"is": "==", "is not": "!="}[op.op])
	}
	return nil
}

// singleton reports whether n is None, True or False as written.
func singleton(n node) bool {
	c, ok := n.(*constExpr)
	if !ok {
		return false
	}
	_, isBool := c.val.(bool)
	return c.val == nil || isBool
}

// literal reports whether n is a literal that makes a new object: a number, a text, a tuple,
// a list, a dict.
func literal(n node) bool {
	switch n.(type) {
	case *constExpr, *seqExpr, *dictExpr, *fstringExpr:
		return true
	}
	return false
}

// isTuple reports whether n is a tuple: a tuple literal, or a conditional expression of two.
func isTuple(n node) bool {
	switch x := n.(type) {
	case *seqExpr:
		return x.tuple
	case *ifExpr:
		return isTuple(x.then) && isTuple(x.otherwise)
	}
	return false
}

// values translates each node; a nil node (an omitted slice bound) becomes None.
func (t *translator) values(nodes []node) ([]ast.Node, *Error) {
	out := make([]ast.Node, len(nodes))
	for i, n := range nodes {
		if n == nil {
			out[i] = &ast.NilNode{}
			continue
		}
		v, err := t.value(n)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func constant(v any, pos int) ast.Node {
	switch x := v.(type) {
	case nil:
		return at(&ast.NilNode{}, pos)
	case bool:
		return at(&ast.BoolNode{Value: x}, pos)
	}
	return at(&ast.ConstantNode{Value: v}, pos)
}

// dict translates a dict literal: a constant one is built now; otherwise its keys and values,
// alternating, in the order Python evaluates them (a key before its value). A key that is a
// literal must be text, and is refused here otherwise; a computed one is checked at run time.
func (t *translator) dict(x *dictExpr) (ast.Node, *Error) {
	for _, k := range x.keys {
		if v, ok := constValue(k); ok {
			if _, text := v.(string); !text {
				return nil, errorAt(k.at(), "a dict key in a condition must be str, not %s", typeName(v))
			}
		}
	}
	if v, ok := constValue(x); ok {
		return at(&ast.ConstantNode{Value: v}, x.pos), nil
	}
	args := make([]ast.Node, 0, 2*len(x.keys))
	for i, k := range x.keys {
		key, err := t.value(k)
		if err != nil {
			return nil, err
		}
		if _, ok := k.(*constExpr); !ok {
			key = t.call(k.at(), fnDictKey, key)
		}
		value, err := t.value(x.values[i])
		if err != nil {
			return nil, err
		}
		args = append(args, key, value)
	}
	return t.call(x.pos, fnDict, args...), nil
}

// constValue is the value of a literal, tuples, lists and dicts of literals included.
func constValue(n node) (any, bool) {
	switch x := n.(type) {
	case *constExpr:
		return x.val, true
	case *seqExpr:
		items := make([]any, len(x.items))
		for i, item := range x.items {
			v, ok := constValue(item)
			if !ok {
				return nil, false
			}
			items[i] = v
		}
		return items, true
	case *dictExpr:
		pairs := make([]any, 0, 2*len(x.keys))
		for i, k := range x.keys {
			key, ok := constValue(k)
			value, ok2 := constValue(x.values[i])
			if _, text := key.(string); !ok || !ok2 || !text {
				return nil, false
			}
			pairs = append(pairs, key, value)
		}
		return newDict(pairs...), true
	}
	return nil, false
}

// comprehension translates "[elt for name in iter if c ...]": expr's filter over the iterable's
// items by the clauses' truth, then its map by elt, each item bound to name within them (a name
// that, as in Python, does not reach past the brackets).
func (t *translator) comprehension(x *compExpr) (ast.Node, *Error) {
	iter, err := t.value(x.iter)
	if err != nil {
		return nil, err
	}
	pos := func(n ast.Node) ast.Node { return at(n, x.pos) }
	v := t.newVar() + "." + x.name
	if t.locals == nil {
		t.locals = map[string][]string{}
	}
	t.locals[x.name] = append(t.locals[x.name], v)
	defer func() { t.locals[x.name] = t.locals[x.name][:len(t.locals[x.name])-1] }()
	bound := func(body ast.Node) ast.Node {
		return pos(&ast.PredicateNode{Node: pos(&ast.VariableDeclaratorNode{Name: v, Value: pos(&ast.PointerNode{}), Expr: body})})
	}
	items := t.call(x.pos, fnIter, iter)
	for _, c := range x.conds {
		keep, err := t.cond(c)
		if err != nil {
			return nil, err
		}
		items = pos(&ast.BuiltinNode{Name: "filter", Arguments: []ast.Node{items, bound(keep)}})
	}
	elt, err := t.value(x.elt)
	if err != nil {
		return nil, err
	}
	return pos(&ast.BuiltinNode{Name: "map", Arguments: []ast.Node{items, bound(elt)}}), nil
}

// newVar names a fresh let-bound variable; "$" keeps it apart from anything an admin can write.
func (t *translator) newVar() string {
	t.vars++
	return "$v" + strconv.Itoa(t.vars)
}

func ref(name string, pos int) ast.Node {
	return at(&ast.IdentifierNode{Value: name}, pos)
}

// boolValue translates "x and y" / "x or y" where the value is used: like Python, it yields an
// operand, x evaluated once and y only when needed.
func (t *translator) boolValue(x *boolExpr) (ast.Node, *Error) {
	left, err := t.value(x.x)
	if err != nil {
		return nil, err
	}
	right, err := t.value(x.y)
	if err != nil {
		return nil, err
	}
	v := t.newVar()
	then, otherwise := right, ref(v, x.pos)
	if x.op == "or" {
		then, otherwise = ref(v, x.pos), right
	}
	test := t.call(x.pos, fnTruthy, ref(v, x.pos))
	ternary := at(&ast.ConditionalNode{Ternary: true, Cond: test, Exp1: then, Exp2: otherwise}, x.pos)
	return at(&ast.VariableDeclaratorNode{Name: v, Value: left, Expr: ternary}, x.pos), nil
}

// ifThen translates "x if c else y": c by its truth, then x or y, only the one chosen evaluated,
// each by branch (value, or cond where only the truth matters).
func (t *translator) ifThen(x *ifExpr, branch func(node) (ast.Node, *Error)) (ast.Node, *Error) {
	test, err := t.cond(x.cond)
	if err != nil {
		return nil, err
	}
	then, err := branch(x.then)
	if err != nil {
		return nil, err
	}
	otherwise, err := branch(x.otherwise)
	if err != nil {
		return nil, err
	}
	return at(&ast.ConditionalNode{Ternary: true, Cond: test, Exp1: then, Exp2: otherwise}, x.pos), nil
}

// chain translates the comparisons of c from the i-th on, left being the operand before it:
// "a < b < c" is "a < b and b < c" with b evaluated once and c only if a < b.
func (t *translator) chain(left ast.Node, c *compareExpr, i int) (ast.Node, *Error) {
	right, err := t.value(c.ys[i])
	if err != nil {
		return nil, err
	}
	op := c.ops[i]
	if i == len(c.ops)-1 {
		return t.call(op.pos, operations[op.op].name, left, right), nil
	}
	v := t.newVar()
	rest, err := t.chain(ref(v, op.pos), c, i+1)
	if err != nil {
		return nil, err
	}
	both := at(&ast.BinaryNode{Operator: "&&", Left: t.call(op.pos, operations[op.op].name, left, ref(v, op.pos)), Right: rest}, op.pos)
	return at(&ast.VariableDeclaratorNode{Name: v, Value: right, Expr: both}, op.pos), nil
}

// name translates a bare name: doc is the row; the rest must be called or does not exist.
func (t *translator) name(x *nameExpr) (ast.Node, *Error) {
	if v, ok := t.local(x); ok {
		return v, nil
	}
	switch {
	case x.name == "doc":
		return at(&ast.IdentifierNode{Value: "doc"}, x.pos), nil
	case x.name == "frappe":
		return nil, errorAt(x.pos, "frappe can only be used to call frappe.utils functions, such as frappe.utils.nowdate()")
	}
	if _, ok := builtins[x.name]; ok {
		return nil, errorAt(x.pos, "%s must be called: %s(...)", x.name, x.name)
	}
	return nil, errorAt(x.pos, "unknown name %q (a field is read as doc.%s)", x.name, x.name)
}

// field records that the condition reads field name of the row, when obj is doc.
func (t *translator) field(obj node, name string) {
	if n, ok := obj.(*nameExpr); ok && n.name == "doc" {
		t.fields[name] = true
	}
}

// frappePath is the dotted path of an attribute chain rooted at the name frappe
// ("frappe.utils.flt"; "utils.flt" reads as that one), or "" for any other chain.
func frappePath(x *attrExpr) string {
	path := []string{x.name}
	var n node = x.x
	for {
		switch y := n.(type) {
		case *attrExpr:
			path = append([]string{y.name}, path...)
			n = y.x
			continue
		case *nameExpr:
			switch y.name {
			case "frappe":
				return strings.Join(append([]string{"frappe"}, path...), ".")
			case "utils": // the Webhook form's context: {doc, utils}
				return strings.Join(append([]string{"frappe", "utils"}, path...), ".")
			}
		}
		return ""
	}
}

// callExpr translates a call of a builtin, a frappe.utils function or a method.
func (t *translator) callExpr(x *callExpr) (ast.Node, *Error) {
	var (
		fn       function
		name     string // the program function
		shown    string // the name the admin wrote, for messages
		receiver []node
	)
	switch callee := x.fn.(type) {
	case *nameExpr:
		f, ok := builtins[callee.name]
		if !ok {
			if callee.name == "doc" || callee.name == "frappe" {
				return nil, errorAt(callee.pos, "%s is not callable", callee.name)
			}
			return nil, errorAt(callee.pos, "function %s() is not supported", callee.name)
		}
		fn, name, shown = f, "builtin."+callee.name, callee.name
	case *attrExpr:
		if path := frappePath(callee); path != "" {
			if f, ok := reads[path]; ok {
				fn, name, shown = f, path, path
				break
			}
			if f, ok := frappeFunctions[path]; ok {
				fn, name, shown = f, path, path
				break
			}
			f, ok := frappeUtils[strings.TrimPrefix(path, "frappe.utils.")]
			if !ok || !strings.HasPrefix(path, "frappe.utils.") {
				return nil, errorAt(callee.pos, "%s() is not supported", path)
			}
			fn, name, shown = f, path, path
			break
		}
		if callee.name == "format" {
			return t.strFormat(x, callee)
		}
		if callee.name == "replace" && len(x.kwargs) > 0 {
			fn, name, shown, receiver = dateReplace, fnDateReplace, ".replace", []node{callee.x}
			break
		}
		f, ok := methods[callee.name]
		if !ok {
			return nil, errorAt(callee.pos, "method .%s() is not supported", callee.name)
		}
		fn, name, shown, receiver = f, "method."+callee.name, "."+callee.name, []node{callee.x}
	default:
		return nil, errorAt(x.pos, "only functions and methods can be called")
	}
	bound, err := t.bind(fn, shown, x)
	if err != nil {
		return nil, err
	}
	if name == "method.has_value_changed" || name == "method.get_doc_before_save" {
		t.before = true
	}
	if _, ok := reads[name]; ok {
		t.read(name, bound)
	}
	if name == "method.get" && len(bound) > 0 {
		if key, ok := bound[0].(*constExpr); ok {
			if s, ok := key.val.(string); ok {
				t.field(receiver[0], s)
			}
		}
		if len(x.args) == 2 {
			name = fnGetByPosition
		}
	}
	args, err := t.values(append(receiver, bound...))
	if err != nil {
		return nil, err
	}
	if fn.now {
		args = append([]ast.Node{ref("$now", x.pos)}, args...)
	}
	pos := x.fn.at()
	return t.call(pos, name, args...), nil
}

// strFormat translates s.format(*args, **kwargs): the receiver, the number of positional
// arguments, those, then the keyword arguments' names and values, alternating.
func (t *translator) strFormat(x *callExpr, callee *attrExpr) (ast.Node, *Error) {
	args, err := t.values(append([]node{callee.x}, x.args...))
	if err != nil {
		return nil, err
	}
	args = slices.Insert(args, 1, ast.Node(at(&ast.IntegerNode{Value: len(x.args)}, x.pos)))
	for _, kw := range x.kwargs {
		v, err := t.value(kw.value)
		if err != nil {
			return nil, err
		}
		args = append(args, at(&ast.StringNode{Value: kw.name}, kw.pos), v)
	}
	return t.call(callee.pos, fnStrFormat, args...), nil
}

// bind puts the arguments of call in the order of fn's parameters, as Python binds them:
// positional ones first, then keyword ones by name. A parameter that a keyword argument skips
// over gets its default, so fn receives its arguments by position only.
func (t *translator) bind(fn function, shown string, call *callExpr) ([]node, *Error) {
	if len(call.args) > fn.max {
		return nil, errorAt(call.pos, "%s() takes %s (%d given)", shown, arguments(fn.min, fn.max), len(call.args))
	}
	if fn.params == nil {
		if len(call.kwargs) > 0 {
			return nil, errorAt(call.kwargs[0].pos, "%s() takes no keyword arguments", shown)
		}
		if len(call.args) < fn.min {
			return nil, errorAt(call.pos, "%s() takes %s (%d given)", shown, arguments(fn.min, fn.max), len(call.args))
		}
		return call.args, nil
	}
	bound := slices.Clone(call.args)
	for _, kw := range call.kwargs {
		i := slices.Index(fn.params, kw.name)
		switch {
		case i < 0 && slices.Contains(fn.unsupported, kw.name):
			return nil, errorAt(kw.pos, "%s(): argument %s is not supported", shown, kw.name)
		case i < 0:
			return nil, errorAt(kw.pos, "%s() got an unexpected keyword argument '%s'", shown, kw.name)
		case i < len(bound) && bound[i] != nil:
			return nil, errorAt(kw.pos, "%s() got multiple values for argument '%s'", shown, kw.name)
		}
		for len(bound) <= i {
			bound = append(bound, nil)
		}
		bound[i] = kw.value
	}
	var missing []string
	for i := range bound {
		if bound[i] != nil {
			continue
		}
		if i < fn.min {
			missing = append(missing, "'"+fn.params[i]+"'")
			continue
		}
		bound[i] = &constExpr{pos: call.pos, val: fn.defaults[i-fn.min]}
	}
	if len(bound) < fn.min {
		for _, p := range fn.params[len(bound):fn.min] {
			missing = append(missing, "'"+p+"'")
		}
	}
	switch len(missing) {
	case 0:
		return bound, nil
	case 1:
		return nil, errorAt(call.pos, "%s() missing 1 required positional argument: %s", shown, missing[0])
	}
	last := len(missing) - 1
	return nil, errorAt(call.pos, "%s() missing %d required positional arguments: %s and %s", shown, len(missing), strings.Join(missing[:last], ", "), missing[last])
}

// read records a read call: that the condition reads, and the document type it names when
// it is written as text (User for get_fullname, whose argument is a user; System Settings
// for get_system_settings).
func (t *translator) read(path string, args []node) {
	t.reads = true
	switch readCalls[path] { // their argument is not a doctype
	case "get_fullname":
		t.doctypes = append(t.doctypes, "User")
		return
	case "get_system_settings":
		t.doctypes = append(t.doctypes, "System Settings")
		return
	}
	if c, ok := args[0].(*constExpr); ok {
		if s, ok := c.val.(string); ok {
			t.doctypes = append(t.doctypes, s)
		}
	}
}

func arguments(lo, hi int) string {
	switch {
	case hi == 0:
		return "no arguments"
	case lo == hi && lo == 1:
		return "exactly one argument"
	case lo == hi:
		return fmt.Sprintf("exactly %d arguments", lo)
	}
	return fmt.Sprintf("%d to %d arguments", lo, hi)
}
