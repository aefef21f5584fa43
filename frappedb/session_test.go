package frappedb

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// table is a Lookup over rows held in memory: every query gives its rows (the first Limit),
// and records itself.
type table struct {
	columns []string
	rows    [][]any
	asked   []Query
}

func (t *table) Rows(_ context.Context, q Query) ([]string, [][]any, error) {
	t.asked = append(t.asked, q)
	if q.Count {
		return []string{"count"}, [][]any{{int64(len(t.rows))}}, nil
	}
	return t.columns, t.rows[:min(len(t.rows), q.Limit)], nil
}

func (t *table) Document(context.Context, string, string) (map[string]any, error) { return nil, nil }

func (t *table) Single(_ context.Context, doctype string) (map[string]any, bool, error) {
	return map[string]any{"country": "France"}, doctype == "System Settings", nil
}

func newSession(l Lookup, limits Limits) *Session {
	return NewSession(Config{Lookup: l, Limits: limits, Deadline: time.Now().Add(time.Minute), User: "paul@example.com"})
}

// Each call's answer has the ERP's shape.
func TestCallsAnswerInTheERPsShapes(t *testing.T) {
	users := &table{columns: []string{"first_name", "last_name"}, rows: [][]any{{"Jeanne", "Martin"}, {"Paul", ""}}}
	s := newSession(users, Limits{Reads: 20, Rows: 100})
	args := func(name string, given ...any) []any {
		params, _, _ := Params(name)
		return append(given, make([]any, len(params)-len(given))...)
	}
	for _, tt := range []struct {
		name string
		call string
		args []any
		want any
	}{
		{"one field is its value", "get_value", args("get_value", "User", "jm", "first_name"), "Jeanne"},
		{"several fields are a tuple", "get_value", args("get_value", "User", "jm", []any{"first_name", "last_name"}), Tuple{"Jeanne", "Martin"}},
		{"as_dict is a row", "get_value", args("get_value", "User", "jm", "first_name, last_name", nil, true), &Row{Columns: users.columns, Values: []any{"Jeanne", "Martin"}}},
		{"None reads a single document type", "get_value", args("get_value", "System Settings", nil, "country"), "France"},
		{"None of a document type that is not single is None", "get_value", args("get_value", "User", nil, "country"), nil},
		{"get_all gives rows", "get_all", args("get_all", "User"), []any{&Row{users.columns, users.rows[0]}, &Row{users.columns, users.rows[1]}}},
		{"pluck gives values, after limit_start", "get_list", args("get_list", "User", nil, nil, nil, 1, nil, nil, nil, "first_name"), []any{"Paul"}},
		{"count", "count", args("count", "User"), int64(2)},
		{"a System Settings field", "get_system_settings", []any{"country"}, "France"},
		{"a field System Settings does not have is None", "get_system_settings", []any{"currency"}, nil},
		{"get_fullname joins the names", "get_fullname", []any{"jm"}, "Jeanne Martin"},
		{"get_fullname without a user is the session's", "get_fullname", []any{nil}, "Jeanne Martin"},
	} {
		got, err := s.Call(tt.call, tt.args)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %#v, %v; want %#v", tt.name, got, err, tt.want)
		}
	}
	if q := users.asked[len(users.asked)-1]; q.Filters[0].Value != "paul@example.com" {
		t.Errorf("get_fullname without a user asked for %#v, want the session's user", q.Filters)
	}
	for call, args := range map[string][]any{
		"get_doc":          {map[string]any{"doctype": "User"}, nil, nil},
		"get_single_value": {"User", "country", nil},
		"get_all":          args("get_all", "User", nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, true),
		"exists":           {"User", nil, nil},
	} {
		if _, err := s.Call(call, args); err == nil || !strings.HasPrefix(err.Error(), call+"(): ") {
			t.Errorf("%s%#v: %v, want an error that names the call", call, args, err)
		}
	}
}

// A session answers a read it has made from the first answer, and bounds its reads: how
// many, how many rows each; without a Lookup, every read fails.
func TestASessionsReadsAreBounded(t *testing.T) {
	users := &table{columns: []string{"name"}, rows: [][]any{{"a"}, {"b"}, {"c"}}}
	s := newSession(users, Limits{Reads: 2, Rows: 2})
	get := []any{"User", "a", nil, nil, nil, nil, nil, nil, nil}
	for range 3 {
		if _, err := s.Call("get_value", get); err != nil {
			t.Fatal(err)
		}
	}
	if len(users.asked) != 1 {
		t.Errorf("the same read three times made %d queries, want 1", len(users.asked))
	}
	all := []any{"User", nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil}
	if _, err := s.Call("get_all", all); err == nil || !strings.Contains(err.Error(), "more than 2 rows of User") {
		t.Errorf("three rows with a bound of two: %v", err)
	}
	if _, err := s.Call("count", []any{"User", nil, nil, nil, nil}); err == nil || !strings.Contains(err.Error(), "more than 2 database reads") {
		t.Errorf("a third read with a bound of two: %v", err)
	}
	s = NewSession(Config{Limits: Limits{Reads: 2, Rows: 2}})
	if _, err := s.Call("get_value", get); !errors.Is(err, ErrNoLookup) {
		t.Errorf("without a Lookup: %v, want ErrNoLookup", err)
	}
}
