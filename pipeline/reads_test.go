package pipeline

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pglogrepl"

	"walnotify/cdc"
	"walnotify/frappedb"
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

// waitedLookup is a Lookup that finds nothing, and fails the test when it reads before the
// pipeline waited for transaction 1001.
type waitedLookup struct {
	docs *visibleDocs
	t    *testing.T
}

func (l *waitedLookup) Rows(_ context.Context, q frappedb.Query) ([]string, [][]any, error) {
	l.docs.mu.Lock()
	defer l.docs.mu.Unlock()
	if !slices.Contains(l.docs.waited, 1001) {
		l.t.Errorf("read %s before its transaction was visible", q.Doctype)
	}
	return q.Fields, nil, nil
}

func (l *waitedLookup) Document(context.Context, string, string) (map[string]any, error) {
	return nil, nil
}

func (l *waitedLookup) Single(context.Context, string) (map[string]any, bool, error) {
	return nil, false, nil
}

// A notification whose template or condition reads the database is rendered only once the change's
// transaction is visible to other sessions, so that its reads see the rows the transaction
// wrote; a condition that reads is evaluated only then; one that does not read waits for
// nothing.
func TestATemplateThatReadsWaitsForItsTransaction(t *testing.T) {
	for _, tt := range []struct {
		message   string
		condition string
		wait      bool
	}{
		{`ticket {{ doc.name }} by {{ frappe.db.get_value("User", doc.owner, "full_name") }}`, "", true},
		{`ticket {{ doc.name }}`, `frappe.db.get_value("User", "nobody", "full_name") is None`, true},
		{`ticket {{ doc.name }}`, `doc.name != "x"`, false},
	} {
		docs := &visibleDocs{}
		out := &fakeOutbox{committed: map[string]bool{}}
		p := newTestPipeline(t, out, func(pglogrepl.LSN) {})
		p.Rules, p.Docs = ticketRulesWith(t, tt.message, "condition = '"+tt.condition+"'"), docs
		p.Lookup = &waitedLookup{docs: docs, t: t}
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
			t.Errorf("%s if %s: waited for the transaction: %v, want %v", tt.message, tt.condition, waited, tt.wait)
		}
	}
}
