package pyformat

import (
	"fmt"
	"testing"
)

// fields reads the test model's []any by index and map[string]any by key; nothing has
// attributes.
var fields = Fields[any]{
	Attr: func(v any, name string) (any, error) {
		return nil, &Error{"AttributeError", fmt.Sprintf("'%s' object has no attribute '%s'", model.TypeName(v), name)}
	},
	Item: func(v any, key any) (any, error) {
		switch x := v.(type) {
		case []any:
			if i, ok := key.(int); ok && i < len(x) {
				return x[i], nil
			}
		case map[string]any:
			if k, ok := key.(string); ok {
				if item, ok := x[k]; ok {
					return item, nil
				}
			}
		}
		return nil, &Error{"KeyError", fmt.Sprint(key)}
	},
}

// TestStrFormatAsPython checks str.format against what Python 3.11 answers (each case was run
// through python3).
func TestStrFormatAsPython(t *testing.T) {
	tests := []struct {
		format string
		pos    []any
		kw     map[string]any
		want   string
	}{
		{"{} {:.2f}", []any{"a", 2.5}, nil, "a 2.50"},
		{"{0}{1}{0}", []any{"x", "y"}, nil, "xyx"},
		{"{n:>{w}}", nil, map[string]any{"n": "ab", "w": int64(4)}, "  ab"},
		{"{0[1]}|{k[a]}", []any{[]any{"p", "q"}}, map[string]any{"k": map[string]any{"a": int64(1)}}, "q|1"},
		{"{!r:>5}|{!s}", []any{"x", nil}, nil, "  'x'|None"},
		{"{:{}{}}", []any{int64(3), ">", int64(4)}, nil, "   3"},
		{"{{}}{}", []any{int64(1)}, nil, "{}1"},
		{"{} {0}", []any{int64(1)}, nil, "ValueError: cannot switch from automatic field numbering to manual field specification"},
		{"{0} {}", []any{int64(1)}, nil, "ValueError: cannot switch from manual field specification to automatic field numbering"},
		{"{2}", []any{int64(1)}, nil, "IndexError: Replacement index 2 out of range for positional args tuple"},
		{"{", nil, nil, "ValueError: Single '{' encountered in format string"},
		{"{0", nil, nil, "ValueError: expected '}' before end of string"},
		{"}", nil, nil, "ValueError: Single '}' encountered in format string"},
		{"{!x}", []any{int64(1)}, nil, "ValueError: Unknown conversion specifier x"},
		{"{:{:{}}}", []any{int64(1), int64(2), int64(3)}, nil, "ValueError: Max string recursion exceeded"},
		{"{0[0]x}", []any{[]any{int64(1)}}, nil, "ValueError: Only '.' or '[' may follow ']' in format field specifier"},
		{"{x}", nil, nil, "KeyError: 'x'"},
		{"{:.3}", []any{int64(3)}, nil, "ValueError: Precision not allowed in integer format specifier"},
	}
	for _, tt := range tests {
		got, err := StrFormat(model, fields, tt.format, Args[any]{Pos: tt.pos, Kw: tt.kw})
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("%q.format(%v, %v) = %q; want %q", tt.format, tt.pos, tt.kw, got, tt.want)
		}
	}
}
