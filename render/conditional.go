package render

import (
	"errors"
	"strconv"
	"strings"

	"github.com/nikolalohinski/gonja/v2/config"
	"github.com/nikolalohinski/gonja/v2/tokens"
)

// maxConditionals bounds the rewrites of one kind in one template (each re-reads it).
const maxConditionals = 1000

// conditionals rewrites the conditional expressions gonja's parser cannot read, those inside
// ( ), [ ], { } or a call's arguments, into ones it can: "A if C else B" becomes
// "((C) and [A] or [B])[0]". That evaluates C, then A or B alone, as Python does: gonja's and
// and or are Python's (lazy, yielding an operand), and the one-item list keeps a false A. At
// the top of {{ }} and of {% set %} gonja reads them itself, but for an else that holds
// another conditional ("a if b else c if d else e"), which gonja refuses: that else is put in
// parentheses, to be rewritten on a later pass, as an else inside brackets is, inside its
// list. Columns after a rewrite, on its line, shift by what it adds.
func conditionals(src string) string { return rewriteEach(src, firstConditional) }

// bigIntegers writes each decimal whole-number literal past what an int64 holds as a float
// literal ("12345678901234567890" becomes "12345678901234567890.0"), where gonja would refuse
// the template with strconv's error: walnotify's integers past 2^63 are floats (README).
func bigIntegers(src string) string {
	var ends []int
	stream := tokens.LexAll(src, config.New())
	for ; !stream.End(); stream.Next() {
		tok := stream.Current()
		if tok.Type != tokens.Integer || strings.Trim(tok.Val, "0123456789_") != "" {
			continue
		}
		if _, err := strconv.ParseInt(strings.ReplaceAll(tok.Val, "_", ""), 10, 64); errors.Is(err, strconv.ErrRange) {
			ends = append(ends, tok.Pos+len(tok.Val))
		}
	}
	for i := len(ends) - 1; i >= 0; i-- {
		src = src[:ends[i]] + ".0" + src[ends[i]:]
	}
	return src
}

// rewriteEach applies the rewrite first finds, one at a time from the start of src (each
// rewrite changes what follows), at most maxConditionals times.
func rewriteEach(src string, first func(src string) (from, to int, text string, ok bool)) string {
	for range maxConditionals {
		from, to, text, ok := first(src)
		if !ok {
			break
		}
		src = src[:from] + text + src[to:]
	}
	return src
}

// firstConditional finds the first complete "A if C else B" that fills an item of a bracketed
// group (between the group's brackets, commas, colons or a keyword argument's "="), and
// returns the range of src it covers and its rewrite.
func firstConditional(src string) (from, to int, text string, ok bool) {
	type group struct{ start, ifAt, elseAt int }
	var open []group
	stream := tokens.LexAll(src, config.New())
	inTag := false
	// top is the conditional at the top of {{ }} or {% set %} (where gonja reads one), and
	// nestedIf and nested whether its else holds the if of another, and that one's else.
	var top group
	topRead, nestedIf, nested, tagStart := false, false, false, false
	for ; !stream.End(); stream.Next() {
		tok := stream.Current()
		switch tok.Type {
		case tokens.Error:
			return 0, 0, "", false
		case tokens.VariableBegin, tokens.BlockBegin:
			inTag, open = true, open[:0]
			top, nestedIf, nested = group{ifAt: -1, elseAt: -1}, false, false
			topRead, tagStart = tok.Type == tokens.VariableBegin, tok.Type == tokens.BlockBegin
			continue
		case tokens.VariableEnd, tokens.BlockEnd:
			if nested {
				from, to := top.elseAt+len("else"), tok.Pos
				otherwise := strings.TrimRight(src[from:to], " \t\n")
				return from, from + len(otherwise), "(" + otherwise + ")", true
			}
			inTag, open = false, open[:0]
			continue
		}
		if !inTag {
			continue
		}
		if tagStart {
			topRead, tagStart = tok.Type == tokens.Name && tok.Val == "set", false
		}
		switch tok.Type {
		case tokens.LeftParenthesis, tokens.LeftBracket, tokens.LeftBrace:
			open = append(open, group{start: tok.Pos + 1, ifAt: -1, elseAt: -1})
			continue
		}
		if len(open) == 0 {
			if topRead && tok.Type == tokens.Name {
				switch {
				case tok.Val == "if" && top.ifAt < 0:
					top.ifAt = tok.Pos
				case tok.Val == "else" && top.ifAt >= 0 && top.elseAt < 0:
					top.elseAt = tok.Pos
				case tok.Val == "if" && top.elseAt >= 0:
					nestedIf = true
				case tok.Val == "else" && nestedIf:
					nested = true
				}
			}
			continue
		}
		g := &open[len(open)-1]
		switch tok.Type {
		case tokens.Comma, tokens.Colon, tokens.Assign, tokens.RightParenthesis, tokens.RightBracket, tokens.RightBrace:
			if g.elseAt >= 0 {
				return g.start, tok.Pos, rewrite(src[g.start:g.ifAt], src[g.ifAt+len("if"):g.elseAt], src[g.elseAt+len("else"):tok.Pos]), true
			}
			if tok.Type == tokens.Comma || tok.Type == tokens.Colon || tok.Type == tokens.Assign {
				*g = group{start: tok.Pos + 1, ifAt: -1, elseAt: -1}
			} else {
				open = open[:len(open)-1]
			}
		case tokens.Name:
			switch {
			case tok.Val == "if" && g.ifAt < 0:
				g.ifAt = tok.Pos
			case tok.Val == "else" && g.ifAt >= 0 && g.elseAt < 0:
				g.elseAt = tok.Pos
			}
		}
	}
	return 0, 0, "", false
}

// rewrite is "then if cond else otherwise" as gonja reads it anywhere, keeping the spaces
// around it.
func rewrite(then, cond, otherwise string) string {
	lead := then[:len(then)-len(strings.TrimLeft(then, " \t\n"))]
	trail := otherwise[len(strings.TrimRight(otherwise, " \t\n")):]
	return lead + "((" + strings.TrimSpace(cond) + ") and [" + strings.TrimSpace(then) + "] or [" + strings.TrimSpace(otherwise) + "])[0]" + trail
}
