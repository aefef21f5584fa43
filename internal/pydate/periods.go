package pydate

import "time"

// The periods of the ERP's frappe.utils (frappe/utils/data.py): the first and last days of a
// year, a quarter and a week, and whole months between two dates. Each takes the date part of
// t, as the ERP's getdate gives it, and gives a date at midnight.

// day is the date y-m-d at midnight, in t's location.
func day(t time.Time, y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// YearStart is January 1 of t's year, as the ERP's get_year_start.
func YearStart(t time.Time) time.Time { return day(t, t.Year(), time.January, 1) }

// YearEnding is December 31 of t's year, as the ERP's get_year_ending, which adds twelve months
// to January 1 and goes back a day: in Python's year 9999 that passes year 9999, ErrOutOfRange.
func YearEnding(t time.Time) (time.Time, error) {
	if t.Year() >= 9999 {
		return t, ErrOutOfRange
	}
	return day(t, t.Year(), time.December, 31), nil
}

// QuarterStart is the first day of t's quarter (January, April, July or October 1), as the
// ERP's get_quarter_start.
func QuarterStart(t time.Time) time.Time {
	return day(t, t.Year(), (t.Month()-1)/3*3+1, 1)
}

// QuarterEnding is the last day of t's quarter (March 31, June 30, September 30 or December
// 31), as the ERP's get_quarter_ending.
func QuarterEnding(t time.Time) time.Time {
	return LastDay(day(t, t.Year(), (t.Month()-1)/3*3+3, 1))
}

// FirstDayOfWeek is the day on or before t that is the week's first, start (the ERP's System
// Settings first_day_of_the_week, Sunday by default), as the ERP's get_first_day_of_week. A
// week that would begin before Python's year 1 is ErrOutOfRange.
func FirstDayOfWeek(t time.Time, start time.Weekday) (time.Time, error) {
	back := (int(t.Weekday()) - int(start) + 7) % 7
	first := day(t, t.Year(), t.Month(), t.Day()-back)
	if first.Year() < 1 {
		return t, ErrOutOfRange
	}
	return first, nil
}

// LastDayOfWeek is six days after FirstDayOfWeek, as the ERP's get_last_day_of_week; past
// Python's year 9999 it is ErrOutOfRange.
func LastDayOfWeek(t time.Time, start time.Weekday) (time.Time, error) {
	first, err := FirstDayOfWeek(t, start)
	if err != nil {
		return t, err
	}
	last := first.AddDate(0, 0, 6)
	if last.Year() > 9999 {
		return t, ErrOutOfRange
	}
	return last, nil
}

// MonthDiff is the ERP's month_diff(end, start): the months from start's to end's, counting
// both, (end.year - start.year) * 12 + end.month - start.month + 1, whatever the days.
func MonthDiff(end, start time.Time) int {
	return (end.Year()-start.Year())*12 + int(end.Month()) - int(start.Month()) + 1
}
