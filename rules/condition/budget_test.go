package condition

import (
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestConditionBombsStopWithinBudget(t *testing.T) {
	long := "(" + strings.TrimSuffix(strings.Repeat("'x' * 1000000 + ", 200), " + ") + ")"
	tests := []struct {
		name, src string
		doc       map[string]any
	}{
		{"repetition by a power", `'x' * 10**10`, nil},
		{"repetition by a document value", `'*' * doc.total > ''`, map[string]any{"total": int64(900_000_000_000)}},
		{"repetition by a document value converted", `len(frappe.utils.cint(doc.total) * "ab") > 0`, map[string]any{"total": "6000000000"}},
		{"concatenation past the limit", `'x' * 1000000 + 'y' * 1000000`, nil},
		{"a long chain of concatenations", long, nil},
		{"a width by a power", `'x'.rjust(10**10) > ''`, nil},
		{"a width by a document value", `'x'.center(doc.total, 'é') > ''`, map[string]any{"total": int64(900_000)}},
		{"zeros by a document value", `'1'.zfill(doc.total) > ''`, map[string]any{"total": int64(1 << 40)}},
		{"tabs expanded past the limit", `('\t' * 1000).expandtabs(2000) > ''`, nil},
		{"strftime of a long format", `'2024-01-02'.strftime('%c' * 400000) > ''`, nil},
		{"list concatenation", `len(doc.items + doc.items) > 0`, map[string]any{"items": make([]any, 60_000)}},
		{"an f-string past the limit", `f"{'x' * 1000000}{'y' * 1000000}" > ''`, nil},
		{"a format spec's width past the limit", `f"{doc.total:>{doc.total}}" > ''`, map[string]any{"total": int64(1 << 40)}},
		{"a format spec's precision past the limit", `f"{1.5:.900000000f}" > ''`, nil},
		{"an f-string's repr past the limit", `f"{doc.items!r}" > ''`, map[string]any{"items": []any{strings.Repeat("x", 600_000), strings.Repeat("y", 600_000)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Compile(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, err = c.Eval(tt.doc, time.Now())
			runtime.ReadMemStats(&after)
			if !errors.Is(err, ErrBudget) {
				t.Fatalf("got %v, want an error wrapping ErrBudget", err)
			}
			var e *Error
			if !errors.As(err, &e) || e.Line != 1 {
				t.Errorf("%v is not a positioned *Error", err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %s", d)
			}
			// TotalAlloc only grows: everything the evaluation allocated, freed or not.
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 100<<20 {
				t.Errorf("allocated %d MB", grew>>20)
			}
		})
	}
	ok, err := Compile(`len('ab' * 500000) == 1000000`)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := ok.Eval(nil, time.Now()); !got || err != nil {
		t.Errorf("a string within the limit: %v, %v", got, err)
	}
}
