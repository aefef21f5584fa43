package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"walnotify/internal/poll"
)

// TestTestSendReachesEachNewService: `walnotify test --send` delivers to Teams, Telegram and
// ntfy fakes that check the request as the service would and answer as it does.
func TestTestSendReachesEachNewService(t *testing.T) {
	var mu sync.Mutex
	got := map[string]map[string]any{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &body); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		switch {
		case strings.HasPrefix(r.URL.Path, "/workflows/"): // Teams: 202, empty body
			got["teams"] = body
			w.WriteHeader(http.StatusAccepted)
		case strings.HasSuffix(r.URL.Path, "/sendMessage"): // Telegram
			if body["chat_id"] != float64(-100777) {
				w.WriteHeader(http.StatusBadRequest)
				io.WriteString(w, `{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}`)
				return
			}
			got["telegram"] = body
			io.WriteString(w, `{"ok":true,"result":{"message_id":7}}`)
		case r.URL.Path == "/": // ntfy's JSON publish
			if r.Header.Get("Authorization") != "Bearer tk_SECRETTOKEN" {
				w.WriteHeader(http.StatusForbidden)
				io.WriteString(w, `{"code":40301,"http":403,"error":"forbidden"}`)
				return
			}
			got["ntfy"] = body
			io.WriteString(w, `{"id":"a","event":"message"}`)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()

	dir := t.TempDir()
	cfg := filepath.Join(dir, "w.toml")
	writeFile(t, cfg, `
[database]
dsn = "postgres://nobody@127.0.0.1:1/none"
[site]
url = "https://erp.example.com"
[[webhook]]
name = "teams"
service = "Microsoft Teams"
url = "`+srv.URL+`/workflows/SECRETWORKFLOW/invoke?sig=SECRETSIG"
[[webhook]]
name = "telegram"
service = "Telegram"
url = "`+srv.URL+`/botSECRETBOTTOKEN/sendMessage"
chat_id = "-100777"
[[webhook]]
name = "ntfy"
service = "ntfy"
url = "`+srv.URL+`/SECRETTOPIC"
token = "tk_SECRETTOKEN"
`+notificationFor("teams")+notificationFor("telegram")+notificationFor("ntfy"))
	doc := filepath.Join(dir, "doc.json")
	writeFile(t, doc, `{"name": "SINV-1", "docstatus": 1, "customer_name": "[Paid](http://evil.example) <b>x</b>"}`)

	for _, name := range []string{"teams", "telegram", "ntfy"} {
		code, out, errOut := cli(t, "test", "-c", cfg, "--notification", "to "+name, "--doc-json", doc, "--send")
		if code != 0 {
			t.Errorf("%s: exit %d\n%s%s", name, code, out, errOut)
		}
		if strings.Contains(out+errOut, "SECRET") {
			t.Errorf("%s: output reveals a secret:\n%s%s", name, out, errOut)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	text, _ := json.Marshal(got)
	for _, name := range []string{"teams", "telegram", "ntfy"} {
		if got[name] == nil {
			t.Errorf("%s never reached: %s", name, text)
		}
	}
	if got["ntfy"] != nil && got["ntfy"]["topic"] != "SECRETTOPIC" {
		t.Errorf("ntfy topic: %v", got["ntfy"]["topic"])
	}
	if tg := got["telegram"]; tg != nil && !strings.Contains(tg["text"].(string), "&lt;b&gt;x&lt;/b&gt;") {
		t.Errorf("Telegram text not escaped for HTML: %q", tg["text"])
	}
	// Teams and ntfy render Markdown links, Telegram (HTML mode) only <a> tags.
	for _, name := range []string{"teams", "ntfy"} {
		if b, _ := json.Marshal(got[name]); strings.Contains(string(b), "](http://evil") {
			t.Errorf("%s: a document value's link reached the service: %s", name, b)
		}
	}
	if b, _ := json.Marshal(got["telegram"]); strings.Contains(string(b), "<a ") {
		t.Errorf("telegram: a document value's link reached the service: %s", b)
	}
}

func notificationFor(webhook string) string {
	return `
[[notification]]
name = "to ` + webhook + `"
document_type = "Sales Invoice"
event = "Submit"
subject = "Invoice {{ doc.name }}"
message = "Paid: {{ doc.customer_name }}"
webhook = "` + webhook + `"
`
}

const echoConfig = siteTOML + `[[webhook]]
name = "echo"
service = "Slack"
url = "<<.Hook.echo>>"

[[notification]]
name = "To echo"
document_type = "Issue"
event = "New"
message = "echo {{ doc.name }}"
webhook = "echo"
`

// TestStatusNeverShowsAnEchoedURL (issue 9, item 4): a webhook whose answer repeats its URL
// in capitals with JSON-escaped slashes leaves no part of it in last_answer, the log, status
// or status --json.
func TestStatusNeverShowsAnEchoedURL(t *testing.T) {
	s := newSite(t, []string{"echo"}, echoConfig)
	hook := s.hooks["echo"]
	full := hook.URL + "/services/T0/B0/" + s.secrets[0]
	hook.SetReply(func(_ int, w http.ResponseWriter) {
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"error":"no hook at `+strings.ReplaceAll(strings.ToUpper(full), "/", `\/`)+`"}`)
	})
	td := s.startDaemon(t)
	s.db.Exec(t, `INSERT INTO "tabIssue" (name, subject, priority, customer) VALUES ('ISS-ECHO', 'x', 'High', 'c')`)
	poll.Until(t, 30*time.Second, "the delivery dead", func() bool {
		return s.count(t, `SELECT count(*) FROM walnotify.delivery WHERE webhook = 'echo' AND status = 'dead'`) == 1
	})
	_, asJSON, errJSON := cli(t, "status", "--json", "-c", s.path)
	_, human, errHuman := cli(t, "status", "-c", s.path)
	if !strings.Contains(human, "no hook at") {
		t.Errorf("status does not show the answer:\n%s", human)
	}
	var stored string
	s.db.Conn(t).QueryRow(context.Background(), `SELECT last_answer FROM walnotify.delivery WHERE webhook = 'echo'`).Scan(&stored)
	all := strings.ToLower(asJSON + errJSON + human + errHuman + stored + td.logs.String())
	hostPath := strings.TrimPrefix(full, "http://")
	for _, secret := range []string{full, hostPath, s.secrets[0], "/services/t0/b0/"} {
		for _, form := range []string{secret, strings.ReplaceAll(secret, "/", `\/`), strings.ReplaceAll(secret, "/", `\\/`)} {
			if strings.Contains(all, strings.ToLower(form)) {
				t.Errorf("%q shown:\nstatus --json: %s\nstatus: %s\nlast_answer: %s", form, asJSON, human, stored)
			}
		}
	}
}
