package main

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"walnotify/internal/poll"
)

const recipientsConfig = siteTOML + `
[[notification]]
name = "Ticket for the team"
document_type = "Issue"
event = "New"
subject = "New ticket {{ doc.name }}"
message = "New ticket {{ doc.name }}"
send_system_notification = true
send_to_all_assignees = true
recipients = [
  "boss@example.com",
  { by_field = "owner" },
  { by_role = "Accounts User" },
  { cc = "{{ doc.raised_by }}, audit@example.com" },
  { cc = "vip@example.com", condition = 'doc.priority == "High"' },
]
`

// The form's recipient rows resolve when the notification is queued: user names, a field, a
// role's enabled users (Administrator and disabled users excluded), cc rendered with the
// document, the assignees, and a row's own condition. The Notification Log holds who was told.
func TestRecipientRowsAreResolvedAtEnqueue(t *testing.T) {
	s := newSite(t, nil, recipientsConfig)
	// Administrator and a second enabled user also hold the role (paul, disabled, holds it too).
	s.db.Exec(t, `INSERT INTO "tabUser" (name, enabled, email) VALUES ('Administrator', 1, 'admin@example.com'), ('marie@example.com', 1, 'marie@example.com')`)
	s.db.Exec(t, `INSERT INTO "tabHas Role" (name, role, parent, parentfield, parenttype) VALUES ('hr-a', 'Accounts User', 'Administrator', 'roles', 'User'), ('hr-m', 'Accounts User', 'marie@example.com', 'roles', 'User')`)
	s.startDaemon(t)
	s.db.Exec(t, `INSERT INTO "tabIssue" (name, subject, status, priority, owner, raised_by, _assign) VALUES
('ISS-R-1', 's', 'Open', 'Low', 'owner@example.com', 'customer@example.com', '["assignee@example.com"]'),
('ISS-R-2', 's', 'Open', 'High', 'owner@example.com', NULL, NULL)`)
	users := func(doc string) []string { return s.notified(t, doc) }
	want2 := []string{"audit@example.com", "boss@example.com", "jeanne.martin@acme-france.example", "marie@example.com", "owner@example.com", "vip@example.com"}
	poll.Until(t, 30*time.Second, "the Notification Log of ISS-R-2", func() bool { return len(users("ISS-R-2")) >= len(want2) })
	if got := users("ISS-R-2"); !reflect.DeepEqual(got, want2) {
		t.Errorf("ISS-R-2 notified %q, want %q", got, want2)
	}
	want1 := []string{"assignee@example.com", "audit@example.com", "boss@example.com", "customer@example.com", "jeanne.martin@acme-france.example", "marie@example.com", "owner@example.com"}
	if got := users("ISS-R-1"); !reflect.DeepEqual(got, want1) {
		t.Errorf("ISS-R-1 notified %q, want %q", got, want1)
	}
}

// Recipients by role read the ERP's users and their roles: setup grants exactly that.
func TestSetupGrantsWhatRecipientsByRoleRead(t *testing.T) {
	path := writeConfig(t, recipientsConfig, "postgres://walnotify@127.0.0.1:1/erp", nil)
	code, out, errOut := cli(t, "setup", "-c", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{`GRANT SELECT ON "public"."tabHas Role" TO "walnotify";`, `GRANT SELECT ON "public"."tabUser" TO "walnotify";`} {
		if !strings.Contains(out, want) {
			t.Errorf("setup output lacks %s\n%s", want, out)
		}
	}
	withoutRoles := strings.Replace(recipientsConfig, `{ by_role = "Accounts User" },`, "", 1)
	_, out, _ = cli(t, "setup", "-c", writeConfig(t, withoutRoles, "postgres://walnotify@127.0.0.1:1/erp", nil))
	if strings.Contains(out, `"tabHas Role"`) {
		t.Errorf("setup grants the roles without a by_role row:\n%s", out)
	}
}

const changedRecipientsConfig = siteTOML + `
[[notification]]
name = "Ticket saved"
document_type = "Issue"
event = "Save"
subject = "Saved {{ doc.name }}"
message = "Saved {{ doc.name }}"
send_system_notification = true
recipients = [
  "boss@example.com",
  { cc = "watcher@example.com", condition = 'doc.has_value_changed("priority")' },
]
`

// A recipient row's condition sees the document before the change, as the notification's own
// condition does: the watcher hears of the ticket whose priority changed, not of the other.
func TestARecipientConditionSeesTheDocumentBeforeTheChange(t *testing.T) {
	s := newSite(t, nil, changedRecipientsConfig)
	s.startDaemon(t)
	// Saves (modified moves): 00017's priority goes from High to Low, 00018's status from
	// Replied to Open.
	s.db.Exec(t, `UPDATE "tabIssue" SET priority = 'Low', modified = now() WHERE name = 'ISS-2025-00017'`)
	s.db.Exec(t, `UPDATE "tabIssue" SET status = 'Open', modified = now() WHERE name = 'ISS-2025-00018'`)
	users := func(doc string) string { return strings.Join(s.notified(t, doc), ",") }
	poll.Until(t, 30*time.Second, "the Notification Logs", func() bool { return users("ISS-2025-00017") != "" && users("ISS-2025-00018") != "" })
	if got1, got2 := users("ISS-2025-00017"), users("ISS-2025-00018"); got1 != "boss@example.com,watcher@example.com" || got2 != "boss@example.com" {
		t.Errorf("notified %q and %q, want the watcher only for the priority change", got1, got2)
	}
}

// notified are the users the site's Notification Log holds for a document, sorted.
func (s *site) notified(t *testing.T, doc string) []string {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), s.db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	rows, _ := conn.Query(context.Background(), `SELECT for_user FROM "tabNotification Log" WHERE document_name = $1 ORDER BY for_user`, doc)
	got, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return got
}
