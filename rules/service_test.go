package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExampleConfigHasEachNewService(t *testing.T) {
	text, err := os.ReadFile("../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Parse("config.example.toml", string(text), exampleEnv)
	if err != nil {
		t.Fatal(err)
	}
	for name, svc := range map[string]Service{"sales-teams": "Microsoft Teams", "ops-telegram": "Telegram", "ops-ntfy": "ntfy"} {
		w := cfg.Webhook(name)
		if w == nil || w.Service != svc {
			t.Errorf("webhook %s: %+v, want service %s", name, w, svc)
		}
	}
	if len(cfg.Warnings) != 0 {
		t.Errorf("warnings: %q", cfg.Warnings)
	}
	if got := cfg.Webhook("ops-telegram").URL.Reveal(); !strings.Contains(got, "chat_id=-1001234567890") {
		t.Errorf("Telegram URL does not carry the chat: %q", got)
	}
}

func webhookConfig(lines string) string {
	return `
[database]
dsn = "postgres://x@localhost/erp"
[site]
url = "https://erp.example.com"
[[webhook]]
name = "w"
` + lines + `
[[notification]]
name = "n"
document_type = "ToDo"
event = "New"
message = "hi"
webhook = "w"
`
}

func TestServiceKeysAreCheckedAtLoad(t *testing.T) {
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte("tk_fromfile\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, lines string
		err         string // "" when it loads
		warning     string
		url         string // what the completed URL contains
	}{
		{"Teams on a Workflows host", `service = "microsoft teams"
url = "https://prod-1.westeurope.logic.azure.com/workflows/x/invoke?sig=S"`, "", "", "sig=S"},
		{"Teams elsewhere is warned about, not refused", `service = "Microsoft Teams"
url = "https://relay.example.com/teams"`, "", "not a Microsoft Workflows host", "relay.example.com"},
		{"Telegram needs chat_id", `service = "Telegram"
url = "https://api.telegram.org/bot1:A/sendMessage"`, "chat_id is required", "", ""},
		{"Telegram chat_id must be an id or @name", `service = "Telegram"
url = "https://api.telegram.org/bot1:A/sendMessage"
chat_id = "my group"`, "neither a number nor an @channel", "", ""},
		{"Telegram channel", `service = "Telegram"
url = "https://api.telegram.org/bot1:A/sendMessage"
chat_id = "@erp_news"`, "", "", "chat_id=%40erp_news"},
		{"ntfy needs a topic", `service = "ntfy"
url = "https://ntfy.sh/"`, "must end with the topic", "", ""},
		{"ntfy token from a file", `service = "ntfy"
url = "https://ntfy.sh/alerts"
token_file = "` + tokenFile + `"`, "", "", "auth="},
		{"ntfy token file missing", `service = "ntfy"
url = "https://ntfy.sh/alerts"
token_file = "/nonexistent/token"`, "cannot read the secret file", "", ""},
		{"unknown service names the list", `service = "Skype"
url = "https://x.example/"`, "Microsoft Teams, Telegram, ntfy", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := Parse("w.toml", webhookConfig(c.lines), env(nil))
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want %q", err, c.err)
				}
				if strings.Contains(err.Error(), "bot1:A") {
					t.Errorf("the error quotes the secret URL: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			w := cfg.Webhook("w")
			warnings := strings.Join(cfg.Warnings, "\n")
			if !strings.Contains(warnings, c.warning) || (c.warning == "") != (warnings == "") {
				t.Errorf("warnings %q, want %q", warnings, c.warning)
			}
			if !strings.Contains(w.URL.Reveal(), c.url) {
				t.Errorf("url %q does not contain %q", w.URL.Reveal(), c.url)
			}
		})
	}
}
