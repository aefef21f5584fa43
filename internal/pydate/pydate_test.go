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

func TestAddMovesByMonthsThenByTheDuration(t *testing.T) {
	for _, c := range []struct {
		from    string
		months  int
		seconds float64
		want    string
	}{
		{"2026-01-31 00:00:00", 1, 86400, "2026-03-01 00:00:00"},
		{"2026-03-31 10:00:00", -1, -36000, "2026-02-28 00:00:00"},
		{"2026-12-31 23:00:00", 0, 3600.5, "2027-01-01 00:00:00.5"},
		{"2026-12-31 00:00:00", 0, 1.5 * 86400, "2027-01-01 12:00:00"},
		{"2026-12-31 00:00:00", 0, -146097 * 86400, "1626-12-31 00:00:00"}, // 400 years: beyond a time.Duration
		{"2026-12-31 00:00:00", 0, 0.0000005, "2026-12-31 00:00:00"},
		{"2026-12-31 00:00:00", 0, 0.0000015, "2026-12-31 00:00:00.000002"},
	} {
		from, _ := time.Parse(time.DateTime, c.from)
		got, err := AddDelta(from, Delta{1: float64(c.months), 6: c.seconds})
		if s := got.Format("2006-01-02 15:04:05.999999"); err != nil || s != c.want {
			t.Errorf("AddDelta(%s, %d months, %v s) = %s, %v; want %s", c.from, c.months, c.seconds, s, err, c.want)
		}
	}
	from, _ := time.Parse(time.DateOnly, "9999-12-31")
	if _, err := AddDelta(from, Delta{6: 86400}); err != ErrOutOfRange {
		t.Errorf("AddDelta past the year 9999: %v, want ErrOutOfRange", err)
	}
	if _, err := AddDelta(from, Delta{0: -10001}); err != ErrOutOfRange {
		t.Errorf("AddDelta of 10001 years back: %v, want ErrOutOfRange", err)
	}
	if _, err := AddDelta(from, Delta{1: 1.5}); err != ErrPartialMonths {
		t.Errorf("AddDelta of 1.5 months: %v, want ErrPartialMonths", err)
	}
}
