package cdc

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Type OIDs of the built-in types that get a Go value other than their text.
const (
	oidBool        = 16
	oidInt8        = 20
	oidInt2        = 21
	oidInt4        = 23
	oidOID         = 26
	oidJSON        = 114
	oidFloat4      = 700
	oidFloat8      = 701
	oidDate        = 1082
	oidTimestamp   = 1114
	oidTimestamptz = 1184
	oidNumeric     = 1700
	oidJSONB       = 3802
)

// tsLayout is PostgreSQL's ISO timestamp text, fractional seconds without trailing zeros.
const tsLayout = "2006-01-02 15:04:05.999999"

// decodeValue turns the text form of a value of type oid, as a replication connection with
// DateStyle=ISO and TimeZone=UTC sends it, into the plain Go value documented on Row. Text that
// does not parse as its type says it should (which PostgreSQL never sends) stays a string
// rather than stopping the stream.
func decodeValue(oid uint32, text []byte) any {
	switch oid {
	case oidInt2, oidInt4, oidInt8, oidOID:
		if n, err := strconv.ParseInt(string(text), 10, 64); err == nil {
			return n
		}
	case oidNumeric, oidFloat4, oidFloat8:
		// ParseFloat also reads NaN, Infinity and -Infinity; a numeric beyond float64's
		// range becomes an infinity (ErrRange), the nearest float64.
		f, err := strconv.ParseFloat(string(text), 64)
		if err == nil || isRange(err) {
			return f
		}
	case oidBool:
		switch string(text) {
		case "t":
			return true
		case "f":
			return false
		}
	case oidTimestamptz:
		return utcTimestamp(string(text))
	case oidJSON, oidJSONB:
		var v any
		if err := json.Unmarshal(text, &v); err == nil {
			return v
		}
	}
	// date and timestamp are already "YYYY-MM-DD" and "YYYY-MM-DD HH:MM:SS[.ffffff]" in ISO
	// DateStyle (or "infinity", "-infinity", "... BC"); every other type keeps its text.
	return string(text)
}

func isRange(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// utcTimestamp turns ISO timestamptz text ("2025-03-14 09:00:00.5+00", or with another
// offset such as "+05:30") into the same wall-clock format in UTC without the offset. The
// replication connection runs with TimeZone=UTC, so the offset is normally zero and only cut
// off. Text it does not recognise (infinity, BC dates) is returned unchanged.
func utcTimestamp(s string) string {
	sp := strings.IndexByte(s, ' ')
	if sp < 0 || strings.HasSuffix(s, " BC") {
		return s
	}
	i := strings.LastIndexAny(s[sp:], "+-")
	if i < 0 {
		return s
	}
	i += sp
	base, off := s[:i], s[i:]
	secs, ok := offsetSeconds(off)
	if !ok {
		return s
	}
	if secs == 0 {
		return base
	}
	t, err := time.Parse(tsLayout, base)
	if err != nil {
		return s
	}
	return t.Add(-time.Duration(secs) * time.Second).Format(tsLayout)
}

// offsetSeconds reads "+HH", "+HH:MM" or "+HH:MM:SS" (or with "-").
func offsetSeconds(off string) (int, bool) {
	if len(off) < 3 {
		return 0, false
	}
	sign := 1
	if off[0] == '-' {
		sign = -1
	}
	secs, unit := 0, 3600
	for _, part := range strings.Split(off[1:], ":") {
		if len(part) != 2 || unit == 0 {
			return 0, false
		}
		n, err := strconv.Atoi(part)
		if err != nil {
			return 0, false
		}
		secs += n * unit
		unit /= 60
	}
	return sign * secs, true
}
