package erpimport

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// Whatever text an ERP record holds (a template with quotes, backslashes, triple quotes, line
// breaks, control characters), the configuration written for it reads back as that text.
func TestQuotedTextReadsBackAsWritten(t *testing.T) {
	pieces := []string{"a", "é", "{{ doc.name }}", "'", "''", "'''", `"`, `"""`, `\`, `\n`, "\n", "\r\n", "\r",
		"\t", "\x00", "\x01", "\x1f", "\x7f", "\u0085", "\u2028", "#", "=", "[", "]", " ", "${X}", "😀"}
	rng := rand.New(rand.NewPCG(1, 2))
	cases := []string{"", "\n", "'\n'", "a\n'", "\n\nx", "x'''\ny"}
	for range 5000 {
		var b strings.Builder
		for range rng.IntN(8) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		cases = append(cases, b.String())
	}
	for _, s := range cases {
		if !utf8.ValidString(s) {
			continue
		}
		var got struct{ V string }
		if _, err := toml.Decode("v = "+quote(s)+"\n", &got); err != nil {
			t.Errorf("%q written as %s: %v", s, quote(s), err)
			continue
		}
		if got.V != s {
			t.Errorf("%q written as %s reads back as %q", s, quote(s), got.V)
		}
	}
}
