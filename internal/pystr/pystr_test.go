package pystr

import (
	"math"
	"reflect"
	"testing"
	"unicode"
)

// The expected values are Python 3's.
func TestSplitLikePython(t *testing.T) {
	for _, tt := range []struct {
		s, sep     string
		whitespace bool
		max        int
		right      bool
		want       []string
	}{
		{"a,b,,c", ",", false, -1, false, []string{"a", "b", "", "c"}},              // "a,b,,c".split(",")
		{"a,b,c", ",", false, 1, false, []string{"a", "b,c"}},                       // .split(",", 1)
		{"a,b,c", ",", false, 1, true, []string{"a,b", "c"}},                        // .rsplit(",", 1)
		{"a,b,c", ",", false, 0, true, []string{"a,b,c"}},                           // .rsplit(",", 0)
		{"  a  b c ", "", true, -1, false, []string{"a", "b", "c"}},                 // .split()
		{"  a  b c ", "", true, 1, false, []string{"a", "b c "}},                    // .split(None, 1)
		{"  a  b c ", "", true, 1, true, []string{"  a  b", "c"}},                   // .rsplit(None, 1)
		{"x\u00a0y\u3000z", "", true, 1, true, []string{"x\u00a0y", "z"}},           // .rsplit(None, 1), wide spaces
		{" a b ", "", true, 1, false, []string{"a", "b "}},                          // .split(None, 1), the splits used up
		{" a b ", "", true, 1, true, []string{" a", "b"}},                           // .rsplit(None, 1)
		{"  a  ", "", true, 0, false, []string{"a  "}},                              // .split(None, 0)
		{"a b ", "", true, 2, false, []string{"a", "b"}},                            // .split(None, 2), splits to spare
		{"SINV-2025-0001", "-", false, -1, false, []string{"SINV", "2025", "0001"}}, // admins' favourite
	} {
		if got := Split(tt.s, tt.sep, tt.whitespace, tt.max, tt.right); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Split(%q, %q, %v, %d, right %v) = %q, want %q", tt.s, tt.sep, tt.whitespace, tt.max, tt.right, got, tt.want)
		}
	}
}

func TestCaseAndCountLikePython(t *testing.T) {
	if got := Title("hello wORLD-ok 3rd"); got != "Hello World-Ok 3Rd" {
		t.Errorf("Title = %q", got)
	}
	if got := Capitalize("éCOLE dupont"); got != "École dupont" {
		t.Errorf("Capitalize = %q", got)
	}
	if got := Swapcase("AbC"); got != "aBc" {
		t.Errorf("Swapcase = %q", got)
	}
	if !Cased("ABC 1", unicode.IsUpper, unicode.IsLower) || Cased("123", unicode.IsUpper, unicode.IsLower) {
		t.Error("Cased")
	}
	if Count("aaaa", "aa") != 2 || Count("abc", "") != 4 {
		t.Error("Count")
	}
}

// Against Python 3: "Straße".upper(), "ΟΔΟΣ ΟΔΟΣ".lower(), "Straße".casefold(), and ASCII.
func TestCaseMappingIsPythons(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Upper("Straße"), "STRASSE"},
		{Upper("ﬁne"), "FINE"},
		{Upper("abc"), "ABC"},
		{Lower("ΟΔΟΣ ΟΔΟΣ"), "οδος οδος"},
		{Lower("ÀB"), "àb"},
		{Casefold("Straße"), "strasse"},
		{Casefold("ABC"), "abc"},
		{Capitalize("ßa"), "Ssa"},
		{Capitalize("ǆA"), "ǅa"},
		{Capitalize("AΣ"), "Aς"},
		{Title("ßa ǆb ΟΔΟΣ ﬁx"), "Ssa ǅb Οδος Fix"},
		{Title("a中b"), "A中B"},
		{Swapcase("ßa ǅ ΟΔΟΣ"), "SSA ǅ οδος"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// Against Python 3: "ab".center(5, "*"), "abc".center(6, "*"), "é".rjust(3, "·"), ...
func TestWidthLikePython(t *testing.T) {
	for _, c := range []struct {
		got, want string
		size      float64
	}{
		{Pad("ab", 5, "*", Center), "**ab*", PadSize("ab", 5, "*")},
		{Pad("abc", 6, "*", Center), "*abc**", PadSize("abc", 6, "*")},
		{Pad("x", 4, "*", Center), "*x**", PadSize("x", 4, "*")},
		{Pad("x", 5, "*", Center), "**x**", PadSize("x", 5, "*")},
		{Pad("é", 3, "·", Right), "··é", PadSize("é", 3, "·")},
		{Pad("ab", 4, ".", Left), "ab..", PadSize("ab", 4, ".")},
		{Pad("abc", 2, ".", Left), "abc", PadSize("abc", 2, ".")},
		{Pad("abc", -5, ".", Right), "abc", PadSize("abc", -5, ".")},
		{Zfill("-5", 4), "-005", PadSize("-5", 4, "0")},
		{Zfill("+", 3), "+00", PadSize("+", 3, "0")},
		{Zfill("42", 1), "42", PadSize("42", 1, "0")},
		{Zfill("é", 3), "00é", PadSize("é", 3, "0")},
		{ExpandTabs("a\tbc\td", 4), "a   bc  d", -1},
		{ExpandTabs("ab\n\tx\r\ty", 2), "ab\n  x\r  y", -1},
		{ExpandTabs("é\tx", 8), "é       x", -1},
		{ExpandTabs("a\tb", 0), "ab", -1},
		{ExpandTabs("a\tb", -3), "ab", -1},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
		if c.size >= 0 && c.size != float64(len(c.want)) {
			t.Errorf("%q: size %v, want %d", c.want, c.size, len(c.want))
		}
	}
	if got := ExpandTabsSize("a\tb\t", 8); got < float64(len(ExpandTabs("a\tb\t", 8))) {
		t.Errorf("ExpandTabsSize = %v, less than the result", got)
	}
	if got := PadSize("x", 1<<62, "é"); got < 1<<62 {
		t.Errorf("PadSize of a huge width = %v", got)
	}
}

// The expected values are Python 3's.
func TestPartitionAndLinesLikePython(t *testing.T) {
	for _, c := range []struct {
		got, want any
	}{
		{Partition("a-b-c", "-", false), [3]string{"a", "-", "b-c"}},
		{Partition("a-b-c", "-", true), [3]string{"a-b", "-", "c"}},
		{Partition("abc", "-", false), [3]string{"abc", "", ""}},
		{Partition("abc", "-", true), [3]string{"", "", "abc"}},
		{Partition("é::ü", "::", false), [3]string{"é", "::", "ü"}},
		{SplitLines("a\nb\r\nc\rd", false), []string{"a", "b", "c", "d"}},
		{SplitLines("a\nb\r\n", true), []string{"a\n", "b\r\n"}},
		{SplitLines("a\n\nb\n", false), []string{"a", "", "b"}},
		{SplitLines("a\vb\fc\x1cd\u0085e\u2028f\u2029g", false), []string{"a", "b", "c", "d", "e", "f", "g"}},
		{SplitLines("", false), []string(nil)},
		{SplitLines("\r\r\n", true), []string{"\r", "\r\n"}},
		{SplitLines("a\x1fb\tc", false), []string{"a\x1fb\tc"}},
		{[]bool{IsTitle("Hello World"), IsTitle("Hello world"), IsTitle("HEllo"), IsTitle("É-Ok 3Rd"), IsTitle(""), IsTitle("123"), IsTitle("ǅungla")},
			[]bool{true, false, false, true, false, false, true}},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// Against Python 3: "abcdef".find("", 2, 4) reads the window "cd" at 2, ...
func TestWindowLikePython(t *testing.T) {
	if Find("ébcb", "b", 0, math.MaxInt, false) != 1 || Find("ébcb", "b", 0, math.MaxInt, true) != 3 || Find("ébcb", "b", -10, -1, true) != 1 || Find("ébcb", "x", 0, 9, false) != -1 {
		t.Error("Find")
	}
	const none = math.MaxInt
	for _, c := range []struct {
		start, end int
		w          string
		offset     int
		ok         bool
	}{
		{0, none, "héllo", 0, true},
		{1, 3, "él", 1, true},
		{-2, none, "lo", 3, true},
		{-10, -1, "héll", 0, true},
		{5, none, "", 5, true},  // "héllo".find("", 5) is 5
		{6, none, "", 6, false}, // "héllo".find("", 6) is -1
		{3, 1, "", 3, false},    // "héllo".count("", 3, 1) is 0
	} {
		w, offset, ok := Window("héllo", c.start, c.end)
		if c.ok && Find("héllo", "", c.start, c.end, false) != c.offset || !c.ok && Find("héllo", "", c.start, c.end, true) != -1 {
			t.Errorf("Find of an empty sub in Window(%d, %d) disagrees with it", c.start, c.end)
		}
		if w != c.w || offset != c.offset || ok != c.ok {
			t.Errorf("Window(%d, %d) = %q, %d, %v; want %q, %d, %v", c.start, c.end, w, offset, ok, c.w, c.offset, c.ok)
		}
	}
}
