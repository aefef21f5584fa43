package rules

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
}

var exampleEnv = env(map[string]string{
	"WALNOTIFY_DB_PASSWORD": "pw",
	"SLACK_SUPPORT_URL":     "https://hooks.slack.com/services/T000/B000/XXXX",
	"GCHAT_ACCOUNTING_URL":  "https://chat.googleapis.com/v1/spaces/AAA/messages?key=k&token=t",
	"TEAMS_SALES_URL":       "https://prod-00.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=SIG",
	"TELEGRAM_OPS_URL":      "https://api.telegram.org/bot123:ABC/sendMessage",
	"NTFY_OPS_URL":          "https://ntfy.sh/erp-ops-alerts",
	"WMS_URL":               "https://wms.example.com/api/invoices",
	"WMS_SECRET":            "s3cret",
})

func TestExampleConfigLoads(t *testing.T) {
	text, err := os.ReadFile("../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Parse("config.example.toml", string(text), exampleEnv)
	if err != nil {
		t.Fatalf("config.example.toml: %v", err)
	}
	if got := len(cfg.Notifications); got != 6 {
		t.Errorf("notifications = %d, want 6", got)
	}
	if n := cfg.Notification("Ticket resolution due soon"); n == nil || n.Event != MinutesBefore || n.MinutesOffset != 30 {
		t.Errorf("the Minutes example resolved to %+v", n)
	}
	if n := cfg.Notification("Large return submitted"); n == nil || n.ConditionType != "Filters" ||
		strings.Join(n.Compiled.Condition.Fields(), ",") != "grand_total,is_return,status" {
		t.Errorf("the Filters example resolved to %+v", n)
	}
	n := cfg.Notification("Ticket status changed")
	if n == nil || n.Event != ValueChange || n.Webhook == nil || n.Webhook.Service != Slack {
		t.Fatalf("Ticket status changed resolved to %+v", n)
	}
	if d := cfg.DocumentWebhook("Invoices to WMS"); d == nil || d.Event != OnSubmit || d.Compiled.JSON == nil ||
		d.WebhookSecret.Reveal() != "s3cret" || d.Timeout != 5 || d.RequestMethod != "POST" {
		t.Errorf("the document webhook example resolved to %+v", d)
	}
	if cfg.Site.Location.String() != "Europe/Paris" {
		t.Errorf("location = %v", cfg.Site.Location)
	}
	if got := cfg.Webhook("support").URL.Reveal(); got != "https://hooks.slack.com/services/T000/B000/XXXX" {
		t.Errorf("url not expanded: %q", got)
	}
	if got := cfg.TableName("Sales Invoice"); got != "tabSales Invoice" {
		t.Errorf("TableName = %q", got)
	}
}

func TestDefaults(t *testing.T) {
	cfg, err := Parse("w.toml", `
[database]
dsn = "postgres://x@localhost/erp"
[[webhook]]
name = "w"
service = "slack"
url = "https://hooks.slack.com/services/x"
show_document_link = false
[[notification]]
name = "n"
document_type = "ToDo"
event = "save"
message = "hi"
webhook = "w"
`, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	db := cfg.Database
	if db.Slot != "walnotify" || db.Publication != "walnotify" || db.Schema != "public" || *db.TablePrefix != "tab" || db.StateSchema != "walnotify" {
		t.Errorf("database defaults = %+v", db)
	}
	if cfg.Site.Language != "en" || cfg.Site.Location.String() != "UTC" || *cfg.HTTP.Listen != "127.0.0.1:9841" {
		t.Errorf("site/http defaults = %+v %q", cfg.Site, *cfg.HTTP.Listen)
	}
	if cfg.Delivery.MaxAge.Hours() != 24 || cfg.Delivery.Retention.Hours() != 168 || cfg.Delivery.DigestAfter.Duration != time.Second {
		t.Errorf("delivery defaults = %+v", cfg.Delivery)
	}
	n := cfg.Notifications[0]
	if !n.IsEnabled() || n.Event != Save {
		t.Errorf("notification = enabled %v event %v", n.IsEnabled(), n.Event)
	}
}

// A webhook's digest_after is its own when set, [delivery] digest_after's otherwise; a
// document webhook takes [delivery]'s.
func TestAWebhookMayFallBehindAsLongAsItsDigestAfterSays(t *testing.T) {
	cfg, err := Parse("w.toml", `
[database]
dsn = "postgres://x@localhost/erp"
[delivery]
digest_after = "2s"
[[webhook]]
name = "fast"
service = "Generic"
url = "https://example.com/hook"
show_document_link = false
digest_after = "50ms"
[[webhook]]
name = "chat"
service = "Slack"
url = "https://hooks.slack.com/services/x"
show_document_link = false
[[document_webhook]]
name = "d"
webhook_doctype = "Issue"
webhook_docevent = "after_insert"
request_url = "https://example.com/d"
request_structure = "JSON"
webhook_json = "{}"
`, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]time.Duration{}
	for _, w := range cfg.DeliveryWebhooks() {
		got[w.Name] = w.DigestAfter.Duration
	}
	want := map[string]time.Duration{"fast": 50 * time.Millisecond, "chat": 2 * time.Second, "d": 2 * time.Second}
	if !maps.Equal(got, want) {
		t.Errorf("digest_after by webhook = %v, want %v", got, want)
	}
}

// Each broken file in testdata/broken fails with a message naming the place of the mistake.
func TestBrokenConfigsNameThePlace(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		{"syntax.toml", []string{"syntax.toml:7:"}},
		{"unknown_key.toml", []string{"unknown_key.toml:15:", `unknown key "notification.send_alert_on"`}},
		{"bad_condition.toml", []string{"bad_condition.toml:14:", `notification "Open ticket": condition:`, "column"}},
		{"bad_template.toml", []string{"bad_template.toml:16:", `notification "Open ticket": message:`, "nosuchfilter"}},
		{"unknown_webhook.toml", []string{"unknown_webhook.toml:15:", `notification "Open ticket": webhook: no webhook is named "suport"`}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "broken", tt.file)
			text, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Parse(tt.file, string(text), env(nil))
			if err == nil {
				t.Fatal("loaded without error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestEveryProblemIsReportedAtOnce(t *testing.T) {
	text, err := os.ReadFile("testdata/broken/three_mistakes.toml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse("three_mistakes.toml", string(text), env(nil))
	var p *Problems
	if !errors.As(err, &p) {
		t.Fatalf("error %v is not *Problems", err)
	}
	if len(p.List) != 3 {
		t.Fatalf("got %d problems, want 3:\n%v", len(p.List), err)
	}
	for i, w := range []string{`event: unknown event "Submitted"`, `webhook "chat": service: unknown service "Teams"`, `value_changed: is required for event Value Change`} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("problem %d: %q missing from\n%v", i, w, err)
		}
	}
}

func TestValidation(t *testing.T) {
	base := `
[database]
dsn = "postgres://x@localhost/erp"
[site]
url = "https://erp.example.com"
[[webhook]]
name = "w"
service = "Slack"
url = "https://hooks.slack.com/services/SECRETPART"
`
	tests := []struct {
		name string
		toml string
		want string
	}{
		{"missing variable in a webhook url", `[[webhook]]
name = "v"
service = "Slack"
url = "${NOPE}"
show_document_link = false`, "environment variable NOPE is not set"},
		{"duplicate names", `[[notification]]
name = "n"
document_type = "Issue"
event = "New"
message = "m"
webhook = "w"
[[notification]]
name = "n"
document_type = "Issue"
event = "New"
message = "m"
webhook = "w"`, "another notification has the same name"},
		{"date_changed required for Days After", `[[notification]]
name = "n"
document_type = "Issue"
event = "Days After"
message = "m"
webhook = "w"`, "date_changed: is required for event Days After"},
		{"value_changed on another event", `[[notification]]
name = "n"
document_type = "Issue"
event = "Save"
value_changed = "status"
message = "m"
webhook = "w"`, "value_changed: is only used with event Value Change"},
		{"bad property column", `[[notification]]
name = "n"
document_type = "Issue"
event = "Save"
message = "m"
webhook = "w"
set_property_after_alert = "status; DROP TABLE x"`, "is not a field name"},
		{"negative digest_after of a webhook", `[[webhook]]
name = "v"
service = "Slack"
url = "https://hooks.slack.com/services/OTHER"
digest_after = "-1s"`, `webhook "v": digest_after: must not be negative`},
		{"webhook or system notification required", `[[notification]]
name = "n"
document_type = "Issue"
event = "Save"
message = "m"`, "webhook: is required (or set send_system_notification = true)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("w.toml", base+tt.toml, env(nil))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
		})
	}
}

func TestInvalidIdentifiersAndURLsAreRejectedWithoutShowingSecrets(t *testing.T) {
	_, err := Parse("w.toml", `
[database]
dsn = "postgres://x@localhost/erp"
slot = "Walnotify-1"
publication = "pub lication"
state_schema = "public"
[[webhook]]
name = "w"
service = "Slack"
url = "ftp://secret-host/hook-SECRETTOKEN"
show_document_link = false
`, env(nil))
	if err == nil {
		t.Fatal("accepted")
	}
	for _, w := range []string{"database.slot", "database.publication", "database.state_schema: must differ", `webhook "w": url: is not an http(s) URL`} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%q missing from\n%v", w, err)
		}
	}
	if strings.Contains(err.Error(), "SECRETTOKEN") {
		t.Errorf("error shows the webhook URL: %v", err)
	}
}
