package sender

import (
	"context"
	"fmt"
	"time"
)

// RecordMinutesRun records that the Minutes Before / Minutes After pass of a notification
// covered every window up to until (the ERP's datetime_last_run).
func (o *Outbox) RecordMinutesRun(ctx context.Context, notification string, until time.Time) error {
	_, err := o.pool.Exec(ctx, `INSERT INTO `+o.table("minutes_run")+` (notification, until) VALUES ($1, $2)
ON CONFLICT (notification) DO UPDATE SET until = excluded.until`, notification, until)
	if err != nil {
		return fmt.Errorf("outbox: record minutes run of %q: %w", notification, err)
	}
	return nil
}

// LastMinutesRun returns the end of the last window the pass covered for a notification, or
// nil when it never ran.
func (o *Outbox) LastMinutesRun(ctx context.Context, notification string) (*time.Time, error) {
	var last *time.Time
	if err := o.pool.QueryRow(ctx, `SELECT max(until) FROM `+o.table("minutes_run")+` WHERE notification = $1`, notification).Scan(&last); err != nil {
		return nil, fmt.Errorf("outbox: last minutes run of %q: %w", notification, err)
	}
	return last, nil
}
