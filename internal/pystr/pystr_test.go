package pystr

import (
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
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
