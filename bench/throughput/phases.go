package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"walnotify/internal/pgcluster"
	"walnotify/sender"
)

// A phase measures one or more goals in its own env. Each prints its details as it goes.
type phase struct {
	name string
	run  func(ctx context.Context, b *bench, s sizes) ([]row, error)
}

func phases() []phase {
	return []phase{
		{"keepup", keepUp},
		{"delivery", delivery},
		{"fanout", fanOut},
		{"latency", latency},
		{"backlog", backlog},
		{"bigtx", bigTransaction},
	}
}

// unlimited is the webhook rate of every phase but the fills: far above what one request in
// flight reaches, so the receiver's pace is the limit.
const unlimited = 100000

// keepUp: rows single-row transactions inserted with the daemon stopped, then its catch-up timed
// from its start until all are in the outbox, delivery running meanwhile; the reference is
// pg_recvlogical draining the same WAL, through slots made before the inserts, just before the
// catch-up and just after it (their mean).
func keepUp(ctx context.Context, b *bench, s sizes) ([]row, error) {
	e, err := b.newEnv(ctx, s.keepUp, 1, unlimited)
	if err != nil {
		return nil, err
	}
	defer e.close()
	for _, slot := range []string{"bench_ref_before", "bench_ref_after"} {
		if _, err := e.db.Exec(ctx, `SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, slot); err != nil {
			return nil, err
		}
	}
	t0 := time.Now()
	if err := e.insertSingles(ctx, 0, s.keepUp, 4, 0, nil); err != nil {
		return nil, err
	}
	inserted := time.Since(t0)
	end, err := e.walLSN(ctx)
	if err != nil {
		return nil, err
	}
	// The inserted table is vacuumed now, not by autovacuum during one of the timed windows;
	// the reference drains the same WAL just before the daemon's catch-up and just after it,
	// and counts as the mean of the two, so that a drift of the machine's pace weighs on both.
	if err := e.settle(ctx, `"tabIssue"`); err != nil {
		return nil, err
	}
	before, err := recvRate(ctx, e, "bench_ref_before", end, s.keepUp)
	if err != nil {
		return nil, err
	}
	started := time.Now()
	if err := e.start(); err != nil {
		return nil, err
	}
	at, err := e.waitOutbox(ctx, s.keepUp, 10*time.Minute)
	if err != nil {
		return nil, err
	}
	keep := float64(s.keepUp) / at.Sub(started).Seconds()
	delivered := e.hook.delivered()
	e.stop()

	after, err := recvRate(ctx, e, "bench_ref_after", end, s.keepUp)
	if err != nil {
		return nil, err
	}
	ref := (before + after) / 2
	fmt.Printf("  %d single-row transactions inserted at %.0f/s with the daemon stopped; in the outbox %.2fs after its start, %d delivered meanwhile\n",
		s.keepUp, float64(s.keepUp)/inserted.Seconds(), at.Sub(started).Seconds(), delivered)
	fmt.Printf("    pg_recvlogical, same WAL: %s before the catch-up, %s after, mean %s\n", perSecond(before), perSecond(after), perSecond(ref))
	return []row{{
		what:  fmt.Sprintf("keep-up: %s single-row transactions -> outbox, delivery running", count(s.keepUp)),
		value: perSecond(keep), ref: "pg_recvlogical, same WAL: " + perSecond(ref),
		ratio: keep / ref, target: ">= 0.8x", pass: keep/ref >= 0.8,
	}}, nil
}

// recvRate drains the WAL up to end through slot with pg_recvlogical, as walnotify reads it
// (pgoutput, the same publication): rows per second.
func recvRate(ctx context.Context, e *env, slot, end string, rows int) (float64, error) {
	recv, err := e.recvLogical(ctx, slot, "-E", end)
	if err != nil {
		return 0, err
	}
	t0 := time.Now()
	if out, err := recv.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("pg_recvlogical: %v: %s", err, out)
	}
	return float64(rows) / time.Since(t0).Seconds(), nil
}

// recvLogical is pg_recvlogical streaming slot as walnotify reads it (pgoutput, the same
// publication) to nowhere, with the extra arguments given.
func (e *env) recvLogical(ctx context.Context, slot string, extra ...string) (*exec.Cmd, error) {
	bin, err := pgcluster.FindBinaries()
	if err != nil {
		return nil, err
	}
	args := append([]string{"-d", e.dsn, "-S", slot, "--start", "-f", "/dev/null",
		"-o", "proto_version=1", "-o", "publication_names=walnotify", "--no-loop"}, extra...)
	return exec.CommandContext(ctx, filepath.Join(bin, "pg_recvlogical"), args...), nil
}

// delivery: one webhook, fsync off then on (ALTER SYSTEM SET fsync + reload on the same
// cluster); the reference is a serial keep-alive client posting the daemon's own body to the
// same receiver, by turns with the daemon (see byTurns).
func delivery(ctx context.Context, b *bench, s sizes) ([]row, error) {
	var rows []row
	for _, fsync := range []bool{false, true} {
		rate, err := deliveryRate(ctx, b, s.deliver, 1, fsync)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row{
			what:  fmt.Sprintf("delivery, one webhook, fsync %s", onOff(fsync)),
			value: perSecond(rate.rows), ref: fmt.Sprintf("serial keep-alive client: %s (net/http: %s)", perSecond(rate.serial), perSecond(rate.netHTTP)),
			ratio: rate.rows / rate.serial, target: ">= 0.8x", pass: rate.rows/rate.serial >= 0.8,
		})
		if !fsync {
			b.oneWebhook = rate.rows
		}
	}
	return rows, nil
}

// fanOut: eight webhooks, the rows spread evenly by rules, against one webhook's rate (fsync
// off) of the same run.
func fanOut(ctx context.Context, b *bench, s sizes) ([]row, error) {
	one := b.oneWebhook
	if one == 0 {
		r, err := deliveryRate(ctx, b, s.deliver, 1, false)
		if err != nil {
			return nil, err
		}
		one = r.rows
	}
	rate, err := deliveryRate(ctx, b, s.deliver, 8, false)
	if err != nil {
		return nil, err
	}
	// What the machine allows: eight plain serial clients against one, to the same receiver.
	ceiling, err := clientsRatio(ctx, min(s.deliver, 20000))
	if err != nil {
		return nil, err
	}
	return []row{{
		what:  "delivery, eight webhooks together, fsync off",
		value: perSecond(rate.rows), ref: "one webhook: " + perSecond(one),
		ratio: rate.rows / one, target: ">= 4x", pass: rate.rows/one >= 4,
	}, {
		what:  "eight plain serial clients together (the machine's ceiling)",
		value: fmt.Sprintf("%.2fx", ceiling), ref: "one plain serial client",
		ratio: ceiling, target: "—", pass: true,
	}}, nil
}

// clientsRatio is eight serial keep-alive clients' rate over one's, posting n requests each
// time to a receiver of this program's, as the webhooks are.
func clientsRatio(ctx context.Context, n int) (float64, error) {
	hook := newReceiver(0)
	defer hook.close()
	body := []byte(`{"text":"` + strings.Repeat("x", 200) + `"}`)
	one, err := serialRate(ctx, hook.url("/ref"), body, n, 1, false)
	if err != nil {
		return 0, err
	}
	eight, err := serialRate(ctx, hook.url("/ref"), body, n, 8, false)
	if err != nil {
		return 0, err
	}
	fmt.Printf("    plain serial clients, %d requests: one %s, eight together %s\n", n, perSecond(one), perSecond(eight))
	return eight / one, nil
}

// rates: the daemon's, the reference client's (walnotify's HTTP client) and the same with
// net/http's Transport.
type rates struct{ rows, serial, netHTTP float64 }

// deliveryRate fills the outbox with rows entries while each webhook's rate lets almost nothing
// out, restarts the daemon with the rate unlimited, and measures deliveries per second from the
// first arrival to the last: delivery alone, with an idle stream. With one webhook it also
// measures the serial client's rate on the same receiver.
func deliveryRate(ctx context.Context, b *bench, rows, webhooks int, fsync bool) (rates, error) {
	if fsync {
		if err := b.setFsync(ctx, true); err != nil {
			return rates{}, err
		}
		defer b.setFsync(context.Background(), false)
	}
	e, err := b.newEnv(ctx, rows, webhooks, 0.001)
	if err != nil {
		return rates{}, err
	}
	defer e.close()
	if err := e.start(); err != nil {
		return rates{}, err
	}
	// The first row goes alone, the one the rate lets out: the reference client's body.
	if err := e.insertBulk(ctx, 0, 1, 1); err != nil {
		return rates{}, err
	}
	if err := e.waitDelivered(ctx, 1, time.Minute); err != nil {
		return rates{}, err
	}
	if err := e.insertBulk(ctx, 1, rows, 1000); err != nil {
		return rates{}, err
	}
	if _, err := e.waitOutbox(ctx, rows, 10*time.Minute); err != nil {
		return rates{}, err
	}
	e.stop()
	early := e.hook.delivered()
	// The per-request pace is what is measured: a backlog this old would go as digests.
	e.digestAfter = "1h"
	if err := e.configure(unlimited); err != nil {
		return rates{}, err
	}
	if err := e.settle(ctx, `"tabIssue"`, `walnotify.delivery`); err != nil {
		return rates{}, err
	}
	if webhooks == 1 && len(e.hook.sample()) == 0 {
		_, reqs := e.hook.counts()
		return rates{}, fmt.Errorf("no message was let out during the fill (%d rows in %d requests): no body for the reference client", early, reqs)
	}
	e.hook.window()
	if err := e.start(); err != nil {
		return rates{}, err
	}
	var r rates
	var t turns
	if webhooks == 1 {
		t, err = e.byTurns(ctx, rows, e.hook.sample(), turnLength, turnRequests)
		if err != nil {
			return rates{}, err
		}
		r = rates{rows: t.daemon, serial: t.reference, netHTTP: t.netHTTP}
	} else {
		if err := e.waitDelivered(ctx, rows, 10*time.Minute); err != nil {
			return rates{}, err
		}
		r = rates{rows: e.hook.rate()}
	}
	got, requests := e.hook.counts()
	fmt.Printf("  %d webhook(s), fsync %s: %d entries filled (%d let out early); %d delivered at %s in %d requests in all\n",
		webhooks, onOff(fsync), rows, early, got-early, perSecond(r.rows), requests)
	if webhooks == 1 {
		each := make([]string, len(t.each))
		for i, r := range t.each {
			each[i] = count(int(math.Round(r)))
		}
		fmt.Printf("    by turns: the daemon %d turns of up to %s (%s/s); between them, a serial keep-alive client, %d requests of the same body: %s (turns %s-%s); the same with net/http's Transport: %s\n",
			t.daemonTurns, turnLength, strings.Join(each, ", "), turnRequests, perSecond(t.reference), perSecond(t.refMin), perSecond(t.refMax), perSecond(t.netHTTP))
	}
	return r, nil
}

// latency: single-row transactions at 500 and then 2,000 per second.
func latency(ctx context.Context, b *bench, s sizes) ([]row, error) {
	slow, err := latencyAt(ctx, b, 500, s.latency, 20*time.Millisecond)
	if err != nil {
		return nil, err
	}
	fast, err := latencyAt(ctx, b, 2000, s.latency, 100*time.Millisecond)
	if err != nil {
		return nil, err
	}
	return []row{slow, fast}, nil
}

// latencyDigestAfter is the latency phases' webhook's digest_after: the operator's setting for
// a webhook that must stay within a tenth of a second of the ERP (the default, 1 s, suits a
// chat read by people, and lets a queue fall up to a second behind before digests).
const latencyDigestAfter = 50 * time.Millisecond

// warmUp is how long a latency phase runs at its rate before the measured rows: a daemon's
// first second is slower than its steady pace (each new connection's first statements on a
// fresh database's cold caches took 20-54 ms; the first request opens its connection). Its
// rows are delivered before the measured ones go in, and reported apart.
const warmUp = 3 * time.Second

// latencyAt inserts single-row transactions at a steady rate from four connections for d, after
// warmUp at the same rate, each row's commit time taken by its client when COMMIT returns and
// its arrival by the receiver.
func latencyAt(ctx context.Context, b *bench, rate int, d, goal time.Duration) (row, error) {
	warm, n := rate*int(warmUp/time.Second), rate*int(d/time.Second)
	e, err := b.newEnv(ctx, warm+n, 1, unlimited)
	if err != nil {
		return row{}, err
	}
	defer e.close()
	// A webhook that must stay within the goal sends what waits as digests once it is
	// latencyDigestAfter behind: one request in flight cannot go faster.
	e.hookDigestAfter = latencyDigestAfter.String()
	if err := e.configure(unlimited); err != nil {
		return row{}, err
	}
	if err := e.start(); err != nil {
		return row{}, err
	}
	if err := e.ready(ctx); err != nil {
		return row{}, err
	}
	committed := make([]time.Time, warm+n)
	if err := e.insertSingles(ctx, 0, warm, 4, float64(rate), committed); err != nil {
		return row{}, err
	}
	if err := e.waitDelivered(ctx, warm, 5*time.Minute); err != nil {
		return row{}, err
	}
	_, warmRequests := e.hook.counts()
	t0 := time.Now()
	if err := e.insertSingles(ctx, warm, warm+n, 4, float64(rate), committed); err != nil {
		return row{}, err
	}
	achieved := float64(n) / time.Since(t0).Seconds()
	if err := e.waitDelivered(ctx, warm+n, 5*time.Minute); err != nil {
		return row{}, err
	}
	_, requests := e.hook.counts()
	first := e.hook.latencies(committed, 0, warm)
	slices.Sort(first)
	lat := e.hook.latencies(committed, warm, warm+n)
	slices.Sort(lat)
	p50, p99, top := percentile(lat, 0.50), percentile(lat, 0.99), lat[len(lat)-1]
	fmt.Printf("  %d txn/s for %.0f s (achieved %.0f/s): p50 %s, p99 %s, max %s; %d requests for %d rows\n",
		rate, d.Seconds(), achieved, ms(p50), ms(p99), ms(top), requests-warmRequests, n)
	fmt.Printf("    the warm-up before it, the daemon's first %.0f s at the same rate, not counted: p50 %s, p99 %s, max %s\n",
		warmUp.Seconds(), ms(percentile(first, 0.50)), ms(percentile(first, 0.99)), ms(first[len(first)-1]))
	if err := e.stages(ctx, committed, warm, warm+n); err != nil {
		return row{}, err
	}
	e.stop()
	ceiling, err := loadedCeiling(ctx, e, rate, warm+n)
	if err != nil {
		return row{}, err
	}
	fmt.Printf("    one request at a time under the same load without walnotify (a serial keep-alive client, the same body, while %d txn/s go in and pg_recvlogical streams them): %s\n",
		rate, perSecond(ceiling))
	return row{
		what:  fmt.Sprintf("commit-to-delivery at %d txn/s for %.0f s (achieved %.0f/s), digest_after %s", rate, d.Seconds(), achieved, latencyDigestAfter),
		value: fmt.Sprintf("p99 %s (p50 %s, max %s)", ms(p99), ms(p50), ms(top)),
		ref:   "one request at a time, same load: " + perSecond(ceiling),
		ratio: math.NaN(), target: "p99 < " + ms(goal), pass: p99 < goal,
	}, nil
}

// stages prints where the measured rows' latency went: from the client's COMMIT to the
// outbox (the stream, the rules, the rendering and the outbox commit, up to the start of the
// outbox transaction that holds the row: its created_at), then from there to the webhook
// (the outbox commit, the queue read and the requests ahead of it). One clock serves the
// client, the server and the receiver: they run on this machine.
func (e *env) stages(ctx context.Context, committed []time.Time, from, to int) error {
	rows, err := e.db.Query(ctx, `SELECT docname, created_at FROM walnotify.delivery`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var stream, deliver []time.Duration
	e.hook.mu.Lock()
	defer e.hook.mu.Unlock()
	for rows.Next() {
		var name string
		var created time.Time
		if err := rows.Scan(&name, &created); err != nil {
			return err
		}
		m := rowName.FindStringSubmatch(name)
		if m == nil {
			continue
		}
		i, _ := strconv.Atoi(m[1])
		if i < from || i >= to || committed[i].IsZero() || e.hook.arrived[i].IsZero() {
			continue
		}
		stream = append(stream, created.Sub(committed[i]))
		deliver = append(deliver, e.hook.arrived[i].Sub(created))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(stream) == 0 {
		return fmt.Errorf("no measured row found in the outbox")
	}
	slices.Sort(stream)
	slices.Sort(deliver)
	fmt.Printf("    where it went: commit to the outbox p50 %s, p99 %s; outbox to the webhook p50 %s, p99 %s\n",
		ms(percentile(stream, 0.50)), ms(percentile(stream, 0.99)), ms(percentile(deliver, 0.50)), ms(percentile(deliver, 0.99)))
	return nil
}

// loadedCeiling is how many requests a second one request in flight reaches under a latency
// phase's load, walnotify aside: the serial keep-alive client posting a delivered message's
// body to the same receiver, while single-row transactions go in at rate (rows from on) and
// pg_recvlogical streams them, as the daemon's WAL sender would: what the machine leaves one
// request at a time under that load, the daemon's own work aside.
func loadedCeiling(ctx context.Context, e *env, rate, from int) (float64, error) {
	if _, err := e.db.Exec(ctx, `SELECT pg_create_logical_replication_slot('bench_ref_load', 'pgoutput')`); err != nil {
		return 0, err
	}
	load, stop := context.WithCancel(ctx)
	defer stop()
	recv, err := e.recvLogical(load, "bench_ref_load")
	if err != nil {
		return 0, err
	}
	if err := recv.Start(); err != nil {
		return 0, err
	}
	inserted := make(chan error, 1)
	go func() { inserted <- e.insertSingles(load, from, from+rate*600, 4, float64(rate), nil) }()
	time.Sleep(2 * time.Second) // the inserts reach their pace
	r, err := serialRate(ctx, e.hook.url("/ref"), e.hook.sample(), 10*rate, 1, false)
	stop()
	<-inserted
	recv.Wait()
	return r, err
}

// backlog: rows inserted with the daemon stopped in 1,000-row transactions, then drained by a
// fresh daemon; notifications delivered per second (a digest counts each it holds) from the
// first arrival to the last, a large backlog against a 10,000-row one.
func backlog(ctx context.Context, b *bench, s sizes) ([]row, error) {
	small, err := drain(ctx, b, 10000)
	if err != nil {
		return nil, err
	}
	large, err := drain(ctx, b, s.backlog)
	if err != nil {
		return nil, err
	}
	return []row{{
		what:  fmt.Sprintf("%s-row backlog drained (daemon started after the inserts)", count(s.backlog)),
		value: perSecond(large), ref: "10,000-row backlog: " + perSecond(small),
		ratio: large / small, target: ">= 0.8x", pass: large/small >= 0.8,
	}}, nil
}

func drain(ctx context.Context, b *bench, rows int) (float64, error) {
	e, err := b.newEnv(ctx, rows, 1, unlimited)
	if err != nil {
		return 0, err
	}
	defer e.close()
	t0 := time.Now()
	if err := e.insertBulk(ctx, 0, rows, 1000); err != nil {
		return 0, err
	}
	inserted := time.Since(t0)
	t0 = time.Now()
	if err := e.start(); err != nil {
		return 0, err
	}
	if err := e.waitDelivered(ctx, rows, 30*time.Minute); err != nil {
		return 0, err
	}
	rate := e.hook.rate()
	_, requests := e.hook.counts()
	fmt.Printf("  backlog of %d rows (inserted in %.1fs): all delivered %.1fs after the daemon started, %s from first to last arrival, %d requests\n",
		rows, inserted.Seconds(), e.hook.lastArrival().Sub(t0).Seconds(), perSecond(rate), requests)
	return rate, nil
}

// bigTransaction: one transaction of rows rows, each firing the rule, with the daemon running;
// its peak RSS (VmHWM) once all are in the outbox, and the time from COMMIT to then.
func bigTransaction(ctx context.Context, b *bench, s sizes) ([]row, error) {
	e, err := b.newEnv(ctx, s.bigTx, 1, unlimited)
	if err != nil {
		return nil, err
	}
	defer e.close()
	if err := e.start(); err != nil {
		return nil, err
	}
	if err := e.ready(ctx); err != nil {
		return nil, err
	}
	t0 := time.Now()
	if err := e.insertBulk(ctx, 0, s.bigTx, s.bigTx); err != nil {
		return nil, err
	}
	committed := time.Now()
	at, err := e.waitOutbox(ctx, s.bigTx, 20*time.Minute)
	if err != nil {
		return nil, err
	}
	rss, err := e.peakRSS()
	if err != nil {
		return nil, err
	}
	fmt.Printf("  one %d-row transaction (inserted in %.1fs): in the outbox %.1fs after COMMIT, %d delivered meanwhile; peak RSS %.0f MB\n",
		s.bigTx, committed.Sub(t0).Seconds(), at.Sub(committed).Seconds(), e.hook.delivered(), rss)
	return []row{{
		what:  fmt.Sprintf("peak RSS (VmHWM), one %s-row transaction, rule on every row", count(s.bigTx)),
		value: fmt.Sprintf("%.0f MB (outbox %.0fs after COMMIT)", rss, at.Sub(committed).Seconds()), ref: "",
		ratio: math.NaN(), target: "< 150 MB", pass: rss < 150,
	}}, nil
}

// serialRate runs the reference client in a process of its own, as the daemon is: this program
// again with -serial-client, posting body n times to url; with clients > 1, that many serial
// clients at once, each on its own connection, n requests in all. With netHTTP, the client is
// net/http's Transport instead of walnotify's.
func serialRate(ctx context.Context, url string, body []byte, n, clients int, netHTTP bool) (float64, error) {
	self, err := os.Executable()
	if err != nil {
		return 0, err
	}
	cmd := exec.CommandContext(ctx, self, "-serial-client", url, "-serial-requests", strconv.Itoa(n), "-serial-clients", strconv.Itoa(clients),
		"-serial-net-http="+strconv.FormatBool(netHTTP))
	cmd.Stdin = bytes.NewReader(body)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return 0, fmt.Errorf("serial client: %w", err)
	}
	return strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
}

// serialClient posts body n times to url from clients goroutines, each one request at a time
// on a keep-alive connection of its own, and prints the requests per second. Its HTTP client is
// walnotify's (sender.NewClient), faster here than net/http's Transport, so that the reference
// is the fastest serial client known; with netHTTP, net/http's.
func serialClient(url string, body []byte, n, clients int, netHTTP bool) error {
	errs := make(chan error, clients)
	t0 := time.Now()
	for c := range clients {
		go func() {
			client := sender.NewClient(10 * time.Second)
			if netHTTP {
				client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{}}
			}
			for i := c; i < n; i += clients {
				resp, err := client.Post(url, "application/json", bytes.NewReader(body))
				if err != nil {
					errs <- err
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			errs <- nil
		}()
	}
	for range clients {
		if err := <-errs; err != nil {
			return err
		}
	}
	fmt.Println(float64(n) / time.Since(t0).Seconds())
	return nil
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	return sorted[int(p*float64(len(sorted)-1))]
}

// The delivery phase's turns: the daemon delivers for turnLength, then waits (stopped) while
// the reference client posts turnRequests requests (about a second), and so on.
const (
	turnLength   = 2 * time.Second
	turnRequests = 5000
)

// turns is what byTurns measured: each rate counts its own turns only.
type turns struct {
	daemon, reference float64
	refMin, refMax    float64
	// netHTTP is the reference's rate with net/http's Transport, measured in the same turns.
	netHTTP float64
	// each is the daemon's rate in each of its turns, in order.
	each        []float64
	daemonTurns int
}

// byTurns measures the started daemon's delivery of rows against the reference client by
// turns, so that a drift of the machine's pace during the phase (other load, writeback,
// autovacuum) weighs on both alike: the daemon delivers for length, then is stopped (SIGSTOP)
// while the reference client posts n requests of body to the same receiver, then resumes
// (SIGCONT); until all rows have arrived. The daemon's rate counts from its first arrival, and
// its last turn ends at its last arrival.
func (e *env) byTurns(ctx context.Context, rows int, body []byte, length time.Duration, n int) (turns, error) {
	var t turns
	before := e.hook.delivered()
	if err := e.until(ctx, time.Millisecond, time.Minute, "the first delivery", func() (bool, error) {
		return e.hook.delivered() > before, nil
	}); err != nil {
		return t, err
	}
	proc := e.daemon.Process
	var active, refTime, netTime time.Duration
	delivered, posted := 0, 0
	first := true
	for {
		t0, c0 := time.Now(), e.hook.delivered()
		if first {
			t0, c0, first = e.hook.firstArrival(), before+1, false
		}
		for end := t0.Add(length); time.Now().Before(end) && e.hook.delivered() < rows; {
			if err := e.alive(); err != nil {
				return t, err
			}
			time.Sleep(5 * time.Millisecond)
		}
		if err := proc.Signal(syscall.SIGSTOP); err != nil {
			return t, err
		}
		t1, c1 := time.Now(), e.hook.delivered()
		done := c1 >= rows
		if done {
			t1 = e.hook.lastArrival()
		}
		active += t1.Sub(t0)
		delivered += c1 - c0
		t.each = append(t.each, float64(c1-c0)/t1.Sub(t0).Seconds())
		t.daemonTurns++
		if !done || posted == 0 {
			rate, err := serialRate(ctx, e.hook.url("/ref"), body, n, 1, false)
			var plain float64
			if err == nil {
				plain, err = serialRate(ctx, e.hook.url("/ref"), body, n, 1, true)
			}
			if err != nil {
				proc.Signal(syscall.SIGCONT)
				return t, err
			}
			refTime += time.Duration(float64(n) / rate * float64(time.Second))
			netTime += time.Duration(float64(n) / plain * float64(time.Second))
			posted += n
			if t.refMin == 0 || rate < t.refMin {
				t.refMin = rate
			}
			t.refMax = max(t.refMax, rate)
		}
		if err := proc.Signal(syscall.SIGCONT); err != nil {
			return t, err
		}
		if done {
			break
		}
	}
	t.daemon = float64(delivered) / active.Seconds()
	t.reference = float64(posted) / refTime.Seconds()
	t.netHTTP = float64(posted) / netTime.Seconds()
	return t, nil
}
