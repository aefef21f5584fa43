package rules

import (
	"reflect"
	"testing"

	"walnotify/cdc"
)

func issueRow(kv ...any) cdc.Row {
	r := cdc.Row{"name": "ISS-1", "docstatus": int64(0), "status": "Open", "total": 10.0, "modified": "2025-03-14 09:00:00", "_seen": nil}
	for i := 0; i < len(kv); i += 2 {
		r[kv[i].(string)] = kv[i+1]
	}
	return r
}

func TestClassifyFollowsTheSpecEventTable(t *testing.T) {
	watched := []string{"status", "total", "due_date", "meta"}
	tests := []struct {
		name string
		ch   cdc.Change
		want []string
	}{
		{"insert of a draft raises New then Save",
			cdc.Change{Op: cdc.OpInsert, New: issueRow()}, []string{"New", "Save"}},
		{"insert without docstatus column raises New then Save",
			cdc.Change{Op: cdc.OpInsert, New: cdc.Row{"name": "x"}}, []string{"New", "Save"}},
		{"insert of a submitted document raises New, Save, Submit",
			cdc.Change{Op: cdc.OpInsert, New: issueRow("docstatus", int64(1))}, []string{"New", "Save", "Submit"}},
		{"insert never raises Value Change",
			cdc.Change{Op: cdc.OpInsert, New: issueRow("status", "Closed")}, []string{"New", "Save"}},
		{"update 0 -> 0 raises Save then Value Change of each changed watched column",
			cdc.Change{Op: cdc.OpUpdate, Old: issueRow(), New: issueRow("status", "Replied", "total", 12.5)},
			[]string{"Save", "Value Change:status", "Value Change:total"}},
		{"update 0 -> 0 of an unwatched column raises Save only",
			cdc.Change{Op: cdc.OpUpdate, Old: issueRow(), New: issueRow("subject", "x")}, []string{"Save"}},
		{"update 0 -> 1 raises Save, Submit, then Value Change",
			cdc.Change{Op: cdc.OpUpdate, Old: issueRow(), New: issueRow("docstatus", int64(1), "status", "Unpaid")},
			[]string{"Save", "Submit", "Value Change:status"}},
		{"update 1 -> 1 raises Value Change only",
			cdc.Change{Op: cdc.OpUpdate, Old: issueRow("docstatus", int64(1)), New: issueRow("docstatus", int64(1), "status", "Paid")},
			[]string{"Value Change:status"}},
		{"update 1 -> 1 without a watched change raises nothing",
			cdc.Change{Op: cdc.OpUpdate, Old: issueRow("docstatus", int64(1)), New: issueRow("docstatus", int64(1), "subject", "x")},
			nil},
		{"update 1 -> 2 raises Cancel then Value Change",
			cdc.Change{Op: cdc.OpUpdate, Old: issueRow("docstatus", int64(1)), New: issueRow("docstatus", int64(2), "status", "Cancelled")},
			[]string{"Cancel", "Value Change:status"}},
		{"delete raises Delete",
			cdc.Change{Op: cdc.OpDelete, Old: issueRow()}, []string{"Delete"}},
		{"update of bookkeeping columns only raises nothing",
			cdc.Change{Op: cdc.OpUpdate, Old: issueRow(), New: issueRow("_seen", `["a@x"]`, "_comments", "[]")}, nil},
		{"update changing nothing raises nothing",
			cdc.Change{Op: cdc.OpUpdate, Old: issueRow(), New: issueRow()}, nil},
		{"numeric 10 and 10.0 are the same value",
			cdc.Change{Op: cdc.OpUpdate, Old: issueRow("total", int64(10)), New: issueRow("total", 10.0, "subject", "y")}, []string{"Save"}},
		{"json compared structurally",
			cdc.Change{Op: cdc.OpUpdate, Old: issueRow("meta", map[string]any{"a": 1.0}), New: issueRow("meta", map[string]any{"a": 1.0}, "subject", "y")}, []string{"Save"}},
		{"a change from NULL to a value is a Value Change",
			cdc.Change{Op: cdc.OpUpdate, Old: issueRow("due_date", nil), New: issueRow("due_date", "2025-04-01")}, []string{"Save", "Value Change:due_date"}},
		{"unchanged TOAST value that nobody filled is not a change",
			cdc.Change{Op: cdc.OpUpdate, Old: issueRow(), New: func() cdc.Row { r := issueRow("subject", "z"); delete(r, "status"); return r }(), Unchanged: []string{"status"}},
			[]string{"Save"}},
		{"update without old row of a draft is taken as Save",
			cdc.Change{Op: cdc.OpUpdate, New: issueRow("status", "Closed")}, []string{"Save"}},
		{"update without old row of a submitted document raises nothing",
			cdc.Change{Op: cdc.OpUpdate, New: issueRow("docstatus", int64(1))}, nil},
		{"update with key-only old row is classified like one without",
			cdc.Change{Op: cdc.OpUpdate, Old: cdc.Row{"name": "ISS-1"}, OldKeyOnly: true, New: issueRow()}, []string{"Save"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, r := range Classify(&tt.ch, watched) {
				got = append(got, r.String())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Classify = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestEqualComparesByType(t *testing.T) {
	tests := []struct {
		a, b any
		want bool
	}{
		{int64(1), 1.0, true},
		{int64(1), "1", false},
		{"2025-03-14", "2025-03-14", true},
		{nil, "", false},
		{nil, nil, true},
		{int64(0), false, false},
		{true, true, true},
		{[]any{1.0, "a"}, []any{1.0, "a"}, true},
		{map[string]any{"a": []any{1.0}}, map[string]any{"a": []any{2.0}}, false},
	}
	for _, tt := range tests {
		if got := Equal(tt.a, tt.b); got != tt.want {
			t.Errorf("Equal(%#v, %#v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
