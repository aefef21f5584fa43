package erpdb

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"walnotify/internal/currency"
)

func TestSystemSettingsAreTheSitesFormats(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	got, err := db.SystemSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := SystemSettings{NumberFormat: "#,###.##", DateFormat: "dd-mm-yyyy", TimeFormat: "HH:mm:ss",
		CurrencyPrecision: 2, FloatPrecision: 3, TimeZone: "Europe/Paris", Language: "fr", Currency: "EUR",
		FirstDayOfTheWeek: "Monday"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}

	if _, err := db.pool.Exec(ctx, `DELETE FROM "tabSingles" WHERE doctype = 'System Settings' AND field IN ('currency_precision', 'float_precision')`); err != nil {
		t.Fatal(err)
	}
	got, err = db.SystemSettings(ctx)
	if err != nil || got.CurrencyPrecision != -1 || got.FloatPrecision != -1 {
		t.Errorf("unset precisions: %+v, %v", got, err)
	}
}

func TestSystemSettingsReadTheCurrencyRecords(t *testing.T) {
	db, tdb := newTestDB(t)
	ctx := context.Background()
	if _, err := db.pool.Exec(ctx, `CREATE TABLE "tabCurrency" (name varchar(140) PRIMARY KEY, fraction varchar(140),
		fraction_units bigint, number_format varchar(140), symbol varchar(140), smallest_currency_fraction_value numeric, enabled smallint);
		INSERT INTO "tabCurrency" (name, fraction, fraction_units, number_format, symbol) VALUES
		('USD', 'Cent', 100, '#,###.##', '$'), ('INR', 'Paisa', 100, '#,##,###.##', '₹'), ('XOF', NULL, NULL, NULL, 'CFA')`); err != nil {
		t.Fatal(err)
	}
	got, err := db.SystemSettings(ctx)
	want := map[string]currency.Record{"USD": {Fraction: "Cent", FractionUnits: 100, NumberFormat: "#,###.##", Symbol: "$"},
		"INR": {Fraction: "Paisa", FractionUnits: 100, NumberFormat: "#,##,###.##", Symbol: "₹"}, "XOF": {Symbol: "CFA"}}
	if err != nil || !reflect.DeepEqual(got.Currencies, want) {
		t.Errorf("a table without symbol_on_right: %+v, %v; want %+v", got.Currencies, err, want)
	}

	// Frappe 13 and later say where the symbol goes; a record that leaves it unset says nothing.
	if _, err := db.pool.Exec(ctx, `ALTER TABLE "tabCurrency" ADD COLUMN symbol_on_right smallint;
		UPDATE "tabCurrency" SET symbol_on_right = 1 WHERE name = 'XOF'; UPDATE "tabCurrency" SET symbol_on_right = 0 WHERE name = 'USD'`); err != nil {
		t.Fatal(err)
	}
	got, err = db.SystemSettings(ctx)
	right, left := true, false
	want["XOF"] = currency.Record{Symbol: "CFA", SymbolOnRight: &right}
	want["USD"] = currency.Record{Fraction: "Cent", FractionUnits: 100, NumberFormat: "#,###.##", Symbol: "$", SymbolOnRight: &left}
	if err != nil || !reflect.DeepEqual(got.Currencies, want) {
		t.Errorf("with symbol_on_right: %+v, %v; want %+v", got.Currencies, err, want)
	}

	// A role that may not read them leaves them to the ERP's fallbacks.
	if _, err := db.pool.Exec(ctx, `CREATE ROLE walnotify_no_currency; GRANT USAGE ON SCHEMA public TO walnotify_no_currency;
		GRANT SELECT ON "tabSingles" TO walnotify_no_currency`); err != nil {
		t.Fatal(err)
	}
	pool := tdb.PoolAs(t, "walnotify_no_currency", Configure)
	got, err = New(pool, "public", "tab").SystemSettings(ctx)
	if err != nil || got.Currencies != nil || got.Language != "fr" || !strings.Contains(got.CurrenciesDenied, "permission denied") {
		t.Errorf("without the right to read tabCurrency: %+v, %v; want the settings without currencies", got, err)
	}
}
