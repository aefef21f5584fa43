package pipeline

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"walnotify/erpdb"
)

func TestWriteBackFollowsTheERP(t *testing.T) {
	cfg := parseRules(t, `[[notification]]
name = "n"
document_type = "Sales Invoice"
event = "Submit"
message = "m"
webhook = "chat"
set_property_after_alert = "remarks"
property_value = "notified"
`)
	n := &cfg.Notifications[0]
	ti := &tableInfo{
		doctype: "Sales Invoice",
		columns: map[string]erpdb.Column{
			"remarks":  {Name: "remarks", Type: "text"},
			"modified": {Name: "modified", Type: "timestamp(6) without time zone"},
			"count":    {Name: "count", Type: "integer"},
		},
		noWriteOnSubmit: map[string]bool{},
	}
	rs := &Rules{cfg: cfg, tables: map[string]*tableInfo{"tabSales Invoice": ti}}
	b := &builder{log: slog.New(slog.NewTextHandler(io.Discard, nil)), now: time.Now}
	now := time.Date(2025, 4, 1, 10, 0, 0, 0, time.UTC)

	w, ok := b.writeBack(rs, ti, n, map[string]any{"name": "SINV-1", "docstatus": int64(0)}, now)
	if !ok {
		t.Fatal("no write-back on a draft")
	}
	wantSQL := `UPDATE "public"."tabSales Invoice" SET "remarks" = $1::text::text, "modified" = $2::text::timestamp(6) without time zone WHERE "name" = $3`
	if w.SQL != wantSQL || len(w.Args) != 3 || w.Args[0] != "notified" || w.Args[1] != "2025-04-01 10:00:00.000000" || w.Args[2] != "SINV-1" {
		t.Errorf("write-back = %q %v", w.SQL, w.Args)
	}
	if _, ok := b.writeBack(rs, ti, n, map[string]any{"name": "SINV-1", "docstatus": int64(2)}, now); ok {
		t.Error("a cancelled document was written")
	}
	if _, ok := b.writeBack(rs, ti, n, map[string]any{"name": "SINV-1", "docstatus": int64(1)}, now); !ok {
		t.Error("a field allowed on submit was not written")
	}
	ti.noWriteOnSubmit["remarks"] = true
	if _, ok := b.writeBack(rs, ti, n, map[string]any{"name": "SINV-1", "docstatus": int64(1)}, now); ok {
		t.Error("a submitted document's locked field was written")
	}
	n.SetPropertyAfterAlert, n.PropertyValue = "count", "12.7"
	w, _ = b.writeBack(rs, ti, n, map[string]any{"name": "SINV-1", "docstatus": int64(0)}, now)
	if !strings.Contains(w.SQL, `"count" = $1::text::integer`) || w.Args[0] != "12" {
		t.Errorf("numeric property not cast like cint: %q %v", w.SQL, w.Args)
	}
	// The ERP's cint is int(float(s)): a thousands separator makes it 0, not 1234.
	for value, want := range map[string]string{"1,234": "0", "1_234": "1234", "nan": "0", " -3.9 ": "-3"} {
		n.PropertyValue = value
		if w, _ = b.writeBack(rs, ti, n, map[string]any{"name": "SINV-1", "docstatus": int64(0)}, now); w.Args[0] != want {
			t.Errorf("property value %q written to a numeric column as %v, want %s (the ERP's cint)", value, w.Args[0], want)
		}
	}
}
