package sqltext

import "testing"

func TestLiteralDoublesQuotes(t *testing.T) {
	for in, want := range map[string]string{"": "''", "walnotify": "'walnotify'", "O'Brien": "'O''Brien'", `a\b`: `'a\b'`} {
		if got := Literal(in); got != want {
			t.Errorf("Literal(%q) = %s, want %s", in, got, want)
		}
	}
}
