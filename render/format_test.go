package render

import (
	"strings"
	"testing"
)

var allFormats = []Format{Plain, Slack, Markdown, Discord, HTML, CardMarkdown}

// TestValuesCarryNoLinksNorControls (issue 9, item 7): a document value's Markdown link stays
// text on every service that renders Markdown links, bidi overrides and C0 controls (but
// newline and tab) are gone on every service, and the template's own link is kept as written.
func TestValuesCarryNoLinksNorControls(t *testing.T) {
	doc := map[string]any{
		"doctype": "Sales Invoice",
		"status":  "[Paid in full](http://evil.example) [ref][1]\n[1]: http://evil.example <http://evil.example>",
		"note":    "a\u202egnp.exe\u2066x\u2069 bell\a esc\x1b[31m nul\x00 del\x7f tab\tend",
	}
	const src = `[Open](https://erp.example.com/x) {{ doc.status }} | {{ doc.note }} | {{ doc.status|upper }}`
	for _, f := range allFormats {
		t.Run(f.String(), func(t *testing.T) {
			got := mustRender(t, src, Data{Doc: doc, Format: f})
			if !strings.HasPrefix(got, "[Open](https://erp.example.com/x) ") {
				t.Errorf("the template's own link was changed: %q", got)
			}
			for _, r := range got {
				if isStripped(r) {
					t.Errorf("control %U kept: %q", r, got)
				}
			}
			if !strings.Contains(got, "\tend") || !strings.Contains(got, "\n[1") {
				t.Errorf("tab or newline lost: %q", got)
			}
			if f == Plain || f == Slack || f == HTML {
				return // these services render no [label](url) links
			}
			values := strings.TrimPrefix(got, "[Open](https://erp.example.com/x) ")
			for _, link := range []string{"](", "][", "]:", "<http", "<HTTP"} {
				if strings.Contains(values, link) && !(f == Discord && strings.HasPrefix(link, "<")) { // Discord's <url> only hides the preview
					t.Errorf("value keeps link syntax %q: %q", link, values)
				}
			}
			if visible := strings.ReplaceAll(values, zwsp, ""); !strings.Contains(visible, "[Paid in full](http://evil.example)") {
				t.Errorf("the value does not read as written: %q", visible)
			}
		})
	}
}

func TestEveryFormatUnescapesWhatItEscapes(t *testing.T) {
	inputs := []string{"", "plain", "A&B", "[x](y)", "a]b", "<http://x>", "@channel @someone", "x @ y < z", "tail ]", "tail <"}
	for _, f := range allFormats {
		for _, in := range inputs {
			escaped := f.Escape(in)
			if got := f.Escape(f.unescape(escaped)); got != escaped {
				t.Errorf("%v: Escape(unescape(%q)) = %q", f, escaped, got)
			}
			if got := f.unescape(escaped); got != in {
				t.Errorf("%v: unescape(Escape(%q)) = %q", f, in, got)
			}
		}
	}
}

func TestHTMLEscapesForTelegram(t *testing.T) {
	if got, want := HTML.Escape(`<b>A&B</b> @someone`), "&lt;b&gt;A&amp;B&lt;/b&gt; @\u200bsomeone"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := HTML.link(`https://x.example/a?b=1&c="2"`, "A<B"), `<a href="https://x.example/a?b=1&amp;c=&quot;2&quot;">A&lt;B</a>`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
