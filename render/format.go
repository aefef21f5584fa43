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
)

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
	}
	return fmt.Sprintf("Format(%d)", uint8(f))
}

// Escape makes s inert text for the Format: after it, s cannot ping anyone, open a link or
// change the markup around it.
func (f Format) Escape(s string) string {
	switch f {
	case Slack:
		return escapeEntities(s)
	case Markdown:
		return neutralise(escapeEntities(s), markdownMention)
	case Discord:
		return neutralise(s, discordMention)
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
		return unescapeEntities(restore(s, markdownMention))
	case Discord:
		return restore(s, discordMention)
	}
	return s
}

// link writes a link in the Format's syntax; url and label are raw text.
func (f Format) link(url, label string) string {
	switch f {
	case Slack:
		return "<" + f.Escape(url) + "|" + f.Escape(label) + ">"
	case Markdown, Discord:
		label = strings.NewReplacer("[", `\[`, "]", `\]`).Replace(f.Escape(label))
		return "[" + label + "](" + url + ")"
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
