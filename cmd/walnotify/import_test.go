package main

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"walnotify/internal/pgtest"
	"walnotify/internal/poll"
	"walnotify/internal/webhooktest"
)

// The ERP's records, inserted as the ERP's forms save them, come out as a file that check
// accepts and run delivers from; what cannot be carried is a commented block with its reason.
// A Dokos condition of statements, indented as a whole, is carried and runs.
func TestImportRoundTripsTheERPsRecords(t *testing.T) {
	db := pgtest.NewDB(t)
	db.LoadFrappeSchema(t)
	support, compta := webhooktest.New(t, nil), webhooktest.New(t, nil)
	supportURL := support.URL + "/services/T0/B0/SUPPORTSECRET"
	comptaURL := compta.URL + "/v1/spaces/AAA/messages?key=COMPTASECRET"
	// A Frappe 16 site with Dokos' destination field: the columns newer forms add.
	db.Exec(t, `ALTER TABLE "tabNotification" ADD COLUMN "condition_type" varchar(140) DEFAULT 'Python',
ADD COLUMN "filters" text, ADD COLUMN "incoming_webhook_url" varchar(140),
ADD COLUMN "datetime_changed" varchar(140), ADD COLUMN "minutes_offset" bigint NOT NULL DEFAULT 0`)
	db.Exec(t, `INSERT INTO "tabSlack Webhook URL" (name, webhook_name, webhook_url, show_document_link) VALUES ('Support Team', 'Support Team', $1, 1)`, supportURL)
	db.Exec(t, `INSERT INTO "tabIncoming Webhook URL" (name, webhook_name, service, webhook_url) VALUES ('Compta', 'Compta', 'Google Chat', $1)`, comptaURL)
	db.Exec(t, `INSERT INTO "tabNotification" (name, enabled, channel, slack_webhook_url, incoming_webhook_url, subject, event, document_type, condition, condition_type, filters, message, value_changed, send_system_notification) VALUES
('Urgent ticket', 1, 'Slack', 'Support Team', NULL, 'Urgent {{ doc.name }}', 'New', 'Issue', E'\n  high = doc.priority == "High"  # Dokos runs statements\n  if not high:\n      return False\n  return not frappe.db.exists("ToDo", {"reference_name": doc.name})\n', 'Python', NULL, E'Ticket {{ doc.name }}:\n"{{ doc.subject }}" it''s urgent', NULL, 0),
('Large invoice', 1, 'External Collaboration Tool', NULL, 'Compta', 'x', 'Submit', 'Sales Invoice', NULL, 'Filters', '[["Sales Invoice","grand_total",">",1000,false],["Sales Invoice","is_return","is","not set",false]]', 'Large invoice {{ doc.name }} for {{ frappe.db.get_value("Sales Invoice", doc.name, "customer") }}', NULL, 0),
('Old status rule', 0, 'Slack', 'Support Team', NULL, 's', 'Value Change', 'Issue', '', 'Python', NULL, '{{ doc.status }}', 'status', 0),
('Mail the customer', 1, 'Email', NULL, NULL, 's', 'Save', 'Issue', '', 'Python', NULL, 'Hello', NULL, 0),
('On method', 1, 'Slack', 'Support Team', NULL, 's', 'Method', 'Issue', '', 'Python', NULL, 'x', NULL, 0),
('Runs SQL', 1, 'Slack', 'Support Team', NULL, 's', 'Save', 'Issue', 'frappe.db.sql("select 1")', 'Python', NULL, 'x', NULL, 0)`)

	db.Exec(t, `INSERT INTO "tabNotification" (name, channel, slack_webhook_url, subject, event, document_type, datetime_changed, minutes_offset, message)
VALUES ('SLA soon', 'Slack', 'Support Team', 's', 'Minutes Before', 'Issue', 'sla_resolution_by', 30, '{{ doc.name }} is due soon')`)
	db.Exec(t, `INSERT INTO "tabNotification" (name, channel, subject, event, document_type, message, send_to_all_assignees)
VALUES ('Tell the team', 'System Notification', 'New {{ doc.name }}', 'New', 'Issue', 'New ticket {{ doc.name }}', 1)`)
	db.Exec(t, `INSERT INTO "tabNotification Recipient" (name, parent, parentfield, parenttype, idx, receiver_by_document_field, receiver_by_role, cc, condition) VALUES
('r1', 'Tell the team', 'recipients', 'Notification', 1, 'owner', NULL, NULL, NULL),
('r2', 'Tell the team', 'recipients', 'Notification', 2, NULL, 'Accounts User', E'{{ doc.raised_by }}\naudit@example.com', 'doc.priority == "High"')`)
	// Document webhooks: the sample's signed JSON one on Issue (with its header row), and a Form
	// one with Webhook Data rows.
	helpdesk, ledger := webhooktest.New(t, nil), webhooktest.New(t, nil)
	db.Exec(t, `INSERT INTO "tabWebhook" (name, webhook_doctype, webhook_docevent, enabled, request_url, request_method, request_structure, timeout)
VALUES ('Invoice to ledger', 'Sales Invoice', 'on_submit', 1, $1, 'PUT', 'Form URL-Encoded', 10)`, ledger.URL+"/LEDGERSECRET")
	db.Exec(t, `INSERT INTO "tabWebhook Data" (name, parent, parentfield, parenttype, idx, fieldname, key) VALUES
('wd1', 'Invoice to ledger', 'webhook_data', 'Webhook', 1, 'name', 'invoice'),
('wd2', 'Invoice to ledger', 'webhook_data', 'Webhook', 2, 'grand_total', 'amount')`)
	code, out, errOut := cli(t, "import", "--dsn", db.DSN, "--site-url", "https://erp.example.com")
	if code != 0 {
		t.Fatalf("import: exit %d\n%s", code, errOut)
	}
	for _, secret := range []string{"SUPPORTSECRET", "COMPTASECRET", "LEDGERSECRET", "helpdesk-bridge", support.URL, compta.URL, db.DSN} {
		if strings.Contains(out+errOut, secret) {
			t.Errorf("import printed a secret (%s):\n%s\n%s", secret, out, errOut)
		}
	}
	for _, want := range []string{
		"#   WALNOTIFY_DSN: ",
		`#   WALNOTIFY_SUPPORT_TEAM_URL: webhook "Support Team" (the webhook_url of Slack Webhook URL "Support Team")`,
		`url = "${WALNOTIFY_COMPTA_URL}"`,
		`filters = [["grand_total", ">", 1000], ["is_return", "is", "not set"]]`,
		"send_system_notification = true\nsend_to_all_assignees = true\nrecipients = [{ by_field = \"owner\" }, { by_role = \"Accounts User\", condition = \"doc.priority == \\\"High\\\"\" }, { cc = '''\n{{ doc.raised_by }}\naudit@example.com''', condition = \"doc.priority == \\\"High\\\"\" }]\n",
		"event = \"Minutes Before\"\ndatetime_changed = \"sla_resolution_by\"\nminutes_offset = 30\n",
		"# Not imported: notification \"Mail the customer\"\n# reason: channel Email: walnotify sends to chat services and system notifications only\n#   [[notification]]",
		"# Not imported: notification \"On method\"\n# reason: event Method is raised by application code",
		"# Not imported: notification \"Runs SQL\"\n# reason: condition: line 1, column 11: frappe.db.sql() is not supported",
		"[[document_webhook]]\nname = \"Issue Replied - Helpdesk Bridge\"\nwebhook_doctype = \"Issue\"\nwebhook_docevent = \"on_update\"\ncondition = \"doc.status == \\\"Replied\\\"\"\nrequest_url = \"${WALNOTIFY_ISSUE_REPLIED_HELPDESK_BRIDGE_URL}\"\nrequest_method = \"POST\"\nrequest_structure = \"JSON\"\nwebhook_json = '''\n{\n  \"name\": \"{{ doc.name }}\"",
		"webhook_headers = { \"Content-Type\" = \"application/json\" }\nenable_security = true\nwebhook_secret = \"${WALNOTIFY_ISSUE_REPLIED_HELPDESK_BRIDGE_SECRET}\"\n",
		"#   WALNOTIFY_ISSUE_REPLIED_HELPDESK_BRIDGE_SECRET: the webhook_secret of Webhook \"Issue Replied - Helpdesk Bridge\"",
		"name = \"Invoice to ledger\"\nwebhook_doctype = \"Sales Invoice\"\nwebhook_docevent = \"on_submit\"\nrequest_url = \"${WALNOTIFY_INVOICE_TO_LEDGER_URL}\"\nrequest_method = \"PUT\"\nrequest_structure = \"Form URL-Encoded\"\nwebhook_data = [{ fieldname = \"name\", key = \"invoice\" }, { fieldname = \"grand_total\", key = \"amount\" }]\ntimeout = 10\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("import output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "5 notifications, 2 webhooks and 2 document webhooks imported; 3 records not imported") {
		t.Errorf("summary:\n%s", errOut)
	}

	path := filepath.Join(t.TempDir(), "walnotify.toml")
	writeFile(t, path, out+"\n[http]\nlisten = \"\"\n")
	t.Setenv("WALNOTIFY_DSN", db.DSN)
	t.Setenv("WALNOTIFY_SUPPORT_TEAM_URL", supportURL)
	t.Setenv("WALNOTIFY_COMPTA_URL", comptaURL)
	t.Setenv("WALNOTIFY_ISSUE_REPLIED_HELPDESK_BRIDGE_URL", helpdesk.URL+"/hooks/frappe/issue")
	t.Setenv("WALNOTIFY_ISSUE_REPLIED_HELPDESK_BRIDGE_SECRET", "bridge-secret")
	t.Setenv("WALNOTIFY_INVOICE_TO_LEDGER_URL", ledger.URL+"/LEDGERSECRET")
	if code, o, e := cli(t, "check", "-c", path); code != 0 || !strings.Contains(o, "5 notifications, 2 webhooks: configuration OK") {
		t.Fatalf("check: exit %d\n%s%s\nfile:\n%s", code, o, e, out)
	}
	if code, o, e := cli(t, "setup", "--apply", "-c", path); code != 0 {
		t.Fatalf("setup --apply: exit %d\n%s%s", code, o, e)
	}
	s := &site{db: db, path: path, hooks: map[string]*webhooktest.Hook{"support": support, "compta": compta}, secrets: []string{"SUPPORTSECRET", "COMPTASECRET"}}
	s.startDaemon(t)
	db.Exec(t, `INSERT INTO "tabIssue" (name, subject, status, priority) VALUES ('ISS-I-1', 'Printer', 'Open', 'High')`)
	// The urgent rule's condition reads the database: a ticket that has its ToDo stays quiet.
	db.Exec(t, `INSERT INTO "tabToDo" (name, status, reference_type, reference_name) VALUES ('TD-I-2', 'Open', 'Issue', 'ISS-I-2')`)
	db.Exec(t, `INSERT INTO "tabIssue" (name, subject, status, priority) VALUES ('ISS-I-2', 'Scanner', 'Open', 'High')`)
	db.Exec(t, `UPDATE "tabIssue" SET status = 'Closed' WHERE name = 'ISS-I-1'`)  // the disabled rule stays quiet
	db.Exec(t, `UPDATE "tabIssue" SET status = 'Replied' WHERE name = 'ISS-I-1'`) // the helpdesk webhook
	db.Exec(t, `INSERT INTO "tabSales Invoice" (name, customer, grand_total, docstatus) VALUES ('SINV-I-1', 'Girard', 45000, 0), ('SINV-I-2', 'Girard', 10, 0)`)
	db.Exec(t, `UPDATE "tabSales Invoice" SET docstatus = 1 WHERE name LIKE 'SINV-I-%'`)
	s.settle(t, support, `INSERT INTO "tabIssue" (name, subject, status, priority) VALUES ('ISS-I-END', 'End', 'Open', 'High')`, "ISS-I-END")
	s.settle(t, compta, `INSERT INTO "tabSales Invoice" (name, customer, grand_total, docstatus) VALUES ('SINV-I-END', 'Girard', 2000, 1)`, "SINV-I-END")
	wantSupport := []string{"Ticket ISS-I-1:\n\"Printer\" it's urgent", "Ticket ISS-I-END:\n\"End\" it's urgent"}
	if got := support.Texts(); !reflect.DeepEqual(got, wantSupport) {
		t.Errorf("support received %q, want %q", got, wantSupport)
	}
	if got, want := compta.Texts(), []string{
		// Dokos always links; the label is in the site's language (System Settings: fr). The
		// message's frappe.db.get_value is carried and reads the database.
		"Large invoice SINV-I-1 for Girard\n<https://erp.example.com/app/sales-invoice/SINV-I-1|Lien vers le document>",
		"Large invoice SINV-I-END for Girard\n<https://erp.example.com/app/sales-invoice/SINV-I-END|Lien vers le document>",
	}; !reflect.DeepEqual(got, want) {
		t.Errorf("compta received %q, want %q", got, want)
	}
	poll.Until(t, 30*time.Second, "the document webhooks", func() bool { return len(helpdesk.Requests()) >= 1 && len(ledger.Requests()) >= 3 })
	h := helpdesk.Requests()
	if len(h) != 1 || !strings.Contains(h[0].Body, `"name": "ISS-I-1", "status": "Replied"`) || h[0].Header.Get("X-Frappe-Webhook-Signature") == "" {
		t.Errorf("helpdesk received %+v", h)
	}
	var got []string
	for _, r := range ledger.Requests() {
		got = append(got, r.Method+" "+r.Body)
	}
	if want := []string{`PUT {"invoice": "SINV-I-1", "amount": 45000.0}`, `PUT {"invoice": "SINV-I-2", "amount": 10.0}`, `PUT {"invoice": "SINV-I-END", "amount": 2000.0}`}; !reflect.DeepEqual(got, want) {
		t.Errorf("ledger received %q, want %q", got, want)
	}
}
