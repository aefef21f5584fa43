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

// TestDatesPrintSubtractAndFormatAsPythons: the expected texts are Python 3's.
func TestDatesPrintSubtractAndFormatAsPythons(t *testing.T) {
	at := func(s string) time.Time {
		tm, _, ok := Parse(s)
		if !ok {
			t.Fatalf("Parse(%q) failed", s)
		}
		return tm
	}
	deltas := []struct {
		a, b, want string
		seconds    float64
	}{
		{"2026-11-20", "2026-10-21", "30 days, 0:00:00", 2592000},
		{"2026-10-21", "2026-11-20", "-30 days, 0:00:00", -2592000},
		{"2026-11-20 01:02:03.000500", "2026-11-19 00:00:00", "1 day, 1:02:03.000500", 90123.0005},
		{"2026-11-20 00:00:00", "2026-11-20 01:00:00", "-1 day, 23:00:00", -3600},
		{"2026-11-21", "2026-11-20", "1 day, 0:00:00", 86400},
		{"9999-12-31", "0001-01-01", "3652058 days, 0:00:00", 315537811200},
	}
	for _, d := range deltas {
		got := Sub(at(d.a), at(d.b))
		if got.String() != d.want || got.TotalSeconds() != d.seconds {
			t.Errorf("%s - %s = %s (%v s), want %s (%v s)", d.a, d.b, got, got.TotalSeconds(), d.want, d.seconds)
		}
	}
	if got := Strftime(at("2027-01-03 12:00:00"), "%a %d %b %Y %I:%M %p|%U %W %V %G %j|%-d.%-m.%y %Q"); got != "Sun 03 Jan 2027 12:00 PM|01 00 53 2026 003|3.1.27 %Q" {
		t.Errorf("Strftime: %q", got)
	}
	if got := Isoformat(at("2026-10-21 09:15:02.123456"), true); got != "2026-10-21T09:15:02.123456" {
		t.Errorf("Isoformat: %q", got)
	}
	if tm, hasTime, ok := Parse("2026-10-21T09:15"); !ok || !hasTime || Format(tm, true) != "2026-10-21 09:15:00" {
		t.Errorf("Parse of a timestamp without seconds: %v %v %v", tm, hasTime, ok)
	}
	for _, s := range []string{"", "2026-13-01", "2026-11-20x", "20 Nov 2026"} {
		if _, _, ok := Parse(s); ok {
			t.Errorf("Parse(%q) read a date", s)
		}
	}
}

// TestSubSpansPythonsYears: the expected timedeltas are Python 3's, from year 1 to 9999.
func TestSubSpansPythonsYears(t *testing.T) {
	day := func(s string) time.Time { tm, _, _ := Parse(s); return tm }
	tests := []struct {
		a, b string
		want Timedelta
	}{
		{"9999-12-31 23:59:59.999999", "0001-01-01 00:00:00", Timedelta{Days: 3652058, Seconds: 86399, Microseconds: 999999}},
		{"0001-01-01 00:00:00", "9999-12-31 23:59:59.999999", Timedelta{Days: -3652059, Microseconds: 1}},
		{"2024-03-29", "2024-02-28", Timedelta{Days: 30}},
		{"2024-02-28 09:15:02.123456", "2024-02-28 09:15:02.123457", Timedelta{Days: -1, Seconds: 86399, Microseconds: 999999}},
	}
	for _, tc := range tests {
		if got := Sub(day(tc.a), day(tc.b)); got != tc.want {
			t.Errorf("%s - %s = %+v, want %+v", tc.a, tc.b, got, tc.want)
		}
	}
}

// Replace changes the fields given, as Python's date.replace, and checks them as it does.
func TestReplaceChangesTheFieldsGivenAsPythons(t *testing.T) {
	at := time.Date(2026, 12, 31, 10, 20, 30, 500000000, time.UTC)
	n := func(i int) *int { return &i }
	for _, c := range []struct {
		fields [7]*int
		want   string
	}{
		{[7]*int{2: n(1)}, "2026-12-01 10:20:30.5"},
		{[7]*int{n(2027), n(7)}, "2027-07-31 10:20:30.5"},
		{[7]*int{3: n(0), 6: n(0)}, "2026-12-31 00:20:30"},
		{[7]*int{1: n(2)}, "ValueError: day is out of range for month"},
		{[7]*int{1: n(13)}, "ValueError: month must be in 1..12"},
		{[7]*int{0: n(0)}, "ValueError: year 0 is out of range"},
		{[7]*int{3: n(24)}, "ValueError: hour must be in 0..23"},
	} {
		out, err := Replace(at, c.fields)
		got := out.Format("2006-01-02 15:04:05.999999")
		if err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("Replace(%v) = %q; want %q", c.fields, got, c.want)
		}
	}
}
