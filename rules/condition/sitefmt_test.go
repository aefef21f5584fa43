package condition

import (
	"strings"
	"testing"
	"time"

	"walnotify/internal/sitefmt"
)

// formatted is the document of render's TestHelpers, whose values these tests give the
// conditions: each expression compares a function's value with what the template prints for
// the same call.
var formatted = map[string]any{
	"doctype": "Purchase Order", "name": "PUR-ORD-2024-0001", "amount": 1234567.891, "negative": -1500.0,
	"text_amount": "1,234.5", "date": "2024-01-05", "modified": "2024-01-05 14:03:07.123456", "qty": 2.5,
	"count": int64(1200), "status": "Draft", "currency": "USD", "nothing": nil,
}

// fmt_money, formatdate, format_datetime, global_date_format and the site's addresses give
// conditions what they give templates (render's TestHelpers, same calls, same values).
func TestSiteFunctionsAreTheTemplates(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	late := time.Date(2024, 3, 1, 23, 30, 0, 0, time.UTC).In(paris) // already March 2nd in Paris
	in := Input{Doc: formatted, Now: late, Formats: sitefmt.Site{URL: "https://erp.example.com"}}
	trueWith(t, in, []string{
		`frappe.utils.get_url_to_form(doc.doctype, doc.name) == "https://erp.example.com/app/purchase-order/PUR-ORD-2024-0001"`,
		`frappe.utils.get_url_to_form("Sales Invoice") == "https://erp.example.com/app/sales-invoice"`,
		`frappe.utils.get_url_to_form(name="X/1 #2", doctype="ToDo") == "https://erp.example.com/app/todo/X%2F1%20%232"`,
		`frappe.utils.get_link_to_form(doc.doctype, doc.name, "open it") == '<a href="https://erp.example.com/app/purchase-order/PUR-ORD-2024-0001">open it</a>'`,
		`frappe.utils.get_link_to_form(doc.doctype, doc.name) == '<a href="https://erp.example.com/app/purchase-order/PUR-ORD-2024-0001">PUR-ORD-2024-0001</a>'`,
		`frappe.utils.get_link_to_form(doctype="ToDo", name="A&B <1>", label=None) == '<a href="https://erp.example.com/app/todo/A%26B%20%3C1%3E">A&B <1></a>'`,
		`frappe.utils.get_url() == "https://erp.example.com" and frappe.get_url("/app/todo") == "https://erp.example.com/app/todo" and frappe.utils.get_url(uri="x") == "https://erp.example.com/x"`,
		`frappe.utils.get_url_to_list("Sales Invoice") == "https://erp.example.com/app/sales-invoice" and frappe.utils.get_url_to_list("A&B <1>") == "https://erp.example.com/app/a%26b-%3C1%3E"`,
		`frappe.utils.formatdate(doc.date) == "05-01-2024"`,
		`frappe.utils.formatdate(doc.date, "mm-dd-yyyy") == "01-05-2024" and frappe.utils.formatdate(doc.date, "yyyy-mm-dd") == "2024-01-05"`,
		`frappe.utils.formatdate(doc.date, "dd/mm/yyyy") == "05/01/2024" and frappe.utils.formatdate(doc.date, "dd.mm.yyyy") == "05.01.2024"`,
		`frappe.utils.formatdate(doc.date, "medium") == "Jan 5, 2024" and frappe.utils.format_date(doc.date, "long") == "January 5, 2024"`,
		`frappe.utils.format_date(doc.date, "full") == "Friday, January 5, 2024"`,
		`frappe.utils.formatdate(doc.date, "d MMM yyyy 'week'") == "5 Jan 2024 week"`,
		`frappe.utils.formatdate(doc.modified) == "05-01-2024" and frappe.utils.formatdate(string_date=doc.date, format_string="dd.mm.yyyy") == "05.01.2024"`,
		`frappe.utils.formatdate(doc.nothing) == "" and frappe.utils.formatdate("") == "" and frappe.utils.formatdate() == ""`,
		`frappe.utils.format_datetime(doc.modified) == "05-01-2024 14:03:07"`,
		`frappe.utils.format_datetime(doc.modified, "dd/MM/yyyy HH:mm") == "05/01/2024 14:03"`,
		`frappe.utils.format_datetime(doc.modified, "medium") == "Jan 5, 2024, 2:03:07 PM"`,
		`frappe.utils.format_datetime(doc.nothing) == "" and frappe.utils.format_datetime(datetime_string=doc.date) == "05-01-2024 00:00:00"`,
		`frappe.utils.fmt_money(doc.amount, currency="EUR") == "€ 1,234,567.89" and frappe.utils.fmt_money(doc.amount, currency="USD") == "$ 1,234,567.89"`,
		`frappe.utils.fmt_money(12.5, currency="GBP") == "£ 12.50" and frappe.utils.fmt_money(12.5, currency="INR") == "₹ 12.50" and frappe.utils.fmt_money(12.5, currency="CHF") == "CHF 12.50"`,
		`frappe.utils.fmt_money(1200, currency="JPY") == "¥ 1,200.00" and frappe.utils.fmt_money(12.5, currency="XYZ") == "XYZ 12.50"`,
		`frappe.utils.fmt_money(doc.amount) == "1,234,567.89" and frappe.utils.fmt_money(doc.amount, 0, "EUR") == "€ 1,234,568"`,
		`frappe.utils.fmt_money(doc.negative, currency="EUR") == "€ -1,500.00" and frappe.utils.fmt_money(doc.text_amount) == "1,234.50"`,
		`frappe.utils.fmt_money(doc.nothing) == "0.00" and frappe.utils.fmt_money(-0.001) == "0.00" and frappe.utils.fmt_money("abc") == "0.00" and frappe.utils.fmt_money(True) == "1.00"`,
		`frappe.utils.fmt_money(doc.amount, format="#.###,##") == "1.234.567,89" and frappe.utils.fmt_money(doc.amount, currency="INR", format="#,##,###.##") == "₹ 12,34,567.89"`,
		`frappe.utils.fmt_money(2.5, 3) == "2.50" and frappe.utils.fmt_money(2.125, 3) == "2.125" and frappe.utils.fmt_money(2.5, 3, "EUR") == "€ 2.50" and frappe.utils.fmt_money(3, 4) == "3.00"`,
		`frappe.utils.fmt_money(1.2345, 4) == "1.2345" and frappe.utils.fmt_money(1.2, 3, format="#,###.###") == "1.200" and frappe.utils.fmt_money(-2.5, 3) == "-2.50"`,
		`frappe.utils.fmt_money(amount=doc.qty, precision="1", currency=None, format=None) == "2.5" and frappe.utils.fmt_money(doc.qty, None, "") == "2.50"`,
		`frappe.utils.global_date_format(doc.date) == "January 5, 2024" and frappe.utils.global_date_format(doc.nothing, "medium") == "Mar 2, 2024"`,
		`frappe.utils.global_date_format(doc.modified, "d MMM, HH:mm") == "5 Jan, 00:00" and frappe.utils.global_date_format(date="2024-01-05", format="full") == "Friday, January 5, 2024"`,
		`frappe.utils.global_date_format(doc.date, None) == "" and frappe.format_date(doc.date) == "January 5, 2024"`,
		`frappe.bold(doc.name) == "<strong>PUR-ORD-2024-0001</strong>" and frappe.bold(doc.qty) == "<strong>2.5</strong>" and frappe.bold(None) == "<strong>None</strong>"`,
		`frappe.flt("1,5") == 15 and frappe.cint("7.9") == 7`,
	})
}

// pretty_date in the ERP's words, at 2024-03-15 10:30 (now, in the site's time zone).
func TestPrettyDate(t *testing.T) {
	trueWith(t, Input{Doc: formatted, Now: now}, []string{
		`frappe.utils.pretty_date("2024-03-15 10:29:30") == "just now" and frappe.utils.pretty_date("2024-03-15 10:28:30") == "1 minute ago"`,
		`frappe.utils.pretty_date("2024-03-15 10:00:00") == "30 minutes ago" and frappe.utils.pretty_date("2024-03-15 09:00:00") == "1 hour ago"`,
		`frappe.utils.pretty_date("2024-03-15 01:00:00") == "9 hours ago" and frappe.utils.pretty_date("2024-03-14 10:00:00") == "Yesterday"`,
		`frappe.utils.pretty_date("2024-03-10 10:30:00") == "5 days ago" and frappe.utils.pretty_date("2024-03-05 10:30:00") == "1 week ago"`,
		`frappe.utils.pretty_date("2024-02-20 10:30:00") == "3 weeks ago" and frappe.utils.pretty_date("2024-02-01 10:30:00") == "1 month ago"`,
		`frappe.utils.pretty_date("2023-10-15 10:30:00") == "5 months ago" and frappe.utils.pretty_date("2023-03-01 10:30:00") == "1 year ago"`,
		`frappe.utils.pretty_date("2020-01-01 00:00:00") == "4 years ago" and frappe.utils.pretty_date("2024-12-25 10:00:00") == "just now"`,
		`frappe.utils.pretty_date(None) == "" and frappe.utils.pretty_date("") == "" and frappe.utils.pretty_date(iso_datetime=doc.modified) == "2 months ago"`,
	})
}

// A French site: Babel's French names and formats, its number format and currency precision,
// the symbol after the amount (render's TestFrenchSite and TestSiteFormatsFromSystemSettings).
func TestSiteFunctionsOnAFrenchSite(t *testing.T) {
	doc := map[string]any{"due_date": "2026-12-31", "modified": "2026-12-31 14:05:09", "grand_total": 45000.5}
	french := sitefmt.Site{Language: "fr", NumberFormat: "# ###,##", DateFormat: "dd/mm/yyyy", TimeFormat: "HH:mm", CurrencyPrecision: 2}
	trueWith(t, Input{Doc: doc, Now: now, Formats: french}, []string{
		`frappe.utils.formatdate(doc.due_date, "d MMMM y") == "31 décembre 2026" and frappe.utils.formatdate(doc.due_date, "d MMM y") == "31 déc. 2026"`,
		`frappe.utils.formatdate(doc.due_date, "EEEE d MMMM y") == "jeudi 31 décembre 2026" and frappe.utils.formatdate(doc.due_date, "EEE d MMM") == "jeu. 31 déc."`,
		`frappe.utils.format_date(doc.due_date, "short") == "31/12/2026" and frappe.utils.format_date(doc.due_date, "medium") == "31 déc. 2026"`,
		`frappe.utils.format_date(doc.due_date, "long") == "31 décembre 2026" and frappe.utils.format_date(doc.due_date, "full") == "jeudi 31 décembre 2026"`,
		`frappe.utils.format_datetime(doc.modified, "short") == "31/12/2026 14:05" and frappe.utils.format_datetime(doc.modified, "medium") == "31 déc. 2026, 14:05:09"`,
		`frappe.utils.formatdate(doc.due_date) == "31/12/2026" and frappe.utils.format_datetime(doc.modified) == "31/12/2026 14:05"`,
		`frappe.utils.global_date_format(doc.due_date) == "31 décembre 2026" and frappe.utils.global_date_format(doc.due_date, "full") == "jeudi 31 décembre 2026"`,
		`frappe.utils.fmt_money(doc.grand_total, currency="EUR") == "45 000,50 €" and frappe.utils.fmt_money(1234.5) == "1 234,50"`,
	})
	// The site's number format #.###,## and a currency precision of 3.
	site := sitefmt.Site{NumberFormat: "#.###,##", CurrencyPrecision: 3}
	trueWith(t, Input{Doc: doc, Now: now, Formats: site}, []string{
		`frappe.utils.fmt_money(doc.grand_total) == "45.000,50" and frappe.utils.fmt_money(2.125, currency="EUR") == "€ 2,125" and frappe.utils.fmt_money(45000.6, 0) == "45.001"`,
		`frappe.utils.fmt_money(doc.grand_total, format="#,###.##") == "45,000.50"`,
	})
	// The default site: #,###.##, dd-mm-yyyy.
	trueWith(t, Input{Doc: doc, Now: now}, []string{
		`frappe.utils.fmt_money(doc.grand_total, currency="EUR") == "€ 45,000.50" and frappe.utils.formatdate(doc.due_date) == "31-12-2026"`,
	})
}

// Their errors: the template's messages, as Python's exceptions.
func TestSiteFunctionsFail(t *testing.T) {
	for _, c := range []struct{ src, err string }{
		{`frappe.utils.fmt_money(1, symbol="$") > ""`, `unexpected keyword argument`},
		{`frappe.utils.fmt_money(1, format="#") > ""`, `ValueError: unknown number format "#"`},
		{`frappe.utils.fmt_money() > ""`, `missing`},
		{`frappe.utils.formatdate("soon") > ""`, `ValueError: 'soon' is not a date (YYYY-MM-DD) or a timestamp`},
		{`frappe.utils.formatdate(5) > ""`, `ValueError: '5' is not a date`},
		{`frappe.utils.format_datetime("2024-13-01") > ""`, `ValueError`},
		{`frappe.utils.global_date_format(doc.status) > ""`, `ValueError: 'Draft' is not a date`},
		{`frappe.utils.pretty_date(doc.date) > ""`, `TypeError: unsupported operand type(s) for -: 'datetime.datetime' and 'datetime.date'`},
		{`frappe.utils.pretty_date(doc.qty) > ""`, `TypeError: unsupported operand type(s) for -: 'datetime.datetime' and 'float'`},
		{`frappe.utils.pretty_date("soon") > ""`, `TypeError: unsupported operand type(s) for -: 'datetime.datetime' and 'str'`},
		{`frappe.utils.get_url_to_form() > ""`, `missing`},
		{`frappe.utils.get_link_to_form("ToDo") > ""`, `missing`},
		{`frappe.utils.get_url(full_address=True) > ""`, `not supported`},
		{`frappe.bold > ""`, `frappe.bold must be called`},
		{`frappe.throw("x")`, `frappe.throw() is not supported`},
	} {
		t.Run(c.src, func(t *testing.T) {
			cond, err := Compile(c.src)
			if err == nil {
				_, err = cond.Evaluate(Input{Doc: formatted, Now: now})
			}
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("got %v; want an error with %q", err, c.err)
			}
		})
	}
}
