package condition

import (
	"strings"
	"testing"
	"time"
)

func TestFiltersCastBothSidesToTheFieldsType(t *testing.T) {
	doc := map[string]any{
		"name": "ACC-SINV-0001", "status": "Unpaid", "grand_total": 1500.0, "is_return": int64(0),
		"docstatus": int64(1), "priority": int64(3), "customer": "Acme SARL", "remarks": nil,
		"due_date": "2026-11-30", "amended_from": nil, "discount": nil,
	}
	for _, tc := range []struct {
		name string
		rows [][]any
		want bool
	}{
		{"no rows is always true", [][]any{}, true},
		{"= on text", [][]any{{"status", "=", "Unpaid"}}, true},
		{"!= on text", [][]any{{"status", "!=", "Unpaid"}}, false},
		{"> on a number", [][]any{{"grand_total", ">", int64(1000)}}, true},
		{"a number written as text is cast to the field's type", [][]any{{"grand_total", ">", "1,000"}}, true},
		{"<= on a number", [][]any{{"grand_total", "<=", 1499.99}}, false},
		{">= equal", [][]any{{"grand_total", ">=", 1500}}, true},
		{"rows are AND-ed", [][]any{{"status", "=", "Unpaid"}, {"grand_total", "<", 1000}}, false},
		{"in a list", [][]any{{"status", "in", []any{"Unpaid", "Overdue"}}}, true},
		{"in comma-separated text", [][]any{{"status", "in", "Paid, Overdue"}}, false},
		{"not in", [][]any{{"status", "not in", []any{"Paid"}}}, true},
		{"in on a number casts the items", [][]any{{"priority", "in", "1,3"}}, true},
		{"like with %", [][]any{{"customer", "like", "%acme%"}}, true},
		{"like with _", [][]any{{"customer", "like", "Acm_ SARL"}}, true},
		{"like matches the whole value", [][]any{{"customer", "like", "Acme"}}, false},
		{"not like", [][]any{{"customer", "not like", "%Globex%"}}, true},
		{"starts with", [][]any{{"name", "^", "ACC-SINV"}}, true},
		{"is set on text", [][]any{{"customer", "is", "set"}}, true},
		{"is not set on NULL text", [][]any{{"remarks", "is", "not set"}}, true},
		{"is set on NULL", [][]any{{"amended_from", "is", "set"}}, false},
		// frappe#34137: "is set" on an Int field must see 0 as not set.
		{"is set on an Int holding 0", [][]any{{"is_return", "is", "set"}}, false},
		{"is not set on an Int holding 0", [][]any{{"is_return", "is", "not set"}}, true},
		{"is set on an Int holding 1", [][]any{{"docstatus", "is", "set"}}, true},
		{"Check field against text 1", [][]any{{"docstatus", "=", "1"}}, true},
		{"NULL against a number is 0", [][]any{{"discount", "=", 0}}, true},
		{"a date against a date text", [][]any{{"due_date", "<=", "2026-12-01"}}, true},
		{"a missing field reads as NULL", [][]any{{"nope", "=", ""}}, true},
		{"the ERP's four-item rows", [][]any{{"Sales Invoice", "status", "=", "Unpaid", false}}, true},
		{"operators ignore case", [][]any{{"status", "NOT IN", []any{"Paid"}}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := CompileFilters(tc.rows)
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.Eval(doc, time.Now())
			if err != nil || got != tc.want {
				t.Errorf("%v = %v, %v; want %v", tc.rows, got, err, tc.want)
			}
		})
	}
}

func TestFiltersRefuseWhatTheERPCannotEvaluate(t *testing.T) {
	for _, tc := range []struct {
		rows [][]any
		want string
	}{
		{[][]any{{"status", "between", []any{1, 2}}}, `filter 1: operator "between" is not supported`},
		{[][]any{{"status", "="}}, "filter 1: want [fieldname, operator, value], got 2 items"},
		{[][]any{{"status", "=", "x"}, {1, "=", "x"}}, "filter 2: the field name must be a non-empty text"},
		{[][]any{{"is_return", "is", "0"}}, `filter 1: "is" takes "set" or "not set", not '0'`},
	} {
		_, err := CompileFilters(tc.rows)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.rows, err, tc.want)
		}
	}
}

func TestFiltersNameTheirFields(t *testing.T) {
	c, err := CompileFilters([][]any{{"status", "=", "Open"}, {"grand_total", ">", 1}, {"status", "!=", "x"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.Fields(), ","); got != "grand_total,status" {
		t.Errorf("Fields() = %s", got)
	}
}
