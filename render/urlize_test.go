package render

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

// On Slack, urlize sees the document's text as written, escapes it as HTML as Jinja2's does,
// and textFilter escapes that result again for Slack, as any filter's: no < or & of the
// document, nor of the markup urlize writes, reaches the message unescaped.
func TestURLizeOnSlackEscapesItsResult(t *testing.T) {
	doc := map[string]any{"x": "Tom & Jerry <tj@example.com> see www.example.com/?a=1&b=2."}
	got := mustRender(t, `{{ doc.x|urlize }}`, Data{Doc: doc, Format: Slack})
	html := `Tom &amp; Jerry &lt;<a href="mailto:tj@example.com">tj@example.com</a>&gt; see ` +
		`<a href="https://www.example.com/?a=1&amp;b=2" rel="noopener">www.example.com/?a=1&amp;b=2</a>.`
	if want := Slack.Escape(html); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if strings.ContainsAny(got, "<>") {
		t.Errorf("unescaped < or > in %q", got)
	}
	if bare := regexp.MustCompile(`&(?:amp|lt|gt);`).ReplaceAllString(got, ""); strings.Contains(bare, "&") {
		t.Errorf("unescaped & in %q", got)
	}
}

func TestURLizeErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"a float limit where a link is cut", `{{ "https://example.com/a"|urlize(2.5) }}`, "TypeError: slice indices must be integers"},
		{"a text limit where there is a link", `{{ "https://example.com/a"|urlize("5") }}`, "TypeError: '>' not supported between instances of 'int' and 'str'"},
		{"rel that is no text", `{{ "x"|urlize(rel=5) }}`, "AttributeError: 'int' object has no attribute 'split'"},
		{"extra_schemes that is a number", `{{ "x"|urlize(extra_schemes=5) }}`, "TypeError: 'int' object is not iterable"},
		{"extra_schemes that is a text, iterated", `{{ "x"|urlize(extra_schemes="tel:") }}`, "FilterArgumentError: 't' is not a valid URI scheme prefix."},
		{"a scheme that is no text", `{{ "x"|urlize(extra_schemes=[5]) }}`, "TypeError: expected string or bytes-like object, got 'int'"},
		{"too many arguments", `{{ "x"|urlize(1, 2, 3, 4, 5, 6) }}`, "urlize(): takes at most 5 arguments (6 given)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { mustFail(t, tt.src, tt.want) })
	}
}

// Arguments as Python takes them, where the oracle's cases do not reach; the expected texts
// are Jinja2 3.1's.
func TestURLizeArguments(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"a float limit that needs no cut", `{{ "https://example.com/a"|urlize(25.5) }}`, `<a href="https://example.com/a" rel="noopener">https://example.com/a</a>`},
		{"a text limit without links", `{{ "no link"|urlize("5") }}`, "no link"},
		{"a target that is no text", `{{ "www.a.com"|urlize(target=True) }}`, `<a href="https://www.a.com" rel="noopener" target="True">www.a.com</a>`},
		{"rel split at any whitespace", "{{ \"www.a.com\"|urlize(rel=\"a\tb\u00a0c\") }}", `<a href="https://www.a.com" rel="a b c noopener">www.a.com</a>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustRender(t, tt.src, Data{}); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// A long target, repeated in every link, cannot build past MaxString before the result is
// charged.
func TestURLizeStopsWithinBudget(t *testing.T) {
	tpl, err := Compile(`{{ doc.x|urlize(target="t" * 100000) }}`)
	if err != nil {
		t.Fatal(err)
	}
	var rerr error
	peak := heapPeak(t, func() {
		_, rerr = tpl.Render(Data{Doc: map[string]any{"x": strings.Repeat("ab.com ", 10000)}})
	})
	if !errors.Is(rerr, ErrBudget) {
		t.Fatalf("got %v, want an error wrapping ErrBudget", rerr)
	}
	if peak > 100<<20 {
		t.Errorf("heap grew by %d MB", peak>>20)
	}
}
