package pipeline

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"

	"walnotify/cdc"
)

// OldFromVersion rebuilds the row as it was before the save a Version row of the ERP records
// (its "changed" list of [field, old, new]), from the row as it is now: `walnotify test --doc
// NAME --from-version` tests an update on a live document. Numbers take the type of the
// column's current value (an integral JSON number in an integer column is an int64). Child
// table changes ("row_changed") are not rebuilt: the rules compare the document's own fields.
func OldFromVersion(row cdc.Row, data string) (cdc.Row, []string, error) {
	var v struct {
		Changed [][]json.RawMessage `json:"changed"`
	}
	if err := json.Unmarshal([]byte(data), &v); err != nil {
		return nil, nil, fmt.Errorf("version data: %w", err)
	}
	old := maps.Clone(row)
	var fields []string
	for _, c := range v.Changed {
		if len(c) < 2 {
			return nil, nil, fmt.Errorf("version data: a change of %d items, want [field, old, new]", len(c))
		}
		var field string
		if err := json.Unmarshal(c[0], &field); err != nil {
			return nil, nil, fmt.Errorf("version data: field name: %w", err)
		}
		var val any
		if err := json.Unmarshal(c[1], &val); err != nil {
			return nil, nil, fmt.Errorf("version data: %s: %w", field, err)
		}
		if f, ok := val.(float64); ok {
			if _, isInt := row[field].(int64); isInt && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
				val = int64(f)
			}
		}
		old[field] = val
		fields = append(fields, field)
	}
	return old, fields, nil
}
