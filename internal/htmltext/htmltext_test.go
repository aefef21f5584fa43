package htmltext

import "testing"

func TestStripRemovesCommentsAndTagsAndKeepsEntities(t *testing.T) {
	for in, want := range map[string]string{
		"<div><p>Printer <b>on fire</b></p><!-- note --><br/>\nCall &amp; check <a\nhref='x'>here</a></div>": "Printer on fire\nCall &amp; check here",
		"a < b":                 "a < b",
		"a <!-- x > y --> b":    "a  b",
		"<!--\n--> a":           " a",
		"<<b>>":                 ">",
		"no tags":               "no tags",
		"unclosed <b":           "unclosed <b",
		"<p>Zoë</p> & <i>é</i>": "Zoë & é",
	} {
		if got := Strip(in); got != want {
			t.Errorf("Strip(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHasTagWantsSomethingBetweenTheBrackets(t *testing.T) {
	for in, want := range map[string]bool{
		"<b>x</b>": true, "a <br/> b": true, "<!-- c -->": true, "x <a\nhref='y'>": true,
		"<>": false, "a < b": false, "a > b < c": false, "": false, "3 <> 4": false,
	} {
		if got := HasTag(in); got != want {
			t.Errorf("HasTag(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestEscapeWritesTheFiveCharactersAsEntities(t *testing.T) {
	if got, want := Escape(`<b class="x">it's & more</b>`), "&lt;b class=&quot;x&quot;&gt;it&apos;s &amp; more&lt;/b&gt;"; got != want {
		t.Errorf("Escape = %q, want %q", got, want)
	}
}
