package pipeline

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"walnotify/cdc"
	"walnotify/erpdb"
	"walnotify/internal/poll"
	"walnotify/rules"
	"walnotify/sender"
)

func TestDaysToRunCatchesUpMissedDays(t *testing.T) {
	day := func(s string) *time.Time { d, _ := time.Parse(time.DateOnly, s); return &d }
	tests := []struct {
		name  string
		last  *time.Time
		today string
		want  []string
	}{
		{"first run: today", nil, "2025-04-10", []string{"2025-04-10"}},
		{"already ran today", day("2025-04-10"), "2025-04-10", nil},
		{"one day missed", day("2025-04-08"), "2025-04-10", []string{"2025-04-09", "2025-04-10"}},
		{"a long outage catches up a week", day("2025-03-01"), "2025-04-10", []string{"2025-04-04", "2025-04-05", "2025-04-06", "2025-04-07", "2025-04-08", "2025-04-09", "2025-04-10"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := catchUp(tt.last, tt.today); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("catchUp = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNextMidnightFollowsTheSiteTimeZone(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	now := time.Date(2025, 3, 29, 23, 30, 0, 0, time.UTC) // 00:30 on the 30th in Paris (DST starts that night)
	got := nextMidnight(now, paris)
	if want := time.Date(2025, 3, 31, 0, 0, 0, 0, paris); !got.Equal(want) {
		t.Errorf("nextMidnight = %v, want %v", got, want)
	}
}

// dayOutbox is a daily outbox in memory whose first commits fail.
type dayOutbox struct {
	fakeOutbox
	failures int

	mu   sync.Mutex
	days []string
}

func (o *dayOutbox) Enqueue(ctx context.Context, b sender.Batch) (sender.Result, error) {
	o.mu.Lock()
	fail := o.failures > 0
	o.failures--
	o.mu.Unlock()
	if fail {
		return sender.Result{}, errors.New("connection reset by peer")
	}
	return o.fakeOutbox.Enqueue(ctx, b)
}

func (o *dayOutbox) RecordDailyRun(_ context.Context, day string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.days = append(o.days, day)
	return nil
}

func (o *dayOutbox) LastDailyRun(context.Context) (*time.Time, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.days) == 0 {
		return nil, nil
	}
	d, _ := time.Parse(time.DateOnly, o.days[len(o.days)-1])
	return &d, nil
}

// dueDocs is one invoice due on any day asked.
type dueDocs struct{}

func (dueDocs) OnDay(_ context.Context, _, _, day string) ([]cdc.Row, error) {
	return []cdc.Row{{"name": "SINV-1", "due_date": day}}, nil
}
func (dueDocs) Children(context.Context, string, string, erpdb.ChildTable) ([]any, error) {
	return nil, nil
}

func TestFailedDailyPassRunsAgainSoon(t *testing.T) {
	cfg := parseRules(t, `[[notification]]
name = "Due tomorrow"
document_type = "Sales Invoice"
event = "Days Before"
date_changed = "due_date"
days_in_advance = 1
message = "{{ doc.name }} is due"
webhook = "chat"
`)
	current := &atomic.Pointer[Rules]{}
	current.Store(&Rules{cfg: cfg, engine: rules.NewEngine(cfg), tables: map[string]*tableInfo{}})
	out := &dayOutbox{fakeOutbox: fakeOutbox{committed: map[string]bool{}}, failures: 1}
	daily := &Daily{Docs: dueDocs{}, Outbox: out, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Retry: 10 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- daily.Run(ctx, current) }()
	defer func() { cancel(); <-done }()
	// The first commit fails (a transient error at midnight): the pass runs again within Retry,
	// not at the next midnight.
	poll.Until(t, 5*time.Second, "the day's pass done after a transient failure", func() bool {
		out.mu.Lock()
		defer out.mu.Unlock()
		return len(out.days) == 1
	})
	if !out.has([]string{"daily/" + out.days[0] + "/SINV-1"}) {
		t.Errorf("the day's reminder is not in the outbox")
	}
}
