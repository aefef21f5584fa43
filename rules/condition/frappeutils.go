package condition

import (
	"maps"
	"math/big"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"walnotify/internal/htmltext"
	"walnotify/internal/numwords"
	"walnotify/internal/pydate"
)

// The frappe.utils functions that the ERP's periods, weekdays, numbers, lists and HTML take,
// as frappe/utils/data.py defines them; the arithmetic is pydate's, rounding's and htmltext's,
// shared with templates.

// period makes a frappe.utils function of a date that gives a day, pick's, as a date text:
// getdate(dt) first (today for None or "", an error for a text that is no date), and the ERP's
// AttributeError, naming attr, for what getdate makes None (a number, "0000-00-00"). An as_str
// of the signature is taken and changes nothing: a date is text here either way.
func period(signature, attr string, pick func(time.Time) (time.Time, error)) function {
	return pyfunc(signature, true, func(a ...any) (any, error) { return dayOf(a[0].(*evaluation), a[1], attr, pick) })
}

// week makes get_first_day_of_week or get_last_day_of_week: a period whose day depends on the
// day weeks start on, the site's (Input.WeekStart).
func week(signature string, pick func(time.Time, time.Weekday) (time.Time, error)) function {
	return pyfunc(signature, true, func(a ...any) (any, error) {
		c := a[0].(*evaluation)
		return dayOf(c, a[1], "weekday", func(t time.Time) (time.Time, error) { return pick(t, c.weekStart) })
	})
}

// monthDiff is frappe.utils.month_diff(string_ed_date, string_st_date): the months from the
// start's to the end's, both counted, from getdate of each (None and "" are today).
func monthDiff(c *evaluation, end, start any) (any, error) {
	var at [2]time.Time
	for i, v := range [2]any{end, start} {
		d, err := getdate(c, v)
		if err != nil {
			return nil, err
		}
		s, ok := d.(string)
		if !ok {
			return nil, noAttribute("NoneType", "year")
		}
		at[i], _ = parseTimestamp(s)
	}
	return int64(pydate.MonthDiff(at[0], at[1])), nil
}

// getWeekday is frappe.utils.get_weekday(datetime=None): the English name of the day of a date
// or timestamp, of now for a false value (None, ""). A text shaped as a date is a date here,
// where the ERP's function takes a date only; anything else has no weekday(), the ERP's
// AttributeError.
func getWeekday(c *evaluation, a ...any) (any, error) {
	if len(a) == 0 || !truthy(a[0]) {
		return c.now.Weekday().String(), nil
	}
	if s, ok := a[0].(string); ok {
		if t, _, ok := pydate.Parse(s); ok {
			return t.Weekday().String(), nil
		}
	}
	return nil, noAttribute(typeName(a[0]), "weekday")
}

// whole is frappe.utils.floor(s) or ceil(s), by round: flt(s) (0.0 for what is no number) made
// a whole number, an int.
func whole(round func(float64) float64, s any) (any, error) {
	f, _ := flt(s)
	return truncate(num{f: round(f.(float64)), isFloat: true})
}

// hasCommon is frappe.utils.has_common(l1, l2), set(l1) & set(l2): the items of l1 that l2 holds
// too, by Python's == (1, 1.0 and True are one), once each. The ERP gives a set, which prints
// its items in an order that varies; here it is a list, in l1's order. A text gives its
// characters, a dict or a row its keys; a list or a dict as an item is Python's unhashable
// TypeError, and what is not iterable its TypeError too.
func hasCommon(a ...any) (any, error) {
	var sets [2][]any
	for i, v := range a[:2] {
		items, err := setItems(v)
		if err != nil {
			return nil, err
		}
		sets[i] = items
	}
	common := []any{}
	for _, x := range sets[0] {
		if slices.ContainsFunc(sets[1], func(y any) bool { return equal(x, y) }) &&
			!slices.ContainsFunc(common, func(y any) bool { return equal(x, y) }) {
			common = append(common, x)
		}
	}
	return common, nil
}

// setItems are the items set(v) takes from v, in v's order (a row's keys sorted: a row has no
// order).
func setItems(v any) ([]any, error) {
	if row, ok := v.(map[string]any); ok {
		var keys []any
		for _, k := range slices.Sorted(maps.Keys(row)) {
			keys = append(keys, k)
		}
		return keys, nil
	}
	items, err := pyIter(v)
	if err != nil {
		return nil, err
	}
	if _, ok := v.([]any); ok {
		for _, item := range items {
			if _, _, err := textKey(item); err != nil {
				return nil, err
			}
		}
	}
	return items, nil
}

// stripHTML is frappe.utils.strip_html(text): the text without its HTML comments and tags;
// anything but a text, None included, is the ERP's TypeError.
func stripHTML(a ...any) (any, error) {
	s, ok := a[0].(string)
	if !ok {
		return nil, typeError("expected string or bytes-like object, got '%s'", typeName(a[0]))
	}
	return htmltext.Strip(s), nil
}

// isHTML is frappe.utils.is_html(text): whether the text holds an HTML tag ("<b>", "<br/>").
// The ERP gives the regular expression's match, here True; a text without a tag is None, and
// anything but a text False, as there.
func isHTML(a ...any) (any, error) {
	s, ok := a[0].(string)
	switch {
	case !ok:
		return false, nil
	case htmltext.HasTag(s):
		return true, nil
	}
	return nil, nil
}

// inWords is frappe.utils.in_words(integer, in_million=True): int(integer) in words, in the
// site's language as num2words writes it (numwords.InWords, English for one it lacks) or, when
// in_million is false, in Indian English (lakh and crore), hyphens made spaces (numwords,
// shared with templates).
func inWords(a ...any) (any, error) {
	c := a[0].(*evaluation)
	i, err := toInt(a[1])
	if err != nil {
		return nil, err
	}
	n, _ := bigInt(i)
	return numwords.InWords(n, c.words.Language, len(a) < 3 || truthy(a[2]))
}

// moneyInWords is frappe.utils.money_in_words(number, main_currency=None,
// fraction_currency=None): float(number) in words with its currency (numwords, shared with
// templates); "" for a text float() refuses and for a negative number, None a TypeError. The
// ERP passes the currency and its words through _(); a condition knows no translations, so
// they stay English.
func moneyInWords(a ...any) (any, error) {
	c := a[0].(*evaluation)
	f, err := toFloat(a[1])
	if e, ok := err.(*pyError); ok && e.kind == "ValueError" {
		return "", nil
	} else if err != nil {
		return nil, err
	}
	var names [2]string // main_currency, fraction_currency: a false value is none
	for i, v := range a[2:] {
		if truthy(v) {
			names[i] = str(v)
		}
	}
	return c.words.MoneyInWords(f.(float64), names[0], names[1], func(s string) string { return s })
}

// formatDuration is frappe.utils.format_duration(seconds, hide_days=False): cint(seconds) as
// "1d 2h 3m 4s", the parts that are not zero (pydate.FormatDuration, shared with templates).
func formatDuration(a ...any) (any, error) {
	s, _ := cint(a[0])
	n, ok := bigInt(s)
	if !ok {
		n = new(big.Int)
	}
	return pydate.FormatDuration(n, len(a) > 1 && truthy(a[1])), nil
}

// safeDiv is frappe.utils.safe_div(numerator, denominator, precision=2): 0.0 when the
// denominator == 0, else float(numerator) / denominator; then flt(_, cint(precision)), so an
// int at precision 0.
func safeDiv(a ...any) (any, error) {
	precision, _ := cint(digitsArg(a[2:]))
	if equal(a[1], int64(0)) {
		return flt(0.0, precision)
	}
	f, err := toFloat(a[0])
	if err != nil {
		return nil, err
	}
	q, err := trueDivide(f, a[1])
	if err != nil {
		return nil, err
	}
	return flt(q, precision)
}

// remainder is frappe.utils.remainder(numerator, denominator, precision=2): with p =
// cint(precision), (numerator * 10**p) % (denominator * 10**p) / 10**p, or numerator %
// denominator when p is 0, by Python's operators; then flt(_, p).
func remainder(a ...any) (any, error) {
	p, _ := cint(digitsArg(a[2:]))
	var r any
	var err error
	if truthy(p) {
		r, err = chain(a[0], a[1], p)
	} else {
		r, err = modulo(a[0], a[1])
	}
	if err != nil {
		return nil, err
	}
	return flt(r, p)
}

// chain is (n * 10**p) % (d * 10**p) / 10**p.
func chain(n, d, p any) (any, error) {
	m, err := power(int64(10), p)
	if err != nil {
		return nil, err
	}
	x, err := mul(n, m)
	if err != nil {
		return nil, err
	}
	y, err := mul(d, m)
	if err != nil {
		return nil, err
	}
	r, err := modulo(x, y)
	if err != nil {
		return nil, err
	}
	return trueDivide(r, m)
}

// digitsArg is a precision (or get_abbr's max_len) argument, 2 when it is not given.
func digitsArg(a []any) any {
	if len(a) == 0 {
		return int64(2)
	}
	return a[0]
}

// getAbbr is frappe.utils.get_abbr(string, max_len=2): the first character of each word
// (split at spaces) while fewer than max_len are taken, "?" for none.
func getAbbr(a ...any) (any, error) {
	s, ok := a[0].(string)
	if !ok {
		return nil, noAttribute(typeName(a[0]), "split")
	}
	maxLen := digitsArg(a[1:])
	var abbr []rune
	for _, part := range strings.Split(s, " ") {
		c, err := compare("<", int64(len(abbr)), maxLen)
		if err != nil {
			return nil, err
		}
		if c == -1 && part != "" {
			r, _ := utf8.DecodeRuneInString(part)
			abbr = append(abbr, r)
		}
	}
	if len(abbr) == 0 {
		return "?", nil
	}
	return string(abbr), nil
}

// isSubset is frappe.utils.is_subset(list_a, list_b): whether set(list_a) & set(list_b) has
// len(list_a) items, so a repeated item of list_a makes it false.
func isSubset(a ...any) (any, error) {
	common, err := hasCommon(a[0], a[1])
	if err != nil {
		return nil, err
	}
	n, err := length(a[0])
	if err != nil {
		return nil, err
	}
	return equal(int64(len(common.([]any))), n), nil
}

// compareValues is frappe.utils.compare(val1, condition, val2, fieldtype=None): the values,
// cast to the field type when one is given, compared by the operator condition names ("=",
// "!=", "<", "<=", ">", ">=", "in", "not in", "^" for startswith, "None" and "not None" for
// falsehood and truth); False for an operator it does not know.
func compareValues(a ...any) (any, error) {
	c := a[0].(*evaluation)
	v1, v2 := a[1], a[3]
	if len(a) > 4 && truthy(a[4]) {
		var err error
		if v1, err = c.cast(a[4], v1); err != nil {
			return nil, err
		}
		if v2, err = c.cast(a[4], v2); err != nil {
			return nil, err
		}
	}
	op, _ := a[2].(string)
	switch op {
	case "=":
		op = "=="
	case "^":
		if !truthy(v1) {
			v1 = ""
		}
		return affix("startswith", strings.HasPrefix, []any{v1, v2})
	case "None":
		return !truthy(v1), nil
	case "not None":
		return truthy(v1), nil
	}
	switch op {
	case "==", "!=", "<", "<=", ">", ">=", "in", "not in":
		return operations[op].call(v1, v2)
	}
	return false, nil
}

// cast is the ERP's cast(fieldtype, value) for compare: a number field's flt, an Int or Check
// field's cint (of "true" and "false" too), a text field's cstr, a date's getdate and a
// timestamp's get_datetime (the year 1's for a false value); other types keep the value. A
// Time field needs the ERP's time parsing, which conditions do not have: an error.
func (c *evaluation) cast(fieldtype, v any) (any, error) {
	switch fieldtype {
	case "Currency", "Float", "Percent":
		return flt(v)
	case "Int", "Check":
		if s, ok := v.(string); ok {
			switch strings.ToLower(s) {
			case "true", "1":
				v = true
			case "false", "0":
				v = false
			}
		}
		return cint(v)
	case "Data", "Text", "Small Text", "Long Text", "Text Editor", "Select", "Link", "Dynamic Link":
		return cstr(v), nil
	case "Date":
		if !truthy(v) {
			return "0001-01-01", nil
		}
		return getdate(c, v)
	case "Datetime":
		if !truthy(v) {
			return "0001-01-01 00:00:00.000000", nil
		}
		return getDatetime(c, v)
	case "Time":
		return nil, valueError("compare(): a Time field type is not supported in conditions")
	}
	return v, nil
}
