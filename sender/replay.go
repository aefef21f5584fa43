package sender

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Selection picks dead deliveries for replay: every set field must match.
type Selection struct {
	Webhook      string
	Notification string
	// Since and Until bound when the notification was raised (the row's created_at).
	Since, Until time.Time
	IDs          []int64
}

// where is the selection as an SQL condition on the delivery table, with its arguments.
func (s Selection) where() (string, []any) {
	conds := []string{"status = 'dead'", "webhook IS NOT NULL"}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if s.Webhook != "" {
		conds = append(conds, "webhook = "+arg(s.Webhook))
	}
	if s.Notification != "" {
		conds = append(conds, "notification = "+arg(s.Notification))
	}
	if !s.Since.IsZero() {
		conds = append(conds, "created_at >= "+arg(s.Since))
	}
	if !s.Until.IsZero() {
		conds = append(conds, "created_at < "+arg(s.Until))
	}
	if len(s.IDs) > 0 {
		conds = append(conds, "id = ANY("+arg(s.IDs)+")")
	}
	return strings.Join(conds, " AND "), args
}

// Dead lists the dead deliveries a selection picks, oldest first, with their stored message.
func (o *Outbox) Dead(ctx context.Context, sel Selection) ([]DeadDelivery, error) {
	where, args := sel.where()
	rows, err := o.pool.Query(ctx, `SELECT id, webhook, notification, doctype, docname, attempts, coalesce(last_answer, ''), coalesce(finished_at, created_at), message
FROM `+o.table("delivery")+` WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("outbox: dead deliveries: %w", err)
	}
	dead, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (DeadDelivery, error) {
		var d DeadDelivery
		var msg []byte
		if err := r.Scan(&d.ID, &d.Webhook, &d.Notification, &d.Doctype, &d.Name, &d.Attempts, &d.Answer, &d.At, &msg); err != nil {
			return d, err
		}
		d.Message = new(Message)
		return d, json.Unmarshal(msg, d.Message)
	})
	if err != nil {
		return nil, fmt.Errorf("outbox: dead deliveries: %w", err)
	}
	return dead, nil
}

// Replay queues dead deliveries again, each at the tail of its webhook's queue (a new id, so
// the order of what is pending is kept), with its attempts reset and its last answer kept
// behind "replayed after: ". A non-nil message replaces the stored one (re-rendered with the
// current rules). It returns the new id of each replayed row; a row no longer dead (replayed
// or purged meanwhile) is skipped.
func (o *Outbox) Replay(ctx context.Context, dead []DeadDelivery) (map[int64]int64, error) {
	replayed := map[int64]int64{}
	err := pgx.BeginFunc(ctx, o.pool, func(tx pgx.Tx) error {
		// The new ids take their turn with enqueues (see Outbox.enqueue): a worker reading
		// past a later id committed first would never see them.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, o.queueKey()); err != nil {
			return fmt.Errorf("queue lock: %w", err)
		}
		woken := map[string]bool{}
		for _, d := range dead {
			var msg []byte
			if d.Message != nil {
				var err error
				if msg, err = json.Marshal(d.Message); err != nil {
					return fmt.Errorf("delivery #%d: encode message: %w", d.ID, err)
				}
			}
			var id int64
			err := tx.QueryRow(ctx, `UPDATE `+o.table("delivery")+`
SET id = DEFAULT, status = 'pending', attempts = 0, next_attempt_at = now(), finished_at = NULL,
  last_answer = 'replayed after: ' || coalesce(last_answer, ''), message = coalesce($2::jsonb, message)
WHERE id = $1 AND status = 'dead' RETURNING id`, d.ID, msg).Scan(&id)
			if err == pgx.ErrNoRows {
				continue
			}
			if err != nil {
				return fmt.Errorf("delivery #%d: %w", d.ID, err)
			}
			replayed[d.ID] = id
			if !woken[d.Webhook] {
				woken[d.Webhook] = true
				if _, err := tx.Exec(ctx, `SELECT pg_notify($1, '')`, o.channel(d.Webhook)); err != nil {
					return fmt.Errorf("notify: %w", err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("outbox: replay: %w", err)
	}
	return replayed, nil
}
