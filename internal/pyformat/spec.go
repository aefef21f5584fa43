package pyformat

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Spec is a parsed format spec, Python's format-spec mini-language:
// [[fill]align][sign][z][#][0][width][,|_][.precision][type].
type Spec struct {
	Fill      rune // 0 when not given
	Align     byte // 0, '<', '>', '^' or '='
	Sign      byte // 0, '+', '-' or ' '
	NoNegZero bool // z: a float that rounds to -0 is written 0
	Alternate bool // #
	// Zero is the 0 before the width: a fill of '0' when none is given, and, for a number
	// without an alignment, '=' (a text keeps its '<').
	Zero      bool
	Width     int
	Grouping  byte // 0, ',' or '_'
	Precision int  // -1 when not given
	Type      byte // 0 or the type letter
}

// ParseSpec reads a format spec; typeName is the type of the value it formats, for the
// error Python gives.
func ParseSpec(spec, typeName string) (Spec, error) {
	f := Spec{Precision: -1}
	r := []rune(spec)
	i := 0
	isAlign := func(c rune) bool { return c == '<' || c == '>' || c == '^' || c == '=' }
	if len(r) >= 2 && isAlign(r[1]) {
		f.Fill, f.Align, i = r[0], byte(r[1]), 2
	} else if len(r) >= 1 && isAlign(r[0]) {
		f.Align, i = byte(r[0]), 1
	}
	if i < len(r) && (r[i] == '+' || r[i] == '-' || r[i] == ' ') {
		f.Sign = byte(r[i])
		i++
	}
	if i < len(r) && r[i] == 'z' {
		f.NoNegZero = true
		i++
	}
	if i < len(r) && r[i] == '#' {
		f.Alternate = true
		i++
	}
	if i < len(r) && r[i] == '0' {
		f.Zero = true
		i++
	}
	number := func() (int, bool) {
		n, start := 0, i
		for ; i < len(r) && r[i] >= '0' && r[i] <= '9'; i++ {
			n = min(n*10+int(r[i]-'0'), math.MaxInt32)
		}
		return n, i > start
	}
	f.Width, _ = number()
	if i < len(r) && (r[i] == ',' || r[i] == '_') {
		f.Grouping = byte(r[i])
		i++
		if i < len(r) && (r[i] == ',' || r[i] == '_') {
			return f, valueError("Cannot specify both ',' and '_'.")
		}
	}
	if i < len(r) && r[i] == '.' {
		i++
		p, ok := number()
		if !ok {
			return f, valueError("Format specifier missing precision")
		}
		f.Precision = p
	}
	if len(r)-i > 1 || len(r)-i == 1 && r[i] >= utf8.RuneSelf {
		return f, valueError("Invalid format specifier '%s' for object of type '%s'", spec, typeName)
	}
	if i < len(r) {
		f.Type = byte(r[i])
	}
	return f, nil
}

// FormatSpec is Python's format(v, spec) for the built-in types: a text, an int (a bool
// with a spec being one), a float; anything else takes no spec and is written by str(). A
// value whose own __format__ differs (a date's spec is strftime's) is the model's Own.
func FormatSpec[V any](m Model[V], v V, spec string) (string, error) {
	if m.Own != nil {
		if s, ok, err := m.Own(v, spec); ok || err != nil {
			return s, err
		}
	}
	if spec == "" {
		if err := m.Charge(m.Size(v, false)); err != nil {
			return "", err
		}
		return m.Str(v), nil
	}
	typeName := m.TypeName(v)
	text, isText := m.Text(v)
	n, isNumber := m.Number(v)
	if !isText && !isNumber {
		return "", typeError("unsupported format string passed to %s.__format__", typeName)
	}
	f, err := ParseSpec(spec, typeName)
	if err != nil {
		return "", err
	}
	if err := checkGrouping(f, isText, n.IsFloat); err != nil {
		return "", err
	}
	size := float64(f.Width) + float64(max(f.Precision, 0)) + 32
	if isText {
		size += m.Size(v, false)
	} else if n.Big != nil || n.IsFloat {
		size += math.Max(math.Log10(math.Abs(n.Float)), 0) * 4 / 3 // a fixed-point float's digits
	}
	if err := m.Charge(size); err != nil {
		return "", err
	}
	if isText {
		return formatText(f, text)
	}
	if n.IsFloat || f.Type != 0 && strings.IndexByte("eEfFgG%", f.Type) >= 0 {
		return formatFloat(f, n, typeName)
	}
	return formatInt(f, n, typeName)
}

// checkGrouping refuses a thousands separator where Python does, before anything else.
func checkGrouping(f Spec, isText, isFloat bool) error {
	typ := f.Type
	switch {
	case f.Grouping == 0:
		return nil
	case typ == 0 && isText:
		typ = 's'
	case typ == 0 && !isFloat:
		typ = 'd'
	}
	switch typ {
	case 0, 'd', 'e', 'E', 'f', 'F', 'g', 'G', '%':
		return nil
	case 'b', 'o', 'x', 'X':
		if f.Grouping == '_' {
			return nil
		}
	}
	return valueError("Cannot specify '%c' with '%c'.", f.Grouping, typ)
}

// formatText writes a text: a precision cuts it, it aligns left by default.
func formatText(f Spec, s string) (string, error) {
	switch {
	case f.Type != 0 && f.Type != 's':
		return "", valueError("Unknown format code '%c' for object of type 'str'", f.Type)
	case f.Sign == ' ':
		return "", valueError("Space not allowed in string format specifier")
	case f.Sign != 0:
		return "", valueError("Sign not allowed in string format specifier")
	case f.NoNegZero:
		return "", valueError("Negative zero coercion (z) not allowed in string format specifier")
	case f.Alternate:
		return "", valueError("Alternate form (#) not allowed in string format specifier")
	case f.Align == '=':
		return "", valueError("'=' alignment not allowed in string format specifier")
	}
	if f.Precision >= 0 {
		if r := []rune(s); len(r) > f.Precision {
			s = string(r[:f.Precision])
		}
	}
	return align(f, '<', "", s, ""), nil
}

// formatInt writes an int in base 2, 8, 10 or 16, or as the character it is (c).
func formatInt(f Spec, n Number, typeName string) (string, error) {
	switch {
	case f.Type != 0 && strings.IndexByte("bcdnoxX", f.Type) < 0:
		return "", valueError("Unknown format code '%c' for object of type '%s'", f.Type, typeName)
	case f.Precision >= 0:
		return "", valueError("Precision not allowed in integer format specifier")
	case f.NoNegZero:
		return "", valueError("Negative zero coercion (z) not allowed in integer format specifier")
	}
	i := n.Big
	if i == nil {
		i = big.NewInt(n.Int)
	}
	if f.Type == 'c' {
		switch {
		case f.Sign != 0:
			return "", valueError("Sign not allowed with integer format specifier 'c'")
		case f.Alternate:
			return "", valueError("Alternate form (#) not allowed with integer format specifier 'c'")
		case !i.IsInt64():
			return "", &Error{"OverflowError", "Python int too large to convert to C long"}
		case i.Int64() < 0 || i.Int64() > utf8.MaxRune:
			return "", &Error{"OverflowError", "%c arg not in range(0x110000)"}
		}
		return align(f, '>', "", string(rune(i.Int64())), ""), nil
	}
	base, prefix, group := 10, "", 3
	switch f.Type {
	case 'b':
		base, prefix, group = 2, "0b", 4
	case 'o':
		base, prefix, group = 8, "0o", 4
	case 'x', 'X':
		base, prefix, group = 16, "0"+string(f.Type), 4
	}
	digits := new(big.Int).Abs(i).Text(base)
	if f.Type == 'X' {
		digits = strings.ToUpper(digits)
	}
	sign := specSign(f.Sign, i.Sign() < 0)
	if f.Alternate {
		sign += prefix
	}
	return number(f, sign, digits, "", group), nil
}

// formatFloat writes a float, or an int as one (e, f, g, %), in Python's forms: without a
// type and a precision as repr(); with a precision but no type as g, but with a digit after
// the point and the exponent from the precision's digits on.
func formatFloat(f Spec, n Number, typeName string) (string, error) {
	typ := f.Type
	switch {
	case typ != 0 && strings.IndexByte("eEfFgGn%", typ) < 0:
		return "", valueError("Unknown format code '%c' for object of type '%s'", typ, typeName)
	case n.Big != nil && math.IsInf(n.Float, 0):
		return "", &Error{"OverflowError", "int too large to convert to float"}
	}
	x := n.Float
	if !n.IsFloat && n.Big == nil {
		x = float64(n.Int)
	}
	negative := math.Signbit(x) && !math.IsNaN(x)
	prec := f.Precision
	if prec < 0 && typ != 0 {
		prec = 6
	}
	body := floatBody(math.Abs(x), typ, prec, f.Alternate)
	if negative && f.NoNegZero && strings.Trim(body, "0.e+-%") == "" {
		negative = false
	}
	digits, rest := body, ""
	if k := strings.IndexFunc(body, func(r rune) bool { return r < '0' || r > '9' }); k >= 0 {
		digits, rest = body[:k], body[k:]
	}
	return number(f, specSign(f.Sign, negative), digits, rest, 3), nil
}

// floatBody writes x >= 0 (or NaN) as Python's float formatting does for the type typ: e, f,
// g, n or % (and E, F, G in capitals), or 0, a format spec without type (repr for a precision
// of -1). Both format(v, spec) and "%"-formatting write their floats with it.
func floatBody(x float64, typ byte, prec int, alternate bool) string {
	var body string
	switch lower := byte(unicodeLower(rune(typ))); {
	case math.IsInf(x, 0):
		body = "inf"
	case math.IsNaN(x):
		body = "nan"
	case typ == 0:
		body = general(x, prec, alternate, true)
	case lower == 'g' || typ == 'n':
		body = general(x, prec, alternate, false)
	case lower == 'e':
		body = exponent(strconv.FormatFloat(x, 'e', prec, 64))
		if alternate && prec == 0 {
			body = strings.Replace(body, "e", ".e", 1)
		}
	default: // f, F, %
		if typ == '%' {
			x *= 100
		}
		body = strconv.FormatFloat(x, 'f', prec, 64)
		if alternate && prec == 0 {
			body += "."
		}
	}
	if typ == '%' {
		body += "%"
	}
	if typ == 'E' || typ == 'F' || typ == 'G' {
		body = strings.ToUpper(body)
	}
	return body
}

// general writes a finite x >= 0 in Python's general form with prec significant digits
// (g), or its shortest repr for prec -1: fixed-point unless the exponent is below -4 or from
// prec on (16 for repr), trailing zeros dropped unless alternate. dot0 (a spec without type)
// keeps a digit after the point, so the exponent starts one digit earlier.
func general(x float64, prec int, alternate, dot0 bool) string {
	var s string
	if prec < 0 {
		s = strconv.FormatFloat(x, 'e', -1, 64)
	} else {
		prec = max(prec, 1)
		s = strconv.FormatFloat(x, 'e', prec-1, 64)
	}
	e := strings.IndexByte(s, 'e')
	exp, _ := strconv.Atoi(s[e+1:])
	digits := strings.Replace(s[:e], ".", "", 1)
	if !alternate || prec < 0 {
		digits = strings.TrimRight(digits, "0")
		if digits == "" {
			digits = "0"
		}
	}
	limit := prec
	switch {
	case prec < 0:
		limit = 16
	case dot0:
		limit = prec - 1
	}
	decpt := exp + 1
	if x == 0 {
		decpt = 1
	}
	if decpt <= -4 || decpt > limit {
		body := digits[:1]
		if len(digits) > 1 || alternate {
			body += "." + digits[1:]
		}
		return exponent(body + "e" + strconv.Itoa(decpt-1))
	}
	var body string
	switch {
	case decpt <= 0:
		body = "0." + strings.Repeat("0", -decpt) + digits
	case decpt >= len(digits):
		body = digits + strings.Repeat("0", decpt-len(digits))
		if alternate {
			body += "."
		}
	default:
		body = digits[:decpt] + "." + digits[decpt:]
	}
	if dot0 && !strings.Contains(body, ".") {
		body += ".0"
	} else if dot0 && strings.HasSuffix(body, ".") {
		body += "0"
	}
	return body
}

// exponent writes an exponent as Python does, signed and with at least two digits: 1e+06,
// not Go's 1e6 or 1e+6.
func exponent(s string) string {
	k := strings.IndexAny(s, "eE")
	if k < 0 {
		return s
	}
	digits := strings.TrimLeft(s[k+1:], "+-")
	sign := "+"
	if strings.HasPrefix(s[k+1:], "-") {
		sign = "-"
	}
	if len(digits) < 2 {
		digits = "0" + digits
	}
	return s[:k+1] + sign + digits
}

// number groups the digits of a number and aligns it, by default on the right. With the 0
// flag (a '0' fill, aligned by '='), the zeros are digits too: grouped, up to the width.
func number(f Spec, sign, digits, rest string, group int) string {
	if f.Grouping != 0 && digits != "" { // inf and nan have no digits to group
		width := len(digits)
		if fillOf(f) == '0' && alignOf(f, '>') == '=' {
			min := f.Width - utf8.RuneCountInString(sign) - utf8.RuneCountInString(rest)
			for width+(width-1)/group < min {
				width++
			}
		}
		digits = groupDigits(strings.Repeat("0", width-len(digits))+digits, string(f.Grouping), group)
	}
	return align(f, '>', sign, digits, rest)
}

// groupDigits puts sep between groups of size digits, from the right.
func groupDigits(digits, sep string, size int) string {
	if len(digits) <= size {
		return digits
	}
	var b strings.Builder
	head := len(digits) % size
	b.WriteString(digits[:head])
	for i := head; i < len(digits); i += size {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(digits[i : i+size])
	}
	return b.String()
}

// specSign is the sign a number is written with: "-", or "+" / " " as the spec asks.
func specSign(sign byte, negative bool) string {
	switch {
	case negative:
		return "-"
	case sign == '+' || sign == ' ':
		return string(sign)
	}
	return ""
}

// fillOf is the spec's fill: as given, else '0' for the 0 flag, else a space.
func fillOf(f Spec) rune {
	switch {
	case f.Fill != 0:
		return f.Fill
	case f.Zero:
		return '0'
	}
	return ' '
}

// alignOf is the spec's alignment: as given, else '=' for a number with the 0 flag, else the
// type's default.
func alignOf(f Spec, dflt byte) byte {
	switch {
	case f.Align != 0:
		return f.Align
	case f.Zero && dflt == '>':
		return '='
	}
	return dflt
}

// align pads sign+body+rest to the width with the fill ('0' for the 0 flag without a fill, else
// a space): '<' on the right, '>' on the left, '^' around (the odd one on the right), '='
// after the sign.
func align(f Spec, dflt byte, sign, body, rest string) string {
	fill := fillOf(f)
	pad := f.Width - utf8.RuneCountInString(sign) - utf8.RuneCountInString(body) - utf8.RuneCountInString(rest)
	if pad <= 0 {
		return sign + body + rest
	}
	fills := func(n int) string { return strings.Repeat(string(fill), n) }
	switch alignOf(f, dflt) {
	case '<':
		return sign + body + rest + fills(pad)
	case '^':
		return fills(pad/2) + sign + body + rest + fills(pad-pad/2)
	case '=':
		return sign + fills(pad) + body + rest
	}
	return fills(pad) + sign + body + rest
}
