package sender

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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

func wantTexts(t *testing.T, got []string, webhook string, n int) {
	t.Helper()
	joined := strings.Join(got, "\n")
	last := -1
	for i := range n {
		want := fmt.Sprintf("text of %s-%04d", webhook, i)
		at := strings.Index(joined, want)
		if at < 0 {
			t.Fatalf("%q never delivered", want)
		}
		if at < last {
			t.Fatalf("%q delivered out of order", want)
		}
		last = at
	}
}

func TestWorkerDeliversInOrder(t *testing.T) {
	o, _ := newOutbox(t)
	h := webhooktest.New(t, nil)
	startWorker(t, o, "a", h, io.Discard)
	enqueueN(t, o, "a", 0, 5)
	poll.Until(t, 10*time.Second, "5 deliveries", func() bool { return count(t, o, "status = 'delivered'") == 5 })
	wantTexts(t, h.Texts(), "a", 5)
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
	startWorker(t, o, "a", a, io.Discard)
	startWorker(t, o, "b", b, io.Discard)
	enqueueN(t, o, "a", 0, 10)
	enqueueN(t, o, "b", 0, 10)
	poll.Until(t, 10*time.Second, "b delivered while a fails", func() bool { return count(t, o, "webhook = 'b' AND status = 'delivered'") == 10 })
	poll.Until(t, 10*time.Second, "a retried", func() bool { return len(a.Requests()) >= 3 })
	if got := count(t, o, "webhook = 'a' AND status = 'pending'"); got != 10 {
		t.Fatalf("a has %d pending while failing, want 10", got)
	}
	failing.Store(false)
	poll.Until(t, 10*time.Second, "a delivered after recovery", func() bool { return count(t, o, "webhook = 'a' AND status = 'delivered'") == 10 })
	wantTexts(t, a.Texts(), "a", 10)
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
	wantTexts(t, h.Texts(), "a", 200)
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
	}{
		{"one message", 1, 3, 1, false},
		{"a burst the bucket holds", 1, 3, 3, false},
		{"one second behind is still fine", 1, 3, 4, false},
		{"more than a second behind", 1, 3, 6, true},
		{"a fast webhook never digests a small queue", 100, 10, 50, false},
		{"no limit never digests", rate.Inf, 1, 100, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &Worker{Limiter: rate.NewLimiter(tt.limit, tt.burst)}
			if got := w.backlogged(tt.pending); got != tt.want {
				t.Errorf("backlogged(%d) = %v, want %v", tt.pending, got, tt.want)
			}
		})
	}
}
