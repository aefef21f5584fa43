package sender

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/time/rate"

	"walnotify/internal/poll"
	"walnotify/internal/webhooktest"
	"walnotify/rules"
	"walnotify/service"
)

// allServices are the services of the list, by name.
func allServicesOf() []rules.Service {
	var out []rules.Service
	for _, s := range service.All() {
		out = append(out, rules.Service(s.Name))
	}
	return out
}

var allServices = allServicesOf()

// echoedToken is a webhook URL's token segment (16+ characters), looked for in every output.
const echoedToken = "XoxbTokenSegment0123456789"

// TestRedactionFindsEchoedURLsInAnyForm: an answer that repeats the webhook URL in another
// case, with JSON-escaped slashes, or only its long path segment never reaches Answer (and so
// last_answer, the log and status).
func TestRedactionFindsEchoedURLsInAnyForm(t *testing.T) {
	forms := map[string]func(full, hostPath, query string) string{
		"upper case": func(full, _, _ string) string { return strings.ToUpper(full) },
		"json escaped slashes": func(full, _, _ string) string {
			b, _ := json.Marshal(map[string]string{"message": "bad " + full})
			return strings.ReplaceAll(string(b), "/", `\/`)
		},
		"escaped, other case":  func(full, _, _ string) string { return strings.ReplaceAll(strings.ToLower(full), "/", `\/`) },
		"only the token":       func(_, _, _ string) string { return "unknown hook " + echoedToken + " here" },
		"token in lower case":  func(_, _, _ string) string { return "unknown hook " + strings.ToLower(echoedToken) },
		"host and path":        func(_, hostPath, _ string) string { return "no route to " + hostPath },
		"query alone, in caps": func(_, _, query string) string { return "bad query " + strings.ToUpper(query) },
		"percent-encoded whole": func(full, _, _ string) string {
			return "url=" + strings.NewReplacer("/", "%2F", ":", "%3A", "?", "%3F", "=", "%3D").Replace(full)
		},
	}
	for name, form := range forms {
		t.Run(name, func(t *testing.T) {
			var webhook rules.Secret
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				full := webhook.Reveal()
				hostPath := strings.TrimPrefix(strings.SplitN(full, "?", 2)[0], "http://")
				w.WriteHeader(http.StatusNotFound)
				fmt.Fprint(w, form(full, hostPath, r.URL.RawQuery))
			}))
			defer srv.Close()
			webhook = rules.NewSecret(srv.URL + "/hooks/T0000/" + echoedToken + "?sig=QuerySignature987")
			a := Post(context.Background(), NewClient(5*time.Second), rules.Slack, webhook, []byte(`{}`))
			checkNoSecret(t, a.String(), webhook)
		})
	}
}

func checkNoSecret(t *testing.T, out string, webhook rules.Secret) {
	t.Helper()
	low := strings.ToLower(out)
	for _, s := range []string{webhook.Reveal(), echoedToken, "querysignature987", "sig=", strings.TrimPrefix(webhook.Reveal(), "http://")} {
		if strings.Contains(low, strings.ToLower(s)) || strings.Contains(low, strings.ToLower(strings.ReplaceAll(s, "/", `\/`))) {
			t.Errorf("output reveals %q: %s", s, out)
		}
	}
}

// TestRedactedAnswerIsWhatIsStoredAndLogged: last_answer and the log of a dead delivery whose
// answer echoes the URL with escaped slashes carry no part of it.
func TestRedactedAnswerIsWhatIsStoredAndLogged(t *testing.T) {
	o, _ := newOutbox(t)
	var webhook rules.Secret
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintf(w, `{"error":"forbidden: %s"}`, strings.ReplaceAll(strings.ToUpper(webhook.Reveal()), "/", `\/`))
	}))
	defer srv.Close()
	webhook = rules.NewSecret(srv.URL + "/hooks/" + echoedToken + "?sig=QuerySignature987")
	logs := &lockedBuffer{b: new(bytes.Buffer)}
	startWorker(t, o, "a", webhooktest.New(t, nil), logs, func(w *Worker) { w.URL = webhook })
	enqueueN(t, o, "a", 0, 1)
	poll.Until(t, 10*time.Second, "a dead delivery", func() bool { return count(t, o, "status = 'dead'") == 1 })
	var answer string
	if err := o.pool.QueryRow(context.Background(), `SELECT last_answer FROM walnotify.delivery`).Scan(&answer); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(answer, "forbidden") {
		t.Errorf("last_answer %q lost the reason", answer)
	}
	checkNoSecret(t, answer, webhook)
	poll.Until(t, 5*time.Second, "the log of the dead delivery", func() bool { return strings.Contains(logs.String(), "delivery dead") })
	checkNoSecret(t, logs.String(), webhook)
}

// TestSlackErrorBodyWith200IsAFailure: Slack answering 200 with an error word is classified
// as the same word with a 4xx.
func TestSlackErrorBodyWith200IsAFailure(t *testing.T) {
	for _, word := range []string{"invalid_token", "no_service", "channel_not_found", "action_prohibited"} {
		got := Classify(rules.Slack, 200, nil, []byte(word), nil)
		want := Classify(rules.Slack, 400, nil, []byte(word), nil)
		if got.Verdict != Dead || got.Verdict != want.Verdict || got.Reason != word {
			t.Errorf("200 %q: %v, want %v like %v", word, got, Dead, want)
		}
	}
	for _, body := range []string{"ok", "", "OK\n"} {
		if got := Classify(rules.Slack, 200, nil, []byte(body), nil); got.Verdict != Delivered {
			t.Errorf("200 %q: %v, want delivered", body, got)
		}
	}
	// Another service's 200 is success whatever its body says.
	if got := Classify(rules.Mattermost, 200, nil, []byte("invalid_token"), nil); got.Verdict != Delivered {
		t.Errorf("Mattermost 200: %v", got)
	}
}

// TestSlowWebhookSwitchesToDigestsFromItsMeasuredPace: a webhook that takes 150 ms per
// answer, with a configured rate far above that, gets digests: 1,000 messages in few requests.
func TestSlowWebhookSwitchesToDigestsFromItsMeasuredPace(t *testing.T) {
	o, _ := newOutbox(t)
	var requests atomic.Int32
	h := webhooktest.New(t, func(_ int, w http.ResponseWriter) {
		requests.Add(1)
		time.Sleep(150 * time.Millisecond) // the slow service answering
		io.WriteString(w, "ok")
	})
	startWorker(t, o, "slow", h, io.Discard, func(w *Worker) {
		w.Service = rules.Generic
		w.Limiter = rate.NewLimiter(1000, 1000)
	})
	enqueueN(t, o, "slow", 0, 1000)
	poll.Until(t, 30*time.Second, "1,000 deliveries", func() bool { return count(t, o, "status = 'delivered'") == 1000 })
	if n := requests.Load(); n > 60 {
		t.Errorf("%d requests for 1,000 messages to a 150 ms webhook: digests did not start", n)
	}
}

// lockedBuffer is a log destination safe for the worker's goroutine and the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  *bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// runes counts characters as the services do.
func runes(s string) int { return utf8.RuneCountInString(s) }

func sampleTicket() Message {
	return Message{
		Notification: "New urgent ticket", Event: "New", Doctype: "Issue", Name: "ISS-2024-00042",
		Subject: "Ticket ISS-2024-00042", Text: "*Nouveau ticket*\nNouvelle demande n° ISS-2024-00042.",
		URL: "https://erp.example.com/app/issue/ISS-2024-00042",
	}
}
