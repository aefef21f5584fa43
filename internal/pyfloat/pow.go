// Package pyfloat computes float powers, floor divisions and remainders as CPython does, for
// conditions and templates alike: Go's math.Pow can be a unit in the last place away from the C
// library's pow that Python calls, math.Floor(x / y) a whole unit away from x // y, math.Mod
// keeps the dividend's sign, and the difference prints.
package pyfloat

import (
	"math"
	"math/big"
)

// exactUpTo is the largest whole part of an exponent whose power Pow computes exactly before
// it rounds; past it, at 256 bits.
const exactUpTo = 1024

// Pow is x ** y as Python gives it (C's pow): rounded once from the exact value where y is a
// whole number or a whole number and a half (1.0001 ** 100 is 1.0100496620928754, 2 ** 1.5 is
// 2.8284271247461903, where math.Pow gives ...734 and 2.82842712474619), and math.Pow's
// answer for any other exponent. A NaN, an infinity or a zero, as answer or operand, is
// math.Pow's: C's and Go's agree on those.
func Pow(x, y float64) float64 {
	r := math.Pow(x, y)
	twice := 2 * y
	if twice != math.Trunc(twice) || math.Abs(y) > 1<<53 || math.IsInf(r, 0) || math.IsNaN(r) || r == 0 ||
		x == 0 || math.IsInf(x, 0) || math.IsNaN(x) {
		return r
	}
	whole := math.Trunc(math.Abs(y))
	half := math.Abs(y) != whole
	n := uint64(whole)
	// x has 53 significant bits, so x**n has at most 53n: up to exactUpTo every product below
	// is exact, and the square root and the quotient add a rounding far below float64's.
	prec := uint(256)
	if n <= exactUpTo {
		prec = uint(53*max(n, 1) + 128)
	}
	acc := new(big.Float).SetPrec(prec).SetInt64(1)
	base := new(big.Float).SetPrec(prec).SetFloat64(x)
	if half {
		acc.Sqrt(base) // x > 0 here: a negative x's half power is NaN, returned above
	}
	for ; n > 0; n >>= 1 {
		if n&1 == 1 {
			acc.Mul(acc, base)
		}
		if n > 1 {
			base.Mul(base, base)
		}
	}
	if y < 0 {
		acc.Quo(new(big.Float).SetPrec(prec).SetInt64(1), acc)
	}
	f, _ := acc.Float64()
	return f
}

// FloorDiv is x // y for floats, y not 0, as Python computes it: from the exact remainder, so
// that 1 // 0.1 is 9.0 (the remainder is 0.09999...), where math.Floor(1 / 0.1) is 10.
func FloorDiv(x, y float64) float64 {
	mod := math.Mod(x, y)
	div := (x - mod) / y
	if mod != 0 && (y < 0) != (mod < 0) {
		div--
	}
	if div == 0 {
		return math.Copysign(0, x/y)
	}
	q := math.Floor(div)
	if div-q > 0.5 {
		q++
	}
	return q
}

// Mod is x % y for floats, y not 0, as Python computes it: the remainder takes the divisor's
// sign, a zero one too (-7 % 0.5 is 0.0, 1.5 % -0.5 is -0.0).
func Mod(x, y float64) float64 {
	r := math.Mod(x, y)
	if r == 0 {
		return math.Copysign(0, y)
	}
	if (r < 0) != (y < 0) {
		r += y
	}
	return r
}
