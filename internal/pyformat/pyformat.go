// Package pyformat is Python's printf-style string formatting, "format % values", and its
// format-spec mini-language, format(value, spec) (spec.go), which conditions (rules/condition)
// and templates (render) both offer: one implementation, so that a condition and a template
// agree with each other and with Python. It is generic over the
// caller's values: a Model says how to write one as text, read it as a number, and charge the
// caller's budget before a text is built. Errors are Python's exceptions, as *Error.
package pyformat

import (
	"fmt"
	"math"
	"math/big"
	"strings"
	"unicode/utf8"
)

// Number is a Python number: an int (a bool counts as one) or a float.
type Number struct {
	Int     int64
	Float   float64
	IsFloat bool
	// Big is an int past int64 when not nil; Float is then its value as a float, for the
	// float conversions.
	Big *big.Int
}

// Model is what formatting needs of the caller's values V.
type Model[V any] struct {
	Str, Repr func(V) string         // Python's str() and repr()
	Number    func(V) (Number, bool) // the value as a number, if it is one
	Text      func(V) (string, bool) // the value as a str, if it is one
	TypeName  func(V) string         // Python's name of its type, for errors
	// Size bounds the length of Repr (repr true) or Str of the value without building it.
	Size func(v V, repr bool) float64
	// Charge is called with the length of a text before it is built; its error stops the
	// formatting and is returned as it is.
	Charge func(n float64) error
	// Own, when not nil, is a value's own format(v, spec) where it is not the built-in
	// types' (a date's spec is strftime's): ok false leaves the value to FormatSpec.
	Own func(v V, spec string) (s string, ok bool, err error)
}

// Operand is the right operand of "format % operand".
type Operand[V any] struct {
	Value V
	// Tuple holds the items of a tuple operand, which are the arguments, one per conversion;
	// any other operand is the one argument.
	Tuple   []V
	IsTuple bool
	// Lookup reads the value of "%(key)s"; nil unless the operand is a mapping. (For Python
	// a list is one too, whose lookup of a text fails.)
	Lookup func(key string) (V, error)
}

// Error is a Python exception raised while formatting.
type Error struct {
	Kind string // TypeError, ValueError, ...
	Msg  string
}

func (e *Error) Error() string { return e.Kind + ": " + e.Msg }

func typeError(format string, args ...any) error {
	return &Error{"TypeError", fmt.Sprintf(format, args...)}
}

func valueError(format string, args ...any) error {
	return &Error{"ValueError", fmt.Sprintf(format, args...)}
}

// conversion is one %-conversion's flags, width and precision.
type conversion struct {
	left, sign, blank, alt, zero bool
	width, prec                  int // prec -1 when absent
}

// Format is Python's format % operand: %[(key)][flags][width][.precision][length]type with
// the flags "-+ #0", "*" widths and precisions, and the types d i u o x X e E f F g G c r s a
// and %.
func Format[V any](m Model[V], format string, op Operand[V]) (string, error) {
	// As CPython: a tuple's items are taken in turn; any other operand once (next -2 < n -1).
	n, next, single := len(op.Tuple), 0, op.Value
	if !op.IsTuple {
		n, next = -1, -2
	}
	arg := func() (V, error) {
		if next >= n {
			var zero V
			return zero, typeError("not enough arguments for format string")
		}
		next++
		if n < 0 {
			return single, nil
		}
		return op.Tuple[next-1], nil
	}
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			b.WriteByte(format[i])
			continue
		}
		i++
		start := i
		if i < len(format) && format[i] == '(' {
			if op.Lookup == nil {
				return "", typeError("format requires a mapping")
			}
			depth, start := 1, i+1
			for i++; i < len(format) && depth > 0; i++ {
				switch format[i] {
				case '(':
					depth++
				case ')':
					depth--
				}
			}
			if depth > 0 {
				return "", valueError("incomplete format key")
			}
			v, err := op.Lookup(format[start : i-1])
			if err != nil {
				return "", err
			}
			// As CPython: the value is the one argument of what follows.
			n, next, single = -1, -2, v
		}
		var c conversion
	flags:
		for ; i < len(format); i++ {
			switch format[i] {
			case '-':
				c.left = true
			case '+':
				c.sign = true
			case ' ':
				c.blank = true
			case '#':
				c.alt = true
			case '0':
				c.zero = true
			default:
				break flags
			}
		}
		number := func() (int, error) {
			if i < len(format) && format[i] == '*' {
				i++
				v, err := arg()
				if err != nil {
					return 0, err
				}
				k, ok := m.Number(v)
				if !ok || k.IsFloat {
					return 0, typeError("* wants int")
				}
				return int(max(min(k.Int, math.MaxInt32), -math.MaxInt32)), nil
			}
			k := 0
			for ; i < len(format) && format[i] >= '0' && format[i] <= '9'; i++ {
				k = min(k*10+int(format[i]-'0'), math.MaxInt32)
			}
			return k, nil
		}
		w, err := number()
		if err != nil {
			return "", err
		}
		if w < 0 {
			c.left, w = true, -w
		}
		c.width, c.prec = w, -1
		if i < len(format) && format[i] == '.' {
			i++
			p, err := number()
			if err != nil {
				return "", err
			}
			c.prec = max(p, 0)
		}
		if i < len(format) && strings.IndexByte("hlL", format[i]) >= 0 {
			i++ // length modifiers mean nothing in Python
		}
		if i >= len(format) {
			return "", valueError("incomplete format")
		}
		verb, size := utf8.DecodeRuneInString(format[i:])
		i += size - 1
		if verb == '%' && i == start {
			b.WriteByte('%')
			continue
		}
		value, err := arg()
		if err != nil {
			return "", err
		}
		if err := m.Charge(float64(b.Len()) + float64(c.width) + float64(max(c.prec, 0)) + m.Size(value, verb == 'r' || verb == 'a')); err != nil {
			return "", err
		}
		if !strings.ContainsRune("sracdiuoxXeEfFgG", verb) {
			at := utf8.RuneCountInString(format[:i])
			return "", valueError("unsupported format character '%c' (0x%x) at index %d", verb, verb, at)
		}
		s, err := convert(m, c, verb, value)
		if err != nil {
			return "", err
		}
		if err := m.Charge(float64(b.Len()) + float64(len(s))); err != nil {
			return "", err
		}
		b.WriteString(s)
	}
	if next < n && op.Lookup == nil {
		return "", typeError("not all arguments converted during string formatting")
	}
	return b.String(), nil
}

// convert formats one value for one conversion.
func convert[V any](m Model[V], c conversion, verb rune, v V) (string, error) {
	switch verb {
	case 's', 'r', 'a':
		s := m.Str(v)
		if verb != 's' {
			s = m.Repr(v)
		}
		if verb == 'a' {
			s = ascii(s)
		}
		if c.prec >= 0 {
			if r := []rune(s); len(r) > c.prec {
				s = string(r[:c.prec])
			}
		}
		return pad(c, "", s, false), nil
	case 'c':
		if k, ok := m.Number(v); ok && !k.IsFloat {
			if k.Int < 0 || k.Int > utf8.MaxRune || k.Big != nil {
				return "", &Error{"OverflowError", "%c arg not in range(0x110000)"}
			}
			return pad(c, "", string(rune(k.Int)), false), nil
		}
		if s, ok := m.Text(v); ok && utf8.RuneCountInString(s) == 1 {
			return pad(c, "", s, false), nil
		}
		return "", typeError("%%c requires int or char")
	case 'd', 'i', 'u', 'o', 'x', 'X':
		k, ok := m.Number(v)
		if !ok {
			if verb == 'd' || verb == 'i' || verb == 'u' {
				return "", typeError("%%%c format: a real number is required, not %s", verb, m.TypeName(v))
			}
			return "", typeError("%%%c format: an integer is required, not %s", verb, m.TypeName(v))
		}
		return integer(c, verb, k, m.TypeName(v))
	case 'e', 'E', 'f', 'F', 'g', 'G':
		k, ok := m.Number(v)
		if !ok {
			return "", typeError("must be real number, not %s", m.TypeName(v))
		}
		if k.Big != nil && math.IsInf(k.Float, 0) {
			return "", &Error{"OverflowError", "int too large to convert to float"}
		}
		return float(c, verb, k), nil
	}
	panic("pyformat: conversion " + string(verb))
}

// integer writes an int (a float is truncated for d, i and u) in base 10, 8 or 16.
func integer(c conversion, verb rune, k Number, typeName string) (string, error) {
	i := new(big.Int).SetInt64(k.Int)
	if k.Big != nil {
		i.Set(k.Big)
	}
	if k.IsFloat {
		switch {
		case verb != 'd' && verb != 'i' && verb != 'u':
			return "", typeError("%%%c format: an integer is required, not %s", verb, typeName)
		case math.IsNaN(k.Float):
			return "", valueError("cannot convert float NaN to integer")
		case math.IsInf(k.Float, 0):
			return "", &Error{"OverflowError", "cannot convert float infinity to integer"}
		}
		i, _ = big.NewFloat(math.Trunc(k.Float)).Int(nil)
	}
	sign := signOf(c, i.Sign() < 0)
	base, prefix := 10, ""
	switch verb {
	case 'o':
		base, prefix = 8, "0o"
	case 'x':
		base, prefix = 16, "0x"
	case 'X':
		base, prefix = 16, "0X"
	}
	digits := new(big.Int).Abs(i).Text(base)
	if verb == 'X' {
		digits = strings.ToUpper(digits)
	}
	if len(digits) < c.prec {
		digits = strings.Repeat("0", c.prec-len(digits)) + digits
	}
	if c.alt {
		sign += prefix
	}
	return pad(c, sign, digits, true), nil
}

// float writes a number in fixed-point (f), exponent (e) or general (g) form, as format
// specs do (floatBody).
func float(c conversion, verb rune, k Number) string {
	x := k.Float
	if !k.IsFloat && k.Big == nil {
		x = float64(k.Int)
	}
	sign := signOf(c, math.Signbit(x) && !math.IsNaN(x))
	prec := c.prec
	if prec < 0 {
		prec = 6
	}
	return pad(c, sign, floatBody(math.Abs(x), byte(verb), prec, c.alt), true)
}

func unicodeLower(verb rune) rune {
	if verb >= 'A' && verb <= 'Z' {
		return verb + 'a' - 'A'
	}
	return verb
}

// signOf is the sign a number is written with: "-", or "+" / " " as the flags ask.
func signOf(c conversion, negative bool) string {
	switch {
	case negative:
		return "-"
	case c.sign:
		return "+"
	case c.blank:
		return " "
	}
	return ""
}

// pad fills to the width: on the right for "-", with zeros after the sign for a number with
// the 0 flag, else with spaces on the left.
func pad(c conversion, sign, body string, numeric bool) string {
	fill := c.width - utf8.RuneCountInString(sign) - utf8.RuneCountInString(body)
	switch {
	case fill <= 0:
		return sign + body
	case c.left:
		return sign + body + strings.Repeat(" ", fill)
	case numeric && c.zero:
		return sign + strings.Repeat("0", fill) + body
	}
	return strings.Repeat(" ", fill) + sign + body
}

// ascii is Python's ascii() of a repr: what is not ASCII escaped as \xhh, \uhhhh or \Uhhhhhhhh.
func ascii(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case r <= 0xff:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	return b.String()
}
