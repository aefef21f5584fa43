package cdc

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pglogrepl"
	"github.com/jackc/pgx/v5"

	"walnotify/internal/pgtest"
	"walnotify/internal/poll"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

const issueTable = `CREATE TABLE "tabIssue" (
	name varchar(140) PRIMARY KEY,
	docstatus smallint NOT NULL DEFAULT 0,
	modified timestamp(6),
	due_date date,
	total numeric(21,9),
	description text,
	is_paid smallint NOT NULL DEFAULT 0,
	meta jsonb
)`

// testConfig streams publication pub of db through a slot named after the database (slots
// are per cluster, databases per test), with short intervals.
func testConfig(t *testing.T, db *pgtest.DB, pub string) Config {
	return Config{
		DSN:            db.DSN,
		Slot:           db.Name,
		Publication:    pub,
		StatusInterval: 50 * time.Millisecond,
		MinBackoff:     20 * time.Millisecond,
		MaxBackoff:     200 * time.Millisecond,
		Logger:         slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// running is a Stream running in the background for one test.
type running struct {
	*Stream
	items  chan Item
	cancel context.CancelFunc
	done   chan error
}

// run starts cfg's stream and waits until it replicates; it stops at the end of the test,
// where Run must have returned nil.
func run(t *testing.T, cfg Config) *running {
	t.Helper()
	r := runAsync(t, cfg)
	waitFor(t, "stream connected", func() bool { return r.Progress().Connected })
	return r
}

func runAsync(t *testing.T, cfg Config) *running {
	t.Helper()
	s, err := NewStream(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{Stream: s, items: make(chan Item), cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- s.Run(ctx, r.items) }()
	t.Cleanup(func() { r.stop(t) })
	return r
}

// stop cancels the stream and waits for Run; a second call does nothing.
func (r *running) stop(t *testing.T) {
	t.Helper()
	r.cancel()
	if err, ok := <-r.done; ok {
		close(r.done)
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	}
}

const patience = 30 * time.Second

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	poll.Until(t, patience, what, cond)
}

func (r *running) next(t *testing.T) Item {
	t.Helper()
	select {
	case it := <-r.items:
		return it
	case <-time.After(patience):
		t.Fatal("timed out waiting for an item")
	}
	panic("unreachable")
}

// tx reads the items of one transaction, Begin to Commit.
func (r *running) tx(t *testing.T) []Item {
	t.Helper()
	var items []Item
	for {
		it := r.next(t)
		if len(items) == 0 && it.Kind != KindBegin {
			t.Fatalf("transaction starts with %s, want begin", it.Kind)
		}
		items = append(items, it)
		if it.Kind == KindCommit {
			return items
		}
	}
}

// changes reads one transaction and returns its changes.
func (r *running) changes(t *testing.T) (Tx, []*Change) {
	t.Helper()
	items := r.tx(t)
	var chs []*Change
	for _, it := range items[1 : len(items)-1] {
		if it.Kind != KindChange {
			t.Fatalf("unexpected %s item", it.Kind)
		}
		chs = append(chs, it.Change)
	}
	return items[len(items)-1].Tx, chs
}

func lsn(t *testing.T, conn *pgx.Conn, sql string, args ...any) pglogrepl.LSN {
	t.Helper()
	var s *string
	if err := conn.QueryRow(context.Background(), sql, args...).Scan(&s); err != nil {
		t.Fatal(err)
	}
	if s == nil {
		return 0
	}
	l, err := pglogrepl.ParseLSN(*s)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func slotLSN(t *testing.T, conn *pgx.Conn, slot string) pglogrepl.LSN {
	return lsn(t, conn, `SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = $1`, slot)
}

func TestStreamInsertUpdateDelete(t *testing.T) {
	db := pgtest.NewDB(t)
	db.Exec(t, issueTable+`; CREATE PUBLICATION walnotify FOR TABLE "tabIssue"`)
	r := run(t, testConfig(t, db, "walnotify"))

	db.Exec(t, `INSERT INTO "tabIssue" VALUES ('ISS-1', 0, '2025-03-14 09:00:00.123456', '2025-03-20', -1234.5, 'Printer <b>on fire</b>', 0, '{"tags": ["urgent", 2], "vip": true}')`)
	db.Exec(t, `UPDATE "tabIssue" SET docstatus = 1, total = 45000.5, modified = '2025-03-14 10:00:00' WHERE name = 'ISS-1'`)
	db.Exec(t, `DELETE FROM "tabIssue" WHERE name = 'ISS-1'`)

	inserted := Row{
		"name": "ISS-1", "docstatus": int64(0), "modified": "2025-03-14 09:00:00.123456", "due_date": "2025-03-20",
		"total": -1234.5, "description": "Printer <b>on fire</b>", "is_paid": int64(0),
		"meta": map[string]any{"tags": []any{"urgent", 2.0}, "vip": true},
	}
	updated := Row{
		"name": "ISS-1", "docstatus": int64(1), "modified": "2025-03-14 10:00:00", "due_date": "2025-03-20",
		"total": 45000.5, "description": "Printer <b>on fire</b>", "is_paid": int64(0),
		"meta": map[string]any{"tags": []any{"urgent", 2.0}, "vip": true},
	}
	want := []Change{
		{Schema: "public", Table: "tabIssue", Op: OpInsert, New: inserted},
		{Schema: "public", Table: "tabIssue", Op: OpUpdate, New: updated},
		{Schema: "public", Table: "tabIssue", Op: OpDelete, Old: Row{"name": "ISS-1"}, OldKeyOnly: true},
	}
	var prevEnd pglogrepl.LSN
	for i, w := range want {
		items := r.tx(t)
		if len(items) != 3 || items[1].Kind != KindChange || items[2].Kind != KindCommit {
			t.Fatalf("transaction %d: %s", i, dumpItems(items))
		}
		begin, ch, commit := items[0].Tx, *items[1].Change, items[2].Tx
		if begin.Xid == 0 || begin != items[1].Tx || begin.EndLSN != 0 {
			t.Errorf("transaction %d: begin %+v, change's %+v", i, begin, items[1].Tx)
		}
		if commit.Xid != begin.Xid || commit.CommitLSN != begin.CommitLSN || commit.EndLSN <= commit.CommitLSN || commit.CommitLSN <= prevEnd {
			t.Errorf("transaction %d: commit %+v after begin %+v, previous end %s", i, commit, begin, prevEnd)
		}
		if time.Since(commit.CommitTime) > time.Minute || commit.CommitTime.Location() != time.UTC {
			t.Errorf("transaction %d: commit time %v", i, commit.CommitTime)
		}
		if ch.LSN == 0 || ch.LSN > commit.CommitLSN || ch.Pos != 0 {
			t.Errorf("transaction %d: change at %s pos %d, commit at %s", i, ch.LSN, ch.Pos, commit.CommitLSN)
		}
		ch.LSN = 0
		if !reflect.DeepEqual(ch, w) {
			t.Errorf("transaction %d:\n got %#v\nwant %#v", i, ch, w)
		}
		prevEnd = commit.EndLSN
		r.Confirm(commit.EndLSN)
	}
	if p := r.Progress(); p.Received != prevEnd || p.Confirmed != prevEnd || !p.Connected || time.Since(p.LastMessage) > time.Minute {
		t.Errorf("progress %+v, want received and confirmed %s", p, prevEnd)
	}
	if err := r.Run(context.Background(), make(chan Item)); err == nil {
		t.Error("a second concurrent Run did not fail")
	}
}

// The replication connection sets DateStyle, TimeZone, IntervalStyle and extra_float_digits
// as startup parameters, which win over the database's own defaults on a walsender too.
func TestStreamValuesIgnoreServerTextSettings(t *testing.T) {
	db := pgtest.NewDB(t)
	db.Exec(t, fmt.Sprintf(`ALTER DATABASE %s SET DateStyle = 'SQL, DMY';
		ALTER DATABASE %[1]s SET TimeZone = 'Asia/Kolkata';
		ALTER DATABASE %[1]s SET IntervalStyle = 'sql_standard';
		ALTER DATABASE %[1]s SET extra_float_digits = -3`, pgx.Identifier{db.Name}.Sanitize()))
	db.Exec(t, `CREATE TABLE t (id int PRIMARY KEY, d date, ts timestamp, tstz timestamptz, f float8, r real, i interval, b boolean, big bigint, u uuid, a int[]);
		CREATE PUBLICATION p FOR TABLE t`)
	r := run(t, testConfig(t, db, "p"))
	db.Exec(t, `INSERT INTO t VALUES (1, '2025-03-14', '2025-03-14 09:00:00.5', '2025-03-14 09:00:00.25+01', 1.0/3, 0.1, '1 day 02:00:00', true, -9007199254740993, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{1,NULL}')`)
	_, chs := r.changes(t)
	want := Row{
		"id": int64(1), "d": "2025-03-14", "ts": "2025-03-14 09:00:00.5", "tstz": "2025-03-14 08:00:00.25",
		"f": 1.0 / 3, "r": 0.1, "i": "1 day 02:00:00", "b": true, "big": int64(-9007199254740993),
		"u": "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a": "{1,NULL}",
	}
	if !reflect.DeepEqual(chs[0].New, want) {
		t.Errorf("row\n got %#v\nwant %#v", chs[0].New, want)
	}
}

// incompressible returns n bytes of random text: stored out of line in TOAST even after
// compression.
func incompressible(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)[:n]
}

func TestStreamUnchangedToast(t *testing.T) {
	long := incompressible(12000)
	for _, tt := range []struct {
		name     string
		identity string
		wantOld  Row
		wantNew  Row
		wantKeep []string
	}{
		{
			name: "replica identity full carries the old row and fills the value from it", identity: "FULL",
			wantOld: Row{"name": "ISS-1", "docstatus": int64(0), "description": long},
			wantNew: Row{"name": "ISS-1", "docstatus": int64(1), "description": long},
		},
		{
			name: "default replica identity lists the value as unchanged", identity: "DEFAULT",
			wantNew:  Row{"name": "ISS-1", "docstatus": int64(1)},
			wantKeep: []string{"description"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := pgtest.NewDB(t)
			db.Exec(t, `CREATE TABLE "tabIssue" (name varchar(140) PRIMARY KEY, docstatus smallint, description text);
				ALTER TABLE "tabIssue" REPLICA IDENTITY `+tt.identity+`;
				CREATE PUBLICATION walnotify FOR TABLE "tabIssue"`)
			r := run(t, testConfig(t, db, "walnotify"))
			db.Exec(t, `INSERT INTO "tabIssue" VALUES ('ISS-1', 0, $1)`, long)
			if _, chs := r.changes(t); chs[0].New["description"] != long {
				t.Fatal("insert lacks the long description")
			}
			db.Exec(t, `UPDATE "tabIssue" SET docstatus = 1 WHERE name = 'ISS-1'`)
			_, chs := r.changes(t)
			ch := chs[0]
			if !reflect.DeepEqual(ch.Old, tt.wantOld) || ch.OldKeyOnly {
				t.Errorf("old row %.80v (key only %v), want %.80v", ch.Old, ch.OldKeyOnly, tt.wantOld)
			}
			if !reflect.DeepEqual(ch.New, tt.wantNew) {
				t.Errorf("new row %.80v, want %.80v", ch.New, tt.wantNew)
			}
			if !reflect.DeepEqual(ch.Unchanged, tt.wantKeep) {
				t.Errorf("unchanged %v, want %v", ch.Unchanged, tt.wantKeep)
			}
		})
	}
}

func TestStreamQuotedNamesAndAlterTable(t *testing.T) {
	db := pgtest.NewDB(t)
	const pub = `Walnotify "Pub" it's`
	db.Exec(t, `CREATE TABLE "tabSales Invoice" (name varchar(140) PRIMARY KEY, customer text);
		CREATE PUBLICATION "Walnotify ""Pub"" it's" FOR TABLE "tabSales Invoice"`)
	r := run(t, testConfig(t, db, pub))
	db.Exec(t, `INSERT INTO "tabSales Invoice" VALUES ('SINV-1', 'ACME')`)
	db.Exec(t, `ALTER TABLE "tabSales Invoice" ADD COLUMN grand_total numeric(21,9)`)
	db.Exec(t, `INSERT INTO "tabSales Invoice" VALUES ('SINV-2', 'ACME', 10.5)`)
	var got []Row
	for range 2 {
		_, chs := r.changes(t)
		if chs[0].Table != "tabSales Invoice" || chs[0].Schema != "public" {
			t.Errorf("table %q.%q", chs[0].Schema, chs[0].Table)
		}
		got = append(got, chs[0].New)
	}
	want := []Row{
		{"name": "SINV-1", "customer": "ACME"},
		{"name": "SINV-2", "customer": "ACME", "grand_total": 10.5},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows %v, want %v", got, want)
	}
}

// insertTxs commits one insert per name, each in its own transaction.
func insertTxs(t *testing.T, db *pgtest.DB, names ...string) {
	t.Helper()
	for _, n := range names {
		db.Exec(t, `INSERT INTO "tabIssue" (name) VALUES ($1)`, n)
	}
}

func TestStreamRestartResumesAfterConfirmed(t *testing.T) {
	db := pgtest.NewDB(t)
	db.Exec(t, issueTable+`; CREATE PUBLICATION walnotify FOR TABLE "tabIssue"`)
	cfg := testConfig(t, db, "walnotify")
	conn := db.Conn(t)
	first := run(t, cfg)
	insertTxs(t, db, "ISS-1", "ISS-2", "ISS-3")
	var ends []pglogrepl.LSN
	for range 3 {
		tx, _ := first.changes(t)
		ends = append(ends, tx.EndLSN)
	}
	first.Confirm(ends[0])
	first.Confirm(ends[1])
	waitFor(t, "slot confirmed at the second transaction", func() bool { return slotLSN(t, conn, cfg.Slot) == ends[1] })
	first.stop(t)

	// A new Stream (a new process) starts after what was confirmed: the unconfirmed third
	// transaction comes again, then what follows; nothing before.
	second := run(t, cfg)
	insertTxs(t, db, "ISS-4")
	for _, want := range []string{"ISS-3", "ISS-4"} {
		if _, chs := second.changes(t); chs[0].New["name"] != want {
			t.Fatalf("got %v, want %s", chs[0].New["name"], want)
		}
	}
}

func TestStreamResumesFromConsumerPosition(t *testing.T) {
	db := pgtest.NewDB(t)
	db.Exec(t, issueTable+`; CREATE PUBLICATION walnotify FOR TABLE "tabIssue"`)
	cfg := testConfig(t, db, "walnotify")
	first := run(t, cfg)
	insertTxs(t, db, "ISS-1", "ISS-2")
	tx1, _ := first.changes(t)
	first.changes(t)
	first.stop(t) // confirmed nothing: the slot still points before ISS-1

	// The consumer's own durable position (its outbox) is ahead of the slot's, as after an
	// acknowledgement lost in a crash: the stream starts there.
	cfg.Resume = func(context.Context) (pglogrepl.LSN, error) { return tx1.EndLSN, nil }
	second := run(t, cfg)
	if _, chs := second.changes(t); chs[0].New["name"] != "ISS-2" {
		t.Fatalf("got %v, want ISS-2", chs[0].New["name"])
	}
}

func TestStreamRedeliversPartlyDeliveredTransaction(t *testing.T) {
	db := pgtest.NewDB(t)
	db.Exec(t, issueTable+`; CREATE PUBLICATION walnotify FOR TABLE "tabIssue"`)
	cfg := testConfig(t, db, "walnotify")
	first := run(t, cfg)
	db.Exec(t, `INSERT INTO "tabIssue" (name) SELECT 'ISS-' || g FROM generate_series(1, 3) g`)
	if it := first.next(t); it.Kind != KindBegin {
		t.Fatalf("got %s", it.Kind)
	}
	if it := first.next(t); it.Kind != KindChange || it.Change.Pos != 0 {
		t.Fatalf("got %s", it.Kind)
	}
	first.stop(t)

	second := run(t, cfg)
	_, chs := second.changes(t)
	if len(chs) != 3 || chs[0].New["name"] != "ISS-1" || chs[2].Pos != 2 {
		t.Fatalf("redelivered %d changes, first %v", len(chs), chs[0].New)
	}
}

// An idle publication must not pin WAL while other tables are busy, but nothing received is
// reported before the consumer confirms it.
func TestStreamIdlePublicationAdvancesSlot(t *testing.T) {
	db := pgtest.NewDB(t)
	db.Exec(t, issueTable+`; CREATE TABLE busy (id serial PRIMARY KEY, v text);
		CREATE PUBLICATION walnotify FOR TABLE "tabIssue"`)
	cfg := testConfig(t, db, "walnotify")
	conn := db.Conn(t)
	r := run(t, cfg)

	insertTxs(t, db, "ISS-1")
	tx, _ := r.changes(t)
	busyWork := func() pglogrepl.LSN {
		for range 20 {
			db.Exec(t, `INSERT INTO busy (v) SELECT repeat('x', 100) FROM generate_series(1, 50)`)
		}
		return lsn(t, conn, `SELECT pg_current_wal_lsn()::text`)
	}
	busyEnd := busyWork()
	// The server has told the stream it is past the busy work, and a few more status
	// rounds went by: still nothing past the unconfirmed transaction is reported.
	waitFor(t, "keepalive past the busy work", func() bool { return r.Progress().ServerWALEnd >= busyEnd })
	for range 3 {
		last := r.Progress().LastMessage
		waitFor(t, "another message from the server", func() bool { return r.Progress().LastMessage.After(last) })
	}
	if got := slotLSN(t, conn, cfg.Slot); got >= tx.CommitLSN {
		t.Fatalf("slot confirmed %s, at or past the unconfirmed commit %s", got, tx.CommitLSN)
	}
	if p := r.Progress(); p.Reported >= tx.CommitLSN {
		t.Fatalf("reported %s, at or past the unconfirmed commit %s", p.Reported, tx.CommitLSN)
	}

	r.Confirm(tx.EndLSN)
	busyEnd = busyWork()
	waitFor(t, "slot past the busy work", func() bool { return slotLSN(t, conn, cfg.Slot) >= busyEnd })
}

// The consumer not reading blocks the stream (backpressure), but the stream still reports
// what was confirmed and still answers the server.
func TestStreamReportsWhileConsumerIsBusy(t *testing.T) {
	db := pgtest.NewDB(t)
	db.Exec(t, issueTable+`; CREATE PUBLICATION walnotify FOR TABLE "tabIssue"`)
	cfg := testConfig(t, db, "walnotify")
	conn := db.Conn(t)
	r := run(t, cfg)
	insertTxs(t, db, "ISS-1", "ISS-2")
	tx1, _ := r.changes(t)
	// The second transaction is waiting to be handed over; nobody reads it yet.
	r.Confirm(tx1.EndLSN)
	waitFor(t, "slot confirmed at the first transaction", func() bool { return slotLSN(t, conn, cfg.Slot) == tx1.EndLSN })
	replyTime := func() (ts time.Time) {
		conn.QueryRow(context.Background(), `SELECT coalesce(reply_time, 'epoch') FROM pg_stat_replication WHERE application_name = 'walnotify' AND pid = (SELECT active_pid FROM pg_replication_slots WHERE slot_name = $1)`, cfg.Slot).Scan(&ts)
		return ts
	}
	before := replyTime()
	waitFor(t, "another standby status", func() bool { return replyTime().After(before) })
	if _, chs := r.changes(t); chs[0].New["name"] != "ISS-2" {
		t.Fatalf("got %v after the pause", chs[0].New["name"])
	}
}

func TestStreamSurvivesServerRestart(t *testing.T) {
	srv := pgtest.NewServer(t)
	db := srv.NewDB(t)
	db.Exec(t, issueTable+`; CREATE PUBLICATION walnotify FOR TABLE "tabIssue"`)
	r := run(t, testConfig(t, db, "walnotify"))

	var mu sync.Mutex
	seen := map[string]bool{}
	consumed := make(chan struct{})
	go func() {
		defer close(consumed)
		var pending []string
		for it := range r.items {
			switch it.Kind {
			case KindBegin:
				pending = nil
			case KindChange:
				pending = append(pending, it.Change.New["name"].(string))
			case KindCommit:
				mu.Lock()
				for _, n := range pending {
					seen[n] = true
				}
				mu.Unlock()
				r.Confirm(it.Tx.EndLSN)
			}
		}
	}()
	t.Cleanup(func() { r.stop(t); close(r.items); <-consumed })
	all := func(names []string) func() bool {
		return func() bool {
			mu.Lock()
			defer mu.Unlock()
			for _, n := range names {
				if !seen[n] {
					return false
				}
			}
			return true
		}
	}

	before := []string{"ISS-1", "ISS-2", "ISS-3"}
	insertTxs(t, db, before...)
	waitFor(t, "the rows before the restart", all(before))
	insertTxs(t, db, "ISS-4")
	srv.Restart(t)
	after := []string{"ISS-5", "ISS-6"}
	insertTxs(t, db, after...)
	waitFor(t, "every row after the restart", all(append(append(before, "ISS-4"), after...)))
	waitFor(t, "stream reconnected", func() bool { return r.Progress().Connected })
}

func TestStreamMessagesOriginAndTruncate(t *testing.T) {
	db := pgtest.NewDB(t)
	db.Exec(t, issueTable+`; CREATE PUBLICATION walnotify FOR TABLE "tabIssue"`)
	r := run(t, testConfig(t, db, "walnotify"))

	db.Exec(t, `BEGIN; SELECT pg_logical_emit_message(true, 'walnotify', 'write-back'); INSERT INTO "tabIssue" (name) VALUES ('ISS-1'); COMMIT`)
	items := r.tx(t)
	if len(items) != 4 || items[1].Kind != KindMessage || items[2].Kind != KindChange {
		t.Fatalf("items: %s", dumpItems(items))
	}
	if m := items[1].Message; !m.Transactional || m.Prefix != "walnotify" || string(m.Content) != "write-back" || m.LSN == 0 || items[1].Tx.Xid != items[0].Tx.Xid {
		t.Errorf("message %+v in tx %+v", m, items[1].Tx)
	}

	db.Exec(t, `SELECT pg_logical_emit_message(false, 'ping', 'now')`)
	if it := r.next(t); it.Kind != KindMessage || it.Message.Transactional || it.Message.Prefix != "ping" || it.Tx != (Tx{}) {
		t.Errorf("non-transactional message: %s", dumpItems([]Item{it}))
	}

	// Statements one by one: a transaction records the origin of its session at commit.
	origin := db.Name + "_origin"
	conn := db.Conn(t)
	for _, sql := range []string{
		`SELECT pg_replication_origin_create($1)`,
		`SELECT pg_replication_origin_session_setup($1)`,
		`INSERT INTO "tabIssue" (name) VALUES ('ISS-2')`,
		`SELECT pg_replication_origin_session_reset()`,
		`SELECT pg_replication_origin_drop($1)`,
	} {
		var args []any
		if strings.Contains(sql, "$1") {
			args = append(args, origin)
		}
		if _, err := conn.Exec(context.Background(), sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	items = r.tx(t)
	if items[0].Tx.Origin != origin || items[1].Tx.Origin != origin {
		t.Errorf("origin %q on begin, %q on change; want %q", items[0].Tx.Origin, items[1].Tx.Origin, origin)
	}

	db.Exec(t, `TRUNCATE "tabIssue" RESTART IDENTITY CASCADE`)
	items = r.tx(t)
	want := &Truncate{Tables: []Table{{"public", "tabIssue"}}, Cascade: true, RestartIdentity: true}
	if len(items) != 3 || items[1].Kind != KindTruncate || !reflect.DeepEqual(items[1].Truncate, want) {
		t.Errorf("items: %s", dumpItems(items))
	}
}

func TestStreamMissingPublicationIsAnError(t *testing.T) {
	db := pgtest.NewDB(t)
	s, err := NewStream(testConfig(t, db, "nonesuch"))
	if err != nil {
		t.Fatal(err)
	}
	err = s.Run(context.Background(), make(chan Item))
	if !errors.Is(err, ErrNoPublication) || !strings.Contains(err.Error(), `"nonesuch"`) {
		t.Fatalf("Run: %v, want ErrNoPublication naming the publication", err)
	}
}

func TestStreamTemporaryLeavesTheSlotAlone(t *testing.T) {
	db := pgtest.NewDB(t)
	db.Exec(t, issueTable+`; CREATE PUBLICATION walnotify FOR TABLE "tabIssue"`)
	cfg := testConfig(t, db, "walnotify")
	cfg.Temporary = true
	r := run(t, cfg)
	insertTxs(t, db, "ISS-1")
	if _, chs := r.changes(t); chs[0].New["name"] != "ISS-1" {
		t.Fatalf("got %v", chs[0].New)
	}
	var permanent, temporary int
	err := db.Conn(t).QueryRow(context.Background(), `SELECT count(*) FILTER (WHERE slot_name = $1), count(*) FILTER (WHERE temporary AND slot_name LIKE $1 || '_tmp_%')
		FROM pg_replication_slots WHERE database = current_database()`, cfg.Slot).Scan(&permanent, &temporary)
	if err != nil {
		t.Fatal(err)
	}
	if permanent != 0 || temporary != 1 {
		t.Errorf("%d permanent slot(s) named %q and %d temporary, want none and one", permanent, cfg.Slot, temporary)
	}
}

// recorder keeps log records for inspection.
type recorder struct {
	mu      sync.Mutex
	records []slog.Record
}

func (h *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (h *recorder) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *recorder) WithGroup(string) slog.Handler            { return h }
func (h *recorder) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records = append(h.records, r.Clone())
	return nil
}

// busyLogs counts the reconnection records about a slot held elsewhere, and those at a level
// other than info.
func (h *recorder) busyLogs() (n, loud int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, r := range h.records {
		r.Attrs(func(a slog.Attr) bool {
			if err, ok := a.Value.Any().(error); ok && a.Key == "err" && slotBusy(err) {
				n++
				if r.Level != slog.LevelInfo {
					loud++
				}
			}
			return true
		})
	}
	return n, loud
}

// A second instance on the same slot waits quietly and takes over when the first stops.
func TestStreamStandbyTakesOver(t *testing.T) {
	db := pgtest.NewDB(t)
	db.Exec(t, issueTable+`; CREATE PUBLICATION walnotify FOR TABLE "tabIssue"`)
	cfg := testConfig(t, db, "walnotify")
	conn := db.Conn(t)
	active := run(t, cfg)

	logs := &recorder{}
	cfg.Logger = slog.New(logs)
	standby := runAsync(t, cfg)
	waitFor(t, "the standby to find the slot busy twice", func() bool { n, _ := logs.busyLogs(); return n >= 2 })
	if _, loud := logs.busyLogs(); loud > 0 || standby.Progress().Connected {
		t.Fatalf("standby connected %v, %d busy-slot logs above info", standby.Progress().Connected, loud)
	}

	insertTxs(t, db, "ISS-1")
	tx, _ := active.changes(t)
	active.Confirm(tx.EndLSN)
	waitFor(t, "slot confirmed", func() bool { return slotLSN(t, conn, cfg.Slot) == tx.EndLSN })
	active.stop(t)

	waitFor(t, "the standby to take over", func() bool { return standby.Progress().Connected })
	insertTxs(t, db, "ISS-2")
	if _, chs := standby.changes(t); chs[0].New["name"] != "ISS-2" {
		t.Fatalf("standby got %v, want ISS-2", chs[0].New["name"])
	}
}

// proxy forwards TCP connections to a server. cut abandons the open ones the way a network
// cut does: the server side ends, the client side stays open and silent.
type proxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	pairs  [][2]net.Conn
	isCut  map[net.Conn]bool
}

func newProxy(t *testing.T, target string) *proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target, isCut: map[net.Conn]bool{}}
	go p.accept()
	t.Cleanup(func() {
		ln.Close()
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, pr := range p.pairs {
			pr[0].Close()
			pr[1].Close()
		}
	})
	return p
}

func (p *proxy) accept() {
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		server, err := net.Dial("tcp", p.target)
		if err != nil {
			client.Close()
			continue
		}
		p.mu.Lock()
		p.pairs = append(p.pairs, [2]net.Conn{client, server})
		p.mu.Unlock()
		go p.pipe(client, server)
		go p.pipe(server, client)
	}
}

// pipe copies from one side to the other and, unless the pair was cut, closes both after.
func (p *proxy) pipe(dst, src net.Conn) {
	io.Copy(dst, src)
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.isCut[dst] && !p.isCut[src] {
		dst.Close()
		src.Close()
	}
}

func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, pr := range p.pairs {
		p.isCut[pr[0]], p.isCut[pr[1]] = true, true
		pr[1].Close()
	}
}

// through returns dsn with its host replaced by the proxy's address.
func (p *proxy) through(t *testing.T, dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = p.ln.Addr().String()
	return u.String()
}

// A cut network sends no reset: the stream notices the server's silence and reconnects.
func TestStreamReconnectsAfterSilentNetworkCut(t *testing.T) {
	db := pgtest.NewDB(t)
	db.Exec(t, issueTable+`; CREATE PUBLICATION walnotify FOR TABLE "tabIssue"`)
	u, err := url.Parse(db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	p := newProxy(t, u.Host)
	cfg := testConfig(t, db, "walnotify")
	cfg.DSN = p.through(t, db.DSN)
	cfg.ServerTimeout = 500 * time.Millisecond
	r := run(t, cfg)
	insertTxs(t, db, "ISS-1")
	tx, _ := r.changes(t)
	r.Confirm(tx.EndLSN)

	p.cut()
	insertTxs(t, db, "ISS-2")
	if _, chs := r.changes(t); chs[0].New["name"] != "ISS-2" {
		t.Fatalf("got %v, want ISS-2", chs[0].New["name"])
	}
}
