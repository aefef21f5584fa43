package sitefmt

import (
	"testing"

	"walnotify/internal/currency"
)

// fmt_money writes a currency as its Currency record says (symbol, symbol_on_right, fraction
// units), the code for one the site has no record of; without the site's records, the common
// symbols, after the amount on a French site.
func TestMoneyWritesTheCurrencyAsItsRecord(t *testing.T) {
	right, left := true, false
	records := map[string]currency.Record{
		"EUR": {Symbol: "€", SymbolOnRight: &right},
		"USD": {Symbol: "$", SymbolOnRight: &left},
		"CHF": {},                                  // no symbol: its code
		"KWD": {Symbol: "KD", FractionUnits: 1000}, // 3 decimals shown past 2
		"GBP": {Symbol: "£"},                       // no symbol_on_right (before Frappe 13)
	}
	english := Site{Currencies: records}
	french := Site{Language: "fr", NumberFormat: "# ###,##", Currencies: records}
	for _, c := range []struct {
		site      Site
		amount    float64
		precision int
		code      string
		want      string
	}{
		{english, 1234.5, -1, "EUR", "1,234.50 €"},
		{english, 1234.5, -1, "USD", "$ 1,234.50"},
		{french, 1234.5, -1, "USD", "$ 1 234,50"},
		{english, 1234.5, -1, "CHF", "CHF 1,234.50"},
		{english, 1234.5, -1, "XYZ", "XYZ 1,234.50"},
		{english, 2.5, 3, "KWD", "KD 2.500"},
		{english, 2.5, 3, "EUR", "2.50 €"},
		{english, 2.125, 3, "KWD", "KD 2.125"},
		{english, 1234.5, -1, "GBP", "£ 1,234.50"},
		{french, 1234.5, -1, "GBP", "1 234,50 £"},
		{english, 1234.5, -1, "", "1,234.50"},
		// Without the site's records: the symbols walnotify knows.
		{Site{}, 1234.5, -1, "EUR", "€ 1,234.50"},
		{Site{Language: "fr", NumberFormat: "# ###,##"}, 1234.5, -1, "EUR", "1 234,50 €"},
		{Site{}, 1234.5, -1, "XYZ", "XYZ 1,234.50"},
	} {
		got, err := c.site.Money(c.amount, c.precision, c.code, "")
		if err != nil || got != c.want {
			t.Errorf("%+v: fmt_money(%v, %d, %q) = %q, %v; want %q", c.site.Language, c.amount, c.precision, c.code, got, err, c.want)
		}
	}
}
