package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"walnotify/cdc"
	"walnotify/rules"
	"walnotify/sender"
)

func TestHealthzFailsWhenReplicationStopsProgressing(t *testing.T) {
	now := time.Now()
	tests := []struct {
		name string
		p    cdc.Progress
		ok   bool
	}{
		{"streaming and heard from", cdc.Progress{Connected: true, LastMessage: now.Add(-2 * time.Second)}, true},
		{"never started", cdc.Progress{}, false},
		{"server silent for a minute", cdc.Progress{Connected: true, LastMessage: now.Add(-time.Minute)}, false},
		{"connection down", cdc.Progress{Connected: false, LastMessage: now.Add(-time.Second)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := healthy(tt.p, now); (err == nil) != tt.ok {
				t.Errorf("healthy = %v, want ok %v", err, tt.ok)
			}
		})
	}
}

func TestStateMetricsSayWhenTheyCannotBeRead(t *testing.T) {
	var logs bytes.Buffer
	broken := func(context.Context, int) (*sender.State, error) { return nil, errors.New("connection refused") }
	reg := prometheus.NewRegistry()
	reg.MustRegister(newStateCollector(broken, func() cdc.Progress { return cdc.Progress{} }, slog.New(slog.NewTextHandler(&logs, nil))))
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	up := -1.0
	for _, f := range families {
		if f.GetName() == "walnotify_state_up" {
			up = f.GetMetric()[0].GetGauge().GetValue()
		}
	}
	if up != 0 {
		t.Errorf("walnotify_state_up = %v after a failed read, want 0", up)
	}
	if !strings.Contains(logs.String(), "connection refused") {
		t.Errorf("the failed read is not logged:\n%s", logs.String())
	}
}

// Each webhook's worker falls behind as far as its webhook's digest_after says (resolved at
// load: rules TestAWebhookMayFallBehindAsLongAsItsDigestAfterSays), and a reload that changes
// only that restarts the webhook's worker alone.
func TestEachWorkerTakesItsWebhooksDigestAfter(t *testing.T) {
	config := func(fast time.Duration) *rules.Config {
		hook := func(name string, svc rules.Service, digestAfter time.Duration) rules.Webhook {
			return rules.Webhook{Name: name, Service: svc, DigestAfter: rules.Duration{Duration: digestAfter}}
		}
		return &rules.Config{Webhooks: []rules.Webhook{hook("fast", rules.Generic, fast), hook("chat", rules.Slack, 2*time.Second)}}
	}
	var mu sync.Mutex
	started := map[string][]time.Duration{}
	ws := &workerSet{log: slog.New(slog.DiscardHandler), running: map[string]*runningWorker{}, tune: func(w *sender.Worker) {
		mu.Lock()
		defer mu.Unlock()
		started[w.Webhook] = append(started[w.Webhook], w.DigestAfter)
	}}
	// The workers stop at once: only their settings are looked at.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ws.reconcile(ctx, config(50*time.Millisecond))
	ws.reconcile(ctx, config(80*time.Millisecond))
	ws.wait(context.Background())
	want := map[string][]time.Duration{"fast": {50 * time.Millisecond, 80 * time.Millisecond}, "chat": {2 * time.Second}}
	mu.Lock()
	defer mu.Unlock()
	if !reflect.DeepEqual(started, want) {
		t.Errorf("workers started with digest_after %v, want %v", started, want)
	}
}
