package sender

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"walnotify/rules"
)

// BenchmarkDelivery is one webhook's worker draining b.N queued messages, one request each,
// against a local receiver; BenchmarkDelivery/reference is a serial keep-alive client posting
// as many requests of the same size to the same receiver. Compare the two of one run.
func BenchmarkDelivery(b *testing.B) {
	var got atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		got.Add(1)
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	hook := srv.URL
	o, _ := newOutbox(b)
	run := 0
	b.Run("worker", func(b *testing.B) {
		run++
		const batch = 1000
		for i := 0; i < b.N; i += batch {
			var es []Entry
			for j := i; j < min(i+batch, b.N); j++ {
				es = append(es, entry(fmt.Sprintf("bench-%d-%d-%07d", run, b.N, j), "n", "bench"))
			}
			if _, err := o.Enqueue(context.Background(), Batch{Entries: es}); err != nil {
				b.Fatal(err)
			}
		}
		got.Store(0)
		w := &Worker{
			Outbox: o, Webhook: "bench", Service: rules.Slack, URL: rules.NewSecret(hook + "/hook"), Labels: LabelsFor("en"),
			Client: NewClient(5 * time.Second), Limiter: rate.NewLimiter(rate.Inf, 1),
			MaxAge: time.Hour, Poll: time.Second, DigestAfter: time.Hour, // one request a message: the per-request pace
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		b.ResetTimer()
		go func() { w.Run(ctx); close(done) }()
		deadline := time.Now().Add(5 * time.Minute)
		for got.Load() < int64(b.N) {
			if time.Now().After(deadline) {
				b.Fatalf("%d of %d delivered after 5 minutes", got.Load(), b.N)
			}
			time.Sleep(time.Millisecond)
		}
		b.StopTimer()
		cancel()
		<-done
	})
	b.Run("reference", func(b *testing.B) {
		body, err := Payload(rules.Slack, entry("bench-ref-0000000", "n", "bench").Message, LabelsFor("en"))
		if err != nil {
			b.Fatal(err)
		}
		client := NewClient(5 * time.Second)
		for b.Loop() {
			resp, err := client.Post(hook+"/ref", "application/json", bytes.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
}

// BenchmarkPost is Post beside a plain client posting the same body to the same receiver, no
// database: what walnotify adds to a request (building it, reading and classifying the answer,
// scrubbing the URL from it).
func BenchmarkPost(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	body, _ := Payload(rules.Slack, entry("bench-ref-0000000", "n", "bench").Message, LabelsFor("en"))
	b.Run("Post", func(b *testing.B) {
		c := NewClient(5 * time.Second)
		u := rules.NewSecret(srv.URL + "/hook")
		for b.Loop() {
			if a := Post(context.Background(), c, rules.Slack, u, body); a.Verdict != Delivered {
				b.Fatal(a)
			}
		}
	})
	b.Run("client", func(b *testing.B) {
		c := NewClient(5 * time.Second)
		for b.Loop() {
			resp, err := c.Post(srv.URL+"/ref", "application/json", bytes.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
}
