package render

import (
	"strings"
	"testing"
	"time"
)

// TestHelpers checks the ERP helpers against what the ERP prints.
func TestHelpers(t *testing.T) {
	doc := map[string]any{
		"doctype":     "Purchase Order",
		"name":        "PUR-ORD-2024-0001",
		"amount":      1234567.891,
		"negative":    -1500.0,
		"text_amount": "1,234.5",
		"date":        "2024-01-05",
		"modified":    "2024-01-05 14:03:07.123456",
		"qty":         2.5,
		"count":       int64(1200),
		"status":      "Draft",
		"currency":    "USD",
		"nothing":     nil,
		"items":       []any{map[string]any{"rate": 99.5}},
	}
	late := time.Date(2024, 3, 1, 23, 30, 0, 0, time.UTC) // already March 2nd in Paris
	tests := []struct {
		name, src, want string
	}{
		{"get_url_to_form slugs the doctype", `{{ frappe.utils.get_url_to_form(doc.doctype, doc.name) }}`, "https://erp.example.com/app/purchase-order/PUR-ORD-2024-0001"},
		{"get_url_to_form without a name", `{{ frappe.utils.get_url_to_form("Sales Invoice") }}`, "https://erp.example.com/app/sales-invoice"},
		{"get_url_to_form with keyword arguments", `{{ frappe.utils.get_url_to_form(name="X/1 #2", doctype="ToDo") }}`, "https://erp.example.com/app/todo/X%2F1%20%232"},
		{"get_link_to_form with a label", `{{ frappe.utils.get_link_to_form(doc.doctype, doc.name, "open it") }}`, `<a href="https://erp.example.com/app/purchase-order/PUR-ORD-2024-0001">open it</a>`},
		{"get_url", `{{ frappe.utils.get_url() }} {{ frappe.get_url("/app/todo") }}`, "https://erp.example.com https://erp.example.com/app/todo"},
		{"formatdate default is dd-mm-yyyy", `{{ frappe.utils.formatdate(doc.date) }}`, "05-01-2024"},
		{"formatdate mm-dd-yyyy", `{{ frappe.utils.formatdate(doc.date, "mm-dd-yyyy") }}`, "01-05-2024"},
		{"formatdate yyyy-mm-dd", `{{ frappe.utils.formatdate(doc.date, "yyyy-mm-dd") }}`, "2024-01-05"},
		{"formatdate dd/mm/yyyy", `{{ frappe.utils.formatdate(doc.date, "dd/mm/yyyy") }}`, "05/01/2024"},
		{"formatdate dd.mm.yyyy", `{{ frappe.utils.formatdate(doc.date, "dd.mm.yyyy") }}`, "05.01.2024"},
		{"formatdate medium", `{{ frappe.utils.formatdate(doc.date, "medium") }}`, "Jan 5, 2024"},
		{"format_date long", `{{ frappe.utils.format_date(doc.date, "long") }}`, "January 5, 2024"},
		{"format_date full", `{{ frappe.utils.format_date(doc.date, "full") }}`, "Friday, January 5, 2024"},
		{"formatdate with a Babel pattern", `{{ frappe.utils.formatdate(doc.date, "d MMM yyyy 'week'") }}`, "5 Jan 2024 week"},
		{"formatdate of a timestamp uses its date", `{{ frappe.utils.formatdate(doc.modified) }}`, "05-01-2024"},
		{"formatdate of NULL is empty", `[{{ frappe.utils.formatdate(doc.nothing) }}]`, "[]"},
		{"format_datetime default", `{{ frappe.utils.format_datetime(doc.modified) }}`, "05-01-2024 14:03:07"},
		{"format_datetime pattern", `{{ frappe.utils.format_datetime(doc.modified, "dd/MM/yyyy HH:mm") }}`, "05/01/2024 14:03"},
		{"format_datetime medium", `{{ frappe.utils.format_datetime(doc.modified, "medium") }}`, "Jan 5, 2024, 2:03:07 PM"},
		{"fmt_money EUR", `{{ frappe.utils.fmt_money(doc.amount, currency="EUR") }}`, "€ 1,234,567.89"},
		{"fmt_money USD", `{{ frappe.utils.fmt_money(doc.amount, currency="USD") }}`, "$ 1,234,567.89"},
		{"fmt_money GBP", `{{ frappe.utils.fmt_money(12.5, currency="GBP") }}`, "£ 12.50"},
		{"fmt_money INR", `{{ frappe.utils.fmt_money(12.5, currency="INR") }}`, "₹ 12.50"},
		{"fmt_money CHF", `{{ frappe.utils.fmt_money(12.5, currency="CHF") }}`, "CHF 12.50"},
		{"fmt_money JPY", `{{ frappe.utils.fmt_money(1200, currency="JPY") }}`, "¥ 1,200.00"},
		{"fmt_money unknown code", `{{ frappe.utils.fmt_money(12.5, currency="XYZ") }}`, "XYZ 12.50"},
		{"fmt_money without currency", `{{ frappe.utils.fmt_money(doc.amount) }}`, "1,234,567.89"},
		{"fmt_money precision", `{{ frappe.utils.fmt_money(doc.amount, 0, "EUR") }}`, "€ 1,234,568"},
		{"fmt_money negative", `{{ frappe.utils.fmt_money(doc.negative, currency="EUR") }}`, "€ -1,500.00"},
		{"fmt_money reads text", `{{ frappe.utils.fmt_money(doc.text_amount) }}`, "1,234.50"},
		{"fmt_money of NULL is zero", `{{ frappe.utils.fmt_money(doc.nothing) }}`, "0.00"},
		{"fmt_money rounds -0.001 to zero without a sign", `{{ frappe.utils.fmt_money(-0.001) }}`, "0.00"},
		{"fmt_money European format", `{{ frappe.utils.fmt_money(doc.amount, format="#.###,##") }}`, "1.234.567,89"},
		{"fmt_money Indian format", `{{ frappe.utils.fmt_money(doc.amount, currency="INR", format="#,##,###.##") }}`, "₹ 12,34,567.89"},
		{"flt reads text", `{{ frappe.utils.flt(doc.text_amount) + 1 }} {{ frappe.utils.flt("abc") }} {{ frappe.flt(doc.nothing) }}`, "1235.5 0.0 0.0"},
		{"flt rounds half up with a precision", `{{ frappe.utils.flt(2.675, 2) }} {{ frappe.utils.flt(0.125, 2) }} {{ frappe.utils.flt(2.5, 0) }}`, "2.68 0.13 2"},
		{"flt filter", `{{ "12.5"|flt + 1 }}`, "13.5"},
		// fmt_money above 2 decimals shows the fraction's own digits, at least the currency's
		// (2) or, without one, the number format's.
		{"fmt_money above 2 decimals", `{{ frappe.utils.fmt_money(2.5, 3) }}|{{ frappe.utils.fmt_money(2.125, 3) }}|{{ frappe.utils.fmt_money(2.5, 3, "EUR") }}|{{ frappe.utils.fmt_money(3, 4) }}|{{ frappe.utils.fmt_money(1.2345, 4) }}|{{ frappe.utils.fmt_money(1.2, 3, format="#,###.###") }}|{{ frappe.utils.fmt_money(-2.5, 3) }}`,
			"2.50|2.125|€ 2.50|3.00|1.2345|1.200|-2.50"},
		{"rounded as the ERP's default method", `{{ frappe.utils.rounded(doc.qty) }} {{ frappe.utils.rounded(doc.amount, 2) }} {{ frappe.utils.rounded(doc.count, precision=2) }} {{ frappe.utils.rounded(0.125, 2) }}`, "2 1234567.89 1200.0 0.13"},
		{"comma_and", `{{ frappe.utils.comma_and(["a", "b", "c"]) }}|{{ frappe.utils.comma_and([doc.status]) }}|{{ frappe.utils.comma_and([doc.qty, doc.nothing], add_quotes=False) }}|{{ frappe.utils.comma_and({"a": 1}) }}`, "'a', 'b' and 'c'|Draft|2.5 and None|{'a': 1}"},
		{"cint truncates", `{{ frappe.utils.cint("7.9") }} {{ frappe.utils.cint(doc.qty) }} {{ frappe.utils.cint("x") }} {{ frappe.cint(true) }} {{ frappe.utils.cint("1,234") }} {{ frappe.utils.cint("1_234") }}`, "7 2 0 1 0 1234"},
		{"cstr", `[{{ frappe.utils.cstr(doc.nothing) }}][{{ frappe.utils.cstr(doc.qty) }}]`, "[][2.5]"},
		{"nowdate and today in the site's time zone", `{{ nowdate() }} {{ frappe.utils.nowdate() }} {{ frappe.utils.today() }}`, "2024-03-02 2024-03-02 2024-03-02"},
		{"now_datetime", `{{ frappe.utils.now_datetime() }}`, "2024-03-02 00:30:00"},
		{"now", `{{ frappe.utils.now() }}`, "2024-03-02 00:30:00.000000"},
		{"nowtime", `{{ frappe.utils.nowtime() }}`, "00:30:00.000000"},
		{"get_datetime", `{{ frappe.utils.get_datetime() }} | {{ frappe.utils.get_datetime(doc.nothing) }} | {{ frappe.utils.get_datetime(doc.modified) }} | {{ frappe.utils.get_datetime(doc.date) }} | {{ frappe.utils.get_datetime("0000-00-00") is none }}`, "2024-03-02 00:30:00 | 2024-03-02 00:30:00 | 2024-01-05 14:03:07.123456 | 2024-01-05 00:00:00 | True"},
		{"global_date_format", `{{ frappe.utils.global_date_format(doc.date) }} | {{ frappe.utils.global_date_format(doc.nothing, "medium") }} | {{ frappe.utils.global_date_format(doc.modified, "d MMM, HH:mm") }}`, "January 5, 2024 | Mar 2, 2024 | 5 Jan, 00:00"},
		{"getdate", `{{ frappe.utils.getdate(doc.modified) }} {{ frappe.utils.getdate() }}`, "2024-01-05 2024-03-02"},
		{"add_days keeps a date a date", `{{ frappe.utils.add_days(doc.date, 30) }} {{ frappe.utils.add_days(doc.date, -5) }}`, "2024-02-04 2023-12-31"},
		{"add_days keeps a timestamp a timestamp", `{{ frappe.utils.add_days(doc.modified, 1) }}`, "2024-01-06 14:03:07.123456"},
		{"add_to_date", `{{ frappe.utils.add_to_date(doc.date, days=30) }} | {{ frappe.utils.add_to_date(doc.modified, months=1) }} | {{ frappe.utils.add_to_date(None, hours=1) }} | {{ frappe.utils.add_to_date(doc.nothing, days=1, as_string=True) }} | {{ frappe.utils.add_to_date(doc.date, minutes=90, as_datetime=1) }}`, "2024-02-04 | 2024-02-05 14:03:07.123456 | 2024-03-02 01:30:00 | 2024-03-03 | 2024-01-05 01:30:00.000000"},
		{"date_diff", `{{ frappe.utils.date_diff(nowdate(), doc.date) }}`, "57"},
		{"comparing a date with nowdate", `{{ "late" if doc.date < nowdate() }}`, "late"},
		{"get_formatted money", `{{ doc.get_formatted("amount") }}`, "$ 1,234,567.89"},
		{"get_formatted date", `{{ doc.get_formatted("date") }}`, "05-01-2024"},
		{"get_formatted timestamp", `{{ doc.get_formatted("modified") }}`, "05-01-2024 14:03:07"},
		{"get_formatted integer", `{{ doc.get_formatted("count") }}`, "1200"},
		{"get_formatted text", `{{ doc.get_formatted("status") }}`, "Draft"},
		{"get_formatted NULL", `[{{ doc.get_formatted("nothing") }}]`, "[]"},
		{"get_formatted child row uses the parent's currency", `{% for row in doc.items %}{{ row.get_formatted("rate", doc) }}{% endfor %}`, "$ 99.50"},
		{"get_formatted child row without currency", `{% for row in doc.items %}{{ row.get_formatted("rate") }}{% endfor %}`, "99.5"},
		{"underscore", `{{ _("Purchase Order") }} {{ _("Draft") }}`, "Purchase Order Draft"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustRender(t, tt.src, Data{Doc: doc, Site: Site{URL: "https://erp.example.com", Location: paris(t)}, Now: late})
			if got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestGetFormattedWithoutCurrencyGroupsDigits(t *testing.T) {
	got := mustRender(t, `{{ doc.get_formatted("a") }} {{ doc.get_formatted("b") }}`, Data{Doc: map[string]any{"a": 45000.5, "b": -1234567.0}})
	if got != "45,000.5 -1,234,567" {
		t.Errorf("got %q", got)
	}
}

func TestHelperArgumentErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"missing argument", `{{ frappe.utils.get_url_to_form() }}`, `get_url_to_form(): missing argument "doctype"`},
		{"unknown keyword", `{{ frappe.utils.fmt_money(1, symbol="$") }}`, `fmt_money(): unexpected keyword argument "symbol"`},
		{"too many arguments", `{{ frappe.utils.nowdate(1) }}`, `nowdate(): takes at most 0 arguments (1 given)`},
		{"rounded of a text", `{{ frappe.utils.rounded("12.5") }}`, `rounded(): TypeError: type str doesn't define __round__ method`},
		{"rounded of nan", `{{ frappe.utils.rounded(frappe.utils.flt("nan") * 1, 2) }}`, `rounded(): ValueError`},
		{"add_to_date past the year 9999", `{{ frappe.utils.add_to_date("2024-01-05", years=8000) }}`, `add_to_date(): OverflowError`},
		{"unknown number format", `{{ frappe.utils.fmt_money(1, format="#") }}`, `fmt_money(): unknown number format "#"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tpl, err := Compile(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			_, err = tpl.Render(Data{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
}

func TestSiteFormatsFromSystemSettings(t *testing.T) {
	french := Site{NumberFormat: "# ###,##", DateFormat: "dd/mm/yyyy", CurrencyPrecision: 2, Language: "fr"}
	d := Data{Doc: map[string]any{"grand_total": 45000.5, "due_date": "2026-12-31"}, Site: french}
	got := mustRender(t, `{{ frappe.utils.fmt_money(doc.grand_total, currency="EUR") }} {{ frappe.utils.formatdate(doc.due_date) }} {{ frappe.utils.fmt_money(1234.5) }}`, d)
	if want := "45 000,50 € 31/12/2026 1 234,50"; got != want {
		t.Errorf("French site: got %q, want %q", got, want)
	}
	d.Site = Site{}
	got = mustRender(t, `{{ frappe.utils.fmt_money(doc.grand_total, currency="EUR") }} {{ frappe.utils.formatdate(doc.due_date) }}`, d)
	if want := "€ 45,000.50 31-12-2026"; got != want {
		t.Errorf("default site: got %q, want %q", got, want)
	}
}

// A French site (language fr) gets Babel's French names and formats, as the ERP's formatdate
// and format_datetime print them (each want is Babel 2.10's format_date / format_datetime with
// locale "fr" on Debian's python3-babel), _() of the ERP's common words in French, and
// get_formatted with the site's number, date and time formats.
func TestFrenchSite(t *testing.T) {
	doc := map[string]any{
		"due_date": "2026-12-31", "modified": "2026-12-31 14:05:09", "grand_total": 45000.5,
		"qty": 1234.56789, "currency": "EUR", "items": []any{map[string]any{"rate": 99.5, "qty": 2.5, "weight": 1234.56789}},
	}
	french := Site{Language: "fr", NumberFormat: "# ###,##", DateFormat: "dd/mm/yyyy", TimeFormat: "HH:mm"}
	tests := []struct{ name, src, want string }{
		{"month names", `{{ frappe.utils.formatdate(doc.due_date, "d MMMM y") }} | {{ frappe.utils.formatdate(doc.due_date, "d MMM y") }}`, "31 décembre 2026 | 31 déc. 2026"},
		{"day names", `{{ frappe.utils.formatdate(doc.due_date, "EEEE d MMMM y") }} | {{ frappe.utils.formatdate(doc.due_date, "EEE d MMM") }}`, "jeudi 31 décembre 2026 | jeu. 31 déc."},
		{"named date formats", `{{ frappe.utils.format_date(doc.due_date, "short") }} | {{ frappe.utils.format_date(doc.due_date, "medium") }} | {{ frappe.utils.format_date(doc.due_date, "long") }} | {{ frappe.utils.format_date(doc.due_date, "full") }}`, "31/12/2026 | 31 déc. 2026 | 31 décembre 2026 | jeudi 31 décembre 2026"},
		{"named datetime formats", `{{ frappe.utils.format_datetime(doc.modified, "short") }} | {{ frappe.utils.format_datetime(doc.modified, "medium") }}`, "31/12/2026 14:05 | 31 déc. 2026, 14:05:09"},
		{"the site's date format", `{{ frappe.utils.formatdate(doc.due_date) }}`, "31/12/2026"},
		{"global_date_format", `{{ frappe.utils.global_date_format(doc.due_date) }} | {{ frappe.utils.global_date_format(doc.due_date, "full") }}`, "31 décembre 2026 | jeudi 31 décembre 2026"},
		{"the site's date and time formats", `{{ frappe.utils.format_datetime(doc.modified) }}`, "31/12/2026 14:05"},
		{"translated words", `{{ _("Draft") }}, {{ _("Cancelled") }}, {{ _("Yes") }}`, "Brouillon, Annulé, Oui"},
		{"an unknown text passes through", `{{ _("Invoice {0} is overdue").format("X") }}`, "Invoice X is overdue"},
		{"get_formatted money", `{{ doc.get_formatted("grand_total") }}`, "45 000,50 €"},
		{"get_formatted child row with the parent's currency", `{% for row in doc.items %}{{ row.get_formatted("rate", doc) }}{% endfor %}`, "99,50 €"},
		{"get_formatted number", `{% for row in doc.items %}{{ row.get_formatted("qty") }} {{ row.get_formatted("weight") }}{% endfor %}`, "2,5 1 234,568"},
		{"get_formatted date", `{{ doc.get_formatted("due_date") }} {{ doc.get_formatted("modified") }}`, "31/12/2026 31/12/2026 14:05"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustRender(t, tt.src, Data{Doc: doc, Site: french}); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
	// The same templates on an English site: English names, the text as written.
	english := mustRender(t, `{{ frappe.utils.formatdate(doc.due_date, "EEEE d MMMM y") }} {{ _("Draft") }} {{ doc.get_formatted("modified") }}`, Data{Doc: doc})
	if want := "Thursday 31 December 2026 Draft 31-12-2026 14:05:09"; english != want {
		t.Errorf("English site: got %q, want %q", english, want)
	}
}

// frappe.format_value (and frappe.format) formats a value as a form shows a field of the type
// df gives, as the ERP's does.
func TestFormatValueIsTheERPs(t *testing.T) {
	doc := map[string]any{"grand_total": 45000.5, "net_total": 40000.0, "currency": "USD", "due_date": "2026-12-31", "rate": 2.5,
		"pct": 12.345, "note": "a & b\nc", "html": "<p>a\nb</p>", "qty": int64(5), "remarks": nil}
	tests := []struct {
		name, src, want string
	}{
		{"currency in the site's currency", `{{ frappe.format_value(doc.grand_total, {"fieldtype": "Currency"}) }}`, "€ 45,000.50"},
		{"currency from the field its options name", `{{ frappe.format_value(doc.grand_total, {"fieldtype": "Currency", "options": "currency"}, doc) }}`, "$ 45,000.50"},
		{"currency given", `{{ frappe.format(doc.grand_total, {"fieldtype": "Currency"}, currency="GBP") }}`, "£ 45,000.50"},
		{"a whole float without decimals", `{{ frappe.format_value(doc.net_total, {"fieldtype": "Float"}) }}|{{ frappe.format_value(doc.net_total, "Float") }}`, "40,000|40,000"},
		{"a float with the site's precision or the field's", `{{ frappe.format_value(doc.rate, {"fieldtype": "Float"}) }}|{{ frappe.format_value(doc.rate, {"fieldtype": "Float", "precision": 1}) }}`, "2.50|2.5"},
		{"percent", `{{ frappe.format_value(doc.pct, {"fieldtype": "Percent"}) }}|{{ frappe.format_value(50, "Percent") }}`, "12.35%|50.0%"},
		{"date and datetime in the site's format", `{{ frappe.format_value(doc.due_date, {"fieldtype": "Date"}) }}|{{ frappe.format_value("2026-12-31 09:05:00", "Datetime") }}`, "31-12-2026|31-12-2026 09:05:00"},
		{"text's line breaks", `{{ frappe.format_value(doc.note, "Small Text") }}|{{ frappe.format_value(doc.html, "Text") }}`, "a &amp; b<br>c|&lt;p&gt;a\nb&lt;/p&gt;"},
		{"other types as they are, None as nothing", `{{ frappe.format_value(doc.qty, {"fieldtype": "Int"}) }}|{{ frappe.format_value(doc.remarks, "Data") }}|{{ frappe.format_value("x") }}`, "5||x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustRender(t, tt.src, Data{Doc: doc, Site: Site{Currency: "EUR"}, Format: HTML})
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// With the document types' fields (the ERP's DocField), get_formatted formats a value as the
// ERP's does for its field's type: a Float of a document with a currency is no money, a whole
// Float has no decimals, a child row's Currency takes its parent's currency.
func TestGetFormattedFollowsTheFieldsTypes(t *testing.T) {
	fields := Fields{
		"Sales Invoice": {"grand_total": {Type: "Currency", Options: "currency"}, "total_qty": {Type: "Float"}, "conversion_rate": {Type: "Float", Precision: "9"},
			"posting_date": {Type: "Date"}, "status": {Type: "Select"}, "discount": {Type: "Percent"}, "rounding": {Type: "Currency", Precision: "1"}},
		"Sales Invoice Item": {"amount": {Type: "Currency", Options: "currency"}, "qty": {Type: "Float"}},
	}
	doc := map[string]any{"doctype": "Sales Invoice", "currency": "USD", "grand_total": 45000.5, "total_qty": 3.0, "conversion_rate": 1.0,
		"posting_date": "2026-11-01", "status": "Paid", "discount": 12.5, "rounding": 0.25, "modified": "2026-11-20 17:45:00", "docstatus": int64(1),
		"items": []any{map[string]any{"doctype": "Sales Invoice Item", "amount": 21.0, "qty": 2.5}}}
	tests := []struct {
		name, src, want string
	}{
		{"currency in the document's currency", `{{ doc.get_formatted("grand_total") }}|{{ doc.get_formatted("grand_total", currency="GBP") }}`, "$ 45,000.50|£ 45,000.50"},
		{"a whole float without decimals, even beside a currency", `{{ doc.get_formatted("total_qty") }}|{{ doc.get_formatted("conversion_rate") }}`, "3|1"},
		// No options: the site's currency; rounded as Python's round (0.25 is a tie: to even).
		{"a field's precision", `{{ doc.get_formatted("rounding") }}`, "€ 0.2"},
		{"dates, selects and percents", `{{ doc.get_formatted("posting_date") }}|{{ doc.get_formatted("status") }}|{{ doc.get_formatted("discount") }}`, "01-11-2026|Paid|12.5%"},
		{"standard fields", `{{ doc.get_formatted("modified") }}|{{ doc.get_formatted("docstatus") }}|{{ doc.get_formatted("nothing") }}`, "20-11-2026 17:45:00|1|"},
		{"a child row's currency is its parent's", `{% for i in doc.items %}{{ i.get_formatted("amount") }}|{{ i.get_formatted("amount", doc) }}|{{ i.get_formatted("qty") }}{% endfor %}`, "$ 21.00|$ 21.00|2.50"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustRender(t, tt.src, Data{Doc: doc, Fields: fields, Site: Site{Currency: "EUR"}}); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	// Without the fields, the value's own type decides, as before: a float beside a currency is money.
	if got := mustRender(t, `{{ doc.get_formatted("total_qty") }}`, Data{Doc: doc}); got != "$ 3.00" {
		t.Errorf("without fields: %q", got)
	}
}

// frappe.session.user is the ERP's session user, who made the change: the document's
// modified_by, escaped as the document's values are; the rest of the session is not there.
func TestSessionUserIsWhoMadeTheChange(t *testing.T) {
	doc := map[string]any{"owner": "ann@example.com", "modified_by": "<bob>@example.com"}
	got := mustRender(t, `{{ frappe.session.user }}|{{ frappe.session.user == doc.owner }}|{% if frappe.session.user != doc.owner %}edited by another{% endif %}`, Data{Doc: doc, Format: Slack})
	if want := "&lt;bob&gt;@example.com|False|edited by another"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := Compile(`{{ frappe.session.sid }}`); err == nil || !strings.Contains(err.Error(), "frappe.session is not available") {
		t.Errorf("frappe.session.sid: %v", err)
	}
}
