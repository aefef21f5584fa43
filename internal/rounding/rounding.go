// Package rounding holds the two roundings conditions and templates share, so that both give
// the ERP's results: Python's round() and the ERP's flt(x, precision) ("Banker's Rounding
// (legacy)", Frappe's default).
package rounding

import (
	"math"
	"strconv"
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
	if precision != 0 {
		r /= multiplier
	}
	return r, true
}
