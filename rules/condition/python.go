package condition

import (
	"cmp"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"walnotify/internal/pydate"
	"walnotify/internal/pyfloat"
	"walnotify/internal/pyslice"
	"walnotify/internal/pystr"
)

// This file gives document values Python's semantics: truthiness, equality, ordering,
// membership, attribute and item access, arithmetic, str() and repr(). Values are the plain Go
// values of a row: nil, bool, int64 (other Go integer types are accepted too; *big.Int for an
// int past int64's range, bigint.go), float64, string,
// []any (lists and tuples alike) and map[string]any (child rows, JSON); pydate.Timedelta, the
// difference of two dates (dates.go); and the dicts a condition writes, with their views (dict.go).

// pyError is a Python exception raised while evaluating a condition.
type pyError struct {
	kind string // TypeError, ValueError, ...
	msg  string
}

func (e *pyError) Error() string { return e.kind + ": " + e.msg }

func typeError(format string, args ...any) error {
	return &pyError{"TypeError", fmt.Sprintf(format, args...)}
}

func valueError(format string, args ...any) error {
	return &pyError{"ValueError", fmt.Sprintf(format, args...)}
}

// typeName is Python's name for the type of v, as shown in its error messages.
func typeName(v any) string {
	switch x := v.(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case string:
		return "str"
	case []any:
		return "list"
	case map[string]any, *dict:
		return "dict"
	case dictView:
		return x.typeName()
	case pydate.Timedelta:
		return "datetime.timedelta"
	case *big.Int:
		return "int"
	}
	if n, ok := number(v); ok {
		if n.isFloat {
			return "float"
		}
		return "int"
	}
	return fmt.Sprintf("%T", v)
}

// num is a Python number: an int (bools count as ints, as in Python) or a float.
type num struct {
	i       int64
	f       float64
	isFloat bool
}

func (n num) float() float64 {
	if n.isFloat {
		return n.f
	}
	return float64(n.i)
}

// integer reads v as a Python int where one is required (operator.index): an int or a bool,
// not a float.
func integer(v any) (int64, error) {
	n, ok := number(v)
	if !ok || n.isFloat {
		return 0, typeError("'%s' object cannot be interpreted as an integer", typeName(v))
	}
	return n.i, nil
}

// number reads v as a Python number.
func number(v any) (num, bool) {
	switch x := v.(type) {
	case int64:
		return num{i: x}, true
	case float64:
		return num{f: x, isFloat: true}, true
	case bool:
		if x {
			return num{i: 1}, true
		}
		return num{}, true
	case int:
		return num{i: int64(x)}, true
	case int32:
		return num{i: int64(x)}, true
	case int16:
		return num{i: int64(x)}, true
	case int8:
		return num{i: int64(x)}, true
	case uint8:
		return num{i: int64(x)}, true
	case uint16:
		return num{i: int64(x)}, true
	case uint32:
		return num{i: int64(x)}, true
	case uint64:
		if x > math.MaxInt64 {
			return num{f: float64(x), isFloat: true}, true
		}
		return num{i: int64(x)}, true
	case float32:
		return num{f: float64(x), isFloat: true}, true
	}
	return num{}, false
}

// value turns a number back into the value conditions see: int64 or float64.
func (n num) value() any {
	if n.isFloat {
		return n.f
	}
	return n.i
}

// truthy is Python's bool(v): None, False, 0, 0.0, "", empty lists and dicts and a timedelta of
// 0 are false.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	case *dict:
		return len(x.keys) > 0
	case dictView:
		return len(x.d.keys) > 0
	case int64:
		return x != 0
	case float64:
		return x != 0
	case pydate.Timedelta:
		return x != pydate.Timedelta{}
	case *big.Int:
		return x.Sign() != 0
	}
	if n, ok := number(v); ok {
		return n.float() != 0 // NaN is true, as in Python
	}
	return true
}

// equality makes == (eq true) or !=: Python's equality, and its error where comparing two
// dict views hashes an unhashable value.
func equality(eq bool) func(a ...any) (any, error) {
	return func(a ...any) (any, error) {
		if err := viewEqualityError(a[0], a[1]); err != nil {
			return nil, err
		}
		return equal(a[0], a[1]) == eq, nil
	}
}

// equal is Python's ==: numbers compare by value across int, float and bool, lists and dicts
// element by element, and values of different kinds are simply not equal.
func equal(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		if y, ok := b.(*dict); ok {
			return y.equal(x)
		}
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !equal(v, w) {
				return false
			}
		}
		return true
	case *dict:
		return x.equal(b)
	case dictView:
		return x.equal(b)
	case pydate.Timedelta:
		y, ok := b.(pydate.Timedelta)
		return ok && x == y
	case *big.Int:
		c, ok := compareBig(a, b)
		return ok && c == 0
	}
	if x, ok := number(a); ok {
		y, ok := number(b)
		if !ok {
			c, ok := compareBig(a, b)
			return ok && c == 0
		}
		return compareNumbers(x, y) == 0
	}
	if b == nil {
		return false
	}
	return reflect.DeepEqual(a, b)
}

// unordered is the result of compare when a float NaN is involved: every ordering is false.
const unordered = 2

// compare orders a and b as Python does for op ("<", "<=", ">", ">="): numbers by value,
// strings by code point, lists lexicographically, timedeltas by length, a dict's keys and items
// views by inclusion. Anything else, None and dicts included, is a TypeError, as in Python 3.
func compare(op string, a, b any) (int, error) {
	if x, ok := number(a); ok {
		if y, ok := number(b); ok {
			return compareNumbers(x, y), nil
		}
	}
	if isBig(a) || isBig(b) {
		if c, ok := compareBig(a, b); ok {
			return c, nil
		}
	}
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			return strings.Compare(x, y), nil
		}
	case []any:
		if y, ok := b.([]any); ok {
			for i := 0; i < len(x) && i < len(y); i++ {
				if !equal(x[i], y[i]) {
					return compare(op, x[i], y[i])
				}
			}
			return cmp.Compare(len(x), len(y)), nil
		}
	case pydate.Timedelta:
		if y, ok := b.(pydate.Timedelta); ok {
			return compareTimedeltas(x, y), nil
		}
	case dictView:
		if y, ok := b.(dictView); ok && x.setLike() && y.setLike() {
			return x.compare(y), nil
		}
	}
	return 0, typeError("'%s' not supported between instances of '%s' and '%s'", op, typeName(a), typeName(b))
}

// compareNumbers orders two numbers by their exact values, as Python does: an int and a
// float are not compared as floats, so 2 ** 53 + 1 > 2.0 ** 53. A NaN is unordered.
func compareNumbers(x, y num) int {
	switch {
	case !x.isFloat && !y.isFloat:
		return cmp.Compare(x.i, y.i)
	case math.IsNaN(x.float()) || math.IsNaN(y.float()):
		return unordered
	case x.isFloat && y.isFloat:
		return cmp.Compare(x.f, y.f)
	case y.isFloat:
		return compareIntFloat(x.i, y.f)
	}
	return -compareIntFloat(y.i, x.f)
}

// compareIntFloat orders an int and a float (not NaN) by their exact values.
func compareIntFloat(i int64, f float64) int {
	switch {
	case f >= 1<<63:
		return -1
	case f < -1<<63:
		return 1
	}
	whole := math.Trunc(f)
	if c := cmp.Compare(i, int64(whole)); c != 0 {
		return c
	}
	return cmp.Compare(whole, f)
}

// contains is Python's "item in container": substring for strings, element for lists, key
// for dicts and rows, and as a dict's views hold them.
func contains(item, container any) (bool, error) {
	switch c := container.(type) {
	case string:
		s, ok := item.(string)
		if !ok {
			return false, typeError("'in <string>' requires string as left operand, not %s", typeName(item))
		}
		return strings.Contains(c, s), nil
	case []any:
		for _, v := range c {
			if equal(item, v) {
				return true, nil
			}
		}
		return false, nil
	case map[string]any:
		k, ok, err := textKey(item)
		_, found := c[k]
		return ok && found, err // the keys of a row are strings
	case *dict:
		_, found, err := c.find(item)
		return found, err
	case dictView:
		return c.contains(item)
	}
	return false, typeError("argument of type '%s' is not iterable", typeName(container))
}

// identical is Python's "is". Conditions use it with None, True and False; for other values
// it is equality of values of the same type.
func identical(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return typeName(a) == typeName(b) && equal(a, b)
}

// attribute is obj.name: a field of a row or a key of a dict, a missing one read as None like
// an unset field of an ERP document; the year, month... of a date text; the days, seconds and
// microseconds of a timedelta.
func attribute(obj any, name string) (any, error) {
	switch x := obj.(type) {
	case map[string]any:
		return x[name], nil
	case string:
		if v, ok, err := dateAttribute(x, name); ok {
			return v, err
		}
	case pydate.Timedelta:
		if v, ok := timedeltaAttribute(x, name); ok {
			return v, nil
		}
	}
	return nil, noAttribute(typeName(obj), name)
}

// index is obj[key]: rows by key (a missing key reads as None), dicts by key (a missing key
// is a KeyError), lists and strings by position, negative positions counting from the end.
func index(obj, key any) (any, error) {
	switch x := obj.(type) {
	case map[string]any:
		k, _ := key.(string)
		return x[k], nil
	case *dict:
		return x.lookup(key)
	case []any:
		i, err := position(key, int64(len(x)), "list")
		if err != nil {
			return nil, err
		}
		return x[i], nil
	case string:
		runes := []rune(x)
		i, err := position(key, int64(len(runes)), "string")
		if err != nil {
			return nil, err
		}
		return string(runes[i]), nil
	}
	return nil, typeError("'%s' object is not subscriptable", typeName(obj))
}

// position resolves a Python index against a sequence of length n.
func position(key any, n int64, what string) (int64, error) {
	k, ok := number(key)
	if !ok || k.isFloat {
		return 0, typeError("%s indices must be integers or slices, not %s", what, typeName(key))
	}
	i := k.i
	if i < 0 {
		i += n
	}
	if i < 0 || i >= n {
		return 0, &pyError{"IndexError", what + " index out of range"}
	}
	return i, nil
}

// slice is obj[lo:hi:step] with Python's clamping (pyslice.Range); lo, hi and step may be
// None. A negative step walks backwards from the end; a step of 0 is a ValueError.
func slice(obj, lo, hi, step any) (any, error) {
	integer := func(v any) (*int, error) {
		if v == nil {
			return nil, nil
		}
		k, ok := number(v)
		if !ok || k.isFloat {
			return nil, typeError("slice indices must be integers or None or have an __index__ method")
		}
		i := int(k.i)
		return &i, nil
	}
	var n int
	var runes []rune
	switch x := obj.(type) {
	case []any:
		n = len(x)
	case string:
		runes = []rune(x)
		n = len(runes)
	default:
		return nil, typeError("'%s' object is not subscriptable", typeName(obj))
	}
	by := 1
	if step != nil {
		b, err := integer(step)
		if err != nil {
			return nil, err
		}
		if *b == 0 {
			return nil, valueError("slice step cannot be zero")
		}
		by = *b
	}
	from, err := integer(lo)
	if err != nil {
		return nil, err
	}
	to, err := integer(hi)
	if err != nil {
		return nil, err
	}
	first, count := pyslice.Range(n, from, to, by)
	list, isList := obj.([]any)
	if by == 1 {
		if isList {
			return list[first : first+count : first+count], nil
		}
		return string(runes[first : first+count]), nil
	}
	if isList {
		out := make([]any, count)
		for k := range out {
			out[k] = list[first+k*by]
		}
		return out, nil
	}
	out := make([]rune, count)
	for k := range out {
		out[k] = runes[first+k*by]
	}
	return string(out), nil
}

// Arithmetic. Results are int64 or float64; an int result past int64 is a *big.Int, as
// Python's ints have no bounds (bigint.go).

func operandError(op string, a, b any) error {
	return typeError("unsupported operand type(s) for %s: '%s' and '%s'", op, typeName(a), typeName(b))
}

func add(a, b any) (any, error) {
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			if err := checkString(float64(len(x)) + float64(len(y))); err != nil {
				return nil, err
			}
			return x + y, nil
		}
		return nil, typeError(`can only concatenate str (not "%s") to str`, typeName(b))
	case []any:
		if y, ok := b.([]any); ok {
			if err := checkItems(float64(len(x)) + float64(len(y))); err != nil {
				return nil, err
			}
			return append(append(make([]any, 0, len(x)+len(y)), x...), y...), nil
		}
		return nil, typeError(`can only concatenate list (not "%s") to list`, typeName(b))
	}
	if r, ok, err := bigArith("+", a, b); ok {
		return r, err
	}
	x, y, err := numbers("+", a, b)
	if err != nil {
		return nil, err
	}
	if !x.isFloat && !y.isFloat {
		s := x.i + y.i
		if (s > x.i) == (y.i > 0) {
			return s, nil
		}
		return intArith("+", big.NewInt(x.i), big.NewInt(y.i))
	}
	return x.float() + y.float(), nil
}

// sub is a - b: numbers, or two date texts or two timestamp texts, whose difference is a
// timedelta.
func sub(a, b any) (any, error) {
	if s, ok := a.(string); ok {
		if t, ok := b.(string); ok {
			if d, ok, err := subDates(s, t); ok {
				return d, err
			}
		}
	}
	if r, ok, err := bigArith("-", a, b); ok {
		return r, err
	}
	x, y, err := numbers("-", a, b)
	if err != nil {
		return nil, err
	}
	if !x.isFloat && !y.isFloat {
		d := x.i - y.i
		if (d < x.i) == (y.i > 0) {
			return d, nil
		}
		return intArith("-", big.NewInt(x.i), big.NewInt(y.i))
	}
	return x.float() - y.float(), nil
}

func mul(a, b any) (any, error) {
	if s, ok := a.(string); ok {
		return repeat(s, b)
	}
	if s, ok := b.(string); ok {
		return repeat(s, a)
	}
	if l, ok := a.([]any); ok {
		return repeatList(l, b)
	}
	if l, ok := b.([]any); ok {
		return repeatList(l, a)
	}
	if r, ok, err := bigArith("*", a, b); ok {
		return r, err
	}
	x, y, err := numbers("*", a, b)
	if err != nil {
		return nil, err
	}
	if !x.isFloat && !y.isFloat {
		hi, lo := bits.Mul64(uint64(abs(x.i)), uint64(abs(y.i)))
		if hi == 0 && lo <= math.MaxInt64 {
			return x.i * y.i, nil
		}
		return intArith("*", big.NewInt(x.i), big.NewInt(y.i))
	}
	return x.float() * y.float(), nil
}

func abs(i int64) int64 {
	if i < 0 {
		return -i
	}
	return i
}

func repeat(s string, times any) (any, error) {
	n, ok := number(times)
	if !ok || n.isFloat {
		return nil, typeError("can't multiply sequence by non-int of type '%s'", typeName(times))
	}
	if n.i <= 0 {
		return "", nil
	}
	if err := checkString(float64(len(s)) * float64(n.i)); err != nil {
		return nil, err
	}
	return strings.Repeat(s, int(n.i)), nil
}

// repeatList is list * n: the items n times over, none for n <= 0.
func repeatList(l []any, times any) (any, error) {
	n, ok := number(times)
	if !ok || n.isFloat {
		return nil, typeError("can't multiply sequence by non-int of type '%s'", typeName(times))
	}
	if n.i <= 0 || len(l) == 0 {
		return []any{}, nil
	}
	if err := checkItems(float64(len(l)) * float64(n.i)); err != nil {
		return nil, err
	}
	out := make([]any, 0, len(l)*int(n.i))
	for range n.i {
		out = append(out, l...)
	}
	return out, nil
}

func trueDivide(a, b any) (any, error) {
	if r, ok, err := bigArith("/", a, b); ok {
		return r, err
	}
	x, y, err := numbers("/", a, b)
	if err != nil {
		return nil, err
	}
	if !x.isFloat && !y.isFloat && y.i != 0 && (abs(x.i) > 1<<53 || abs(y.i) > 1<<53) {
		return intArith("/", big.NewInt(x.i), big.NewInt(y.i)) // rounded once, as Python's
	}
	if y.float() == 0 {
		return nil, &pyError{"ZeroDivisionError", "division by zero"}
	}
	return x.float() / y.float(), nil
}

func floorDivide(a, b any) (any, error) {
	if r, ok, err := bigArith("//", a, b); ok {
		return r, err
	}
	x, y, err := numbers("//", a, b)
	if err != nil {
		return nil, err
	}
	if !x.isFloat && !y.isFloat {
		if y.i == 0 {
			return nil, &pyError{"ZeroDivisionError", "integer division or modulo by zero"}
		}
		if y.i == -1 && x.i == math.MinInt64 {
			return intArith("//", big.NewInt(x.i), big.NewInt(y.i))
		}
		q := x.i / y.i
		if x.i%y.i != 0 && (x.i < 0) != (y.i < 0) {
			q--
		}
		return q, nil
	}
	if y.float() == 0 {
		return nil, &pyError{"ZeroDivisionError", "float floor division by zero"}
	}
	return pyfloat.FloorDiv(x.float(), y.float()), nil
}

func modulo(a, b any) (any, error) {
	if s, ok := a.(string); ok {
		return percent(s, b, false)
	}
	if r, ok, err := bigArith("%", a, b); ok {
		return r, err
	}
	x, y, err := numbers("%", a, b)
	if err != nil {
		return nil, err
	}
	if !x.isFloat && !y.isFloat {
		if y.i == 0 {
			return nil, &pyError{"ZeroDivisionError", "integer modulo by zero"}
		}
		if y.i == -1 {
			return int64(0), nil
		}
		r := x.i % y.i
		if r != 0 && (r < 0) != (y.i < 0) {
			r += y.i
		}
		return r, nil
	}
	if y.float() == 0 {
		return nil, &pyError{"ZeroDivisionError", "float modulo"}
	}
	return pyfloat.Mod(x.float(), y.float()), nil
}

func power(a, b any) (any, error) {
	if r, ok, err := bigArith("**", a, b); ok {
		return r, err
	}
	x, y, err := numbers("**", a, b)
	if err != nil {
		return nil, err
	}
	if !x.isFloat && !y.isFloat && y.i >= 0 {
		if r, ok := intPower(x.i, y.i); ok {
			return r, nil
		}
		return intArith("**", big.NewInt(x.i), big.NewInt(y.i))
	}
	if x.float() == 0 && y.float() < 0 {
		return nil, &pyError{"ZeroDivisionError", "0.0 cannot be raised to a negative power"}
	}
	r := pyfloat.Pow(x.float(), y.float())
	if math.IsNaN(r) && !math.IsNaN(x.float()) && !math.IsNaN(y.float()) {
		return nil, valueError("math domain error: a negative number to a fractional power is complex")
	}
	if (x.isFloat || y.isFloat) && math.IsInf(r, 0) && !math.IsInf(x.float(), 0) && !math.IsInf(y.float(), 0) {
		return nil, &pyError{"OverflowError", "(34, 'Numerical result out of range')"}
	}
	return r, nil
}

// intPower is base**exp in int64, reporting false on overflow. A base of 0, 1 or -1 never
// overflows, whatever the exponent (1 ** 3 ** 32 is 1, at once); any other base overflows
// within 63 multiplications.
func intPower(base, exp int64) (int64, bool) {
	switch {
	case exp == 0:
		return 1, true
	case base == 0 || base == 1:
		return base, true
	case base == -1 && exp%2 == 0:
		return 1, true
	case base == -1:
		return -1, true
	}
	result := int64(1)
	for ; exp > 0; exp-- {
		hi, lo := bits.Mul64(uint64(abs(result)), uint64(abs(base)))
		if hi != 0 || lo > math.MaxInt64 {
			return 0, false
		}
		result *= base
		if result == 0 {
			return 0, true
		}
	}
	return result, true
}

func numbers(op string, a, b any) (num, num, error) {
	x, ok := number(a)
	y, ok2 := number(b)
	if !ok || !ok2 {
		return num{}, num{}, operandError(op, a, b)
	}
	return x, y, nil
}

func negate(a any) (any, error) {
	if b, ok := a.(*big.Int); ok {
		return normInt(new(big.Int).Neg(b)), nil
	}
	x, ok := number(a)
	if !ok {
		return nil, typeError("bad operand type for unary -: '%s'", typeName(a))
	}
	if x.isFloat {
		return -x.f, nil
	}
	if x.i == math.MinInt64 {
		return new(big.Int).Neg(big.NewInt(x.i)), nil
	}
	return -x.i, nil
}

func plus(a any) (any, error) {
	if b, ok := a.(*big.Int); ok {
		return b, nil
	}
	x, ok := number(a)
	if !ok {
		return nil, typeError("bad operand type for unary +: '%s'", typeName(a))
	}
	return x.value(), nil
}

// str is Python's str(v).
func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case pydate.Timedelta:
		return x.String()
	}
	return repr(v)
}

// repr is Python's repr(v). A row's keys come out sorted, as it has no insertion order; a
// dict's in its order.
func repr(v any) string {
	switch x := v.(type) {
	case string:
		return quote(x)
	case nil, bool:
		return str(x)
	case []any:
		parts := make([]string, len(x))
		for i, item := range x {
			parts[i] = repr(item)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = quote(k) + ": " + repr(x[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case *dict:
		parts := make([]string, len(x.keys))
		for i, k := range x.keys {
			parts[i] = quote(k) + ": " + repr(x.items[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case dictView:
		parts := make([]string, len(x.d.keys))
		for i, e := range x.elements() {
			parts[i] = repr(e)
			if x.kind == itemsView { // a pair prints as the tuple it is
				pair := e.([]any)
				parts[i] = "(" + repr(pair[0]) + ", " + repr(pair[1]) + ")"
			}
		}
		return x.typeName() + "([" + strings.Join(parts, ", ") + "])"
	case pydate.Timedelta:
		return timedeltaRepr(x)
	case *big.Int:
		return x.String()
	}
	if n, ok := number(v); ok {
		if n.isFloat {
			return formatFloat(n.f)
		}
		return strconv.FormatInt(n.i, 10)
	}
	return fmt.Sprint(v)
}

// formatFloat writes f as Python's repr does: the shortest digits that read back as f, always
// with a decimal point or an exponent ("40000.0", "0.1", "1e+16", "1e-05").
func formatFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	exp := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±XX
	e, _ := strconv.Atoi(exp[strings.IndexByte(exp, 'e')+1:])
	if e < -4 || e >= 16 {
		return exp
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsRune(s, '.') {
		s += ".0"
	}
	return s
}

// quote is Python's repr of a string (pystr.Repr).
func quote(s string) string { return pystr.Repr(s) }
