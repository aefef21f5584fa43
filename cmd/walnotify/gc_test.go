package main

import (
	"math"
	"runtime/debug"
	"testing"
)

func TestTheDaemonCollectsGarbageLessOftenUnlessTheEnvironmentSaysOtherwise(t *testing.T) {
	percent, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() { debug.SetGCPercent(percent); debug.SetMemoryLimit(limit) })
	for _, tc := range []struct {
		name                   string
		env                    map[string]string
		wantPercent, wantLimit int64
	}{
		{"nothing set", nil, daemonGCPercent, daemonMemoryLimit},
		{"GOGC set", map[string]string{"GOGC": "100"}, 100, daemonMemoryLimit},
		{"GOMEMLIMIT set", map[string]string{"GOMEMLIMIT": "1GiB"}, daemonGCPercent, math.MaxInt64},
	} {
		t.Run(tc.name, func(t *testing.T) {
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(math.MaxInt64)
			tuneGC(func(k string) string { return tc.env[k] })
			if got := debug.SetGCPercent(100); int64(got) != tc.wantPercent {
				t.Errorf("GOGC %d, want %d", got, tc.wantPercent)
			}
			if got := debug.SetMemoryLimit(math.MaxInt64); got != tc.wantLimit {
				t.Errorf("memory limit %d, want %d", got, tc.wantLimit)
			}
		})
	}
}
