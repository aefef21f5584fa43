package pipeline

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pglogrepl"

	"walnotify/cdc"
	"walnotify/internal/poll"
)

// visibleDocs records the transactions the pipeline waited for.
type visibleDocs struct {
	noDocs
	mu     sync.Mutex
	waited []uint32
}

func (d *visibleDocs) WaitVisible(_ context.Context, xid uint32, _ time.Duration) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.waited = append(d.waited, xid)
	return nil
}

// A notification whose template reads the database is rendered only once the change's
// transaction is visible to other sessions, so that its reads see the rows the transaction
// wrote; one that does not read waits for nothing.
func TestATemplateThatReadsWaitsForItsTransaction(t *testing.T) {
	for _, tt := range []struct {
		message string
		wait    bool
	}{
		{`ticket {{ doc.name }} by {{ frappe.db.get_value("User", doc.owner, "full_name") }}`, true},
		{`ticket {{ doc.name }}`, false},
	} {
		docs := &visibleDocs{}
		out := &fakeOutbox{committed: map[string]bool{}}
		p := newTestPipeline(t, out, func(pglogrepl.LSN) {})
		p.Rules, p.Docs = ticketRulesWith(t, tt.message), docs
		ctx, cancel := context.WithCancel(context.Background())
		items := make(chan cdc.Item, 16)
		done := make(chan error, 1)
		go func() { done <- p.Run(ctx, items) }()
		for _, it := range ticketTx(1, 1) {
			items <- it
		}
		poll.Until(t, 10*time.Second, "the entry committed", func() bool { return out.has(ticketKeys(1, 1)) })
		cancel()
		<-done
		docs.mu.Lock()
		waited := slices.Contains(docs.waited, 1001)
		docs.mu.Unlock()
		if waited != tt.wait {
			t.Errorf("%s: waited for the transaction: %v, want %v", tt.message, waited, tt.wait)
		}
	}
}
