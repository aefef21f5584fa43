package erpdb

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"walnotify/frappedb"
)

// The reads templates make with frappe.db.get_value and its kin (frappedb.Lookup). Every name
// is quoted as an identifier and every value is a parameter: what a template or a document
// holds never becomes SQL text.

var _ frappedb.Lookup = (*DB)(nil)

// Rows runs a template's read: SELECT the fields FROM the document type's table WHERE every
// filter holds, in the given order or the document type's own, at most q.Limit rows.
func (db *DB) Rows(ctx context.Context, q frappedb.Query) ([]string, [][]any, error) {
	var sql strings.Builder
	sql.WriteString("SELECT ")
	switch {
	case q.Count:
		sql.WriteString("count(*)")
	case len(q.Fields) == 1 && q.Fields[0] == "*":
		sql.WriteString("*")
	default:
		for i, f := range q.Fields {
			if i > 0 {
				sql.WriteString(", ")
			}
			sql.WriteString(pgx.Identifier{f}.Sanitize())
		}
	}
	sql.WriteString(" FROM " + db.Table(q.Doctype))
	var args []string
	for i, f := range q.Filters {
		if i == 0 {
			sql.WriteString(" WHERE ")
		} else {
			sql.WriteString(" AND ")
		}
		cond, err := condition(f, &args)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", q.Doctype, err)
		}
		sql.WriteString(cond)
	}
	if !q.Count {
		order := q.Order
		if len(order) == 0 {
			var err error
			m, err := db.meta(ctx, q.Doctype)
			if err != nil {
				return nil, nil, err
			}
			order = m.order
		}
		for i, o := range order {
			if i == 0 {
				sql.WriteString(" ORDER BY ")
			} else {
				sql.WriteString(", ")
			}
			sql.WriteString(pgx.Identifier{o.Field}.Sanitize())
			if o.Desc {
				sql.WriteString(" DESC")
			}
		}
		if q.Limit > 0 {
			sql.WriteString(" LIMIT " + strconv.Itoa(q.Limit))
		}
	}
	cols, rows, err := db.queryOrdered(ctx, sql.String(), args...)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", q.Doctype, err)
	}
	return cols, rows, nil
}

// condition is one filter as SQL, its values appended to args as text parameters.
func condition(f frappedb.Filter, args *[]string) (string, error) {
	col := pgx.Identifier{f.Field}.Sanitize()
	param := func(v any) string {
		*args = append(*args, paramText(v))
		p := "$" + strconv.Itoa(len(*args))
		switch v.(type) {
		case int64, float64:
			// A number, as the ERP writes it into its SQL: a numeric literal, which compares
			// with any number column (docstatus < 1.5).
			return p + "::numeric"
		}
		return p // text: PostgreSQL reads it as the column's type, as the ERP's quoted literal
	}
	switch f.Op {
	case "=", "!=":
		if f.Value == nil {
			if f.Op == "=" {
				return col + " IS NULL", nil
			}
			return col + " IS NOT NULL", nil
		}
		op := map[string]string{"=": "=", "!=": "<>"}[f.Op]
		return col + " " + op + " " + param(f.Value), nil
	case "<", ">", "<=", ">=":
		return col + " " + f.Op + " " + param(f.Value), nil
	case "like", "not like":
		// The ERP's PostgreSQL database reads like as ilike.
		op := map[string]string{"like": "ILIKE", "not like": "NOT ILIKE"}[f.Op]
		return col + "::text " + op + " " + param(f.Value), nil
	case "in", "not in":
		list, _ := f.Value.([]any)
		if len(list) == 0 {
			return map[string]string{"in": "false", "not in": "true"}[f.Op], nil
		}
		ps := make([]string, len(list))
		for i, v := range list {
			ps[i] = param(v)
		}
		op := map[string]string{"in": " IN (", "not in": " NOT IN ("}[f.Op]
		return col + op + strings.Join(ps, ", ") + ")", nil
	case "between":
		list, _ := f.Value.([]any)
		if len(list) != 2 {
			return "", fmt.Errorf("between on %s takes two values", f.Field)
		}
		return col + " BETWEEN " + param(list[0]) + " AND " + param(list[1]), nil
	case "is":
		// The ERP's "set" is ifnull(field, '') != ''.
		if f.Value == "set" {
			return "(" + col + " IS NOT NULL AND " + col + "::text <> '')", nil
		}
		return "(" + col + " IS NULL OR " + col + "::text = '')", nil
	}
	return "", fmt.Errorf("operator %q is not supported", f.Op)
}

// paramText is a filter's value as a text parameter, which PostgreSQL reads as the column's
// type.
func paramText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64) // no exponent: numeric, float and int columns read it
	}
	return fmt.Sprint(v)
}

// doctypeMeta is what the reads need of a document type's metadata, read once a run (DB.metas).
type doctypeMeta struct {
	order  []frappedb.Order  // its lists' order: its DocType's sort field and order, creation desc without
	single bool              // its DocType marks it single
	types  map[string]string // its fields' types (DocField), for a single one's values
}

// meta reads a document type's metadata, once: the DocType and DocField tables may be
// missing (an application that only mimics the ERP), which leaves the defaults.
func (db *DB) meta(ctx context.Context, doctype string) (doctypeMeta, error) {
	db.mu.Lock()
	cached, ok := db.metas[doctype]
	db.mu.Unlock()
	if ok {
		return cached, nil
	}
	m := doctypeMeta{order: []frappedb.Order{{Field: "creation", Desc: true}}, types: map[string]string{}}
	exists, err := db.exists(ctx, db.prefix+"DocType")
	if err != nil {
		return m, err
	}
	if exists {
		var field, dir string
		err := db.pool.QueryRow(ctx, `SELECT coalesce(sort_field, ''), coalesce(sort_order, ''), issingle = 1 FROM `+
			pgx.Identifier{db.schema, db.prefix + "DocType"}.Sanitize()+` WHERE name = $1`, doctype).Scan(&field, &dir, &m.single)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
		case err != nil:
			return m, fmt.Errorf("metadata of %s: %w", doctype, err)
		case field != "":
			m.order = []frappedb.Order{{Field: field, Desc: !strings.EqualFold(dir, "asc")}}
		}
	}
	fields, err := Meta{Q: db.pool, Schema: db.schema, Prefix: db.prefix}.Fields(ctx, []string{doctype})
	if err != nil {
		return m, err
	}
	for name, f := range fields[doctype] {
		m.types[name] = f.Type
	}
	db.mu.Lock()
	db.metas[doctype] = m
	db.mu.Unlock()
	return m, nil
}

// exists reports whether a table of the ERP's schema exists, asked once a run.
func (db *DB) exists(ctx context.Context, table string) (bool, error) {
	db.mu.Lock()
	known, ok := db.tables[table]
	db.mu.Unlock()
	if ok {
		return known, nil
	}
	known, err := TableExists(ctx, db.pool, db.schema, table)
	if err != nil {
		return false, err
	}
	db.mu.Lock()
	db.tables[table] = known
	db.mu.Unlock()
	return known, nil
}

// Document reads a document and its child tables (those whose table exists), for
// frappe.get_doc; nil when there is no document of that name.
func (db *DB) Document(ctx context.Context, doctype, name string) (map[string]any, error) {
	row, err := db.Load(ctx, doctype, name)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	kids, err := db.ChildTables(ctx, doctype)
	if err != nil {
		return nil, err
	}
	for _, c := range kids {
		exists, err := db.exists(ctx, db.prefix+c.Doctype)
		if err != nil {
			return nil, err
		}
		if !exists {
			continue // a child table the site does not have: the field is missing, as in the pipeline
		}
		if row[c.Field], err = db.Children(ctx, doctype, name, c); err != nil {
			return nil, err
		}
	}
	row["doctype"] = doctype
	return row, nil
}

// noValue are the field types that hold no value (layout and child tables).
var noValue = map[string]bool{
	"Section Break": true, "Column Break": true, "Tab Break": true, "HTML": true, "Button": true,
	"Image": true, "Fold": true, "Heading": true, "Table": true, "Table MultiSelect": true,
}

// Single reads the fields of a single document type (stored in the Singles table), each typed
// by its DocField as the ERP's get_single_value casts it: Int and Check as int64, Float,
// Currency and Percent as float64, NULL dates as nil, other types as text ("" when unset); a
// value without a DocField is text. A document type is single when the Singles table holds
// values of it or its DocType says so.
func (db *DB) Single(ctx context.Context, doctype string) (map[string]any, bool, error) {
	exists, err := db.exists(ctx, db.prefix+"Singles")
	if err != nil || !exists {
		return nil, false, err
	}
	m, err := db.meta(ctx, doctype)
	if err != nil {
		return nil, false, err
	}
	rows, err := db.pool.Query(ctx, `SELECT field, value FROM `+pgx.Identifier{db.schema, db.prefix + "Singles"}.Sanitize()+
		` WHERE doctype = $1`, doctype)
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", doctype, err)
	}
	stored := map[string]*string{}
	var field string
	var value *string
	if _, err := pgx.ForEachRow(rows, []any{&field, &value}, func() error {
		stored[field] = value
		return nil
	}); err != nil {
		return nil, false, fmt.Errorf("%s: %w", doctype, err)
	}
	if len(stored) == 0 && !m.single {
		return nil, false, nil // no single document type, or one none of whose fields is set yet
	}
	out := map[string]any{"name": doctype, "doctype": doctype}
	for name, fieldtype := range m.types {
		if !noValue[fieldtype] {
			out[name] = cast(fieldtype, stored[name])
		}
	}
	for name, v := range stored { // values without a DocField are text, as stored
		if _, typed := m.types[name]; !typed && v != nil {
			out[name] = *v
		}
	}
	return out, true, nil
}

// cast is the ERP's cast(fieldtype, value) of a stored single value.
func cast(fieldtype string, v *string) any {
	s := ""
	if v != nil {
		s = strings.TrimSpace(*v)
	}
	switch fieldtype {
	case "Int", "Check":
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return int64(0)
		}
		return int64(f)
	case "Float", "Currency", "Percent":
		f, _ := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
		return f
	case "Date", "Datetime", "Time":
		if s == "" {
			return nil
		}
		return s
	}
	if v == nil {
		return ""
	}
	return *v
}
