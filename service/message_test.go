package service

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// allServices are the names of the list's services.
var allServices = func() []string {
	var names []string
	for _, s := range All() {
		names = append(names, s.Name)
	}
	return names
}()

// fileName is a service's name in golden file names: "googlechat", "rocketchat".
func serviceFileName(svc string) string {
	return strings.NewReplacer(" ", "", ".", "").Replace(strings.ToLower(svc))
}

// golden compares got, indented for reading (string escapes are kept as they are), with
// testdata/<name>, or rewrites it under -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, got, "", "  "); err != nil {
		t.Fatalf("%s: not JSON: %v\n%s", name, err, got)
	}
	pretty.WriteByte('\n')
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./service -run %s -update)", err, t.Name())
	}
	if !bytes.Equal(pretty.Bytes(), want) {
		t.Errorf("%s differs from the golden file\ngot:\n%s\nwant:\n%s", name, pretty.Bytes(), want)
	}
}

func sampleTicket() Message {
	return Message{
		Notification: "New urgent ticket",
		Event:        "New",
		Doctype:      "Issue",
		Name:         "ISS-2024-00042",
		Subject:      "Ticket ISS-2024-00042",
		Text:         "*Nouveau ticket*\nNouvelle demande n° ISS-2024-00042.\n• Client : Dupont & Fils",
		URL:          "https://erp.example.com/app/issue/ISS-2024-00042",
		Doc: map[string]any{
			"name": "ISS-2024-00042", "customer": "Dupont & Fils", "priority": "High",
			"total": 45000.5, "qty": int64(3), "is_return": false, "due_date": "2024-05-02", "notes": nil,
		},
	}
}

func TestPayloadMatchesGoldenFiles(t *testing.T) {
	noLink := sampleTicket()
	noLink.URL = ""
	// Already escaped by the renderer for Slack-like services (&lt;!channel&gt;) or not (Discord
	// sees the raw text): sender must pass both through unchanged, HTML-looking text included.
	hostile := sampleTicket()
	hostile.Text = "Client: &lt;!channel&gt; <!here> @everyone <@U123> </script><b>\"quoted\"</b> & done"
	long := sampleTicket()
	long.Text = strings.Repeat("Ligne numéro un, avec des accents éàü et un emoji 🎉. ", 60)

	cases := []struct {
		name string
		m    Message
		l    Labels
	}{
		{"link", sampleTicket(), LabelsFor("en")},
		{"nolink", noLink, LabelsFor("en")},
		{"fr", sampleTicket(), LabelsFor("fr")},
		{"hostile", hostile, LabelsFor("en")},
		{"long", long, LabelsFor("en")},
	}
	for _, svc := range allServices {
		for _, c := range cases {
			if c.name == "long" && mustFormat(t, svc).Limit > 3000 {
				continue // only for services whose limit is below three thousand characters
			}
			name := serviceFileName(svc) + "_" + c.name
			t.Run(name, func(t *testing.T) {
				got, err := Payload(svc, c.m, c.l)
				if err != nil {
					t.Fatal(err)
				}
				checkGolden(t, filepath.Join("payload", name+".json"), got)
			})
		}
	}
}

func TestPayloadPassesTextThroughAsGiven(t *testing.T) {
	m := sampleTicket()
	m.Text = "&lt;!channel&gt; <!here> @everyone <@U123> *bold* _it_ `code` \"q\" </script>"
	for _, svc := range allServices {
		got, err := Payload(svc, m, LabelsFor("en"))
		if err != nil {
			t.Fatal(err)
		}
		if txt := bodyText(t, got); !strings.HasPrefix(txt, m.Text) {
			t.Errorf("%v: text changed: %q", svc, txt)
		}
	}
}

func TestPayloadDoesNotEscapeHTML(t *testing.T) {
	m := sampleTicket()
	m.Text = "a < b && c > d"
	for _, svc := range allServices {
		got, err := Payload(svc, m, LabelsFor("en"))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(got, []byte(`\u003c`)) || bytes.Contains(got, []byte(`\u0026`)) || !bytes.Contains(got, []byte("a < b && c > d")) {
			t.Errorf("%v: text not passed through literally: %s", svc, got)
		}
	}
}

// text returns the message text a body carries (text or content; message for Generic).
func bodyText(t *testing.T, body []byte) string {
	t.Helper()
	var v struct {
		Text, Content, Message string
		Attachments            []struct { // Teams
			Content struct{ Body []struct{ Text string } }
		}
	}
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	var card string // the message is the card's last text block, after the subject
	for _, a := range v.Attachments {
		if b := a.Content.Body; len(b) > 0 {
			card = b[len(b)-1].Text
		}
	}
	return v.Text + v.Content + v.Message + card
}

func TestPayloadKeepsToTheServiceLimit(t *testing.T) {
	for _, svc := range allServices {
		if svc == "Generic" {
			continue // no text limit: Generic sends the message whole
		}
		limit := mustFormat(t, svc).Limit
		for _, withLink := range []bool{true, false} {
			m := sampleTicket()
			if !withLink {
				m.URL = ""
			}
			m.Text = strings.Repeat("é", limit+500)
			got, err := Payload(svc, m, LabelsFor("en"))
			if err != nil {
				t.Fatal(err)
			}
			txt := bodyText(t, got)
			if n := utf8.RuneCountInString(txt); n > limit {
				t.Errorf("%v (link %v): %d characters, limit %d", svc, withLink, n, limit)
			}
			if !strings.Contains(txt, "é…") {
				t.Errorf("%v (link %v): cut not shown with …", svc, withLink)
			}
			if withLink && (svc == "Google Chat" || svc == "Mattermost") && !strings.HasSuffix(txt, "\n<"+m.URL+"|Document link>") {
				t.Errorf("%v: the link was cut off with the text: ...%s", svc, txt[len(txt)-80:])
			}
		}
	}
}

func TestPayloadOfAShortMessageIsUncut(t *testing.T) {
	for _, svc := range allServices {
		m := sampleTicket()
		m.Text = strings.Repeat("x", mustFormat(t, svc).Limit-200)
		got, err := Payload(svc, m, LabelsFor("en"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(bodyText(t, got), m.Text) {
			t.Errorf("%v: a message within the limit was cut", svc)
		}
	}
}

func TestDiscordAlwaysDisablesMentions(t *testing.T) {
	for _, url := range []string{"", "https://erp.example.com/app/issue/X"} {
		m := sampleTicket()
		m.URL, m.Text = url, "@everyone @here <@123> <@&456>"
		got, err := Payload("Discord", m, LabelsFor("en"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(got, []byte(`"allowed_mentions":{"parse":[]}`)) {
			t.Errorf("no empty allowed_mentions.parse in %s", got)
		}
	}
}

func TestPayloadRefusesUnknownServiceAndBadValues(t *testing.T) {
	if _, err := Payload("", sampleTicket(), LabelsFor("en")); err == nil {
		t.Error("service 0: no error")
	}
	m := sampleTicket()
	m.Doc = map[string]any{"bad": make(chan int)}
	if _, err := Payload("Generic", m, LabelsFor("en")); err == nil {
		t.Error("a value JSON cannot hold: no error")
	}
}

func TestClipCutsCleanly(t *testing.T) {
	cases := []struct {
		name, in string
		max      int
		want     string
	}{
		{"fits", "hello", 5, "hello"},
		{"counts characters, not bytes", "ééééé", 5, "ééééé"},
		{"cuts at a word boundary near the end", "hello wonderful world", 18, "hello wonderful…"},
		{"cuts inside a long word when no boundary is near", strings.Repeat("a", 60), 10, strings.Repeat("a", 9) + "…"},
		{"never splits a character", "日本語のテキスト", 4, "日本語…"},
		{"keeps a combining mark with its letter", "cafe\u0301s", 5, "caf…"},
		{"does not leave half an entity", "Tom&amp;Jerry", 7, "Tom…"},
		{"does not leave half a link", "see:<https://x.example/a|here>", 16, "see:…"},
		{"zero", "abc", 0, ""},
		{"one", "abc", 1, "…"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := clip(c.in, c.max)
			if got != c.want {
				t.Errorf("clip(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
			}
			if utf8.RuneCountInString(got) > c.max || !utf8.ValidString(got) {
				t.Errorf("clip(%q, %d) = %q: too long or invalid", c.in, c.max, got)
			}
		})
	}
}

func TestLinksEncodeWhatWouldBreakThem(t *testing.T) {
	if got := angleLink("https://x/a b|c>", "Document link"); got != "<https://x/a%20b%7Cc%3E|Document link>" {
		t.Errorf("angleLink = %q", got)
	}
	if got := markdownLink("https://x/a (b)", "Document link"); got != "[Document link](https://x/a%20%28b%29)" {
		t.Errorf("markdownLink = %q", got)
	}
}

func mustFormat(t *testing.T, svc string) *Service {
	t.Helper()
	f, err := Lookup(svc)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestLookupFindsEveryServiceByItsName: Lookup's switch and All (with the document webhooks)
// name the same services, in any case.
func TestLookupFindsEveryServiceByItsName(t *testing.T) {
	for _, s := range append(All(), documentWebhook()) {
		for _, name := range []string{s.Name, strings.ToUpper(s.Name), " " + strings.ToLower(s.Name) + " "} {
			got, err := Lookup(name)
			if err != nil || got.Name != s.Name {
				t.Errorf("Lookup(%q) = %v, %v; want %s", name, got, err, s.Name)
			}
		}
	}
	_, err := Lookup("Zulip")
	if err == nil {
		t.Fatal("Lookup(Zulip) found a service")
	}
	for _, s := range All() {
		if !strings.Contains(err.Error(), s.Name) {
			t.Errorf("the error for an unknown service does not list %s: %v", s.Name, err)
		}
	}
}
