package condition

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"
)

type tokenKind uint8

const (
	tEOF tokenKind = iota
	tName
	tInt
	tFloat
	tString
	tFString
	tOp
	// tNewline is a line break outside brackets between two tokens: an expression ends there,
	// a statement of a block (block.go) too. tIndent and tDedent are made from them for a
	// block only (indentation).
	tNewline
	tIndent
	tDedent
)

// token is one Python token. pos and end are character (rune) offsets into the admin's text, so
// every error can point at the exact place.
type token struct {
	kind tokenKind
	pos  int
	text string   // the name or operator as written
	str  string   // decoded value of a string literal
	num  int64    // value of an integer literal
	big  *big.Int // value of one past int64, num being 0
	flt  float64  // value of a float literal
	fstr *fstring
}

// fstring is an f-string as lexed: its literal parts, decoded, around its replacement fields,
// whose expressions the parser reads (len(lits) == len(fields)+1).
type fstring struct {
	lits   []string
	fields []fstringField
}

// fstringField is a replacement field of an f-string: its expression's text, where that begins
// in the condition, its conversion: 'r', 's', or 0 for none, and its format spec, nil for
// none: literal text and replacement fields of its own, as an f-string's.
type fstringField struct {
	src  string
	pos  int
	conv rune
	spec *fstring
}

func (t token) isOp(op string) bool    { return t.kind == tOp && t.text == op }
func (t token) isName(s string) bool   { return t.kind == tName && t.text == s }
func (t token) isKeyword() bool        { return t.kind == tName && keywords[t.text] }
func (t token) is(kind tokenKind) bool { return t.kind == kind }

// keywords are Python's reserved words: none of them may be used as a name.
var keywords = map[string]bool{
	"False": true, "None": true, "True": true, "and": true, "as": true, "assert": true,
	"async": true, "await": true, "break": true, "class": true, "continue": true, "def": true,
	"del": true, "elif": true, "else": true, "except": true, "finally": true, "for": true,
	"from": true, "global": true, "if": true, "import": true, "in": true, "is": true,
	"lambda": true, "nonlocal": true, "not": true, "or": true, "pass": true, "raise": true,
	"return": true, "try": true, "while": true, "with": true, "yield": true,
}

// operators lists Python's operators and delimiters, longest first so the lexer takes the
// longest match. Those the condition language refuses are still lexed, so the parser can say
// precisely why they are refused.
var operators = []string{
	"**=", "//=", ">>=", "<<=", "...",
	"**", "//", "==", "!=", "<=", ">=", "<<", ">>", "->", ":=",
	"+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=",
	"(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "@", "=",
	"+", "-", "*", "/", "%", "<", ">", "&", "|", "^", "~",
}

type lexer struct {
	src     []rune
	pos     int
	toks    []token
	depth   int // open (, [ and {
	newline int // offset of the last line break skipSpace crossed outside brackets, or -1
}

// lex splits a condition into Python tokens, skipping comments. As in Python, a line break
// inside (), [] or {} (or after a backslash) is whitespace, and one between two tokens outside
// them is a tNewline, which ends an expression; leading and trailing ones are ignored, as
// Python's eval() does.
func lex(src string) ([]token, *Error) {
	l := &lexer{src: []rune(src)}
	for {
		l.newline = -1
		if err := l.skipSpace(); err != nil {
			return nil, err
		}
		if l.pos >= len(l.src) {
			l.toks = append(l.toks, token{kind: tEOF, pos: l.pos})
			return l.toks, nil
		}
		if l.newline >= 0 && len(l.toks) > 0 {
			l.toks = append(l.toks, token{kind: tNewline, pos: l.newline})
		}
		if err := l.token(); err != nil {
			return nil, err
		}
	}
}

func (l *lexer) peek(off int) rune {
	if l.pos+off < len(l.src) {
		return l.src[l.pos+off]
	}
	return 0
}

func (l *lexer) errorf(pos int, format string, args ...any) *Error {
	return &Error{pos: pos, Msg: fmt.Sprintf(format, args...)}
}

func (l *lexer) skipSpace() *Error {
	for l.pos < len(l.src) {
		switch r := l.src[l.pos]; {
		case r == '#':
			for l.pos < len(l.src) && l.src[l.pos] != '\n' {
				l.pos++
			}
		case r == '\\' && l.peek(1) == '\r' && l.peek(2) == '\n':
			l.pos += 3
		case r == '\\' && (l.peek(1) == '\n' || l.peek(1) == '\r'):
			l.pos += 2
		case (r == '\n' || r == '\r') && l.depth == 0:
			if l.newline < 0 {
				l.newline = l.pos
			}
			l.pos++
		case unicode.IsSpace(r):
			l.pos++
		default:
			return nil
		}
	}
	return nil
}

func (l *lexer) token() *Error {
	r := l.src[l.pos]
	switch {
	case r == '\'' || r == '"':
		return l.string(l.pos, false)
	case isDigit(r) || r == '.' && isDigit(l.peek(1)):
		return l.number()
	case r == '_' || unicode.IsLetter(r):
		start := l.pos
		for l.pos < len(l.src) && (l.src[l.pos] == '_' || unicode.IsLetter(l.src[l.pos]) || unicode.IsDigit(l.src[l.pos])) {
			l.pos++
		}
		name := string(l.src[start:l.pos])
		if q := l.peek(0); (q == '\'' || q == '"') && len(name) <= 2 {
			switch strings.ToLower(name) {
			case "u":
				return l.string(start, false)
			case "r":
				return l.string(start, true)
			case "b", "br", "rb":
				return l.errorf(start, "bytes literals are not supported")
			case "f":
				return l.fstring(start, false)
			case "fr", "rf":
				return l.fstring(start, true)
			}
		}
		l.toks = append(l.toks, token{kind: tName, pos: start, text: name})
		return nil
	}
	switch {
	case r == '&' && l.peek(1) == '&':
		return l.errorf(l.pos, `"&&" is not Python: use "and"`)
	case r == '|' && l.peek(1) == '|':
		return l.errorf(l.pos, `"||" is not Python: use "or"`)
	case r == '!' && l.peek(1) != '=':
		return l.errorf(l.pos, `"!" is not Python: use "not"`)
	}
	for _, op := range operators {
		if l.hasPrefix(op) {
			l.toks = append(l.toks, token{kind: tOp, pos: l.pos, text: op})
			switch op {
			case "(", "[", "{":
				l.depth++
			case ")", "]", "}":
				l.depth = max(l.depth-1, 0)
			}
			l.pos += len(op)
			return nil
		}
	}
	return l.errorf(l.pos, "invalid character %q", r)
}

func (l *lexer) hasPrefix(s string) bool {
	for i, c := range s { // operators are ASCII: byte index == rune index
		if l.peek(i) != c {
			return false
		}
	}
	return true
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// digitValue is the value of a digit of base up to 36 (a and A are 10, z 35), or 99 for
// anything else.
func digitValue(r rune) int {
	switch {
	case isDigit(r):
		return int(r - '0')
	case r >= 'a' && r <= 'z':
		return int(r-'a') + 10
	case r >= 'A' && r <= 'Z':
		return int(r-'A') + 10
	}
	return 99
}

// number lexes a Python number literal: decimal, 0x/0o/0b integers, floats with fraction and
// exponent, with "_" between digits.
func (l *lexer) number() *Error {
	start := l.pos
	digits := func(valid func(rune) bool) {
		for l.pos < len(l.src) && (valid(l.src[l.pos]) || l.src[l.pos] == '_' && valid(l.peek(1))) {
			l.pos++
		}
	}
	isFloat := false
	base := 10
	if l.peek(0) == '0' && strings.ContainsRune("xXoObB", l.peek(1)) {
		switch unicode.ToLower(l.peek(1)) {
		case 'x':
			base = 16
		case 'o':
			base = 8
		default:
			base = 2
		}
		l.pos += 2
		if l.peek(0) == '_' {
			l.pos++
		}
		digits(func(r rune) bool { return digitValue(r) < base })
	} else {
		digits(isDigit)
		if l.peek(0) == '.' {
			isFloat = true
			l.pos++
			digits(isDigit)
		}
		if (l.peek(0) == 'e' || l.peek(0) == 'E') && (isDigit(l.peek(1)) || (l.peek(1) == '+' || l.peek(1) == '-') && isDigit(l.peek(2))) {
			isFloat = true
			l.pos += 2
			digits(isDigit)
		}
	}
	text := string(l.src[start:l.pos])
	if r := l.peek(0); r == 'j' || r == 'J' {
		return l.errorf(start, "complex numbers are not supported")
	} else if r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) {
		return l.errorf(l.pos, "invalid number literal")
	}
	clean := strings.ReplaceAll(text, "_", "")
	tok := token{pos: start, text: text}
	if isFloat {
		f, err := strconv.ParseFloat(clean, 64)
		if err != nil && !math.IsInf(f, 0) {
			return l.errorf(start, "invalid number literal")
		}
		tok.kind, tok.flt = tFloat, f
	} else {
		if base == 10 && len(clean) > 1 && clean[0] == '0' && strings.Trim(clean, "0") != "" {
			return l.errorf(start, "leading zeros in decimal integer literals are not permitted")
		}
		if base != 10 {
			clean = clean[2:]
		}
		n, err := strconv.ParseInt(clean, base, 64)
		if errors.Is(err, strconv.ErrRange) { // an int past int64, as Python's
			b, ok := new(big.Int).SetString(clean, base)
			if !ok || checkIntBits(float64(b.BitLen())) != nil {
				return l.errorf(start, "integer literal is too large: more than %d bits", MaxIntBits)
			}
			tok.big = b
		} else if err != nil {
			return l.errorf(start, "invalid number literal")
		}
		tok.kind, tok.num = tInt, n
	}
	l.toks = append(l.toks, tok)
	return nil
}

// openQuote steps over the quote under l.pos, three of them for a triple-quoted string, and
// says which.
func (l *lexer) openQuote() (quote rune, triple bool) {
	quote = l.src[l.pos]
	triple = l.peek(1) == quote && l.peek(2) == quote
	if triple {
		l.pos += 3
	} else {
		l.pos++
	}
	return quote, triple
}

// string lexes a quoted literal starting at the quote under l.pos; start is where its prefix
// (if any) begins. Triple quotes and Python's escapes are understood.
func (l *lexer) string(start int, raw bool) *Error {
	quote, triple := l.openQuote()
	var b strings.Builder
	for {
		if l.pos >= len(l.src) || !triple && l.src[l.pos] == '\n' {
			return l.errorf(start, "unterminated string literal")
		}
		r := l.src[l.pos]
		if r == quote && (!triple || l.peek(1) == quote && l.peek(2) == quote) {
			if triple {
				l.pos += 3
			} else {
				l.pos++
			}
			break
		}
		if r != '\\' {
			b.WriteRune(r)
			l.pos++
			continue
		}
		if raw {
			// In raw strings a backslash stays, but still keeps the next quote in the string.
			b.WriteRune(r)
			if n := l.peek(1); n != 0 {
				b.WriteRune(n)
			}
			l.pos += 2
			continue
		}
		if err := l.escape(&b); err != nil {
			return err
		}
	}
	l.toks = append(l.toks, token{kind: tString, pos: start, text: string(l.src[start:l.pos]), str: b.String()})
	return nil
}

// fstring lexes an f-string whose quote is under l.pos, as Python 3.11 does: a replacement
// field's expression holds no backslash and not the quote that ends the string; "{{" and "}}"
// are braces. The literal parts are decoded as a string's; the fields are left to the parser.
func (l *lexer) fstring(start int, raw bool) *Error {
	quote, triple := l.openQuote()
	f := &fstring{}
	var b strings.Builder
	for {
		if l.pos >= len(l.src) || !triple && l.src[l.pos] == '\n' {
			return l.errorf(start, "unterminated string literal")
		}
		r := l.src[l.pos]
		switch {
		case r == quote && (!triple || l.peek(1) == quote && l.peek(2) == quote):
			if triple {
				l.pos += 3
			} else {
				l.pos++
			}
			f.lits = append(f.lits, b.String())
			l.toks = append(l.toks, token{kind: tFString, pos: start, text: string(l.src[start:l.pos]), fstr: f})
			return nil
		case (r == '{' || r == '}') && l.peek(1) == r:
			b.WriteRune(r)
			l.pos += 2
		case r == '}':
			return l.errorf(l.pos, "f-string: single '}' is not allowed")
		case r == '{':
			field, err := l.field(quote, triple, raw, false)
			if err != nil {
				return err
			}
			f.lits = append(f.lits, b.String())
			f.fields = append(f.fields, field)
			b.Reset()
		case r == '\\' && raw:
			l.rawEscape(&b)
		case r == '\\':
			if err := l.escape(&b); err != nil {
				return err
			}
		default:
			b.WriteRune(r)
			l.pos++
		}
	}
}

// field lexes a replacement field of an f-string, from its "{" under l.pos to its "}": the
// expression's text, up to a "}", a "!" conversion or a ":" outside brackets and strings, then
// the format spec after the ":", whose own fields (nested, in a field of a spec) take no
// fields in their specs, as in Python 3.11. A conversion is !r or !s; !a is refused.
func (l *lexer) field(quote rune, triple, raw, nested bool) (fstringField, *Error) {
	open := l.pos
	l.pos++
	begin := l.pos
	depth := 0
	var inner rune // the quote of a string inside the expression
scan:
	for ; ; l.pos++ {
		if l.pos >= len(l.src) || !triple && l.src[l.pos] == '\n' {
			return fstringField{}, l.errorf(open, "f-string: expecting '}'")
		}
		r := l.src[l.pos]
		switch {
		case r == '\\':
			return fstringField{}, l.errorf(l.pos, "f-string expression part cannot include a backslash")
		case inner != 0:
			if r == inner {
				inner = 0
			}
		case r == quote && (!triple || l.peek(1) == quote && l.peek(2) == quote):
			return fstringField{}, l.errorf(open, "f-string: expecting '}'")
		case r == '\'' || r == '"':
			inner = r
		case r == '(' || r == '[' || r == '{':
			depth++
		case (r == ')' || r == ']' || r == '}') && depth > 0:
			depth--
		case depth == 0 && (r == '}' || r == ':' || r == '!' && l.peek(1) != '='):
			break scan
		}
	}
	field := fstringField{src: string(l.src[begin:l.pos]), pos: begin}
	expr := strings.TrimSpace(field.src)
	if expr == "" {
		return fstringField{}, l.errorf(open, "f-string: empty expression not allowed")
	}
	if b, ok := strings.CutSuffix(expr, "="); ok && (b == "" || !strings.ContainsAny(b[len(b)-1:], "=!<>")) {
		return fstringField{}, l.errorf(open, "f-strings' self-documenting expressions ({x=}) are not supported")
	}
	if l.src[l.pos] == '!' {
		switch c := l.peek(1); c {
		case 'r', 's':
			field.conv = c
		case 'a':
			return fstringField{}, l.errorf(l.pos, "f-string conversion !a is not supported")
		default:
			return fstringField{}, l.errorf(l.pos, "f-string: invalid conversion character: expected 's' or 'r'")
		}
		l.pos += 2
	}
	switch l.peek(0) {
	case '}':
		l.pos++
		return field, nil
	case ':':
		l.pos++
		spec, err := l.spec(open, quote, triple, raw, nested)
		if err != nil {
			return fstringField{}, err
		}
		field.spec = spec
		return field, nil
	}
	return fstringField{}, l.errorf(l.pos, "f-string: expecting '}'")
}

// spec lexes the format spec of the field that opens at open, after its ":", up to and past
// the field's "}": its literal parts are decoded as the f-string's.
func (l *lexer) spec(open int, quote rune, triple, raw, nested bool) (*fstring, *Error) {
	f := &fstring{}
	var b strings.Builder
	for {
		if l.pos >= len(l.src) || !triple && l.src[l.pos] == '\n' {
			return nil, l.errorf(open, "f-string: expecting '}'")
		}
		r := l.src[l.pos]
		switch {
		case r == quote && (!triple || l.peek(1) == quote && l.peek(2) == quote):
			return nil, l.errorf(open, "f-string: expecting '}'")
		case r == '\\' && raw:
			l.rawEscape(&b)
		case r == '\\':
			if err := l.escape(&b); err != nil {
				return nil, err
			}
		case r == '}':
			l.pos++
			f.lits = append(f.lits, b.String())
			return f, nil
		case r == '{' && nested:
			return nil, l.errorf(l.pos, "f-string: expressions nested too deeply")
		case r == '{' && l.peek(1) == '{':
			return nil, l.errorf(open, "f-string: expecting '}'")
		case r == '{':
			field, err := l.field(quote, triple, raw, true)
			if err != nil {
				return nil, err
			}
			f.lits = append(f.lits, b.String())
			f.fields = append(f.fields, field)
			b.Reset()
		default:
			b.WriteRune(r)
			l.pos++
		}
	}
}

// rawEscape copies the escape under l.pos (at the backslash) of a raw string into b as it is:
// the backslash and the character after it.
func (l *lexer) rawEscape(b *strings.Builder) {
	b.WriteRune('\\')
	if n := l.peek(1); n != 0 {
		b.WriteRune(n)
	}
	l.pos += 2
}

// escape decodes the escape sequence under l.pos (at the backslash) into b.
func (l *lexer) escape(b *strings.Builder) *Error {
	at := l.pos
	c := l.peek(1)
	l.pos += 2
	if i := strings.IndexRune(`\'"abfnrtv`, c); i >= 0 {
		b.WriteByte("\\'\"\a\b\f\n\r\t\v"[i])
		return nil
	}
	hex := func(n int) *Error {
		if l.pos+n > len(l.src) {
			return l.errorf(at, "truncated escape sequence")
		}
		v, err := strconv.ParseUint(string(l.src[l.pos:l.pos+n]), 16, 32)
		if err != nil || v > unicode.MaxRune {
			return l.errorf(at, "invalid escape sequence")
		}
		b.WriteRune(rune(v))
		l.pos += n
		return nil
	}
	switch {
	case c == '\n':
		return nil // line continuation inside a string
	case c >= '0' && c <= '7':
		v := c - '0'
		for i := 0; i < 2 && l.peek(0) >= '0' && l.peek(0) <= '7'; i++ {
			v = v*8 + l.peek(0) - '0'
			l.pos++
		}
		b.WriteRune(v)
		return nil
	case c == 'x':
		return hex(2)
	case c == 'u':
		return hex(4)
	case c == 'U':
		return hex(8)
	case c == 'N':
		return l.errorf(at, `named escapes (\N{...}) are not supported`)
	case c == 0:
		return l.errorf(at, "unterminated string literal")
	}
	// Python keeps unknown escapes as written.
	b.WriteRune('\\')
	b.WriteRune(c)
	return nil
}
