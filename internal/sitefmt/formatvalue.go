package sitefmt

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"

	"walnotify/internal/numformat"
	"walnotify/internal/pydate"
	"walnotify/internal/pyfloat"
	"walnotify/internal/rounding"
)

// Field is what the ERP's DocField says of a field, as its format_value reads it: the field
// type, its options (the field that holds a Currency field's currency, ...), its precision
// ("" for the site's) and, for a Duration, whether its days are hidden.
type Field struct {
	Type, Options, Precision string
	HideDays                 bool
}

// FieldValue is a value format_value formats, as the caller reads its own values.
type FieldValue struct {
	Text  string  // cstr(value): how it prints, "" for None
	Float float64 // flt(value): 0 for what is no number
	// Str says the value is a str or None (which format_value takes as ""): flt of a text is
	// rounded to the precision first, and only a text has line breaks to write as <br>.
	Str bool
	// Type is the field type format_value guesses from the value without a df: "Int" for an
	// int or a bool, "Float" for a float, else "Data" (dates being text).
	Type string
}

// Made is what FormatValue made of a value.
type Made int

const (
	// AsIs is the value as it is (None as "").
	AsIs Made = iota
	// Written is the text FormatValue wrote.
	Written
	// None is None: the ERP's format_datetime of an empty value.
	None
)

// ErrNotText is the ERP's TypeError for a Text field's value that is no text.
var ErrNotText = errors.New("expected string or bytes-like object")

// FormatValue is the ERP's format_value(value, df, doc, currency, format=format): the value as
// a form shows a field of type df.Type (the value's own type, v.Type, when df is none, the
// zero Field). Date and Datetime in the site's formats, Time in its time format (a text that
// is no time of day as it is); Currency by fmt_money in the currency given, else the one the
// field's options name in the document (docField: its field's text; nil without a document),
// else the site's, with the field's precision, else the site's currency precision or its
// number format's; Float by fmt_money with the field's precision or the site's float
// precision (3 by default), none when the value's text has no decimals but zeros ("show
// 1.000000 as 1", for a field without options), in the currency its options name; Percent as
// flt(value, 2) and "%"; Duration as format_duration(value, df.hide_days) writes it ("1d 2h
// 3m"); Text and Small Text with their line breaks as <br> unless they hold HTML; Text Editor
// in the ERP's <div class='ql-snow'>. escape is how the caller escapes what it writes (nil:
// nothing), before the <br> and the <div> are added. made is Written for those, AsIs for any
// other type, whose value is as it is, and None for an empty Datetime.
func (s Site) FormatValue(v FieldValue, df Field, docField func(string) string, currency, format string, escape func(string) string) (out string, made Made, err error) {
	if escape == nil {
		escape = func(s string) string { return s }
	}
	if df == (Field{}) {
		df.Type = v.Type
	}
	precision := func(dflt int) int {
		if df.Precision == "" {
			return dflt
		}
		n, _ := rounding.Cint(df.Precision)
		return int(n)
	}
	fieldCurrency := func() string {
		if currency != "" || df.Options == "" || docField == nil {
			return currency
		}
		return docField(df.Options)
	}
	switch df.Type {
	case "Date", "Datetime":
		switch {
		case v.Text == "" && df.Type == "Date":
			return "", Written, nil
		case v.Text == "":
			return "", None, nil
		}
		t, _, ok := pydate.Parse(strings.TrimSpace(v.Text))
		if !ok {
			return "", AsIs, fmt.Errorf("%q is not a date (YYYY-MM-DD) or a timestamp (YYYY-MM-DD HH:MM:SS)", strings.TrimSpace(v.Text))
		}
		if df.Type == "Date" {
			return escape(s.Date(t, "")), Written, nil
		}
		return escape(s.Datetime(t, "")), Written, nil
	case "Currency":
		code := fieldCurrency()
		if code == "" {
			code = s.Currency
		}
		dflt := s.CurrencyPrecision
		if dflt <= 0 {
			dflt = numformat.Info(s.NumberFormat).Precision
		}
		out, err = s.Money(v.fmtMoneyAmount(precision(dflt)), precision(dflt), code, format)
		return escape(out), Written, err
	case "Float":
		p := precision(cmpOr(s.FloatPrecision, 3))
		if df.Options == "" {
			// "show 1.000000 as 1": no decimals when the text of the value has none but zeros.
			if _, decimals, ok := strings.Cut(v.Text, "."); !ok || cint(decimals) == 0 {
				p = 0
			}
		}
		out, err = s.Money(v.fmtMoneyAmount(p), p, fieldCurrency(), "")
		return escape(out), Written, err
	case "Percent":
		f, ok := rounding.Legacy(v.Float, 2)
		if !ok {
			f = 0
		}
		return pyfloat.Repr(f) + "%", Written, nil
	case "Time":
		if v.Text == "" {
			return "", Written, nil
		}
		if t, ok := timeOfDay(v.Text); ok {
			return escape(formatPattern(t, cmp.Or(s.TimeFormat, defaultTimeFormat), localeOf(s.Language))), Written, nil
		}
	case "Duration":
		return pydate.FormatDuration(v.cint(), df.HideDays), Written, nil
	case "Text", "Small Text":
		if !v.Str {
			return "", AsIs, ErrNotText
		}
		if !htmlBreak.MatchString(v.Text) {
			return strings.ReplaceAll(escape(v.Text), "\n", "<br>"), Written, nil
		}
	case "Text Editor":
		return "<div class='ql-snow'>" + escape(v.Text) + "</div>", Written, nil
	}
	return "", AsIs, nil
}

// fmtMoneyAmount is the amount fmt_money writes of v with precision decimals: a text is
// flt(text, precision) first.
func (v FieldValue) fmtMoneyAmount(precision int) float64 {
	if !v.Str {
		return v.Float
	}
	if r, ok := rounding.Legacy(v.Float, precision); ok {
		return r
	}
	return 0
}

// clock is a time of day as the ERP's get_time reads one: H:MM, H:MM:SS or H:MM:SS.ffffff.
var clock = regexp.MustCompile(`^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$`)

// timeOfDay is the time of day of a text, a time (09:05, 09:05:30.5) or a timestamp; ok is
// false for any other text.
func timeOfDay(text string) (t time.Time, ok bool) {
	text = strings.TrimSpace(text)
	if t, hasTime, ok := pydate.Parse(text); ok && hasTime {
		return t, true
	}
	m := clock.FindStringSubmatch(text)
	if m == nil {
		return time.Time{}, false
	}
	n := func(s string) int { i, _ := strconv.Atoi(s); return i }
	micro := n((m[4] + "000000")[:6])
	if n(m[1]) > 23 || n(m[2]) > 59 || n(m[3]) > 59 {
		return time.Time{}, false
	}
	return time.Date(1900, 1, 1, n(m[1]), n(m[2]), n(m[3]), micro*1000, time.UTC), true
}

// cint is the ERP's cint(value): a text's integer, a number truncated, 0 for what is none.
func (v FieldValue) cint() *big.Int {
	if v.Str {
		return big.NewInt(cint(v.Text))
	}
	if math.IsNaN(v.Float) || math.IsInf(v.Float, 0) {
		return new(big.Int)
	}
	n, _ := big.NewFloat(math.Trunc(v.Float)).Int(nil)
	return n
}

// htmlBreak is what makes the ERP leave a Text value's line breaks as they are.
var htmlBreak = regexp.MustCompile(`(<br|<div|<p)`)

// cmpOr is the positive one of n and dflt: a site's setting, or the ERP's default.
func cmpOr(n, dflt int) int {
	if n > 0 {
		return n
	}
	return dflt
}

// cint is the ERP's cint of a text: its integer, 0 when it is none.
func cint(s string) int64 {
	n, _ := rounding.Cint(s)
	return n
}
