package sender

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/time/rate"

	"walnotify/internal/grace"
	"walnotify/rules"
	"walnotify/service"
)

// Worker delivers the queue of one webhook: one request in flight, oldest first, at the
// webhook's rate, coalescing a backlog into digests. Several instances may run a worker for the
// same webhook: a session advisory lock lets one of them deliver, so order is kept; another
// takes over when it dies.
type Worker struct {
	Outbox  *Outbox
	Webhook string
	Service rules.Service
	URL     rules.Secret
	Labels  Labels
	Client  *http.Client
	Limiter *rate.Limiter
	// MaxAge is how long a failing delivery is retried before it is marked dead.
	MaxAge time.Duration
	// DigestAfter is how far behind the webhook may fall before waiting messages go as
	// digests; default 1s.
	DigestAfter time.Duration
	// Backoff returns the wait before retry attempt n (1, 2, ...); nil means Backoff.
	Backoff func(attempt int) time.Duration
	// Poll is how often the queue is read when no notification wakes the worker (the outbox
	// notifies the webhook's channel when it enqueues); default 1s.
	Poll time.Duration
	// Sweep is how often an idle worker reads its queue from the start, not from its position:
	// a row that appeared behind the position (an enqueue that did not take the queue lock)
	// waits at most this long; default 30s.
	Sweep   time.Duration
	Logger  *slog.Logger
	Metrics *Metrics
	// Grace bounds the work that goes on after ctx ends: the request in flight and the record
	// of its answer, then closing the session; default 10s. A request cut short stays pending
	// and is sent again (at least once).
	Grace time.Duration

	// svc is Service looked up, once a session; svcErr says it is unknown (every message
	// is then dead with it).
	svc    *service.Service
	svcErr error
	// target is URL, parsed once a session.
	target target
	// inflight is the context of the session's requests: it ends Grace after the worker's, so
	// that a request under way when the worker is asked to stop is finished and its answer
	// recorded (not sent twice), and a stop stays bounded.
	inflight context.Context
	// singleUntil: deliveries up to this id go one by one, after a digest holding them was
	// refused for good (one bad message must not take the others down with it).
	singleUntil int64
	// pace is the measured time one request takes (a moving average), which can be slower than
	// the configured rate allows: backlogged counts with the slower of the two.
	pace time.Duration
	// marks records what the session's requests settled, on a connection of its own.
	marks *marker
	// after is the position of the session's queue reads: every delivery up to it is settled
	// or waits behind a pending one. Reading by position skips the index entries that settled
	// rows leave behind until vacuum, so a long backlog reads as fast as a short one.
	after int64
	// restart is set when the next read starts over from the settled position: a session's
	// first, a sweep, a delivery table made again. See step.
	restart bool
	// swept is when the queue was last read from the settled position; see step.
	swept time.Time
	// table is the delivery table's oid when the position was taken.
	table uint32
	// notified is set when a notification arrives on the session's connection (during a
	// query or a wait) and cleared by wait: one that came during the queue read is not lost.
	// A queue read ahead sets it from its own goroutine.
	notified atomic.Bool
	// ahead is the next page of the queue, read on the session's connection while the
	// current one is sent; nil when no read is under way. See readAhead.
	ahead *readAhead
	// reads counts the queue reads the requests waited for (not read ahead).
	reads atomic.Int64
	// built counts the requests built while the webhook waited, prebuilt those built by a read
	// ahead.
	built, prebuilt atomic.Int64
}

// readAhead is a queue read running beside the requests: the rows after from.
type readAhead struct {
	from int64
	done chan struct{}
	page []pending
	err  error
}

// Backoff is the default retry schedule: exponential from 1 s, doubling, capped at 10 minutes,
// with ±50 % jitter.
func Backoff(attempt int) time.Duration {
	d := time.Second << min(max(attempt-1, 0), 10)
	d = min(d, 10*time.Minute)
	return time.Duration(float64(d) * (0.5 + rand.Float64()))
}

// digestWindow is the most pending deliveries considered for one digest.
const digestWindow = 100

// Run delivers until ctx is cancelled, then returns within Grace. It never gives up: errors of
// the database are logged and retried.
func (w *Worker) Run(ctx context.Context) {
	if w.Poll == 0 {
		w.Poll = time.Second
	}
	if w.Backoff == nil {
		w.Backoff = Backoff
	}
	w.Sweep = cmp.Or(w.Sweep, 30*time.Second)
	w.DigestAfter = cmp.Or(w.DigestAfter, time.Second)
	log := w.Logger.With("webhook", w.Webhook)
	for ctx.Err() == nil {
		err := w.session(ctx, log)
		if ctx.Err() != nil {
			break
		}
		log.Warn("delivery paused", "err", err)
		w.sleep(ctx, 2*time.Second)
	}
}

// session holds the webhook's advisory lock on a connection of its own and delivers until an
// error. The connection is the worker's, not the pool's: a worker holds it for as long as it
// runs, and a reload that adds webhooks must not starve the pool's other users.
func (w *Worker) session(ctx context.Context, log *slog.Logger) error {
	conn, err := w.Outbox.connect(ctx, func() { w.notified.Store(true) })
	if err != nil {
		return err
	}
	key := w.Outbox.webhookKey(w.Webhook)
	defer func() {
		// Closing the session releases its lock and LISTEN, within the grace; a read ahead
		// uses the connection until it ends.
		w.collect()
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), w.grace())
		defer cancel()
		conn.Close(cctx)
	}()
	for {
		var got bool
		if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&got); err != nil {
			return err
		}
		if got {
			break
		}
		// Another instance delivers this webhook; wait to take over.
		if !w.sleep(ctx, 5*w.Poll) {
			return ctx.Err()
		}
	}
	if _, err := conn.Exec(ctx, `LISTEN `+w.Outbox.channel(w.Webhook)); err != nil {
		return err
	}
	if w.table, err = w.tableOID(ctx, conn); err != nil {
		return err
	}
	mconn, err := w.Outbox.connectMarks(ctx)
	if err != nil {
		return err
	}
	w.marks = startMarker(ctx, mconn, w.Outbox, w.Webhook, w.table, markLinger, tidyAfter)
	w.after, w.restart, w.swept = 0, true, time.Now()
	w.svc, w.svcErr = service.Lookup(string(w.Service))
	w.target = newTarget(w.URL)
	var stop context.CancelFunc
	w.inflight, stop = grace.After(ctx, w.grace())
	defer stop()
	defer func() {
		// The marks commit before the lock is released: an instance taking over must not
		// send again what this one delivered.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), w.grace())
		defer cancel()
		if err := w.marks.close(cctx); err != nil {
			log.Warn("delivery marks not recorded; their messages will be sent again", "err", err)
		}
		mconn.Close(cctx)
	}()
	for {
		wait, err := w.step(ctx, conn, log)
		if err != nil {
			return err
		}
		if wait > 0 {
			if !w.wait(ctx, conn, wait) {
				return ctx.Err()
			}
		}
	}
}

// pending is one queued delivery.
type pending struct {
	id           int64
	notification string
	message      Message
	attempts     int
	nextAttempt  time.Time
	created      time.Time
	sourceTime   *time.Time
	// waited is how long it has been ready to send, by the database's clock: since its change
	// was committed (queued, for the daily and minutes passes), or since its retry time or
	// replay (a wait the service asked for is not falling behind).
	waited time.Duration
	// read is when the row was read: waited grows from then.
	read time.Time
	// payload is the message's request when sent alone, built beside the requests by a read
	// ahead; nil when not built.
	payload []byte
}

// step makes at most one request and returns how long to wait before the next step.
//
// The queue is read from the position of the last settled delivery, while the marks of what
// was sent commit. The outbox commits enqueues one at a time (Outbox.Enqueue, Outbox.Replay),
// so ids commit in order and nothing appears behind the position; a row made pending again gets
// a new id (`walnotify replay`). A session starts from the settled position: past the ranges
// its marker recorded and has not tidied yet (see marker), from the start when none waits. As
// a safety net, an empty read is repeated from there at most every Sweep.
func (w *Worker) step(ctx context.Context, conn *pgx.Conn, log *slog.Logger) (time.Duration, error) {
	// Reading by position needs no mark committed: what was sent is behind it. Reading from
	// the settled position needs them all, or it reads sent rows again.
	if w.restart {
		if err := w.marks.room(ctx, 0); err != nil {
			return 0, err
		}
		after, err := w.Outbox.settledUpTo(ctx, conn, w.Webhook, w.table)
		if err != nil {
			return 0, err
		}
		w.after, w.restart = after, false
	} else if err := w.marks.room(ctx, MarkWindow); err != nil {
		return 0, err
	}
	queue, err := w.next(ctx, conn)
	if err != nil {
		return 0, err
	}
	if len(queue) == 0 {
		if w.after > 0 {
			// Ids only grow, unless the state tables were dropped and made again: then ids
			// start over behind the position, and so must the position and the marks.
			table, err := w.tableOID(ctx, conn)
			if err != nil {
				return 0, err
			}
			changed := table != w.table
			if changed {
				if err := w.marks.room(ctx, 0); err != nil {
					return 0, err
				}
				w.table = table
				w.marks.setTable(table)
			}
			if changed || time.Since(w.swept) > w.Sweep {
				w.restart, w.swept = true, time.Now()
				return 0, nil
			}
		}
		return w.Poll, nil
	}
	now := time.Now()
	if d := queue[0].nextAttempt.Sub(now); d > 0 {
		return min(d, w.Poll), nil // the head waits for its retry time; order is kept
	}
	ready := 1
	for ready < len(queue) && !queue[ready].nextAttempt.After(now) {
		ready++
	}
	if ready == digestWindow {
		// A full page, all ready: the next is read while this one is sent, and its requests
		// built, unless this page goes as digests (the next would too).
		w.readAhead(ctx, conn, queue[ready-1].id, !w.digest(queue[:ready]))
	}
	// A short page, all ready, was the whole queue when it was read: what commits after that
	// read notifies (every enqueue and replay does), so once it is sent the queue is read again
	// at the notification, at once when one came meanwhile, not before. The sweep's empty read
	// stays due as it was.
	whole := len(queue) < digestWindow && ready == len(queue)
	// Send what was read, in order, before reading the queue again.
	for queue = queue[:ready]; len(queue) > 0; {
		n, more, err := w.send(ctx, conn, queue, log)
		if err != nil || !more {
			return 0, err
		}
		queue = queue[n:]
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
	}
	if whole && time.Since(w.swept) <= w.Sweep {
		return w.Poll, nil
	}
	return 0, nil
}

// send makes one request for the head of queue: a single message, or a digest. It returns how
// many deliveries it settled and whether the rest of queue may follow at once (false after a
// retry is scheduled or a digest was refused).
func (w *Worker) send(ctx context.Context, conn *pgx.Conn, queue []pending, log *slog.Logger) (int, bool, error) {
	if err := w.Limiter.Wait(ctx); err != nil {
		return 0, false, err
	}
	body, n, err := w.body(queue)
	if err != nil {
		// A message that cannot be encoded can never be sent.
		return 1, true, w.finish(ctx, conn, queue[:1], StatusDead, Answer{Verdict: Dead, Reason: err.Error()}, log)
	}
	batch := queue[:n]
	// Keep the unmarked window bounded: a crash resends at most MarkWindow deliveries, or
	// this one request when it alone holds more.
	if err := w.marks.room(ctx, max(MarkWindow-n, 0)); err != nil {
		return 0, false, err
	}
	// A request in flight is finished even when the worker is asked to stop (see inflight).
	ctx = w.inflight
	start := time.Now()
	ans := postTo(ctx, w.Client, w.svc, w.target, body)
	w.measure(time.Since(start))
	switch {
	case ans.Verdict == Delivered:
		return n, true, w.finish(ctx, conn, batch, StatusDelivered, ans, log)
	case ans.Verdict == Dead && len(batch) > 1:
		w.singleUntil = batch[len(batch)-1].id
		log.Warn("digest refused; sending its messages one by one", "count", len(batch), "answer", ans.String())
		return 0, false, nil
	case ans.Verdict == Dead:
		return n, true, w.finish(ctx, conn, batch, StatusDead, ans, log)
	}
	return 0, false, w.retry(ctx, conn, batch, ans, log)
}

// body is the request for the head of the queue: one message, or a digest of as many as fit
// when the webhook is more than DigestAfter behind (see backlogged).
func (w *Worker) body(queue []pending) ([]byte, int, error) {
	if w.svcErr != nil {
		return nil, 0, w.svcErr
	}
	if w.digest(queue) {
		ms := make([]Message, len(queue))
		for i := range queue {
			ms[i] = queue[i].message
		}
		return w.svc.DigestBody(ms, w.Labels)
	}
	if queue[0].payload != nil {
		return queue[0].payload, 1, nil
	}
	w.built.Add(1)
	b, err := w.svc.Payload(queue[0].message, w.Labels)
	return b, 1, err
}

// digest reports whether the head of queue goes as a digest: the webhook is behind (see
// backlogged), and no digest holding it was refused.
func (w *Worker) digest(queue []pending) bool {
	return w.backlogged(len(queue), queue[0].waited+time.Since(queue[0].read)) && queue[0].id > w.singleUntil
}

// prebuild builds the requests of a page read ahead, each message alone, while the previous
// page is sent: a request then goes out as soon as the answer before it came. A message that
// fails to build is left to body, which reports it.
func (w *Worker) prebuild(page []pending) {
	if w.svcErr != nil {
		return
	}
	for i := range page {
		if b, err := w.svc.Payload(page[i].message, w.Labels); err == nil {
			page[i].payload = b
			w.prebuilt.Add(1)
		}
	}
}

// backlogged reports whether the last of n ready deliveries, sent one by one, would go out
// more than DigestAfter after it was queued: the head has already waited waited, and the rest
// take the rate's time or the webhook's measured pace, whichever is slower. A backlog longer
// than one queue read shows by the head's wait.
func (w *Worker) backlogged(n int, waited time.Duration) bool {
	limit := w.Limiter.Limit()
	if n < 2 {
		return false
	}
	if limit <= 0 {
		return true
	}
	behind := 0.0
	if limit != rate.Inf {
		behind = (float64(n) - w.Limiter.Tokens()) / float64(limit)
	}
	// A service slower than the rate sets the pace itself (issue 9 item 10).
	behind = max(behind, float64(n-1)*w.pace.Seconds())
	return waited.Seconds()+behind > w.DigestAfter.Seconds()
}

// measure folds the duration of one request into pace.
func (w *Worker) measure(d time.Duration) {
	if w.pace == 0 {
		w.pace = d
		return
	}
	w.pace = (7*w.pace + 3*d) / 10
}

func ids(batch []pending) []int64 {
	out := make([]int64, len(batch))
	for i := range batch {
		out[i] = batch[i].id
	}
	return out
}

// next reads the queue from the position: the page read ahead when it starts there, or a
// new read.
func (w *Worker) next(ctx context.Context, conn *pgx.Conn) ([]pending, error) {
	ahead := w.ahead
	w.collect()
	if ahead != nil && ahead.from == w.after && ahead.err == nil {
		return ahead.page, nil
	}
	w.reads.Add(1)
	return w.Outbox.readQueue(ctx, conn, w.Webhook, w.after)
}

// readAhead starts reading the queue after id from on conn, beside the requests, and building
// the requests of what it read when build is set. Nothing else uses conn until collect.
func (w *Worker) readAhead(ctx context.Context, conn *pgx.Conn, from int64, build bool) {
	w.collect()
	a := &readAhead{from: from, done: make(chan struct{})}
	w.ahead = a
	go func() {
		defer close(a.done)
		a.page, a.err = w.Outbox.readQueue(ctx, conn, w.Webhook, from)
		if build {
			w.prebuild(a.page)
		}
	}()
}

// collect waits for the read ahead under way, if any, and drops it: the session's connection
// is free again.
func (w *Worker) collect() {
	if w.ahead != nil {
		<-w.ahead.done
		w.ahead = nil
	}
}

// readQueue reads the next pending deliveries of webhook after id after, at most digestWindow.
func (o *Outbox) readQueue(ctx context.Context, conn *pgx.Conn, webhook string, after int64) ([]pending, error) {
	rows, err := conn.Query(ctx, o.queueSQL(), webhook, after, digestWindow)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var queue []pending
	read := time.Now()
	for rows.Next() {
		p := pending{read: read}
		var raw []byte
		var waited float64
		if err := rows.Scan(&p.id, &p.notification, &raw, &p.attempts, &p.nextAttempt, &p.created, &p.sourceTime, &waited); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(raw, &p.message); err != nil {
			return nil, fmt.Errorf("delivery %d: decode message: %w", p.id, err)
		}
		p.waited = time.Duration(waited * float64(time.Second))
		queue = append(queue, p)
	}
	return queue, rows.Err()
}

// queueSQL reads the next pending deliveries of webhook $1 after id $2, at most $3, with how
// long each has waited (see pending.waited). A row's next_attempt_at equals its created_at
// until a retry or a replay moves it.
func (o *Outbox) queueSQL() string {
	return `SELECT id, notification, message, attempts, next_attempt_at, created_at, source_time,
  extract(epoch FROM now() - greatest(least(source_time, created_at),
    CASE WHEN next_attempt_at > created_at THEN next_attempt_at END))::float8
FROM ` + o.table("delivery") + ` WHERE webhook = $1 AND status = 'pending' AND id > $2 ORDER BY id LIMIT $3`
}

// finish marks a batch delivered or dead: the mark is handed to the marker, which commits it
// while the next request goes out.
func (w *Worker) finish(ctx context.Context, conn *pgx.Conn, batch []pending, status string, ans Answer, log *slog.Logger) error {
	// Delivered at the first attempt, as nearly all are: recorded as a range (see marker).
	// After retries, a row may have been marked dead meanwhile (Expire): its own mark says
	// what became of it.
	first := status == StatusDelivered
	for _, p := range batch {
		first = first && p.attempts == 0
	}
	w.marks.add(mark{ids: ids(batch), status: status, answer: ans.String(), byPosition: first})
	w.after = max(w.after, batch[len(batch)-1].id)
	now := time.Now()
	for _, p := range batch {
		if status == StatusDelivered {
			w.Metrics.sent(w.Webhook, p.notification, len(batch) > 1)
			if p.sourceTime != nil {
				w.Metrics.latency(w.Webhook, now.Sub(*p.sourceTime))
			}
		} else {
			w.Metrics.dead(w.Webhook, p.notification)
			log.Error("delivery dead", "notification", p.notification, "doctype", p.message.Doctype, "name", p.message.Name, "answer", ans.String())
		}
	}
	if status == StatusDelivered {
		log.Debug("delivered", "count", len(batch))
	}
	return nil
}

// retry schedules the batch again, or marks it dead once it is older than MaxAge.
func (w *Worker) retry(ctx context.Context, conn *pgx.Conn, batch []pending, ans Answer, log *slog.Logger) error {
	now := time.Now()
	wait := w.Backoff(batch[0].attempts + 1)
	if ans.RetryAfter > wait {
		wait = ans.RetryAfter
	}
	var expired, again []pending
	for _, p := range batch {
		if w.MaxAge > 0 && now.Add(wait).Sub(p.created) > w.MaxAge {
			expired = append(expired, p)
		} else {
			again = append(again, p)
		}
	}
	if len(expired) > 0 {
		ans.Reason = "gave up after " + w.MaxAge.String() + ": " + ans.Reason
		if err := w.finish(ctx, conn, expired, StatusDead, ans, log); err != nil {
			return err
		}
	}
	if len(again) == 0 {
		return nil
	}
	w.collect()
	_, err := conn.Exec(ctx, `UPDATE `+w.Outbox.table("delivery")+`
SET attempts = attempts + 1, last_answer = $2, next_attempt_at = $3 WHERE id = ANY($1)`, ids(again), ans.String(), now.Add(wait))
	if err != nil {
		return err
	}
	for _, p := range again {
		w.Metrics.retried(w.Webhook, p.notification)
	}
	log.Warn("delivery will be retried", "count", len(again), "in", wait.Round(time.Millisecond), "answer", ans.String())
	return nil
}

// wait blocks for d, or until a notification on the webhook's channel (new deliveries), or ctx
// is done; false when ctx is done. It returns at once when a notification came since the last
// wait, during a query. A timeout leaves the connection usable.
func (w *Worker) wait(ctx context.Context, conn *pgx.Conn, d time.Duration) bool {
	w.collect()
	if !w.notified.Load() {
		wctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		conn.PgConn().WaitForNotification(wctx)
	}
	w.notified.Store(false)
	return ctx.Err() == nil
}

// tableOID is the delivery table's oid, 0 when it is missing.
func (w *Worker) tableOID(ctx context.Context, conn *pgx.Conn) (uint32, error) {
	var oid *uint32
	if err := conn.QueryRow(ctx, `SELECT to_regclass($1)::oid`, w.Outbox.table("delivery")).Scan(&oid); err != nil {
		return 0, fmt.Errorf("outbox: look up the delivery table: %w", err)
	}
	if oid == nil {
		return 0, nil
	}
	return *oid, nil
}

func (w *Worker) grace() time.Duration { return cmp.Or(w.Grace, 10*time.Second) }

func (w *Worker) sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// Purge deletes delivered, dead and empty rows finished more than retention ago, in small
// batches, and returns how many it removed. It first tidies the ranges no worker tidied (see
// Tidy): their rows are delivered, and only a tidied row says when it was.
func (o *Outbox) Purge(ctx context.Context, retention time.Duration) (int64, error) {
	if _, err := o.Tidy(ctx); err != nil {
		return 0, err
	}
	var total int64
	for {
		tag, err := o.pool.Exec(ctx, `DELETE FROM `+o.table("delivery")+` WHERE id IN (
  SELECT id FROM `+o.table("delivery")+` WHERE status <> 'pending' AND finished_at < now() - $1::interval LIMIT 1000)`, retention.String())
		if err != nil {
			return total, fmt.Errorf("outbox: purge: %w", err)
		}
		total += tag.RowsAffected()
		if tag.RowsAffected() < 1000 {
			return total, nil
		}
	}
}
