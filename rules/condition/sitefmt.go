package condition

import (
	"errors"
	"math/big"
	"strings"
	"time"

	"walnotify/internal/pydate"
	"walnotify/internal/sitefmt"
)

// The frappe.utils functions that write values with the site's settings (Input.Formats):
// fmt_money, formatdate (format_date), format_datetime, global_date_format, pretty_date and
// the site's addresses, and frappe.format_value. The writing is sitefmt's, shared with
// templates; here the arguments are read as templates read theirs: a text is cstr of the
// value, an amount flt of it, None or "" an empty date.

// siteFunctions are those functions, by their name in frappe.utils.
var siteFunctions = map[string]function{
	"fmt_money":          siteFunc("amount, precision=None, currency=None, format=None", fmtMoney),
	"formatdate":         siteFunc("string_date=None, format_string=None", formatdate, "parse_day_first"),
	"format_date":        siteFunc("string_date=None, format_string=None", formatdate, "parse_day_first"),
	"format_datetime":    siteFunc("datetime_string, format_string=None", formatDatetime, "args"),
	"global_date_format": siteFunc(`date, format="long"`, globalDateFormat),
	"pretty_date":        siteFunc("iso_datetime", prettyDate),
	"get_url":            siteFunc("uri=None", siteText(func(s sitefmt.Site, a []string) string { return s.Address(a[0]) }), "full_address"),
	"get_url_to_form":    siteFunc("doctype, name=None", siteText(func(s sitefmt.Site, a []string) string { return s.FormURL(a[0], a[1]) })),
	"get_url_to_list":    siteFunc("doctype", siteText(func(s sitefmt.Site, a []string) string { return s.ListURL(a[0]) })),
	"get_link_to_form":   siteFunc("doctype, name, label=None", siteText(func(s sitefmt.Site, a []string) string { return s.Link(a[0], a[1], a[2]) })),
}

// frappeFunctions are the functions of the frappe namespace itself that a condition may call,
// by path, as Frappe 16 gives its conditions the whole namespace, and templates have them.
var frappeFunctions = map[string]function{
	"frappe.flt":          frappeUtils["flt"],
	"frappe.cint":         frappeUtils["cint"],
	"frappe.get_url":      siteFunctions["get_url"],
	"frappe.format_date":  siteFunctions["global_date_format"],
	"frappe.format_value": siteFunc("value, df=None, doc=None, currency=None, translated=False, format=None", formatValue),
	"frappe.bold":         pyfunc("text", false, func(a ...any) (any, error) { return "<strong>" + str(a[0]) + "</strong>", nil }),
}

// siteFunc makes a function of the evaluation and of the parameters of its Python signature,
// as pyfunc, whose call receives every parameter: one not given is its default.
func siteFunc(signature string, call func(a ...any) (any, error), unsupported ...string) function {
	f := pyfunc(signature, true, call, unsupported...)
	f.call = func(a ...any) (any, error) {
		if given := len(a) - 1; given < len(f.params) {
			a = append(a[:len(a):len(a)], f.defaults[given-f.min:]...)
		}
		return call(a...)
	}
	return f
}

// siteText makes a function of texts (cstr of each argument) that
// writes with the site's settings.
func siteText(write func(s sitefmt.Site, args []string) string) func(a ...any) (any, error) {
	return func(a ...any) (any, error) {
		texts := make([]string, len(a)-1)
		for i, v := range a[1:] {
			texts[i] = cstr(v)
		}
		return write(a[0].(*evaluation).formats, texts), nil
	}
}

// fmtMoney is frappe.utils.fmt_money(amount, precision=None, currency=None, format=None):
// flt(amount) with the format's separators (the site's number format by default), precision
// decimals (the site's currency precision by default; a precision is int(flt(precision))),
// after the currency's symbol, as templates write it.
func fmtMoney(a ...any) (any, error) {
	c := a[0].(*evaluation)
	precision := -1
	if !emptyArg(a[2]) {
		precision = int(fltOf(a[2]))
	}
	s, err := c.formats.Money(fltOf(a[1]), precision, cstr(a[3]), cstr(a[4]))
	if err != nil {
		return nil, valueError("%s", err.Error())
	}
	return s, nil
}

// formatdate is frappe.utils.formatdate(string_date=None, format_string=None) and format_date:
// "" for None or "", else the date in the format (the site's date format by default, then
// dd-mm-yyyy), in the site's language.
var formatdate = siteDate(sitefmt.Site.Date)

// formatDatetime is frappe.utils.format_datetime(datetime_string, format_string=None): "" for
// None or "", else the timestamp in the format (the site's date and time formats by default).
var formatDatetime = siteDate(sitefmt.Site.Datetime)

// siteDate makes a function of a date and a format that writes with the site's settings: ""
// for None or "", else the date as write writes it.
func siteDate(write func(s sitefmt.Site, t time.Time, format string) string) func(a ...any) (any, error) {
	return func(a ...any) (any, error) {
		if emptyArg(a[1]) {
			return "", nil
		}
		c := a[0].(*evaluation)
		t, err := c.dateArg(a[1])
		if err != nil {
			return nil, err
		}
		return write(c.formats, t, cstr(a[2])), nil
	}
}

// globalDateFormat is frappe.utils.global_date_format(date, format="long"): the date (today
// for None or "") in one of Babel's named formats or a Babel pattern, in the site's language.
func globalDateFormat(a ...any) (any, error) {
	c := a[0].(*evaluation)
	t, err := c.dateArg(a[1])
	if err != nil {
		return nil, err
	}
	return c.formats.GlobalDate(t, cstr(a[2])), nil
}

// prettyDate is frappe.utils.pretty_date(iso_datetime): how long before now a timestamp is, in
// the ERP's words; "" for a false value. A date without a time, or a value that is no date, is
// the ERP's TypeError (a datetime less a date). The words stay English: conditions translate
// nothing.
func prettyDate(a ...any) (any, error) {
	v := a[1]
	if !truthy(v) {
		return "", nil
	}
	var t time.Time
	hasTime, ok := false, false
	if s, isText := v.(string); isText {
		t, hasTime, ok = pydate.Parse(s)
	}
	if !ok || !hasTime {
		other := typeName(v)
		if ok {
			other = "datetime.date"
		}
		return nil, typeError("unsupported operand type(s) for -: 'datetime.datetime' and '%s'", other)
	}
	return sitefmt.PrettyDate(a[0].(*evaluation).now, t, func(s string) string { return s }), nil
}

// dateArg is a date or timestamp argument as those functions read it: today for None or "",
// else cstr of it read as a date or timestamp.
func (c *evaluation) dateArg(v any) (time.Time, error) {
	if emptyArg(v) {
		y, m, d := c.now.Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
	}
	s := strings.TrimSpace(cstr(v))
	t, _, ok := pydate.Parse(s)
	if !ok {
		return time.Time{}, valueError("%s is not a date (YYYY-MM-DD) or a timestamp (YYYY-MM-DD HH:MM:SS)", quote(s))
	}
	return t, nil
}

// emptyArg reports whether v is None or "".
func emptyArg(v any) bool { return v == nil || v == "" }

// fltOf is flt(v) as a float64: 0.0 for what is no number.
func fltOf(v any) float64 {
	f, _ := flt(v)
	return f.(float64)
}

// formatValue is frappe.format_value(value, df=None, doc=None, currency=None,
// translated=False, format=None) (not frappe.format, an attribute the ERP's safe_eval
// refuses, as it refuses every attribute named format): the value as a form shows a field of
// type df's fieldtype, as templates write it (sitefmt.Site.FormatValue). df is a dict (its
// fieldtype, options, precision and hide_days) or a field type's name, the value's own type
// (an int, a float, else Data) when it is false; doc is a document, a row or a dict, where a
// Currency field's options name the field of its currency. Translated changes nothing:
// conditions translate nothing.
func formatValue(a ...any) (any, error) {
	c, value := a[0].(*evaluation), a[1]
	var df sitefmt.Field
	switch d := a[2].(type) {
	case string:
		df.Type = d
	case map[string]any, *dict:
		read := func(key string) any { v, _ := get(d, key); return v } // a text key: no error
		df = sitefmt.Field{Type: cstr(read("fieldtype")), Options: cstr(read("options")),
			Precision: cstr(read("precision")), HideDays: truthy(read("hide_days"))}
	default:
		if truthy(d) {
			return nil, noAttribute(typeName(d), "get")
		}
	}
	var docField func(string) string
	switch d := a[3].(type) {
	case map[string]any, *dict:
		docField = func(name string) string {
			v, _ := get(d, name)
			return cstr(v)
		}
	}
	v := sitefmt.FieldValue{Text: cstr(value), Float: fltOf(value), Type: "Data"}
	switch value.(type) {
	case nil, string:
		v.Str = true
	case int64, *big.Int, bool:
		v.Type = "Int"
	case float64:
		v.Type = "Float"
	}
	out, made, err := c.formats.FormatValue(v, df, docField, cstr(a[4]), cstr(a[6]), nil)
	switch {
	case errors.Is(err, sitefmt.ErrNotText):
		return nil, typeError("%s", err.Error())
	case err != nil:
		return nil, valueError("%s", err.Error())
	case made == sitefmt.Written:
		return out, nil
	case made == sitefmt.None:
		return nil, nil
	case value == nil:
		return "", nil
	}
	return value, nil
}
