package main

import (
	"testing"
	"time"

	"walnotify/cdc"
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
