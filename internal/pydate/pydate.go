// Package pydate moves dates the way the ERP's date helpers do, through Python's dateutil.
package pydate

import "time"

// AddMonths is t moved by n months as dateutil's relativedelta moves it: the same day of the
// month, or the month's last day when it has fewer (January 31 plus one month is February 28
// or 29), the time of day kept.
func AddMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(d, last)-1)
}
