package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"walnotify/internal/poll"
)

func TestCheckReportsBrokenConfigs(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		{"syntax.toml", []string{"syntax.toml:7:9: expected value"}},
		{"unknown_key.toml", []string{"unknown_key.toml:15:", `unknown key "notification.send_alert_on"`}},
		{"bad_condition.toml", []string{"bad_condition.toml:14:", `notification "Open ticket": condition: line 1, column 26`}},
		{"bad_template.toml", []string{"bad_template.toml:16:", `notification "Open ticket": message:`, `unknown filter "nosuchfilter"`}},
		{"unknown_webhook.toml", []string{"unknown_webhook.toml:15:", `webhook: no webhook is named "suport"`}},
		{"three_mistakes.toml", []string{`unknown event "Submitted"`, `unknown service "Teams"`, `value_changed: is required`}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("..", "..", "rules", "testdata", "broken", tt.file)
			code, out, errOut := cli(t, "check", "-c", path)
			if code != 1 {
				t.Fatalf("exit %d, want 1\n%s%s", code, out, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q does not contain %q", errOut, w)
				}
			}
		})
	}
}

func TestCheckAcceptsTheExample(t *testing.T) {
	t.Setenv("WALNOTIFY_DB_PASSWORD", "pw")
	t.Setenv("SLACK_SUPPORT_URL", "https://hooks.slack.com/services/T/B/SECRETX")
	t.Setenv("GCHAT_ACCOUNTING_URL", "https://chat.googleapis.com/v1/spaces/A/messages?key=SECRETY")
	t.Setenv("TEAMS_SALES_URL", "https://x.logic.azure.com/workflows/w/invoke?sig=SECRETZ")
	t.Setenv("TELEGRAM_OPS_URL", "https://api.telegram.org/botSECRETT/sendMessage")
	t.Setenv("NTFY_OPS_URL", "https://ntfy.sh/SECRETN")
	t.Setenv("WMS_URL", "https://wms.example.com/SECRETW")
	t.Setenv("WMS_SECRET", "SECRETS")
	code, out, errOut := cli(t, "check", "-c", "../../config.example.toml")
	if code != 0 || !strings.Contains(out, "configuration OK") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if strings.Contains(out+errOut, "SECRET") {
		t.Error("check printed a webhook URL")
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	for _, args := range [][]string{{"nosuchcommand"}, {"check", "--nosuchflag"}, {"test", "-c", "x.toml"}, {}} {
		if code, _, _ := cli(t, args...); code != 2 {
			t.Errorf("walnotify %q: exit %d, want 2", args, code)
		}
	}
}

const testCmdConfig = `
[database]
dsn = "postgres://nobody@127.0.0.1:1/none"
[site]
url = "https://erp.example.com"
[[webhook]]
name = "support"
service = "Slack"
url = "https://hooks.slack.com/services/T/B/SECRETZ"
[[notification]]
name = "Big invoice"
document_type = "Sales Invoice"
event = "Submit"
condition = "doc.grand_total > 40000 and doc.customer"
subject = "Invoice {{ doc.name }}"
message = "*{{ doc.customer_name }}* owes {{ doc.grand_total }} {{ doc.currency }}"
webhook = "support"
[[notification]]
name = "Broken at run time"
document_type = "Sales Invoice"
event = "Submit"
condition = "doc.customer > 5"
message = "x"
webhook = "support"
`

func TestTestCommandShowsWhatANotificationDoes(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "w.toml")
	writeFile(t, cfg, testCmdConfig)
	doc := filepath.Join(dir, "doc.json")
	writeFile(t, doc, `{"name": "SINV-1", "docstatus": 1, "customer": "Girard", "customer_name": "Atelier <Girard>", "grand_total": 45000.5, "currency": "EUR"}`)
	old := filepath.Join(dir, "old.json")
	writeFile(t, old, `{"name": "SINV-1", "docstatus": 0, "customer": "Girard", "customer_name": "Atelier <Girard>", "grand_total": 45000.5, "currency": "EUR"}`)

	code, out, errOut := cli(t, "test", "-c", cfg, "--notification", "Big invoice", "--doc-json", doc, "--old-json", old, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res struct {
		Events    []string       `json:"events"`
		Condition bool           `json:"condition"`
		Subject   string         `json:"subject"`
		Message   string         `json:"message"`
		Payload   map[string]any `json:"payload"`
		Error     string         `json:"error"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if strings.Join(res.Events, ",") != "Save,Submit" || !res.Condition || res.Subject != "Invoice SINV-1" ||
		res.Message != "*Atelier &lt;Girard&gt;* owes 45000.5 EUR" || res.Payload["text"] != res.Message || res.Error != "" {
		t.Errorf("test --json = %+v", res)
	}

	// A run-time error is reported with its position.
	code, out, _ = cli(t, "test", "-c", cfg, "--notification", "Broken at run time", "--doc-json", doc, "--json")
	if code != 1 || !strings.Contains(out, `"error": "condition: line 1, column`) {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
	// The human form says nothing was sent.
	code, out, _ = cli(t, "test", "-c", cfg, "--notification", "Big invoice", "--doc-json", doc)
	if code != 0 || !strings.Contains(out, "nothing sent") || !strings.Contains(out, "New, Save, Submit") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
	if strings.Contains(out, "SECRETZ") {
		t.Error("test printed the webhook URL")
	}
}

func TestTestSendDeliversEvenWhenTheConditionIsFalse(t *testing.T) {
	s := newSite(t, []string{"support", "accounting"}, eventsConfig)
	code, out, errOut := cli(t, "test", "-c", s.path, "--notification", "New urgent ticket", "--doc", "ISS-2025-00018", "--send")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "sent although the daemon would not send it") {
		t.Errorf("output does not say the condition was false:\n%s", out)
	}
	if got := s.hooks["support"].Texts(); len(got) != 1 || !strings.Contains(got[0], "ISS-2025-00018") {
		t.Errorf("webhook received %q", got)
	}
	s.assertNoSecrets(t, "test --send", out+errOut)
}

func TestTailPrintsOneJSONLinePerChange(t *testing.T) {
	s := newSite(t, []string{"support", "accounting"}, eventsConfig)
	r, w, _ := os.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var errOut syncBuffer
	go func() { done <- run(ctx, []string{"tail", "-c", s.path, "--table", "Issue"}, w, &errOut); w.Close() }()
	lines := make(chan string, 10)
	go func() {
		sc := bufio.NewScanner(r)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	// tail's temporary slot exists once it streams.
	poll.Until(t, 30*time.Second, "tail streaming", func() bool {
		return s.count(t, `SELECT count(*) FROM pg_replication_slots WHERE temporary AND active`) == 1
	})
	s.db.Exec(t, `INSERT INTO "tabIssue" (name, docstatus, subject, status, total_hold_time, opening_date, modified) VALUES ('ISS-TAIL', 0, 'Tail me', 'Open', 12.5, '2025-03-14', '2025-03-14 09:12:33.418275')`)
	s.db.Exec(t, `UPDATE "tabIssue" SET status = 'Closed' WHERE name = 'ISS-TAIL'`)
	s.db.Exec(t, `DELETE FROM "tabIssue" WHERE name = 'ISS-TAIL'`)
	var got []map[string]any
	for len(got) < 3 {
		select {
		case l := <-lines:
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatalf("not JSON: %q", l)
			}
			got = append(got, m)
		case <-time.After(30 * time.Second):
			t.Fatalf("tail printed %d lines; stderr: %s", len(got), errOut.String())
		}
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("tail exit %d: %s", code, errOut.String())
	}
	ins, upd, del := got[0], got[1], got[2]
	for _, k := range []string{"lsn", "commit_lsn", "xid", "commit_time", "schema", "table", "op", "new", "old", "events"} {
		if _, ok := ins[k]; !ok {
			t.Errorf("line lacks %q: %v", k, ins)
		}
	}
	newRow := ins["new"].(map[string]any)
	if ins["op"] != "insert" || ins["table"] != "tabIssue" || ins["old"] != nil || newRow["total_hold_time"] != 12.5 ||
		newRow["opening_date"] != "2025-03-14" || newRow["modified"] != "2025-03-14 09:12:33.418275" || newRow["docstatus"] != 0.0 {
		t.Errorf("insert line: %v", ins)
	}
	if evs := ins["events"].([]any); len(evs) != 2 || evs[0] != "New" || evs[1] != "Save" {
		t.Errorf("insert events: %v", evs)
	}
	if upd["op"] != "update" || upd["old"].(map[string]any)["status"] != "Open" || upd["new"].(map[string]any)["status"] != "Closed" {
		t.Errorf("update line: %v", upd)
	}
	if evs := upd["events"].([]any); len(evs) != 2 || evs[0] != "Save" || evs[1] != "Value Change:status" {
		t.Errorf("update events: %v", evs)
	}
	if del["op"] != "delete" || del["new"] != nil || del["old"].(map[string]any)["name"] != "ISS-TAIL" {
		t.Errorf("delete line: %v", del)
	}
}
