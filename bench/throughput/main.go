// Command throughput measures walnotify against the goals of issue 14 on this machine and prints
// each figure beside a reference measured in the same run, the ratio, and PASS or FAIL:
//
//	go run ./bench/throughput                  # the sizes (14-17 min here)
//	go run ./bench/throughput -quick           # shorter phases, for development
//	go run ./bench/throughput -only latency    # some phases: keepup,delivery,fanout,latency,backlog,bigtx
//
// It builds walnotify from this tree and starts one throwaway PostgreSQL (internal/pgcluster,
// fsync off unless a phase turns it on). Each phase has its own database, slot, outbox, local
// webhook receiver and daemon, all dropped when it ends, so one phase's backlog cannot slow the
// next. The webhooks are Slack webhooks at an unlimited rate, one rule firing on every row:
//
//   - keepup: 100,000 single-row transactions inserted with the daemon stopped, then its
//     catch-up timed from its start until all are in the outbox, delivery running meanwhile;
//     reference: pg_recvlogical draining the same WAL through slots of its own, just before
//     the catch-up and just after it (their mean).
//   - delivery: 50,000 entries put in the outbox while the webhook's rate lets nothing out, then
//     a fresh daemon at an unlimited rate and digests held off (digest_after = "1h": one request
//     per message, the per-request pace), with fsync off and then on (ALTER SYSTEM SET fsync and
//     a reload, same cluster); reference: a serial keep-alive client posting the daemon's own
//     body to the same receiver (which does the same work for it as for a delivery), with
//     walnotify's HTTP client, the fastest serial client known here; beside it, the same client
//     with net/http's Transport. They run by turns with the daemon (stopped during theirs),
//     each rate over its own turns. Every other reference client is walnotify's too.
//   - fanout: the same with eight webhooks, rules spreading the rows evenly; reference: one
//     webhook's rate (fsync off) of this run.
//   - latency: single-row transactions paced at 500/s, then 2,000/s, 60 s each, after a
//     3 s warm-up at the same rate (the daemon's first seconds, delivered first and reported
//     apart), the webhook's digest_after at 50ms (a webhook that must stay within 100 ms of
//     the ERP: what waits longer goes as digests, a digest's arrival counting for each
//     notification it holds); latency is the webhook's arrival time minus the time the client's COMMIT returned, split in two at the
//     start of the outbox transaction that holds the row (its created_at): commit to the
//     outbox, outbox to the webhook. Beside it, what one request at a time reaches under the
//     same load without walnotify: the serial client while the same inserts go on and
//     pg_recvlogical streams them.
//   - backlog: 10,000 and then 1,000,000 rows inserted in 1,000-row transactions with the
//     daemon stopped, then drained; notifications per second from the first arrival to the last
//     (a digest counts every notification it holds).
//   - bigtx: one 1,000,000-row transaction with the daemon running: its peak RSS (VmHWM) once
//     all are in the outbox, and the time from COMMIT to then.
//
// The machine is shared: the load average is printed at the start and the end, and only figures
// of one run should be compared. Most of the run time is the 1,000,000-row backlog, delivered
// at the daemon's pace.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"walnotify/internal/pgcluster"
)

// sizes are the phases' sizes: the by default, smaller with -quick.
type sizes struct {
	keepUp, deliver, backlog, bigTx int
	latency                         time.Duration
}

func main() {
	quick := flag.Bool("quick", false, "short phases: 20,000 rows instead of 100,000 and 50,000, 5 s latency phases, 100,000 instead of 1,000,000")
	only := flag.String("only", "", "comma-separated phases to run (default all): keepup,delivery,fanout,latency,backlog,bigtx")
	serial := flag.String("serial-client", "", "internal: be the reference client, posting stdin's body to this URL")
	requests := flag.Int("serial-requests", 0, "internal: how many requests the reference client posts")
	profiles := flag.String("profiles", "", "write each daemon's CPU profile to this folder (erpN-K.pprof: the Kth daemon started, on database erpN)")
	clients := flag.Int("serial-clients", 1, "internal: how many reference clients post at once, each on its own connection")
	netHTTP := flag.Bool("serial-net-http", false, "internal: the reference client uses net/http's Transport, not walnotify's HTTP client")
	flag.Parse()
	if *serial != "" {
		body, err := io.ReadAll(os.Stdin)
		if err == nil {
			err = serialClient(*serial, body, *requests, *clients, *netHTTP)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "serial client:", err)
			os.Exit(1)
		}
		return
	}
	s := sizes{keepUp: 100000, deliver: 50000, backlog: 1000000, bigTx: 1000000, latency: 60 * time.Second}
	if *quick {
		s = sizes{keepUp: 20000, deliver: 20000, backlog: 100000, bigTx: 100000, latency: 5 * time.Second}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, s, *only, *profiles)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "throughput:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, s sizes, only, profiles string) error {
	var selected []phase
	for _, p := range phases() {
		if only == "" || slices.Contains(strings.Split(only, ","), p.name) {
			selected = append(selected, p)
		}
	}
	if len(selected) == 0 {
		return fmt.Errorf("-only %q names no phase", only)
	}
	begin := time.Now()
	b, err := newBench(ctx)
	if err != nil {
		return err
	}
	defer b.close()
	b.profiles = profiles
	commit, _ := exec.Command("git", "log", "-1", "--format=%h %s").Output()
	fmt.Printf("walnotify throughput, commit %s", commit)
	fmt.Printf("load average at start: %s\n", loadAverage())
	var rows []row
	for _, p := range selected {
		fmt.Printf("%s:\n", p.name)
		r, err := p.run(ctx, b, s)
		if err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
		rows = append(rows, r...)
	}
	fmt.Printf("load average at end: %s; run time %s\n\n", loadAverage(), time.Since(begin).Round(time.Second))
	printTable(rows)
	return nil
}

// newBench builds walnotify and starts the cluster.
func newBench(ctx context.Context) (*bench, error) {
	dir, err := os.MkdirTemp("", "walnotify-bench-")
	if err != nil {
		return nil, err
	}
	b := &bench{dir: dir, bin: filepath.Join(dir, "walnotify")}
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", b.bin, "./cmd/walnotify").CombinedOutput(); err != nil {
		b.close()
		return nil, fmt.Errorf("build: %v: %s", err, out)
	}
	if b.cluster, err = pgcluster.Start(ctx, pgcluster.Options{}); err != nil {
		b.close()
		return nil, err
	}
	if b.admin, err = pgx.Connect(ctx, b.cluster.DSN("postgres")); err != nil {
		b.close()
		return nil, err
	}
	return b, nil
}

// close stops the cluster (its slots and databases go with it) and removes the temp dir.
func (b *bench) close() {
	if b.admin != nil {
		b.admin.Close(context.Background())
	}
	if b.cluster != nil {
		b.cluster.Stop()
	}
	os.RemoveAll(b.dir)
}

// setFsync turns fsync on or off for the whole cluster and waits until sessions see it.
func (b *bench) setFsync(ctx context.Context, on bool) error {
	if _, err := b.admin.Exec(ctx, `ALTER SYSTEM SET fsync = `+onOff(on)); err != nil {
		return err
	}
	if _, err := b.admin.Exec(ctx, `SELECT pg_reload_conf()`); err != nil {
		return err
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		var v string
		if err := b.admin.QueryRow(ctx, `SHOW fsync`).Scan(&v); err != nil {
			return err
		}
		if v == onOff(on) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("fsync still %s after a reload", v)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// ready waits until the daemon streams (its slot is active).
func (e *env) ready(ctx context.Context) error {
	return e.until(ctx, 20*time.Millisecond, time.Minute, "the daemon's slot", func() (bool, error) {
		var active bool
		err := e.db.QueryRow(ctx, `SELECT coalesce(bool_or(active), false) FROM pg_replication_slots WHERE slot_name = 'walnotify'`).Scan(&active)
		return active, err
	})
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

// row is one line of the result table; ratio is NaN for goals without a reference.
type row struct {
	what, value, ref, target string
	ratio                    float64
	pass                     bool
}

// printTable prints the rows as a Markdown table, for the README as it is.
func printTable(rows []row) {
	cells := [][]string{{"figure", "walnotify", "reference, same run", "ratio", "goal", "result"}}
	for _, r := range rows {
		ratio := "—"
		if !math.IsNaN(r.ratio) {
			ratio = fmt.Sprintf("%.2f", r.ratio)
		}
		result := "FAIL"
		if r.pass {
			result = "PASS"
		}
		if r.target == "—" {
			result = "—" // a reference, not a goal
		}
		ref := r.ref
		if ref == "" {
			ref = "—"
		}
		cells = append(cells, []string{r.what, r.value, ref, ratio, r.target, result})
	}
	width := make([]int, len(cells[0]))
	for _, line := range cells {
		for i, c := range line {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	for n, line := range cells {
		for i, c := range line {
			fmt.Printf("| %s%s ", c, strings.Repeat(" ", width[i]-len([]rune(c))))
		}
		fmt.Println("|")
		if n == 0 {
			for i := range line {
				fmt.Printf("|%s", strings.Repeat("-", width[i]+2))
			}
			fmt.Println("|")
		}
	}
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

// count writes n with thousands separators.
func count(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func perSecond(rate float64) string { return count(int(math.Round(rate))) + "/s" }

func ms(d time.Duration) string {
	if d < 10*time.Millisecond {
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
}
