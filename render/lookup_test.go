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
		{`{{ frappe.get_system_settings("country") }}`, []string{"System Settings"}, true},
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

// A call's arguments reach frappedb as the text was written: document values, escaped for
// the service, are unescaped, in dicts and lists too.
func TestReadArgumentsAreTheTextAsWritten(t *testing.T) {
	st := &state{format: Slack}
	got, err := st.plain(exec.AsValue(map[string]any{"customer": "Girard &amp; Fils", "qty": []any{">=", 2}, "name": []any{"in", "A &lt; B"}}))
	want := map[string]any{"customer": "Girard & Fils", "qty": []any{">=", int64(2)}, "name": []any{"in", "A < B"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("plain = %#v, %v; want %#v", got, err, want)
	}
	if _, err := st.plain(exec.AsValue(&exec.Dict{Pairs: []*exec.Pair{{Key: exec.AsValue(1), Value: exec.AsValue("x")}}})); err == nil || !strings.Contains(err.Error(), "key must be text") {
		t.Errorf("a dict with a number for a key: %v, want refused", err)
	}
}
