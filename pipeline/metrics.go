package pipeline

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"walnotify/frappedb"
)

// Metrics are the metrics of reading and evaluating changes.
type Metrics struct {
	changes         prometheus.Counter
	events          *prometheus.CounterVec
	enqueued        *prometheus.CounterVec
	conditionErrors *prometheus.CounterVec
	renderErrors    *prometheus.CounterVec
	enqueueSeconds  prometheus.Histogram
	reads           *prometheus.CounterVec
	readSeconds     prometheus.Histogram
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
		reads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "walnotify_template_reads_total", Help: "Reads of the ERP's tables made by templates and conditions (frappe.db.get_value and its kin), per document type and result (ok, error).",
		}, []string{"doctype", "result"}),
		readSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "walnotify_template_read_seconds", Help: "Duration of the reads of the ERP's tables made by templates and conditions.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 2, 16),
		}),
	}
	reg.MustRegister(m.changes, m.events, m.enqueued, m.conditionErrors, m.renderErrors, m.enqueueSeconds, m.reads, m.readSeconds)
	return m
}

// Lookup is l with its reads counted and timed in m (walnotify_template_reads_total,
// walnotify_template_read_seconds); nil for a nil l.
func (m *Metrics) Lookup(l frappedb.Lookup) frappedb.Lookup {
	if l == nil {
		return nil
	}
	return meteredLookup{l: l, m: m}
}

// meteredLookup is a Lookup whose reads are counted and timed.
type meteredLookup struct {
	l frappedb.Lookup
	m *Metrics
}

func (ml meteredLookup) observe(doctype string, start time.Time, err error) {
	ml.m.readSeconds.Observe(time.Since(start).Seconds())
	result := "ok"
	if err != nil {
		result = "error"
	}
	ml.m.reads.WithLabelValues(doctype, result).Inc()
}

func (ml meteredLookup) Rows(ctx context.Context, q frappedb.Query) ([]string, [][]any, error) {
	start := time.Now()
	cols, rows, err := ml.l.Rows(ctx, q)
	ml.observe(q.Doctype, start, err)
	return cols, rows, err
}

func (ml meteredLookup) Document(ctx context.Context, doctype, name string) (map[string]any, error) {
	start := time.Now()
	doc, err := ml.l.Document(ctx, doctype, name)
	ml.observe(doctype, start, err)
	return doc, err
}

func (ml meteredLookup) Single(ctx context.Context, doctype string) (map[string]any, bool, error) {
	start := time.Now()
	fields, ok, err := ml.l.Single(ctx, doctype)
	ml.observe(doctype, start, err)
	return fields, ok, err
}
