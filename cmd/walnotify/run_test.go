package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"walnotify/cdc"
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
