package pydate

import (
	"math"
	"math/big"
	"strings"
)

// FormatDuration is the ERP's format_duration(seconds, hide_days=False) of a whole number of
// seconds: its days, hours, minutes and seconds, those that are not zero, as "1d 2h 3m 4s"
// ("" for 0); with hideDays, the hours count the days too ("26h 3m"). As the ERP's, the days
// (and hidden days' hours) are the floor of a float division and the rest Python's modulo, so
// -1 is "-1d 23h 59m 59s".
func FormatDuration(seconds *big.Int, hideDays bool) string {
	floorOf := func(by int64) string {
		f, _ := new(big.Rat).SetFrac(seconds, big.NewInt(by)).Float64()
		n, _ := big.NewFloat(math.Floor(f)).Int(nil)
		return n.String()
	}
	mod := func(by int64) int64 { return new(big.Int).Mod(seconds, big.NewInt(by)).Int64() }
	days, hours := floorOf(86400), big.NewInt(mod(86400)/3600).String()
	if hideDays {
		days, hours = "0", floorOf(3600)
	}
	var parts []string
	for _, p := range []struct{ n, unit string }{{days, "d"}, {hours, "h"}, {big.NewInt(mod(3600) / 60).String(), "m"}, {big.NewInt(mod(60)).String(), "s"}} {
		if p.n != "0" {
			parts = append(parts, p.n+p.unit)
		}
	}
	return strings.Join(parts, " ")
}
