package main

import (
	"reflect"
	"strings"
	"testing"
)

const filtersConfig = siteTOML + `[[webhook]]
name = "accounting"
service = "Google Chat"
url = "<<.Hook.accounting>>"
rate = 100.0
show_document_link = false

[[notification]]
name = "Large invoice submitted"
document_type = "Sales Invoice"
event = "Submit"
condition_type = "Filters"
filters = [["grand_total", ">", 1000], ["is_return", "is", "not set"], ["customer", "like", "%girard%"], ["status", "in", ["Unpaid", "Overdue"]]]
message = "Large invoice {{ doc.name }}"
webhook = "accounting"
`

// A Filters condition decides on real rows: numbers cast from the filter's text, an Int
// "is not set" that means zero (frappe#34137), like without regard to case, in a list.
func TestFiltersConditionDecidesOnRealRows(t *testing.T) {
	s := newSite(t, []string{"accounting"}, filtersConfig)
	s.startDaemon(t)
	for _, row := range []string{
		`('SINV-F-1', 'Atelier Girard', 45000.5, 0, 'Unpaid')`, // all hold
		`('SINV-F-2', 'Atelier Girard', 999, 0, 'Unpaid')`,     // too small
		`('SINV-F-3', 'Atelier Girard', 45000.5, 1, 'Unpaid')`, // a return: is_return is set
		`('SINV-F-4', 'Lemoine', 45000.5, 0, 'Unpaid')`,        // another customer
		`('SINV-F-5', 'GIRARD et fils', 1000.01, 0, 'Overdue')`,
		`('SINV-F-6', 'Atelier Girard', 45000.5, 0, 'Paid')`,
	} {
		s.db.Exec(t, `INSERT INTO "tabSales Invoice" (name, customer, grand_total, is_return, status) VALUES `+row)
		s.db.Exec(t, `UPDATE "tabSales Invoice" SET docstatus = 1 WHERE docstatus = 0`)
	}
	s.settle(t, s.hooks["accounting"], `INSERT INTO "tabSales Invoice" (name, customer, grand_total, status, docstatus) VALUES ('SINV-F-END', 'Girard', 5000, 'Unpaid', 1)`, "SINV-F-END")
	want := []string{"Large invoice SINV-F-1", "Large invoice SINV-F-5", "Large invoice SINV-F-END"}
	if got := s.hooks["accounting"].Texts(); !reflect.DeepEqual(got, want) {
		t.Errorf("received %q, want %q", got, want)
	}
}

func TestCheckNamesABadFilter(t *testing.T) {
	for _, tc := range []struct{ from, to, want string }{
		{`["grand_total", ">", 1000]`, `["grand_total", "between", 1000]`, `filters: filter 1: operator "between" is not supported`},
		{`condition_type = "Filters"`, `condition_type = "SQL"`, `condition_type: "SQL": want "Python" or "Filters"`},
		{`condition_type = "Filters"`, `condition_type = "Python"`, `filters: is only used with condition_type = "Filters"`},
		{`condition_type = "Filters"`, `condition_type = "Filters"` + "\ncondition = 'doc.x'", `condition: is not used with condition_type = "Filters"`},
	} {
		path := writeConfig(t, strings.Replace(filtersConfig, tc.from, tc.to, 1), "postgres://u@localhost/erp", map[string]string{"accounting": "https://chat.googleapis.com/v1/spaces/A/messages?key=k"})
		code, _, errOut := cli(t, "check", "-c", path)
		if code != 1 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%s: exit %d, want %q in:\n%s", tc.to, code, tc.want, errOut)
		}
	}
}

func TestCheckDBCatchesATypoInAFilterField(t *testing.T) {
	s := newSite(t, []string{"accounting"}, strings.Replace(filtersConfig, `["is_return"`, `["is_retrun"`, 1))
	code, _, errOut := cli(t, "check", "--db", "-c", s.path)
	if code != 1 || !strings.Contains(errOut, `notification "Large invoice submitted": filters: field is_retrun is not a column of "public"."tabSales Invoice" (did you mean "is_return"?)`) {
		t.Errorf("exit %d:\n%s", code, errOut)
	}
}
