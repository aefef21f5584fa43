package render

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

const (
	dateLayout     = "2006-01-02"
	datetimeLayout = "2006-01-02 15:04:05"
)

// parseDateTime reads the ERP's date ("YYYY-MM-DD") and timestamp
// ("YYYY-MM-DD HH:MM:SS[.ffffff]", also with a "T") forms. hasTime tells which one it was.
func parseDateTime(s string) (t time.Time, hasTime bool, err error) {
	s = strings.TrimSpace(s)
	if len(s) == len(dateLayout) {
		t, err = time.Parse(dateLayout, s)
		return t, false, err
	}
	for _, layout := range [...]string{"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999"} {
		if t, err = time.Parse(layout, s); err == nil {
			return t, true, nil
		}
	}
	return time.Time{}, false, fmt.Errorf("%q is not a date (YYYY-MM-DD) or a timestamp (YYYY-MM-DD HH:MM:SS)", s)
}

// pythonDatetime writes t as Python's str(datetime) does: microseconds only when not zero.
func pythonDatetime(t time.Time) string {
	s := t.Format(datetimeLayout)
	if us := t.Nanosecond() / 1000; us != 0 {
		s += fmt.Sprintf(".%06d", us)
	}
	return s
}

// namedDatePatterns are the locale formats the ERP (through Babel) accepts by name, for English.
var namedDatePatterns = map[string]string{
	"short":  "M/d/yy",
	"medium": "MMM d, y",
	"long":   "MMMM d, y",
	"full":   "EEEE, MMMM d, y",
}

var namedTimePatterns = map[string]string{
	"short":  "h:mm a",
	"medium": "h:mm:ss a",
	"long":   "h:mm:ss a",
	"full":   "h:mm:ss a",
}

// defaultDateFormat is the ERP's default System Settings date format.
const defaultDateFormat = "dd-mm-yyyy"

// formatDate formats a date the way the ERP's formatdate does: format uses the ERP's date
// format notation, where "mm" is the month (dd-mm-yyyy, mm/dd/yyyy, yyyy-mm-dd, ...), or a
// Babel pattern (d MMM y) or one of short, medium, long, full.
func formatDate(t time.Time, format string) string {
	if format == "" {
		format = defaultDateFormat
	}
	if p, ok := namedDatePatterns[format]; ok {
		return formatPattern(t, p)
	}
	format = strings.ReplaceAll(format, "mm", "MM")
	format = strings.ReplaceAll(format, "Y", "y")
	return formatPattern(t, format)
}

// formatDatetime formats a timestamp the way the ERP's format_datetime does: by default the
// date format followed by HH:mm:ss; format is a Babel pattern (where mm is minutes) or one of
// short, medium, long, full.
func formatDatetime(t time.Time, format string) string {
	if format == "" {
		return formatDate(t, defaultDateFormat) + " " + formatPattern(t, "HH:mm:ss")
	}
	if p, ok := namedDatePatterns[format]; ok {
		return formatPattern(t, p) + ", " + formatPattern(t, namedTimePatterns[format])
	}
	return formatPattern(t, format)
}

// formatPattern implements the part of Babel's (Unicode LDML) date pattern syntax that date
// formats use: d, M, y, E, H, h, m, s, S, a; text in single quotes is literal, as is any
// other character. Names are English.
func formatPattern(t time.Time, pattern string) string {
	var b strings.Builder
	for i := 0; i < len(pattern); {
		c := pattern[i]
		if c == '\'' {
			end := strings.IndexByte(pattern[i+1:], '\'')
			switch {
			case end == 0: // '' is a quote
				b.WriteByte('\'')
				i += 2
			case end < 0:
				b.WriteString(pattern[i+1:])
				i = len(pattern)
			default:
				b.WriteString(pattern[i+1 : i+1+end])
				i += end + 2
			}
			continue
		}
		n := 1
		for i+n < len(pattern) && pattern[i+n] == c {
			n++
		}
		b.WriteString(patternField(t, c, n, pattern[i:i+n]))
		i += n
	}
	return b.String()
}

func patternField(t time.Time, c byte, n int, run string) string {
	pad := func(v, width int) string {
		s := strconv.Itoa(v)
		for len(s) < width {
			s = "0" + s
		}
		return s
	}
	switch c {
	case 'd':
		return pad(t.Day(), n)
	case 'M', 'L':
		switch {
		case n >= 4:
			return t.Month().String()
		case n == 3:
			return t.Month().String()[:3]
		}
		return pad(int(t.Month()), n)
	case 'y':
		if n == 2 {
			return pad(t.Year()%100, 2)
		}
		return pad(t.Year(), n)
	case 'E':
		if n >= 4 {
			return t.Weekday().String()
		}
		return t.Weekday().String()[:3]
	case 'H':
		return pad(t.Hour(), n)
	case 'h':
		h := t.Hour() % 12
		if h == 0 {
			h = 12
		}
		return pad(h, n)
	case 'm':
		return pad(t.Minute(), n)
	case 's':
		return pad(t.Second(), n)
	case 'S':
		return pad(t.Nanosecond(), 9)[:min(n, 9)]
	case 'a':
		if t.Hour() < 12 {
			return "AM"
		}
		return "PM"
	}
	return run
}
