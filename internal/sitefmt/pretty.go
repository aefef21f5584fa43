package sitefmt

import (
	"math"
	"strconv"
	"strings"
	"time"

	"walnotify/internal/pydate"
)

// PrettyDate is the ERP's pretty_date(iso_datetime) of a timestamp t at now (in the site's
// time zone): how long before now it is, in the ERP's words ("just now", "5 minutes ago",
// "Yesterday", "3 weeks ago", "2 years ago"), each passed through translate but the years, as
// the ERP passes them through _(). The difference counts whole seconds, Python's timedelta
// days*86400 + seconds, so a time to come is "just now".
func PrettyDate(now, t time.Time, translate func(string) string) string {
	diff := pydate.Sub(pydate.Naive(now), t)
	secs := float64(diff.Days*daySeconds + diff.Seconds)
	for _, step := range prettySteps {
		if secs < step.below {
			if step.unit == 0 {
				return translate(step.text)
			}
			return strings.Replace(translate(step.text), "{0}", strconv.FormatFloat(math.Floor(secs/step.unit), 'f', 0, 64), 1)
		}
	}
	return strconv.FormatFloat(math.Floor(secs/(365*daySeconds)), 'f', 0, 64) + " years ago"
}

// daySeconds is a day's seconds.
const daySeconds = 86400

// prettySteps are pretty_date's words: the first step the difference (in whole seconds) is
// below gives its text, its {0} the count of units, whole. The ERP counts days as
// floor(seconds / 86400) and compares them; the same limits in seconds are the same steps.
var prettySteps = []struct {
	below float64
	text  string
	unit  float64 // seconds in one {0}; 0 for a text without a count
}{
	{60, "just now", 0},
	{120, "1 minute ago", 0},
	{3600, "{0} minutes ago", 60},
	{7200, "1 hour ago", 0},
	{daySeconds, "{0} hours ago", 3600},
	{2 * daySeconds, "Yesterday", 0},
	{7 * daySeconds, "{0} days ago", daySeconds},
	{14 * daySeconds, "1 week ago", 0},
	{31 * daySeconds, "{0} weeks ago", 7 * daySeconds},
	{61 * daySeconds, "1 month ago", 0},
	{365 * daySeconds, "{0} months ago", 30 * daySeconds},
	{730 * daySeconds, "1 year ago", 0},
}
