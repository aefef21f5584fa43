package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"walnotify/internal/poll"
	"walnotify/internal/webhooktest"
	"walnotify/sender"
)

const eventsConfig = siteTOML + `[[webhook]]
name = "support"
service = "Slack"
url = "<<.Hook.support>>"
rate = 100.0
[[webhook]]
name = "accounting"
service = "Google Chat"
url = "<<.Hook.accounting>>"
rate = 100.0
show_document_link = false

[[notification]]
name = "New urgent ticket"
document_type = "Issue"
event = "New"
condition = 'doc.priority == "High"'
message = "New ticket {{ doc.name }}: {{ doc.subject }} for {{ doc.customer }}"
webhook = "support"

[[notification]]
name = "Ticket saved"
document_type = "Issue"
event = "Save"
message = "Saved {{ doc.name }} ({{ doc.status }})"
webhook = "support"

[[notification]]
name = "Ticket status"
document_type = "Issue"
event = "Value Change"
value_changed = "status"
message = "{{ doc.name }} is now {{ doc.status }}"
webhook = "support"

[[notification]]
name = "Invoice submitted"
document_type = "Sales Invoice"
event = "Submit"
message = "Invoice {{ doc.name }} submitted: {{ frappe.utils.fmt_money(doc.grand_total, currency=doc.currency) }}"
webhook = "accounting"

[[notification]]
name = "Invoice cancelled"
document_type = "Sales Invoice"
event = "Cancel"
message = "Invoice {{ doc.name }} cancelled"
webhook = "accounting"
`

func TestDocumentEventsReachTheirWebhooks(t *testing.T) {
	s := newSite(t, []string{"support", "accounting"}, eventsConfig)
	s.startDaemon(t)
	db := s.db
	db.Exec(t, `INSERT INTO "tabIssue" (name, docstatus, subject, customer, status, priority, modified)
VALUES ('ISS-T-1', 0, 'Printer on fire', '<!channel> Lemoine & Fils', 'Open', 'High', now())`)
	db.Exec(t, `INSERT INTO "tabIssue" (name, docstatus, subject, customer, status, priority, modified)
VALUES ('ISS-T-2', 0, 'Low one', 'Girard', 'Open', 'Low', now())`)
	db.Exec(t, `UPDATE "tabIssue" SET status = 'Replied', modified = now() WHERE name = 'ISS-T-1'`)
	db.Exec(t, `UPDATE "tabIssue" SET _seen = '["x"]' WHERE name = 'ISS-T-1'`) // bookkeeping only: nothing
	db.Exec(t, `INSERT INTO "tabSales Invoice" (name, docstatus, customer, customer_name, currency, grand_total, status)
VALUES ('SINV-T-1', 0, 'Girard', 'Atelier Girard', 'EUR', 45000.5, 'Draft')`)
	db.Exec(t, `UPDATE "tabSales Invoice" SET docstatus = 1, status = 'Unpaid' WHERE name = 'SINV-T-1'`)
	db.Exec(t, `UPDATE "tabSales Invoice" SET docstatus = 2, status = 'Cancelled' WHERE name = 'SINV-T-1'`)

	wantSupport := []string{
		"New ticket ISS-T-1: Printer on fire for &lt;!channel&gt; Lemoine &amp; Fils",
		"Saved ISS-T-1 (Open)",
		"Saved ISS-T-2 (Open)",
		"Saved ISS-T-1 (Replied)",
		"ISS-T-1 is now Replied",
	}
	wantAccounting := []string{
		"Invoice SINV-T-1 submitted: € 45,000.50",
		"Invoice SINV-T-1 cancelled",
	}
	s.settle(t, s.hooks["support"], `INSERT INTO "tabIssue" (name, subject, status, priority) VALUES ('ISS-T-END', 'x', 'Open', 'Low')`, "Saved ISS-T-END")
	s.settle(t, s.hooks["accounting"], `INSERT INTO "tabSales Invoice" (name, docstatus, currency) VALUES ('SINV-T-END', 1, 'EUR')`, "Invoice SINV-T-END")
	wantSupport = append(wantSupport, "Saved ISS-T-END (Open)")
	wantAccounting = append(wantAccounting, "Invoice SINV-T-END submitted: € 0.00")
	if got := s.hooks["support"].Texts(); !reflect.DeepEqual(got, wantSupport) {
		t.Errorf("support received:\n%q\nwant:\n%q", got, wantSupport)
	}
	if got := s.hooks["accounting"].Texts(); !reflect.DeepEqual(got, wantAccounting) {
		t.Errorf("accounting received:\n%q\nwant:\n%q", got, wantAccounting)
	}
	// The exact Slack payload, button included.
	var first map[string]any
	json.Unmarshal([]byte(s.hooks["support"].Requests()[0].Body), &first)
	wantPayload := map[string]any{
		"text": wantSupport[0],
		"attachments": []any{map[string]any{
			"fallback": "See the document at https://erp.example.com/app/issue/ISS-T-1",
			"actions":  []any{map[string]any{"type": "button", "text": "Go to the document", "url": "https://erp.example.com/app/issue/ISS-T-1", "style": "primary"}},
		}},
	}
	if !reflect.DeepEqual(first, wantPayload) {
		t.Errorf("Slack payload:\n%v\nwant:\n%v", first, wantPayload)
	}
	var gchat map[string]any
	json.Unmarshal([]byte(s.hooks["accounting"].Requests()[0].Body), &gchat)
	if !reflect.DeepEqual(gchat, map[string]any{"text": wantAccounting[0]}) {
		t.Errorf("Google Chat payload without link: %v", gchat)
	}
}

const writeBackConfig = siteTOML + `[[webhook]]
name = "support"
service = "Mattermost"
url = "<<.Hook.support>>"
rate = 100.0
show_document_link = false

[[notification]]
name = "Acknowledge"
document_type = "Issue"
event = "New"
message = "Got {{ doc.name }}"
webhook = "support"
set_property_after_alert = "status"
property_value = "Replied"
send_system_notification = true
recipients = ["jeanne.martin@acme-france.example"]

[[notification]]
name = "Every save"
document_type = "Issue"
event = "Save"
message = "Saved {{ doc.name }} ({{ doc.status }})"
webhook = "support"

[[notification]]
name = "Count"
document_type = "Issue"
event = "Save"
condition = 'doc.name == "ISS-W-1"'
message = "x"
set_property_after_alert = "first_response_time"
property_value = "12.7"
send_system_notification = false
webhook = "support"
`

func TestSetPropertyAfterAlertWritesOnceAndFiresNothing(t *testing.T) {
	s := newSite(t, []string{"support"}, writeBackConfig)
	s.startDaemon(t)
	s.db.Exec(t, `INSERT INTO "tabIssue" (name, docstatus, subject, status, owner, modified) VALUES ('ISS-W-1', 0, 'Hello', 'Open', 'Administrator', '2025-01-01 10:00:00')`)
	hook := s.hooks["support"]
	poll.Until(t, 30*time.Second, "three messages", func() bool { return len(hook.Texts()) >= 3 })
	poll.Until(t, 10*time.Second, "write-back", func() bool {
		return s.count(t, `SELECT count(*) FROM "tabIssue" WHERE name = 'ISS-W-1' AND status = 'Replied'`) == 1
	})
	// A Save the write-back raised would come before this later document's messages.
	s.settle(t, hook, `INSERT INTO "tabIssue" (name, status) VALUES ('ISS-W-2', 'Open')`, "Saved ISS-W-2")
	got := hook.Texts()
	want := []string{"Got ISS-W-1", "Saved ISS-W-1 (Open)", "x", "Got ISS-W-2", "Saved ISS-W-2 (Open)"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("webhook received %q, want %q: the write-back must raise no Save", got, want)
	}
	if n := s.count(t, `SELECT count(*) FROM "tabIssue" WHERE name = 'ISS-W-1' AND modified > '2025-01-01 10:00:00' AND first_response_time = 12`); n != 1 {
		t.Errorf("modified not bumped or numeric property not cast like cint (12.7 -> 12)")
	}
	if n := s.count(t, `SELECT count(*) FROM "tabNotification Log" WHERE document_name = 'ISS-W-1' AND type = 'Alert' AND for_user = 'jeanne.martin@acme-france.example' AND subject IS NOT NULL AND email_content = 'Got ISS-W-1'`); n != 1 {
		t.Errorf("Notification Log rows = %d, want 1", n)
	}
}

const failingConfig = siteTOML + `[[webhook]]
name = "flaky"
service = "Slack"
url = "<<.Hook.flaky>>"
rate = 100.0
[[webhook]]
name = "steady"
service = "Discord"
url = "<<.Hook.steady>>"
rate = 100.0
[[webhook]]
name = "gone"
service = "Slack"
url = "<<.Hook.gone>>"
rate = 100.0

[[notification]]
name = "To flaky"
document_type = "Issue"
event = "New"
message = "flaky {{ doc.name }}"
webhook = "flaky"

[[notification]]
name = "To steady"
document_type = "Issue"
event = "New"
condition = 'doc.priority == "High" or doc.customer > 5'
message = "steady {{ doc.name }}"
webhook = "steady"

[[notification]]
name = "To gone"
document_type = "ToDo"
event = "New"
message = "todo {{ doc.name }}"
webhook = "gone"
`

func TestFailingWebhookHoldsNoWALAndDelaysNoOtherWebhook(t *testing.T) {
	s := newSite(t, []string{"flaky", "steady", "gone"}, failingConfig)
	flaky, steady, gone := s.hooks["flaky"], s.hooks["steady"], s.hooks["gone"]
	flaky.SetReply(webhooktest.Status(http.StatusInternalServerError, "rollup_error"))
	gone.SetReply(webhooktest.Status(http.StatusNotFound, "channel_not_found"))
	s.startDaemon(t)
	slotLSN := func() string {
		var lsn string
		s.db.Conn(t).QueryRow(context.Background(), `SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = 'walnotify'`).Scan(&lsn)
		return lsn
	}
	before := slotLSN()
	for i := range 10 {
		s.db.Exec(t, `INSERT INTO "tabIssue" (name, subject, priority, customer) VALUES ($1, 'x', 'High', 'c')`, "ISS-F-"+string(rune('A'+i)))
	}
	// A document whose condition fails at run time: customer is text, compared with a number.
	s.db.Exec(t, `INSERT INTO "tabIssue" (name, subject, priority, customer) VALUES ('ISS-F-BAD', 'x', 'Low', 'Girard')`)
	s.db.Exec(t, `INSERT INTO "tabToDo" (name, status, description) VALUES ('TODO-1', 'Open', 'x')`)

	poll.Until(t, 30*time.Second, "steady receives everything while flaky fails", func() bool { return len(steady.Texts()) == 10 })
	poll.Until(t, 30*time.Second, "the slot moves on while flaky's deliveries wait", func() bool {
		return s.count(t, `SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'walnotify' AND confirmed_flush_lsn > $1::pg_lsn`, before) == 1
	})
	if n := s.count(t, `SELECT count(*) FROM walnotify.delivery WHERE webhook = 'flaky' AND status = 'pending'`); n != 11 {
		t.Fatalf("flaky has %d pending deliveries, want 11", n)
	}
	poll.Until(t, 30*time.Second, "404 marked dead", func() bool {
		return s.count(t, `SELECT count(*) FROM walnotify.delivery WHERE webhook = 'gone' AND status = 'dead'`) == 1
	})
	if len(gone.Requests()) != 1 {
		t.Errorf("a 404 was retried: %d requests", len(gone.Requests()))
	}
	// The dead delivery is visible in status, with its answer, and no URL.
	code, out, errOut := cli(t, "status", "--json", "-c", s.path)
	if code != 0 {
		t.Fatalf("status: exit %d: %s", code, errOut)
	}
	var st sender.State
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatal(err)
	}
	if len(st.Dead) != 1 || !strings.Contains(st.Dead[0].Answer, "channel_not_found") || st.Dead[0].Name != "TODO-1" {
		t.Errorf("status dead deliveries = %+v", st.Dead)
	}
	s.assertNoSecrets(t, "status", out+errOut)
	_, human, _ := cli(t, "status", "-c", s.path)
	if !strings.Contains(human, "channel_not_found") || !strings.Contains(human, "flaky") {
		t.Errorf("status output:\n%s", human)
	}

	// flaky recovers: everything arrives, in order.
	flaky.SetReply(nil)
	poll.Until(t, 30*time.Second, "flaky delivers after recovery", func() bool {
		return s.count(t, `SELECT count(*) FROM walnotify.delivery WHERE webhook = 'flaky' AND status = 'delivered'`) == 11
	})
	joined := flaky.Joined()
	last := -1
	for _, name := range []string{"ISS-F-A", "ISS-F-B", "ISS-F-C", "ISS-F-D", "ISS-F-E", "ISS-F-F", "ISS-F-G", "ISS-F-H", "ISS-F-I", "ISS-F-J", "ISS-F-BAD"} {
		at := strings.LastIndex(joined, "flaky "+name+"\n")
		if at < 0 {
			at = strings.LastIndex(joined, "flaky "+name)
		}
		if at < last {
			t.Errorf("%s delivered out of order", name)
		}
		last = at
	}
}

func TestRuntimeConditionErrorIsLoggedAndCounted(t *testing.T) {
	s := newSite(t, []string{"flaky", "steady", "gone"}, failingConfig)
	td := s.startDaemon(t)
	s.db.Exec(t, `INSERT INTO "tabIssue" (name, subject, priority, customer) VALUES ('ISS-C-BAD', 'x', 'Low', 'Girard')`)
	s.db.Exec(t, `INSERT INTO "tabIssue" (name, subject, priority, customer) VALUES ('ISS-C-OK', 'x', 'High', 'Girard')`)
	poll.Until(t, 30*time.Second, "the good document still notifies", func() bool {
		return strings.Contains(s.hooks["steady"].Joined(), "steady ISS-C-OK") && strings.Contains(s.hooks["flaky"].Joined(), "flaky ISS-C-BAD")
	})
	logs := td.logs.String()
	if !strings.Contains(logs, "ISS-C-BAD") || !strings.Contains(logs, "condition failed") || !strings.Contains(logs, "To steady") {
		t.Errorf("condition error not logged with the document name:\n%s", logs)
	}
	if strings.Contains(s.hooks["steady"].Joined(), "ISS-C-BAD") {
		t.Error("a failing condition sent the notification")
	}
	// The webhook answers before the worker records the delivery: wait for the count.
	var metrics string
	poll.Until(t, 10*time.Second, "delivery counted", func() bool {
		metrics = httpGet(t, "http://"+s.listen+"/metrics")
		return strings.Contains(metrics, `walnotify_notifications_sent_total{notification="To steady",webhook="steady"} 1`)
	})
	if !strings.Contains(metrics, `walnotify_condition_errors_total{notification="To steady"} 1`) {
		t.Errorf("condition error not counted:\n%s", grepLines(metrics, "walnotify_"))
	}
	for _, m := range []string{"walnotify_changes_read_total", "walnotify_slot_lag_bytes", "walnotify_outbox_pending", "walnotify_commit_to_delivery_seconds_bucket"} {
		if !strings.Contains(metrics, m) {
			t.Errorf("metric %s missing", m)
		}
	}
	s.assertNoSecrets(t, "/metrics", metrics)
	if health := httpGet(t, "http://"+s.listen+"/healthz"); !strings.HasPrefix(health, "ok") {
		t.Errorf("/healthz = %q", health)
	}
}

func TestGracefulStopConfirmsAndRestartResumes(t *testing.T) {
	s := newSite(t, []string{"support", "accounting"}, eventsConfig)
	td := s.startDaemon(t)
	s.db.Exec(t, `INSERT INTO "tabIssue" (name, subject, status, priority) VALUES ('ISS-G-1', 'a', 'Open', 'Low')`)
	poll.Until(t, 30*time.Second, "first delivered", func() bool { return len(s.hooks["support"].Texts()) == 1 })
	td.stop(t)
	// Written while the daemon is down: delivered after the restart, and nothing twice.
	s.db.Exec(t, `INSERT INTO "tabIssue" (name, subject, status, priority) VALUES ('ISS-G-2', 'b', 'Open', 'Low')`)
	s.startDaemon(t)
	s.settle(t, s.hooks["support"], `INSERT INTO "tabIssue" (name, subject, status, priority) VALUES ('ISS-G-3', 'c', 'Open', 'Low')`, "Saved ISS-G-3")
	if got := s.hooks["support"].Texts(); !reflect.DeepEqual(got, []string{"Saved ISS-G-1 (Open)", "Saved ISS-G-2 (Open)", "Saved ISS-G-3 (Open)"}) {
		t.Errorf("after restart: %q", got)
	}
}

func TestReloadKeepsOldRulesOnABadFile(t *testing.T) {
	s := newSite(t, []string{"support", "accounting"}, eventsConfig)
	td := s.startDaemon(t)
	good, _ := readFile(s.path)
	writeFile(t, s.path, good+"\n[[notification]]\nname = \"broken\"\n")
	td.reload <- syscall.SIGHUP
	poll.Until(t, 10*time.Second, "reload rejected", func() bool { return strings.Contains(td.logs.String(), "reload rejected") })
	s.db.Exec(t, `INSERT INTO "tabIssue" (name, subject, status, priority) VALUES ('ISS-R-1', 'a', 'Open', 'Low')`)
	poll.Until(t, 30*time.Second, "old rules still deliver", func() bool { return len(s.hooks["support"].Texts()) == 1 })
	// A good file with a changed message is taken.
	writeFile(t, s.path, strings.Replace(good, "Saved {{ doc.name }}", "Stored {{ doc.name }}", 1))
	td.reload <- syscall.SIGHUP
	poll.Until(t, 10*time.Second, "reloaded", func() bool { return strings.Contains(td.logs.String(), "rules reloaded") })
	s.db.Exec(t, `INSERT INTO "tabIssue" (name, subject, status, priority) VALUES ('ISS-R-2', 'a', 'Open', 'Low')`)
	poll.Until(t, 30*time.Second, "new rules deliver", func() bool { return strings.Contains(s.hooks["support"].Joined(), "Stored ISS-R-2") })
	if strings.Contains(td.logs.String(), "take effect at the next restart") {
		t.Error("a reload that left [database] alone warned that it changed")
	}
	for _, line := range []string{"broken", "document_type: is required"} {
		if !strings.Contains(td.logs.String(), line) {
			t.Errorf("reload errors not logged: %q missing", line)
		}
	}
}

const genericConfig = siteTOML + `[[webhook]]
name = "machine"
service = "Generic"
url = "<<.Hook.machine>>"

[[notification]]
name = "Invoice submitted"
document_type = "Sales Invoice"
event = "Submit"
subject = "Invoice {{ doc.name }}"
message = "{{ doc.customer_name }}: {{ doc.items|length }} items"
webhook = "machine"
`

func TestGenericWebhookGetsTheDocument(t *testing.T) {
	s := newSite(t, []string{"machine"}, genericConfig)
	s.startDaemon(t)
	s.db.Exec(t, `UPDATE "tabSales Invoice" SET docstatus = 1 WHERE name = 'ACC-SINV-2025-00042'`)
	hook := s.hooks["machine"]
	poll.Until(t, 30*time.Second, "delivered", func() bool { return len(hook.Requests()) == 1 })
	var got map[string]any
	if err := json.Unmarshal([]byte(hook.Requests()[0].Body), &got); err != nil {
		t.Fatal(err)
	}
	doc, _ := got["doc"].(map[string]any)
	items, _ := doc["items"].([]any)
	if got["notification"] != "Invoice submitted" || got["event"] != "Submit" || got["doctype"] != "Sales Invoice" ||
		got["name"] != "ACC-SINV-2025-00042" || got["subject"] != "Invoice ACC-SINV-2025-00042" ||
		got["message"] != "Atelier Girard SARL: 2 items" || got["url"] != "https://erp.example.com/app/sales-invoice/ACC-SINV-2025-00042" ||
		doc["docstatus"] != 1.0 || doc["customer"] != "Atelier Girard SARL" || len(items) != 2 {
		t.Errorf("generic payload: %v", got)
	}
}

// TestReloadFromOneToSevenWebhooksDeliversToAll: workers hold a connection each for as long as
// they run; a reload that adds webhooks must not starve the rest of the daemon (the pipeline's
// outbox commit) of connections.
func TestReloadFromOneToSevenWebhooksDeliversToAll(t *testing.T) {
	var names []string
	for i := 1; i <= 7; i++ {
		names = append(names, fmt.Sprintf("w%d", i))
	}
	section := func(i int) string {
		return fmt.Sprintf(`[[webhook]]
name = "w%d"
service = "Slack"
url = "<<.Hook.w%d>>"
show_document_link = false
[[notification]]
name = "New ticket %d"
document_type = "Issue"
event = "New"
message = "ticket {{ doc.name }} for w%d"
webhook = "w%d"
`, i, i, i, i, i)
	}
	s := newSite(t, names, siteTOML+section(1))
	td := s.startDaemon(t)
	s.settle(t, s.hooks["w1"], `INSERT INTO "tabIssue" (name, subject, status, priority) VALUES ('ISS-H-0', 'a', 'Open', 'Low')`, "ISS-H-0")

	text, err := readFile(s.path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 2; i <= 7; i++ {
		// The same URLs the site gave its hooks (newSiteIn): the section's template filled in.
		text += strings.NewReplacer(fmt.Sprintf("<<.Hook.w%d>>", i), fmt.Sprintf("%s/services/T0/B0/SECRET%dTOKEN", s.hooks[names[i-1]].URL, i-1)).Replace(section(i))
	}
	writeFile(t, s.path, text)
	td.reload <- syscall.SIGHUP
	poll.Until(t, 10*time.Second, "reloaded", func() bool { return strings.Contains(td.logs.String(), "rules reloaded") })
	s.db.Exec(t, `INSERT INTO "tabIssue" (name, subject, status, priority) VALUES ('ISS-H-1', 'a', 'Open', 'Low')`)
	poll.Until(t, 5*time.Second, "all 7 webhooks delivered", func() bool {
		for i, name := range names {
			if !strings.Contains(s.hooks[name].Joined(), fmt.Sprintf("ticket ISS-H-1 for w%d", i+1)) {
				return false
			}
		}
		return true
	})
}
