package render

import (
	"errors"
	"fmt"
	"html"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nikolalohinski/gonja/v2/exec"

	"walnotify/internal/htmltext"
	"walnotify/internal/numwords"
	"walnotify/internal/pydate"
	"walnotify/internal/rounding"
	"walnotify/internal/sitefmt"
)

// The ERP's template helpers (frappe.utils.X and a few bare names). Each receives the
// evaluator, to find the rendering's state, and the call's arguments. String arguments may be
// document values, already escaped: helpers unescape them, compute on the text as written and
// escape their result, so nothing is escaped twice.

// bind maps positional and keyword arguments onto parameter names, Python style; a missing
// argument is nil.
func bind(va *exec.VarArgs, names ...string) ([]*exec.Value, error) {
	if len(va.Args) > len(names) {
		return nil, fmt.Errorf("takes at most %d arguments (%d given)", len(names), len(va.Args))
	}
	out := make([]*exec.Value, len(names))
	copy(out, va.Args)
	for k, v := range va.KwArgs {
		i := slices.Index(names, k)
		if i < 0 {
			return nil, fmt.Errorf("unexpected keyword argument %q", k)
		}
		if out[i] != nil {
			return nil, fmt.Errorf("got multiple values for argument %q", k)
		}
		out[i] = v
	}
	return out, nil
}

// call binds the arguments of the helper called name and requires the first required ones.
func call(name string, va *exec.VarArgs, required int, names ...string) ([]*exec.Value, error) {
	args, err := bind(va, names...)
	if err != nil {
		return nil, fmt.Errorf("%s(): %w", name, err)
	}
	for i := range required {
		if args[i] == nil {
			return nil, fmt.Errorf("%s(): missing argument %q", name, names[i])
		}
	}
	return args, nil
}

func isEmpty(v *exec.Value) bool { return v == nil || v.IsNil() || v.IsString() && v.String() == "" }

// display is how a value prints: nil as "", floats and booleans as Python prints them
// (40000.0, True).
func display(v *exec.Value) string {
	if v == nil || v.IsNil() {
		return ""
	}
	switch x := v.Interface().(type) {
	case string:
		return x
	case timedelta:
		return x.String()
	case float64:
		return pyFloatRepr(x)
	case float32:
		return pyFloatRepr(float64(x))
	case bool:
		if x {
			return "True"
		}
		return "False"
	}
	if x := v.Interface(); isContainer(x) {
		return pyReprAny(x)
	}
	return v.String()
}

// text is an argument as the text it was written as (document values are unescaped).
func (st *state) text(v *exec.Value) string {
	if v == nil {
		return ""
	}
	if v.IsString() {
		return st.format.unescape(v.String())
	}
	return display(v)
}

// toFlt is the ERP's flt() without a precision: numbers as they are, text read as a number
// (thousands commas ignored), anything else 0.
func toFlt(f Format, v *exec.Value) number {
	x, _ := floatOf(f, v)
	return number(x)
}

// floatOf is float(v) after flt's comma removal; ok is false where Python's float() fails.
func floatOf(f Format, v *exec.Value) (x float64, ok bool) {
	switch {
	case v == nil || v.IsNil():
		return 0, false
	case v.IsNumber():
		return v.Float(), true
	case v.IsBool():
		if v.Bool() {
			return 1, true
		}
		return 0, true
	case v.IsString():
		s := strings.ReplaceAll(strings.TrimSpace(f.unescape(v.String())), ",", "")
		x, err := strconv.ParseFloat(s, 64)
		return x, err == nil
	}
	return 0, false
}

// fltOf is the ERP's flt(v, precision): toFlt, rounded to precision decimals (read as cint)
// when one is given, by the ERP's rounded(), so that precision 0 gives an int, as there; what
// is no number, or cannot be rounded, is 0.0, as in the ERP.
func fltOf(f Format, v, precision *exec.Value) any {
	x, ok := floatOf(f, v)
	if !ok || precision == nil || precision.IsNil() {
		return number(x)
	}
	p := cintOf(Plain, precision, nil).(int64)
	r, ok := rounding.Legacy(x, int(max(min(p, 400), -400)))
	switch {
	case !ok:
		return number(0)
	case p != 0 || math.Abs(r) >= 1<<63:
		return number(r)
	}
	return int64(r)
}

func flt(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("flt", va, 0, "s", "precision")
	if err != nil {
		return nil, err
	}
	return fltOf(stateOf(e.Environment.Context).format, args[0], args[1]), nil
}

// cint is the ERP's cint(): the number truncated to an integer, 0 when it is not a number.
func cint(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("cint", va, 0, "s", "default")
	if err != nil {
		return nil, err
	}
	return cintWide(stateOf(e.Environment.Context).format, args[0], args[1]), nil
}

// cintWide is cintOf for cint() and |int, where a number past ±2⁶³ is a whole float, as
// walnotify's integers past 2⁶³ are (Python's int has no bounds; int64 would wrap).
func cintWide(f Format, v, def *exec.Value) any {
	x, isFloat := floatOf(Plain, v)
	if v != nil && v.IsString() {
		text := strings.TrimSpace(f.unescape(v.String()))
		parsed, err := strconv.ParseFloat(text, 64)
		x, isFloat = parsed, err == nil && !strings.ContainsAny(text, "xX") // Go reads hex floats, Python's float() does not
	}
	if isFloat && !math.IsInf(x, 0) && (x >= 1<<63 || x < -(1<<63)) {
		return math.Trunc(x)
	}
	return cintOf(f, v, def)
}

// cintOf is cint(v, def), int(float(v)): the default (0 when there is none) for what Python
// cannot read as a whole number, text that is no number, None, a list, nan or an infinity.
func cintOf(f Format, v, def *exec.Value) any {
	n, ok := int64(0), false
	if v != nil && v.IsString() {
		n, ok = rounding.Cint(f.unescape(v.String()))
	} else if x, isFloat := floatOf(Plain, v); isFloat && !math.IsNaN(x) && !math.IsInf(x, 0) {
		n, ok = int64(x), true
	}
	if !ok && def != nil {
		return def.Interface()
	}
	return n
}

// rounded is the ERP's rounded(num, precision=0) with its default method, "Banker's Rounding
// (legacy)" (see rounding.Legacy): precision 0 gives an int, any other a float; the precision
// reads as cint. Anything but a number, NULL included, is the ERP's TypeError, and what cannot
// be rounded (nan, infinities) its ValueError.
func rounded(_ *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("rounded", va, 1, "num", "precision")
	if err != nil {
		return nil, err
	}
	n, ok := asNum(args[0])
	if !ok {
		return nil, fmt.Errorf("rounded(): TypeError: type %s doesn't define __round__ method", pyType(args[0]))
	}
	precision := cintOf(Plain, args[1], nil).(int64)
	if !n.isFloat && precision == 0 {
		return int64(n.i), nil
	}
	r, ok := rounding.Legacy(n.float(), int(max(min(precision, 400), -400)))
	switch {
	case !ok:
		return nil, fmt.Errorf("rounded(): ValueError: cannot round %s to %d decimals", pyFloatRepr(n.float()), precision)
	case precision != 0:
		return number(r), nil
	case math.Abs(r) >= 1<<63:
		return r, nil // beyond int64: the value as a float
	}
	return int64(r), nil
}

// cstr is the ERP's cstr(s, encoding="utf-8"): the value as text, "" for None. The encoding
// matters only for bytes, which a template never holds.
func cstr(_ *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("cstr", va, 1, "s", "encoding")
	if err != nil {
		return nil, err
	}
	return display(args[0]), nil
}

func nowdate(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	if _, err := call("nowdate", va, 0); err != nil {
		return nil, err
	}
	return stateOf(e.Environment.Context).now.Format(dateLayout), nil
}

// nowDatetime is now_datetime(): the current time in the site's time zone, printed as Python
// prints a datetime.
func nowDatetime(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	if _, err := call("now_datetime", va, 0); err != nil {
		return nil, err
	}
	return pydate.Format(stateOf(e.Environment.Context).now, true), nil
}

// nowtime is the ERP's nowtime(): the time of day in the site's time zone, "HH:MM:SS.ffffff".
func nowtime(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	if _, err := call("nowtime", va, 0); err != nil {
		return nil, err
	}
	return stateOf(e.Environment.Context).now.Format("15:04:05.000000"), nil
}

// getDatetime is the ERP's get_datetime(datetime_str=None): a date or a timestamp as a
// timestamp, printed as Python prints a datetime (a date is its midnight); now when it is
// missing or NULL; None for "", the ERP's empty dates (0000-00-00, 0001-01-01) and anything
// but a text.
func getDatetime(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("get_datetime", va, 0, "datetime_str")
	if err != nil {
		return nil, err
	}
	st := stateOf(e.Environment.Context)
	switch v := args[0]; {
	case v == nil || v.IsNil():
		return pydate.Format(st.now, true), nil
	case !v.IsString():
		return nil, nil
	}
	s := st.text(args[0])
	if s == "" || strings.HasPrefix(s, "0000-00-00") || strings.HasPrefix(s, "0001-01-01") {
		return nil, nil
	}
	t, _, err := parseDateTime(s)
	if err != nil {
		return nil, fmt.Errorf("get_datetime(): ValueError: %w", err)
	}
	return pydate.Format(t, true), nil
}

// now is the ERP's now(): "YYYY-MM-DD HH:MM:SS.ffffff" in the site's time zone.
func now(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	if _, err := call("now", va, 0); err != nil {
		return nil, err
	}
	return stateOf(e.Environment.Context).now.Format("2006-01-02 15:04:05.000000"), nil
}

// timeArg reads a date or timestamp argument; empty means today.
func (st *state) timeArg(name string, v *exec.Value) (time.Time, bool, error) {
	if isEmpty(v) {
		return dateOf(st.now), false, nil
	}
	t, hasTime, err := parseDateTime(st.text(v))
	if err != nil {
		return time.Time{}, false, fmt.Errorf("%s(): %w", name, err)
	}
	return t, hasTime, nil
}

// dateOf is t's date, at midnight.
func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// getdate is the ERP's getdate(): the date of a date or timestamp, today when empty.
func getdate(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("getdate", va, 0, "string_date")
	if err != nil {
		return nil, err
	}
	t, _, err := stateOf(e.Environment.Context).timeArg("getdate", args[0])
	if err != nil {
		return nil, err
	}
	return t.Format(dateLayout), nil
}

// addToDate is the ERP's add_to_date(date, years=0, months=0, weeks=0, days=0, hours=0,
// minutes=0, seconds=0, as_string=False, as_datetime=False), through dateutil's relativedelta:
// years and months first (whole numbers; the month's last day when it has fewer), then the
// rest, fractions included. A text date gives a text: a timestamp when it has a time or hours
// are added or as_datetime is true, else a date. NULL is now, given back as a timestamp
// (printed as Python prints a datetime) unless as_string.
func addToDate(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	names := []string{"date", "years", "months", "weeks", "days", "hours", "minutes", "seconds", "as_string", "as_datetime"}
	args, err := call("add_to_date", va, 1, names...)
	if err != nil {
		return nil, err
	}
	var by pydate.Delta
	for i, v := range args[1:8] {
		if v == nil {
			continue
		}
		n, ok := asNum(v)
		if !ok {
			return nil, fmt.Errorf("add_to_date(): TypeError: unsupported type for %s: %s", names[i+1], pyType(v))
		}
		by[i] = n.float()
	}
	asString := args[8] != nil && args[8].IsTrue()
	asDatetime := args[9] != nil && args[9].IsTrue()
	return stateOf(e.Environment.Context).addDelta("add_to_date", args[0], by, asString, asDatetime)
}

// addDelta is add_to_date(date, ...) once its arguments are read (see addToDate), for the
// helper called name: date moved by, as a text unless it is NULL (now) and asString is false.
func (st *state) addDelta(name string, date *exec.Value, by pydate.Delta, asString, asDatetime bool) (any, error) {
	asDatetime = asDatetime || by[4] != 0
	t := pydate.Naive(st.now)
	switch v := date; {
	case v.IsString():
		s := st.text(v)
		asString, asDatetime = true, asDatetime || strings.Contains(s, " ")
		var err error
		if t, _, err = parseDateTime(s); err != nil {
			return nil, fmt.Errorf("%s(): ValueError: %w", name, err)
		}
	case !v.IsNil():
		return nil, fmt.Errorf("%s(): TypeError: unsupported operand type(s) for +: '%s' and 'relativedelta'", name, pyType(v))
	}
	t, err := pydate.AddDelta(t, by)
	if err != nil {
		return nil, fmt.Errorf("%s(): %w", name, err)
	}
	switch {
	case !asString:
		return pydate.Format(t, true), nil
	case asDatetime:
		return t.Format("2006-01-02 15:04:05.000000"), nil
	}
	return t.Format(dateLayout), nil
}

// getFirstDay is the ERP's get_first_day(dt, d_years=0, d_months=0, as_str=False): the first
// day of dt's month (today's when dt is empty), that many years and months on; as_str changes
// nothing, a date being text either way.
func getFirstDay(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("get_first_day", va, 1, "dt", "d_years", "d_months", "as_str")
	if err != nil {
		return nil, err
	}
	t, _, err := stateOf(e.Environment.Context).timeArg("get_first_day", args[0])
	if err != nil {
		return nil, err
	}
	years, months := int(toFlt(Plain, args[1])), int(toFlt(Plain, args[2]))
	return pydate.FirstDay(t, years, months).Format(dateLayout), nil
}

// getLastDay is the ERP's get_last_day(dt): the last day of dt's month.
func getLastDay(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("get_last_day", va, 1, "dt")
	if err != nil {
		return nil, err
	}
	t, _, err := stateOf(e.Environment.Context).timeArg("get_last_day", args[0])
	if err != nil {
		return nil, err
	}
	return pydate.LastDay(t).Format(dateLayout), nil
}

// timeDiffInHours is the ERP's time_diff_in_hours(end, start): the hours from start to end,
// rounded to 6 decimals; an empty argument is now.
func timeDiffInHours(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	d, err := timeDiff(e, va, "time_diff_in_hours")
	if err != nil {
		return nil, err
	}
	return rounding.Python(d.TotalSeconds()/3600, 6), nil
}

// timeDiff is the ERP's time_diff(end, start) of the helper called name: the time from start
// to end, a date being its midnight and an empty argument now.
func timeDiff(e *exec.Evaluator, va *exec.VarArgs, name string) (pydate.Timedelta, error) {
	args, err := call(name, va, 2, "string_ed_date", "string_st_date")
	if err != nil {
		return pydate.Timedelta{}, err
	}
	st := stateOf(e.Environment.Context)
	var at [2]time.Time
	for i, v := range args {
		if isEmpty(v) {
			at[i] = pydate.Naive(st.now)
			continue
		}
		if at[i], _, err = parseDateTime(st.text(v)); err != nil {
			return pydate.Timedelta{}, fmt.Errorf("%s(): %w", name, err)
		}
	}
	return pydate.Sub(at[0], at[1]), nil
}

// dateDiff is the ERP's date_diff(a, b): the number of days from b to a.
func dateDiff(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("date_diff", va, 2, "string_ed_date", "string_st_date")
	if err != nil {
		return nil, err
	}
	st := stateOf(e.Environment.Context)
	end, _, err := st.timeArg("date_diff", args[0])
	if err != nil {
		return nil, err
	}
	start, _, err := st.timeArg("date_diff", args[1])
	if err != nil {
		return nil, err
	}
	return int64(dateOf(end).Sub(dateOf(start)).Hours() / 24), nil
}

// formatdate is the ERP's formatdate() and format_date(): "" for an empty date, else the date
// in the given format (default dd-mm-yyyy).
func formatdate(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("formatdate", va, 0, "string_date", "format_string")
	if err != nil {
		return nil, err
	}
	st := stateOf(e.Environment.Context)
	return st.formattedDate(args[0], st.text(args[1]))
}

// formattedDate is formatdate(v, format): "" for an empty date, the site's format for "".
func (st *state) formattedDate(v *exec.Value, format string) (any, error) {
	if isEmpty(v) {
		return "", nil
	}
	t, _, err := st.timeArg("formatdate", v)
	if err != nil {
		return nil, err
	}
	return st.format.Escape(st.site.Formats().Date(t, format)), nil
}

// bold is the ERP's frappe.bold(text): the text between <strong> tags, which reach the service
// as the ERP sends them (its Slack message shows them as they are); a document value in it
// stays escaped for the service.
func bold(_ *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("bold", va, 1, "text")
	if err != nil {
		return nil, err
	}
	return "<strong>" + concatText(args[0]) + "</strong>", nil
}

// globalDateFormat is the ERP's global_date_format(date, format="long"): the date (today when
// empty) in one of Babel's named formats (short, medium, long, full) or a Babel pattern, in the
// site's language: "January 5, 2024", "5 janvier 2024" on a French site. Unlike formatdate, a
// pattern is Babel's as written (mm is minutes).
func globalDateFormat(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("global_date_format", va, 1, "date", "format")
	if err != nil {
		return nil, err
	}
	st := stateOf(e.Environment.Context)
	t, _, err := st.timeArg("global_date_format", args[0])
	if err != nil {
		return nil, err
	}
	format := "long"
	if args[1] != nil {
		format = st.text(args[1])
	}
	return st.format.Escape(st.site.Formats().GlobalDate(t, format)), nil
}

// formatDatetimeFunc is the ERP's format_datetime(): "" for an empty timestamp, else the
// timestamp in the given format (default dd-mm-yyyy HH:mm:ss).
func formatDatetimeFunc(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("format_datetime", va, 0, "datetime_string", "format_string")
	if err != nil {
		return nil, err
	}
	st := stateOf(e.Environment.Context)
	return st.formattedDatetime(args[0], st.text(args[1]))
}

// formattedDatetime is format_datetime(v, format): "" for an empty timestamp, the site's
// formats for "".
func (st *state) formattedDatetime(v *exec.Value, format string) (any, error) {
	if isEmpty(v) {
		return "", nil
	}
	t, _, err := st.timeArg("format_datetime", v)
	if err != nil {
		return nil, err
	}
	return st.format.Escape(st.site.Formats().Datetime(t, format)), nil
}

// fmtMoney is the ERP's fmt_money(amount, precision=None, currency=None, format=None).
func fmtMoney(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("fmt_money", va, 1, "amount", "precision", "currency", "format")
	if err != nil {
		return nil, err
	}
	st := stateOf(e.Environment.Context)
	precision := -1
	if !isEmpty(args[1]) {
		precision = int(toFlt(st.format, args[1]))
	}
	s, err := st.money(float64(toFlt(st.format, args[0])), precision, st.text(args[2]), st.text(args[3]))
	if err != nil {
		return nil, fmt.Errorf("fmt_money(): %w", err)
	}
	return st.format.Escape(s), nil
}

// money is fmt_money with the site's defaults (sitefmt.Site.Money).
func (st *state) money(amount float64, precision int, currency, format string) (string, error) {
	return st.site.Formats().Money(amount, precision, currency, format)
}

// Words are the site's settings as numwords reads them: what in_words and money_in_words read,
// in templates and conditions (condition.Input.Words).
func (s Site) Words() numwords.Site {
	return numwords.Site{Language: s.Language, Currency: s.Currency, NumberFormat: s.NumberFormat, Currencies: s.Currencies}
}

// Formats are the site's settings as sitefmt reads them: what conditions' fmt_money,
// formatdate and their kin read too (condition.Input.Formats).
func (s Site) Formats() sitefmt.Site {
	return sitefmt.Site{
		URL: s.URL, Language: s.Language, NumberFormat: s.NumberFormat,
		DateFormat: s.DateFormat, TimeFormat: s.TimeFormat, CurrencyPrecision: s.CurrencyPrecision,
		FloatPrecision: s.FloatPrecision, Currency: s.Currency, Currencies: s.Currencies,
	}
}

// FormURL is the address of a document in the ERP's desk, as get_url_to_form writes it
// (sitefmt.FormURL): <siteURL>/app/<doctype lower-cased, spaces to dashes>/<name>, each part
// percent-encoded. The document link of every message (show_document_link) is this address.
func FormURL(siteURL, doctype, name string) string { return sitefmt.FormURL(siteURL, doctype, name) }

// getURLToForm is the ERP's get_url_to_form(doctype, name=None).
func getURLToForm(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("get_url_to_form", va, 1, "doctype", "name")
	if err != nil {
		return nil, err
	}
	st := stateOf(e.Environment.Context)
	return st.format.Escape(st.site.Formats().FormURL(st.text(args[0]), st.text(args[1]))), nil
}

// getLinkToForm is the ERP's get_link_to_form(doctype, name, label=None), written in the
// service's link syntax (an <a> tag for Plain, as the ERP writes it).
func getLinkToForm(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("get_link_to_form", va, 2, "doctype", "name", "label")
	if err != nil {
		return nil, err
	}
	st := stateOf(e.Environment.Context)
	name := st.text(args[1])
	label := st.text(args[2])
	if label == "" {
		label = name
	}
	return st.format.link(st.site.Formats().FormURL(st.text(args[0]), name), label), nil
}

// stripHTML is the ERP's strip_html(text): the text without its HTML comments and tags; the
// entities stay as written. Anything but a text, NULL included, is the ERP's TypeError.
//
// The ERP sends the entities to the service as they are, and a service that reads entities
// (Slack, Mattermost, Telegram) shows "&amp;" as "&". Escaped as a value they would show as
// written, so for those services they are decoded first, and the reader sees what the ERP's
// reader sees.
func stripHTML(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("strip_html", va, 1, "text")
	if err != nil {
		return nil, err
	}
	if !args[0].IsString() {
		return nil, fmt.Errorf("strip_html(): TypeError: expected string or bytes-like object, got '%s'", pyType(args[0]))
	}
	st := stateOf(e.Environment.Context)
	text := htmltext.Strip(st.text(args[0]))
	if st.format.readsEntities() {
		text = html.UnescapeString(text)
	}
	return st.format.Escape(text), nil
}

// escapeHTML is the ERP's escape_html(text): & " ' < > written as entities; anything but a
// text, NULL included, is returned as it is. As for strip_html, a service that shows entities
// as their characters gets them decoded and escaped again, so its reader sees what the ERP's
// reader sees.
func escapeHTML(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("escape_html", va, 1, "text")
	if err != nil {
		return nil, err
	}
	if !args[0].IsString() {
		return args[0].Interface(), nil
	}
	st := stateOf(e.Environment.Context)
	text := htmltext.Escape(st.text(args[0]))
	if st.format.readsEntities() {
		text = html.UnescapeString(text)
	}
	return st.format.Escape(text), nil
}

// commaAnd, commaOr and commaSep are the ERP's comma_and(some_list, add_quotes=True),
// comma_or(some_list, add_quotes=True) and comma_sep(some_list, pattern, add_quotes=True): the
// items of a list or tuple as text (as str() writes them), quoted unless add_quotes is false,
// all but the last joined by ", " as the pattern's {0}, the last its {1} (pattern.format, so
// "'a', 'b' and 'c'"); a single item is its text without quotes, no items ""; anything else is
// returned as it is. As in the ERP, comma_and's and comma_or's patterns and every item but the
// last go through _().
func commaAnd(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	return commaSeparated(e, "comma_and", "{0} and {1}", va)
}

func commaOr(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	return commaSeparated(e, "comma_or", "{0} or {1}", va)
}

func commaSep(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	return commaSeparated(e, "comma_sep", "", va)
}

// commaSeparated is the helper called name: comma_sep with pattern, translated, or with the
// pattern its arguments give when pattern is "".
func commaSeparated(e *exec.Evaluator, name, pattern string, va *exec.VarArgs) (any, error) {
	var args []*exec.Value
	var err error
	st := stateOf(e.Environment.Context)
	if pattern == "" {
		args, err = call(name, va, 2, "some_list", "pattern", "add_quotes")
	} else if args, err = call(name, va, 1, "some_list", "add_quotes"); err == nil {
		args = []*exec.Value{args[0], exec.AsValue(st.translated(pattern)), args[1]}
	}
	if err != nil {
		return nil, err
	}
	texts, ok := st.listTexts(args[0])
	if !ok {
		return args[0].Interface(), nil
	}
	if len(texts) < 2 {
		return st.format.Escape(strings.Join(texts, "")), nil
	}
	quotes := args[2] == nil || args[2].IsTrue()
	for i, s := range texts {
		if quotes {
			s = "'" + s + "'"
		}
		if i < len(texts)-1 {
			s = st.translated(s)
		}
		texts[i] = s
	}
	if !args[1].IsString() {
		return nil, fmt.Errorf("%s(): AttributeError: '%s' object has no attribute 'format'", name, pyType(args[1]))
	}
	last := len(texts) - 1
	joined, err := strFormat(st, st.text(args[1]), &exec.VarArgs{Args: []*exec.Value{exec.AsValue(strings.Join(texts[:last], ", ")), exec.AsValue(texts[last])}})
	if err != nil {
		return nil, fmt.Errorf("%s(): %w", name, err)
	}
	return st.format.Escape(joined.(string)), nil
}

// newLineSep is the ERP's new_line_sep(some_list): the items of a list or tuple as text, joined
// by a line break and a space; a single item is its text, no items ""; anything else is
// returned as it is.
func newLineSep(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("new_line_sep", va, 1, "some_list")
	if err != nil {
		return nil, err
	}
	st := stateOf(e.Environment.Context)
	texts, ok := st.listTexts(args[0])
	if !ok {
		return args[0].Interface(), nil
	}
	return st.format.Escape(strings.Join(texts, "\n ")), nil
}

// listTexts are the items of a list or tuple as str() writes them, a text as written; ok is
// false for anything else.
func (st *state) listTexts(v *exec.Value) (texts []string, ok bool) {
	if !v.IsList() {
		return nil, false
	}
	for _, item := range items(v) {
		if x := exec.AsValue(item); x.IsString() {
			texts = append(texts, st.text(x))
		} else {
			texts = append(texts, pyStr(x))
		}
	}
	return texts, true
}

// getURLToList is the ERP's get_url_to_list(doctype): the address of the doctype's list.
func getURLToList(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("get_url_to_list", va, 1, "doctype")
	if err != nil {
		return nil, err
	}
	st := stateOf(e.Environment.Context)
	return st.format.Escape(st.site.Formats().ListURL(st.text(args[0]))), nil
}

// getURL is the ERP's get_url(uri=None): the site's address, followed by uri.
func getURL(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("get_url", va, 0, "uri")
	if err != nil {
		return nil, err
	}
	st := stateOf(e.Environment.Context)
	return st.format.Escape(st.site.Formats().Address(st.text(args[0]))), nil
}

// getFormatted is the ERP's doc.get_formatted(fieldname, doc=None, currency=None): the field's
// value as format_value formats it for the field's DocField (formatField), a Currency field in
// the currency given, else the one its options name in the row, else in doc (the parent
// document: given, or the one whose child row this is, as the ERP's parent_doc). Without the
// document type's fields (Data.Fields), the value is formatted by its own type
// (guessFormatted).
func getFormatted(st *state, self map[string]any, va *exec.VarArgs) (any, error) {
	args, err := call("get_formatted", va, 1, "fieldname", "doc", "currency")
	if err != nil {
		return nil, err
	}
	fieldname := st.text(args[0])
	doctype, _ := self["doctype"].(string)
	df, ok := st.field(st.format.unescape(doctype), fieldname)
	if !ok {
		return guessFormatted(st, self, fieldname, args[1])
	}
	parent, _ := orNone(args[1]).Interface().(map[string]any)
	if parent == nil {
		parent = st.parentOf(self) // a child row's parent_doc, as the ERP sets it
	}
	currency := st.text(args[2])
	if df.Type == "Currency" && currency == "" && df.Options != "" {
		currency = st.text(exec.AsValue(self[df.Options]))
		if currency == "" && parent != nil {
			currency = st.text(exec.AsValue(parent[df.Options]))
		}
	}
	doc := self
	if parent != nil {
		doc = parent
	}
	return st.formatField(exec.AsValue(self[fieldname]), df, func(name string) any { return doc[name] }, currency, "")
}

// parentOf is the rendering's document when row is one of its child rows, nil otherwise.
func (st *state) parentOf(row map[string]any) map[string]any {
	var doc map[string]any
	switch d := st.doc.(type) {
	case map[string]any:
		doc = d
	case docFields:
		doc = d
	}
	p := reflect.ValueOf(row).UnsafePointer()
	for _, v := range doc {
		rows, _ := v.([]any)
		for _, r := range rows {
			if m, ok := r.(map[string]any); ok && reflect.ValueOf(m).UnsafePointer() == p {
				return doc
			}
		}
	}
	return nil
}

// guessFormatted is get_formatted without the field's type, from the value's: a float in a
// document with a currency (the row's, else the parent's) as a Currency field (fmt_money:
// € 45,000.50, 45 000,50 € on a French site), any other float rounded to the site's float
// precision (default 3) and written with its separators but without trailing zeros (45,000.5;
// 45 000,5 on a French site); a date as formatdate and a timestamp as format_datetime print
// them; anything else as it prints. Document text is already escaped and formatting adds no
// markup, so it escapes nothing.
func guessFormatted(st *state, self map[string]any, fieldname string, parentArg *exec.Value) (any, error) {
	v := self[fieldname]
	if n, ok := v.(number); ok { // how a document's float reaches a template
		v = float64(n)
	}
	switch x := v.(type) {
	case nil:
		return "", nil
	case float64:
		currency, _ := self["currency"].(string)
		if currency == "" && parentArg != nil {
			if parent, ok := parentArg.Interface().(map[string]any); ok {
				currency, _ = parent["currency"].(string)
			}
		}
		if currency != "" {
			return st.money(x, -1, currency, "")
		}
		precision := st.site.FloatPrecision
		if precision <= 0 {
			precision = 3
		}
		return sitefmt.Grouped(x, precision, st.site.NumberFormat), nil
	case string:
		t, hasTime, err := parseDateTime(x)
		switch {
		case err != nil:
			return x, nil
		case hasTime:
			return st.site.Formats().Datetime(t, ""), nil
		}
		return st.site.Formats().Date(t, ""), nil
	}
	return display(exec.AsValue(v)), nil
}

// boundedRange is range() limited to MaxRange items, so that a loop cannot spin for ever.
func boundedRange(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	if len(va.KwArgs) > 0 || len(va.Args) == 0 || len(va.Args) > 3 {
		return nil, errors.New("range(): expected [start, ]stop[, step]")
	}
	bounds := make([]int, len(va.Args))
	for i, a := range va.Args {
		if !a.IsInteger() {
			return nil, errors.New("range(): arguments must be integers")
		}
		bounds[i] = a.Integer()
	}
	start, stop, step := 0, bounds[0], 1
	if len(bounds) > 1 {
		start, stop = bounds[0], bounds[1]
	}
	if len(bounds) > 2 {
		step = bounds[2]
	}
	if step == 0 {
		return nil, errors.New("range(): step must not be zero")
	}
	if n := math.Ceil((float64(stop) - float64(start)) / float64(step)); n > MaxRange {
		return nil, stateOf(e.Environment.Context).exceed(overBudget("range(): %.0f items, more than the limit of %d", n, MaxRange))
	} else if err := stateOf(e.Environment.Context).chargeItems(max(n, 0)); err != nil {
		return nil, err
	}
	var out []int
	for i := start; step > 0 && i < stop || step < 0 && i > stop; i += step {
		out = append(out, i)
	}
	return out, nil
}

// namespace is Jinja2's namespace(): the one object whose attributes {% set ns.x = ... %} may
// change.
type namespace struct{ attrs map[string]any }

// newNamespace is namespace(), its attributes as dict() takes them: a dict or a list of pairs,
// and keywords (Jinja2's Namespace).
func newNamespace(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	d, err := pyDict(e, va)
	if err != nil {
		return nil, fmt.Errorf("namespace(): %w", err)
	}
	pairs := d.(*exec.Dict).Pairs
	ns := &namespace{attrs: make(map[string]any, len(pairs))}
	for _, p := range pairs {
		if p.Key.IsString() { // another key is no attribute a template can read
			ns.attrs[p.Key.String()] = p.Value.Interface()
		}
	}
	return ns, nil
}

func (ns *namespace) GetAttribute(name string) (*exec.Value, bool) {
	v, ok := ns.attrs[name]
	return exec.ToValue(v), ok
}

// String is the namespace as Jinja2 prints it, its attributes as a dict (in key order).
func (ns *namespace) String() string { return "<Namespace " + pyReprAny(ns.attrs) + ">" }

// cycler is Jinja2's cycler(*items): next() gives the current item and moves on to the next,
// back to the first after the last, reset() goes back to the first, current is the item next()
// gives. gonja's took the items' texts and had reset() fail.
type cycler struct {
	items []*exec.Value
	pos   int
}

func newCycler(_ *exec.Evaluator, va *exec.VarArgs) (any, error) {
	if len(va.Args) == 0 {
		return nil, errors.New("RuntimeError: at least one item has to be provided")
	}
	if len(va.KwArgs) > 0 {
		return nil, errors.New("TypeError: cycler() takes no keyword arguments")
	}
	return &cycler{items: va.Args}, nil
}

// GetAttribute gives the cycler's next, reset and current (exec.AttributeGetter).
func (c *cycler) GetAttribute(name string) (*exec.Value, bool) {
	switch name {
	case "current":
		return c.items[c.pos], true
	case "next":
		return exec.AsValue(func(*exec.VarArgs) *exec.Value {
			v := c.items[c.pos]
			c.pos = (c.pos + 1) % len(c.items)
			return v
		}), true
	case "reset":
		return exec.AsValue(func(*exec.VarArgs) *exec.Value {
			c.pos = 0
			return exec.AsValue(nil)
		}), true
	}
	return exec.AsValue(nil), false
}

// newJoiner is Jinja2's joiner(sep=", "): a function that gives "" the first time it is called,
// sep after. (gonja's joined with ",".)
func newJoiner(_ *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("joiner", va, 0, "sep")
	if err != nil {
		return nil, err
	}
	sep, used := args[0], false
	if sep == nil {
		sep = exec.AsValue(", ")
	}
	return func(*exec.VarArgs) *exec.Value {
		if !used {
			used = true
			return exec.AsValue("")
		}
		return sep
	}, nil
}
