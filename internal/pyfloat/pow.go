// Package pyfloat computes float powers, floor divisions and remainders as CPython does, for
// conditions and templates alike: Go's math.Pow can be a unit in the last place away from the C
// library's pow that Python calls, math.Floor(x / y) a whole unit away from x // y, math.Mod
// keeps the dividend's sign, and the difference prints.
package pyfloat

import (
	"math"
	"math/big"
	"sync"
)

// exactUpTo is the largest whole part of an exponent whose power Pow computes exactly before
// it rounds; past it, at 256 bits.
const exactUpTo = 1024

// Pow is x ** y as Python gives it (C's pow): rounded once from the exact value where y is a
// whole number or a whole number and a half (1.0001 ** 100 is 1.0100496620928754, 2 ** 1.5 is
// 2.8284271247461903, where math.Pow gives ...734 and 2.82842712474619), and from exp(y ln x)
// computed to 128 bits for any other exponent of a positive x (8 ** (1/3) is 2.0, where
// math.Pow gives 1.9999999999999998 and differs from C's pow for a third of such powers;
// C's, a little less than exact, differs from this one for one in a thousand). A NaN,
// an infinity or a zero, as answer or operand, is math.Pow's: C's and Go's agree on those.
func Pow(x, y float64) float64 {
	r := math.Pow(x, y)
	if math.IsInf(r, 0) || math.IsNaN(r) || r == 0 || x == 0 || math.IsInf(x, 0) || math.IsNaN(x) {
		return r
	}
	twice := 2 * y
	if twice != math.Trunc(twice) || math.Abs(y) > 1<<53 {
		if x < 0 || y == 0 {
			return r
		}
		return powLog(x, y)
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

// logPrec is the precision powLog computes at: enough that its one rounding to a float64 is
// the exact value's but where that lies within a 2⁻⁶⁰ of a unit in the last place of a
// float64's halfway.
const logPrec = 128

// powLog is x ** y, x > 0, as exp(y ln x) computed to logPrec bits and rounded once.
func powLog(x, y float64) float64 {
	z := newFloat().Mul(logBig(x), newFloat().SetFloat64(y))
	f, _ := expBig(z).Float64()
	return f
}

func newFloat() *big.Float { return new(big.Float).SetPrec(logPrec) }

// ln2 is the natural logarithm of 2 to logPrec bits: 2 atanh(1/3).
var ln2 = sync.OnceValue(func() *big.Float {
	third := newFloat().Quo(newFloat().SetInt64(1), newFloat().SetInt64(3))
	return atanh2(third)
})

// atanh2 is 2 atanh(s) = ln((1+s)/(1-s)) for a small s, by its series 2(s + s³/3 + s⁵/5 ...).
func atanh2(s *big.Float) *big.Float {
	sum, term, s2 := newFloat().Set(s), newFloat().Set(s), newFloat().Mul(s, s)
	limit := newFloat().SetMantExp(newFloat().SetInt64(1), -logPrec-8)
	for k := int64(3); ; k += 2 {
		term.Mul(term, s2)
		t := newFloat().Quo(term, newFloat().SetInt64(k))
		if t.Sign() == 0 || newFloat().Abs(t).Cmp(limit) < 0 {
			break
		}
		sum.Add(sum, t)
	}
	return sum.Mul(sum, newFloat().SetInt64(2))
}

// logBig is ln x for x > 0: x = m 2^e with m between √½ and √2, ln m by atanh2 of
// (m-1)/(m+1), plus e ln 2.
func logBig(x float64) *big.Float {
	m, e := math.Frexp(x) // m in [½, 1)
	if m < math.Sqrt2/2 {
		m, e = m*2, e-1
	}
	mb := newFloat().SetFloat64(m)
	s := newFloat().Quo(newFloat().Sub(mb, newFloat().SetInt64(1)), newFloat().Add(mb, newFloat().SetInt64(1)))
	return newFloat().Add(atanh2(s), newFloat().Mul(ln2(), newFloat().SetInt64(int64(e))))
}

// expBig is e^z: z = k ln 2 + r, e^r by its series at r / 2⁸ squared eight times, times 2^k.
func expBig(z *big.Float) *big.Float {
	zf, _ := z.Float64()
	k := math.Round(zf / math.Ln2)
	if math.Abs(k) > 1<<20 { // far past float64's range: its infinity or zero
		return newFloat().SetFloat64(math.Exp(zf))
	}
	r := newFloat().Sub(z, newFloat().Mul(ln2(), newFloat().SetFloat64(k)))
	r.SetMantExp(r, -8)
	sum, term := newFloat().SetInt64(1), newFloat().SetInt64(1)
	limit := newFloat().SetMantExp(newFloat().SetInt64(1), -logPrec-8)
	for n := int64(1); term.Sign() != 0 && newFloat().Abs(term).Cmp(limit) >= 0; n++ {
		term.Mul(term, r)
		term.Quo(term, newFloat().SetInt64(n))
		sum.Add(sum, term)
	}
	for range 8 {
		sum.Mul(sum, sum)
	}
	return sum.SetMantExp(sum, int(k))
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
