package render

import "testing"

// TestListMethodsLeaveTheDocumentAsItWas: the notifications of one change render on one
// document; a template that sorts, reverses or appends to the document's lists changes its own
// copy only, so the next template reads the document as it came.
func TestListMethodsLeaveTheDocumentAsItWas(t *testing.T) {
	items := make([]any, 3, 8) // spare room, as decoded JSON has
	items[0], items[1], items[2] = "c", "a", "b"
	doc := map[string]any{"tags": items}
	changer := `{% set l = doc.tags %}{% set _ = l.sort() %}{% set _ = l.append("x") %}{% set _ = l.reverse() %}{% set m = doc.tags %}{% set _ = m.append("y") %}{{ l }} {{ m }}`
	if got := mustRender(t, changer, Data{Doc: doc}); got != "['x', 'c', 'b', 'a'] ['c', 'a', 'b', 'y']" {
		t.Errorf("the changing template: %s", got)
	}
	if got := mustRender(t, `{{ doc.tags }} {{ doc.tags|length }}`, Data{Doc: doc}); got != "['c', 'a', 'b'] 3" {
		t.Errorf("the next template read the document as %s", got)
	}
	if got := items[:4][3]; got != nil {
		t.Errorf("an append wrote %v into the document's spare room", got)
	}
}

// TestASecondNameForAListIsACopy: appends through two names of one list each keep their own
// items (the README's documented difference), even where the list has room to grow in place.
func TestASecondNameForAListIsACopy(t *testing.T) {
	src := `{% set a = [] %}{% for i in range(3) %}{% set _ = a.append(i) %}{% endfor %}{% set b = a %}{% set _ = a.append("a") %}{% set _ = b.append("b") %}{{ a }} {{ b }}`
	if got := mustRender(t, src, Data{}); got != "[0, 1, 2, 'a'] [0, 1, 2, 'b']" {
		t.Errorf("got %s", got)
	}
}
