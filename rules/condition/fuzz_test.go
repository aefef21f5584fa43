package condition

import (
	"testing"
)

// No condition text can panic: whatever an admin writes is compiled to a program or refused
// with an *Error, and a program runs to a value or a run-time error, on every sample row, its
// reads of the ERP's tables answered by a fake (reads_test.go). A
// panic would stop the daemon when it loads or reloads its rules, or when a change arrives.
// `go test -fuzz FuzzCompileAndEval ./rules/condition` searches for one; without -fuzz the
// seeds run as a test.
func FuzzCompileAndEval(f *testing.F) {
	for _, seed := range []string{
		`doc.status == "Open"`, `doc.grand_total > 40000 and doc.customer`, `doc.status in ("Open", "Replied")`,
		`frappe.utils.flt(doc.amount, 2) > 0`, `len(doc.items) > 2 and doc.items[0].qty`, `"%s-%d" % (doc.status, doc.docstatus)`,
		`{"a": doc.name, "b": [1, 2]}.get("a")`, `f"{doc.name!r}-{doc.total}"`, `doc.name[::-1].split("-", 1)`,
		`frappe.utils.add_months(doc.due_date, 1) > nowdate()`, `(frappe.utils.getdate(doc.due_date) - frappe.utils.getdate(doc.posting_date)).days`,
		`doc.has_value_changed("status") or doc.get_doc_before_save()`, `1 if doc.x else 2 if doc.y else 3`, `-7 // 2 % 3 ** 2`,
		`frappe.db.get_value("Customer", {"name": doc.customer}, ["a", "b"], as_dict=True)`, `frappe.utils.has_common([1], (1,))`,
		`"a,b".rjust(8, "0").center(12).title().partition(",")`, `doc.items[1:10:2] == [] < [1]`,
		"n = len(doc.items)\nif n > 1:\n    n += 1\nelif doc.x: return 0\nelse:\n\tpass\nreturn n == 3",
		"if doc.a: b = 1\nreturn b; c = 2",
		"for i in doc.items:\n    for c in i.name:\n        if c == \"x\": return i.qty\nreturn None",
		"n = 0\nfor i in doc.items:\n    if i.qty: continue\n    n += i.qty\n    if n > 3: break\nreturn n",
		`[[c for c in d.item_code if c.isupper()] for d in doc.items if d.qty if d.rate > 1][0]`,
		"d = 1\nx = [d.qty for d in doc.items]\nreturn [y for y in x if y > d]",
	} {
		f.Add(seed)
	}
	rows := []map[string]any{ticket, invoice, creditNote, blank}
	f.Fuzz(func(t *testing.T, src string) {
		c, err := Compile(src)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Logf("%q: %T %v", src, err, err) // a compile error of expr's, not located: allowed, but noted
			}
			return
		}
		for _, row := range rows {
			c.EvalChange(row, ticket, now) //nolint:errcheck // only a panic matters here
		}
	})
}
