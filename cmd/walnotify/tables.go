package main

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"walnotify/cdc"
	"walnotify/erpdb"
)

// The helpers below serve run.go.

// replicaIdentityFull reports whether the table's replica identity is FULL.
func replicaIdentityFull(ctx context.Context, q erpdb.Querier, t cdc.Table) (bool, error) {
	rows, err := q.Query(ctx, `SELECT relreplident = 'f' FROM pg_class WHERE oid = to_regclass($1)`, quoteTable(t))
	if err != nil {
		return false, err
	}
	full, err := pgx.CollectExactlyOneRow(rows, pgx.RowTo[bool])
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return full, err
}

func quoteTable(t cdc.Table) string { return pgx.Identifier{t.Schema, t.Name}.Sanitize() }
