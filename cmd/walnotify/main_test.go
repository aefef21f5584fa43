package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"text/template"
	"time"

	"github.com/jackc/pgx/v5"

	"walnotify/internal/pgtest"
	"walnotify/internal/poll"
	"walnotify/internal/webhooktest"
	"walnotify/rules"
	"walnotify/sender"
)

// TestMain also lets the test binary act as walnotify itself (WALNOTIFY_TEST_MAIN=1), so that
// crash tests can kill -9 a real daemon process without building a binary.
func TestMain(m *testing.M) {
	if os.Getenv("WALNOTIFY_TEST_MAIN") == "1" {
		main()
	}
	os.Exit(pgtest.Main(m))
}

// syncBuffer is a buffer written by the daemon's goroutines and read by the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// cli runs a walnotify command in-process and returns its exit status and output.
func cli(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut syncBuffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// siteTOML is the part every test configuration shares: the database, the site (in English,
// though the schema's System Settings say fr), and the metrics endpoint on a free port.
const siteTOML = `
[database]
dsn = "<<.DSN>>"
[site]
url = "https://erp.example.com"
timezone = "Europe/Paris"
language = "en"
[http]
listen = "<<.Listen>>"
`

// site is an ERP database with the Frappe schema, fake webhooks and a config file.
type site struct {
	db      *pgtest.DB
	path    string
	hooks   map[string]*webhooktest.Hook
	secrets []string // parts of webhook URLs that must never be printed
	listen  string   // http.listen, a free port
}

// newSite loads the Frappe schema and writes a configuration from a template, given the
// database DSN as .DSN and each hook's URL as .Hook.<name>. setup --apply prepares the
// database as a DBA would.
func newSite(t *testing.T, hooks []string, configTemplate string) *site {
	t.Helper()
	return newSiteIn(t, pgtest.NewDB(t), hooks, configTemplate)
}

// newSiteIn is newSite in a given database.
func newSiteIn(t *testing.T, db *pgtest.DB, hooks []string, configTemplate string) *site {
	t.Helper()
	db.LoadFrappeSchema(t)
	s := &site{db: db, hooks: map[string]*webhooktest.Hook{}}
	urls := map[string]string{}
	for i, name := range hooks {
		h := webhooktest.New(t, nil)
		s.hooks[name] = h
		secret := fmt.Sprintf("SECRET%dTOKEN", i)
		urls[name] = h.URL + "/services/T0/B0/" + secret
		s.secrets = append(s.secrets, secret)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.listen = l.Addr().String()
	l.Close()
	var b bytes.Buffer
	tpl := template.Must(template.New("config").Delims("<<", ">>").Parse(configTemplate))
	if err := tpl.Execute(&b, map[string]any{"DSN": db.DSN, "Hook": urls, "Listen": s.listen}); err != nil {
		t.Fatal(err)
	}
	s.path = filepath.Join(t.TempDir(), "walnotify.toml")
	if err := os.WriteFile(s.path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := cli(t, "setup", "--apply", "-c", s.path); code != 0 {
		t.Fatalf("setup --apply: exit %d\n%s%s", code, out, errOut)
	}
	return s
}

// assertNoSecrets fails if a webhook URL shows in text.
func (s *site) assertNoSecrets(t *testing.T, what, text string) {
	t.Helper()
	for _, sec := range s.secrets {
		if strings.Contains(text, sec) {
			t.Errorf("%s shows a webhook URL (%s):\n%s", what, sec, text)
		}
	}
	for _, h := range s.hooks {
		if strings.Contains(text, h.URL) {
			t.Errorf("%s shows a webhook address:\n%s", what, text)
		}
	}
}

// testDaemon is `walnotify run` started in-process.
type testDaemon struct {
	cancel context.CancelFunc
	done   chan error
	logs   *syncBuffer
	reload chan os.Signal
	slot   string
}

// fastParts shortens the daemon's timers for tests.
func fastParts(p *parts) {
	p.stream.StatusInterval = 100 * time.Millisecond
	p.stream.MinBackoff = 50 * time.Millisecond
	p.stream.MaxBackoff = 500 * time.Millisecond
	p.pipeline.Linger = 10 * time.Millisecond
	p.worker = func(w *sender.Worker) {
		w.Poll = 200 * time.Millisecond
		w.Backoff = func(int) time.Duration { return 100 * time.Millisecond }
		if w.DigestAfter == rules.DefaultDigestAfter {
			// Changes made or queued before a test's daemon starts (the daily pass), or taken
			// over by a standby up to a second late, would go as digests after the default
			// second on a loaded machine; these tests want each message (digests are tested in
			// sender). A config that sets another digest_after keeps it.
			w.DigestAfter = time.Minute
		}
	}
}

// startDaemon runs the daemon on the site's config until the test ends, and waits until it
// streams.
func (s *site) startDaemon(t *testing.T) *testDaemon {
	t.Helper()
	td := s.launch(t)
	s.waitSlotActive(t, td.slot)
	return td
}

// startDaemonStandby runs a second daemon on the same config, which waits for the slot.
func (s *site) startDaemonStandby(t *testing.T) *testDaemon {
	t.Helper()
	return s.launch(t)
}

func (s *site) launch(t *testing.T) *testDaemon {
	t.Helper()
	cfg, err := rules.Load(s.path)
	if err != nil {
		t.Fatal(err)
	}
	td := &testDaemon{done: make(chan error, 1), logs: &syncBuffer{}, reload: make(chan os.Signal, 1), slot: cfg.Database.Slot}
	d := &daemon{
		path: s.path, reload: td.reload, tune: fastParts,
		log: slog.New(slog.NewTextHandler(td.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	ctx, cancel := context.WithCancel(context.Background())
	td.cancel = cancel
	go func() { td.done <- d.run(ctx, cfg) }()
	t.Cleanup(func() {
		td.stop(t)
		s.assertNoSecrets(t, "the daemon's logs", td.logs.String())
		if t.Failed() {
			t.Logf("daemon logs:\n%s", td.logs.String())
		}
	})
	return td
}

// stop cancels the daemon and waits for it to end.
func (td *testDaemon) stop(t *testing.T) {
	t.Helper()
	if td.cancel == nil {
		return
	}
	td.cancel()
	td.cancel = nil
	select {
	case err := <-td.done:
		if err != nil {
			t.Errorf("daemon ended with: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Error("daemon did not stop within 30s")
	}
}

func (s *site) waitSlotActive(t *testing.T, slot string) {
	t.Helper()
	conn := s.db.Conn(t)
	poll.Until(t, 30*time.Second, "slot "+slot+" active", func() bool {
		var active bool
		conn.QueryRow(context.Background(), `SELECT active FROM pg_replication_slots WHERE slot_name = $1`, slot).Scan(&active)
		return active
	})
}

// count runs a count(*) query.
func (s *site) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), s.db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func readFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	return string(b), err
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

func httpGet(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// grepLines keeps the lines of text that contain s.
func grepLines(text, s string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// settle runs a change that sends marker through hook and waits until it arrives. A webhook's
// deliveries go out in commit order, so by then everything committed before has arrived too:
// a test can check that nothing else came, without sleeping.
func (s *site) settle(t *testing.T, hook *webhooktest.Hook, sql, marker string) {
	t.Helper()
	s.db.Exec(t, sql)
	poll.Until(t, 30*time.Second, "the marker "+marker, func() bool { return strings.Contains(hook.Joined(), marker) })
}

// TestRunWritesACPUProfile: `run --cpuprofile F` saves a profile when the daemon stops, even
// when it stops at once (here: no config file).
func TestRunWritesACPUProfile(t *testing.T) {
	f := filepath.Join(t.TempDir(), "cpu.pprof")
	if code, _, _ := cli(t, "run", "--cpuprofile", f, "-c", filepath.Join(t.TempDir(), "missing.toml")); code == 0 {
		t.Fatal("run on a missing config file succeeded")
	}
	b, err := os.ReadFile(f)
	if err != nil {
		t.Fatalf("no profile written: %v", err)
	}
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Errorf("the profile is not a gzipped pprof file: % x", b[:min(len(b), 8)])
	}
}
