package pipeline

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the metrics of reading and evaluating changes.
type Metrics struct {
	changes         prometheus.Counter
	events          *prometheus.CounterVec
	enqueued        *prometheus.CounterVec
	conditionErrors *prometheus.CounterVec
	renderErrors    *prometheus.CounterVec
	enqueueSeconds  prometheus.Histogram
}

// NewMetrics registers the pipeline's metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		changes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "walnotify_changes_read_total", Help: "Row changes read from the replication stream.",
		}),
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "walnotify_events_raised_total", Help: "Document events raised by row changes of watched tables.",
		}, []string{"doctype", "event"}),
		enqueued: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "walnotify_notifications_enqueued_total", Help: "Notifications committed to the outbox, per webhook and notification.",
		}, []string{"webhook", "notification"}),
		conditionErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "walnotify_condition_errors_total", Help: "Conditions that failed at run time (the notification was skipped for that document).",
		}, []string{"notification"}),
		renderErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "walnotify_render_errors_total", Help: "Templates that failed at run time (the notification was skipped for that document).",
		}, []string{"notification"}),
		enqueueSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "walnotify_outbox_commit_seconds", Help: "Duration of outbox commits.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14),
		}),
	}
	reg.MustRegister(m.changes, m.events, m.enqueued, m.conditionErrors, m.renderErrors, m.enqueueSeconds)
	return m
}
