package pyfloat

import (
	"math"
	"strconv"
	"strings"

	"walnotify/internal/pystr"
)

// Parse reads a float as Python's float() does: "1.5", " 2 ", "1e3", ".5", "1_000.5", "inf",
// "nan", digits of any script; a "_" only between digits ("_1" and "1__0" are no number).
func Parse(s string) (float64, bool) {
	t := strings.TrimFunc(pystr.ASCIIDigits(s), pystr.IsSpace)
	body := strings.ToLower(strings.TrimLeft(t, "+-"))
	if len(t)-len(body) > 1 {
		return 0, false
	}
	switch body {
	case "nan": // "-nan" too, which strconv refuses
		return math.NaN(), true
	case "inf", "infinity":
		if t[0] == '-' {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	}
	mantissa, exponent, hasExp := strings.Cut(body, "e")
	whole, frac, _ := strings.Cut(mantissa, ".")
	if whole == "" && frac == "" || whole != "" && !digits(whole) || frac != "" && !digits(frac) {
		return 0, false
	}
	if hasExp && !digits(strings.TrimLeft(exponent, "+-")) {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(t, "_", ""), 64)
	if err != nil && !math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// digits reports whether s is ASCII digits with single "_" between them.
func digits(s string) bool {
	if s == "" || s[0] == '_' || s[len(s)-1] == '_' || strings.Contains(s, "__") {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return true
}
