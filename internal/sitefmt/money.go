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
// format's own), and on a French site the symbol after the amount (45 000,50 €).
func (s Site) Money(amount float64, precision int, currency, format string) (string, error) {
	if precision < 0 && s.CurrencyPrecision > 0 {
		precision = s.CurrencyPrecision
	}
	if format == "" {
		format = s.NumberFormat
	}
	text, err := Money(amount, precision, currency, format)
	if err == nil && currency != "" && IsFrench(s.Language) {
		if symbol, amount, ok := strings.Cut(text, " "); ok {
			text = amount + " " + symbol
		}
	}
	return text, err
}

// Money formats amount as the ERP's fmt_money does: the number with the format's separators
// and precision decimals (precision < 0: the format's own), preceded by the currency's symbol
// and a space when currency is not empty.
func Money(amount float64, precision int, currency, format string) (string, error) {
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
	precision = shownDecimals(amount, precision, nf, currency != "")
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
	if currency == "" {
		return text, nil
	}
	symbol, ok := currencySymbols[currency]
	if !ok {
		symbol = currency
	}
	return symbol + " " + text, nil
}

// shownDecimals is how many decimals the ERP's fmt_money shows for a precision above 2: the
// digits the amount's fraction has at that precision (str(round(amount % 1, precision))), and
// when it has fewer than 3, those of the currency's fraction units (2: walnotify takes every
// currency's as 100, the ERP's default) or, without a currency, the number format's own. So
// fmt_money(2.5, 3) is "2.50" and fmt_money(2.125, 3) "2.125".
func shownDecimals(amount float64, precision int, nf numformat.Format, currency bool) int {
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
		return 2
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
