package cdc

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"walnotify/internal/pgtest"
)

// BenchmarkLargeTransaction streams one transaction of many rows to a consumer that only
// counts, and reports throughput, the peak Go heap during the run and the peak RSS of the
// process (VmHWM). VmHWM only grows, so compare sizes in separate processes:
//
//	go test ./cdc -run '^$' -bench 'LargeTransaction/rows=100000$' -benchtime 1x
//	go test ./cdc -run '^$' -bench 'LargeTransaction/rows=1000000$' -benchtime 1x
func BenchmarkLargeTransaction(b *testing.B) {
	for _, rows := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) { benchmarkTransaction(b, rows) })
	}
}

func benchmarkTransaction(b *testing.B, rows int) {
	db := pgtest.NewDB(b)
	db.Exec(b, issueTable+`; CREATE PUBLICATION walnotify FOR TABLE "tabIssue"`)
	s, err := NewStream(Config{DSN: db.DSN, Slot: db.Name, Publication: "walnotify"})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	items := make(chan Item, 256)
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, items) }()
	b.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			b.Errorf("Run: %v", err)
		}
	})
	for deadline := time.Now().Add(time.Minute); !s.Progress().Connected; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			b.Fatal("stream did not connect")
		}
	}
	var peakHeap atomic.Uint64
	stopSampling := sampleHeap(&peakHeap)
	defer stopSampling()

	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		db.Exec(b, fmt.Sprintf(`INSERT INTO "tabIssue"
			SELECT 'ISS-%d-' || g, g %% 3, '2025-03-14 09:00:00'::timestamp + g * interval '1 second', '2025-03-20',
				g * 1.5, 'Customer reports that the printer on floor ' || g || ' is on fire again', 0,
				jsonb_build_object('seq', g, 'tags', jsonb_build_array('a', 'b'))
			FROM generate_series(1, %d) g`, i, rows))
		b.StartTimer()
		n := 0
	read:
		for it := range items {
			switch it.Kind {
			case KindChange:
				n++
			case KindCommit:
				s.Confirm(it.Tx.EndLSN)
				break read
			}
		}
		if n != rows {
			b.Fatalf("counted %d rows, want %d", n, rows)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(peakHeap.Load())/(1<<20), "peak-heap-MB")
	if hwm, err := vmHWM(); err == nil {
		b.ReportMetric(float64(hwm)/(1<<20), "peak-RSS-MB")
	} else {
		b.Logf("peak RSS: %v", err)
	}
}

// sampleHeap records the largest live-and-unswept heap seen every 10ms until stopped.
func sampleHeap(peak *atomic.Uint64) (stop func()) {
	quit, finished := make(chan struct{}), make(chan struct{})
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(finished)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			storeMaxU64(peak, sample[0].Value.Uint64())
			select {
			case <-t.C:
			case <-quit:
				return
			}
		}
	}()
	return func() { close(quit); <-finished }
}

func storeMaxU64(v *atomic.Uint64, n uint64) {
	for cur := v.Load(); n > cur && !v.CompareAndSwap(cur, n); cur = v.Load() {
	}
}

// vmHWM reads the peak resident set size of this process from /proc/self/status.
func vmHWM() (uint64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/self/status")
}

// BenchmarkDecodeInsert decodes one insert of a 46-column row, as wide as the ERP's Issue
// table: text, ints, timestamps and NULLs in turn.
//
//	go test ./cdc -run '^$' -bench DecodeInsert -benchmem
func BenchmarkDecodeInsert(b *testing.B) {
	var cols []col
	var vals []any
	for i := range 46 {
		name := fmt.Sprintf("field_%d", i)
		switch i % 4 {
		case 0:
			cols, vals = append(cols, col{name, 1043, i == 0}), append(vals, fmt.Sprintf("value %d of some text", i))
		case 1:
			cols, vals = append(cols, col{name, oidInt2, false}), append(vals, "1")
		case 2:
			cols, vals = append(cols, col{name, oidTimestamp, false}), append(vals, "2026-11-30 10:00:00.123456")
		case 3:
			cols, vals = append(cols, col{name, 25, false}), append(vals, nil)
		}
	}
	d := newDecoder()
	feed(b, d, msgBegin(1, time.Now(), 1), msgRelation(7, "public", "tabIssue", cols...))
	msg := msgInsert(7, vals...)
	b.ReportAllocs()
	for b.Loop() {
		if err := d.decode(1, msg, func(Item) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}
