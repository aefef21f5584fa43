package sender

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
)

// stateTables are the tables Migrate creates.
var stateTables = []string{"delivery", "position", "daily_run", "gap", "minutes_run", "settled"}

// stateMissing reports whether err is the database saying the state schema or one of its
// tables does not exist: nothing an entry did, and cured by Heal, never a reason to refuse
// (and so lose) an entry.
func stateMissing(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "42P01" || pe.Code == "3F000") // undefined_table, invalid_schema_name
}

// Heal recreates the state schema and tables when one is missing (dropped by hand, a restore
// without it) and says whether it had to. It reads the catalog first, so that a healthy
// outbox takes no lock.
func (o *Outbox) Heal(ctx context.Context) (bool, error) {
	missing := false
	for _, t := range stateTables {
		var exists bool
		if err := o.pool.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, o.table(t)).Scan(&exists); err != nil {
			return false, fmt.Errorf("outbox: look up %s: %w", o.table(t), err)
		}
		if !exists {
			missing = true
			break
		}
	}
	if !missing {
		return false, nil
	}
	if err := o.Migrate(ctx); err != nil {
		return false, err
	}
	return true, nil
}
