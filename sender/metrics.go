package sender

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the delivery metrics. A nil *Metrics records nothing.
type Metrics struct {
	Sent    *prometheus.CounterVec
	Retried *prometheus.CounterVec
	Dead    *prometheus.CounterVec
	Digests *prometheus.CounterVec
	Latency *prometheus.HistogramVec
}

// NewMetrics creates the delivery metrics and registers them with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "walnotify_notifications_sent_total", Help: "Notifications delivered, per webhook and notification.",
		}, []string{"webhook", "notification"}),
		Retried: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "walnotify_notifications_retried_total", Help: "Delivery attempts that will be retried, per webhook and notification.",
		}, []string{"webhook", "notification"}),
		Dead: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "walnotify_notifications_dead_total", Help: "Deliveries given up (permanent answer or too old), per webhook and notification.",
		}, []string{"webhook", "notification"}),
		Digests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "walnotify_notifications_in_digests_total", Help: "Notifications delivered inside a digest message, per webhook.",
		}, []string{"webhook"}),
		Latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "walnotify_commit_to_delivery_seconds",
			Help:    "Time from the source transaction's commit to the webhook's acceptance.",
			Buckets: []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600},
		}, []string{"webhook"}),
	}
	reg.MustRegister(m.Sent, m.Retried, m.Dead, m.Digests, m.Latency)
	return m
}

func (m *Metrics) sent(webhook, notification string, digest bool) {
	if m == nil {
		return
	}
	m.Sent.WithLabelValues(webhook, notification).Inc()
	if digest {
		m.Digests.WithLabelValues(webhook).Inc()
	}
}

func (m *Metrics) retried(webhook, notification string) {
	if m != nil {
		m.Retried.WithLabelValues(webhook, notification).Inc()
	}
}

func (m *Metrics) dead(webhook, notification string) {
	if m != nil {
		m.Dead.WithLabelValues(webhook, notification).Inc()
	}
}

func (m *Metrics) latency(webhook string, d time.Duration) {
	if m != nil {
		m.Latency.WithLabelValues(webhook).Observe(d.Seconds())
	}
}
