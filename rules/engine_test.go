package rules

import (
	"strings"
	"testing"
	"time"

	"walnotify/cdc"
)

// engineBase is a configuration's database and its one webhook, "w".
const engineBase = `
[database]
dsn = "postgres://x@localhost/erp"
[[webhook]]
name = "w"
service = "Slack"
url = "https://hooks.slack.com/services/T/B/X"
show_document_link = false
`

const engineConfig = engineBase + `[[notification]]
name = "new"
document_type = "Issue"
event = "New"
condition = 'doc.priority == "High" or doc.customer > 5'
message = "m"
webhook = "w"
[[notification]]
name = "status"
document_type = "Issue"
event = "Value Change"
value_changed = "status"
message = "m"
webhook = "w"
[[notification]]
name = "off"
enabled = false
document_type = "Issue"
event = "New"
message = "m"
webhook = "w"
[[notification]]
name = "daily"
document_type = "Issue"
event = "Days After"
date_changed = "opening_date"
message = "m"
webhook = "w"
`

func names(ns []*Notification) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Name)
	}
	return out
}

func TestEngineFindsCandidatesBeforeConditions(t *testing.T) {
	cfg, err := Parse("w.toml", engineConfig, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	e := NewEngine(cfg)
	issue := func(kv ...any) *cdc.Change {
		return &cdc.Change{Schema: "public", Table: "tabIssue", Op: cdc.OpInsert, New: issueRow(kv...)}
	}
	if _, c := e.Candidates(&cdc.Change{Schema: "public", Table: "tabToDo", Op: cdc.OpInsert, New: cdc.Row{"name": "x"}}); c != nil {
		t.Errorf("an unwatched table has candidates %v", names(c))
	}
	raised, c := e.Candidates(issue())
	if len(raised) != 2 || strings.Join(names(c), ",") != "new" {
		t.Errorf("insert: raised %v, candidates %v; want New, Save and only the enabled row-event rule", raised, names(c))
	}
	upd := &cdc.Change{Schema: "public", Table: "tabIssue", Op: cdc.OpUpdate, Old: issueRow(), New: issueRow("_seen", "x")}
	if _, c := e.Candidates(upd); len(c) != 0 {
		t.Errorf("a bookkeeping update has candidates %v", names(c))
	}
	upd.New = issueRow("status", "Closed")
	if _, c := e.Candidates(upd); strings.Join(names(c), ",") != "status" {
		t.Errorf("status change: candidates %v", names(c))
	}

	ch := issue("priority", "High")
	_, c = e.Candidates(ch)
	doc := e.Doc(ch)
	if doc["doctype"] != "Issue" {
		t.Errorf("doc.doctype = %v", doc["doctype"])
	}
	if m, errs := e.Match(c, doc, e.Before(ch), time.Now(), nil); len(m) != 1 || len(errs) != 0 {
		t.Errorf("High priority: matches %v, errors %v", names(m), errs)
	}
	ch = issue("priority", "Low", "customer", "Girard")
	m, errs := e.Match(c, e.Doc(ch), e.Before(ch), time.Now(), nil)
	if len(m) != 0 || len(errs) != 1 || errs[0].DocName != "ISS-1" || errs[0].Notification.Name != "new" {
		t.Fatalf("run-time error: matches %v, errors %v", names(m), errs)
	}
	if got := errs[0].Error(); got != `notification "new": Issue "ISS-1": condition: `+errs[0].Err.Error() {
		t.Errorf("error text %q", got)
	}
}

// The row before an update is copied for the rules only when one of the table's rules reads
// it: in a condition, a recipient row's condition, or a template.
func TestBeforeIsMadeOnlyForRulesThatReadIt(t *testing.T) {
	base := engineBase + `[[notification]]
name = "saved"
document_type = "Issue"
event = "Save"
webhook = "w"
`
	update := &cdc.Change{Schema: "public", Table: "tabIssue", Op: cdc.OpUpdate,
		Old: cdc.Row{"name": "ISS-1", "status": "Open"}, New: cdc.Row{"name": "ISS-1", "status": "Closed"}}
	for _, tt := range []struct {
		name, rule string
		wants      bool
	}{
		{"no rule reads it", `message = "{{ doc.status }}"`, false},
		{"a condition", "condition = 'doc.has_value_changed(\"status\")'\nmessage = \"m\"", true},
		{"a template", `message = "was {{ doc.get_doc_before_save().status }}"`, true},
		{"a recipient row's condition", "message = \"m\"\nsend_system_notification = true\nrecipients = [{ cc = \"a@example.com\", condition = 'doc.has_value_changed(\"status\")' }]", true},
	} {
		cfg, err := Parse("t.toml", base+tt.rule, env(nil))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		before := NewEngine(cfg).Before(update)
		if got := before != nil; got != tt.wants {
			t.Errorf("%s: Before = %v, want a row: %v", tt.name, before, tt.wants)
		}
		if before != nil && (before["status"] != "Open" || before["doctype"] != "Issue") {
			t.Errorf("%s: Before = %v", tt.name, before)
		}
	}
}

// A condition sees the site's time zone and first day of the week, whatever evaluates it
// (Config.ConditionInput): at 23:30 UTC on Sunday 2026-11-29 it is Monday in Paris, the
// first day of a Monday week.
func TestConditionsSeeTheSitesTimeZoneAndWeek(t *testing.T) {
	cfg, err := Parse("w.toml", engineBase+`[site]
timezone = "Europe/Paris"
first_day_of_the_week = "Monday"
[[notification]]
name = "weekly"
document_type = "Issue"
event = "New"
condition = 'frappe.utils.get_first_day_of_week(nowdate()) == nowdate() == "2026-11-30"'
message = "m"
webhook = "w"
`, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	e := NewEngine(cfg)
	ch := &cdc.Change{Schema: "public", Table: "tabIssue", Op: cdc.OpInsert, New: issueRow()}
	_, c := e.Candidates(ch)
	now := time.Date(2026, 11, 29, 23, 30, 0, 0, time.UTC)
	if m, errs := e.Match(c, e.Doc(ch), nil, now, nil); len(m) != 1 || len(errs) != 0 {
		t.Errorf("matches %v, errors %v", names(m), errs)
	}
	in := cfg.ConditionInput(nil, nil, now, nil)
	if in.WeekStart != time.Monday || in.Now.Location().String() != "Europe/Paris" || in.Limits != cfg.Delivery.ReadLimits() {
		t.Errorf("input: %+v", in)
	}
}
