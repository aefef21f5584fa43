package pystr

import (
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

// Upper is str.upper(): Unicode's full case mapping, so "ß" is "SS" (strings.ToUpper maps one
// rune to one and keeps "ß").
func Upper(s string) string {
	if isASCII(s) {
		return strings.ToUpper(s)
	}
	return cases.Upper(language.Und).String(s)
}

// Lower is str.lower(): Unicode's full case mapping, with Greek's final sigma ("ΟΔΟΣ" is "οδος").
func Lower(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	return cases.Lower(language.Und).String(s)
}

// Casefold is str.casefold(): lower case for comparison, "ß" is "ss".
func Casefold(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	return cases.Fold().String(s)
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Title is str.title(): the first cased character of each run of cased characters in title
// case, the others lower case, with Unicode's full mapping as CPython's ("ßa" is "Ssa", "ﬁx"
// "Fix", a final sigma "ς"); a letter that has no case ("中") ends a run.
func Title(s string) string {
	return titled(s, func(_ int, afterCased bool) bool { return !afterCased })
}

// Capitalize is str.capitalize(): the first character in title case, the rest lower case,
// with Unicode's full mapping ("ß" is "Ss").
func Capitalize(s string) string {
	return titled(s, func(i int, _ bool) bool { return i == 0 })
}

// titled maps s with the characters that starts picks (by index, and whether the character
// before is cased) in title case, the others lower case.
func titled(s string, starts func(i int, afterCased bool) bool) string {
	m := newMapper(s)
	var b strings.Builder
	b.Grow(len(s))
	prev := false
	for i, r := range m.runes {
		if starts(i, prev) {
			b.WriteString(m.title(r))
		} else {
			b.WriteString(m.lower(i))
		}
		prev = isCased(r)
	}
	return b.String()
}

// Swapcase is str.swapcase(): upper case characters lower, lower case ones upper, with
// Unicode's full mapping ("ß" is "SS"); title case ones ("ǅ") stay.
func Swapcase(s string) string {
	m := newMapper(s)
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range m.runes {
		switch {
		case unicode.IsUpper(r):
			b.WriteString(m.lower(i))
		case unicode.IsLower(r):
			b.WriteString(m.upper(r))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mapper maps one character of a text at a time as CPython's ToUpperFull, ToLowerFull and
// ToTitleFull do, lower case in the final sigma context of the whole text.
type mapper struct {
	runes      []rune
	upperCaser cases.Caser
	titleCaser cases.Caser
	ascii      bool
}

func newMapper(s string) *mapper {
	m := &mapper{runes: []rune(s), ascii: isASCII(s)}
	if !m.ascii {
		m.upperCaser = cases.Upper(language.Und)
		m.titleCaser = cases.Title(language.Und)
	}
	return m
}

func (m *mapper) upper(r rune) string {
	if r < 0x80 || m.ascii {
		return string(unicode.ToUpper(r))
	}
	return m.upperCaser.String(string(r))
}

func (m *mapper) title(r rune) string {
	if r < 0x80 || m.ascii {
		return string(unicode.ToUpper(r))
	}
	return m.titleCaser.String(string(r))
}

// lower is the lower case of the i-th character: "İ" is "i̇", as Unicode's SpecialCasing has
// it, and "Σ" is "ς" at the end of a word.
func (m *mapper) lower(i int) string {
	switch r := m.runes[i]; {
	case r == 'Σ' && m.finalSigma(i):
		return "ς"
	case r == 'İ':
		return "i\u0307"
	default:
		return string(unicode.ToLower(r))
	}
}

// finalSigma is CPython's Final_Sigma context: a cased character before the sigma and none
// after it, case-ignorable characters skipped.
func (m *mapper) finalSigma(i int) bool {
	j := i - 1
	for j >= 0 && isCaseIgnorable(m.runes[j]) {
		j--
	}
	if j < 0 || !isCased(m.runes[j]) {
		return false
	}
	j = i + 1
	for j < len(m.runes) && isCaseIgnorable(m.runes[j]) {
		j++
	}
	return j == len(m.runes) || !isCased(m.runes[j])
}

// isCased is Unicode's Cased property.
func isCased(r rune) bool {
	return unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r) ||
		unicode.In(r, unicode.Other_Lowercase, unicode.Other_Uppercase)
}

// isCaseIgnorable is Unicode's Case_Ignorable property: marks, format characters, modifiers and
// the apostrophes, periods and colons that may sit inside a word.
func isCaseIgnorable(r rune) bool {
	switch r {
	case '\'', '.', ':', '^', '`', 0xB7, 0x2018, 0x2019, 0x2024, 0x2027, 0xFE13, 0xFE52, 0xFE55, 0xFF07, 0xFF0E, 0xFF1A, 0x5F4:
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk)
}
