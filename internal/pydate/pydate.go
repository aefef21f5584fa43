// Package pydate moves dates the way the ERP's date helpers do, through Python's dateutil.
package pydate

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// AddMonths is t moved by n months as dateutil's relativedelta moves it: the same day of the
// month, or the month's last day when it has fewer (January 31 plus one month is February 28
// or 29), the time of day kept.
func AddMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(d, last)-1)
}

// FirstDay is the first day of t's month, years and months on, as the ERP's get_first_day.
func FirstDay(t time.Time, years, months int) time.Time {
	y, m, _ := t.Date()
	return time.Date(y+years, m+time.Month(months), 1, 0, 0, 0, 0, t.Location())
}

// LastDay is the last day of t's month, as the ERP's get_last_day.
func LastDay(t time.Time) time.Time { return FirstDay(t, 0, 1).AddDate(0, 0, -1) }

// Naive is t's wall clock as a naive Python datetime holds it, labelled UTC, so that it
// subtracts rightly from times read from text without a zone.
func Naive(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}

// Delta is what the ERP's add_to_date adds: years, months, weeks, days, hours, minutes and
// seconds, in that order.
type Delta [7]float64

// Errors of AddDelta, worded as the ERP's Python raises them.
var (
	ErrPartialMonths = errors.New("ValueError: Non-integer years and months are ambiguous and not currently supported.")
	ErrOutOfRange    = errors.New("OverflowError: date value out of range")
)

// AddDelta is t moved as the ERP's add_to_date moves it through dateutil's relativedelta: by
// the whole years and months first, as AddMonths, then by the rest, fractions included,
// rounded to the microsecond with ties to even as Python's timedelta rounds. Years or months
// that are not whole are ErrPartialMonths, a result outside Python's years 1 to 9999
// ErrOutOfRange.
func AddDelta(t time.Time, d Delta) (time.Time, error) {
	if d[0] != math.Trunc(d[0]) || d[1] != math.Trunc(d[1]) {
		return t, ErrPartialMonths
	}
	const dayMicros = 86400e6
	months := d[0]*12 + d[1]
	seconds := (((d[2]*7+d[3])*24+d[4])*60+d[5])*60 + d[6]
	micros := math.RoundToEven(seconds * 1e6)
	days := math.Floor(micros / dayMicros)
	if math.Abs(months) > 12*10000 || math.IsNaN(micros) || math.Abs(days) > 4e6 {
		return t, ErrOutOfRange
	}
	t = AddMonths(t, int(months)).AddDate(0, 0, int(days)).Add(time.Duration(micros-days*dayMicros) * time.Microsecond)
	if t.Year() < 1 || t.Year() > 9999 {
		return t, ErrOutOfRange
	}
	return t, nil
}

// ReplaceFields are the names of the fields date.replace and datetime.replace change, in
// their order: a date's first three, a timestamp's all.
var ReplaceFields = [7]string{"year", "month", "day", "hour", "minute", "second", "microsecond"}

// Replace is Python's date.replace / datetime.replace: t with the fields given (a nil field
// is kept), each checked as Python checks it ("month must be in 1..12", "day is out of range
// for month").
func Replace(t time.Time, fields [7]*int) (time.Time, error) {
	f := [7]int{t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond() / 1000}
	for i, v := range fields {
		if v != nil {
			f[i] = *v
		}
	}
	limits := [7][2]int{{1, 9999}, {1, 12}, {1, 31}, {0, 23}, {0, 59}, {0, 59}, {0, 999999}}
	for i, l := range limits {
		if f[i] < l[0] || f[i] > l[1] {
			if i == 0 {
				return t, fmt.Errorf("ValueError: year %d is out of range", f[0])
			}
			return t, fmt.Errorf("ValueError: %s must be in %d..%d", ReplaceFields[i], l[0], l[1])
		}
	}
	out := time.Date(f[0], time.Month(f[1]), f[2], f[3], f[4], f[5], f[6]*1000, time.UTC)
	if out.Day() != f[2] {
		return t, errors.New("ValueError: day is out of range for month")
	}
	return out, nil
}
