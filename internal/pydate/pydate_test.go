package pydate

import (
	"testing"
	"time"
)

func TestAddMonthsKeepsTheDayOrTakesTheMonthsLast(t *testing.T) {
	for _, c := range []struct {
		from   string
		months int
		want   string
	}{
		{"2026-01-15 10:30:00", 1, "2026-02-15 10:30:00"},
		{"2026-01-31 00:00:00", 1, "2026-02-28 00:00:00"},
		{"2028-01-31 00:00:00", 1, "2028-02-29 00:00:00"},
		{"2026-03-31 08:00:00", -1, "2026-02-28 08:00:00"},
		{"2026-12-31 00:00:00", 2, "2027-02-28 00:00:00"},
		{"2026-05-31 00:00:00", -17, "2024-12-31 00:00:00"},
		{"2026-08-20 00:00:00", 0, "2026-08-20 00:00:00"},
	} {
		from, _ := time.Parse(time.DateTime, c.from)
		if got := AddMonths(from, c.months).Format(time.DateTime); got != c.want {
			t.Errorf("AddMonths(%s, %d) = %s, want %s", c.from, c.months, got, c.want)
		}
	}
}
