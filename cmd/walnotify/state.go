package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"walnotify/cdc"
	"walnotify/erpdb"
	"walnotify/sender"
)

// state is walnotify's health as the database sees it: the slot and the outbox.
type state struct {
	Slot struct {
		Name       string  `json:"name"`
		Exists     bool    `json:"exists"`
		Active     bool    `json:"active"`
		LagBytes   int64   `json:"lag_bytes"`
		LagSeconds float64 `json:"lag_seconds"`
		Confirmed  string  `json:"confirmed_flush_lsn"`
	} `json:"slot"`
	Webhooks         []webhookState `json:"webhooks"`
	Dead             []deadDelivery `json:"dead"`
	LastDelivery     *time.Time     `json:"last_delivery"`
	OldestPendingAge float64        `json:"oldest_pending_seconds"`
}

type webhookState struct {
	Webhook          string     `json:"webhook"`
	Pending          int64      `json:"pending"`
	OldestPendingAge float64    `json:"oldest_pending_seconds"`
	Dead             int64      `json:"dead"`
	LastDelivery     *time.Time `json:"last_delivery"`
}

type deadDelivery struct {
	ID           int64     `json:"id"`
	Webhook      string    `json:"webhook"`
	Notification string    `json:"notification"`
	Doctype      string    `json:"doctype"`
	Name         string    `json:"name"`
	Attempts     int       `json:"attempts"`
	Answer       string    `json:"answer"`
	At           time.Time `json:"at"`
}

// readState queries pg_replication_slots and the outbox. The slot's lag in seconds is the
// walsender's flush_lag (pg_stat_replication): how long the server waited for walnotify to
// confirm recent WAL; 0 when the slot is inactive or idle.
func readState(ctx context.Context, pool *pgxpool.Pool, stateSchema, slot string, deadLimit int) (*state, error) {
	st := &state{}
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
	delivery := pgx.Identifier{stateSchema, "delivery"}.Sanitize()
	if exists, err := erpdb.TableExists(ctx, pool, stateSchema, "delivery"); err != nil || !exists {
		return st, err
	}
	rows, err := pool.Query(ctx, `SELECT webhook,
  count(*) FILTER (WHERE status = 'pending'),
  coalesce(extract(epoch FROM now() - min(created_at) FILTER (WHERE status = 'pending')), 0)::float8,
  count(*) FILTER (WHERE status = 'dead'),
  max(finished_at) FILTER (WHERE status = 'delivered')
FROM `+delivery+` WHERE webhook IS NOT NULL GROUP BY webhook ORDER BY webhook`)
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	st.Webhooks, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (webhookState, error) {
		var w webhookState
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
		rows, err = pool.Query(ctx, `SELECT id, webhook, notification, doctype, docname, attempts, coalesce(last_answer, ''), coalesce(finished_at, created_at)
FROM `+delivery+` WHERE status = 'dead' ORDER BY id DESC LIMIT $1`, deadLimit)
		if err != nil {
			return nil, fmt.Errorf("outbox: %w", err)
		}
		st.Dead, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (deadDelivery, error) {
			var d deadDelivery
			return d, r.Scan(&d.ID, &d.Webhook, &d.Notification, &d.Doctype, &d.Name, &d.Attempts, &d.Answer, &d.At)
		})
		if err != nil {
			return nil, fmt.Errorf("outbox: %w", err)
		}
	}
	return st, nil
}

// stateCollector exports slot lag and outbox depth at each scrape.
type stateCollector struct {
	pool   *pgxpool.Pool
	schema string
	slot   string
	stream *cdc.Stream

	lagBytes, depth, oldest, received, confirmed *prometheus.Desc
}

func newStateMetrics(reg prometheus.Registerer, outbox *sender.Outbox, stream *cdc.Stream, pool *pgxpool.Pool, slot string) {
	reg.MustRegister(&stateCollector{
		pool: pool, schema: outbox.Schema(), slot: slot, stream: stream,
		lagBytes:  prometheus.NewDesc("walnotify_slot_lag_bytes", "WAL the slot holds: current WAL position minus confirmed_flush_lsn.", nil, nil),
		depth:     prometheus.NewDesc("walnotify_outbox_pending", "Deliveries waiting in the outbox, per webhook.", []string{"webhook"}, nil),
		oldest:    prometheus.NewDesc("walnotify_outbox_oldest_pending_seconds", "Age of the oldest pending delivery, per webhook.", []string{"webhook"}, nil),
		received:  prometheus.NewDesc("walnotify_stream_received_lsn", "End LSN of the last transaction received.", nil, nil),
		confirmed: prometheus.NewDesc("walnotify_stream_confirmed_lsn", "Position confirmed durable.", nil, nil),
	})
}

func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.lagBytes, c.depth, c.oldest, c.received, c.confirmed} {
		ch <- d
	}
}

func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	p := c.stream.Progress()
	ch <- prometheus.MustNewConstMetric(c.received, prometheus.GaugeValue, float64(p.Received))
	ch <- prometheus.MustNewConstMetric(c.confirmed, prometheus.GaugeValue, float64(p.Confirmed))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := readState(ctx, c.pool, c.schema, c.slot, 0)
	if err != nil {
		return
	}
	ch <- prometheus.MustNewConstMetric(c.lagBytes, prometheus.GaugeValue, float64(st.Slot.LagBytes))
	for _, w := range st.Webhooks {
		ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(w.Pending), w.Webhook)
		ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, w.OldestPendingAge, w.Webhook)
	}
}
