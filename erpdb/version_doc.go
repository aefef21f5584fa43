package erpdb

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Version is one row of the ERP's document history (tabVersion): what a save changed.
type Version struct {
	Name     string
	Creation string
	// Data is the JSON the ERP wrote: {"changed": [[field, old, new], ...], "added": ...}.
	Data string
}

// DocumentVersion reads the version of a document named name, or its latest when name is "".
func (db *DB) DocumentVersion(ctx context.Context, doctype, docname, name string) (Version, error) {
	sql := `SELECT name, coalesce(creation::text, ''), coalesce(data, '') FROM ` + db.Table("Version") + `
WHERE ref_doctype = $1 AND docname = $2`
	args := []any{doctype, docname}
	if name != "" {
		sql += ` AND name = $3`
		args = append(args, name)
	}
	sql += ` ORDER BY creation DESC, name DESC LIMIT 1`
	var v Version
	err := db.pool.QueryRow(ctx, sql, args...).Scan(&v.Name, &v.Creation, &v.Data)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return v, fmt.Errorf("%s %q: no such version in the document's history: %w", doctype, docname, ErrNotFound)
	case err != nil:
		return v, fmt.Errorf("%s %q: version: %w", doctype, docname, err)
	}
	return v, nil
}
