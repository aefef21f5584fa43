package render

import (
	"math"
	"strings"
	"testing"
	"time"
)

// now is the rendering time of the tests: 2024-03-01 09:30 in Paris.
var testNow = time.Date(2024, 3, 1, 8, 30, 0, 0, time.UTC)

func paris(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// invoice is a Sales Invoice row as cdc decodes it, with its child table.
func invoice() map[string]any {
	item := func(code, name string, qty, rate float64) map[string]any {
		return map[string]any{"doctype": "Sales Invoice Item", "item_code": code, "item_name": name, "qty": qty, "rate": rate, "amount": qty * rate, "uom": "Nos"}
	}
	return map[string]any{
		"doctype":            "Sales Invoice",
		"name":               "ACC-SINV-2024-00042",
		"customer":           "Acme & Sons",
		"status":             "Overdue",
		"docstatus":          int64(1),
		"grand_total":        45000.5,
		"net_total":          40000.0,
		"outstanding_amount": 12500.25,
		"currency":           "EUR",
		"posting_date":       "2024-01-05",
		"due_date":           "2024-02-04",
		"cheque_no":          nil,
		"is_return":          false,
		"remarks":            "Delivered in two shipments. The second shipment was delayed by the carrier because of the storm, and the customer asked for the invoice to be split into the goods received and the goods still in transit, which accounting refused for now.",
		"modified":           "2024-01-05 14:03:07.123456",
		"items": []any{
			item("WIDGET-A", "Widget A", 2, 10000.25),
			item("WIDGET-B", "Widget B", 1, 15000),
			item("BOLT-10", "Bolt M10", 100, 0.5),
			item("NUT-10", "Nut M10", 100, 0.25),
			item("SERVICE", "Installation", 1, 9924.5),
		},
		"taxes": []any{},
	}
}

// TestERPTemplates renders templates of the shapes ERP admins write; the expected texts are
// what Python's Jinja2 renders with the ERP's helpers (numeric columns are floats, as the ERP
// reads them: 2.0), except that NULL prints as "" (not None).
func TestERPTemplates(t *testing.T) {
	for _, tt := range erpTemplates {
		t.Run(tt.name, func(t *testing.T) {
			tpl, err := Compile(tt.src)
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			got, err := tpl.Render(Data{Doc: invoice(), Site: Site{URL: "https://erp.example.com", Location: paris(t)}, Now: testNow})
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

var erpTemplates = []struct {
	name string
	src  string
	want string
}{
	{
		name: "loop over child rows numbers them with loop.index",
		src:  "{% for item in doc.items %}{{ loop.index }}. {{ item.item_code }} x {{ item.qty }}\n{% endfor %}",
		want: "1. WIDGET-A x 2.0\n2. WIDGET-B x 1.0\n3. BOLT-10 x 100.0\n4. NUT-10 x 100.0\n5. SERVICE x 1.0\n",
	},
	{
		name: "default replaces a field the document does not have",
		src:  `PO: {{ doc.po_no|default("N/A") }}`,
		want: "PO: N/A",
	},
	{
		name: "default replaces NULL, which is empty like a missing field",
		src:  `Cheque: {{ doc.cheque_no|default("N/A") }}`,
		want: "Cheque: N/A",
	},
	{
		name: "or yields the first value that is set",
		src:  `Ref: {{ doc.cheque_no or doc.name }}`,
		want: "Ref: ACC-SINV-2024-00042",
	},
	{
		name: "truncate(200) cuts at a word and adds ...",
		src:  `{{ doc.remarks|truncate(200) }}`,
		want: "Delivered in two shipments. The second shipment was delayed by the carrier because of the storm, and the customer asked for the invoice to be split into the goods received and the goods still in...",
	},
	{
		name: "truncate leaves a text within the leeway alone",
		src:  `{{ doc.status|truncate(5) }}|{{ doc.customer|truncate(9) }}`,
		want: "Overdue|Acme & Sons",
	},
	{
		name: "join lists child values",
		src:  `{{ doc.items|map(attribute="item_code")|join(", ") }}`,
		want: "WIDGET-A, WIDGET-B, BOLT-10, NUT-10, SERVICE",
	},
	{
		name: "round(2) rounds computed amounts",
		src:  `{{ (doc.grand_total * 1.2)|round(2) }} {{ (doc.outstanding_amount / 3)|round(2) }} {{ 2.5|round }}`,
		want: "54000.6 4166.75 2.0",
	},
	{
		name: "set keeps a value for later",
		src:  `{% set total = doc.items|sum(attribute="qty") %}{{ total }} units`,
		want: "204.0 units",
	},
	{
		name: "if elif else chooses the branch",
		src:  `{% if doc.status == "Paid" %}paid{% elif doc.status == "Overdue" %}overdue since {{ doc.due_date }}{% else %}open{% endif %}`,
		want: "overdue since 2024-02-04",
	},
	{
		name: "fmt_money with currency= prints the symbol and grouped amount",
		src:  `{{ frappe.utils.fmt_money(doc.grand_total, currency=doc.currency) }} / {{ frappe.utils.fmt_money(doc.net_total) }}`,
		want: "€ 45,000.50 / 40,000.00",
	},
	{
		name: "get_url_to_form links to the document",
		src:  `{{ frappe.utils.get_url_to_form(doc.doctype, doc.name) }}`,
		want: "https://erp.example.com/app/sales-invoice/ACC-SINV-2024-00042",
	},
	{
		name: "get_formatted prints money in the document's currency",
		src:  `{{ doc.get_formatted("grand_total") }}`,
		want: "€ 45,000.50",
	},
	{
		name: "underscore returns its text",
		src:  `{{ _("Sales Invoice") }} {{ doc.name }}`,
		want: "Sales Invoice ACC-SINV-2024-00042",
	},
	{
		name: "upper and length",
		src:  `{{ doc.status|upper }}: {{ doc.items|length }} items`,
		want: "OVERDUE: 5 items",
	},
	{
		name: "inline if",
		src:  `{{ "Credit note" if doc.is_return else "Invoice" }} {{ doc.name }}`,
		want: "Invoice ACC-SINV-2024-00042",
	},
	{
		name: "in a tuple",
		src:  `{% if doc.status in ("Overdue", "Unpaid") %}Please pay {{ doc.outstanding_amount }}{% endif %}`,
		want: "Please pay 12500.25",
	},
	{
		name: "tilde concatenates",
		src:  `{{ "Invoice " ~ doc.name ~ " for " ~ doc.customer ~ ": " ~ doc.grand_total }}`,
		want: "Invoice ACC-SINV-2024-00042 for Acme & Sons: 45000.5",
	},
	{
		name: "doc.get reads a field, with a default",
		src:  `{{ doc.get("customer") }} / {{ doc.get("po_no", "no PO") }}`,
		want: "Acme & Sons / no PO",
	},
	{
		name: "loop.last separates items",
		src:  `{% for item in doc.items %}{{ item.item_name }}{% if not loop.last %}, {% endif %}{% endfor %}`,
		want: "Widget A, Widget B, Bolt M10, Nut M10, Installation",
	},
	{
		name: "dash trims whitespace around tags",
		src:  "Items:\n{%- for item in doc.items %}\n  - {{ item.item_code }}\n{%- endfor %}\nEnd",
		want: "Items:\n  - WIDGET-A\n  - WIDGET-B\n  - BOLT-10\n  - NUT-10\n  - SERVICE\nEnd",
	},
	{
		name: "blocks keep their newlines, as Jinja2 does without trim_blocks",
		src:  "{% if doc.docstatus == 1 %}\nSubmitted\n{% endif %}\nDone\n",
		want: "\nSubmitted\n\nDone",
	},
	{
		name: "formatdate prints the ERP's default date format",
		src:  `Due {{ frappe.utils.formatdate(doc.due_date) }}`,
		want: "Due 04-02-2024",
	},
	{
		name: "for else handles an empty child table",
		src:  `{% for tax in doc.taxes %}{{ tax.description }}{% else %}No taxes{% endfor %}`,
		want: "No taxes",
	},
	{
		name: "macro writes a repeated line",
		src:  "{% macro line(label, value) %}• {{ label }}: {{ value }}\n{% endmacro %}{{ line(\"Customer\", doc.customer) }}{{ line(\"Amount\", doc.grand_total) }}",
		want: "• Customer: Acme & Sons\n• Amount: 45000.5\n",
	},
	{
		name: "namespace counts inside a loop",
		src:  `{% set ns = namespace(n=0) %}{% for item in doc.items %}{% if item.qty > 1 %}{% set ns.n = ns.n + 1 %}{% endif %}{% endfor %}{{ ns.n }} bulk lines`,
		want: "3 bulk lines",
	},
	{
		name: "floats print as Python prints them",
		src:  `{{ doc.net_total }} {{ doc.grand_total }} {{ doc.net_total * 2 }} {{ doc.docstatus }} {{ doc.is_return }}`,
		want: "40000.0 45000.5 80000.0 1 False",
	},
	{
		name: "a Slack message of the ERP's example shape",
		src: `*Invoice overdue*
Invoice {{ doc.name }} for {{ doc.customer }} is overdue since {{ frappe.utils.formatdate(doc.due_date) }}.
{% if doc.outstanding_amount > 0 -%}
Outstanding: {{ frappe.utils.fmt_money(doc.outstanding_amount, currency=doc.currency) }}
{% endif -%}
*Details*
{% for item in doc.items if item.amount > 10000 -%}
• {{ item.item_name }}: {{ item.qty }} x {{ item.rate }}
{% endfor %}`,
		want: "*Invoice overdue*\nInvoice ACC-SINV-2024-00042 for Acme & Sons is overdue since 04-02-2024.\nOutstanding: € 12,500.25\n*Details*\n• Widget A: 2.0 x 10000.25\n• Widget B: 1.0 x 15000.0\n",
	},
}

func TestSubjectIsRenderedOnlyWhenItContainsABrace(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"literal subject is sent as written", "New invoice %} 100% done", "New invoice %} 100% done"},
		{"literal subject is not escaped", "<!here> overdue & unpaid", "<!here> overdue & unpaid"},
		{"subject with a brace is a template", "Invoice {{ doc.name }}", "Invoice ACC-SINV-2024-00042"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tpl, err := CompileSubject(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			got, err := tpl.Render(Data{Doc: invoice(), Format: Slack})
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if _, err := CompileSubject("Invoice {{ doc.name"); err == nil {
		t.Error("a subject with a broken template compiled")
	}
}

// TestColumnsWinOverDictMethods: doc.items is the child table, not Python's dict.items; the
// same for keys, values and get, except doc.get(...) called as a function.
func TestColumnsWinOverDictMethods(t *testing.T) {
	doc := map[string]any{"items": []any{map[string]any{"x": "a"}}, "keys": "K", "values": "V", "get": "G", "name": "N"}
	tests := []struct {
		name, src, want string
	}{
		{"doc.items is the child table", "{% for i in doc.items %}{{ i.x }}{% endfor %}", "a"},
		{"doc.keys and doc.values are columns", "{{ doc.keys }}{{ doc.values }}", "KV"},
		{"doc.get is the column", "{{ doc.get }}", "G"},
		{"doc.get() is the method", `{{ doc.get("name") }}`, "N"},
		{"doc.keys() is the method when called", `{{ doc.keys()|sort|join(",") }}`, "get,items,keys,name,values"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustRender(t, tt.src, Data{Doc: doc})
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func mustRender(t testing.TB, src string, d Data) string {
	t.Helper()
	tpl, err := Compile(src)
	if err != nil {
		t.Fatalf("Compile(%q): %v", src, err)
	}
	out, err := tpl.Render(d)
	if err != nil {
		t.Fatalf("Render(%q): %v", src, err)
	}
	return out
}

// mustFail renders src with no document and checks that it fails with an error that says
// want.
func mustFail(t testing.TB, src, want string) {
	t.Helper()
	tpl, err := Compile(src)
	if err != nil {
		t.Fatalf("Compile(%q): %v", src, err)
	}
	if _, err = tpl.Render(Data{}); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want %q", err, want)
	}
}

// TestValuesPrintAsPythonPrintsThem: the ERP's templates print str(value); its PostgreSQL
// driver reads numeric columns as floats, so a whole amount prints with ".0".
func TestValuesPrintAsPythonPrintsThem(t *testing.T) {
	tests := []struct {
		name  string
		value any
		want  string
	}{
		{"float with decimals", 45000.5, "45000.5"},
		{"whole float with .0", 40000.0, "40000.0"},
		{"negative float", -12.75, "-12.75"},
		{"negative zero", math.Copysign(0, -1), "-0.0"},
		{"tiny float", 1e-9, "1e-09"},
		{"small float with an exponent from 1e-4 down", 0.00005, "5e-05"},
		{"float with an exponent from 1e16", 1e16, "1e+16"},
		{"huge float", 1e22, "1e+22"},
		{"large float without exponent", 123456789012.5, "123456789012.5"},
		{"float below 1e16 without exponent", 1e15, "1000000000000000.0"},
		{"NaN as Python writes it", nan(), "nan"},
		{"infinity as Python writes it", inf(), "inf"},
		{"integer", int64(42), "42"},
		{"true as Python", true, "True"},
		{"false as Python", false, "False"},
		{"NULL as empty", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustRender(t, "{{ doc.v }}", Data{Doc: map[string]any{"v": tt.value}})
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if got := mustRender(t, "{{ doc.missing }}|{{ missing }}|{{ doc.missing|upper }}", Data{Doc: map[string]any{}}); got != "||" {
		t.Errorf("undefined names rendered %q, want empty", got)
	}
	if got := mustRender(t, "{{ doc.name }}", Data{}); got != "" {
		t.Errorf("a nil Doc rendered %q", got)
	}
}

func TestKeepsLiteralTextAndTrailingNewlineRule(t *testing.T) {
	// Jinja2 (keep_trailing_newline=False) drops one final newline of the template.
	got := mustRender(t, "line 1\nline 2\n\n", Data{})
	if got != "line 1\nline 2\n" {
		t.Errorf("got %q", got)
	}
	if got := mustRender(t, "{% raw %}{{ not rendered }}{% endraw %}", Data{}); got != "{{ not rendered }}" {
		t.Errorf("raw rendered %q", got)
	}
	if got := mustRender(t, "a\r\nb", Data{}); !strings.Contains(got, "a\nb") {
		t.Errorf("CRLF rendered %q", got)
	}
}

func nan() float64 { return math.NaN() }
func inf() float64 { return math.Inf(1) }
