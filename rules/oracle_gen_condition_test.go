package rules

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The generated differential test for conditions: a fixed seed builds Python expressions from
// a small grammar of what admins write in a Notification's condition, and each runs through
// walnotify and through the ERP's eval (testdata/oracle.py). A condition is compared twice:
// its truth, and its value as Python's repr prints it (the oracle's "condition-repr": walnotify
// must find `"%r" % ((E),)` equal to the ERP's text), so `and`/`or` returning an operand, a
// float's digits and a text's quotes count, not only whether a message goes. Where the README
// documents a difference on purpose, the grammar does not go: each such place names the
// README's words.

// genConditionSeed and genConditionCount fix the generated set: the same conditions every run.
const (
	genConditionSeed  = 20261202
	genConditionCount = 2500
)

// genExtraSeed and genExtraCount fix a second set, of the shapes the first grammar does not
// write: f-strings and format specs, the rarer str methods, `is` with True and False, list
// order and slices with steps, Python's rounding and floor division of negative floats, the
// frappe.utils conversions of texts and None, timestamps, dict views.
const (
	genExtraSeed  = 20261203
	genExtraCount = 1000
)

// condGen builds one condition's expressions by kind: a number, a text, a list, a truth.
type condGen struct{ r *rand.Rand }

func (g *condGen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }

func (g *condGen) chance(n int) bool { return g.r.IntN(n) == 0 }

// num is an expression whose value is an int or a float (or, by `and`/`or`, one of them).
func (g *condGen) num(d int) string {
	if d <= 0 || g.chance(3) {
		return g.pick("doc.qty", "doc.grand_total", "doc.rate", "doc.net_total", "doc.neg", "doc.discount",
			"doc.is_return", "doc.big", "0", "1", "2", "3", "7", "10", "100", "-1", "0.5", "2.5", "1.005", "0.1",
			"1e3", "-0.0", "45000.5", "(0.1 + 0.2)", "2.675", "-7", "len(doc.items)", "len(doc.codes)", "len(doc.name)",
			"doc.items[0].qty", "doc.items[-1].rate", `doc.get("qty", 0)`, `doc.get("nothing", 5)`, "True", "False")
	}
	switch g.r.IntN(18) {
	case 0, 1:
		return g.num(d-1) + " " + g.pick("+", "-", "*") + " " + g.num(d-1)
	case 2:
		// A divisor that is never 0, so that most cases give a value.
		return "(" + g.num(d-1) + ") " + g.pick("/", "//", "%") + " " + g.pick("2", "3", "-4", "0.5", "7", "10", "-0.25", "0.1")
	case 3:
		if g.chance(3) {
			// A split without a separator that uses up its splits, on texts with white space
			// at both ends.
			return g.pick("doc.note", `" a b "`, "doc.note[1:-1]", `"x\ty  "`) + "." + g.pick("split", "rsplit") + "(None, " + g.pick("0", "1", "2") + ")"
		}
		if g.chance(4) {
			// A fractional power of a number never negative: Python's of a negative one is a
			// complex number, which "fails the notification, as in conditions".
			return "(" + g.pick("doc.rate", "2", "0.5", "10", "doc.grand_total") + ") ** " + g.pick("0.5", "-0.5", "1.5")
		}
		return "(" + g.pick("doc.qty", "doc.rate", "doc.discount", "2", "0.5", "-1", "10", "doc.net_total", "-2.5") + ") ** " + g.pick("0", "1", "2", "3", "-1")
	case 4:
		return "-(" + g.num(d-1) + ")"
	case 5:
		return g.pick("round", "int", "float") + "(" + g.num(d-1) + ")"
	case 6:
		return "round(" + g.num(d-1) + ", " + g.pick("0", "1", "2", "-1") + ")"
	case 7:
		return "frappe.utils." + g.pick("flt", "cint", "floor", "ceil") + "(" + g.pick(g.num(d-1), g.str(d-1)) + ")"
	case 8:
		return "frappe.utils.flt(" + g.num(d-1) + ", " + g.pick("0", "1", "2", "3") + ")"
	case 9:
		return "(" + g.num(d-1) + " if " + g.cond(d-1) + " else " + g.num(d-1) + ")"
	case 10:
		return "(" + g.num(d-1) + " " + g.pick("or", "and") + " " + g.num(d-1) + ")"
	case 11:
		return g.str(d-1) + "." + g.pick("find", "count", "rfind") + "(" + g.pick(`"a"`, `"-"`, `","`, `"o"`, `""`) + ")"
	case 12:
		return "len(" + g.pick(g.str(d-1), g.list(d-1)) + ")"
	case 13:
		return g.list(d-1) + "." + g.pick("count", "index") + "(" + g.pick(g.str(d-1), g.num(d-1)) + ")"
	case 14:
		return g.pick("int", "float") + "(" + g.pick(`"42"`, `" 7 "`, `"3.5"`, `"-0"`, `"1e3"`, `"x"`, "doc.code", `"1_000"`, "doc.items[0].qty") + ")"
	case 15:
		return "frappe.utils.rounded(" + g.num(d-1) + ", " + g.pick("0", "1", "2") + ")"
	case 16:
		return g.dict(d-1) + ".get(" + g.pick(`"a"`, `"b"`, `"z"`, "doc.status") + ", " + g.num(d-1) + ")"
	case 17:
		return "(frappe.utils.getdate(" + g.dateText() + ") - frappe.utils.getdate(" + g.dateText() + ")).days"
	}
	return "frappe.utils.date_diff(" + g.date() + ", " + g.date() + ")"
}

// date is a date as admins write one: a Date column, a text, nowdate(), a date function.
// Dates go into comparisons and date_diff only: printed, the ERP's is a datetime.date ("Dates
// are text ... everywhere").
func (g *condGen) date() string {
	if g.chance(2) {
		return g.dateText()
	}
	return g.dateValue()
}

// dateText is a date the ERP holds as a text; dateValue one it holds as a datetime.date. Only
// dates of one kind are compared: "In the ERP a date never equals a string; here it does".
func (g *condGen) dateText() string {
	return g.pick("doc.due_date", `"2026-11-20"`, "nowdate()", "frappe.utils.nowdate()",
		"frappe.utils.add_days(doc.due_date, "+g.pick("1", "-30", "0")+")",
		"frappe.utils.add_months(doc.due_date, "+g.pick("1", "-1", "12")+")")
}

func (g *condGen) dateValue() string {
	return "frappe.utils." + g.pick("getdate", "get_first_day", "get_last_day") + "(" + g.dateText() + ")"
}

// str is an expression whose value is a text.
func (g *condGen) str(d int) string {
	if d <= 0 || g.chance(3) {
		return g.pick("doc.name", "doc.customer", "doc.status", "doc.tags", "doc.note", "doc.title", `""`, `"abc"`,
			`"Open"`, `"it's"`, `"a\"b"`, `'x'`, `"Ünïcode"`, "doc.items[0].item_code", "doc.codes[0]", `doc.get("status")`,
			`(doc.remarks or "none")`, "frappe.utils.cstr(doc.remarks)", `"line\nbreak"`, `"tab\there"`)
	}
	switch g.r.IntN(13) {
	case 0:
		return g.str(d-1) + " + " + g.str(d-1)
	case 1:
		return g.str(d-1) + " * " + g.pick("0", "2", "3", "-1")
	case 2:
		return g.str(d-1) + "[" + g.pick("0", "-1", "1:", ":2", "::-1", "1:-1", "::2", "-3:") + "]"
	case 3:
		return g.str(d-1) + "." + g.pick("lower()", "upper()", "strip()", "title()", "capitalize()", "swapcase()", "casefold()", "lstrip()", "rstrip()")
	case 4:
		return g.str(d-1) + `.replace(` + g.pick(`"a"`, `"-"`, `" "`, `","`) + ", " + g.pick(`"_"`, `""`, `"AA"`) + ")"
	case 5:
		return g.str(d-1) + `.split(` + g.pick(`","`, `"-"`, `" "`, "") + ")[" + g.pick("0", "-1") + "]"
	case 6:
		// In parentheses: a slice after it would slice the tuple, which is a list here ("Sets
		// and tuples being lists").
		return `("%s-%s" % (` + g.any(d-1) + ", " + g.any(d-1) + "))"
	case 7:
		return `"{}/{}".format(` + g.any(d-1) + ", " + g.any(d-1) + ")"
	case 8:
		return "(" + g.str(d-1) + " if " + g.cond(d-1) + " else " + g.str(d-1) + ")"
	case 9:
		return g.str(d-1) + "." + g.pick("zfill", "center", "ljust", "rjust") + "(" + g.pick("0", "5", "12") + ")"
	case 10:
		return `", ".join(` + g.strList(d-1) + ")"
	case 11:
		return "(" + g.str(d-1) + " " + g.pick("or", "and") + " " + g.str(d-1) + ")"
	}
	if g.chance(3) {
		return "frappe.utils." + g.pick("strip_html", "escape_html", "cstr") + "(" + g.pick(g.str(d-1), `"<b>x</b> &amp; y"`, `"a < b"`) + ")"
	}
	if g.chance(3) {
		return `frappe.utils.comma_and(` + g.strList(d-1) + g.pick("", ", add_quotes=False") + ")"
	}
	return `("%` + g.pick("d", "s", ".2f", "05.1f", "r", "x", "e", "g", "+d", "10s", "-6s") + `" % (` + g.num(d-1) + ",))"
}

// any is a number, a text or a truth.
func (g *condGen) any(d int) string {
	switch g.r.IntN(3) {
	case 0:
		return g.num(d)
	case 1:
		return g.str(d)
	}
	return g.cond(d)
}

// strList is a list of texts; list is any list. Tuples are kept out of what is printed ("a
// tuple ... prints as a list").
func (g *condGen) strList(d int) string {
	if d <= 0 || g.chance(2) {
		return g.pick("doc.codes", `doc.tags.split(",")`, `["a", "b"]`, "[]", `doc.name.split("-")`, `[doc.status, doc.customer]`)
	}
	return g.pick(g.strList(d-1)+" + "+g.strList(d-1), g.strList(d-1)+"[1:]", g.strList(d-1)+"[::-1]", g.strList(d-1)+" * 2")
}

func (g *condGen) list(d int) string {
	if g.chance(2) {
		return g.strList(d)
	}
	return "[" + g.num(d-1) + ", " + g.num(d-1) + "]"
}

// dict is a dict written in the condition (text keys only: "a literal key that is not text
// ... is refused at load"), or the document's JSON column.
func (g *condGen) dict(d int) string {
	if d <= 0 || g.chance(2) {
		return g.pick(`{"a": 1, "b": 2.5}`, `{"Unpaid": 3, "Paid": 0}`, `{}`, `{"a": doc.qty, "a": "twice"}`, "doc.meta")
	}
	return "{" + g.pick(`"a"`, `"b"`, "doc.status") + ": " + g.any(d-1) + ", " + g.pick(`"z"`, `"Unpaid"`) + ": " + g.num(d-1) + "}"
}

// literalDict is a dict written in the condition, never the JSON column's object.
func (g *condGen) literalDict() string {
	for {
		if d := g.dict(1); !strings.Contains(d, "doc.meta") {
			return d
		}
	}
}

// cond is an expression whose value is a truth (or, by `and`/`or`, an operand).
func (g *condGen) cond(d int) string {
	if d <= 0 || g.chance(4) {
		return g.pick(`doc.status == "Unpaid"`, "doc.remarks is None", "doc.remarks is not None", "not doc.is_return",
			"doc.paid", `"vip" in doc.tags`, `doc.status in ("Unpaid", "Overdue")`, "(doc.items and len(doc.items) > 1)", "doc.codes",
			"True", "False", "None")
	}
	switch g.r.IntN(13) {
	case 0:
		return g.num(d-1) + " " + g.pick("<", "<=", ">", ">=", "==", "!=") + " " + g.num(d-1)
	case 1:
		return g.str(d-1) + " " + g.pick("==", "!=", "<", ">=") + " " + g.str(d-1)
	case 2:
		return g.str(d-1) + " " + g.pick("in", "not in") + " " + g.pick(g.str(d-1), g.strList(d-1))
	case 3:
		return "not (" + g.cond(d-1) + ")"
	case 4:
		return "(" + g.cond(d-1) + " " + g.pick("and", "or") + " " + g.any(d-1) + ")"
	case 5:
		return g.num(d-1) + " < " + g.num(d-1) + " " + g.pick("<", "<=", "==") + " " + g.num(d-1)
	case 6:
		return g.str(d-1) + "." + g.pick("startswith", "endswith") + "(" + g.pick(`"S"`, `"Un"`, `"2"`, `""`, `"eu"`) + ")"
	case 7:
		return g.str(d-1) + "." + g.pick("isdigit()", "isalpha()", "isupper()", "islower()", "istitle()", "isspace()", "isalnum()")
	case 8:
		return g.dateValue() + " " + g.pick("<", "<=", ">", "==", "!=") + " " + g.dateValue()
	case 9:
		return g.num(d-1) + " in " + g.list(d-1)
	case 10:
		return g.pick(`"a"`, "doc.status", `"source"`) + " " + g.pick("in", "not in") + " " + g.dict(d-1)
	case 11:
		return g.dict(d-1) + " " + g.pick("==", "!=") + " " + g.dict(d-1)
	}
	return g.dateText() + " " + g.pick("<", ">=", "==") + " " + g.dateText()
}

// expression is one generated condition: mostly a truth, else a value printed by repr. A
// child table's rows go only where they are not printed (the ERP prints a row by its address).
func (g *condGen) expression() string {
	if g.chance(20) {
		return "doc.items " + g.pick("and", "or") + " " + g.cond(2)
	}
	if g.chance(6) {
		return g.block()
	}
	switch g.r.IntN(4) {
	case 0:
		return g.num(3)
	case 1:
		return g.str(3)
	}
	return g.cond(3)
}

// block is a condition of statements, as Dokos runs them (the body of a function): names
// assigned, an if, a loop over a child table or a list that sums, counts or stops, a return.
func (g *condGen) block() string {
	var b strings.Builder
	b.WriteString("n = " + g.num(1) + "\ns = " + g.str(1) + "\n")
	switch g.r.IntN(3) {
	case 0:
		b.WriteString("for row in doc.items:\n    n " + g.pick("+=", "-=", "*=") + " row." + g.pick("qty", "rate") + "\n")
		if g.chance(2) {
			b.WriteString("    if row.qty > " + g.pick("1", "2", "4") + ":\n        " + g.pick("break", "continue", "return "+g.cond(1)) + "\n")
		}
	case 1:
		b.WriteString("for c in " + g.strList(1) + ":\n    s = s + c\n    if c == " + g.pick(`"b"`, `"vip"`, `"A"`) + ": " + g.pick("break", "continue", "n += 1") + "\n")
		if g.chance(2) {
			b.WriteString("else:\n    s = s.upper()\n")
		}
	default:
		b.WriteString("if " + g.cond(1) + ":\n    n = " + g.num(1) + "\nelif " + g.cond(1) + ":\n    s = " + g.str(1) + "\nelse:\n    pass\n")
	}
	b.WriteString("return " + g.pick("n", "s", "(n, s)[0]", g.cond(1), "s * 2 if n > 3 else n", "len(s) + n"))
	return b.String()
}

// generatedConditions are the generated expressions, each over one of the generated
// templates' documents (genDocs).
func generatedConditions() []oracleCase {
	return conditionSet(genConditionSeed, genConditionCount, "generated condition", (*condGen).expression)
}

// conditionSet is n conditions that write makes from seed, named name and their number, each
// over one of genDocs.
func conditionSet(seed uint64, n int, name string, write func(*condGen) string) []oracleCase {
	g := &condGen{r: rand.New(rand.NewPCG(seed, seed))}
	cases := make([]oracleCase, n)
	for i := range cases {
		cases[i] = oracleCase{name: fmt.Sprintf("%s %d", name, i), kind: "condition", src: write(g), doc: genDocs[i%len(genDocs)]}
	}
	return cases
}

// extra is one condition of the second set: a small shape of its own, its parts from the
// first grammar.
func (g *condGen) extra() string {
	switch g.r.IntN(25) {
	case 22:
		d := g.pick("doc.due_date", `"2026-01-31"`, `"2024-02-29"`, `"2026-12-31"`, `"2025-03-01"`)
		return g.pick("frappe.utils.getdate("+d+")."+g.pick("year", "month", "day", "weekday()", "isoweekday()", "isoformat()"),
			"frappe.utils.add_months("+d+", "+g.pick("1", "-1", "13", "-12", "0")+")",
			"frappe.utils.add_years("+d+", "+g.pick("1", "-4", "0")+")",
			"frappe.utils.add_days("+d+", "+g.pick("1", "-366", "59", "0")+")",
			// Through getdate: get_year_ending and get_quarter_ending give a text in the ERP, and
			// "In the ERP a date never equals a string; here it does".
			"frappe.utils.getdate(frappe.utils."+g.pick("get_first_day", "get_last_day", "get_quarter_start", "get_quarter_ending", "get_year_start", "get_year_ending", "get_first_day_of_week", "get_last_day_of_week")+"("+d+")) == frappe.utils.getdate("+g.pick(`"2026-01-01"`, `"2026-02-28"`, `"2024-02-29"`, `"2026-12-31"`)+")",
			"frappe.utils.month_diff("+d+", "+g.pick(`"2026-01-15"`, "doc.due_date", `"2023-12-31"`)+")",
			"frappe.utils.date_diff("+d+", "+g.pick(`"2026-01-15"`, "doc.creation", `"2023-12-31 23:59:59"`)+")",
			"(frappe.utils.getdate("+d+") - frappe.utils.getdate("+g.pick(`"2026-01-15"`, "doc.due_date")+")).days "+g.pick(">", "==", "<=")+" "+g.pick("0", "30", "-59"),
			"frappe.utils.add_to_date("+d+", "+g.pick("months=1", "days=-1", "years=1, days=1", "weeks=2", "hours=25")+")")
	case 23:
		return g.pick(`"%(a)s-%(b).1f" % {"a": doc.status, "b": doc.rate}`, `"{0}{0}{1}".format(doc.qty, "x")`, `"{a}:{b!r}".format(a=doc.qty, b=doc.status)`,
			`"{0[1]}".format(doc.codes or "xy")`, `"{:>{w}}".format(doc.status, w=9)`, `"%s" % [doc.qty]`, `"%s %s" % ("a", None)`,
			`"%5.1f%%" % doc.rate`, `"%d items" % len(doc.items)`, `"%s" % (doc.remarks,)`, `"%r" % doc.neg`, `"%x" % doc.qty`)
	case 24:
		return g.pick("round", "int", "float") + "(" + g.pick("1234, -2", "15, -1", "25, -1", "-0.0", "0.5", `"  12  "`, `"+5"`, `" 1_000.5 "`,
			"-2.5", "2.5, 0", "1e16", "doc.big", "doc.qty / 7, 3", "doc.grand_total, -3", "-doc.rate") + ")"
	case 16:
		return `"%` + g.pick("s", "r", ".3g", "10.4f", "-8d", "i", "o", "X", "#x", " d", "+.1e", "5.1%", "3s", ".1s", "c") + `|" % ` + g.pick(g.num(1), "("+g.str(1)+",)")
	case 17:
		return `"{` + g.pick(":_", ":,d", ":=+8", ":#x", ":.2%", ":10.3e", "!s:>5", ":.3s", ":08,.1f", ":-^9", ":.0f", ":n", ":c") + `}".format(` + g.any(1) + ")"
	case 18:
		return g.pick("2 ** -1", "-2 ** 2", "2 ** 3 ** 2", "not 1 == 2", "1 < 2 == True", "-3 % 0.5", "True + True", "True * 3.5",
			`"a" * True`, "[1] * -1", "1e22", "1.0e-7", "123456789012345678.0", `float("1e16")`, "1 / 3", "int(1e20)", "round(1e300, -300)",
			"-(2 ** 63)", "2 ** 63 // 7", "-(2 ** 70) % 3", "(2 ** 53 + 1) == float(2 ** 53 + 1)", "10 ** 16 == 1e16", "0.1 * 3", "-0.0 == 0",
			`"ä" < "z"`, `"B" < "a"`, "None == 0", `None != ""`, "[] == 0", "1.0 in [1]", `"a,b,,c".split(",")`, `"a b".split(" ", 0)`,
			"(1, 2) < (1, 2, 0)", `[1, "a"] < [1, "b"]`, "[1, 2] == [1.0, 2.0]", `"" in ""`, `"abc"[5:]`, `"abc"[-10:2]`, "[1, 2, 3][-4]")
	case 19:
		return "frappe.utils." + g.pick("flt", "cint") + "(" + g.pick(`"  12 "`, "True", `"1e3"`, `"-1,5"`, `"12abc"`, "doc.rate", "doc.net_total",
			`"0.125"`, "-0.5", "2.5", "doc.big") + ", " + g.pick("0", "1", "2", "3", "None") + ")"
	case 20:
		return g.num(1) + " " + g.pick("==", "<", ">=") + " " + g.pick("True", "False", "None", `"3"`, "[]", "1.0", "0")
	case 21:
		// Not the JSON column's object (meta), printed: its keys "print in alphabetical order".
		return `doc.get("` + g.pick("qty", "remarks", "missing", "items", "status") + `"` + g.pick("", ", 0", `, "x"`, ", default=7") + ")" +
			g.pick("", " is None", " == 0", " or 5", " and 5")
	case 0:
		return `f"{` + g.num(1) + g.pick("", ":.2f", ":,", ":>8", ":+d", ":05.1f", ":e", ":g", "!r", ":%") + `}"`
	case 1:
		return `f"{` + g.str(1) + g.pick("", "!r", ":>6", ":^7", ":*<5", ":.3") + `}-{` + g.num(0) + `}"`
	case 2:
		return `"{:` + g.pick(".1f", ">6", "<4", "^5", "+", ",.2f", "08.3f", ".0%", "x", "o", "b", "n") + `}".format(` + g.num(1) + ")"
	case 3:
		if g.chance(3) {
			// A split without a separator that uses up its splits, on texts with white space
			// at both ends.
			return g.pick("doc.note", `" a b "`, "doc.note[1:-1]", `"x\ty  "`) + "." + g.pick("split", "rsplit") + "(None, " + g.pick("0", "1", "2") + ")"
		}
		if g.chance(4) {
			// Indexed: the whole is a tuple, which "prints as a list".
			return g.str(1) + "." + g.pick(`partition("-")`, `rpartition(" ")`) + "[" + g.pick("0", "1", "-1") + "]"
		}
		return g.str(1) + "." + g.pick(`rsplit(",", 1)`, "splitlines()", `removeprefix("SINV-")`,
			`removesuffix("s")`, `split(None, 1)`, "split()", `rstrip("0")`, `strip(" ol")`, `expandtabs(4)`, `replace("o", "0", 1)`,
			`index("i")`, `rindex("-")`, `startswith(("S", "x"))`, "isdecimal()", "isnumeric()", "isascii()", "isprintable()")
	case 4:
		return g.any(1) + " is " + g.pick("not ", "") + g.pick("None", "True", "False")
	case 5:
		return g.list(1) + " " + g.pick("<", "<=", ">", "==", "!=") + " " + g.list(1)
	case 6:
		return g.list(1) + "[" + g.pick("::-1", "::2", "1::2", "-2:", ":-1", "::-2", "5:", "-1", "0") + "]"
	case 7:
		return "round(" + g.pick("0.5", "1.5", "2.5", "-0.5", "-2.5", "0.125", "2.675", "1e16", "doc.rate", "doc.grand_total", "-7") +
			g.pick("", ", 0", ", 1", ", 2", ", -2", ", None") + ")"
	case 8:
		return g.pick("-7", "7", "-7.5", "7.5", "-0.0", "doc.neg", "doc.net_total", "doc.qty", "doc.grand_total") + " " +
			g.pick("//", "%") + " " + g.pick("2", "-2", "2.5", "-2.5", "0.3", "-3")
	case 9:
		// Not cstr of the JSON column's object: its keys "print in alphabetical order".
		return "frappe.utils." + g.pick("flt", "cint", "cstr") + "(" + g.pick(`"1,234.5"`, `"  3.7 "`, `"-0"`, `"abc"`, `"1e3"`, "None",
			"doc.remarks", "True", "1.0", "-2.5", "doc.big", `"0x10"`, `""`, "doc.codes") + ")"
	case 10:
		return g.pick("int", "float") + "(" + g.pick("-2.7", "2.7", "1e16", "True", "doc.neg", "doc.grand_total", `"-3"`, `" +4 "`, `"inf"`, `"nan"`, `"-0.0"`) + ")"
	case 11:
		// A timestamp text with a text, a datetime with a datetime: "In the ERP a date never
		// equals a string; here it does".
		if g.chance(3) {
			return "frappe.utils.get_datetime(doc.creation) " + g.pick("<", ">", "==") + " frappe.utils.get_datetime(" + g.pick(`"2026-12-31 00:00:00"`, "frappe.utils.now()") + ")"
		}
		return g.pick("doc.creation", `"2026-10-21 09:15:02"`, "frappe.utils.now()") +
			" " + g.pick("<", ">", "==") + " " + g.pick("doc.creation", `"2026-12-31 00:00:00"`, "frappe.utils.add_to_date(doc.creation, hours=1)")
	case 12:
		// Not the JSON column's object: it "has no .keys(), .values() or .items()" here.
		return g.literalDict() + "." + g.pick("keys()", "values()", "items()") + " " + g.pick("==", "!=") + " " + g.literalDict() + "." + g.pick("keys()", "values()", "items()")
	case 13:
		return "not " + g.pick("[]", "{}", `""`, `"0"`, "0.0", "-0.0", "doc.codes", "doc.meta", "doc.items", "doc.tags", "doc.neg", "[0]", "None")
	case 14:
		// Not the JSON column's object, printed: its keys "print in alphabetical order" here.
		return "(" + g.any(1) + " " + g.pick("or", "and") + " " + g.pick("[]", "{}", `""`, "0", "None", "doc.codes", `{"b": 1, "a": 2}`, "[1]") + ")"
	}
	return g.num(1) + " " + g.pick("==", "!=", "<") + " " + g.num(1) + " " + g.pick("==", "!=", ">", "<=") + " " + g.num(1) +
		" " + g.pick("==", "<") + " " + g.num(0)
}

// generatedExtraConditions are the second set, over the same documents.
func generatedExtraConditions() []oracleCase {
	return conditionSet(genExtraSeed, genExtraCount, "generated extra condition", (*condGen).extra)
}

// returns are the return statements of a block, with their indentation.
var returns = regexp.MustCompile(`(?m)^(\s*)return (.+)$`)

// reprEquals is the condition src made to say whether its value, printed by repr, is the text
// literal: each return of a block compares what it returns.
func reprEquals(src, literal string) string {
	if !strings.Contains(src, "\n") {
		return `"%r" % ((` + src + `),) == ` + literal
	}
	return returns.ReplaceAllString(src, `${1}return "%r" % ((${2}),) == `+strings.ReplaceAll(literal, "$", "$$"))
}

// pyLiteral is s as a Python text literal.
func pyLiteral(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "\t", `\t`)
	return `"` + r.Replace(s) + `"`
}

// TestOracleGeneratedConditionsAgreeWithTheERP evaluates the generated conditions in walnotify
// and in the ERP's Python: the same truth, the same value printed by repr, or an error in both.
func TestOracleGeneratedConditionsAgreeWithTheERP(t *testing.T) {
	cases := append(generatedConditions(), generatedExtraConditions()...)
	reprs := make([]oracleCase, len(cases))
	for i, c := range cases {
		reprs[i] = c
		reprs[i].kind = "condition-repr"
	}
	results := runOracle(t, append(cases, reprs...))
	truths, values := results[:len(cases)], results[len(cases):]
	var mismatches []string
	agreedErrors := 0
	for i, c := range cases {
		erp := truths[i]
		got, err := walnotify(c, oracleDoc(t, c.doc))
		problem, bothFail := disagreement(got, err, erp, "%v")
		switch {
		case bothFail:
			agreedErrors++
		case problem != "":
		case values[i].OK && !strings.Contains(fmt.Sprint(values[i].Value), " object at 0x"):
			// The same truth: now the value itself, as repr prints it (not a row, which the
			// ERP prints by its address).
			printed := fmt.Sprint(values[i].Value)
			same := oracleCase{kind: "condition", src: reprEquals(c.src, pyLiteral(printed)), doc: c.doc}
			if ok, err := walnotify(same, oracleDoc(t, c.doc)); ok != true || err != nil {
				problem = fmt.Sprintf("walnotify's value is not the ERP's %s (%v)", printed, err)
			}
		}
		if problem != "" {
			mismatches = append(mismatches, fmt.Sprintf("%s: %s\n  doc %d\n  %s", c.name, c.src, slices.Index(genDocs, c.doc), problem))
		}
	}
	t.Logf("%d generated conditions, %d fail in both", len(cases), agreedErrors)
	if len(mismatches) > 0 {
		shown := mismatches[:min(len(mismatches), 10)]
		t.Errorf("%d of %d generated conditions evaluate differently; the first:\n%s", len(mismatches), len(cases), strings.Join(shown, "\n\n"))
	}
}
