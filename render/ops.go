package render

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/tokens"

	"walnotify/internal/pyfloat"
)

// Templates' arithmetic is Python's, and runs under the rendering's Limits. prepare replaces
// every arithmetic BinaryExpression of the parsed template by a call to one of the functions
// below (named so that no template can name them), because gonja's evaluator builds the result
// first ("x" * n is strings.Repeat) and follows Go's rules (-7 // 2 is -3, 1 + "x" is "1x").
// The comparisons are Python's too (see pyEqual and pyOrder); and/or stay gonja's.

// binaryOps maps an operator to the hidden global that computes it.
var binaryOps = map[tokens.Type]string{
	tokens.Addition:           "\x00+",
	tokens.Subtraction:        "\x00-",
	tokens.Multiply:           "\x00*",
	tokens.Division:           "\x00/",
	tokens.FloorDivision:      "\x00//",
	tokens.Modulo:             "\x00%",
	tokens.Power:              "\x00**",
	tokens.Tilde:              "\x00~",
	tokens.Equals:             "\x00==",
	tokens.Ne:                 "\x00!=",
	tokens.LowerThan:          "\x00<",
	tokens.LowerThanOrEqual:   "\x00<=",
	tokens.GreaterThan:        "\x00>",
	tokens.GreaterThanOrEqual: "\x00>=",
}

// operatorFunctions are the globals named in binaryOps.
func operatorFunctions() map[string]any {
	ops := map[string]func(*state, *exec.Value, *exec.Value) (any, error){
		"+": opAdd, "-": opSub, "*": opMul, "/": opDiv, "//": opFloorDiv, "%": opMod, "**": opPow, "~": opConcat,
		"==": func(st *state, a, b *exec.Value) (any, error) { return pyEqual(st.format.unescape, a, b), nil },
		"!=": func(st *state, a, b *exec.Value) (any, error) { return !pyEqual(st.format.unescape, a, b), nil },
	}
	for _, op := range []string{"<", "<=", ">", ">="} {
		ops[op] = func(st *state, a, b *exec.Value) (any, error) { return pyOrder(st.format, op, a, b) }
	}
	out := make(map[string]any, len(ops)+2)
	for sym, negative := range map[string]bool{"-x": true, "+x": false} {
		out["\x00"+sym] = func(_ *exec.Evaluator, va *exec.VarArgs) (any, error) {
			return opSign(negative, va.Args[0])
		}
	}
	for sym, f := range ops {
		out["\x00"+sym] = func(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
			if len(va.Args) != 2 {
				return nil, fmt.Errorf("operator %s: expected two operands", sym)
			}
			return f(stateOf(e.Environment.Context), va.Args[0], va.Args[1])
		}
	}
	return out
}

// opSign is Python's -x and +x: of a number, a bool read as the int it is (-True is -1, +True
// 1); anything else is Python's TypeError (gonja refused -True and gave +"a" as it is).
func opSign(negative bool, v *exec.Value) (any, error) {
	n, ok := asNum(v)
	switch {
	case !ok && negative:
		return nil, fmt.Errorf("TypeError: bad operand type for unary -: '%s'", pyType(v))
	case !ok:
		return nil, fmt.Errorf("TypeError: bad operand type for unary +: '%s'", pyType(v))
	case n.isFloat && negative:
		return -n.f, nil
	case n.isFloat:
		return n.f, nil
	case negative:
		return -n.i, nil
	}
	return n.i, nil
}

// operatorCall is the call that replaces e, or e itself when its operator stays gonja's.
func operatorCall(e *nodes.BinaryExpression) nodes.Expression {
	name, ok := binaryOps[e.Operator.Token.Type]
	if !ok {
		return e
	}
	at := e.Operator.Token
	fn := &nodes.Name{Name: &tokens.Token{Type: tokens.Name, Val: name, Pos: at.Pos, Line: at.Line, Col: at.Col}}
	return &nodes.Call{Location: at, Func: fn, Args: []nodes.Expression{e.Left, e.Right}, Kwargs: map[string]nodes.Expression{}}
}

// pyNum is a Python number operand: an int (bool included) or a float.
type pyNum struct {
	isFloat bool
	i       int
	f       float64
}

func (n pyNum) float() float64 {
	if n.isFloat {
		return n.f
	}
	return float64(n.i)
}

func asNum(v *exec.Value) (pyNum, bool) {
	switch {
	case v.IsNil():
		return pyNum{}, false
	case v.IsBool():
		if v.Bool() {
			return pyNum{i: 1}, true
		}
		return pyNum{}, true
	case v.IsInteger():
		return pyNum{i: v.Integer()}, true
	case v.IsFloat():
		return pyNum{isFloat: true, f: v.Float()}, true
	}
	return pyNum{}, false
}

// pyType is the Python name of v's type, for errors.
func pyType(v *exec.Value) string {
	switch {
	case v.IsNil():
		return "NoneType"
	case v.IsBool():
		return "bool"
	case v.IsInteger():
		return "int"
	case v.IsFloat():
		return "float"
	case v.IsString():
		return "str"
	case isTuple(v):
		return "tuple"
	case v.IsList():
		return "list"
	case v.IsDict():
		return "dict"
	}
	return reflect.TypeOf(v.Interface()).String()
}

func unsupported(op string, a, b *exec.Value) error {
	return fmt.Errorf("TypeError: unsupported operand type(s) for %s: '%s' and '%s'", op, pyType(a), pyType(b))
}

var errZeroDivision = errors.New("ZeroDivisionError: division by zero")

// arith applies an operator on two numbers: ints stay ints (an overflow becomes a float, as
// Python's big ints would print close to it), anything with a float is a float.
func arith(op string, a, b *exec.Value, ints func(x, y int) (int, bool), floats func(x, y float64) float64) (any, error) {
	x, ok1 := asNum(a)
	y, ok2 := asNum(b)
	if !ok1 || !ok2 {
		return nil, unsupported(op, a, b)
	}
	if !x.isFloat && !y.isFloat && ints != nil {
		if r, ok := ints(x.i, y.i); ok {
			return r, nil
		}
	}
	return floats(x.float(), y.float()), nil
}

// pyEqual is Python's ==: numbers by value whatever their type (True == 1 == 1.0, where gonja
// compares a bool with a number as different types), texts once text has mapped them (the
// operators compare them as written: the document's are escaped for the service by then, "A & B"
// is "A &amp; B" on Slack), a tuple never equal to a list, lists item by item; anything else as
// gonja compares it.
func pyEqual(text func(string) string, a, b *exec.Value) bool {
	if a.IsString() && b.IsString() {
		return text(a.String()) == text(b.String())
	}
	if x, ok := asNum(a); ok {
		if y, ok := asNum(b); ok {
			if !x.isFloat && !y.isFloat {
				return x.i == y.i
			}
			return x.float() == y.float()
		}
		return false
	}
	if a.IsList() && b.IsList() {
		l, r := items(a), items(b)
		if isTuple(a) != isTuple(b) || len(l) != len(r) {
			return false
		}
		for i := range l {
			if !pyEqual(text, exec.AsValue(l[i]), exec.AsValue(r[i])) {
				return false
			}
		}
		return true
	}
	return a.EqualValueTo(b)
}

// asWritten is the text mapping that keeps a text as it is.
func asWritten(s string) string { return s }

// pyOrder is Python's <, <=, > and >= (op), texts as written (see pyOrdering). Anything that
// does not order, None included, is a TypeError that ends the rendering, as it fails the ERP's
// notification (gonja compared them somehow: None < 5 was false, and the message went out).
func pyOrder(f Format, op string, a, b *exec.Value) (bool, error) {
	c, err := pyOrdering(op, f.unescape, a, b)
	if err != nil || c == unordered {
		return false, err
	}
	switch op {
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	case ">":
		return c > 0, nil
	}
	return c >= 0, nil
}

// unordered is pyOrdering's result when a float NaN is involved: every ordering is false.
const unordered = 2

// pyOrdering orders a and b as Python's op does: numbers by value, bools among them; texts by
// code point once text has mapped them; a list with a list and a tuple with a tuple, from their
// first items that are not equal (==). Anything else is a TypeError.
func pyOrdering(op string, text func(string) string, a, b *exec.Value) (int, error) {
	if x, ok := asNum(a); ok {
		if y, ok := asNum(b); ok {
			xf, yf := x.float(), y.float()
			switch {
			case !x.isFloat && !y.isFloat:
				return cmp.Compare(x.i, y.i), nil
			case math.IsNaN(xf) || math.IsNaN(yf):
				return unordered, nil
			}
			return cmp.Compare(xf, yf), nil
		}
	}
	if a.IsString() && b.IsString() {
		return strings.Compare(text(a.String()), text(b.String())), nil
	}
	if a.IsList() && b.IsList() && isTuple(a) == isTuple(b) {
		l, r := items(a), items(b)
		for i := 0; i < len(l) && i < len(r); i++ {
			x, y := exec.AsValue(l[i]), exec.AsValue(r[i])
			if !pyEqual(text, x, y) {
				return pyOrdering(op, text, x, y)
			}
		}
		return cmp.Compare(len(l), len(r)), nil
	}
	return 0, fmt.Errorf("TypeError: '%s' not supported between instances of '%s' and '%s'", op, pyType(a), pyType(b))
}

func isTuple(v *exec.Value) bool {
	_, ok := v.Interface().(pyTuple)
	return ok
}

// pyContains is Python's item in container: a text in a text, an item equal (==) to one of a
// list's or a tuple's, a key of a dict; texts as written. Nothing is in None: an undefined value
// (a field of NULL) holds nothing in the ERP's Jinja2, and is None here too. Anything else is a
// TypeError.
func pyContains(f Format, item, container *exec.Value) (bool, error) {
	switch {
	case container.IsNil():
		return false, nil
	case container.IsString():
		if !item.IsString() {
			return false, fmt.Errorf("TypeError: 'in <string>' requires string as left operand, not %s", pyType(item))
		}
		return strings.Contains(f.unescape(container.String()), f.unescape(item.String())), nil
	case container.IsList():
		for _, x := range items(container) {
			if pyEqual(f.unescape, item, exec.AsValue(x)) {
				return true, nil
			}
		}
		return false, nil
	case container.IsDict():
		if item.IsList() || item.IsDict() {
			return false, fmt.Errorf("TypeError: unhashable type: '%s'", pyType(item))
		}
		return container.Contains(item), nil
	}
	return false, fmt.Errorf("TypeError: argument of type '%s' is not iterable", pyType(container))
}

func opAdd(st *state, a, b *exec.Value) (any, error) {
	switch {
	case a.IsString() && b.IsString():
		if err := st.charge(float64(len(a.String())) + float64(len(b.String()))); err != nil {
			return nil, err
		}
		return a.String() + b.String(), nil
	case a.IsList() && b.IsList():
		if isTuple(a) != isTuple(b) {
			return nil, fmt.Errorf("TypeError: can only concatenate %s (not %q) to %[1]s", pyType(a), pyType(b))
		}
		x, y := items(a), items(b)
		if err := st.chargeItems(float64(len(x)) + float64(len(y))); err != nil {
			return nil, err
		}
		joined := append(append(make([]any, 0, len(x)+len(y)), x...), y...)
		if isTuple(a) {
			return pyTuple(joined), nil
		}
		return joined, nil
	}
	return arith("+", a, b, func(x, y int) (int, bool) {
		r := x + y
		return r, (r > x) == (y > 0)
	}, func(x, y float64) float64 { return x + y })
}

func opSub(_ *state, a, b *exec.Value) (any, error) {
	if d, ok, err := dateSub(a, b); ok {
		return d, err
	}
	return arith("-", a, b, func(x, y int) (int, bool) {
		r := x - y
		return r, (r < x) == (y > 0)
	}, func(x, y float64) float64 { return x - y })
}

func opMul(st *state, a, b *exec.Value) (any, error) {
	seq, times := a, b
	if b.IsString() || b.IsList() {
		seq, times = b, a
	}
	if seq.IsString() || seq.IsList() {
		n, ok := asNum(times)
		if !ok || n.isFloat {
			return nil, fmt.Errorf("TypeError: can't multiply sequence by non-int of type '%s'", pyType(times))
		}
		count := max(n.i, 0)
		if seq.IsString() {
			s := seq.String()
			if err := st.charge(float64(len(s)) * float64(count)); err != nil {
				return nil, err
			}
			return strings.Repeat(s, count), nil
		}
		l := items(seq)
		if err := st.chargeItems(float64(len(l)) * float64(count)); err != nil {
			return nil, err
		}
		out := make([]any, 0, len(l)*count)
		for range count {
			out = append(out, l...)
		}
		return out, nil
	}
	return arith("*", a, b, func(x, y int) (int, bool) {
		if x == 0 || y == 0 {
			return 0, true
		}
		r := x * y
		return r, r/y == x && !(x == -1 && y == math.MinInt) && !(y == -1 && x == math.MinInt)
	}, func(x, y float64) float64 { return x * y })
}

func opDiv(_ *state, a, b *exec.Value) (any, error) {
	x, ok1 := asNum(a)
	y, ok2 := asNum(b)
	if !ok1 || !ok2 {
		return nil, unsupported("/", a, b)
	}
	if y.float() == 0 {
		return nil, errZeroDivision
	}
	return x.float() / y.float(), nil
}

func opFloorDiv(_ *state, a, b *exec.Value) (any, error) {
	x, ok1 := asNum(a)
	y, ok2 := asNum(b)
	if !ok1 || !ok2 {
		return nil, unsupported("//", a, b)
	}
	if y.float() == 0 {
		return nil, errors.New("ZeroDivisionError: integer division or modulo by zero")
	}
	if !x.isFloat && !y.isFloat && !(x.i == math.MinInt && y.i == -1) {
		q := x.i / y.i
		if (x.i%y.i != 0) && ((x.i < 0) != (y.i < 0)) {
			q--
		}
		return q, nil
	}
	return pyfloat.FloorDiv(x.float(), y.float()), nil
}

func opMod(st *state, a, b *exec.Value) (any, error) {
	if a.IsString() {
		return percentFormat(st, a.String(), b)
	}
	x, ok1 := asNum(a)
	y, ok2 := asNum(b)
	if !ok1 || !ok2 {
		return nil, unsupported("%", a, b)
	}
	if y.float() == 0 {
		return nil, errors.New("ZeroDivisionError: integer modulo by zero")
	}
	if !x.isFloat && !y.isFloat {
		if y.i == -1 {
			return 0, nil
		}
		r := x.i % y.i
		if r != 0 && (r < 0) != (y.i < 0) {
			r += y.i
		}
		return r, nil
	}
	return pyfloat.Mod(x.float(), y.float()), nil
}

func opPow(_ *state, a, b *exec.Value) (any, error) {
	x, ok1 := asNum(a)
	y, ok2 := asNum(b)
	if !ok1 || !ok2 {
		return nil, unsupported("**", a, b)
	}
	if !x.isFloat && !y.isFloat && y.i >= 0 {
		r, ok := 1, true
		base := x.i
		for e := y.i; e > 0 && ok; e-- {
			next := r * base
			if base != 0 && next/base != r {
				ok = false
			}
			r = next
			if r == 0 || r == 1 && base == 1 {
				break
			}
			if base == -1 {
				if y.i%2 == 0 {
					r = 1
				} else {
					r = -1
				}
				break
			}
		}
		if ok {
			return r, nil
		}
	}
	if x.float() == 0 && y.float() < 0 {
		return nil, errors.New("ZeroDivisionError: 0.0 cannot be raised to a negative power")
	}
	r := pyfloat.Pow(x.float(), y.float())
	if math.IsNaN(r) && !math.IsNaN(x.float()) && !math.IsNaN(y.float()) {
		// Python's is a complex number, which templates do not compute (as conditions).
		return nil, errors.New("ValueError: math domain error: a negative number to a fractional power is complex")
	}
	if math.IsInf(r, 0) && (x.isFloat || y.isFloat) && !math.IsInf(x.float(), 0) && !math.IsInf(y.float(), 0) {
		// An int's power stays a float past 2**63 (see arith); Python's float power overflows.
		return nil, errors.New("OverflowError: (34, 'Numerical result out of range')")
	}
	return r, nil
}

// opConcat is Jinja2's ~: both operands as text (None as "None", as str(None) in Python).
func opConcat(st *state, a, b *exec.Value) (any, error) {
	if err := st.chargeText([]any{a.Interface(), b.Interface()}); err != nil {
		return nil, err
	}
	x, y := concatText(a), concatText(b)
	if err := st.charge(float64(len(x)) + float64(len(y))); err != nil {
		return nil, err
	}
	return x + y, nil
}

func concatText(v *exec.Value) string {
	if v.IsNil() {
		return "None"
	}
	return display(v)
}

// items are a list value's items, as plain Go values.
func items(v *exec.Value) []any {
	rv := reflect.ValueOf(v.Interface())
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
		if x, ok := out[i].(*exec.Value); ok {
			out[i] = x.Interface()
		}
	}
	return out
}
