package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"walnotify/cdc"
	"walnotify/sender"
)

// stateCollector exports slot lag and outbox depth at each scrape. When they cannot be read,
// walnotify_state_up is 0 and the error is logged: the gauges are never missing silently.
type stateCollector struct {
	state    func(ctx context.Context, deadLimit int) (*sender.State, error)
	progress func() cdc.Progress
	log      *slog.Logger

	up, lagBytes, depth, oldest, received, confirmed, gaps *prometheus.Desc
}

func newStateMetrics(reg prometheus.Registerer, outbox *sender.Outbox, stream *cdc.Stream, log *slog.Logger) {
	reg.MustRegister(newStateCollector(outbox.State, stream.Progress, log))
}

func newStateCollector(state func(context.Context, int) (*sender.State, error), progress func() cdc.Progress, log *slog.Logger) *stateCollector {
	return &stateCollector{
		state: state, progress: progress, log: log,
		up:        prometheus.NewDesc("walnotify_state_up", "1 when the last scrape read the slot and the outbox, 0 when it failed (their gauges are then absent).", nil, nil),
		lagBytes:  prometheus.NewDesc("walnotify_slot_lag_bytes", "WAL the slot holds: current WAL position minus confirmed_flush_lsn.", nil, nil),
		depth:     prometheus.NewDesc("walnotify_outbox_pending", "Deliveries waiting in the outbox, per webhook.", []string{"webhook"}, nil),
		oldest:    prometheus.NewDesc("walnotify_outbox_oldest_pending_seconds", "Age of the oldest pending delivery, per webhook.", []string{"webhook"}, nil),
		received:  prometheus.NewDesc("walnotify_stream_received_lsn", "End LSN of the last transaction received.", nil, nil),
		confirmed: prometheus.NewDesc("walnotify_stream_confirmed_lsn", "Position confirmed durable.", nil, nil),
		gaps:      prometheus.NewDesc("walnotify_gaps_open", "Ranges of WAL lost with the slot that no operator acknowledged (walnotify status --ack-gap).", nil, nil),
	}
}

func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.up, c.lagBytes, c.depth, c.oldest, c.received, c.confirmed, c.gaps} {
		ch <- d
	}
}

func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	p := c.progress()
	ch <- prometheus.MustNewConstMetric(c.received, prometheus.GaugeValue, float64(p.Received))
	ch <- prometheus.MustNewConstMetric(c.confirmed, prometheus.GaugeValue, float64(p.Confirmed))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := c.state(ctx, 0)
	if err != nil {
		c.log.Warn("metrics: slot and outbox state not read; their gauges are absent from this scrape", "err", err)
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(c.lagBytes, prometheus.GaugeValue, float64(st.Slot.LagBytes))
	ch <- prometheus.MustNewConstMetric(c.gaps, prometheus.GaugeValue, float64(len(st.Gaps)))
	for _, w := range st.Webhooks {
		ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(w.Pending), w.Webhook)
		ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, w.OldestPendingAge, w.Webhook)
	}
}
