package render

import (
	"strings"
	"testing"
)

func TestArithmeticIsPythons(t *testing.T) {
	doc := map[string]any{"name": "SINV-0001", "rate": 2.25, "n": int64(3), "none": nil}
	tests := []struct{ src, want string }{
		{`{{ -7 // 2 }}`, "-4"},
		{`{{ 7 // -2 }}`, "-4"},
		{`{{ -7 % 3 }}`, "2"},
		{`{{ 7 % -3 }}`, "-2"},
		{`{{ -7.5 // 2 }}`, "-4.0"},
		{`{{ 7 / 2 }}`, "3.5"},
		{`{{ 2 ** 10 }}`, "1024"},
		{`{{ 2 ** -1 }}`, "0.5"},
		{`{{ 'ab' * 3 }}`, "ababab"},
		{`{{ 3 * 'ab' }}`, "ababab"},
		{`{{ 'ab' * -1 }}`, ""},
		{`{{ [1, 2] + [3] }}`, "[1, 2, 3]"},
		{`{{ True + 1 }}`, "2"},
		{`{{ doc.n * 2 }}`, "6"},
		{`{{ "%s" % doc.name }}`, "SINV-0001"},
		{`{{ "%.1f" % doc.rate }}`, "2.2"},
		{`{{ "%05.1f|%-4d|%+d|%x|%%" % (3.14159, 7, 5, 255) }}`, "003.1|7   |+5|ff|%"},
		{`{{ "%(a)s-%(b)03d" % {"a": "x", "b": 7} }}`, "x-007"},
		{`{{ "%s items"|format(doc.n) }}`, "3 items"},
		{`{{ "%s and %s"|format("a", none) }}`, "a and None"},
		{`{{ "%r" % "it" }}`, "'it'"},
		{`{{ doc.name ~ '/' ~ doc.none }}`, "SINV-0001/None"},
		{`{{ 'x'.center(5, '*') }}|{{ 'ab'.center(5) }}|{{ 'ab'.ljust(4, '.') }}|{{ 'ab'.rjust(4) }}|{{ '-5'.zfill(4) }}`, "**x**|  ab |ab..|  ab|-005"},
		{`{{ ', '.join(['a', 'b']) }}|{{ 'a-b-c'.replace('-', '+', 1) }}`, "a, b|a+b-c"},
	}
	for _, tt := range tests {
		if got := mustRender(t, tt.src, Data{Doc: doc}); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.src, got, tt.want)
		}
	}
}

func TestArithmeticErrorsAsPython(t *testing.T) {
	tests := []struct{ src, want string }{
		{`{{ 1 / 0 }}`, "ZeroDivisionError"},
		{`{{ 1 // 0 }}`, "ZeroDivisionError"},
		{`{{ 1 % 0 }}`, "ZeroDivisionError"},
		{`{{ 1 + "x" }}`, "TypeError: unsupported operand type(s) for +: 'int' and 'str'"},
		{`{{ doc.none + 1 }}`, "'NoneType' and 'int'"},
		{`{{ 'a' * 1.5 }}`, "can't multiply sequence by non-int of type 'float'"},
		{`{{ "%s %s" % "a" }}`, "not enough arguments for format string"},
		{`{{ "%d" % "a" }}`, "%d format: a real number is required, not str"},
		{`{{ ', '.join([1, 2]) }}`, "sequence item 0: expected str instance, int found"},
	}
	for _, tt := range tests {
		tpl, err := Compile(tt.src)
		if err != nil {
			t.Fatal(err)
		}
		_, err = tpl.Render(Data{Doc: map[string]any{"none": nil}})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.src, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "\x00") {
			t.Errorf("%s: the error names a hidden function: %q", tt.src, err)
		}
	}
}
