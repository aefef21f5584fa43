package render

import (
	"errors"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// heapPeak samples the heap while f runs and returns the highest HeapAlloc seen above the
// heap at the start.
func heapPeak(t *testing.T, f func()) uint64 {
	t.Helper()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > base && ms.HeapAlloc-base > peak.Load() {
				peak.Store(ms.HeapAlloc - base)
			}
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	f()
	close(done)
	<-stopped
	runtime.ReadMemStats(&ms)
	if ms.HeapAlloc > base && ms.HeapAlloc-base > peak.Load() {
		peak.Store(ms.HeapAlloc - base)
	}
	return peak.Load()
}

// The bombs of issue 9: each must stop with ErrBudget, quickly, with a small heap.
func TestTemplateBombsStopWithinBudget(t *testing.T) {
	tests := []struct {
		name string
		src  string
		doc  map[string]any
	}{
		{"repetition by a huge document value", `Rating: {{ '*' * (doc.total|int) }}`, map[string]any{"total": 9e11}},
		{"repetition by a large document value", `Rating: {{ '*' * (doc.total|int) }}`, map[string]any{"total": 6e9}},
		{"repetition with the count first", `{{ (doc.total|int) * 'ab' }}`, map[string]any{"total": 6e9}},
		{"a huge string that is never printed", `{% set s = 'x' * 1000000000 %}ok`, nil},
		{"center", `{{ 'x'|center(1000000000) }}`, nil},
		{"indent", `{{ doc.text|indent(10000000) }}`, map[string]any{"text": "a\nb\nc"}},
		{"join with a large separator", `{{ range(10000)|join('x'*100000) }}`, nil},
		{"nested loops", `{% for i in range(10000) %}{% for j in range(10000) %}{% for k in range(10000) %}{% endfor %}{% endfor %}{% endfor %}`, nil},
		{"doubling a string", `{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}`, nil},
		{"doubling with +", `{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}{% endfor %}`, nil},
		{"many strings below the size limit", `{% set l = [] %}{% for i in range(10000) %}{% set _ = l.append('x' * 1000000) %}{% endfor %}`, nil},
		{"list repetition", `{{ ([1, 2] * 1000000000)|length }}`, nil},
		{"the str method center", `{{ 'x'.center(1000000000) }}`, nil},
		{"strftime of a long format", `{{ frappe.utils.getdate("2026-11-20").strftime("%c" * 100000) }}`, nil},
		{"a date's long format spec", `{{ ("{:" ~ "%c" * 100000 ~ "}").format(frappe.utils.getdate("2026-11-20")) }}`, nil},
		{"the str method ljust on a document value", `{{ doc.name.ljust(doc.total|int) }}`, map[string]any{"name": "x", "total": 9e11}},
		{"zfill", `{{ 'x'.zfill(1000000000) }}`, nil},
		{"str.join", `{{ ('x' * 100000).join(range(10000)|map('string')|list) }}`, nil},
		{"replace of every character", `{{ ('x' * 100000)|replace('x', 'y' * 100000) }}`, nil},
		{"the str method replace", `{{ ('x' * 100000).replace('', 'y' * 100000) }}`, nil},
		{"a huge width in %-formatting", `{{ '%1000000000d' % 5 }}`, nil},
		{"a huge width in the format filter", `{{ '%-1000000000s'|format('x') }}`, nil},
		{"a huge width in str.format", `{{ '{:>1000000000}'.format('x') }}`, nil},
		{"a huge precision in str.format", `{{ '{:.1000000000f}'.format(1.5) }}`, nil},
		{"expandtabs", `{{ ('\t' * 1000).expandtabs(1000000000) }}`, nil},
		{"batch filling", `{{ [1]|batch(1000000000, 'x')|list|length }}`, nil},
		{"a macro building text", `{% macro m(s) %}{{ s ~ s }}{% endmacro %}{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = m(ns.s) %}{% endfor %}`, nil},
		{"a call block building text", `{% macro twice() %}{{ caller() }}{{ caller() }}{% endmacro %}{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s %}{% call twice() %}{{ ns.s }}{% endcall %}{% endset %}{% endfor %}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tpl, err := Compile(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			var rerr error
			start := time.Now()
			peak := heapPeak(t, func() { _, rerr = tpl.Render(Data{Doc: tt.doc}) })
			if !errors.Is(rerr, ErrBudget) {
				t.Fatalf("got %v, want an error wrapping ErrBudget", rerr)
			}
			var e *Error
			if !errors.As(rerr, &e) {
				t.Errorf("%v is not an *Error", rerr)
			}
			if d := time.Since(start); d > 10*time.Second { // the deadline is 5 s; the race detector is slow
				t.Errorf("took %s", d)
			}
			if peak > 100<<20 {
				t.Errorf("heap grew by %d MB", peak>>20)
			}
			t.Logf("%v; heap +%d KB", rerr, peak>>10)
		})
	}
}

func TestLimitsAreTheCallers(t *testing.T) {
	tpl, err := Compile(`{{ 'ab' * doc.n }}`)
	if err != nil {
		t.Fatal(err)
	}
	doc := map[string]any{"n": int64(600_000)} // 1.2 MB: past the default MaxString
	if _, err := tpl.Render(Data{Doc: doc}); !errors.Is(err, ErrBudget) {
		t.Errorf("default limits: %v", err)
	}
	out, err := tpl.Render(Data{Doc: map[string]any{"n": int64(10)}, Limits: Limits{MaxString: 20}})
	if err != nil || out != strings.Repeat("ab", 10) {
		t.Errorf("within a caller's limit: %q, %v", out, err)
	}
	if _, err := tpl.Render(Data{Doc: map[string]any{"n": int64(11)}, Limits: Limits{MaxString: 20}}); !errors.Is(err, ErrBudget) {
		t.Errorf("past a caller's limit: %v", err)
	}

	loops, err := Compile(`{% for i in range(100) %}{% endfor %}`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loops.Render(Data{Limits: Limits{MaxSteps: 99}}); !errors.Is(err, ErrBudget) || !strings.Contains(err.Error(), "stopped after 99 loop iterations") {
		t.Errorf("MaxSteps: %v", err)
	}
	if _, err := loops.Render(Data{Limits: Limits{MaxSteps: 100}}); err != nil {
		t.Errorf("MaxSteps reached exactly: %v", err)
	}

	built, err := Compile(`{% for i in range(10) %}{% set s = 'x' * 100 %}{% endfor %}`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := built.Render(Data{Limits: Limits{MaxBuilt: 999}}); !errors.Is(err, ErrBudget) {
		t.Errorf("MaxBuilt: %v", err)
	}
	if _, err := built.Render(Data{Limits: Limits{MaxBuilt: 1200}}); err != nil {
		t.Errorf("within MaxBuilt: %v", err)
	}
}

func TestRenderStopsAtItsDeadline(t *testing.T) {
	// 10,000 x 10 iterations of sorting a list: well within the step limit, past 1 ms.
	tpl, err := Compile(`{% for i in range(10000) %}{% for j in range(9) %}{{ range(1000)|reverse|sort|first }}{% endfor %}{% endfor %}`)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = tpl.Render(Data{Limits: Limits{Timeout: time.Millisecond, MaxBuilt: 1 << 40}})
	if !errors.Is(err, ErrBudget) || !strings.Contains(err.Error(), "took more than 1ms") {
		t.Fatalf("got %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("stopped after %s", d)
	}
}

// The ERP's own Error Log notification, with a long traceback, renders under the defaults.
func TestDefaultLimitsRenderRealMessages(t *testing.T) {
	src := `{% set title = frappe.db.get_value("Error Log", doc.name, "method") if false else doc.method %}
<h4>{{ title }}</h4>
<pre>{{ doc.error }}</pre>
{% for line in doc.error.split('\n') %}{{ loop.index }}: {{ line }}
{% endfor %}`
	src = strings.Replace(src, `frappe.db.get_value("Error Log", doc.name, "method") if false else `, "", 1)
	tpl, err := Compile(src)
	if err != nil {
		t.Fatal(err)
	}
	traceback := strings.Repeat("Traceback (most recent call last):\n  File \"apps/frappe/frappe/app.py\", line 95, in application\n", 2000)
	out, err := tpl.Render(Data{Doc: map[string]any{"name": "ERR-1", "method": "send", "error": traceback}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "4000: ") {
		t.Errorf("rendered %d bytes without every line", len(out))
	}
}

func TestPrintingLargeContainersStopsBeforeBuilding(t *testing.T) {
	for _, src := range []string{
		`{% set l = ['x' * 1000000] * 100000 %}{{ l }}`,
		`{% set l = ['x' * 1000000] * 100000 %}{{ l|tojson }}`,
		`{% set l = ['x' * 1000000] * 100000 %}{{ l|string }}`,
		`{% set l = ['x' * 1000000] * 100000 %}{{ l ~ '' }}`,
		`{% set l = ['x' * 1000000] * 100000 %}{{ '%s' % [l] }}`,
		`{% set l = ['x' * 1000000] * 100000 %}{{ '{}'.format(l) }}`,
		`{% set l = [['x' * 1000000] * 100000] * 100000 %}{{ l|pprint }}`,
	} {
		tpl, err := Compile(src)
		if err != nil {
			t.Fatal(err)
		}
		var rerr error
		peak := heapPeak(t, func() { _, rerr = tpl.Render(Data{}) })
		if !errors.Is(rerr, ErrBudget) {
			t.Errorf("%s: got %v", src, rerr)
		}
		if peak > 100<<20 {
			t.Errorf("%s: heap grew by %d MB", src, peak>>20)
		}
	}
}

// TestPprintOfADeepListStopsAtItsSizeNotItsDeadline: a list nested 3,000 deep, whose items
// each pprint lays out on lines indented as deep as they are. pprint asks at every level
// whether the repr fits; building each level's whole repr took minutes (the deadline would have
// stopped it), building only what can fit reaches the size limit at once.
func TestPprintOfADeepListStopsAtItsSizeNotItsDeadline(t *testing.T) {
	tpl, err := Compile(`{% set ns = namespace(x=range(20)|list) %}{% for i in range(3000) %}{% set ns.x = [ns.x, ns.x] if i < 10 else [ns.x] %}{% endfor %}{{ ns.x|pprint }}`)
	if err != nil {
		t.Fatal(err)
	}
	var rerr error
	peak := heapPeak(t, func() { _, rerr = tpl.Render(Data{}) })
	if !errors.Is(rerr, ErrBudget) || !strings.Contains(rerr.Error(), "pprint's text is more than the limit") {
		t.Fatalf("got %v, want pprint's size limit", rerr)
	}
	if peak > 100<<20 {
		t.Errorf("heap grew by %d MB", peak>>20)
	}
}
