package render

import "testing"

// The ERP's Document.get, on the document and its child rows (maps with a doctype): a second
// argument by position is the default only when true, a dict of filters picks child rows.
func TestDocumentGetIsTheERPs(t *testing.T) {
	doc := map[string]any{"doctype": "Sales Invoice", "name": "S-1", "items": []any{
		map[string]any{"doctype": "Sales Invoice Item", "item_code": "A", "qty": int64(2), "uom": "Nos"},
		map[string]any{"doctype": "Sales Invoice Item", "item_code": "B", "qty": int64(1), "uom": "Box"},
		map[string]any{"doctype": "Sales Invoice Item", "item_code": "C", "qty": int64(5), "uom": "Nos"},
	}}
	for _, tc := range []struct{ src, want string }{
		{`{{ doc.get("nothing", 0) is none }} {{ doc.get("nothing", default=0) }} {{ doc.get("name", "x") }}`, "True 0 S-1"},
		{`{{ doc.items[0].get("nothing", "") is none }} {{ {"a": 1}.get("b", 0) }}`, "True 0"},
		{`{{ doc.get("items", {"uom": "Nos"})|map(attribute="item_code")|join }}`, "AC"},
		{`{{ doc.get("items", {"uom": "Nos", "qty": 5})|map(attribute="item_code")|join }}`, "C"},
		{`{{ doc.get("items", {"uom": "Nos"}, 1)|map(attribute="item_code")|join }} {{ doc.get("items", limit=2)|length }}`, "A 2"},
	} {
		if got := mustRender(t, tc.src, Data{Doc: doc}); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.src, got, tc.want)
		}
	}
	tpl, err := Compile(`{{ doc.get("items", {"qty": [">", 1]}) }}`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tpl.Render(Data{Doc: doc}); err == nil {
		t.Error("a filter with an operator: no error")
	}
}
