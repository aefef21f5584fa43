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
	{"long is int, as the ERP's safe_eval gives it", "condition", `long(doc.grand_total) == 45000 and long("7") + long(doc.rate) == 9`, invoice, nil},
}

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
