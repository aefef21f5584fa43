package pystr

import (
	"strings"

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
