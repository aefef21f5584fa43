package render

import (
	"strings"
	"testing"
)

// A macro binds its arguments as Jinja2 3.1's (checked with its sandbox): positional ones to
// the parameters in order, keywords by name, defaults (which see the parameters before them)
// or None for the rest; the positional arguments past the parameters are varargs and the
// keywords no parameter takes are kwargs, when the body reads them.
func TestMacrosBindArgumentsAsJinja(t *testing.T) {
	doc := map[string]any{"name": "SINV-1", "qty": int64(3)}
	checkRenders(t, doc, []renderCase{
		{`{% macro m() %}{{ varargs|length }}{% endmacro %}{{ m(1, 2, 3) }}`, "3"},
		{`{% macro m(x) %}{{ kwargs.get("y") }}{% endmacro %}{{ m(1, y=5) }}`, "5"},
		{`{% macro m(a, b=2) %}{{ a }}{{ b }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1) }}|{{ m(1, 3) }}|{{ m(1, b=4) }}`, "12(){}|13(){}|14(){}"},
		{`{% macro m(a) %}{{ varargs }} {{ varargs[0] }} {{ varargs|join("-") }} {% for v in varargs %}[{{ v }}]{% endfor %} {{ varargs|list }}{% endmacro %}{{ m(1, 2, doc.name) }}|{{ m(1, 2) }}`,
			"(2, 'SINV-1') 2 2-SINV-1 [2][SINV-1] [2, 'SINV-1']|(2,) 2 2 [2] [2]"},
		{`{% macro m() %}{{ kwargs.y }} {{ kwargs["y"] }} {% for k, v in kwargs.items() %}{{ k }}={{ v }};{% endfor %} {{ kwargs|length }}{% endmacro %}{{ m(y=5, a=doc.qty) }}`, "5 5 y=5;a=3; 2"},
		{`{% macro m(x) %}{{ kwargs }}{% endmacro %}{{ m(1, z=1, y=5) }}|{{ m(x=1, z=1, y=5) }}|{{ m(z=1, x=3) }}|{{ m(b=1, a=2, c=3) }}`, "{'z': 1, 'y': 5}|{'z': 1, 'y': 5}|{'z': 1}|{'b': 1, 'a': 2, 'c': 3}"},
		// A keyword for a parameter given by position is one no parameter takes.
		{`{% macro m(a) %}{{ a }}{{ kwargs }}{% endmacro %}{{ m(1, a=2) }}`, "1{'a': 2}"},
		{`{% macro m(a, b) %}{{ a }}{{ b }}{% endmacro %}{{ m(b=2, a=1) }}`, "12"},
		{`{% macro m(a, b=a * 2) %}{{ b }}{% endmacro %}{{ m(doc.qty) }}`, "6"},
		{`{% macro m(x) %}[{{ x }}]{% endmacro %}{{ m() }}`, "[]"},
		// A parameter called varargs or kwargs is a parameter.
		{`{% macro m(varargs) %}{{ varargs }}{% endmacro %}{{ m(1) }}`, "1"},
		// A macro inside another reads them: both take them, as Jinja2's.
		{`{% macro outer() %}{% macro inner() %}{{ varargs }}{% endmacro %}{{ inner(3) }}{% endmacro %}{{ outer(1) }}`, "(3,)"},
		{`{% macro m() %}{{ varargs }}{% endmacro %}{% set f = m %}{{ f(1, 2) }}`, "(1, 2)"},
		{`{% macro m(d) %}{{ d.name }}{% endmacro %}{{ m(doc) }}`, "SINV-1"},
	})
}

// Arguments a macro cannot take fail the rendering with Jinja2's TypeError.
func TestMacroCallsFailAsJinja(t *testing.T) {
	tests := []struct{ src, want string }{
		{`{% macro m() %}x{% endmacro %}{{ m(1, 2, 3) }}`, "TypeError: macro 'm' takes not more than 0 argument(s)"},
		{`{% macro m(varargs) %}{{ varargs }}{% endmacro %}{{ m(1, 2) }}`, "TypeError: macro 'm' takes not more than 1 argument(s)"},
		{`{% macro m(x) %}{{ x }}{% endmacro %}{{ m(1, y=5) }}`, "TypeError: macro 'm' takes no keyword argument 'y'"},
		{`{% macro m(x) %}{{ x }}{% endmacro %}{{ m(1, z=1, y=5) }}`, "TypeError: macro 'm' takes no keyword argument 'z'"},
		{`{% macro m(a, b) %}{{ a }}{% endmacro %}{{ m(1, a=2) }}`, "TypeError: macro 'm' takes no keyword argument 'a'"},
		{`{% macro m(a) %}{{ kwargs }}{% endmacro %}{{ m(1, 2, x=1) }}`, "TypeError: macro 'm' takes not more than 1 argument(s)"},
		{`{% macro m() %}{{ 1 / 0 }}{% endmacro %}{{ m() }}`, "line 1, column 41: {{ m() }}: invalid call to function 'm': line 1, column 16: {{ 1 / 0 }}: ZeroDivisionError: division by zero"},
		{`{% set f = 1 %}{{ f(a=1, b=2) }}`, "f is not callable"},
	}
	for _, tt := range tests {
		mustFail(t, tt.src, tt.want)
	}
}

// A macro's parameters are read as Jinja2 reads them, and a mistake is a load error.
func TestMacroSignatureErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{`{% macro m(*args) %}{% endmacro %}`, "line 1, column 12: expected a parameter's name"},
		{`{% macro m(**kw) %}{% endmacro %}`, "line 1, column 12: expected a parameter's name"},
		{`{% macro m(a, b,) %}{% endmacro %}`, "line 1, column 17: expected a parameter's name"},
		{`{% macro m(a, a) %}{% endmacro %}`, `line 1, column 15: duplicate parameter "a"`},
		{`{% macro m(a=1, b) %}{% endmacro %}`, "line 1, column 17: a parameter without a default follows one with a default"},
		{`{% macro m %}{% endmacro %}`, "line 1, column 1: macro: expected '('"},
		{`{% macro m() %}{% endmacro m %}`, "line 1, column 28: endmacro takes no arguments"},
		{`{% macro m(caller) %}{{ caller() }}{% endmacro %}`, `line 1, column 1: the parameter "caller" of a macro that calls caller() needs a default`},
	}
	for _, tt := range tests {
		_, err := Compile(tt.src)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.src, err, tt.want)
		}
	}
}

// A {% call %} block gives its body to the macro it calls as caller(), a macro with the
// block's parameters that runs in the block's scope, as Jinja2's.
func TestCallBlocksAsJinja(t *testing.T) {
	doc := map[string]any{"name": "SINV-1", "items": []any{map[string]any{"code": "A"}, map[string]any{"code": "B"}}}
	checkRenders(t, doc, []renderCase{
		{`{% macro m() %}{{ caller() }}!{% endmacro %}{% call m() %}body{% endcall %}`, "body!"},
		{`{% macro list(rows) %}{% for r in rows %}{{ caller(r, loop.index) }}{% endfor %}{% endmacro %}{% call(row, n) list(doc.items) %}{{ n }}.{{ row.code }} {% endcall %}`, "1.A 2.B "},
		{`{% macro m() %}{{ caller(1, 2) }}{% endmacro %}{% call(x) m() %}{{ x }}{{ varargs }}{% endcall %}`, "1(2,)"},
		{`{% macro m() %}{{ caller(y=2) }}|{{ caller() }}{% endmacro %}{% call(x=1) m() %}{{ x }}{{ kwargs }}{% endcall %}`, "1{'y': 2}|1{}"},
		{`{% macro m(a, b) %}{{ a }}{{ b }}{{ caller() }}{% endmacro %}{% call m(b=2, a=1) %}c{% endcall %}`, "12c"},
		{`{% macro m() %}{% if caller %}{{ caller() }}{% else %}none{% endif %}{% endmacro %}{{ m() }}|{% call m() %}c{% endcall %}`, "none|c"},
		{`{% macro m() %}{{ caller() if caller is defined else "none" }}{% endmacro %}{{ m() }}|{% call m() %}c{% endcall %}`, "none|c"},
		{`{% macro m(caller=none) %}{{ caller() if caller else "no" }}{% endmacro %}{{ m() }}|{% call m() %}c{% endcall %}`, "no|c"},
		// The body sees the block's scope; what it sets stays in it.
		{`{% macro m() %}{{ caller() }}{% endmacro %}{% set x = 1 %}{% call m() %}{{ x }}{% set x = 2 %}{{ x }}{% endcall %}{{ x }}`, "121"},
		{`{% macro m() %}{{ caller()|upper }}{% endmacro %}{% for i in [1, 2] %}{% call m() %}i{{ i }}{{ doc.name }}{% endcall %}{% endfor %}`, "I1SINV-1I2SINV-1"},
		{`{% macro m() %}{{ kwargs|length }}{{ caller() }}{% endmacro %}{% call m(z=1) %}c{% endcall %}`, "1c"},
		{`{% macro m() %}{{ caller(caller=2) }}{% endmacro %}{% call m() %}{{ caller }}{% endcall %}`, "2"},
		{`{% macro m() %}{{ caller() }}{% endmacro %}{% call() m() %}x{% endcall %}`, "x"},
	})
}

func TestCallBlocksFailAsJinja(t *testing.T) {
	tests := []struct{ src, want string }{
		{`{% macro m() %}x{% endmacro %}{% call m() %}body{% endcall %}`, "line 1, column 31: {% call m() %}: invalid call to function 'm': TypeError: macro 'm' was invoked with two values for the special caller argument. This is most likely a bug."},
		{`{% macro m() %}{{ caller(1, 2) }}{% endmacro %}{% call(x) m() %}{{ x }}{% endcall %}`, "TypeError: macro None takes not more than 1 argument(s)"},
		{`{% macro m(x) %}{{ caller() }}{% endmacro %}{% call m(y=1) %}c{% endcall %}`, "TypeError: macro 'm' takes no keyword argument 'y'"},
		{`{% macro m() %}{{ caller() }}{% endmacro %}{{ m() }}`, "caller is not callable"},
		{`{% macro m() %}{{ caller() }}{% endmacro %}{{ m(caller=none) }}`, "caller is not callable"},
		{`{% macro m() %}{{ caller() }}{% endmacro %}{% call m() %}{{ 1 / 0 }}{% endcall %}`, "line 1, column 58: {{ 1 / 0 }}: ZeroDivisionError: division by zero"},
	}
	for _, tt := range tests {
		mustFail(t, tt.src, tt.want)
	}
}

func TestCallBlockErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{`{% macro m() %}{% endmacro %}{% call m %}x{% endcall %}`, "line 1, column 38: expected a macro's call"},
		{`{% macro m() %}{% endmacro %}{% call m() if 1 else m() %}x{% endcall %}`, "unexpected text in call"},
		{`{% macro m() %}{{ caller() }}{% endmacro %}{% call m(caller=1) %}x{% endcall %}`, "line 1, column 52: the call block gives caller: its call cannot"},
		{`{% macro m() %}{% endmacro %}{% call m() %}x{% endcall m %}`, "endcall takes no arguments"},
		{`{% macro m() %}{% endmacro %}{% call(x=1, y) m() %}x{% endcall %}`, "a parameter without a default follows one with a default"},
		{`{% call nope() %}x{% endcall %}`, `line 1, column 9: unknown function "nope"`},
		{`{% macro m() %}{% endmacro %}{% for i in [1] %}{% call m() %}{% break %}{% endcall %}{% endfor %}`, "break outside a loop"},
	}
	for _, tt := range tests {
		_, err := Compile(tt.src)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.src, err, tt.want)
		}
	}
}
