package pipeline

import (
	"reflect"
	"testing"

	"walnotify/cdc"
)

func TestOldFromVersionUndoesTheChangedFields(t *testing.T) {
	row := cdc.Row{"name": "ISS-1", "status": "Replied", "docstatus": int64(1), "total": 12.5, "subject": "x"}
	old, fields, err := OldFromVersion(row, `{"added":[],"changed":[["status","Open","Replied"],["docstatus",0,1],["total",10,12.5]],"removed":[],"row_changed":[]}`)
	if err != nil {
		t.Fatal(err)
	}
	want := cdc.Row{"name": "ISS-1", "status": "Open", "docstatus": int64(0), "total": float64(10), "subject": "x"}
	if !reflect.DeepEqual(old, want) || !reflect.DeepEqual(fields, []string{"status", "docstatus", "total"}) {
		t.Errorf("old = %#v, fields %v", old, fields)
	}
	if row["status"] != "Replied" {
		t.Error("the current row was changed")
	}
	if _, _, err := OldFromVersion(row, `{"changed":[["status"]]}`); err == nil {
		t.Error("a malformed change was accepted")
	}
}
