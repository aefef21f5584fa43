package render

import (
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
	"walnotify/internal/pystr"

	"github.com/nikolalohinski/gonja/v2/exec"
)

// Python's str methods, as templates call them on text: "a-b".split("-", 1), (x or "").split(),
// s.count(","), s.replace(a, b). The ones that can build more than their receiver (sizedMethods)
// are in budget.go; these build at most a copy of it. gonja's own are used for the rest.

// strMethod is one of Python's str methods.
type strMethod = func(st *state, s string, args *exec.VarArgs) (any, error)

// pyStrMethods are the str methods with Python's semantics that replace gonja's.
func pyStrMethods() map[string]strMethod {
	m := map[string]strMethod{
		"split":      strSplit(false),
		"rsplit":     strSplit(true),
		"partition":  strPartition(false),
		"rpartition": strPartition(true),
		"splitlines": strSplitLines,
		"count":      strCount,
		"find":       strFind(false, false),
		"rfind":      strFind(true, false),
		"index":      strFind(false, true),
		"rindex":     strFind(true, true),
		"startswith": strAffix(strings.HasPrefix),
		"endswith":   strAffix(strings.HasSuffix),
		"strip":      strStrip(strings.Trim, func(s string) string { return strings.TrimFunc(s, pystr.IsSpace) }),
		"lstrip":     strStrip(strings.TrimLeft, func(s string) string { return strings.TrimLeftFunc(s, pystr.IsSpace) }),
		"rstrip":     strStrip(strings.TrimRight, func(s string) string { return strings.TrimRightFunc(s, pystr.IsSpace) }),
		"lower":      strNoArgs(pystr.Lower),
		"upper":      strNoArgs(pystr.Upper),
		"casefold":   strNoArgs(pystr.Casefold),
		"title":      strNoArgs(pystr.Title),
		"capitalize": strNoArgs(pystr.Capitalize),
		"swapcase":   strNoArgs(pystr.Swapcase),
		"isdigit":    strIs(pystr.IsDigit),
		"isdecimal":  strIs(func(r rune) bool { return unicode.Is(unicode.Nd, r) }),
		"isnumeric":  strIs(pystr.IsNumeric),
		"isalpha":    strIs(unicode.IsLetter),
		"isalnum":    strIs(func(r rune) bool { return unicode.IsLetter(r) || pystr.IsNumeric(r) }),
		"isspace":    strIs(pystr.IsSpace),
		"istitle":    func(_ *state, s string, _ *exec.VarArgs) (any, error) { return pystr.IsTitle(s), nil },
		"isupper":    strCased(pystr.IsUpper, pystr.IsLower),
		"islower":    strCased(pystr.IsLower, pystr.IsUpper),
		// isascii and isprintable hold for "", unlike the other is... methods.
		"isascii":      strAll(func(r rune) bool { return r < utf8.RuneSelf }),
		"isprintable":  strAll(unicode.IsPrint),
		"removeprefix": strRemove("removeprefix", strings.TrimPrefix),
		"removesuffix": strRemove("removesuffix", strings.TrimSuffix),
	}
	for name, f := range sizedMethods {
		m[name] = f
	}
	m["format"] = strFormat
	m["format_map"] = strFormatMap
	return m
}

func strNoArgs(f func(string) string) func(*state, string, *exec.VarArgs) (any, error) {
	return func(_ *state, s string, args *exec.VarArgs) (any, error) {
		if len(args.Args)+len(args.KwArgs) > 0 {
			return nil, fmt.Errorf("TypeError: takes no arguments")
		}
		return f(s), nil
	}
}

// strAll is a method that tells whether every character of the text is one, true for "".
func strAll(is func(rune) bool) func(*state, string, *exec.VarArgs) (any, error) {
	return func(_ *state, s string, args *exec.VarArgs) (any, error) {
		if len(args.Args)+len(args.KwArgs) > 0 {
			return nil, fmt.Errorf("TypeError: takes no arguments")
		}
		for _, r := range s {
			if !is(r) {
				return false, nil
			}
		}
		return true, nil
	}
}

// strRemove is removeprefix(prefix) and removesuffix(suffix): the text without it, when it
// starts or ends with it.
func strRemove(name string, trim func(s, affix string) string) func(*state, string, *exec.VarArgs) (any, error) {
	return func(_ *state, s string, args *exec.VarArgs) (any, error) {
		if len(args.Args) != 1 || len(args.KwArgs) > 0 {
			return nil, fmt.Errorf("TypeError: %s() takes exactly one argument (%d given)", name, len(args.Args)+len(args.KwArgs))
		}
		if !args.Args[0].IsString() {
			return nil, fmt.Errorf("TypeError: %s() argument must be str, not %s", name, pyType(args.Args[0]))
		}
		return trim(s, args.Args[0].String()), nil
	}
}

func strIs(is func(rune) bool) func(*state, string, *exec.VarArgs) (any, error) {
	return func(_ *state, s string, _ *exec.VarArgs) (any, error) {
		if s == "" {
			return false, nil
		}
		for _, r := range s {
			if !is(r) {
				return false, nil
			}
		}
		return true, nil
	}
}

// strCased is isupper/islower: at least one cased character, none of the other case.
func strCased(is, other func(rune) bool) func(*state, string, *exec.VarArgs) (any, error) {
	return func(_ *state, s string, _ *exec.VarArgs) (any, error) { return pystr.Cased(s, is, other), nil }
}

// optString is an optional str argument (nil or None: absent).
func optString(v *exec.Value, what string) (string, bool, error) {
	if v == nil || v.IsNil() {
		return "", false, nil
	}
	if !v.IsString() {
		return "", false, fmt.Errorf("TypeError: %s must be str or None, not %s", what, pyType(v))
	}
	return v.String(), true, nil
}

func optInt(v *exec.Value, def int) (int, error) {
	if v == nil || v.IsNil() {
		return def, nil
	}
	n, ok := asNum(v)
	if !ok || n.isFloat {
		return 0, fmt.Errorf("TypeError: '%s' object cannot be interpreted as an integer", pyType(v))
	}
	return n.i, nil
}

func strSplit(right bool) func(*state, string, *exec.VarArgs) (any, error) {
	return func(st *state, s string, args *exec.VarArgs) (any, error) {
		a, err := bind(args, "sep", "maxsplit")
		if err != nil {
			return nil, err
		}
		sep, hasSep, err := optString(a[0], "sep")
		if err != nil {
			return nil, err
		}
		maxsplit, err := optInt(a[1], -1)
		if err != nil {
			return nil, err
		}
		if hasSep && sep == "" {
			return nil, fmt.Errorf("ValueError: empty separator")
		}
		return st.textList(pystr.Split(s, sep, !hasSep, maxsplit, right))
	}
}

// textList is a method's list of texts, charged to the rendering's budget item by item.
func (st *state) textList(texts []string) ([]any, error) {
	if err := st.chargeItems(float64(len(texts))); err != nil {
		return nil, err
	}
	out := make([]any, len(texts))
	for i, t := range texts {
		out[i] = t
	}
	return out, nil
}

func strPartition(right bool) func(*state, string, *exec.VarArgs) (any, error) {
	return func(_ *state, s string, args *exec.VarArgs) (any, error) {
		if len(args.Args) != 1 || len(args.KwArgs) > 0 {
			return nil, fmt.Errorf("TypeError: takes exactly one argument")
		}
		sep := args.Args[0]
		switch {
		case !sep.IsString():
			return nil, fmt.Errorf("TypeError: must be str, not %s", pyType(sep))
		case sep.String() == "":
			return nil, fmt.Errorf("ValueError: empty separator")
		}
		p := pystr.Partition(s, sep.String(), right)
		return pyTuple{p[0], p[1], p[2]}, nil
	}
}

// strSplitLines is str.splitlines(keepends=False); keepends is read as an int, as Python does.
func strSplitLines(st *state, s string, args *exec.VarArgs) (any, error) {
	a, err := bind(args, "keepends")
	if err != nil {
		return nil, err
	}
	keep := 0
	if a[0] != nil {
		n, ok := asNum(a[0])
		if !ok || n.isFloat {
			return nil, fmt.Errorf("TypeError: '%s' object cannot be interpreted as an integer", pyType(a[0]))
		}
		keep = n.i
	}
	return st.textList(pystr.SplitLines(s, keep != 0))
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// window reads start and end as str.find and str.count do (None or absent: the whole text)
// and gives pystr.Window of s.
func window(s string, start, end *exec.Value) (string, int, bool, error) {
	lo, hi, err := bounds(start, end)
	if err != nil {
		return "", 0, false, err
	}
	w, offset, ok := pystr.Window(s, lo, hi)
	return w, offset, ok, nil
}

func bounds(start, end *exec.Value) (int, int, error) {
	lo, err := optInt(start, 0)
	if err != nil {
		return 0, 0, err
	}
	hi, err := optInt(end, math.MaxInt)
	return lo, hi, err
}

func strCount(_ *state, s string, args *exec.VarArgs) (any, error) {
	a, err := bind(args, "sub", "start", "end")
	if err != nil {
		return nil, err
	}
	if a[0] == nil || !a[0].IsString() {
		return nil, fmt.Errorf("TypeError: must be str")
	}
	w, _, ok, err := window(s, a[1], a[2])
	if err != nil || !ok {
		return 0, err
	}
	return pystr.Count(w, a[0].String()), nil
}

func strFind(right, raise bool) func(*state, string, *exec.VarArgs) (any, error) {
	return func(_ *state, s string, args *exec.VarArgs) (any, error) {
		a, err := bind(args, "sub", "start", "end")
		if err != nil {
			return nil, err
		}
		if a[0] == nil || !a[0].IsString() {
			return nil, fmt.Errorf("TypeError: must be str")
		}
		lo, hi, err := bounds(a[1], a[2])
		if err != nil {
			return nil, err
		}
		i := pystr.Find(s, a[0].String(), lo, hi, right)
		if i < 0 && raise {
			return nil, fmt.Errorf("ValueError: substring not found")
		}
		return i, nil
	}
}

func strAffix(has func(s, affix string) bool) func(*state, string, *exec.VarArgs) (any, error) {
	return func(_ *state, s string, args *exec.VarArgs) (any, error) {
		a, err := bind(args, "prefix", "start", "end")
		if err != nil {
			return nil, err
		}
		w, _, ok, err := window(s, a[1], a[2])
		if err != nil {
			return nil, err
		}
		switch {
		case a[0] == nil:
			return nil, fmt.Errorf("TypeError: takes at least 1 argument")
		case a[0].IsString():
			return ok && has(w, a[0].String()), nil
		case a[0].IsList():
			for _, item := range items(a[0]) {
				t, isText := item.(string)
				if !isText {
					return nil, fmt.Errorf("TypeError: tuple must only contain str")
				}
				if ok && has(w, t) {
					return true, nil
				}
			}
			return false, nil
		}
		return nil, fmt.Errorf("TypeError: first arg must be str or a tuple of str, not %s", pyType(a[0]))
	}
}

func strStrip(chars func(s, cutset string) string, space func(string) string) func(*state, string, *exec.VarArgs) (any, error) {
	return func(_ *state, s string, args *exec.VarArgs) (any, error) {
		a, err := bind(args, "chars")
		if err != nil {
			return nil, err
		}
		cut, ok, err := optString(a[0], "chars")
		if err != nil {
			return nil, err
		}
		if !ok {
			return space(s), nil
		}
		return chars(s, cut), nil
	}
}
