package pyformat

import (
	"errors"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// model is a small value model for the tests: nil, bool, int64, float64, string, []any and
// map[string]any, written as Python writes them.
var model = Model[any]{
	Str:  str,
	Repr: repr,
	Number: func(v any) (Number, bool) {
		switch x := v.(type) {
		case bool:
			if x {
				return Number{Int: 1}, true
			}
			return Number{}, true
		case int64:
			return Number{Int: x}, true
		case float64:
			return Number{Float: x, IsFloat: true}, true
		case *big.Int:
			f, _ := new(big.Float).SetInt(x).Float64()
			return Number{Big: x, Float: f}, true
		}
		return Number{}, false
	},
	Text: func(v any) (string, bool) { s, ok := v.(string); return s, ok },
	TypeName: func(v any) string {
		switch v.(type) {
		case string:
			return "str"
		case int64:
			return "int"
		case float64:
			return "float"
		case bool:
			return "bool"
		case nil:
			return "NoneType"
		case []any:
			return "list"
		case *big.Int:
			return "int"
		}
		return ""
	},
	Size:   func(v any, _ bool) float64 { return float64(len(repr(v))) },
	Charge: func(n float64) error { return nil },
}

// str is the model's str(): a text as it is, anything else as repr writes it.
func str(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return repr(v)
}

// repr is the model's repr().
func repr(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		return map[bool]string{true: "True", false: "False"}[x]
	case string:
		if strings.Contains(x, "'") && !strings.Contains(x, `"`) {
			return `"` + x + `"`
		}
		return "'" + x + "'"
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case *big.Int:
		return x.String()
	case []any:
		var b strings.Builder
		for i, item := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(repr(item))
		}
		return "[" + b.String() + "]"
	case map[string]any:
		var parts []string
		for k, item := range x {
			parts = append(parts, repr(k)+": "+repr(item))
		}
		sort.Strings(parts)
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return "?"
}

// operand makes the right operand as Python sees it: a tuple's items are the arguments, and
// a dict or a list is a mapping.
func operand(v any, tuple bool) Operand[any] {
	op := Operand[any]{Value: v}
	switch x := v.(type) {
	case []any:
		if tuple {
			op.Tuple, op.IsTuple = x, true
			break
		}
		op.Lookup = func(string) (any, error) { return nil, typeError("list indices must be integers or slices, not str") }
	case map[string]any:
		op.Lookup = func(key string) (any, error) {
			if v, ok := x[key]; ok {
				return v, nil
			}
			return nil, &Error{"KeyError", repr(key)}
		}
	}
	return op
}

// The expected results are Python 3.11's.
func TestFormatAsPython(t *testing.T) {
	tests := []struct {
		format string
		args   any
		tuple  bool
		want   string
		fails  bool
	}{
		{"%s-%d", []any{"Open", int64(3)}, true, "Open-3", false},
		{"%.2f", float64(45000.555), false, "45000.56", false},
		{"%05d", int64(42), false, "00042", false},
		{"%r", "it's", false, "\"it's\"", false},
		{"100%%", []any{}, true, "100%", false},
		{"%(name)s!", map[string]any{"name": "x"}, false, "x!", false},
		{"%5s|%-5s|", []any{"ab", "cd"}, true, "   ab|cd   |", false},
		{"%.2s", "abc", false, "ab", false},
		{"%+d % d", []any{int64(5), int64(5)}, true, "+5  5", false},
		{"%#x %#X %#o", []any{int64(255), int64(255), int64(8)}, true, "0xff 0XFF 0o10", false},
		{"%#08x", int64(255), false, "0x0000ff", false},
		{"%.3d", int64(5), false, "005", false},
		{"%-6.2f|", float64(3.14159), false, "3.14  |", false},
		{"%e", float64(1234.5), false, "1.234500e+03", false},
		{"%.3E", float64(0.00012), false, "1.200E-04", false},
		{"%g %g %g", []any{float64(1e-05), float64(100000.0), float64(1000000.0)}, true, "1e-05 100000 1e+06", false},
		{"%#g", float64(1.5), false, "1.50000", false},
		{"%.0g", float64(123.0), false, "1e+02", false},
		{"%05f", math.Inf(1), false, "00inf", false},
		{"%F", math.NaN(), false, "NAN", false},
		{"%d", true, false, "1", false},
		{"%s", true, false, "True", false},
		{"%s", nil, false, "None", false},
		{"%i", float64(-3.9), false, "-3", false},
		{"%d", float64(1e+20), false, "100000000000000000000", false},
		{"%c%c", []any{int64(65), "é"}, true, "Aé", false},
		{"%*d|%-*d|", []any{int64(4), int64(1), int64(3), int64(2)}, true, "   1|2  |", false},
		{"%.*f", []any{int64(1), float64(2.25)}, true, "2.2", false},
		{"%ld", int64(7), false, "7", false},
		{"%a", "é€", false, "'\\xe9\\u20ac'", false},
		{"abc", []any{int64(1)}, false, "abc", false},
		{"abc", map[string]any{"a": int64(1)}, false, "abc", false},
		{"%s %s", []any{"a"}, true, "TypeError: not enough arguments for format string", true},
		{"%s", []any{"a", "b"}, true, "TypeError: not all arguments converted during string formatting", true},
		{"abc", int64(5), false, "TypeError: not all arguments converted during string formatting", true},
		{"%(a)s", []any{"a"}, true, "TypeError: format requires a mapping", true},
		{"%(a)s %s", map[string]any{"a": int64(1)}, false, "TypeError: not enough arguments for format string", true},
		{"%z", int64(1), false, "ValueError: unsupported format character 'z' (0x7a) at index 1", true},
		{"%", int64(1), false, "ValueError: incomplete format", true},
		{"%(a", map[string]any{"a": int64(1)}, false, "ValueError: incomplete format key", true},
		{"%d", "x", false, "TypeError: %d format: a real number is required, not str", true},
		{"%x", float64(1.5), false, "TypeError: %x format: an integer is required, not float", true},
		{"%f", "x", false, "TypeError: must be real number, not str", true},
		{"%c", "ab", false, "TypeError: %c requires int or char", true},
		{"%c", int64(1114112), false, "OverflowError: %c arg not in range(0x110000)", true},
		{"%d", math.NaN(), false, "ValueError: cannot convert float NaN to integer", true},
		{"%d", math.Inf(1), false, "OverflowError: cannot convert float infinity to integer", true},
		{"%*d", []any{"a", int64(1)}, true, "TypeError: * wants int", true},
		{"%5%", []any{int64(1)}, true, "ValueError: unsupported format character '%' (0x25) at index 2", true},
		{"%-5%", []any{}, true, "TypeError: not enough arguments for format string", true},
		{"%.1f", float64(2.25), false, "2.2", false},
		{"%.0f", float64(0.5), false, "0", false},
		{"%x", int64(-255), false, "-ff", false},
		{"%o", int64(0), false, "0", false},
		{"%#.0f|%#.0e", []any{float64(1.0), float64(1.0)}, true, "1.|1.e+00", false},
		{"%(a)s-%(b)05.1f", map[string]any{"a": "x", "b": float64(2.25)}, false, "x-002.2", false},
		{"%s", "", false, "", false},
	}
	for _, tc := range tests {
		got, err := Format(model, tc.format, operand(tc.args, tc.tuple))
		switch {
		case tc.fails && err == nil:
			t.Errorf("%q %% %v = %q, want %s", tc.format, tc.args, got, tc.want)
		case tc.fails && err.Error() != tc.want:
			t.Errorf("%q %% %v: error %q, want %q", tc.format, tc.args, err, tc.want)
		case !tc.fails && err != nil:
			t.Errorf("%q %% %v: %v, want %q", tc.format, tc.args, err, tc.want)
		case !tc.fails && got != tc.want:
			t.Errorf("%q %% %v = %q, want %q", tc.format, tc.args, got, tc.want)
		}
	}
}

func TestFormatChargesBeforeBuilding(t *testing.T) {
	limit := errors.New("over budget")
	m := model
	m.Charge = func(n float64) error {
		if n > 1000 {
			return limit
		}
		return nil
	}
	for _, format := range []string{"%2000d", "%.2000f", "%*s", "%s"} {
		args := operand([]any{int64(5000), strings.Repeat("x", 2000)}, true)
		if format != "%*s" {
			args = operand(strings.Repeat("x", 2000), false)
			if format != "%s" {
				args = operand(int64(1), false)
			}
		}
		if _, err := Format(m, format, args); !errors.Is(err, limit) {
			t.Errorf("%q: %v, want the budget's error", format, err)
		}
	}
}
