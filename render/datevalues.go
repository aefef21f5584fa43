package render

import (
	"fmt"
	"time"

	"github.com/nikolalohinski/gonja/v2/exec"

	"walnotify/internal/pydate"
)

// Dates are text in walnotify ("2026-11-20", "2026-10-21 09:15:02"): they print, compare and
// join as their text. Where the ERP has a date (getdate(), get_datetime(), a Date column), a
// template also uses it as one, so a text that is a date or a timestamp has the date's
// attributes and methods that Python's str has not: getdate(doc.due_date).year,
// .strftime("%d.%m.%Y"), and a difference of two dates is a timedelta:
// (getdate(doc.due_date) - getdate(doc.posting_date)).days.

// asDate reads v as a date or a timestamp (hasTime), if it is one.
func asDate(v *exec.Value) (t time.Time, hasTime, ok bool) {
	if v == nil || !v.IsString() {
		return time.Time{}, false, false
	}
	return pydate.Parse(v.String())
}

// dateAttr is a date's year, month or day, or a timestamp's hour, minute, second or
// microsecond; ok is false when v is not a date or has no such attribute.
func dateAttr(v *exec.Value, name string) (int, bool) {
	t, hasTime, ok := asDate(v)
	if !ok {
		return 0, false
	}
	return pydate.Attr(t, hasTime, name)
}

// dateMethod is a date's method name: strftime(format), isoformat(), weekday(),
// isoweekday(), replace(year=, month=, day=, ...) and a timestamp's date() and time(); and a
// timedelta's total_seconds(). ok is false when v is not a date (or a timedelta) or name is
// none of these (replace without keywords is str's). The name is looked at first: a str
// method on a date text does not read it as a date.
func dateMethod(st *state, v *exec.Value, name string, args *exec.VarArgs) (out any, ok bool, err error) {
	switch name {
	case "strftime", "isoformat", "weekday", "isoweekday", "date", "time":
	case "replace":
		if len(args.KwArgs) == 0 {
			return nil, false, nil
		}
	case "total_seconds":
		d, ok := v.Interface().(timedelta)
		if !ok || len(args.Args)+len(args.KwArgs) > 0 {
			return nil, false, nil
		}
		return d.TotalSeconds(), true, nil
	default:
		return nil, false, nil
	}
	t, hasTime, ok := asDate(v)
	if !ok {
		return nil, false, nil
	}
	noArgs := func() error {
		if len(args.Args)+len(args.KwArgs) > 0 {
			return fmt.Errorf("TypeError: %s.%s() takes no arguments", pydate.TypeName(hasTime), name)
		}
		return nil
	}
	switch name {
	case "strftime":
		if len(args.Args) != 1 || len(args.KwArgs) > 0 || !args.Args[0].IsString() {
			return nil, true, fmt.Errorf("TypeError: strftime() takes one text argument")
		}
		// A directive gives at most 12 times its length ("%c" is 24 characters).
		if err := st.charge(12 * float64(len(args.Args[0].String()))); err != nil {
			return nil, true, err
		}
		return pydate.Strftime(t, args.Args[0].String()), true, nil
	case "isoformat":
		return pydate.Isoformat(t, hasTime), true, noArgs()
	case "weekday":
		return pydate.Weekday(t), true, noArgs()
	case "isoweekday":
		return pydate.Weekday(t) + 1, true, noArgs()
	case "date", "time":
		if !hasTime {
			return nil, true, fmt.Errorf("AttributeError: 'datetime.date' object has no attribute '%s'", name)
		}
		if name == "date" {
			return pydate.Format(t, false), true, noArgs()
		}
		return pydate.TimeOfDay(t), true, noArgs()
	}
	out, err = replaceDate(t, hasTime, args) // replace
	return out, true, err
}

// replaceDate is date.replace(year=, month=, day=) and datetime.replace(..., hour=, minute=,
// second=, microsecond=): the date or timestamp with those fields changed.
func replaceDate(t time.Time, hasTime bool, args *exec.VarArgs) (any, error) {
	if len(args.Args) > 0 {
		return nil, fmt.Errorf("TypeError: replace() takes its fields as keywords here")
	}
	f := [7]int{t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond() / 1000}
	names := []string{"year", "month", "day", "hour", "minute", "second", "microsecond"}
	for k, v := range args.KwArgs {
		i := 0
		for i < len(names) && names[i] != k {
			i++
		}
		if i == len(names) || i > 2 && !hasTime {
			return nil, fmt.Errorf("TypeError: '%s' is an invalid keyword argument for replace()", k)
		}
		if !v.IsInteger() {
			return nil, fmt.Errorf("TypeError: '%s' object cannot be interpreted as an integer", pyType(v))
		}
		f[i] = v.Integer()
	}
	limits := [7][2]int{{1, 9999}, {1, 12}, {1, 31}, {0, 23}, {0, 59}, {0, 59}, {0, 999999}}
	for i, l := range limits {
		if f[i] < l[0] || f[i] > l[1] {
			return nil, fmt.Errorf("ValueError: %s must be in %d..%d", names[i], l[0], l[1])
		}
	}
	out := time.Date(f[0], time.Month(f[1]), f[2], f[3], f[4], f[5], f[6]*1000, time.UTC)
	if out.Day() != f[2] {
		return nil, fmt.Errorf("ValueError: day is out of range for month")
	}
	return pydate.Format(out, hasTime), nil
}

// dateSub is a - b for two dates or two timestamps: a timedelta. ok is false unless both are
// dates or timestamps; a date less a timestamp is Python's TypeError.
func dateSub(a, b *exec.Value) (any, bool, error) {
	x, xTime, ok := asDate(a)
	if !ok {
		return nil, false, nil
	}
	y, yTime, ok := asDate(b)
	if !ok {
		return nil, false, nil
	}
	if xTime != yTime {
		return nil, true, fmt.Errorf("TypeError: unsupported operand type(s) for -: '%s' and '%s'", pydate.TypeName(xTime), pydate.TypeName(yTime))
	}
	return timedelta{pydate.Sub(x, y)}, true, nil
}

// timedelta is a difference of two dates: it prints as Python's ("30 days, 0:00:00") and has
// days, seconds, microseconds and total_seconds().
type timedelta struct{ pydate.Timedelta }

// GetAttribute gives a timedelta's attributes to templates (exec.AttributeGetter).
func (d timedelta) GetAttribute(name string) (*exec.Value, bool) {
	switch name {
	case "days":
		return exec.AsValue(int(d.Days)), true
	case "seconds":
		return exec.AsValue(int(d.Seconds)), true
	case "microseconds":
		return exec.AsValue(int(d.Microseconds)), true
	}
	return exec.AsValue(nil), false
}
