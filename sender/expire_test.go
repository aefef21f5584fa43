package sender

import (
	"context"
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
