package sitefmt

import (
	"cmp"
	"fmt"
	"math"
	"strconv"
	"strings"

	"walnotify/internal/numformat"
	"walnotify/internal/pyfloat"
	"walnotify/internal/rounding"
)

// currencySymbols maps common ISO 4217 codes to the symbols the ERP's Currency records use. A
// code not listed is printed as the code.
var currencySymbols = map[string]string{
	"AED": "د.إ", "ARS": "$", "AUD": "$", "BRL": "R$", "CAD": "$", "CHF": "CHF", "CLP": "$",
	"CNY": "¥", "COP": "$", "CZK": "Kč", "DKK": "kr", "EGP": "E£", "EUR": "€", "GBP": "£",
	"HKD": "$", "HUF": "Ft", "IDR": "Rp", "ILS": "₪", "INR": "₹", "JPY": "¥", "KES": "KSh",
	"KRW": "₩", "MAD": "DH", "MXN": "$", "MYR": "RM", "NGN": "₦", "NOK": "kr", "NZD": "$",
	"PHP": "₱", "PKR": "₨", "PLN": "zł", "RUB": "₽", "SAR": "﷼", "SEK": "kr", "SGD": "$",
	"THB": "฿", "TRY": "₺", "TWD": "NT$", "UAH": "₴", "USD": "$", "VND": "₫", "XOF": "CFA",
	"ZAR": "R",
}

// Money is the ERP's fmt_money(amount, precision, currency, format) with the site's defaults:
// its number format when format is "", its currency precision when precision < 0 (else the
// format's own). The currency's symbol and its place are its Currency record's (symbol, else
// the code; symbol_on_right); without the site's records, the common symbols walnotify knows,
// after the amount on a French site (45 000,50 €), before it elsewhere (€ 45,000.50).
func (s Site) Money(amount float64, precision int, code, format string) (string, error) {
	if precision < 0 && s.CurrencyPrecision > 0 {
		precision = s.CurrencyPrecision
	}
	if format == "" {
		format = s.NumberFormat
	}
	record, known := s.Currencies[code]
	text, err := number(amount, precision, format, code != "", record.FractionUnits)
	if err != nil || code == "" {
		return text, err
	}
	symbol, right := code, IsFrench(s.Language)
	switch {
	case known:
		symbol = cmp.Or(record.Symbol, code)
		if record.SymbolOnRight != nil {
			right = *record.SymbolOnRight
		}
	case s.Currencies == nil:
		if common, ok := currencySymbols[code]; ok {
			symbol = common
		}
	}
	if right {
		return text + " " + symbol, nil
	}
	return symbol + " " + text, nil
}

// number is fmt_money's amount without its symbol: the number with the format's separators
// and precision decimals (precision < 0: the format's own); money says a currency is given,
// whose fraction units (0: the ERP's default, 100) bound the decimals shown past 2.
func number(amount float64, precision int, format string, money bool, units int) (string, error) {
	if format == "" {
		format = numformat.Default
	}
	nf, ok := numformat.Lookup(format)
	if !ok {
		return "", fmt.Errorf("unknown number format %q", format)
	}
	if precision < 0 {
		precision = nf.Precision
	}
	precision = shownDecimals(amount, precision, nf, money, units)
	text := formatFloat(amount)
	if !math.IsNaN(amount) && !math.IsInf(amount, 0) {
		text = strconv.FormatFloat(math.Abs(amount), 'f', precision, 64)
		integer, decimals, _ := strings.Cut(text, ".")
		text = groupDigits(integer, nf.Group, nf.Indian)
		if precision > 0 && nf.Decimal != "" {
			text += nf.Decimal + decimals
		}
		if amount < 0 && strings.Trim(integer+decimals, "0") != "" {
			text = "-" + text
		}
	}
	return text, nil
}

// shownDecimals is how many decimals the ERP's fmt_money shows for a precision above 2: the
// digits the amount's fraction has at that precision (str(round(amount % 1, precision))), and
// when it has fewer than 3, those of the currency's fraction units (the digits of units less
// one: 2 for the ERP's default, 100) or, without a currency, the number format's own. So
// fmt_money(2.5, 3) is "2.50" and fmt_money(2.125, 3) "2.125".
func shownDecimals(amount float64, precision int, nf numformat.Format, currency bool, units int) int {
	if precision <= 2 || nf.Decimal == "" || math.IsNaN(amount) || math.IsInf(amount, 0) {
		return precision
	}
	fraction := math.Mod(amount, 1)
	if fraction < 0 {
		fraction++ // Python's % takes the sign of the divisor
	}
	repr := pyfloat.Repr(rounding.Python(fraction, precision))
	_, decimals, ok := strings.Cut(repr, ".")
	if !ok {
		decimals = repr
	}
	switch {
	case len(decimals) < 3 && currency:
		return len(strconv.Itoa(cmp.Or(units, 100))) - 1
	case len(decimals) < 3:
		return nf.Precision
	case len(decimals) < precision:
		return len(decimals)
	}
	return precision
}

// Grouped writes f rounded to precision decimals the shortest way, with the separators of the
// number format (default #,###.##), as the ERP's format_value writes a Float: 45000.5 ->
// "45,000.5", "45 000,5".
func Grouped(f float64, precision int, format string) string {
	nf := numformat.Info(format)
	if r, ok := rounding.Legacy(f, precision); ok {
		f = r
	}
	text := formatFloat(f)
	if strings.ContainsAny(text, "eEIN") {
		return text
	}
	sign := ""
	if strings.HasPrefix(text, "-") {
		sign, text = "-", text[1:]
	}
	integer, decimals, hasDecimals := strings.Cut(text, ".")
	text = sign + groupDigits(integer, nf.Group, nf.Indian)
	if hasDecimals {
		text += cmp.Or(nf.Decimal, ".") + decimals
	}
	return text
}

// formatFloat writes f the shortest way that reads back to the same value, without a trailing
// ".0" and without an exponent between 1e-7 and 1e21 (the digits fmt_money groups); NaN and
// infinities are written as PostgreSQL writes them.
func formatFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0"
	}
	if a := math.Abs(f); a < 1e-7 || a >= 1e21 {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// groupDigits inserts sep between groups of three digits (two after the first three when
// indian is set) of an unsigned integer written in decimal.
func groupDigits(digits, sep string, indian bool) string {
	if len(digits) <= 3 || sep == "" {
		return digits
	}
	parts := []string{digits[len(digits)-3:]}
	digits = digits[:len(digits)-3]
	size := 3
	if indian {
		size = 2
	}
	for len(digits) > size {
		parts = append(parts, digits[len(digits)-size:])
		digits = digits[:len(digits)-size]
	}
	parts = append(parts, digits)
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteString(parts[i])
		if i > 0 {
			b.WriteString(sep)
		}
	}
	return b.String()
}
