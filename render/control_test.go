package render

import "testing"

// The if and for statements (control.go) give what Jinja2 gives (rendered with Jinja2 3.1's
// sandbox and the loopcontrols extension): loop variables, unpacking, the if filter, else,
// break and continue, and the scopes of set.
func TestIfAndForAsJinja(t *testing.T) {
	tests := []struct{ src, want string }{
		{`{% for x in [1,2,3] %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}{{ loop.depth }}{{ loop.depth0 }}|{% endfor %}`,
			"1032TrueFalse310|2121FalseFalse310|3210FalseTrue310|"},
		{`{% for x in [1,2,3] %}{{ loop.previtem }}-{{ loop.nextitem }};{% endfor %}`, "-2;1-3;2-;"},
		{`{% for x in ['a','b','c','d'] %}{{ loop.cycle('odd','even') }} {% endfor %}`, "odd even odd even "},
		{`{% for x in [1,1,2,2,1] %}{% if loop.changed(x) %}{{ x }}{% endif %}{% endfor %}`, "121"},
		{`{% for x in [1, 2] %}{{ loop.changed() }}{% endfor %}`, "TrueFalse"},
		{`{% for k in {'b': 1, 'a': 2} %}{{ k }};{% endfor %}`, "b;a;"},
		{`{% for x in [1,2,3,4] if x is even %}{{ x }}{{ loop.index }}{{ loop.length }};{% endfor %}`, "212;422;"},
		{`{% for x in [] %}{{ x }}{% else %}empty{% endfor %}`, "empty"},
		{`{% for x in [1,2] if x > 5 %}{{ x }}{% else %}none matched{% endfor %}`, "none matched"},
		{`{% for x in [1,2,3,4] %}{% if x == 3 %}{% break %}{% endif %}{{ x }}{% endfor %}`, "12"},
		{`{% for x in [1,2,3,4] %}{% if x == 2 %}{% continue %}{% endif %}{{ x }}{% endfor %}`, "134"},
		{`{% for i in range(3) %}{% for j in range(2) %}{% if j %}{% continue %}{% endif %}{{ i }}{{ j }}{% endfor %}{% endfor %}`, "001020"},
		{`{% set y = 0 %}{% for x in [1,2] %}{% set y = x %}{% endfor %}{{ y }}`, "0"},
		{`{% for x in [1,2,3] %}{% set t = x * 2 %}{{ t }}{% endfor %}{{ t }}`, "246"},
		{`{% if true %}{% set z = 5 %}{% endif %}{{ z }}`, "5"},
		{`{% if false %}a{% elif 1 %}b{% else %}c{% endif %}`, "b"},
		{`{% if false %}a{% elif 0 %}b{% else %}c{% endif %}`, "c"},
		{`{% if false %}a{% elif 0 %}b{% endif %}x`, "x"},
		{`{% for a, b in [[1,2],[3,4]] %}{{ a }}{{ b }};{% endfor %}`, "12;34;"},
		{`{% for a, b in [(1,2),(3,4)] %}{{ a + b }};{% endfor %}`, "3;7;"},
		{`{% for x in 'abc' %}{{ x }}{{ loop.index }}{% endfor %}`, "a1b2c3"},
		{`{% for x in [1,2] %}{{ x }}{% for y in [3] %}{{ x }}{{ y }}{{ loop.index }}{% endfor %}{{ loop.index }}{% endfor %}`, "1131122312"},
		{`{% set ns = namespace(c=0) %}{% for x in range(5) %}{% set ns.c = ns.c + x %}{% endfor %}{{ ns.c }}`, "10"},
		{`{% macro m(l) %}{% for x in l %}{{ x }}{{ loop.index }}{% endfor %}{% endmacro %}{% for y in [[1],[2,3]] %}{{ m(y) }}/{% endfor %}`, "11/2132/"},
		{`{% for x in [3,1,2]|sort %}{{ x }}{% endfor %}`, "123"},
	}
	for _, tt := range tests {
		tpl, err := Compile(tt.src)
		if err != nil {
			t.Errorf("%s: %v", tt.src, err)
			continue
		}
		if got, err := tpl.Render(Data{}); err != nil || got != tt.want {
			t.Errorf("%s: got %q, %v; want %q", tt.src, got, err, tt.want)
		}
	}
}
