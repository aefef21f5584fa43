package sender

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"walnotify/rules"
	"walnotify/service"
)

// Verdict is what a webhook's answer means for the delivery (service.Verdict).
type Verdict = service.Verdict

// Verdicts.
const (
	Delivered = service.Delivered // the service took the message
	Retry     = service.Retry     // try again later (rate limited, server trouble, network)
	Dead      = service.Dead      // the service will never take this request: do not retry
)

// Answer is a webhook's reply, classified.
type Answer struct {
	Verdict    Verdict
	Status     int           // HTTP status; 0 when no answer came
	Reason     string        // the service's word (Slack's "channel_not_found"), a short body or the error; at most 300 bytes, one line, never the webhook URL
	RetryAfter time.Duration // for Retry: the wait the service asked for (Retry-After), 0 when it did not say
}

// String is the answer as `status` and the logs show it, such as
// "dead: HTTP 404: channel_not_found" or "retry in 2s: HTTP 429".
func (a Answer) String() string {
	var b strings.Builder
	b.WriteString(a.Verdict.String())
	if a.Verdict == Retry && a.RetryAfter > 0 {
		b.WriteString(" in " + a.RetryAfter.String())
	}
	if a.Status != 0 {
		b.WriteString(": HTTP " + strconv.Itoa(a.Status))
	}
	if a.Reason != "" {
		b.WriteString(": " + a.Reason)
	}
	return b.String()
}

const (
	maxAnswerBody = 4 << 10  // read for classification
	maxDrain      = 64 << 10 // read and dropped beyond it, so that the connection can be reused
	maxReason     = 300      // bytes of Answer.Reason
	maxRetryAfter = 15 * time.Minute
	ellipsis      = "…"
)

// NewClient returns an HTTP client for webhooks: a whole request (connection, sending, answer)
// takes at most timeout, made over HTTP/1.1 on the caller's goroutine (directTransport; through
// a proxy from the environment, net/http's Transport), idle connections are kept for reuse, and
// redirects are not followed —
// a POST turned into a GET by a redirect could look delivered — so a 3xx answer is dead, with
// the advice to configure the final URL.
func NewClient(timeout time.Duration) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	// One kept-alive connection per webhook of a host (many Slack webhooks share one host).
	t.MaxIdleConnsPerHost = 64
	return &http.Client{
		Transport:     newDirectTransport(t, timeout),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Post sends body to the webhook as application/json and classifies the answer. It reads at
// most 4 KiB of the answer and always closes it. Nothing it returns contains the webhook URL,
// not even the text of a connection or timeout error. client should come from NewClient; nil
// means http.DefaultClient, which has no timeout but ctx's.
func Post(ctx context.Context, client *http.Client, svc rules.Service, webhook rules.Secret, body []byte) Answer {
	s, _ := service.Lookup(string(svc)) // nil for an unknown service: a plain POST
	return postTo(ctx, client, s, newTarget(webhook), body)
}

// target is a webhook's URL, parsed once: a worker posts to it for as long as it runs.
type target struct {
	secret rules.Secret
	// url is nil when the URL is not http:// or https://. Prepare may still set one (a document
	// webhook's request carries its own).
	url *url.URL
}

func newTarget(webhook rules.Secret) target {
	// Parse errors quote the URL: report none of their text.
	u, err := url.Parse(webhook.Reveal())
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		u = nil
	}
	return target{secret: webhook, url: u}
}

// postTo is Post to a service already looked up (nil for a plain POST) and a URL already
// parsed: a worker does both once.
func postTo(ctx context.Context, client *http.Client, s *service.Service, t target, body []byte) Answer {
	a := post(ctx, client, s, t, body)
	a.Reason = sanitize(redactText(t.secret, a.Reason))
	return a
}

func post(ctx context.Context, client *http.Client, s *service.Service, t target, body []byte) Answer {
	webhook := t.secret
	var u *url.URL
	if t.url != nil {
		c := *t.url // the request's own: Prepare may change it
		u = &c
	}
	r := &service.Request{Method: http.MethodPost, URL: u, Header: http.Header{"Content-Type": {"application/json"}}, Body: body}
	if s != nil && s.Prepare != nil {
		if err := s.Prepare(r); err != nil {
			return Answer{Verdict: Dead, Reason: "prepare request: " + err.Error()}
		}
	}
	if r.URL == nil {
		return Answer{Verdict: Dead, Reason: "invalid webhook URL (want http:// or https://)"}
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL.String(), bytes.NewReader(r.Body))
	if err != nil {
		return Answer{Verdict: Dead, Reason: "invalid webhook URL"}
	}
	if r.Header != nil {
		req.Header = r.Header
	}
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", "walnotify")
	}
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return classify(s, 0, nil, nil, webhook.Redact(err))
	}
	defer func() {
		_, _ = io.CopyN(io.Discard, resp.Body, maxDrain)
		_ = resp.Body.Close()
	}()
	// A body cut short still tells what came before: classify what was read. Redact it before
	// Classify shortens it, or a URL echoed across the cut would keep half its token.
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBody))
	answer = []byte(redactText(webhook, string(answer)))
	return classify(s, resp.StatusCode, resp.Header, answer, nil)
}

// Classify reads a webhook's answer — status, headers and up to 4 KiB of body — or the error
// that stood in its way:
//
//   - 2xx is Delivered (Slack also answers "ok"), except Slack's error words below, which Slack
//     sometimes sends with a 200;
//   - an error (timeout, refused connection, reset, cancelled context), 429, 408, 425 and 5xx
//     are Retry, with the wait asked by Retry-After (seconds or HTTP-date, measured from the
//     answer's Date), else Discord's X-RateLimit-Reset-After or JSON retry_after, at most 15 min;
//   - Slack's permanent answers (invalid_payload, no_service, channel_not_found,
//     channel_is_archived, action_prohibited, no_text, invalid_token, ...) are Dead, whatever
//     their status;
//   - every other status is Dead: 400, 403, 404 and 410 for every service, and also 401, 405,
//     413, 422, ... — the same bytes to the same URL get the same answer, and retrying would only
//     hold up the deliveries queued behind on the same webhook; 3xx too (redirects are not
//     followed, see NewClient).
//
// err must already be redacted (Post does it); Classify never sees the URL.
func Classify(svc rules.Service, status int, header http.Header, body []byte, err error) Answer {
	s, _ := service.Lookup(string(svc))
	return classify(s, status, header, body, err)
}

func classify(s *service.Service, status int, header http.Header, body []byte, err error) Answer {
	if err != nil {
		return Answer{Verdict: Retry, Reason: sanitize(errorReason(err))}
	}
	a := Answer{Status: status, Reason: bodyReason(body)}
	if s != nil && s.Answer != nil {
		// First: Slack also answers 200 with an error word (issue 9), Telegram says its wait in
		// the body.
		if v, wait, ok := s.Answer(status, body); ok {
			a.Verdict, a.RetryAfter = v, min(wait, maxRetryAfter)
			return a
		}
	}
	switch {
	case status >= 200 && status < 300:
		a.Verdict = Delivered
	case status == http.StatusTooManyRequests, status == http.StatusRequestTimeout, status == http.StatusTooEarly, status >= 500:
		a.Verdict = Retry
		a.RetryAfter = retryAfter(header, body)
	case status >= 300 && status < 400:
		a.Verdict = Dead
		a.Reason = sanitize("redirected (" + http.StatusText(status) + "); configure the webhook's final URL")
	default:
		a.Verdict = Dead
	}
	return a
}

// errorReason names the kind of failure before Go's text, so that status reads well.
func errorReason(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return "cancelled: " + err.Error()
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout: " + err.Error()
	}
	return err.Error()
}

// bodyReason is the short text of an answer: Slack's word as is, the "message" or "error" of a
// JSON answer (Discord, Mattermost, Google Chat, Rocket.Chat), else the body itself.
func bodyReason(body []byte) string {
	// Only an object has these fields: Slack's "ok", a word or a page skip the decoding.
	if jsonObject(body) {
		if text := jsonReason(body); text != "" {
			return sanitize(text)
		}
	}
	return sanitize(string(body))
}

// jsonObject reports whether body may be a JSON object: its first byte past JSON's white space
// is "{".
func jsonObject(body []byte) bool {
	t := bytes.TrimLeft(body, " \t\r\n")
	return len(t) > 0 && t[0] == '{'
}

// jsonReason is the "message" (with its "code"), "description" or "error" of a JSON answer, ""
// when it has none.
func jsonReason(body []byte) string {
	var v struct {
		Message string          `json:"message"`
		Code    json.RawMessage `json:"code"`
		Error   json.RawMessage `json:"error"`
		Desc    string          `json:"description"` // Telegram
	}
	if json.Unmarshal(body, &v) != nil {
		return ""
	}
	var nested struct {
		Message string `json:"message"`
	}
	var text string
	switch {
	case v.Message != "":
		text = v.Message
		if len(v.Code) > 0 && string(v.Code) != "null" {
			text += " (code " + string(v.Code) + ")"
		}
	case v.Desc != "":
		text = v.Desc
	case json.Unmarshal(v.Error, &text) == nil && text != "":
	case json.Unmarshal(v.Error, &nested) == nil && nested.Message != "":
		text = nested.Message
	}
	return text
}

// sanitize makes s one printable line of at most maxReason bytes: invalid UTF-8, control and
// format characters (bidi overrides included) go, runs of space become one.
func sanitize(s string) string {
	if plainLine(s) {
		return s
	}
	return sanitizeAll(s)
}

// sanitizeAll is sanitize without its shortcut.
func sanitizeAll(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r), unicode.IsControl(r):
			return ' '
		case unicode.Is(unicode.Cf, r):
			return -1
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= maxReason {
		return s
	}
	cut := maxReason - len(ellipsis)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + ellipsis
}

// plainLine reports whether sanitize would leave s as it is: at most maxReason bytes of
// printable ASCII, words one space apart, none at either end. Nearly every answer is one
// ("ok", "channel_not_found"), and this spares it the copies.
func plainLine(s string) bool {
	if len(s) > maxReason || strings.HasPrefix(s, " ") || strings.HasSuffix(s, " ") || strings.Contains(s, "  ") {
		return false
	}
	for i := range len(s) {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// retryAfter is the wait a service asked for, capped at maxRetryAfter.
func retryAfter(h http.Header, body []byte) time.Duration {
	d, ok := headerRetryAfter(h)
	if !ok {
		d, ok = seconds(h.Get("X-RateLimit-Reset-After")) // Discord
	}
	if !ok {
		// Discord's JSON; its seconds (API v8 and later) only when no header says it, since older
		// API versions wrote milliseconds here but seconds in Retry-After.
		var v struct {
			RetryAfter *float64 `json:"retry_after"`
		}
		if json.Unmarshal(body, &v) == nil && v.RetryAfter != nil {
			d, ok = seconds(strconv.FormatFloat(*v.RetryAfter, 'f', -1, 64))
		}
	}
	if !ok || d < 0 {
		return 0
	}
	return min(d, maxRetryAfter)
}

// headerRetryAfter reads Retry-After as seconds or as an HTTP-date, which is measured from the
// answer's own Date when it has one (so that a skewed local clock does not matter).
func headerRetryAfter(h http.Header) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if d, ok := seconds(v); ok {
		return d, true
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	now := time.Now()
	if date, err := http.ParseTime(h.Get("Date")); err == nil {
		now = date
	}
	return at.Sub(now), true
}

// seconds reads a non-negative number of seconds, fractions allowed.
func seconds(v string) (time.Duration, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	if f > maxRetryAfter.Seconds() {
		return maxRetryAfter, true
	}
	return time.Duration(f * float64(time.Second)), true
}

// redactText removes every secret part of the webhook URL from s (rules.Secret.Scrub): the
// whole URL, its host and path, its query and long query values, and each long path segment,
// in any case, JSON-escaped or percent-encoded, as answers echo them.
func redactText(webhook rules.Secret, s string) string {
	return webhook.Scrub(s)
}
