package rules

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"

	"walnotify/cdc"
)

// Raised is an event raised by a row change. Column names the column of a Value Change.
type Raised struct {
	Event  Event
	Column string
}

// String is "Save" or "Value Change:status".
func (r Raised) String() string {
	if r.Column != "" {
		return r.Event.String() + ":" + r.Column
	}
	return r.Event.String()
}

// Classify returns the events a row change raises, in the order of SPEC section 3. watched lists
// the columns whose Value Change the rules care about; a Value Change is raised for each of
// them whose value differs, compared by type.
//
// An update needs the old row (REPLICA IDENTITY FULL) to be told apart: without it, an update of
// a draft (or of a table without docstatus) is taken as a Save and nothing else is raised.
func Classify(ch *cdc.Change, watched []string) []Raised {
	switch ch.Op {
	case cdc.OpInsert:
		ev := []Raised{{Event: New}, {Event: Save}}
		if ds, ok := docstatus(ch.New); ok && ds == 1 {
			ev = append(ev, Raised{Event: Submit})
		}
		return ev
	case cdc.OpDelete:
		return []Raised{{Event: Delete}}
	case cdc.OpUpdate:
		return classifyUpdate(ch, watched)
	}
	return nil
}

func classifyUpdate(ch *cdc.Change, watched []string) []Raised {
	if ch.Old == nil || ch.OldKeyOnly {
		if ds, ok := docstatus(ch.New); !ok || ds == 0 {
			return []Raised{{Event: Save}}
		}
		return nil
	}
	if bookkeepingOnly(ch) {
		return nil
	}
	var ev []Raised
	oldDS, hasOld := docstatus(ch.Old)
	newDS, hasNew := docstatus(ch.New)
	switch {
	case !hasOld || !hasNew:
		ev = append(ev, Raised{Event: Save})
	case oldDS == 0 && newDS == 0:
		ev = append(ev, Raised{Event: Save})
	case oldDS == 0 && newDS == 1:
		ev = append(ev, Raised{Event: Save}, Raised{Event: Submit})
	case oldDS == 1 && newDS == 2:
		ev = append(ev, Raised{Event: Cancel})
	}
	for _, col := range watched {
		if changed(ch, col) {
			ev = append(ev, Raised{Event: ValueChange, Column: col})
		}
	}
	return ev
}

// bookkeepingOnly reports whether an update changed nothing but the ERP's bookkeeping columns
// (names beginning with "_": _seen, _comments, _assign, _liked_by, _user_tags).
func bookkeepingOnly(ch *cdc.Change) bool {
	for col := range ch.New {
		if strings.HasPrefix(col, "_") {
			continue
		}
		if changed(ch, col) {
			return false
		}
	}
	for col := range ch.Old {
		if _, ok := ch.New[col]; !ok && !strings.HasPrefix(col, "_") && !unchangedToast(ch, col) {
			return false // a column vanished: not bookkeeping
		}
	}
	return true
}

// changed reports whether col differs between the old and new row. A column the server did not
// resend and nobody could fill is unknown, so it is not reported as changed.
func changed(ch *cdc.Change, col string) bool {
	if unchangedToast(ch, col) {
		return false
	}
	nv, nok := ch.New[col]
	ov, ook := ch.Old[col]
	if !nok && !ook {
		return false
	}
	return !Equal(ov, nv)
}

func unchangedToast(ch *cdc.Change, col string) bool {
	for _, c := range ch.Unchanged {
		if c == col {
			return true
		}
	}
	return false
}

// docstatus returns the row's docstatus, and whether it has one.
func docstatus(r cdc.Row) (int64, bool) {
	v, ok := r["docstatus"]
	if !ok {
		return 0, false
	}
	n, ok := number(v)
	return int64(n), ok
}

// Equal compares two row values by type: numbers by value (1 equals 1.0), strings, dates and
// timestamps by text (they arrive in one canonical format), JSON structurally.
func Equal(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if x, ok := number(a); ok {
		if y, ok := number(b); ok {
			return x == y || (math.IsNaN(x) && math.IsNaN(y))
		}
		return false
	}
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	}
	if reflect.DeepEqual(a, b) {
		return true
	}
	// JSON values may differ only in number representation.
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case int64:
		return float64(n), true
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int32:
		return float64(n), true
	case int16:
		return float64(n), true
	case float32:
		return float64(n), true
	}
	return 0, false
}
