package condition

import (
	"maps"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
	"walnotify/internal/pystr"
)

// The str methods a condition may call besides those in methods, with Python's semantics and
// plain arguments and results: "SINV-0001".split("-")[0], s.replace(a, b), s.count(","),
// s.find("x"), s.isdigit(), s.title(), s.rjust(8, "0"). Those that can build more than their
// receiver check MaxString first.
var strMethods = map[string]function{
	"split":        pyfunc("sep=None, maxsplit=-1", false, split(false)),
	"rsplit":       pyfunc("sep=None, maxsplit=-1", false, split(true)),
	"replace":      positional(2, 3, false, strReplace),
	"count":        positional(1, 3, false, orList(listCount, search("count", strCount))),
	"find":         positional(1, 3, false, search("find", strFind(false, false))),
	"rfind":        positional(1, 3, false, search("rfind", strFind(true, false))),
	"index":        positional(1, 3, false, orList(listIndex, search("index", strFind(false, true)))),
	"rindex":       positional(1, 3, false, search("rindex", strFind(true, true))),
	"removeprefix": positional(1, 1, false, textArg("removeprefix", func(s, p string) any { return strings.TrimPrefix(s, p) })),
	"removesuffix": positional(1, 1, false, textArg("removesuffix", func(s, p string) any { return strings.TrimSuffix(s, p) })),
	"isdigit":      positional(0, 0, false, textIs("isdigit", pystr.IsDigit)),
	"isnumeric":    positional(0, 0, false, textIs("isnumeric", pystr.IsNumeric)),
	"isdecimal":    positional(0, 0, false, textIs("isdecimal", func(r rune) bool { return unicode.Is(unicode.Nd, r) })),
	"isalpha":      positional(0, 0, false, textIs("isalpha", unicode.IsLetter)),
	"isalnum":      positional(0, 0, false, textIs("isalnum", func(r rune) bool { return unicode.IsLetter(r) || pystr.IsNumeric(r) })),
	"isspace":      positional(0, 0, false, textIs("isspace", pystr.IsSpace)),
	"istitle":      positional(0, 0, false, textMethod("istitle", func(s string, _ any) (any, error) { return pystr.IsTitle(s), nil })),
	"isascii":      positional(0, 0, false, textHasNo("isascii", func(r rune) bool { return r >= utf8.RuneSelf })),
	"isprintable":  positional(0, 0, false, textHasNo("isprintable", func(r rune) bool { return !unicode.IsPrint(r) })),
	"isupper":      positional(0, 0, false, textMethod("isupper", func(s string, _ any) (any, error) { return pystr.Cased(s, pystr.IsUpper, pystr.IsLower), nil })),
	"islower":      positional(0, 0, false, textMethod("islower", func(s string, _ any) (any, error) { return pystr.Cased(s, pystr.IsLower, pystr.IsUpper), nil })),
	"title":        positional(0, 0, false, textMethod("title", func(s string, _ any) (any, error) { return pystr.Title(s), nil })),
	"capitalize":   positional(0, 0, false, textMethod("capitalize", func(s string, _ any) (any, error) { return pystr.Capitalize(s), nil })),
	"casefold":     positional(0, 0, false, textMethod("casefold", func(s string, _ any) (any, error) { return pystr.Casefold(s), nil })),
	"swapcase":     positional(0, 0, false, textMethod("swapcase", func(s string, _ any) (any, error) { return pystr.Swapcase(s), nil })),
	"zfill":        positional(1, 1, false, zfill),
	"ljust":        positional(1, 2, false, pad("ljust", pystr.Left)),
	"center":       positional(1, 2, false, pad("center", pystr.Center)),
	"rjust":        positional(1, 2, false, pad("rjust", pystr.Right)),
	"expandtabs":   pyfunc("tabsize=8", false, expandTabs),
	"partition":    positional(1, 1, false, textMethod("partition", partition(false))),
	"rpartition":   positional(1, 1, false, textMethod("rpartition", partition(true))),
	"splitlines":   pyfunc("keepends=False", false, textMethod("splitlines", splitLines)),
	"join":         positional(1, 1, false, join),
}

// orList makes a method that is list's (a tuple's: tuples are lists here) on a list receiver,
// str's on anything else: count and index.
func orList(list, str func(a ...any) (any, error)) func(a ...any) (any, error) {
	return func(a ...any) (any, error) {
		if _, ok := a[0].([]any); ok {
			return list(a...)
		}
		return str(a...)
	}
}

// listCount is list.count(x): how many items equal x.
func listCount(a ...any) (any, error) {
	if len(a) != 2 {
		return nil, typeError("count() takes exactly one argument (%d given)", len(a)-1)
	}
	n := int64(0)
	for _, item := range a[0].([]any) {
		if equal(item, a[1]) {
			n++
		}
	}
	return n, nil
}

// listIndex is list.index(x[, start[, end]]): the first item equal to x between start and end,
// counted as slice bounds, else Python's ValueError.
func listIndex(a ...any) (any, error) {
	l := a[0].([]any)
	bounds := [2]int{0, len(l)}
	for i, v := range a[2:] {
		n, ok := number(v)
		if !ok || n.isFloat {
			return nil, typeError("slice indices must be integers or have an __index__ method")
		}
		b := int(max(min(n.i, int64(len(l))), -int64(len(l))-1))
		if b < 0 {
			b = max(b+len(l), 0)
		}
		bounds[i] = b
	}
	for i := bounds[0]; i < bounds[1]; i++ {
		if equal(l[i], a[1]) {
			return int64(i), nil
		}
	}
	return nil, valueError("%s is not in list", repr(a[1]))
}

// search makes str.count, find, rfind, index and rindex(sub[, start[, end]]): start and end
// are ints or None, as slice indices.
func search(name string, fn func(s, sub string, start, end int) (any, error)) func(a ...any) (any, error) {
	return func(a ...any) (any, error) {
		s, ok := a[0].(string)
		if !ok {
			_, err := attribute(a[0], name)
			return nil, err
		}
		bounds, err := sliceBounds(a[2:])
		if err != nil {
			return nil, err
		}
		sub, ok := a[1].(string)
		if !ok {
			return nil, typeError("must be str, not %s", typeName(a[1]))
		}
		return fn(s, sub, bounds[0], bounds[1])
	}
}

// sliceBounds are the start and end of str.find, count, startswith...: ints or None, as slice
// indices (an absent start is 0, an absent end math.MaxInt).
func sliceBounds(args []any) ([2]int, error) {
	bounds := [2]int{0, math.MaxInt}
	for i, v := range args {
		if v == nil {
			continue
		}
		n, ok := number(v)
		if !ok || n.isFloat {
			return bounds, typeError("slice indices must be integers or None or have an __index__ method")
		}
		bounds[i] = int(n.i)
	}
	return bounds, nil
}

func strCount(s, sub string, start, end int) (any, error) {
	w, _, ok := pystr.Window(s, start, end)
	if !ok {
		return int64(0), nil
	}
	return int64(pystr.Count(w, sub)), nil
}

// strFind is str.find (right: rfind); raise makes it str.index (rindex), a ValueError when sub is
// not there.
func strFind(right, raise bool) func(s, sub string, start, end int) (any, error) {
	return func(s, sub string, start, end int) (any, error) {
		i := pystr.Find(s, sub, start, end, right)
		if i < 0 && raise {
			return nil, valueError("substring not found")
		}
		return int64(i), nil
	}
}

// textArg makes a str method of one str argument.
func textArg(name string, fn func(s, arg string) any) func(a ...any) (any, error) {
	return textMethod(name, func(s string, arg any) (any, error) {
		t, ok := arg.(string)
		if !ok {
			return nil, typeError("must be str, not %s", typeName(arg))
		}
		return fn(s, t), nil
	})
}

func textIs(name string, is func(rune) bool) func(a ...any) (any, error) {
	return textMethod(name, func(s string, _ any) (any, error) {
		if s == "" {
			return false, nil
		}
		for _, r := range s {
			if !is(r) {
				return false, nil
			}
		}
		return true, nil
	})
}

// textHasNo makes a str method that is true when no character is bad, an empty text included.
func textHasNo(name string, bad func(rune) bool) func(a ...any) (any, error) {
	return textMethod(name, func(s string, _ any) (any, error) { return !strings.ContainsFunc(s, bad), nil })
}

func split(right bool) func(a ...any) (any, error) {
	return func(a ...any) (any, error) {
		s, ok := a[0].(string)
		if !ok {
			_, err := attribute(a[0], "split")
			return nil, err
		}
		var sep any
		maxsplit := int64(-1)
		if len(a) > 1 {
			sep = a[1]
		}
		if len(a) > 2 {
			var err error
			if maxsplit, err = integer(a[2]); err != nil {
				return nil, err
			}
		}
		maxsplit = max(min(maxsplit, int64(len(s))), -1) // a larger maxsplit changes nothing
		var parts []string
		switch x := sep.(type) {
		case nil:
			parts = pystr.Split(s, "", true, int(maxsplit), right)
		case string:
			if x == "" {
				return nil, valueError("empty separator")
			}
			parts = pystr.Split(s, x, false, int(maxsplit), right)
		default:
			return nil, typeError("must be str or None, not %s", typeName(sep))
		}
		out := make([]any, len(parts))
		for i, p := range parts {
			out[i] = p
		}
		return out, nil
	}
}

// partition is str.partition(sep) (right: str.rpartition): a tuple, a list here, of three.
func partition(right bool) func(s string, sep any) (any, error) {
	return func(s string, sep any) (any, error) {
		t, ok := sep.(string)
		switch {
		case !ok:
			return nil, typeError("must be str, not %s", typeName(sep))
		case t == "":
			return nil, valueError("empty separator")
		}
		p := pystr.Partition(s, t, right)
		return []any{p[0], p[1], p[2]}, nil
	}
}

// splitLines is str.splitlines(keepends=False); keepends is read as an int, as Python does.
func splitLines(s string, keepends any) (any, error) {
	keep := int64(0)
	if keepends != nil {
		var err error
		if keep, err = integer(keepends); err != nil {
			return nil, err
		}
	}
	lines := pystr.SplitLines(s, keep != 0)
	out := make([]any, len(lines))
	for i, l := range lines {
		out[i] = l
	}
	return out, nil
}

func strReplace(a ...any) (any, error) {
	s, ok := a[0].(string)
	if !ok {
		_, err := attribute(a[0], "replace")
		return nil, err
	}
	old, ok1 := a[1].(string)
	repl, ok2 := a[2].(string)
	if !ok1 || !ok2 {
		return nil, typeError("replace() arguments must be str")
	}
	count := int64(-1)
	if len(a) > 3 {
		var err error
		if count, err = integer(a[3]); err != nil {
			return nil, err
		}
	}
	n := int64(pystr.Count(s, old))
	if count >= 0 {
		n = min(n, count)
	}
	if err := checkString(float64(len(s)) + float64(n)*(float64(len(repl))-float64(len(old)))); err != nil {
		return nil, err
	}
	return strings.Replace(s, old, repl, int(max(min(count, int64(len(s))+1), -1))), nil
}

// join is str.join(iterable): the items of a list or of a dict's view, the characters of a
// text, or the keys of a dict (in its order) or a row (sorted: a row has no order), which must
// all be text, with the receiver between them.
func join(a ...any) (any, error) {
	sep, ok := a[0].(string)
	if !ok {
		_, err := attribute(a[0], "join")
		return nil, err
	}
	iterable := a[1]
	if view, ok := iterable.(dictView); ok {
		iterable = view.elements()
	}
	var items []string
	switch x := iterable.(type) {
	case string:
		for _, r := range x {
			items = append(items, string(r))
		}
	case map[string]any:
		items = slices.Sorted(maps.Keys(x))
	case *dict:
		items = x.keys
	case []any:
		items = make([]string, len(x))
		for i, item := range x {
			s, ok := item.(string)
			if !ok {
				return nil, typeError("sequence item %d: expected str instance, %s found", i, typeName(item))
			}
			items[i] = s
		}
	default:
		return nil, typeError("can only join an iterable")
	}
	size := float64(max(len(items)-1, 0)) * float64(len(sep))
	for _, s := range items {
		size += float64(len(s))
	}
	if err := checkString(size); err != nil {
		return nil, err
	}
	return strings.Join(items, sep), nil
}

func zfill(a ...any) (any, error) {
	s, ok := a[0].(string)
	if !ok {
		_, err := attribute(a[0], "zfill")
		return nil, err
	}
	width, err := integer(a[1])
	if err != nil {
		return nil, err
	}
	if err := checkString(pystr.PadSize(s, int(width), "0")); err != nil {
		return nil, err
	}
	return pystr.Zfill(s, int(width)), nil
}

// pad is str.ljust, str.center and str.rjust(width, fillchar=" "): fillchar is one character.
func pad(name string, align pystr.Align) func(a ...any) (any, error) {
	return func(a ...any) (any, error) {
		s, ok := a[0].(string)
		if !ok {
			_, err := attribute(a[0], name)
			return nil, err
		}
		width, err := integer(a[1])
		if err != nil {
			return nil, err
		}
		fill := " "
		if len(a) > 2 {
			if fill, ok = a[2].(string); !ok {
				return nil, typeError("The fill character must be a unicode character, not %s", typeName(a[2]))
			}
			if utf8.RuneCountInString(fill) != 1 {
				return nil, typeError("The fill character must be exactly one character long")
			}
		}
		if err := checkString(pystr.PadSize(s, int(width), fill)); err != nil {
			return nil, err
		}
		return pystr.Pad(s, int(width), fill, align), nil
	}
}

func expandTabs(a ...any) (any, error) {
	s, ok := a[0].(string)
	if !ok {
		_, err := attribute(a[0], "expandtabs")
		return nil, err
	}
	size := int64(8)
	if len(a) > 1 {
		var err error
		if size, err = integer(a[1]); err != nil {
			return nil, err
		}
	}
	if err := checkString(pystr.ExpandTabsSize(s, int(size))); err != nil {
		return nil, err
	}
	return pystr.ExpandTabs(s, int(size)), nil
}
