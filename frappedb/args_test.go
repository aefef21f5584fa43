package frappedb

import (
	"reflect"
	"strings"
	"testing"
)

// The arguments are read as the ERP reads them, and what it would refuse fails the call with
// the reason, before any read.
func TestArgumentsAreReadAsTheERPReadsThem(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
		want string
	}{
		{"an unknown operator", second(Filters(map[string]any{"status": []any{"~", "x"}})), `operator "~" is not supported`},
		{"a filter that is no list", second(Filters([]any{"status"})), "a filter must be [field, operator, value], not 'status'"},
		{"a dict value that is no pair", second(Filters(map[string]any{"qty": []any{">"}})), "give [operator, value], not ['>']"},
		{"between without two values", second(Filters([]any{[]any{"creation", "between", []any{"2025-01-01"}}})), "between takes [from, to]"},
		{"is takes set", second(Filters([]any{[]any{"tax_id", "is", "there"}})), `"is" takes "set" or "not set"`},
		{"filters of another type", second(Filters(true)), "filters must be a name, a dict or a list, not bool"},
		{"an order that is no field and direction", second(OrderBy("name; DROP TABLE x")), "give field names"},
		{"an order's direction", second(OrderBy("name sideways")), `"sideways" is neither asc nor desc`},
	} {
		if tt.err == nil || !strings.Contains(tt.err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, tt.err, tt.want)
		}
	}
	got, err := Filters(map[string]any{"customer": "Girard & Fils", "qty": []any{">=", 2}, "name": []any{"in", "A, B"}, "closed": false})
	want := []Filter{{Field: "closed", Op: "=", Value: int64(0)}, {Field: "customer", Op: "=", Value: "Girard & Fils"}, {Field: "name", Op: "in", Value: []any{"A", "B"}}, {Field: "qty", Op: ">=", Value: int64(2)}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("a dict's filters = %#v, %v; want %#v (in key order, a text of names split)", got, err, want)
	}
	got, err = Filters([]any{[]any{"Issue", "creation", "<", "2025-03-14"}, []any{"priority", "not in", []any{"Low", nil}}, []any{"modified", "between", []any{"2025-01-01", 5.5}}})
	want = []Filter{{Field: "creation", Op: "<", Value: "2025-03-14"}, {Field: "priority", Op: "not in", Value: []any{"Low", nil}}, {Field: "modified", Op: "between", Value: []any{"2025-01-01", 5.5}}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("a list's filters = %#v, %v; want %#v", got, err, want)
	}
	for _, name := range []any{"ISS-1", int64(7), 7.0} {
		got, err := Filters(name)
		if err != nil || len(got) != 1 || got[0] != (Filter{Field: "name", Op: "=", Value: Text(name)}) {
			t.Errorf("Filters(%#v) = %#v, %v; want the name as text", name, got, err)
		}
	}
	order, err := OrderBy("`tabIssue`.creation desc, name")
	if err != nil || !reflect.DeepEqual(order, []Order{{Field: "creation", Desc: true}, {Field: "name"}}) {
		t.Errorf("OrderBy = %#v, %v", order, err)
	}
}

func second[T any](_ T, err error) error { return err }

// Names given as numbers are Python's str() of them.
func TestTextIsPythonsStr(t *testing.T) {
	for v, want := range map[any]string{"x": "x", int64(5): "5", 5.0: "5.0", 2.5: "2.5", true: "True", nil: "None", 1e20: "1e+20"} {
		if got := Text(v); got != want {
			t.Errorf("Text(%#v) = %q, want %q", v, got, want)
		}
	}
}
