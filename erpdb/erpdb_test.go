package erpdb

import (
	"context"
	"errors"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"walnotify/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func newDB(t testing.TB) *DB {
	t.Helper()
	db, _ := newTestDB(t)
	return db
}

// newTestDB is newDB with the test database it reads.
func newTestDB(t testing.TB) (*DB, *pgtest.DB) {
	t.Helper()
	db := pgtest.NewDB(t)
	db.LoadFrappeSchema(t)
	// Hostile session defaults: values must still read as the stream gives them.
	db.Exec(t, `ALTER DATABASE `+db.Name+` SET "DateStyle" = 'SQL, DMY'; ALTER DATABASE `+db.Name+` SET "TimeZone" = 'America/New_York'`)
	cfg, err := pgxpool.ParseConfig(db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	Configure(cfg)
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return New(pool, "public", "tab"), db
}

func TestLoadReadsPlainValues(t *testing.T) {
	d := newDB(t)
	row, err := d.Load(context.Background(), "Sales Invoice", "ACC-SINV-2025-00041")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"name": "ACC-SINV-2025-00041", "docstatus": int64(1), "grand_total": 45000.5,
		"currency": "EUR", "posting_date": "2025-03-10", "modified": "2025-03-10 10:44:03.918211",
	}
	for k, v := range want {
		if !reflect.DeepEqual(row[k], v) {
			t.Errorf("%s = %#v, want %#v", k, row[k], v)
		}
	}
	if _, err := d.Load(context.Background(), "Sales Invoice", "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing document: %v", err)
	}
}

func TestChildTablesComeFromTheMetadata(t *testing.T) {
	d := newDB(t)
	ctx := context.Background()
	kids, err := d.ChildTables(ctx, "Sales Invoice")
	if err != nil {
		t.Fatal(err)
	}
	if len(kids) == 0 || kids[0] != (ChildTable{Field: "items", Doctype: "Sales Invoice Item"}) {
		t.Fatalf("ChildTables = %+v", kids)
	}
	rows, err := d.Children(ctx, "Sales Invoice", "ACC-SINV-2025-00041", kids[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("%d items, want 3", len(rows))
	}
	first := rows[0].(map[string]any)
	if first["idx"] != int64(1) || first["item_code"] != "SRV-CONSEIL" || first["amount"] != 30000.0 || first["doctype"] != "Sales Invoice Item" {
		t.Errorf("first item = %v", first)
	}
	if none, _ := d.ChildTables(ctx, "Issue"); len(none) != 0 {
		t.Errorf("Issue has child tables %v", none)
	}
}

func TestOnDayCoversTheWholeDay(t *testing.T) {
	d := newDB(t)
	rows, err := d.OnDay(context.Background(), "Issue", "creation", "2025-03-14")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range rows {
		names = append(names, r["name"].(string))
	}
	if !reflect.DeepEqual(names, []string{"ISS-2025-00017", "ISS-2025-00018"}) {
		t.Errorf("issues created on 2025-03-14: %v", names)
	}
}

func TestColumns(t *testing.T) {
	d := newDB(t)
	cols, err := Columns(context.Background(), d.pool, "public", "tabSales Invoice")
	if err != nil {
		t.Fatal(err)
	}
	if c := cols["grand_total"]; c.Type != "numeric(21,9)" || !c.Numeric() {
		t.Errorf("grand_total = %+v", c)
	}
	if c := cols["status"]; c.Numeric() {
		t.Errorf("status is numeric: %+v", c)
	}
	if none, err := Columns(context.Background(), d.pool, "public", "tabNothing"); none != nil || err != nil {
		t.Errorf("missing table: %v, %v", none, err)
	}
}

func TestWaitVisibleWaitsForTheCommitToShow(t *testing.T) {
	d := newDB(t)
	ctx := context.Background()
	conn, err := d.pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var xid int64
	if err := tx.QueryRow(ctx, `SELECT pg_current_xact_id()::text::bigint % 4294967296`).Scan(&xid); err != nil {
		t.Fatal(err)
	}
	if err := d.WaitVisible(ctx, uint32(xid), 50*time.Millisecond); err == nil {
		t.Fatal("a transaction in progress counts as visible")
	}
	done := make(chan error, 1)
	go func() { done <- d.WaitVisible(ctx, uint32(xid), 10*time.Second) }()
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("after commit: %v", err)
	}
	// An old, long committed transaction is visible at once.
	if err := d.WaitVisible(ctx, uint32(xid)-1, time.Millisecond); err != nil {
		t.Errorf("older transaction: %v", err)
	}
}

func TestLockedOnSubmitFollowsTheMetadata(t *testing.T) {
	d := newDB(t)
	ctx := context.Background()
	var open, locked string
	err := d.pool.QueryRow(ctx, `SELECT
  (SELECT fieldname FROM "tabDocField" WHERE parent = 'Sales Invoice' AND allow_on_submit = 1 ORDER BY idx LIMIT 1),
  (SELECT fieldname FROM "tabDocField" WHERE parent = 'Sales Invoice' AND allow_on_submit = 0 AND fieldtype = 'Data' ORDER BY idx LIMIT 1)`).Scan(&open, &locked)
	if err != nil {
		t.Fatal(err)
	}
	m := Meta{Q: d.pool, Schema: "public", Prefix: "tab"}
	got, err := m.LockedOnSubmit(ctx, "Sales Invoice", []string{open, locked})
	if err != nil || len(got) != 1 || got[0] != locked {
		t.Fatalf("LockedOnSubmit(%s, %s) = %v, %v; want [%s]", open, locked, got, err, locked)
	}
	none, err := Meta{Q: d.pool, Schema: "public", Prefix: "nometa_"}.LockedOnSubmit(ctx, "Sales Invoice", []string{locked})
	if err != nil || none != nil {
		t.Errorf("without metadata: %v, %v", none, err)
	}
}

// A migration of the ERP adds a column to a table whose statements a connection has cached: the
// next read prepares them again instead of failing ("cached plan must not change result type").
func TestReadsSurviveATableChange(t *testing.T) {
	ctx := context.Background()
	// One connection, so that every read finds the statement the first one cached.
	cfg := newDB(t).pool.Config()
	cfg.MaxConns = 1
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	d := New(pool, "public", "tab")
	for range 2 {
		if _, err := d.Load(ctx, "Issue", "ISS-2025-00017"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.pool.Exec(ctx, `ALTER TABLE "tabIssue" ADD COLUMN "custom_note" text DEFAULT 'added'`); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		row, err := d.Load(ctx, "Issue", "ISS-2025-00017")
		if err != nil {
			t.Fatalf("after ALTER TABLE: %v", err)
		}
		if row["custom_note"] != "added" {
			t.Errorf("custom_note = %#v, want the new column's value", row["custom_note"])
		}
	}
}
