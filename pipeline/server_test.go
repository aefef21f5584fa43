package pipeline

import (
	"strings"
	"testing"

	"walnotify/rules"
)

func TestWriteBackRulesAreRefusedBeforePostgreSQL14(t *testing.T) {
	cfg, err := rules.Parse("w.toml", `
[database]
dsn = "postgres://x@localhost/erp"
[[notification]]
name = "Reply"
document_type = "Issue"
event = "New"
message = "m"
send_system_notification = true
set_property_after_alert = "status"
property_value = "Replied"
[[notification]]
name = "Plain"
document_type = "Issue"
event = "New"
message = "m"
send_system_notification = true
[[notification]]
name = "Off"
enabled = false
document_type = "Issue"
event = "New"
message = "m"
send_system_notification = true
set_property_after_alert = "status"
`, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []int{140000, 150018, 170002} {
		if err := CheckServer(v, cfg); err != nil {
			t.Errorf("server %d: %v", v, err)
		}
	}
	err = CheckServer(130012, cfg)
	if err == nil {
		t.Fatal("PostgreSQL 13 accepted a write-back rule")
	}
	msg := err.Error()
	if !strings.Contains(msg, `notification "Reply": set_property_after_alert needs PostgreSQL 14 or newer (server is 13.12)`) {
		t.Errorf("error = %v", err)
	}
	if err := CheckServer(90624, cfg); err == nil || !strings.Contains(err.Error(), "(server is 9.6.24)") {
		t.Errorf("9.6: %v", err)
	}
	if strings.Contains(msg, `"Plain"`) || strings.Contains(msg, `"Off"`) {
		t.Errorf("rules without a write-back (or disabled) refused too: %v", err)
	}
}
