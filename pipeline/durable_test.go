package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pglogrepl"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"walnotify/cdc"
	"walnotify/erpdb"
	"walnotify/internal/pgtest"
	"walnotify/internal/poll"
	"walnotify/rules"
	"walnotify/sender"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// parseRules parses a test configuration: a Slack webhook "chat" and the notifications given.
func parseRules(t *testing.T, notifications string) *rules.Config {
	t.Helper()
	cfg, err := rules.Parse("test.toml", `
[database]
dsn = "postgres://x@localhost/erp"
[[webhook]]
name = "chat"
service = "Slack"
url = "https://hooks.slack.com/services/T/B/X"
show_document_link = false
`+notifications, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// ticketRules are rules that send one message per new Issue, without a database.
func ticketRules(t *testing.T) *atomic.Pointer[Rules] {
	t.Helper()
	return ticketRulesWith(t, "ticket {{ doc.name }}")
}

// ticketRulesWith are ticketRules with their message.
func ticketRulesWith(t *testing.T, message string, extra ...string) *atomic.Pointer[Rules] {
	t.Helper()
	cfg := parseRules(t, `[[notification]]
name = "New ticket"
document_type = "Issue"
event = "New"
message = '`+message+`'
webhook = "chat"
`+strings.Join(extra, "\n"))
	rs := &Rules{cfg: cfg, engine: rules.NewEngine(cfg), tables: map[string]*tableInfo{
		"tabIssue": {doctype: "Issue", columns: map[string]erpdb.Column{"name": {Name: "name", Type: "text"}}},
	}}
	p := &atomic.Pointer[Rules]{}
	p.Store(rs)
	return p
}

// ticketTx is source transaction i (from 1): changes new Issues, ending at LSN i*0x100.
func ticketTx(i, changes int) []cdc.Item {
	tx := cdc.Tx{Xid: uint32(1000 + i), CommitLSN: pglogrepl.LSN(i*0x100 - 0x10), CommitTime: time.Now()}
	items := []cdc.Item{{Kind: cdc.KindBegin, Tx: tx}}
	for pos := range changes {
		ch := &cdc.Change{Schema: "public", Table: "tabIssue", Op: cdc.OpInsert, New: cdc.Row{"name": fmt.Sprintf("ISS-%d-%d", i, pos)}, Pos: pos}
		items = append(items, cdc.Item{Kind: cdc.KindChange, Tx: tx, Change: ch})
	}
	tx.EndLSN = pglogrepl.LSN(i * 0x100)
	return append(items, cdc.Item{Kind: cdc.KindCommit, Tx: tx})
}

// ticketKeys are the outbox keys of transaction i's entries.
func ticketKeys(i, changes int) []string {
	var keys []string
	for pos := range changes {
		keys = append(keys, fmt.Sprintf("wal/%s/%d", pglogrepl.LSN(i*0x100-0x10), pos))
	}
	return keys
}

type noDocs struct{}

func (noDocs) Load(context.Context, string, string) (cdc.Row, error) { return nil, errors.New("none") }
func (noDocs) Children(context.Context, string, string, erpdb.ChildTable) ([]any, error) {
	return nil, nil
}
func (noDocs) WaitVisible(context.Context, uint32, time.Duration) error { return nil }

// fakeOutbox commits in memory; before each commit it calls gate, which may block or fail it.
type fakeOutbox struct {
	gate func(call int) error

	mu        sync.Mutex
	calls     int
	committed map[string]bool
	position  pglogrepl.LSN
}

func (o *fakeOutbox) Enqueue(ctx context.Context, b sender.Batch) (sender.Result, error) {
	o.mu.Lock()
	o.calls++
	call := o.calls
	o.mu.Unlock()
	if o.gate != nil {
		if err := o.gate(call); err != nil {
			return sender.Result{}, err
		}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, e := range b.Entries {
		o.committed[e.SourceKey] = true
	}
	o.position = max(o.position, b.Position)
	return sender.Result{New: len(b.Entries)}, nil
}

func (o *fakeOutbox) has(keys []string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, k := range keys {
		if !o.committed[k] {
			return false
		}
	}
	return true
}

func newTestPipeline(t *testing.T, out Outbox, confirm func(pglogrepl.LSN)) *Pipeline {
	return &Pipeline{
		Rules: ticketRules(t), Outbox: out, Docs: noDocs{}, Confirm: confirm,
		Metrics: NewMetrics(prometheus.NewRegistry()), Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		BatchMax: 1000, Linger: time.Millisecond,
	}
}

// TestConfirmedNeverPassesAnUncommittedTransaction guards "acknowledge after durable": the
// position confirmed to the stream never passes a transaction whose entries are not committed
// to the outbox, whether the commit blocks, fails for a while, or a transaction is committed
// in several batches.
func TestConfirmedNeverPassesAnUncommittedTransaction(t *testing.T) {
	release := make(chan struct{})
	tests := []struct {
		name     string
		batchMax int
		gate     func(call int) error
		unblock  func()
	}{
		{"the commit blocks", 1000, func(call int) error {
			if call == 1 {
				<-release
			}
			return nil
		}, func() { close(release) }},
		{"the commit fails, then succeeds", 1000, func(call int) error {
			if call == 1 {
				return errors.New("connection refused")
			}
			return nil
		}, func() {}},
		{"a large transaction takes several commits", 2, func(call int) error {
			if call == 2 {
				return errors.New("connection reset")
			}
			return nil
		}, func() {}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const txs, changes = 3, 3
			out := &fakeOutbox{gate: tt.gate, committed: map[string]bool{}}
			var confirmed atomic.Uint64
			p := newTestPipeline(t, out, func(lsn pglogrepl.LSN) {
				for i := 1; i <= txs; i++ {
					if lsn >= pglogrepl.LSN(i*0x100) && !out.has(ticketKeys(i, changes)) {
						t.Errorf("confirmed %s before transaction %d (end %s) was committed to the outbox", lsn, i, pglogrepl.LSN(i*0x100))
					}
				}
				confirmed.Store(uint64(lsn))
			})
			p.BatchMax = tt.batchMax
			items := make(chan cdc.Item, 100)
			for i := 1; i <= txs; i++ {
				for _, it := range ticketTx(i, changes) {
					items <- it
				}
			}
			done := make(chan error, 1)
			go func() { done <- p.Run(context.Background(), items) }()
			poll.Until(t, 5*time.Second, "the first commit attempt", func() bool {
				out.mu.Lock()
				defer out.mu.Unlock()
				return out.calls > 0
			})
			tt.unblock()
			poll.Until(t, 10*time.Second, "every transaction confirmed", func() bool { return confirmed.Load() == txs*0x100 })
			close(items)
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			for i := 1; i <= txs; i++ {
				if !out.has(ticketKeys(i, changes)) {
					t.Errorf("transaction %d lost", i)
				}
			}
		})
	}
}

// TestCrashBetweenCommitAndConfirmLosesNothing commits to a real outbox and "crashes" before the
// confirmation reaches the stream: the outbox holds the position, so a restart resumes after
// it; and a replay of everything (a slot that never heard of it) adds no duplicate.
func TestCrashBetweenCommitAndConfirmLosesNothing(t *testing.T) {
	db := pgtest.NewDB(t)
	pool, err := pgxpool.New(context.Background(), db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	out := sender.NewOutbox(pool, "walnotify", "walnotify")
	if err := out.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	feed := func(p *Pipeline, ctx context.Context, from, to int) error {
		items := make(chan cdc.Item, 100)
		for i := from; i <= to; i++ {
			for _, it := range ticketTx(i, 2) {
				items <- it
			}
		}
		close(items)
		return p.Run(ctx, items)
	}

	// First run: a commit succeeds; the process dies as its confirmation is about to be sent.
	// The committer may have committed transaction 1 alone or 1 and 2 together: either way the
	// outbox already holds the position being confirmed.
	ctx, crash := context.WithCancel(context.Background())
	var confirming atomic.Uint64
	first := newTestPipeline(t, out, func(lsn pglogrepl.LSN) {
		confirming.CompareAndSwap(0, uint64(lsn))
		crash()
	})
	if err := feed(first, ctx, 1, 2); err != nil && !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	pos, err := out.Position(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if c := pglogrepl.LSN(confirming.Load()); c == 0 || pos < c || (pos != 0x100 && pos != 0x200) {
		t.Fatalf("the outbox holds position %s after the crash while %s was being confirmed: want the end of a committed transaction, at least the confirmed one", pos, c)
	}

	// Restart: the slot never got the confirmation, so everything is replayed, with one more
	// transaction.
	var confirmed atomic.Uint64
	second := newTestPipeline(t, out, func(lsn pglogrepl.LSN) { confirmed.Store(uint64(lsn)) })
	if err := feed(second, context.Background(), 1, 3); err != nil {
		t.Fatal(err)
	}
	if confirmed.Load() != 0x300 {
		t.Errorf("confirmed %s after the restart, want 0/300", pglogrepl.LSN(confirmed.Load()))
	}
	var rows, keys int
	if err := pool.QueryRow(context.Background(), `SELECT count(*), count(DISTINCT source_key) FROM walnotify.delivery`).Scan(&rows, &keys); err != nil {
		t.Fatal(err)
	}
	if rows != 6 || keys != 6 {
		t.Errorf("the outbox holds %d rows for %d source changes, want 6 and 6 (no loss, no duplicate)", rows, keys)
	}
}
