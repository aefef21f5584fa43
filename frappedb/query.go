package frappedb

import "context"

// Query is one read a call asks for: the rows of a document type that match every filter, in
// order, at most Limit of them, or how many there are.
type Query struct {
	Doctype string
	Fields  []string // column names; "*" alone is every column
	Filters []Filter // all must match
	Order   []Order  // empty: the document type's own order (its sort field and order)
	Limit   int      // most rows to read; 0 is no bound but the Lookup's own
	Count   bool     // count the rows instead: one row of one int64
}

// Filter is one condition of a Query, as the ERP writes them: {"status": "Open"},
// {"qty": [">", 5]}, [["status", "in", ["Open", "Replied"]]].
type Filter struct {
	Field string
	Op    string // =, !=, <, >, <=, >=, like, not like, in, not in, between, is
	Value any    // a []any for in, not in and between; "set" or "not set" for is; nil for NULL
}

// Order is one key of a Query's order.
type Order struct {
	Field string
	Desc  bool
}

// Lookup reads the ERP's tables (package erpdb). A Session without one fails where a call
// reads.
type Lookup interface {
	// Rows reads what q asks for: the columns, in the table's order for "*", and the rows'
	// values in that order, as the change stream decodes them.
	Rows(ctx context.Context, q Query) (columns []string, rows [][]any, err error)
	// Document reads a document with its child tables (doc.items), its values as the change
	// stream decodes them; nil when there is no such document.
	Document(ctx context.Context, doctype, name string) (map[string]any, error)
	// Single reads the fields of a single document type (System Settings, ...), each typed by
	// its field type as the ERP's get_single_value gives it; ok is false when doctype is not
	// a single one.
	Single(ctx context.Context, doctype string) (fields map[string]any, ok bool, err error)
}
