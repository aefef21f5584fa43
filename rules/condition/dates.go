package condition

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"walnotify/internal/pydate"
)

// Dates are text (see getdate), and a text shaped as a date ("YYYY-MM-DD") or a timestamp
// ("YYYY-MM-DD HH:MM:SS[.ffffff]") also does what Python's date or datetime does where a str
// has no such attribute or operation, so nothing a str can do changes: the attributes year,
// month and day (and hour, minute, second and microsecond of a timestamp), the methods below,
// and subtraction, which gives a timedelta (pydate.Timedelta, a value of its own) with days,
// seconds, microseconds and total_seconds().

// dateMethods are the methods of a date or timestamp text, and of a timedelta, that a
// condition may call: frappe.utils.getdate(doc.due_date).weekday() == 4.
var dateMethods = map[string]function{
	"strftime":      pyfunc("format", false, dateMethod("strftime", false, strftime)),
	"isoformat":     positional(0, 0, false, dateMethod("isoformat", false, isoformat)),
	"weekday":       positional(0, 0, false, dateMethod("weekday", false, weekday(0))),
	"isoweekday":    positional(0, 0, false, dateMethod("isoweekday", false, weekday(1))),
	"date":          positional(0, 0, false, dateMethod("date", true, dateOf)),
	"total_seconds": positional(0, 0, false, totalSeconds),
}

// dateReplace is date.replace(year=, month=, day=) and a timestamp's replace(..., hour=,
// minute=, second=, microsecond=): the text with those fields changed. A replace() with
// keywords is this one, str's taking none.
var dateReplace = pyfunc("year=None, month=None, day=None, hour=None, minute=None, second=None, microsecond=None", false,
	dateMethod("replace", false, replaceDate))

// replaceDate is dateReplace of t, the fields by position, None for those not given.
func replaceDate(t time.Time, hasTime bool, args []any) (any, error) {
	var fields [7]*int
	for i, v := range args {
		if v == nil {
			continue
		}
		if i > 2 && !hasTime {
			return nil, typeError("'%s' is an invalid keyword argument for replace()", pydate.ReplaceFields[i])
		}
		n, err := integer(v)
		if err != nil {
			return nil, err
		}
		field := int(max(min(n, 1<<31), -1<<31))
		fields[i] = &field
	}
	out, err := pydate.Replace(t, fields)
	if err != nil {
		kind, msg, _ := strings.Cut(err.Error(), ": ")
		return nil, &pyError{kind, msg}
	}
	return pydate.Format(out, hasTime), nil
}

// dateAttribute is s.name for a date or timestamp text: ok is false when Python's date or
// datetime has no such attribute either, or s is no date, so that s is a str as any other.
func dateAttribute(s, name string) (v any, ok bool, err error) {
	t, hasTime, isDate := pydate.Parse(s)
	if !isDate {
		return nil, false, nil
	}
	if n, ok := pydate.Attr(t, hasTime, name); ok {
		return int64(n), true, nil
	}
	if isTimeAttribute(name) {
		return nil, true, noAttribute("datetime.date", name)
	}
	return nil, false, nil
}

// isTimeAttribute reports whether name is an attribute a timestamp has and a date has not.
func isTimeAttribute(name string) bool {
	switch name {
	case "hour", "minute", "second", "microsecond":
		return true
	}
	return false
}

// timedeltaAttribute is d.name for days, seconds and microseconds.
func timedeltaAttribute(d pydate.Timedelta, name string) (any, bool) {
	switch name {
	case "days":
		return d.Days, true
	case "seconds":
		return d.Seconds, true
	case "microseconds":
		return d.Microseconds, true
	}
	return nil, false
}

// noAttribute is Python's AttributeError for an object of the type named.
func noAttribute(typ, name string) error {
	return &pyError{"AttributeError", fmt.Sprintf("'%s' object has no attribute '%s'", typ, name)}
}

// notCallable is the error of calling a method of a row or a dict: the field of that name
// reads as its value, None when missing, which Python cannot call.
func notCallable(m map[string]any, name string) error {
	return typeError("'%s' object is not callable", typeName(m[name]))
}

// dateMethod makes a method of a date or timestamp text (timestampOnly: of a timestamp only,
// as date()); any other receiver has no such attribute, as in Python.
func dateMethod(name string, timestampOnly bool, fn func(t time.Time, hasTime bool, args []any) (any, error)) func(a ...any) (any, error) {
	return func(a ...any) (any, error) {
		switch recv := a[0].(type) {
		case map[string]any:
			return nil, notCallable(recv, name)
		case string:
			t, hasTime, ok := pydate.Parse(recv)
			switch {
			case ok && !hasTime && timestampOnly:
				return nil, noAttribute("datetime.date", name)
			case ok:
				return fn(t, hasTime, a[1:])
			}
		}
		return nil, noAttribute(typeName(a[0]), name)
	}
}

// strftime is date.strftime(format), with the directives of the ERP's servers (pydate.Strftime).
// A directive writes at most 24 characters ("%c"), which the budget counts first.
func strftime(t time.Time, _ bool, args []any) (any, error) {
	format, ok := args[0].(string)
	if !ok {
		return nil, typeError("strftime() argument 1 must be str, not %s", typeName(args[0]))
	}
	if err := checkString(float64(len(format)) + 24*float64(strings.Count(format, "%"))); err != nil {
		return nil, err
	}
	return pydate.Strftime(t, format), nil
}

// isoformat is date.isoformat() and datetime.isoformat(): the text with a T between date and
// time.
func isoformat(t time.Time, hasTime bool, _ []any) (any, error) {
	return pydate.Isoformat(t, hasTime), nil
}

// weekday makes date.weekday() (from 0: Monday is 0) and date.isoweekday() (from 1).
func weekday(from int) func(time.Time, bool, []any) (any, error) {
	return func(t time.Time, _ bool, _ []any) (any, error) {
		return int64(pydate.Weekday(t) + from), nil
	}
}

// dateOf is datetime.date(): the date text of a timestamp.
func dateOf(t time.Time, _ bool, _ []any) (any, error) {
	return pydate.Format(t, false), nil
}

// totalSeconds is timedelta.total_seconds().
func totalSeconds(a ...any) (any, error) {
	switch x := a[0].(type) {
	case pydate.Timedelta:
		return x.TotalSeconds(), nil
	case map[string]any:
		return nil, notCallable(x, "total_seconds")
	}
	return nil, noAttribute(typeName(a[0]), "total_seconds")
}

// subDates is a - b for two date texts or two timestamp texts: a timedelta. A date and a
// timestamp are Python's TypeError; ok is false when either text is no date.
func subDates(a, b string) (d any, ok bool, err error) {
	ta, aTime, aOK := pydate.Parse(a)
	tb, bTime, bOK := pydate.Parse(b)
	switch {
	case !aOK || !bOK:
		return nil, false, nil
	case aTime != bTime:
		return nil, true, typeError("unsupported operand type(s) for -: '%s' and '%s'", pydate.TypeName(aTime), pydate.TypeName(bTime))
	}
	return pydate.Sub(ta, tb), true, nil
}

// compareTimedeltas orders two timedeltas, which Python keeps normalized: by days, then
// seconds, then microseconds.
func compareTimedeltas(x, y pydate.Timedelta) int {
	return cmp.Or(cmp.Compare(x.Days, y.Days), cmp.Compare(x.Seconds, y.Seconds), cmp.Compare(x.Microseconds, y.Microseconds))
}

// timedeltaRepr is repr() of a timedelta: "datetime.timedelta(days=30, seconds=3600)", its
// non-zero parts only, "datetime.timedelta(0)" for none.
func timedeltaRepr(d pydate.Timedelta) string {
	var parts []string
	for _, p := range []struct {
		name string
		n    int64
	}{{"days", d.Days}, {"seconds", d.Seconds}, {"microseconds", d.Microseconds}} {
		if p.n != 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", p.name, p.n))
		}
	}
	if len(parts) == 0 {
		parts = []string{"0"}
	}
	return "datetime.timedelta(" + strings.Join(parts, ", ") + ")"
}
