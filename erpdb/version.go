package erpdb

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// ServerVersion returns the server's version number (server_version_num: 150018 for 15.18).
func ServerVersion(ctx context.Context, q Querier) (int, error) {
	rows, err := q.Query(ctx, `SELECT current_setting('server_version_num')::int`)
	if err != nil {
		return 0, fmt.Errorf("server version: %w", err)
	}
	v, err := pgx.CollectExactlyOneRow(rows, pgx.RowTo[int32])
	if err != nil {
		return 0, fmt.Errorf("server version: %w", err)
	}
	return int(v), nil
}
