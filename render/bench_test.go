package render

import (
	"fmt"
	"testing"
)

// typicalMessage is an ERP notification of the usual size: a condition, a loop over five child
// rows, about six fields and fmt_money.
const typicalMessage = `*Invoice {{ doc.name }} is {{ doc.status|lower }}*
Customer: {{ doc.customer }}
Posted {{ doc.posting_date }}, due {{ doc.due_date }}
{% if doc.outstanding_amount > 0 -%}
Outstanding: {{ frappe.utils.fmt_money(doc.outstanding_amount, currency=doc.currency) }}
{% endif -%}
{% for item in doc.items -%}
{{ loop.index }}. {{ item.item_name }}: {{ item.qty }} x {{ item.rate }}
{% endfor %}`

func BenchmarkRender(b *testing.B) {
	tpl, err := Compile(typicalMessage)
	if err != nil {
		b.Fatal(err)
	}
	d := Data{Doc: invoice(), Site: Site{URL: "https://erp.example.com"}, Format: Slack, Now: testNow}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tpl.Render(d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(typicalMessage); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderWideDocument is the typical message on a document with 200 more columns, as
// an ERPNext Sales Invoice has: only the fields the template reads are converted.
func BenchmarkRenderWideDocument(b *testing.B) {
	tpl, err := Compile(typicalMessage)
	if err != nil {
		b.Fatal(err)
	}
	doc := invoice()
	for i := range 200 {
		doc[fmt.Sprintf("column_%d", i)] = fmt.Sprintf("value <%d>", i)
	}
	d := Data{Doc: doc, Site: Site{URL: "https://erp.example.com"}, Format: Slack, Now: testNow}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tpl.Render(d); err != nil {
			b.Fatal(err)
		}
	}
}
