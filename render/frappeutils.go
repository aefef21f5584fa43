package render

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/nikolalohinski/gonja/v2/exec"

	"walnotify/internal/htmltext"
	"walnotify/internal/numwords"
	"walnotify/internal/pydate"
	"walnotify/internal/pystr"
	"walnotify/internal/sitefmt"
)

// The ERP's frappe.utils helpers of periods, weekdays, numbers, lists and HTML, as
// frappe/utils/data.py defines them; the arithmetic is pydate's, rounding's and htmltext's,
// shared with conditions.

// addDays, addMonths and addYears are the ERP's add_days(date, days), add_months(date, months)
// and add_years(date, years): add_to_date(date, days=days), ... (see addToDate), so a text keeps
// its form, February 29 a year on is February 28, a fraction of a day counts (a text date is
// then cut to its day), and NULL is now, given back as a timestamp.
var (
	addDays   = addDeltaBy("add_days", "days", 3)
	addMonths = addDeltaBy("add_months", "months", 1)
	addYears  = addDeltaBy("add_years", "years", 0)
)

// addDeltaBy is a helper name(date, field) that is add_to_date(date, field=...), field being
// the Delta's index-th.
func addDeltaBy(name, field string, index int) func(*exec.Evaluator, *exec.VarArgs) (any, error) {
	return func(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
		args, err := call(name, va, 2, "date", field)
		if err != nil {
			return nil, err
		}
		n, ok := asNum(args[1])
		if !ok {
			return nil, fmt.Errorf("%s(): TypeError: unsupported type for %s: %s", name, field, pyType(args[1]))
		}
		var by pydate.Delta
		by[index] = n.float()
		return stateOf(e.Environment.Context).addDelta(name, args[0], by, false, false)
	}
}

// monthDiff is the ERP's month_diff(string_ed_date, string_st_date): the months from the
// start's to the end's, both counted, whatever the days; an empty date is today.
func monthDiff(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("month_diff", va, 2, "string_ed_date", "string_st_date")
	if err != nil {
		return nil, err
	}
	st := stateOf(e.Environment.Context)
	var at [2]time.Time
	for i, v := range args {
		if at[i], _, err = st.timeArg("month_diff", v); err != nil {
			return nil, err
		}
	}
	return int64(pydate.MonthDiff(at[0], at[1])), nil
}

// timeDiffInSeconds is the ERP's time_diff_in_seconds(string_ed_date, string_st_date): the
// seconds from start to end, a float; an empty argument is now.
func timeDiffInSeconds(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	d, err := timeDiff(e, va, "time_diff_in_seconds")
	if err != nil {
		return nil, err
	}
	return d.TotalSeconds(), nil
}

// getWeekday is the ERP's get_weekday(datetime=None): the English name of the day of a date or
// timestamp, of now for a false value (NULL, ""). A text shaped as a date is a date here, where
// the ERP's function takes a date only; anything else has no weekday(), the ERP's
// AttributeError.
func getWeekday(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("get_weekday", va, 0, "datetime")
	if err != nil {
		return nil, err
	}
	st := stateOf(e.Environment.Context)
	v := args[0]
	if v == nil || !truthy(v) {
		return st.now.Weekday().String(), nil
	}
	if t, _, ok := asDate(v); ok {
		return t.Weekday().String(), nil
	}
	return nil, fmt.Errorf("get_weekday(): AttributeError: '%s' object has no attribute 'weekday'", pyType(v))
}

// prettyDate is the ERP's pretty_date(iso_datetime): how long before now a timestamp is, in
// the ERP's words ("just now", "5 minutes ago", "Yesterday", "3 weeks ago", "2 years ago"),
// each through _() but the years, as the ERP's; "" for a false value. The difference counts
// whole seconds, Python's timedelta days*86400 + seconds, so a time to come is "just now". A
// date without a time, or a value that is no date, is the ERP's TypeError (a datetime less
// a date).
func prettyDate(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("pretty_date", va, 1, "iso_datetime")
	if err != nil {
		return nil, err
	}
	v := args[0]
	if v == nil || !truthy(v) {
		return "", nil
	}
	t, hasTime, ok := asDate(v)
	if !ok || !hasTime {
		other := pyType(v)
		if ok {
			other = "datetime.date"
		}
		return nil, fmt.Errorf("pretty_date(): TypeError: unsupported operand type(s) for -: 'datetime.datetime' and '%s'", other)
	}
	return sitefmt.PrettyDate(stateOf(e.Environment.Context).now, t, stateOf(e.Environment.Context).translated), nil
}

// period makes a helper name(params...) of a date that gives a day, pick's, as a date text:
// the date read as getdate reads it (today when empty). An as_str parameter is taken and
// changes nothing: a date is text here either way.
func period(name string, pick func(time.Time, time.Weekday) (time.Time, error), params ...string) func(*exec.Evaluator, *exec.VarArgs) (any, error) {
	return func(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
		args, err := call(name, va, 1, params...)
		if err != nil {
			return nil, err
		}
		st := stateOf(e.Environment.Context)
		t, _, err := st.timeArg(name, args[0])
		if err != nil {
			return nil, err
		}
		if t, err = pick(dateOf(t), st.site.WeekStart); err != nil {
			return nil, fmt.Errorf("%s(): %w", name, err)
		}
		return t.Format(dateLayout), nil
	}
}

// pure makes a pick of period from a move that cannot fail and knows no week.
func pure(move func(time.Time) time.Time) func(time.Time, time.Weekday) (time.Time, error) {
	return func(t time.Time, _ time.Weekday) (time.Time, error) { return move(t), nil }
}

// periodFunctions are the ERP's get_year_start, get_year_ending, get_quarter_start,
// get_quarter_ending, get_first_day_of_week and get_last_day_of_week, by the ERP's parameter
// names; a week starts on the site's first day (Site.WeekStart).
func periodFunctions() map[string]any {
	yearEnding := func(t time.Time, _ time.Weekday) (time.Time, error) { return pydate.YearEnding(t) }
	return map[string]any{
		"get_year_start":        period("get_year_start", pure(pydate.YearStart), "dt", "as_str"),
		"get_year_ending":       period("get_year_ending", yearEnding, "date"),
		"get_quarter_start":     period("get_quarter_start", pure(pydate.QuarterStart), "dt", "as_str"),
		"get_quarter_ending":    period("get_quarter_ending", pure(pydate.QuarterEnding), "date"),
		"get_first_day_of_week": period("get_first_day_of_week", pydate.FirstDayOfWeek, "dt", "as_str"),
		"get_last_day_of_week":  period("get_last_day_of_week", pydate.LastDayOfWeek, "dt"),
	}
}

// whole makes the ERP's floor(s) or ceil(s), by round: flt(s) (0.0 for what is no number) made
// a whole number, an int (a float beyond int64, where Python's int has no bounds).
func whole(name string, round func(float64) float64) func(*exec.Evaluator, *exec.VarArgs) (any, error) {
	return func(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
		args, err := call(name, va, 1, "s")
		if err != nil {
			return nil, err
		}
		r := round(float64(toFlt(stateOf(e.Environment.Context).format, args[0])))
		if math.Abs(r) >= 1<<63 {
			return number(r), nil
		}
		return int64(r), nil
	}
}

// hasCommon is the ERP's has_common(l1, l2), set(l1) & set(l2): the items of l1 that l2 holds
// too, by Python's == (1, 1.0 and True are one), once each. The ERP gives a set, which prints its
// items in an order that varies; here it is a list, in l1's order. A text gives its characters,
// a dict its keys; a list or a dict as an item is Python's unhashable TypeError, and what is
// not iterable (NULL included) its TypeError too.
func hasCommon(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("has_common", va, 2, "l1", "l2")
	if err != nil {
		return nil, err
	}
	common, _, err := stateOf(e.Environment.Context).common(args[0], args[1])
	if err != nil {
		return nil, fmt.Errorf("has_common(): %w", err)
	}
	return common, nil
}

// isSubset is the ERP's is_subset(list_a, list_b): whether set(list_a) & set(list_b) (as
// has_common gives it) has len(list_a) items, so a repeated item of list_a makes it false.
func isSubset(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("is_subset", va, 2, "list_a", "list_b")
	if err != nil {
		return nil, err
	}
	common, n, err := stateOf(e.Environment.Context).common(args[0], args[1])
	if err != nil {
		return nil, fmt.Errorf("is_subset(): %w", err)
	}
	return len(common) == n, nil
}

// common is set(l1) & set(l2) as a list in l1's order (see hasCommon), with the number of
// items l1 has.
func (st *state) common(l1, l2 *exec.Value) (common []any, n int, err error) {
	var sets [2][]*exec.Value
	for i, v := range [2]*exec.Value{l1, l2} {
		if sets[i], err = st.setItems(v); err != nil {
			return nil, 0, err
		}
	}
	holds := func(set []*exec.Value, x *exec.Value) bool {
		for _, y := range set {
			if pyEqual(st.format.unescape, x, y) {
				return true
			}
		}
		return false
	}
	common = []any{}
	var kept []*exec.Value
	for _, x := range sets[0] {
		if holds(sets[1], x) && !holds(kept, x) {
			kept = append(kept, x)
			common = append(common, x.Interface())
		}
	}
	return common, len(sets[0]), nil
}

// setItems are the items set(v) takes from v: a list's or a tuple's, a text's characters, a
// dict's keys (in key order for the document's), in v's order.
func (st *state) setItems(v *exec.Value) ([]*exec.Value, error) {
	var out []*exec.Value
	switch {
	case v.IsString():
		for _, r := range st.text(v) {
			out = append(out, exec.AsValue(st.format.Escape(string(r))))
		}
	case v.IsList():
		for _, item := range items(v) {
			x := exec.AsValue(item)
			if !isTuple(x) && (x.IsList() || x.IsDict()) {
				return nil, fmt.Errorf("TypeError: unhashable type: '%s'", pyType(x))
			}
			out = append(out, x)
		}
	default:
		ps, ok := pairs(v)
		if !ok {
			return nil, fmt.Errorf("TypeError: '%s' object is not iterable", pyType(v))
		}
		for _, p := range ps {
			out = append(out, exec.AsValue(p[0]))
		}
	}
	return out, nil
}

// isHTML is the ERP's is_html(text): whether the text holds an HTML tag ("<b>", "<br/>"). The
// ERP gives the regular expression's match, here True; a text without a tag is None, and
// anything but a text False, as there.
func isHTML(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("is_html", va, 1, "text")
	if err != nil {
		return nil, err
	}
	switch {
	case !args[0].IsString():
		return false, nil
	case htmltext.HasTag(stateOf(e.Environment.Context).text(args[0])):
		return true, nil
	}
	return nil, nil
}

// inWords is the ERP's in_words(integer, in_million=True): int(integer) in words, in the site's
// language as num2words writes it (numwords.InWords: English, French, German, Dutch, Spanish,
// Italian, Portuguese; English for another) or, when in_million is false, in Indian English
// (lakh and crore), hyphens made spaces: "one hundred and twenty three". A value int() refuses (NULL, "1.5", a
// float's infinity) is Python's error.
func inWords(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("in_words", va, 1, "integer", "in_million")
	if err != nil {
		return nil, err
	}
	st := stateOf(e.Environment.Context)
	n, err := st.pyInt(args[0])
	if err != nil {
		return nil, fmt.Errorf("in_words(): %w", err)
	}
	words, err := numwords.InWords(n, st.site.Language, args[1] == nil || args[1].IsTrue())
	if err != nil {
		return nil, fmt.Errorf("in_words(): %w", err)
	}
	return st.format.Escape(words), nil
}

// moneyInWords is the ERP's money_in_words(number, main_currency=None,
// fraction_currency=None): float(number) in words with its currency, "USD One Hundred And
// Twenty Three and Forty Five Cent only." (numwords.Site.MoneyInWords), the currency the
// site's by default and its fraction and number format those of its Currency record
// (Site.Currencies); "" for a text float() refuses and for a negative number; NULL is
// Python's TypeError.
func moneyInWords(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("money_in_words", va, 1, "number", "main_currency", "fraction_currency")
	if err != nil {
		return nil, err
	}
	st := stateOf(e.Environment.Context)
	x, err := st.pyFloat(args[0])
	if errors.Is(err, errNoFloat) {
		return "", nil
	} else if err != nil {
		return nil, fmt.Errorf("money_in_words(): %w", err)
	}
	words, err := st.site.Words().MoneyInWords(x, st.text(args[1]), st.text(args[2]), st.translated)
	if err != nil {
		return nil, fmt.Errorf("money_in_words(): %w", err)
	}
	return st.format.Escape(words), nil
}

// errNoFloat is the ValueError of float() of a text that is no number.
var errNoFloat = errors.New("ValueError: could not convert string to float")

// pyFloat is Python's float(v) of a number, a bool or a text: errNoFloat for a text that is no
// number, a TypeError for anything else.
func (st *state) pyFloat(v *exec.Value) (float64, error) {
	if x, ok := asNum(v); ok {
		return x.float(), nil
	}
	if !v.IsString() {
		return 0, fmt.Errorf("TypeError: float() argument must be a string or a real number, not '%s'", pyType(v))
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(st.text(v)), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("%w: %s", errNoFloat, pystr.Repr(st.text(v)))
	}
	return f, nil
}

// pyInt is Python's int(v) of a number, a bool or a text written as a whole number.
func (st *state) pyInt(v *exec.Value) (*big.Int, error) {
	if x, ok := asNum(v); ok {
		switch {
		case !x.isFloat:
			return big.NewInt(int64(x.i)), nil
		case math.IsInf(x.f, 0):
			return nil, errors.New("OverflowError: cannot convert float infinity to integer")
		case math.IsNaN(x.f):
			return nil, errors.New("ValueError: cannot convert float NaN to integer")
		}
		n, _ := big.NewFloat(math.Trunc(x.f)).Int(nil)
		return n, nil
	}
	if !v.IsString() {
		return nil, fmt.Errorf("TypeError: int() argument must be a string, a bytes-like object or a real number, not '%s'", pyType(v))
	}
	s := st.text(v)
	n, ok := new(big.Int).SetString(strings.TrimSpace(s), 10)
	if !ok {
		return nil, fmt.Errorf("ValueError: invalid literal for int() with base 10: %s", pystr.Repr(s))
	}
	return n, nil
}

// timeDiffFunc is the ERP's time_diff(string_ed_date, string_st_date): the time from start to
// end, a timedelta, printed as Python's ("1 day, 2:03:04", "-1 day, 23:59:00"); an empty
// argument is now.
func timeDiffFunc(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	d, err := timeDiff(e, va, "time_diff")
	if err != nil {
		return nil, err
	}
	return timedelta{d}, nil
}

// formatDuration is the ERP's format_duration(seconds, hide_days=False): cint(seconds) as "1d
// 2h 3m 4s", the parts that are not zero (pydate.FormatDuration, shared with conditions).
func formatDuration(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("format_duration", va, 1, "seconds", "hide_days")
	if err != nil {
		return nil, err
	}
	st := stateOf(e.Environment.Context)
	seconds := big.NewInt(cintOf(st.format, args[0], nil).(int64))
	return pydate.FormatDuration(seconds, args[1] != nil && args[1].IsTrue()), nil
}

// safeDiv is the ERP's safe_div(numerator, denominator, precision=2): 0.0 when the denominator
// == 0, else float(numerator) / denominator; then flt(_, cint(precision)), an int at precision 0.
func safeDiv(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("safe_div", va, 2, "numerator", "denominator", "precision")
	if err != nil {
		return nil, err
	}
	st := stateOf(e.Environment.Context)
	precision := exec.AsValue(cintOf(st.format, cmp.Or(args[2], exec.AsValue(2)), nil))
	if pyEqual(st.format.unescape, args[1], exec.AsValue(0)) {
		return fltOf(st.format, exec.AsValue(0.0), precision), nil
	}
	f, err := st.pyFloat(args[0])
	if err != nil {
		return nil, fmt.Errorf("safe_div(): %w", err)
	}
	q, err := opDiv(st, exec.AsValue(number(f)), args[1])
	if err != nil {
		return nil, fmt.Errorf("safe_div(): %w", err)
	}
	return fltOf(st.format, exec.AsValue(q), precision), nil
}

// remainder is the ERP's remainder(numerator, denominator, precision=2): with p =
// cint(precision), (numerator * 10**p) % (denominator * 10**p) / 10**p, or numerator %
// denominator when p is 0, by Python's operators; then flt(_, p).
func remainder(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("remainder", va, 2, "numerator", "denominator", "precision")
	if err != nil {
		return nil, err
	}
	st := stateOf(e.Environment.Context)
	p := exec.AsValue(cintOf(st.format, cmp.Or(args[2], exec.AsValue(2)), nil))
	var r any
	if p.IsTrue() {
		r, err = st.scaledRemainder(args[0], args[1], p)
	} else {
		r, err = opMod(st, args[0], args[1])
	}
	if err != nil {
		return nil, fmt.Errorf("remainder(): %w", err)
	}
	return fltOf(st.format, exec.AsValue(r), p), nil
}

// scaledRemainder is (n * 10**p) % (d * 10**p) / 10**p.
func (st *state) scaledRemainder(n, d, p *exec.Value) (any, error) {
	m, err := opPow(st, exec.AsValue(10), p)
	if err != nil {
		return nil, err
	}
	x, err := opMul(st, n, exec.AsValue(m))
	if err != nil {
		return nil, err
	}
	y, err := opMul(st, d, exec.AsValue(m))
	if err != nil {
		return nil, err
	}
	r, err := opMod(st, exec.AsValue(x), exec.AsValue(y))
	if err != nil {
		return nil, err
	}
	return opDiv(st, exec.AsValue(r), exec.AsValue(m))
}

// getAbbr is the ERP's get_abbr(string, max_len=2): the first character of each word (split
// at spaces) while fewer than max_len are taken, "?" for none.
func getAbbr(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("get_abbr", va, 1, "string", "max_len")
	if err != nil {
		return nil, err
	}
	if !args[0].IsString() {
		return nil, fmt.Errorf("get_abbr(): AttributeError: '%s' object has no attribute 'split'", pyType(args[0]))
	}
	st := stateOf(e.Environment.Context)
	maxLen := cmp.Or(args[1], exec.AsValue(2))
	var abbr []rune
	for _, part := range strings.Split(st.text(args[0]), " ") {
		more, err := pyOrder(st.format, "<", exec.AsValue(len(abbr)), maxLen)
		if err != nil {
			return nil, fmt.Errorf("get_abbr(): %w", err)
		}
		if more && part != "" {
			r, _ := utf8.DecodeRuneInString(part)
			abbr = append(abbr, r)
		}
	}
	if len(abbr) == 0 {
		return "?", nil
	}
	return st.format.Escape(string(abbr)), nil
}

// compareValues is the ERP's compare(val1, condition, val2, fieldtype=None): the values, cast
// to the field type when one is given (castValue), compared by the operator condition names
// ("=", "!=", "<", "<=", ">", ">=", "in", "not in", "^" for startswith, "None" and "not None"
// for falsehood and truth); False for an operator it does not know.
func compareValues(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("compare", va, 3, "val1", "condition", "val2", "fieldtype")
	if err != nil {
		return nil, err
	}
	st := stateOf(e.Environment.Context)
	v1, v2 := args[0], args[2]
	if args[3] != nil && args[3].IsTrue() {
		if v1, err = st.castValue(e, args[3], v1); err == nil {
			v2, err = st.castValue(e, args[3], v2)
		}
		if err != nil {
			return nil, fmt.Errorf("compare(): %w", err)
		}
	}
	op := ""
	if args[1].IsString() {
		op = st.text(args[1])
	}
	switch op {
	case "=", "!=":
		return pyEqual(st.format.unescape, v1, v2) == (op == "="), nil
	case "<", "<=", ">", ">=":
		return pyOrder(st.format, op, v1, v2)
	case "in", "not in":
		in, err := pyContains(st.format, v1, v2)
		return in == (op == "in"), err
	case "^":
		if !v1.IsTrue() {
			v1 = exec.AsValue("")
		}
		if !v1.IsString() {
			return nil, fmt.Errorf("compare(): AttributeError: '%s' object has no attribute 'startswith'", pyType(v1))
		}
		if !v2.IsString() {
			return nil, fmt.Errorf("compare(): TypeError: startswith first arg must be str or a tuple of str, not %s", pyType(v2))
		}
		return strings.HasPrefix(st.text(v1), st.text(v2)), nil
	case "None":
		return !v1.IsTrue(), nil
	case "not None":
		return v1.IsTrue(), nil
	}
	return false, nil
}

// castValue is the ERP's cast(fieldtype, value) for compare: a number field's flt, an Int or
// Check field's cint (of "true" and "false" too), a text field's cstr, a date's getdate and a
// timestamp's get_datetime (the year 1's for a false value); other types keep the value. A
// Time field needs the ERP's time parsing, which walnotify does not have: an error.
func (st *state) castValue(e *exec.Evaluator, fieldtype, v *exec.Value) (*exec.Value, error) {
	read := func(f func(*exec.Evaluator, *exec.VarArgs) (any, error)) (*exec.Value, error) {
		x, err := f(e, &exec.VarArgs{Args: []*exec.Value{v}})
		return exec.AsValue(x), err
	}
	switch st.text(fieldtype) {
	case "Currency", "Float", "Percent":
		return exec.AsValue(fltOf(st.format, v, nil)), nil
	case "Int", "Check":
		if v.IsString() {
			switch strings.ToLower(st.text(v)) {
			case "true", "1":
				v = exec.AsValue(true)
			case "false", "0":
				v = exec.AsValue(false)
			}
		}
		return exec.AsValue(cintOf(st.format, v, nil)), nil
	case "Data", "Text", "Small Text", "Long Text", "Text Editor", "Select", "Link", "Dynamic Link":
		return read(cstr)
	case "Date":
		if !v.IsTrue() {
			return exec.AsValue("0001-01-01"), nil
		}
		return read(getdate)
	case "Datetime":
		if !v.IsTrue() {
			return exec.AsValue("0001-01-01 00:00:00"), nil
		}
		return read(getDatetime)
	case "Time":
		return nil, errors.New("a Time field type is not supported in walnotify")
	}
	return v, nil
}
