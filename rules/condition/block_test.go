package condition

import (
	"strings"
	"testing"
)

// The statements after an if are translated in each of its branches; a block whose
// translation would pass maxStatements is refused at load, not left to grow without bound.
func TestStatementsAfterManyIfsAreBounded(t *testing.T) {
	var src strings.Builder
	for i := range 10 { // 2^10 paths through ten ifs in a row
		src.WriteString("if doc.qty > " + string(rune('0'+i%10)) + ":\n    n = 1\n")
	}
	src.WriteString("return True")
	_, err := Compile(src.String())
	if err == nil || !strings.Contains(err.Error(), "too many statements after if statements") {
		t.Fatalf("ten ifs in a row: %v", err)
	}

	src.Reset()
	for range 6 { // 2^6 paths: well within
		src.WriteString("if doc.grand_total > 1:\n    n = 1\n")
	}
	src.WriteString("return n == 1 and doc.docstatus == 1")
	c, err := Compile(src.String())
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := c.Eval(invoice, now); !ok || err != nil {
		t.Errorf("six ifs in a row: %v, %v", ok, err)
	}
}

// A block reads the document's fields as an expression does: they are checked against the
// table's columns at load.
func TestStatementsReportTheFieldsTheyRead(t *testing.T) {
	c, err := Compile("total = doc.grand_total\nif doc.get(\"status\") == \"Unpaid\":\n    return total > doc.outstanding_amount\nreturn False")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.Fields(), ","); got != "grand_total,outstanding_amount,status" {
		t.Errorf("fields: %s", got)
	}
}

// The README's example of statements, as written there.
func TestTheREADMEsStatementsExample(t *testing.T) {
	c, err := Compile(`limit = 40000 if doc.currency == "EUR" else 45000
if doc.status == "Paid":
    return False
elif doc.customer_group == "Key accounts":
    limit /= 2
return doc.grand_total > limit`)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		doc  map[string]any
		want bool
	}{
		{map[string]any{"currency": "EUR", "status": "Unpaid", "customer_group": "Retail", "grand_total": 42000.0}, true},
		{map[string]any{"currency": "USD", "status": "Unpaid", "customer_group": "Retail", "grand_total": 42000.0}, false},
		{map[string]any{"currency": "USD", "status": "Unpaid", "customer_group": "Key accounts", "grand_total": 23000.0}, true},
		{map[string]any{"currency": "EUR", "status": "Paid", "customer_group": "Key accounts", "grand_total": 99000.0}, false},
	} {
		if got, err := c.Eval(tt.doc, now); got != tt.want || err != nil {
			t.Errorf("%v: %v, %v; want %v", tt.doc, got, err, tt.want)
		}
	}
}
