package sender

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pglogrepl"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"walnotify/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// newOutbox gives a migrated outbox in a fresh database.
func newOutbox(t testing.TB) (*Outbox, *pgtest.DB) {
	t.Helper()
	db := pgtest.NewDB(t)
	pool, err := pgxpool.New(context.Background(), db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	o := NewOutbox(pool, "walnotify", "walnotify")
	if err := o.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := o.Migrate(context.Background()); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	return o, db
}

func entry(key, notification, webhook string) Entry {
	return Entry{
		SourceKey: key, Notification: notification, Webhook: webhook, Service: "Slack", Event: "New",
		Message:    Message{Notification: notification, Event: "New", Doctype: "Issue", Name: key, Text: "text of " + key},
		SourceTime: time.Now(),
	}
}

func count(t testing.TB, o *Outbox, where string, args ...any) int {
	t.Helper()
	var n int
	if err := o.pool.QueryRow(context.Background(), `SELECT count(*) FROM walnotify.delivery d WHERE `+where, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestEnqueueIsIdempotentAndRunsWritesOnce(t *testing.T) {
	o, db := newOutbox(t)
	db.Exec(t, `CREATE TABLE "tabIssue" (name text PRIMARY KEY, status text, hits int DEFAULT 0); INSERT INTO "tabIssue" VALUES ('ISS-1', 'Open', 0)`)
	ctx := context.Background()
	write := Write{SQL: `UPDATE "tabIssue" SET status = $1, hits = hits + 1 WHERE name = $2`, Args: []any{"Replied", "ISS-1"}}
	b := Batch{Entries: []Entry{entry("wal/0/10/0", "a", "chat"), entry("wal/0/10/0", "b", "chat"), entry("wal/0/10/1", "a", "")}, Position: 0x100}
	b.Entries[0].Writes = []Write{write}
	res, err := o.Enqueue(ctx, b)
	if err != nil || res.New != 3 {
		t.Fatalf("Enqueue = %+v, %v; want 3 new", res, err)
	}
	// The same batch again, as after a crash before the position was confirmed.
	res, err = o.Enqueue(ctx, b)
	if err != nil || res.New != 0 {
		t.Fatalf("replayed Enqueue = %+v, %v; want 0 new", res, err)
	}
	if got := count(t, o, "true"); got != 3 {
		t.Errorf("outbox holds %d rows, want 3", got)
	}
	if got := count(t, o, "status = 'none' AND webhook IS NULL AND finished_at IS NOT NULL"); got != 1 {
		t.Errorf("entries without webhook recorded as done: %d, want 1", got)
	}
	var hits int
	if err := o.pool.QueryRow(ctx, `SELECT hits FROM "tabIssue"`).Scan(&hits); err != nil || hits != 1 {
		t.Errorf("write ran %d times (%v), want once", hits, err)
	}
	pos, err := o.Position(ctx)
	if err != nil || pos != 0x100 {
		t.Errorf("Position = %v, %v; want 0/100", pos, err)
	}
	if _, err := o.Enqueue(ctx, Batch{Entries: []Entry{entry("wal/0/5/0", "a", "chat")}, Position: 0x50}); err != nil {
		t.Fatal(err)
	}
	if pos, _ := o.Position(ctx); pos != 0x100 {
		t.Errorf("Position went back to %v", pos)
	}
}

func TestEnqueueTagsTransactionsThatWrite(t *testing.T) {
	o, db := newOutbox(t)
	db.Exec(t, `CREATE TABLE t (name text PRIMARY KEY, v text); INSERT INTO t VALUES ('x', 'a')`)
	db.Exec(t, `SELECT pg_create_logical_replication_slot('peek', 'test_decoding')`)
	ctx := context.Background()
	e := entry("wal/0/1/0", "n", "chat")
	e.Writes = []Write{{SQL: `UPDATE t SET v = $1 WHERE name = $2`, Args: []any{"b", "x"}}}
	if _, err := o.Enqueue(ctx, Batch{Entries: []Entry{e}}); err != nil {
		t.Fatal(err)
	}
	rows, err := o.pool.Query(ctx, `SELECT data FROM pg_logical_slot_get_changes('peek', NULL, NULL) WHERE data NOT LIKE 'table walnotify.%'`)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		lines = append(lines, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	// BEGIN, the message, then the UPDATE: the stream knows before the first change.
	if len(lines) < 3 || !strings.Contains(lines[1], "message: transactional: 1 prefix: walnotify") || !strings.HasPrefix(lines[2], "table public.t: UPDATE") {
		t.Fatalf("decoded transaction:\n%s", strings.Join(lines, "\n"))
	}
}

func TestEnqueueWithoutWritesIsNotTagged(t *testing.T) {
	o, db := newOutbox(t)
	db.Exec(t, `SELECT pg_create_logical_replication_slot('peek', 'test_decoding')`)
	if _, err := o.Enqueue(context.Background(), Batch{Entries: []Entry{entry("wal/0/1/0", "n", "chat")}, Position: 1}); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := o.pool.QueryRow(context.Background(), `SELECT count(*) FROM pg_logical_slot_get_changes('peek', NULL, NULL) WHERE data LIKE 'message:%'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d messages emitted for a batch without writes", n)
	}
}

func TestPurgeRemovesOnlyOldFinishedRows(t *testing.T) {
	o, _ := newOutbox(t)
	ctx := context.Background()
	var entries []Entry
	for i := range 5 {
		entries = append(entries, entry(fmt.Sprintf("k%d", i), "n", "chat"))
	}
	if _, err := o.Enqueue(ctx, Batch{Entries: entries}); err != nil {
		t.Fatal(err)
	}
	o.pool.Exec(ctx, `UPDATE walnotify.delivery SET status = 'delivered', finished_at = now() - interval '10 days' WHERE source_key IN ('k0', 'k1')`)
	o.pool.Exec(ctx, `UPDATE walnotify.delivery SET status = 'dead', finished_at = now() - interval '1 hour' WHERE source_key = 'k2'`)
	n, err := o.Purge(ctx, 7*24*time.Hour)
	if err != nil || n != 2 {
		t.Fatalf("Purge = %d, %v; want 2", n, err)
	}
	if got := count(t, o, "true"); got != 3 {
		t.Errorf("%d rows left, want 3", got)
	}
}

func TestPositionIsZeroWhenNoneStored(t *testing.T) {
	o, _ := newOutbox(t)
	pos, err := o.Position(context.Background())
	if err != nil || pos != pglogrepl.LSN(0) {
		t.Fatalf("Position = %v, %v", pos, err)
	}
}

func TestRefusedStatementsAffectOnlyTheirEntry(t *testing.T) {
	o, db := newOutbox(t)
	db.Exec(t, `CREATE TABLE t (name text PRIMARY KEY, n int); INSERT INTO t VALUES ('x', 0)`)
	ctx := context.Background()
	bad := entry("wal/0/1/0", "bad write", "chat")
	bad.Writes = []Write{{SQL: `UPDATE t SET n = $1::text::int WHERE name = 'x'`, Args: []any{"not a number"}}}
	good := entry("wal/0/1/1", "good write", "chat")
	good.Writes = []Write{{SQL: `UPDATE t SET n = n + 1 WHERE name = 'x'`}}
	res, err := o.Enqueue(ctx, Batch{Entries: []Entry{bad, good}, Position: 0x10})
	if err != nil {
		t.Fatalf("a refused write failed the batch: %v", err)
	}
	if res.New != 2 || len(res.Rejected) != 1 || !res.Rejected[0].Writes || res.Rejected[0].Entry.Notification != "bad write" {
		t.Fatalf("Result = %+v", res)
	}
	var n int
	o.pool.QueryRow(ctx, `SELECT n FROM t`).Scan(&n)
	if n != 1 {
		t.Errorf("the good entry's write ran %d times, want 1", n)
	}
	if got := count(t, o, "true"); got != 2 {
		t.Errorf("%d deliveries recorded, want both", got)
	}
	if pos, _ := o.Position(ctx); pos != 0x10 {
		t.Errorf("position %v not saved", pos)
	}
}

func TestARefusedEntryIsRecordedDeadWithItsReason(t *testing.T) {
	o, _ := newOutbox(t)
	ctx := context.Background()
	bad := entry("wal/0/2/0", "bad message", "chat")
	bad.Message.Text = "a NUL \x00 jsonb refuses"
	good := entry("wal/0/2/1", "good message", "chat")
	for range 2 { // a replay records nothing twice
		res, err := o.Enqueue(ctx, Batch{Entries: []Entry{bad, good}})
		if err != nil {
			t.Fatalf("a refused entry failed the batch: %v", err)
		}
		if len(res.Rejected) != 1 || res.Rejected[0].Writes || res.Rejected[0].Entry.Notification != "bad message" {
			t.Fatalf("Result = %+v", res)
		}
	}
	st, err := o.State(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Dead) != 1 || st.Dead[0].Notification != "bad message" || st.Dead[0].Name != "wal/0/2/0" || !strings.Contains(st.Dead[0].Answer, "refused by the outbox") {
		t.Fatalf("status lists as dead %+v, want the refused entry with its reason", st.Dead)
	}
	if got := count(t, o, "status = 'pending'"); got != 1 {
		t.Errorf("%d pending, want the good entry", got)
	}
}

func TestConnectionErrorsFailTheBatch(t *testing.T) {
	o, _ := newOutbox(t)
	o.pool.Close()
	if _, err := o.Enqueue(context.Background(), Batch{Entries: []Entry{entry("k", "n", "chat")}}); err == nil {
		t.Fatal("Enqueue on a closed pool succeeded")
	}
}

// TestWalnotifysConnectionsRunWithoutJIT: the daemon's pool, a worker's connection and its
// marker's run with JIT off. A generic plan's estimate of millions of rows made the server
// compile the tidy of 20 ranges for 218 of its 221 ms while the marks behind it waited.
func TestWalnotifysConnectionsRunWithoutJIT(t *testing.T) {
	db := pgtest.NewDB(t)
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	ConfigurePool(cfg)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	o := NewOutbox(pool, "walnotify", "walnotify")
	worker, err := o.connect(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer worker.Close(ctx)
	marks, err := o.connectMarks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer marks.Close(ctx)
	for name, q := range map[string]interface {
		QueryRow(context.Context, string, ...any) pgx.Row
	}{"the pool": pool, "a worker's connection": worker, "the marker's connection": marks} {
		var jit string
		if err := q.QueryRow(ctx, `SHOW jit`).Scan(&jit); err != nil {
			t.Fatal(err)
		}
		if jit != "off" {
			t.Errorf("%s runs with jit = %s", name, jit)
		}
	}
}
