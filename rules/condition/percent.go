package condition

import (
	"math/big"
	"strings"

	"walnotify/internal/pydate"
	"walnotify/internal/pyformat"
)

// percent is Python's "format % operand". A tuple operand gives the arguments (the caller
// knows a tuple from its syntax, as values do not tell tuples from lists); a dict or a row, or as
// in Python a list, is a mapping for "%(key)s"; anything else is the one argument.
func percent(format string, operand any, tuple bool) (any, error) {
	op := pyformat.Operand[any]{Value: operand}
	switch x := operand.(type) {
	case []any:
		if tuple {
			op.Tuple, op.IsTuple = x, true
			break
		}
		op.Lookup = func(string) (any, error) {
			return nil, typeError("list indices must be integers or slices, not str")
		}
	case map[string]any:
		op.Lookup = func(key string) (any, error) {
			if v, ok := x[key]; ok {
				return v, nil
			}
			return nil, &pyError{"KeyError", quote(key)}
		}
	case *dict:
		op.Lookup = func(key string) (any, error) { return x.lookup(key) }
	}
	return pyformat.Format(formatModel, format, op)
}

// formatSpec is Python's format(v, spec): an f-string's value with a format spec
// (f"{doc.grand_total:,.2f}"), by internal/pyformat, as templates' str.format. A date is text
// here, so a strftime spec ("%d.%m") is a text's ValueError, where the ERP's date fails in a
// condition on the import strftime makes.
func formatSpec(v, spec any) (any, error) {
	s, ok := spec.(string)
	if !ok { // a spec is always text: an f-string's or a literal's
		return nil, typeError("format() argument 2 must be str, not %s", typeName(spec))
	}
	return pyformat.FormatSpec(formatModel, v, s)
}

// strFormat is Python's str.format, s.format(*args, **kwargs), by internal/pyformat, as
// templates'. Its arguments come as the receiver, the number n of positional arguments, those,
// then each keyword argument's name and value.
func strFormat(a ...any) (any, error) {
	s, ok := a[0].(string)
	if !ok {
		return nil, noAttribute(typeName(a[0]), "format")
	}
	n := a[1].(int)
	args := pyformat.Args[any]{Pos: a[2 : 2+n]}
	if kw := a[2+n:]; len(kw) > 0 {
		args.Kw = make(map[string]any, len(kw)/2)
		for i := 0; i < len(kw); i += 2 {
			args.Kw[kw[i].(string)] = kw[i+1]
		}
	}
	return pyformat.StrFormat(formatModel, formatFields, s, args)
}

// formatFields reads str.format's {0.attr} and {0[key]} as a condition's attributes and
// indexing do.
var formatFields = pyformat.Fields[any]{
	Attr: attribute,
	Item: func(v, key any) (any, error) {
		if i, ok := key.(int); ok {
			key = int64(i)
		}
		return index(v, key)
	},
}

// formatModel is how pyformat reads the values of a condition.
var formatModel = pyformat.Model[any]{
	Str:  str,
	Repr: repr,
	Number: func(v any) (pyformat.Number, bool) {
		if b, ok := v.(*big.Int); ok {
			f, _ := new(big.Float).SetInt(b).Float64()
			return pyformat.Number{Big: b, Float: f}, true
		}
		n, ok := number(v)
		return pyformat.Number{Int: n.i, Float: n.f, IsFloat: n.isFloat}, ok
	},
	Text: func(v any) (string, bool) {
		s, ok := v.(string)
		return s, ok
	},
	TypeName: typeName,
	Size: func(v any, isRepr bool) float64 {
		if s, ok := v.(string); ok && !isRepr {
			return float64(len(s))
		}
		return reprSize(v, MaxString+1)
	},
	Charge: checkString,
}

// joinFString is an f-string's text: its literal parts and values, alternating, each value as
// str() writes it (one with a !r conversion already written by repr()), its length checked
// against MaxString before it is built.
func joinFString(a ...any) (any, error) {
	size := 0.0
	for _, v := range a {
		if s, ok := v.(string); ok {
			size += float64(len(s))
		} else {
			size += reprSize(v, MaxString+1)
		}
	}
	if err := checkString(size); err != nil {
		return nil, err
	}
	var b strings.Builder
	for _, v := range a {
		b.WriteString(str(v))
	}
	return b.String(), nil
}

// checkedRepr is repr(v), its length checked against MaxString before it is built.
func checkedRepr(v any) (any, error) {
	if err := checkString(reprSize(v, MaxString+1)); err != nil {
		return nil, err
	}
	return repr(v), nil
}

// reprSize bounds the length of str(v) or repr(v) without building it, counting no further
// than about limit.
func reprSize(v any, limit float64) float64 {
	switch x := v.(type) {
	case string:
		return float64(len(x))*4 + 2 // repr may escape every byte
	case []any:
		size := 2.0
		for _, item := range x {
			if size > limit {
				break
			}
			size += 2 + reprSize(item, limit-size)
		}
		return size
	case map[string]any:
		size := 2.0
		for k, item := range x {
			if size > limit {
				break
			}
			size += 4 + float64(len(k))*4 + reprSize(item, limit-size)
		}
		return size
	case *dict:
		size := 2.0
		for _, k := range x.keys {
			if size > limit {
				break
			}
			size += 4 + float64(len(k))*4 + reprSize(x.items[k], limit-size)
		}
		return size
	case dictView:
		return 16 + reprSize(x.elements(), limit)
	case pydate.Timedelta:
		return 80 // "datetime.timedelta(days=-999999999, seconds=86399, microseconds=999999)"
	case *big.Int:
		return float64(x.BitLen())*0.31 + 2 // its digits, log10(2) a bit, and a sign
	}
	return 32
}
