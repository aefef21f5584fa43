package sender

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pglogrepl"
)

// gapTableSQL creates the table of WAL ranges walnotify never saw (a replication slot lost
// behind its position). A gap stays open, and the daemon unhealthy, until an operator
// acknowledges it.
func gapTableSQL(table string) string {
	return `CREATE TABLE IF NOT EXISTS ` + table + ` (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slot            text NOT NULL,
  from_lsn        pg_lsn NOT NULL,
  to_lsn          pg_lsn NOT NULL,
  reason          text NOT NULL,
  detected_at     timestamptz NOT NULL DEFAULT now(),
  acknowledged_at timestamptz
)`
}

// Gap is a range of WAL that walnotify never saw.
type Gap struct {
	ID           int64      `json:"id"`
	Slot         string     `json:"slot"`
	From         string     `json:"from_lsn"`
	To           string     `json:"to_lsn"`
	Reason       string     `json:"reason"`
	DetectedAt   time.Time  `json:"detected_at"`
	Acknowledged *time.Time `json:"acknowledged_at,omitempty"`
}

// RecordGap stores a lost range of WAL.
func (o *Outbox) RecordGap(ctx context.Context, slot string, from, to pglogrepl.LSN, reason string) error {
	_, err := o.pool.Exec(ctx, `INSERT INTO `+o.table("gap")+` (slot, from_lsn, to_lsn, reason) VALUES ($1, $2::text::pg_lsn, $3::text::pg_lsn, $4)`,
		slot, from.String(), to.String(), reason)
	if err != nil {
		return fmt.Errorf("outbox: record gap: %w", err)
	}
	return nil
}

// OpenGaps returns the gaps not acknowledged yet, oldest first.
func (o *Outbox) OpenGaps(ctx context.Context) ([]Gap, error) {
	rows, err := o.pool.Query(ctx, `SELECT id, slot, from_lsn::text, to_lsn::text, reason, detected_at, acknowledged_at
FROM `+o.table("gap")+` WHERE acknowledged_at IS NULL ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("outbox: read gaps: %w", err)
	}
	defer rows.Close()
	var gaps []Gap
	for rows.Next() {
		var g Gap
		if err := rows.Scan(&g.ID, &g.Slot, &g.From, &g.To, &g.Reason, &g.DetectedAt, &g.Acknowledged); err != nil {
			return nil, fmt.Errorf("outbox: read gaps: %w", err)
		}
		gaps = append(gaps, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("outbox: read gaps: %w", err)
	}
	return gaps, nil
}

// AckGaps acknowledges every open gap and returns how many there were.
func (o *Outbox) AckGaps(ctx context.Context) (int64, error) {
	tag, err := o.pool.Exec(ctx, `UPDATE `+o.table("gap")+` SET acknowledged_at = now() WHERE acknowledged_at IS NULL`)
	if err != nil {
		return 0, fmt.Errorf("outbox: acknowledge gaps: %w", err)
	}
	return tag.RowsAffected(), nil
}
