package render

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// No template text can panic or hang the daemon: whatever an admin writes is compiled or
// refused, and a compiled template renders to text or fails with an error within its
// budgets. `go test -fuzz FuzzCompileAndRender ./render` searches for a counter-example;
// without -fuzz the seeds run as a test.
func FuzzCompileAndRender(f *testing.F) {
	for _, seed := range []string{
		`{{ doc.name }} {{ doc.grand_total|round(2) }}`, `{% for i in doc.items %}{{ loop.index }}:{{ i.qty * i.rate }}{% endfor %}`,
		`{% if doc.status == "Open" and doc.x or {} %}a{% elif doc.y %}b{% else %}c{% endif %}`, `{{ "%s-%05.1f" % (doc.name, doc.grand_total) }}`,
		`{% set d = {"a": 1} %}{% set _ = d.update(b=2) %}{{ d|json }} {{ d|tojson }} {{ json.dumps(d, indent=2) }}`,
		`{% macro m(x, y=2) %}{{ x ~ y }}{{ caller() if caller }}{% endmacro %}{% call m(1) %}c{% endcall %}`,
		`{{ frappe.utils.fmt_money(doc.grand_total, currency="EUR") }} {{ frappe.utils.add_days(doc.posting_date, 3) }}`,
		`{{ (doc.name or "")[::-1]|upper|truncate(5) }} {{ range(3)|map("string")|join(",") }} {{ doc.items|sum(attribute="qty") }}`,
		`{{ "{:>10,.2f}".format(doc.grand_total) }} {{ frappe.bold(doc.name) }} {{ 1 ** 3 ** 32 }}`,
		// The forms walnotify rewrites before gonja parses: unpacking, Python's escapes, line
		// breaks in a tag, names in parentheses, none.
		"{% macro m(a, b=2) %}{{ a }}{{ b }}{% endmacro %}{{ m(*[1], **{'b': 3}) }} {{ '{}-{}'.format(*doc.name.split('-')) }}",
		"{{ '\\d+\\0\\x41\\n' }} {% if doc.grand_total >\n 1 and\n doc.status %}y{% endif %} {% for (k, v) in {'a': 1}|items %}{{ k }}{% endfor %}",
		`{% set (a, b) = 1, 2 %}{{ a + b }} {{ none is none }} {{ doc.nope is defined }} {{ cycler(1, 2).next() }} {{ [doc.x, none]|select|list }}`,
	} {
		f.Add(seed)
	}
	doc := map[string]any{"doctype": "Sales Invoice", "name": "SINV-1", "grand_total": 45000.5, "status": "Open", "posting_date": "2026-11-29",
		"items": []any{map[string]any{"doctype": "Sales Invoice Item", "qty": 2.0, "rate": 10.5}, map[string]any{"qty": int64(1), "rate": nil}}}
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, src string) {
		tpl, err := Compile(src)
		if err != nil {
			return
		}
		start := time.Now()
		tpl.Render(Data{Doc: doc, Now: now, Format: Slack, Limits: Limits{Timeout: time.Second}}) //nolint:errcheck // only a panic or a hang matters
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%q rendered in %v, past its budget", src, d)
		}
	})
}

// A number, a dot and a character beyond ASCII in a tag's code, on which gonja's lexer could
// loop for good (found by the fuzz test), is refused at load with its place; the same characters
// in text, in a string, or after a space are read as ever.
func TestALexerTrapIsRefusedAtLoad(t *testing.T) {
	for _, src := range []string{"{{ 0.\U0003b0e9 }}", "é\n€€{{ x }}{% if 1.ü %}{% endif %}", "{{A.0\x120.\U0003b0e9"} {
		done := make(chan error, 1)
		go func() { _, err := Compile(src); done <- err }()
		select {
		case err := <-done:
			var e *Error
			if !errors.As(err, &e) || e.Line == 0 || !strings.Contains(e.Msg, "a number followed by a dot") {
				t.Errorf("%q: %v, want refused with its place", src, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%q: Compile did not return", src)
		}
	}
	if _, err := Compile("{{ 1.é }}"); err == nil || !strings.Contains(err.Error(), "line 1, column 4") {
		t.Errorf("the place of the trap: %v", err)
	}
	for _, src := range []string{"Prix 3.€ {{ doc.x }}", `{{ "3.€" ~ 'x\'3.é' }}`, "{{ 0.5 }} {{ doc.items.0.qty }} {{ 3. ~ 'é' }}"} {
		if _, err := Compile(src); err != nil {
			t.Errorf("%q: %v", src, err)
		}
	}
}
