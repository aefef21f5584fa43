package render

import (
	"fmt"
	"strings"
)

// Format is the markup of the target service; it decides how document values are escaped and
// how helper links are written.
type Format uint8

const (
	// Plain is for the generic webhook: no escaping, links as the ERP writes them
	// (<a href="url">label</a>).
	Plain Format = iota
	// Slack is Slack mrkdwn, also used for Google Chat: & < > are escaped in values, links are
	// <url|label>.
	Slack
	// Markdown is for Mattermost and Rocket.Chat: & < > are escaped and @channel, @all and @here
	// are neutralised in values, links are [label](url).
	Markdown
	// Discord neutralises @everyone, @here and <@...>, <@&...>, <#...> mentions in values;
	// links are [label](url).
	Discord
	// HTML is Telegram's HTML parse mode: & < > are escaped and @username mentions broken in
	// values; links are <a href="url">label</a>.
	HTML
	// CardMarkdown is the Markdown of Teams' Adaptive Card text and of ntfy: no mentions, no
	// entities; link syntax and <autolinks> in values are broken; links are [label](url).
	CardMarkdown
)

// Every Format also makes values inert beyond mentions and markup (issue 9, item 7):
//   - bidi overrides and isolates (U+202A-U+202E, U+2066-U+2069) and C0 control characters
//     but newline and tab (and DEL) are removed, for every Format, Plain included;
//   - where the service renders Markdown links (Markdown, Discord, CardMarkdown) a zero-width
//     space follows every ']' of a value, so "[Paid in full](http://evil.example)" shows as
//     written and links nowhere. The template's own literal markup is not touched.

// zwsp is the zero-width space inserted after '@' or '<' to break a mention without changing
// what the reader sees.
const zwsp = "\u200b"

// String returns the Format's name.
func (f Format) String() string {
	switch f {
	case Plain:
		return "Plain"
	case Slack:
		return "Slack"
	case Markdown:
		return "Markdown"
	case Discord:
		return "Discord"
	case HTML:
		return "HTML"
	case CardMarkdown:
		return "CardMarkdown"
	}
	return fmt.Sprintf("Format(%d)", uint8(f))
}

// Escape makes s inert text for the Format: after it, s cannot ping anyone, open a link or
// change the markup around it.
func (f Format) Escape(s string) string {
	s = stripControls(s)
	switch f {
	case Slack:
		return escapeEntities(s)
	case Markdown:
		return neutralise(escapeEntities(breakLinks(s)), markdownMention)
	case Discord:
		return neutralise(breakLinks(s), discordMention)
	case HTML:
		return neutralise(escapeEntities(s), telegramMention)
	case CardMarkdown:
		return neutralise(breakLinks(s), autolink)
	}
	return s
}

// unescape undoes Escape: Escape(unescape(Escape(s))) == Escape(s). Filters and helpers use it
// to work on the text as it was written.
func (f Format) unescape(s string) string {
	switch f {
	case Slack:
		return unescapeEntities(s)
	case Markdown:
		return restoreLinks(unescapeEntities(restore(s, markdownMention)))
	case Discord:
		return restoreLinks(restore(s, discordMention))
	case HTML:
		return unescapeEntities(restore(s, telegramMention))
	case CardMarkdown:
		return restoreLinks(restore(s, autolink))
	}
	return s
}

// readsEntities reports whether the service shows an HTML entity as its character.
func (f Format) readsEntities() bool { return f == Slack || f == Markdown || f == HTML }

// link writes a link in the Format's syntax; url and label are raw text.
func (f Format) link(url, label string) string {
	switch f {
	case Slack:
		return "<" + f.Escape(url) + "|" + f.Escape(label) + ">"
	case Markdown, Discord, CardMarkdown:
		label = linkLabelEscaper.Replace(f.Escape(label))
		return "[" + label + "](" + url + ")"
	case HTML:
		return `<a href="` + strings.ReplaceAll(escapeEntities(url), `"`, "&quot;") + `">` + f.Escape(label) + `</a>`
	}
	return `<a href="` + url + `">` + label + `</a>`
}

func escapeEntities(s string) string {
	if !strings.ContainsAny(s, "&<>") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func unescapeEntities(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '&' {
			switch rest := s[i:]; {
			case strings.HasPrefix(rest, "&amp;"):
				b.WriteByte('&')
				i += len("&amp;") - 1
				continue
			case strings.HasPrefix(rest, "&lt;"):
				b.WriteByte('<')
				i += len("&lt;") - 1
				continue
			case strings.HasPrefix(rest, "&gt;"):
				b.WriteByte('>')
				i += len("&gt;") - 1
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// A mention reports whether marker ('@' or '<') followed by rest starts a mention to
// neutralise.
type mention func(marker byte, rest string) bool

// markdownMention matches Mattermost's and Rocket.Chat's channel-wide mentions @channel, @all
// and @here (any case), followed by something that cannot continue a user name.
func markdownMention(marker byte, rest string) bool {
	if marker != '@' {
		return false
	}
	for _, word := range [...]string{"channel", "all", "here"} {
		if len(rest) >= len(word) && strings.EqualFold(rest[:len(word)], word) {
			return len(rest) == len(word) || !isNameByte(rest[len(word)])
		}
	}
	return false
}

func isNameByte(c byte) bool {
	return c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// discordMention matches @everyone and @here (any case) and the <@user>, <@!user>, <@&role>
// and <#channel> forms.
func discordMention(marker byte, rest string) bool {
	if marker == '<' {
		return rest != "" && (rest[0] == '@' || rest[0] == '#')
	}
	for _, word := range [...]string{"everyone", "here"} {
		if len(rest) >= len(word) && strings.EqualFold(rest[:len(word)], word) {
			return true
		}
	}
	return false
}

// neutralise inserts a zero-width space after each '@' or '<' that starts a mention.
func neutralise(s string, m mention) string {
	if !strings.ContainsAny(s, "@<") {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		if (s[i] == '@' || s[i] == '<') && m(s[i], s[i+1:]) {
			b.WriteString(s[last : i+1])
			b.WriteString(zwsp)
			last = i + 1
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// restore removes the zero-width spaces that neutralise inserted.
func restore(s string, m mention) string {
	if !strings.Contains(s, zwsp) {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		if (s[i] == '@' || s[i] == '<') && strings.HasPrefix(s[i+1:], zwsp) {
			if m(s[i], s[i+1+len(zwsp):]) {
				b.WriteString(s[last : i+1])
				last = i + 1 + len(zwsp)
				i += len(zwsp)
			}
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// stripControls removes bidi overrides and isolates and the C0 controls but newline and tab.
func stripControls(s string) string {
	if strings.IndexFunc(s, isStripped) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isStripped(r) {
			return -1
		}
		return r
	}, s)
}

func isStripped(r rune) bool {
	switch {
	case r == '\n', r == '\t':
		return false
	case r < 0x20, r == 0x7f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// breakLinks puts a zero-width space after every ']', so that no [label](url), [label][ref]
// or [ref]: url in a value is read as a link.
func breakLinks(s string) string {
	if !strings.Contains(s, "]") {
		return s
	}
	return strings.ReplaceAll(s, "]", "]"+zwsp)
}

// restoreLinks removes the zero-width spaces that breakLinks inserted.
func restoreLinks(s string) string {
	return strings.ReplaceAll(s, "]"+zwsp, "]")
}

// telegramMention matches @username (Telegram names have at least 5 letters, digits or _;
// a shorter one is broken too, which costs nothing).
func telegramMention(marker byte, rest string) bool {
	return marker == '@' && rest != "" && isNameByte(rest[0])
}

// autolink matches every '<': in CardMarkdown a value's <http://...> would be a link.
func autolink(marker byte, _ string) bool { return marker == '<' }

// linkLabelEscaper escapes the brackets of a Markdown link's label and drops zero-width
// spaces, built once.
var linkLabelEscaper = strings.NewReplacer("[", `\[`, "]", `\]`, zwsp, "")
