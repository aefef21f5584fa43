package pipeline

import (
	"context"
	"io"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"walnotify/erpdb"
	"walnotify/internal/pgtest"
	"walnotify/rules"
	"walnotify/sender"
)

// The Minutes pass on the ERP's tables: each run covers (last run, now] shifted by the offset,
// the last window is remembered in the state schema (a restart neither repeats nor skips one),
// a window run twice sends nothing twice, and downtime is caught up to a bound.
func TestMinutesPassCoversEachWindowOnce(t *testing.T) {
	ctx := context.Background()
	db := pgtest.NewDB(t)
	db.LoadFrappeSchema(t)
	pool, err := pgxpool.New(ctx, db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	out := sender.NewOutbox(pool, "walnotify", "walnotify")
	if err := out.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	cfg, err := rules.Parse("test.toml", `
[database]
dsn = "postgres://x@localhost/erp"
[site]
timezone = "Europe/Paris"
[[webhook]]
name = "chat"
service = "Slack"
url = "https://hooks.slack.com/services/T/B/X"
show_document_link = false
[[notification]]
name = "SLA soon"
document_type = "Issue"
event = "Minutes Before"
datetime_changed = "sla_resolution_by"
minutes_offset = 30
condition = 'doc.status != "Closed"'
message = "{{ doc.name }} is due at {{ doc.sla_resolution_by }}"
webhook = "chat"
[[notification]]
name = "SLA missed"
document_type = "Issue"
event = "Minutes After"
datetime_changed = "sla_resolution_by"
minutes_offset = 15
message = "{{ doc.name }} is late"
webhook = "chat"
`, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	docs := erpdb.New(pool, "public", "tab")
	rs, problems, err := Prepare(ctx, cfg, pool, docs)
	if err != nil || len(problems) > 0 {
		t.Fatal(err, problems)
	}
	paris := cfg.Site.Location
	t0 := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC) // 11:00 in Paris
	at := func(d time.Duration) string { return t0.Add(d).In(paris).Format(erpTime) }
	issue := func(name, status string, due time.Duration) {
		db.Exec(t, `INSERT INTO "tabIssue" (name, subject, status, sla_resolution_by) VALUES ($1, 's', $2, $3::timestamp)`, name, status, at(due))
	}
	issue("ISS-BEFORE-1", "Open", 28*time.Minute)  // in the first Before window (25, 30]
	issue("ISS-CLOSED", "Closed", 29*time.Minute)  // condition false
	issue("ISS-BEFORE-2", "Open", 33*time.Minute)  // in the second Before window (30, 35]
	issue("ISS-TOO-EARLY", "Open", 20*time.Minute) // before the first window: never
	issue("ISS-AFTER", "Open", -12*time.Minute)    // first After window: (-20, -15]? no: second (-15, -10]
	issue("ISS-SKIPPED", "Open", 24*time.Hour)     // in the downtime beyond the catch-up bound
	issue("ISS-CAUGHT-UP", "Open", 71*time.Hour)   // within the last 24 hours of the downtime

	var now time.Time
	pass := func(at time.Time) int {
		t.Helper()
		now = at
		m := &Minutes{Docs: docs, Outbox: out, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return now }}
		added, err := m.Pass(ctx, rs)
		if err != nil {
			t.Fatal(err)
		}
		return added
	}
	sent := func() []string {
		rows, _ := pool.Query(ctx, `SELECT notification || ': ' || docname FROM walnotify.delivery ORDER BY id`)
		got, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		return got
	}

	if n := pass(t0); n != 1 {
		t.Errorf("first pass added %d, want 1", n)
	}
	if n := pass(t0); n != 0 {
		t.Errorf("a pass at the same time added %d", n)
	}
	if n := pass(t0.Add(5 * time.Minute)); n != 2 { // a new Minutes, as after a restart
		t.Errorf("second pass added %d, want 2", n)
	}
	// A crash after the commit, before the window's end was recorded: the window runs again.
	db.Exec(t, `DELETE FROM walnotify.minutes_run`)
	if n := pass(t0.Add(5 * time.Minute)); n != 0 {
		t.Errorf("a window run twice added %d", n)
	}
	// Three days down: only the last 24 hours are caught up, for each notification.
	if n := pass(t0.Add(72 * time.Hour)); n != 2 {
		t.Errorf("the pass after downtime added %d, want 2", n)
	}
	want := []string{"SLA soon: ISS-BEFORE-1", "SLA soon: ISS-BEFORE-2", "SLA missed: ISS-AFTER", "SLA soon: ISS-CAUGHT-UP", "SLA missed: ISS-CAUGHT-UP"}
	if got := sent(); !reflect.DeepEqual(got, want) {
		t.Errorf("deliveries %q, want %q", got, want)
	}
	var text string
	pool.QueryRow(ctx, `SELECT message->>'Text' FROM walnotify.delivery ORDER BY id LIMIT 1`).Scan(&text)
	if want := "ISS-BEFORE-1 is due at " + at(28 * time.Minute)[:16]; !strings.HasPrefix(text, want) {
		t.Errorf("message %q, want %q", text, want)
	}
}
