package render

import "testing"

// TestUnparsedFormsKeepPositions: the forms gonja's parser cannot read (a run of signs, not
// not, adjacent strings, an empty raw block, line breaks in a tag's code) are rewritten without
// moving what follows them, so an error after them is reported where it is written.
func TestUnparsedFormsKeepPositions(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{`{{ --1 }}{{ 1 / 0 }}`, "line 1, column 10: {{ 1 / 0 }}: ZeroDivisionError: division by zero"},
		{`{{ not not 1 }}{{ 1 / 0 }}`, "line 1, column 16: {{ 1 / 0 }}: ZeroDivisionError: division by zero"},
		{`{{ "a" 'b' }}{{ 1 / 0 }}`, "line 1, column 14: {{ 1 / 0 }}: ZeroDivisionError: division by zero"},
		{`{% raw %}{% endraw %}{{ 1 / 0 }}`, "line 1, column 22: {{ 1 / 0 }}: ZeroDivisionError: division by zero"},
		{"{{ not not 1 }}\n{{ - -1 + [ }}", "line 2, column 13: expected either a number, string, keyword or identifier."},
		// Line breaks in a tag's code keep the lines' numbers, and the columns of a line that
		// starts with white space.
		{"{% set x =\ndoc.qty %}\n  {{ 1 / 0 }}", "line 3, column 3: {{ 1 / 0 }}: ZeroDivisionError: division by zero"},
		{"{%\n  set x = [\n  1,\n  2] %}{{ 1 / 0 }}", "line 4, column 8: {{ 1 / 0 }}: ZeroDivisionError: division by zero"},
		{"{% if 1 and\n  2 %}\n{{ 1 / 0 }}{% endif %}", "line 3, column 1: {{ 1 / 0 }}: ZeroDivisionError: division by zero"},
	} {
		tpl, err := Compile(tc.src)
		if err == nil {
			_, err = tpl.Render(Data{Doc: map[string]any{}})
		}
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: %v, want %s", tc.src, err, tc.want)
		}
	}
}
