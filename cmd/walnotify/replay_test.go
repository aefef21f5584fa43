package main

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"walnotify/internal/poll"
)

func TestReplayAndPurgeDeadDeliveries(t *testing.T) {
	s := newSite(t, []string{"support", "other"}, saveConfig+`
[[webhook]]
name = "other"
service = "Slack"
url = "<<.Hook.other>>"
rate = 100.0
show_document_link = false

[[notification]]
name = "Other saved"
document_type = "Issue"
event = "Save"
message = "other {{ doc.name }}"
webhook = "other"
`)
	// The support channel was archived: every delivery is dead at once.
	s.hooks["support"].SetReply(func(n int, w http.ResponseWriter) {
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte("channel_is_archived"))
	})
	s.startDaemon(t)
	s.db.Exec(t, `INSERT INTO "tabIssue" (name, status, description) VALUES ('ISS-R-1', 'Open', 'a'), ('ISS-R-2', 'Open', 'bb')`)
	poll.Until(t, 30*time.Second, "two dead", func() bool {
		return s.count(t, `SELECT count(*) FROM walnotify.delivery WHERE webhook = 'support' AND status = 'dead'`) == 2
	})
	poll.Until(t, 30*time.Second, "the other channel served", func() bool { return len(s.hooks["other"].Texts()) == 2 })

	// --dry-run lists and changes nothing.
	code, out, errOut := cli(t, "replay", "--webhook", "support", "--dry-run", "-c", s.path)
	if code != 0 || strings.Count(out, "would queue again") != 2 || !strings.Contains(out, "channel_is_archived") || !strings.Contains(out, "nothing changed") {
		t.Fatalf("replay --dry-run: exit %d\n%s%s", code, out, errOut)
	}
	if n := s.count(t, `SELECT count(*) FROM walnotify.delivery WHERE status = 'dead'`); n != 2 {
		t.Fatalf("dry run changed the outbox: %d dead", n)
	}

	// The channel is restored and the message improved; replay one by id, re-rendered.
	s.hooks["support"].SetReply(nil)
	cfgText, err := readFile(s.path)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, s.path, strings.Replace(cfgText, `message = "{{ doc.name }} {{ doc.status }}`, `message = "again: {{ doc.name }} {{ doc.status }}`, 1))
	id := s.count(t, `SELECT id FROM walnotify.delivery WHERE docname = 'ISS-R-1' AND webhook = 'support'`)
	code, out, errOut = cli(t, "replay", "--id", "#"+strconv.Itoa(id), "--rerender", "-c", s.path)
	if code != 0 || !strings.Contains(out, "1 deliveries queued again") {
		t.Fatalf("replay --id --rerender: exit %d\n%s%s", code, out, errOut)
	}
	poll.Until(t, 30*time.Second, "the replayed one delivered", func() bool {
		return strings.Contains(s.hooks["support"].Joined(), "again: ISS-R-1 Open")
	})
	// The rest by webhook, with the stored message.
	code, out, errOut = cli(t, "replay", "--webhook", "support", "-c", s.path)
	if code != 0 || !strings.Contains(out, "1 deliveries queued again") {
		t.Fatalf("replay --webhook: exit %d\n%s%s", code, out, errOut)
	}
	poll.Until(t, 30*time.Second, "the second delivered", func() bool {
		return strings.Contains(s.hooks["support"].Joined(), "ISS-R-2 Open (2 characters)")
	})
	if code, out, _ := cli(t, "replay", "--webhook", "support", "-c", s.path); code != 0 || !strings.Contains(out, "no dead delivery matches") {
		t.Errorf("a second replay found something: %s", out)
	}

	// purge keeps what is recent, and deletes finished rows older than asked.
	poll.Until(t, 30*time.Second, "all finished", func() bool {
		return s.count(t, `SELECT count(*) FROM walnotify.delivery WHERE status = 'pending'`) == 0
	})
	if code, out, errOut := cli(t, "purge", "-c", s.path); code != 0 || !strings.Contains(out, "0 finished deliveries") {
		t.Fatalf("purge: exit %d\n%s%s", code, out, errOut)
	}
	s.db.Exec(t, `UPDATE walnotify.delivery SET finished_at = now() - interval '3 days' WHERE webhook = 'other'`)
	if code, out, errOut := cli(t, "purge", "--older-than", "2d", "-c", s.path); code != 0 || !strings.Contains(out, "2 finished deliveries") {
		t.Fatalf("purge --older-than: exit %d\n%s%s", code, out, errOut)
	}
	if n := s.count(t, `SELECT count(*) FROM walnotify.delivery`); n != 2 {
		t.Errorf("%d rows left, want the 2 recent ones", n)
	}
}
