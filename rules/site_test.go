package rules

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"walnotify/erpdb"
	"walnotify/internal/currency"
)

func parseSite(t *testing.T, site string) Site {
	t.Helper()
	cfg, err := Parse("walnotify.toml", "[database]\ndsn = \"postgres://x@h/db\"\n[site]\n"+site, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	return cfg.Site
}

var dokos = erpdb.SystemSettings{NumberFormat: "# ###,##", DateFormat: "dd/mm/yyyy", TimeFormat: "HH:mm",
	CurrencyPrecision: 3, FloatPrecision: 4, TimeZone: "Europe/Paris", Language: "fr", Currency: "EUR",
	FirstDayOfTheWeek: "Monday"}

// A key the file leaves out takes the ERP's System Settings; a key it sets wins.
func TestSiteTakesSystemSettingsForWhatTheFileLeavesOut(t *testing.T) {
	got, warnings := parseSite(t, "").WithERP(dokos)
	r := got.Render()
	if got.Timezone != "Europe/Paris" || r.Location.String() != "Europe/Paris" || r.Language != "fr" || r.NumberFormat != "# ###,##" ||
		r.DateFormat != "dd/mm/yyyy" || r.TimeFormat != "HH:mm" || r.CurrencyPrecision != 3 || r.FloatPrecision != 4 || r.Currency != "EUR" || r.WeekStart != time.Monday || len(warnings) > 0 {
		t.Errorf("without [site] keys: %+v, %v", r, warnings)
	}

	got, _ = parseSite(t, `timezone = "America/Montreal"
language = "en"
number_format = "#,###.##"
date_format = "yyyy-mm-dd"
time_format = "HH:mm:ss"
currency_precision = 0
float_precision = 2
first_day_of_the_week = "saturday"`).WithERP(dokos)
	r = got.Render()
	if got.Timezone != "America/Montreal" || r.Location.String() != "America/Montreal" || r.Language != "en" || r.NumberFormat != "#,###.##" ||
		r.DateFormat != "yyyy-mm-dd" || r.TimeFormat != "HH:mm:ss" || r.CurrencyPrecision != 0 || r.FloatPrecision != 2 || r.WeekStart != time.Saturday {
		t.Errorf("[site] keys must win: %+v", r)
	}

	// Neither gives them: the ERP's defaults.
	got, _ = parseSite(t, "").WithERP(erpdb.SystemSettings{CurrencyPrecision: -1, FloatPrecision: -1})
	if got.Timezone != "UTC" || got.Language != "en" || got.Render().NumberFormat != "" || got.Render().WeekStart != time.Sunday {
		t.Errorf("defaults: %+v", got)
	}
}

func TestSystemSettingsWalnotifyCannotUseAreWarnedAbout(t *testing.T) {
	got, warnings := parseSite(t, "").WithERP(erpdb.SystemSettings{TimeZone: "Mars/Olympus", NumberFormat: "#_###", CurrencyPrecision: -1, FloatPrecision: -1, FirstDayOfTheWeek: "Sol"})
	if got.Timezone != "UTC" || got.NumberFormat != "" || got.WeekStart != time.Sunday || len(warnings) != 3 ||
		!strings.Contains(warnings[0], `"Mars/Olympus"`) || !strings.Contains(warnings[1], `"#_###"`) || !strings.Contains(warnings[2], `first_day_of_the_week "Sol"`) {
		t.Errorf("got %+v, %q", got, warnings)
	}
}

func TestSiteFormatsAreValidated(t *testing.T) {
	_, err := Parse("walnotify.toml", "[database]\ndsn = \"postgres://x@h/db\"\n[site]\nnumber_format = \"#_###\"\ncurrency_precision = 12\nfirst_day_of_the_week = \"Mon\"\n", func(string) (string, bool) { return "", false })
	if err == nil || !strings.Contains(err.Error(), `site.number_format: "#_###": want one of the ERP's number formats`) || !strings.Contains(err.Error(), "site.currency_precision: 12: want 0 to 9 decimals") ||
		!strings.Contains(err.Error(), `site.first_day_of_the_week: "Mon": want a day of the week, Sunday to Saturday`) {
		t.Errorf("got %v", err)
	}
}

// The ERP's Currency records reach templates and conditions alike, for money_in_words.
func TestSiteTakesTheCurrencyRecords(t *testing.T) {
	erp := dokos
	erp.Currencies = map[string]currency.Record{"EUR": {Fraction: "Centime"}, "INR": {Fraction: "Paisa", NumberFormat: "#,##,###.##"}}
	got, _ := parseSite(t, "").WithERP(erp)
	want := map[string]currency.Record{"EUR": {Fraction: "Centime"}, "INR": {Fraction: "Paisa", NumberFormat: "#,##,###.##"}}
	if r, w := got.Render(), got.Words(); !reflect.DeepEqual(r.Currencies, want) || !reflect.DeepEqual(w.Currencies, want) ||
		w.Language != "fr" || w.Currency != "EUR" || w.NumberFormat != "# ###,##" {
		t.Errorf("templates' %+v, conditions' %+v; want the currencies %+v", r.Currencies, w, want)
	}
	if got, _ := parseSite(t, "").WithERP(dokos); got.Currencies != nil {
		t.Errorf("a site without Currency records: %+v", got.Currencies)
	}
}
