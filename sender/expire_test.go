package sender

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestExpireMarksOldPendingRowsDeadWithoutARequestEach(t *testing.T) {
	o, db := newOutbox(t)
	ctx := context.Background()
	enqueueN(t, o, "down", 0, 25000) // more than one expiry batch
	enqueueN(t, o, "fresh", 0, 3)
	// Everything of "down" was queued two days ago (its endpoint has been dead since, its
	// head in backoff); "fresh" was queued now.
	db.Exec(t, `UPDATE walnotify.delivery SET created_at = now() - interval '2 days', attempts = 3, last_answer = 'HTTP 502' WHERE webhook = 'down'`)

	n, err := o.Expire(ctx, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if n != 25000 {
		t.Errorf("expired %d rows, want 25000", n)
	}
	if got := count(t, o, "webhook = 'down' AND status = 'dead' AND finished_at IS NOT NULL AND last_answer LIKE 'HTTP 502; expired: still undelivered after 24h0m0s%'"); got != 25000 {
		t.Errorf("%d rows of the dead endpoint marked dead with the reason, want 25000", got)
	}
	if got := count(t, o, "webhook = 'fresh' AND status = 'pending'"); got != 3 {
		t.Errorf("%d fresh rows still pending, want 3", got)
	}
	if n, err := o.Expire(ctx, 24*time.Hour); err != nil || n != 0 {
		t.Errorf("second Expire = %d, %v; want 0", n, err)
	}
}

func TestGapsStayOpenUntilAcknowledged(t *testing.T) {
	o, _ := newOutbox(t)
	ctx := context.Background()
	if err := o.RecordGap(ctx, "walnotify", 0x1000, 0x2000, "slot missing"); err != nil {
		t.Fatal(err)
	}
	gaps, err := o.OpenGaps(ctx)
	if err != nil || len(gaps) != 1 || gaps[0].From != "0/1000" || gaps[0].To != "0/2000" || gaps[0].Reason != "slot missing" {
		t.Fatalf("OpenGaps = %+v, %v", gaps, err)
	}
	if n, err := o.AckGaps(ctx); err != nil || n != 1 {
		t.Fatalf("AckGaps = %d, %v", n, err)
	}
	if gaps, err := o.OpenGaps(ctx); err != nil || len(gaps) != 0 {
		t.Fatalf("after ack: %+v, %v", gaps, err)
	}
}

func TestADroppedStateSchemaIsRecreatedAndLosesNothing(t *testing.T) {
	o, db := newOutbox(t)
	ctx := context.Background()
	if healed, err := o.Heal(ctx); err != nil || healed {
		t.Fatalf("Heal on a healthy outbox = %v, %v; want nothing to do", healed, err)
	}
	db.Exec(t, `DROP SCHEMA walnotify CASCADE`)
	res, err := o.Enqueue(ctx, Batch{Entries: []Entry{entry("wal/0/20/0", "n", "chat")}, Position: 0x20})
	if err != nil || res.New != 1 || len(res.Rejected) != 0 {
		t.Fatalf("Enqueue after the schema was dropped = %+v, %v; want 1 new, none rejected", res, err)
	}
	if got := count(t, o, "status = 'pending'"); got != 1 {
		t.Errorf("%d pending rows, want 1", got)
	}
	if pos, err := o.Position(ctx); err != nil || pos != 0x20 {
		t.Errorf("position = %s, %v", pos, err)
	}
	// A table alone dropped is recreated too.
	db.Exec(t, `DROP TABLE walnotify.gap`)
	if healed, err := o.Heal(ctx); err != nil || !healed {
		t.Fatalf("Heal after a table was dropped = %v, %v", healed, err)
	}
	if _, err := o.OpenGaps(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestTheExpiryReadsOnlyTheQueueHeads: the minute's expiry reads the head of each webhook's
// queue, not its pending rows: a backlog, and rows delivered but not yet tidied, cost it a
// few index probes (at 2,000 txn/s, reading them all took 374 ms every minute). A webhook
// whose head is overdue is expired as before; one whose head is young keeps its rows.
func TestTheExpiryReadsOnlyTheQueueHeads(t *testing.T) {
	o, db := newOutbox(t)
	ctx := context.Background()
	for i := 0; i < 6000; i += 2000 {
		enqueueN(t, o, "a", i, 2000)
		enqueueN(t, o, "b", i, 1000)
	}
	enqueueN(t, o, "c", 0, 1)
	var upto int64
	if err := o.pool.QueryRow(ctx, `SELECT id FROM walnotify.delivery WHERE source_key = 'a-5000'`).Scan(&upto); err != nil {
		t.Fatal(err)
	}
	settle(t, o, "a", 0, upto, 0) // a's first 5,001 rows delivered, not yet tidied
	db.Exec(t, `UPDATE walnotify.delivery SET created_at = now() - interval '2 hours' WHERE webhook = 'b' AND source_key < 'b-0010'`)
	db.Exec(t, `UPDATE walnotify.delivery SET created_at = now() - interval '2 hours' WHERE webhook = 'a' AND source_key < 'a-5000'`)
	db.Exec(t, `ANALYZE walnotify.delivery`)

	plan := explain(t, db.Conn(t), `EXPLAIN (ANALYZE, BUFFERS) `+strings.Replace(o.overdueSQL(), "$1", "3600", 1))
	hit := buffersRead(t, plan)
	t.Logf("finding the overdue queues read %d buffers", hit)
	if hit > 100 {
		t.Errorf("finding the overdue queues read %d buffers of an outbox of 9,001 rows, want a few index probes:\n%s", hit, plan)
	}
	n, err := o.Expire(ctx, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if n != 10 {
		t.Errorf("expired %d rows, want b's 10 overdue ones (a's old rows were delivered)", n)
	}
	if got := count(t, o, "webhook = 'b' AND status = 'dead' AND source_key < 'b-0010'"); got != 10 {
		t.Errorf("%d of b's overdue rows dead, want 10", got)
	}
	if got := count(t, o, "status = 'dead'"); got != 10 {
		t.Errorf("%d rows dead, want 10", got)
	}
}

// buffersRead is the buffers the top node of an EXPLAIN (ANALYZE, BUFFERS) plan read, hit or
// not.
func buffersRead(t *testing.T, plan string) int {
	t.Helper()
	m := regexp.MustCompile(`Buffers: shared hit=(\d+)(?: read=(\d+))?`).FindStringSubmatch(plan)
	if m == nil {
		t.Fatalf("no buffers in the plan:\n%s", plan)
	}
	hit, _ := strconv.Atoi(m[1])
	read, _ := strconv.Atoi(m[2])
	return hit + read
}
