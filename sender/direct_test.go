package sender

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"walnotify/rules"
)

// connCount counts the connections made to a server and closed.
type connCount struct{ opened, closed atomic.Int32 }

// countingServer starts a webhook answering with handler, its http.Server first given to setup
// (when not nil), and counts its connections.
func countingServer(t *testing.T, tls bool, setup func(*http.Server), handler http.HandlerFunc) (*httptest.Server, *connCount) {
	t.Helper()
	var c connCount
	srv := httptest.NewUnstartedServer(handler)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		switch s {
		case http.StateNew:
			c.opened.Add(1)
		case http.StateClosed:
			c.closed.Add(1)
		}
	}
	if setup != nil {
		setup(srv.Config)
	}
	if tls {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv, &c
}

func ok(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) }

// postN posts n times to url with client and requires every answer delivered.
func postN(t *testing.T, client *http.Client, url string, n int) {
	t.Helper()
	for i := range n {
		if a := Post(context.Background(), client, rules.Slack, secretWebhook(url), []byte(`{}`)); a.Verdict != Delivered {
			t.Fatalf("request %d: %s, want delivered", i+1, a)
		}
	}
}

func TestRequestsShareOneKeepAliveConnection(t *testing.T) {
	for _, tls := range []bool{false, true} {
		srv, conns := countingServer(t, tls, nil, func(w http.ResponseWriter, r *http.Request) {
			if r.ProtoMajor != 1 {
				t.Errorf("request over %s, want HTTP/1.1", r.Proto)
			}
			ok(w, r)
		})
		client := NewClient(5 * time.Second)
		if tls {
			client.Transport.(*directTransport).fallback.TLSClientConfig = srv.Client().Transport.(*http.Transport).TLSClientConfig
		}
		postN(t, client, srv.URL, 20)
		if n := conns.opened.Load(); n != 1 {
			t.Errorf("tls %v: 20 requests made %d connections, want 1", tls, n)
		}
	}
}

func TestAConnectionTheServerClosedIsNotReused(t *testing.T) {
	srv, conns := countingServer(t, false, func(s *http.Server) { s.IdleTimeout = 20 * time.Millisecond }, ok)
	client := NewClient(5 * time.Second)
	postN(t, client, srv.URL, 1)
	time.Sleep(200 * time.Millisecond) // the server closes the idle connection
	postN(t, client, srv.URL, 1)
	if n := conns.opened.Load(); n != 2 {
		t.Errorf("%d connections, want 2", n)
	}
}

func TestAConnectionIsReusedOnlyWhenItsAnswerEndedCleanly(t *testing.T) {
	long := strings.Repeat("x", 1<<20)
	for _, c := range []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"Connection: close", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Connection", "close")
			_, _ = w.Write([]byte("ok"))
		}},
		{"body longer than what is read", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(long)) }},
	} {
		srv, conns := countingServer(t, false, nil, c.handler)
		postN(t, NewClient(5*time.Second), srv.URL, 3)
		if n := conns.opened.Load(); n != 3 {
			t.Errorf("%s: 3 requests made %d connections, want 3", c.name, n)
		}
	}
}

func TestTheRestOfAnAnswerIsNotRead(t *testing.T) {
	srv, _ := countingServer(t, false, nil, func(w http.ResponseWriter, r *http.Request) {
		for r.Context().Err() == nil {
			if _, err := w.Write([]byte(strings.Repeat("x", 4096))); err != nil {
				return
			}
			w.(http.Flusher).Flush()
		}
	})
	done := make(chan Answer, 1)
	go func() {
		done <- Post(context.Background(), NewClient(time.Minute), rules.Slack, secretWebhook(srv.URL), []byte(`{}`))
	}()
	select {
	case a := <-done:
		if a.Verdict != Delivered {
			t.Errorf("%s, want delivered", a)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no answer after 5 s: the rest of an endless answer is being read")
	}
}

func TestATimedOutRequestLeavesNoConnectionBehind(t *testing.T) {
	var stuck atomic.Bool
	stuck.Store(true)
	release := make(chan struct{})
	srv, conns := countingServer(t, false, nil, func(w http.ResponseWriter, r *http.Request) {
		if stuck.Load() {
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		ok(w, r)
	})
	t.Cleanup(func() { close(release) }) // before the server's Close, which waits for the handler
	client := NewClient(100 * time.Millisecond)
	a := Post(context.Background(), client, rules.Slack, secretWebhook(srv.URL), []byte(`{}`))
	if a.Verdict != Retry || !strings.HasPrefix(a.Reason, "timeout:") {
		t.Fatalf("stuck server: %s, want retry: timeout", a)
	}
	stuck.Store(false)
	postN(t, client, srv.URL, 2)
	if n := conns.opened.Load(); n != 2 {
		t.Errorf("%d connections, want 2 (the timed-out one is not reused)", n)
	}
}

func TestAnEarlyHintComesBeforeTheAnswer(t *testing.T) {
	srv, _ := countingServer(t, false, nil, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Link", "</style.css>; rel=preload")
		w.WriteHeader(http.StatusEarlyHints)
		w.WriteHeader(http.StatusNotFound)
	})
	if a := Post(context.Background(), NewClient(5*time.Second), rules.Slack, secretWebhook(srv.URL), []byte(`{}`)); a.Verdict != Dead || a.Status != 404 {
		t.Errorf("%s, want dead: HTTP 404", a)
	}
}

func TestAProxiedRequestGoesThroughTheProxy(t *testing.T) {
	var got atomic.Value
	proxy, _ := countingServer(t, false, nil, func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.URL.String())
		ok(w, r)
	})
	client := NewClient(5 * time.Second)
	u, _ := url.Parse(proxy.URL)
	client.Transport.(*directTransport).fallback.Proxy = http.ProxyURL(u)
	postN(t, client, "http://hooks.example.invalid/services/T1/B2", 1)
	if u, _ := got.Load().(string); !strings.HasPrefix(u, "http://hooks.example.invalid/services/T1/B2/") {
		t.Errorf("the proxy got %v, want the webhook's URL", got.Load())
	}
}

func TestWorkersShareTheTransport(t *testing.T) {
	srv, conns := countingServer(t, false, nil, ok)
	client := NewClient(5 * time.Second)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { postN(t, client, srv.URL, 25) })
	}
	wg.Wait()
	if n := conns.opened.Load(); n > 8 {
		t.Errorf("8 workers made %d connections, want at most 8", n)
	}
}

func TestAnIdleConnectionIsClosedAfterTheIdleTimeout(t *testing.T) {
	srv, conns := countingServer(t, false, nil, ok)
	client := NewClient(5 * time.Second)
	client.Transport.(*directTransport).fallback.IdleConnTimeout = 50 * time.Millisecond
	postN(t, client, srv.URL, 1)
	deadline := time.Now().Add(5 * time.Second)
	for conns.closed.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if conns.closed.Load() != 1 {
		t.Error("the idle connection is still open 5 s after its 50 ms idle timeout, with no request since")
	}
}

func TestAnAnswerBeforeTheBodyIsSentIsRead(t *testing.T) {
	srv, _ := countingServer(t, false, nil, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Connection", "close")
		w.WriteHeader(http.StatusRequestEntityTooLarge)
	})
	body := []byte(`{"text":"` + strings.Repeat("x", 32<<20) + `"}`)
	a := Post(context.Background(), NewClient(5*time.Second), rules.Slack, secretWebhook(srv.URL), body)
	if a.Verdict != Dead || a.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("%s, want dead: HTTP 413", a)
	}
}
