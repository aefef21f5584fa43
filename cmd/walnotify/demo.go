package main

import (
	"context"
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

	"walnotify/internal/demo"
	"walnotify/internal/pgcluster"
	"walnotify/prereq"
	"walnotify/rules"
)

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
	err = demo.CreateDatabase(ctx, conn, "erp")
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
	if err := erp.PgConn().Exec(ctx, demo.Schema).Close(); err != nil {
		return fmt.Errorf("demo schema: %w", err)
	}
	fmt.Fprintf(out, "PostgreSQL %s on port %d: tables tabIssue, \"tabSales Invoice\" (submittable, child rows \"tabSales Invoice Item\")\n", demo.ServerVersion(ctx, erp), cluster.Port)

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
	text := strings.NewReplacer("${DEMO_DSN}", dsn, "${DEMO_SINK}", sink.url).Replace(demo.Config)
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
	if err := waitFor(ctx, 30*time.Second, func() bool { return demo.SlotActive(ctx, erp, cfg.Database.Slot) }); err != nil {
		stop()
		return fmt.Errorf("the daemon did not start streaming: %w", err)
	}
	fmt.Fprintln(out, "walnotify run: streaming.")

	want := 0
	for i, step := range demo.Steps {
		fmt.Fprintf(out, "\n%d. %s\n", i+1, step.Title)
		if err := erp.PgConn().Exec(ctx, step.SQL).Close(); err != nil {
			stop()
			return fmt.Errorf("step %d: %w", i+1, err)
		}
		want += step.Deliveries
		if err := waitFor(ctx, 30*time.Second, func() bool { return sink.count() >= want }); err != nil {
			stop()
			return fmt.Errorf("step %d: no notification arrived: %w", i+1, err)
		}
		if step.After != nil {
			step.After(ctx, erp, out)
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
