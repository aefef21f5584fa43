package condition

import (
	"math"
	"testing"
)

// trueInPython are expressions that Python 3, with the ERP's frappe.utils, evaluates to True.
// cstr() of a result shows its type the way Python prints it ("44" is an int, "44.0" a float).
var trueInPython = []string{
	// flt: commas removed, unreadable values are 0.0, "Banker's Rounding (legacy)"
	`frappe.utils.flt("1,234.5") == 1234.5`,
	`frappe.utils.cstr(frappe.utils.flt(None)) == "0.0"`,
	`frappe.utils.flt("abc") == 0 and frappe.utils.flt("") == 0 and frappe.utils.flt([]) == 0`,
	`frappe.utils.cstr(frappe.utils.flt(True)) == "1.0"`,
	`frappe.utils.cstr(frappe.utils.flt(3)) == "3.0"`,
	`frappe.utils.flt(" 12.5 ") == 12.5 and frappe.utils.flt("1e3") == 1000`,
	`frappe.utils.flt("10,500.5666", 2) == 10500.57`,
	`frappe.utils.cstr(frappe.utils.flt("43.5", 0)) == "44"`,
	`frappe.utils.cstr(frappe.utils.flt("42.5", 0)) == "42"`,
	`frappe.utils.cstr(frappe.utils.flt(-2.5, 0)) == "-2"`,
	`frappe.utils.flt(2.675, 2) == 2.68 and frappe.utils.flt(1.005, 2) == 1.01`,
	`frappe.utils.flt(None, 2) == 0 and frappe.utils.flt(45000.5, "2") == 45000.5`,
	`frappe.utils.flt(1234.5, -2) == 1200`,
	// rounded: the same legacy rounding as flt's, an int at precision 0 (ints kept exactly)
	`frappe.utils.cstr(frappe.utils.rounded(2.5)) == "2" and frappe.utils.rounded(3.5) == 4 and frappe.utils.cstr(frappe.utils.rounded(3, 2)) == "3.0"`,
	`frappe.utils.rounded(2 ** 62 + 1) == 2 ** 62 + 1 and frappe.utils.rounded(1250, -2) == 1300 and frappe.utils.cstr(frappe.utils.rounded(True, 2)) == "1.0"`,
	`frappe.utils.rounded(1.005, 2) == 1.01 and frappe.utils.rounded(2.5, None) == 2 and frappe.utils.rounded(12.34, "x") == 12`,
	// cint: int(), else int(float()), else the default
	`frappe.utils.cint("1.5") == 1 and frappe.utils.cint("abc") == 0 and frappe.utils.cint(True) == 1`,
	`frappe.utils.cint(None) == 0 and frappe.utils.cint("") == 0 and frappe.utils.cint(" 42 ") == 42`,
	`frappe.utils.cint(2.9) == 2 and frappe.utils.cint(-2.9) == -2 and frappe.utils.cint("-2.9") == -2`,
	`frappe.utils.cint("1,000") == 0 and frappe.utils.cint("1e3") == 1000 and frappe.utils.cint("1_000") == 1000`,
	`frappe.utils.cint("abc", 7) == 7 and frappe.utils.cint("nan") == 0 and frappe.utils.cint("inf") == 0`,
	// cstr and str(): Python's way of writing values
	`frappe.utils.cstr(None) == "" and frappe.utils.cstr("x") == "x" and frappe.utils.cstr(1) == "1"`,
	`frappe.utils.cstr(45000.5) == "45000.5" and frappe.utils.cstr(40000.0) == "40000.0"`,
	`frappe.utils.cstr(True) == "True" and frappe.utils.cstr(1e16) == "1e+16" and frappe.utils.cstr(1e15) == "1000000000000000.0"`,
	`frappe.utils.cstr(0.0001) == "0.0001" and frappe.utils.cstr(0.00001) == "1e-05" and frappe.utils.cstr(0.1 + 0.2) == "0.30000000000000004"`,
	`frappe.utils.cstr([1, "a", None, "it's"]) == "[1, 'a', None, \"it's\"]"`,
	`frappe.utils.cstr(-0.0) == "-0.0" and frappe.utils.cstr(float("inf")) == "inf"`,
	// round: ties to even on the exact binary value
	`round(2.5) == 2 and round(3.5) == 4 and round(-0.5) == 0 and frappe.utils.cstr(round(2.5)) == "2"`,
	`round(2.675, 2) == 2.67 and round(0.125, 2) == 0.12 and round(0.375, 2) == 0.38`,
	`round(1234.5, -2) == 1200 and frappe.utils.cstr(round(1234.5, -2)) == "1200.0"`,
	`round(1250, -2) == 1200 and round(1350, -2) == 1400 and round(-1250, -2) == -1200 and round(7, 2) == 7`,
	`frappe.utils.cstr(round(45000.5, None)) == "45000"`,
	// int() and float()
	`int("  -12 ") == -12 and int("1_000") == 1000 and int(3.99) == 3 and int(-3.99) == -3 and int(True) == 1`,
	`float("1e-3") == 0.001 and float(" inf ") > 1e308 and float("-1_000.5") == -1000.5 and float(".5") == 0.5`,
	`frappe.utils.cstr(float(2)) == "2.0" and frappe.utils.cstr(int(2.0)) == "2"`,
	// arithmetic
	`-7 // 2 == -4 and 7 // -2 == -4 and -7 % 3 == 2 and 7 % -3 == -2`,
	`-7.5 % 2 == 0.5 and frappe.utils.cstr(7.5 // 2) == "3.0" and 2 ** -1 == 0.5`,
	`2 ** 62 == 4611686018427387904 and frappe.utils.cstr(10 / 4) == "2.5" and frappe.utils.cstr(8 / 4) == "2.0"`,
	`1 + 2 * 3 - 4 == 3 and (1 + 2) * 3 == 9 and "ab" + "cd" == "abcd" and "ab" * 2 == "abab"`,
	`[1, 2] + [3] == [1, 2, 3] and -(-3) == 3 and +True == 1 and True + True == 2`,
	// equality and ordering
	`1 == 1.0 and True == 1 and "1" != 1 and [1, 2] == [1.0, 2] and None != 0 and None == None`,
	`True > 0 and "a" < "b" and [1, 2] < [1, 3] and [1, 2] < [1, 2, 0] and "é" > "z" and "B" < "a"`,
	`1 < 2 < 3 and not 1 < 3 < 2 and 1 < 2 != 3 and 2 == 2 in [2]`,
	`not (0 < 1 > 2) and (0 or "") == "" and (1 and []) == []`,
	// membership
	`"b" in ["a", "b"] and 2 in (1, 2.0) and ("x",) != () and "ell" in "hello" and "" in "abc"`,
	`(1 not in [True]) == False and "k" in {"k"} and "z" not in {"a", "b"}`,
	// dicts: truth, ==, in, len, indexing, get, and keys(), values() and items() as Python's views
	`{} == {} and not {} and {"a": 0} and len({"a": 1, "b": 2}) == 2 and {"a": 1, "b": [2]} == {"b": [2.0], "a": True} and {"a": 1} != {"a": 1, "b": 1} and {} != []`,
	`"a" in {"a": 1} and "b" not in {"a": 1} and 1 not in {"a": 1} and None not in {} and {"a": 1} in [{"a": 1.0}]`,
	`{"a": 1, "a": 2} == {"a": 2} and {"a": 1}["a"] == 1 and {"a": [1, 2]}["a"][-1] == 2 and {"a": {"b": "c"}}["a"]["b"] == "c" and {"k" + "ey": 1}["key"] == 1`,
	`{"a": 1}.get("a") == 1 and {"a": 1}.get("b") is None and {"a": 1}.get("b", 0) == 0 and {"a": None}.get("a", 0) is None and {"a": 1}.get(1, 2) == 2`,
	`"a" in {"a": 1}.keys() and 1 in {"a": 1}.values() and ("a", 1) in {"a": 1}.items() and ("a", 2) not in {"a": 1}.items() and "a" not in {"a": 1}.items() and len({"a": 1}.items()) == 1 and not {}.keys()`,
	`{"a": 1, "b": 2}.keys() == {"b": 3, "a": 4}.keys() and {"a": 1}.items() != {"a": 2}.items() and {"a": 1}.values() != {"a": 1}.values() and {"a": 1}.keys() != ["a"] and {}.keys() == {}.items()`,
	`{"a": 1}.keys() < {"a": 1, "b": 2}.keys() and {"a": 1}.keys() <= {"a": 2}.keys() and not {"a": 1}.keys() < {"b": 1}.keys() and not {"a": 1}.keys() >= {"b": 1}.keys() and {"a": 1, "b": 2}.items() > {"b": 2}.items()`,
	// a dict prints and joins in the order its keys were first written
	`"%s" % ({"b": 1, "a": "x", "b": 2},) == "{'b': 2, 'a': 'x'}" and frappe.utils.cstr({"b": None, "a": True}) == "{'b': None, 'a': True}" and "%s" % {"a": 1} == "{'a': 1}" and "%(b)s-%(a)s" % {"a": 1, "b": "x"} == "x-1"`,
	`"%s|%s|%s" % ({"b": 1, "a": 2}.keys(), {"b": 1}.values(), {"b": 1, "a": "x"}.items()) == "dict_keys(['b', 'a'])|dict_values([1])|dict_items([('b', 1), ('a', 'x')])"`,
	`", ".join({"b": 1, "a": 2}) == "b, a" and "-".join({"b": 1, "a": 2}.keys()) == "b-a" and "".join({"k": "v", "l": "w"}.values()) == "vw"`,
	// f-strings: values as str() writes them, !r as repr(), braces doubled, joined with literals
	`f"{1}-{2.0}-{None}-{True}" == "1-2.0-None-True" and f"{'x'!r}|{'x'!s}|{[1, 'a']}" == "'x'|x|[1, 'a']" and f"{{a}}" == "{a}" and f"a" == "a"`,
	`"a" f"{1 + 1}" 'b' == "a2b" and f"{ {'k': 'v'}['k'] }" == "v" and f'{"}"}' == "}" and rf"\d{1}" == "\d1" and f"	{1 != 2}" == "	True" and f"""{"q"}""" == "q"`,
	// f-strings' format specs, as format(value, spec), nested fields in them
	`f"{1234.5:,.2f}|{7:03d}|{2 ** 70:,}|{'ab':>4}|{3:{'>'}{4}}|{0.5!s:>5}|{-0.0:z.1f}" == "1,234.50|007|1,180,591,620,717,411,303,424|  ab|   3|  0.5|0.0"`,
	// str.format, as templates'
	`"{} {:.2f}|{n:>{w}}".format("a", 2.5, n="b", w=3) == "a 2.50|  b" and "{x[0]}{y[k]}".format(x=[1], y={"k": 2}) == "12"`,
	// methods
	`"Hello".lower() == "hello" and "hello".upper() == "HELLO" and "  x ".strip() == "x"`,
	`"xxhixx".strip("x") == "hi" and " a ".lstrip() == "a " and " a ".rstrip() == " a"`,
	`"SINV-1".startswith("SINV") and "SINV-1".endswith(("-1", "-2")) and not "a".startswith("b")`,
	// literals
	`'it\'s' == "it's" and "a\tb" == "a	b" and "\x41\u00e9" == "Aé" and r"a\d" == "a\\d" and "a" "b" == "ab"`,
	`0x1F == 31 and 0o17 == 15 and 0b101 == 5 and 1_000 == 1000 and 1.5e3 == 1500 and .5 == 0.5`,
	`"""triple""" == "triple" and len("é") == 1 and "héllo"[1] == "é" and "hello"[-1] == "o" and "hello"[1:3] == "el"`,
	`[1, 2, 3][-2:] == [2, 3] and [1, 2, 3][:-5] == [] and [1, 2, 3][5:] == []`,
	// slices with a step
	`"hello"[::-1] == "olleh" and "héllo"[::2] == "hlo" and [1, 2, 3, 4, 5][1:10:2] == [2, 4] and [1, 2, 3][::-1] == [3, 2, 1]`,
	`"abcdef"[4:1:-1] == "edc" and "abcdef"[-1:-4:-2] == "fd" and "abcdef"[1:4:-1] == "" and "abcdef"[10::-3] == "fc"`,
	`"abcdef"[:-10:-1] == "fedcba" and "abc"[::10] == "a" and "abc"[::-10] == "c" and [][::-1] == [] and "abc"[::None] == "abc"`,
	`"abc"[::9223372036854775807] == "a" and "abc"[::-9223372036854775807 - 1] == "c" and "abc"[-5:5:True] == "abc"`,
	// str.join
	`", ".join(["a", "b"]) == "a, b" and "-".join("abc") == "a-b-c" and "".join([]) == "" and "+".join(("x",)) == "x"`,
	`", ".join("a,b".split(",")) == "a, b" and "/".join(["é", "ß"]) == "é/ß"`,
	// str.ljust, center, rjust, expandtabs: widths in characters, CPython's centring
	`"ab".center(5, "*") == "**ab*" and "abc".center(6) == " abc  " and "x".center(4, "-") == "-x--" and "é".rjust(3, "·") == "··é"`,
	`"ab".ljust(4, ".") == "ab.." and "abc".ljust(-1) == "abc" and "x".rjust(True) == "x" and "42".rjust(5, "0") == "00042"`,
	`"a\tbc".expandtabs(4) == "a   bc" and "a\tb".expandtabs() == "a       b" and "a\tb".expandtabs(tabsize=2) == "a b" and "a\n\tb".expandtabs(0) == "a\nb"`,
	// str.partition, rpartition, splitlines, istitle, isascii, isprintable
	`"a-b-c".partition("-") == ("a", "-", "b-c") and "a-b-c".rpartition("-") == ("a-b", "-", "c") and "abc".partition("-") == ("abc", "", "") and "abc".rpartition("-") == ("", "", "abc")`,
	`"a\nb\r\nc\rd".splitlines() == ["a", "b", "c", "d"] and "a\nb\r\n".splitlines(True) == ["a\n", "b\r\n"] and "".splitlines() == [] and "a\u2028b\x85c".splitlines(keepends=0) == ["a", "b", "c"]`,
	`"Hello World".istitle() and not "Hello world".istitle() and not "HEllo".istitle() and "É-Ok 3Rd".istitle() and not "123".istitle()`,
	`"abc".isascii() and "".isascii() and not "é".isascii() and "a b".isprintable() and "".isprintable() and not "a\tb".isprintable() and not "a\u00a0b".isprintable()`,
	// str.count, find, rfind, index, rindex within start and end, in characters
	`"a,b,c".count(",", 2) == 1 and "abc".count("", 4) == 0 and "abc".count("", 2, 1) == 0 and "abc".count("", -10) == 4 and "abc".count("b", None, None) == 1`,
	`"abc".find("", 4) == -1 and "abc".find("", 3) == 3 and "abcb".rfind("b", -10, -1) == 1 and "éab".find("b", 1) == 2 and "éab".index("b") == 2 and "abcb".rindex("b", True) == 3`,
	// keyword arguments, by the ERP's parameter names
	`frappe.utils.flt("10,500.5666", precision=2) == 10500.57 and frappe.utils.flt(s="3") == 3.0`,
	`frappe.utils.cint("x", default=7) == 7 and frappe.utils.rounded(2.675, precision=2) == 2.68 and frappe.utils.cstr(s=None) == ""`,
	`frappe.utils.add_days(date="2024-02-28", days=1) == "2024-02-29" and frappe.utils.add_months("2024-01-31", months=1) == "2024-02-29"`,
	`frappe.utils.add_to_date("2024-01-31", days=3) == "2024-02-03" and frappe.utils.add_to_date("2024-01-31", months=1, hours=2) == "2024-02-29 02:00:00.000000"`,
	`frappe.utils.add_to_date("2024-01-31", as_datetime=True) == "2024-01-31 00:00:00.000000" and frappe.utils.add_to_date(date="2024-01-31", weeks=1) == "2024-02-07"`,
	`frappe.utils.date_diff(string_st_date="2024-01-01", string_ed_date="2024-01-31") == 30 and frappe.utils.time_diff_in_hours("2024-01-01 06:00:00", string_st_date="2024-01-01") == 6`,
	`frappe.utils.get_first_day("2024-05-17", d_months=1) == "2024-06-01" and frappe.utils.get_last_day(dt="2024-02-03") == "2024-02-29"`,
	`frappe.utils.getdate(string_date="2024-02-03 10:00:00") == "2024-02-03" and frappe.utils.get_datetime(datetime_str="2024-02-03") == "2024-02-03 00:00:00.000000"`,
	`frappe.utils.comma_and(["a", "b"], add_quotes=False) == "a and b" and frappe.utils.escape_html(text="<") == "&lt;"`,
	`round(2.675, ndigits=2) == 2.67 and round(number=2.5) == 2 and "a-b-c".split(sep="-", maxsplit=1) == ["a", "b-c"] and "a b".rsplit(maxsplit=0) == ["a b"]`,
}

func TestPythonSemantics(t *testing.T) { allTrue(t, trueInPython) }

// allTrue checks that each condition holds on the blank document at now.
func allTrue(t *testing.T, srcs []string) {
	t.Helper()
	trueWith(t, Input{Doc: blank, Now: now}, srcs)
}

// trueWith checks that each condition holds with in (the document, now, the site's settings).
func trueWith(t *testing.T, in Input, srcs []string) {
	t.Helper()
	for _, src := range srcs {
		t.Run(src, func(t *testing.T) {
			c, err := Compile(src)
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			if got, err := c.Evaluate(in); err != nil || !got {
				t.Errorf("got %v, %v; want true", got, err)
			}
		})
	}
}

func TestFloatRepr(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{40000, "40000.0"}, {45000.5, "45000.5"}, {0.1, "0.1"}, {1e16, "1e+16"}, {1e15, "1000000000000000.0"},
		{1e-5, "1e-05"}, {0.0001, "0.0001"}, {-1.5e-7, "-1.5e-07"}, {math.Inf(-1), "-inf"}, {math.NaN(), "nan"},
		{123456789012345678, "1.2345678901234568e+17"},
	}
	for _, tc := range tests {
		if got := formatFloat(tc.in); got != tc.want {
			t.Errorf("formatFloat(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRowValuesOfOtherGoIntegerTypes(t *testing.T) {
	// pgx decodes smallint as int16; such values behave as Python ints.
	c, err := Compile(`doc.qty == 3 and doc.qty + 1 == 4 and doc.qty > 2.5 and frappe.utils.cstr(doc.qty) == "3"`)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []any{int16(3), int32(3), int(3), uint8(3), int64(3)} {
		if got, err := c.Eval(map[string]any{"qty": v}, now); !got || err != nil {
			t.Errorf("qty %T: got %v, %v; want true", v, got, err)
		}
	}
}
