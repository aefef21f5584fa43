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
	ids    []int64 // in queue order
	status string
	answer string
	// byPosition is set for deliveries delivered at their first attempt: they are recorded
	// as a range of the settled table, not row by row (see marker).
	byPosition bool
}

// marker writes a worker's "delivered" and "dead" marks on a connection of its own, in groups,
// off the request path: the next request goes out while the marks of the previous ones commit.
// A group is written once it holds a quarter of the window, after markLinger, or at once when the
// worker waits for room: one round trip and one commit for many messages, not one each.
//
// Deliveries delivered at their first attempt, nearly all of them, are not updated one by one:
// the group records them as ranges of the settled table (webhook, since, upto], one row per
// group and answer. A pending row of the webhook inside a range is delivered; the worker's
// queue reads start past the last range, so they never see it. Updating each row cost the
// server as much as inserting it, and its commits took the CPU the stream needs. Once the
// webhook has been idle for tidyAfter, the marker tidies: it turns ranges into row marks
// (status, attempts, answer, finished_at at the group's commit) in large statements, and
// deletes them. A webhook never idle leaves its ranges to the hourly purge (Outbox.Tidy):
// until then they cost a row each in a small table, and the queue reads start past them. Dead
// deliveries and deliveries that needed retries are marked row by row, in the same commit.
//
// Its connection commits with synchronous_commit off: a mark is bookkeeping, and one lost in a
// server crash costs a message sent twice, never a message lost.
type marker struct {
	conn      *pgx.Conn
	outbox    *Outbox
	webhook   string
	linger    time.Duration
	tidyAfter time.Duration
	// writes counts the groups written, each one round trip and one commit.
	writes int

	mu      sync.Mutex
	table   uint32 // the delivery table's oid: ranges are of its ids
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

// startMarker starts the marker of webhook's deliveries, table's ids, on conn; its marks wait
// at most linger to share a write, and it tidies once no mark came for tidyAfter. Its writes
// are not cut short when ctx ends: close writes what is left, within the grace it is given.
func startMarker(ctx context.Context, conn *pgx.Conn, o *Outbox, webhook string, table uint32, linger, tidyAfter time.Duration) *marker {
	m := &marker{conn: conn, outbox: o, webhook: webhook, table: table, linger: linger, tidyAfter: tidyAfter,
		wake: make(chan struct{}, 1), settled: make(chan struct{}), quit: make(chan struct{}), stopped: make(chan struct{})}
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	m.cancel = cancel
	go m.run(rctx)
	return m
}

// markLinger is how long a mark may wait for others to share its write.
const markLinger = 5 * time.Millisecond

// tidyAfter is how long a webhook has had nothing settled before its ranges are tidied.
const tidyAfter = 200 * time.Millisecond

// tidyChunk is how many ranges one tidy statement turns into row marks.
// A mark that arrives meanwhile waits for the statement: 20 ranges of a busy webhook, up to
// 1,280 rows, take a few milliseconds (272 rows took 3 ms).
const tidyChunk = 20

// run writes marks, and tidies, until close or an error.
func (m *marker) run(ctx context.Context) {
	defer close(m.stopped)
	linger := time.NewTimer(m.linger)
	idle := time.NewTimer(m.tidyAfter) // ranges left by an earlier session are tidied too
	for {
		select {
		case <-m.quit:
			return
		case <-m.wake:
		case <-idle.C:
			select {
			case <-m.wake:
				// A mark came meanwhile: it is written first, and the tidy waits for the next
				// idle time.
			default:
				more, err := m.tidy(ctx)
				if err != nil {
					return
				}
				if more {
					idle.Reset(0)
				}
				continue
			}
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
		idle.Reset(m.tidyAfter)
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

// span is a range of a webhook's deliveries delivered with one answer: the pending rows of the
// webhook with since < id <= upto.
type span struct {
	since, upto int64
	answer      string
}

// write commits everything queued: one round trip and one commit.
func (m *marker) write(ctx context.Context) error {
	m.mu.Lock()
	batch, table := m.queue, m.table
	m.queue, m.queued, m.urgent = nil, 0, false
	m.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	// One statement for each kind of row mark (a status and an answer), and one for the
	// ranges: the usual group has ranges alone and takes one statement; a mixed group sends
	// its statements at once and commits them together.
	var kinds []mark
	var spans []span
	n := 0
	for _, k := range batch {
		n += len(k.ids)
		if k.byPosition {
			// A range may run over rows marked one by one in between: they are no longer
			// pending, and a tidy leaves them as they are.
			if last := len(spans) - 1; last >= 0 && spans[last].answer == k.answer {
				spans[last].upto = k.ids[len(k.ids)-1]
			} else {
				spans = append(spans, span{since: k.ids[0] - 1, upto: k.ids[len(k.ids)-1], answer: k.answer})
			}
			continue
		}
		i := slices.IndexFunc(kinds, func(o mark) bool { return o.status == k.status && o.answer == k.answer })
		if i < 0 {
			kinds = append(kinds, mark{status: k.status, answer: k.answer})
			i = len(kinds) - 1
		}
		kinds[i].ids = append(kinds[i].ids, k.ids...)
	}
	b := &pgx.Batch{}
	for _, k := range kinds {
		b.Queue(m.sql(), k.ids, k.status, k.answer)
	}
	if len(spans) > 0 {
		since, upto, answers := make([]int64, len(spans)), make([]int64, len(spans)), make([]string, len(spans))
		for i, s := range spans {
			since[i], upto[i], answers[i] = s.since, s.upto, s.answer
		}
		b.Queue(m.settleSQL(), m.webhook, table, since, upto, answers)
	}
	var err error
	if b.Len() == 1 {
		q := b.QueuedQueries[0]
		_, err = m.conn.Exec(ctx, q.SQL, q.Arguments...)
	} else {
		err = m.conn.SendBatch(ctx, b).Close()
	}
	if err != nil {
		err = fmt.Errorf("outbox: mark deliveries: %w", err)
	}
	m.mu.Lock()
	m.writes++
	if err == nil {
		m.unset -= n
	}
	m.mu.Unlock()
	m.settle(err)
	return err
}

// settle wakes whoever waits for room, after a commit or at the marker's error, which it keeps.
func (m *marker) settle(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil && m.err == nil {
		m.err = err
	}
	close(m.settled)
	m.settled = make(chan struct{})
}

// tidy turns the oldest ranges of the webhook into row marks and deletes them, at most
// tidyChunk in one statement and commit, and reports whether more may wait.
func (m *marker) tidy(ctx context.Context) (bool, error) {
	m.mu.Lock()
	table := m.table
	m.mu.Unlock()
	more, _, err := m.outbox.tidy(ctx, m.conn, m.webhook, table)
	if err != nil {
		m.settle(err)
	}
	return more, err
}

// sql records one kind of outcome, $2 (status) and $3 (answer), for the deliveries $1. Its
// connection plans it once (see Outbox.connectMarks).
func (m *marker) sql() string {
	return `UPDATE ` + m.outbox.table("delivery") + `
SET status = $2, attempts = attempts + 1, last_answer = $3, finished_at = now()
WHERE id = ANY($1)`
}

// settleSQL records the ranges ($3, $4] delivered with answers $5 of webhook $1, ids of table $2.
func (m *marker) settleSQL() string {
	return `INSERT INTO ` + m.outbox.table("settled") + ` (webhook, tbl, since, upto, answer)
SELECT $1, $2, s, u, a FROM unnest($3::bigint[], $4::bigint[], $5::text[]) AS t(s, u, a)
ON CONFLICT (webhook, tbl, upto) DO NOTHING`
}

// setTable points the marker at a delivery table made again (ids start over): call it with no
// mark unset.
func (m *marker) setTable(table uint32) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.table = table
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
	if err := m.write(ctx); err != nil {
		return err
	}
	// Tidy what is left, briefly: the next session, or the purge, tidies the rest.
	tctx, cancel := context.WithTimeout(ctx, closeTidy)
	defer cancel()
	for {
		if more, err := m.tidy(tctx); err != nil || !more {
			return nil // a tidy cut short leaves its ranges: nothing is lost
		}
	}
}

// closeTidy bounds the tidy at a session's end.
const closeTidy = time.Second
