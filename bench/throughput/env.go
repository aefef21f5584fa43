package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"walnotify/internal/pgcluster"
)

// bench is what the phases share: the walnotify binary and one throwaway cluster. Each phase
// gets its own database, slot, outbox, receiver and daemon (an env), dropped when it ends.
type bench struct {
	bin     string
	dir     string
	cluster *pgcluster.Cluster
	admin   *pgx.Conn
	dbs     int
	// profiles, when set, is where each daemon writes its CPU profile (run --cpuprofile).
	profiles string
	starts   int
	// oneWebhook is the delivery phase's one-webhook rate (fsync off), fanout's reference.
	oneWebhook float64
}

// env is one phase's world: database "erpN" with tabIssue, a config with `webhooks` webhooks to
// one receiver, and at most one daemon at a time.
type env struct {
	b        *bench
	name     string
	dsn      string
	db       *pgx.Conn
	hook     *receiver
	cfg      string
	webhooks int
	// digestAfter is the daemon's [delivery] digest_after, hookDigestAfter each webhook's
	// own; "" keeps the default.
	digestAfter, hookDigestAfter string
	daemon                       *exec.Cmd
	exited                       chan struct{}
}

// Rows are "ISS-0000000"...; customer "Customer 0".."Customer 7" in turn spreads them over
// eight webhooks' rules. Every row fires exactly one rule.
const issueTable = `CREATE TABLE "tabIssue" (name text PRIMARY KEY, docstatus smallint NOT NULL DEFAULT 0,
  subject text, customer text, priority text, status text DEFAULT 'Open', modified timestamp(6) DEFAULT localtimestamp)`

const insertRange = `INSERT INTO "tabIssue" (name, subject, customer, priority)
  SELECT 'ISS-' || lpad(g::text, 7, '0'), 'Printer on fire', 'Customer ' || (g % 8), 'High'
  FROM generate_series($1::int, $2::int - 1) g`

// newEnv creates a fresh database for rows notifications to `webhooks` webhooks (rate per
// second each) and runs `walnotify setup --apply`, which creates the slot. The daemon is not
// started.
func (b *bench) newEnv(ctx context.Context, rows, webhooks int, rate float64) (*env, error) {
	b.dbs++
	e := &env{b: b, name: fmt.Sprintf("erp%d", b.dbs), webhooks: webhooks}
	if _, err := b.admin.Exec(ctx, `CHECKPOINT`); err != nil {
		return nil, err
	}
	if _, err := b.admin.Exec(ctx, `CREATE DATABASE `+e.name); err != nil {
		return nil, err
	}
	e.dsn = b.cluster.DSN(e.name)
	e.hook = newReceiver(rows)
	e.cfg = filepath.Join(b.dir, e.name+".toml")
	var err error
	if e.db, err = pgx.Connect(ctx, e.dsn); err != nil {
		e.close()
		return nil, err
	}
	if _, err := e.db.Exec(ctx, issueTable); err != nil {
		e.close()
		return nil, err
	}
	if err := e.configure(rate); err != nil {
		e.close()
		return nil, err
	}
	if out, err := exec.CommandContext(ctx, b.bin, "setup", "--apply", "-c", e.cfg).CombinedOutput(); err != nil {
		e.close()
		return nil, fmt.Errorf("setup: %v: %s", err, out)
	}
	return e, nil
}

// configure writes the config: one rule per webhook, each taking its customers' rows.
func (e *env) configure(rate float64) error {
	var b strings.Builder
	fmt.Fprintf(&b, `[database]
dsn = %q
[site]
url = "https://erp.example.com"
[http]
listen = ""
[log]
level = "warn"
`, e.dsn)
	if e.digestAfter != "" {
		fmt.Fprintf(&b, "[delivery]\ndigest_after = %q\n", e.digestAfter)
	}
	hookDigestAfter := ""
	if e.hookDigestAfter != "" {
		hookDigestAfter = fmt.Sprintf("digest_after = %q\n", e.hookDigestAfter)
	}
	for w := range e.webhooks {
		condition := `doc.priority in ("High", "Medium") and doc.customer`
		if e.webhooks > 1 {
			var customers []string
			for c := w; c < 8; c += e.webhooks {
				customers = append(customers, fmt.Sprintf(`"Customer %d"`, c))
			}
			condition = fmt.Sprintf(`doc.priority in ("High", "Medium") and doc.customer in [%s]`, strings.Join(customers, ", "))
		}
		fmt.Fprintf(&b, `[[webhook]]
name = "hook%d"
service = "Slack"
url = %q
rate = %g
burst = 1
%s[[notification]]
name = "New ticket %d"
document_type = "Issue"
event = "New"
condition = '%s'
message = '''*New ticket* {{ doc.name }}: {{ doc.subject }}
• Customer: {{ doc.customer or "unknown" }} ({{ doc.priority }})'''
webhook = "hook%d"
`, w, e.hook.url(fmt.Sprintf("/hook%d", w)), rate, hookDigestAfter, w, condition, w)
	}
	return os.WriteFile(e.cfg, []byte(b.String()), 0o600)
}

// start runs the daemon.
func (e *env) start() error {
	args := []string{"run", "-c", e.cfg}
	if e.b.profiles != "" {
		e.b.starts++
		args = append(args, "--cpuprofile", filepath.Join(e.b.profiles, fmt.Sprintf("%s-%d.pprof", e.name, e.b.starts)))
	}
	cmd := exec.Command(e.b.bin, args...)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	e.daemon, e.exited = cmd, make(chan struct{})
	go func() { cmd.Wait(); close(e.exited) }()
	return nil
}

// stop stops the daemon as systemd would (SIGTERM, SIGKILL after 20 s) and waits for it.
func (e *env) stop() {
	if e.daemon == nil {
		return
	}
	e.daemon.Process.Signal(syscall.SIGTERM)
	select {
	case <-e.exited:
	case <-time.After(20 * time.Second):
		e.daemon.Process.Kill()
		<-e.exited
	}
	e.daemon = nil
}

// alive fails once the daemon has exited on its own.
func (e *env) alive() error {
	if e.daemon == nil {
		return nil
	}
	select {
	case <-e.exited:
		return fmt.Errorf("walnotify exited: %v", e.daemon.ProcessState)
	default:
		return nil
	}
}

// peakRSS is the daemon's VmHWM in MB, read while it runs.
func (e *env) peakRSS() (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", e.daemon.Process.Pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb float64
			fmt.Sscanf(strings.TrimSpace(v), "%f kB", &kb)
			return kb / 1024, nil
		}
	}
	return 0, errors.New("no VmHWM in /proc status")
}

// close stops the daemon and the receiver, and drops the phase's slots and database.
func (e *env) close() {
	e.stop()
	if e.hook != nil {
		e.hook.close()
	}
	if e.db != nil {
		e.db.Close(context.Background())
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// The server ends a stopped daemon's WAL sender a moment after it left.
	for {
		var active bool
		err := e.b.admin.QueryRow(ctx, `SELECT coalesce(bool_or(active), false) FROM pg_replication_slots WHERE database = $1`, e.name).Scan(&active)
		if err != nil || !active {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := e.b.admin.Exec(ctx, `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1`, e.name); err != nil {
		fmt.Fprintf(os.Stderr, "dropping the slots of %s: %v\n", e.name, err)
	}
	if _, err := e.b.admin.Exec(ctx, `DROP DATABASE IF EXISTS `+e.name+` WITH (FORCE)`); err != nil {
		fmt.Fprintf(os.Stderr, "dropping %s: %v\n", e.name, err)
	}
}

// until checks cond every interval until it holds, the daemon dies, ctx ends or timeout passes.
func (e *env) until(ctx context.Context, interval, timeout time.Duration, what string, cond func() (bool, error)) error {
	deadline := time.Now().Add(timeout)
	for {
		ok, err := cond()
		if err != nil || ok {
			return err
		}
		if err := e.alive(); err != nil {
			return fmt.Errorf("waiting for %s: %w", what, err)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: not after %s", what, timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(interval):
		}
	}
}

// waitOutbox waits until the outbox holds n entries and returns when it saw them. The pipeline
// commits outbox entries in order, so entries are counted by id ranges (cheap on a million
// rows), with a full count now and then in case one committed out of order.
func (e *env) waitOutbox(ctx context.Context, n int, timeout time.Duration) (time.Time, error) {
	var total, after int64
	polls := 0
	err := e.until(ctx, 20*time.Millisecond, timeout, "the outbox", func() (bool, error) {
		polls++
		if polls%250 == 0 {
			after = 0
			total = 0
		}
		var more int64
		// Simple protocol: planned for each value, so the read stays an index range scan. A
		// cached generic plan turned it into a sequential scan of the whole outbox every 20 ms,
		// CPU taken from the daemon and the server being measured.
		if err := e.db.QueryRow(ctx, `SELECT count(*), coalesce(max(id), $1) FROM walnotify.delivery WHERE id > $1`, pgx.QueryExecModeSimpleProtocol, after).Scan(&more, &after); err != nil {
			if pgErr, ok := errors.AsType[*pgconn.PgError](err); ok && pgErr.Code == "42P01" {
				return false, nil // the daemon has not made its tables yet
			}
			return false, err
		}
		total += more
		return total >= int64(n), nil
	})
	return time.Now(), err
}

// waitDelivered waits until n distinct rows have arrived at the receiver.
func (e *env) waitDelivered(ctx context.Context, n int, timeout time.Duration) error {
	return e.until(ctx, 10*time.Millisecond, timeout, "deliveries", func() (bool, error) {
		return e.hook.delivered() >= n, nil
	})
}

// insertBulk inserts rows [from, to) in transactions of tx rows.
func (e *env) insertBulk(ctx context.Context, from, to, tx int) error {
	for i := from; i < to; i += tx {
		if _, err := e.db.Exec(ctx, insertRange, i, min(i+tx, to)); err != nil {
			return fmt.Errorf("insert: %w", err)
		}
	}
	return nil
}

// insertSingles inserts rows [from, to) one per transaction over conns connections, at most
// perSecond transactions per second in all (0: as fast as they go), and notes each row's
// commit time in committed (indexed by row) when it is not nil.
func (e *env) insertSingles(ctx context.Context, from, to, conns int, perSecond float64, committed []time.Time) error {
	var next atomic.Int64
	next.Store(int64(from))
	start := time.Now()
	errs := make([]error, conns)
	var wg sync.WaitGroup
	for c := range conns {
		wg.Go(func() {
			conn, err := pgx.Connect(ctx, e.dsn)
			if err != nil {
				errs[c] = err
				return
			}
			defer conn.Close(context.Background())
			for {
				i := int(next.Add(1) - 1)
				if i >= to {
					return
				}
				if perSecond > 0 {
					due := start.Add(time.Duration(float64(i-from) / perSecond * float64(time.Second)))
					time.Sleep(time.Until(due))
				}
				if _, err := conn.Exec(ctx, insertRange, i, i+1); err != nil {
					errs[c] = fmt.Errorf("insert: %w", err)
					return
				}
				if committed != nil {
					committed[i] = time.Now()
				}
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// walLSN is the current end of WAL.
func (e *env) walLSN(ctx context.Context) (string, error) {
	var lsn string
	err := e.db.QueryRow(ctx, `SELECT pg_current_wal_lsn()::text`).Scan(&lsn)
	return lsn, err
}

// settle vacuums the tables given and checkpoints, so that autovacuum and a checkpoint do not
// start in the middle of the next timed window for what came before it.
func (e *env) settle(ctx context.Context, tables ...string) error {
	for _, t := range tables {
		if _, err := e.db.Exec(ctx, `VACUUM ANALYZE `+t); err != nil {
			return fmt.Errorf("settle: vacuum %s: %w", t, err)
		}
	}
	if _, err := e.db.Exec(ctx, `CHECKPOINT`); err != nil {
		return fmt.Errorf("settle: checkpoint: %w", err)
	}
	return nil
}
