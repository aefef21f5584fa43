package sender

import (
	"context"
	"io"
	"testing"
	"time"

	"walnotify/internal/poll"
	"walnotify/internal/webhooktest"
)

func TestReplayQueuesSelectedDeadDeliveriesAtTheTail(t *testing.T) {
	o, db := newOutbox(t)
	ctx := context.Background()
	enqueueN(t, o, "a", 0, 3)
	enqueueN(t, o, "b", 0, 1)
	db.Exec(t, `UPDATE walnotify.delivery SET status = 'dead', attempts = 4, finished_at = now(), last_answer = 'HTTP 404 no_service'`)
	enqueueN(t, o, "a", 3, 1) // pending, queued after the failures

	dead, err := o.Dead(ctx, Selection{Webhook: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if len(dead) != 3 || dead[0].Name != "a-0000" || dead[0].Message == nil || dead[0].Message.Text != "text of a-0000" {
		t.Fatalf("Dead(a) = %+v", dead)
	}
	if none, err := o.Dead(ctx, Selection{Webhook: "a", Since: time.Now().Add(time.Hour)}); err != nil || len(none) != 0 {
		t.Fatalf("Dead(since in an hour) = %+v, %v", none, err)
	}
	byID, err := o.Dead(ctx, Selection{IDs: []int64{dead[1].ID}})
	if err != nil || len(byID) != 1 || byID[0].ID != dead[1].ID {
		t.Fatalf("Dead(id) = %+v, %v", byID, err)
	}

	// The first one re-rendered (the URL of the webhook was fixed, and the text too).
	dead[0].Message.Text = "fixed text of a-0000"
	replayed, err := o.Replay(ctx, dead)
	if err != nil || len(replayed) != 3 {
		t.Fatalf("Replay = %v, %v", replayed, err)
	}
	if got := count(t, o, "webhook = 'a' AND status = 'pending' AND attempts = 0 AND last_answer = 'replayed after: HTTP 404 no_service'"); got != 3 {
		t.Errorf("%d replayed rows pending with their history, want 3", got)
	}
	if got := count(t, o, "webhook = 'b' AND status = 'dead'"); got != 1 {
		t.Errorf("another webhook's dead row was touched")
	}
	// Replaying again finds nothing dead: nothing is queued twice.
	if again, err := o.Replay(ctx, dead); err != nil || len(again) != 0 {
		t.Errorf("second Replay = %v, %v", again, err)
	}

	// Delivered after what was already pending, in their old order, with the new text.
	h := webhooktest.New(t, nil)
	startWorker(t, o, "a", h, io.Discard)
	poll.Until(t, 10*time.Second, "four delivered", func() bool { return len(h.Texts()) == 4 })
	want := []string{"text of a-0003", "fixed text of a-0000", "text of a-0001", "text of a-0002"}
	for i, got := range h.Texts() {
		if got != want[i] {
			t.Fatalf("delivered %q, want %q", h.Texts(), want)
		}
	}
}
