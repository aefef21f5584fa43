package service

import (
	"strings"
	"testing"
)

// TestEveryServiceMakesValuesInert: whatever the service, a document value's link, mention,
// bidi override or control character does nothing once escaped for it (issue 9, item 7).
func TestEveryServiceMakesValuesInert(t *testing.T) {
	const evil = "[Paid in full](http://evil.example) <a href=\"http://evil.example\">x</a> \u202egnp.exe \a\x1b[0m"
	rendersMarkdownLinks := map[string]bool{"Mattermost": true, "Rocket.Chat": true, "Discord": true, "Microsoft Teams": true, "ntfy": true}
	for _, s := range All() {
		got := s.Format.Escape(evil)
		if rendersMarkdownLinks[s.Name] && strings.Contains(got, "](") {
			t.Errorf("%s: a Markdown link survives: %q", s.Name, got)
		}
		if s.Name == "Telegram" && strings.Contains(got, "<a ") { // the one service that reads HTML
			t.Errorf("%s: an HTML link survives: %q", s.Name, got)
		}
		if strings.ContainsAny(got, "\u202e\a\x1b") {
			t.Errorf("%s: control characters survive: %q", s.Name, got)
		}
	}
}
