package render

import (
	"walnotify/internal/numformat"
)

// number is how a float reaches a template: it behaves as a float in arithmetic, comparisons
// and filters, and prints as Python's str() does (45000.5, 40000.0, 1e+16), as the ERP's
// templates print the floats its PostgreSQL driver reads from numeric columns.
type number float64

func (n number) String() string { return pyFloatRepr(float64(n)) }

// KnownNumberFormat reports whether format is one of the ERP's number formats.
func KnownNumberFormat(format string) bool {
	_, ok := numformat.Lookup(format)
	return ok
}

// NumberFormats are the ERP's number formats, sorted.
func NumberFormats() []string { return numformat.Names() }
