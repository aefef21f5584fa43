package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"walnotify/internal/poll"
	"walnotify/sender"
)

const crashConfig = siteTOML + `[log]
level = "warn"
[[webhook]]
name = "support"
service = "Slack"
url = "<<.Hook.support>>"
rate = 200.0
burst = 20

[[notification]]
name = "New ticket"
document_type = "Issue"
event = "New"
message = "ticket {{ doc.name }}"
webhook = "support"
`

// TestKillNineLosesNothing kills the daemon process with SIGKILL at random moments while
// 1,000 notifications stream, restarting it each time: every notification is delivered, the
// outbox holds no duplicate, and the duplicates the webhook saw are bounded by the unmarked
// window at each kill.
func TestKillNineLosesNothing(t *testing.T) {
	const total = 1000
	s := newSite(t, []string{"support"}, crashConfig)
	ctx := context.Background()

	start := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "run")
		cmd.Env = append(os.Environ(), "WALNOTIFY_TEST_MAIN=1", "WALNOTIFY_CONFIG="+s.path)
		cmd.Stderr = &syncBuffer{}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	daemon := start()
	t.Cleanup(func() { daemon.Process.Kill(); daemon.Wait() })
	s.waitSlotActive(t, "walnotify")

	produced := make(chan error, 1)
	go func() {
		conn, err := pgx.Connect(ctx, s.db.DSN)
		if err != nil {
			produced <- err
			return
		}
		defer conn.Close(ctx)
		for i := 0; i < total; i += 5 {
			batch := &pgx.Batch{}
			for j := i; j < i+5; j++ {
				batch.Queue(`INSERT INTO "tabIssue" (name, subject) VALUES ($1, 'x')`, fmt.Sprintf("ISS-K-%04d", j))
			}
			if err := conn.SendBatch(ctx, batch).Close(); err != nil {
				produced <- err
				return
			}
			time.Sleep(time.Duration(rand.IntN(60)) * time.Millisecond)
		}
		produced <- nil
	}()

	kills := 0
	done := false
	for !done {
		select {
		case err := <-produced:
			if err != nil {
				t.Fatal(err)
			}
			done = true
		case <-time.After(time.Duration(100+rand.IntN(700)) * time.Millisecond):
		}
		daemon.Process.Kill()
		daemon.Wait()
		kills++
		daemon = start()
	}
	poll.Until(t, 90*time.Second, "every notification delivered", func() bool {
		return s.count(t, `SELECT count(*) FROM walnotify.delivery WHERE status = 'delivered'`) == total
	})
	if n := s.count(t, `SELECT count(*) FROM walnotify.delivery`); n != total {
		t.Errorf("outbox holds %d rows for %d notifications", n, total)
	}
	if n := s.count(t, `SELECT count(*) FROM (SELECT docname FROM walnotify.delivery GROUP BY docname HAVING count(*) > 1) d`); n != 0 {
		t.Errorf("outbox holds %d documents twice", n)
	}
	seen := map[string]int{}
	biggest := 0
	name := regexp.MustCompile(`ISS-K-\d{4}`)
	for _, text := range s.hooks["support"].Texts() {
		names := name.FindAllString(text, -1)
		biggest = max(biggest, len(names))
		for _, n := range names {
			seen[n]++
		}
	}
	dups := 0
	for i := range total {
		n := seen[fmt.Sprintf("ISS-K-%04d", i)]
		if n == 0 {
			t.Errorf("ISS-K-%04d never delivered", i)
		}
		dups += max(n-1, 0)
	}
	// A kill resends at most the unmarked window: sender.MarkWindow messages, or one request
	// when it alone holds more.
	if bound := kills * max(sender.MarkWindow, biggest); dups > bound {
		t.Errorf("webhook saw %d duplicates after %d kills, more than the unmarked window (%d)", dups, kills, bound)
	}
	t.Logf("%d kills, %d requests, %d duplicate notifications seen by the webhook (largest request: %d)", kills, len(s.hooks["support"].Requests()), dups, biggest)
	if strings.Contains(s.hooks["support"].Joined(), "SECRET") {
		t.Error("a payload carries the webhook URL")
	}
}
