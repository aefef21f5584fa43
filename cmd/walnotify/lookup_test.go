package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"walnotify/internal/poll"
)

// supportTOML is the site with one Slack webhook, "support", at an unlimited pace.
const supportTOML = siteTOML + `[[webhook]]
name = "support"
service = "Slack"
url = "<<.Hook.support>>"
rate = 100.0
`

const lookupConfig = supportTOML + `
[[notification]]
name = "New ticket, with its context"
document_type = "Issue"
event = "New"
message = """{{ doc.name }} by {{ frappe.db.get_value("User", doc.owner, "full_name") }}; \
open for {{ doc.customer }}: {{ frappe.db.count("Issue", {"customer": doc.customer, "status": "Open"}) }}; \
{{ frappe.db.get_single_value("System Settings", "country") }}; \
last invoice lines: {{ frappe.get_doc("Sales Invoice", "ACC-SINV-2025-00041").items|length }}"""
webhook = "support"
`

// The daemon renders templates that read the ERP's tables (frappe.db.get_value, count,
// get_single_value) as the ERP does, and sees what the change's own transaction wrote; the
// values read are escaped for the service as the document's are.
func TestTemplatesReadTheDatabaseWhenRendered(t *testing.T) {
	s := newSite(t, []string{"support"}, lookupConfig)
	s.startDaemon(t)
	// The ticket's owner and a second open ticket are written in the ticket's transaction.
	s.db.Exec(t, `BEGIN;
INSERT INTO "tabUser" (name, enabled, email, full_name) VALUES ('ann@example.com', 1, 'ann@example.com', 'Ann <Lee> & Co');
INSERT INTO "tabIssue" (name, subject, status, owner, customer) VALUES
  ('ISS-L-1', 's', 'Open', 'ann@example.com', 'Boulangerie Lemoine'),
  ('ISS-L-2', 's', 'Closed', 'ann@example.com', 'Boulangerie Lemoine');
COMMIT`)
	hook := s.hooks["support"]
	poll.Until(t, 30*time.Second, "the message of ISS-L-1", func() bool { return strings.Contains(hook.Joined(), "ISS-L-1 by") })
	// ISS-2025-00017 was open already; ISS-L-1 is the second.
	if want := "ISS-L-1 by Ann &lt;Lee&gt; &amp; Co; open for Boulangerie Lemoine: 2; France; last invoice lines: 3"; !strings.Contains(hook.Joined(), want) {
		t.Errorf("messages:\n%s\nwant one with %q", hook.Joined(), want)
	}
	// Each read is counted by document type, and timed. ISS-L-2 is closed: the rule fires for
	// both tickets, so each read happens twice.
	metrics := httpGet(t, "http://"+s.listen+"/metrics")
	for _, want := range []string{`walnotify_template_reads_total{doctype="User",result="ok"} 2`, `walnotify_template_reads_total{doctype="Issue",result="ok"} 2`,
		`walnotify_template_reads_total{doctype="Sales Invoice",result="ok"} 2`, `walnotify_template_read_seconds_count 8`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s:\n%s", want, grepLines(metrics, "walnotify_template"))
		}
	}
}

// setup grants the tables templates read by name, and their child tables.
func TestSetupGrantsWhatTemplatesRead(t *testing.T) {
	path := writeConfig(t, lookupConfig, "postgres://walnotify@127.0.0.1:1/erp", map[string]string{"support": "https://hooks.slack.com/services/T0/B0/X"})
	code, out, errOut := cli(t, "setup", "-c", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{`GRANT SELECT ON "public"."tabUser" TO "walnotify";`, `GRANT SELECT ON "public"."tabDocType" TO "walnotify";`, `GRANT SELECT ON "public"."tabSingles" TO "walnotify";`} {
		if !strings.Contains(out, want) {
			t.Errorf("setup output lacks %s\n%s", want, out)
		}
	}
	// frappe.get_doc reads a document's child tables: those of the types templates read too.
	if want := `WHERE parent IN ('Issue', 'Sales Invoice', 'System Settings', 'User')`; !strings.Contains(out, want) {
		t.Errorf("setup output lacks the child tables of the types templates read: %s\n%s", want, out)
	}
	// Offline, a document type may be a single one, without a table: its grant is guarded.
	if want := `IF to_regclass('"public"."tabSystem Settings"') IS NOT NULL THEN GRANT SELECT ON "public"."tabSystem Settings" TO "walnotify"; END IF;`; !strings.Contains(out, want) {
		t.Errorf("setup output lacks %s\n%s", want, out)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, `GRANT SELECT ON "public"."tabSystem Settings"`) {
			t.Errorf("setup grants a table that may not exist unguarded: %s", line)
		}
	}
}

// check --db reports a document type a template reads that the database does not have, and
// knows the single ones, which have no table.
func TestCheckDBCatchesATypoInADoctypeATemplateReads(t *testing.T) {
	s := newSite(t, []string{"support"}, strings.Replace(lookupConfig, `frappe.db.count("Issue",`, `frappe.db.count("Isue",`, 1))
	code, _, errOut := cli(t, "check", "--db", "-c", s.path)
	want := `"New ticket, with its context": a template or condition reads "Isue" (frappe.db, frappe.get_doc): table "public"."tabIsue" does not exist and it is no single document type (did you mean "Issue"?)`
	if code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("exit %d, want %s in:\n%s", code, want, errOut)
	}
	if strings.Contains(errOut, "System Settings") {
		t.Errorf("a single document type reported:\n%s", errOut)
	}
}

const conditionReadsConfig = supportTOML + `
[[notification]]
name = "Another open ticket, nothing to do yet"
document_type = "Issue"
event = "New"
condition = 'frappe.db.count("Issue", {"customer": doc.customer, "status": "Open"}) >= 2 and frappe.db.get_value("User", doc.owner, "enabled") == 1 and not frappe.db.exists("ToDo", {"reference_name": doc.name})'
message = "{{ doc.name }}: {{ doc.customer }} has another open ticket"
webhook = "support"
`

// The daemon evaluates conditions that read the ERP's tables, as Frappe 16's and Dokos' do,
// once the change's transaction is visible: the user and the tickets written in the ticket's
// own transaction are read. setup grants the tables conditions read, and check --db knows
// them.
func TestConditionsReadTheDatabase(t *testing.T) {
	s := newSite(t, []string{"support"}, conditionReadsConfig)
	s.startDaemon(t)
	s.db.Exec(t, `BEGIN;
INSERT INTO "tabUser" (name, enabled, email, full_name) VALUES ('cy@example.com', 1, 'cy@example.com', 'Cy');
INSERT INTO "tabIssue" (name, subject, status, owner, customer) VALUES
  ('ISS-C-1', 's', 'Open', 'cy@example.com', 'Boulangerie Lemoine'),
  ('ISS-C-2', 's', 'Open', 'cy@example.com', 'Un nouveau client'),
  ('ISS-C-3', 's', 'Open', 'jeanne.martin@acme-france.example', 'Boulangerie Lemoine');
INSERT INTO "tabToDo" (name, status, reference_type, reference_name) VALUES ('TD-C-3', 'Open', 'Issue', 'ISS-C-3');
COMMIT`)
	s.db.Exec(t, `INSERT INTO "tabIssue" (name, subject, status, owner, customer) VALUES ('ISS-C-4', 's', 'Open', 'cy@example.com', 'Boulangerie Lemoine')`)
	hook := s.hooks["support"]
	poll.Until(t, 30*time.Second, "the message of ISS-C-4", func() bool { return strings.Contains(hook.Joined(), "ISS-C-4:") })
	// ISS-C-2's customer has one open ticket; ISS-C-3 has its ToDo.
	got := hook.Joined()
	for name, want := range map[string]bool{"ISS-C-1:": true, "ISS-C-2:": false, "ISS-C-3:": false, "ISS-C-4:": true} {
		if strings.Contains(got, name) != want {
			t.Errorf("%s sent: %v, want %v; messages:\n%s", name, !want, want, got)
		}
	}
	metrics := httpGet(t, "http://"+s.listen+"/metrics")
	if want := `walnotify_template_reads_total{doctype="ToDo",result="ok"}`; !strings.Contains(metrics, want) {
		t.Errorf("metrics lack %s:\n%s", want, grepLines(metrics, "walnotify_template"))
	}

	// walnotify test reads as the daemon does: a document given as JSON is tried against the
	// database's tickets and ToDos.
	doc := filepath.Join(t.TempDir(), "doc.json")
	for name, want := range map[string]string{"ISS-C-9": `"condition": true`, "ISS-C-3": `"condition": false`} {
		writeFile(t, doc, `{"name": "`+name+`", "status": "Open", "owner": "cy@example.com", "customer": "Boulangerie Lemoine"}`)
		code, out, errOut := cli(t, "test", "-c", s.path, "--notification", "Another open ticket, nothing to do yet", "--doc-json", doc, "--json")
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("test %s: exit %d, want %s:\n%s%s", name, code, want, out, errOut)
		}
	}

	code, out, errOut := cli(t, "setup", "-c", s.path)
	if code != 0 || !strings.Contains(out, `GRANT SELECT ON "public"."tabToDo" TO`) {
		t.Errorf("setup: exit %d, want a grant on tabToDo:\n%s%s", code, out, errOut)
	}
	text, err := os.ReadFile(s.path)
	if err != nil {
		t.Fatal(err)
	}
	typo := filepath.Join(t.TempDir(), "typo.toml")
	if err := os.WriteFile(typo, bytes.Replace(text, []byte(`exists("ToDo"`), []byte(`exists("ToDos"`), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = cli(t, "check", "--db", "-c", typo)
	if want := `a template or condition reads "ToDos"`; code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("check --db: exit %d, want %s in:\n%s", code, want, errOut)
	}
}

const changedConfig = supportTOML + `
[[notification]]
name = "Ticket closed"
document_type = "Issue"
event = "Save"
condition = 'doc.has_value_changed("status") and doc.status == "Closed"'
message = "{{ doc.name }} closed (was {{ doc.get_doc_before_save().status if doc.get_doc_before_save() else 'new' }})"
webhook = "support"
`

// A condition and a message see the document before the change, as the ERP's Document does:
// the update that closes a ticket fires, and says what its status was; the one that changes
// only a closed ticket's priority does not.
func TestConditionsAndMessagesSeeTheDocumentBeforeTheChange(t *testing.T) {
	s := newSite(t, []string{"support"}, changedConfig)
	s.startDaemon(t)
	// A Save on insert has no state before: has_value_changed is true, and ISS-C-2 fires once.
	s.db.Exec(t, `INSERT INTO "tabIssue" (name, subject, status, priority) VALUES ('ISS-C-1', 's', 'Open', 'Low'), ('ISS-C-2', 's', 'Closed', 'Low')`)
	s.db.Exec(t, `UPDATE "tabIssue" SET priority = 'High' WHERE name = 'ISS-C-2'`)
	s.db.Exec(t, `UPDATE "tabIssue" SET status = 'Closed' WHERE name = 'ISS-C-1'`)
	hook := s.hooks["support"]
	s.settle(t, hook, `UPDATE "tabIssue" SET status = 'Closed', subject = 'marker' WHERE name = 'ISS-2025-00017'`, "ISS-2025-00017 closed")
	if got := hook.Joined(); strings.Count(got, "ISS-C-1 closed (was Open)") != 1 || strings.Count(got, "ISS-C-2 closed (was new)") != 1 {
		t.Errorf("messages:\n%s\nwant ISS-C-1 closed once (its update) and ISS-C-2 once (its insert; its update changed only the priority)", got)
	}
}

const formattedConfig = supportTOML + `
[[notification]]
name = "Invoice formatted"
document_type = "Sales Invoice"
event = "Submit"
message = '{{ doc.get_formatted("total_qty") }}|{{ doc.get_formatted("grand_total") }}|{{ doc.get_formatted("conversion_rate") }}|{{ doc.items[0].get_formatted("qty") }}|{{ doc.items[0].get_formatted("amount") }}|{{ doc.get_formatted("posting_date") }}'
webhook = "support"
`

// get_formatted formats a field by its DocField type, from the ERP's metadata, in walnotify
// test as in the daemon: a Float of an invoice is no money, a child row's Currency takes the
// invoice's currency.
func TestGetFormattedReadsTheERPsFieldTypes(t *testing.T) {
	s := newSite(t, []string{"support"}, formattedConfig)
	// The ERP's sample invoice 00041: 56 units, 45,000.50 EUR, an exchange rate of 1 (a Float
	// of precision 9), a first line of 50 units for 30,000.00, posted on 2025-03-10.
	want := "56|€ 45,000.50|1|50|€ 30,000.00|10-03-2025"
	code, out, errOut := cli(t, "test", "-c", s.path, "--notification", "Invoice formatted", "--doc", "ACC-SINV-2025-00041", "--json")
	if code != 0 || !strings.Contains(out, `"message": "`+want+`"`) {
		t.Errorf("walnotify test: exit %d, want the message %q in:\n%s%s", code, want, out, errOut)
	}
	s.startDaemon(t)
	s.db.Exec(t, `UPDATE "tabSales Invoice" SET docstatus = 0 WHERE name = 'ACC-SINV-2025-00041'`)
	s.settle(t, s.hooks["support"], `UPDATE "tabSales Invoice" SET docstatus = 1 WHERE name = 'ACC-SINV-2025-00041'`, want)
}
