package main

import (
	"crypto/rand"
	"encoding/hex"
	"reflect"
	"strings"
	"testing"
	"time"

	"walnotify/internal/pgtest"
	"walnotify/internal/poll"
)

const saveConfig = siteTOML + `[[webhook]]
name = "support"
service = "Slack"
url = "<<.Hook.support>>"
rate = 100.0
show_document_link = false

[[notification]]
name = "Ticket saved"
document_type = "Issue"
event = "Save"
message = "{{ doc.name }} {{ doc.status }} ({{ doc.description|length }} characters)"
webhook = "support"
`

func TestDatabaseRestartLosesNothing(t *testing.T) {
	srv := pgtest.NewServer(t)
	s := newSiteIn(t, srv.NewDB(t), []string{"support"}, saveConfig)
	td := s.startDaemon(t)
	s.db.Exec(t, `INSERT INTO "tabIssue" (name, status, description) VALUES ('ISS-D-1', 'Open', 'a')`)
	// Delivered and recorded: a restart between the answer and its record would send it again
	// (at least once), which is not what this test is about.
	poll.Until(t, 30*time.Second, "first delivered", func() bool {
		return s.count(t, `SELECT count(*) FROM walnotify.delivery WHERE status = 'delivered'`) == 1
	})
	srv.Restart(t)
	s.db.Exec(t, `INSERT INTO "tabIssue" (name, status, description) VALUES ('ISS-D-2', 'Open', 'bb')`)
	poll.Until(t, 60*time.Second, "delivered after the restart", func() bool { return len(s.hooks["support"].Texts()) >= 2 })
	s.settle(t, s.hooks["support"], `INSERT INTO "tabIssue" (name, status, description) VALUES ('ISS-D-3', 'Open', 'ccc')`, "ISS-D-3")
	if got := s.hooks["support"].Texts(); !reflect.DeepEqual(got, []string{"ISS-D-1 Open (1 characters)", "ISS-D-2 Open (2 characters)", "ISS-D-3 Open (3 characters)"}) {
		t.Errorf("webhook received %q", got)
	}
	if !strings.Contains(td.logs.String(), "reconnecting") {
		t.Errorf("no reconnection logged:\n%s", td.logs.String())
	}
}

func TestUnchangedToastValuesAreReadNotEmpty(t *testing.T) {
	s := newSite(t, []string{"support"}, saveConfig)
	s.db.Exec(t, `ALTER TABLE "tabIssue" REPLICA IDENTITY DEFAULT`) // the server will not resend the description
	big := make([]byte, 6000)
	rand.Read(big)
	description := hex.EncodeToString(big) // 12,000 incompressible characters: stored out of line
	s.db.Exec(t, `INSERT INTO "tabIssue" (name, status, description) VALUES ('ISS-U-1', 'Open', $1)`, description)
	s.startDaemon(t)
	s.db.Exec(t, `UPDATE "tabIssue" SET status = 'Replied' WHERE name = 'ISS-U-1'`)
	// The insert, made after setup created the slot, is delivered too.
	poll.Until(t, 30*time.Second, "delivered", func() bool { return len(s.hooks["support"].Texts()) == 2 })
	if got := s.hooks["support"].Texts()[1]; got != "ISS-U-1 Replied (12000 characters)" {
		t.Errorf("message %q: the unchanged description was read as empty", got)
	}
}

func TestSecondInstanceTakesOver(t *testing.T) {
	// Two instances on one host cannot share the metrics port.
	s := newSite(t, []string{"support"}, strings.Replace(saveConfig, `listen = "<<.Listen>>"`, `listen = ""`, 1))
	first := s.startDaemon(t)
	s.startDaemonStandby(t)
	for i := range 5 {
		s.db.Exec(t, `INSERT INTO "tabIssue" (name, status, description) VALUES ($1, 'Open', 'x')`, "ISS-M-"+string(rune('A'+i)))
	}
	poll.Until(t, 30*time.Second, "first five delivered", func() bool { return len(s.hooks["support"].Texts()) == 5 })
	first.stop(t)
	s.waitSlotActive(t, "walnotify") // the standby streams now
	for i := 5; i < 10; i++ {
		s.db.Exec(t, `INSERT INTO "tabIssue" (name, status, description) VALUES ($1, 'Open', 'x')`, "ISS-M-"+string(rune('A'+i)))
	}
	s.settle(t, s.hooks["support"], `INSERT INTO "tabIssue" (name, status, description) VALUES ('ISS-M-K', 'Open', 'x')`, "ISS-M-K")
	var want []string
	for i := range 11 {
		want = append(want, "ISS-M-"+string(rune('A'+i))+" Open (1 characters)")
	}
	if got := s.hooks["support"].Texts(); !reflect.DeepEqual(got, want) {
		t.Errorf("webhook received %q", got)
	}
}
