package sender

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"walnotify/internal/sqltext"
)

// settledTableSQL creates the table of delivered ranges not yet tidied (see marker): the
// pending rows of webhook in the delivery table of oid tbl with since < id <= upto were
// delivered, with answer, by the commit at at.
func settledTableSQL(table string) string {
	return `CREATE TABLE IF NOT EXISTS ` + table + ` (
  webhook text NOT NULL,
  tbl     oid NOT NULL,
  since   bigint NOT NULL,
  upto    bigint NOT NULL,
  answer  text NOT NULL,
  at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (webhook, tbl, upto)
)`
}

// tidySQL turns at most $3 of the oldest ranges of webhook $1 (delivery table $2) into row
// marks and deletes them, in one statement; it returns how many ranges and rows it tidied.
// A range tidied twice at once (a purge beside a worker) is tidied once: the second waits for
// the first's delete and finds nothing.
func (o *Outbox) tidySQL() string {
	return `WITH s AS (
  DELETE FROM ` + o.table("settled") + ` x WHERE x.webhook = $1 AND x.tbl = $2 AND x.upto IN (
    SELECT upto FROM ` + o.table("settled") + ` WHERE webhook = $1 AND tbl = $2 ORDER BY upto LIMIT $3)
  RETURNING since, upto, answer, at
), t AS (
  UPDATE ` + o.table("delivery") + ` d
  SET status = 'delivered', attempts = d.attempts + 1, last_answer = s.answer, finished_at = s.at
  FROM s WHERE d.webhook = $1 AND d.status = 'pending' AND d.id > s.since AND d.id <= s.upto
  RETURNING 1
)
SELECT (SELECT count(*) FROM s), (SELECT count(*) FROM t)`
}

// tidy runs tidySQL once for webhook's ranges of delivery table tbl on q (a marker's
// connection, or the pool): it reports whether more ranges may wait, and how many rows it
// marked.
func (o *Outbox) tidy(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}, webhook string, tbl uint32) (more bool, marked int64, err error) {
	var ranges int64
	if err := q.QueryRow(ctx, o.tidySQL(), webhook, tbl, tidyChunk).Scan(&ranges, &marked); err != nil {
		return false, 0, fmt.Errorf("outbox: tidy delivery marks: %w", err)
	}
	return ranges == tidyChunk, marked, nil
}

// settledUpTo is where webhook's queue reads start when nothing else says: past its last
// range not yet tidied, 0 when none waits (every delivered row is then marked as such).
func (o *Outbox) settledUpTo(ctx context.Context, conn *pgx.Conn, webhook string, table uint32) (int64, error) {
	var upto int64
	err := conn.QueryRow(ctx, `SELECT coalesce(max(upto), 0) FROM `+o.table("settled")+` WHERE webhook = $1 AND tbl = $2`, webhook, table).Scan(&upto)
	if err != nil {
		return 0, fmt.Errorf("outbox: read the settled position: %w", err)
	}
	return upto, nil
}

// unsettled is an SQL condition on a delivery row aliased d: no range of its webhook covers it.
// Pending rows that are not unsettled were delivered and wait to be tidied. Ranges end at the
// last delivery sent, and the rest of a webhook's queue is behind it: comparing with the last
// range's end is enough, and reads one index entry.
func (o *Outbox) unsettled(d string) string {
	return d + `.id > ` + o.settledEnd(d+".webhook")
}

// settledEnd is an SQL expression: the end of the last range of the webhook that the SQL
// expression webhook names, 0 when it has none.
func (o *Outbox) settledEnd(webhook string) string {
	return `coalesce((SELECT max(s.upto) FROM ` + o.table("settled") + ` s
  WHERE s.webhook = ` + webhook + ` AND s.tbl = to_regclass(` + sqltext.Literal(o.table("delivery")) + `)), 0)`
}

// Tidy turns every range older than a minute into row marks, whatever its webhook (one no
// longer configured, one whose worker is never idle), and deletes ranges of a delivery table
// made again. It returns how many rows it marked.
func (o *Outbox) Tidy(ctx context.Context) (int64, error) {
	if _, err := o.pool.Exec(ctx, `DELETE FROM `+o.table("settled")+` WHERE tbl <> to_regclass($1)`, o.table("delivery")); err != nil {
		return 0, fmt.Errorf("outbox: tidy delivery marks: %w", err)
	}
	rows, err := o.pool.Query(ctx, `SELECT DISTINCT webhook, tbl FROM `+o.table("settled")+` WHERE at < now() - interval '1 minute'`)
	if err != nil {
		return 0, fmt.Errorf("outbox: tidy delivery marks: %w", err)
	}
	type key struct {
		webhook string
		tbl     uint32
	}
	keys, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (key, error) {
		var k key
		return k, r.Scan(&k.webhook, &k.tbl)
	})
	if err != nil {
		return 0, fmt.Errorf("outbox: tidy delivery marks: %w", err)
	}
	var total int64
	for _, k := range keys {
		for more := true; more; {
			var marked int64
			if more, marked, err = o.tidy(ctx, o.pool, k.webhook, k.tbl); err != nil {
				return total, err
			}
			total += marked
		}
	}
	return total, nil
}
