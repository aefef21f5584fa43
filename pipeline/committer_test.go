package pipeline

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pglogrepl"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"walnotify/cdc"
	"walnotify/internal/poll"
)

// TestReadingGoesOnWhileTheOutboxCommits: while an outbox commit is in flight the pipeline keeps
// reading the stream, gathers what follows into the next batch, and confirms each position
// only once its batch is committed.
func TestReadingGoesOnWhileTheOutboxCommits(t *testing.T) {
	const txs, changes = 5, 2
	release := make(chan struct{})
	out := &fakeOutbox{committed: map[string]bool{}, gate: func(call int) error {
		if call == 1 {
			<-release
		}
		return nil
	}}
	var confirmed atomic.Uint64
	p := newTestPipeline(t, out, func(lsn pglogrepl.LSN) {
		for i := 1; i <= txs; i++ {
			if lsn >= pglogrepl.LSN(i*0x100) && !out.has(ticketKeys(i, changes)) {
				t.Errorf("confirmed %s before transaction %d was committed to the outbox", lsn, i)
			}
		}
		if uint64(lsn) < confirmed.Load() {
			t.Errorf("confirmed %s after %s", lsn, pglogrepl.LSN(confirmed.Load()))
		}
		confirmed.Store(uint64(lsn))
	})
	items := make(chan cdc.Item, 100)
	for _, it := range ticketTx(1, changes) {
		items <- it
	}
	done := make(chan error, 1)
	go func() { done <- p.Run(context.Background(), items) }()
	poll.Until(t, 5*time.Second, "the first commit in flight", func() bool {
		out.mu.Lock()
		defer out.mu.Unlock()
		return out.calls == 1
	})
	for i := 2; i <= txs; i++ {
		for _, it := range ticketTx(i, changes) {
			items <- it
		}
	}
	poll.Until(t, 5*time.Second, "the stream read while the commit is in flight", func() bool { return len(items) == 0 })
	if c := confirmed.Load(); c != 0 {
		t.Fatalf("confirmed %s while the first commit is in flight", pglogrepl.LSN(c))
	}
	close(release)
	poll.Until(t, 10*time.Second, "every transaction confirmed", func() bool { return confirmed.Load() == txs*0x100 })
	close(items)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	out.mu.Lock()
	defer out.mu.Unlock()
	if out.calls != 2 {
		t.Errorf("%d outbox commits, want 2: the first, then what was read meanwhile together", out.calls)
	}
}

// TestEnqueuedNotificationsAreCounted: walnotify_notifications_enqueued_total counts every
// committed entry under its webhook and notification, however the batches fall, and
// walnotify_events_raised_total every event under its document type.
func TestEnqueuedNotificationsAreCounted(t *testing.T) {
	const txs, changes = 3, 4
	out := &fakeOutbox{committed: map[string]bool{}}
	var confirmed atomic.Uint64
	p := newTestPipeline(t, out, func(lsn pglogrepl.LSN) { confirmed.Store(uint64(lsn)) })
	p.BatchMax = 5 // transactions split over batches
	items := make(chan cdc.Item, 100)
	for i := 1; i <= txs; i++ {
		for _, it := range ticketTx(i, changes) {
			items <- it
		}
	}
	close(items)
	if err := p.Run(context.Background(), items); err != nil {
		t.Fatal(err)
	}
	if got := testutil.ToFloat64(p.Metrics.enqueued.WithLabelValues("chat", "New ticket")); got != txs*changes {
		t.Errorf("enqueued{chat, New ticket} = %v, want %d", got, txs*changes)
	}
	if n := testutil.CollectAndCount(p.Metrics.enqueued); n != 1 {
		t.Errorf("%d label pairs counted, want 1", n)
	}
	if got := testutil.ToFloat64(p.Metrics.events.WithLabelValues("Issue", "New")); got != txs*changes {
		t.Errorf("events_raised{Issue, New} = %v, want %d", got, txs*changes)
	}
}

// TestOutboxCommitsAreSpaced: commits start at least Spacing apart; transactions arriving
// meanwhile share the next commit, and one arriving after a quiet spell is committed at once.
func TestOutboxCommitsAreSpaced(t *testing.T) {
	const spacing = 300 * time.Millisecond
	var starts []time.Time // guarded by out.mu
	out := &fakeOutbox{committed: map[string]bool{}}
	out.gate = func(int) error {
		out.mu.Lock()
		starts = append(starts, time.Now())
		out.mu.Unlock()
		return nil
	}
	var confirmed atomic.Uint64
	p := newTestPipeline(t, out, func(lsn pglogrepl.LSN) { confirmed.Store(uint64(lsn)) })
	p.Spacing = spacing
	items := make(chan cdc.Item, 100)
	done := make(chan error, 1)
	go func() { done <- p.Run(context.Background(), items) }()
	feed := func(i int) time.Time {
		fed := time.Now()
		for _, it := range ticketTx(i, 1) {
			items <- it
		}
		return fed
	}
	feed(1)
	poll.Until(t, 5*time.Second, "the first transaction committed", func() bool { return out.has(ticketKeys(1, 1)) })
	for i := 2; i <= 6; i++ {
		feed(i)
		time.Sleep(2 * time.Millisecond)
	}
	poll.Until(t, 5*time.Second, "transactions 2-6 confirmed", func() bool { return confirmed.Load() == 6*0x100 })
	time.Sleep(spacing)
	fed := feed(7)
	poll.Until(t, 5*time.Second, "transaction 7 confirmed", func() bool { return confirmed.Load() == 7*0x100 })
	close(items)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	out.mu.Lock()
	defer out.mu.Unlock()
	if len(starts) != 3 {
		t.Fatalf("%d outbox commits, want 3: the first, then 2-6 together after the spacing, then 7", len(starts))
	}
	if d := starts[1].Sub(starts[0]); d < spacing {
		t.Errorf("the second commit started %s after the first, want at least %s", d, spacing)
	}
	if d := starts[2].Sub(fed); d >= spacing {
		t.Errorf("transaction 7, after a quiet spell, waited %s for its commit, want it at once", d)
	}
}
