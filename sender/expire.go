package sender

import (
	"context"
	"fmt"
	"time"
)

// expireBatch bounds one expiry statement, so that a million expired rows never make one
// long transaction.
const expireBatch = 10000

// Expire marks pending deliveries created more than maxAge ago dead, without a request each:
// a dead endpoint does not get one POST per expired row, and rows queued behind a head in
// backoff expire on time too. It returns how many rows it marked. Workers skip a row marked
// meanwhile (they mark rows only while they are still pending).
func (o *Outbox) Expire(ctx context.Context, maxAge time.Duration) (int64, error) {
	if maxAge <= 0 {
		return 0, nil
	}
	reason := "expired: still undelivered after " + maxAge.String() + " ([delivery] max_age)"
	var total int64
	for {
		tag, err := o.pool.Exec(ctx, `UPDATE `+o.table("delivery")+` d
SET status = 'dead', finished_at = now(), last_answer = coalesce(d.last_answer || '; ', '') || $2
WHERE d.id IN (SELECT id FROM `+o.table("delivery")+` p
  WHERE status = 'pending' AND created_at < now() - $1::float8 * interval '1 second' AND `+o.unsettled("p")+`
  ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)`, maxAge.Seconds(), reason, expireBatch)
		if err != nil {
			return total, fmt.Errorf("outbox: expire: %w", err)
		}
		total += tag.RowsAffected()
		if tag.RowsAffected() < expireBatch {
			return total, nil
		}
	}
}
