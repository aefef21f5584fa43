package condition

import (
	"fmt"
	"math"
	"math/big"
)

// Python's ints have no bounds. A condition's are int64 (a row's integers, the literals, what
// arithmetic makes of them) until a result leaves int64's range, and then a *big.Int, which
// arithmetic, comparisons, truth, str() and repr(), int(), float() and round() take as Python
// does; a result back in range is an int64 again. Where a Go int is needed (an index, a width,
// a count, "%d") a *big.Int is not taken: an error, as Python's OverflowError or close to it.

// MaxIntBits is the largest int, in bits, one operation of a condition may build (2 ** 8192
// has 2,467 digits, within the 4,300 Python writes as text); past it the operation fails with
// an error wrapping ErrBudget.
const MaxIntBits = 1 << 13

// checkIntBits refuses to build an int of about n bits past MaxIntBits.
func checkIntBits(n float64) error {
	if n > MaxIntBits {
		return &budgetError{fmt.Sprintf("an int of %.0f bits is more than the limit of %d", n, MaxIntBits)}
	}
	return nil
}

// bigInt reads an int, a bool or a *big.Int as a *big.Int; false for anything else, floats
// included.
func bigInt(v any) (*big.Int, bool) {
	if b, ok := v.(*big.Int); ok {
		return b, true
	}
	n, ok := number(v)
	if !ok || n.isFloat {
		return nil, false
	}
	return big.NewInt(n.i), true
}

// isBig reports whether v is an int past int64.
func isBig(v any) bool {
	_, ok := v.(*big.Int)
	return ok
}

// normInt is b as the value conditions see: an int64 when it fits.
func normInt(b *big.Int) any {
	if b.IsInt64() {
		return b.Int64()
	}
	return b
}

// bigToFloat is float(b): OverflowError past the float range.
func bigToFloat(b *big.Int) (float64, error) {
	f, _ := new(big.Float).SetInt(b).Float64()
	if math.IsInf(f, 0) {
		return 0, &pyError{"OverflowError", "int too large to convert to float"}
	}
	return f, nil
}

// floatArith is a op b for numbers that are no *big.Int, for bigArith.
func floatArith(op string, a, b any) (any, error) {
	switch op {
	case "+":
		return add(a, b)
	case "-":
		return sub(a, b)
	case "*":
		return mul(a, b)
	case "/":
		return trueDivide(a, b)
	case "//":
		return floorDivide(a, b)
	case "%":
		return modulo(a, b)
	}
	return power(a, b)
}

// bigArith is a op b when a or b is a *big.Int (ok is false otherwise): exactly with an int or
// a bool; with a float, as floats, the int converted first (OverflowError when it cannot be).
func bigArith(op string, a, b any) (r any, ok bool, err error) {
	aBig, bBig := isBig(a), isBig(b)
	if !aBig && !bBig {
		return nil, false, nil
	}
	x, xok := bigInt(a)
	y, yok := bigInt(b)
	if xok && yok {
		r, err := intArith(op, x, y)
		return r, true, err
	}
	_, aFloat := a.(float64)
	_, bFloat := b.(float64)
	if !aFloat && !bFloat {
		return nil, true, operandError(op, a, b)
	}
	if aBig {
		if a, err = bigToFloat(a.(*big.Int)); err != nil {
			return nil, true, err
		}
	}
	if bBig {
		if b, err = bigToFloat(b.(*big.Int)); err != nil {
			return nil, true, err
		}
	}
	r, err = floatArith(op, a, b)
	return r, true, err
}

// intArith is x op y for two ints, exactly, as Python's int does: floor division and modulo,
// a true division rounded once to a float, a power with a negative exponent as floats.
func intArith(op string, x, y *big.Int) (any, error) {
	z := new(big.Int)
	switch op {
	case "+", "-":
		if err := checkIntBits(float64(max(x.BitLen(), y.BitLen()) + 1)); err != nil {
			return nil, err
		}
		if op == "+" {
			return normInt(z.Add(x, y)), nil
		}
		return normInt(z.Sub(x, y)), nil
	case "*":
		if err := checkIntBits(float64(x.BitLen() + y.BitLen())); err != nil {
			return nil, err
		}
		return normInt(z.Mul(x, y)), nil
	case "/":
		if y.Sign() == 0 {
			return nil, &pyError{"ZeroDivisionError", "division by zero"}
		}
		f, _ := new(big.Rat).SetFrac(x, y).Float64()
		if math.IsInf(f, 0) {
			return nil, &pyError{"OverflowError", "integer division result too large for a float"}
		}
		return f, nil
	case "//", "%":
		if y.Sign() == 0 {
			return nil, &pyError{"ZeroDivisionError", "integer division or modulo by zero"}
		}
		q, m := new(big.Int).QuoRem(x, y, new(big.Int))
		if m.Sign() != 0 && m.Sign() != y.Sign() { // toward minus infinity, as Python's
			q.Sub(q, big.NewInt(1))
			m.Add(m, y)
		}
		if op == "//" {
			return normInt(q), nil
		}
		return normInt(m), nil
	case "**":
		if y.Sign() < 0 {
			fx, err := bigToFloat(x)
			if err != nil {
				return nil, err
			}
			fy, err := bigToFloat(y)
			if err != nil {
				return nil, err
			}
			return power(fx, fy)
		}
		if x.IsInt64() && y.IsInt64() {
			if r, ok := intPower(x.Int64(), y.Int64()); ok {
				return r, nil
			}
		}
		log2 := float64(x.BitLen()) // of |x|, for the size of the result
		if f, _ := new(big.Float).SetInt(x).Float64(); !math.IsInf(f, 0) {
			log2 = math.Log2(math.Abs(f))
		}
		if err := checkIntBits(log2 * float64(y.Int64())); y.IsInt64() && err != nil || !y.IsInt64() && log2 > 0 {
			if err == nil {
				err = checkIntBits(math.Inf(1))
			}
			return nil, err
		}
		return normInt(z.Exp(x, y, nil)), nil
	}
	return nil, operandError(op, x, y)
}

// compareBig orders a and b, numbers at least one of which is a *big.Int, by their exact
// values; ok is false when one is no number.
func compareBig(a, b any) (c int, ok bool) {
	x, xok := bigFloat(a)
	y, yok := bigFloat(b)
	switch {
	case !xok || !yok:
		return 0, false
	case x == nil || y == nil: // NaN
		return unordered, true
	}
	return x.Cmp(y), true
}

// bigFloat is a number as an exact *big.Float: nil for NaN.
func bigFloat(v any) (*big.Float, bool) {
	if b, ok := bigInt(v); ok {
		return new(big.Float).SetInt(b), true
	}
	f, ok := v.(float64)
	if !ok {
		return nil, false
	}
	if math.IsNaN(f) {
		return nil, true
	}
	return new(big.Float).SetFloat64(f), true
}

// roundBig is round(b, ndigits) of an int past int64: b itself unless ndigits is negative,
// else to the nearest multiple of 10 ** -ndigits, a tie to the even one.
func roundBig(b *big.Int, ndigits int64) (any, error) {
	if ndigits >= 0 {
		return normInt(b), nil
	}
	if err := checkIntBits(float64(-ndigits) * 3.33); err != nil {
		return nil, err
	}
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(-ndigits), nil)
	q, r := new(big.Int).QuoRem(b, p, new(big.Int))
	if r.Sign() < 0 {
		q.Sub(q, big.NewInt(1))
		r.Add(r, p)
	}
	switch c := new(big.Int).Lsh(r, 1).Cmp(p); {
	case c > 0, c == 0 && q.Bit(0) == 1:
		q.Add(q, big.NewInt(1))
	}
	return normInt(q.Mul(q, p)), nil
}
