package sender

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/time/rate"

	"walnotify/internal/poll"
	"walnotify/internal/webhooktest"
	"walnotify/rules"
)

// url is a hook's address as a secret, with a token-like path to look for in logs.
func hookURL(h *webhooktest.Hook) rules.Secret { return rules.NewSecret(h.URL + r_url) }

type workerOpt func(*Worker)

func startWorker(t *testing.T, o *Outbox, name string, h *webhooktest.Hook, log io.Writer, opts ...workerOpt) {
	t.Helper()
	w := &Worker{
		Outbox: o, Webhook: name, Service: rules.Slack, URL: hookURL(h), Labels: LabelsFor("en"),
		Client: NewClient(5 * time.Second), Limiter: rate.NewLimiter(rate.Inf, 1),
		MaxAge: time.Hour, Backoff: func(int) time.Duration { return 20 * time.Millisecond },
		Poll: time.Minute, Logger: slog.New(slog.NewTextHandler(log, nil)),
	}
	for _, opt := range opts {
		opt(w)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

func enqueueN(t *testing.T, o *Outbox, webhook string, from, n int) {
	t.Helper()
	var es []Entry
	for i := from; i < from+n; i++ {
		es = append(es, entry(fmt.Sprintf("%s-%04d", webhook, i), "n", webhook))
	}
	if _, err := o.Enqueue(context.Background(), Batch{Entries: es}); err != nil {
		t.Fatal(err)
	}
}

// wantOrder checks the requests a webhook received, failed attempts included: each of the
// messages 0..n-1 of webhook was sent, and no request carried a message while one before it
// still waited (each request starts with a message no earlier than the previous one's first).
func wantOrder(t *testing.T, h *webhooktest.Hook, webhook string, n int) {
	t.Helper()
	re := regexp.MustCompile(`text of ` + regexp.QuoteMeta(webhook) + `-(\d{4})`)
	sent := make([]bool, n)
	prev := -1
	for i, r := range h.Requests() {
		head := -1
		for _, m := range re.FindAllStringSubmatch(r.Text(), -1) {
			k, _ := strconv.Atoi(m[1])
			if k < n {
				sent[k] = true
			}
			if head < 0 || k < head {
				head = k
			}
		}
		if head < prev {
			t.Fatalf("request %d starts with message %d after a request that started with %d: a message was sent while one before it waited", i, head, prev)
		}
		prev = max(prev, head)
	}
	for k, ok := range sent {
		if !ok {
			t.Fatalf("message %d of %s never sent", k, webhook)
		}
	}
}

func TestWorkerDeliversInOrder(t *testing.T) {
	o, _ := newOutbox(t)
	h := webhooktest.New(t, nil)
	startWorker(t, o, "a", h, io.Discard)
	enqueueN(t, o, "a", 0, 5)
	poll.Until(t, 10*time.Second, "5 deliveries", func() bool { return count(t, o, "status = 'delivered'") == 5 })
	wantOrder(t, h, "a", 5)
}

func TestFailingWebhookWaitsInOrderWhileAnotherFlows(t *testing.T) {
	o, _ := newOutbox(t)
	var failing atomic.Bool // webhook "a" answers 500 until it recovers
	failing.Store(true)
	a := webhooktest.New(t, func(n int, w http.ResponseWriter) {
		if failing.Load() {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		io.WriteString(w, "ok")
	})
	b := webhooktest.New(t, nil)
	fast := func(w *Worker) { w.Poll = 50 * time.Millisecond }
	startWorker(t, o, "a", a, io.Discard, fast)
	startWorker(t, o, "b", b, io.Discard, fast)
	enqueueN(t, o, "a", 0, 10)
	enqueueN(t, o, "b", 0, 10)
	poll.Until(t, 10*time.Second, "b delivered while a fails", func() bool { return count(t, o, "webhook = 'b' AND status = 'delivered'") == 10 })
	// More attempts than messages: a worker that sent the others while the head waited shows.
	poll.Until(t, 10*time.Second, "a retried", func() bool { return len(a.Requests()) >= 12 })
	wantOrder(t, a, "a", 1)
	if got := count(t, o, "webhook = 'a' AND status = 'pending'"); got != 10 {
		t.Fatalf("a has %d pending while failing, want 10", got)
	}
	failing.Store(false)
	poll.Until(t, 10*time.Second, "a delivered after recovery", func() bool { return count(t, o, "webhook = 'a' AND status = 'delivered'") == 10 })
	wantOrder(t, a, "a", 10)
}

func TestRetryAfterIsHonoured(t *testing.T) {
	o, _ := newOutbox(t)
	h := webhooktest.New(t, func(n int, w http.ResponseWriter) {
		if n == 1 {
			w.Header().Set("Retry-After", "2")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		io.WriteString(w, "ok")
	})
	startWorker(t, o, "a", h, io.Discard)
	enqueueN(t, o, "a", 0, 1)
	poll.Until(t, 10*time.Second, "delivered after 429", func() bool { return count(t, o, "status = 'delivered'") == 1 })
	reqs := h.Requests()
	gap := reqs[1].At.Sub(reqs[0].At)
	if gap < 2*time.Second {
		t.Fatalf("second attempt %s after the 429, want at least 2s", gap)
	}
}

func TestPermanentAnswersAreDeadAtOnce(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		want   string
	}{
		{"slack invalid_payload", 400, "invalid_payload", "invalid_payload"},
		{"404", 404, "channel_not_found", "HTTP 404"},
		{"410", 410, "channel_is_archived", "HTTP 410"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, _ := newOutbox(t)
			h := webhooktest.New(t, func(n int, w http.ResponseWriter) {
				if n == 1 {
					w.WriteHeader(tc.status)
					io.WriteString(w, tc.body)
					return
				}
				io.WriteString(w, "ok")
			})
			startWorker(t, o, "a", h, io.Discard)
			enqueueN(t, o, "a", 0, 2)
			poll.Until(t, 10*time.Second, "second delivery after the dead one", func() bool { return count(t, o, "status = 'delivered'") == 1 })
			var answer string
			var attempts int
			o.pool.QueryRow(context.Background(), `SELECT last_answer, attempts FROM walnotify.delivery WHERE status = 'dead'`).Scan(&answer, &attempts)
			if !strings.Contains(answer, tc.want) || attempts != 1 {
				t.Fatalf("dead answer %q after %d attempts, want %q after 1", answer, attempts, tc.want)
			}
		})
	}
}

func TestBacklogIsCoalescedIntoDigests(t *testing.T) {
	o, _ := newOutbox(t)
	h := webhooktest.New(t, nil)
	enqueueN(t, o, "a", 0, 200)
	startWorker(t, o, "a", h, io.Discard, func(w *Worker) { w.Limiter = rate.NewLimiter(1, 1) })
	poll.Until(t, 20*time.Second, "200 delivered", func() bool { return count(t, o, "status = 'delivered'") == 200 })
	if n := len(h.Requests()); n > 10 {
		t.Errorf("200 notifications took %d requests at 1/s; want digests", n)
	}
	for i, txt := range h.Texts() {
		if runes(txt) > 12000 {
			t.Errorf("request %d holds %d characters, over Slack's limit", i, runes(txt))
		}
	}
	wantOrder(t, h, "a", 200)
}

// TestAQueueFallenBehindGoesAsDigestsAtAnyRate: messages that waited more than a second (a
// backlog longer than one queue read, a webhook that was down) go as digests even on a webhook
// with no rate limit answering at once, and their pages read ahead build no single requests;
// fresh ones go one by one.
func TestAQueueFallenBehindGoesAsDigestsAtAnyRate(t *testing.T) {
	o, db := newOutbox(t)
	h := webhooktest.New(t, nil)
	enqueueN(t, o, "a", 0, 300)
	db.Exec(t, `UPDATE walnotify.delivery SET created_at = now() - interval '5 seconds', next_attempt_at = now() - interval '5 seconds'`)
	var worker *Worker
	startWorker(t, o, "a", h, io.Discard, func(w *Worker) { worker = w })
	poll.Until(t, 20*time.Second, "300 delivered", func() bool { return count(t, o, "status = 'delivered'") == 300 })
	if n := len(h.Requests()); n > 10 {
		t.Errorf("300 notifications 5 s behind took %d requests; want digests", n)
	}
	if n := worker.prebuilt.Load(); n != 0 {
		t.Errorf("%d single requests built ahead for messages sent as digests, want none", n)
	}
	wantOrder(t, h, "a", 300)
	enqueueN(t, o, "a", 300, 3)
	poll.Until(t, 20*time.Second, "3 more delivered", func() bool { return count(t, o, "status = 'delivered'") == 303 })
	if got := h.Texts()[len(h.Texts())-3:]; !reflect.DeepEqual(got, []string{"text of a-0300", "text of a-0301", "text of a-0302"}) {
		t.Errorf("fresh messages after the backlog: %q, want one request each", got)
	}
}

func TestTooOldDeliveriesAreDead(t *testing.T) {
	o, _ := newOutbox(t)
	h := webhooktest.New(t, func(n int, w http.ResponseWriter) { w.WriteHeader(http.StatusBadGateway) })
	startWorker(t, o, "a", h, io.Discard, func(w *Worker) { w.MaxAge = 100 * time.Millisecond })
	enqueueN(t, o, "a", 0, 1)
	poll.Until(t, 10*time.Second, "dead after max age", func() bool { return count(t, o, "status = 'dead' AND last_answer LIKE '%gave up%'") == 1 })
}

func TestWebhookURLNeverReachesLogs(t *testing.T) {
	o, _ := newOutbox(t)
	h := webhooktest.New(t, func(n int, w http.ResponseWriter) {
		if n < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "bad gateway for "+r_url)
			return
		}
		w.WriteHeader(http.StatusNotFound)
	})
	var logs bytes.Buffer
	var mu sync.Mutex
	startWorker(t, o, "a", h, lockedWriter{&mu, &logs})
	enqueueN(t, o, "a", 0, 1)
	poll.Until(t, 10*time.Second, "dead", func() bool { return count(t, o, "status = 'dead'") == 1 })
	mu.Lock()
	defer mu.Unlock()
	var answers string
	o.pool.QueryRow(context.Background(), `SELECT string_agg(coalesce(last_answer, ''), ' ') FROM walnotify.delivery`).Scan(&answers)
	for _, text := range []string{logs.String(), answers} {
		if strings.Contains(text, "SECRETTOKEN") || strings.Contains(text, h.URL) {
			t.Fatalf("webhook URL leaked:\n%s", text)
		}
	}
	if !strings.Contains(logs.String(), "delivery dead") {
		t.Fatalf("logs do not report the dead delivery:\n%s", logs.String())
	}
}

// r_url is echoed by a hostile webhook in its error body.
const r_url = "/services/T0/B0/SECRETTOKEN"

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestShortBurstsGoOneByOneAndLargerBacklogsAsDigests(t *testing.T) {
	tests := []struct {
		name    string
		limit   rate.Limit
		burst   int
		pending int
		want    bool
		waited  time.Duration
	}{
		{"one message", 1, 3, 1, false, 0},
		{"a burst the bucket holds", 1, 3, 3, false, 0},
		{"one second behind is still fine", 1, 3, 4, false, 0},
		{"more than a second behind", 1, 3, 6, true, 0},
		{"a fast webhook never digests a small queue", 100, 10, 50, false, 0},
		{"no limit and fresh messages never digest", rate.Inf, 1, 100, false, 0},
		{"a head that waited more than a second: digests, even with no limit", rate.Inf, 1, 2, true, 1100 * time.Millisecond},
		{"a head that waited less, the rest at the rate within the second", 1, 10, 5, false, 900 * time.Millisecond},
		{"a head that waited less, the rest at the rate past the second", 1, 3, 5, true, 900 * time.Millisecond},
		{"a single message however old", rate.Inf, 1, 1, false, time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &Worker{Limiter: rate.NewLimiter(tt.limit, tt.burst), DigestAfter: time.Second}
			if got := w.backlogged(tt.pending, tt.waited); got != tt.want {
				t.Errorf("backlogged(%d, %s) = %v, want %v", tt.pending, tt.waited, got, tt.want)
			}
		})
	}
}

// TestOneInstanceDeliversAWebhookAtATime guards "one instance delivers a webhook at a time":
// while the worker of one instance has a request in flight, the worker of a second instance
// for the same webhook keeps asking for the webhook's lock and sends nothing. The test waits
// for two refused lock attempts of the second, so it decides the same way every run.
func TestOneInstanceDeliversAWebhookAtATime(t *testing.T) {
	o, db := newOutbox(t)
	cfg, err := pgxpool.ParseConfig(db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["application_name"] = "second instance"
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	second := NewOutbox(pool, "walnotify", "walnotify")

	release := make(chan struct{})
	var mu sync.Mutex
	inFlight, most := 0, 0
	h := webhooktest.New(t, func(n int, w http.ResponseWriter) {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		mu.Unlock()
		defer func() { mu.Lock(); inFlight--; mu.Unlock() }()
		if n == 1 {
			<-release // the first request stays in flight until the second instance was refused twice
		}
		io.WriteString(w, "ok")
	})
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()
	enqueueN(t, o, "a", 0, 3)
	fast := func(w *Worker) { w.Poll = 20 * time.Millisecond }
	startWorker(t, o, "a", h, io.Discard, fast)
	poll.Until(t, 10*time.Second, "the first instance's request in flight", func() bool { return len(h.Requests()) == 1 })
	startWorker(t, second, "a", h, io.Discard, fast)

	conn := db.Conn(t)
	refused := map[time.Time]bool{} // start times of the second instance's lock attempts
	poll.Until(t, 10*time.Second, "the second instance refused the lock twice", func() bool {
		if n := len(h.Requests()); n > 1 {
			t.Fatalf("the second instance sent while the first had a request in flight (%d requests)", n)
		}
		var started time.Time
		err := conn.QueryRow(context.Background(), `SELECT query_start FROM pg_stat_activity
WHERE application_name = 'second instance' AND query LIKE '%pg_try_advisory_lock%'`).Scan(&started)
		if err == nil {
			refused[started] = true
		}
		return len(refused) >= 2
	})
	close(release)
	poll.Until(t, 10*time.Second, "3 delivered", func() bool { return count(t, o, "status = 'delivered'") == 3 })
	mu.Lock()
	defer mu.Unlock()
	if n := len(h.Requests()); n != 3 || most != 1 {
		t.Errorf("%d requests for 3 messages, at most %d at once; want 3, 1", n, most)
	}
}

// stopWithARequestInFlight queues n messages for a worker with the given grace whose webhook
// holds its first request, stops the worker while that request waits, lets the webhook answer
// after answerAfter (never, when 0), and returns once the worker has stopped, failing when it
// takes longer than within.
func stopWithARequestInFlight(t *testing.T, n int, grace, answerAfter, within time.Duration) (*Outbox, *webhooktest.Hook) {
	t.Helper()
	o, _ := newOutbox(t)
	release := make(chan struct{})
	h := webhooktest.New(t, func(int, http.ResponseWriter) { <-release })
	var once sync.Once
	answer := func() { once.Do(func() { close(release) }) }
	defer answer()
	w := &Worker{
		Outbox: o, Webhook: "a", Service: rules.Slack, URL: hookURL(h), Labels: LabelsFor("en"),
		Client: NewClient(time.Minute), Limiter: rate.NewLimiter(rate.Inf, 1), Poll: 20 * time.Millisecond,
		Grace: grace, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	enqueueN(t, o, "a", 0, n)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	poll.Until(t, 10*time.Second, "the request in flight", func() bool { return len(h.Requests()) == 1 })
	cancel()
	if answerAfter > 0 {
		time.Sleep(answerAfter) // the stop is under way while the request waits
		answer()
	}
	select {
	case <-done:
	case <-time.After(within):
		t.Fatalf("the worker did not stop within %s of its cancellation, grace %s", within, grace)
	}
	return o, h
}

// TestStopIsBoundedByTheGrace: a request in flight is given the grace to finish, not the
// client's whole timeout; the delivery stays pending, to be sent again.
func TestStopIsBoundedByTheGrace(t *testing.T) {
	o, _ := stopWithARequestInFlight(t, 1, 200*time.Millisecond, 0, 5*time.Second)
	if n := count(t, o, "status = 'pending'"); n != 1 {
		t.Errorf("%d pending after the stop, want 1 (sent again at the next start)", n)
	}
}

// TestARequestInFlightAtAStopFinishesAndIsRecorded: a worker asked to stop lets the request
// under way finish within the grace and records its answer, so the message is not sent again
// at the next start.
func TestARequestInFlightAtAStopFinishesAndIsRecorded(t *testing.T) {
	o, h := stopWithARequestInFlight(t, 2, 10*time.Second, 100*time.Millisecond, 15*time.Second)
	if n := count(t, o, "status = 'delivered' AND source_key = 'a-0000'"); n != 1 {
		t.Errorf("the message answered after the stop began is not recorded delivered (it would be sent again)")
	}
	if n := len(h.Requests()); n != 1 {
		t.Errorf("%d requests after the stop began, want the one in flight only", n)
	}
}

// TestTheNextPageIsReadWhileOneIsSent: a backlog of several pages is read a page ahead, and its
// requests built then, the requests waiting for no queue read but the first; a page read ahead
// is dropped when the queue stops behind it (a retry), so nothing is skipped and order holds.
func TestTheNextPageIsReadWhileOneIsSent(t *testing.T) {
	o, _ := newOutbox(t)
	const n = 5*digestWindow + 10
	enqueueN(t, o, "a", 0, n)
	h := answerOnce(t, 50, http.StatusServiceUnavailable)
	var worker *Worker
	startWorker(t, o, "a", h, io.Discard, func(w *Worker) { w.DigestAfter, w.Sweep, worker = time.Hour, time.Hour, w })
	poll.Until(t, 30*time.Second, "all delivered", func() bool { return count(t, o, "status = 'delivered'") == n })
	wantOrder(t, h, "a", n)
	if got := len(h.Requests()); got != n+1 {
		t.Errorf("%d requests for %d messages and one retry", got, n)
	}
	// The first read, two after the retry (one finds the head waiting for its retry time),
	// and the empty one after the last page; 9 without reading ahead.
	if r := worker.reads.Load(); r > 4 {
		t.Errorf("the requests waited for %d queue reads of %d pages, want at most 4", r, n/digestWindow+1)
	}
	// The first page's 51 (the retried one twice) and the page read after the retry; 511
	// without building ahead.
	if b := worker.built.Load(); b > 2*digestWindow {
		t.Errorf("%d of %d requests built while the webhook waited, want at most the two pages not read ahead", b, n+1)
	}
}

// TestAPageReadAheadIsDroppedWhenADigestIsRefused: a digest refused for good sends its
// messages again one by one, from the head; the page read ahead behind it is not used.
func TestAPageReadAheadIsDroppedWhenADigestIsRefused(t *testing.T) {
	o, _ := newOutbox(t)
	const n = 3*digestWindow + 10
	enqueueN(t, o, "a", 0, n)
	h := answerOnce(t, 1, http.StatusBadRequest)
	startWorker(t, o, "a", h, io.Discard, func(w *Worker) { w.DigestAfter, w.Sweep = time.Nanosecond, time.Hour })
	poll.Until(t, 30*time.Second, "all delivered", func() bool { return count(t, o, "status = 'delivered'") == n })
	wantOrder(t, h, "a", n)
	if len(h.Requests()) < digestWindow+1 {
		t.Errorf("%d requests: the refused digest's messages did not go one by one", len(h.Requests()))
	}
}

// answerOnce is a webhook that answers status to its request number k and ok to the others.
func answerOnce(t *testing.T, k, status int) *webhooktest.Hook {
	return webhooktest.New(t, func(n int, w http.ResponseWriter) {
		if n == k {
			w.WriteHeader(status)
			return
		}
		io.WriteString(w, "ok")
	})
}

// TestChangesCommittedLongAgoGoAsDigests: how far behind a webhook is counts from when the
// change was committed, not from when walnotify queued it: after walnotify was stopped, or
// while it catches up with the WAL, changes made seconds ago are a backlog, and go as digests
// even on a webhook with no rate limit; changes just made go one by one.
func TestChangesCommittedLongAgoGoAsDigests(t *testing.T) {
	o, _ := newOutbox(t)
	h := webhooktest.New(t, nil)
	var es []Entry
	for i := range 300 {
		e := entry(fmt.Sprintf("a-%04d", i), "n", "a")
		e.SourceTime = time.Now().Add(-5 * time.Second)
		es = append(es, e)
	}
	if _, err := o.Enqueue(context.Background(), Batch{Entries: es}); err != nil {
		t.Fatal(err)
	}
	startWorker(t, o, "a", h, io.Discard)
	poll.Until(t, 20*time.Second, "300 delivered", func() bool { return count(t, o, "status = 'delivered'") == 300 })
	if n := len(h.Requests()); n > 10 {
		t.Errorf("300 notifications of changes committed 5 s ago took %d requests; want digests", n)
	}
	wantOrder(t, h, "a", 300)
	enqueueN(t, o, "a", 300, 3) // committed now
	poll.Until(t, 20*time.Second, "3 more delivered", func() bool { return count(t, o, "status = 'delivered'") == 303 })
	if got := h.Texts()[len(h.Texts())-3:]; !reflect.DeepEqual(got, []string{"text of a-0300", "text of a-0301", "text of a-0302"}) {
		t.Errorf("fresh messages after the backlog: %q, want one request each", got)
	}
}

// TestAShortPageIsReadAgainOnlyAtANotification: once the whole queue, read in a short page,
// is sent, the worker waits for the next enqueue's notification instead of reading an empty
// queue; one that came while a request was in flight wakes it at once. Poll is a minute, so a
// wake-up missed would time the test out.
func TestAShortPageIsReadAgainOnlyAtANotification(t *testing.T) {
	o, _ := newOutbox(t)
	inFlight, release := make(chan struct{}), make(chan struct{})
	h := webhooktest.New(t, func(n int, w http.ResponseWriter) {
		if n == 3 {
			close(inFlight)
			<-release
		}
		io.WriteString(w, "ok")
	})
	var worker *Worker
	startWorker(t, o, "a", h, io.Discard, func(w *Worker) { w.Sweep, worker = time.Hour, w })
	const n = 5
	for i := range n {
		enqueueN(t, o, "a", i, 1)
		if i == 3 {
			// The fifth message is queued while the fourth's request is in flight.
			<-inFlight
			enqueueN(t, o, "a", n-1, 1)
			close(release)
			break
		}
		poll.Until(t, 10*time.Second, fmt.Sprintf("message %d delivered", i), func() bool { return len(h.Requests()) == i+1 })
	}
	poll.Until(t, 10*time.Second, "all delivered", func() bool { return len(h.Requests()) == n })
	wantOrder(t, h, "a", n)
	// The empty read at the session's start, then one read for each message but the fifth,
	// which the fourth's wake-up or the notification during its request finds; two a message
	// when each short page was read again at once.
	if r := worker.reads.Load(); r > n+1 {
		t.Errorf("%d queue reads for %d messages enqueued one by one, want at most %d", r, n, n+1)
	}
}
