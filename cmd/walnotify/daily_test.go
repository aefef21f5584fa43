package main

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"walnotify/internal/poll"
)

const dailyConfig = siteTOML + `[[webhook]]
name = "accounting"
service = "Slack"
url = "<<.Hook.accounting>>"
rate = 100.0

[[notification]]
name = "Due tomorrow"
document_type = "Sales Invoice"
event = "Days Before"
date_changed = "due_date"
days_in_advance = 1
condition = "doc.docstatus == 1"
message = "{{ doc.name }} is due on {{ frappe.utils.formatdate(doc.due_date) }}: {% for i in doc.items %}{{ i.item_code }} {% endfor %}"
webhook = "accounting"

[[notification]]
name = "Overdue"
document_type = "Sales Invoice"
event = "Days After"
date_changed = "due_date"
days_in_advance = 2
message = "{{ doc.name }} is 2 days late"
webhook = "accounting"
`

func TestDailyPassSendsOnceAndListsOnDryRun(t *testing.T) {
	s := newSite(t, []string{"accounting"}, dailyConfig)
	s.db.Exec(t, `UPDATE "tabSales Invoice" SET due_date = '2025-04-10' WHERE name = 'ACC-SINV-2025-00041'`) // submitted
	s.db.Exec(t, `UPDATE "tabSales Invoice" SET due_date = '2025-04-10' WHERE name = 'ACC-SINV-2025-00042'`) // draft

	code, out, errOut := cli(t, "daily", "-c", s.path, "--date", "2025-04-09", "--dry-run")
	if code != 0 {
		t.Fatalf("dry run: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Due tomorrow\tACC-SINV-2025-00041\tDays Before 2025-04-10\tsends", "Due tomorrow\tACC-SINV-2025-00042\tDays Before 2025-04-10\tcondition false", "nothing sent"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	if n := s.count(t, `SELECT count(*) FROM pg_tables WHERE schemaname = 'walnotify' AND tablename = 'delivery'`); n != 0 {
		t.Error("dry run created the outbox")
	}

	for range 2 { // the second run of the same day sends nothing twice
		if code, out, errOut := cli(t, "daily", "-c", s.path, "--date", "2025-04-09"); code != 0 {
			t.Fatalf("daily: exit %d\n%s%s", code, out, errOut)
		}
	}
	if code, _, errOut := cli(t, "daily", "-c", s.path, "--date", "2025-04-12"); code != 0 {
		t.Fatalf("daily: %s", errOut)
	}
	s.startDaemon(t)
	hook := s.hooks["accounting"]
	poll.Until(t, 30*time.Second, "daily deliveries", func() bool { return len(hook.Texts()) >= 3 })
	// The two runs of 2025-04-09 queued the reminder once: nothing more is pending or sent.
	if n := s.count(t, `SELECT count(*) FROM walnotify.delivery`); n != 3 {
		t.Errorf("the outbox holds %d deliveries, want 3", n)
	}
	want := []string{
		"ACC-SINV-2025-00041 is due on 10-04-2025: SRV-CONSEIL LIC-ERP-AN SUP-PREMIUM",
		"ACC-SINV-2025-00041 is 2 days late",
		"ACC-SINV-2025-00042 is 2 days late",
	}
	if got := hook.Texts(); !reflect.DeepEqual(got, want) {
		t.Errorf("webhook received:\n%q\nwant:\n%q", got, want)
	}
}
