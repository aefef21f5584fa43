package service

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"golang.org/x/time/rate"

	"walnotify/render"
)

// Document webhooks ([[document_webhook]], the ERP's Webhook form): the request — method, URL,
// headers and body, signed — is built once, when the change is enqueued, and stored in the
// outbox message (Message.Request); the worker sends it as built, so a retry or a replay sends
// the same bytes with the same Idempotency-Key.
//
// Size: the body is the ERP's, never cut. Rate: the ERP sends one background job per document
// without a limit; walnotify keeps to 5/s with a burst of 10, like Generic, and honours 429.
// Answers: 2xx is delivered; 408 and 429 (and 5xx, network errors) are retried with backoff and
// Retry-After; every other 4xx is permanent, as the same request would get the same answer.
const DocumentWebhookName = "Document Webhook"

// HTTPRequest is a request built in full before it is queued.
type HTTPRequest struct {
	Method string      `json:"method"`
	URL    string      `json:"url"`
	Header http.Header `json:"header,omitempty"`
	// Body is kept as text: the receiver checks a signature of these exact bytes.
	Body string `json:"body"`
}

func documentWebhook() *Service {
	return &Service{
		Name:   DocumentWebhookName,
		Format: render.Plain,
		Limit:  genericLimit,
		Rate:   rate.Limit(5),
		Burst:  10,
		Single: func(m Message, _ Labels) any { return docWebhookEnvelope{m.Request} },
		// Never a digest: each request is the ERP's, for one document.
		Digest:  func([]Message, Labels) (any, int) { return nil, 0 },
		Prepare: docWebhookPrepare,
		Answer:  docWebhookAnswer,
	}
}

// docWebhookEnvelope is what Payload gives for a document webhook: the stored request, which
// Prepare unpacks.
type docWebhookEnvelope struct {
	Request *HTTPRequest `json:"request"`
}

func docWebhookPrepare(r *Request) error {
	var env docWebhookEnvelope
	if err := json.Unmarshal(r.Body, &env); err != nil {
		return fmt.Errorf("document webhook: stored request: %w", err)
	}
	if env.Request == nil {
		return errors.New("document webhook: no stored request")
	}
	u, err := url.Parse(env.Request.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("document webhook: the request URL is not an http(s) URL")
	}
	r.Method, r.URL, r.Body = env.Request.Method, u, []byte(env.Request.Body)
	// Only the headers it was built with: the ERP sends no Content-Type unless a row sets one.
	r.Header = env.Request.Header.Clone()
	if r.Header == nil {
		r.Header = http.Header{}
	}
	return nil
}

func docWebhookAnswer(status int, _ []byte) (Verdict, time.Duration, bool) {
	switch {
	case status >= 200 && status < 300:
		return Delivered, 0, true
	case status == http.StatusRequestTimeout, status == http.StatusTooManyRequests:
		return 0, 0, false // retried, with the wait Retry-After asks (sender.Classify)
	case status >= 400 && status < 500:
		return Dead, 0, true
	}
	return 0, 0, false
}
