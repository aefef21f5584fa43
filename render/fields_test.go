package render

import (
	"slices"
	"strings"
	"testing"
)

func TestDocFieldsListsWhatATemplateReadsFromTheDocument(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"plain text", "[]"},
		{"{{ doc.name }} for {{ doc.custmer }}", "[custmer name]"},
		{`{{ doc["grand_total"] | round }} {% if doc.status == "Open" %}{{ doc.name }}{% endif %}`, "[grand_total name status]"},
		{"{% for i in doc.items %}{{ i.item_code }}{% endfor %}{% set x = doc.remarks %}", "[items remarks]"},
		{"{{ frappe.utils.fmt_money(doc.grand_total, currency=doc.currency) }}", "[currency grand_total]"},
		{"{% if doc.remarks is defined %}x{% endif %}{{ doc.custmer is undefined }}", "[custmer remarks]"},
	} {
		tpl, err := Compile(tc.src)
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		got := tpl.DocFields()
		if s := "[" + strings.Join(got, " ") + "]"; s != tc.want {
			t.Errorf("%s: DocFields() = %s, want %s", tc.src, s, tc.want)
		}
		if !slices.IsSorted(got) {
			t.Errorf("%s: not sorted: %v", tc.src, got)
		}
	}
}
