package main

import (
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"walnotify/internal/poll"
)

// Each message is a bomb when the document's description is a huge number (the issue's
// crash-loop: a template that builds a string from a document value).
const bombConfig = siteTOML + `[[webhook]]
name = "support"
service = "Slack"
url = "<<.Hook.support>>"
rate = 100.0
show_document_link = false

[[webhook]]
name = "steady"
service = "Slack"
url = "<<.Hook.steady>>"
rate = 100.0
show_document_link = false

[[notification]]
name = "Stars"
document_type = "Issue"
event = "New"
message = "Rating: {{ '*' * (doc.total_hold_time|int) }}"
webhook = "support"

[[notification]]
name = "Set bomb"
document_type = "Issue"
event = "New"
message = "{% set s = 'x' * (doc.total_hold_time|int) %}{{ doc.name }}"
webhook = "support"

[[notification]]
name = "Center bomb"
document_type = "Issue"
event = "New"
message = "{{ 'x'|center(doc.total_hold_time|int) }}"
webhook = "support"

[[notification]]
name = "Join bomb"
document_type = "Issue"
event = "New"
message = "{{ range(10000)|join('x' * 100000) }}"
condition = "doc.total_hold_time > 1000"
webhook = "support"

[[notification]]
name = "Condition bomb"
document_type = "Issue"
event = "New"
condition = "len('x' * int(doc.total_hold_time)) > 0"
message = "never"
webhook = "support"

[[notification]]
name = "Ticket new"
document_type = "Issue"
event = "New"
message = "new {{ doc.name }}"
webhook = "steady"
`

func TestADocumentValueCannotStopTheStream(t *testing.T) {
	s := newSite(t, []string{"support", "steady"}, bombConfig)
	s.startDaemon(t)

	var peak uint64
	var mu sync.Mutex
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { // the heap the daemon (in this process) uses while it meets the bombs
		defer close(done)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			mu.Lock()
			peak = max(peak, m.HeapInuse)
			mu.Unlock()
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()

	for _, v := range []string{"900000000000", "6000000000"} {
		s.db.Exec(t, `INSERT INTO "tabIssue" (name, subject, total_hold_time) VALUES ($1, 'poison', $2::numeric)`, "ISS-BOMB-"+v[:2], v)
	}
	start := time.Now()
	s.db.Exec(t, `INSERT INTO "tabIssue" (name, subject, total_hold_time) VALUES ('ISS-AFTER', 'fine', 3)`)
	poll.Until(t, 30*time.Second, "the notification after the poison", func() bool {
		return strings.Contains(s.hooks["steady"].Joined(), "new ISS-AFTER")
	})
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the notification after the poison documents took %s, want under 5 s", d)
	}
	close(stop)
	<-done
	mu.Lock()
	if peak > 200<<20 {
		t.Errorf("heap in use peaked at %d MB, want under 200 MB", peak>>20)
	}
	mu.Unlock()

	// Every bomb is a dead delivery with its reason, visible in status; the support channel
	// got only the four messages of the harmless document.
	poll.Until(t, 30*time.Second, "dead deliveries recorded", func() bool {
		return s.count(t, `SELECT count(*) FROM walnotify.delivery WHERE status = 'dead' AND docname LIKE 'ISS-BOMB-%'`) == 10
	})
	if n := s.count(t, `SELECT count(*) FROM walnotify.delivery WHERE status = 'dead' AND docname LIKE 'ISS-BOMB-%' AND last_answer LIKE 'not rendered: %' AND (last_answer ILIKE '%budget%' OR last_answer ILIKE '%limit%')`); n != 10 {
		t.Errorf("%d of 10 dead deliveries give a budget as the reason", n)
	}
	code, out, _ := cli(t, "status", "-c", s.path)
	if code != 0 || !strings.Contains(out, "Stars -> support: Issue ISS-BOMB-90") || !strings.Contains(out, "not rendered") {
		t.Errorf("status does not show the dead bombs:\n%s", out)
	}
	poll.Until(t, 30*time.Second, "the harmless document's messages", func() bool { return len(s.hooks["support"].Texts()) >= 4 })
	if got := s.hooks["support"].Texts(); len(got) != 4 || strings.Join(got, "|") != "Rating: ***|ISS-AFTER|x|never" {
		t.Errorf("the support channel received %d messages: %.300q", len(got), got)
	}
}
