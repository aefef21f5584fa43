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

// A template that reads doc only by field name converts only those fields; any other use of
// doc (printed, passed, a method called on it) sees the whole document.
func TestOnlyTheFieldsReadByNameAreConverted(t *testing.T) {
	doc := map[string]any{"name": "X-1", "b": "two", "total": 1.5}
	for _, tc := range []struct {
		src    string
		byName bool
		want   string
	}{
		{`{{ doc.name }} {{ doc["total"] }} {{ doc.missing is defined }}`, true, "X-1 1.5 False"},
		{`{{ doc|tojson }}`, false, `{"b": "two", "name": "X-1", "total": 1.5}`},
		{`{{ doc.get("b") }} {{ doc.name }}`, false, "two X-1"},
		{`{% for k in doc|sort %}{{ k }}{% endfor %}`, false, "bnametotal"},
		{`{{ "b" in doc }} {{ doc.name }}`, false, "True X-1"},
	} {
		tpl, err := Compile(tc.src)
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		if tpl.byName != tc.byName {
			t.Errorf("%s: byName = %v, want %v", tc.src, tpl.byName, tc.byName)
		}
		if got := mustRender(t, tc.src, Data{Doc: doc}); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.src, got, tc.want)
		}
	}
}

// A template that reads doc only by name reads it through docFields: each of these prints
// the same as when doc is also used whole (a plain map, read by gonja).
func TestFieldsReadByNameAsFromTheWholeDocument(t *testing.T) {
	doc := map[string]any{"name": "X-1", "none": nil, "items": []any{map[string]any{"qty": 2.0}},
		"meta": map[string]any{"k": "v"}, "keys": "a field named as a dict method", "n": int64(3)}
	for _, src := range []string{
		`{{ doc.name }}|{{ doc["name"] }}|{{ doc.missing }}|{{ doc["missing"] }}|{{ doc.none }}`,
		`{{ doc.items[0].qty }}|{{ doc.items|length }}|{{ doc.meta.k }}|{{ doc["meta"]["k"] }}|{{ doc.keys }}`,
		`{{ doc.n + 1 }}|{{ doc.none is none }}|{{ doc.missing is defined }}|{{ doc.none is defined }}|{{ doc["name"] is defined }}`,
		`{% for i in doc.items %}{{ loop.index }}{{ i.qty }}{% endfor %}|{{ doc.name|lower }}|{{ doc.name.split('-') }}`,
	} {
		byName, err := Compile(src)
		if err != nil {
			t.Fatal(err)
		}
		whole, err := Compile(src + `{% if doc %}{% endif %}`)
		if err != nil {
			t.Fatal(err)
		}
		if !byName.byName || whole.byName {
			t.Fatalf("%s: byName %v and %v", src, byName.byName, whole.byName)
		}
		got, err1 := byName.Render(Data{Doc: doc})
		want, err2 := whole.Render(Data{Doc: doc})
		if got != want || err1 != nil || err2 != nil {
			t.Errorf("%s: by name %q, %v; whole %q, %v", src, got, err1, want, err2)
		}
	}
}
