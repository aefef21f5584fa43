package main

import (
	"net/http"
	"strings"
	"testing"
)

func post(t *testing.T, r *receiver, path, body string) {
	t.Helper()
	resp, err := http.Post(r.url(path), "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// The reference client replays one single message the daemon sent: a Slack message names its
// row three times (text, fallback, link) and is one; a digest names several rows and is not.
func TestTheReceiverKeepsASingleMessageAsTheReferenceBody(t *testing.T) {
	r := newReceiver(10)
	defer r.close()
	single := `{"text":"*New ticket* ISS-0000001: Printer on fire","attachments":[{"fallback":"See https://erp.example.com/app/issue/ISS-0000001","actions":[{"url":"https://erp.example.com/app/issue/ISS-0000001"}]}]}`
	digest := `{"text":"2 notifications: ISS-0000002, ISS-0000003"}`
	post(t, r, "/hook0", digest)
	if got := r.sample(); got != nil {
		t.Fatalf("a digest was kept as the reference body: %s", got)
	}
	post(t, r, "/hook0", single)
	post(t, r, "/hook0", digest)
	if got := string(r.sample()); got != single {
		t.Fatalf("reference body = %q, want the single message", got)
	}
	if rows, requests := r.counts(); rows != 3 || requests != 3 {
		t.Fatalf("rows, requests = %d, %d; want 3, 3", rows, requests)
	}
}

// The reference client's requests are parsed as deliveries are, but count apart: they neither
// arrive nor change the sample.
func TestReferenceRequestsCountApart(t *testing.T) {
	r := newReceiver(10)
	defer r.close()
	post(t, r, "/ref", `{"text":"ISS-0000004"}`)
	if rows, requests := r.counts(); rows != 0 || requests != 0 {
		t.Fatalf("a reference request counted as a delivery: rows %d, requests %d", rows, requests)
	}
	r.mu.Lock()
	refs := r.refs
	r.mu.Unlock()
	if refs != 1 {
		t.Fatalf("reference requests = %d, want 1", refs)
	}
	if r.sample() != nil {
		t.Fatal("a reference request became the reference body")
	}
}
