package render

import (
	"fmt"
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"

	"walnotify/internal/pydate"
	"walnotify/internal/pyfloat"
	"walnotify/internal/pyformat"
	"walnotify/internal/pystr"
)

// percentFormat is Python's printf-style formatting, "format % args" (and the |format filter),
// by internal/pyformat, which conditions share. A tuple gives the arguments, a dict the
// (key)s, anything else, a list too, is the one argument, as in Python. Widths, precisions and values are charged to
// the rendering's budget before anything is built.
func percentFormat(st *state, format string, args *exec.Value) (string, error) {
	op := pyformat.Operand[*exec.Value]{Value: args}
	switch {
	case isTuple(args):
		op.IsTuple = true
		for _, item := range items(args) {
			op.Tuple = append(op.Tuple, exec.ToValue(item))
		}
	case args.IsDict():
		op.Lookup = func(key string) (*exec.Value, error) {
			v, ok := args.GetItem(key)
			if !ok {
				return nil, fmt.Errorf("KeyError: '%s'", key)
			}
			return v, nil
		}
	}
	return pyformat.Format(percentModel(st), format, op)
}

// percentModel is how pyformat reads template values and charges st's budget.
func percentModel(st *state) pyformat.Model[*exec.Value] {
	return pyformat.Model[*exec.Value]{
		Str:  pyStr,
		Repr: pyRepr,
		Number: func(v *exec.Value) (pyformat.Number, bool) {
			n, ok := asNum(v)
			return pyformat.Number{Int: int64(n.i), Float: n.f, IsFloat: n.isFloat}, ok
		},
		Text: func(v *exec.Value) (string, bool) {
			if !v.IsString() {
				return "", false
			}
			return v.String(), true
		},
		TypeName: pyType,
		Size: func(v *exec.Value, repr bool) float64 {
			if v.IsString() && !repr {
				return float64(len(v.String()))
			}
			return textSize(v.Interface(), float64(st.limits.MaxString)+1)
		},
		Charge: st.charge,
	}
}

// pyStr is Python's str() of a template value.
func pyStr(v *exec.Value) string {
	if v.IsNil() {
		return "None"
	}
	return display(v)
}

// pyRepr is Python's repr() of a template value.
func pyRepr(v *exec.Value) string {
	if v.IsString() {
		return pystr.Repr(v.String())
	}
	return pyStr(v)
}

// strFormat is Python's str.format, by internal/pyformat: {} {0} {name} {0.attr} {0[key]}, !s
// !r !a conversions and the format-spec mini-language, fields in specs included.
func strFormat(st *state, s string, args *exec.VarArgs) (any, error) {
	return pyformat.StrFormat(formatModel(st), formatFields, s, pyformat.Args[*exec.Value]{Pos: args.Args, Kw: args.KwArgs})
}

// strFormatMap is str.format_map(mapping).
func strFormatMap(st *state, s string, args *exec.VarArgs) (any, error) {
	if len(args.Args) != 1 || !args.Args[0].IsDict() {
		return nil, fmt.Errorf("TypeError: format_map() takes exactly one mapping")
	}
	mapping := args.Args[0]
	return pyformat.StrFormat(formatModel(st), formatFields, s, pyformat.Args[*exec.Value]{Mapping: func(key string) (*exec.Value, error) {
		v, ok := mapping.GetItem(key)
		if !ok {
			return nil, fmt.Errorf("KeyError: '%s'", key)
		}
		return v, nil
	}})
}

// formatFields reads str.format's {0.attr} (an attribute, else a key) and {0[key]}.
var formatFields = pyformat.Fields[*exec.Value]{
	Attr: func(v *exec.Value, name string) (*exec.Value, error) {
		x, ok := v.GetAttribute(name)
		if !ok {
			x, ok = v.GetItem(name)
		}
		if !ok {
			return nil, fmt.Errorf("AttributeError: '%s' object has no attribute '%s'", pyType(v), name)
		}
		return x, nil
	},
	Item: func(v *exec.Value, key any) (*exec.Value, error) {
		x, ok := v.GetItem(key)
		if !ok {
			return nil, fmt.Errorf("KeyError: %v", key)
		}
		return x, nil
	},
}

// formatModel is percentModel for format(v, spec) (pyformat.FormatSpec): a date's spec is its
// strftime format ("{:%d.%m.%Y}") when it has a % (see datevalues.go: a date text is also a
// text).
func formatModel(st *state) pyformat.Model[*exec.Value] {
	m := percentModel(st)
	m.Own = func(v *exec.Value, spec string) (string, bool, error) {
		if !strings.Contains(spec, "%") {
			return "", false, nil
		}
		t, _, ok := asDate(v)
		if !ok {
			return "", false, nil
		}
		if err := st.charge(12 * float64(len(spec))); err != nil {
			return "", false, err
		}
		return pydate.Strftime(t, spec), true, nil
	}
	return m
}

// pyFloatRepr is Python's repr() of a float (pyfloat.Repr).
func pyFloatRepr(f float64) string { return pyfloat.Repr(f) }
