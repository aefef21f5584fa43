package condition

import (
	"maps"
	"math"
	"math/big"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	"walnotify/frappedb"
	"walnotify/internal/htmltext"
	"walnotify/internal/numwords"
	"walnotify/internal/pydate"
	"walnotify/internal/pyfloat"
	"walnotify/internal/pystr"
	"walnotify/internal/rounding"
	"walnotify/internal/sitefmt"
)

// function is a Python function a condition may call.
type function struct {
	min, max int  // accepted number of arguments
	now      bool // receives the *evaluation (its now, its document) as an extra first argument
	call     func(args ...any) (any, error)
	// params name the parameters, as the ERP's function (or Python's) names them, for keyword
	// arguments; nil for a function that takes its arguments by position only. defaults are the
	// values of params[min:], for the parameters that a keyword argument skips over.
	params   []string
	defaults []any
	// unsupported are parameters of the ERP's function that conditions do not take.
	unsupported []string
}

// positional makes a function that takes min to max arguments, by position only.
func positional(min, max int, now bool, call func(args ...any) (any, error)) function {
	return function{min: min, max: max, now: now, call: call}
}

// pyfunc makes a function that also takes keyword arguments, from the parameters of its Python
// signature ("date, days", "s, precision=None"): those with a default (a literal) are optional.
func pyfunc(signature string, now bool, call func(args ...any) (any, error), unsupported ...string) function {
	f := function{now: now, call: call, unsupported: unsupported}
	for _, p := range strings.Split(signature, ",") {
		name, dflt, optional := strings.Cut(strings.TrimSpace(p), "=")
		f.params = append(f.params, name)
		if !optional {
			f.min++
			continue
		}
		lit, err := parse(dflt)
		c, ok := lit.(*constExpr)
		if err != nil || !ok || len(f.defaults) != len(f.params)-1-f.min {
			panic("condition: bad signature " + signature)
		}
		f.defaults = append(f.defaults, c.val)
	}
	f.max = len(f.params)
	return f
}

// builtins are the functions a condition may call by their bare name: the ERP's safe_eval
// gives int, float, long (int, from Python 2) and round, and walnotify len, nowdate and today.
var builtins = map[string]function{
	"int":     pyfunc("x=0, base=10", false, intOf),
	"long":    pyfunc("x=0, base=10", false, intOf),
	"float":   positional(1, 1, false, func(a ...any) (any, error) { return toFloat(a[0]) }),
	"round":   pyfunc("number, ndigits=None", false, round),
	"len":     positional(1, 1, false, length),
	"nowdate": positional(0, 0, true, func(a ...any) (any, error) { return a[0].(*evaluation).today(), nil }),
	"today":   positional(0, 0, true, func(a ...any) (any, error) { return a[0].(*evaluation).today(), nil }),
}

// frappeUtils are the frappe.utils functions a condition may call.
var frappeUtils = withMethods(map[string]function{
	"nowdate":      builtins["nowdate"],
	"today":        builtins["today"],
	"now_datetime": positional(0, 0, true, func(a ...any) (any, error) { return a[0].(*evaluation).now.Format(datetimeLayout), nil }),
	"nowtime":      positional(0, 0, true, func(a ...any) (any, error) { return a[0].(*evaluation).now.Format("15:04:05.000000"), nil }),
	"getdate":      pyfunc("string_date=None", true, func(a ...any) (any, error) { return getdate(a[0].(*evaluation), a[1:]...) }, "parse_day_first"),
	"get_datetime": pyfunc("datetime_str=None", true, func(a ...any) (any, error) { return getDatetime(a[0].(*evaluation), a[1:]...) }),
	"add_days":     pyfunc("date, days", true, func(a ...any) (any, error) { return addDays(a[0].(*evaluation), a[1], a[2]) }),
	"add_months":   pyfunc("date, months", true, func(a ...any) (any, error) { return addMonths(a[0].(*evaluation), a[1], a[2]) }),
	"add_to_date": pyfunc("date, years=0, months=0, weeks=0, days=0, hours=0, minutes=0, seconds=0, as_string=False, as_datetime=False", true,
		func(a ...any) (any, error) { return addToDate(a[0].(*evaluation), a[1:]...) }),
	"get_first_day":      pyfunc("dt, d_years=0, d_months=0, as_str=False", true, func(a ...any) (any, error) { return getFirstDay(a[0].(*evaluation), a[1], a[2:min(len(a), 4)]...) }),
	"get_last_day":       pyfunc("dt", true, func(a ...any) (any, error) { return getLastDay(a[0].(*evaluation), a[1]) }),
	"time_diff_in_hours": pyfunc("string_ed_date, string_st_date", true, func(a ...any) (any, error) { return timeDiffInHours(a[0].(*evaluation), a[1], a[2]) }),
	"date_diff":          pyfunc("string_ed_date, string_st_date", true, func(a ...any) (any, error) { return dateDiff(a[0].(*evaluation), a[1], a[2]) }),
	"now":                positional(0, 0, true, func(a ...any) (any, error) { return a[0].(*evaluation).now.Format(datetimeLayout), nil }),
	"add_years":          pyfunc("date, years", true, func(a ...any) (any, error) { return addToDate(a[0].(*evaluation), a[1], a[2]) }),
	"month_diff":         pyfunc("string_ed_date, string_st_date", true, func(a ...any) (any, error) { return monthDiff(a[0].(*evaluation), a[1], a[2]) }),
	"time_diff_in_seconds": pyfunc("string_ed_date, string_st_date", true, func(a ...any) (any, error) {
		return timeDiffInSeconds(a[0].(*evaluation), a[1], a[2])
	}),
	"get_weekday":           pyfunc("datetime=None", true, func(a ...any) (any, error) { return getWeekday(a[0].(*evaluation), a[1:]...) }),
	"get_year_start":        period("dt, as_str=False", "year", pure(pydate.YearStart)),
	"get_year_ending":       period("date", "year", pydate.YearEnding),
	"get_quarter_start":     period("dt, as_str=False", "month", pure(pydate.QuarterStart)),
	"get_quarter_ending":    period("date", "year", pure(pydate.QuarterEnding)),
	"get_first_day_of_week": week("dt, as_str=False", pydate.FirstDayOfWeek),
	"get_last_day_of_week":  week("dt", pydate.LastDayOfWeek),
	"floor":                 pyfunc("s", false, func(a ...any) (any, error) { return whole(rounding.Floor, a[0]) }),
	"ceil":                  pyfunc("s", false, func(a ...any) (any, error) { return whole(rounding.Ceil, a[0]) }),
	"has_common":            pyfunc("l1, l2", false, hasCommon),
	"strip_html":            pyfunc("text", false, stripHTML),
	"is_html":               pyfunc("text", false, isHTML),
	"flt":                   pyfunc("s, precision=None", false, flt, "rounding_method"),
	"cint":                  pyfunc("s, default=0", false, cint),
	"cstr":                  pyfunc("s", false, func(a ...any) (any, error) { return cstr(a[0]), nil }, "encoding"),
	"rounded":               pyfunc("num, precision=0", false, rounded, "rounding_method"),
	"comma_and":             pyfunc("some_list, add_quotes=True", false, commaAnd),
	"comma_or":              pyfunc("some_list, add_quotes=True", false, commaOr),
	"comma_sep":             pyfunc("some_list, pattern, add_quotes=True", false, func(a ...any) (any, error) { return commaSep(a[0], a[1], a[2:]...) }),
	"new_line_sep":          pyfunc("some_list", false, newLineSep),
	"escape_html":           pyfunc("text", false, func(a ...any) (any, error) { return escapeHTML(a[0]), nil }),
	"in_words":              pyfunc("integer, in_million=True", true, inWords),
	"time_diff": pyfunc("string_ed_date, string_st_date", true, func(a ...any) (any, error) {
		d, err := timeDiff(a[0].(*evaluation), a[1], a[2])
		return d, err
	}),
	"format_duration": pyfunc("seconds, hide_days=False", false, formatDuration),
	"safe_div":        pyfunc("numerator, denominator, precision=2", false, safeDiv),
	"remainder":       pyfunc("numerator, denominator, precision=2", false, remainder),
	"get_abbr":        pyfunc("string, max_len=2", false, getAbbr),
	"is_subset":       pyfunc("list_a, list_b", false, isSubset),
	"compare":         pyfunc("val1, condition, val2, fieldtype=None", true, compareValues),
	"money_in_words":  pyfunc("number, main_currency=None, fraction_currency=None", true, moneyInWords),
}, siteFunctions)

// methods are the methods of values a condition may call; the receiver is the first argument.
var methods = withMethods(map[string]function{
	"get":        pyfunc("key, default=None", false, get, "filters", "limit"),
	"startswith": positional(1, 3, false, func(a ...any) (any, error) { return affix("startswith", strings.HasPrefix, a) }),
	"endswith":   positional(1, 3, false, func(a ...any) (any, error) { return affix("endswith", strings.HasSuffix, a) }),
	"lower":      positional(0, 0, false, textMethod("lower", func(s string, _ any) (any, error) { return pystr.Lower(s), nil })),
	"upper":      positional(0, 0, false, textMethod("upper", func(s string, _ any) (any, error) { return pystr.Upper(s), nil })),
	"strip": positional(0, 1, false, textMethod("strip", stripper(func(s string) string {
		return strings.TrimFunc(s, pystr.IsSpace)
	}, strings.Trim))),
	"lstrip": positional(0, 1, false, textMethod("lstrip", stripper(func(s string) string {
		return strings.TrimLeftFunc(s, pystr.IsSpace)
	}, strings.TrimLeft))),
	"rstrip": positional(0, 1, false, textMethod("rstrip", stripper(func(s string) string {
		return strings.TrimRightFunc(s, pystr.IsSpace)
	}, strings.TrimRight))),
	"keys":                positional(0, 0, false, dictMethod("keys", keysView)),
	"values":              positional(0, 0, false, dictMethod("values", valuesView)),
	"items":               positional(0, 0, false, dictMethod("items", itemsView)),
	"has_value_changed":   pyfunc("fieldname", true, hasValueChanged),
	"get_doc_before_save": positional(0, 0, true, docBeforeSave),
}, strMethods, dateMethods)

// stateBefore is the document's row before the change when recv is the document (not a child
// row or a dict column) and it has one: nil for a new document or a child row, as the ERP's
// Documents give. A receiver that is no row has no such method: Python's AttributeError.
func (c *evaluation) stateBefore(recv any, method string) (map[string]any, error) {
	m, ok := recv.(map[string]any)
	if !ok {
		_, err := attribute(recv, method)
		return nil, err
	}
	if c.doc == nil || reflect.ValueOf(m).UnsafePointer() != reflect.ValueOf(c.doc).UnsafePointer() {
		return nil, nil
	}
	return c.before, nil
}

// hasValueChanged is the ERP's Document.has_value_changed(fieldname): true when the document
// has no state before the change (a new one, a child row), else whether the field's value
// differs from the one before, by Python's ==.
func hasValueChanged(a ...any) (any, error) {
	c := a[0].(*evaluation)
	before, err := c.stateBefore(a[1], "has_value_changed")
	if err != nil || before == nil {
		return err == nil, err
	}
	field, _ := a[2].(string) // a name that is no text names no field: None before and now
	return !equal(before[field], c.doc[field]), nil
}

// docBeforeSave is the ERP's Document.get_doc_before_save(): the document as it was before the
// change, None for a new one (and for a child row).
func docBeforeSave(a ...any) (any, error) {
	before, err := a[0].(*evaluation).stateBefore(a[1], "get_doc_before_save")
	if err != nil || before == nil {
		return nil, err
	}
	return before, nil
}

// withMethods is m with the methods of more added.
func withMethods(m map[string]function, more ...map[string]function) map[string]function {
	for _, fns := range more {
		maps.Copy(m, fns)
	}
	return m
}

// intOf is Python's int([x[, base]]): 0 without x; with a base, x must be a text, read in
// that base (2 to 36, or 0 for the base its prefix says: int("0x1f", 16) and int("0x1f", 0)
// are 31).
func intOf(a ...any) (any, error) {
	switch len(a) {
	case 0:
		return int64(0), nil
	case 1:
		return toInt(a[0])
	}
	base, err := integer(a[1])
	if err != nil {
		return nil, err
	}
	s, ok := a[0].(string)
	switch {
	case !ok:
		return nil, typeError("int() can't convert non-string with explicit base")
	case base != 0 && (base < 2 || base > 36):
		return nil, valueError("int() base must be >= 2 and <= 36, or 0")
	}
	if i, ok := parseInt(s, int(base)); ok {
		return i, nil
	}
	return nil, valueError("invalid literal for int() with base %d: %s", base, quote(s))
}

// toInt is Python's int(v).
func toInt(v any) (any, error) {
	if b, ok := v.(*big.Int); ok {
		return b, nil
	}
	if s, ok := v.(string); ok {
		if i, ok := parseInt(s, 10); ok {
			return i, nil
		}
		return nil, valueError("invalid literal for int() with base 10: %s", quote(s))
	}
	n, ok := number(v)
	if !ok {
		return nil, typeError("int() argument must be a string, a bytes-like object or a real number, not '%s'", typeName(v))
	}
	return truncate(n)
}

// truncate converts a number to an int, rounding toward zero, as int() does.
func truncate(n num) (any, error) {
	switch {
	case !n.isFloat:
		return n.i, nil
	case math.IsNaN(n.f):
		return nil, valueError("cannot convert float NaN to integer")
	case math.IsInf(n.f, 0):
		return nil, &pyError{"OverflowError", "cannot convert float infinity to integer"}
	case math.Abs(n.f) >= 1<<63:
		b, _ := big.NewFloat(n.f).Int(nil) // a whole float: exact
		return b, nil
	}
	return int64(n.f), nil
}

// parseInt reads an integer in base (2 to 36, or 0: the base its prefix says, else 10, where
// a number may not start with 0) as int(s, base) does: surrounding whitespace, a sign, the
// base's prefix (0x, 0o, 0b, then maybe a "_") and "_" between digits are allowed.
func parseInt(s string, base int) (any, bool) {
	body := strings.TrimFunc(pystr.ASCIIDigits(s), pystr.IsSpace)
	sign := ""
	if body != "" && (body[0] == '+' || body[0] == '-') {
		sign, body = body[:1], body[1:]
	}
	if len(body) > 2 && body[0] == '0' {
		if b := prefixBases[body[1]|0x20]; b != 0 && (base == 0 || base == b) {
			base, body = b, strings.TrimPrefix(body[2:], "_")
		}
	}
	if base == 0 {
		if base = 10; body != "" && body[0] == '0' && strings.Trim(body, "0_") != "" {
			return nil, false // 010: no leading zero in base 0
		}
	}
	if !validDigits(body, base) || checkIntBits(float64(len(body))*math.Log2(float64(base))) != nil {
		return nil, false
	}
	b, ok := new(big.Int).SetString(sign+strings.ReplaceAll(body, "_", ""), base)
	if !ok {
		return nil, false
	}
	return normInt(b), true
}

// prefixBases are the bases int() reads after a 0: 0x, 0o and 0b, by the letter in lower case.
var prefixBases = map[byte]int{'x': 16, 'o': 8, 'b': 2}

// validDigits reports whether s is digits of base with single "_" between them.
func validDigits(s string, base int) bool {
	if s == "" || s[0] == '_' || s[len(s)-1] == '_' || strings.Contains(s, "__") {
		return false
	}
	for _, r := range s {
		if r != '_' && digitValue(r) >= base {
			return false
		}
	}
	return true
}

// toFloat is Python's float(v).
func toFloat(v any) (any, error) {
	if b, ok := v.(*big.Int); ok {
		return bigToFloat(b)
	}
	if s, ok := v.(string); ok {
		if f, ok := pyfloat.Parse(s); ok {
			return f, nil
		}
		return nil, valueError("could not convert string to float: %s", quote(s))
	}
	n, ok := number(v)
	if !ok {
		return nil, typeError("float() argument must be a string or a real number, not '%s'", typeName(v))
	}
	return n.float(), nil
}

// round is Python's round(x[, ndigits]): ties go to the even neighbour, computed on the
// float's exact value (round(2.675, 2) is 2.67, as in Python).
func round(a ...any) (any, error) {
	if b, ok := a[0].(*big.Int); ok {
		if len(a) == 1 || a[1] == nil {
			return b, nil
		}
		digits, err := integer(a[1])
		if err != nil {
			return nil, err
		}
		return roundBig(b, digits)
	}
	n, ok := number(a[0])
	if !ok {
		return nil, typeError("type %s doesn't define __round__ method", typeName(a[0]))
	}
	if len(a) == 1 || a[1] == nil {
		if !n.isFloat {
			return n.i, nil
		}
		return truncate(num{f: math.RoundToEven(n.f), isFloat: true})
	}
	digits, err := integer(a[1])
	if err != nil {
		return nil, err
	}
	if !n.isFloat {
		return roundBig(big.NewInt(n.i), digits)
	}
	return rounding.Python(n.f, int(max(min(digits, 400), -400))), nil
}

// length is Python's len(v); a document or a child row (a map with a doctype) is the ERP's
// Document, which has none.
func length(a ...any) (any, error) {
	switch x := a[0].(type) {
	case string:
		return int64(utf8.RuneCountInString(x)), nil
	case []any:
		return int64(len(x)), nil
	case map[string]any:
		if x["doctype"] != nil {
			return nil, typeError("object of type 'Document' has no len()")
		}
		return int64(len(x)), nil
	case *dict:
		return int64(len(x.keys)), nil
	case dictView:
		return int64(len(x.d.keys)), nil
	}
	return nil, typeError("object of type '%s' has no len()", typeName(a[0]))
}

// flt is frappe.utils.flt(s, precision=None): commas are removed from text ("1,234.5" is
// 1234.5), anything float() refuses is 0.0, and a precision rounds the ERP's default way
// ("Banker's Rounding (legacy)"); precision 0 gives an int.
func flt(a ...any) (any, error) {
	v := a[0]
	if s, ok := v.(string); ok {
		v = strings.ReplaceAll(s, ",", "")
	}
	f, err := toFloat(v)
	if err != nil {
		return 0.0, nil
	}
	if len(a) == 1 || a[1] == nil {
		return f, nil
	}
	if r, ok := legacyRound(f.(float64), digits(a[1])); ok {
		return r, nil
	}
	return 0.0, nil
}

// digits is a precision as the ERP reads it, cint(v); an int past int64 (or a float past it)
// is one beyond any that rounding can tell apart.
func digits(v any) int64 {
	p, _ := cint(v)
	if b, ok := p.(*big.Int); ok {
		return int64(b.Sign()) * math.MaxInt32
	}
	return p.(int64)
}

// legacyRound is the ERP's rounded(num, precision) with "Banker's Rounding (legacy)"; precision
// 0 gives an int. ok is false for a value that cannot be rounded (nan, inf).
func legacyRound(f float64, precision int64) (r any, ok bool) {
	x, ok := rounding.Legacy(f, int(max(min(precision, 400), -400)))
	if !ok {
		return nil, false
	}
	if precision != 0 {
		return x, true
	}
	i, err := truncate(num{f: x, isFloat: true})
	return i, err == nil
}

// rounded is frappe.utils.rounded(num, precision=0) with the ERP's default method (see
// legacyRound): precision, read as cint, 0 gives an int. Anything but a number is a TypeError,
// and what cannot be rounded (nan, infinities) a ValueError, where flt() gives 0.0.
func rounded(a ...any) (any, error) {
	if b, ok := a[0].(*big.Int); ok {
		if len(a) == 1 || digits(a[1]) == 0 {
			return b, nil
		}
		f, err := bigToFloat(b)
		if err != nil {
			return nil, err
		}
		a = []any{f, a[1]}
	}
	n, ok := number(a[0])
	if !ok {
		return nil, typeError("type %s doesn't define __round__ method", typeName(a[0]))
	}
	var precision int64
	if len(a) == 2 {
		precision = digits(a[1])
	}
	if !n.isFloat && precision == 0 {
		return n.i, nil
	}
	r, ok := legacyRound(n.float(), precision)
	if !ok {
		return nil, valueError("cannot round %s to %d decimals", formatFloat(n.float()), precision)
	}
	return r, nil
}

// cint is frappe.utils.cint(s, default=0): int(s), else int(float(s)), else the default; so
// cint("1.5") is 1, cint(True) is 1, and cint("abc"), cint("1,234") and cint(None) are 0. A
// text converts by rounding.Cint, as templates and write-backs do.
func cint(a ...any) (any, error) {
	if s, ok := a[0].(string); ok {
		if i, ok := rounding.Cint(s); ok {
			return i, nil
		}
	} else if i, err := toInt(a[0]); err == nil {
		return i, nil
	} else if f, err := toFloat(a[0]); err == nil {
		if i, err := toInt(f); err == nil {
			return i, nil
		}
	}
	if len(a) == 2 {
		return a[1], nil
	}
	return int64(0), nil
}

// cstr is frappe.utils.cstr(s): text as is, None as "", anything else as str() writes it.
func cstr(v any) string {
	if v == nil {
		return ""
	}
	return str(v)
}

// escapeHTML is frappe.utils.escape_html(text): & " ' < > written as entities; anything but
// a text is returned as it is.
func escapeHTML(v any) any {
	if s, ok := v.(string); ok {
		return htmltext.Escape(s)
	}
	return v
}

// commaAnd, commaOr and commaSep are frappe.utils.comma_and(some_list, add_quotes=True),
// comma_or(some_list, add_quotes=True) and comma_sep(some_list, pattern, add_quotes=True): the
// items of a list or tuple as str() writes them, quoted unless add_quotes is false, all but the
// last joined by ", " as the pattern's {0}, the last its {1} (pattern.format, so "'a', 'b' and
// 'c'"); a single item is its text without quotes, no items ""; anything else is returned as
// it is. (The ERP passes comma_and's and comma_or's patterns and the items but the last
// through _(); a condition knows no site language, so they stay English, as on an English
// site.)
func commaAnd(a ...any) (any, error) {
	return commaSep(a[0], "{0} and {1}", a[1:]...)
}

func commaOr(a ...any) (any, error) {
	return commaSep(a[0], "{0} or {1}", a[1:]...)
}

// commaSep is comma_sep(list, pattern, add_quotes...).
func commaSep(list, pattern any, addQuotes ...any) (any, error) {
	texts, ok := listTexts(list)
	if !ok {
		return list, nil
	}
	if len(texts) < 2 {
		return strings.Join(texts, ""), nil
	}
	if len(addQuotes) == 0 || truthy(addQuotes[0]) {
		for i, s := range texts {
			texts[i] = "'" + s + "'"
		}
	}
	last := len(texts) - 1
	return strFormat(pattern, 2, strings.Join(texts[:last], ", "), texts[last])
}

// newLineSep is frappe.utils.new_line_sep(some_list): the items of a list or tuple as str()
// writes them, joined by a line break and a space; a single item is its text, no items "";
// anything else is returned as it is.
func newLineSep(a ...any) (any, error) {
	texts, ok := listTexts(a[0])
	if !ok {
		return a[0], nil
	}
	return strings.Join(texts, "\n "), nil
}

// listTexts are the items of a list or tuple as str() writes them; ok is false for anything
// else.
func listTexts(v any) ([]string, bool) {
	list, ok := v.([]any)
	if !ok {
		return nil, false
	}
	texts := make([]string, len(list))
	for i, item := range list {
		texts[i] = str(item)
	}
	return texts, true
}

// getByPosition is get(key, x) with x given by position. On a document or a child row (a map
// with a doctype) that is the ERP's Document.get(key, filters=None, ...): x is the default
// only when it is true, so doc.get("x", 0) is None for a field the document lacks; a dict there
// would filter a child table's rows, which conditions do not do.
func getByPosition(a ...any) (any, error) {
	if m, ok := a[0].(map[string]any); ok && m["doctype"] != nil {
		switch a[2].(type) {
		case map[string]any, *dict:
			return nil, valueError("doc.get(): filters are not supported in conditions")
		}
		if !truthy(a[2]) {
			a = a[:2]
		}
	}
	return get(a...)
}

// get is Python's dict.get(key[, default]), which the ERP's documents share: the default is
// returned only when the field does not exist; a NULL field reads as None.
func get(a ...any) (any, error) {
	var v any
	found := false
	switch m := a[0].(type) {
	case map[string]any:
		if k, ok := a[1].(string); ok {
			v, found = m[k]
		}
	case *dict:
		var err error
		if v, found, err = m.find(a[1]); err != nil {
			return nil, err
		}
	default:
		_, err := attribute(a[0], "get")
		return nil, err
	}
	if found {
		return v, nil
	}
	if len(a) == 3 {
		return a[2], nil
	}
	return nil, nil
}

// affix is str.startswith / str.endswith(affix[, start[, end]]) of a[0], with one text or a
// tuple of texts, in the window of start and end (ints or None, as slice indices).
func affix(name string, has func(s, affix string) bool, a []any) (any, error) {
	s, ok := a[0].(string)
	if !ok {
		_, err := attribute(a[0], name)
		return nil, err
	}
	bounds, err := sliceBounds(a[2:])
	if err != nil {
		return nil, err
	}
	w, _, inside := pystr.Window(s, bounds[0], bounds[1])
	switch x := a[1].(type) {
	case string:
		return inside && has(w, x), nil
	case []any:
		for _, item := range x {
			t, ok := item.(string)
			if !ok {
				return nil, typeError("tuple for %s must only contain str, not %s", name, typeName(item))
			}
			if inside && has(w, t) {
				return true, nil
			}
		}
		return false, nil
	}
	return nil, typeError("%s first arg must be str or a tuple of str, not %s", name, typeName(a[1]))
}

// textMethod makes a str method: the receiver must be text; arg is the optional argument.
func textMethod(name string, fn func(s string, arg any) (any, error)) func(a ...any) (any, error) {
	return func(a ...any) (any, error) {
		s, ok := a[0].(string)
		if !ok {
			_, err := attribute(a[0], name)
			return nil, err
		}
		var arg any
		if len(a) > 1 {
			arg = a[1]
		}
		return fn(s, arg)
	}
}

// stripper makes strip/lstrip/rstrip: whitespace by default, else the given characters.
func stripper(space func(string) string, chars func(s, cutset string) string) func(string, any) (any, error) {
	return func(s string, arg any) (any, error) {
		switch x := arg.(type) {
		case nil:
			return space(s), nil
		case string:
			return chars(s, x), nil
		}
		return nil, typeError("strip arg must be None or str")
	}
}

// Dates are text everywhere: "YYYY-MM-DD" for dates and "YYYY-MM-DD HH:MM:SS.ffffff" for
// timestamps, as the ERP writes them, so they compare with each other and with such strings.
const (
	dateLayout     = "2006-01-02"
	datetimeLayout = "2006-01-02 15:04:05.000000"
)

// timestampLayouts are the forms of dates and timestamps that date functions read.
var timestampLayouts = []string{
	dateLayout,
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999-07",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
}

// parseTimestamp reads a date or timestamp; its wall clock is kept, any zone ignored.
func parseTimestamp(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range timestampLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			y, m, d := t.Date()
			return time.Date(y, m, d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC), true
		}
	}
	return time.Time{}, false
}

// evaluation is what one evaluation's functions may read besides their arguments: its "now",
// in the site's time zone, and the document with its state before the change.
type evaluation struct {
	now time.Time
	// weekStart is the day weeks start on (Input.WeekStart).
	weekStart time.Weekday
	// words is what in_words and money_in_words read of the site (Input.Words).
	words numwords.Site
	// formats are the site's settings fmt_money, formatdate and their kin read (Input.Formats).
	formats sitefmt.Site
	day     int // now's date as yyyymmdd, the key of date
	date    any // now's date as a "YYYY-MM-DD" string, formatted once per day
	// doc is the document evaluated; before its row before the change, nil when there is none
	// (a new document), for doc.has_value_changed and doc.get_doc_before_save.
	doc, before map[string]any
	// lookup reads the ERP's tables within limits, in the session db made on first use
	// (reads.go).
	lookup frappedb.Lookup
	limits frappedb.Limits
	db     *frappedb.Session
}

func (c *evaluation) today() any {
	y, m, d := c.now.Date()
	if key := y*10000 + int(m)*100 + d; c.date == nil || key != c.day {
		c.day, c.date = key, c.now.Format(dateLayout)
	}
	return c.date
}

// getdate is frappe.utils.getdate(x=None): the date part of a date or timestamp; today for
// a missing or false value; None for the ERP's empty dates ("0000-00-00") and for values that
// are not text.
func getdate(c *evaluation, a ...any) (any, error) {
	if len(a) == 0 || !truthy(a[0]) {
		return c.today(), nil
	}
	s, ok := a[0].(string)
	if !ok || strings.HasPrefix(s, "0001-01-01") || strings.HasPrefix(s, "0000-00-00") {
		return nil, nil
	}
	t, ok := parseTimestamp(s)
	if !ok {
		return nil, valueError("%s is not a valid date string", quote(s))
	}
	return t.Format(dateLayout), nil
}

// getDatetime is frappe.utils.get_datetime(x=None): a date or timestamp as a timestamp (a
// date is its midnight); now for a missing or None value; None for "", the ERP's empty dates
// ("0000-00-00") and values that are not text.
func getDatetime(c *evaluation, a ...any) (any, error) {
	if len(a) == 0 || a[0] == nil {
		return c.now.Format(datetimeLayout), nil
	}
	s, ok := a[0].(string)
	if !ok || s == "" || strings.HasPrefix(s, "0001-01-01") || strings.HasPrefix(s, "0000-00-00") {
		return nil, nil
	}
	t, ok := parseTimestamp(s)
	if !ok {
		return nil, valueError("Unknown string format: %s", s)
	}
	return t.Format(datetimeLayout), nil
}

// addDays is frappe.utils.add_days(date, days): a date stays a date, a timestamp (text with a
// space) stays a timestamp, and None means now.
func addDays(c *evaluation, date, days any) (any, error) {
	n, ok := number(days)
	if !ok {
		return nil, typeError("unsupported type for timedelta days component: %s", typeName(days))
	}
	return moveDate(c, date, func(t time.Time) time.Time {
		if n.isFloat {
			return t.Add(time.Duration(n.f * float64(24*time.Hour)))
		}
		return t.AddDate(0, 0, int(n.i))
	})
}

// addMonths is frappe.utils.add_months(date, months): the same day of the month, or the
// month's last day when it has fewer, as add_days keeps a date or a timestamp; a whole number
// of months only, as dateutil's relativedelta takes.
func addMonths(c *evaluation, date, months any) (any, error) {
	n, ok := number(months)
	if !ok || n.isFloat && n.f != math.Trunc(n.f) {
		return nil, valueError("Non-integer years and months are ambiguous and not currently supported.")
	}
	return moveDate(c, date, func(t time.Time) time.Time {
		if n.isFloat {
			return pydate.AddMonths(t, int(n.f))
		}
		return pydate.AddMonths(t, int(n.i))
	})
}

// addToDate is frappe.utils.add_to_date(date, years=0, months=0, weeks=0, days=0, hours=0,
// minutes=0, seconds=0, as_string=False, as_datetime=False), arguments by position, through
// dateutil's relativedelta: years and months first (whole numbers; the month's last day when it
// has fewer), then the rest, fractions included. A text date gives a text: a timestamp when it
// has a time (a space), hours are added or as_datetime is true, else a date. None is now, given
// back as a timestamp unless as_string.
func addToDate(c *evaluation, a ...any) (any, error) {
	var by pydate.Delta
	for i := 1; i < len(a) && i <= len(by); i++ {
		n, ok := number(a[i])
		if !ok {
			return nil, typeError("unsupported type for timedelta component: %s", typeName(a[i]))
		}
		by[i-1] = n.float()
	}
	asString := len(a) > 8 && truthy(a[8])
	asDatetime := len(a) > 9 && truthy(a[9]) || by[4] != 0
	t := pydate.Naive(c.now)
	switch x := a[0].(type) {
	case nil:
	case string:
		asString, asDatetime = true, asDatetime || strings.Contains(x, " ")
		var ok bool
		if t, ok = parseTimestamp(x); !ok {
			return nil, valueError("%s is not a valid date", quote(x))
		}
	default:
		return nil, typeError("unsupported operand type(s) for +: '%s' and 'relativedelta'", typeName(a[0]))
	}
	t, err := pydate.AddDelta(t, by)
	switch {
	case err != nil:
		return nil, err
	case asString && !asDatetime:
		return t.Format(dateLayout), nil
	}
	return t.Format(datetimeLayout), nil
}

// getFirstDay is frappe.utils.get_first_day(date, d_years=0, d_months=0, as_str=False): the
// first day of the date's month (today's for None), that many years and months on; as_str (not
// passed here) changes nothing, a date being text either way.
func getFirstDay(c *evaluation, date any, deltas ...any) (any, error) {
	var delta [2]int // years, months
	for i, d := range deltas {
		n, err := integer(d)
		if err != nil {
			return nil, err
		}
		delta[i] = int(n)
	}
	return dayOf(c, date, "month", pure(func(t time.Time) time.Time { return pydate.FirstDay(t, delta[0], delta[1]) }))
}

// getLastDay is frappe.utils.get_last_day(date): the last day of the date's month.
func getLastDay(c *evaluation, date any) (any, error) {
	return dayOf(c, date, "month", pure(pydate.LastDay))
}

// dayOf is the day pick finds from getdate(date), as a date. A date that getdate makes None
// fails where the ERP's function first reads its attribute attr.
func dayOf(c *evaluation, date any, attr string, pick func(time.Time) (time.Time, error)) (any, error) {
	d, err := getdate(c, date)
	if err != nil {
		return nil, err
	}
	s, ok := d.(string)
	if !ok {
		return nil, noAttribute("NoneType", attr)
	}
	t, _ := parseTimestamp(s)
	if t, err = pick(t); err != nil {
		return nil, err
	}
	return t.Format(dateLayout), nil
}

// pure makes a pick of dayOf from a move that cannot fail.
func pure(move func(time.Time) time.Time) func(time.Time) (time.Time, error) {
	return func(t time.Time) (time.Time, error) { return move(t), nil }
}

// timeDiffInHours is frappe.utils.time_diff_in_hours(end, start): the hours from start to end,
// rounded to 6 decimals; None is now.
func timeDiffInHours(c *evaluation, end, start any) (any, error) {
	d, err := timeDiff(c, end, start)
	if err != nil {
		return nil, err
	}
	return rounding.Python(d.TotalSeconds()/3600, 6), nil
}

// timeDiffInSeconds is frappe.utils.time_diff_in_seconds(end, start): the seconds from start to
// end, a float; None is now.
func timeDiffInSeconds(c *evaluation, end, start any) (any, error) {
	d, err := timeDiff(c, end, start)
	if err != nil {
		return nil, err
	}
	return d.TotalSeconds(), nil
}

// timeDiff is the ERP's time_diff(end, start): get_datetime(end) - get_datetime(start), a date
// being its midnight and None now.
func timeDiff(c *evaluation, end, start any) (pydate.Timedelta, error) {
	var at [2]time.Time
	for i, v := range [2]any{end, start} {
		switch x := v.(type) {
		case nil:
			at[i] = pydate.Naive(c.now)
		case string:
			t, ok := parseTimestamp(x)
			if !ok {
				return pydate.Timedelta{}, valueError("%s is not a valid date", quote(x))
			}
			at[i] = t
		default:
			return pydate.Timedelta{}, typeError("unsupported operand type(s) for -: '%s' and '%s'", typeName(end), typeName(start))
		}
	}
	return pydate.Sub(at[0], at[1]), nil
}

// moveDate moves a date, a timestamp or now (None) and writes it back as it came.
func moveDate(c *evaluation, date any, move func(time.Time) time.Time) (any, error) {
	var t time.Time
	layout := datetimeLayout
	switch x := date.(type) {
	case nil:
		t = c.now
	case string:
		var ok bool
		if t, ok = parseTimestamp(x); !ok {
			return nil, valueError("%s is not a valid date", quote(x))
		}
		if !strings.Contains(strings.TrimSpace(x), " ") {
			layout = dateLayout
		}
	default:
		return nil, typeError("unsupported operand type(s) for +: '%s' and 'relativedelta'", typeName(date))
	}
	return move(t).Format(layout), nil
}

// dateDiff is frappe.utils.date_diff(end, start): whole days from start to end.
func dateDiff(c *evaluation, end, start any) (any, error) {
	e, err := getdate(c, end)
	if err != nil {
		return nil, err
	}
	s, err := getdate(c, start)
	if err != nil {
		return nil, err
	}
	if e == nil || s == nil {
		return nil, typeError("unsupported operand type(s) for -: '%s' and '%s'", dateType(e), dateType(s))
	}
	te, _ := parseTimestamp(e.(string))
	ts, _ := parseTimestamp(s.(string))
	return (te.Unix() - ts.Unix()) / 86400, nil
}

func dateType(v any) string {
	if v == nil {
		return "NoneType"
	}
	return "datetime.date"
}
