package render

import (
	"reflect"
	"strings"
	"testing"

	"github.com/nikolalohinski/gonja/v2/exec"
)

// A template says at load whether it reads the database, and which document types it names;
// the reads the ERP's sandbox has that change data or run SQL are refused at load.
func TestReadsAreKnownAtLoad(t *testing.T) {
	tests := []struct {
		src      string
		doctypes []string
		reads    bool
	}{
		{`{{ doc.name }}`, nil, false},
		{`{{ frappe.db.get_value("User", doc.owner, "full_name") }} {{ frappe.get_all("Issue", pluck="name") }} {{ frappe.db.count("User") }}`, []string{"Issue", "User"}, true},
		{`{{ frappe.db.get_value(doc.reference_doctype, doc.reference_name) }}`, nil, true},
		{`{% set f = frappe.db.exists %}{{ f("User", "x") }}`, nil, true},
		{`{{ frappe.get_doc("Customer", doc.customer).customer_group }}`, []string{"Customer"}, true},
		{`{{ frappe.utils.get_fullname("Administrator") }} {{ frappe.get_fullname() }}`, []string{"User"}, true},
	}
	for _, tt := range tests {
		tpl, err := Compile(tt.src)
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		doctypes, reads := tpl.Reads()
		if !reflect.DeepEqual(doctypes, tt.doctypes) || reads != tt.reads {
			t.Errorf("%s: Reads() = %q, %v; want %q, %v", tt.src, doctypes, reads, tt.doctypes, tt.reads)
		}
	}
	for _, src := range []string{`{{ frappe.db.sql("select 1") }}`, `{{ frappe.db.set_value("Issue", doc.name, "status", "Closed") }}`, `{{ frappe.new_doc("User") }}`} {
		if _, err := Compile(src); err == nil || !strings.Contains(err.Error(), "is not available in walnotify templates") {
			t.Errorf("%s: %v, want refused at load", src, err)
		}
	}
}

// The arguments are read as the ERP reads them, and what it would refuse fails the rendering
// with the reason, before any read.
func TestReadArgumentsAreChecked(t *testing.T) {
	st := &state{format: Slack}
	tests := []struct {
		name string
		run  func() error
		want string
	}{
		{"an unknown operator", func() error {
			_, err := st.filters(exec.AsValue(map[string]any{"status": []any{"~", "x"}}))
			return err
		}, `operator "~" is not supported`},
		{"a filter that is no list", func() error {
			_, err := st.filters(exec.AsValue([]any{"status"}))
			return err
		}, "a filter must be [field, operator, value]"},
		{"between without two values", func() error {
			_, err := st.filters(exec.AsValue([]any{[]any{"creation", "between", []any{"2025-01-01"}}}))
			return err
		}, "between takes [from, to]"},
		{"an order that is no field and direction", func() error {
			_, err := orderBy("name; DROP TABLE x")
			return err
		}, "give field names"},
	}
	for _, tt := range tests {
		if err := tt.run(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
	got, err := st.filters(exec.AsValue(map[string]any{"customer": "Girard &amp; Fils", "qty": []any{">=", 2}, "name": []any{"in", "A, B"}}))
	want := []Filter{{Field: "customer", Op: "=", Value: "Girard & Fils"}, {Field: "name", Op: "in", Value: []any{"A", "B"}}, {Field: "qty", Op: ">=", Value: int64(2)}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("filters = %#v, %v; want %#v (the text as written, unescaped)", got, err, want)
	}
}
