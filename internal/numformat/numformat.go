// Package numformat holds the ERP's number formats ("#,###.##", "#.###,##", ...), as its
// fmt_money and money_in_words read them, for templates and conditions alike.
package numformat

import (
	"maps"
	"slices"
)

// Format is what one of the ERP's number formats means.
type Format struct {
	Decimal   string // decimal separator; "" when the format has no decimals
	Group     string // thousands separator
	Precision int    // decimals by default
	Indian    bool   // groups of two digits after the first three (#,##,###.##)
}

// Default is the ERP's default System Settings number format.
const Default = "#,###.##"

// formats are the number formats the ERP offers.
var formats = map[string]Format{
	"#,###.##":    {".", ",", 2, false},
	"#.###,##":    {",", ".", 2, false},
	"# ###.##":    {".", " ", 2, false},
	"# ###,##":    {",", " ", 2, false},
	"#'###.##":    {".", "'", 2, false},
	"#, ###.##":   {".", ", ", 2, false},
	"#,##,###.##": {".", ",", 2, true},
	"#,###.###":   {".", ",", 3, false},
	"#.###":       {"", ".", 0, false},
	"#,###":       {"", ",", 0, false},
	"#.########":  {".", "", 8, false},
}

// Lookup is the format called name; ok is false for a name the ERP does not offer.
func Lookup(name string) (f Format, ok bool) {
	f, ok = formats[name]
	return f, ok
}

// Info is the ERP's get_number_format_info(name): the format called name, or the default
// format's meaning for a name it does not know.
func Info(name string) Format {
	if f, ok := formats[name]; ok {
		return f
	}
	return formats[Default]
}

// Names are the ERP's number formats, sorted.
func Names() []string { return slices.Sorted(maps.Keys(formats)) }
