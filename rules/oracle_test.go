package rules

import (
	"bytes"
	"cmp"
	"encoding/json"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"walnotify/internal/currency"
	"walnotify/render"
	"walnotify/rules/condition"
)

// oracleCase is a condition or template written the way ERP admins write them, run through
// walnotify and through the ERP's own evaluation (real Python 3 and Jinja2, set up as Frappe
// sets them up: testdata/oracle.py).
type oracleCase struct {
	name string
	kind string // "condition" or "template"
	src  string
	doc  string // the row, as JSON
	// differs, for the differences the README documents: walnotify's output (a condition's
	// "true" or "false", or refused), which must then differ from the ERP's.
	differs *string
}

func documented(s string) *string { return &s }

// refused is the documented output of a case that walnotify refuses, at load or at run time,
// where the ERP evaluates it.
const refused = "<error>"

const invoice = `{"doctype": "Sales Invoice", "name": "SINV-2026-00042", "customer": "Acme & Co", "status": "Unpaid",
	"grand_total": 45000.5, "rate": 2.25, "qty": 3, "is_return": 0, "remarks": null, "due_date": "2026-12-31",
	"items": [{"item_code": "WID-1", "qty": 2, "rate": 10.5}, {"item_code": "GAD-2", "qty": 1, "rate": 99}],
	"tags": "urgent,vip,eu", "error": "Traceback (most recent call last):\n  File \"app.py\", line 95\nValueError: bad", "code": "0042"}`

// mondays is dated on a site whose weeks start on Monday (System Settings
// first_day_of_the_week).
const mondays = `{"doctype": "Sales Invoice", "name": "SINV-1", "due_date": "2026-11-20", "creation": "2026-10-21 09:15:02.123456", "__first_day_of_the_week": "Monday"}`

// dated is a document with a date, timestamps and the day it was posted; the oracle's day is
// 2026-11-29.
const dated = `{"doctype": "Sales Invoice", "name": "SINV-1", "status": "Unpaid", "qty": 3, "due_date": "2026-11-20",
	"posting_date": "2026-10-21", "creation": "2026-10-21 09:15:02.123456", "modified": "2026-11-20 17:45:00"}`

var oracleCases = []oracleCase{
	// Conditions from the form's examples and real Notification records.
	{"form example status", "condition", `doc.status=="Unpaid"`, invoice, nil},
	{"form example total", "condition", `doc.grand_total > 40000`, invoice, nil},
	{"status in a tuple", "condition", `doc.status in ("Unpaid", "Overdue") and not doc.is_return`, invoice, nil},
	{"get with a default", "condition", `doc.get("priority", "Medium") == "Medium"`, invoice, nil},
	{"NULL is None", "condition", `doc.remarks is None`, invoice, nil},
	{"flt of a total", "condition", `frappe.utils.flt(doc.grand_total, 2) > 45000`, invoice, nil},
	{"cint of text", "condition", `frappe.utils.cint(doc.code) == 42`, invoice, nil},
	{"len of a child table", "condition", `len(doc.items) >= 2`, invoice, nil},
	{"comparison chain", "condition", `0 < doc.qty < 5`, invoice, nil},
	{"floor division", "condition", `-7 // 2 == -4`, invoice, nil},
	{"a power of 0, 1 or -1 with a huge exponent", "condition", `1 ** 3 ** 32 == 1 and (-1) ** 3 ** 32 == -1 and (-1) ** (3 ** 32 + 1) == 1 and 0 ** 3 ** 32 == 0 and doc.qty ** 0 == 1`, invoice, nil},
	{"a power of 0, 1 or -1 with a huge exponent, in a template", "template", `{{ 1 ** 3 ** 32 }} {{ (-1) ** 3 ** 32 }} {{ 0 ** 3 ** 32 }} {{ 2 ** 62 }}`, invoice, nil},
	{"floor modulo", "condition", `-7 % 3 == 2`, invoice, nil},
	{"split", "condition", `doc.name.split("-")[0] == "SINV"`, invoice, nil},
	{"split with maxsplit", "condition", `doc.name.split("-", 1)[1] == "2026-00042"`, invoice, nil},
	{"replace", "condition", `doc.customer.replace("&", "and") == "Acme and Co"`, invoice, nil},
	{"count", "condition", `doc.tags.count(",") == 2`, invoice, nil},
	{"find", "condition", `doc.tags.find("vip") > 0`, invoice, nil},
	{"isdigit", "condition", `doc.code.isdigit()`, invoice, nil},
	{"title", "condition", `doc.status.title() == "Unpaid"`, invoice, nil},
	{"substring in", "condition", `"vip" in doc.tags`, invoice, nil},
	{"text against a number is an error", "condition", `doc.customer > 5`, invoice, nil},
	{"None ordering is an error", "condition", `doc.remarks > 5`, invoice, nil},
	{"a line break outside parentheses", "condition", "doc.status == \"Unpaid\" and\n doc.qty > 1", invoice, nil},
	{"a line break inside parentheses", "condition", "(doc.status == \"Unpaid\" and\n doc.qty > 1)", invoice, nil},
	{"an unknown function", "condition", `zulip.mention(doc.owner)`, invoice, nil},
	{"division by zero", "condition", `doc.qty / 0 > 1`, invoice, nil},
	{"adding text to a number", "condition", `1 + "x"`, invoice, nil},
	{"add_months", "condition", `frappe.utils.add_months(doc.due_date, 2) == "2027-02-28" and frappe.utils.add_months("2028-03-31 10:00:00", -1) == "2028-02-29 10:00:00.000000"`, invoice, nil},
	{"first and last day of the month", "condition", `frappe.utils.get_last_day(doc.due_date) == frappe.utils.get_last_day("2026-12-05") and frappe.utils.date_diff(frappe.utils.get_first_day(doc.due_date, 0, 1), frappe.utils.get_last_day("2026-12-05")) == 1`, invoice, nil},
	{"time_diff_in_hours", "condition", `frappe.utils.time_diff_in_hours("2026-12-31 10:00:00", doc.due_date) == 10 and frappe.utils.time_diff_in_hours(doc.due_date, "2027-01-02") == -48`, invoice, nil},
	{"rounded", "condition", `frappe.utils.rounded(doc.grand_total) == 45000 and frappe.utils.rounded(doc.rate, 1) == 2.3 and frappe.utils.rounded(-0.125, 2) == -0.12 and frappe.utils.rounded(2.675, "2") == 2.68 and frappe.utils.rounded(doc.qty) == 3`, invoice, nil},
	{"rounded of NULL fails", "condition", `frappe.utils.rounded(doc.remarks) > 0`, invoice, nil},
	{"comma_and", "condition", `frappe.utils.comma_and(doc.tags.split(",")) == "'urgent', 'vip' and 'eu'" and frappe.utils.comma_and([doc.qty, 2.0, None], False) == "3, 2.0 and None" and frappe.utils.comma_and(doc.customer) == "Acme & Co" and frappe.utils.comma_and([doc.name]) == doc.name and frappe.utils.comma_and([]) == ""`, invoice, nil},
	{"escape_html", "condition", `frappe.utils.escape_html(doc.customer) == "Acme &amp; Co" and frappe.utils.escape_html("<b class=\"x\">it's</b>") == "&lt;b class=&quot;x&quot;&gt;it&apos;s&lt;/b&gt;" and frappe.utils.escape_html(doc.remarks) is None and frappe.utils.escape_html(5) == 5`, invoice, nil},
	{"get_datetime", "condition", `frappe.utils.get_datetime("2026-12-31 10:00:00") > frappe.utils.get_datetime(doc.due_date) and frappe.utils.get_datetime(doc.qty) is None and frappe.utils.get_datetime("0000-00-00") is None and frappe.utils.get_datetime("") is None`, invoice, nil},
	{"get_datetime of a text that is no date fails", "condition", `frappe.utils.get_datetime(doc.customer) is None`, invoice, nil},
	{"nowtime", "condition", `len(frappe.utils.nowtime()) == 15 and frappe.utils.nowtime()[2] + frappe.utils.nowtime()[5] + frappe.utils.nowtime()[8] == "::."`, invoice, nil},
	{"add_to_date", "condition", `frappe.utils.add_to_date(doc.due_date, 0, 0, 0, 1) == "2027-01-01" and frappe.utils.add_to_date("2026-12-31 10:00:00", 0, 1, 0, 0, 2) == "2027-01-31 12:00:00.000000" and frappe.utils.add_to_date(doc.due_date, 0, 0, 0, 0, 0, 0, 0, True, True) == "2026-12-31 00:00:00.000000" and frappe.utils.add_to_date("2028-02-29", 1) == "2029-02-28" and frappe.utils.add_to_date("2026-12-31 10:00:00", 0, 0, 0, 1) == "2027-01-01 10:00:00.000000"`, invoice, nil},
	{"add_to_date by a fraction of a year fails", "condition", `frappe.utils.add_to_date(doc.due_date, 0.5) > ""`, invoice, nil},
	{"add_months by a fraction fails", "condition", `frappe.utils.add_months(doc.due_date, 0.5) > "2026"`, invoice, nil},
	{"conditional expression", "condition", `doc.grand_total > (40000 if doc.customer == "Acme & Co" else 50000)`, invoice, nil},
	{"conditional expression evaluates one branch", "condition", `(doc.grand_total / doc.is_return if doc.is_return else 0) == 0`, invoice, nil},
	{"conditional expressions nest to the right", "condition", `("a" if doc.is_return else "b" if doc.qty > 5 else "c") == "c" and 1 if 0 else 2`, invoice, nil},
	{"keyword arguments", "condition", `frappe.utils.flt(doc.grand_total, precision=0) == 45000 and frappe.utils.flt(s="1,5") == 15 and frappe.utils.cint(doc.customer, default=-1) == -1 and frappe.utils.rounded(doc.rate, precision=1) == 2.3`, invoice, nil},
	{"keyword arguments of date functions", "condition", `frappe.utils.add_to_date(doc.due_date, days=3) == "2027-01-03" and frappe.utils.add_days(date=doc.due_date, days=1) == "2027-01-01" and frappe.utils.add_months(doc.due_date, months=-10) == "2026-02-28" and frappe.utils.add_to_date(doc.due_date, hours=1, months=2) == "2027-02-28 01:00:00.000000" and frappe.utils.add_to_date(doc.due_date, as_datetime=True) == "2026-12-31 00:00:00.000000"`, invoice, nil},
	{"keyword arguments in any order", "condition", `frappe.utils.date_diff(string_st_date="2026-12-01", string_ed_date=doc.due_date) == 30 and frappe.utils.time_diff_in_hours(doc.due_date, string_st_date="2026-12-30") == 24 and frappe.utils.date_diff(frappe.utils.get_first_day(doc.due_date, d_months=1, d_years=-1), "2026-01-01") == 0 and frappe.utils.date_diff(frappe.utils.get_last_day(dt=doc.due_date), doc.due_date) == 0 and frappe.utils.comma_and(some_list=doc.tags.split(","), add_quotes=0) == "urgent, vip and eu"`, invoice, nil},
	{"get with a keyword default", "condition", `doc.get("priority", default="Medium") == "Medium" and doc.get(key="status") == "Unpaid" and doc.items[0].get("discount", default=0) == 0`, invoice, nil},
	{"str.split by keyword", "condition", `doc.name.split(sep="-", maxsplit=1) == ["SINV", "2026-00042"] and doc.tags.rsplit(",", maxsplit=1)[1] == "eu"`, invoice, nil},
	{"round by keyword", "condition", `round(doc.rate, ndigits=1) == 2.2 and round(number=doc.grand_total) == 45000`, invoice, nil},
	{"a keyword argument for one given by position fails", "condition", `frappe.utils.add_days(doc.due_date, 1, date=doc.due_date) > ""`, invoice, nil},
	{"an unknown keyword argument fails", "condition", `frappe.utils.flt(doc.qty, precison=2) > 0`, invoice, nil},
	{"a repeated keyword argument fails", "condition", `frappe.utils.add_to_date(doc.due_date, days=1, days=2) > ""`, invoice, nil},
	{"a keyword argument of len fails", "condition", `len(obj=doc.items) > 0`, invoice, nil},
	{"a keyword argument of a str method fails", "condition", `doc.name.startswith(prefix="SINV")`, invoice, nil},
	{"a missing argument fails", "condition", `frappe.utils.add_days(days=1) > ""`, invoice, nil},
	{"slice steps", "condition", `doc.name[::-1] == "24000-6202-VNIS" and doc.name[1:10:2] == "IV22-" and doc.tags[-1:-8:-3] == "up," and doc.items[::-1][0].item_code == "GAD-2" and doc.customer[10:0:-4] == "o " and doc.code[::True] == "0042" and doc.name[:-100:-1][-1] == "S"`, invoice, nil},
	{"str.join", "condition", `", ".join(doc.tags.split(",")) == "urgent, vip, eu" and "-".join(doc.code) == "0-0-4-2" and "".join([]) == "" and " / ".join([doc.customer, doc.status]) == "Acme & Co / Unpaid" and ",".join(doc.tags.split(",")[::-1]) == "eu,vip,urgent"`, invoice, nil},
	{"joining a number fails", "condition", `", ".join([doc.name, doc.qty]) > ""`, invoice, nil},
	{"joining None fails", "condition", `", ".join(doc.remarks) > ""`, invoice, nil},
	{"join on a number fails", "condition", `doc.qty.join(["a"]) > ""`, invoice, nil},
	{"str.rjust, ljust and center", "condition", `doc.code.rjust(8, "0") == "00000042" and doc.status.ljust(8, ".") == "Unpaid.." and doc.status.center(9, "*") == "**Unpaid*" and doc.status.center(10) == "  Unpaid  " and doc.customer.center(3) == doc.customer and doc.code.rjust(doc.qty) == doc.code and "é".center(doc.qty, "·") == "·é·" and doc.code.zfill(True) == "0042" and doc.status.ljust(-5) == "Unpaid"`, invoice, nil},
	{"a fill character of two fails", "condition", `doc.status.center(20, "-=") > ""`, invoice, nil},
	{"an empty fill character fails", "condition", `doc.status.rjust(20, "") > ""`, invoice, nil},
	{"a fill character that is a number fails", "condition", `doc.code.rjust(8, 0) > ""`, invoice, nil},
	{"a width that is a float fails", "condition", `doc.code.rjust(doc.rate) > ""`, invoice, nil},
	{"a width that is text fails", "condition", `doc.code.ljust(doc.code) > ""`, invoice, nil},
	{"center on a number fails", "condition", `doc.qty.center(10) > ""`, invoice, nil},
	{"str.expandtabs", "condition", `"a\tbc\td".expandtabs(4) == "a   bc  d" and "\t".expandtabs() == " " * 8 and "é\tx".expandtabs(tabsize=doc.qty) == "é  x" and "ab\n\tx".expandtabs(0) == "ab\nx"`, invoice, nil},
	{"expandtabs of None fails", "condition", `"\t".expandtabs(doc.remarks) > ""`, invoice, nil},
	{"str.partition and rpartition", "condition", `doc.name.partition("-") == ("SINV", "-", "2026-00042") and doc.name.rpartition("-")[2] == "00042" and doc.tags.partition(";") == (doc.tags, "", "") and doc.tags.rpartition(";") == ("", "", doc.tags) and doc.customer.partition(" & ")[0] == "Acme"`, invoice, nil},
	{"partition by an empty separator fails", "condition", `doc.name.partition("") == ()`, invoice, nil},
	{"partition by None fails", "condition", `doc.name.rpartition(doc.remarks) == ()`, invoice, nil},
	{"str.splitlines", "condition", `doc.error.splitlines()[-1] == "ValueError: bad" and len(doc.error.splitlines()) == 3 and doc.error.splitlines(True)[0] == "Traceback (most recent call last):\n" and "a\r\nb\rc\x0bd\x1ee\u2029".splitlines(keepends=doc.is_return) == ["a", "b", "c", "d", "e"] and "".splitlines() == []`, invoice, nil},
	{"splitlines with a text keepends fails", "condition", `doc.error.splitlines(doc.status) == []`, invoice, nil},
	{"str.istitle, isascii and isprintable", "condition", `doc.customer.istitle() and not doc.name.istitle() and doc.status.istitle() and not doc.code.istitle() and doc.customer.isascii() and not "Müller".isascii() and doc.customer.isprintable() and not doc.error.isprintable() and "".isascii() and "".isprintable()`, invoice, nil},
	{"str.count, find, index within start and end", "condition", `doc.name.count("0", 5) == 4 and doc.name.count("0", None, -3) == 3 and doc.name.find("-", 5) == 9 and doc.name.rfind("-", 0, 9) == 4 and doc.name.index("2026") == 5 and doc.name.rindex("0", -3) == 12 and doc.tags.find("", 20) == -1 and doc.tags.count("", 13) == 1 and doc.code.find("4", doc.qty, None) == -1`, invoice, nil},
	{"index of what is not there fails", "condition", `doc.name.index("X") >= 0`, invoice, nil},
	{"rindex of what is not there fails", "condition", `doc.name.rindex("-", 10) >= 0`, invoice, nil},
	{"find from a float fails", "condition", `doc.name.find("-", doc.rate) >= 0`, invoice, nil},
	{"count of a number fails", "condition", `doc.name.count(doc.qty) >= 0`, invoice, nil},
	{"percent formatting", "condition", `"%s-%d" % (doc.status, doc.qty) == "Unpaid-3" and "%.2f" % doc.rate == "2.25" and "%05d" % doc.qty == "00003" and "%r" % doc.customer == "'Acme & Co'" and "100%%" % () == "100%" and "%s" % doc.remarks == "None"`, invoice, nil},
	{"percent formatting of numbers", "condition", `"%+.1e|%x|%#o|%-6.1f|%g|%d|%i" % (doc.grand_total, 255, 8, doc.rate, 1e-5, doc.grand_total, -2.9) == "+4.5e+04|ff|0o10|2.2   |1e-05|45000|-2" and "%*d" % (4, doc.qty) == "   3"`, invoice, nil},
	{"percent formatting of one value", "condition", `"%s" % doc.tags.split(",") == "['urgent', 'vip', 'eu']" and "%s" % (doc.items[0].item_code if doc.qty else "x",) == "WID-1" and "x" % doc.items == "x" and "%c" % 65 == "A"`, invoice, nil},
	{"percent formatting by key", "condition", `"%(item_code)s x %(qty)d" % doc.items[0] == "WID-1 x 2"`, invoice, nil},
	{"percent formatting with too few arguments fails", "condition", `"%s-%s" % (doc.status,) > ""`, invoice, nil},
	{"percent formatting with too many arguments fails", "condition", `"%s" % (doc.status, doc.qty) > ""`, invoice, nil},
	{"percent formatting of text as a number fails", "condition", `"%d" % doc.customer > ""`, invoice, nil},
	{"percent formatting of a float as hex fails", "condition", `"%x" % doc.rate > ""`, invoice, nil},
	{"percent formatting of a missing key fails", "condition", `"%(nothing)s" % doc.items[0] > ""`, invoice, nil},
	{"percent formatting by key of a tuple fails", "condition", `"%(name)s" % (doc.name,) > ""`, invoice, nil},
	{"an unknown percent conversion fails", "condition", `"%y" % doc.qty > ""`, invoice, nil},
	{"percent formatting of a value that is not used fails", "condition", `"total" % doc.qty > ""`, invoice, nil},
	{"a slice step of zero fails", "condition", `doc.name[::0] == ""`, invoice, nil},
	{"a slice step of a float fails", "condition", `doc.name[::1.0] == doc.name`, invoice, nil},

	// Dicts written in the condition, as Python's.
	{"a dict's keys for in", "condition", `doc.status in {"Unpaid": 1, "Overdue": 2} and "x" not in {} and doc.qty not in {"3": 3}`, invoice, nil},
	{"a dict across lines with a trailing comma", "condition", "doc.status in {\n    \"Unpaid\": 1,\n    \"Overdue\": 2,\n}", invoice, nil},
	{"the truth of a dict", "condition", `not {} and {"a": 0} and ({} or 1) == 1 and ({"a": doc.qty} and 2) == 2`, invoice, nil},
	{"dict equality as Python's", "condition", `{"a": 1, "b": [1, 2]} == {"b": [1.0, 2], "a": True} and {"a": 1} != {"a": 1, "b": 2} and {} != [] and {"a": None} != {} and {"a": 1} in [2, {"a": 1.0}]`, invoice, nil},
	{"len of a dict", "condition", `len({"a": 1, "b": 2, "a": 3}) == 2 and len({}) == 0`, invoice, nil},
	{"a key written twice keeps its place and its last value", "condition", `{"a": 1, "b": 2, "a": 3}["a"] == 3 and ", ".join({"a": 1, "b": 2, "a": 3}) == "a, b" and {"a": 1, "a": 2} == {"a": 2}`, invoice, nil},
	{"indexing a dict", "condition", `{"Unpaid": "red", "Paid": "green"}[doc.status] == "red" and {"k": doc.items}["k"][1].item_code == "GAD-2" and {"a": {"b": doc.qty}}["a"]["b"] == 3`, invoice, nil},
	{"a missing key of a dict fails", "condition", `{"Paid": 1}[doc.status] == 1`, invoice, nil},
	{"a dict's get", "condition", `{"Unpaid": "red"}.get(doc.status) == "red" and {"Paid": 1}.get(doc.status) is None and {"Paid": 1}.get(doc.status, 0) == 0 and {"a": None}.get("a", 1) is None and {"a": 1}.get(1, 2) == 2`, invoice, nil},
	{"computed keys", "condition", `{doc.status.lower(): 1, "x" + "y": doc.qty} == {"unpaid": 1, "xy": 3} and {doc.items[0].item_code: 1}["WID-1"] == 1`, invoice, nil},
	{"a list as a key fails", "condition", `{doc.items: 1} == {}`, invoice, nil},
	{"a dict in a dict fails", "condition", `{"a": 1} in {"a": 1}`, invoice, nil},
	{"keys, values and items", "condition", `"Unpaid" in {doc.status: 1}.keys() and doc.qty in {"q": doc.qty}.values() and ("q", 3) in {"q": doc.qty}.items() and ("q", 4) not in {"q": doc.qty}.items() and "q" not in {"q": 1}.items() and len({"a": 1, "b": 2}.items()) == 2 and not {}.values()`, invoice, nil},
	{"keys and items compare as sets, values never equal", "condition", `{"a": 1, "b": 2}.keys() == {"b": 0, "a": 0}.keys() and {"a": 1}.items() == {"a": True}.items() and {"a": 1}.values() != {"a": 1}.values() and {"a": 1}.keys() != ["a"] and {"a": 1}.keys() < {"a": 1, "b": 2}.keys() and not {"a": 1}.keys() < {"b": 1}.keys() and not {"a": 1}.keys() >= {"b": 1}.keys() and {}.keys() == {}.items()`, invoice, nil},
	{"indexing a dict's keys fails", "condition", `{"a": 1}.keys()[0] == "a"`, invoice, nil},
	{"ordering dicts fails", "condition", `{"a": 1} < {"a": 2}`, invoice, nil},
	{"ordering a dict's values fails", "condition", `{"a": 1}.values() <= {"a": 1}.values()`, invoice, nil},
	{"a dict's key as an attribute fails", "condition", `{"a": 1}.a == 1`, invoice, nil},
	{"a dict prints in the order written", "condition", `"%s" % ({"b": doc.qty, "a": doc.status, "c": None},) == "{'b': 3, 'a': 'Unpaid', 'c': None}" and frappe.utils.cstr({"z": 1.0, "y": [True]}) == "{'z': 1.0, 'y': [True]}" and "%r" % ({},) == "{}" and "%s" % {"a": 1} == "{'a': 1}"`, invoice, nil},
	{"a dict's views print as Python's", "condition", `"%s|%s|%s" % ({"b": 1, "a": 2}.keys(), {"b": "x"}.values(), {"b": 1, "a": doc.status}.items()) == "dict_keys(['b', 'a'])|dict_values(['x'])|dict_items([('b', 1), ('a', 'Unpaid')])"`, invoice, nil},
	{"joining a dict joins its keys in order", "condition", `", ".join({"z": 1, doc.status: 2, "a": 3}) == "z, Unpaid, a" and "-".join({"b": 1, "a": 2}.keys()) == "b-a" and "".join({"k": "v", "l": "w"}.values()) == "vw"`, invoice, nil},
	{"joining a dict's items fails", "condition", `"-".join({"a": "b"}.items()) > ""`, invoice, nil},
	{"percent formatting by key of a dict", "condition", `"%(customer)s owes %(total).2f" % {"customer": doc.customer, "total": doc.grand_total} == "Acme & Co owes 45000.50"`, invoice, nil},
	{"percent formatting of a missing key of a dict fails", "condition", `"%(x)s" % {"a": 1} > ""`, invoice, nil},
	// f-strings, without format specs.
	{"f-string", "condition", `f"{doc.name}-{doc.qty}" == "SINV-2026-00042-3" and f"{doc.grand_total}|{doc.remarks}|{doc.is_return == 0}" == "45000.5|None|True" and f"{doc.customer!r}" == "'Acme & Co'" and f"{doc.status!s}" == doc.status`, invoice, nil},
	{"f-string braces, literals and nesting", "condition", `f"{{{doc.qty}}}" == "{3}" and "a" f"{doc.qty + 1}" 'b' == "a4b" and f"{ {'k': doc.status}['k'] }" == "Unpaid" and f'{"}"}' == "}" and f"{doc.items[0].item_code.lower()}" == "wid-1" and rf"\d{doc.qty}" == "\\d3" and f"{doc.tags.split(',')}" == "['urgent', 'vip', 'eu']"`, invoice, nil},
	{"an f-string's error fails", "condition", `f"{doc.qty + doc.status}" > ""`, invoice, nil},

	// The dict differences the README documents.
	{"a dict key that is not text is refused at load", "condition", `{1: "a"}[1] == "a"`, invoice, documented(refused)},
	{"a computed dict key that is not text fails", "condition", `{doc.qty: "a"}[3] == "a"`, invoice, documented(refused)},
	{"a dict equals a child row with its fields", "condition", `doc.items[0] == {"item_code": "WID-1", "qty": 2, "rate": 10.5}`, invoice, documented("true")},

	// Dates and timestamps are text that does what a date or a datetime does where a str cannot.
	{"a date's year, month and day", "condition", `frappe.utils.getdate(doc.due_date).year == 2026 and frappe.utils.getdate(doc.due_date).month == 11 and frappe.utils.getdate(doc.due_date).day == 20`, dated, nil},
	{"a month against today's", "condition", `frappe.utils.getdate(doc.posting_date).month == frappe.utils.getdate().month - 1 and frappe.utils.getdate(nowdate()).day == 29`, dated, nil},
	{"a timestamp's date and time of day", "condition", `frappe.utils.get_datetime(doc.creation).hour == 9 and frappe.utils.get_datetime(doc.creation).minute == 15 and frappe.utils.get_datetime(doc.creation).second == 2 and frappe.utils.get_datetime(doc.creation).microsecond == 123456 and frappe.utils.get_datetime(doc.creation).year == 2026 and frappe.utils.get_datetime(doc.modified).microsecond == 0`, dated, nil},
	{"the days of the month's first and last days", "condition", `frappe.utils.get_last_day(doc.posting_date).day == 31 and frappe.utils.get_first_day(doc.due_date).weekday() == 6`, dated, nil},
	{"weekday and isoweekday", "condition", `frappe.utils.getdate(doc.due_date).weekday() == 4 and frappe.utils.getdate(doc.due_date).isoweekday() == 5 and frappe.utils.get_datetime(doc.creation).weekday() == 2 and frappe.utils.getdate().isoweekday() == 7`, dated, nil},
	{"isoformat", "condition", `frappe.utils.getdate(doc.due_date).isoformat() == doc.due_date and frappe.utils.get_datetime(doc.creation).isoformat() == "2026-10-21T09:15:02.123456" and frappe.utils.get_datetime(doc.modified).isoformat() == "2026-11-20T17:45:00" and frappe.utils.get_datetime(doc.due_date).isoformat() == "2026-11-20T00:00:00"`, dated, nil},
	// The ERP's strftime fails in a condition (KeyError: '__import__': Python's strftime imports
	// the time module, and a condition has no builtins); the README documents it.
	{"strftime", "condition", `frappe.utils.getdate(doc.due_date).strftime("%d/%m/%Y") == "20/11/2026" and frappe.utils.get_datetime(doc.creation).strftime("%A %d %B %Y, %H:%M:%S.%f %p %j") == "Wednesday 21 October 2026, 09:15:02.123456 AM 294" and frappe.utils.getdate(doc.due_date).strftime(format="%a %b %-d %y %H%%") == "Fri Nov 20 26 00%"`, dated, documented("true")},
	{"the date of a timestamp", "condition", `frappe.utils.get_datetime(doc.creation).date() == frappe.utils.getdate(doc.posting_date) and frappe.utils.get_datetime(doc.modified).date().isoformat() == doc.due_date`, dated, nil},
	{"the days between two dates", "condition", `(frappe.utils.getdate(doc.due_date) - frappe.utils.getdate(doc.posting_date)).days == 30 and (frappe.utils.getdate(doc.posting_date) - frappe.utils.getdate(doc.due_date)).days == -30 and (frappe.utils.getdate(doc.due_date) - frappe.utils.getdate(doc.posting_date)).seconds == 0 and (frappe.utils.getdate(doc.due_date) - frappe.utils.getdate(doc.posting_date)).total_seconds() == 2592000`, dated, nil},
	{"the time between two timestamps", "condition", `(frappe.utils.get_datetime(doc.modified) - frappe.utils.get_datetime(doc.creation)).days == 30 and (frappe.utils.get_datetime(doc.modified) - frappe.utils.get_datetime(doc.creation)).seconds == 30597 and (frappe.utils.get_datetime(doc.modified) - frappe.utils.get_datetime(doc.creation)).microseconds == 876544 and (frappe.utils.get_datetime(doc.modified) - frappe.utils.get_datetime(doc.creation)).total_seconds() == 2622597.876544 and (frappe.utils.get_datetime(doc.creation) - frappe.utils.get_datetime(doc.modified)).days == -31 and (frappe.utils.get_datetime(doc.creation) - frappe.utils.get_datetime(doc.posting_date)).seconds // 3600 == 9`, dated, nil},
	{"timedeltas compare with each other and equal nothing else", "condition", `frappe.utils.getdate(doc.due_date) - frappe.utils.getdate(doc.posting_date) > frappe.utils.getdate(doc.posting_date) - frappe.utils.getdate(doc.due_date) and frappe.utils.getdate(doc.due_date) - frappe.utils.getdate(doc.posting_date) == frappe.utils.getdate("2026-12-31") - frappe.utils.getdate("2026-12-01") and frappe.utils.getdate(doc.due_date) - frappe.utils.getdate(doc.posting_date) != 30 and frappe.utils.get_datetime(doc.modified) - frappe.utils.get_datetime(doc.modified) != 0 and not frappe.utils.getdate(doc.due_date) - frappe.utils.getdate(doc.due_date) and frappe.utils.getdate(doc.due_date) - frappe.utils.getdate(doc.posting_date) in [30, frappe.utils.getdate("2026-12-31") - frappe.utils.getdate("2026-12-01")]`, dated, nil},
	{"a timedelta as text", "condition", `"%s" % (frappe.utils.getdate(doc.due_date) - frappe.utils.getdate(doc.posting_date)) == "30 days, 0:00:00" and "%s|%r" % (frappe.utils.get_datetime(doc.creation) - frappe.utils.get_datetime(doc.modified), frappe.utils.get_datetime(doc.modified) - frappe.utils.get_datetime(doc.creation)) == "-31 days, 15:30:02.123456|datetime.timedelta(days=30, seconds=30597, microseconds=876544)" and frappe.utils.cstr(frappe.utils.getdate(doc.due_date) - frappe.utils.getdate(doc.due_date)) == "0:00:00"`, dated, nil},
	{"getdate of nothing is today, of what is not text None", "condition", `frappe.utils.getdate("") == frappe.utils.getdate() and frappe.utils.getdate(None).day == 29 and frappe.utils.getdate(doc.qty) is None and frappe.utils.getdate("0000-00-00") is None and frappe.utils.getdate(doc.creation) == frappe.utils.getdate(doc.posting_date)`, dated, nil},
	{"the hour of a date fails", "condition", `frappe.utils.getdate(doc.due_date).hour == 0`, dated, nil},
	{"the date of a date fails", "condition", `frappe.utils.getdate(doc.due_date).date() == frappe.utils.getdate(doc.due_date)`, dated, nil},
	{"the year of a text that is no date fails", "condition", `doc.status.year == 2026`, dated, nil},
	{"strftime of a text that is no date fails", "condition", `doc.status.strftime("%Y") == "2026"`, dated, nil},
	{"strftime of a number fails", "condition", `frappe.utils.getdate(doc.due_date).strftime(doc.qty) == "3"`, dated, nil},
	{"weekday of None fails", "condition", `frappe.utils.getdate(doc.qty).weekday() == 0`, dated, nil},
	{"a date minus a timestamp fails", "condition", `(frappe.utils.getdate(doc.due_date) - frappe.utils.get_datetime(doc.creation)).days > 0`, dated, nil},
	{"a timestamp minus a date fails", "condition", `(frappe.utils.get_datetime(doc.creation) - frappe.utils.getdate(doc.due_date)).days < 0`, dated, nil},
	{"a timedelta compared with a number fails", "condition", `frappe.utils.getdate(doc.due_date) - frappe.utils.getdate(doc.posting_date) > 29`, dated, nil},
	{"the days of a number fail", "condition", `(doc.qty - 1).days == 2`, dated, nil},

	// Templates: the form's examples and real Notification messages.
	{"form example slack", "template", "*Invoice Overdue*\n\nInvoice {{ doc.name }} is overdue.\n{% if comments %}Last comment: {{ comments[-1].comment }} by {{ comments[-1].by }}{% endif %}\n*Details*\n• Customer: {{ doc.customer }}\n• Amount: {{ doc.grand_total }}",
		`{"name": "SINV-1", "customer": "Acme", "grand_total": 45000.5, "_comments": "[{\"comment\": \"Called them\", \"by\": \"ann@example.com\", \"name\": \"c1\"}]"}`, nil},
	{"form example without comments", "template", "Invoice {{ doc.name }}{% if comments %} (commented){% endif %}", `{"name": "SINV-1"}`, nil},
	{"error log", "template", "{% set lines = (doc.error or \"\").split('\\n') %}*{{ lines[-1] }}*\n```{{ doc.error }}```\n{{ lines|length }} lines", invoice, nil},
	{"integration request", "template", "{% set data = (doc.data or '{}') %}Request {{ doc.name }} {{ (doc.status or 'Queued').upper() }}: {{ (doc.error or '').split('\\n')[0] }}", invoice, nil},
	{"items loop", "template", "{% for row in doc.items %}{{ loop.index }}. {{ row.item_code }} x {{ row.qty }} @ {{ row.rate }}\n{% endfor %}", invoice, nil},
	{"percent formatting", "template", `{{ "%s" % doc.name }} {{ "%.1f" % doc.rate }} {{ "%05d" % doc.qty }} {{ "%s items"|format(doc.qty) }}`, invoice, nil},
	{"a list is one argument of %", "template", `{{ "%s" % [1, 2] }}|{{ "%s" % doc.tags.split(",") }}|{{ "%s"|format(doc.items|map(attribute="qty")|list) }}|{{ "%r" % [doc.qty] }}|{{ "%s-%d" % (doc.status, doc.qty) }}|{{ "%s-%s"|format(doc.status, doc.qty) }}|{{ "%s %s" % doc.name.partition("-")[:2] }}`, invoice, nil},
	{"a list is not the arguments of %", "template", `{{ "%s-%d" % (doc.status, doc.qty)|list }}`, invoice, nil},
	{"str.format", "template", `{{ "{:,.2f}".format(doc.grand_total) }} {{ "{:,}".format(1234567) }} {{ "{:.0f}".format(2.5) }} {{ "{:.0f}".format(3.5) }} {{ "{0} - {1}".format(doc.name, doc.qty) }}`, invoice, nil},
	{"str.format alignment", "template", `[{:>8}|{:<6}|{:^7}|{:08.3f}|{:x}|{:+d}]`, invoice, nil},
	{"translated format", "template", `{{ _("Total: {0}").format(doc.qty) }}`, invoice, nil},
	{"method on a parenthesised expression", "template", `{{ (doc.customer ~ "!").lower() }} {{ (doc.name or "")[0] }} {{ (doc.items|first).item_code }}`, invoice, nil},
	{"str methods", "template", `{{ doc.customer.replace("&", "and") }} {{ doc.tags.count(",") }} {{ doc.tags.split(",", 1) }} {{ doc.name.rsplit("-", 1)[0] }} {{ doc.status.startswith("Un") }}`, invoice, nil},
	{"arithmetic", "template", `{{ -7 // 2 }} {{ -7 % 3 }} {{ 7 / 2 }} {{ 2 ** 10 }} {{ doc.qty * 2 }}`, invoice, nil},
	{"a field of NULL is false", "template", `{% if doc.remarks.name %}y{% else %}n{% endif %} {{ doc.remarks.name or "none" }}`, invoice, nil},
	{"a field of NULL prints empty", "template", `[{{ doc.remarks.name }}]`, invoice, documented("[]")},
	{"a field past the end prints empty", "template", `[{{ doc.items[5].qty }}]`, invoice, documented("[]")},
	{"a filter after in, at the end of an and or an or, filters what in reads", "template", `{{ doc.status == "Unpaid" and "ACME" in doc.customer|upper }} {{ False or True and "a" in "abc"|upper }} {{ True and not "a" in "abc"|upper }} {{ (True and "a" in "abc")|upper }} {% if doc.status and "x" in doc.customer|lower %}y{% else %}n{% endif %}`, invoice, nil},
	{"a field of a None item of a loop is undefined", "template", `{% for x in [1, 2.5, None] %}{{ loop.index }}:{{ x.qty }}{{ ',' if not loop.last }}{% endfor %}|{% for k, v in {"a": None}.items() %}{{ k }}={{ v.name }}{% endfor %}|{% for row in doc.items|sort(attribute="qty") %}{{ row.qty }} {% endfor %}`, invoice, documented("1:,2:,3:|a=|1 2 ")},
	{"|trim takes anything as its text", "template", `[{{ [1, "a"]|trim }}|{{ {"a": 1}|trim }}|{{ True|trim }}|{{ 2.5|trim }}|{{ "xxaxx"|trim("x") }}]`, invoice, nil},
	{"|trim of NULL is the empty text NULL prints", "template", `[{{ doc.remarks|trim }}|{{ doc.remarks|trim|length }}|{{ doc.remarks|trim("x") }}]`, invoice, documented("[|0|]")},
	{"int and float filters", "template", `{{ True | int }} {{ "2.7" | int }} {{ "x" | int(5) }} {{ doc.code | int }} {{ (True | float) + 0.5 }} {{ " 3.25 " | float }} {{ ("x" | float) + 0.5 }} {{ "1,234" | int }}`, invoice, nil},
	{"unary minus and plus as Python's", "template", `{{ -True }} {{ -False }} {{ +True }} {{ -(1 < 2) }} {{ -doc.qty }} {{ +doc.rate }} {{ -doc.items[0].rate }} {{ "%.2f" % -True }} {{ -2 ** 2 }} {{ -doc.customer.endswith("o")|string }} {{ 1 - -doc.qty }} {% set v = -doc.name.isdigit() %}{{ v }} {{ v is number }}`, invoice, nil},
	{"minus a text fails the template", "template", `{{ -doc.status }}`, invoice, nil},
	{"plus a text fails the template", "template", `{{ +doc.status }}`, invoice, nil},
	{"minus NULL fails the template", "template", `{{ -doc.remarks }}`, invoice, nil},
	{"comparison chains", "template", `{{ 1 < 2 < 3 }} {{ 3 > 2 > 1 }} {{ 1 < 3 < 2 }} {{ 2 == 2 == 2 }} {{ (3 > 2) > 1 }} {% if 0 < doc.qty < 2 %}few{% else %}many{% endif %} {{ 0 < doc.qty <= 3 < doc.grand_total }} {{ ")" != 1 < 2 }}`, invoice, nil},
	{"text by characters", "template", `{% for c in "Zoë-Æsir" %}{{ c }}.{% endfor %} {{ "Ünïcode ß"|reverse }} {{ "Ünïcode"[::-1] }} {{ "Ünïcode"[1:4] }} {{ [3, 1, 2]|reverse|list }}`, invoice, nil},
	{"text filters on numbers", "template", `[{{ doc.qty|trim }}|{{ doc.rate|center(8) }}|{{ doc.qty|center(5) }}|{{ doc.rate|wordcount }}|{{ (1 < 2)|trim }}|{{ "it's a well-known café_2"|wordcount }}]`, invoice, nil},
	{"center as Python's str.center", "template", `[{{ [1, 2]|center(9) }}|{{ doc.tags.split(",")|center(17) }}|{{ 2.5|center(6) }}|{{ "ab"|center(5) }}|{{ "abc"|center(6) }}|{{ "é"|center(4) }}|{{ True|center(7) }}|{{ "x"|center(width=3) }}|{{ ("a", 1)|center(12) }}|{{ doc.status|center }}]`, invoice, nil},
	{"center by a float width fails the template", "template", `{{ doc.status|center(20.0) }}`, invoice, nil},
	{"is number", "template", `{{ (1 < 2) is number }} {{ doc.qty is number }} {{ doc.rate is number }} {{ "3" is number }} {{ doc.remarks is number }}`, invoice, nil},
	{"an error inside in", "template", `{{ (doc.customer - doc.status) in [1, 2] }}`, invoice, nil},
	{"full case mapping", "template", `{{ "Straße"|upper }} {{ "Straße".upper() }} {{ "ΟΔΟΣ"|lower }} {{ "Straße".casefold() }} {{ doc.status|upper }} {{ 3|upper }}`, invoice, nil},
	{"capitalize, title and swapcase with the full case mapping in conditions", "condition", `"ß".capitalize() == "Ss" and "ßa ǆb".title() == "Ssa ǅb" and "a中b".title() == "A中B" and "ßa".swapcase() == "SSA" and "ΟΔΟΣ".capitalize() == "Οδος" and "ǅ".swapcase() == "ǅ"`, invoice, nil},
	{"full case mapping in conditions", "condition", `"straße".upper() == "STRASSE" and "Straße".casefold() == "strasse" and "ΟΔΟΣ".lower() == "οδος"`, invoice, nil},
	{"ordering as Python's", "template", `{{ 3 > 2 > 1 }} {{ [1, 2] < [1, 3] }} {{ (1, 2) <= (1, 2) }} {{ [1] < [1, 0] }} {{ "b" > "a" }} {{ "B" < "a" }} {{ True < 2 }} {{ doc.qty >= 3 }} {{ 2.5 < doc.qty }} {{ doc.due_date > "2026-12-30" }}`, invoice, nil},
	{"None ordered against a number fails the template", "template", `{% if doc.remarks > 5 %}yes{% else %}no{% endif %}`, invoice, nil},
	{"text ordered against a number fails the template", "template", `{{ doc.customer < 5 }}`, invoice, nil},
	{"a tuple ordered against a list fails the template", "template", `{{ (1, 2) < [1, 3] }}`, invoice, nil},
	{"in as Python's", "template", `{{ "vip" in doc.tags }} {{ 2 in [1, 2] }} {{ 2.0 in (1, 2) }} {{ True in [1] }} {{ "WID-1" in doc.items|map(attribute="item_code")|list }} {{ "x" not in "abc" }} {{ [1] in [[1], 2] }}`, invoice, nil},
	{"in and not in chain with comparisons", "template", `{{ doc.qty >= 3.0 not in [1, 3] }} {{ 1 < 2 in [True] }} {{ doc.remarks != "" not in (1, 2) }} {{ 1 < 2 in [2] }} {{ 1 < doc.qty < 4 in [3] }} {{ 3 < 2 in "abc" }} {{ not 1 < 2 in [2] }} {{ not 1 < 2 not in [2] }} {{ (1 < 2) in [True] }} {{ (1 < 2) not in [True] }} {{ doc.status == "Unpaid" in doc.status|list }} {% if doc.is_return >= 3.0 not in ["High", 3] %}yes{% else %}no{% endif %}`, invoice, nil},
	{"a number in a text after a comparison fails the template", "template", `{{ 2 > 1 in "abc" }}`, invoice, nil},
	{"in binds looser than a filter", "template", `{{ (2 in [1, 2])|string|length }} {{ "unpaid" not in doc.status|lower }} {{ not 2 in [3]|list }} {% if "eu" in doc.tags.split(",")|list %}eu{% endif %}`, invoice, nil},
	{"conditional expression in a call", "template", `{{ _("Paid" if doc.status == "Paid" else "Unpaid") }} {{ "{:,.2f}".format(doc.grand_total if doc.grand_total else 0) }}`, invoice, nil},
	{"conditional expression in parentheses evaluates one branch", "template", `{{ (doc.grand_total // doc.is_return if doc.is_return else 0) }} {{ (doc.remarks if doc.remarks else "-")|upper }} {{ ("" if doc.qty else "x")|length }}`, invoice, nil},
	{"conditional expressions nest inside brackets", "template", `{{ [1 if doc.is_return else 2 if doc.qty > 5 else 3, doc.qty] }} {{ {"k": "a" if doc.qty else "b"}["k"] }} {% if (doc.is_return if doc.qty else 1) %}y{% else %}n{% endif %}`, invoice, nil},
	{"strip_html", "template", `{{ frappe.utils.strip_html(doc.description) }}|{{ frappe.utils.strip_html("a < b") }}`, `{"description": "<div><p>Printer <b>on fire</b></p><!-- note --><br/>\nCall &amp; check <a\nhref='x'>here</a></div>"}`, nil},
	{"strip_html of NULL fails the template", "template", `{{ frappe.utils.strip_html(doc.remarks) }}`, invoice, nil},
	{"add_months", "template", `{{ frappe.utils.add_months(doc.due_date, 2) }} {{ frappe.utils.add_months("2026-01-31", 1) }} {{ frappe.utils.add_months("2028-03-31 10:00:00", -1) }} {{ frappe.utils.add_months(doc.due_date, -12.0) }}`, invoice, nil},
	{"add_months by a fraction fails the template", "template", `{{ frappe.utils.add_months(doc.due_date, 1.5) }}`, invoice, nil},
	{"first and last day of the month", "template", `{{ frappe.utils.get_first_day(doc.due_date) }} {{ frappe.utils.get_last_day("2028-02-10") }} {{ frappe.utils.get_first_day("2026-11-15", 1, 2) }} {{ frappe.utils.get_first_day(doc.due_date, 0, 1) > frappe.utils.get_last_day(doc.due_date) }}`, invoice, nil},
	{"time_diff_in_hours", "template", `{{ frappe.utils.time_diff_in_hours("2026-12-02 06:30:00", "2026-12-01") }} {{ frappe.utils.time_diff_in_hours(doc.due_date, "2026-12-30 12:00:00") == 36 }} {{ frappe.utils.time_diff_in_hours("2026-01-01 00:00:01", "2026-01-01 00:00:00") }}`, invoice, nil},
	{"rounded", "template", `{{ frappe.utils.rounded(2.5) }} {{ frappe.utils.rounded(3.5) }} {{ frappe.utils.rounded(-2.5) }} {{ frappe.utils.rounded(2.675, 2) }} {{ frappe.utils.rounded(doc.grand_total, 0) }} {{ frappe.utils.rounded(doc.rate, 1) }} {{ frappe.utils.rounded(doc.qty) }} {{ frappe.utils.rounded(1234.5678, "2") }} {{ frappe.utils.rounded(1250, -2) == 1300 }} {{ frappe.utils.rounded(True) }} {{ frappe.utils.rounded(doc.grand_total, 2) }}`, invoice, nil},
	{"rounded of NULL fails the template", "template", `{{ frappe.utils.rounded(doc.remarks) }}`, invoice, nil},
	{"rounded of a text fails the template", "template", `{{ frappe.utils.rounded(doc.code, 2) }}`, invoice, nil},
	{"comma_and", "template", `{{ frappe.utils.comma_and(doc.tags.split(",")) }} | {{ frappe.utils.comma_and(["Acme & Co"]) }} | {{ frappe.utils.comma_and([]) }} | {{ frappe.utils.comma_and(("a", "b"), False) }} | {{ frappe.utils.comma_and(doc.items|map(attribute="item_code")|list, add_quotes=0) }} | {{ frappe.utils.comma_and([doc.qty, doc.rate, None, True]) }} | {{ frappe.utils.comma_and(doc.customer) }} | {{ frappe.utils.comma_and(doc.qty) + 1 }}`, invoice, nil},
	{"escape_html", "template", `{{ frappe.utils.escape_html(doc.customer) }} {{ frappe.utils.escape_html("<b class=\"x\">it's</b>") }} {{ frappe.utils.escape_html(doc.qty) + 1 }} {{ frappe.utils.escape_html(doc.remarks) is none }}`, invoice, nil},
	{"get_datetime", "template", `{{ frappe.utils.get_datetime(doc.due_date) }} | {{ frappe.utils.get_datetime("2026-12-31 10:00:00.250000") }} | {{ frappe.utils.get_datetime("2026-12-31 10:00:00") > frappe.utils.get_datetime(doc.due_date) }} | {{ frappe.utils.get_datetime(doc.qty) is none }} | {{ frappe.utils.get_datetime("") is none }} | {{ frappe.utils.get_datetime("0001-01-01") is none }}`, invoice, nil},
	{"get_datetime of a text that is no date fails the template", "template", `{{ frappe.utils.get_datetime(doc.customer) }}`, invoice, nil},
	{"nowtime", "template", `{{ frappe.utils.nowtime()|length }} {{ frappe.utils.nowtime()[2:9:3] }}`, invoice, nil},
	{"global_date_format", "template", `{{ frappe.utils.global_date_format(doc.due_date) }} | {{ frappe.utils.global_date_format("2026-03-05 10:00:00", "medium") }} | {{ frappe.utils.global_date_format(doc.due_date, format="full") }} | {{ frappe.utils.global_date_format("2026-03-05", "short") }}`, invoice, nil},
	{"global_date_format of a text that is no date fails the template", "template", `{{ frappe.utils.global_date_format(doc.customer) }}`, invoice, nil},
	{"add_to_date", "template", `{{ frappe.utils.add_to_date(doc.due_date, days=1) }} | {{ frappe.utils.add_to_date("2026-01-31", months=1, days=1) }} | {{ frappe.utils.add_to_date(doc.due_date, hours=36) }} | {{ frappe.utils.add_to_date(doc.due_date, minutes=1500) }} | {{ frappe.utils.add_to_date("2026-12-31 10:00:00", years=-1, weeks=1.5, seconds=0.25) }} | {{ frappe.utils.add_to_date(doc.due_date, as_datetime=True, days=-0.5) }} | {{ frappe.utils.add_to_date("2028-02-29", 1) }}`, invoice, nil},
	{"add_to_date by a fraction of a month fails the template", "template", `{{ frappe.utils.add_to_date(doc.due_date, months=0.5) }}`, invoice, nil},
	{"add_to_date by a text fails the template", "template", `{{ frappe.utils.add_to_date(doc.due_date, days="1") }}`, invoice, nil},
	{"the length of a number fails the template", "template", `{{ doc.grand_total|length }}`, invoice, nil},
	{"the sum of a number fails the template", "template", `{{ doc.qty|sum }}`, invoice, nil},
	{"a fill character that is a number fails the template", "template", `{{ doc.code.rjust(8, 0) }}`, invoice, nil},
	{"str.partition, splitlines and istitle", "template", `{{ doc.name.partition("-")[2] }}|{{ doc.name.rpartition("-")[0] }}|{{ doc.tags.rpartition(";")[2] }}|{{ doc.tags.partition(";")[0] }}|{{ doc.error.splitlines()|length }}|{{ doc.error.splitlines()[-1] }}|{{ "a\r\nb\x0bc".splitlines()|length }}|{{ "a\nb\n".splitlines(True)|join("/") }}|{{ doc.customer.istitle() }}|{{ doc.name.istitle() }}|{{ "É-Ok 3Rd".istitle() }}`, invoice, nil},
	{"str.partition gives a tuple", "template", `{{ "a,b,,c".partition(",") }} {{ doc.tags.rpartition(",") }} {{ doc.tags.partition(";") }} {{ doc.name.partition("-") == ("SINV", "-", "2026-00042") }} {{ doc.name.partition("-") == ["SINV", "-", "2026-00042"] }}`, invoice, nil},
	{"a partition indexes, unpacks, lists, joins and holds", "template", `{% for s, b in [doc.tags.partition(",")[1:]] %}{{ s }}/{{ b }}{% endfor %} {{ doc.tags.rpartition(",")[-1] }} {{ doc.tags.partition(",")|list }} {{ doc.tags.partition(",")|join("+") }} {{ "vip,eu" in doc.tags.partition(",") }} {{ doc.tags.partition(",")|length }} {% for p in doc.tags.rpartition(",") %}[{{ p }}]{% endfor %} {{ doc.tags.partition(",")[1:] }}`, invoice, nil},
	{"set unpacks as Python's", "template", `{% set a, s, b = doc.tags.partition(",") %}{{ a }}/{{ s }}/{{ b }} {% set x, y = "ab" %}{{ y }}{{ x }} {% set k1, k2 = {"p": 1, "q": 2} %}{{ k2 }}{{ k1 }} {% set i, j = doc.items %}{{ j.item_code }} {% set m, n = doc.qty, doc.name %}{{ n }}{{ m }} {% set t = 1, "x" %}{{ t }}`, invoice, nil},
	{"set unpacking too many values fails the template", "template", `{% set a, b = doc.name.partition("-") %}{{ a }}`, invoice, nil},
	{"set unpacking NULL fails the template", "template", `{% set a, b = doc.remarks %}{{ a }}`, invoice, nil},
	{"partition by an empty separator fails the template", "template", `{{ doc.name.partition("") }}`, invoice, nil},
	{"splitlines with a text keepends fails the template", "template", `{{ doc.name.splitlines("x") }}`, invoice, nil},
	{"str.find, count and startswith within start and end", "template", `{{ "abc".find("", 4) }} {{ "abc".find("", 3) }} {{ "abc".count("", 4) }} {{ "abc".count("", 2, 1) }} {{ "abcb".rfind("b", -10, -1) }} {{ "éab".find("b", 1) }} {{ "abc".startswith("", 4) }} {{ "abc".endswith(("x", ""), 2, 1) }} {{ doc.name.index("-", 5) }} {{ doc.name.count("0", None, -3) }}`, invoice, nil},
	{"joining a number fails the template", "template", `{{ doc.qty|join("-") }}`, invoice, nil},
	{"the sum of a text fails the template", "template", `{{ doc.customer|sum }}`, invoice, nil},
	{"the sum of texts fails the template", "template", `{{ doc.tags.split(",")|sum }}`, invoice, nil},
	{"the sum of numbers", "template", `{{ [1, 2, True]|sum }} {{ [0.1, 1, 0.2]|sum == 0.1 + 1 + 0.2 }} {{ doc.items|sum(attribute="qty") }} {{ ""|sum }}`, invoice, nil},
	{"reversing a number fails the template", "template", `{{ doc.qty|reverse|list }}`, invoice, nil},
	{"abs of a text fails the template", "template", `{{ doc.code|abs }}`, invoice, nil},
	{"abs of NULL fails the template", "template", `{{ doc.remarks|abs }}`, invoice, nil},
	{"round of a text fails the template", "template", `{{ doc.code|round }}`, invoice, nil},
	{"round of NULL fails the template", "template", `{{ doc.remarks|round(2) }}`, invoice, nil},
	{"round of an undefined fails the template", "template", `{{ doc.remarks.amount|round(2) }}`, invoice, nil},
	{"a bool rounds and formats as an int", "template", `{{ True|round }} {{ "{:,}".format(True) }} {{ "[{:>4}]".format(False) }} {{ "{}".format(True) }}`, invoice, nil},
	{"abs of numbers", "template", `{{ (-3)|abs }} {{ True|abs }} {{ doc.qty|abs }}`, invoice, nil},
	{"abs of an error fails the template", "template", `{{ (1 / 0)|abs }}`, invoice, nil},
	{"format of an error fails the template", "template", `{{ (doc.customer - 1)|format }}`, invoice, nil},
	{"urlencode of an error fails the template", "template", `{{ (doc.qty // 0)|urlencode }}`, invoice, nil},
	{"abs of minus a text fails the template", "template", `{{ -doc.status|abs }}`, invoice, nil},
	{"default keeps an error", "template", `{{ (doc.customer // doc.name)|default("d") }}`, invoice, nil},
	{"default of undefined values", "template", `{% set r = {"a": 1} %}{{ doc.remarks.name|default("x") }} {{ r.nothing|default("N/A") }} {{ r.a|default(2) }}`, invoice, nil},
	{"a text with a thousands separator fails the template", "template", `{{ "{:,}".format(doc.customer) }}`, invoice, nil},
	{"a text with a sign fails the template", "template", `{{ "{:+}".format(doc.customer) }}`, invoice, nil},
	{"a text padded with zeros", "template", `{{ "{:08}".format(doc.code) }} {{ "{:*^9}".format(doc.code) }}`, invoice, nil},
	{"the first of a number fails the template", "template", `{{ doc.is_return|first }}`, invoice, nil},
	{"truncate as Jinja2's do_truncate", "template", `[{{ doc.subject|truncate(8, false, "..", 0) }}|{{ doc.subject|truncate(8) }}|{{ doc.subject|truncate(8, true) }}|{{ "a\tbcdefghij"|truncate(8, leeway=0) }}|{{ "ab  cdefghij"|truncate(6, leeway=0) }}|{{ "a b"|truncate(length=2, end="", leeway=None) }}|{{ "abc def"|truncate(10, killwords="x", leeway=0) }}|{{ "abc"|truncate(8.5) }}|{{ "Ünïcode ßtraße und"|truncate(12, leeway=0) }}]`, `{"subject": "  Printer On fire  "}`, nil},
	{"truncate with a negative leeway fails the template", "template", `{{ "abcdefghijklmnop"|truncate(8, leeway=-1) }}`, invoice, nil},
	{"truncate by a float length fails the template where it cuts", "template", `{{ "abcdefghijklmnopqrs"|truncate(8.5) }}`, invoice, nil},
	{"truncating a number fails the template", "template", `{{ doc.rate|truncate(5) }}`, invoice, nil},
	{"sort of NULL fails the template", "template", `{{ doc.remarks|sort }}`, invoice, nil},
	{"list of NULL fails the template", "template", `{{ doc.remarks|list }}`, invoice, nil},
	{"join of NULL fails the template", "template", `{{ doc.remarks|join(", ") }}`, invoice, nil},
	{"first of NULL fails the template", "template", `{{ doc.remarks|first }}`, invoice, nil},
	{"last of NULL fails the template", "template", `{{ doc.remarks|last }}`, invoice, nil},
	{"reverse of NULL fails the template", "template", `{{ doc.remarks|reverse|list }}`, invoice, nil},
	{"unique of NULL fails the template", "template", `{{ doc.remarks|unique|list }}`, invoice, nil},
	{"sum of NULL fails the template", "template", `{{ doc.remarks|sum }}`, invoice, nil},
	{"length of NULL fails the template", "template", `{{ doc.remarks|length }}`, invoice, nil},
	{"min of NULL fails the template", "template", `{{ doc.remarks|min }}`, invoice, nil},
	{"max of NULL fails the template", "template", `{{ doc.remarks|max }}`, invoice, nil},
	{"groupby of NULL fails the template", "template", `{{ doc.remarks|groupby("x")|list }}`, invoice, nil},
	{"batch of NULL fails the template", "template", `{{ doc.remarks|batch(2)|list }}`, invoice, nil},
	{"slice of NULL fails the template", "template", `{{ doc.remarks|slice(2)|list }}`, invoice, nil},
	{"dictsort of NULL fails the template", "template", `{{ doc.remarks|dictsort }}`, invoice, nil},
	{"items of NULL fails the template", "template", `{{ doc.remarks|items|list }}`, invoice, nil},
	{"truncate of NULL fails the template", "template", `{{ doc.remarks|truncate(5) }}`, invoice, nil},
	{"a loop over NULL fails the template", "template", `{% for x in doc.remarks %}{{ x }}{% else %}none{% endfor %}`, invoice, nil},
	{"sorting a field the document lacks fails the template", "template", `{{ doc.missing|sort }}`, invoice, documented(refused)},
	{"a loop over a field the document lacks fails the template", "template", `{% for x in doc.missing %}{{ x }}{% else %}none{% endfor %}`, invoice, documented(refused)},
	{"joining a row's missing field fails the template", "template", `{% for row in doc.items %}[{{ row.serials|join(", ") }}]{% endfor %}`, invoice, documented(refused)},
	{"a loop over no comments fails the template", "template", `{% for c in comments %}{{ c.comment }}{% endfor %}`, `{"name": "SINV-1"}`, nil},
	{"sorting a None a namespace holds fails the template", "template", `{% set ns = namespace(l=None) %}{{ ns.l|sort }}`, invoice, nil},
	{"joining a None a written dict holds fails the template", "template", `{{ {"a": None}.a|join }}`, invoice, nil},
	{"the undefined iterates as empty", "template", `[{{ nosuch|sort }}|{{ nosuch|list }}|{{ nosuch|join(",") }}|{{ nosuch|sum }}|{{ nosuch|length }}|{{ nosuch|reverse|list }}|{{ nosuch|unique|list }}|{{ nosuch|batch(2)|list }}|{{ doc.remarks.tags|sort }}|{{ {"a": 1}.b|list }}|{{ doc.items[5]|length }}|{% for x in nosuch %}{{ x }}{% else %}none{% endfor %}|{% for x in doc.remarks.tags %}{{ x }}{% else %}none{% endfor %}|{% for x in [1, 2] %}{{ loop.previtem|list }}{% endfor %}]`, invoice, nil},
	{"map and select of NULL give nothing", "template", `{{ doc.remarks|map("upper")|list }} {{ doc.remarks|select|list }} {{ doc.remarks|rejectattr("x")|list }} {{ (doc.remarks or [])|sort }}`, invoice, nil},
	{"first, last and list of a text by characters", "template", `{{ "Zoë"|last }} {{ "Zoë"|first }} {{ "aß"|list }} {{ "ab"|list|length }}`, invoice, nil},
	{"a number in a text fails the template", "template", `{{ 3 in doc.tags }}`, invoice, nil},
	{"nothing is in an undefined", "template", `{% if "x" in doc.remarks.tags %}yes{% else %}no{% endif %}`, invoice, nil},
	{"nothing is in NULL", "template", `{% if "x" in doc.remarks %}yes{% else %}no{% endif %}`, invoice, documented("no")},
	{"equality as Python's", "template", `{{ True == 1 }} {{ 1 == 1.0 }} {{ doc.is_return == False }} {{ (1, 2) == [1, 2] }} {{ [1, 2] == [1, 2.0] }} {{ "1" == 1 }} {{ doc.remarks == None }} {{ doc.status != "Unpaid" }} {{ 2 == 2.0 == True + 1 }}`, invoice, nil},
	{"capitalize, title and swapcase with the full case mapping", "template", `{{ "ß".capitalize() }}|{{ "ßa"|capitalize }}|{{ "ǆa"|capitalize }}|{{ "ΟΔΟΣ".capitalize() }}|{{ "ﬁx"|capitalize }}|{{ "AΣ".capitalize() }}|{{ "ßa ǆb ΟΔΟΣ ﬁx".title() }}|{{ "a中b 3rd o'neil".title() }}|{{ "ΑΣ'Β ΑΣ.".title() }}|{{ "ßa".swapcase() }}|{{ "ΟΔΟΣ".swapcase() }}|{{ "ǅ".swapcase() }}|{{ "İi".swapcase() }}|{{ "hello WORLD"|capitalize }}|{{ doc.qty|capitalize }}`, invoice, nil},
	{"title filter", "template", `{{ "o'brien jean-luc a,b (x) [y]"|title }}|{{ doc.tags|title }}|{{ "ÉCOLE straße"|title }}|{{ doc.qty|title }}|{{ "o'brien".title() }}`, invoice, nil},
	{"filters iterate a text by characters", "template", `{{ "Üßaü"|unique|list }} {{ "Üßaü"|sort|join(",") }} {{ "Üßaü"|max }} {{ "Üßaü"|batch(2)|list }} {{ "Üßaü"|slice(2)|list }} {{ "Üßaü"|join("-") }} {{ "Üßaü"|select|list }} {{ "Üßaü"|map("upper")|list }} {{ "ab"|join }}`, invoice, nil},
	{"not 0 prints True", "template", `{{ not 0 }} {{ not doc.qty }}`, invoice, nil},
	{"division by zero is an error", "template", `{{ doc.qty / 0 }}`, invoice, nil},
	{"adding text to a number is an error", "template", `{{ 1 + "x" }}`, invoice, nil},
	{"a tuple prints as Python", "template", `{{ (1, 2) }}`, invoice, nil},
	{"None in a list prints None", "template", `{{ [1, None, "a"] }}`, invoice, nil},
	{"dict items are tuples", "template", `{% for k, v in {"a": 1}.items() %}{{ k }}={{ v }}{% endfor %} {{ {"a": 1}.items()|list }}`, invoice, nil},
	{"tojson separators", "template", `{{ {"a": [1, 2], "b": "x"}|tojson }}`, invoice, nil},
	{"urlencode", "template", `{{ "a&b c"|urlencode }} {{ {"q": "a&b"}|urlencode }}`, invoice, nil},
	{"NULL with ~", "template", `[{{ doc.remarks ~ "" }}]`, invoice, nil},
	{"NULL is defined", "template", `{{ doc.remarks is defined }} {{ doc.remarks is none }}`, invoice, nil},

	// Loops and filters as admins write them.
	{"for over dictsort", "template", `{% set d = {"b": 1, "a": 2, "C": 3} %}{% for k, v in d|dictsort %}{{ k }}{{ v }},{% endfor %}`, invoice, nil},
	{"for over dictsort reversed", "template", `{% set d = {"b": 1, "a": 2, "C": 3} %}{% for k, v in d|dictsort(reverse=true) %}{{ k }}{{ v }},{% endfor %}`, invoice, nil},
	{"for over dictsort by value", "template", `{% for k, v in {"b": 3, "a": 2, "c": 1}|dictsort(by="value") %}{{ k }}{{ v }},{% endfor %}`, invoice, nil},
	{"dictsort printed", "template", `{{ {"b": 1, "a": 2}|dictsort }} {{ {"b": 1, "a": 2}|dictsort|first }} {% for k, v in {"a": 1}|dictsort %}{{ k }}{{ v }}{% endfor %}`, invoice, nil},
	{"for over a list of pairs", "template", `{% for k, v in [("a", 1), ("b", 2)] %}{{ k }}{{ v }},{% endfor %}{% for a, b in [[1, 2], [3, 4]] %}{{ a + b }},{% endfor %}`, invoice, nil},
	{"nested loops have depth 1", "template", `{% for row in doc.items %}{% for c in row.item_code[:2] %}{{ loop.depth }}{{ loop.depth0 }}{{ c }},{% endfor %}{{ loop.depth }}{{ loop.depth0 }};{% endfor %}`, invoice, nil},
	{"loop.cycle without arguments is an error", "template", `{% for row in doc.items %}{{ loop.cycle() }}{% endfor %}`, invoice, nil},
	{"loop.cycle", "template", `{% for row in doc.items %}{{ loop.cycle("odd", "even") }},{% endfor %}`, invoice, nil},
	{"recursive loop", "template", `{% for x in doc.tree recursive %}{{ x.name }}@{{ loop.depth }}{{ loop.depth0 }}{% if x.children %}[{{ loop(x.children) }}]{% endif %},{% endfor %}`,
		`{"tree": [{"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}, {"name": "d"}]}, {"name": "e"}]}`, nil},
	{"loop variables", "template", `{% for row in doc.items %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }} {{ loop.previtem.item_code if loop.previtem else "-" }} {{ loop.nextitem.item_code if loop.nextitem else "-" }};{% endfor %}`, invoice, nil},
	{"loop.previtem is undefined at the start", "template", `{% for x in [1, 2, 3] %}{{ loop.previtem is defined }}/{{ loop.nextitem is undefined }},{% endfor %}`, invoice, nil},
	{"loop.changed", "template", `{% for x in [1, 1, 2, 2, 1] %}{% if loop.changed(x) %}{{ x }}{% endif %}{% endfor %}`, invoice, nil},
	{"loop over a filtered list", "template", `{% for row in doc.items if row.qty > 1 %}{{ row.item_code }} {{ loop.index }}/{{ loop.length }}{% else %}none{% endfor %}`, invoice, nil},
	{"groupby", "template", `{% for g in doc.rows|groupby("status") %}{{ g.grouper }}: {{ g.list|map(attribute="name")|join(", ") }} ({{ loop.index }});{% endfor %}`,
		`{"rows": [{"name": "A", "status": "Open"}, {"name": "B", "status": "Closed"}, {"name": "C", "status": "Open"}]}`, nil},
	{"groupby unpacked", "template", `{% for status, rows in doc.rows|groupby("status") %}{{ status }}={{ rows|length }};{% endfor %}`,
		`{"rows": [{"name": "A", "status": "Open"}, {"name": "B", "status": "Closed"}, {"name": "C", "status": "Open"}]}`, nil},
	{"selectattr", "template", `{{ doc.items|selectattr("qty", "gt", 1)|map(attribute="item_code")|list }} {{ doc.rows|selectattr("ok")|list|length }} {{ doc.rows|rejectattr("ok")|map(attribute="name")|join }}`,
		`{"items": [{"item_code": "A", "qty": 2}, {"item_code": "B", "qty": 1}], "rows": [{"name": "x", "ok": 1}, {"name": "y", "ok": 0}]}`, nil},
	{"selectattr equalto", "template", `{% for r in doc.items|selectattr("item_code", "equalto", "WID-1") %}{{ r.qty }}{% endfor %}`, invoice, nil},
	{"map attribute", "template", `{{ doc.items|map(attribute="item_code")|join(", ") }} {{ doc.items|map(attribute="qty")|sum }} {{ ["a", "b"]|map("upper")|list }}`, invoice, nil},
	{"sum attribute", "template", `{{ doc.items|sum(attribute="qty") }} {{ [1, 2, 3]|sum }} {{ [1, 2]|sum(start=10) }}`, invoice, nil},
	{"batch", "template", `{% for b in [1, 2, 3, 4, 5]|batch(2) %}{{ b }};{% endfor %} {{ [1, 2, 3]|batch(2, "x")|list }}`, invoice, nil},
	{"slice", "template", `{% for s in [1, 2, 3, 4, 5]|slice(2) %}{{ s }};{% endfor %} {{ [1, 2, 3, 4]|slice(3, 0)|list }}`, invoice, nil},
	{"unique and sort by attribute", "template", `{{ doc.items|sort(attribute="rate", reverse=true)|map(attribute="item_code")|join }} {{ [3, 1, 3]|unique|list }} {{ ["b", "A"]|sort }}`, invoice, nil},
	{"min max", "template", `{{ [3, 1, 2]|min }} {{ [3, 1, 2]|max }} {{ doc.items|max(attribute="rate")|attr("item_code") }}`, invoice, nil},
	{"min max of rows", "template", `{{ doc.items|min(attribute="rate")|attr("item_code") }} {{ (doc.items|max(attribute="qty")).item_code }} {{ ["b", "A", "a"]|min }} {{ ["b", "A", "a"]|max(case_sensitive=true) }} {{ "bca"|max }}`, invoice, nil},
	{"attr of a row", "template", `{% for row in doc.items %}{{ row|attr("qty") }}{% endfor %}`, invoice, nil},
	{"dict items of a literal keep order", "template", `{% for k, v in {"b": 1, "a": 2}.items() %}{{ k }}{{ v }}{% endfor %}`, invoice, nil},

	{"striptags as Jinja2's", "template", `[{{ doc.html|striptags }}|{{ doc.html|striptags|length }}|{{ "a <!-- <b>x</b> --> b"|striptags }}|{{ "x &nbsp; y&#39;s &lt;z&gt; &amp;amp; &copy;"|striptags }}|{{ "<a\nhref='x'>link</a>\n\n  next"|striptags }}|{{ doc.qty|striptags }}]`,
		`{"html": "<div><p>Line one</p><p>Line &amp; two</p>\n<ul><li>A</li><li>B &lt;C&gt;</li></ul></div>", "qty": 3}`, nil},
	{"striptags then truncate and wordcount", "template", `{{ doc.html|striptags|truncate(12) }}|{{ doc.html|striptags|wordcount }}|{{ doc.html|striptags|title }}`,
		`{"html": "<p>Printer</p><p>on fire &amp; smoking</p>"}`, nil},
	{"pprint short", "template", `{{ [1, "a", None, 2.5, True]|pprint }}|{{ {"b": 1, "a": [2, 3]}|pprint }}|{{ (1,)|pprint }}|{{ "it's"|pprint }}|{{ 3|pprint }}|{{ doc.rate|pprint }}|{{ {}|pprint }}|{{ []|pprint }}`, invoice, nil},
	{"pprint long list and dict", "template", `{{ range(40)|list|pprint }}
{{ {"customer": doc.customer, "items": [[doc.tags, doc.error], ["a" * 30, "b" * 30, 1.5]], "total": doc.grand_total}|pprint }}
{{ [("x" * 50, "y" * 40)]|pprint }}`, invoice, nil},
	{"pprint long text", "template", `{{ ("word " * 30)|pprint }}
{{ doc.error|pprint }}
{{ ["word " * 25 ~ "end", "z"]|pprint }}
{{ {"k": "x " * 50}|pprint }}`, invoice, nil},
	{"a list filled in a loop", "template", `{% set codes = [] %}{% for i in doc.items %}{% set _ = codes.append(i.item_code) %}{% endfor %}{{ codes|join(", ") }} {{ codes|length }}`, invoice, nil},
	{"a list filled in nested loops", "template", `{% set out = [] %}{% for i in doc.items %}{% for c in i.item_code.split("-") %}{% if out.append(c ~ loop.index) %}{% endif %}{% endfor %}{% endfor %}{{ out }}`, invoice, nil},
	{"a list set in a loop stays in the loop", "template", `{% set x = ["outer"] %}{% for i in doc.items %}{% set x = [] %}{% set _ = x.append(i.qty) %}{{ x }}{% endfor %} {{ x }}`, invoice, nil},
	{"a list filled in a loop's else and filter", "template", `{% set seen = [] %}{% for i in doc.items if i.qty > 1 %}{% set _ = seen.append(i.qty) %}{% else %}none{% endfor %}{{ seen }}`, invoice, nil},
	{"a list's methods", "template", `{% set l = [3, 1] %}{% set _ = l.extend([2, "a"[0:0] or 5]) %}{% set _ = l.insert(0, 9) %}{% set _ = l.insert(-1, 7) %}{% set _ = l.insert(99, 8) %}{{ l }} {{ l.pop() }} {{ l.pop(0) }} {{ l.pop(-2) }} {{ l }} {% set _ = l.remove(1) %}{{ l }} {{ l.index(2) }} {{ l.count(3) }} {% set _ = l.sort() %}{{ l }} {% set _ = l.sort(reverse=true) %}{{ l }} {% set _ = l.reverse() %}{{ l }} {% set m = l.copy() %}{% set _ = l.clear() %}{{ l }} {{ m }}`, invoice, nil},
	{"a list's methods in a loop", "template", `{% set l = [] %}{% for i in doc.items %}{% set _ = l.extend(i.item_code.split("-")) %}{% set _ = l.insert(0, loop.index) %}{% endfor %}{{ l }} {% for x in range(3) %}{% set _ = l.pop() %}{% endfor %}{{ l }}`, invoice, nil},
	{"a namespace's list filled in a loop", "template", `{% set ns = namespace(codes=[]) %}{% for i in doc.items %}{% set _ = ns.codes.append(i.item_code) %}{% endfor %}{{ ns.codes|join("+") }}`, invoice, nil},
	{"a method's arguments run once", "template", `{% set l = [] %}{% set m = [] %}{% set _ = l.append(m.append(1)) %}{{ m }} {{ l|length }}`, invoice, nil},
	{"pop from an empty list fails", "template", `{% set l = [] %}{{ l.pop() }}`, invoice, nil},
	{"remove of a missing item fails", "template", `{% set l = [1] %}{{ l.remove(2) }}`, invoice, nil},
	{"index of a missing item fails", "template", `{{ [1, 2].index(3) }}`, invoice, nil},
	{"sorting a number and a text fails", "template", `{% set l = [1, "a"] %}{{ l.sort() }}`, invoice, nil},
	{"a written dict changed by its methods", "template", `{% set d = {"b": 1} %}{% set _ = d.update({"a": 2}) %}{% set _ = d.update(c=3) %}{% set _ = d.update([("b", 9)]) %}{{ d }} {{ d.keys()|list }} {{ d.values()|list }} {{ d.setdefault("a", 0) }} {{ d.setdefault("z", 5) }} {{ d.pop("b") }} {{ d.pop("q", "none") }} {{ d }}`, invoice, nil},
	{"a written dict's keys as Python tells them apart", "template", `{% set d = {1: "a", "x": "t"} %}{% set _ = d.update([(1.0, "b"), (True, "c"), ("1", "d"), (2.5, "e"), ("x", "u")]) %}{{ d }} {{ d.pop(1.0) }} {{ d.setdefault(True, "f") }} {{ d }}`, invoice, nil},
	{"a written dict with tuple keys", "template", `{{ {(1, 2): "t", "a": (3,)} }} {% set d = {(1, 2): "t"} %}{% set _ = d.update([((1, 2), "u")]) %}{{ d }} {{ d|length }} {{ [d] }}`, invoice, nil},
	{"a written dict changed in a loop", "template", `{% set totals = {} %}{% for i in doc.items %}{% set _ = totals.update({i.item_code: i.qty}) %}{% endfor %}{% for k, v in totals.items() %}{{ k }}={{ v }};{% endfor %}`, invoice, nil},
	{"a written dict's copy and clear", "template", `{% set d = {"b": 1, "a": 2} %}{% set e = d.copy() %}{% set _ = d.clear() %}{{ d }} {{ e }}`, invoice, nil},
	{"pop of a missing key fails", "template", `{% set d = {"a": 1} %}{{ d.pop("b") }}`, invoice, nil},
	{"a date's attributes", "template", `{{ frappe.utils.getdate(doc.due_date).year }}/{{ frappe.utils.getdate(doc.due_date).month }}/{{ frappe.utils.getdate(doc.due_date).day }} {{ frappe.utils.get_datetime(doc.creation).hour }}:{{ frappe.utils.get_datetime(doc.creation).minute }}:{{ frappe.utils.get_datetime(doc.creation).second }}.{{ frappe.utils.get_datetime(doc.creation).microsecond }} {{ frappe.utils.get_last_day(doc.due_date).day }}`, dated, nil},
	{"strftime", "template", `{{ frappe.utils.getdate(doc.due_date).strftime("%d.%m.%Y") }}|{{ frappe.utils.getdate(doc.due_date).strftime("%A %d %B %Y, week %U/%W/%V, day %j, %a %b %y %-d.%-m") }}|{{ frappe.utils.get_datetime(doc.creation).strftime("%I:%M %p %H:%M:%S.%f %c %x %X %%") }}`, dated, nil},
	{"a date's methods", "template", `{{ frappe.utils.getdate(doc.due_date).weekday() }} {{ frappe.utils.getdate(doc.due_date).isoweekday() }} {{ frappe.utils.getdate(doc.due_date).isoformat() }} {{ frappe.utils.get_datetime(doc.creation).isoformat() }} {{ frappe.utils.get_datetime(doc.creation).date() }} {{ frappe.utils.get_datetime(doc.creation).time() }} {{ frappe.utils.getdate(doc.due_date).replace(day=1) }} {{ frappe.utils.get_datetime(doc.creation).replace(hour=0, microsecond=0) }}`, dated, nil},
	{"a difference of dates", "template", `{{ (frappe.utils.getdate(doc.due_date) - frappe.utils.getdate(doc.posting_date)).days }} {{ frappe.utils.getdate(doc.due_date) - frappe.utils.getdate(doc.posting_date) }} | {{ frappe.utils.getdate(doc.posting_date) - frappe.utils.getdate(doc.due_date) }} | {{ frappe.utils.get_datetime(doc.creation) - frappe.utils.get_datetime(doc.posting_date) }} | {{ (frappe.utils.getdate() - frappe.utils.getdate(doc.due_date)).days }} days late`, dated, nil},
	{"a date in a condition of a template", "template", `{% if frappe.utils.getdate(doc.due_date) < frappe.utils.getdate() %}late by {{ (frappe.utils.getdate() - frappe.utils.getdate(doc.due_date)).days }}{% endif %}{% if frappe.utils.getdate(doc.due_date).weekday() == 4 %}, a Friday{% endif %}`, dated, nil},
	{"a date's format spec is strftime's", "template", `{{ "{:%d.%m.%Y}".format(frappe.utils.getdate(doc.due_date)) }} {{ "Due {0:%A, %d %B} ({1:%H:%M})".format(frappe.utils.getdate(doc.due_date), frappe.utils.get_datetime(doc.creation)) }} {{ "{due:%Y}".format(due=frappe.utils.getdate(doc.due_date)) }}`, dated, nil},
	{"a date less a timestamp fails", "template", `{{ frappe.utils.getdate(doc.due_date) - frappe.utils.get_datetime(doc.creation) }}`, dated, nil},
	{"a date has no hour", "template", `{{ frappe.utils.getdate(doc.due_date).date() }}`, dated, nil},
	{"a day out of its month fails", "template", `{{ frappe.utils.getdate(doc.due_date).replace(month=2, day=30) }}`, dated, nil},
	{"an empty dict is false", "template", `{{ 1 if {} else 2 }} {{ not {} }} {% if {} %}a{% else %}b{% endif %} {% set d = {} %}{% if d %}full{% else %}empty{% endif %}{% set _ = d.update(x=1) %} {% if d %}full{% else %}empty{% endif %} {% for i in [{}, {"a": 1}] if i %}{{ i }}{% endfor %}`, invoice, nil},
	{"an empty dict is false to and and or", "template", `{{ {} or "x" }}|{{ {} and "x" }}|{{ (1 if {} else 2) }}|{{ ("a" if {} else "b")|upper }}|{% set d = {} %}{{ d or "none" }}|{{ {"a": 1} and "y" }}|{{ ({} or {"k": 1}) if doc.name else 0 }}`, invoice, nil},
	{"frappe.bold and frappe.format_date", "template", `{{ frappe.bold(doc.name) }} {{ frappe.bold(doc.grand_total) }} {{ frappe.bold(None) }} {{ frappe.format_date(doc.posting_date) }}`, invoice, nil},
	{"the json filter is the ERP's as_json", "template", `{{ {"b": 1, "a": [1, 2.5, None], "c": {}, "d": "é<"}|json }}|{{ []|json }}|{{ 3.0|json }}|{{ [1, 2]|json(None) }}|{{ (1, "x")|json(0) }}`, invoice, nil},
	{"the json filter leaves out a document's None fields", "template", `{{ doc.items|json }} {{ doc|json }}`, `{"doctype": "Issue", "name": "ISS-1", "x": null, "n": 2.0, "items": [{"doctype": "Issue Item", "a": 1, "b": null}]}`, nil},
	{"json.dumps, json.loads and as_json", "template", `{{ json.dumps({"b": 1, "a": [2, 3.0, None]}) }}|{{ json.dumps({"b": 1, "a": 2}, sort_keys=True) }}|{{ json.dumps([1, {"x": "é"}], indent=2) }}|{{ json.dumps("é", ensure_ascii=False) }}|{{ json.dumps((1, 2), separators=(",", ":")) }}|{{ as_json([1, {"b": None, "a": 2}]) }}|{% set d = json.loads('{"b": 1, "a": [2, 3.0, null, true], "c": {"k": "x"}}') %}{{ d.b }} {{ d["a"][1] }} {{ d.c.k }} {{ d }}`, invoice, nil},
	{"json.dumps of a document fails as the ERP's", "template", `{{ json.dumps(doc) }}`, invoice, nil},
	{"a zero timedelta is false", "template", `{{ "same day" if not (frappe.utils.getdate(doc.due_date) - frappe.utils.getdate(doc.due_date)) else "later" }}`, dated, nil},
	{"tuples add to a tuple", "template", `{{ (1, 2) + (3,) }} {{ [1] + [2] }} {{ ((1,) + ("a", None))|length }}`, invoice, nil},
	{"a list and a tuple do not add", "template", `{{ [1] + (2,) }}`, invoice, nil},
	{"a tuple and a list do not add", "template", `{{ (1,) + [2] }}`, invoice, nil},
	// |wordwrap as Jinja2's: Python's textwrap on each line, long words broken by default.
	{"|wordwrap breaks a long word at the width", "template", `{{ "abcdefghijklmnopqrstuvwxyz"|wordwrap(10) }}`, invoice, nil},
	{"|wordwrap at its default width of 79", "template", `{{ "The customer Acme & Co asked for a revised quotation on all pending invoices before the year end."|wordwrap }}|{{ ("https://erp.example.com/app/sales-invoice/" ~ doc.name ~ "?print_format=Standard&letterhead=Acme")|wordwrap }}`, invoice, nil},
	{"|wordwrap keeps long words whole when told, by position", "template", `{{ "see abcdefghijklmnopqrstuvwxyz now"|wordwrap(10, False) }}|{{ "see abcdefghijklmnopqrstuvwxyz now"|wordwrap(10, False, "|") }}`, invoice, nil},
	{"|wordwrap breaks after the hyphens of compound words", "template", `{{ "a well-known self-contained re-entrant fix"|wordwrap(12) }}|{{ "a well-known self-contained re-entrant fix"|wordwrap(12, break_on_hyphens=False) }}`, invoice, nil},
	{"|wordwrap breaks a long word after a hyphen that fits", "template", `{{ "super-cali-fragilistic-expialidocious"|wordwrap(8) }}|{{ "super-cali-fragilistic"|wordwrap(8, true, "/", false) }}`, invoice, nil},
	{"|wordwrap keeps dashes and options whole", "template", `{{ "Hello there -- you goof-ball, use the -b option!"|wordwrap(9, wrapstring="/") }}`, invoice, nil},
	{"|wordwrap wraps each line as a paragraph", "template", `{{ doc.error|wordwrap(20, wrapstring=" / ") }}|{{ "one two three\n\nfour five\r\nsix"|wordwrap(7, wrapstring="|") }}`, invoice, nil},
	{"|wordwrap keeps the first line's leading spaces and tabs, counts characters", "template", `{{ "  leading spaces and\ttabs stay   inside  "|wordwrap(12, wrapstring="|") }}|{{ "Zoë Æsir straße café naïve"|wordwrap(9, wrapstring="|") }}`, invoice, nil},
	{"|wordwrap by keyword", "template", `{{ doc.customer|wordwrap(width=4, break_long_words=false, wrapstring="<br>", break_on_hyphens=false) }}`, invoice, nil},
	{"|wordwrap of an empty text", "template", `[{{ ""|wordwrap }}|{{ "\n"|wordwrap(5) }}|{{ ""|wordwrap(0) }}]`, invoice, nil},
	{"|wordwrap by a width of 0 fails", "template", `{{ "x"|wordwrap(0) }}`, invoice, nil},
	{"|wordwrap joined by a number fails", "template", `{{ "x"|wordwrap(10, true, 5) }}`, invoice, nil},
	{"|wordwrap of NULL is empty", "template", `[{{ doc.remarks|wordwrap }}]`, invoice, documented("[]")},
	{"|wordwrap of a number wraps its text", "template", `{{ doc.grand_total|wordwrap(3) }}`, invoice, documented("450\n00.\n5")},

	// |urlize as Jinja2's with the default policies: the text and the href escaped, the
	// punctuation around a link left out of it.
	{"|urlize escapes the text and the href", "template", `{{ "see https://example.com/x?a=1&b=2 now"|urlize }}|{{ (doc.customer ~ " <b> \"q\" it's at example.io, HTTP://EXAMPLE.COM")|urlize }}`, invoice, nil},
	{"|urlize leaves trailing punctuation out of the link", "template", `{{ "Visit www.example.org. Or example.com, or http://example.net/path)."|urlize }}`, invoice, nil},
	{"|urlize and brackets around links", "template", `{{ "(www.example.com) (see http://en.wikipedia.org/wiki/Set_(mathematics)) <http://example.com/a>"|urlize }}`, invoice, nil},
	{"|urlize of email addresses", "template", `{{ "mail ann@example.com, mailto:bob@example.org. or @ann@x.io, not www.a@b.com"|urlize }}`, invoice, nil},
	{"|urlize of IP addresses and IDNA domains", "template", `{{ "http://192.168.0.1:8080/x, https://[::1]/ http://xn--80ak6aa92e.xn--p1ai"|urlize }}`, invoice, nil},
	{"|urlize keeps the whitespace", "template", `{{ "go  to\n\twww.example.com"|urlize }}`, invoice, nil},
	{"|urlize trims the link's text", "template", `{{ "https://example.com/a/very/long/path www.example.org"|urlize(15) }}|{{ "https://example.com/a"|urlize(trim_url_limit=-5) }}|{{ "https://example.com/a"|urlize(0) }}`, invoice, nil},
	{"|urlize nofollow and target", "template", `{{ "www.example.com"|urlize(nofollow=true) }}|{{ "www.example.com"|urlize(none, true, "_blank") }}|{{ "www.example.com"|urlize(target="_top") }}`, invoice, nil},
	{"|urlize rel", "template", `{{ "www.example.com ann@example.com"|urlize(rel="external noopener nofollow", target="a&b") }}|{{ "www.example.com"|urlize(rel="") }}`, invoice, nil},
	{"|urlize extra_schemes", "template", `{{ "call tel:+3312345 or ftp://files.example.io/x or tel: itself"|urlize(extra_schemes=["tel:", "ftp://"]) }}`, invoice, nil},
	{"|urlize with a scheme that is no URI scheme fails", "template", `{{ "x"|urlize(extra_schemes=["tel"]) }}`, invoice, nil},
	{"|urlize of a number and of an empty text", "template", `[{{ doc.grand_total|urlize }}|{{ ""|urlize }}|{{ doc.qty|urlize(2) }}]`, invoice, nil},
	{"|urlize does not escape a safe text again", "template", `{{ "<b>www.x.com</b> a&b"|safe|urlize }}`, invoice, nil},
	{"|urlize of NULL is empty", "template", `[{{ doc.remarks|urlize }}]`, invoice, documented("[]")},

	// Floats print as Python prints them: numeric columns are floats in the ERP (its PostgreSQL
	// driver reads DECIMAL as float), so a whole amount prints with ".0".
	{"a whole float prints with .0", "template", `{{ doc.total }} {{ doc.grand_total }} {{ doc.rate }}`, `{"total": 45000.0, "grand_total": 45000.5, "rate": 2.25}`, nil},
	{"float arithmetic prints as Python", "template", `{{ doc.total * 2 }} {{ doc.total / 1000 }} {{ 10 / 2 }} {{ 7 // 2 }} {{ 7.5 // 2 }} {{ -7.5 // 2 }} {{ 10 % 3.0 }} {{ 2 ** 0.5 }} {{ 4 ** 0.5 }} {{ 2 ** -1 }} {{ doc.total - doc.total }}`, `{"total": 45000.0}`, nil},
	{"extreme floats print as Python", "template", `{{ 1e16 }} {{ 1e15 }} {{ 0.0001 }} {{ 0.00001 }} {{ -0.0 }} {{ 1.5e300 * 1e10 }} {{ 123456789.125 }} {{ 0.1 + 0.2 }}`, invoice, nil},
	{"floats through filters print as Python", "template", `{{ doc.total|round }} {{ doc.total|round(2) }} {{ 5|round }} {{ 5|round(1) }} {{ 5|round(method="floor") }} {{ 2.5|round(method="ceil") }} {{ doc.total|abs }} {{ doc.total|int }} {{ doc.total|float }} {{ 3|float }} {{ "2.50"|float }} {{ doc.total|string }} {{ [doc.total, 1]|max }} {{ [doc.total, 1]|min }}`, `{"total": 45000.0}`, nil},
	{"sums of floats print as Python", "template", `{{ doc.items|sum(attribute="qty") }} {{ doc.items|sum(attribute="amount") }} {{ [1, 2]|sum(start=0.5) }} {{ doc.items|sum("qty", 1) }} {{ doc.items|sum("qty", 0.5) }} {{ range(3)|sum }} {{ doc.items|map(attribute="amount")|join(", ") }} {{ doc.items|map(attribute="amount")|list }}`,
		`{"items": [{"qty": 2.0, "amount": 20.0}, {"qty": 1.0, "amount": 99.5}]}`, nil},
	{"floats in text print as Python", "template", `{{ doc.total ~ "" }} {{ "%s" % doc.total }} {{ "%d" % doc.total }} {{ "%r" % doc.total }} {{ "{}".format(doc.total) }} {{ "{!r}".format(doc.total) }} {{ "{:g}".format(doc.total) }} {{ "%s|%s"|format(doc.total, 1.5) }} {{ doc.total|string }}`, `{"total": 45000.0}`, nil},
	{"a float as text in a condition", "condition", `"%s" % doc.total == "45000.0" and "%s" % (doc.total / 1000) == "45.0" and "%s" % (doc.total * 1e12) == "4.5e+16" and "T%s" % doc.qty == "T2.0" and frappe.utils.cstr(doc.qty) == "2.0"`, `{"total": 45000.0, "qty": 2.0}`, nil},
	{"text filters take a float as its text", "template", `{{ doc.total|string|length }} {{ doc.total ~ doc.qty }} {{ doc.total|e }} {{ doc.total|replace(".0", "") }} {{ doc.total|urlencode }} [{{ doc.total|center(11) }}] {{ doc.total|upper }} {{ doc.total|trim }} {{ doc.total|wordcount }} {{ doc.total|striptags }} {{ doc.total|title }} {{ doc.total|default(0) }} {{ doc.total|pprint }} {{ doc.total|tojson }} {{ [doc.total, 0.5]|join("/") }} {{ doc.total|capitalize }}`, `{"total": 45000.0, "qty": 2.0}`, nil},
	{"the ERP's number helpers print as Python", "template", `{{ frappe.utils.flt(doc.total) }} {{ frappe.utils.flt("1,234.50") }} {{ frappe.utils.flt(doc.total, 2) }} {{ frappe.utils.cint(doc.total) }} {{ frappe.utils.flt(None) }} {{ doc.total|flt }} {{ doc.total|int }}`, `{"total": 45000.0}`, nil},
	{"flt with precision 0 is an int, as the ERP's rounded gives", "template", `{{ frappe.utils.flt(doc.half, 0) }} {{ frappe.utils.flt(3.5, 0) }} {{ frappe.utils.flt(-1, 0) }} {{ frappe.utils.flt(True, 0) }} {{ frappe.utils.flt("2.5", "0") }} {{ frappe.utils.flt(doc.half, None) }} {{ frappe.utils.flt("x", 0) }} {{ frappe.utils.flt(2.5, 1) }} {{ doc.half|flt(0) }} {{ "x"|flt(0) }} {{ frappe.utils.flt(doc.half, 0) is number }}`, `{"half": 2.5}`, nil},
	{"a float in a condition's text and a template's", "template", `{{ (doc.total or 0) }} {{ doc.missing or 0.0 }} {{ doc.total if doc.total else "none" }} {{ [doc.total]|first }} {{ {"a": doc.total}.a }}`, `{"total": 0.0}`, nil},

	// Macros as Jinja2's: the positional arguments past the parameters are varargs, the keywords
	// no parameter takes kwargs, when the body reads them; otherwise they fail the template.
	{"a macro's positional arguments past its parameters are varargs", "template", `{% macro row(label) %}{{ label }}: {{ varargs|join(", ") }} ({{ varargs|length }}){% endmacro %}{{ row("Items", doc.items[0].item_code, doc.items[1].item_code) }}|{{ row("None") }}|{% macro count() %}{{ varargs|length }}{% endmacro %}{{ count(1, 2, 3) }}`, invoice, nil},
	{"varargs is a tuple", "template", `{% macro m(a) %}{{ varargs }} {{ varargs[0] }} {% for v in varargs %}[{{ v }}]{% endfor %} {{ varargs|list }} {{ varargs == (2, doc.qty) }}{% endmacro %}{{ m(1, 2, doc.qty) }}|{{ m(1, 2) }}`, invoice, nil},
	{"a macro's keywords no parameter takes are kwargs, in the order written", "template", `{% macro m(x) %}{{ kwargs.get("y") }}{% endmacro %}{{ m(1, y=5) }}|{% macro link(text) %}{{ text }}{% for k, v in kwargs.items() %} {{ k }}={{ v }}{% endfor %} {{ kwargs }} {{ kwargs.rel }} {{ kwargs|length }}{% endmacro %}{{ link(doc.name, target="_blank", rel="noopener", id=doc.qty) }}`, invoice, nil},
	{"varargs and kwargs are empty when the call gives none", "template", `{% macro m(a, b=2) %}{{ a }}{{ b }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1) }}|{{ m(1, 3) }}|{{ m(1, b=4) }}`, invoice, nil},
	{"a keyword for a parameter given by position is in kwargs", "template", `{% macro m(a) %}{{ a }}{{ kwargs }}{% endmacro %}{{ m(1, a=2) }}`, invoice, nil},
	{"keyword arguments and defaults bind by name", "template", `{% macro m(a, b=a * 2, c="c") %}{{ a }}{{ b }}{{ c }}{% endmacro %}{{ m(b=2, a=1) }}|{{ m(doc.qty) }}|{{ m(1, c=doc.status) }}`, invoice, nil},
	{"parameters called varargs and kwargs are parameters", "template", `{% macro m(varargs, kwargs=0) %}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1) }}|{{ m(1, 2) }}`, invoice, nil},
	{"extra arguments to a macro that does not read varargs fail the template", "template", `{% macro m() %}x{% endmacro %}{{ m(1, 2, 3) }}`, invoice, nil},
	{"extra arguments fail the template when kwargs is read", "template", `{% macro m(a) %}{{ kwargs }}{% endmacro %}{{ m(1, 2, x=1) }}`, invoice, nil},
	{"an unknown keyword to a macro that does not read kwargs fails the template", "template", `{% macro m(x) %}{{ x }}{% endmacro %}{{ m(1, y=doc.qty) }}`, invoice, nil},
	{"a keyword for a parameter given by position fails the template", "template", `{% macro m(a, b) %}{{ a }}{% endmacro %}{{ m(1, a=2) }}`, invoice, nil},
	{"a macro with *args fails the template", "template", `{% macro m(*args) %}{{ args }}{% endmacro %}{{ m(1) }}`, invoice, nil},
	{"a parameter without a default after one with fails the template", "template", `{% macro m(a=1, b) %}{{ b }}{% endmacro %}{{ m() }}`, invoice, nil},
	// A {% call %} block gives its body to the macro it calls as caller().
	{"a call block gives its body to the macro as caller", "template", "{% macro card(title) %}*{{ title }}*\n{{ caller() }}{% endmacro %}{% call card(doc.name) %}Customer: {{ doc.customer }}{% endcall %}", invoice, nil},
	{"a call block's parameters are what caller() is given", "template", "{% macro rows(items) %}{% for r in items %}{{ caller(r, loop.index) }}{% endfor %}{% endmacro %}{% call(row, n) rows(doc.items) %}{{ n }}. {{ row.item_code }} x {{ row.qty }}\n{% endcall %}", invoice, nil},
	{"a caller's defaults, varargs and kwargs", "template", `{% macro m() %}{{ caller(1, 2) }}|{{ caller(y=doc.qty) }}{% endmacro %}{% call(x=0) m() %}{{ x }}{{ varargs }}{{ kwargs }}{% endcall %}`, invoice, nil},
	{"a macro tells whether it has a caller", "template", `{% macro m() %}{% if caller %}[{{ caller() }}]{% else %}none{% endif %}{% endmacro %}{{ m() }}|{% call m() %}c{% endcall %}`, invoice, nil},
	{"a call block's body sees the block's scope", "template", `{% macro m() %}{{ caller()|upper }}{% endmacro %}{% set x = doc.status %}{% for row in doc.items %}{% call m() %}{{ row.item_code }}-{{ x }}{% set x = 1 %}{{ x }} {% endcall %}{% endfor %}{{ x }}`, invoice, nil},
	{"a call block's call with keywords and kwargs", "template", `{% macro m(a, b) %}{{ a }}{{ b }}{{ kwargs }}{{ caller() }}{% endmacro %}{% call m(b=2, a=1, z=doc.qty) %}c{% endcall %}`, invoice, nil},
	{"a call block calling a macro that does not call caller fails the template", "template", `{% macro m() %}x{% endmacro %}{% call m() %}body{% endcall %}`, invoice, nil},
	{"too many arguments to caller fail the template", "template", `{% macro m() %}{{ caller(1, 2) }}{% endmacro %}{% call(x) m() %}{{ x }}{% endcall %}`, invoice, nil},
	{"caller without a call block fails the template", "template", `{% macro m() %}{{ caller() }}{% endmacro %}{{ m() }}`, invoice, nil},
	{"a call block of no call fails the template", "template", `{% macro m() %}{% endmacro %}{% call m %}x{% endcall %}`, invoice, nil},

	// The Document methods that compare with the document before the change (a case's "__before").
	{"has_value_changed on an update", "condition", `doc.has_value_changed("status") and not doc.has_value_changed("priority") and doc.status == "Closed"`,
		`{"name": "ISS-1", "status": "Closed", "priority": "High", "__before": {"name": "ISS-1", "status": "Open", "priority": "High"}}`, nil},
	{"has_value_changed compares numbers by value", "condition", `not doc.has_value_changed("qty") and doc.has_value_changed("rate") and not doc.has_value_changed("missing") and doc.has_value_changed("remarks")`,
		`{"name": "ISS-1", "qty": 3.0, "rate": 2.5, "remarks": "x", "__before": {"name": "ISS-1", "qty": 3, "rate": 2.25, "remarks": null}}`, nil},
	{"has_value_changed of a new document is true", "condition", `doc.has_value_changed("status") and doc.get_doc_before_save() is None`, `{"name": "ISS-1", "status": "Open"}`, nil},
	{"get_doc_before_save gives the state before", "condition", `doc.get_doc_before_save().status == "Open" and doc.get_doc_before_save().get("priority") == "High"`,
		`{"name": "ISS-1", "status": "Closed", "__before": {"name": "ISS-1", "status": "Open", "priority": "High"}}`, nil},
	{"a child row's has_value_changed is true", "condition", `doc.items[0].has_value_changed("qty")`,
		`{"name": "SINV-1", "items": [{"qty": 1}], "__before": {"name": "SINV-1", "items": [{"qty": 1}]}}`, nil},
	{"a template's document before the change", "template", `{{ doc.name }}: {{ doc.get_doc_before_save().status }} -> {{ doc.status }} {{ doc.has_value_changed("status") }} {{ doc.has_value_changed("qty") }} {{ doc.items[0].has_value_changed("qty") }} {{ doc.items[0].get_doc_before_save() is none }}`,
		`{"name": "ISS-1", "status": "Closed", "qty": 2.0, "items": [{"qty": 1}], "__before": {"name": "ISS-1", "status": "Open", "qty": 2, "items": [{"qty": 1}]}}`, nil},
	{"a new document in a template", "template", `{{ doc.has_value_changed("status") }} {{ doc.get_doc_before_save() is none }}`, `{"name": "ISS-1", "status": "Open"}`, nil},
	{"has_value_changed of a text fails the template", "template", `{{ doc.status.has_value_changed("x") }}`, `{"name": "ISS-1", "status": "Open"}`, nil},
	{"has_value_changed of a text fails the condition", "condition", `doc.status.has_value_changed("x")`, `{"name": "ISS-1", "status": "Open"}`, nil},

	// frappe.utils of periods, weekdays, numbers, lists and HTML, in conditions and templates. In
	// a condition the ERP's dates are compared with getdate()'s, equal to a text only here.
	{"now", "condition", `frappe.utils.now() == "2026-11-29 10:00:00.000000" and frappe.utils.now()[:10] == nowdate()`, dated, nil},
	{"add_years", "condition", `frappe.utils.add_years(doc.due_date, 1) == "2027-11-20" and frappe.utils.add_years("2028-02-29", -1) == "2027-02-28" and frappe.utils.add_years(doc.modified, 2) == "2028-11-20 17:45:00.000000" and frappe.utils.add_years(date=doc.posting_date, years=-2.0) == "2024-10-21"`, dated, nil},
	{"add_years by a fraction fails", "condition", `frappe.utils.add_years(doc.due_date, 0.5) > ""`, dated, nil},
	{"add_years by None fails", "condition", `frappe.utils.add_years(doc.due_date, None) > ""`, dated, nil},
	{"month_diff", "condition", `frappe.utils.month_diff(doc.due_date, doc.posting_date) == 2 and frappe.utils.month_diff(doc.posting_date, doc.due_date) == 0 and frappe.utils.month_diff("2027-01-01", doc.creation) == 4 and frappe.utils.month_diff(None, doc.due_date) == 1 and frappe.utils.month_diff(string_st_date="", string_ed_date="2026-12-31") == 2`, dated, nil},
	{"month_diff of a number fails", "condition", `frappe.utils.month_diff(doc.qty, doc.due_date) > 0`, dated, nil},
	{"time_diff_in_seconds", "condition", `frappe.utils.time_diff_in_seconds(doc.modified, doc.creation) == 2622597.876544 and frappe.utils.time_diff_in_seconds(doc.due_date, doc.posting_date) == 2592000 and frappe.utils.time_diff_in_seconds(None, nowdate()) == 36000 and frappe.utils.time_diff_in_seconds(doc.posting_date, doc.creation) == -33302.123456 and frappe.utils.cstr(frappe.utils.time_diff_in_seconds(doc.due_date, doc.due_date)) == "0.0"`, dated, nil},
	{"time_diff_in_seconds of an empty text fails", "condition", `frappe.utils.time_diff_in_seconds("", doc.due_date) > 0`, dated, nil},
	{"get_weekday", "condition", `frappe.utils.get_weekday(frappe.utils.getdate(doc.due_date)) == "Friday" and frappe.utils.get_weekday(frappe.utils.get_datetime(doc.creation)) == "Wednesday" and frappe.utils.get_weekday() == "Sunday" and frappe.utils.get_weekday(None) == "Sunday" and frappe.utils.get_weekday(datetime="") == "Sunday"`, dated, nil},
	{"get_weekday of a text that is no date fails", "condition", `frappe.utils.get_weekday(doc.status) > ""`, dated, nil},
	{"get_weekday of a number fails", "condition", `frappe.utils.get_weekday(doc.qty) > ""`, dated, nil},
	{"years", "condition", `frappe.utils.get_year_start(doc.due_date) == frappe.utils.getdate("2026-01-01") and frappe.utils.get_year_start(doc.creation, as_str=True) == "2026-01-01" and frappe.utils.get_year_ending(doc.due_date) == "2026-12-31" and frappe.utils.get_year_ending(None) == "2026-12-31" and frappe.utils.get_year_start(dt=None).year == 2026`, dated, nil},
	{"get_year_start of a number fails", "condition", `frappe.utils.get_year_start(doc.qty) is None`, dated, nil},
	{"get_year_ending of the year 9999 fails", "condition", `frappe.utils.get_year_ending("9999-05-01") > ""`, dated, nil},
	{"quarters", "condition", `frappe.utils.get_quarter_start(doc.due_date) == frappe.utils.getdate("2026-10-01") and frappe.utils.get_quarter_start(doc.posting_date, True) == "2026-10-01" and frappe.utils.get_quarter_ending(doc.creation) == frappe.utils.getdate("2026-12-31") and frappe.utils.get_quarter_ending("2026-03-31") == frappe.utils.getdate("2026-03-31") and frappe.utils.get_quarter_ending("2026-04-01").month == 6 and frappe.utils.get_quarter_start(dt="2026-02-28").month == 1 and frappe.utils.get_quarter_ending("").day == 31`, dated, nil},
	{"get_quarter_ending of a number fails", "condition", `frappe.utils.get_quarter_ending(doc.qty) is None`, dated, nil},
	{"weeks start on Sunday", "condition", `frappe.utils.get_first_day_of_week(doc.due_date) == frappe.utils.getdate("2026-11-15") and frappe.utils.get_last_day_of_week(doc.due_date) == frappe.utils.getdate("2026-11-21") and frappe.utils.get_first_day_of_week(nowdate()) == frappe.utils.getdate(nowdate()) and frappe.utils.get_last_day_of_week("2026-12-28").year == 2027 and frappe.utils.get_first_day_of_week(doc.creation, as_str=True) == "2026-10-18" and frappe.utils.get_first_day_of_week(None).weekday() == 6`, dated, nil},
	{"get_last_day_of_week takes no as_str", "condition", `frappe.utils.get_last_day_of_week(doc.due_date, True) > ""`, dated, nil},
	{"get_first_day_of_week of a number fails", "condition", `frappe.utils.get_first_day_of_week(doc.qty) is None`, dated, nil},
	{"floor and ceil", "condition", `frappe.utils.floor(doc.rate) == 2 and frappe.utils.ceil(doc.rate) == 3 and frappe.utils.floor(-doc.rate) == -3 and frappe.utils.ceil(-doc.rate) == -2 and frappe.utils.floor("1,234.9") == 1234 and frappe.utils.ceil(doc.remarks) == 0 and frappe.utils.floor(doc.customer) == 0 and frappe.utils.cstr(frappe.utils.floor(doc.grand_total)) == "45000" and frappe.utils.ceil(float("inf")) == 0 and frappe.utils.floor(float("nan")) == 0 and frappe.utils.floor(s=doc.qty) == 3 and frappe.utils.cstr(frappe.utils.ceil("-0.5")) == "0"`, invoice, nil},
	{"has_common", "condition", `frappe.utils.has_common(doc.tags.split(","), ["vip", "x"]) and not frappe.utils.has_common(doc.tags.split(","), ["x"]) and len(frappe.utils.has_common([1, 2, 2.0], (2, True))) == 2 and len(frappe.utils.has_common(doc.status, "aeiou")) == 2 and len(frappe.utils.has_common(l1=[None, doc.remarks], l2=[None])) == 1 and len(frappe.utils.has_common({"a": 1, "b": 2}, ["b", "c"])) == 1 and not frappe.utils.has_common([], doc.tags)`, invoice, nil},
	{"has_common of None fails", "condition", `frappe.utils.has_common(doc.remarks, ["x"])`, invoice, nil},
	{"has_common of a number fails", "condition", `frappe.utils.has_common(doc.tags, doc.qty)`, invoice, nil},
	{"has_common of lists fails", "condition", `frappe.utils.has_common([doc.items], [1])`, invoice, nil},
	{"strip_html", "condition", `frappe.utils.strip_html(doc.description) == "Printer on fire\nCall &amp; check here" and frappe.utils.strip_html("a < b") == "a < b" and frappe.utils.strip_html(text="") == ""`, `{"description": "<div><p>Printer <b>on fire</b></p><!-- note --><br/>\nCall &amp; check <a\nhref='x'>here</a></div>"}`, nil},
	{"strip_html of None fails", "condition", `frappe.utils.strip_html(doc.remarks) == ""`, invoice, nil},
	{"strip_html of a number fails", "condition", `frappe.utils.strip_html(doc.qty) == ""`, invoice, nil},
	{"is_html", "condition", `frappe.utils.is_html(doc.description) and frappe.utils.is_html("a < b") is None and frappe.utils.is_html(doc.remarks) == False and frappe.utils.is_html(doc.qty) is False and not frappe.utils.is_html("<>") and frappe.utils.is_html(text="x <br/>")`, `{"description": "<p>Printer <b>on fire</b></p>", "qty": 3}`, nil},
	{"now in a template", "template", `{{ frappe.utils.now() }}`, dated, nil},
	{"add_years in a template", "template", `{{ frappe.utils.add_years(doc.due_date, 1) }} | {{ frappe.utils.add_years("2028-02-29", -1) }} | {{ frappe.utils.add_years(doc.modified, 2) }} | {{ frappe.utils.add_years(date=doc.posting_date, years=-2.0) }} | {{ frappe.utils.add_years(None, 1) }}`, dated, nil},
	{"add_years by a fraction fails the template", "template", `{{ frappe.utils.add_years(doc.due_date, 1.5) }}`, dated, nil},
	{"add_years past the year 9999 fails the template", "template", `{{ frappe.utils.add_years("9999-05-01", 1) }}`, dated, nil},
	{"month_diff in a template", "template", `{{ frappe.utils.month_diff(doc.due_date, doc.posting_date) }} {{ frappe.utils.month_diff(doc.posting_date, doc.due_date) }} {{ frappe.utils.month_diff("2027-01-01", doc.creation) }} {{ frappe.utils.month_diff(None, doc.due_date) }} {{ frappe.utils.month_diff(string_ed_date="2026-12-31", string_st_date="") }}`, dated, nil},
	{"month_diff of a text that is no date fails the template", "template", `{{ frappe.utils.month_diff(doc.status, doc.due_date) }}`, dated, nil},
	{"time_diff_in_seconds in a template", "template", `{{ frappe.utils.time_diff_in_seconds(doc.modified, doc.creation) }} {{ frappe.utils.time_diff_in_seconds(doc.due_date, doc.posting_date) }} {{ frappe.utils.time_diff_in_seconds(doc.posting_date, doc.creation) }} {{ frappe.utils.time_diff_in_seconds(None, "2026-11-29") }}`, dated, nil},
	{"time_diff_in_seconds of a text that is no date fails the template", "template", `{{ frappe.utils.time_diff_in_seconds(doc.status, doc.due_date) }}`, dated, nil},
	{"get_weekday in a template", "template", `{{ frappe.utils.get_weekday(frappe.utils.getdate(doc.due_date)) }} {{ frappe.utils.get_weekday(frappe.utils.get_datetime(doc.creation)) }} {{ frappe.utils.get_weekday() }} {{ frappe.utils.get_weekday(None) }} {{ frappe.utils.get_weekday(datetime=frappe.utils.getdate("2026-12-28")) }}`, dated, nil},
	{"get_weekday of a number fails the template", "template", `{{ frappe.utils.get_weekday(doc.qty) }}`, dated, nil},
	{"years and quarters in a template", "template", `{{ frappe.utils.get_year_start(doc.due_date) }} {{ frappe.utils.get_year_start(doc.creation, as_str=True) }} {{ frappe.utils.get_year_ending(doc.due_date) }} {{ frappe.utils.get_quarter_start(doc.due_date) }} {{ frappe.utils.get_quarter_start("2026-02-28", True) }} {{ frappe.utils.get_quarter_ending(doc.creation) }} {{ frappe.utils.get_quarter_ending("2026-04-01") }} {{ frappe.utils.get_quarter_ending("2026-03-31") }} {{ frappe.utils.get_year_start(None) }}`, dated, nil},
	{"get_year_ending of the year 9999 fails the template", "template", `{{ frappe.utils.get_year_ending("9999-05-01") }}`, dated, nil},
	{"get_quarter_start of a text that is no date fails the template", "template", `{{ frappe.utils.get_quarter_start(doc.status) }}`, dated, nil},
	{"weeks in a template", "template", `{{ frappe.utils.get_first_day_of_week(doc.due_date) }} {{ frappe.utils.get_last_day_of_week(doc.due_date) }} {{ frappe.utils.get_first_day_of_week("2026-11-29") }} {{ frappe.utils.get_last_day_of_week("2026-12-28") }} {{ frappe.utils.get_first_day_of_week(doc.creation, as_str=True) }} {{ frappe.utils.get_last_day_of_week(None) }} {{ frappe.utils.get_first_day_of_week(dt="2026-11-28") }}`, dated, nil},
	{"get_first_day_of_week without a date fails the template", "template", `{{ frappe.utils.get_first_day_of_week() }}`, dated, nil},
	{"floor and ceil in a template", "template", `{{ frappe.utils.floor(doc.rate) }} {{ frappe.utils.ceil(doc.rate) }} {{ frappe.utils.floor(-doc.rate) }} {{ frappe.utils.ceil(-doc.rate) }} {{ frappe.utils.floor("1,234.9") }} {{ frappe.utils.ceil(doc.remarks) }} {{ frappe.utils.floor(doc.customer) }} {{ frappe.utils.floor(doc.grand_total) }} {{ frappe.utils.ceil("-0.5") }} {{ frappe.utils.floor(True) }} {{ frappe.utils.ceil(s=doc.qty) }} {{ frappe.utils.floor(doc.grand_total) is number }}`, invoice, nil},
	{"has_common in a template", "template", `{{ frappe.utils.has_common(doc.tags.split(","), ["vip", "x"])|list }} {{ frappe.utils.has_common(doc.tags.split(","), ["x"])|length }} {{ frappe.utils.has_common([1, 2, 2.0], (2, True))|length }} {% if frappe.utils.has_common(doc.status, "aeiou") %}vowels{% endif %} {{ frappe.utils.has_common({"a": 1, "b": 2}, ["b", "c"])|list }} {{ frappe.utils.has_common(l1=[doc.remarks], l2=[None])|length }}`, invoice, nil},
	{"has_common of None fails the template", "template", `{{ frappe.utils.has_common(doc.remarks, ["x"]) }}`, invoice, nil},
	{"has_common of a number fails the template", "template", `{{ frappe.utils.has_common(doc.tags, doc.qty) }}`, invoice, nil},
	{"is_html in a template", "template", `{% if frappe.utils.is_html(doc.description) %}html{% endif %} {{ frappe.utils.is_html("a < b") is none }} {{ frappe.utils.is_html(doc.qty) }} {{ frappe.utils.is_html(None) }} {% if not frappe.utils.is_html("<>") %}none{% endif %}`, `{"description": "<p>Printer <b>on fire</b></p>", "qty": 3}`, nil},
	{"strip_html of a number fails the template", "template", `{{ frappe.utils.strip_html(doc.qty) }}`, invoice, nil},

	// The frappe.utils differences the README documents: a text shaped as a date is a date,
	// has_common's set is a list, is_html's match is True.
	{"get_weekday of a date text", "condition", `frappe.utils.get_weekday(doc.due_date) == "Friday"`, dated, documented("true")},
	{"get_weekday of a date text in a template", "template", `{{ frappe.utils.get_weekday(doc.due_date) }}`, dated, documented("Friday")},
	{"has_common gives a list", "condition", `"%s" % frappe.utils.has_common(["a"], ["a"]) == "['a']"`, invoice, documented("true")},
	{"has_common prints a list", "template", `{{ frappe.utils.has_common(doc.tags.split(","), ["vip"]) }}`, invoice, documented("['vip']")},
	{"is_html gives True", "condition", `frappe.utils.is_html("<b>x</b>") == True`, invoice, documented("true")},
	{"is_html prints True", "template", `{{ frappe.utils.is_html("<b>x</b>") }}`, invoice, documented("True")},

	// The printing differences the README documents.
	{"NULL prints as nothing", "template", `[{{ doc.remarks }}]`, invoice, documented("[]")},
	{"no previous item prints as nothing", "template", `{% for x in [1, 2, 3] %}{{ loop.previtem }}/{{ loop.nextitem }},{% endfor %}`, invoice, documented("/2,1/3,2/,")},
	{"a dict from the document in key order", "template", `{% for k, v in comments[-1].items() %}{{ k }}={{ v }};{% endfor %} {{ comments[-1] }}`,
		`{"_comments": "[{\"comment\": \"Called\", \"by\": \"ann\", \"name\": \"c1\"}]"}`, documented("by=ann;comment=Called;name=c1; {'by': 'ann', 'comment': 'Called', 'name': 'c1'}")},
	{"a list's methods leave the document's list as it was", "template", `{% set l = doc.items %}{% set _ = l.reverse() %}{% set _ = l.append(1) %}{{ l|length }} {{ doc.items|length }} {{ doc.items[0].item_code }}`, invoice, documented("3 2 WID-1")},
	{"default on NULL", "template", `{{ doc.remarks|default("N/A") }}`, invoice, documented("N/A")},
	{"a text filter takes NULL as nothing", "template", `[{{ doc.remarks|striptags }}]`, invoice, documented("[]")},

	// Condition fidelity found by a differential hunt (cond-fidelity).
	{"a list times an int repeats it", "condition", `[doc.status] * 2 == ["Unpaid", "Unpaid"] and len(doc.items * 3) == 6 and 2 * (doc.qty,) == (3, 3) and doc.items * 0 == [] and not [1] * -1 and doc.tags.split(",") * True == ["urgent", "vip", "eu"]`, invoice, nil},
	{"a list times a float fails", "condition", `len([doc.qty] * doc.rate) > 0`, invoice, nil},
	{"a float power to a whole exponent is Python's to the last digit", "condition", `1.5 ** 1000 == 1.2338405969061735e+176 and "%r" % ((1 + doc.rate / 100) ** 12) == "1.3060499898875677" and doc.rate ** -2 == 1 / 5.0625`, invoice, nil},
	{"a float power too large fails", "condition", `doc.grand_total ** 100 > 0`, invoice, nil},
	{"int, float and cint read the digits of any script", "condition", `int("١٢") == 12 and float(" １２.５ ") == 12.5 and frappe.utils.cint("１２") == 12 and frappe.utils.flt("१,२००") == 1200`, invoice, nil},
	{"character classes as Python's", "condition", `"²".isdigit() and "①".isdigit() and not "½".isdigit() and "½".isnumeric() and "四".isnumeric() and "四五".isalnum() and "Ⅻ".isupper() and "ª".islower() and not "Ⓐ".islower() and "\x1c\x1f".isspace() and "\x1fa b\x1c".split() == ["a", "b"] and "\x1dx\x1e".strip() == "x" and doc.tags.split(None, 1) == [doc.tags]`, invoice, nil},
	{"repr escapes what Python cannot print", "condition", `"%r" % (doc.customer + "\u00a0\u200b\u2028") == "'Acme & Co\\xa0\\u200b\\u2028'" and "%r" % ["\x7f\U0001F600é"] == "['\\x7f😀é']"`, invoice, nil},
	{"float() reads signed nan and infinities", "condition", `float("-nan") != float("-NaN") and float("-Infinity") < 0 < float("+inf") and float(" -iNF ") == -float("infinity")`, invoice, nil},
	{"a power of nan or infinity", "condition", `float("nan") ** 0 == 1 and float("inf") ** 2 == float("inf") and (-float("inf")) ** 3 < 0`, invoice, nil},
	{"an int and a float compare by their exact values", "condition", `9007199254740993 != 9007199254740992.0 and 2 ** 53 + 1 > 2.0 ** 53 and 9223372036854775807 < 9.223372036854776e18 and -9223372036854775807 - 1 == -9.223372036854776e18 and 9007199254740993 not in [9007199254740992.0] and doc.qty == 3.0 and -3 < -2.5 < doc.rate < doc.qty`, invoice, nil},
	{"float floor division as Python's", "condition", `1 // 0.1 == 9.0 and 0.7 // 0.1 == 6.0 and 1 // -1e-7 == -10000001.0 and -7.5 // 2 == -4 and doc.grand_total // 0.1 == 450004.0`, invoice, nil},
	{"ints have no bounds", "condition", `2 ** 64 + 1 > 2 ** 64 and 9223372036854775807 + doc.qty == 9223372036854775810 and -(-9223372036854775807 - 1) == 2 ** 63 and 3037000500 * 3037000500 == 9223372037000250000 and (2 ** 64 - 1) // doc.qty == 6148914691236517205 and -(2 ** 64) % 7 == 5 and 2 ** 64 / 3 == 6.148914691236517e+18 and 2 ** 64 - 2 ** 64 == 0 and not 2 ** 70 - 2 ** 70 and 2 ** 63 in [9223372036854775808]`, invoice, nil},
	{"big ints as text and through int, float and round", "condition", `"%s|%r" % (10 ** 20, -2 ** 70) == "100000000000000000000|-1180591620717411303424" and f"{2 ** 64}" == "18446744073709551616" and int(1e20) == 10 ** 20 and int("99999999999999999999") == 10 ** 20 - 1 and float(2 ** 64) == 1.8446744073709552e19 and round(2 ** 70, -5) == 1180591620717411300000 and round(9223372036854775807, -1) == 9223372036854775810 and frappe.utils.cint(2 ** 70) == 2 ** 70 and frappe.utils.cstr(doc.qty * 10 ** 18 * 10) == "30000000000000000000"`, invoice, nil},
	{"big ints formatted with %", "condition", `"%d|%x|%+d|%e|%.1f" % (2 ** 70, 2 ** 64, -2 ** 64, 2 ** 70, 10 ** 20) == "1180591620717411303424|10000000000000000|-18446744073709551616|1.180592e+21|100000000000000000000.0"`, invoice, nil},
	{"rounded of a big int", "condition", `frappe.utils.rounded(2 ** 63) == 2 ** 63 and frappe.utils.rounded(2 ** 64, 1) == 1.8446744073709552e19`, invoice, nil},
	{"rounding a small negative number gives 0.0, not -0.0", "condition", `"%s|%s|%s" % (frappe.utils.rounded(-1e-7, 2), frappe.utils.flt(-0.001, 2), frappe.utils.flt("-0.004", 2)) == "0.0|0.0|0.0" and "%s" % frappe.utils.flt(-0.0) == "-0.0"`, invoice, nil},
	{"a big int too large for a float fails", "condition", `float(10 ** 400) > 0`, invoice, nil},
	{"an int too large for the budget fails", "condition", `2 ** 100000 > 0`, invoice, documented(refused)},
	{"a tuple and a list add as lists", "condition", `(doc.qty,) + doc.tags.split(",") == [3, "urgent", "vip", "eu"]`, invoice, documented("true")},
	{"a tuple equals a list", "condition", `doc.name.partition("-") == ["SINV", "-", "2026-00042"]`, invoice, documented("true")},
	{"is with a text literal is refused at load", "condition", `doc.status is not "Paid"`, invoice, documented(refused)},
	{"is with a number literal is refused at load", "condition", `doc.qty is 3 or doc.is_return is 0`, invoice, documented(refused)},
	{"is against None, True or False stays", "condition", `"x" is not None and not (doc.qty is None) and {} is not True and (doc.qty > 1) is True`, invoice, nil},
	{"a tuple prints as a list", "condition", `"%s" % (doc.name.partition("-"),) == "['SINV', '-', '2026-00042']"`, invoice, documented("true")},
	// Template fidelity found by a differential hunt (tpl-fidelity).
	{"Jinja's tests are Python's", "template", `{{ doc.is_return is false }} {{ 0 is false }} {{ False is false }} {{ doc.remarks is false }} {{ 1 is true }} {{ doc.qty is sameas 3 }} {{ none is sameas none }} {{ doc.is_return is sameas false }} {{ 1.0 is odd }} {{ True is odd }} {{ 4.0 is even }} {{ 7.5 is divisibleby 2.5 }} {{ 3 is lower }} {{ "" is lower }} {{ "abc" is sequence }} {{ {"a": 1} is sequence }} {{ "b" is gt "a" }} {{ doc.qty is ge 3 }} {{ doc.qty is lessthan 2.5 }} {{ [1] is eq [1] }} {{ [1, 2.0, 3.0, True]|select("odd")|list }} {{ [0, 1, False, none, ""]|select("false")|list }} {{ doc.items|selectattr("qty", "gt", 1)|map(attribute="item_code")|join }}`, invoice, nil},
	{"odd of NULL fails the template", "template", `{{ doc.remarks is odd }}`, invoice, nil},
	{"divisibleby 0 fails the template", "template", `{{ doc.qty is divisibleby 0 }}`, invoice, nil},
	{"a text less than a number fails the template", "template", `{{ doc.status is lt 3 }}`, invoice, nil},
	{"a test that fails in selectattr fails the template", "template", `{{ doc.items|selectattr("rate", "gt", doc.remarks)|list|length }}`, invoice, nil},
	{"add_days and add_months are add_to_date's", "template", `{{ frappe.utils.add_days(doc.remarks, -30) }} | {{ frappe.utils.add_months(doc.remarks, 1) }} | {{ frappe.utils.add_days(doc.due_date, 1.5) }} | {{ frappe.utils.add_days(doc.due_date, -1.5) }} | {{ frappe.utils.add_days("2026-12-31 10:00:00", 1) }}`, invoice, nil},
	{"add_days by a text fails the template", "template", `{{ frappe.utils.add_days(doc.due_date, "1") }}`, invoice, nil},
	{"|string and |join print tuples and quotes as Python's str", "template", `{{ {"b": 1, "a": doc.qty}.items()|list|string }} {{ (1, 2.5)|string }} {{ (doc.qty,)|string }} {{ {"b": 1}|dictsort|string }} {{ doc.tags.partition(",")|string }} {{ ["it's", doc.customer]|string }} {{ [("a", 1), ["it's"]]|join(" ") }}`, invoice, nil},
	{"str.removeprefix, removesuffix, isascii and isprintable", "template", `{{ doc.name.removeprefix("SINV-") }} {{ doc.customer.removesuffix(" & Co") }} {{ doc.name.removesuffix("x") }} {{ "".isascii() }} {{ doc.customer.isascii() }} {{ "Müller".isascii() }} {{ doc.customer.isprintable() }} {{ doc.error.isprintable() }} {{ "".isprintable() }}`, invoice, nil},
	{"removeprefix of a number fails the template", "template", `{{ doc.name.removeprefix(doc.qty) }}`, invoice, nil},
	{"is defined evaluates what it reads from as anywhere", "template", `{{ ("{} {}".format(doc.name * -1, doc.qty)).lstrip("S") is defined }} {{ (doc.qty // 2) is defined }} {{ (doc.remarks or "x").upper() is defined }} {{ doc.tags.split(",")[-1] is defined }} {{ doc.items[doc.qty - 3].qty is undefined }}`, invoice, nil},
	{"an error inside is defined fails the template", "template", `{{ (doc.qty // 0) is defined }}`, invoice, nil},
	{"a float's whole power is rounded once, as Python's", "template", `{{ (1 + doc.rate / 100) ** 12 }} {{ 106.2 ** 3 }} {{ 1.0001 ** 100 }} {{ doc.grand_total ** -2 }} {{ 1.07 ** 30.0 }} {{ 7 ** -3 }} {{ 0.5 ** 1074 }}`, invoice, nil},
	{"a float's power past the float range fails the template", "template", `{{ 10.0 ** 400 }}`, invoice, nil},
	{"tojson of a document fails the template", "template", `{{ doc|tojson }}`, invoice, nil},
	{"tojson of a child row fails the template", "template", `{{ doc.items|tojson }}`, `{"doctype": "Sales Invoice", "name": "S-1", "items": [{"doctype": "Sales Invoice Item", "item_code": "A", "qty": 1}]}`, nil},
	{"tojson of a child row's fields", "template", `{{ doc.items|map(attribute="item_code")|list|tojson }} {{ {"code": doc.items[0].item_code, "qty": doc.items[0].qty}|tojson }}`, `{"doctype": "Sales Invoice", "name": "S-1", "items": [{"doctype": "Sales Invoice Item", "item_code": "A&B", "qty": 1}]}`, nil},
	{"doc.get takes a default by position only when it is true, as the ERP's Document.get", "template", `{{ doc.get("nothing", "") is none }} {{ doc.get("nothing", 0) is none }} {{ (doc.get("nothing", False)|string).count("a") }} {{ doc.get("nothing", "x") }} {{ doc.get("nothing", default=0) + 1 }} {{ doc.get("qty", 0) }} {{ doc.get("nothing", None, None, 5) }} {{ {"a": 1}.get("b", 0) }}`, invoice, nil},
	{"doc.get's falsy default is None in arithmetic", "template", `{{ doc.get("discount_amount", 0) + 1 }}`, invoice, nil},
	{"break and continue, which the ERP's Jinja2 does not load", "template", `{% for i in doc.items %}{% if loop.index > 1 %}{% break %}{% endif %}{{ i.item_code }}{% endfor %}`, invoice, documented("WID-1")},
	{"a test binds to the operand before it, as a filter does", "template", `{{ 1 + 2 is odd }} {{ "a" ~ doc.status is string }} {{ doc.qty - 1 is even }} {{ doc.qty == 3 is sameas true }} {{ doc.qty * 2 is divisibleby 3 }} {{ 2 ** 2 is even }} {{ 1 + 2 is not odd }} {{ not 1 + 2 is odd }} {{ 1 + 2 * 3 is odd }} {{ (doc.qty - 1) is even }} {{ 1 + (2 + 4) is even }} {{ doc.rate > 2 and doc.qty is odd }} {{ doc.qty + 1 in [4] }} {% if doc.qty - 1 is divisibleby 2 %}y{% else %}n{% endif %}`, invoice, nil},
	{"urlencode keeps the slashes of a text, as Python's quote", "template", `{{ ("https://erp.example.com/app/" ~ doc.name)|urlencode }} {{ "a/b c&d=e?f#g+h~i_j.k!m*n'o(p);r:s@t$u,v"|urlencode }} {{ "Zoë/€"|urlencode }} {{ {"k/ey": "v a/l", "x": doc.customer}|urlencode }}`, invoice, nil},
	{"sort and unique as Python's", "template", `{{ [True, 2, 0]|sort }} {{ [1.5, True, 0]|sort }} {{ [False, 0.5]|sort(reverse=true) }} {{ [2, True, 1, 1.0]|unique|list }} {{ doc.items|sort(attribute="qty", reverse=true)|map(attribute="item_code")|join }} {{ [{"n": 2, "m": "b"}, {"n": 1, "m": "B"}, {"n": 1, "m": "a"}]|sort(attribute="n,m")|map(attribute="m")|join }} {{ ["b", "A", "a"]|sort }} {{ ["b", "a", "B"]|unique|list }}`, invoice, nil},
	{"sorting by a NULL field fails the template", "template", `{{ doc.items|sort(attribute="rate")|map(attribute="item_code")|join }}`, `{"doctype": "Sales Invoice", "items": [{"item_code": "A", "rate": 2}, {"item_code": "B", "rate": null}]}`, nil},
	{"sorting a text with a number fails the template", "template", `{{ [doc.status, doc.qty]|sort }}`, invoice, nil},
	{"unique of lists fails the template", "template", `{{ [[1], [1]]|unique|list }}`, invoice, nil},
	{"groupby a field that is NULL in a row fails the template", "template", `{% for g in doc.items|groupby("uom") %}{{ g.grouper }}={{ g.list|length }};{% endfor %}`, `{"doctype": "Sales Invoice", "items": [{"item_code": "A", "uom": "Nos"}, {"item_code": "B", "uom": null}]}`, nil},
	{"the length of a selection without |list", "template", `{{ doc.items|selectattr("qty", "gt", 1)|length }}`, invoice, documented("1")},
	{"the last of a map without |list", "template", `{{ doc.items|map(attribute="qty")|last }}`, invoice, documented("1")},
	{"a map printed without |list", "template", `{{ doc.items|map(attribute="qty") }}`, invoice, documented("[2, 1]")},
	{"round by floor or ceil to zero gives 0.0, not -0.0", "template", `{{ -0.5|round(0, "ceil") }} {{ (-doc.rate / 100)|round(1, "ceil") }} {{ -0.0|round(1, "floor") }} {{ -0.4|round }} {{ -doc.rate|round(1, "ceil") }}`, invoice, nil},
	{"sameas of two equal texts", "template", `{{ "a" is sameas "a" }}`, invoice, documented("False")},
	{"an empty dict is false to select, reject and default(x, true)", "template", `{{ [{}, doc.qty]|select|list }} {{ [{}, "", 0, [], {"a": 1}, doc.remarks, 1]|reject|list }} {{ {}|default("d", true) }} {{ {}|default("d", boolean=true) }} {{ {}|default("d") }} {{ ""|default("d", true) }}`, invoice, nil},
	// Format specs and condition leftovers (format-spec).
	{"doc.get ignores a false default by position, as the ERP's Document.get", "condition", `doc.get("nothing", 0) is None and doc.get("nothing", "") is None and doc.get("nothing", default=0) == 0 and doc.get("nothing", "x") == "x" and {"a": 1}.get("b", 0) == 0 and doc.get("qty", 0) == 3`, invoice, nil},
	{"flt and rounded of -0.0 are 0.0, and a float's power in a condition", "condition", `"%s|%s|%s" % (frappe.utils.flt(-0.0, 2), frappe.utils.rounded(-0.0, 2), round(-0.0, 2)) == "0.0|0.0|-0.0" and 1.0001 ** 100 == 1.0100496620928754 and doc.rate ** -7 == 0.0034254873907817508`, invoice, nil},
	{"str.format's specs as Python's", "template", `{{ "{:#.3g}|{:#x}|{:#o}|{:#.0f}|{:.0}|{:.4}|{:.3}|{:#.3}|{:z.1f}|{:010,.2f}|{:_b}|{:^+9.1%}|{:e}".format(99.995, 255, 8, 2.0, 2.675, -0.0, 10.0, 100.0, -0.04, -doc.grand_total, doc.qty * 100, 0.125, doc.qty) }}`, invoice, nil},
	{"str.format numbers a spec's fields with the others", "template", `{{ "[{:>{}}|{}|{!a:>6}]".format(doc.status, 8, doc.qty, "é") }}`, invoice, nil},
	{"a precision of an int's format spec fails the template", "template", `{{ "{:.3}".format(doc.qty) }}`, invoice, nil},
	{"f-strings with format specs", "condition", `f"{doc.grand_total:,.2f}|{doc.qty:03d}|{2**70:,}|{doc.rate:{doc.qty + 5}.{doc.qty}f}|{doc.customer!r:>14}|{doc.qty!s:>4}|{doc.customer:*^13}|{doc.rate:.0%}|{-doc.grand_total:012_.1f}|{doc.qty:#b}|{doc.rate:.3}|{True:d}|{doc.remarks}|{doc.qty:{'x'}>{4}}|{1e16:,}|{doc.qty:}|{doc.rate:\x3e5}" == "45,000.50|003|1,180,591,620,717,411,303,424|   2.250|   'Acme & Co'|   3|**Acme & Co**|225%|-0_045_000.5|0b11|2.25|1|None|xxx3|1e+16|3| 2.25"`, invoice, nil},
	{"a precision of an int's format spec fails", "condition", `f"{doc.qty:.2}" > ""`, invoice, nil},
	{"str.format in a condition", "condition", `"{} {:.2f}|{n}-{:>{w}}|{x[0]}|{!r:^11}|{k[a]}|{:,}".format(doc.customer, doc.grand_total, doc.qty, doc.grand_total, 2**70, n=doc.status, w=5, x=doc.name.split("-"), k={"a": doc.qty}) == "Acme & Co 45000.50|Unpaid-    3|SINV|  45000.5  |3|1,180,591,620,717,411,303,424"`, invoice, nil},
	{"a strftime format spec of a date fails in a condition", "condition", `f"{frappe.utils.getdate(doc.due_date):%d.%m}" > ""`, invoice, nil},
	{"repr of a text is Python's, control and invisible characters escaped, in either quotes", "template", `{{ ["it's\nok", "a\x00b\x1cc", "zero\u200bwidth", 'say "hi"\t'] }} {{ "%r|%r"|format("l'été\r", "\x7f") }} {{ doc.error.splitlines()[:1] }}`, invoice, nil},
	{"cstr takes an encoding, and needs its value", "template", `{{ frappe.utils.cstr(doc.due_date, "utf-8") }}|{{ frappe.utils.cstr(doc.qty, 5) }}|{{ frappe.utils.cstr(s=doc.remarks, encoding="latin-1") }}`, invoice, nil},
	{"cstr without its value fails", "template", `{{ frappe.utils.cstr() }}`, invoice, nil},
	// Template fidelity, second hunt (tpl-fidelity-2).
	{"str methods, trim and the tests upper and lower use Python's character classes", "template", `{{ "²".isdigit() }} {{ "Ⅻ".isupper() }} {{ "ª".islower() }} {{ "四".isnumeric() }} {{ "²a".isalnum() }} {{ "\x1c".isspace() }} {{ "\x1c x \x1f".strip() }}|{{ "\x1c x".lstrip() }}|{{ "x \x1f".rstrip() }}|{{ "\x1c x \x1f"|trim }}|{{ "xxaxx"|trim("x") }} {{ "Ⅻ" is upper }}`, invoice, nil},
	{"not not, and runs of signs", "template", `{{ not not doc.qty }} {{ not not not doc.remarks }}{% if not not doc.qty and doc.qty > 1 %} y{% endif %} {{ [not not doc.qty, not  not none] }} {{ "a" if not not doc.qty else "b" }} {{ not not doc.items|length }} {{ not not 1 in [1] }} {{ (not not doc.qty) }} {{ --doc.qty }} {{ -+doc.rate }} {{ 1 - -doc.qty }} {{ - - -2 }} {{ --True }} {{ +-2.5|abs }} {{ 2--1 }} {{ doc.items[--1].qty }} {% set q = doc.qty %}{{ q --1 }} {% set x = doc.qty --1 %}{{ x }} {{ 1 if doc.is_return else --2 }}`, invoice, nil},
	{"a run of signs on a text fails", "template", `{{ --doc.status }}`, invoice, nil},
	{"adjacent strings are one", "template", `{{ "a" "b" }} {{ "x" 'y"z' "w"|upper }} {{ 'it' "'s" }} {{ ("x" "y")|length }} {{ "%s-%s" "!" % (1, doc.qty) }} {{ "a"
  "b" }}`, invoice, nil},
	{"raw trims the white space inside it as Jinja2's", "template", "a {%- raw -%}   {{ x }}   {%- endraw -%}   b|{% raw -%}\n  x  {% endraw %}|{% raw %}  y\n{%- endraw %}|{%- raw %} z {% endraw -%} |{% raw -%} {%- endraw %}.", invoice, nil},
	{"safe makes a number or a list its text", "template", `{{ 3|safe }} {{ (3|safe) + "x" }} {{ 2.5|safe|length }} {{ (doc.qty|safe) ~ "!" }} {{ [1, "a"]|safe }} {{ (doc.rate|safe)[0] }} {{ doc.customer|safe }} {{ True|safe }} {{ (1, 2)|safe|length }} {{ doc.qty|safe * 2 }} {{ doc.qty|safe == 3 }}`, invoice, nil},
	{"safe of NULL is an empty text", "template", `{{ (doc.remarks|safe) ~ "!" }}`, invoice, documented("!")},
	{"a negative number to a fractional power fails the template", "template", `{{ (-8) ** 0.5 }}`, invoice, documented(refused)},
	{"a negative number to a whole float power, or the infinite one", "template", `{{ (-8) ** 2.0 }} {{ (-2.5) ** -1.0 }} {{ (-0.5) ** ("inf"|float) }} {{ (-("inf"|float)) ** 0.5 }}`, invoice, nil},
	{"cint and |int give their default for None, a list or an infinity", "template", `{{ frappe.utils.cint(doc.remarks, 1) }} {{ doc.remarks|int(4) }} {{ frappe.utils.cint(doc.nothing, default=2) }} {{ frappe.utils.cint([1], 7) }} {{ frappe.utils.cint({"a": 1}, 8) }} {{ ("inf"|float)|int(2) }} {{ frappe.utils.cint(doc.remarks) }} {{ frappe.utils.cint(doc.rate, 5) }} {{ frappe.utils.cint(doc.customer, 5) }}`, invoice, nil},
	{"an item of a list that fails fails the template", "template", `{% set rates = [doc.grand_total / doc.is_return, 1] %}ok`, invoice, nil},
	{"a list of computed items", "template", `{% set l = [doc.qty * 2, doc.rate|round] %}{% set _ = l.append(1) %}{{ l }} {% for i in doc.items %}{% set _ = l.append(i.qty + 1) %}{% endfor %}{{ l }} {{ [doc.qty + 1]|first }} {{ [doc.qty * 2, [doc.rate * 2]] }} {{ [doc.qty + 1] + [2] }} {% set ns = namespace(l=[doc.qty + 0]) %}{% set _ = ns.l.append(5) %}{{ ns.l }} {{ [doc.customer ~ "!"]|join }}`, invoice, nil},
	{"replace and format take anything as its text, a tuple as Python prints it", "template", `{{ (10,)|replace(" ", "") }} {{ doc.qty|replace("3", "x") }} {{ [1, 2]|replace(",", ";") }} {{ (1, 2)|format }} {{ doc.qty|format }} {{ doc.rate|replace(".", ",") }} {{ True|replace("T", "t") }} {{ {"a": 1}|replace("a", "b") }} {{ doc.name.partition("-")|replace("'", "") }}`, invoice, nil},
	{"escape leaves what safe, tojson or escape gave, but forceescape", "template", `{{ ("a", "<b>")|tojson|e }} {{ {"a": "x'y & z"}|tojson|escape }} {{ {"a": "x'y"}|tojson|forceescape }} {{ (doc.customer|tojson|e) }} {{ "<b>"|safe|e }} {{ "<b>"|e|e }} {{ "<b>"|e|forceescape }} {{ ("<b>"|e ~ "<i>")|e }}`, invoice, nil},
	{"a name set from safe is plain text to escape", "template", `{% set x = "<i>"|safe %}{{ x|e }}`, invoice, documented("&lt;i&gt;")},
	{"a character of a text is defined", "template", `{{ "abc"[-1] is undefined }} {{ "abc"[1] is defined }} {{ "abc"[5] is defined }} {{ "abc"[-4] is undefined }} {{ doc.customer[0] is defined }} {{ ""[0] is defined }} {{ "é"[0] is defined }} {{ "é"[1] is defined }}`, invoice, nil},
	{"an empty raw block", "template", `a {% raw %}{% endraw %} b|a {%- raw %}{% endraw -%} b|{% raw %}{%- endraw %}|{%raw%}{%endraw%}.`, invoice, nil},
	{"an undefined value is not iterable, a sequence or lower to the tests", "template", `{{ nothing is none }} {{ nothing is iterable }} {{ nothing is sequence }} {{ nothing is lower }}`, invoice, documented("False False False False")},
	// List comprehensions (RestrictedPython's _getiter_ lets the ERP run them). Their element
	// and clauses read only the loop's name here: on Python 3.11 and before, the condition's
	// names are not seen inside the brackets (see the README).
	{"a list comprehension's items", "condition", `[d.item_code for d in doc.items] == ["WID-1", "GAD-2"]`, invoice, nil},
	{"in a list comprehension", "condition", `"GAD-2" in [d.item_code for d in doc.items if d.rate > 50]`, invoice, nil},
	{"an empty list comprehension is false", "condition", `[d for d in doc.items if d.qty > 100]`, invoice, nil},
	{"a list comprehension's clauses", "condition", `len([d.qty * 2 for d in doc.items if d.qty >= 1 if d.rate < 50]) == 1`, invoice, nil},
	{"a list comprehension over a text and a dict", "condition", `[c for c in doc.name if c.isdigit()][-3:] == ["0", "4", "2"] and [k for k in {"b": 1, "a": 2}] == ["b", "a"]`, invoice, nil},
	{"nested list comprehensions", "condition", `[[y * 2 for y in x] for x in [[1, 2], [3]]] == [[2, 4], [6]]`, invoice, nil},
	{"a list comprehension's field a row lacks is None", "condition", `[d.missing for d in doc.items] == [None, None]`, invoice, nil},
	{"a list comprehension over a number fails", "condition", `[d for d in doc.qty]`, invoice, nil},
	{"a list comprehension over NULL fails", "condition", `[d for d in doc.remarks]`, invoice, nil},
	{"a list comprehension's name is its own", "condition", `[d for d in doc.items] and d`, invoice, nil},
	{"a list comprehension in statements", "condition", "d = 5\ncodes = [d.item_code for d in doc.items]\nreturn d == 5 and \"WID-1\" in codes", invoice, nil},
	// Dokos' conditions of several statements (safe_block_eval).
	{"a list a name holds, appended to", "condition", "codes = []\nfor d in doc.items:\n    if d.qty > 1:\n        codes.append(d.item_code)\nreturn codes == [\"WID-1\"]", invoice, nil},
	{"append to what is not a list fails", "condition", "s = \"a\"\ns.append(1)\nreturn True", invoice, nil},
	{"statements with if, elif, else and return", "condition", "status = doc.status\nif status == \"Paid\":\n    return False\nelif doc.qty > 2:\n    n = doc.qty\n    n += 1\n    return n == 4 and status.lower() == \"unpaid\"\nelse:\n    return True", invoice, nil},
	{"an assignment in a branch reaches the statements after the if", "condition", "limit = 100000\nif doc.customer.startswith(\"Acme\"):\n    limit = 40000\nlimit *= 1\nreturn doc.grand_total > limit", invoice, nil},
	{"a branch that assigns nothing leaves the name unbound", "condition", "if doc.qty > 5: big = True\nreturn big", invoice, nil},
	{"a path without return is None", "condition", "if doc.qty > 5:\n    return True", invoice, nil},
	{"a bare return is None", "condition", "if doc.qty:\n    return\nreturn True", invoice, nil},
	{"simple statements on one line, comments, blank lines and tabs", "condition", "# Dokos\nitems = doc.items; n = len(items)  # rows\n\nif n > 1 and doc.status in (\"Unpaid\", \"Overdue\"):\n\ttotal = 0\n\tpass\n\treturn n == 2 and total == 0\nreturn False", invoice, nil},
	{"an expression statement is evaluated, its value dropped", "condition", "doc.get(\"remarks\")\nfrappe.utils.flt(doc.rate)\nreturn doc.rate > 2", invoice, nil},
	{"an error in an expression statement fails", "condition", "doc.customer + 1\nreturn True", invoice, nil},
	{"a list grown with +=", "condition", "codes = []\ncodes += [doc.items[0].item_code]\ncodes += doc.tags.split(\",\")[:1]\nreturn codes == [\"WID-1\", \"urgent\"]", invoice, nil},
	{"a name read in the branch that does not assign it", "condition", "if doc.qty < 0:\n    m = 1\nelse:\n    return m > 0\nreturn True", invoice, nil},
	{"a loop returns from its first item that returns", "condition", "for i in doc.items:\n    if i.qty > 1:\n        return True\nreturn False", invoice, nil},
	{"a loop that returns nothing goes on after it", "condition", "for i in doc.items:\n    if i.qty > 5:\n        return True\nreturn doc.qty == 3", invoice, nil},
	{"a loop's value from its item, nested loops, texts and dict keys", "condition", "for i in doc.items:\n    for j in doc.items:\n        if i.qty != j.qty and i.item_code == \"GAD-2\":\n            return j.rate == 10.5\nfor c in doc.customer:\n    if c == \"&\": return False\nreturn True", invoice, nil},
	{"a loop over a dict's keys and a split text", "condition", "for k in {\"b\": 1, \"a\": 2}:\n    if k == \"a\":\n        for t in doc.tags.split(\",\"):\n            if t == \"vip\": return True\nreturn False", invoice, nil},
	{"a loop stops at its return, before a later item's error", "condition", "for i in doc.items:\n    if i.qty > 1: return True\n    if i.item_code + 1: pass\nreturn False", invoice, nil},
	{"an error in a loop's first item fails", "condition", "for i in doc.items:\n    if i.item_code + 1: pass\nreturn False", invoice, nil},
	{"a loop over None fails", "condition", "for i in doc.remarks:\n    return True\nreturn False", invoice, nil},
	{"a loop over nothing runs no statement", "condition", "for i in []:\n    return False\nreturn doc.qty", invoice, nil},
	{"a loop that sums", "condition", "total = 0\nfor i in doc.items:\n    total += i.qty\nreturn total == 3", invoice, nil},
	{"a loop carries its names from item to item, and stops at a return", "condition", "n = 0\nbig = None\nfor i in doc.items:\n    n += 1\n    if i.rate > 50:\n        big = i.item_code\n        if n > 1: return big == \"GAD-2\"\nreturn False", invoice, nil},
	{"a name a loop assigns, after it", "condition", "codes = \"\"\nfor i in doc.items:\n    last = i.item_code\n    codes = codes + last[0]\nreturn codes == \"WG\" and last == \"GAD-2\"", invoice, nil},
	{"a name a loop assigns, read before it is", "condition", "for i in doc.items:\n    if i.qty == 2: seen = seen + 1\n    seen = 0\nreturn True", invoice, nil},
	{"a name a loop over nothing would assign", "condition", "for i in []:\n    x = 1\nreturn x == 1", invoice, nil},
	{"break leaves the loop with its names as they are, continue goes to the next item", "condition", "n = 0\nfor c in doc.customer:\n    if c == \" \":\n        continue\n    if c == \"&\":\n        break\n    n += 1\nfor i in doc.items:\n    for j in doc.items:\n        first = j.item_code\n        break\n    last = first\nreturn n == 4 and last == \"WID-1\"", invoice, nil},
	{"break before a later item's error", "condition", "for i in doc.items:\n    break\n    i.item_code + 1\nfor i in doc.items:\n    if i.qty > 1: break\n    i.item_code + 1\nreturn True", invoice, nil},
	{"a loop's name after it is its last item, unbound after a loop over nothing", "condition", "for i in doc.items:\n    pass\nfor c in doc.customer:\n    if c == \"&\": break\nreturn i.item_code == \"GAD-2\" and c == \"&\"", invoice, nil},
	{"a loop's name after a loop over nothing", "condition", "for i in []:\n    pass\nreturn i", invoice, nil},
	{"a loop's else runs when it ends without a break", "condition", "for i in doc.items:\n    if i.qty > 5: break\nelse:\n    n = 1\nfor i in doc.items:\n    if i.qty > 1: break\nelse:\n    return False\nreturn n == 1 and i.item_code == \"WID-1\"", invoice, nil},
	{"a loop in a loop, both carrying", "condition", "pairs = 0\nfor i in doc.items:\n    for j in doc.items:\n        if i.qty > j.qty: pairs += 1\n    pairs *= 10\nreturn pairs == 100", invoice, nil},
	// frappe.utils.pretty_date, at the oracle's now, 2026-11-29 10:00.
	{"pretty_date in the ERP's words", "template", `{% for t in ["2026-11-29 09:59:30", "2026-11-29 09:58:59.5", "2026-11-29 09:58:00.000001", "2026-11-29 09:15:00", "2026-11-29 08:30:00", "2026-11-29 07:59:59", "2026-11-28 10:00:00", "2026-11-27 09:00:00", "2026-11-22 10:00:01", "2026-11-22 10:00:00", "2026-11-17 09:00:00", "2026-11-16 10:00:00", "2026-11-15 10:00:00", "2026-10-30 10:00:00", "2026-10-29 10:00:00", "2026-09-29 09:00:00", "2025-11-30 10:00:00", "2025-11-29 10:00:00", "2024-11-29 10:00:00", "2016-01-01 00:00:00", "0001-01-01 00:00:00", "2026-12-25 10:00:00"] %}{{ frappe.utils.pretty_date(t) }}|{% endfor %}{{ frappe.utils.pretty_date(doc.remarks) }}|{{ frappe.utils.pretty_date("") }}|{{ frappe.utils.pretty_date(iso_datetime=doc.creation) }}`, dated, nil},
	{"pretty_date of a date fails", "template", `{{ frappe.utils.pretty_date(doc.due_date) }}`, dated, nil},
	{"pretty_date of a number fails", "template", `{{ frappe.utils.pretty_date(doc.qty) }}`, dated, nil},
	// The same functions in conditions, with the templates' behaviour (internal/sitefmt).
	{"pretty_date in a condition", "condition", `frappe.utils.pretty_date("2026-11-29 09:59:30") == "just now" and frappe.utils.pretty_date("2026-11-29 09:15:00") == "45 minutes ago" and frappe.utils.pretty_date("2026-11-29 07:59:59") == "2 hours ago" and frappe.utils.pretty_date("2026-11-28 10:00:00") == "Yesterday" and frappe.utils.pretty_date("2026-11-17 09:00:00") == "1 week ago" and frappe.utils.pretty_date("2026-11-15 10:00:00") == "2 weeks ago" and frappe.utils.pretty_date("2026-10-29 10:00:00") == "1 month ago" and frappe.utils.pretty_date("2025-11-29 10:00:00") == "1 year ago" and frappe.utils.pretty_date("2016-01-01 00:00:00") == "10 years ago" and frappe.utils.pretty_date("2026-12-25 10:00:00") == "just now" and frappe.utils.pretty_date(iso_datetime=doc.creation) == "1 month ago" and frappe.utils.pretty_date(doc.modified) == "1 week ago" and frappe.utils.pretty_date(None) == "" and frappe.utils.pretty_date("") == ""`, dated, nil},
	{"pretty_date of a date fails in a condition", "condition", `frappe.utils.pretty_date(doc.due_date) == ""`, dated, nil},
	{"pretty_date of a number fails in a condition", "condition", `frappe.utils.pretty_date(doc.qty) == ""`, dated, nil},
	{"global_date_format and frappe.format_date in a condition", "condition", `frappe.utils.global_date_format(doc.due_date) == "November 20, 2026" and frappe.utils.global_date_format(doc.modified, "medium") == "Nov 20, 2026" and frappe.utils.global_date_format(doc.posting_date, "full") == "Wednesday, October 21, 2026" and frappe.utils.global_date_format(doc.due_date, format="short") == "11/20/26" and frappe.utils.global_date_format(None) == "November 29, 2026" and frappe.format_date(doc.posting_date) == "October 21, 2026"`, dated, nil},
	{"frappe.bold in a condition", "condition", `frappe.bold(doc.name) == "<strong>SINV-1</strong>" and frappe.bold(doc.qty) == "<strong>3</strong>" and frappe.bold(None) == "<strong>None</strong>" and frappe.bold(text=doc.status) == "<strong>Unpaid</strong>"`, dated, nil},
	{"frappe.flt and frappe.cint in a condition", "condition", `frappe.flt("1,234.5") == 1234.5 and frappe.flt(doc.remarks) == 0 and frappe.cint(doc.qty) == 3 and frappe.cint("x", default=-1) == -1`, dated, nil},
	// Weeks start on System Settings' first_day_of_the_week.
	{"weeks start on the site's first day, Monday", "condition", `frappe.utils.get_first_day_of_week(doc.due_date) == frappe.utils.getdate("2026-11-16") and frappe.utils.get_last_day_of_week(doc.due_date) == frappe.utils.getdate("2026-11-22") and frappe.utils.get_first_day_of_week(nowdate()) == frappe.utils.getdate("2026-11-23") and frappe.utils.get_first_day_of_week("2026-11-30").weekday() == 0 and frappe.utils.get_last_day_of_week("2026-12-28").year == 2027`, mondays, nil},
	{"weeks start on the site's first day, Saturday", "condition", `frappe.utils.get_first_day_of_week(doc.due_date) == frappe.utils.getdate("2026-11-15") and frappe.utils.get_first_day_of_week(doc.creation, as_str=True) == "2026-10-17" and frappe.utils.get_last_day_of_week(nowdate()) == frappe.utils.getdate("2026-12-04")`, `{"doctype": "Sales Invoice", "name": "SINV-1", "due_date": "2026-11-20", "creation": "2026-10-21 09:15:02.123456", "__first_day_of_the_week": "Saturday"}`, nil},
	{"weeks in a template from the site's first day", "template", `{{ frappe.utils.get_first_day_of_week(doc.due_date) }} {{ frappe.utils.get_last_day_of_week(doc.due_date) }} {{ frappe.utils.get_first_day_of_week("2026-11-29") }} {{ frappe.utils.get_first_day_of_week("2026-11-30") }} {{ frappe.utils.get_last_day_of_week(None) }} {{ frappe.utils.get_first_day_of_week(doc.creation, as_str=True) }}`, mondays, nil},
	// comma_and's siblings.
	{"comma_or, comma_sep and new_line_sep", "condition", `frappe.utils.comma_or(doc.tags.split(",")) == "'urgent', 'vip' or 'eu'" and frappe.utils.comma_or([doc.qty, None], add_quotes=False) == "3 or None" and frappe.utils.comma_sep(doc.tags.split(","), "{0} / {1}") == "'urgent', 'vip' / 'eu'" and frappe.utils.comma_sep(("a", 2.0), "{1} after {0}", False) == "2.0 after a" and frappe.utils.comma_sep([doc.name], "{0}-{1}") == doc.name and frappe.utils.comma_sep([], "x") == "" and frappe.utils.comma_or(doc.qty) == 3 and frappe.utils.new_line_sep(doc.tags.split(",")) == "urgent\n vip\n eu" and frappe.utils.new_line_sep((doc.qty,)) == "3" and frappe.utils.new_line_sep([]) == "" and frappe.utils.new_line_sep(doc.remarks) is None and frappe.utils.comma_sep(some_list=[1, 2], pattern="{0}+{1}", add_quotes=0) == "1+2"`, invoice, nil},
	{"comma_sep with a pattern that is no text fails", "condition", `frappe.utils.comma_sep([1, 2], 5) == ""`, invoice, nil},
	{"comma_sep with a pattern of three fields fails", "condition", `frappe.utils.comma_sep([1, 2], "{0}{1}{2}") == ""`, invoice, nil},
	{"comma_sep without a pattern fails", "condition", `frappe.utils.comma_sep([1, 2]) == ""`, invoice, nil},
	{"comma_or, comma_sep and new_line_sep in a template", "template", `{{ frappe.utils.comma_or(doc.tags.split(",")) }} | {{ frappe.utils.comma_or([doc.qty, doc.rate, None, True], False) }} | {{ frappe.utils.comma_or(["Acme & Co"]) }} | {{ frappe.utils.comma_sep(doc.items|map(attribute="item_code")|list, "{0} then {1}") }} | {{ frappe.utils.comma_sep(("a", "b", "c"), pattern="{1}: {0}", add_quotes=0) }} | {{ frappe.utils.comma_sep([], "{0}") }} | {{ frappe.utils.comma_sep(doc.customer, "{0}") }} | {{ frappe.utils.new_line_sep(doc.tags.split(",")) }} | {{ frappe.utils.new_line_sep([doc.qty]) + 1 if false else frappe.utils.new_line_sep([doc.qty]) }} | {{ frappe.utils.new_line_sep(doc.qty) + 1 }} | {{ frappe.utils.new_line_sep(some_list=()) }}`, invoice, nil},
	{"comma_sep with a pattern that is no text fails the template", "template", `{{ frappe.utils.comma_sep(["a", "b"], None) }}`, invoice, nil},
	{"comma_sep with a pattern of three fields fails the template", "template", `{{ frappe.utils.comma_sep(["a", "b"], "{2}") }}`, invoice, nil},
	// Numbers in words, through num2words on the ERP's side.
	{"in_words", "condition", `frappe.utils.in_words(doc.qty) == "three" and frappe.utils.in_words(1234567) == "one million, two hundred and thirty four thousand, five hundred and sixty seven" and frappe.utils.in_words(1234567, False) == "twelve lakh, thirty four thousand, five hundred and sixty seven" and frappe.utils.in_words(integer=0) == "zero" and frappe.utils.in_words(-21) == "minus twenty one" and frappe.utils.in_words(doc.rate) == "two" and frappe.utils.in_words("101") == "one hundred and one" and frappe.utils.in_words(True) == "one" and frappe.utils.in_words(1e16) == "ten quadrillion" and frappe.utils.in_words(0.5) == "zero" and frappe.utils.in_words(10 ** 10, in_million=0) == "ten billion"`, invoice, nil},
	{"in_words in French", "condition", `frappe.utils.in_words(123) == "cent vingt trois" and frappe.utils.in_words(99) == "quatre vingt dix neuf" and frappe.utils.in_words(1000) == "mille" and frappe.utils.in_words(2000000) == "deux millions" and frappe.utils.in_words(71) == "soixante et onze" and frappe.utils.in_words(280) == "deux cent quatre vingts" and frappe.utils.in_words(200000) == "deux cent mille" and frappe.utils.in_words(1234567, False) == "twelve lakh, thirty four thousand, five hundred and sixty seven"`, `{"__language": "fr"}`, nil},
	{"in_words in German", "condition", `frappe.utils.in_words(21) == "einundzwanzig" and frappe.utils.in_words(101000) == "einhunderteinstausend" and frappe.utils.in_words(1234567) == "eine Million zweihundertvierunddreißigtausendfünfhundertsiebenundsechzig" and frappe.utils.in_words(2000000) == "zwei Millionen" and frappe.utils.in_words(10 ** 9 + 1) == "eine Milliarde eins" and frappe.utils.in_words(1234567, False) == "twelve lakh, thirty four thousand, five hundred and sixty seven"`, `{"__language": "de-CH"}`, nil},
	{"in_words in Dutch", "condition", `frappe.utils.in_words(22) == "tweeëntwintig" and frappe.utils.in_words(101) == "honderdéén" and frappe.utils.in_words(1000001) == "een miljoen één" and frappe.utils.in_words(2 * 10 ** 9) == "twee miljard"`, `{"__language": "nl"}`, nil},
	{"in_words in Spanish", "condition", `frappe.utils.in_words(16) == "dieciseis" and frappe.utils.in_words(100) == "cien" and frappe.utils.in_words(101) == "ciento uno" and frappe.utils.in_words(21000) == "veintiuno mil" and frappe.utils.in_words(10 ** 9) == "mil millones" and frappe.utils.in_words(2000001) == "dos millones uno"`, `{"__language": "es-MX"}`, nil},
	{"in_words in Italian", "condition", `frappe.utils.in_words(23) == "ventitré" and frappe.utils.in_words(123) == "centoventitre" and frappe.utils.in_words(3003) == "tremilatré" and frappe.utils.in_words(123000000) == "centoventitré milioni" and frappe.utils.in_words(118) == "centodicotto" and frappe.utils.in_words(1001001001) == "un miliardo, un milione e milleuno" and frappe.utils.in_words(1234567, False) == "twelve lakh, thirty four thousand, five hundred and sixty seven"`, `{"__language": "it"}`, nil},
	{"in_words beyond Italian's largest name is English", "condition", `frappe.utils.in_words(10 ** 65) == "one hundred vigintillion"`, `{"__language": "it-IT"}`, nil},
	{"in_words in Portuguese", "condition", `frappe.utils.in_words(21) == "vinte e um" and frappe.utils.in_words(1100) == "mil e cem" and frappe.utils.in_words(1101) == "mil cento e um" and frappe.utils.in_words(1200300) == "um milhão duzentos mil e trezentos" and frappe.utils.in_words(10 ** 9) == "mil milhões" and frappe.utils.in_words(10 ** 18 + 200 * 10 ** 12) == "um trilião e duzentos biliões" and frappe.utils.in_words(10 ** 27) == "one octillion"`, `{"__language": "pt-BR"}`, nil},
	{"in_words beyond Spanish's largest name fails", "condition", `frappe.utils.in_words(10 ** 27) == ""`, `{"__language": "es"}`, nil},
	{"in_words beyond French's largest name fails", "condition", `frappe.utils.in_words(10 ** 606) == ""`, `{"__language": "fr"}`, nil},
	{"in_words on an Indian English site writes lakh", "condition", `frappe.utils.in_words(1234567) == "twelve lakh, thirty four thousand, five hundred and sixty seven"`, `{"__language": "en_IN"}`, nil},
	{"in_words in a language num2words lacks is English", "condition", `frappe.utils.in_words(21) == "twenty one"`, `{"__language": "zh"}`, nil},
	{"in_words of None fails", "condition", `frappe.utils.in_words(doc.remarks) == ""`, invoice, nil},
	{"in_words of a text with decimals fails", "condition", `frappe.utils.in_words("1.5") == ""`, invoice, nil},
	{"in_words of infinity fails", "condition", `frappe.utils.in_words(float("inf")) == ""`, invoice, nil},
	{"in_words beyond English's largest name fails", "condition", `frappe.utils.in_words(10 ** 306) == ""`, invoice, nil},
	{"in_words in a template", "template", `{{ frappe.utils.in_words(doc.qty) }} | {{ frappe.utils.in_words(1234567) }} | {{ frappe.utils.in_words(1234567, False) }} | {{ frappe.utils.in_words(integer=0) }} | {{ frappe.utils.in_words(-80) }} | {{ frappe.utils.in_words(doc.grand_total) }} | {{ frappe.utils.in_words(" 42 ") }} | {{ frappe.utils.in_words(1e16) }} | {{ frappe.utils.in_words(12345678901, in_million=False) }} | {{ frappe.utils.in_words(1000001) }} | {{ frappe.utils.in_words(100100) }}`, invoice, nil},
	{"in_words in French in a template", "template", `{{ frappe.utils.in_words(81) }} | {{ frappe.utils.in_words(91) }} | {{ frappe.utils.in_words(21) }} | {{ frappe.utils.in_words(1001) }} | {{ frappe.utils.in_words(3200000) }} | {{ frappe.utils.in_words(10 ** 9) }} | {{ frappe.utils.in_words(-200) }} | {{ frappe.utils.in_words(0) }}`, `{"__language": "fr-FR"}`, nil},
	{"in_words in German in a template", "template", `{{ frappe.utils.in_words(31) }} | {{ frappe.utils.in_words(1001) }} | {{ frappe.utils.in_words(3200000) }} | {{ frappe.utils.in_words("1" ~ "0" * 60) }} | {{ frappe.utils.in_words(-21) }} | {{ frappe.utils.in_words(0) }} | {{ frappe.utils.in_words(9223372036854775807) }}`, `{"__language": "de"}`, nil},
	{"in_words in Dutch in a template", "template", `{{ frappe.utils.in_words(23) }} | {{ frappe.utils.in_words(121000) }} | {{ frappe.utils.in_words(1001000000) }} | {{ frappe.utils.in_words(-1) }} | {{ frappe.utils.in_words("1" ~ "0" * 600) }}`, `{"__language": "nl-BE"}`, nil},
	{"in_words in Spanish in a template", "template", `{{ frappe.utils.in_words(26) }} | {{ frappe.utils.in_words(555) }} | {{ frappe.utils.in_words(1101) }} | {{ frappe.utils.in_words(2 * 10 ** 12) }} | {{ frappe.utils.in_words("9" * 27) }} | {{ frappe.utils.in_words(-1000000) }}`, `{"__language": "es"}`, nil},
	{"in_words in Italian in a template", "template", `{{ frappe.utils.in_words(21) }} | {{ frappe.utils.in_words(28) }} | {{ frappe.utils.in_words(23003) }} | {{ frappe.utils.in_words(1000023) }} | {{ frappe.utils.in_words(2 * 10 ** 9 + 3) }} | {{ frappe.utils.in_words(-123) }} | {{ frappe.utils.in_words("9" * 65) }} | {{ frappe.utils.in_words("1" ~ "0" * 66) }}`, `{"__language": "it"}`, nil},
	{"in_words in Portuguese in a template", "template", `{{ frappe.utils.in_words(16) }} | {{ frappe.utils.in_words(100) }} | {{ frappe.utils.in_words(101) }} | {{ frappe.utils.in_words(1234567) }} | {{ frappe.utils.in_words(10 ** 12 + 200 * 10 ** 6) }} | {{ frappe.utils.in_words(1001001001001) }} | {{ frappe.utils.in_words(-2000000) }} | {{ frappe.utils.in_words("9" * 27) }}`, `{"__language": "pt"}`, nil},
	{"in_words of None fails the template", "template", `{{ frappe.utils.in_words(doc.remarks) }}`, invoice, nil},
	{"in_words of a text that is no number fails the template", "template", `{{ frappe.utils.in_words(doc.customer) }}`, invoice, nil},
	{"money_in_words", "condition", `frappe.utils.money_in_words(123.45, "USD") == "USD One Hundred And Twenty Three and Forty Five Cent only." and frappe.utils.money_in_words(doc.grand_total) == "INR Forty Five Thousand and Fifty Cent only." and frappe.utils.money_in_words(0) == "INR Zero only." and frappe.utils.money_in_words(0.5, "EUR") == "Fifty Cent only." and frappe.utils.money_in_words(-1) == "" and frappe.utils.money_in_words("abc") == "" and frappe.utils.money_in_words("1,234") == "" and frappe.utils.money_in_words(" 12.5 ", main_currency="GBP", fraction_currency="Penny") == "GBP Twelve and Fifty Penny only." and frappe.utils.money_in_words(doc.qty, None, "") == "INR Three only." and frappe.utils.money_in_words(True) == "INR One only." and frappe.utils.money_in_words(1e16, "USD") == "USD Ten Quadrillion only." and frappe.utils.money_in_words(0.004) == "INR Zero only." and frappe.utils.money_in_words(0.999) == "INR One only."`, invoice, nil},
	{"money_in_words by the site's and the currency's formats", "condition", `frappe.utils.money_in_words(1234567.891) == "EUR One Million, Two Hundred And Thirty Four Thousand, Five Hundred And Sixty Seven and Eight Hundred And Ninety One Centime only." and frappe.utils.money_in_words(1234567.5, "INR") == "INR Twelve Lakh, Thirty Four Thousand, Five Hundred And Sixty Seven and Fifty Paisa only." and frappe.utils.money_in_words(7.5, "XOF") == "XOF Eight only." and frappe.utils.money_in_words(0.25, "USD") == "Two Hundred And Fifty Cent only."`, `{"__currency": "EUR", "__number_format": "#,###.###", "__currencies": {"EUR": {"fraction": "Centime"}, "INR": {"fraction": "Paisa", "number_format": "#,##,###.##"}, "XOF": {"number_format": "#.###"}}}`, nil},
	{"money_in_words in French", "condition", `frappe.utils.money_in_words(doc.total) == "EUR Quatre Vingt Onze and Vingt Et Un Centime only."`, `{"__language": "fr", "__currency": "EUR", "__currencies": {"EUR": {"fraction": "Centime"}}, "total": 91.21}`, nil},
	{"money_in_words in German", "condition", `frappe.utils.money_in_words(doc.total) == "EUR Einundneunzig and Einundzwanzig Cent only."`, `{"__language": "de", "__currency": "EUR", "total": 91.21}`, nil},
	{"money_in_words in Dutch", "condition", `frappe.utils.money_in_words(1001.22) == "EUR Duizendéén and Tweeëntwintig Cent only."`, `{"__language": "nl", "__currency": "EUR"}`, nil},
	{"money_in_words in Spanish", "condition", `frappe.utils.money_in_words(1280.81) == "EUR Mil Doscientos Ochenta and Ochenta Y Uno Cent only."`, `{"__language": "es", "__currency": "EUR"}`, nil},
	{"money_in_words in Italian", "condition", `frappe.utils.money_in_words(1023.88) == "EUR Milleventitre and Ottantotto Cent only."`, `{"__language": "it", "__currency": "EUR"}`, nil},
	{"money_in_words in Portuguese", "condition", `frappe.utils.money_in_words(1200.45) == "EUR Mil E Duzentos and Quarenta E Cinco Cent only."`, `{"__language": "pt", "__currency": "EUR"}`, nil},
	{"money_in_words of None fails", "condition", `frappe.utils.money_in_words(doc.remarks) == ""`, invoice, nil},
	{"money_in_words of a list fails", "condition", `frappe.utils.money_in_words(doc.items) == ""`, invoice, nil},
	{"money_in_words of infinity fails", "condition", `frappe.utils.money_in_words(float("inf")) == ""`, invoice, nil},
	{"money_in_words in a template", "template", `{{ frappe.utils.money_in_words(123.45, "USD") }} | {{ frappe.utils.money_in_words(doc.grand_total) }} | {{ frappe.utils.money_in_words(0) }} | {{ frappe.utils.money_in_words(0.07, fraction_currency="Paisa") }} | {{ frappe.utils.money_in_words(-0.5) }} | {{ frappe.utils.money_in_words(doc.customer) }} | {{ frappe.utils.money_in_words("45,000") }} | {{ frappe.utils.money_in_words("1e3", main_currency="EUR") }} | {{ frappe.utils.money_in_words(doc.qty, "") }} | {{ frappe.utils.money_in_words(100000.10, "INR") }}`, invoice, nil},
	{"money_in_words by the site's formats in a template", "template", `{{ frappe.utils.money_in_words(1234567.891) }} | {{ frappe.utils.money_in_words(2500000, "INR") }} | {{ frappe.utils.money_in_words(7.5, "XOF") }} | {{ frappe.utils.money_in_words(0.125) }}`, `{"__currency": "EUR", "__number_format": "#,###.###", "__currencies": {"EUR": {"fraction": "Centime"}, "INR": {"fraction": "Paisa", "number_format": "#,##,###.##"}, "XOF": {"number_format": "#.###"}}}`, nil},
	{"money_in_words in French in a template", "template", `{{ frappe.utils.money_in_words(1280.8) }} | {{ frappe.utils.money_in_words(0.81) }}`, `{"__language": "fr", "__currency": "EUR"}`, nil},
	{"money_in_words in German in a template", "template", `{{ frappe.utils.money_in_words(2000101.5) }} | {{ frappe.utils.money_in_words(0.31) }}`, `{"__language": "de-DE", "__currency": "EUR"}`, nil},
	{"money_in_words in Spanish in a template", "template", `{{ frappe.utils.money_in_words(1000000.16) }} | {{ frappe.utils.money_in_words(100) }}`, `{"__language": "es-AR", "__currency": "ARS"}`, nil},
	{"money_in_words in Italian in a template", "template", `{{ frappe.utils.money_in_words(3000000.23) }} | {{ frappe.utils.money_in_words(0.18) }} | {{ frappe.utils.money_in_words(118) }}`, `{"__language": "it-IT", "__currency": "EUR"}`, nil},
	{"money_in_words in Portuguese in a template", "template", `{{ frappe.utils.money_in_words(1234567.89) }} | {{ frappe.utils.money_in_words(0.21) }} | {{ frappe.utils.money_in_words(1000000000) }}`, `{"__language": "pt-BR", "__currency": "BRL"}`, nil},
	{"money_in_words of None fails the template", "template", `{{ frappe.utils.money_in_words(doc.remarks) }}`, invoice, nil},
	{"money_in_words of infinity fails the template", "template", `{{ frappe.utils.money_in_words("inf") }}`, invoice, nil},
	// time_diff, format_duration, safe_div, remainder, get_abbr, is_subset and compare.
	{"time_diff", "condition", `frappe.utils.time_diff(doc.modified, doc.creation).days == 30 and "%s" % frappe.utils.time_diff("2026-01-02 02:03:04", "2026-01-01") == "1 day, 2:03:04" and "%s" % frappe.utils.time_diff("2026-01-01 00:00:00", "2026-01-01 00:01:00") == "-1 day, 23:59:00" and frappe.utils.time_diff(None, nowdate()).seconds == 36000 and frappe.utils.time_diff(string_ed_date=doc.due_date, string_st_date=doc.due_date).total_seconds() == 0`, dated, nil},
	{"time_diff of a number fails", "condition", `frappe.utils.time_diff(doc.qty, doc.due_date).days > 0`, dated, nil},
	{"time_diff in a template", "template", `{{ frappe.utils.time_diff("2026-01-02 02:03:04", "2026-01-01") }} | {{ frappe.utils.time_diff("2026-01-01 00:00:00", "2026-01-01 00:01:00") }} | {{ frappe.utils.time_diff(doc.modified, doc.creation) }} | {{ frappe.utils.time_diff(doc.due_date, doc.posting_date).days }} | {{ frappe.utils.time_diff(None, "2026-11-29") }}`, dated, nil},
	{"time_diff of a text that is no date fails the template", "template", `{{ frappe.utils.time_diff(doc.status, doc.due_date) }}`, dated, nil},
	{"format_duration", "condition", `frappe.utils.format_duration(93784) == "1d 2h 3m 4s" and frappe.utils.format_duration(12885) == "3h 34m 45s" and frappe.utils.format_duration(0) == "" and frappe.utils.format_duration(None) == "" and frappe.utils.format_duration(-1) == "-1d 23h 59m 59s" and frappe.utils.format_duration(93784, hide_days=True) == "26h 3m 4s" and frappe.utils.format_duration("90.9") == "1m 30s" and frappe.utils.format_duration(86400.5) == "1d" and frappe.utils.format_duration("x") == "" and frappe.utils.format_duration(3600, True) == "1h" and frappe.utils.format_duration(1e15) == "11574074074d 1h 46m 40s"`, invoice, nil},
	{"format_duration in a template", "template", `{{ frappe.utils.format_duration(93784) }}|{{ frappe.utils.format_duration(doc.qty) }}|{{ frappe.utils.format_duration(0) }}|{{ frappe.utils.format_duration(-90061) }}|{{ frappe.utils.format_duration(seconds=90061, hide_days=1) }}|{{ frappe.utils.format_duration(doc.remarks) }}|{{ frappe.utils.format_duration("3600") }}`, invoice, nil},
	{"safe_div", "condition", `frappe.utils.safe_div(10, 3) == 3.33 and frappe.utils.safe_div(doc.grand_total, 0) == 0 and frappe.utils.safe_div(1, 0.0) == 0.0 and frappe.utils.safe_div(1, False) == 0 and frappe.utils.safe_div(10, 4, 0) == 2 and frappe.utils.safe_div(11, 4, 0) == 3 and frappe.utils.safe_div("10", 4) == 2.5 and frappe.utils.safe_div(2, 3, precision=5) == 0.66667 and frappe.utils.safe_div(-1, 3) == -0.33 and frappe.utils.safe_div(1e308, 1e-10) == 0 and frappe.utils.safe_div(7, 2, None) == 4 and frappe.utils.cstr(frappe.utils.safe_div(1, 0)) == "0.0" and frappe.utils.cstr(frappe.utils.safe_div(9, 2, 0)) == "4"`, invoice, nil},
	{"safe_div of None fails", "condition", `frappe.utils.safe_div(doc.remarks, 2) == 0`, invoice, nil},
	{"safe_div by a text fails", "condition", `frappe.utils.safe_div(1, "2") == 0`, invoice, nil},
	{"safe_div of a text that is no number fails", "condition", `frappe.utils.safe_div("x", 2) == 0`, invoice, nil},
	{"safe_div in a template", "template", `{{ frappe.utils.safe_div(10, 3) }} {{ frappe.utils.safe_div(doc.grand_total, doc.is_return) }} {{ frappe.utils.safe_div(10, 4, 0) }} {{ frappe.utils.safe_div(" 10 ", 4) }} {{ frappe.utils.safe_div(2, 3, precision=4) }} {{ frappe.utils.safe_div(doc.grand_total, doc.qty) }} {{ frappe.utils.safe_div(0.5, 0.25, 1) }}`, invoice, nil},
	{"safe_div of None fails the template", "template", `{{ frappe.utils.safe_div(doc.remarks, 3) }}`, invoice, nil},
	{"remainder", "condition", `frappe.utils.remainder(10, 3) == 1 and frappe.utils.remainder(10.5, 3) == 1.5 and frappe.utils.remainder(-10, 3) == 2 and frappe.utils.remainder(10, -3) == -2 and frappe.utils.remainder(10, 3, 0) == 1 and frappe.utils.remainder(0.3, 0.1) == 0 and frappe.utils.remainder(5.55, 0.05, precision=2) == 0 and frappe.utils.remainder(7, 2.5, None) == 2 and frappe.utils.cstr(frappe.utils.remainder(10, 3)) == "1.0" and frappe.utils.cstr(frappe.utils.remainder(10, 3, 0)) == "1" and frappe.utils.remainder(1.25, 1, -1) == 0 and frappe.utils.remainder(True, 2) == 1`, invoice, nil},
	{"remainder by zero fails", "condition", `frappe.utils.remainder(10, 0) == 0`, invoice, nil},
	{"remainder of None fails", "condition", `frappe.utils.remainder(doc.remarks, 2) == 0`, invoice, nil},
	{"remainder in a template", "template", `{{ frappe.utils.remainder(10, 3) }} {{ frappe.utils.remainder(10.5, 3) }} {{ frappe.utils.remainder(-10, 3) }} {{ frappe.utils.remainder(doc.grand_total, 7, 0) }} {{ frappe.utils.remainder(0.3, 0.1) }} {{ frappe.utils.remainder(doc.rate, 0.5, precision=3) }}`, invoice, nil},
	{"remainder by zero fails the template", "template", `{{ frappe.utils.remainder(doc.qty, 0) }}`, invoice, nil},
	{"get_abbr", "condition", `frappe.utils.get_abbr(doc.customer) == "A&" and frappe.utils.get_abbr("John  Doe Smith", 3) == "JDS" and frappe.utils.get_abbr("") == "?" and frappe.utils.get_abbr("  ") == "?" and frappe.utils.get_abbr("Émile zola", max_len=1) == "É" and frappe.utils.get_abbr("a b", 0) == "?" and frappe.utils.get_abbr("a b c", 2.5) == "abc"`, invoice, nil},
	{"get_abbr of None fails", "condition", `frappe.utils.get_abbr(doc.remarks) == "?"`, invoice, nil},
	{"get_abbr with a text max_len fails", "condition", `frappe.utils.get_abbr("a b", "2") == "ab"`, invoice, nil},
	{"get_abbr in a template", "template", `{{ frappe.utils.get_abbr(doc.customer) }} {{ frappe.utils.get_abbr("Sales Invoice Item", max_len=3) }} {{ frappe.utils.get_abbr("") }} {{ frappe.utils.get_abbr(doc.status) }}`, invoice, nil},
	{"get_abbr of a number fails the template", "template", `{{ frappe.utils.get_abbr(doc.qty) }}`, invoice, nil},
	{"is_subset", "condition", `frappe.utils.is_subset(["vip"], doc.tags.split(",")) and not frappe.utils.is_subset(["vip", "x"], doc.tags.split(",")) and frappe.utils.is_subset([], []) and not frappe.utils.is_subset(["vip", "vip"], doc.tags.split(",")) and frappe.utils.is_subset("ab", "abc") and frappe.utils.is_subset([1, True], [1]) == False and frappe.utils.is_subset(list_a=(2.0,), list_b=[2])`, invoice, nil},
	{"is_subset of None fails", "condition", `frappe.utils.is_subset(doc.remarks, [])`, invoice, nil},
	{"is_subset in a template", "template", `{{ frappe.utils.is_subset(["vip"], doc.tags.split(",")) }} {{ frappe.utils.is_subset(["vip", "vip"], doc.tags.split(",")) }} {{ frappe.utils.is_subset("ab", "abc") }} {{ frappe.utils.is_subset([], [1]) }} {{ frappe.utils.is_subset({"a": 1}, ["a"]) }}`, invoice, nil},
	{"compare", "condition", `frappe.utils.compare(doc.qty, ">", 2) and frappe.utils.compare(doc.status, "=", "Unpaid") and frappe.utils.compare(doc.status, "!=", "Paid") and frappe.utils.compare(doc.status, "in", ["Unpaid", "Overdue"]) and frappe.utils.compare("vip", "not in", ["x"]) and frappe.utils.compare(doc.name, "^", "SINV") and frappe.utils.compare(doc.remarks, "^", "") and frappe.utils.compare(doc.remarks, "None", None) and frappe.utils.compare(doc.qty, "not None", None) and not frappe.utils.compare(1, "like", 1) and frappe.utils.compare("10", ">", "9", "Int") and frappe.utils.compare("true", "=", 1, "Check") and frappe.utils.compare("1,000.5", "=", 1000.5, "Float") and frappe.utils.compare(3, "=", "3", "Data") and frappe.utils.compare(doc.due_date, ">", "2026-12-01", fieldtype="Date") and frappe.utils.compare(None, "<", doc.due_date, "Date") and frappe.utils.compare(doc.qty, "<", 3, "Select") == False and frappe.utils.compare(10, "<", 9, "Link") and frappe.utils.compare(val1=2, condition=">=", val2=2.0)`, invoice, nil},
	{"compare ordering text with a number fails", "condition", `frappe.utils.compare(doc.status, ">", 1)`, invoice, nil},
	{"compare in a template", "template", `{{ frappe.utils.compare(doc.qty, ">", 2) }} {{ frappe.utils.compare(doc.status, "in", "Unpaid or Paid") }} {{ frappe.utils.compare(doc.name, "^", "SINV") }} {{ frappe.utils.compare(doc.qty, "between", 1) }} {{ frappe.utils.compare("2", "<", "10", "Int") }} {{ frappe.utils.compare("2", "<", "10") }} {{ frappe.utils.compare(doc.remarks, "None", 0) }} {{ frappe.utils.compare("2026-01-05 10:00:00", "=", "2026-01-05", "Date") }} {{ frappe.utils.compare(None, "=", "", "Datetime") }}`, invoice, nil},
	{"compare ordering None fails the template", "template", `{{ frappe.utils.compare(doc.remarks, "<", 1) }}`, invoice, nil},
}

// oracleResult is one answer of testdata/oracle.py.
type oracleResult struct {
	OK    bool   `json:"ok"`
	Value any    `json:"value"`
	Error string `json:"error"`
}

func runOracle(t *testing.T, cases []oracleCase) []oracleResult {
	t.Helper()
	python, err := oraclePython()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the oracle needs python3, jinja2 and num2words (Debian: python3 python3-jinja2 python3-num2words): %v", err)
		}
		t.Skipf("python3 with jinja2 and num2words not available: %v", err)
	}
	type input struct {
		Kind string `json:"kind"`
		Src  string `json:"src"`
		Doc  string `json:"doc"` // as written, so that 45000.0 stays a float
	}
	var in []input
	for _, c := range cases {
		in = append(in, input{c.kind, c.src, c.doc})
	}
	body, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, "testdata/oracle.py")
	cmd.Stdin = bytes.NewReader(body)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle.py: %v\n%s", err, stderr.String())
	}
	var results []oracleResult
	if err := json.Unmarshal(out, &results); err != nil || len(results) != len(cases) {
		t.Fatalf("oracle.py answered %d results for %d cases: %v", len(results), len(cases), err)
	}
	return results
}

// oraclePython is the first Python 3 with Jinja2 and num2words: python3 on PATH, else Debian's
// (the packages the README's test command installs are for it, and a python3 of pyenv or a
// virtualenv may come first on PATH).
func oraclePython() (string, error) {
	var err error
	for _, name := range []string{"python3", "/usr/bin/python3"} {
		var python string
		if python, err = exec.LookPath(name); err != nil {
			continue
		}
		if err = exec.Command(python, "-c", "import jinja2, num2words").Run(); err == nil {
			return python, nil
		}
	}
	return "", err
}

// oracleDoc is a case's row as the stream gives it: whole JSON numbers as int64, others as
// float64.
func oracleDoc(t *testing.T, s string) map[string]any {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var doc map[string]any
	if err := d.Decode(&doc); err != nil {
		t.Fatalf("doc %s: %v", s, err)
	}
	return plainNumbers(doc).(map[string]any)
}

func plainNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil && !strings.ContainsAny(x.String(), ".eE") {
			return i
		}
		f, _ := x.Float64()
		return f
	case map[string]any:
		for k, item := range x {
			x[k] = plainNumbers(item)
		}
	case []any:
		for i, item := range x {
			x[i] = plainNumbers(item)
		}
	}
	return v
}

// walnotify runs a case through walnotify: the value, or the error at load or at run time.
func walnotify(c oracleCase, doc map[string]any) (any, error) {
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	// A case gives the document's state before the change as its "__before".
	before, _ := doc["__before"].(map[string]any)
	delete(doc, "__before")
	// and System Settings' first_day_of_the_week as its "__first_day_of_the_week".
	var week time.Weekday
	if name, ok := doc["__first_day_of_the_week"].(string); ok {
		week, _ = weekday(name)
		delete(doc, "__first_day_of_the_week")
	}
	// The site's language, default currency, number format and Currency records as its
	// "__language", "__currency", "__number_format" and "__currencies" ({"USD": {"fraction":
	// "Cent", "number_format": "#,###.##", "symbol": "$"}}).
	site := Site{Language: "en"}
	site.Language, _ = cmp.Or(doc["__language"], any(site.Language)).(string)
	site.Currency, _ = doc["__currency"].(string)
	site.NumberFormat, _ = doc["__number_format"].(string)
	if records, ok := doc["__currencies"].(map[string]any); ok {
		site.Currencies = map[string]currency.Record{}
		for name, r := range records {
			fields, _ := r.(map[string]any)
			fraction, _ := fields["fraction"].(string)
			format, _ := fields["number_format"].(string)
			symbol, _ := fields["symbol"].(string)
			site.Currencies[name] = currency.Record{Fraction: fraction, NumberFormat: format, Symbol: symbol}
		}
	}
	for _, key := range []string{"__language", "__currency", "__number_format", "__currencies"} {
		delete(doc, key)
	}
	if c.kind == "condition" {
		cond, err := condition.Compile(c.src)
		if err != nil {
			return nil, err
		}
		return cond.Evaluate(condition.Input{Doc: doc, Before: before, Now: now, WeekStart: week, Words: site.Words(), Formats: site.Formats()})
	}
	tpl, err := render.Compile(c.src)
	if err != nil {
		return nil, err
	}
	r := site.Render()
	r.WeekStart = week
	return tpl.Render(render.Data{Doc: doc, Now: now, Format: render.Plain, Before: before, Site: r})
}

func TestOracleAgreesWithTheERP(t *testing.T) {
	results := runOracle(t, oracleCases)
	version := oracleJinja2(t)
	for i, c := range oracleCases {
		t.Run(c.kind+"/"+c.name, func(t *testing.T) {
			erp := results[i]
			if want, ok := sinceJinja2[c.name]; ok {
				if olderJinja2(version, want.version) {
					t.Logf("the oracle's Jinja2 %s is older than %s: walnotify is compared with what %s answers", version, want.version, want.version)
					erp = oracleResult{OK: true, Value: want.value}
				} else if erp.Value != want.value || !erp.OK {
					t.Errorf("Jinja2 %s answers %q, %s; the answer recorded for %s is %q", version, erp.Value, erp.Error, want.version, want.value)
				}
			}
			compareWithTheERP(t, c, erp)
		})
	}
}

// sinceJinja2 holds, for the cases whose answer changed in a Jinja2 release newer than Debian
// 12's (3.1.2, what .ci/run installs), the answer of the release walnotify follows: the ERP
// asks for Jinja2 ~= 3.1.2, so a site installed today runs the newest 3.1. An older oracle is
// compared with that answer instead of its own; a newer one must still give it.
var sinceJinja2 = map[string]struct{ version, value string }{
	// Jinja2 3.1.2 links "@ann@x.io" as mailto:@ann@x.io.
	"|urlize of email addresses": {"3.1.6", `mail <a href="mailto:ann@example.com">ann@example.com</a>, ` +
		`<a href="mailto:bob@example.org">bob@example.org</a>. or @ann@x.io, not www.a@b.com`},
}

// oracleJinja2 is the version of the oracle's Jinja2.
func oracleJinja2(t *testing.T) string {
	t.Helper()
	python, err := oraclePython()
	if err != nil {
		t.Fatalf("the oracle's Python: %v", err)
	}
	out, err := exec.Command(python, "-c", "import jinja2; print(jinja2.__version__)").Output()
	if err != nil {
		t.Fatalf("the oracle's Jinja2 version: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// olderJinja2 reports whether version a comes before b ("3.1.2" before "3.1.6" and "3.10.0").
func olderJinja2(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := range max(len(as), len(bs)) {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return x < y
		}
	}
	return false
}
