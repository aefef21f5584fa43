package rules

import (
	"strings"
	"testing"
)

func TestRecipientRowsFollowTheForm(t *testing.T) {
	base := `[database]
dsn = "postgres://x@localhost/erp"
[[notification]]
name = "n"
document_type = "Issue"
event = "New"
message = "m"
send_system_notification = true
`
	for _, tc := range []struct{ keys, want string }{
		{`recipients = ["a@x", { by_field = "owner" }, { by_field = "items,approver" }, { by_role = "Accounts User", condition = "doc.x" }, { cc = "{{ doc.raised_by }}" }]` + "\nsend_to_all_assignees = true", ""},
		{`recipients = [{ by_role = "R", cc = "x" }]`, "recipients: row 1: a recipient row takes one of by_field, by_role and cc"},
		{`recipients = [{ condition = "doc.x" }]`, "recipients: row 1: a recipient is empty"},
		{`recipients = [{ bcc = "x" }]`, `unknown recipient key "bcc"`},
		{`recipients = [{ by_field = "a b;c" }]`, `by_field "a b;c" is not a field name`},
		{`recipients = [{ by_role = "R", condition = "doc.x ==" }]`, "recipients: row 1: condition: line 1"},
		{`recipients = [{ cc = "{{ doc.x " }]`, "recipients: row 1: cc:"},
	} {
		cfg, err := Parse("w.toml", base+tc.keys, env(nil))
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.keys, err)
		case tc.want == "":
			if !cfg.UsesRoles() || len(cfg.Notifications[0].Recipients) != 5 {
				t.Errorf("%s: rows %+v", tc.keys, cfg.Notifications[0].Recipients)
			}
		case err == nil || !strings.Contains(err.Error(), tc.want):
			t.Errorf("%s: err = %v, want %q", tc.keys, err, tc.want)
		}
	}
}
