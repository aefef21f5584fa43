// Package currency holds what walnotify reads of the ERP's Currency records (tabCurrency): the
// fraction's name and units, the number format and the symbol that money_in_words and
// fmt_money take from the record of the currency they write.
package currency

// Record is one Currency record; an empty field is one the record leaves unset.
type Record struct {
	Fraction      string // the name of its fraction ("Cent", "Paisa")
	FractionUnits int    // how many fractions make one unit (100, 1000); 0 when unset
	NumberFormat  string // its own number format ("#,##,###.##"); "" for the site's
	Symbol        string // its symbol ("€", "₹"); "" for its code
	// SymbolOnRight says where fmt_money writes the symbol, after the amount when true; nil
	// when the record does not say (no such column before Frappe 13).
	SymbolOnRight *bool
}
