package sender

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"walnotify/internal/poll"
	"walnotify/internal/webhooktest"
	"walnotify/rules"
	"walnotify/service"
)

// fakeService answers like a real service: the first request is rate limited, the second
// accepted, the third refused for good. It checks each request as the service would.
type fakeService struct {
	name    string
	url     func(base string) string // the configured webhook URL
	opts    service.Options
	check   func(r *http.Request, body map[string]any) string // "" when the request is right
	limit   func(w http.ResponseWriter)                       // a 429 asking for 1 s
	ok      func(w http.ResponseWriter)
	refuse  func(w http.ResponseWriter)
	reason  string        // what the refusal's last_answer says
	minWait time.Duration // between the limited request and the next
}

func fakeServices() []fakeService {
	jsonAnswer := func(status int, body string) func(http.ResponseWriter) {
		return func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			io.WriteString(w, body)
		}
	}
	return []fakeService{{
		name: "Microsoft Teams",
		url: func(base string) string {
			return base + "/workflows/abc/triggers/manual/paths/invoke?api-version=1&sig=SigSecretSigSecret123"
		},
		check: func(r *http.Request, b map[string]any) string {
			att, _ := b["attachments"].([]any)
			if b["type"] != "message" || len(att) != 1 || r.URL.Query().Get("sig") == "" {
				return "not a Workflows message"
			}
			return ""
		},
		limit: func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "1")
			jsonAnswer(429, `{"error":{"code":"WorkflowRequestsThrottled","message":"Rate limit is exceeded."}}`)(w)
		},
		ok:      func(w http.ResponseWriter) { w.WriteHeader(http.StatusAccepted) },
		refuse:  jsonAnswer(404, `{"error":{"code":"WorkflowNotFound","message":"The workflow was not found."}}`),
		reason:  "The workflow was not found.",
		minWait: time.Second,
	}, {
		name: "Telegram",
		url:  func(base string) string { return base + "/bot123456:AAHTokenTokenTokenToken/sendMessage" },
		opts: service.Options{ChatID: "-1001234567890"},
		check: func(r *http.Request, b map[string]any) string {
			if id, ok := b["chat_id"].(float64); !ok || id != -1001234567890 || r.URL.RawQuery != "" {
				return "chat_id missing from the body or left in the URL"
			}
			if b["parse_mode"] != "HTML" || !strings.HasSuffix(r.URL.Path, "/sendMessage") {
				return "not an HTML sendMessage"
			}
			return ""
		},
		limit:   jsonAnswer(429, `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}`),
		ok:      jsonAnswer(200, `{"ok":true,"result":{"message_id":1}}`),
		refuse:  jsonAnswer(400, `{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}`),
		reason:  "Bad Request: chat not found",
		minWait: time.Second,
	}, {
		name: "ntfy",
		url:  func(base string) string { return base + "/erp-alerts-Xq7rT9pL2mN4" },
		opts: service.Options{Token: "tk_secrettokensecrettoken"},
		check: func(r *http.Request, b map[string]any) string {
			if r.URL.Path != "/" || b["topic"] != "erp-alerts-Xq7rT9pL2mN4" || r.URL.RawQuery != "" {
				return "not a JSON publish to the root with the topic"
			}
			if r.Header.Get("Authorization") != "Bearer tk_secrettokensecrettoken" {
				return "no bearer token"
			}
			return ""
		},
		limit: func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "1")
			jsonAnswer(429, `{"code":42901,"http":429,"error":"limit reached: too many requests"}`)(w)
		},
		ok:      jsonAnswer(200, `{"id":"x","time":1,"event":"message","topic":"erp-alerts-Xq7rT9pL2mN4"}`),
		refuse:  jsonAnswer(403, `{"code":40301,"http":403,"error":"forbidden"}`),
		reason:  "forbidden",
		minWait: time.Second,
	}}
}

// webhookURL completes the configured URL as config loading does.
func webhookURL(t *testing.T, name, raw string, o service.Options) rules.Secret {
	t.Helper()
	svc, err := service.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if svc.Endpoint != nil {
		if _, err := svc.Endpoint(u, o); err != nil {
			t.Fatal(err)
		}
	}
	return rules.NewSecret(u.String())
}

// TestNewServicesEndToEnd: through the outbox and a worker to a fake that answers like the
// service: a rate limit is honoured (its wait respected), success is delivered, a permanent
// refusal is dead with the service's reason and no secret.
func TestNewServicesEndToEnd(t *testing.T) {
	o, _ := newOutbox(t)
	for _, f := range fakeServices() {
		t.Run(f.name, func(t *testing.T) {
			var mu sync.Mutex
			var at []time.Time
			var problems []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				var body map[string]any
				b, _ := io.ReadAll(r.Body)
				mu.Lock()
				defer mu.Unlock()
				if err := json.Unmarshal(b, &body); err != nil || r.Header.Get("Content-Type") != "application/json" {
					problems = append(problems, "not JSON: "+string(b))
				} else if p := f.check(r, body); p != "" {
					problems = append(problems, p+": "+r.URL.String()+" "+string(b))
				}
				at = append(at, time.Now())
				n := len(at)
				switch n {
				case 1:
					f.limit(w)
				case 2:
					f.ok(w)
				default:
					f.refuse(w)
				}
			}))
			defer srv.Close()
			webhook := strings.NewReplacer(" ", "", ".", "").Replace(strings.ToLower(f.name))
			secret := webhookURL(t, f.name, f.url(srv.URL), f.opts)
			startWorker(t, o, webhook, webhooktest.New(t, nil), io.Discard, func(w *Worker) { w.Service = rules.Service(f.name); w.URL = secret })
			enqueueN(t, o, webhook, 0, 2)
			poll.Until(t, 15*time.Second, "both settled", func() bool {
				return count(t, o, "webhook = $1 AND status <> 'pending'", webhook) == 2
			})
			mu.Lock()
			defer mu.Unlock()
			if len(problems) > 0 {
				t.Errorf("the fake saw bad requests: %q", problems)
			}
			if len(at) != 3 || at[1].Sub(at[0]) < f.minWait {
				t.Errorf("%d requests; wait after the rate limit %v, want at least %v", len(at), at[1].Sub(at[0]), f.minWait)
			}
			var delivered, dead, answer string
			if err := o.pool.QueryRow(context.Background(), `SELECT
  (SELECT status FROM walnotify.delivery WHERE webhook = $1 ORDER BY id LIMIT 1),
  (SELECT status FROM walnotify.delivery WHERE webhook = $1 ORDER BY id DESC LIMIT 1),
  (SELECT last_answer FROM walnotify.delivery WHERE webhook = $1 ORDER BY id DESC LIMIT 1)`, webhook).Scan(&delivered, &dead, &answer); err != nil {
				t.Fatal(err)
			}
			if delivered != StatusDelivered || dead != StatusDead || !strings.Contains(answer, f.reason) {
				t.Errorf("first %s, second %s (%q); want delivered, then dead saying %q", delivered, dead, answer, f.reason)
			}
			checkNoSecret(t, answer, secret)
		})
	}
}

func TestTelegramPermanentAnswersAreDead(t *testing.T) {
	for status, body := range map[int]string{
		400: `{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}`,
		403: `{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`,
	} {
		a := Classify("Telegram", status, nil, []byte(body), nil)
		if a.Verdict != Dead || !strings.Contains(body, a.Reason) || a.Reason == "" {
			t.Errorf("%d: %v", status, a)
		}
	}
	if a := Classify("Microsoft Teams", http.StatusAccepted, nil, nil, nil); a.Verdict != Delivered {
		t.Errorf("Teams 202: %v", a)
	}
}
