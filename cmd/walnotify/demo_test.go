package main

import (
	"strings"
	"testing"
)

func TestDemoShowsEachStep(t *testing.T) {
	code, out, errOut := cli(t, "demo")
	if code != 0 {
		t.Fatalf("demo: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"│ • Customer: Boulangerie <Lemoine> & Fils",
		"[ Go to the document ] https://erp.example.com/app/issue/ISS-0001",
		"write-back: tabIssue ISS-0001 acknowledged = 1",
		"│ Ticket ISS-0001 is now *Replied*",
		"│ Draft invoice SINV-0001 for Atelier Girard saved (2 items)",
		"│ **Invoice SINV-0001 submitted**: € 12,345.60, due 31-12-2026",
		"│ 1. Consulting day × 10\n", "│ 2. ERP licence × 1\n", // frappe.format_value drops the .0 of a whole quantity
		"[ Document link ] https://erp.example.com/app/sales-invoice/SINV-0001",
		"│ Invoice SINV-0001 was cancelled",
		"│ *New urgent ticket* ISS-0003",
		"6 notifications delivered",
		"the throwaway database is removed",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	if strings.Contains(out, "ISS-0002") && strings.Contains(out, "*New urgent ticket* ISS-0002") {
		t.Error("a ticket that is not urgent was announced")
	}
	if t.Failed() {
		t.Logf("output:\n%s\nstderr:\n%s", out, errOut)
	}
}
