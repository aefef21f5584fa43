package service

import (
	"net/http"
	"net/url"
	"path/filepath"
	"testing"
)

// TestRequestMatchesGoldenFiles: the request as sent on the wire, for the services whose
// Prepare completes it (Telegram's chat_id, ntfy's topic and token).
func TestRequestMatchesGoldenFiles(t *testing.T) {
	cases := []struct {
		svc, url string
		opts     Options
		wantURL  string
		wantAuth string
	}{
		{"Telegram", "https://api.telegram.org/bot123:ABC/sendMessage", Options{ChatID: "-1001234567890"}, "https://api.telegram.org/bot123:ABC/sendMessage", ""},
		{"Telegram", "https://api.telegram.org/bot123:ABC/sendMessage", Options{ChatID: "@erp_news"}, "https://api.telegram.org/bot123:ABC/sendMessage", ""},
		{"ntfy", "https://ntfy.example.com/erp-alerts", Options{Token: "tk_abc"}, "https://ntfy.example.com/", "Bearer tk_abc"},
		{"ntfy", "https://ntfy.sh/erp-alerts", Options{}, "https://ntfy.sh/", ""},
	}
	for i, c := range cases {
		s := mustFormat(t, c.svc)
		u, err := url.Parse(c.url)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Endpoint(u, c.opts); err != nil {
			t.Fatal(err)
		}
		body, err := s.Payload(sampleTicket(), LabelsFor("en"))
		if err != nil {
			t.Fatal(err)
		}
		r := &Request{Method: "POST", URL: u, Header: http.Header{}, Body: body}
		if err := s.Prepare(r); err != nil {
			t.Fatal(err)
		}
		sent, body, header := r.URL, r.Body, r.Header
		if sent.String() != c.wantURL || header.Get("Authorization") != c.wantAuth {
			t.Errorf("%s: sent to %s with %q, want %s with %q", c.svc, sent, header.Get("Authorization"), c.wantURL, c.wantAuth)
		}
		checkGolden(t, filepath.Join("request", serviceFileName(c.svc)+"_"+string(rune('a'+i))+".json"), body)
	}
}

// A document webhook's stored request is sent as built: its method, URL, headers (and no
// Content-Type it was not given) and its body's exact bytes.
func TestDocumentWebhookSendsTheStoredRequest(t *testing.T) {
	s := mustFormat(t, DocumentWebhookName)
	stored := &HTTPRequest{Method: "PUT", URL: "https://wms.example/in/SINV-1", Header: http.Header{"Idempotency-Key": {"k"}}, Body: `{"a": 1, "b": "\u00e9"}`}
	body, err := s.Payload(Message{Request: stored}, LabelsFor("en"))
	if err != nil {
		t.Fatal(err)
	}
	r := &Request{Method: "POST", Header: http.Header{"Content-Type": {"application/json"}}, Body: body}
	if err := s.Prepare(r); err != nil {
		t.Fatal(err)
	}
	if r.Method != "PUT" || r.URL.String() != stored.URL || string(r.Body) != stored.Body || r.Header.Get("Content-Type") != "" || r.Header.Get("Idempotency-Key") != "k" {
		t.Errorf("prepared %s %s %v %s", r.Method, r.URL, r.Header, r.Body)
	}
	for status, want := range map[int]Verdict{200: Delivered, 204: Delivered, 404: Dead, 400: Dead, 408: 0, 429: 0, 500: 0} {
		v, _, ok := s.Answer(status, nil)
		if ok != (want != 0) || v != want {
			t.Errorf("answer %d = %v, %v; want %v", status, v, ok, want)
		}
	}
}
