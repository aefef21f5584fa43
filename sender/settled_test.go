package sender

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"walnotify/internal/poll"
	"walnotify/internal/webhooktest"
)

// settle records a range of webhook's deliveries as a marker does, committed at the time ago.
func settle(t *testing.T, o *Outbox, webhook string, since, upto int64, ago time.Duration) {
	t.Helper()
	_, err := o.pool.Exec(context.Background(), `INSERT INTO walnotify.settled (webhook, tbl, since, upto, answer, at)
VALUES ($1, 'walnotify.delivery'::regclass, $2, $3, 'delivered: HTTP 200', now() - $4::interval)`, webhook, since, upto, ago.String())
	if err != nil {
		t.Fatal(err)
	}
}

// TestRowsInsideARangeAreNeitherPendingNorExpired: `status` does not count rows a range covers
// as pending, and Expire does not make them dead: they were delivered.
func TestRowsInsideARangeAreNeitherPendingNorExpired(t *testing.T) {
	o, db := newOutbox(t)
	ctx := context.Background()
	enqueueN(t, o, "a", 0, 5)
	enqueueN(t, o, "b", 0, 2)
	db.Exec(t, `UPDATE walnotify.delivery SET created_at = now() - interval '2 days'`)
	settle(t, o, "a", 0, 3, time.Second) // a-0000..a-0002; the b rows come after
	st, err := o.State(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	pending := map[string]int64{}
	for _, w := range st.Webhooks {
		pending[w.Webhook] = w.Pending
		if w.Webhook == "a" && w.LastDelivery == nil {
			t.Error("status: no last delivery for a webhook whose deliveries are ranges")
		}
	}
	if pending["a"] != 2 || pending["b"] != 2 {
		t.Errorf("status counts pending %v, want a: 2, b: 2", pending)
	}
	n, err := o.Expire(ctx, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if n != 4 {
		t.Errorf("expired %d rows, want the 4 outside the range", n)
	}
	if got := count(t, o, "status = 'pending' AND source_key IN ('a-0000', 'a-0001', 'a-0002')"); got != 3 {
		t.Errorf("%d of the 3 delivered rows left pending for the tidy, want 3", got)
	}
}

// TestPurgeTidiesRangesNoWorkerTidied: ranges left by a webhook no longer configured, or a
// delivery table made again, do not stay: the purge marks their rows, then purges them when
// they are old enough.
func TestPurgeTidiesRangesNoWorkerTidied(t *testing.T) {
	o, _ := newOutbox(t)
	ctx := context.Background()
	enqueueN(t, o, "gone", 0, 4)
	settle(t, o, "gone", 0, 2, 10*24*time.Hour) // old enough to purge
	settle(t, o, "gone", 2, 3, 2*time.Minute)   // tidied, kept
	if _, err := o.pool.Exec(ctx, `INSERT INTO walnotify.settled (webhook, tbl, since, upto, answer) VALUES ('gone', 1, 0, 100, 'of a dropped table')`); err != nil {
		t.Fatal(err)
	}
	// More ranges than one tidy statement takes, of rows purged long ago.
	if _, err := o.pool.Exec(ctx, `INSERT INTO walnotify.settled (webhook, tbl, since, upto, answer, at)
SELECT 'many', 'walnotify.delivery'::regclass, 1000 + 2 * i, 1001 + 2 * i, 'ok', now() - interval '1 hour'
FROM generate_series(1, $1) AS i`, tidyChunk+1); err != nil {
		t.Fatal(err)
	}
	n, err := o.Purge(ctx, 7*24*time.Hour)
	if err != nil || n != 2 {
		t.Fatalf("Purge = %d, %v; want the 2 rows of the old range", n, err)
	}
	if got := count(t, o, "status = 'delivered' AND source_key = 'gone-0002' AND finished_at < now() - interval '1 minute'"); got != 1 {
		t.Errorf("the row of the recent range is not marked delivered at its range's time")
	}
	if got := count(t, o, "status = 'pending' AND source_key = 'gone-0003'"); got != 1 {
		t.Errorf("the row after the ranges is not pending any more")
	}
	wantNoRanges(t, o)
}

// TestReplayTakesItsTurnWithEnqueues: a replay gives its rows new ids in turn with enqueues,
// so a worker reading by position cannot pass them.
func TestReplayTakesItsTurnWithEnqueues(t *testing.T) {
	o, db := newOutbox(t)
	ctx := context.Background()
	enqueueN(t, o, "a", 0, 1)
	db.Exec(t, `UPDATE walnotify.delivery SET status = 'dead'`)
	dead, err := o.Dead(ctx, Selection{})
	if err != nil || len(dead) != 1 {
		t.Fatalf("Dead = %v, %v", dead, err)
	}
	takeTurn(t, o, db, "a", func(second *Outbox) error {
		_, err := second.Replay(ctx, dead)
		return err
	})
	if n := count(t, o, "source_key = 'a-0000' AND status = 'pending' AND id > (SELECT id FROM walnotify.delivery WHERE source_key = 'first')"); n != 1 {
		t.Error("the replayed row's new id is not after the enqueue committed first")
	}
}

// TestTheTidyIsPlannedOnceAndReadsOnlyItsRows: the tidy's statement is planned once on its
// connection, and a plan made on an empty outbox still reads only the rows of its ranges
// through the pending rows' index, not the table.
func TestTheTidyIsPlannedOnceAndReadsOnlyItsRows(t *testing.T) {
	o, _ := newOutbox(t)
	ctx := context.Background()
	conn, err := o.connectMarks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `PREPARE tidy(text, oid, int) AS `+o.tidySQL()); err != nil {
		t.Fatal(err)
	}
	oid := deliveryOID(t, o)
	warmGeneric(t, conn, fmt.Sprintf(`EXECUTE tidy('a', %d, 100)`, oid))
	for i := 0; i < 6000; i += 2000 {
		enqueueN(t, o, "a", i, 2000)
		enqueueN(t, o, "b", i, 1000)
	}
	var from int64
	if err := o.pool.QueryRow(ctx, `SELECT id FROM walnotify.delivery WHERE source_key = 'a-5000'`).Scan(&from); err != nil {
		t.Fatal(err)
	}
	settle(t, o, "a", from-1, from+9, 0)
	plan := explain(t, conn, fmt.Sprintf(`EXPLAIN (ANALYZE, BUFFERS) EXECUTE tidy('a', %d, 100)`, oid))
	if !strings.Contains(plan, "delivery_pending") || strings.Contains(plan, "Seq Scan") {
		t.Errorf("the tidy's plan, made on an empty outbox, does not read the pending rows' index:\n%s", plan)
	}
	if !strings.Contains(plan, "$1") {
		t.Errorf("the tidy is planned for its values each time:\n%s", plan)
	}
	if n := count(t, o, "status = 'delivered'"); n != 10 {
		t.Errorf("the tidy marked %d rows, want the range's 10", n)
	}
}

// TestADeliveryAfterRetriesIsMarkedOnItsRow: a delivery that needed retries is marked on its
// row, not as a range: the expiry may have made it dead while its last attempt was in flight,
// and it must read delivered, not dead.
func TestADeliveryAfterRetriesIsMarkedOnItsRow(t *testing.T) {
	o, db := newOutbox(t)
	expired := make(chan struct{})
	h := webhooktest.New(t, func(n int, w http.ResponseWriter) {
		if n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		<-expired // the expiry runs while the retry is in flight
		io.WriteString(w, "ok")
	})
	startWorker(t, o, "a", h, io.Discard, func(w *Worker) { w.Poll = 20 * time.Millisecond })
	enqueueN(t, o, "a", 0, 1)
	poll.Until(t, 10*time.Second, "the retry in flight", func() bool { return len(h.Requests()) == 2 })
	db.Exec(t, `UPDATE walnotify.delivery SET status = 'dead', finished_at = now(), last_answer = 'expired'`)
	close(expired)
	poll.Until(t, 10*time.Second, "the row marked delivered", func() bool {
		return count(t, o, "status = 'delivered' AND attempts = 2") == 1
	})
}
