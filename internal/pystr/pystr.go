// Package pystr holds Python's str algorithms that conditions (rules/condition) and templates
// (render) both offer: upper, lower and casefold with Unicode's full case mapping, title,
// capitalize, swapcase, istitle, count and find within start and end, split and rsplit with
// maxsplit, partition and rpartition, splitlines, ljust, center, rjust, zfill, expandtabs and
// repr.
// One implementation, so that a condition and a template agree with each other and with
// Python. It works on plain strings; each caller checks its own budgets and argument types.
package pystr

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Cased is str.isupper() (is = IsUpper, other = IsLower) and str.islower(): at least one cased
// character, none of the other case.
func Cased(s string, is, other func(rune) bool) bool {
	found := false
	for _, r := range s {
		if other(r) {
			return false
		}
		found = found || is(r)
	}
	return found
}

// Count is str.count(sub): non-overlapping occurrences; an empty sub counts the gaps between
// characters, len(s)+1.
func Count(s, sub string) int {
	if sub == "" {
		return utf8.RuneCountInString(s) + 1
	}
	return strings.Count(s, sub)
}

// Split is str.split(sep, maxsplit) (right: str.rsplit). sep "" with whitespace true is the
// call without a separator: runs of whitespace, no empty fields. maxsplit < 0 is no limit.
// The caller refuses an empty sep given explicitly (Python's "empty separator").
func Split(s, sep string, whitespace bool, maxsplit int, right bool) []string {
	if whitespace {
		return fields(s, maxsplit, right)
	}
	switch {
	case maxsplit < 0:
		return strings.Split(s, sep)
	case !right:
		return strings.SplitN(s, sep, min(maxsplit, len(s))+1)
	}
	var rev []string
	for ; maxsplit > 0; maxsplit-- {
		i := strings.LastIndex(s, sep)
		if i < 0 {
			break
		}
		rev = append(rev, s[i+len(sep):])
		s = s[:i]
	}
	out := []string{s}
	for i := len(rev) - 1; i >= 0; i-- {
		out = append(out, rev[i])
	}
	return out
}

// fields is split() without a separator, at most maxsplit splits, from the right for rsplit.
// Once the splits are used up, the rest keeps the white space at its far end, as Python's:
// " a b ".split(None, 1) is ["a", "b "], "a b ".split(None, 2) is ["a", "b"].
func fields(s string, maxsplit int, right bool) []string {
	all := strings.FieldsFunc(s, IsSpace)
	if maxsplit < 0 || len(all) <= maxsplit {
		return all
	}
	if !right {
		var out []string
		rest := strings.TrimLeftFunc(s, IsSpace)
		for ; maxsplit > 0; maxsplit-- {
			i := strings.IndexFunc(rest, IsSpace)
			out = append(out, rest[:i])
			rest = strings.TrimLeftFunc(rest[i:], IsSpace)
		}
		return append(out, rest)
	}
	var rev []string
	rest := strings.TrimRightFunc(s, IsSpace)
	for ; maxsplit > 0; maxsplit-- {
		i := strings.LastIndexFunc(rest, IsSpace)
		_, n := utf8.DecodeRuneInString(rest[i:])
		rev = append(rev, rest[i+n:])
		rest = strings.TrimRightFunc(rest[:i], IsSpace)
	}
	out := []string{rest}
	for i := len(rev) - 1; i >= 0; i-- {
		out = append(out, rev[i])
	}
	return out
}

// Partition is str.partition(sep) (right: str.rpartition): the text before the first (last)
// sep, sep, and the text after it; without sep, s and two empty texts (rpartition: two empty
// texts and s). The caller refuses an empty sep (Python's "empty separator").
func Partition(s, sep string, right bool) [3]string {
	i := strings.Index(s, sep)
	if right {
		i = strings.LastIndex(s, sep)
	}
	switch {
	case i >= 0:
		return [3]string{s[:i], sep, s[i+len(sep):]}
	case right:
		return [3]string{"", "", s}
	}
	return [3]string{s, "", ""}
}

// SplitLines is str.splitlines(keepends): s cut at Python's line boundaries ("\n", "\r",
// "\r\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"), each kept at the end of
// its line when keepends; no empty last line after a final boundary.
func SplitLines(s string, keepends bool) []string {
	var lines []string
	start := 0
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch r {
		case '\n', '\r', '\v', '\f', '\x1c', '\x1d', '\x1e', '\u0085', '\u2028', '\u2029':
		default:
			i += n
			continue
		}
		end := i
		i += n
		if r == '\r' && i < len(s) && s[i] == '\n' {
			i++
		}
		if keepends {
			end = i
		}
		lines = append(lines, s[start:end])
		start = i
	}
	if start < len(s) {
		lines = append(lines, s[start:])
	}
	return lines
}

// IsTitle is str.istitle(): at least one cased character, each upper or title case character
// after an uncased one and each lower case character after a cased one.
func IsTitle(s string) bool {
	cased, prevCased := false, false
	for _, r := range s {
		switch {
		case unicode.IsUpper(r) || unicode.IsTitle(r):
			if prevCased {
				return false
			}
			cased, prevCased = true, true
		case unicode.IsLower(r):
			if !prevCased {
				return false
			}
			cased, prevCased = true, true
		default:
			prevCased = false
		}
	}
	return cased
}

// Window is s[start:end] as str.find, count, index and startswith read their start and end
// (characters, negative from the end, end past the text its end), with the character offset
// of its start. ok is false when start is past end or past the text: find then gives -1,
// count 0 and startswith False, even for an empty sub. An absent start is 0, an absent end
// math.MaxInt.
func Window(s string, start, end int) (w string, offset int, ok bool) {
	n := utf8.RuneCountInString(s)
	if end > n {
		end = n
	} else if end < 0 {
		end = max(end+n, 0)
	}
	if start < 0 {
		start = max(start+n, 0)
	}
	if start > end {
		return "", start, false
	}
	if start == 0 && end == n {
		return s, 0, true
	}
	r := []rune(s)
	return string(r[start:end]), start, true
}

// Find is str.find(sub, start, end) (right: str.rfind): the character index of sub in the
// Window of s, -1 when it is not there.
func Find(s, sub string, start, end int, right bool) int {
	w, offset, ok := Window(s, start, end)
	if !ok {
		return -1
	}
	i := strings.Index(w, sub)
	if right {
		i = strings.LastIndex(w, sub)
	}
	if i < 0 {
		return -1
	}
	return offset + utf8.RuneCountInString(w[:i])
}

// ASCIIDigits writes the decimal digits of any script in s as ASCII ones, as Python's int()
// and float() read them: "１２" and "١٢" are 12.
func ASCIIDigits(s string) string {
	for _, r := range s {
		if r >= utf8.RuneSelf && unicode.Is(unicode.Nd, r) {
			return strings.Map(asciiDigit, s)
		}
	}
	return s
}

func asciiDigit(r rune) rune {
	if r < utf8.RuneSelf || !unicode.Is(unicode.Nd, r) {
		return r
	}
	zero := r // Unicode's decimal digits come in runs of whole 0-9 sets
	for unicode.Is(unicode.Nd, zero-1) {
		zero--
	}
	return '0' + (r-zero)%10
}

// Repr is Python's repr of a str: single quotes unless the text holds a single quote and no
// double quote; what str.isprintable refuses is escaped (\n, \x1c, \u200b, \U000e0001).
func Repr(s string) string {
	q := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == rune(q) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == utf8.RuneError:
			b.WriteString(`\ufffd`)
		case unicode.IsPrint(r): // as Python's str.isprintable: no control, format or separator but " "
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	b.WriteByte(q)
	return b.String()
}
