// Package htmltext is the ERP's handling of HTML in text (frappe.utils strip_html, is_html and
// escape_html), shared by conditions and templates so that both give the ERP's answers. It reads
// text only: what a template then escapes for its service is the template's business.
package htmltext

import (
	"regexp"
	"strings"
)

var (
	// tags is what the ERP's strip_html removes (Jinja2's old striptags pattern): HTML comments,
	// and anything from a "<" to the next ">". A comment does not span lines ("." stops at a
	// line break in both Go and Python), but its "<" then starts a tag.
	tags = regexp.MustCompile(`<!--.*?-->|<[^>]*>`)
	// tag is what the ERP's is_html looks for: a "<", at least one character, then a ">".
	tag = regexp.MustCompile(`<[^>]+>`)
	// escapes are the characters the ERP's escape_html replaces, with their entities.
	escapes = strings.NewReplacer("&", "&amp;", `"`, "&quot;", "'", "&apos;", "<", "&lt;", ">", "&gt;")
)

// Strip is the ERP's strip_html(text): s without its HTML comments and tags; entities stay as
// written.
func Strip(s string) string { return tags.ReplaceAllString(s, "") }

// HasTag reports whether s holds something shaped as an HTML tag, as the ERP's is_html finds
// one: "<b>", "a <br/> b", but not "<>" or "a < b".
func HasTag(s string) bool { return tag.MatchString(s) }

// Escape is the ERP's escape_html(text): & " ' < > written as entities.
func Escape(s string) string { return escapes.Replace(s) }
