package pystr

import (
	"strings"
	"unicode/utf8"
)

// The str methods that build text wider than their receiver: ljust, center, rjust, zfill and
// expandtabs. Their *Size functions give the size of the result before it is built, in float64
// so that a huge width cannot wrap around, for the caller to check against its budget.

// Align is where Pad puts the text within its width.
type Align int

const (
	Left   Align = iota // str.ljust
	Center              // str.center
	Right               // str.rjust
)

// PadSize is the size in bytes of Pad(s, width, fill, ...) and, with fill "0", of
// Zfill(s, width).
func PadSize(s string, width int, fill string) float64 {
	pad := float64(width) - float64(utf8.RuneCountInString(s))
	return float64(len(s)) + max(pad, 0)*float64(len(fill))
}

// Pad is str.ljust, str.center or str.rjust(width, fill): s with fill, one character, repeated
// to make it width characters; s itself when it is as wide already. center puts the extra
// fill character of an odd margin on the left when width is odd, as CPython does.
func Pad(s string, width int, fill string, align Align) string {
	pad := width - utf8.RuneCountInString(s)
	if pad <= 0 {
		return s
	}
	left := 0
	switch align {
	case Center:
		left = pad/2 + (pad & width & 1)
	case Right:
		left = pad
	}
	return strings.Repeat(fill, left) + s + strings.Repeat(fill, pad-left)
}

// Zfill is str.zfill(width): zeros on the left to make s width characters, after a leading
// sign.
func Zfill(s string, width int) string {
	pad := width - utf8.RuneCountInString(s)
	if pad <= 0 {
		return s
	}
	sign := ""
	if s != "" && (s[0] == '+' || s[0] == '-') {
		sign, s = s[:1], s[1:]
	}
	return sign + strings.Repeat("0", pad) + s
}

// ExpandTabsSize is at least the size in bytes of ExpandTabs(s, tabsize): each tab as tabsize
// spaces.
func ExpandTabsSize(s string, tabsize int) float64 {
	return float64(len(s)) + float64(strings.Count(s, "\t"))*max(float64(tabsize), 0)
}

// ExpandTabs is str.expandtabs(tabsize): each tab replaced by the spaces up to the next
// column that is a multiple of tabsize, counting characters from the last "\n" or "\r"; with
// tabsize 0 or less, tabs are removed.
func ExpandTabs(s string, tabsize int) string {
	var b strings.Builder
	col := 0
	for _, r := range s {
		switch r {
		case '\t':
			if tabsize > 0 {
				n := tabsize - col%tabsize
				b.WriteString(strings.Repeat(" ", n))
				col += n
			}
		case '\n', '\r':
			b.WriteRune(r)
			col = 0
		default:
			b.WriteRune(r)
			col++
		}
	}
	return b.String()
}
