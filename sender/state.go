package sender

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// State is walnotify's health as the database sees it: the slot and the outbox.
type State struct {
	Slot struct {
		Name       string  `json:"name"`
		Exists     bool    `json:"exists"`
		Active     bool    `json:"active"`
		LagBytes   int64   `json:"lag_bytes"`
		LagSeconds float64 `json:"lag_seconds"`
		Confirmed  string  `json:"confirmed_flush_lsn"`
	} `json:"slot"`
	Webhooks         []WebhookState `json:"webhooks"`
	Dead             []DeadDelivery `json:"dead"`
	LastDelivery     *time.Time     `json:"last_delivery"`
	OldestPendingAge float64        `json:"oldest_pending_seconds"`
	// Gaps are the ranges of WAL lost with the slot that no operator acknowledged yet.
	Gaps []Gap `json:"gaps"`
}

// WebhookState is the outbox of one webhook.
type WebhookState struct {
	Webhook          string     `json:"webhook"`
	Pending          int64      `json:"pending"`
	OldestPendingAge float64    `json:"oldest_pending_seconds"`
	Dead             int64      `json:"dead"`
	LastDelivery     *time.Time `json:"last_delivery"`
}

// DeadDelivery is a delivery given up, with the last answer.
type DeadDelivery struct {
	ID           int64     `json:"id"`
	Webhook      string    `json:"webhook"`
	Notification string    `json:"notification"`
	Doctype      string    `json:"doctype"`
	Name         string    `json:"name"`
	Attempts     int       `json:"attempts"`
	Answer       string    `json:"answer"`
	At           time.Time `json:"at"`
	// Message is the stored message, read by Dead for replay.
	Message *Message `json:"-"`
}

// State queries pg_replication_slots and the outbox, and lists the deadLimit newest dead
// deliveries. The slot's lag in seconds is the
// walsender's flush_lag (pg_stat_replication): how long the server waited for walnotify to
// confirm recent WAL; 0 when the slot is inactive or idle.
func (o *Outbox) State(ctx context.Context, deadLimit int) (*State, error) {
	pool, slot := o.pool, o.slot
	st := &State{}
	st.Slot.Name = slot
	var confirmed *string
	err := pool.QueryRow(ctx, `SELECT s.active, s.confirmed_flush_lsn::text,
  coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), s.confirmed_flush_lsn), 0)::bigint,
  coalesce(extract(epoch FROM r.flush_lag), 0)::float8
FROM pg_replication_slots s LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid
WHERE s.slot_name = $1`, slot).Scan(&st.Slot.Active, &confirmed, &st.Slot.LagBytes, &st.Slot.LagSeconds)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return nil, fmt.Errorf("slot %q: %w", slot, err)
	default:
		st.Slot.Exists = true
		if confirmed != nil {
			st.Slot.Confirmed = *confirmed
		}
	}
	delivery := o.table("delivery")
	var exists bool
	if err := pool.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, delivery).Scan(&exists); err != nil || !exists {
		return st, err
	}
	if st.Gaps, err = o.OpenGaps(ctx); err != nil && !stateMissing(err) {
		return nil, err
	}
	// Pending rows inside a range of the settled table were delivered (see marker).
	waiting := `status = 'pending' AND ` + o.unsettled("d")
	rows, err := pool.Query(ctx, `SELECT webhook,
  count(*) FILTER (WHERE `+waiting+`),
  coalesce(extract(epoch FROM now() - min(created_at) FILTER (WHERE `+waiting+`)), 0)::float8,
  count(*) FILTER (WHERE status = 'dead'),
  greatest(max(finished_at) FILTER (WHERE status = 'delivered'),
    (SELECT max(s.at) FROM `+o.table("settled")+` s WHERE s.webhook = d.webhook))
FROM `+delivery+` d WHERE webhook IS NOT NULL GROUP BY webhook ORDER BY webhook`)
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	st.Webhooks, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (WebhookState, error) {
		var w WebhookState
		return w, r.Scan(&w.Webhook, &w.Pending, &w.OldestPendingAge, &w.Dead, &w.LastDelivery)
	})
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	for _, w := range st.Webhooks {
		st.OldestPendingAge = max(st.OldestPendingAge, w.OldestPendingAge)
		if w.LastDelivery != nil && (st.LastDelivery == nil || w.LastDelivery.After(*st.LastDelivery)) {
			st.LastDelivery = w.LastDelivery
		}
	}
	if deadLimit > 0 {
		rows, err = pool.Query(ctx, `SELECT id, coalesce(webhook, ''), notification, doctype, docname, attempts, coalesce(last_answer, ''), coalesce(finished_at, created_at)
FROM `+delivery+` WHERE status = 'dead' ORDER BY id DESC LIMIT $1`, deadLimit)
		if err != nil {
			return nil, fmt.Errorf("outbox: %w", err)
		}
		st.Dead, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (DeadDelivery, error) {
			var d DeadDelivery
			return d, r.Scan(&d.ID, &d.Webhook, &d.Notification, &d.Doctype, &d.Name, &d.Attempts, &d.Answer, &d.At)
		})
		if err != nil {
			return nil, fmt.Errorf("outbox: %w", err)
		}
	}
	return st, nil
}
