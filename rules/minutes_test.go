package rules

import (
	"strings"
	"testing"
)

func TestMinutesEventsFollowTheForm(t *testing.T) {
	base := `[database]
dsn = "postgres://x@localhost/erp"
[[webhook]]
name = "w"
service = "Slack"
url = "https://hooks.slack.com/services/x"
show_document_link = false
[[notification]]
name = "n"
document_type = "Issue"
message = "m"
webhook = "w"
`
	for _, tc := range []struct{ keys, want string }{
		{"event = \"Minutes Before\"\ndatetime_changed = \"sla_resolution_by\"\nminutes_offset = 10", ""},
		{"event = \"Minutes après\"\ndatetime_changed = \"sla_resolution_by\"\nminutes_offset = 60", ""},
		{"event = \"Minutes Before\"\nminutes_offset = 30", "datetime_changed: is required for event Minutes Before"},
		{"event = \"Minutes After\"\ndatetime_changed = \"sla_resolution_by\"\nminutes_offset = 5", "minutes_offset: must be at least 10 for event Minutes After, as in the ERP"},
		{"event = \"Save\"\ndatetime_changed = \"sla_resolution_by\"", "datetime_changed: is only used with events Minutes Before and Minutes After (event is Save)"},
		{"event = \"Save\"\nminutes_offset = 30", "minutes_offset: is only used with events Minutes Before and Minutes After"},
	} {
		cfg, err := Parse("w.toml", base+tc.keys, env(nil))
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.keys, err)
		case tc.want == "":
			u := cfg.Tables()[0]
			if u.Streamed || u.NeedsFullIdentity || strings.Join(u.Columns, ",") != "sla_resolution_by" {
				t.Errorf("%s: a Minutes rule needs %+v of its table, want only the column read", tc.keys, u)
			}
		case err == nil || !strings.Contains(err.Error(), tc.want):
			t.Errorf("%s: err = %v, want %q", tc.keys, err, tc.want)
		}
	}
}
