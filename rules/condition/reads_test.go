package condition

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"walnotify/frappedb"
)

// customers is a Lookup over one Customer and its child rows; it records the queries asked.
type customers struct{ asked []frappedb.Query }

func (c *customers) Rows(_ context.Context, q frappedb.Query) ([]string, [][]any, error) {
	c.asked = append(c.asked, q)
	if q.Doctype != "Customer" || len(q.Filters) > 0 && q.Filters[0].Value != "Girard" {
		return q.Fields, nil, nil
	}
	if q.Count {
		return []string{"count"}, [][]any{{int64(1)}}, nil
	}
	values := map[string]any{"name": "Girard", "customer_group": "VIP", "credit_limit": 5000.0}
	row := make([]any, len(q.Fields))
	for i, f := range q.Fields {
		row[i] = values[f]
	}
	return q.Fields, [][]any{row}, nil
}

func (c *customers) Document(_ context.Context, doctype, name string) (map[string]any, error) {
	if doctype != "Customer" || name != "Girard" {
		return nil, nil
	}
	return map[string]any{"name": "Girard", "customer_group": "VIP", "accounts": []any{map[string]any{"account": "411"}}}, nil
}

func (c *customers) Single(context.Context, string) (map[string]any, bool, error) {
	return nil, false, nil
}

// A condition reads the ERP's tables as Frappe 16's and Dokos' conditions do, each answer in
// the ERP's shape; a read names its document types at load.
func TestConditionsReadTheERPsTables(t *testing.T) {
	doc := map[string]any{"doctype": "Sales Invoice", "name": "SINV-1", "customer": "Girard", "grand_total": 6000.0, "modified_by": "paul@example.com"}
	for _, tt := range []struct {
		src      string
		want     bool
		doctypes []string
	}{
		{`frappe.db.get_value("Customer", doc.customer, "customer_group") == "VIP"`, true, []string{"Customer"}},
		{`doc.grand_total > frappe.db.get_value("Customer", doc.customer, "credit_limit")`, true, []string{"Customer"}},
		{`frappe.db.get_value("Customer", {"name": doc.customer}, ["customer_group", "credit_limit"]) == ["VIP", 5000]`, true, []string{"Customer"}},
		{`frappe.db.get_value("Customer", doc.customer, "customer_group", as_dict=True).customer_group == "VIP"`, true, []string{"Customer"}},
		{`frappe.db.get_value("Customer", "Nobody", "customer_group") is None`, true, []string{"Customer"}},
		{`frappe.db.exists("Customer", doc.customer) and frappe.db.count("Customer", {"name": ["=", doc.customer]}) == 1`, true, []string{"Customer"}},
		{`len(frappe.get_all("Customer", filters=[["name", "=", doc.customer]], fields=["name"])) == 1`, true, []string{"Customer"}},
		{`frappe.get_list("Customer", pluck="name") == ["Girard"]`, true, []string{"Customer"}},
		{`frappe.db.exists({"doctype": "Customer", "name": doc.customer}) == "Girard"`, true, nil},
		{`frappe.get_doc("Customer", doc.customer).accounts[0].account == "411"`, true, []string{"Customer"}},
		{`frappe.db.get_value(doc.doctype, doc.name, "status")`, false, nil},
		{`frappe.session.user == doc.modified_by and frappe.user == "paul@example.com"`, true, nil},
		{`frappe.get_system_settings("country") is None`, true, []string{"System Settings"}},
	} {
		c, err := Compile(tt.src)
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		doctypes, reads := c.Reads()
		if !reflect.DeepEqual(doctypes, tt.doctypes) || reads != !strings.HasPrefix(tt.src, "frappe.session.user") {
			t.Errorf("%s: Reads() = %q, %v; want %q", tt.src, doctypes, reads, tt.doctypes)
		}
		got, err := c.Evaluate(Input{Doc: doc, Now: time.Now(), Lookup: &customers{}})
		if err != nil || got != tt.want {
			t.Errorf("%s = %v, %v; want %v", tt.src, got, err, tt.want)
		}
	}
	if _, reads := mustCompile(t, `doc.customer == "Girard"`).Reads(); reads {
		t.Error("a condition without reads says it reads")
	}
}

// A read repeated in one evaluation is made once; each evaluation reads afresh; the reads are
// bounded; without a database, or past a bound, the condition fails with a run-time error that
// points at the call.
func TestConditionReadsAreBoundedAndFailClearly(t *testing.T) {
	doc := map[string]any{"doctype": "Sales Invoice", "name": "SINV-1", "customer": "Girard"}
	c := mustCompile(t, `frappe.db.get_value("Customer", doc.customer, "customer_group") == "VIP" and frappe.db.get_value("Customer", doc.customer, "customer_group") != "Retail"`)
	l := &customers{}
	for range 2 {
		if ok, err := c.Evaluate(Input{Doc: doc, Lookup: l}); !ok || err != nil {
			t.Fatalf("= %v, %v", ok, err)
		}
	}
	if len(l.asked) != 2 {
		t.Errorf("two evaluations, each reading the same value twice, made %d queries; want 2", len(l.asked))
	}
	_, err := c.Evaluate(Input{Doc: doc})
	var ce *Error
	if !errors.Is(err, frappedb.ErrNoLookup) || !errors.As(err, &ce) || ce.Column != 11 {
		t.Errorf("without a database: %v, want ErrNoLookup at column 11", err)
	}
	twice := mustCompile(t, `frappe.db.get_value("Customer", "A", "name") or frappe.db.get_value("Customer", "B", "name")`)
	if _, err := twice.Evaluate(Input{Doc: doc, Lookup: l, Limits: frappedb.Limits{Reads: 1}}); err == nil || !errors.As(err, &ce) {
		t.Errorf("two reads with a bound of one: %v, want a run-time error", err)
	}
}

func mustCompile(t *testing.T, src string) *Condition {
	t.Helper()
	c, err := Compile(src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return c
}
