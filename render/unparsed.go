package render

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/nikolalohinski/gonja/v2/config"
	"github.com/nikolalohinski/gonja/v2/tokens"
)

// unparsed rewrites the Jinja2 forms gonja's parser cannot read into ones it can, leaving
// every other character where it was, so that errors keep their positions:
//   - a run of signs ("--x", "- +x", "1 - -x"'s second and third): Jinja2 applies each, gonja
//     takes one. The run becomes its last sign, "-" for an odd number of minus signs, "+"
//     otherwise, and the others spaces: as Python's, -(-x) and +x are the same number (True
//     included: both are 1) and fail on the same operands.
//   - "not not x": "not(not x)", the parentheses taking the place of a space between the two
//     and of one after x, where there is one (otherwise the columns after it on its line
//     shift by one). Three or more are rewritten on later passes, inside the parentheses.
//   - adjacent strings, "a" 'b': one string, as Jinja2 reads them, then spaces for the
//     quotes it no longer needs.
//   - an empty raw block, {% raw %}{% endraw %}, on which gonja's parser fails (it reads the
//     block's one piece of text): a comment as long, which gives nothing, as the block does.
//   - a string's escapes that Python reads and Go does not (gonja unquotes strings as Go
//     does): an unknown one, "\d", is a backslash and the character, as in Python; an octal
//     one of one or two digits, "\0", its character (see pythonEscapes).
//   - the names a set or for tag assigns to, in parentheses, "{% for (k, v) in ... %}": the
//     names, the parentheses spaces.
//   - a call's argument that unpacks, f(*x) or f(**x), which gonja's parser refuses:
//     f(__star__(x)) and f(__starstar__(x)), which prepare makes Python's unpacking (see
//     preparer.unpacked); an error's column after it on its line counts the rewritten text.
func unparsed(src string) string { return rewriteEach(src, firstUnparsed) }

// firstUnparsed finds the first form unparsed rewrites, and returns the range of src it
// covers and its rewrite.
func firstUnparsed(src string) (from, to int, text string, ok bool) {
	stream := tokens.LexAll(src, config.New())
	var tag []*tokens.Token // the tokens of the tag being read
	for ; !stream.End(); stream.Next() {
		tok := stream.Current()
		switch tok.Type {
		case tokens.Error:
			return 0, 0, "", false
		case tokens.VariableBegin, tokens.BlockBegin:
			tag = append(tag[:0], tok)
			continue
		case tokens.VariableEnd, tokens.BlockEnd:
			tag = append(tag, tok)
			if from, to, text, ok = unparsedIn(src, tag); ok {
				return from, to, text, true
			}
			if from, to, text, ok = emptyRaw(src, tag); ok {
				return from, to, text, true
			}
			tag = tag[:0]
			continue
		}
		if len(tag) > 0 {
			tag = append(tag, tok)
		}
	}
	return 0, 0, "", false
}

// unparsedIn is firstUnparsed in one tag's tokens, from its start to its end.
func unparsedIn(src string, tag []*tokens.Token) (from, to int, text string, ok bool) {
	if from, to, ok := bracketedTarget(tag); ok {
		return from, to, " " + src[from+1:to-1] + " ", true
	}
	for i := 1; i+1 < len(tag); i++ {
		tok, next := tag[i], tag[i+1]
		switch {
		case sign(tok):
			start := i
			if operandEnd(tag, i-1) {
				start++ // the first sign is a binary operator
			}
			end, minus := start, 0
			for ; end < len(tag) && sign(tag[end]); end++ {
				if tag[end].Val == "-" {
					minus++
				}
			}
			if end-start < 2 {
				i = end - 1
				continue
			}
			last := "+"
			if minus%2 == 1 {
				last = "-"
			}
			from, to = tag[start].Pos, tag[end-1].Pos+1
			return from, to, strings.Repeat(" ", to-from-1) + last, true
		case tok.Type == tokens.Not && next.Type == tokens.Not:
			return notNot(src, tag, i)
		case (tok.Type == tokens.Multiply || tok.Type == tokens.Power) && callArgument(tag, i):
			return unpacking(src, tag, i)
		case tok.Type == tokens.String && strings.Contains(tok.Val, `\`):
			end := stringEnd(src, tok.Pos)
			if text := pythonEscapes(src[tok.Pos:end]); text != "" {
				return tok.Pos, end, text, true
			}
			if next.Type == tokens.String {
				return adjacentStrings(src, tok.Pos, next.Pos)
			}
		case tok.Type == tokens.String && next.Type == tokens.String:
			return adjacentStrings(src, tok.Pos, next.Pos)
		}
	}
	return 0, 0, "", false
}

func sign(tok *tokens.Token) bool {
	return tok.Type == tokens.Addition || tok.Type == tokens.Subtraction
}

// operandEnd reports whether tag[i] ends an operand, so that a sign after it is binary.
func operandEnd(tag []*tokens.Token, i int) bool {
	switch tok := tag[i]; tok.Type {
	case tokens.Integer, tokens.Float, tokens.String, tokens.RightParenthesis, tokens.RightBracket, tokens.RightBrace:
		return true
	case tokens.Name:
		// A tag's name ({% if -x %}) and the keywords of a conditional are no operand.
		return !(i == 1 && tag[0].Type == tokens.BlockBegin) && tok.Val != "if" && tok.Val != "else"
	}
	return false
}

// bracketedTarget finds the names a set or a for tag assigns to written in parentheses,
// "{% set (a, b) = ... %}" and "{% for (k, v) in ... %}", which Jinja2 reads as a, b and gonja
// refuses: the range of the parentheses, which become spaces.
func bracketedTarget(tag []*tokens.Token) (from, to int, ok bool) {
	if len(tag) < 6 || tag[0].Type != tokens.BlockBegin || tag[1].Type != tokens.Name || tag[2].Type != tokens.LeftParenthesis {
		return 0, 0, false
	}
	if name := tag[1].Val; name != "set" && name != "for" {
		return 0, 0, false
	}
	j := 3
	for j < len(tag) && (tag[j].Type == tokens.Name || tag[j].Type == tokens.Comma) {
		j++
	}
	if j == 3 || j+1 >= len(tag) || tag[j].Type != tokens.RightParenthesis {
		return 0, 0, false
	}
	switch after := tag[j+1]; {
	case tag[1].Val == "set" && after.Type == tokens.Assign, tag[1].Val == "for" && (after.Type == tokens.In || after.Val == "in"):
		return tag[2].Pos, tag[j].Pos + 1, true
	}
	return 0, 0, false
}

// callArgument reports whether tag[i] starts an argument of a call: it follows the call's
// opening parenthesis or a comma between its arguments. A macro's parameters are no call's.
func callArgument(tag []*tokens.Token, i int) bool {
	if tag[0].Type == tokens.BlockBegin && tag[1].Type == tokens.Name && tag[1].Val == "macro" {
		return false
	}
	var calls []bool // the brackets open before tag[i], each true when a call's parentheses
	for j := 1; j < i; j++ {
		switch tag[j].Type {
		case tokens.LeftParenthesis:
			calls = append(calls, operandEnd(tag, j-1))
		case tokens.LeftBracket, tokens.LeftBrace:
			calls = append(calls, false)
		case tokens.RightParenthesis, tokens.RightBracket, tokens.RightBrace:
			if len(calls) > 0 {
				calls = calls[:len(calls)-1]
			}
		}
	}
	prev := tag[i-1].Type
	return len(calls) > 0 && calls[len(calls)-1] && (prev == tokens.LeftParenthesis || prev == tokens.Comma)
}

// unpacking rewrites the argument *x (**x) that starts at tag[i] as __star__(x)
// (__starstar__(x)), x running to the comma or parenthesis that ends the argument.
func unpacking(src string, tag []*tokens.Token, i int) (from, to int, text string, ok bool) {
	depth, end := 0, -1
	for j := i + 1; j < len(tag) && end < 0; j++ {
		switch tag[j].Type {
		case tokens.LeftParenthesis, tokens.LeftBracket, tokens.LeftBrace:
			depth++
		case tokens.RightParenthesis, tokens.RightBracket, tokens.RightBrace:
			if depth--; depth < 0 {
				end = j
			}
		case tokens.Comma:
			if depth == 0 {
				end = j
			}
		case tokens.VariableEnd, tokens.BlockEnd:
			end = j
		}
	}
	if end <= i+1 {
		return 0, 0, "", false // nothing to unpack: gonja tells
	}
	marker := "__star__("
	if tag[i].Type == tokens.Power {
		marker = "__starstar__("
	}
	from, to = tag[i].Pos, tag[end].Pos
	body := src[tag[i+1].Pos:to]
	trimmed := strings.TrimRightFunc(body, unicode.IsSpace)
	return from, to, marker + trimmed + ")" + body[len(trimmed):], true
}

// notNot rewrites the "not not x" whose first not is tag[i] as "not(not x)".
func notNot(src string, tag []*tokens.Token, i int) (from, to int, text string, ok bool) {
	depth, end := 0, -1
	for j := i + 2; j < len(tag) && end < 0; j++ {
		switch t := tag[j]; t.Type {
		case tokens.LeftParenthesis, tokens.LeftBracket, tokens.LeftBrace:
			depth++
		case tokens.RightParenthesis, tokens.RightBracket, tokens.RightBrace:
			if depth--; depth < 0 {
				end = j
			}
		case tokens.VariableEnd, tokens.BlockEnd:
			end = j
		case tokens.And, tokens.Or, tokens.Comma, tokens.Colon, tokens.Assign:
			if depth == 0 {
				end = j
			}
		case tokens.Name:
			if depth == 0 && (t.Val == "if" || t.Val == "else" || t.Val == "recursive") {
				end = j
			}
		}
	}
	if end <= i+2 {
		return 0, 0, "", false // nothing to negate: gonja tells
	}
	from, to = tag[i].Pos+len("not"), tag[end].Pos
	body := src[from:to]
	if body[0] == ' ' || body[0] == '\t' {
		body = body[1:]
	}
	if n := len(body); body[n-1] == ' ' || body[n-1] == '\t' {
		body = body[:n-1]
	}
	return from, to, "(" + body + ")", true
}

// adjacentStrings joins the strings that start at a and b, with nothing but white space
// between them, into one in a's quotes.
func adjacentStrings(src string, a, b int) (from, to int, text string, ok bool) {
	aEnd, bEnd := stringEnd(src, a), stringEnd(src, b)
	quote := src[a]
	var joined strings.Builder
	joined.WriteString(src[a : aEnd-1])
	second := src[b+1 : bEnd-1]
	for k := 0; k < len(second); k++ {
		c := second[k]
		if c == '\\' && k+1 < len(second) {
			joined.WriteString(second[k : k+2])
			k++
			continue
		}
		if c == quote {
			joined.WriteByte('\\')
		}
		joined.WriteByte(c)
	}
	joined.WriteByte(quote)
	text = joined.String()
	if pad := bEnd - a - len(text); pad > 0 {
		text += strings.Repeat(" ", pad)
	}
	return a, bEnd, text, true
}

// stringEnd is the offset just after the string whose opening quote is at start.
func stringEnd(src string, start int) int {
	var quote byte
	for i := start; i < len(src); i++ {
		quoted(src, &i, &quote)
		if quote == 0 {
			return i + 1
		}
	}
	return len(src)
}

// endRaw is the tag that ends a raw block, at the start of the text it is matched against.
var endRaw = regexp.MustCompile(`^\{%[-+]?\s*endraw\s*([-+]?)%\}`)

// emptyRaw rewrites the raw block that tag opens, when it holds nothing, as a comment of the
// same length that trims the same white space around it.
func emptyRaw(src string, tag []*tokens.Token) (from, to int, text string, ok bool) {
	if len(tag) < 3 || tag[1].Type != tokens.Name || tag[1].Val != "raw" {
		return 0, 0, "", false
	}
	end := strings.Index(src[tag[len(tag)-1].Pos:], "%}")
	if end < 0 {
		return 0, 0, "", false
	}
	end += tag[len(tag)-1].Pos + len("%}")
	m := endRaw.FindStringSubmatch(src[end:])
	if m == nil {
		return 0, 0, "", false
	}
	from, to = tag[0].Pos, end+len(m[0])
	open, close := "{#", "#}"
	if c := src[from+2]; c == '-' || c == '+' {
		open += string(c)
	}
	if m[1] != "" {
		close = m[1] + close
	}
	return from, to, open + strings.Repeat(" ", to-from-len(open)-len(close)) + close, true
}

// spacedNewlines makes the line breaks in a tag's code (outside its strings, and outside
// comments and raw blocks) white space to gonja's lexer, which reads only spaces and tabs as
// such: a break followed by anything else became part of the next token ("{% set x =\ndoc.qty
// %}" read the name "\ndoc", "[\n'a']" the text "'a"), and a keyword before a break was no
// keyword ("and\n"). Each break gets a space before it, and one after it when what follows
// is not white space, so that lines keep their numbers; the columns of a line that starts
// inside a tag's code with anything but white space count the space added. An escaped
// backslash in a string becomes its \x5c escape (see tagCode).
func spacedNewlines(src string) string {
	if !strings.Contains(src, "\n") && !strings.Contains(src, `\\`) {
		return src
	}
	var b strings.Builder
	b.Grow(len(src) + 16)
	for i := 0; i < len(src); {
		start := strings.Index(src[i:], "{")
		if start < 0 || i+start+1 >= len(src) {
			b.WriteString(src[i:])
			break
		}
		start += i
		b.WriteString(src[i:start])
		switch src[start+1] {
		case '#':
			end := strings.Index(src[start+2:], "#}")
			if end < 0 {
				b.WriteString(src[start:])
				return b.String()
			}
			end += start + 2 + len("#}")
			b.WriteString(src[start:end])
			i = end
		case '{', '%':
			end := tagCode(&b, src, start)
			i = end
			if src[start+1] == '%' && rawTag.MatchString(src[start:end]) {
				// A raw block's text is written as it is, up to its endraw tag.
				if m := endRawAnywhere.FindStringIndex(src[end:]); m != nil {
					b.WriteString(src[end : end+m[0]])
					i = end + m[0]
				}
			}
		default:
			b.WriteByte('{')
			i = start + 1
		}
	}
	return b.String()
}

// rawTag is a tag that opens a raw block; endRawAnywhere the tag that ends it.
var (
	rawTag         = regexp.MustCompile(`^\{%[-+]?\s*raw\s*[-+]?%\}$`)
	endRawAnywhere = regexp.MustCompile(`\{%[-+]?\s*endraw\s*[-+]?%\}`)
)

// tagName writes the start of a block tag's code, from src[i] just after its "{%", to b, and
// gives the offset of what follows: when the tag's name is on a later line ("{%\n  set x = 1
// %}"), the name is written first, where gonja's lexer reads it (it reads the name before any
// line break, and found none), and spaces in its place, so that its line keeps its columns.
func tagName(b *strings.Builder, src string, i int) int {
	if i < len(src) && (src[i] == '-' || src[i] == '+') {
		b.WriteByte(src[i])
		i++
	}
	j := i
	for j < len(src) && (src[j] == ' ' || src[j] == '\t' || src[j] == '\n') {
		j++
	}
	k := j
	for k < len(src) && (src[k] == '_' || src[k] >= 'a' && src[k] <= 'z' || src[k] >= 'A' && src[k] <= 'Z' || k > j && src[k] >= '0' && src[k] <= '9') {
		k++
	}
	if k == j || !strings.Contains(src[i:j], "\n") {
		return i
	}
	b.WriteString(src[j:k])
	b.WriteString(src[i:j])
	b.WriteString(strings.Repeat(" ", k-j))
	return k
}

// tagCode writes the tag that starts at src[start] ("{{" or "{%") to b, its line breaks
// spaced (see spacedNewlines), and gives the offset just after it: its "}}" or "%}" outside
// strings and brackets, or the end of src.
func tagCode(b *strings.Builder, src string, start int) int {
	end := "}}"
	if src[start+1] == '%' {
		end = "%}"
	}
	b.WriteString(src[start : start+2])
	i := start + 2
	if end == "%}" {
		i = tagName(b, src, i)
	}
	var quote byte
	depth := 0
	for ; i < len(src); i++ {
		c := src[i]
		switch {
		case quote != 0:
			if c == '\\' && i+1 < len(src) && src[i+1] == '\\' {
				// An escaped backslash, as its \x escape: gonja's lexer reads a quote after
				// one as escaped ('\\' was an unclosed string).
				b.WriteString(`\x5c`)
				i++
				continue
			}
			if c == '\\' && i+1 < len(src) {
				b.WriteByte(c)
				i++
				c = src[i]
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case depth == 0 && strings.HasPrefix(src[i:], end):
			b.WriteString(end)
			return i + len(end)
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			depth = max(depth-1, 0)
		case c == '\n':
			if prev := src[i-1]; prev != ' ' && prev != '\t' {
				b.WriteByte(' ')
			}
			b.WriteByte('\n')
			if i+1 < len(src) && src[i+1] != ' ' && src[i+1] != '\t' && src[i+1] != '\n' {
				b.WriteByte(' ')
			}
			continue
		}
		b.WriteByte(c)
	}
	return len(src)
}

// pythonEscapes is the string literal lit (with its quotes) rewritten so that Go's unquoting,
// which gonja's parser uses, reads the text Python's reads (Jinja2 decodes a string's escapes
// as Python's unicode-escape codec): a backslash before a character that starts no escape is
// kept (`'\d+'` is a backslash, d and +; Go refused it), and an octal escape of fewer than three
// digits, or past \377, becomes the \u escape of its character (`'\0'`). "" when Go reads lit as
// Python does.
func pythonEscapes(lit string) string {
	if len(lit) < 2 || !strings.Contains(lit, "\\") {
		return ""
	}
	body := lit[1 : len(lit)-1]
	var b strings.Builder
	changed := false
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '\\' || i+1 == len(body) {
			b.WriteByte(c)
			continue
		}
		next := body[i+1]
		switch {
		case strings.IndexByte("abfnrtv\\'\"xuUN\n", next) >= 0:
			b.WriteString(body[i : i+2]) // Go's escapes, and Python's that Go lacks (\N{...})
		case next >= '0' && next <= '7':
			j := i + 1
			for j < len(body) && j < i+4 && body[j] >= '0' && body[j] <= '7' {
				j++
			}
			n, _ := strconv.ParseUint(body[i+1:j], 8, 32)
			if j-i-1 == 3 && n <= 0xff {
				b.WriteString(body[i:j]) // Go's own octal escape
				i = j - 1
				continue
			}
			fmt.Fprintf(&b, "\\u%04x", n)
			changed = true
			i = j - 1
			continue
		default:
			b.WriteString("\\\\") // the backslash itself, and then the character as it is
			changed = true
			continue
		}
		i++
	}
	if !changed {
		return ""
	}
	return lit[:1] + b.String() + lit[len(lit)-1:]
}
