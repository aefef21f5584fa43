package rules

import (
	"fmt"
	"strings"
	"time"

	"walnotify/erpdb"
	"walnotify/internal/numwords"
	"walnotify/internal/sitefmt"
	"walnotify/render"
)

// WithERP completes the site with the ERP's System Settings, as the ERP's own fmt_money,
// formatdate and get_formatted read them: a key the file sets wins, a key it leaves out takes
// the ERP's value, and one neither gives keeps the ERP's default (UTC, en, #,###.##,
// dd-mm-yyyy, HH:mm:ss, weeks from Sunday). A value of the ERP walnotify cannot use (a time zone or number format
// it does not know) is left out, and said in the returned warnings.
func (s Site) WithERP(erp erpdb.SystemSettings) (Site, []string) {
	var warnings []string
	if !s.timezoneSet && erp.TimeZone != "" {
		if loc, err := time.LoadLocation(erp.TimeZone); err != nil {
			warnings = append(warnings, fmt.Sprintf("System Settings time_zone %q is unknown here; using %s", erp.TimeZone, s.Timezone))
		} else {
			s.Timezone, s.Location = erp.TimeZone, loc
		}
	}
	if !s.languageSet && erp.Language != "" {
		s.Language = erp.Language
	}
	if s.NumberFormat == "" && erp.NumberFormat != "" {
		if render.KnownNumberFormat(erp.NumberFormat) {
			s.NumberFormat = erp.NumberFormat
		} else {
			warnings = append(warnings, fmt.Sprintf("System Settings number_format %q is unknown here; using #,###.##", erp.NumberFormat))
		}
	}
	if s.DateFormat == "" {
		s.DateFormat = erp.DateFormat
	}
	if s.TimeFormat == "" {
		s.TimeFormat = erp.TimeFormat
	}
	if s.CurrencyPrecision == nil && erp.CurrencyPrecision >= 0 {
		s.CurrencyPrecision = &erp.CurrencyPrecision
	}
	if s.FloatPrecision == nil && erp.FloatPrecision >= 0 {
		s.FloatPrecision = &erp.FloatPrecision
	}
	if s.FirstDayOfTheWeek == "" && erp.FirstDayOfTheWeek != "" {
		if d, ok := weekday(erp.FirstDayOfTheWeek); ok {
			s.FirstDayOfTheWeek, s.WeekStart = erp.FirstDayOfTheWeek, d
		} else {
			warnings = append(warnings, fmt.Sprintf("System Settings first_day_of_the_week %q is no day of the week; weeks start on Sunday", erp.FirstDayOfTheWeek))
		}
	}
	s.Currency, s.Currencies = erp.Currency, erp.Currencies
	return s, warnings
}

// Words is what conditions' in_words and money_in_words read of the site, as templates' do.
func (s Site) Words() numwords.Site { return s.Render().Words() }

// Formats is what conditions' fmt_money, formatdate, format_datetime, global_date_format and
// the site's addresses read of the site, as templates' do.
func (s Site) Formats() sitefmt.Site { return s.Render().Formats() }

// weekday reads a day's English name, as System Settings' first_day_of_the_week holds it
// ("Monday"); the case of its letters does not matter.
func weekday(name string) (time.Weekday, bool) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(strings.TrimSpace(name), d.String()) {
			return d, true
		}
	}
	return 0, false
}

// Render is what templates know of the site.
func (s Site) Render() render.Site {
	r := render.Site{
		URL: s.URL, Location: s.Location, Language: s.Language,
		NumberFormat: s.NumberFormat, DateFormat: s.DateFormat, TimeFormat: s.TimeFormat,
		Currency: s.Currency, Currencies: s.Currencies, WeekStart: s.WeekStart,
	}
	if s.CurrencyPrecision != nil {
		r.CurrencyPrecision = *s.CurrencyPrecision
	}
	if s.FloatPrecision != nil {
		r.FloatPrecision = *s.FloatPrecision
	}
	return r
}

// validate checks the formats the file sets.
func (s Site) validate(add func(key, format string, args ...any)) {
	if s.NumberFormat != "" && !render.KnownNumberFormat(s.NumberFormat) {
		add("site.number_format", "%q: want one of the ERP's number formats (%s)", s.NumberFormat, strings.Join(render.NumberFormats(), ", "))
	}
	for _, p := range []struct {
		key string
		v   *int
	}{{"site.currency_precision", s.CurrencyPrecision}, {"site.float_precision", s.FloatPrecision}} {
		if p.v != nil && (*p.v < 0 || *p.v > 9) {
			add(p.key, "%d: want 0 to 9 decimals", *p.v)
		}
	}
}
