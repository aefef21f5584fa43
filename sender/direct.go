package sender

import (
	"bufio"
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// directTransport makes HTTP/1.1 requests on the caller's goroutine, over keep-alive
// connections of its own: the worker writes the request and reads the answer itself.
// net/http's Transport hands each request to the connection's writing goroutine and takes the
// answer from its reading goroutine, three wake-ups per request; on a busy machine those cost
// one webhook 10-15 % of its rate (README, Benchmarks). The wire format is net/http's own
// (Request.Write, ReadResponse); what this adds is only the keeping of connections.
//
// A request that goes through a proxy (the fallback's Proxy, from the environment by default)
// or to a scheme other than http and https is handed to the fallback, net/http's Transport,
// whose dialer and TLS settings the direct requests use as well.
type directTransport struct {
	fallback *http.Transport
	timeout  time.Duration

	mu      sync.Mutex
	idle    map[string][]*directConn // by scheme://host:port, the most recently used last
	sweeper *time.Timer              // runs sweep while connections are idle
}

// directConn is one keep-alive connection.
type directConn struct {
	conn net.Conn
	br   *bufio.Reader
	bw   *bufio.Writer
	idle time.Time // when it was put back
}

// farPast is a deadline that has passed: setting it ends any read or write under way.
var farPast = time.Unix(1, 0)

// newDirectTransport returns a transport whose requests take at most timeout each (none when
// 0), with fallback for the requests it does not make itself.
func newDirectTransport(fallback *http.Transport, timeout time.Duration) *directTransport {
	return &directTransport{fallback: fallback, timeout: timeout, idle: map[string][]*directConn{}}
}

// RoundTrip sends req and reads the answer's head; the body is read from the connection as
// the caller reads it, and closing it puts the connection back when the body was read to its
// end and neither side asked to close. The whole request, the body's reading included, takes
// at most the transport's timeout.
func (t *directTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := req.Context(), context.CancelFunc(func() {})
	if t.timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, t.timeout)
	}
	if t.proxied(req) {
		resp, err := t.fallback.RoundTrip(req.WithContext(ctx))
		if err != nil {
			cancel()
			return nil, err
		}
		resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: cancel}
		return resp, nil
	}
	key := req.URL.Scheme + "://" + hostPort(req)
	dc := t.take(key)
	if dc == nil {
		var err error
		if dc, err = t.dial(ctx, req); err != nil {
			cancel()
			return nil, err
		}
	}
	// Cancelling ctx ends a read or write under way; the connection is then not reused.
	stop := context.AfterFunc(ctx, func() { _ = dc.conn.SetDeadline(farPast) })
	fail := func(err error) (*http.Response, error) {
		stop()
		_ = dc.conn.Close()
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		cancel()
		return nil, err
	}
	werr := req.Write(dc.bw)
	if werr == nil {
		werr = dc.bw.Flush()
	}
	if werr != nil && ctx.Err() != nil {
		return fail(werr)
	}
	// A server may answer before it has read the whole request (413) and close: its answer
	// is read even when writing failed, as net/http's Transport does.
	resp, err := http.ReadResponse(dc.br, req)
	// An informational answer (103 Early Hints) comes before the real one.
	for err == nil && resp.StatusCode >= 100 && resp.StatusCode < 200 && resp.StatusCode != http.StatusSwitchingProtocols {
		resp, err = http.ReadResponse(dc.br, req)
	}
	if err != nil {
		return fail(cmp.Or(werr, err))
	}
	resp.Body = &directBody{body: resp.Body, t: t, key: key, dc: dc, stop: stop, cancel: cancel, keep: werr == nil && !resp.Close && !req.Close}
	return resp, nil
}

// proxied reports whether req goes through the fallback: to a proxy, or with a scheme other
// than http and https (which the fallback refuses with its own error).
func (t *directTransport) proxied(req *http.Request) bool {
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return true
	}
	if t.fallback.Proxy == nil {
		return false
	}
	// An error choosing the proxy is the fallback's to report.
	proxy, err := t.fallback.Proxy(req)
	return err != nil || proxy != nil
}

// hostPort is req's host with its port, the scheme's default when it names none.
func hostPort(req *http.Request) string {
	port := req.URL.Port()
	if port == "" {
		port = "80"
		if req.URL.Scheme == "https" {
			port = "443"
		}
	}
	return net.JoinHostPort(req.URL.Hostname(), port)
}

// dial opens a connection for req with the fallback's dialer, and TLS for https (HTTP/1.1 by
// ALPN, the fallback's TLS settings, its handshake timeout).
func (t *directTransport) dial(ctx context.Context, req *http.Request) (*directConn, error) {
	dial := t.fallback.DialContext
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	conn, err := dial(ctx, "tcp", hostPort(req))
	if err != nil {
		return nil, err
	}
	if req.URL.Scheme == "https" {
		cfg := &tls.Config{}
		if t.fallback.TLSClientConfig != nil {
			cfg = t.fallback.TLSClientConfig.Clone()
		}
		if cfg.ServerName == "" {
			cfg.ServerName = req.URL.Hostname()
		}
		cfg.NextProtos = []string{"http/1.1"}
		tc := tls.Client(conn, cfg)
		hctx := ctx
		if d := t.fallback.TLSHandshakeTimeout; d > 0 {
			var cancel context.CancelFunc
			hctx, cancel = context.WithTimeout(ctx, d)
			defer cancel()
		}
		if err := tc.HandshakeContext(hctx); err != nil {
			_ = conn.Close()
			return nil, err
		}
		conn = tc
	}
	return &directConn{conn: conn, br: bufio.NewReader(conn), bw: bufio.NewWriter(conn)}, nil
}

// take returns an idle connection to key that the server has not closed, or nil.
func (t *directTransport) take(key string) *directConn {
	for {
		t.mu.Lock()
		l := t.idle[key]
		if len(l) == 0 {
			t.mu.Unlock()
			return nil
		}
		dc := l[len(l)-1]
		t.idle[key] = l[:len(l)-1]
		t.mu.Unlock()
		if time.Since(dc.idle) < t.idleTimeout() && open(dc.conn) {
			return dc
		}
		_ = dc.conn.Close()
	}
}

// put keeps dc for the next request to key, at most the fallback's MaxIdleConnsPerHost per
// key, until it has been idle for the idle timeout (see sweep).
func (t *directTransport) put(key string, dc *directConn) {
	dc.idle = time.Now()
	t.mu.Lock()
	l := t.idle[key]
	keep := len(l) < max(t.fallback.MaxIdleConnsPerHost, 1)
	if keep {
		t.idle[key] = append(l, dc)
		if t.sweeper == nil {
			t.sweeper = time.AfterFunc(t.idleTimeout(), t.sweep)
		}
	}
	t.mu.Unlock()
	if !keep {
		_ = dc.conn.Close()
	}
}

// sweep closes the connections idle for the idle timeout, to every host, and comes back when
// the next of those left would be: a transport no longer used keeps no connection open.
func (t *directTransport) sweep() {
	now := time.Now()
	var closing []*directConn
	t.mu.Lock()
	next := time.Duration(-1)
	for k, l := range t.idle {
		n := 0
		for _, c := range l {
			left := t.idleTimeout() - now.Sub(c.idle)
			if left <= 0 {
				closing = append(closing, c)
				continue
			}
			if next < 0 || left < next {
				next = left
			}
			l[n] = c
			n++
		}
		if n == 0 {
			delete(t.idle, k)
		} else {
			t.idle[k] = l[:n]
		}
	}
	if next >= 0 {
		t.sweeper.Reset(next)
	} else {
		t.sweeper = nil
	}
	t.mu.Unlock()
	for _, c := range closing {
		_ = c.conn.Close()
	}
}

func (t *directTransport) idleTimeout() time.Duration {
	if t.fallback.IdleConnTimeout > 0 {
		return t.fallback.IdleConnTimeout
	}
	return 90 * time.Second
}

// CloseIdleConnections closes the connections kept for reuse (http.Client's method calls it).
func (t *directTransport) CloseIdleConnections() {
	t.mu.Lock()
	idle := t.idle
	t.idle = map[string][]*directConn{}
	t.mu.Unlock()
	for _, l := range idle {
		for _, dc := range l {
			_ = dc.conn.Close()
		}
	}
	t.fallback.CloseIdleConnections()
}

// directBody is an answer's body: read from the connection, which Close puts back or closes.
type directBody struct {
	body   io.ReadCloser
	t      *directTransport
	key    string
	dc     *directConn
	stop   func() bool // ends the deadline's watch; false when the context ended first
	cancel context.CancelFunc
	keep   bool // neither side asked to close
	eof    bool
	done   bool
}

func (b *directBody) Read(p []byte) (int, error) {
	n, err := b.body.Read(p)
	if errors.Is(err, io.EOF) {
		b.eof = true
	}
	return n, err
}

// Close puts the connection back when the body was read to its end, the context did not end
// and neither side asked to close. Otherwise it closes the connection first: what is left
// unread is not read.
func (b *directBody) Close() error {
	if b.done {
		return nil
	}
	b.done = true
	reuse := b.stop() && b.eof && b.keep
	if !reuse {
		_ = b.dc.conn.Close()
	}
	err := b.body.Close()
	if reuse {
		b.t.put(b.key, b.dc)
	}
	b.cancel()
	return err
}

// cancelBody is a fallback answer's body; Close ends the request's timeout.
type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}
