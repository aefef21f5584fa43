package prereq

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"

	"walnotify/cdc"
	"walnotify/erpdb"
	"walnotify/rules"
)

// Catalog is what the database says about the tables the rules use. Reading it needs no
// privilege beyond the system catalogs, except the field metadata (tabDocField), which is read
// when the connection may.
type Catalog struct {
	// Tables are the tables of the ERP schema, sorted.
	Tables []string
	// Columns of each table the enabled rules use that exists.
	Columns map[string]map[string]erpdb.Column
	// DocField: the ERP's field metadata table exists; Metadata: it could be read.
	DocField, Metadata bool
	// NotificationLog and NotificationSettings: the ERP keeps system notifications.
	NotificationLog, NotificationSettings bool
	// Children are the child tables (that exist) of each watched document type, by doctype.
	Children map[string][]erpdb.ChildTable
	// Locked are the written fields the ERP forbids changing after submit, by doctype.
	Locked map[string][]string
	// Singles are the single document types (System Settings, ...), sorted; nil when the
	// connection may not read the Singles table.
	Singles []string
}

// Inspect reads the catalog for cfg's enabled rules.
func Inspect(ctx context.Context, q erpdb.Querier, cfg *rules.Config) (*Catalog, error) {
	db := cfg.Database
	rows, err := q.Query(ctx, `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY 1`, db.Schema)
	if err != nil {
		return nil, fmt.Errorf("tables of schema %s: %w", db.Schema, err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("tables of schema %s: %w", db.Schema, err)
	}
	cat := &Catalog{Tables: tables, Columns: map[string]map[string]erpdb.Column{},
		Children: map[string][]erpdb.ChildTable{}, Locked: map[string][]string{}}
	cat.DocField = cat.has(cfg.TableName("DocField"))
	cat.NotificationLog = cat.has(cfg.TableName("Notification Log"))
	cat.NotificationSettings = cat.has(cfg.TableName("Notification Settings"))
	if cat.DocField {
		if cat.Metadata, err = scalar[bool](ctx, q, `SELECT has_table_privilege($1, 'SELECT')`, quote(table(cfg, "DocField"))); err != nil {
			return nil, fmt.Errorf("field metadata: %w", err)
		}
	}
	meta := erpdb.Meta{Q: q, Schema: db.Schema, Prefix: *db.TablePrefix}
	for _, u := range uses(cfg) {
		if !cat.has(u.Table.Name) {
			continue
		}
		if cat.Columns[u.Table.Name], err = erpdb.Columns(ctx, q, u.Table.Schema, u.Table.Name); err != nil {
			return nil, err
		}
		if !cat.Metadata {
			continue
		}
		if err := cat.addChildren(ctx, meta, cfg, u.Doctype); err != nil {
			return nil, err
		}
		if cat.Locked[u.Doctype], err = meta.LockedOnSubmit(ctx, u.Doctype, u.WriteColumns); err != nil {
			return nil, err
		}
	}
	if cat.Singles, err = singles(ctx, q, cfg, cat); err != nil {
		return nil, err
	}
	// The child tables of the document types templates read (frappe.get_doc reads them).
	for _, r := range cfg.ReadDoctypes() {
		if _, known := cat.Children[r.Doctype]; known || !cat.Metadata {
			continue
		}
		if err := cat.addChildren(ctx, meta, cfg, r.Doctype); err != nil {
			return nil, err
		}
	}
	return cat, nil
}

// addChildren reads the child tables of a document type into Children, those that exist.
func (c *Catalog) addChildren(ctx context.Context, meta erpdb.Meta, cfg *rules.Config, doctype string) error {
	kids, err := meta.ChildTables(ctx, doctype)
	if err != nil {
		return err
	}
	for _, k := range kids {
		if c.has(cfg.TableName(k.Doctype)) {
			c.Children[doctype] = append(c.Children[doctype], k)
		}
	}
	return nil
}

// singles reads the single document types: those the Singles table holds values of, and those
// the DocType table marks single; nil when Singles cannot be read.
func singles(ctx context.Context, q erpdb.Querier, cfg *rules.Config, cat *Catalog) ([]string, error) {
	t := table(cfg, "Singles")
	if !cat.has(t.Name) {
		return nil, nil
	}
	if ok, err := scalar[bool](ctx, q, `SELECT has_table_privilege($1, 'SELECT')`, quote(t)); err != nil || !ok {
		return nil, err
	}
	sql := `SELECT DISTINCT doctype FROM ` + quote(t)
	if dt := table(cfg, "DocType"); cat.has(dt.Name) {
		if ok, err := scalar[bool](ctx, q, `SELECT has_table_privilege($1, 'SELECT')`, quote(dt)); err != nil {
			return nil, err
		} else if ok {
			sql += ` UNION SELECT name FROM ` + quote(dt) + ` WHERE issingle = 1`
		}
	}
	rows, err := q.Query(ctx, sql+` ORDER BY 1`)
	if err != nil {
		return nil, fmt.Errorf("single document types: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("single document types: %w", err)
	}
	if out == nil {
		out = []string{} // read, and none: not nil, which means unknown
	}
	return out, nil
}

// has reports whether the ERP schema holds the table.
func (c *Catalog) has(name string) bool {
	i := sort.SearchStrings(c.Tables, name)
	return i < len(c.Tables) && c.Tables[i] == name
}

// uses are the tables of the enabled notifications.
func uses(cfg *rules.Config) []rules.TableUse { return cfg.Tables() }

func table(cfg *rules.Config, doctype string) cdc.Table {
	return cdc.Table{Schema: cfg.Database.Schema, Name: cfg.TableName(doctype)}
}

// quote is a table's quoted, schema-qualified name.
func quote(t cdc.Table) string { return pgx.Identifier{t.Schema, t.Name}.Sanitize() }

func quoteList(ts []cdc.Table) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = quote(t)
	}
	return strings.Join(s, ", ")
}

func ident(s string) string { return pgx.Identifier{s}.Sanitize() }

// scalar runs a query that returns one value.
func scalar[T any](ctx context.Context, q erpdb.Querier, sql string, args ...any) (T, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		var zero T
		return zero, err
	}
	return pgx.CollectExactlyOneRow(rows, pgx.RowTo[T])
}
