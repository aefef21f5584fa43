package sender

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// expireBatch bounds one expiry statement, so that a million expired rows never make one
// long transaction.
const expireBatch = 10000

// Expire marks pending deliveries created more than maxAge ago dead, without a request each:
// a dead endpoint does not get one POST per expired row, and rows queued behind a head in
// backoff expire on time too. It returns how many rows it marked. Workers skip a row marked
// meanwhile (they mark rows only while they are still pending).
//
// It runs every minute (housekeeping), so it first reads only the head of each webhook's
// queue, its first pending row past the last range (see marker): a queue is in order of
// creation, so a webhook whose head is younger than maxAge has nothing to expire, and its
// pending rows, many thousands in a backlog or before their tidy, are not read. (A row
// replayed keeps its creation time; behind a younger head it waits to be the head.)
func (o *Outbox) Expire(ctx context.Context, maxAge time.Duration) (int64, error) {
	if maxAge <= 0 {
		return 0, nil
	}
	n, err := o.expire(ctx, maxAge)
	if err != nil {
		return n, fmt.Errorf("outbox: expire: %w", err)
	}
	return n, nil
}

func (o *Outbox) expire(ctx context.Context, maxAge time.Duration) (int64, error) {
	rows, err := o.pool.Query(ctx, o.overdueSQL(), maxAge.Seconds())
	if err != nil {
		return 0, err
	}
	overdue, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(overdue) == 0 {
		return 0, err
	}
	reason := "expired: still undelivered after " + maxAge.String() + " ([delivery] max_age)"
	var total int64
	for {
		tag, err := o.pool.Exec(ctx, `UPDATE `+o.table("delivery")+` d
SET status = 'dead', finished_at = now(), last_answer = coalesce(d.last_answer || '; ', '') || $2
WHERE d.id IN (SELECT id FROM `+o.table("delivery")+` p
  WHERE status = 'pending' AND webhook = ANY($4) AND created_at < now() - $1::float8 * interval '1 second' AND `+o.unsettled("p")+`
  ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)`, maxAge.Seconds(), reason, expireBatch, overdue)
		if err != nil {
			return total, err
		}
		total += tag.RowsAffected()
		if tag.RowsAffected() < expireBatch {
			return total, nil
		}
	}
}

// overdueSQL lists the webhooks whose queue head was created more than $1 seconds ago: the
// webhooks with pending rows, found one index probe each (a loose scan of delivery_pending),
// and each one's first pending row past its last range.
func (o *Outbox) overdueSQL() string {
	d := o.table("delivery")
	return `WITH RECURSIVE hooks(webhook) AS (
  SELECT min(webhook) FROM ` + d + ` WHERE status = 'pending'
  UNION ALL
  SELECT (SELECT min(x.webhook) FROM ` + d + ` x WHERE x.status = 'pending' AND x.webhook > h.webhook)
  FROM hooks h WHERE h.webhook IS NOT NULL
)
SELECT h.webhook FROM hooks h
WHERE h.webhook IS NOT NULL AND (
  SELECT p.created_at FROM ` + d + ` p
  WHERE p.status = 'pending' AND p.webhook = h.webhook AND p.id > ` + o.settledEnd("h.webhook") + `
  ORDER BY p.id LIMIT 1) < now() - $1::float8 * interval '1 second'`
}
