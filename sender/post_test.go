package sender

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"walnotify/rules"
)

type classifyWant struct {
	verdict    Verdict
	retryAfter time.Duration
	reason     string // Answer.Reason must equal it, when not ""
}

type classifyCase struct {
	name   string
	svc    rules.Service
	status int
	header http.Header
	body   string
	err    error
	want   classifyWant
}

func TestClassify(t *testing.T) {
	h := func(kv ...string) http.Header {
		hd := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			hd.Set(kv[i], kv[i+1])
		}
		return hd
	}
	date := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	refused := &url.Error{Op: "Post", URL: "[redacted]", Err: &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}}
	timeout := &url.Error{Op: "Post", URL: "[redacted]", Err: context.DeadlineExceeded}

	cases := []classifyCase{
		{"slack ok is delivered", rules.Slack, 200, nil, "ok", nil, classifyWant{Delivered, 0, "ok"}},
		{"204 is delivered", rules.Discord, 204, nil, "", nil, classifyWant{Delivered, 0, ""}},
		{"slack rollup_error is retried", rules.Slack, 500, nil, "rollup_error", nil, classifyWant{Retry, 0, "rollup_error"}},
		{"401 is dead", rules.Mattermost, 401, nil, "", nil, classifyWant{Dead, 0, ""}},
		{"405 is dead", rules.Generic, 405, nil, "", nil, classifyWant{Dead, 0, ""}},
		{"413 is dead", rules.Generic, 413, nil, "too large", nil, classifyWant{Dead, 0, "too large"}},
		{"422 is dead", rules.Generic, 422, nil, "", nil, classifyWant{Dead, 0, ""}},
		{"a redirect is dead", rules.Slack, 301, h("Location", "https://elsewhere/"), "", nil, classifyWant{Dead, 0, "redirected (Moved Permanently); configure the webhook's final URL"}},
		{"408 is retried", rules.Generic, 408, nil, "", nil, classifyWant{Retry, 0, ""}},
		{"425 is retried", rules.Generic, 425, nil, "", nil, classifyWant{Retry, 0, ""}},
		{"500 is retried", rules.GoogleChat, 500, nil, "", nil, classifyWant{Retry, 0, ""}},
		{"502 is retried", rules.Mattermost, 502, nil, "<html>Bad Gateway</html>", nil, classifyWant{Retry, 0, "<html>Bad Gateway</html>"}},
		{"503 is retried after its Retry-After", rules.RocketChat, 503, h("Retry-After", "120"), "", nil, classifyWant{Retry, 2 * time.Minute, ""}},
		{"429 waits Retry-After seconds", rules.Slack, 429, h("Retry-After", "2"), "", nil, classifyWant{Retry, 2 * time.Second, ""}},
		{"429 waits fractional seconds", rules.Discord, 429, h("Retry-After", "1.5"), "", nil, classifyWant{Retry, 1500 * time.Millisecond, ""}},
		{"429 waits until an HTTP-date, from the answer's Date", rules.GoogleChat, 429,
			h("Retry-After", date.Add(30*time.Second).Format(http.TimeFormat), "Date", date.Format(http.TimeFormat)), "", nil, classifyWant{Retry, 30 * time.Second, ""}},
		{"429 with a past HTTP-date retries at once", rules.GoogleChat, 429,
			h("Retry-After", date.Add(-time.Minute).Format(http.TimeFormat), "Date", date.Format(http.TimeFormat)), "", nil, classifyWant{Retry, 0, ""}},
		{"429 with an absurd Retry-After is capped", rules.Slack, 429, h("Retry-After", "86400"), "", nil, classifyWant{Retry, 15 * time.Minute, ""}},
		{"429 with an unreadable Retry-After", rules.Slack, 429, h("Retry-After", "soon"), "", nil, classifyWant{Retry, 0, ""}},
		{"429 without any hint", rules.Mattermost, 429, nil, "", nil, classifyWant{Retry, 0, ""}},
		{"discord 429 JSON retry_after", rules.Discord, 429, nil, `{"message": "You are being rate limited.", "retry_after": 0.529, "global": false}`, nil,
			classifyWant{Retry, 529 * time.Millisecond, "You are being rate limited."}},
		{"discord X-RateLimit-Reset-After", rules.Discord, 429, h("X-RateLimit-Reset-After", "1.25"), "", nil, classifyWant{Retry, 1250 * time.Millisecond, ""}},
		{"Retry-After wins over the JSON", rules.Discord, 429, h("Retry-After", "1"), `{"retry_after": 529}`, nil, classifyWant{Retry, time.Second, ""}},
		{"discord unknown webhook", rules.Discord, 404, nil, `{"message": "Unknown Webhook", "code": 10015}`, nil, classifyWant{Dead, 0, "Unknown Webhook (code 10015)"}},
		{"google chat error object", rules.GoogleChat, 400, nil, `{"error": {"code": 400, "message": "Invalid JSON payload received.", "status": "INVALID_ARGUMENT"}}`, nil,
			classifyWant{Dead, 0, "Invalid JSON payload received."}},
		{"rocket.chat error string", rules.RocketChat, 404, nil, `{"success": false, "error": "Invalid integration id or token provided."}`, nil,
			classifyWant{Dead, 0, "Invalid integration id or token provided."}},
		{"connection refused is retried", rules.Slack, 0, nil, "", refused, classifyWant{Retry, 0, "Post \"[redacted]\": dial tcp: connect: connection refused"}},
		{"timeout is retried", rules.Slack, 0, nil, "", timeout, classifyWant{Retry, 0, "timeout: Post \"[redacted]\": context deadline exceeded"}},
		{"cancelled is retried", rules.Discord, 0, nil, "", context.Canceled, classifyWant{Retry, 0, "cancelled: context canceled"}},
	}
	for _, word := range []string{"invalid_payload", "channel_not_found", "channel_is_archived", "no_service", "invalid_token", "msg_too_long", "invalid_blocks"} {
		cases = append(cases, classifyCase{"slack " + word + " is dead even with a 500", rules.Slack, 500, nil, word + "\n", nil, classifyWant{Dead, 0, word}})
	}
	for _, svc := range allServices {
		for _, status := range []int{400, 403, 404, 410} {
			cases = append(cases, classifyCase{fmt.Sprintf("%v %d is dead", svc, status), svc, status, nil, "", nil, classifyWant{Dead, 0, ""}})
		}
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Classify(c.svc, c.status, c.header, []byte(c.body), c.err)
			if got.Verdict != c.want.verdict || got.RetryAfter != c.want.retryAfter || got.Status != c.status {
				t.Errorf("got %+v, want %v after %v", got, c.want.verdict, c.want.retryAfter)
			}
			if c.want.reason != "" && got.Reason != c.want.reason {
				t.Errorf("reason %q, want %q", got.Reason, c.want.reason)
			}
		})
	}
}

func TestSlackDocumentedAnswersAreDeadWithTheirStatus(t *testing.T) {
	documented := map[string]int{
		"invalid_payload": 400, "user_not_found": 400, "action_prohibited": 403, "channel_not_found": 404,
		"channel_is_archived": 410, "no_service": 404, "no_text": 400, "invalid_token": 403,
		"posting_to_general_channel_denied": 403, "too_many_attachments": 400, "no_team": 400, "team_disabled": 403,
	}
	for word, status := range documented {
		if a := Classify(rules.Slack, status, nil, []byte(word), nil); a.Verdict != Dead || a.Reason != word {
			t.Errorf("%s (%d): %v", word, status, a)
		}
	}
}

func TestReasonIsOneShortSafeLine(t *testing.T) {
	body := "line one\r\nline\ttwo \x00\x1b[31m red \u202egnp.exe\u202c " + strings.Repeat("é", 400) + "\xff"
	got := Classify(rules.Generic, 500, nil, []byte(body), nil).Reason
	if len(got) > maxReason {
		t.Errorf("reason of %d bytes", len(got))
	}
	if strings.ContainsAny(got, "\r\n\t\x00\x1b\u202e\u202c") || !strings.HasPrefix(got, "line one line two [31m red gnp.exe é") || !strings.HasSuffix(got, "…") {
		t.Errorf("reason not sanitised: %q", got)
	}
}

// TestTheAnswersShortcutsChangeNothing: sanitize's shortcut for a plain line, and skipping the
// JSON decoding of a body that is not an object, give what the whole work gives.
func TestTheAnswersShortcutsChangeNothing(t *testing.T) {
	lines := []string{"", "ok", "channel_not_found", "no service", " ok", "ok ", "a  b", "a\tb", "a\nb", "café",
		"\x7f", "~!@#$%^&*()_+{}|:<>?", strings.Repeat("x", maxReason), strings.Repeat("x", maxReason+1),
		strings.Repeat("ab ", 120), "invalid_payload", "<html><body>Bad Gateway</body></html>", "\u202eok"}
	shortcuts := 0
	for _, s := range lines {
		if plainLine(s) {
			shortcuts++
		}
		if got, want := sanitize(s), sanitizeAll(s); got != want {
			t.Errorf("sanitize(%q) = %q, the whole work gives %q", s, got, want)
		}
	}
	if shortcuts < 5 {
		t.Errorf("only %d of the lines took the shortcut", shortcuts)
	}
	for _, body := range append(lines, "null", "[1]", `["message"]`, `"ok"`, "123", "true", " \n\t[{}]", `{"message": "x"}`) {
		if jsonObject([]byte(body)) {
			continue
		}
		if got := jsonReason([]byte(body)); got != "" {
			t.Errorf("%q is not an object, yet its JSON reason is %q", body, got)
		}
	}
	for _, body := range []string{`{"message": "x"}`, " \r\n{}", "{"} {
		if !jsonObject([]byte(body)) {
			t.Errorf("%q may be an object", body)
		}
	}
}

func TestAnswerString(t *testing.T) {
	cases := []struct {
		a    Answer
		want string
	}{
		{Answer{Verdict: Delivered, Status: 200, Reason: "ok"}, "delivered: HTTP 200: ok"},
		{Answer{Verdict: Retry, Status: 429, RetryAfter: 2 * time.Second}, "retry in 2s: HTTP 429"},
		{Answer{Verdict: Dead, Status: 404, Reason: "channel_not_found"}, "dead: HTTP 404: channel_not_found"},
		{Answer{Verdict: Retry, Reason: "timeout: Post [redacted]"}, "retry: timeout: Post [redacted]"},
	}
	for _, c := range cases {
		if got := c.a.String(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.a, got, c.want)
		}
	}
}

// secretPath and secretQuery make a webhook URL whose every part can be looked for in output.
const (
	secretPath  = "/allServices/T0000/B0000/PATHSECRET123"
	secretQuery = "token=QUERYSECRET456"
)

func secretWebhook(base string) rules.Secret {
	return rules.NewSecret(base + secretPath + "?" + secretQuery)
}

func TestPostSendsTheBodyAsJSON(t *testing.T) {
	var got struct {
		method, contentType, path, body string
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got.method, got.contentType, got.path, got.body = r.Method, r.Header.Get("Content-Type"), r.URL.RequestURI(), string(b)
		_, _ = io.WriteString(w, "ok")
	}))
	defer srv.Close()

	body, err := Payload(rules.Slack, sampleTicket(), LabelsFor("en"))
	if err != nil {
		t.Fatal(err)
	}
	a := Post(context.Background(), NewClient(5*time.Second), rules.Slack, secretWebhook(srv.URL), body)
	if a.Verdict != Delivered || a.Status != 200 || a.Reason != "ok" {
		t.Errorf("answer %v", a)
	}
	if got.method != http.MethodPost || got.contentType != "application/json" || got.path != secretPath+"?"+secretQuery || got.body != string(body) {
		t.Errorf("server saw %+v", got)
	}
}

func TestPostReadsAndClosesEveryAnswer(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, strings.Repeat("x", 20<<10)) // larger than what Post classifies
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()

	client := NewClient(5 * time.Second)
	for range 3 {
		if a := Post(context.Background(), client, rules.Generic, secretWebhook(srv.URL), []byte(`{}`)); a.Verdict != Retry || len(a.Reason) > maxReason {
			t.Fatalf("answer %v", a)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections for 3 posts: answers not read to the end, connection not reused", n)
	}
}

func TestPostHonoursRetryAfter(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "2")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	a := Post(context.Background(), NewClient(5*time.Second), rules.Slack, secretWebhook(srv.URL), []byte(`{}`))
	if a.Verdict != Retry || a.Status != 429 || a.RetryAfter != 2*time.Second {
		t.Errorf("answer %v", a)
	}
}

func TestPostDoesNotFollowRedirects(t *testing.T) {
	var followed atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/moved" {
			followed.Store(true)
			_, _ = io.WriteString(w, "ok")
			return
		}
		http.Redirect(w, r, "/moved", http.StatusFound)
	}))
	defer srv.Close()
	a := Post(context.Background(), NewClient(5*time.Second), rules.Slack, secretWebhook(srv.URL), []byte(`{}`))
	if a.Verdict != Dead || a.Status != http.StatusFound || followed.Load() {
		t.Errorf("answer %v, redirect followed: %v", a, followed.Load())
	}
}

func TestPostNeverRevealsTheURL(t *testing.T) {
	// A server that quotes the request back, as many 404 pages do.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, "no webhook at http://%s%s (path %s, query %s)", r.Host, r.URL.RequestURI(), r.URL.Path, r.URL.RawQuery)
	}))
	defer echo.Close()
	// A server that answers a long text with the URL right where Reason is cut.
	longEcho := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprintf(w, "%s%s", strings.Repeat("x", maxReason-30), r.URL.RequestURI())
	}))
	defer longEcho.Close()
	// A server that never answers.
	release := make(chan struct{})
	var once sync.Once
	stuck := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer stuck.Close()
	defer once.Do(func() { close(release) })
	// A port where nothing listens.
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()

	cases := []struct {
		name    string
		webhook rules.Secret
		client  *http.Client
		want    Verdict
		reason  string // what Reason must contain
	}{
		{"answer quoting the URL", secretWebhook(echo.URL), NewClient(5 * time.Second), Dead, "no webhook at"},
		{"answer quoting the URL where it is cut", secretWebhook(longEcho.URL), NewClient(5 * time.Second), Retry, "xxx"},
		{"timeout", secretWebhook(stuck.URL), NewClient(100 * time.Millisecond), Retry, "timeout: Post"},
		{"connection refused", secretWebhook(gone.URL), NewClient(5 * time.Second), Retry, "connection refused"},
		{"invalid URL", rules.NewSecret("http://[::1" + secretPath + "?" + secretQuery), NewClient(time.Second), Dead, "invalid webhook URL"},
		{"not http", rules.NewSecret("ftp://example.com" + secretPath + "?" + secretQuery), NewClient(time.Second), Dead, "invalid webhook URL"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := Post(context.Background(), c.client, rules.Discord, c.webhook, []byte(`{}`))
			if a.Verdict != c.want {
				t.Errorf("verdict %v, want %v (%v)", a.Verdict, c.want, a)
			}
			out := a.String() + fmt.Sprintf(" %+v %#v", a, a)
			for _, secret := range []string{c.webhook.Reveal(), "PATHSECRET123", "QUERYSECRET456", "/allServices/T0000"} {
				if strings.Contains(out, secret) {
					t.Errorf("answer reveals %q: %s", secret, out)
				}
			}
			if !strings.Contains(a.Reason, c.reason) {
				t.Errorf("reason %q does not say %q", a.Reason, c.reason)
			}
		})
	}
}

func TestPostReportsACancelledContextAsRetry(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok") }))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	a := Post(ctx, NewClient(time.Second), rules.Slack, secretWebhook(srv.URL), []byte(`{}`))
	if a.Verdict != Retry || !strings.HasPrefix(a.Reason, "cancelled") || !errors.Is(ctx.Err(), context.Canceled) {
		t.Errorf("answer %v", a)
	}
	if strings.Contains(a.String(), "PATHSECRET123") {
		t.Errorf("answer reveals the URL: %v", a)
	}
}
