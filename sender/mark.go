package sender

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// MarkWindow is the most deliveries a worker settles (sends, or gives up) before their marks
// are committed. A crash of walnotify resends at most this many messages per webhook, or one
// digest when a digest holds more.
const MarkWindow = 64

// mark is the outcome of one request, to record.
type mark struct {
	ids    []int64
	status string
	answer string
}

// marker writes a worker's "delivered" and "dead" marks on a connection of its own, in groups,
// off the request path: the next request goes out while the marks of the previous ones commit.
// A group is written once it holds a quarter of the window, after markLinger, or at once when the
// worker waits for room: one statement and commit for many messages, not one each.
// Its connection commits with synchronous_commit off: a mark is bookkeeping, and one lost in a
// server crash costs a message sent twice, never a message lost.
type marker struct {
	conn   *pgx.Conn
	table  string
	linger time.Duration
	// writes counts the groups written, each one round trip and one commit.
	writes int

	mu      sync.Mutex
	queue   []mark // not yet written
	queued  int    // deliveries in queue
	unset   int    // deliveries added and not yet committed
	urgent  bool   // the worker waits for room: write what is queued now
	err     error  // the first error; the marker stops at it
	wake    chan struct{}
	settled chan struct{} // closed, and replaced, at each commit and at an error
	quit    chan struct{}
	stopped chan struct{}
	cancel  context.CancelFunc
}

// startMarker starts a marker on conn, whose marks wait at most linger to share a write. Its
// writes are not cut short when ctx ends: close writes what is left, within the grace it is
// given.
func startMarker(ctx context.Context, conn *pgx.Conn, table string, linger time.Duration) *marker {
	m := &marker{conn: conn, table: table, linger: linger, wake: make(chan struct{}, 1), settled: make(chan struct{}),
		quit: make(chan struct{}), stopped: make(chan struct{})}
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	m.cancel = cancel
	go m.run(rctx)
	return m
}

// markLinger is how long a mark may wait for others to share its write.
const markLinger = 5 * time.Millisecond

// run writes marks until close or an error.
func (m *marker) run(ctx context.Context) {
	defer close(m.stopped)
	linger := time.NewTimer(m.linger)
	for {
		select {
		case <-m.quit:
			return
		case <-m.wake:
		}
		linger.Reset(m.linger)
	gather:
		for !m.full() {
			select {
			case <-m.quit:
				return // close writes what is left
			case <-m.wake:
			case <-linger.C:
				break gather
			}
		}
		if err := m.write(ctx); err != nil {
			return
		}
	}
}

// full reports whether the queue should be written now: it holds a quarter of the window, or the
// worker waits for room.
func (m *marker) full() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.isFull()
}

func (m *marker) isFull() bool { return m.urgent || m.queued >= MarkWindow/4 }

// write commits everything queued: one round trip and one commit.
func (m *marker) write(ctx context.Context) error {
	m.mu.Lock()
	batch := m.queue
	m.queue, m.queued, m.urgent = nil, 0, false
	m.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	// One statement for each kind of outcome (a status and an answer): the usual group has one
	// kind, and takes one statement; a mixed group sends its statements at once and commits
	// them together.
	var kinds []mark
	n := 0
	for _, k := range batch {
		n += len(k.ids)
		i := slices.IndexFunc(kinds, func(o mark) bool { return o.status == k.status && o.answer == k.answer })
		if i < 0 {
			kinds = append(kinds, mark{status: k.status, answer: k.answer})
			i = len(kinds) - 1
		}
		kinds[i].ids = append(kinds[i].ids, k.ids...)
	}
	var err error
	if len(kinds) == 1 {
		_, err = m.conn.Exec(ctx, m.sql(), kinds[0].ids, kinds[0].status, kinds[0].answer)
	} else {
		b := &pgx.Batch{}
		for _, k := range kinds {
			b.Queue(m.sql(), k.ids, k.status, k.answer)
		}
		err = m.conn.SendBatch(ctx, b).Close()
	}
	if err != nil {
		err = fmt.Errorf("outbox: mark deliveries: %w", err)
	}
	m.mu.Lock()
	m.writes++
	if err != nil {
		m.err = err
	} else {
		m.unset -= n
	}
	close(m.settled)
	m.settled = make(chan struct{})
	m.mu.Unlock()
	return err
}

// sql records one kind of outcome, $2 (status) and $3 (answer), for the deliveries $1. Its
// connection plans it once (see Outbox.connectMarks).
func (m *marker) sql() string {
	return `UPDATE ` + m.table + `
SET status = $2, attempts = attempts + 1, last_answer = $3, finished_at = now()
WHERE id = ANY($1)`
}

// add queues the marks of one request. It wakes the marker for the first mark of a group (which
// starts its linger) and when the group is full, not for each.
func (m *marker) add(k mark) {
	m.mu.Lock()
	first := m.queued == 0
	m.queue = append(m.queue, k)
	m.queued += len(k.ids)
	m.unset += len(k.ids)
	wake := first || m.isFull()
	m.mu.Unlock()
	if !wake {
		return
	}
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// room waits until at most limit deliveries are unmarked, all of them when limit is 0; an
// error of the marker ends the wait.
func (m *marker) room(ctx context.Context, limit int) error {
	for {
		m.mu.Lock()
		err, unset, settled := m.err, m.unset, m.settled
		m.mu.Unlock()
		if err != nil {
			return err
		}
		if unset <= limit {
			return nil
		}
		m.mu.Lock()
		m.urgent = true
		m.mu.Unlock()
		select {
		case m.wake <- struct{}{}:
		default:
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-settled:
		}
	}
}

// close stops the marker after the write under way and writes what is left, within ctx; at
// ctx's end a write under way is cut short (its deliveries stay pending: sent again).
func (m *marker) close(ctx context.Context) error {
	defer m.cancel()
	close(m.quit)
	select {
	case <-m.stopped:
	case <-ctx.Done():
		m.cancel()
		<-m.stopped
	}
	m.mu.Lock()
	err := m.err
	m.mu.Unlock()
	if err != nil {
		return err
	}
	return m.write(ctx)
}
