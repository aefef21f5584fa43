package render

import (
	"testing"

	"github.com/nikolalohinski/gonja/v2/nodes"
)

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
		{`{% for x in [1] %}{% for y in [2] %}{{ loop.depth }}{{ loop.depth0 }}{% endfor %}{{ loop.depth }}{% endfor %}`, "101"},
		{`{% for x in [[1, [2, [3]]], 4] recursive %}{% if x is iterable %}{{ loop(x) }}{% else %}{{ x }}{{ loop.depth }}{{ loop.depth0 }}{{ loop.index }},{% endif %}{% endfor %}`, "1211,2321,3431,4102,"},
		{`{% for k, v in {'b': 1, 'a': 2}|dictsort %}{{ k }}{{ v }}{% endfor %}{% for k, v in {'b': 1, 'a': 2}.items() %}{{ k }}{{ v }}{% endfor %}`, "a2b1b1a2"},
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

// firstLoop is the first top-level {% for %} of a compiled template.
func firstLoop(t *testing.T, tpl *Template) *forLoop {
	t.Helper()
	for _, n := range tpl.tpl.Root().Nodes {
		if b, ok := n.(*nodes.ControlStructureBlock); ok {
			if p, ok := b.ControlStructure.(*positioned); ok {
				if f, ok := p.ControlStructure.(*forLoop); ok {
					return f
				}
			}
		}
	}
	t.Fatal("no loop")
	return nil
}

// A loop whose body reads its item only by name binds a dict item as docFields: each of these
// prints the same as when the item is also used whole (a plain map, read by gonja).
func TestLoopItemsReadByNameAsWhole(t *testing.T) {
	doc := map[string]any{"items": []any{
		map[string]any{"qty": 2.0, "name": "A & B", "none": nil, "sub": map[string]any{"k": "v"}},
		map[string]any{"qty": 1.0, "name": "C", "sub": map[string]any{}},
	}}
	for _, body := range []string{
		`{{ i.qty }}|{{ i["name"] }}|{{ i.missing }}|{{ i.none }}|{{ i.sub.k }}|{{ i.none is none }}`,
		`{{ i.name|lower }}|{{ i.name.split(' ') }}|{{ i.qty * 2 }}|{{ i.missing is defined }}|{{ i["none"] is defined }}`,
		`{% for j in [1] %}{{ i.name }}{{ j }}{% endfor %}{% set x = i.qty %}{{ x }}`,
	} {
		byName, err := Compile(`{% for i in doc.items %}` + body + `;{% endfor %}`)
		if err != nil {
			t.Fatal(err)
		}
		whole, err := Compile(`{% for i in doc.items %}` + body + `{% if i %}{% endif %};{% endfor %}`)
		if err != nil {
			t.Fatal(err)
		}
		if !firstLoop(t, byName).byName || firstLoop(t, whole).byName {
			t.Fatalf("%s: byName %v and %v", body, firstLoop(t, byName).byName, firstLoop(t, whole).byName)
		}
		for _, f := range []Format{Plain, Slack} {
			got, err1 := byName.Render(Data{Doc: doc, Format: f})
			want, err2 := whole.Render(Data{Doc: doc, Format: f})
			if got != want || err1 != nil || err2 != nil {
				t.Errorf("%s: by name %q, %v; whole %q, %v", body, got, err1, want, err2)
			}
		}
	}
	for _, src := range []string{
		`{% for i in doc.items %}{{ i|tojson }}{% endfor %}`,
		`{% for i in doc.items %}{{ i.get('qty') }}{% endfor %}`,
		`{% for i in doc.items %}{% set j = i %}{{ j.qty }}{% endfor %}`,
		`{% for i in doc.items %}{{ i is defined }}{% endfor %}`,
		`{% for i in doc.items %}{% for i in [1] %}{{ i }}{% endfor %}{% endfor %}`,
	} {
		tpl, err := Compile(src)
		if err != nil {
			t.Fatal(err)
		}
		if firstLoop(t, tpl).byName {
			t.Errorf("%s: the item is used whole, not only by name", src)
		}
	}
}

// loop.cycle() without items and a recursive loop that never ends are render errors that say
// why, at the statement's place, as an unknown method is (the ERP's Jinja2 raises).
func TestLoopErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{`{% for x in [1] %}{{ loop.cycle() }}{% endfor %}`, "line 1, column 19: {{ loop.cycle() }}: TypeError: no items for cycling given"},
		{`{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}`, "line 1, column 1: loops and macro calls nested more than 100 deep"},
		{`{% for x in [1] recursive %}{{ loop() }}{% endfor %}`, "line 1, column 29: {{ loop() }}: invalid call to function 'loop': TypeError: loop() takes 1 argument, 0 given"},
	}
	for _, tt := range tests {
		tpl, err := Compile(tt.src)
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		if got, err := tpl.Render(Data{}); err == nil || err.Error() != tt.want {
			t.Errorf("%s: got %q, %v; want the error %q", tt.src, got, err, tt.want)
		}
	}
}

// A slice of what does not slice fails with Python's TypeError, as the ERP's Jinja2, which
// slices as Python does (gonja failed without a message).
func TestSliceErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{`{{ doc.remarks[1:] }}`, "line 1, column 1: {{ doc.remarks[1:] }}: TypeError: 'NoneType' object is not subscriptable"},
		{`{{ doc.qty[:2] }}`, "line 1, column 1: {{ doc.qty[:2] }}: TypeError: 'int' object is not subscriptable"},
		{`{{ doc.name["a":] }}`, `line 1, column 1: {{ doc.name["a":] }}: TypeError: slice indices must be integers or None or have an __index__ method`},
		{`{{ {"a": 1}[1:] }}`, `line 1, column 1: {{ {"a": 1}[1:] }}: TypeError: unhashable type: 'slice'`},
	}
	for _, tt := range tests {
		tpl, err := Compile(tt.src)
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		got, err := tpl.Render(Data{Doc: map[string]any{"remarks": nil, "qty": 3, "name": "x"}})
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: got %q, %v; want the error %q", tt.src, got, err, tt.want)
		}
	}
}
