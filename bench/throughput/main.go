// Command throughput measures walnotify end to end on this machine: a throwaway PostgreSQL, a
// walnotify binary built from this tree, N rows inserted in transactions of a given size, and a
// local webhook. It reports how fast the rows become outbox entries (stream -> rules -> render ->
// outbox) and deliveries, the commit-to-delivery latency, and the daemon's peak RSS.
//
//	go run ./bench/throughput -rows 20000 -tx 10 [-catchup] [-fsync]
//
// It also runs two references on the same cluster and receiver: pg_recvlogical draining the
// same WAL through a second slot, and a serial keep-alive client posting as many requests; each
// figure is printed beside its reference with the ratio. -catchup inserts with the daemon
// stopped and times its catch-up, the same measure as pg_recvlogical's.
//
// Machines here are shared: compare figures of one run, not across runs.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"walnotify/internal/pgcluster"
)

func main() {
	rows := flag.Int("rows", 20000, "rows to insert (one notification each)")
	txSize := flag.Int("tx", 10, "rows per transaction")
	catchUp := flag.Bool("catchup", false, "insert with the daemon stopped, then time its catch-up (the same measure as pg_recvlogical's)")
	fsync := flag.Bool("fsync", false, "run the server with fsync on, as real servers do")
	flag.Parse()
	if err := run(*rows, *txSize, *fsync, *catchUp); err != nil {
		log.Fatal(err)
	}
}

func run(rows, txSize int, fsync, catchUp bool) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "walnotify-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "walnotify")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/walnotify").CombinedOutput(); err != nil {
		return fmt.Errorf("build: %v: %s", err, out)
	}
	opts := pgcluster.Options{}
	if fsync {
		opts.Settings = map[string]string{"fsync": "on"}
	}
	cluster, err := pgcluster.Start(ctx, opts)
	if err != nil {
		return err
	}
	defer cluster.Stop()
	conn, err := pgx.Connect(ctx, cluster.DSN("postgres"))
	if err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, `CREATE DATABASE erp`); err != nil {
		return err
	}
	conn.Close(ctx)
	dsn := cluster.DSN("erp")
	erp, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer erp.Close(ctx)
	if _, err := erp.Exec(ctx, `CREATE TABLE "tabIssue" (name text PRIMARY KEY, docstatus smallint NOT NULL DEFAULT 0,
  subject text, customer text, priority text, status text DEFAULT 'Open', modified timestamp(6) DEFAULT localtimestamp)`); err != nil {
		return err
	}

	hook := &counter{arrived: map[string]time.Time{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go http.Serve(ln, hook)
	cfg := filepath.Join(dir, "walnotify.toml")
	os.WriteFile(cfg, []byte(fmt.Sprintf(`
[database]
dsn = %q
[site]
url = "https://erp.example.com"
[http]
listen = ""
[log]
level = "warn"
[[webhook]]
name = "bench"
service = "Slack"
url = "http://%s/hook"
rate = 100000.0
burst = 1000
[[notification]]
name = "New ticket"
document_type = "Issue"
event = "New"
condition = 'doc.priority in ("High", "Medium") and doc.customer'
message = '''*New ticket* {{ doc.name }}: {{ doc.subject }}
• Customer: {{ doc.customer or "unknown" }} ({{ doc.priority }})'''
webhook = "bench"
`, dsn, ln.Addr())), 0o600)
	if out, err := exec.Command(bin, "setup", "--apply", "-c", cfg).CombinedOutput(); err != nil {
		return fmt.Errorf("setup: %v: %s", err, out)
	}
	var daemon *exec.Cmd
	startDaemon := func() error {
		daemon = exec.Command(bin, "run", "-c", cfg)
		daemon.Stderr = os.Stderr
		return daemon.Start()
	}
	if err := startDaemon(); err != nil {
		return err
	}
	defer func() { daemon.Process.Signal(os.Interrupt); daemon.Wait() }()
	for {
		var active bool
		erp.QueryRow(ctx, `SELECT active FROM pg_replication_slots WHERE slot_name = 'walnotify'`).Scan(&active)
		if active {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}

	// The reference reader: a second slot on the same WAL, drained by pg_recvlogical afterwards.
	if _, err := erp.Exec(ctx, `SELECT pg_create_logical_replication_slot('bench_ref', 'pgoutput')`); err != nil {
		return err
	}
	fmt.Printf("walnotify throughput: %d rows in transactions of %d, fsync %v, one notification per row\n", rows, txSize, fsync)
	if catchUp {
		daemon.Process.Signal(os.Interrupt)
		daemon.Wait()
	}
	committed := make(map[string]time.Time, rows)
	start := time.Now()
	for i := 0; i < rows; i += txSize {
		b := &pgx.Batch{}
		b.Queue("BEGIN")
		var names []string
		for j := i; j < min(i+txSize, rows); j++ {
			name := fmt.Sprintf("ISS-%07d", j)
			names = append(names, name)
			b.Queue(`INSERT INTO "tabIssue" (name, subject, customer, priority) VALUES ($1, 'Printer on fire', 'Boulangerie Lemoine', 'High')`, name)
		}
		b.Queue("COMMIT")
		if err := erp.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		now := time.Now()
		for _, n := range names {
			committed[n] = now
		}
	}
	inserted := time.Since(start)
	if catchUp {
		// Inserted with the daemon stopped: time its catch-up from its start, delivery running.
		start = time.Now()
		if err := startDaemon(); err != nil {
			return err
		}
	}
	var enqueued time.Duration
	for {
		var n int
		erp.QueryRow(ctx, `SELECT count(*) FROM walnotify.delivery`).Scan(&n)
		if n >= rows && enqueued == 0 {
			enqueued = time.Since(start)
		}
		if hook.total() >= rows {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	delivered := time.Since(start)
	rss := peakRSS(daemon.Process.Pid)
	lat := hook.latencies(committed)
	reqs := hook.requests()

	// References of the same run: pg_recvlogical reading the same WAL, and a serial keep-alive
	// client posting as many requests to the same receiver.
	var end string
	if err := erp.QueryRow(ctx, `SELECT pg_current_wal_lsn()::text`).Scan(&end); err != nil {
		return err
	}
	t0 := time.Now()
	recv := exec.Command("pg_recvlogical", "-d", dsn, "-S", "bench_ref", "--start", "-E", end, "-f", "/dev/null",
		"-o", "proto_version=1", "-o", "publication_names=walnotify", "--no-loop")
	if out, err := recv.CombinedOutput(); err != nil {
		return fmt.Errorf("pg_recvlogical: %v: %s", err, out)
	}
	recvTime := time.Since(t0)
	client := &http.Client{Timeout: 10 * time.Second}
	body := `{"text":"*New ticket* REF-0000001: Printer on fire\n• Customer: Boulangerie Lemoine (High)"}`
	t0 = time.Now()
	for range reqs {
		resp, err := client.Post("http://"+ln.Addr().String()+"/ref", "application/json", strings.NewReader(body))
		if err != nil {
			return err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	serial := time.Since(t0)

	keep := float64(rows) / enqueued.Seconds()
	ref := float64(rows) / recvTime.Seconds()
	rate := float64(reqs) / delivered.Seconds()
	refRate := float64(reqs) / serial.Seconds()
	fmt.Printf("  inserted (client side)      %8.2fs  %9.0f rows/s\n", inserted.Seconds(), float64(rows)/inserted.Seconds())
	fmt.Printf("  all in the outbox           %8.2fs  %9.0f notifications/s (keep-up, delivery running)\n", enqueued.Seconds(), keep)
	fmt.Printf("    pg_recvlogical, same WAL  %8.2fs  %9.0f rows/s   ratio %.2f\n", recvTime.Seconds(), ref, keep/ref)
	fmt.Printf("  all delivered               %8.2fs  %9.0f requests/s, %d requests for %d notifications\n", delivered.Seconds(), rate, reqs, rows)
	fmt.Printf("    serial keep-alive client  %8.2fs  %9.0f requests/s   ratio %.2f\n", serial.Seconds(), refRate, rate/refRate)
	fmt.Printf("  commit-to-delivery latency  p50 %s  p99 %s\n", lat(0.50), lat(0.99))
	fmt.Printf("  daemon peak RSS             %s\n", rss)
	return nil
}

// counter is the webhook: it notes when each document's notification arrives (a digest holds
// several).
type counter struct {
	mu      sync.Mutex
	arrived map[string]time.Time
	reqs    int
}

var docName = regexp.MustCompile(`ISS-\d{7}`)

func (c *counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	now := time.Now()
	c.mu.Lock()
	c.reqs++
	for _, name := range docName.FindAllString(string(b), -1) {
		if _, seen := c.arrived[name]; !seen {
			c.arrived[name] = now
		}
	}
	c.mu.Unlock()
	io.WriteString(w, "ok")
}

func (c *counter) total() int    { c.mu.Lock(); defer c.mu.Unlock(); return len(c.arrived) }
func (c *counter) requests() int { c.mu.Lock(); defer c.mu.Unlock(); return c.reqs }

// latencies returns the percentiles of commit-to-delivery time.
func (c *counter) latencies(committed map[string]time.Time) func(float64) time.Duration {
	c.mu.Lock()
	var lat []time.Duration
	for name, at := range c.arrived {
		lat = append(lat, at.Sub(committed[name]))
	}
	c.mu.Unlock()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	return func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[int(p*float64(len(lat)-1))].Round(time.Millisecond)
	}
}

func peakRSS(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:"))
		}
	}
	return "unknown"
}
