package service

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Message is one rendered notification, ready to be turned into a service's payload.
type Message struct {
	Notification, Event, Doctype, Name string
	Subject, Text                      string         // rendered, already escaped for the service by the renderer
	URL                                string         // document link; "" when the webhook's show_document_link is false
	Doc                                map[string]any // the row, sent by Generic only
	// Request is a document webhook's request, built in full at enqueue time.
	Request *HTTPRequest `json:",omitempty"`
}

// encode marshals v without HTML escaping (<, > and & stay literal, as chat services expect)
// and without the encoder's trailing newline.
func encode(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encode payload: %w", err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

const ellipsis = "…"

// clip returns s if it has at most max runes, else a prefix of it ending with "…", max runes in
// all. It cuts cleanly: at a word boundary when one is near, never inside a character, before a
// combining mark it would orphan, or in the middle of an HTML entity ("&am") or a <...> link.
func clip(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	if max <= 0 {
		return ""
	}
	if max == 1 {
		return ellipsis
	}
	cut := 0
	for range max - 1 {
		_, size := utf8.DecodeRuneInString(s[cut:])
		cut += size
	}
	// Do not separate a character from the marks and joiners that follow it.
	for cut > 0 {
		next, _ := utf8.DecodeRuneInString(s[cut:])
		if !unicode.In(next, unicode.Mn, unicode.Me) && next != '\u200d' && next != '\ufe0f' {
			break
		}
		_, size := utf8.DecodeLastRuneInString(s[:cut])
		cut -= size
	}
	head := s[:cut]
	if i := strings.LastIndexAny(head, " \t\n"); i > 0 && len(head)-i <= 40 {
		head = head[:i]
	}
	head = dropOpenMarkup(head)
	return strings.TrimRight(head, " \t\r\n\u200d") + ellipsis
}

// dropOpenMarkup removes an HTML entity or a <...> construct left open at the end of head.
func dropOpenMarkup(head string) string {
	if i := strings.LastIndexByte(head, '&'); i >= 0 && len(head)-i <= 10 && !strings.Contains(head[i:], ";") {
		if strings.IndexFunc(head[i+1:], func(r rune) bool { return r != '#' && !unicode.IsLetter(r) && !unicode.IsDigit(r) }) < 0 {
			head = head[:i]
		}
	}
	if i := strings.LastIndexByte(head, '<'); i >= 0 && len(head)-i <= 200 && !strings.Contains(head[i:], ">") {
		head = head[:i]
	}
	return head
}

// runes counts the characters of s as the services do (code points).
func runes(s string) int { return utf8.RuneCountInString(s) }

// angleLink writes the <url|label> link of Slack, Google Chat and Mattermost. Characters that
// would end the link early are percent-encoded; they are never valid raw in a URL.
func angleLink(url, label string) string {
	return "<" + angleURL.Replace(url) + "|" + label + ">"
}

// angleURL and markdownURL percent-encode what would end a link early. A Replacer builds its
// tables at its first use: these are built once, not for each message.
var (
	angleURL    = strings.NewReplacer(" ", "%20", "<", "%3C", ">", "%3E", "|", "%7C")
	markdownURL = strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E")
)

// markdownLink writes the [label](url) link of Rocket.Chat and Discord.
func markdownLink(url, label string) string {
	return "[" + label + "](" + markdownURL.Replace(url) + ")"
}
