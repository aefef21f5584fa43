package render

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"

	"walnotify/internal/pydate"
	"walnotify/internal/pyformat"
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
		s := v.String()
		if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
			return `"` + strings.ReplaceAll(s, `\`, `\\`) + `"`
		}
		return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`, "\n", `\n`, "\t", `\t`, "\r", `\r`).Replace(s) + "'"
	}
	return pyStr(v)
}

// strFormat is Python's str.format: {} {0} {name} {0.attr} {0[key]}, !s !r conversions and the
// format-spec mini-language ([[fill]align][sign][#][0][width][,|_][.precision][type]), nested
// {} in specs included.
func strFormat(st *state, s string, args *exec.VarArgs) (any, error) {
	return formatString(st, s, args.Args, args.KwArgs, nil)
}

// strFormatMap is str.format_map(mapping).
func strFormatMap(st *state, s string, args *exec.VarArgs) (any, error) {
	if len(args.Args) != 1 || !args.Args[0].IsDict() {
		return nil, fmt.Errorf("TypeError: format_map() takes exactly one mapping")
	}
	return formatString(st, s, nil, nil, args.Args[0])
}

func formatString(st *state, s string, pos []*exec.Value, kw map[string]*exec.Value, mapping *exec.Value) (string, error) {
	var b strings.Builder
	auto := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '}' {
			if i+1 < len(s) && s[i+1] == '}' {
				b.WriteByte('}')
				i++
				continue
			}
			return "", fmt.Errorf("ValueError: Single '}' encountered in format string")
		}
		if c != '{' {
			b.WriteByte(c)
			continue
		}
		if i+1 < len(s) && s[i+1] == '{' {
			b.WriteByte('{')
			i++
			continue
		}
		// The field runs to the matching }, with one level of nested {} in the spec.
		depth, end := 1, -1
		for j := i + 1; j < len(s); j++ {
			if s[j] == '{' {
				depth++
			} else if s[j] == '}' {
				if depth--; depth == 0 {
					end = j
					break
				}
			}
		}
		if end < 0 {
			return "", fmt.Errorf("ValueError: expected '}' before end of string")
		}
		field := s[i+1 : end]
		i = end
		name, spec, hasSpec := strings.Cut(field, ":")
		name, conv, hasConv := strings.Cut(name, "!")
		lookup := func(name string) (*exec.Value, error) {
			head, rest := name, ""
			if k := strings.IndexAny(name, ".["); k >= 0 {
				head, rest = name[:k], name[k:]
			}
			var v *exec.Value
			switch {
			case mapping != nil:
				x, ok := mapping.GetItem(head)
				if !ok {
					return nil, fmt.Errorf("KeyError: '%s'", head)
				}
				v = x
			case head == "":
				if auto < 0 {
					return nil, fmt.Errorf("ValueError: cannot switch from manual field specification to automatic field numbering")
				}
				if auto >= len(pos) {
					return nil, fmt.Errorf("IndexError: Replacement index %d out of range for positional args tuple", auto)
				}
				v = pos[auto]
				auto++
			case head[0] >= '0' && head[0] <= '9':
				n, err := strconv.Atoi(head)
				if err != nil {
					return nil, fmt.Errorf("ValueError: bad field %q", head)
				}
				if auto > 0 {
					return nil, fmt.Errorf("ValueError: cannot switch from automatic field numbering to manual field specification")
				}
				auto = -1
				if n >= len(pos) {
					return nil, fmt.Errorf("IndexError: Replacement index %d out of range for positional args tuple", n)
				}
				v = pos[n]
			default:
				x, ok := kw[head]
				if !ok {
					return nil, fmt.Errorf("KeyError: '%s'", head)
				}
				v = x
			}
			for rest != "" {
				if rest[0] == '.' {
					rest = rest[1:]
					k := strings.IndexAny(rest, ".[")
					if k < 0 {
						k = len(rest)
					}
					x, ok := v.GetAttribute(rest[:k])
					if !ok {
						x, ok = v.GetItem(rest[:k])
					}
					if !ok {
						return nil, fmt.Errorf("AttributeError: '%s' object has no attribute '%s'", pyType(v), rest[:k])
					}
					v, rest = x, rest[k:]
					continue
				}
				k := strings.IndexByte(rest, ']')
				if k < 0 {
					return nil, fmt.Errorf("ValueError: Missing ']' in format string")
				}
				var key any = rest[1:k]
				if n, err := strconv.Atoi(rest[1:k]); err == nil {
					key = n
				}
				x, ok := v.GetItem(key)
				if !ok {
					return nil, fmt.Errorf("KeyError: %v", key)
				}
				v, rest = x, rest[k+1:]
			}
			return v, nil
		}
		v, err := lookup(name)
		if err != nil {
			return "", err
		}
		if hasConv {
			if err := st.chargeText(v.Interface()); err != nil {
				return "", err
			}
			switch conv {
			case "s":
				v = exec.AsValue(pyStr(v))
			case "r", "a":
				v = exec.AsValue(pyRepr(v))
			default:
				return "", fmt.Errorf("ValueError: Unknown conversion specifier %s", conv)
			}
		}
		if hasSpec && strings.Contains(spec, "{") {
			nested, err := formatString(st, spec, pos[min(max(auto, 0), len(pos)):], kw, mapping)
			if err != nil {
				return "", err
			}
			spec = nested
		}
		out, err := formatValue(st, v, spec)
		if err != nil {
			return "", err
		}
		if err := st.charge(float64(b.Len()) + float64(len(out))); err != nil {
			return "", err
		}
		b.WriteString(out)
	}
	return b.String(), nil
}

// formatValue is Python's format(v, spec), by internal/pyformat, which conditions share. A
// date's spec is its strftime format ("{:%d.%m.%Y}") when it has a % (see datevalues.go: a date
// text is also a text).
func formatValue(st *state, v *exec.Value, spec string) (string, error) {
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
	return pyformat.FormatSpec(m, v, spec)
}

// pyExponent writes Go's exponents as Python does: at least two digits (1e+06, not 1e+6).
func pyExponent(s string) string {
	k := strings.IndexAny(s, "eE")
	if k < 0 || k+2 >= len(s) {
		return s
	}
	if digits := s[k+2:]; len(digits) == 1 {
		return s[:k+2] + "0" + digits
	}
	return s
}

// pyFloatRepr is Python's repr() of a float: the shortest text that reads back, with ".0"
// for a whole number and an exponent from 1e16.
func pyFloatRepr(f float64) string {
	switch {
	case math.IsInf(f, 0):
		if f > 0 {
			return "inf"
		}
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	if a := math.Abs(f); a != 0 && (a < 1e-4 || a >= 1e16) {
		return pyExponent(strconv.FormatFloat(f, 'e', -1, 64))
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}
