package erpdb

import (
	"context"
	"testing"
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
	if got != want {
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
