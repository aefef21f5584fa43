package prereq

import (
	"bytes"
	"strings"
	"testing"

	"walnotify/rules"
)

const config = `
[database]
dsn = "postgres://walnotify@127.0.0.1:1/erp"
[site]
url = "https://erp.example.com"
[[webhook]]
name = "support"
service = "Slack"
url = "https://hooks.slack.com/services/T/B/X"

[[notification]]
name = "Ticket replied"
document_type = "Issue"
event = "Value Change"
value_changed = "status"
message = "{{ doc.name }}"
webhook = "support"
set_property_after_alert = "resolution_details"
property_value = "notified"

[[notification]]
name = "Daily due"
document_type = "Sales Invoice"
event = "Days Before"
date_changed = "due_date"
days_in_advance = 1
message = "{{ doc.name }}"
webhook = "support"

[[notification]]
name = "Off"
enabled = false
document_type = "ToDo"
event = "Value Change"
value_changed = "status"
message = "{{ doc.name }}"
webhook = "support"
send_system_notification = true
`

func load(t *testing.T) *rules.Config {
	t.Helper()
	cfg, err := rules.Parse("walnotify.toml", config, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// The list follows the enabled rules only: a scheduled rule is read but not streamed, and a
// disabled one asks for nothing, not even the system-notification grants it would need.
func TestListFollowsTheEnabledRules(t *testing.T) {
	var b bytes.Buffer
	WriteScript(&b, load(t), "walnotify", List(load(t), "walnotify", nil), false)
	script := b.String()
	for _, want := range []string{
		`GRANT SELECT ON "public"."tabIssue" TO "walnotify";`,
		`GRANT SELECT ON "public"."tabSales Invoice" TO "walnotify";`,
		`GRANT UPDATE ("resolution_details", "modified") ON "public"."tabIssue" TO "walnotify";`,
		`ALTER PUBLICATION "walnotify" SET TABLE "public"."tabIssue";`,
		`ALTER TABLE "public"."tabIssue" REPLICA IDENTITY FULL;`,
		`GRANT SELECT ON "public"."tabCurrency" TO "walnotify";`,
	} {
		if !strings.Contains(script, want) {
			t.Errorf("script lacks %s", want)
		}
	}
	for _, unwanted := range []string{"tabToDo", "tabNotification", `"public"."tabSales Invoice" REPLICA IDENTITY`} {
		if strings.Contains(script, unwanted) {
			t.Errorf("script has %s:\n%s", unwanted, script)
		}
	}
}

// Every requirement setup meets carries the SQL that meets it, and those that only a person can
// meet say how.
func TestEveryRequirementHasAFixOrAdvice(t *testing.T) {
	for _, r := range List(load(t), "walnotify", nil) {
		if len(r.Fix) == 0 && r.Advice == "" {
			t.Errorf("%s: no fix and no advice", r.What)
		}
	}
}
