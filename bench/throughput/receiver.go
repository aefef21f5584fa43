package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"sync"
	"time"
)

// receiver is the webhook: it notes when each row's notification first arrives (a digest holds
// several, a resent message counts once) and how many requests came. Rows are named
// ISS-0000000 ... by their index, so arrivals fit in a slice, not a map of a million names.
type receiver struct {
	srv *httptest.Server

	mu       sync.Mutex
	arrived  []time.Time // by row index; zero = not yet
	distinct int
	requests int
	refs     int    // requests of the reference clients
	body     []byte // the last single-message body, replayed by the serial reference client

	// The current window (see window): rows first arrived since it opened, and when.
	fresh       int
	first, last time.Time
}

var rowName = regexp.MustCompile(`ISS-(\d{7})`)

func newReceiver(rows int) *receiver {
	r := &receiver{arrived: make([]time.Time, rows)}
	r.srv = httptest.NewServer(r)
	return r
}

func (r *receiver) url(path string) string { return r.srv.URL + path }

func (r *receiver) close() { r.srv.Close() }

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	// The reference clients' requests cost the receiver what a delivery does (the same parse
	// and lock), but count apart and arrive nowhere.
	ref := req.URL.Path == "/ref"
	now := time.Now()
	names := rowName.FindAllSubmatch(b, -1)
	r.mu.Lock()
	if ref {
		r.refs++
	} else {
		r.requests++
	}
	fresh, single := 0, len(names) > 0
	for _, m := range names {
		i, _ := strconv.Atoi(string(m[1]))
		single = single && string(m[1]) == string(names[0][1])
		if !ref && i < len(r.arrived) && r.arrived[i].IsZero() {
			r.arrived[i] = now
			r.distinct++
			fresh++
		}
	}
	if fresh > 0 {
		if r.fresh == 0 {
			r.first = now
		}
		r.fresh += fresh
		r.last = now
	}
	// A single message names one row (in its text, fallback and link); a digest names more.
	if !ref && single {
		r.body = b
	}
	r.mu.Unlock()
	io.WriteString(w, "ok")
}

// delivered is how many distinct rows have arrived.
func (r *receiver) delivered() int { r.mu.Lock(); defer r.mu.Unlock(); return r.distinct }

// counts returns the distinct rows and the requests so far.
func (r *receiver) counts() (rows, requests int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.distinct, r.requests
}

// window opens a new window: rate then counts only rows first arriving after this call.
func (r *receiver) window() {
	r.mu.Lock()
	r.fresh, r.first, r.last = 0, time.Time{}, time.Time{}
	r.mu.Unlock()
}

// rate is the rows per second first arriving in the current window, from its first arrival to
// its last (so the daemon's start-up is not counted).
func (r *receiver) rate() float64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	d := r.last.Sub(r.first).Seconds()
	if r.fresh < 2 || d <= 0 {
		return 0
	}
	return float64(r.fresh-1) / d
}

// firstArrival is when the current window's first new row arrived.
func (r *receiver) firstArrival() time.Time { r.mu.Lock(); defer r.mu.Unlock(); return r.first }

// lastArrival is when the last new row arrived.
func (r *receiver) lastArrival() time.Time { r.mu.Lock(); defer r.mu.Unlock(); return r.last }

// sample returns one single-message body the daemon sent.
func (r *receiver) sample() []byte { r.mu.Lock(); defer r.mu.Unlock(); return r.body }

// latencies returns commit-to-arrival times of rows [from, to), sorted, given each row's commit
// time; rows not arrived are left out.
func (r *receiver) latencies(committed []time.Time, from, to int) []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	var lat []time.Duration
	for i := from; i < to; i++ {
		if !r.arrived[i].IsZero() && !committed[i].IsZero() {
			lat = append(lat, r.arrived[i].Sub(committed[i]))
		}
	}
	return lat
}
