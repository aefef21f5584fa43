package sender

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// copyBatch is a batch large enough to go through COPY: n deliveries to webhook "chat", keys
// from first on.
func copyBatch(first, n int) []Entry {
	es := make([]Entry, n)
	for i := range es {
		es[i] = entry(fmt.Sprintf("wal/0/%X/%d", first+i, i), "n", "chat")
	}
	return es
}

func TestALargeBatchIsCopiedWithEveryColumnInOrderAndWakesTheWorker(t *testing.T) {
	o, db := newOutbox(t)
	ctx := context.Background()
	listener, err := pgx.Connect(ctx, db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer listener.Close(ctx)
	if _, err := listener.Exec(ctx, "LISTEN "+pgx.Identifier{o.channel("chat")}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	es := copyBatch(0x10, copyMin+5)
	es[0].Service = ""             // stored as NULL, as INSERT does
	es[1].SourceTime = time.Time{} // NULL
	es[2].Message.Text = "quotes \" back\\slash\ttab\nnewline é 🎉"
	es[3].Message.Doc = map[string]any{"qty": 3.5, "tags": []any{"a", nil}}
	res, err := o.Enqueue(ctx, Batch{Entries: es, Position: 0x200})
	if err != nil || res.New != len(es) || len(res.Rejected) != 0 {
		t.Fatalf("Enqueue = %+v, %v; want %d new", res, err, len(es))
	}
	rows, err := o.pool.Query(ctx, `SELECT source_key, notification, webhook, service, event, doctype, docname, message, status,
  source_time, finished_at, attempts FROM walnotify.delivery ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	i := 0
	for rows.Next() {
		var key, n, w, ev, dt, dn, status string
		var svc *string
		var msg []byte
		var st, fin *time.Time
		var attempts int
		if err := rows.Scan(&key, &n, &w, &svc, &ev, &dt, &dn, &msg, &status, &st, &fin, &attempts); err != nil {
			t.Fatal(err)
		}
		e := es[i]
		if key != e.SourceKey || n != e.Notification || w != e.Webhook || ev != e.Event || dt != e.Message.Doctype || dn != e.Message.Name {
			t.Errorf("row %d = %s %s %s %s %s %s, want entry %+v (ids follow the batch's order)", i, key, n, w, ev, dt, dn, e)
		}
		if (svc == nil) != (e.Service == "") || svc != nil && *svc != e.Service {
			t.Errorf("row %d: service %v, want %q (NULL when empty)", i, svc, e.Service)
		}
		if status != StatusPending || fin != nil || attempts != 0 {
			t.Errorf("row %d: status %s, finished_at %v, attempts %d; want a fresh pending row", i, status, fin, attempts)
		}
		if e.SourceTime.IsZero() != (st == nil) || st != nil && !st.Equal(e.SourceTime.Truncate(time.Microsecond)) {
			t.Errorf("row %d: source_time %v, want %v", i, st, e.SourceTime)
		}
		var m Message
		if err := json.Unmarshal(msg, &m); err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(e.Message)
		if got, _ := json.Marshal(m); string(got) != string(want) {
			t.Errorf("row %d: message %s, want %s", i, got, want)
		}
		i++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if i != len(es) {
		t.Fatalf("%d rows, want %d", i, len(es))
	}
	if pos, err := o.Position(ctx); err != nil || pos != 0x200 {
		t.Errorf("Position = %v, %v; want 0/200, committed with the rows", pos, err)
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := listener.WaitForNotification(wctx); err != nil {
		t.Errorf("the webhook's worker was not woken: %v", err)
	}
}

func TestALargeBatchEnqueuedAgainRecordsNothingTwice(t *testing.T) {
	o, _ := newOutbox(t)
	ctx := context.Background()
	first := copyBatch(0x100, copyMin)
	if res, err := o.Enqueue(ctx, Batch{Entries: first, Position: 0x10}); err != nil || res.New != len(first) {
		t.Fatalf("Enqueue = %+v, %v", res, err)
	}
	// The same batch again (a replay after a crash), then one half old, half new (a huge
	// transaction enqueued in part before the crash).
	res, err := o.Enqueue(ctx, Batch{Entries: first, Position: 0x10})
	if err != nil || res.New != 0 {
		t.Fatalf("replayed Enqueue = %+v, %v; want 0 new", res, err)
	}
	mixed := append(first[copyMin/2:], copyBatch(0x100+copyMin, copyMin)...)
	res, err = o.Enqueue(ctx, Batch{Entries: mixed, Position: 0x20})
	if err != nil || res.New != copyMin {
		t.Fatalf("half-replayed Enqueue = %+v, %v; want %d new", res, err, copyMin)
	}
	if got := count(t, o, "true"); got != 2*copyMin {
		t.Errorf("outbox holds %d rows, want %d: no duplicates", got, 2*copyMin)
	}
	if pos, _ := o.Position(ctx); pos != 0x20 {
		t.Errorf("Position = %v, want 0/20", pos)
	}
	// The connection that saw the refused COPY is usable again.
	for range 6 {
		if _, err := o.Enqueue(ctx, Batch{Entries: first}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestALargeBatchWithARefusedEntryRecordsTheRest(t *testing.T) {
	o, _ := newOutbox(t)
	ctx := context.Background()
	es := copyBatch(0x300, copyMin+1)
	es[7].Message.Text = "a NUL \x00 jsonb refuses"
	res, err := o.Enqueue(ctx, Batch{Entries: es, Position: 0x30})
	if err != nil {
		t.Fatalf("a refused entry failed the batch: %v", err)
	}
	if len(res.Rejected) != 1 || res.Rejected[0].Entry.SourceKey != es[7].SourceKey || res.New != copyMin {
		t.Fatalf("Result = %+v, want entry 7 rejected and %d new", res, copyMin)
	}
	if got := count(t, o, "status = 'pending'"); got != copyMin {
		t.Errorf("%d pending, want %d", got, copyMin)
	}
	if got := count(t, o, "status = 'dead' AND last_answer LIKE '%refused by the outbox%'"); got != 1 {
		t.Errorf("%d dead, want the refused entry", got)
	}
}

func TestALargeBatchWithEntriesWithoutWebhookRecordsThemDone(t *testing.T) {
	o, _ := newOutbox(t)
	ctx := context.Background()
	es := copyBatch(0x400, copyMin)
	es[3].Webhook, es[3].Service = "", ""
	if res, err := o.Enqueue(ctx, Batch{Entries: es}); err != nil || res.New != copyMin {
		t.Fatalf("Enqueue = %+v, %v", res, err)
	}
	if got := count(t, o, "status = 'none' AND webhook IS NULL AND finished_at IS NOT NULL"); got != 1 {
		t.Errorf("entries without webhook recorded as done: %d, want 1", got)
	}
	if got := count(t, o, "status = 'pending'"); got != copyMin-1 {
		t.Errorf("%d pending, want %d", got, copyMin-1)
	}
}

func TestALargeBatchTakesItsTurnForTheQueue(t *testing.T) {
	wantTurnTaken(t, "chat", copyBatch(0x500, copyMin))
}

// TestALargeBatchIsOneRequest: the COPY carries the queue lock, the position and the wake-ups
// with it, in one request and one transaction; nothing else is sent.
func TestALargeBatchIsOneRequest(t *testing.T) {
	o, db := newOutbox(t)
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	counter := &requestCounter{}
	cfg.ConnConfig.Tracer = counter
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	traced := NewOutbox(pool, "walnotify", "walnotify")
	listener := db.Conn(t)
	if _, err := listener.Exec(ctx, "LISTEN "+pgx.Identifier{o.channel("chat")}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	es := copyBatch(0x600, copyMin)
	if res, err := traced.Enqueue(ctx, Batch{Entries: es, Position: 0x60}); err != nil || res.New != len(es) {
		t.Fatalf("Enqueue = %+v, %v; want %d new", res, err, len(es))
	}
	if q, b := counter.queries.Load(), counter.batches.Load(); q != 0 || b != 0 {
		t.Errorf("a COPY commit also sent %d queries and %d batches, want the COPY alone", q, b)
	}
	if pos, err := o.Position(ctx); err != nil || pos != 0x60 {
		t.Errorf("Position = %v, %v; want 0/60", pos, err)
	}
	if got := count(t, o, "status = 'pending'"); got != len(es) {
		t.Errorf("%d pending, want %d", got, len(es))
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := listener.PgConn().WaitForNotification(wctx); err != nil {
		t.Errorf("the webhook's worker was not woken: %v", err)
	}
}

// TestARefusedCopyWakesNoOne: the wake-ups sent with a COPY that the unique key refuses (a
// replay) are rolled back with it; the replay records nothing new, so no worker is woken.
func TestARefusedCopyWakesNoOne(t *testing.T) {
	o, db := newOutbox(t)
	ctx := context.Background()
	es := copyBatch(0x700, copyMin)
	if _, err := o.Enqueue(ctx, Batch{Entries: es, Position: 0x70}); err != nil {
		t.Fatal(err)
	}
	listener := db.Conn(t)
	if _, err := listener.Exec(ctx, "LISTEN "+pgx.Identifier{o.channel("chat")}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	if res, err := o.Enqueue(ctx, Batch{Entries: es, Position: 0x80}); err != nil || res.New != 0 {
		t.Fatalf("replayed Enqueue = %+v, %v; want 0 new", res, err)
	}
	wctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if err := listener.PgConn().WaitForNotification(wctx); err == nil {
		t.Error("a refused COPY woke the worker")
	}
	if pos, err := o.Position(ctx); err != nil || pos != 0x80 {
		t.Errorf("Position = %v, %v; want 0/80 (stored by the replay's INSERT)", pos, err)
	}
}
