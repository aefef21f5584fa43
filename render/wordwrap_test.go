package render

import (
	"errors"
	"strings"
	"testing"
)

// Python's textwrap where the oracle's cases do not reach: widths that are floats or bools,
// break_on_hyphens that is true but not True, Python's whitespace inside words. The expected
// texts are Python 3.11's.
func TestWordwrapAsPythonsTextwrap(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"a width below 1 takes a character a line", `{{ "abc de"|wordwrap(0.5, wrapstring="|") }}`, "a|b|c|d|e"},
		{"a float width compares", `{{ "ab cd"|wordwrap(2.5, wrapstring="|") }}`, "ab|cd"},
		{"a float width keeps long words when told", `{{ "abcdef"|wordwrap(2.5, false) }}`, "abcdef"},
		{"break_on_hyphens 1 splits at spaces but cuts long words at hyphens", `{{ "abc-def-ghi"|wordwrap(6, wrapstring="|", break_on_hyphens=1) }}`, "abc-|def-|ghi"},
		{"no-break and ideographic spaces stay inside words", "{{ \"a\u00a0b c\u3000d e\"|wordwrap(3, wrapstring=\"|\") }}", "a\u00a0b|c\u3000d|e"},
		{"a unit separator is whitespace at a line's start", "{{ \"a\x1fb \x1f c\"|wordwrap(2, wrapstring=\"|\") }}", "a\x1f|b| c"},
		{"a space before a cut word stays", `{{ "abc defghijklmn"|wordwrap(4, wrapstring="|") }}`, "abc |defg|hijk|lmn"},
		{"a width that is no number is no error without lines", `[{{ ""|wordwrap("5") }}]`, "[]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustRender(t, tt.src, Data{}); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWordwrapErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"a float width where a word is cut", `{{ "abcdef"|wordwrap(2.5) }}`, "TypeError: slice indices must be integers"},
		{"a negative width", `{{ "x"|wordwrap(-1.5) }}`, "ValueError: invalid width -1.5 (must be > 0)"},
		{"a false width", `{{ "x"|wordwrap(False) }}`, "ValueError: invalid width False (must be > 0)"},
		{"a nan width, on which Python loops for ever", `{{ "x"|wordwrap(frappe.utils.flt("nan") * 1) }}`, "ValueError: invalid width nan (must be > 0)"},
		{"a text width", `{{ "x"|wordwrap("5") }}`, "TypeError: '<=' not supported between instances of 'str' and 'int'"},
		{"a wrapstring that is no text", `{{ ""|wordwrap(10, true, 5) }}`, "AttributeError: 'int' object has no attribute 'join'"},
		{"too many arguments", `{{ "x"|wordwrap(1, 2, 3, 4, 5) }}`, "wordwrap(): takes at most 4 arguments (5 given)"},
		{"an unknown keyword", `{{ "x"|wordwrap(foo=1) }}`, `wordwrap(): unexpected keyword argument "foo"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { mustFail(t, tt.src, tt.want) })
	}
}

// On Slack, wordwrap sees the document's text as written and its result is escaped again:
// an entity is one character and is not cut or escaped twice.
func TestWordwrapOnSlack(t *testing.T) {
	got := mustRender(t, `{{ doc.x|wordwrap(5) }}`, Data{Doc: map[string]any{"x": "A & B <c> D"}, Format: Slack})
	if want := "A & B\n<c> D"; got != Slack.Escape(want) {
		t.Errorf("got %q, want %q", got, Slack.Escape(want))
	}
}

// A long wrapstring cannot build past MaxString before the result is charged.
func TestWordwrapStopsWithinBudget(t *testing.T) {
	tpl, err := Compile(`{{ doc.x|wordwrap(1, true, "y" * 100000) }}`)
	if err != nil {
		t.Fatal(err)
	}
	var rerr error
	peak := heapPeak(t, func() {
		_, rerr = tpl.Render(Data{Doc: map[string]any{"x": strings.Repeat("x", 100000)}})
	})
	if !errors.Is(rerr, ErrBudget) {
		t.Fatalf("got %v, want an error wrapping ErrBudget", rerr)
	}
	if peak > 100<<20 {
		t.Errorf("heap grew by %d MB", peak>>20)
	}
}
