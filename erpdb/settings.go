package erpdb

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"walnotify/internal/currency"
)

// SystemSettings are the site's formats from the ERP's System Settings (a Single doctype,
// stored in tabSingles), as its fmt_money, formatdate and get_formatted use them. An empty
// field, or a precision of -1, is one the site has not set.
type SystemSettings struct {
	NumberFormat      string // "#,###.##", "# ###,##", ...
	DateFormat        string // "dd-mm-yyyy", "dd/mm/yyyy", ...
	TimeFormat        string // "HH:mm:ss"
	CurrencyPrecision int
	FloatPrecision    int
	TimeZone          string // "Europe/Paris"
	Language          string // "fr", "en", ...
	Currency          string // the site's default currency, "EUR"
	FirstDayOfTheWeek string // the day weeks start on, "Monday"; "" is the ERP's default, Sunday
	// Currencies are the site's Currency records, by name; nil when the site has no Currency
	// table or the role may not read it (money_in_words then takes the ERP's fallbacks).
	Currencies map[string]currency.Record
	// CurrenciesDenied is the server's message when the role may not read the Currency table.
	CurrenciesDenied string
}

// SystemSettings reads the site's System Settings.
func (db *DB) SystemSettings(ctx context.Context) (SystemSettings, error) {
	s := SystemSettings{CurrencyPrecision: -1, FloatPrecision: -1}
	table := pgx.Identifier{db.schema, db.prefix + "Singles"}.Sanitize()
	rows, err := db.pool.Query(ctx, `SELECT field, coalesce(value, '') FROM `+table+` WHERE doctype = 'System Settings'`)
	if err != nil {
		return s, fmt.Errorf("read System Settings: %w", err)
	}
	values, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([2]string, error) {
		var kv [2]string
		return kv, r.Scan(&kv[0], &kv[1])
	})
	if err != nil {
		return s, fmt.Errorf("read System Settings: %w", err)
	}
	precision := func(v string) int {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			return n
		}
		return -1
	}
	for _, kv := range values {
		switch v := kv[1]; kv[0] {
		case "number_format":
			s.NumberFormat = v
		case "date_format":
			s.DateFormat = v
		case "time_format":
			s.TimeFormat = v
		case "currency_precision":
			s.CurrencyPrecision = precision(v)
		case "float_precision":
			s.FloatPrecision = precision(v)
		case "time_zone":
			s.TimeZone = v
		case "language":
			s.Language = v
		case "currency":
			s.Currency = v
		case "first_day_of_the_week":
			s.FirstDayOfTheWeek = v
		}
	}
	if s.Currencies, s.CurrenciesDenied, err = db.currencies(ctx); err != nil {
		return s, err
	}
	return s, nil
}

// currencies reads the site's Currency records: nil, and no error, when there is no Currency
// table or the role may not read it (then with the server's message). A record is read as a
// whole (to_jsonb), so that a column an older ERP lacks (symbol_on_right) is only missing.
func (db *DB) currencies(ctx context.Context) (map[string]currency.Record, string, error) {
	name := db.prefix + "Currency"
	if ok, err := TableExists(ctx, db.pool, db.schema, name); err != nil || !ok {
		return nil, "", err
	}
	table := pgx.Identifier{db.schema, name}.Sanitize()
	rows, err := db.pool.Query(ctx, `SELECT to_jsonb(c) FROM `+table+` c`)
	out := map[string]currency.Record{}
	if err == nil {
		var row currencyRow
		_, err = pgx.ForEachRow(rows, []any{&row}, func() error {
			r := currency.Record{}
			if row.Fraction != nil {
				r.Fraction = *row.Fraction
			}
			if row.FractionUnits != nil {
				r.FractionUnits = *row.FractionUnits
			}
			if row.NumberFormat != nil {
				r.NumberFormat = *row.NumberFormat
			}
			if row.Symbol != nil {
				r.Symbol = *row.Symbol
			}
			if row.SymbolOnRight != nil {
				right := *row.SymbolOnRight != 0
				r.SymbolOnRight = &right
			}
			out[row.Name] = r
			row = currencyRow{} // a column the next record lacks is not this one's
			return nil
		})
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42501" { // insufficient_privilege
		return nil, pgErr.Message, nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("read currencies: %w", err)
	}
	return out, "", nil
}

// currencyRow is a Currency record as to_jsonb gives it: NULL, or a column the table lacks, is nil.
type currencyRow struct {
	Name          string  `json:"name"`
	Fraction      *string `json:"fraction"`
	FractionUnits *int    `json:"fraction_units"`
	NumberFormat  *string `json:"number_format"`
	Symbol        *string `json:"symbol"`
	SymbolOnRight *int    `json:"symbol_on_right"`
}
