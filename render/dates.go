package render

import (
	"fmt"
	"strings"
	"time"

	"walnotify/internal/pydate"
)

const (
	dateLayout     = "2006-01-02"
	datetimeLayout = "2006-01-02 15:04:05"
)

// parseDateTime reads the ERP's date ("YYYY-MM-DD") and timestamp
// ("YYYY-MM-DD HH:MM:SS[.ffffff]", also with a "T") forms. hasTime tells which one it was.
func parseDateTime(s string) (t time.Time, hasTime bool, err error) {
	s = strings.TrimSpace(s)
	if t, hasTime, ok := pydate.Parse(s); ok {
		return t, hasTime, nil
	}
	return time.Time{}, false, fmt.Errorf("%q is not a date (YYYY-MM-DD) or a timestamp (YYYY-MM-DD HH:MM:SS)", s)
}
