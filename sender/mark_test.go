package sender

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"walnotify/internal/pgtest"
	"walnotify/internal/poll"
	"walnotify/internal/webhooktest"
)

// outboxAs is the outbox of db seen through a pool whose sessions carry application name app.
func outboxAs(t *testing.T, db *pgtest.DB, app string) *Outbox {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["application_name"] = app
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return NewOutbox(pool, "walnotify", "walnotify")
}

// holdMarks keeps marks from committing until the returned function is called: the settled
// table locked against writes (ranges), and the delivery rows against updates (row marks,
// tidies). Reads go on.
func holdMarks(t *testing.T, db *pgtest.DB) (release func()) {
	t.Helper()
	ctx := context.Background()
	tx, err := db.Conn(t).Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `LOCK TABLE walnotify.settled IN SHARE MODE; SELECT id FROM walnotify.delivery FOR UPDATE`); err != nil {
		t.Fatal(err)
	}
	return func() {
		if err := tx.Rollback(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

// TestACrashResendsAtMostTheUnmarkedWindow: the marks of sent messages cannot commit (their
// tables are locked), so the worker stops after MarkWindow requests; its sessions then die
// (as in a crash), and the next session resends those MarkWindow messages and no others.
func TestACrashResendsAtMostTheUnmarkedWindow(t *testing.T) {
	const total = 300
	o, db := newOutbox(t)
	deliverer := outboxAs(t, db, "deliverer")
	h := webhooktest.New(t, nil)
	enqueueN(t, o, "a", 0, total)
	ctx := context.Background()
	release := holdMarks(t, db)
	// One message a request: the window is counted in messages (a digest is bounded apart).
	startWorker(t, deliverer, "a", h, io.Discard, func(w *Worker) { w.Poll, w.DigestAfter = 20*time.Millisecond, time.Hour })

	watch := db.Conn(t)
	poll.Until(t, 10*time.Second, "the window sent and its marks waiting", func() bool {
		var waiting bool
		if err := watch.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_stat_activity
WHERE application_name = 'deliverer' AND wait_event_type = 'Lock')`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		return waiting && len(h.Requests()) >= MarkWindow
	})
	// Give a worker that ignores the window the time to overshoot it.
	time.Sleep(300 * time.Millisecond)
	if n := len(h.Requests()); n != MarkWindow {
		t.Fatalf("%d requests sent while no mark could commit, want the window: %d", n, MarkWindow)
	}
	if _, err := watch.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'deliverer'`); err != nil {
		t.Fatal(err)
	}
	release()
	poll.Until(t, 30*time.Second, "every message delivered", func() bool { return count(t, o, "status = 'delivered'") == total })

	seen := map[string]int{}
	re := regexp.MustCompile(`text of a-\d{4}`)
	for _, r := range h.Requests() {
		for _, m := range re.FindAllString(r.Text(), -1) {
			seen[m]++
		}
	}
	dups := 0
	for i := range total {
		n := seen[fmt.Sprintf("text of a-%04d", i)]
		if n == 0 {
			t.Errorf("a-%04d never sent", i)
		}
		dups += max(n-1, 0)
	}
	if dups > MarkWindow {
		t.Errorf("%d messages sent twice after the crash, more than the unmarked window %d", dups, MarkWindow)
	}
	t.Logf("%d requests, %d messages sent twice", len(h.Requests()), dups)
}

// TestQueueReadSkipsSettledRows: with a long run of settled rows not yet vacuumed, the worker's
// queue read starts at its position instead of walking the index entries they left behind. Its
// plan is made once, on the outbox as it was then (empty), and holds before and after the
// statistics see the settled rows: those once turned a read planned for its values into a walk
// of the primary key through them.
func TestQueueReadSkipsSettledRows(t *testing.T) {
	const total, settled = 20000, 19900
	o, db := newOutbox(t)
	db.Exec(t, `ALTER TABLE walnotify.delivery SET (autovacuum_enabled = false)`)
	ctx := context.Background()
	conn, err := o.connect(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `PREPARE queue(text, bigint, int) AS `+o.queueSQL()); err != nil {
		t.Fatal(err)
	}
	for range 6 { // past the five custom plans a cached statement may make first
		if _, err := conn.Exec(ctx, `EXECUTE queue('a', 0, 100)`); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < total; i += 5000 {
		enqueueN(t, o, "a", i, 5000)
	}
	db.Exec(t, `UPDATE walnotify.delivery SET status = 'delivered', finished_at = now() WHERE id IN (SELECT id FROM walnotify.delivery ORDER BY id LIMIT $1)`, settled)
	var after int64
	if err := conn.QueryRow(ctx, `SELECT max(id) FROM walnotify.delivery WHERE status = 'delivered'`).Scan(&after); err != nil {
		t.Fatal(err)
	}
	for _, stats := range []string{"none", "analyzed"} {
		if stats == "analyzed" {
			db.Exec(t, `ANALYZE walnotify.delivery`)
		}
		var plan []struct {
			Plan map[string]any `json:"Plan"`
		}
		var raw []byte
		if err := conn.QueryRow(ctx, fmt.Sprintf(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE queue('a', %d, %d)`, after, digestWindow)).Scan(&raw); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &plan); err != nil || len(plan) != 1 {
			t.Fatalf("plan %s: %v", raw, err)
		}
		blocks := plan[0].Plan["Shared Hit Blocks"].(float64) + plan[0].Plan["Shared Read Blocks"].(float64)
		rows := plan[0].Plan["Actual Rows"].(float64)
		if rows != digestWindow || blocks > 50 {
			t.Errorf("statistics %s: queue read after %d settled rows: %v rows, %v blocks; want %d rows from fewer than 50 blocks\n%s", stats, settled, rows, blocks, digestWindow, raw)
		}
		if !strings.Contains(string(raw), `"Index Name": "delivery_pending"`) || !strings.Contains(string(raw), "$2") {
			t.Errorf("statistics %s: the queue read is not the plan made once, on the pending rows' index:\n%s", stats, raw)
		}
	}
}

// TestARowQueuedAgainWithANewIDIsDelivered: `walnotify replay` makes a settled row pending
// again with a new id; a worker reading by position finds it.
func TestARowQueuedAgainWithANewIDIsDelivered(t *testing.T) {
	o, db := newOutbox(t)
	h := webhooktest.New(t, nil)
	enqueueN(t, o, "a", 0, 3)
	startWorker(t, o, "a", h, io.Discard, func(w *Worker) { w.Poll = 20 * time.Millisecond })
	poll.Until(t, 10*time.Second, "3 delivered", func() bool { return count(t, o, "status = 'delivered'") == 3 })
	db.Exec(t, `UPDATE walnotify.delivery SET id = DEFAULT, status = 'pending', finished_at = NULL WHERE source_key = 'a-0000'`)
	poll.Until(t, 10*time.Second, "the replayed row delivered again", func() bool {
		return count(t, o, "status = 'delivered'") == 3 && len(h.Requests()) == 4
	})
	if got := h.Requests()[3].Text(); got != "text of a-0000" {
		t.Errorf("fourth request %q, want the replayed message", got)
	}
}

// TestEnqueuesTakeTurns: an outbox commit waits for the one under way, so that ids commit in
// the order workers read them.
func TestEnqueuesTakeTurns(t *testing.T) {
	wantTurnTaken(t, "a", []Entry{entry("second", "n", "a")})
}

// wantTurnTaken enqueues later through a second session while an enqueue of webhook's is
// open: it must wait for its turn, and its rows get ids after the earlier commit's.
func wantTurnTaken(t *testing.T, webhook string, later []Entry) {
	t.Helper()
	o, db := newOutbox(t)
	takeTurn(t, o, db, webhook, func(second *Outbox) error {
		_, err := second.Enqueue(context.Background(), Batch{Entries: later})
		return err
	})
	if n := count(t, o, "source_key <> 'first' AND id > (SELECT id FROM walnotify.delivery WHERE source_key = 'first')"); n != len(later) {
		t.Errorf("%d of the %d later rows have ids after the earlier commit's", n, len(later))
	}
}

// takeTurn runs later through a second session while an enqueue of webhook's (source key
// "first") is open, checks that it waits for the queue lock, then commits the enqueue and
// waits for later.
func takeTurn(t *testing.T, o *Outbox, db *pgtest.DB, webhook string, later func(second *Outbox) error) {
	t.Helper()
	second := outboxAs(t, db, "second")
	ctx := context.Background()
	tx, err := o.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := o.enqueue(ctx, tx, Batch{Entries: []Entry{entry("first", "n", webhook)}}); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- later(second) }()
	waitForLock(t, db, "second", done)
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// requestCounter counts what a pool sends: queries, and batches (one round trip each).
type requestCounter struct{ queries, batches atomic.Int64 }

func (c *requestCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.queries.Add(1)
	return ctx
}
func (c *requestCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (c *requestCounter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	c.batches.Add(1)
	return ctx
}
func (c *requestCounter) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}
func (c *requestCounter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData)     {}

// TestAnOutboxCommitIsOneRoundTrip: a batch without writes is committed with its position and
// its workers woken in one request to the server.
func TestAnOutboxCommitIsOneRoundTrip(t *testing.T) {
	o, db := newOutbox(t)
	cfg, err := pgxpool.ParseConfig(db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	counter := &requestCounter{}
	cfg.ConnConfig.Tracer = counter
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	traced := NewOutbox(pool, "walnotify", "walnotify")
	ctx := context.Background()
	listen := db.Conn(t)
	if _, err := listen.Exec(ctx, `LISTEN `+o.channel("a")); err != nil {
		t.Fatal(err)
	}
	// Warm the connection (its statements get prepared), then count.
	if _, err := traced.Enqueue(ctx, Batch{Entries: []Entry{entry("warm", "n", "b")}, Position: 0x10}); err != nil {
		t.Fatal(err)
	}
	counter.queries.Store(0)
	counter.batches.Store(0)
	res, err := traced.Enqueue(ctx, Batch{Entries: []Entry{entry("k1", "n", "a"), entry("k2", "n", "a"), entry("k3", "n", "")}, Position: 0x30})
	if err != nil || res.New != 3 {
		t.Fatalf("Enqueue = %+v, %v; want 3 new", res, err)
	}
	if q, b := counter.queries.Load(), counter.batches.Load(); q != 0 || b != 1 {
		t.Errorf("one outbox commit took %d queries and %d batches, want one batch", q, b)
	}
	if pos, err := o.Position(ctx); err != nil || pos != 0x30 {
		t.Errorf("position = %s, %v; want 0/30", pos, err)
	}
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := listen.PgConn().WaitForNotification(wctx); err != nil {
		t.Errorf("the worker of the new deliveries was not woken: %v", err)
	}
	if got := count(t, o, "status = 'none' AND source_key = 'k3'"); got != 1 {
		t.Errorf("an entry with no webhook recorded %d times as handled, want 1", got)
	}
	// A replay records nothing and wakes no one.
	if res, err := traced.Enqueue(ctx, Batch{Entries: []Entry{entry("k1", "n", "a")}, Position: 0x20}); err != nil || res.New != 0 {
		t.Fatalf("replay = %+v, %v; want nothing new", res, err)
	}
	if pos, err := o.Position(ctx); err != nil || pos != 0x30 {
		t.Errorf("position after an older one = %s, %v; want 0/30 kept", pos, err)
	}
	wctx2, cancel2 := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel2()
	if err := listen.PgConn().WaitForNotification(wctx2); err == nil {
		t.Error("a replay woke the worker")
	}
}

// TestASweepWaitsForTheMarksOfWhatWasSent: a read from the start of the queue waits until the
// marks of what was sent commit; without the wait it finds the sent rows still pending and
// sends them again.
func TestASweepWaitsForTheMarksOfWhatWasSent(t *testing.T) {
	o, db := newOutbox(t)
	h := webhooktest.New(t, nil)
	enqueueN(t, o, "a", 0, 5)
	// Hold the marks: the marker waits for this transaction; reads do not.
	release := holdMarks(t, db)
	startWorker(t, o, "a", h, io.Discard, func(w *Worker) { w.Poll, w.Sweep = 10*time.Millisecond, 20*time.Millisecond })
	poll.Until(t, 10*time.Second, "5 requests", func() bool { return len(h.Requests()) >= 5 })
	// Several sweeps' worth of time with the marks held back.
	time.Sleep(300 * time.Millisecond)
	release()
	poll.Until(t, 10*time.Second, "5 delivered", func() bool { return count(t, o, "status = 'delivered'") == 5 })
	if n := len(h.Requests()); n != 5 {
		t.Errorf("%d requests for 5 messages: a sweep read sent rows whose marks had not committed", n)
	}
}

// TestANotificationDuringAQueryWakesTheWorkerAndIsNotKept: a notification that arrives while
// the worker's connection runs a query (its queue read) is not lost: the next wait returns at
// once. And none is kept in a list: a worker busy with a backlog for hours reads none, and a
// list would grow with every commit.
func TestANotificationDuringAQueryWakesTheWorkerAndIsNotKept(t *testing.T) {
	o, db := newOutbox(t)
	ctx := context.Background()
	w := &Worker{Outbox: o}
	conn, err := o.connect(ctx, func() { w.notified.Store(true) })
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `LISTEN `+o.channel("a")); err != nil {
		t.Fatal(err)
	}
	db.Exec(t, `SELECT pg_notify($1, '')`, o.channel("a"))
	poll.Until(t, 10*time.Second, "the notification read during a query", func() bool {
		if _, err := conn.Exec(ctx, `SELECT 1`); err != nil {
			t.Fatal(err)
		}
		return w.notified.Load()
	})
	start := time.Now()
	if !w.wait(ctx, conn, time.Minute) {
		t.Fatal("wait: context done")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("wait took %s: the notification that came during the query was lost", d)
	}
	expired, cancel := context.WithCancel(ctx)
	cancel()
	if n, _ := conn.WaitForNotification(expired); n != nil {
		t.Errorf("pgx kept notification %+v: a busy worker's list would grow with every commit", n)
	}
}

// TestAWorkerStartsOverWhenTheStateTablesAreMadeAgain: after the state schema is dropped and
// made again, ids start from 1 again, behind the worker's position; the worker finds the new
// rows at once, not at its next sweep.
func TestAWorkerStartsOverWhenTheStateTablesAreMadeAgain(t *testing.T) {
	o, db := newOutbox(t)
	h := webhooktest.New(t, nil)
	enqueueN(t, o, "a", 0, 3)
	startWorker(t, o, "a", h, io.Discard, func(w *Worker) { w.Poll, w.Sweep = 20*time.Millisecond, time.Hour })
	poll.Until(t, 10*time.Second, "3 delivered", func() bool { return count(t, o, "status = 'delivered'") == 3 })
	// Dropped and made again in one transaction: the worker never sees them missing.
	db.Exec(t, `BEGIN; DROP SCHEMA walnotify CASCADE; `+strings.Join(SchemaSQL("walnotify"), "; ")+`; COMMIT`)
	enqueueN(t, o, "a", 10, 1)
	poll.Until(t, 10*time.Second, "the row of the new table delivered", func() bool { return len(h.Requests()) == 4 })
}

// TestMarksAreWrittenInGroups: marks wait to share one statement and commit until a quarter
// of the window is queued, and are written at once when the worker waits for room. Deliveries
// delivered at their first attempt are recorded as ranges, their rows left as they are until a
// tidy; dead ones, and those that needed retries, get their own row mark in the same commit.
// The tidy gives each row its status, attempt, answer and the time of its group's commit.
func TestMarksAreWrittenInGroups(t *testing.T) {
	o, _ := newOutbox(t)
	ctx := context.Background()
	enqueueN(t, o, "a", 0, MarkWindow/4+4)
	enqueueN(t, o, "b", 0, 3) // another webhook's rows, between the ranges' ends: left alone
	enqueueN(t, o, "a", MarkWindow/4+4, 3)
	rows, err := o.pool.Query(ctx, `SELECT id FROM walnotify.delivery WHERE webhook = 'a' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatal(err)
	}
	conn, err := o.connectMarks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	m := startMarker(ctx, conn, o, "a", deliveryOID(t, o), time.Hour, time.Hour) // no write for lingering, no tidy
	defer m.close(ctx)
	q := MarkWindow / 4
	for _, id := range ids[:q] {
		m.add(mark{ids: []int64{id}, status: StatusDelivered, answer: "ok", byPosition: true})
		time.Sleep(2 * time.Millisecond) // paced like requests: a marker writing each would
	}
	poll.Until(t, 10*time.Second, "a quarter of the window written", func() bool {
		return count(t, o, "id <= $1 AND NOT "+o.unsettled("d"), ids[q-1]) == q
	})
	if n := count(t, o, "status = 'pending'"); n != len(ids)+3 {
		t.Errorf("%d rows pending, want all %d: the group was recorded row by row, not as a range", n, len(ids)+3)
	}
	m.add(mark{ids: ids[q : q+1], status: StatusDead, answer: "refused"})
	m.add(mark{ids: ids[q+1 : q+2], status: StatusDelivered, answer: "ok after a retry"})
	m.add(mark{ids: ids[q+2 : q+4], status: StatusDelivered, answer: "ok", byPosition: true})
	m.add(mark{ids: ids[q+4 : q+5], status: StatusDelivered, answer: "ok", byPosition: true}) // its range runs over b's rows
	m.add(mark{ids: ids[q+5:], status: StatusDelivered, answer: "accepted", byPosition: true})
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := m.room(wctx, 0); err != nil {
		t.Fatalf("room for all: %v (a waiting worker did not get its mark written)", err)
	}
	if n := count(t, o, "status = 'dead' AND last_answer = 'refused' AND id = $1", ids[q]); n != 1 {
		t.Errorf("the dead mark of a mixed group was not recorded as dead with its answer")
	}
	if n := count(t, o, "status = 'delivered' AND last_answer = 'ok after a retry' AND id = $1", ids[q+1]); n != 1 {
		t.Errorf("a delivery after retries was not marked on its row")
	}
	m.mu.Lock()
	writes := m.writes
	m.mu.Unlock()
	if writes != 2 {
		t.Errorf("%d statements for %d marks in two groups, want 2", writes, len(ids))
	}
	for more := true; more; {
		if more, err = m.tidy(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(t, o, "webhook = 'a' AND status = 'delivered' AND last_answer = 'ok' AND attempts = 1 AND finished_at = (SELECT min(finished_at) FROM walnotify.delivery WHERE last_answer = 'ok')"); n != q {
		t.Errorf("%d rows of the first group delivered at its commit with its answer, want %d", n, q)
	}
	if n := count(t, o, "webhook = 'a' AND status = 'delivered' AND last_answer IN ('ok', 'accepted') AND attempts = 1 AND id > $1", ids[q+1]); n != len(ids)-q-2 {
		t.Errorf("%d rows of the second group delivered with their answer, want %d", n, len(ids)-q-2)
	}
	if n := count(t, o, "webhook = 'b' AND status = 'pending' AND attempts = 0"); n != 3 {
		t.Errorf("the other webhook's rows inside the ranges were marked: %d of 3 still pending", n)
	}
	if n := count(t, o, "status = 'dead' AND last_answer = 'refused'"); n != 1 {
		t.Errorf("the tidy changed the dead row")
	}
	wantNoRanges(t, o)
}

// TestRangesAreTidiedOnceTheWebhookIsIdle: with no mark for tidyAfter, the marker turns its
// ranges into row marks by itself.
func TestRangesAreTidiedOnceTheWebhookIsIdle(t *testing.T) {
	o, _ := newOutbox(t)
	ctx := context.Background()
	enqueueN(t, o, "a", 0, 3)
	conn, err := o.connectMarks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	m := startMarker(ctx, conn, o, "a", deliveryOID(t, o), time.Millisecond, 50*time.Millisecond)
	defer m.close(ctx)
	m.add(mark{ids: []int64{1, 2, 3}, status: StatusDelivered, answer: "ok", byPosition: true})
	poll.Until(t, 10*time.Second, "the rows marked by the tidy", func() bool {
		return count(t, o, "status = 'delivered' AND attempts = 1 AND last_answer = 'ok'") == 3
	})
}

// TestARestartReadsPastTheRangesNotYetTidied: a worker that dies before its ranges are tidied
// leaves their rows pending; the next session starts past them and sends none again.
func TestARestartReadsPastTheRangesNotYetTidied(t *testing.T) {
	o, db := newOutbox(t)
	deliverer := outboxAs(t, db, "deliverer")
	h := webhooktest.New(t, nil)
	enqueueN(t, o, "a", 0, 5)
	ctx := context.Background()
	// The rows locked: ranges commit, tidies wait.
	tx, err := db.Conn(t).Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT id FROM walnotify.delivery FOR UPDATE`); err != nil {
		t.Fatal(err)
	}
	startWorker(t, deliverer, "a", h, io.Discard, func(w *Worker) { w.Poll = 20 * time.Millisecond })
	poll.Until(t, 10*time.Second, "5 sent and their ranges committed", func() bool {
		return len(h.Requests()) == 5 && count(t, o, "NOT "+o.unsettled("d")) == 5
	})
	watch := db.Conn(t)
	if _, err := watch.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'deliverer'`); err != nil {
		t.Fatal(err)
	}
	poll.Until(t, 10*time.Second, "a new session", func() bool {
		var n int
		if err := watch.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE application_name = 'deliverer'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n >= 2
	})
	time.Sleep(300 * time.Millisecond) // time for the new session to read its queue
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	poll.Until(t, 10*time.Second, "5 delivered", func() bool { return count(t, o, "status = 'delivered'") == 5 })
	if n := len(h.Requests()); n != 5 {
		t.Errorf("%d requests for 5 messages: the new session sent rows its ranges cover", n)
	}
}

// deliveryOID is the delivery table's oid.
func deliveryOID(t *testing.T, o *Outbox) uint32 {
	t.Helper()
	var oid uint32
	if err := o.pool.QueryRow(context.Background(), `SELECT 'walnotify.delivery'::regclass::oid`).Scan(&oid); err != nil {
		t.Fatal(err)
	}
	return oid
}

// TestTheMarkIsPlannedOnceAndReadsThePrimaryKeyAtAnySize: the marks' connection plans its
// statement once (a generic plan, its array a parameter), and a plan made while the outbox was
// empty still reads the primary key once the outbox is large, never the whole table.
func TestTheMarkIsPlannedOnceAndReadsThePrimaryKeyAtAnySize(t *testing.T) {
	o, _ := newOutbox(t)
	ctx := context.Background()
	conn, err := o.connectMarks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	m := &marker{conn: conn, outbox: o}
	if _, err := conn.Exec(ctx, `PREPARE mark(bigint[], text, text) AS `+m.sql()); err != nil {
		t.Fatal(err)
	}
	warmGeneric(t, conn, `EXECUTE mark('{1}', 'delivered', 'ok')`)
	enqueueN(t, o, "a", 0, 3000)
	plan := explain(t, conn, `EXPLAIN EXECUTE mark('{1, 2}', 'delivered', 'ok')`)
	if !strings.Contains(plan, "delivery_pkey") || strings.Contains(plan, "Seq Scan") {
		t.Errorf("the mark's plan, made on an empty outbox, does not read the primary key of a large one:\n%s", plan)
	}
	if !strings.Contains(plan, "$1") {
		t.Errorf("the mark is planned for its values each time (planning costs as much as ten rows):\n%s", plan)
	}
	if _, err := m.conn.Exec(ctx, m.sql(), []int64{1, 2}, StatusDelivered, "ok"); err != nil {
		t.Fatal(err)
	}
	if n := count(t, o, "status = 'delivered' AND id IN (1, 2)"); n != 2 {
		t.Errorf("%d of 2 marked", n)
	}
}

// warmGeneric runs a prepared statement past the five custom plans a cached statement may
// make first: its next plan is the generic one.
func warmGeneric(t *testing.T, conn *pgx.Conn, execute string) {
	t.Helper()
	for range 6 {
		if _, err := conn.Exec(context.Background(), execute); err != nil {
			t.Fatal(err)
		}
	}
}

// explain returns the text plan an EXPLAIN statement prints.
func explain(t *testing.T, conn *pgx.Conn, query string) string {
	t.Helper()
	rows, err := conn.Query(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "\n")
}

// waitForLock waits until the sessions of application app wait for a lock, and fails if done
// says their work ended first.
func waitForLock(t *testing.T, db *pgtest.DB, app string, done <-chan error) {
	t.Helper()
	watch := db.Conn(t)
	poll.Until(t, 10*time.Second, app+" waiting for the queue lock", func() bool {
		select {
		case err := <-done:
			t.Fatalf("%s committed (%v) while the queue lock was held", app, err)
		default:
		}
		var waiting bool
		if err := watch.QueryRow(context.Background(), `SELECT EXISTS (SELECT FROM pg_stat_activity
WHERE application_name = $1 AND wait_event_type = 'Lock')`, app).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		return waiting
	})
}

// wantNoRanges checks that no range is left to tidy.
func wantNoRanges(t *testing.T, o *Outbox) {
	t.Helper()
	var left int
	if err := o.pool.QueryRow(context.Background(), `SELECT count(*) FROM walnotify.settled`).Scan(&left); err != nil || left != 0 {
		t.Errorf("%d ranges left (%v), want none", left, err)
	}
}
