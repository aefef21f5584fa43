// Package webhooktest is a fake chat webhook for tests: an httptest server that records every
// request and answers as the test tells it (200 "ok" by default).
package webhooktest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Request is one request the webhook received.
type Request struct {
	Method string
	Header http.Header
	Body   string
	At     time.Time
}

// Text is the message text of a chat payload: "text" (Slack, Google Chat, Mattermost,
// Rocket.Chat) or "content" (Discord) or "message" (Generic).
func (r Request) Text() string {
	var v struct{ Text, Content, Message string }
	json.Unmarshal([]byte(r.Body), &v)
	return v.Text + v.Content + v.Message
}

// Hook is a fake webhook.
type Hook struct {
	*httptest.Server
	mu    sync.Mutex
	reqs  []Request
	reply func(n int, w http.ResponseWriter)
}

// New starts a fake webhook closed at the end of the test. reply, if not nil, answers the n-th
// request (from 1); it may be changed later with SetReply.
func New(t testing.TB, reply func(n int, w http.ResponseWriter)) *Hook {
	h := &Hook{reply: reply}
	h.Server = httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(h.Close)
	return h
}

func (h *Hook) serve(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	h.reqs = append(h.reqs, Request{Method: r.Method, Header: r.Header.Clone(), Body: string(b), At: time.Now()})
	n, reply := len(h.reqs), h.reply
	h.mu.Unlock()
	if reply != nil {
		reply(n, w)
		return
	}
	io.WriteString(w, "ok")
}

// SetReply changes how the webhook answers from now on; nil answers 200 "ok".
func (h *Hook) SetReply(reply func(n int, w http.ResponseWriter)) {
	h.mu.Lock()
	h.reply = reply
	h.mu.Unlock()
}

// Requests returns a copy of the requests received so far.
func (h *Hook) Requests() []Request {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Request(nil), h.reqs...)
}

// Texts returns the message text of every request, in order.
func (h *Hook) Texts() []string {
	var out []string
	for _, r := range h.Requests() {
		out = append(out, r.Text())
	}
	return out
}

// Joined is every text received, joined by newlines: digests and single messages alike.
func (h *Hook) Joined() string { return strings.Join(h.Texts(), "\n") }

// Status answers every request with an HTTP status and a body.
func Status(code int, body string) func(int, http.ResponseWriter) {
	return func(_ int, w http.ResponseWriter) {
		w.WriteHeader(code)
		io.WriteString(w, body)
	}
}
