package condition

import "testing"

// BenchmarkEval measures typical conditions on a sales invoice row; the target is under 1 µs.
func BenchmarkEval(b *testing.B) {
	for _, bc := range []struct{ name, src string }{
		{"equality", `doc.status == "Unpaid"`},
		{"tuple and totals", `doc.status in ("Unpaid", "Overdue") and doc.grand_total > 40000 and doc.customer != ""`},
		{"truthiness", `doc.customer and not doc.is_return`},
		{"dates and frappe.utils", `doc.due_date <= nowdate() and frappe.utils.flt(doc.outstanding_amount, 2) > 0`},
	} {
		c, err := Compile(bc.src)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if ok, err := c.Eval(invoice, now); !ok || err != nil {
					b.Fatalf("%s = %v, %v", bc.src, ok, err)
				}
			}
		})
	}
}

func BenchmarkCompile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(`doc.status in ("Unpaid", "Overdue") and doc.grand_total > 40000 and doc.customer != ""`); err != nil {
			b.Fatal(err)
		}
	}
}
