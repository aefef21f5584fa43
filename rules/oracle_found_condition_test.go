package rules

import "testing"

// foundConditionCases are the mismatches the generated conditions found
// (oracle_gen_condition_test.go), each the smallest condition that shows it: fixed in
// walnotify, or documented in the README as a difference (differs set).
var foundConditionCases = []oracleCase{
	{"a list's count and index", "condition", `doc.tags.split(",").count("vip") == 1 and ["a", "b", "a"].count("a") == 2 and (1, 2.0, 1).count(2) == 1 and doc.items[0:1].count(doc.items[0]) == 1 and ["a", "b"].index("b") == 1 and [1, 2, 3, 2].index(2, 2) == 3 and [1, 2, 3].index(3, -1) == 2 and [1, 2, 3].index(1, -10, 1) == 0`, invoice, nil},
	{"a list's index of what it does not hold", "condition", `["a", "b"].index("z") == 0`, invoice, nil},
	{"a list's index past its end", "condition", `[1, 2, 3].index(1, 1) == 0`, invoice, nil},
	{"a list's count of two", "condition", `[1].count(1, 2) == 0`, invoice, nil},
	{"a power with a half exponent", "condition", `"%r %r %r %r" % (2 ** 1.5, 0.5 ** -0.5, 3 ** -2.5, doc.grand_total ** 0.5) == "2.8284271247461903 1.4142135623730951 0.06415002990995841 212.1332128639926"`, invoice, nil},
	{"a power with a half exponent, in a template", "template", `{{ 2 ** 1.5 }} {{ 0.5 ** -0.5 }} {{ 3 ** -2.5 }} {{ 1.05 ** 10 }} {{ (1 + doc.rate / 100) ** 2.5 }}`, invoice, nil},
	{"a tuple's slice is a list, one argument to %", "condition", `("%s-%s" % (doc.name, doc.qty)[:2]) == "SINV-2026-00042-3"`, invoice, documented(refused)},
	{"split without a separator keeps the rest's far white space", "condition", `" hello world ".split(None, 1) == ["hello", "world "] and " a b".rsplit(None, 1) == [" a", "b"] and "  a  ".split(None, 0) == ["a  "] and "a b ".split(None, 2) == ["a", "b"] and " a b ".rsplit(maxsplit=1) == [" a", "b"]`, invoice, nil},
	{"split without a separator keeps the rest's far white space, in a template", "template", `{{ " hello world ".split(None, 1)[1] }}|{{ " a b".rsplit(None, 1)[0] }}|`, invoice, nil},
	{"an items view equal to a keys view hashes its first item", "condition", `{"a": [1], "b": 2}.items() != {"a": 1, "b": 2}.keys()`, invoice, nil},
	{"an items view's first item hashable is simply no key", "condition", `{"a": 1, "b": [2]}.items() != {"a": 1, "b": 2}.keys() and {"a": 1}.keys() != {"a": [1]}.items() and {"a": [1]}.items() == {"a": [1]}.items()`, invoice, nil},
	{"a JSON column's object has no keys view", "condition", `"source" in doc.meta.keys()`, withMeta, documented(refused)},
	{"a JSON column's object prints its keys sorted", "condition", `"%r" % (doc.meta,) == "{'source': 'web', 'priority': 2}"`, withMeta, documented("false")},
	// Found by hand, with conditions written as admins write them.
	{"a bitwise operator is refused at load", "condition", `doc.qty & 1 or ~doc.is_return == -1`, invoice, documented(refused)},
	{"a chained assignment is refused at load", "condition", "total = count = 0\nfor row in doc.items:\n    total += row.qty\nreturn total > count", invoice, documented(refused)},
	{"in_words on a site whose language is pt_BR is num2words' Brazilian Portuguese", "condition", `frappe.utils.in_words(16) == "dezesseis" and frappe.utils.money_in_words(1200.17, "BRL") == "BRL Mil, Duzentos and Dezessete Cent only."`, `{"__language": "pt_BR"}`, nil},
	{"frappe.format_value in a condition, as Frappe 16 gives it", "condition", `frappe.format_value(doc.grand_total, {"fieldtype": "Currency", "options": "currency"}, doc) == "€ 45,000.50" and frappe.format_value(doc.grand_total, "Currency") == "$ 45,000.50" and frappe.format_value(doc.due_date, "Date") == "31-12-2026" and frappe.format_value(12.345, "Percent") == "12.35%" and frappe.format_value("a\nb", "Small Text") == "a<br>b"`, withCurrency, nil},
	{"frappe.format is refused, as the ERP's safe_eval refuses the attribute format", "condition", `frappe.format(doc.qty) == 3`, invoice, nil},
	{"frappe.format_value without a field type guesses it from the value", "condition", `frappe.format_value(1234.5) == "1,234.50" and frappe.format_value(1234.125) == "1,234.125" and frappe.format_value(40000.0, "Float") == "40,000" and frappe.format_value(3) == 3 and frappe.format_value(doc.remarks) == ""`, invoice, nil},
	{"frappe.format_value of None for a number or an empty Datetime", "condition", `frappe.format_value(None, "Currency") == "0.00" and frappe.format_value(None, "Float") == "0" and frappe.format_value(None, "Percent") == "0.0%" and frappe.format_value(None, "Datetime") is None`, invoice, nil},
	{"frappe.format_value of a Duration and a Time", "condition", `frappe.format_value(93784, "Duration") == "1d 2h 3m 4s" and frappe.format_value(93784, {"fieldtype": "Duration", "hide_days": 1}) == "26h 3m 4s" and frappe.format_value("09:05", "Time") == "09:05:00"`, invoice, nil},
	{"frappe.format_value writes a zero marked print_hide_if_no_value", "condition", `frappe.format_value(0, {"fieldtype": "Currency", "print_hide_if_no_value": 1}) == ""`, invoice, documented("false")},
	{"frappe.format_value of a number as Text is a TypeError", "condition", `frappe.format_value(5, "Text") == "5"`, invoice, nil},
	{"int with a base", "condition", `int("0x1f", 16) == 31 and int(" -ff ", 16) == -255 and int("0b101", 0) == 5 and int("17", base=8) == 15 and long("z", 36) == 35`, invoice, nil},
	{"int of a leading zero in base 0 is a ValueError", "condition", `int("010", 0) == 10`, invoice, nil},
	{"a document has no len()", "condition", `len(doc) > 0`, invoice, nil},
	{"a date's replace with keywords", "condition", `frappe.utils.getdate(doc.due_date).replace(day=1) == frappe.utils.get_first_day(doc.due_date) and frappe.utils.getdate(doc.due_date).replace(year=2027, month=7).month == 7 and frappe.utils.get_datetime("2026-12-31 10:20:30").replace(hour=0, second=1).second == 1`, invoice, nil},
	{"a date's replace to a day its month lacks is a ValueError", "condition", `frappe.utils.getdate(doc.due_date).replace(month=2).day == 28`, invoice, nil},
	{"startswith and endswith with a start and an end", "condition", `doc.customer.startswith("Co", -2) and doc.customer.endswith("Acme", 0, 4) and "abc".startswith(("x", "b"), 1) and not "abc".startswith("", 4)`, invoice, nil},
	{"a text's named escape is refused at load", "condition", `"\N{BULLET}" == "•"`, invoice, documented(refused)},
	{"a bytes literal is refused at load", "condition", `b"x" != "x"`, invoice, documented(refused)},
	{"a missing field by key is None", "condition", `doc["missing"] is None`, invoice, documented("true")},
	{"a negative number to a fractional power is a ValueError", "condition", `(-8) ** (1 / 3) != 0`, invoice, documented(refused)},
	{"fmt_money, formatdate and format_datetime as the ERP's on an English site", "condition", `frappe.utils.fmt_money(1234567.891) == "1,234,567.89" and frappe.utils.fmt_money(0.125, 3) == "0.125" and frappe.utils.fmt_money("1234.567", format="#.###,##") == "1.234,57" and frappe.utils.fmt_money(-0.5, 0) == "0" and frappe.utils.fmt_money(2.5, 3, "EUR") == "€ 2.50" and frappe.utils.formatdate(doc.due_date) == "31-12-2026" and frappe.utils.format_datetime("2026-12-31 09:05:00") == "31-12-2026 09:05:00"`, withCurrency, nil},
	{"a JSON column's keys read as attributes", "condition", `doc.meta.source == "web"`, withMeta, documented("true")},
	{"a power to a third is rounded once", "condition", `8 ** (1 / 3) == 2 and "%r %r" % (1.05 ** (30 / 365), 45000.5 ** 0.75) == "1.004018201891975 3089.676462914216"`, invoice, nil},
	{"int() is 0", "condition", `int() == 0 and long() + 1 == 1`, invoice, nil},
	{"a bare today() is nowdate()", "condition", `today() == nowdate()`, invoice, documented("true")},
	{"an expression is read NFKC-normalised, as safe_eval reads it", "condition", `doc.status == "Ｕｎｐａｉｄ" and "m²" == "m2" and ｄｏｃ.qty == ３`, invoice, nil},
	{"statements are read as written", "condition", "x = \"ｆｕｌｌ\"\nreturn x != \"full\"", invoice, nil},
	{"long is int, as the ERP's safe_eval gives it", "condition", `long(doc.grand_total) == 45000 and long("7") + long(doc.rate) == 9`, invoice, nil},
}

// withCurrency is a document in euros on a site whose currency is the dollar, with the symbols
// of their Currency records.
const withCurrency = `{"doctype": "Sales Invoice", "name": "SINV-1", "grand_total": 45000.5, "currency": "EUR", "due_date": "2026-12-31",
	"__currency": "USD", "__currencies": {"EUR": {"symbol": "€"}, "USD": {"symbol": "$"}}}`

// withMeta is a document with a JSON column, meta, whose keys are not in alphabetical order.
const withMeta = `{"doctype": "Sales Invoice", "name": "SINV-1", "meta": {"source": "web", "priority": 2}}`

// TestOracleFoundConditionsAgreeWithTheERP runs the found cases as TestOracleAgreesWithTheERP
// runs its own.
func TestOracleFoundConditionsAgreeWithTheERP(t *testing.T) {
	results := runOracle(t, foundConditionCases)
	for i, c := range foundConditionCases {
		t.Run(c.kind+"/"+c.name, func(t *testing.T) {
			compareWithTheERP(t, c, results[i])
		})
	}
}
