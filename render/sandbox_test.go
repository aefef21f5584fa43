package render

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestCompileErrorsNameThePlace(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // each error, "line L, column C: message"
	}{
		{"include is not allowed", "Hi\n{% include \"/etc/passwd\" %}", []string{`line 2, column 4: tag "include" is not allowed: templates cannot read other templates or files`}},
		{"import is not allowed", `{% import "macros.html" as m %}`, []string{`line 1, column 4: tag "import" is not allowed: templates cannot read other templates or files`}},
		{"from import is not allowed", `{% from "macros.html" import m %}`, []string{`line 1, column 4: tag "from" is not allowed: templates cannot read other templates or files`}},
		{"extends is not allowed", `{% extends "base.html" %}`, []string{`line 1, column 4: tag "extends" is not allowed: templates cannot read other templates or files`}},
		{"autoescape is not allowed", `{% autoescape true %}x{% endautoescape %}`, []string{`line 1, column 4: tag "autoescape" is not allowed: escaping is decided by the webhook's service`}},
		{"an unknown tag", `{% frobnicate %}`, []string{`line 1, column 4: unknown tag "frobnicate"`}},
		{"an unknown filter, column counted in characters", "Réf. n° {{ doc.name|frobnicate }}", []string{`line 1, column 21: unknown filter "frobnicate"`}},
		{"an unknown filter inside a block", "{% if doc.x %}\n  {% for i in doc.items %}{{ i.qty|nope(2) }}{% endfor %}\n{% endif %}", []string{`line 2, column 36: unknown filter "nope"`}},
		{"an unknown filter inside set, with and filter blocks", "{% set a = doc.x|nope1 %}{% with b = doc.y|nope2 %}{% endwith %}{% filter nope3 %}{% endfilter %}",
			[]string{`line 1, column 18: unknown filter "nope1"`, `line 1, column 44: unknown filter "nope2"`, `line 1, column 75: unknown filter "nope3"`}},
		{"an unknown test", `{% if doc.x is frobnicated %}{% endif %}`, []string{`line 1, column 16: unknown test "frobnicated"`}},
		{"an unknown function", `{{ get_url_to_form(doc.doctype, doc.name) }}`, []string{`line 1, column 4: unknown function "get_url_to_form"`}},
		{"an unknown frappe helper", `{{ frappe.utils.get_user_info_for_avatar(doc.owner) }}`, []string{`line 1, column 4: frappe.utils.get_user_info_for_avatar is not available in walnotify templates`}},
		{"frappe.db's SQL is not available", `{{ frappe.db.sql("select name from tabCustomer") }}`, []string{`line 1, column 4: frappe.db.sql is not available in walnotify templates`}},
		{"three mistakes are reported together, in order", "{{ a|nope }}\n{{ b is nope }}\n{{ nope() }}",
			[]string{`line 1, column 6: unknown filter "nope"`, `line 2, column 9: unknown test "nope"`, `line 3, column 4: unknown function "nope"`}},
		{"an unclosed expression", "ok\n{{ doc.name ", []string{`line 2, column 13: '}}' expected here`}},
		{"an if without condition", "ok\n {% if %}yes{% endif %}", []string{`line 2, column 2: if: expected either a number, string, keyword or identifier.`}},
		{"an if without endif", "{% if doc.x %}yes", []string{`line 1, column 18: Unexpected EOF, expected tag elif or else or endif.`}},
		{"a broken tag inside another", "{% if doc.x %}\n  {% for %}{% endfor %}\n{% endif %}", []string{`line 2, column 3: for: Expected an key identifier as first argument for 'for'-tag`}},
		{"an expression cut short", "{{ frappe.utils.fmt_money(doc.total", []string{`line 1, column 36: Unbalanced delimiters, expected ")", got EOF`}},
		{"an unclosed string", "{{ 'abc }}", []string{`line 1, column 11: unclosed string "abc }}"`}},
		{"an unclosed comment", "x\n{# note", []string{`line 2, column 3: unclosed comment`}},
		{"break outside a loop", "{% for i in doc.items %}{% break %}{% endfor %}\n{% break %}", []string{`line 2, column 1: break outside a loop`}},
		{"continue inside a macro is outside the loop around it", "{% for i in doc.items %}{% macro m() %}{% continue %}{% endmacro %}{% endfor %}", []string{`line 1, column 40: continue outside a loop`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile(tt.src)
			if err == nil {
				t.Fatal("compiled")
			}
			if got := strings.Split(err.Error(), "\n"); strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got\n%s\nwant\n%s", err, strings.Join(tt.want, "\n"))
			}
			var e *Error
			if !errors.As(err, &e) || e.Line == 0 {
				t.Errorf("%v is not an *Error with a line", err)
			}
		})
	}
}

func TestCompileAcceptsWhatOnlySomeDocumentsBreak(t *testing.T) {
	tpl, err := Compile("Due:\n  {{ frappe.utils.formatdate(doc.due_date) }}")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := tpl.Render(Data{Doc: map[string]any{"due_date": "2024-02-04"}}); err != nil || got != "Due:\n  04-02-2024" {
		t.Errorf("good document: %q, %v", got, err)
	}
	_, err = tpl.Render(Data{Doc: map[string]any{"due_date": "soon"}})
	var e *Error
	if !errors.As(err, &e) || e.Line != 2 || e.Column != 3 || !strings.Contains(e.Msg, `"soon" is not a date`) {
		t.Errorf("bad document: %v", err)
	}
}

func TestRenderErrorsShowTheFailingText(t *testing.T) {
	tpl, err := Compile("Per unit:\n  {{ doc.total / doc.qty }}")
	if err != nil {
		t.Fatal(err)
	}
	_, err = tpl.Render(Data{Doc: map[string]any{"total": 10.5, "qty": int64(0)}})
	if err == nil || !strings.HasPrefix(err.Error(), "line 2, column 3: {{ doc.total / doc.qty }}: ") || !strings.Contains(err.Error(), "division by zero") {
		t.Errorf("got %v", err)
	}
}

func TestCompileAcceptsLocalsAndMacros(t *testing.T) {
	src := `{% macro row(x, y=1) %}{{ x }}{% endmacro %}{% set f = row %}{{ row(1) }}{{ f(2) }}{{ loop_helper() if false }}{% for x in [1] recursive %}{{ loop([]) }}{% endfor %}{% set loop_helper = row %}`
	if _, err := Compile(src); err != nil {
		t.Fatal(err)
	}
}

func TestRunawayTemplatesAreStopped(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"a huge range", `{% for i in range(1000000) %}x{% endfor %}`, "line 1, column 1: {% for i in range(1000000) %}: range(): 1000000 items, more than the limit of 10000"},
		{"nested loops", `{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}`, "stopped after 100000 loop iterations and macro calls"},
		{"a recursive macro", `{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}`, "nested more than 100 deep"},
		{"a recursive call block", `{% macro m() %}{% call m() %}{{ caller() }}{% endcall %}{% endmacro %}{{ m() }}`, "nested more than 100 deep"},
		{"a caller called in nested loops", `{% macro m() %}{% for i in range(1000) %}{{ caller() }}{% endfor %}{% endmacro %}{% for j in range(1000) %}{% call m() %}x{% endcall %}{% endfor %}`, "stopped after 100000 loop iterations and macro calls"},
		{"a recursive loop", `{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}`, "nested more than 100 deep"},
		{"too much text", `{% for i in range(10000) %}{{ "x" * 200 }}{% endfor %}`, "output exceeds 1048576 bytes"},
		{"too much literal text", `{% for i in range(10000) %}` + strings.Repeat("y", 200) + `{% endfor %}`, "output exceeds 1048576 bytes"},
		{"too much text built in a set block", `{% set s %}{% for i in range(10000) %}{{ "x" * 200 }}{% endfor %}{% endset %}`, "output exceeds 1048576 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tpl, err := Compile(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			// No deadline here: the race detector on a busy machine is slow.
			_, err = tpl.Render(Data{Limits: Limits{Timeout: time.Hour}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
	if got := mustRender(t, `{% for i in range(10000) %}{% endfor %}{{ range(3)|join(",") }}`, Data{}); got != "0,1,2" {
		t.Errorf("range within the limit rendered %q", got)
	}
}

func TestNoEnvironmentOrFilesystemAccess(t *testing.T) {
	// Nothing but the document and the helpers is visible: environment variables, the OS and
	// gonja's other globals are undefined and print as nothing.
	if got := mustRender(t, `[{{ env }}{{ environ }}{{ os }}{{ gonja }}{{ config }}]`, Data{}); got != "[]" {
		t.Errorf("rendered %q", got)
	}
	for _, src := range []string{`{{ lipsum() }}`, `{{ [1, 2]|random }}`} {
		if _, err := Compile(src); err == nil {
			t.Errorf("%s compiled", src)
		}
	}
}

func TestSetCanOnlyChangeANamespace(t *testing.T) {
	tpl, err := Compile(`{% set frappe.utils.flt = 1 %}{{ frappe.utils.flt("2") }}`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tpl.Render(Data{}); err == nil || !strings.Contains(err.Error(), "only the attributes of a namespace() can be set") {
		t.Errorf("got %v", err)
	}
}

// TestConcurrentRendering renders one template from many goroutines (run with -race).
func TestConcurrentRendering(t *testing.T) {
	tpl, err := Compile(`{% set n = namespace(c=0) %}{% for i in doc.items %}{% set n.c = n.c + 1 %}{{ loop.index }}{{ i.item_code }}{% endfor %}{{ n.c }} {{ doc.customer }} {{ frappe.utils.fmt_money(doc.grand_total, currency=doc.currency) }} {{ nowdate() }}`)
	if err != nil {
		t.Fatal(err)
	}
	want := map[Format]string{}
	for _, f := range []Format{Plain, Slack, Markdown, Discord} {
		want[f], err = tpl.Render(Data{Doc: invoice(), Format: f, Now: testNow})
		if err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				f := Format((g + i) % 4)
				got, err := tpl.Render(Data{Doc: invoice(), Format: f, Now: testNow})
				if err != nil || got != want[f] {
					errs <- fmt.Errorf("%v: %q, %v", f, got, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// A field read on NULL (doc.customer.name when customer is NULL, an item past the end of a
// list) is undefined, as in the ERP's Jinja2, and prints "": the notification goes out. A name
// that was never set still fails.
func TestAFieldOfNULLIsUndefined(t *testing.T) {
	doc := map[string]any{"customer": nil, "items": []any{}, "meta": nil, "status": "Open"}
	checkRenders(t, doc, []renderCase{
		{`[{{ doc.customer.name }}]`, "[]"},
		{`{% if doc.customer.name %}yes{% else %}no{% endif %}`, "no"},
		{`{{ doc.customer.name or "nobody" }}`, "nobody"},
		{`{% set c = doc.customer %}[{{ c.name }}|{{ c["name"] }}]`, "[|]"},
		{`[{{ doc.items[0].qty }}]`, "[]"},
		{`[{{ doc.meta["k"] }}|{{ doc.meta.k.deeper }}]`, "[|]"},
		{`{% for s in [doc.status] %}{{ s.missing }}{{ loop.index }}{% endfor %}`, "1"},
		{`{% set ns = namespace(n=0) %}{% for i in range(3) %}{% set ns.n = ns.n + 1 %}{% endfor %}{{ ns.n }}`, "3"},
	})
	tpl, err := Compile(`{{ dco.name }}`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tpl.Render(Data{Doc: doc}); err == nil || !strings.Contains(err.Error(), "'dco' is undefined") {
		t.Errorf("a name never set: %v, want \"'dco' is undefined\"", err)
	}
}

// A conditional expression reads as Python's anywhere: inside ( ), [ ], { } and a call's
// arguments (which gonja's parser cannot read, rewritten for it), only the branch chosen
// evaluated, a false value kept, nested ones to the right. One without its else is refused.
func TestAConditionalExpressionReadsAsPythonAnywhere(t *testing.T) {
	doc := map[string]any{"a": "A", "b": true, "z": int64(0), "q": int64(3), "e": ""}
	checkRenders(t, doc, []renderCase{
		{`{{ _(doc.a if doc.b else "c") }}`, "A"},
		{`{{ "x" ~ (doc.a if not doc.b else "c") }}`, "xc"},
		{`{{ [doc.a if doc.b else "c", 1 if doc.z else 2] }}`, "['A', 2]"},
		{`{{ (doc.q / doc.z if doc.z else 0) }}`, "0"},
		{`{{ (doc.e if doc.b else "c")|length }}`, "0"},
		{`{{ ("1" if doc.z else "2" if doc.e else "3") }}`, "3"},
		{`{{ {"k": doc.q if doc.b else 0}.k }} {{ "{}-{}".format(doc.a if doc.z else "n", doc.q) }}`, "3 n-3"},
		{`{{ doc.a if doc.b else "c" }}`, "A"},
		{`{{ "1" if doc.z else "2" if doc.e else "3" }}|{{- doc.q if doc.z else doc.a if doc.b else "x" -}}|`, "3|A|"},
		{`{% set v = "1" if doc.z else "2" if doc.b else "3" %}{{ v }}`, "2"},
		{`{% set v = (doc.a if doc.b else "c") ~ "!" %}{{ v }}`, "A!"},
		{`{% if (doc.z if doc.b else 1) %}y{% else %}n{% endif %}`, "n"},
		{`{{ "(a if b else c)" }}`, "(a if b else c)"},
		{`{% raw %}{{ (a if b else c) }}{% endraw %}{# (a if b else c) #}`, "{{ (a if b else c) }}"},
		{`{% macro m(a, b=(1 if doc.z else 2)) %}{{ a }}{{ b }}{% endmacro %}{{ m(1) }}`, "12"},
	})
	for _, src := range []string{`{{ _(doc.a if doc.b) }}`, `{{ "x" ~ (doc.a if doc.b) }}`} {
		if _, err := Compile(src); err == nil || !strings.Contains(err.Error(), "needs its else") {
			t.Errorf("%s: %v, want an error saying it needs its else", src, err)
		}
	}
}

// An error inside a test's expression ends the rendering, as in the ERP: gonja ran the test
// on the error as on a value, so ("A" - "b") in [1, 2] was False and the notification went out.
func TestAnErrorInsideATestIsAnError(t *testing.T) {
	doc := map[string]any{"a": "A", "b": "b", "q": int64(3), "n": nil}
	for _, src := range []string{`{{ (doc.a - doc.b) in [1, 2] }}`, `{{ (doc.a - doc.b) not in [1, 2] }}`, `{% if (doc.a - doc.b) is none %}x{% endif %}`} {
		tpl, err := Compile(src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if got, err := tpl.Render(Data{Doc: doc}); err == nil || !strings.Contains(err.Error(), "unsupported operand") {
			t.Errorf("%s = %q, %v; want the subtraction's error", src, got, err)
		}
	}
	tpl, err := Compile(`{{ doc.q is divisibleby(3) }} {{ "a" in "abc" }} {{ 1 not in [2] }} {{ doc.n is none }} {{ doc.a is in ["A"] }} {{ "q" in doc }}`)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := tpl.Render(Data{Doc: doc}); err != nil || got != "True True True True True True" {
		t.Errorf("tests = %q, %v", got, err)
	}
}

// renderCase is a template and what it renders.
type renderCase struct{ src, want string }

// checkRenders renders each case on doc and reports each that fails or renders otherwise.
func checkRenders(t *testing.T, doc map[string]any, cases []renderCase) {
	t.Helper()
	for _, c := range cases {
		tpl, err := Compile(c.src)
		if err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		if got, err := tpl.Render(Data{Doc: doc}); err != nil || got != c.want {
			t.Errorf("%s = %q, %v; want %q", c.src, got, err, c.want)
		}
	}
}
