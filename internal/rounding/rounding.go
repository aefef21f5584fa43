// Package rounding holds the numeric rules conditions, templates and write-backs share, so that
// all give the ERP's results: Python's round(), the ERP's flt(x, precision) ("Banker's Rounding
// (legacy)", Frappe's default) and the ERP's cint of a text.
package rounding

import (
	"math"
	"strconv"
	"strings"

	"walnotify/internal/pystr"
)

// Python rounds f to n decimal digits (n may be negative) as Python's round(f, n) does: ties to
// even on the exact decimal value of f, so round(2.675, 2) is 2.67.
func Python(f float64, n int) float64 {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0) || n > 330:
		return f
	case n >= 0:
		r, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', n, 64), 64)
		return r
	case n < -330:
		return math.Copysign(0, f)
	}
	p := math.Pow10(-n)
	return math.RoundToEven(f/p) * p
}

// Legacy is the ERP's rounded(f, precision) under "Banker's Rounding (legacy)": f is first
// rounded to 8 decimals after scaling, then an exact half rounds up when precision is not 0, and
// to the even neighbour when it is. ok is false for what cannot be rounded (NaN, infinities,
// precisions beyond ±300); the ERP's flt then gives 0.
func Legacy(f float64, precision int) (r float64, ok bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) || precision > 300 || precision < -300 {
		return 0, false
	}
	multiplier := math.Pow10(precision)
	if precision != 0 {
		f *= multiplier
	}
	f = Python(f, 8)
	floor := math.Floor(f)
	switch {
	case f-floor == 0.5 && precision == 0:
		r = floor
		if math.Mod(floor, 2) != 0 {
			r = floor + 1
		}
	case f-floor == 0.5:
		r = floor + 1
	default:
		r = math.RoundToEven(f)
	}
	if r == 0 {
		r = 0 // no -0.0: the ERP rounds by round(), whose int has no sign
	}
	if precision != 0 {
		r /= multiplier
	}
	return r, true
}

// Cint is the ERP's cint(s) of a text: int(float(s)), the number truncated toward zero. ok is
// false where Python's float() or int() fails ("1,234", "abc", "", "nan", "inf", a number
// beyond int64); the ERP's cint then gives its default, 0 unless told. float() takes
// surrounding spaces, a sign, an exponent and single underscores between digits ("1_000"),
// not hexadecimal; its digits may be any script's ("１２").
func Cint(s string) (n int64, ok bool) {
	s = strings.TrimSpace(pystr.ASCIIDigits(s))
	if strings.Contains(s, "_") {
		var ok bool
		if s, ok = pythonUnderscores(s); !ok {
			return 0, false
		}
	}
	if t := strings.TrimLeft(s, "+-"); len(t) > 1 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) >= 1<<63 {
		return 0, false
	}
	return int64(f), true
}

// pythonUnderscores removes the underscores Python allows in a number (each between two
// digits); false when one is elsewhere.
func pythonUnderscores(s string) (string, bool) {
	digit := func(i int) bool { return i >= 0 && i < len(s) && s[i] >= '0' && s[i] <= '9' }
	var b strings.Builder
	for i := range len(s) {
		if s[i] == '_' {
			if !digit(i-1) || !digit(i+1) {
				return "", false
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String(), true
}

// Floor is the ERP's floor(s) of f, the number its flt(s) gives: the largest whole number not
// above f, and 0 for what has none (NaN, infinities), where Python's math.floor fails and the
// ERP answers 0. The caller makes it an int (Python's has no bounds; beyond int64 it stays
// this float).
func Floor(f float64) float64 { return whole(math.Floor(f)) }

// Ceil is the ERP's ceil(s) of f, as Floor: the smallest whole number not below f, 0 for NaN
// and infinities.
func Ceil(f float64) float64 { return whole(math.Ceil(f)) }

// whole is f, or 0 when it is NaN or infinite; a negative zero is 0 too, as Python's int.
func whole(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) || f == 0 {
		return 0
	}
	return f
}
