package sitefmt

import (
	"strconv"
	"strings"
	"time"
)

// Date is the ERP's formatdate(t, format) (and format_date): format in the ERP's date format
// notation, where "mm" is the month (dd-mm-yyyy, mm/dd/yyyy, ...), or a Babel pattern (d MMMM
// y) or one of short, medium, long, full; the site's date format when format is "", then
// dd-mm-yyyy; names in the site's language.
func (s Site) Date(t time.Time, format string) string {
	if format == "" {
		format = s.DateFormat
	}
	return formatDate(t, format, localeOf(s.Language))
}

// Datetime is the ERP's format_datetime(t, format): by default the site's date format followed
// by its time format (dd-mm-yyyy HH:mm:ss); format is a Babel pattern (where mm is minutes) or
// one of short, medium, long, full.
func (s Site) Datetime(t time.Time, format string) string {
	return formatDatetime(t, format, s.DateFormat, s.TimeFormat, localeOf(s.Language))
}

// GlobalDate is the ERP's global_date_format(date, format): t's date in one of Babel's named
// formats (short, medium, long, full) or a Babel pattern, in the site's language: "January 5,
// 2024", "5 janvier 2024" on a French site. Unlike Date, a pattern is Babel's as written (mm
// is minutes).
func (s Site) GlobalDate(t time.Time, format string) string {
	loc := localeOf(s.Language)
	pattern, ok := loc.date[format]
	if !ok {
		pattern = format
	}
	y, m, d := t.Date()
	return formatPattern(time.Date(y, m, d, 0, 0, 0, 0, time.UTC), pattern, loc)
}

// locale is the part of Babel's (CLDR's) locale data that the ERP's date formatting uses: month
// and day names and the named formats. English and French are known; any other language
// formats as English.
type locale struct {
	months, shortMonths [12]string
	days, shortDays     [7]string // from Sunday
	am, pm              string
	// named date and time patterns (short, medium, long, full), and how a datetime joins them
	// ({1} the date, {0} the time).
	date, time, join map[string]string
}

var english = &locale{
	months:      [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	shortMonths: [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
	days:        [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
	shortDays:   [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"},
	am:          "AM", pm: "PM",
	date: map[string]string{"short": "M/d/yy", "medium": "MMM d, y", "long": "MMMM d, y", "full": "EEEE, MMMM d, y"},
	time: map[string]string{"short": "h:mm a", "medium": "h:mm:ss a", "long": "h:mm:ss a", "full": "h:mm:ss a"},
	join: map[string]string{"short": "{1}, {0}", "medium": "{1}, {0}", "long": "{1} 'at' {0}", "full": "{1} 'at' {0}"},
}

// french is Babel's fr locale (CLDR as Babel 2.10 ships it): 31 déc. 2026, jeudi 31 décembre
// 2026, 31/12/2026 14:05.
var french = &locale{
	months:      [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	shortMonths: [12]string{"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."},
	days:        [7]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
	shortDays:   [7]string{"dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."},
	am:          "AM", pm: "PM",
	date: map[string]string{"short": "dd/MM/y", "medium": "d MMM y", "long": "d MMMM y", "full": "EEEE d MMMM y"},
	time: map[string]string{"short": "HH:mm", "medium": "HH:mm:ss", "long": "HH:mm:ss", "full": "HH:mm:ss"},
	join: map[string]string{"short": "{1} {0}", "medium": "{1}, {0}", "long": "{1} 'à' {0}", "full": "{1} 'à' {0}"},
}

// localeOf is the locale of a site language ("fr", "fr-FR", "fr_CA": French).
func localeOf(language string) *locale {
	if IsFrench(language) {
		return french
	}
	return english
}

// IsFrench reports whether a site language is French.
func IsFrench(language string) bool {
	l := strings.ToLower(language)
	return l == "fr" || strings.HasPrefix(l, "fr-") || strings.HasPrefix(l, "fr_")
}

// defaultDateFormat and defaultTimeFormat are the ERP's default System Settings formats.
const (
	defaultDateFormat = "dd-mm-yyyy"
	defaultTimeFormat = "HH:mm:ss"
)

// formatDate formats a date the way the ERP's formatdate does: format uses the ERP's date
// format notation, where "mm" is the month (dd-mm-yyyy, mm/dd/yyyy, yyyy-mm-dd, ...), or a
// Babel pattern (d MMMM y) or one of short, medium, long, full; names in the locale's language.
func formatDate(t time.Time, format string, loc *locale) string {
	if format == "" {
		format = defaultDateFormat
	}
	if p, ok := loc.date[format]; ok {
		return formatPattern(t, p, loc)
	}
	format = strings.ReplaceAll(format, "mm", "MM")
	format = strings.ReplaceAll(format, "Y", "y")
	return formatPattern(t, format, loc)
}

// formatDatetime formats a timestamp the way the ERP's format_datetime does: by default the
// site's date format followed by its time format (dd-mm-yyyy HH:mm:ss); format is a Babel
// pattern (where mm is minutes) or one of short, medium, long, full.
func formatDatetime(t time.Time, format, dateFormat, timeFormat string, loc *locale) string {
	if format == "" {
		if dateFormat == "" {
			dateFormat = defaultDateFormat
		}
		if timeFormat == "" {
			timeFormat = defaultTimeFormat
		}
		format = strings.ReplaceAll(dateFormat, "mm", "MM") + " " + timeFormat
	}
	if p, ok := loc.date[format]; ok {
		d, tm := formatPattern(t, p, loc), formatPattern(t, loc.time[format], loc)
		return strings.NewReplacer("{1}", d, "{0}", tm).Replace(formatPattern(t, loc.join[format], loc))
	}
	return formatPattern(t, format, loc)
}

// formatPattern implements the part of Babel's (Unicode LDML) date pattern syntax that date
// formats use: d, M, y, E, H, h, m, s, S, a; text in single quotes is literal, as is any
// other character.
func formatPattern(t time.Time, pattern string, loc *locale) string {
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
		b.WriteString(patternField(t, c, n, pattern[i:i+n], loc))
		i += n
	}
	return b.String()
}

func patternField(t time.Time, c byte, n int, run string, loc *locale) string {
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
			return loc.months[t.Month()-1]
		case n == 3:
			return loc.shortMonths[t.Month()-1]
		}
		return pad(int(t.Month()), n)
	case 'y':
		if n == 2 {
			return pad(t.Year()%100, 2)
		}
		return pad(t.Year(), n)
	case 'E':
		if n >= 4 {
			return loc.days[t.Weekday()]
		}
		return loc.shortDays[t.Weekday()]
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
			return loc.am
		}
		return loc.pm
	}
	return run
}
