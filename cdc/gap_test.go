package cdc

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/jackc/pglogrepl"
	"github.com/jackc/pgx/v5"

	"walnotify/internal/pgtest"
)

// gapRecorder collects the gaps a stream reports.
type gapRecorder struct {
	mu   sync.Mutex
	gaps []Gap
}

func (g *gapRecorder) record(_ context.Context, gap Gap) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.gaps = append(g.gaps, gap)
	return nil
}

func (g *gapRecorder) list() []Gap {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]Gap(nil), g.gaps...)
}

func TestStreamReportsASlotDroppedBehindItsPosition(t *testing.T) {
	db := pgtest.NewDB(t)
	db.Exec(t, issueTable+`; CREATE PUBLICATION walnotify FOR TABLE "tabIssue"`)
	cfg := testConfig(t, db, "walnotify")
	var saved pglogrepl.LSN // the consumer's durable position, as the outbox keeps it
	cfg.Resume = func(context.Context) (pglogrepl.LSN, error) { return saved, nil }
	gaps := &gapRecorder{}
	cfg.OnGap = gaps.record
	conn := db.Conn(t)

	first := run(t, cfg)
	insertTxs(t, db, "ISS-1")
	tx, _ := first.changes(t)
	first.Confirm(tx.EndLSN)
	saved = tx.EndLSN
	waitFor(t, "slot confirmed", func() bool { return slotLSN(t, conn, cfg.Slot) == tx.EndLSN })
	first.stop(t)
	if got := gaps.list(); len(got) != 0 {
		t.Fatalf("gaps before any loss: %+v", got)
	}

	// The slot goes away (a DBA's cleanup, a failover to a standby without it) while
	// changes are committed: they are lost, and that must be loud.
	dropSlot(t, db, conn, cfg.Slot)
	insertTxs(t, db, "ISS-LOST-1", "ISS-LOST-2")
	lostEnd := lsn(t, conn, `SELECT pg_current_wal_lsn()`)

	second := run(t, cfg)
	got := gaps.list()
	if len(got) != 1 {
		t.Fatalf("gaps = %+v, want one", got)
	}
	if g := got[0]; g.Slot != cfg.Slot || g.From != saved || g.To < lostEnd {
		t.Errorf("gap = %+v, want from %s to at least %s", g, saved, lostEnd)
	}
	if second.Progress().Gaps != 1 {
		t.Errorf("Progress().Gaps = %d", second.Progress().Gaps)
	}
	// The stream goes on with what follows.
	insertTxs(t, db, "ISS-2")
	if _, chs := second.changes(t); chs[0].New["name"] != "ISS-2" {
		t.Fatalf("got %v, want ISS-2", chs[0].New["name"])
	}
}

func TestStreamFirstStartIsNoGap(t *testing.T) {
	db := pgtest.NewDB(t)
	db.Exec(t, issueTable+`; CREATE PUBLICATION walnotify FOR TABLE "tabIssue"`)
	cfg := testConfig(t, db, "walnotify")
	gaps := &gapRecorder{}
	cfg.OnGap = gaps.record
	r := run(t, cfg) // creates the slot: nothing was known before
	insertTxs(t, db, "ISS-1")
	r.changes(t)
	if got := gaps.list(); len(got) != 0 {
		t.Fatalf("gaps = %+v", got)
	}
}

func TestStreamKeepsAGapUntilItIsRecorded(t *testing.T) {
	db := pgtest.NewDB(t)
	db.Exec(t, issueTable+`; CREATE PUBLICATION walnotify FOR TABLE "tabIssue"`)
	cfg := testConfig(t, db, "walnotify")
	conn := db.Conn(t)
	first := run(t, cfg)
	insertTxs(t, db, "ISS-1")
	tx, _ := first.changes(t)
	saved := tx.EndLSN
	first.stop(t)
	dropSlot(t, db, conn, cfg.Slot)

	// The state schema is unreachable at first: recording fails twice, and the stream
	// streams nothing until the gap is recorded, although the slot it created meanwhile no
	// longer shows it.
	cfg.Resume = func(context.Context) (pglogrepl.LSN, error) { return saved, nil }
	gaps := &gapRecorder{}
	var mu sync.Mutex
	failures := 2
	cfg.OnGap = func(ctx context.Context, g Gap) error {
		mu.Lock()
		defer mu.Unlock()
		if failures > 0 {
			failures--
			return errors.New("outbox unavailable")
		}
		return gaps.record(ctx, g)
	}
	second := run(t, cfg)
	if got := gaps.list(); len(got) != 1 || got[0].From != saved {
		t.Fatalf("gaps = %+v, want one from %s", got, saved)
	}
	if n := slotLSN(t, conn, cfg.Slot); n == 0 {
		t.Fatal("slot not created")
	}
	insertTxs(t, db, "ISS-2")
	if _, chs := second.changes(t); chs[0].New["name"] != "ISS-2" {
		t.Fatalf("got %v, want ISS-2", chs[0].New["name"])
	}
}

// dropSlot drops a slot once the server's WAL sender has left it: it may outlive the client's
// stop by a moment.
func dropSlot(t *testing.T, db *pgtest.DB, conn *pgx.Conn, slot string) {
	t.Helper()
	waitFor(t, "slot released", func() bool {
		var active bool
		return conn.QueryRow(context.Background(), `SELECT active FROM pg_replication_slots WHERE slot_name = $1`, slot).Scan(&active) == nil && !active
	})
	db.Exec(t, `SELECT pg_drop_replication_slot($1)`, slot)
}
