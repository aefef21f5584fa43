// Package sitefmt writes values as the ERP's frappe.utils writes them with a site's System
// Settings: fmt_money, formatdate (format_date), format_datetime, global_date_format,
// pretty_date, format_value, and the site's addresses (get_url, get_url_to_form, get_url_to_list,
// get_link_to_form). Templates (render) and conditions (rules/condition) both call it, each
// adapting its own values to the plain Go ones taken here.
//
// It escapes nothing for a service and reads no clock: the caller escapes what it prints and
// gives now.
package sitefmt

import "walnotify/internal/currency"

// Site is what the formatting reads of the site; empty or 0 is the ERP's default.
type Site struct {
	URL      string // the site's address, e.g. https://erp.example.com
	Language string // month and day names ("fr", "fr-FR": French), a French amount's symbol
	// NumberFormat is fmt_money's default format: "#,###.##", "# ###,##", ...
	NumberFormat string
	// DateFormat and TimeFormat are formatdate's and format_datetime's defaults: "dd-mm-yyyy",
	// "HH:mm:ss".
	DateFormat, TimeFormat string
	CurrencyPrecision      int // fmt_money's default decimals
	// FloatPrecision is format_value's decimals of a Float field (3 when 0); Currency the
	// site's default currency, a Currency field's when its document names none ("EUR").
	FloatPrecision int
	Currency       string
	// Currencies are the site's Currency records, by code; nil when the site's could not be
	// read (fmt_money then writes the common symbols it knows).
	Currencies map[string]currency.Record
}
