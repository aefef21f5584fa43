package erpdb

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"walnotify/cdc"
	"walnotify/render"
)

// DB reads ERP documents from one schema, with a table prefix ("tab").
type DB struct {
	pool   *pgxpool.Pool
	schema string
	prefix string

	mu       sync.Mutex
	children map[string][]ChildTable // doctype -> child tables, cached
	metas    map[string]doctypeMeta  // doctype -> what the reads need of its metadata (lookup.go)
	tables   map[string]bool         // table -> whether it exists, asked once (lookup.go)
}

// New returns a reader. The pool's connections must be set up by Configure.
func New(pool *pgxpool.Pool, schema, prefix string) *DB {
	return &DB{pool: pool, schema: schema, prefix: prefix, children: map[string][]ChildTable{}, metas: map[string]doctypeMeta{}, tables: map[string]bool{}}
}

// Configure sets the session settings under which text values decode as the change stream's
// do (ISO dates, UTC, full float precision) on a pool configuration.
func Configure(cfg *pgxpool.Config) {
	for k, v := range map[string]string{
		"DateStyle":          "ISO",
		"IntervalStyle":      "postgres",
		"TimeZone":           "UTC",
		"extra_float_digits": "3",
	} {
		cfg.ConnConfig.RuntimeParams[k] = v
	}
}

// Table is the quoted, schema-qualified table of a document type.
func (db *DB) Table(doctype string) string {
	return pgx.Identifier{db.schema, db.prefix + doctype}.Sanitize()
}

// ErrNotFound is returned when no document has the name.
var ErrNotFound = errors.New("document not found")

// Load reads the document doctype/name as a row of plain values.
func (db *DB) Load(ctx context.Context, doctype, name string) (cdc.Row, error) {
	rows, err := db.query(ctx, `SELECT * FROM `+db.Table(doctype)+` WHERE name = $1`, name)
	if err != nil {
		return nil, fmt.Errorf("%s %q: %w", doctype, name, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s %q: %w", doctype, name, ErrNotFound)
	}
	return rows[0], nil
}

// OnDay reads the documents whose column (a date or a timestamp) falls on day ("YYYY-MM-DD"),
// the whole calendar day, ordered by name.
func (db *DB) OnDay(ctx context.Context, doctype, column, day string) ([]cdc.Row, error) {
	col := pgx.Identifier{column}.Sanitize()
	rows, err := db.query(ctx, `SELECT * FROM `+db.Table(doctype)+` WHERE `+col+` >= $1::date AND `+col+` < $1::date + 1 ORDER BY name`, day)
	if err != nil {
		return nil, fmt.Errorf("%s on %s = %s: %w", doctype, column, day, err)
	}
	return rows, nil
}

// InWindow reads the documents whose column (a Datetime) is after from and at most upTo, both
// "YYYY-MM-DD HH:MM:SS.ffffff" in the site's time, as the ERP stores them; ordered by name.
func (db *DB) InWindow(ctx context.Context, doctype, column, after, upTo string) ([]cdc.Row, error) {
	col := pgx.Identifier{column}.Sanitize()
	rows, err := db.query(ctx, `SELECT * FROM `+db.Table(doctype)+` WHERE `+col+` > $1::timestamp AND `+col+` <= $2::timestamp ORDER BY name`, after, upTo)
	if err != nil {
		return nil, fmt.Errorf("%s with %s in (%s, %s]: %w", doctype, column, after, upTo, err)
	}
	return rows, nil
}

// ChildTable is a Table field of a document type: doc.<Field> lists rows of Doctype.
type ChildTable struct {
	Field   string
	Doctype string
}

// ChildTables returns the Table fields of a document type (Meta.ChildTables), cached.
func (db *DB) ChildTables(ctx context.Context, doctype string) ([]ChildTable, error) {
	db.mu.Lock()
	cached, ok := db.children[doctype]
	db.mu.Unlock()
	if ok {
		return cached, nil
	}
	out, err := Meta{Q: db.pool, Schema: db.schema, Prefix: db.prefix}.ChildTables(ctx, doctype)
	if err != nil {
		return nil, err
	}
	db.mu.Lock()
	db.children[doctype] = out
	db.mu.Unlock()
	return out, nil
}

// Meta reads the ERP's field metadata (the DocField table) through any connection. Without
// that table (an application that is not Frappe) it knows nothing and says so with no error.
type Meta struct {
	Q      Querier
	Schema string
	Prefix string
}

// metaRows runs a query on the DocField table and returns the rows built by scan; none when the
// table does not exist.
func metaRows[T any](ctx context.Context, m Meta, what, where string, scan func(pgx.CollectableRow) (T, error), args ...any) ([]T, error) {
	exists, err := TableExists(ctx, m.Q, m.Schema, m.Prefix+"DocField")
	if err != nil || !exists {
		return nil, err
	}
	table := pgx.Identifier{m.Schema, m.Prefix + "DocField"}.Sanitize()
	rows, err := m.Q.Query(ctx, `SELECT `+what+` FROM `+table+` WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("field metadata: %w", err)
	}
	out, err := pgx.CollectRows(rows, scan)
	if err != nil {
		return nil, fmt.Errorf("field metadata: %w", err)
	}
	return out, nil
}

// ChildTables returns the Table fields of a document type, in form order.
func (m Meta) ChildTables(ctx context.Context, doctype string) ([]ChildTable, error) {
	out, err := metaRows(ctx, m, "fieldname, options",
		`parent = $1 AND fieldtype IN ('Table', 'Table MultiSelect') AND coalesce(options, '') <> '' ORDER BY idx`,
		func(r pgx.CollectableRow) (ChildTable, error) {
			var c ChildTable
			return c, r.Scan(&c.Field, &c.Doctype)
		}, doctype)
	if err != nil {
		return nil, fmt.Errorf("child tables of %s: %w", doctype, err)
	}
	return out, nil
}

// Fields returns the fields of document types as the ERP's formatters read them (DocField's
// fieldtype, options and precision), by doctype and fieldname, in one query; a type the
// DocField table does not describe (or no DocField table) is absent.
func (m Meta) Fields(ctx context.Context, doctypes []string) (render.Fields, error) {
	type row struct {
		doctype, name string
		f             render.Field
	}
	// A DocField table of another shape (an application that only mimics the ERP) may lack
	// options or precision: they read as empty.
	cols, err := Columns(ctx, m.Q, m.Schema, m.Prefix+"DocField")
	if err != nil {
		return nil, fmt.Errorf("field types: %w", err)
	}
	optional := func(col string) string {
		if _, ok := cols[col]; ok {
			return "coalesce(" + pgx.Identifier{col}.Sanitize() + "::text, '')"
		}
		return "''"
	}
	rows, err := metaRows(ctx, m, "parent, fieldname, coalesce(fieldtype, ''), "+optional("options")+", "+optional("precision"),
		`parent = ANY($1) AND coalesce(fieldname, '') <> ''`,
		func(r pgx.CollectableRow) (row, error) {
			var x row
			return x, r.Scan(&x.doctype, &x.name, &x.f.Type, &x.f.Options, &x.f.Precision)
		}, doctypes)
	if err != nil {
		return nil, fmt.Errorf("field types: %w", err)
	}
	out := render.Fields{}
	for _, x := range rows {
		if out[x.doctype] == nil {
			out[x.doctype] = map[string]render.Field{}
		}
		out[x.doctype][x.name] = x.f
	}
	return out, nil
}

// LockedOnSubmit returns those of fields that may not change once the document is submitted
// (allow_on_submit = 0).
func (m Meta) LockedOnSubmit(ctx context.Context, doctype string, fields []string) ([]string, error) {
	if len(fields) == 0 {
		return nil, nil
	}
	out, err := metaRows(ctx, m, "fieldname", `parent = $1 AND fieldname = ANY($2) AND coalesce(allow_on_submit, 0) = 0`,
		pgx.RowTo[string], doctype, fields)
	if err != nil {
		return nil, fmt.Errorf("metadata of %s: %w", doctype, err)
	}
	return out, nil
}

// Children reads the rows of one child table of a document, in their order (idx), as []any of
// map[string]any so that templates loop over them, each with its "doctype" as the ERP's child
// Documents have it.
func (db *DB) Children(ctx context.Context, parentDoctype, parentName string, c ChildTable) ([]any, error) {
	rows, err := db.query(ctx, `SELECT * FROM `+db.Table(c.Doctype)+`
WHERE parent = $1 AND parenttype = $2 AND parentfield = $3 ORDER BY idx, name`, parentName, parentDoctype, c.Field)
	if err != nil {
		return nil, fmt.Errorf("%s %q: %s: %w", parentDoctype, parentName, c.Field, err)
	}
	out := make([]any, len(rows))
	for i, r := range rows {
		r["doctype"] = c.Doctype // as the ERP's child Documents have it
		out[i] = map[string]any(r)
	}
	return out, nil
}

// query runs a statement with text parameters and text results, decoded as the stream decodes.
func (db *DB) query(ctx context.Context, sql string, args ...string) ([]cdc.Row, error) {
	cols, rows, err := db.queryOrdered(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	out := make([]cdc.Row, len(rows))
	for i, vals := range rows {
		row := make(cdc.Row, len(cols))
		for j, c := range cols {
			row[c] = vals[j]
		}
		out[i] = row
	}
	return out, nil
}

// queryOrdered runs a statement with text parameters and text results, decoded as the stream
// decodes, and gives the columns in their order with each row's values in that order. It goes
// through the connection's statement cache (pgx's, bounded), so that a statement is planned
// once per connection, not on every call: a template's read on every rendering. A statement
// cached before the ERP changed a table (a migration adds a column: "cached plan must not
// change result type") is prepared again, once: pgx drops it from the cache on that error.
func (db *DB) queryOrdered(ctx context.Context, sql string, args ...string) ([]string, [][]any, error) {
	cols, rows, err := db.queryOnce(ctx, sql, args)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "0A000" && strings.Contains(pgErr.Message, "cached plan") {
		cols, rows, err = db.queryOnce(ctx, sql, args)
	}
	return cols, rows, err
}

func (db *DB) queryOnce(ctx context.Context, sql string, args []string) ([]string, [][]any, error) {
	params := make([]any, len(args))
	for i, a := range args {
		params[i] = a
	}
	rows, err := db.pool.Query(ctx, sql, append([]any{pgx.QueryExecModeCacheStatement, pgx.QueryResultFormats{pgx.TextFormatCode}}, params...)...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	fields := rows.FieldDescriptions()
	cols := make([]string, len(fields))
	for i, f := range fields {
		cols[i] = f.Name
	}
	var out [][]any
	for rows.Next() {
		vals := rows.RawValues()
		row := make([]any, len(fields))
		for i, f := range fields {
			if vals[i] != nil {
				row[i] = cdc.DecodeText(f.DataTypeOID, vals[i])
			}
		}
		out = append(out, row)
	}
	return cols, out, rows.Err()
}

// Column is one column of a table.
type Column struct {
	Name string
	// Type is the column's type as format_type prints it: "numeric(21,9)", "character varying(140)".
	Type string
}

// Numeric reports whether the column holds numbers (the ERP casts a property value for such a
// column with cint).
func (c Column) Numeric() bool {
	t := c.Type
	for _, p := range []string{"smallint", "integer", "bigint", "numeric", "real", "double precision"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

// Columns returns the columns of a table by name, or nil when the table does not exist.
func Columns(ctx context.Context, q Querier, schema, table string) (map[string]Column, error) {
	rows, err := q.Query(ctx, `SELECT a.attname, format_type(a.atttypid, a.atttypmod)
FROM pg_attribute a
WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`, pgx.Identifier{schema, table}.Sanitize())
	if err != nil {
		return nil, fmt.Errorf("columns of %s.%s: %w", schema, table, err)
	}
	cols, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Column, error) {
		var c Column
		return c, r.Scan(&c.Name, &c.Type)
	})
	if err != nil {
		return nil, fmt.Errorf("columns of %s.%s: %w", schema, table, err)
	}
	if len(cols) == 0 {
		return nil, nil
	}
	out := make(map[string]Column, len(cols))
	for _, c := range cols {
		out[c.Name] = c
	}
	return out, nil
}

// TableExists reports whether schema.table exists.
func TableExists(ctx context.Context, q Querier, schema, table string) (bool, error) {
	rows, err := q.Query(ctx, `SELECT to_regclass($1) IS NOT NULL`, pgx.Identifier{schema, table}.Sanitize())
	if err != nil {
		return false, fmt.Errorf("look up table %s.%s: %w", schema, table, err)
	}
	ok, err := pgx.CollectExactlyOneRow(rows, pgx.RowTo[bool])
	if err != nil {
		return false, fmt.Errorf("look up table %s.%s: %w", schema, table, err)
	}
	return ok, nil
}

// Querier is what Columns and TableExists need: a pool, a connection or a transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// WaitVisible waits until transaction xid is visible to new snapshots. Logical decoding may
// send a transaction as soon as its commit record is flushed, a moment before the committing
// session makes it visible to others: a query about its rows made in that moment (child rows,
// unchanged values) would not see them.
func (db *DB) WaitVisible(ctx context.Context, xid uint32, within time.Duration) error {
	deadline := time.Now().Add(within)
	for wait := 200 * time.Microsecond; ; wait = min(2*wait, 50*time.Millisecond) {
		var visible bool
		// The 32-bit xid is widened to the xid8 nearest the snapshot's xmax.
		err := db.pool.QueryRow(ctx, `SELECT pg_visible_in_snapshot(
  (x - ((((x % 4294967296) - $1::bigint + 2147483648) % 4294967296 + 4294967296) % 4294967296 - 2147483648))::text::xid8, snap)
FROM (SELECT snap, pg_snapshot_xmax(snap)::text::bigint AS x FROM (SELECT pg_current_snapshot() AS snap) s) t`, int64(xid)).Scan(&visible)
		if err != nil {
			return fmt.Errorf("visibility of transaction %d: %w", xid, err)
		}
		if visible {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("transaction %d not visible after %s", xid, within)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}
