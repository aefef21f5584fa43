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

func TestFirstAndLastDayOfTheMonth(t *testing.T) {
	for _, c := range []struct {
		from          string
		years, months int
		first, last   string
	}{
		{"2026-11-15", 0, 0, "2026-11-01", "2026-11-30"},
		{"2028-02-10", 0, 0, "2028-02-01", "2028-02-29"},
		{"2026-12-31", 0, 1, "2027-01-01", "2026-12-31"},
		{"2026-03-05", 1, -14, "2026-01-01", "2026-03-31"},
	} {
		from, _ := time.Parse(time.DateOnly, c.from)
		if got := FirstDay(from, c.years, c.months).Format(time.DateOnly); got != c.first {
			t.Errorf("FirstDay(%s, %d, %d) = %s, want %s", c.from, c.years, c.months, got, c.first)
		}
		if got := LastDay(from).Format(time.DateOnly); got != c.last {
			t.Errorf("LastDay(%s) = %s, want %s", c.from, got, c.last)
		}
	}
}

func TestNaiveKeepsTheWallClock(t *testing.T) {
	at := time.Date(2026, 11, 30, 9, 15, 0, 0, time.FixedZone("CET", 3600))
	if got := Naive(at); got.Location() != time.UTC || got.Format(time.DateTime) != "2026-11-30 09:15:00" {
		t.Errorf("Naive(%s) = %s, want 2026-11-30 09:15:00 UTC", at, got)
	}
}
