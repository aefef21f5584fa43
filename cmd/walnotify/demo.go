package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"walnotify/internal/pgcluster"
	"walnotify/prereq"
	"walnotify/rules"
)

var (
	//go:embed demo/schema.sql
	demoSchema string
	//go:embed demo/walnotify.toml
	demoConfig string
)

// demoStep is one thing that happens to the demo's documents.
type demoStep struct {
	title string
	sql   string
	// deliveries is how many messages the step makes.
	deliveries int
	after      func(ctx context.Context, conn *pgx.Conn, w io.Writer)
}

var demoSteps = []demoStep{
	{
		title:      "New: a customer opens an urgent ticket (then Set Property After Alert: acknowledged = 1).\n   The customer's name holds <, > and &: escaped, it shows as text and cannot ping a channel",
		sql:        `INSERT INTO "tabIssue" (name, subject, customer, priority) VALUES ('ISS-0001', 'The invoice PDF shows the wrong VAT rate', 'Boulangerie <Lemoine> & Fils', 'High')`,
		deliveries: 1,
		after: func(ctx context.Context, conn *pgx.Conn, w io.Writer) {
			var ack int
			var modified time.Time
			conn.QueryRow(ctx, `SELECT acknowledged, modified FROM "tabIssue" WHERE name = 'ISS-0001'`).Scan(&ack, &modified)
			fmt.Fprintf(w, "  write-back: tabIssue ISS-0001 acknowledged = %d, modified = %s (raised no event: walnotify tags its own writes)\n", ack, modified.Format("2006-01-02 15:04:05"))
		},
	},
	{
		title:      "Value Change: support replies (status Open -> Replied)",
		sql:        `UPDATE "tabIssue" SET status = 'Replied', modified = localtimestamp WHERE name = 'ISS-0001'`,
		deliveries: 1,
	},
	{
		title: "Save: a draft invoice with two items",
		sql: `BEGIN;
INSERT INTO "tabSales Invoice" (name, customer, customer_name, grand_total, due_date) VALUES ('SINV-0001', 'GIRARD', 'Atelier Girard', 12345.6, '2026-12-31');
INSERT INTO "tabSales Invoice Item" (name, parent, parentfield, parenttype, idx, item_code, item_name, qty, rate, amount) VALUES
  ('sii-1', 'SINV-0001', 'items', 'Sales Invoice', 1, 'CONSEIL', 'Consulting day', 10, 1000, 10000),
  ('sii-2', 'SINV-0001', 'items', 'Sales Invoice', 2, 'LIC', 'ERP licence', 1, 2345.6, 2345.6);
COMMIT`,
		deliveries: 1,
	},
	{
		title:      "Submit: the invoice is validated (docstatus 0 -> 1)",
		sql:        `UPDATE "tabSales Invoice" SET docstatus = 1, status = 'Unpaid', modified = localtimestamp WHERE name = 'SINV-0001'`,
		deliveries: 1,
	},
	{
		title:      "Cancel: the invoice is cancelled (docstatus 1 -> 2)",
		sql:        `UPDATE "tabSales Invoice" SET docstatus = 2, status = 'Cancelled', modified = localtimestamp WHERE name = 'SINV-0001'`,
		deliveries: 1,
	},
	{
		title: "A plain SQL import the application never sees: three tickets, one urgent",
		sql: `INSERT INTO "tabIssue" (name, subject, customer, priority) VALUES
  ('ISS-0002', 'Password reset', 'Atelier Girard', 'Low'),
  ('ISS-0003', 'Server down', '@channel', 'High'),
  ('ISS-0004', 'Question about a duplicate', 'Boulangerie Lemoine', 'Medium')`,
		deliveries: 1,
	},
}

func cmdDemo(ctx context.Context, env *cmdEnv, args []string) error {
	fs := newCommandFlags(env, "demo")
	keep := fs.Bool("keep", false, "leave the database and the daemon running to play with, until Ctrl-C")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	out := env.stdout
	fmt.Fprintln(out, "walnotify demo: a throwaway PostgreSQL with ERP-like tables, the daemon, and a console that shows each message as the chat app would.")
	cluster, err := pgcluster.Start(ctx, pgcluster.Options{})
	if err != nil {
		if errors.Is(err, pgcluster.ErrNoBinaries) {
			return err
		}
		return fmt.Errorf("start PostgreSQL: %w", err)
	}
	defer cluster.Stop()
	admin := cluster.DSN("postgres")
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return err
	}
	_, err = conn.Exec(ctx, `CREATE DATABASE erp`)
	conn.Close(ctx)
	if err != nil {
		return err
	}
	dsn := cluster.DSN("erp")
	erp, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer erp.Close(context.WithoutCancel(ctx))
	if err := erp.PgConn().Exec(ctx, demoSchema).Close(); err != nil {
		return fmt.Errorf("demo schema: %w", err)
	}
	fmt.Fprintf(out, "PostgreSQL %s on port %d: tables tabIssue, \"tabSales Invoice\" (submittable, child rows \"tabSales Invoice Item\")\n", serverVersion(ctx, erp), cluster.Port)

	sink, err := startConsoleSink(out)
	if err != nil {
		return err
	}
	defer sink.close()
	dir, err := os.MkdirTemp("", "walnotify-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "walnotify.toml")
	text := strings.NewReplacer("${DEMO_DSN}", dsn, "${DEMO_SINK}", sink.url).Replace(demoConfig)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		return err
	}
	cfg, err := rules.Load(path)
	if err != nil {
		return fmt.Errorf("demo configuration: %w", err)
	}
	cat, err := prereq.Inspect(ctx, erp, cfg)
	if err != nil {
		return fmt.Errorf("demo setup: %w", err)
	}
	if err := prereq.Apply(ctx, erp, prereq.List(cfg, pgcluster.Superuser, cat), func(string) {}); err != nil {
		return fmt.Errorf("demo setup: %w", err)
	}
	fmt.Fprintf(out, "walnotify setup applied: publication, REPLICA IDENTITY FULL, slot; %d notifications in %s\n", len(cfg.Notifications), path)

	dctx, stopDaemon := context.WithCancel(context.WithoutCancel(ctx))
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	d := &daemon{path: path, reload: hup, log: newLogger(env.stderr, cfg.Log)}
	done := make(chan error, 1)
	go func() { done <- d.run(dctx, cfg) }()
	stop := func() error {
		stopDaemon()
		return <-done
	}
	if err := waitFor(ctx, 30*time.Second, func() bool { return slotActive(ctx, erp, cfg.Database.Slot) }); err != nil {
		stop()
		return fmt.Errorf("the daemon did not start streaming: %w", err)
	}
	fmt.Fprintln(out, "walnotify run: streaming.")

	want := 0
	for i, step := range demoSteps {
		fmt.Fprintf(out, "\n%d. %s\n", i+1, step.title)
		if err := erp.PgConn().Exec(ctx, step.sql).Close(); err != nil {
			stop()
			return fmt.Errorf("step %d: %w", i+1, err)
		}
		want += step.deliveries
		if err := waitFor(ctx, 30*time.Second, func() bool { return sink.count() >= want }); err != nil {
			stop()
			return fmt.Errorf("step %d: no notification arrived: %w", i+1, err)
		}
		if step.after != nil {
			step.after(ctx, erp, out)
		}
	}
	fmt.Fprintf(out, "\n%d notifications delivered; tickets ISS-0002 and ISS-0004 (not urgent) sent nothing.\n", sink.count())
	if *keep {
		self := selfCommand()
		fmt.Fprintf(out, "\nStill running (--keep). Change documents and watch the messages:\n  psql '%s'\n  config: %s\n  %s status -c %s\n  %s tail -c %s\nCtrl-C stops everything and removes it.\n", dsn, path, self, path, self, path)
		<-ctx.Done()
	}
	if err := stop(); err != nil {
		return err
	}
	fmt.Fprintln(out, "Stopped; the throwaway database is removed.")
	return nil
}

func serverVersion(ctx context.Context, conn *pgx.Conn) string {
	var v string
	conn.QueryRow(ctx, `SHOW server_version`).Scan(&v)
	return strings.Fields(v + " ")[0]
}

func slotActive(ctx context.Context, conn *pgx.Conn, slot string) bool {
	var active bool
	conn.QueryRow(ctx, `SELECT active FROM pg_replication_slots WHERE slot_name = $1`, slot).Scan(&active)
	return active
}

// waitFor polls cond every 20 ms until it holds, ctx ends or the time is up.
func waitFor(ctx context.Context, within time.Duration, cond func() bool) error {
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			return fmt.Errorf("nothing after %s", within)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	return nil
}

// consoleSink is the demo's chat app: a local webhook that prints what it receives the way
// the chat app would show it.
type consoleSink struct {
	url string
	srv *http.Server
	mu  sync.Mutex
	n   int
	out io.Writer
}

func startConsoleSink(out io.Writer) (*consoleSink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &consoleSink{url: "http://" + ln.Addr().String(), out: out}
	s.srv = &http.Server{Handler: http.HandlerFunc(s.serve), ReadHeaderTimeout: 5 * time.Second}
	go s.srv.Serve(ln)
	return s, nil
}

func (s *consoleSink) close() { s.srv.Close() }

func (s *consoleSink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// chatLink is a <url|label> link of Slack, Google Chat and Mattermost text.
var chatLink = regexp.MustCompile(`<(https?://[^|>]+)\|([^>]+)>`)

// shown is message text as a chat app displays it: links as buttons, and the escaped
// characters as the characters (a customer named "<!channel>" shows as text and pings nobody).
func shown(text string) string {
	text = chatLink.ReplaceAllString(text, "[ $2 ] $1")
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(text)
}

// serve shows one request: the channel, the message text and the link buttons.
func (s *consoleSink) serve(w http.ResponseWriter, r *http.Request) {
	var p struct {
		Text        string `json:"text"`
		Attachments []struct {
			Actions []struct{ Text, URL string } `json:"actions"`
		} `json:"attachments"`
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	json.Unmarshal(body, &p)
	var b strings.Builder
	fmt.Fprintf(&b, "  ┌─ #%s\n", strings.TrimPrefix(r.URL.Path, "/"))
	for _, line := range strings.Split(strings.TrimRight(shown(p.Text), "\n"), "\n") {
		fmt.Fprintf(&b, "  │ %s\n", line)
	}
	for _, a := range p.Attachments {
		for _, act := range a.Actions {
			fmt.Fprintf(&b, "  │ [ %s ] %s\n", act.Text, act.URL)
		}
	}
	b.WriteString("  └─\n")
	s.mu.Lock()
	io.WriteString(s.out, b.String())
	s.n++
	s.mu.Unlock()
	io.WriteString(w, "ok")
}

// selfCommand is how the user can run this walnotify again: the binary's path, or `go run
// ./cmd/walnotify` when it runs from `go run`, whose binary is gone when it ends.
func selfCommand() string {
	exe, err := os.Executable()
	switch {
	case err != nil:
		return "walnotify"
	case strings.Contains(exe, string(os.PathSeparator)+"go-build"):
		return "go run ./cmd/walnotify"
	}
	if p, err := exec.LookPath("walnotify"); err == nil && p == exe {
		return "walnotify"
	}
	return exe
}
