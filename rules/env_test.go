package rules

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

const secretsBase = `
[site]
url = "https://erp.example.com"
[[webhook]]
name = "w"
service = "Slack"
url = "${HOOK}"
[[notification]]
name = "n"
document_type = "Issue"
event = "New"
webhook = "w"
`

func TestVariablesExpandOnlyInConnectionSettingsAndSecrets(t *testing.T) {
	vars := env(map[string]string{"DB_PASSWORD": "s3cret", "HOOK": "https://hooks.slack.com/services/T/B/X"})
	cfg, err := Parse("w.toml", `
[database]
dsn = "postgres://walnotify:${DB_PASSWORD}@localhost/erp"
`+secretsBase+`subject = "db=${DB_PASSWORD}"
message = "pw ${DB_PASSWORD} {{ doc.name }}"
condition = 'doc.subject != "${DB_PASSWORD}"'
set_property_after_alert = "status"
property_value = "${DB_PASSWORD}"
`, vars)
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Database.DSN.Reveal(); got != "postgres://walnotify:s3cret@localhost/erp" {
		t.Errorf("dsn = %q", got)
	}
	if got := cfg.Webhook("w").URL.Reveal(); got != "https://hooks.slack.com/services/T/B/X" {
		t.Errorf("url = %q", got)
	}
	n := cfg.Notification("n")
	for key, v := range map[string]string{"subject": n.Subject, "message": n.Message, "condition": n.Condition, "property_value": n.PropertyValue} {
		if strings.Contains(v, "s3cret") || !strings.Contains(v, "${DB_PASSWORD}") {
			t.Errorf("%s = %q: ${VAR} must stay literal there", key, v)
		}
	}
}

func TestVariableDefaults(t *testing.T) {
	for _, tt := range []struct {
		name string
		vars map[string]string
		want string
	}{
		{"unset takes the default", nil, "postgres://x@db.internal:5433/erp"},
		{"empty takes the default", map[string]string{"DB_HOST": ""}, "postgres://x@db.internal:5433/erp"},
		{"set wins", map[string]string{"DB_HOST": "10.0.0.9"}, "postgres://x@10.0.0.9:5433/erp"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			vars := map[string]string{"HOOK": "https://hooks.slack.com/services/T/B/X"}
			for k, v := range tt.vars {
				vars[k] = v
			}
			cfg, err := Parse("w.toml", `
[database]
dsn = "postgres://x@${DB_HOST:-db.internal}:5433/erp"
`+secretsBase+`message = "m"`, env(vars))
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.Database.DSN.Reveal(); got != tt.want {
				t.Errorf("dsn = %q, want %q", got, tt.want)
			}
		})
	}
}

// files is a fake file system for the *_file secrets.
func files(m map[string]string) Option {
	return WithReadFile(func(p string) ([]byte, error) {
		if v, ok := m[p]; ok {
			return []byte(v), nil
		}
		return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
	})
}

func TestSecretFiles(t *testing.T) {
	const password = "p@ss/w:rd#1?%'\\ x"
	for _, tt := range []struct {
		name, dsn string
	}{
		{"url dsn", "postgres://walnotify@127.0.0.1:5432/erp?sslmode=disable"},
		{"keyword dsn", "host=127.0.0.1 port=5432 user=walnotify dbname=erp sslmode=disable"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse("w.toml", `
[database]
dsn = "`+tt.dsn+`"
password_file = "/run/credentials/walnotify/db"
[site]
url = "https://erp.example.com"
[[webhook]]
name = "w"
service = "Slack"
url_file = "/run/credentials/walnotify/hook"
[[notification]]
name = "n"
document_type = "Issue"
event = "New"
webhook = "w"
message = "m"
`, env(nil), files(map[string]string{
				"/run/credentials/walnotify/db":   password + "\n",
				"/run/credentials/walnotify/hook": "https://hooks.slack.com/services/T/B/FILE\n",
			}))
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.Webhook("w").URL.Reveal(); got != "https://hooks.slack.com/services/T/B/FILE" {
				t.Errorf("url = %q", got)
			}
			// Parsed, not connected: the password arrives whole, the host stays the host.
			pc, err := pgconnParse(cfg.Database.DSN.Reveal())
			if err != nil {
				t.Fatalf("dsn does not parse: %v", err)
			}
			if pc.Password != password || pc.Host != "127.0.0.1" || pc.Database != "erp" || pc.User != "walnotify" {
				t.Errorf("parsed as user=%q password=%q host=%q db=%q", pc.User, pc.Password, pc.Host, pc.Database)
			}
		})
	}
}

func TestAmbiguousDSNFailsWithoutShowingIt(t *testing.T) {
	for _, dsn := range []string{
		"postgres://walnotify:p@ss/w:rd#1@127.0.0.1/erp", // parses as host "ss" without the check
		"postgres://walnotify:pw#frag@127.0.0.1/erp",
		"postgres://walnotify:pa/ss@127.0.0.1/erp",
		"host=127.0.0.1 password='unterminated",
	} {
		_, err := Parse("w.toml", "[database]\ndsn = \""+dsn+"\"\n"+secretsBase+"message = \"m\"", env(map[string]string{"HOOK": "https://hooks.slack.com/services/T/B/X"}))
		if err == nil {
			t.Errorf("%s: accepted", dsn)
			continue
		}
		if !strings.Contains(err.Error(), "database.dsn: is not a valid connection string") {
			t.Errorf("%s: error %v", dsn, err)
		}
		for _, piece := range []string{"p@ss", "w:rd", "rd#1", "frag", "pa/ss", "unterminated", "ss/"} {
			if strings.Contains(err.Error(), piece) {
				t.Errorf("error shows %q: %v", piece, err)
			}
		}
	}
}

func TestOfflineWarnsOnceAboutUnsetSecrets(t *testing.T) {
	text := `
[database]
dsn = "postgres://walnotify:${DB_PASSWORD}@localhost/erp"
[site]
url = "https://erp.example.com"
[[webhook]]
name = "a"
service = "Slack"
url = "${HOOK}"
[[webhook]]
name = "b"
service = "Slack"
url_file = "/nowhere/hook"
[[notification]]
name = "n"
document_type = "Issue"
event = "New"
webhook = "a"
message = "m"
`
	// For run, each is an error.
	_, err := Parse("w.toml", text, env(nil), files(nil))
	var p *Problems
	if !errors.As(err, &p) || len(p.List) != 3 {
		t.Fatalf("run: want 3 problems, got %v", err)
	}
	// Offline, each is one warning and the rules still load.
	cfg, err := Parse("w.toml", text, env(nil), files(nil), Offline())
	if err != nil {
		t.Fatalf("offline: %v", err)
	}
	if len(cfg.Warnings) != 3 {
		t.Fatalf("warnings = %q", cfg.Warnings)
	}
	for _, want := range []string{"database.dsn: environment variable DB_PASSWORD is not set", `webhook "a": url: environment variable HOOK is not set`, `webhook "b": url_file: cannot read the secret file`} {
		if !strings.Contains(strings.Join(cfg.Warnings, "\n"), want) {
			t.Errorf("no warning %q in %q", want, cfg.Warnings)
		}
	}
}

func pgconnParse(dsn string) (*pgconn.Config, error) { return pgconn.ParseConfig(dsn) }

// A secret that came from ${VAR} or a *_file is scrubbed as its value, not as the text that
// named it: the forms Scrub looks for are worked out when the value is set.
func TestSecretsFromVariablesAndFilesScrubTheirValue(t *testing.T) {
	const token = "XOXBtokenFromTheEnvironment42"
	for _, tt := range []struct{ name, url string }{
		{"variable", `url = "${HOOK}"`},
		{"file", `url_file = "/run/credentials/walnotify/hook"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse("w.toml", "[database]\ndsn = \"postgres://localhost/erp\"\n"+strings.Replace(secretsBase, `url = "${HOOK}"`, tt.url, 1)+`message = "m"`+"\n",
				env(map[string]string{"HOOK": "https://hooks.slack.com/services/T/B/" + token}),
				files(map[string]string{"/run/credentials/walnotify/hook": "https://hooks.slack.com/services/T/B/" + token + "\n"}))
			if err != nil {
				t.Fatal(err)
			}
			got := cfg.Webhook("w").URL.Scrub("invalid_token for " + strings.ToLower(token))
			if strings.Contains(strings.ToLower(got), strings.ToLower(token)) {
				t.Errorf("Scrub left the token: %q", got)
			}
		})
	}
}

// TestSecretsCompareByValue: a reload compares [database] and webhooks with ==; two secrets of
// the same value must be equal however they were made.
func TestSecretsCompareByValue(t *testing.T) {
	var parsed Secret
	if err := parsed.UnmarshalText([]byte("https://hooks.slack.com/services/T/B/X")); err != nil {
		t.Fatal(err)
	}
	if parsed != NewSecret("https://hooks.slack.com/services/T/B/X") {
		t.Error("the same value, parsed and made, compares unequal")
	}
}

// A *_file secret is read from a regular file of at most 64 KiB: a directory, a device (which
// /dev/zero would read for good) or a large file is a problem of the configuration, and a
// small file is read as ever.
func TestASecretFileIsASmallRegularFile(t *testing.T) {
	dir := t.TempDir()
	small, large := dir+"/hook", dir+"/large"
	if err := os.WriteFile(small, []byte("https://hooks.slack.com/services/T/B/FILE\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(large, make([]byte, 65<<10), 0o600); err != nil {
		t.Fatal(err)
	}
	config := func(path string) string {
		return `
[database]
dsn = "postgres://x@h/erp"
[site]
url = "https://erp.example.com"
[[webhook]]
name = "w"
service = "Slack"
url_file = "` + path + `"
`
	}
	cfg, err := Parse("w.toml", config(small), env(nil))
	if err != nil || cfg.Webhooks[0].URL.Reveal() != "https://hooks.slack.com/services/T/B/FILE" {
		t.Fatalf("a small file: %v", err)
	}
	for path, want := range map[string]string{dir: "is not a regular file", "/dev/zero": "is not a regular file", large: "is larger than 64 KiB"} {
		done := make(chan error, 1)
		go func() { _, err := Parse("w.toml", config(path), env(nil)); done <- err }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %v, want %q", path, err, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: the load did not return", path)
		}
	}
}
