package pydate

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// Parse reads a date as walnotify holds one, as text: "YYYY-MM-DD" is a Python date,
// "YYYY-MM-DD HH:MM:SS[.ffffff]" (or with a T) a naive datetime, hasTime true.
func Parse(s string) (t time.Time, hasTime, ok bool) {
	if len(s) == len("2006-01-02") {
		t, err := time.Parse("2006-01-02", s)
		return t, false, err == nil
	}
	if len(s) < len("2006-01-02 15:04") || s[10] != ' ' && s[10] != 'T' {
		return time.Time{}, false, false
	}
	for _, layout := range [...]string{"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02 15:04", "2006-01-02T15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true, true
		}
	}
	return time.Time{}, false, false
}

// TypeName is Python's name for the type of a date (hasTime false) or a naive datetime, for
// errors.
func TypeName(hasTime bool) string {
	if hasTime {
		return "datetime.datetime"
	}
	return "datetime.date"
}

// Format is str() of a Python date (hasTime false) or naive datetime: "2026-11-20",
// "2026-11-20 09:15:02", microseconds written only when there are some.
func Format(t time.Time, hasTime bool) string {
	if !hasTime {
		return t.Format("2006-01-02")
	}
	s := t.Format("2006-01-02 15:04:05")
	if us := t.Nanosecond() / 1000; us != 0 {
		s += fmt.Sprintf(".%06d", us)
	}
	return s
}

// Isoformat is a date's or datetime's isoformat(): str() with a T between date and time.
func Isoformat(t time.Time, hasTime bool) string {
	return strings.Replace(Format(t, hasTime), " ", "T", 1)
}

// TimeOfDay is str() of a datetime's time(): "09:15:02", microseconds when there are some.
func TimeOfDay(t time.Time) string { return Format(t, true)[len("2006-01-02 "):] }

// Attr is a date's attribute: year, month and day, and a datetime's hour, minute, second and
// microsecond. ok is false for any other name.
func Attr(t time.Time, hasTime bool, name string) (n int, ok bool) {
	switch name {
	case "year":
		return t.Year(), true
	case "month":
		return int(t.Month()), true
	case "day":
		return t.Day(), true
	}
	if !hasTime {
		return 0, false
	}
	switch name {
	case "hour":
		return t.Hour(), true
	case "minute":
		return t.Minute(), true
	case "second":
		return t.Second(), true
	case "microsecond":
		return t.Nanosecond() / 1000, true
	}
	return 0, false
}

// Weekday is date.weekday(): Monday 0 to Sunday 6.
func Weekday(t time.Time) int { return (int(t.Weekday()) + 6) % 7 }

var (
	days   = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	months = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

// Strftime is Python's strftime on the ERP's servers (Linux's C library, in the C locale):
// English names, %f for microseconds, %z and %Z empty for a naive time, glibc's %-d (no
// padding), %_d (spaces) and %e, and any other directive written as it is.
func Strftime(t time.Time, format string) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 == len(format) {
			b.WriteByte(c)
			continue
		}
		at := i
		i++
		pad := byte(0) // 0: the directive's own
		if f := format[i]; (f == '-' || f == '_' || f == '0') && i+1 < len(format) {
			pad = f
			i++
		}
		out, ok := directive(t, format[i], pad)
		if !ok {
			out = format[at : i+1]
		}
		b.WriteString(out)
	}
	return b.String()
}

// directive is one strftime directive of t, with a padding flag ('-' none, '_' spaces, '0'
// zeros).
func directive(t time.Time, c, pad byte) (string, bool) {
	num := func(n, width int, fill byte) string {
		s := strconv.Itoa(n)
		switch pad {
		case '-':
			return s
		case '_':
			fill = ' '
		case '0':
			fill = '0'
		}
		for len(s) < width {
			s = string(fill) + s
		}
		return s
	}
	year, month, day := t.Date()
	isoYear, isoWeek := t.ISOWeek()
	hour12 := t.Hour() % 12
	if hour12 == 0 {
		hour12 = 12
	}
	switch c {
	case 'a':
		return days[t.Weekday()][:3], true
	case 'A':
		return days[t.Weekday()], true
	case 'b', 'h':
		return months[month-1][:3], true
	case 'B':
		return months[month-1], true
	case 'c':
		return fmt.Sprintf("%s %s %2d %02d:%02d:%02d %d", days[t.Weekday()][:3], months[month-1][:3], day, t.Hour(), t.Minute(), t.Second(), year), true
	case 'C':
		return num(year/100, 2, '0'), true
	case 'd':
		return num(day, 2, '0'), true
	case 'D', 'x':
		return fmt.Sprintf("%02d/%02d/%02d", month, day, year%100), true
	case 'e':
		return num(day, 2, ' '), true
	case 'f':
		return fmt.Sprintf("%06d", t.Nanosecond()/1000), true
	case 'F':
		return fmt.Sprintf("%d-%02d-%02d", year, month, day), true
	case 'g':
		return num(isoYear%100, 2, '0'), true
	case 'G':
		return strconv.Itoa(isoYear), true
	case 'H':
		return num(t.Hour(), 2, '0'), true
	case 'I':
		return num(hour12, 2, '0'), true
	case 'j':
		return num(t.YearDay(), 3, '0'), true
	case 'k':
		return num(t.Hour(), 2, ' '), true
	case 'l':
		return num(hour12, 2, ' '), true
	case 'm':
		return num(int(month), 2, '0'), true
	case 'M':
		return num(t.Minute(), 2, '0'), true
	case 'n':
		return "\n", true
	case 'p':
		return meridiem(t), true
	case 'P':
		return strings.ToLower(meridiem(t)), true
	case 'r':
		return fmt.Sprintf("%02d:%02d:%02d %s", hour12, t.Minute(), t.Second(), meridiem(t)), true
	case 'R':
		return fmt.Sprintf("%02d:%02d", t.Hour(), t.Minute()), true
	case 'S':
		return num(t.Second(), 2, '0'), true
	case 't':
		return "\t", true
	case 'T', 'X':
		return fmt.Sprintf("%02d:%02d:%02d", t.Hour(), t.Minute(), t.Second()), true
	case 'u':
		return strconv.Itoa(Weekday(t) + 1), true
	case 'U':
		return num((t.YearDay()+6-int(t.Weekday()))/7, 2, '0'), true
	case 'V':
		return num(isoWeek, 2, '0'), true
	case 'w':
		return strconv.Itoa(int(t.Weekday())), true
	case 'W':
		return num((t.YearDay()+6-Weekday(t))/7, 2, '0'), true
	case 'y':
		return num(year%100, 2, '0'), true
	case 'Y':
		return strconv.Itoa(year), true
	case 'z', 'Z':
		return "", true
	case '%':
		return "%", true
	}
	return "", false
}

// meridiem is %p: AM before noon, PM from noon.
func meridiem(t time.Time) string {
	if t.Hour() >= 12 {
		return "PM"
	}
	return "AM"
}

// Timedelta is a Python timedelta as Python keeps one: days (negative for a negative delta),
// then 0 to 86399 seconds and 0 to 999999 microseconds.
type Timedelta struct{ Days, Seconds, Microseconds int64 }

// Sub is a - b, as Python subtracts two dates or two naive datetimes, over all of Python's
// years (counted in microseconds, not through a time.Duration, which spans 292 years).
func Sub(a, b time.Time) Timedelta {
	us := (a.Unix()-b.Unix())*1_000_000 + int64(a.Nanosecond()/1000-b.Nanosecond()/1000)
	const day = 86400 * 1_000_000
	days := us / day
	if us%day < 0 {
		days--
	}
	rest := us - days*day
	return Timedelta{Days: days, Seconds: rest / 1_000_000, Microseconds: rest % 1_000_000}
}

// TotalSeconds is timedelta.total_seconds(): its microseconds divided by a million, rounded
// once, as Python divides two ints.
func (d Timedelta) TotalSeconds() float64 {
	us := (d.Days*86400+d.Seconds)*1_000_000 + d.Microseconds
	if us > -1<<53 && us < 1<<53 {
		return float64(us) / 1e6 // both exact: the quotient is rounded once
	}
	f, _ := new(big.Rat).SetFrac64(us, 1_000_000).Float64()
	return f
}

// String is str() of a timedelta: "30 days, 0:00:00", "-1 day, 23:00:00", "2:03:04.500000".
func (d Timedelta) String() string {
	s := fmt.Sprintf("%d:%02d:%02d", d.Seconds/3600, d.Seconds/60%60, d.Seconds%60)
	if d.Microseconds != 0 {
		s += fmt.Sprintf(".%06d", d.Microseconds)
	}
	if d.Days != 0 {
		unit := "days"
		if d.Days == 1 || d.Days == -1 {
			unit = "day"
		}
		s = fmt.Sprintf("%d %s, %s", d.Days, unit, s)
	}
	return s
}
