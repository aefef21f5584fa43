package pyfloat

import (
	"math"
	"strconv"
	"strings"
)

// Repr is Python's repr() (and str()) of a float: the shortest text that reads back, with ".0"
// for a whole number and an exponent below 1e-4 and from 1e16, of at least two digits
// (1e-05, 1e+16).
func Repr(f float64) string {
	switch {
	case math.IsInf(f, 0):
		if f > 0 {
			return "inf"
		}
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	if a := math.Abs(f); a != 0 && (a < 1e-4 || a >= 1e16) {
		return exponent(strconv.FormatFloat(f, 'e', -1, 64))
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// exponent writes Go's exponents as Python does: at least two digits (1e+06, not 1e+6).
func exponent(s string) string {
	k := strings.IndexAny(s, "eE")
	if k < 0 || k+2 >= len(s) {
		return s
	}
	if digits := s[k+2:]; len(digits) == 1 {
		return s[:k+2] + "0" + digits
	}
	return s
}
