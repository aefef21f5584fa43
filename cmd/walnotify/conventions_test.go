package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pglogrepl"

	"walnotify/internal/poll"
	"walnotify/rules"
)

func TestHelpShowsUsageExamplesAndEachFlagOnce(t *testing.T) {
	for _, c := range commands() {
		for _, args := range [][]string{{"help", c.name}, {c.name, "-h"}} {
			code, out, errOut := cli(t, args...)
			if code != 0 {
				t.Errorf("walnotify %q: exit %d\n%s", args, code, errOut)
				continue
			}
			for _, want := range []string{"usage: walnotify " + c.name, c.summary, "Examples:", c.examples[0], "Flags:", "Exit status: 0"} {
				if !strings.Contains(out, want) {
					t.Errorf("walnotify %q lacks %q:\n%s", args, want, out)
				}
			}
			if c.name == "demo" || c.name == "version" {
				continue // they read no config file
			}
			if !strings.Contains(out, "$WALNOTIFY_CONFIG") {
				t.Errorf("walnotify %q does not say where the config comes from:\n%s", args, out)
			}
			if n := strings.Count(out, "--config"); n != 1 || strings.Contains(out, "  -config") || strings.Count(out, "  -c,") != 1 {
				t.Errorf("walnotify %q lists the config flag %d times:\n%s", args, n, out)
			}
		}
	}
	if code, _, errOut := cli(t, "help", "nosuchcommand"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("help of an unknown command: exit %d, %s", code, errOut)
	}
	// A flag error prints the help on stderr and exits 2.
	if code, out, errOut := cli(t, "purge", "--nosuchflag"); code != 2 || out != "" || !strings.Contains(errOut, "usage: walnotify purge") {
		t.Errorf("flag error: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, _ := cli(t, args...)
		if code != 0 || !strings.HasPrefix(out, "walnotify ") || !strings.Contains(out, "commit ") || !strings.Contains(out, "go1.") {
			t.Errorf("walnotify %q: exit %d, %q", args, code, out)
		}
	}
}

func TestJSONLogsWriteLSNsAndDurationsAsText(t *testing.T) {
	var b bytes.Buffer
	log := newLogger(&b, rules.Log{Format: "json", Level: "info"})
	log.Info("x", "position", pglogrepl.LSN(0x1A5A0B0), "wait", 1500*time.Millisecond)
	var rec map[string]any
	if err := json.Unmarshal(b.Bytes(), &rec); err != nil {
		t.Fatal(err)
	}
	if rec["position"] != "0/1A5A0B0" || rec["wait"] != "1.5s" {
		t.Errorf("logged %s", b.String())
	}
}

func TestStopWhileWaitingForTheDatabaseExitsZero(t *testing.T) {
	path := t.TempDir() + "/w.toml"
	writeFile(t, path, `
[database]
dsn = "postgres://nobody@127.0.0.1:1/none?connect_timeout=1"
[http]
listen = ""
`)
	cfg, err := rules.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	d := &daemon{path: path, log: slog.New(slog.NewTextHandler(&logs, nil))}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.run(ctx, cfg) }()
	poll.Until(t, 10*time.Second, "waiting for the database", func() bool { return strings.Contains(logs.String(), "database unreachable") })
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run = %v, want nil (exit 0)", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop")
	}
}

func TestReloadMetricsReadinessAndBuildInfo(t *testing.T) {
	s := newSite(t, []string{"support", "accounting"}, eventsConfig)
	td := s.startDaemon(t)
	metrics := httpGet(t, "http://"+s.listen+"/metrics")
	for _, m := range []string{"walnotify_config_last_reload_successful 1", "walnotify_config_last_reload_success_timestamp_seconds", "walnotify_build_info{commit="} {
		if !strings.Contains(metrics, m) {
			t.Errorf("metrics lack %q", m)
		}
	}
	poll.Until(t, 10*time.Second, "ready", func() bool {
		resp, err := http.Get("http://" + s.listen + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})

	good, _ := readFile(s.path)
	writeFile(t, s.path, good+"\n[[notification]]\nname = \"broken\"\n")
	td.reload <- syscall.SIGHUP
	poll.Until(t, 10*time.Second, "reload rejected and counted", func() bool {
		return strings.Contains(httpGet(t, "http://"+s.listen+"/metrics"), "walnotify_config_last_reload_successful 0")
	})
	// The rejected reload's problems are in one record's err attribute.
	line := grepLines(td.logs.String(), "reload rejected")
	if strings.Count(line, "\n") != 0 || !strings.Contains(line, "err=") || !strings.Contains(line, `notification \"broken\"`) {
		t.Errorf("rejected reload logged as:\n%s", line)
	}
	writeFile(t, s.path, good)
	td.reload <- syscall.SIGHUP
	poll.Until(t, 10*time.Second, "reload accepted", func() bool {
		return strings.Contains(httpGet(t, "http://"+s.listen+"/metrics"), "walnotify_config_last_reload_successful 1")
	})
}

func TestDemoHintsNameACommandTheUserHas(t *testing.T) {
	// Tests run from a binary under go-build: the user who typed `go run` gets `go run` back.
	if got := selfCommand(); got != "go run ./cmd/walnotify" {
		t.Errorf("selfCommand() = %q from a go-build binary", got)
	}
}
