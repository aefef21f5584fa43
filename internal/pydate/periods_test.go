package pydate

import (
	"errors"
	"testing"
	"time"
)

func TestPeriodsOfADate(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, c := range []struct {
		name, from, want string
		period           func(time.Time) (time.Time, error)
	}{
		{"a year starts on January 1", "2024-07-04", "2024-01-01", ok(YearStart)},
		{"a year ends on December 31", "2024-01-01", "2024-12-31", YearEnding},
		{"a first quarter starts in January", "2024-03-31", "2024-01-01", ok(QuarterStart)},
		{"a quarter starts on its first day", "2024-04-01", "2024-04-01", ok(QuarterStart)},
		{"a last quarter starts in October", "2024-12-31", "2024-10-01", ok(QuarterStart)},
		{"a first quarter ends on March 31", "2024-01-01", "2024-03-31", ok(QuarterEnding)},
		{"a second quarter ends on June 30", "2024-05-20", "2024-06-30", ok(QuarterEnding)},
		{"a quarter's last day is its ending", "2024-09-30", "2024-09-30", ok(QuarterEnding)},
		{"a Sunday week of a Friday", "2024-03-15", "2024-03-10", sunday(FirstDayOfWeek)},
		{"a Sunday week of a Sunday", "2024-03-10", "2024-03-10", sunday(FirstDayOfWeek)},
		{"a Sunday week of a Saturday", "2024-03-09", "2024-03-03", sunday(FirstDayOfWeek)},
		{"a Sunday week ends on Saturday", "2024-03-15", "2024-03-16", sunday(LastDayOfWeek)},
		{"a week ends in the next year", "2024-12-29", "2025-01-04", sunday(LastDayOfWeek)},
		{"a Monday week of a Sunday", "2024-03-17", "2024-03-11", monday(FirstDayOfWeek)},
		{"a Monday week of a Monday", "2024-03-11", "2024-03-11", monday(FirstDayOfWeek)},
		{"a Monday week ends on Sunday", "2024-03-11", "2024-03-17", monday(LastDayOfWeek)},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.period(day(c.from))
			if err != nil || got.Format(time.DateOnly) != c.want {
				t.Errorf("%s: got %s, %v; want %s", c.from, got.Format(time.DateOnly), err, c.want)
			}
		})
	}
}

func TestPeriodsBeyondPythonsYearsAreOutOfRange(t *testing.T) {
	for name, period := range map[string]func(time.Time) (time.Time, error){
		"the ending of year 9999":           YearEnding,
		"the week before year 1":            sunday(FirstDayOfWeek),
		"the end of the week after 9999":    sunday(LastDayOfWeek),
		"the end of the week before year 1": sunday(LastDayOfWeek),
	} {
		from := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC) // a Friday
		if name == "the week before year 1" || name == "the end of the week before year 1" {
			from = time.Date(1, 1, 2, 0, 0, 0, 0, time.UTC) // a Tuesday
		}
		if _, err := period(from); !errors.Is(err, ErrOutOfRange) {
			t.Errorf("%s: got %v, want ErrOutOfRange", name, err)
		}
	}
}

func TestMonthDiffCountsBothMonths(t *testing.T) {
	for _, c := range []struct {
		end, start string
		want       int
	}{
		{"2024-03-01", "2024-01-31", 3},
		{"2024-03-15", "2024-03-15", 1},
		{"2024-01-31", "2024-03-01", -1},
		{"2025-01-01", "2024-12-31", 2},
	} {
		end, _ := time.Parse(time.DateOnly, c.end)
		start, _ := time.Parse(time.DateOnly, c.start)
		if got := MonthDiff(end, start); got != c.want {
			t.Errorf("MonthDiff(%s, %s) = %d, want %d", c.end, c.start, got, c.want)
		}
	}
}

func TestTotalSecondsIsRoundedOnceAsPythonDivides(t *testing.T) {
	for _, c := range []struct {
		d    Timedelta
		want float64
	}{
		{Timedelta{Days: 30, Seconds: 30597, Microseconds: 876544}, 2622597.876544},
		{Timedelta{Days: -1, Seconds: 86399, Microseconds: 500000}, -0.5},
		{Timedelta{Days: 3652058, Seconds: 1, Microseconds: 1}, 315537811201.000001},
	} {
		if got := c.d.TotalSeconds(); got != c.want {
			t.Errorf("%+v: got %v, want %v", c.d, got, c.want)
		}
	}
}

func ok(f func(time.Time) time.Time) func(time.Time) (time.Time, error) {
	return func(t time.Time) (time.Time, error) { return f(t), nil }
}

func sunday(f func(time.Time, time.Weekday) (time.Time, error)) func(time.Time) (time.Time, error) {
	return func(t time.Time) (time.Time, error) { return f(t, time.Sunday) }
}

func monday(f func(time.Time, time.Weekday) (time.Time, error)) func(time.Time) (time.Time, error) {
	return func(t time.Time) (time.Time, error) { return f(t, time.Monday) }
}
