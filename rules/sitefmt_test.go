package rules

import (
	"strconv"
	"testing"
	"time"

	"walnotify/render"
	"walnotify/rules/condition"
)

// The frappe.utils functions that write with the site's settings give a condition the text a
// template prints for the same call, on the same site, as both take the site from Site.
func TestConditionsFormatAsTemplates(t *testing.T) {
	doc := map[string]any{
		"doctype": "Sales Invoice", "name": "SINV-1 & <2>", "grand_total": 45000.5, "rate": 2.125, "due_date": "2026-12-31",
		"modified": "2026-12-31 14:05:09", "creation": "2026-11-20 08:00:00", "remarks": nil, "text": "1,234.5",
	}
	calls := []string{
		`frappe.utils.fmt_money(doc.grand_total)`, `frappe.utils.fmt_money(doc.grand_total, currency="EUR")`,
		`frappe.utils.fmt_money(doc.grand_total, 0)`, `frappe.utils.fmt_money(doc.rate, 3, "USD")`, `frappe.utils.fmt_money(doc.rate)`,
		`frappe.utils.fmt_money(doc.text, format="#,##,###.##")`, `frappe.utils.fmt_money(doc.remarks)`, `frappe.utils.fmt_money(-0.001, 4)`,
		`frappe.utils.formatdate(doc.due_date)`, `frappe.utils.format_date(doc.modified, "full")`, `frappe.utils.formatdate(doc.remarks)`,
		`frappe.utils.format_datetime(doc.modified)`, `frappe.utils.format_datetime(doc.modified, "medium")`,
		`frappe.utils.global_date_format(doc.due_date)`, `frappe.utils.global_date_format(None, "short")`, `frappe.format_date(doc.modified)`,
		`frappe.utils.pretty_date(doc.creation)`, `frappe.utils.pretty_date(doc.modified)`,
		`frappe.utils.get_url()`, `frappe.get_url("app/todo")`, `frappe.utils.get_url_to_form(doc.doctype, doc.name)`,
		`frappe.utils.get_url_to_list(doc.doctype)`, `frappe.utils.get_link_to_form(doc.doctype, doc.name, "open")`,
	}
	precision := 3
	sites := map[string]Site{
		"default":                                {URL: "https://erp.example.com/"},
		"French":                                 {URL: "https://erp.example.fr", Language: "fr", NumberFormat: "# ###,##", DateFormat: "dd/mm/yyyy", TimeFormat: "HH:mm"},
		"#.###,## and a currency precision of 3": {NumberFormat: "#.###,##", DateFormat: "mm-dd-yyyy", CurrencyPrecision: &precision},
	}
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	for name, site := range sites {
		for _, call := range calls {
			t.Run(name+"/"+call, func(t *testing.T) {
				tpl, err := render.Compile("{{ " + call + " }}")
				if err != nil {
					t.Fatal(err)
				}
				printed, err := tpl.Render(render.Data{Doc: doc, Now: now, Format: render.Plain, Site: site.Render()})
				if err != nil {
					t.Fatal(err)
				}
				cond, err := condition.Compile(call + " == " + strconv.Quote(printed))
				if err != nil {
					t.Fatal(err)
				}
				cfg := &Config{Site: site}
				cfg.Site.Location = time.UTC
				if ok, err := cond.Evaluate(cfg.ConditionInput(doc, nil, now, nil)); !ok || err != nil {
					t.Errorf("the template prints %q; the condition's value differs (%v)", printed, err)
				}
			})
		}
	}
}
