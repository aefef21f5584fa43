package pipeline

import (
	"reflect"
	"testing"
	"time"
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
