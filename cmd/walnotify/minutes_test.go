package main

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"walnotify/internal/poll"
)

const minutesConfig = siteTOML + `[[webhook]]
name = "support"
service = "Slack"
url = "<<.Hook.support>>"
rate = 100.0
show_document_link = false

[[notification]]
name = "SLA soon"
document_type = "Issue"
event = "Minutes Before"
datetime_changed = "sla_resolution_by"
minutes_offset = 30
message = "{{ doc.name }}: 30 minutes left"
webhook = "support"

[[notification]]
name = "Marker"
document_type = "Issue"
event = "New"
condition = 'doc.subject == "marker"'
message = "marker {{ doc.name }}"
webhook = "support"
`

// The daemon runs the Minutes pass at start: a ticket whose resolution is due in 28 minutes
// (site time) is announced once, and a restart does not announce it again.
func TestMinutesBeforeIsSentOnceAcrossARestart(t *testing.T) {
	s := newSite(t, []string{"support"}, minutesConfig)
	s.db.Exec(t, `INSERT INTO "tabIssue" (name, subject, status, sla_resolution_by) VALUES
('ISS-M-1', 's', 'Open', (now() AT TIME ZONE 'Europe/Paris') + interval '28 minutes'),
('ISS-M-LATER', 's', 'Open', (now() AT TIME ZONE 'Europe/Paris') + interval '50 minutes')`)
	td := s.startDaemon(t)
	poll.Until(t, 30*time.Second, "the SLA message", func() bool { return strings.Contains(s.hooks["support"].Joined(), "ISS-M-1: 30 minutes left") })
	td.stop(t)
	restart := time.Now()
	s.startDaemon(t)
	// The pass at start has recorded its window: whatever it enqueued comes before the marker.
	poll.Until(t, 30*time.Second, "the pass after the restart", func() bool {
		return s.count(t, `SELECT count(*) FROM walnotify.minutes_run WHERE until >= $1`, restart) == 1
	})
	s.settle(t, s.hooks["support"], `INSERT INTO "tabIssue" (name, subject, status) VALUES ('ISS-M-END', 'marker', 'Open')`, "marker ISS-M-END")
	got := s.hooks["support"].Texts()
	want := []string{"ISS-M-1: 30 minutes left", "marker ISS-M-END"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("received %q, want %q", got, want)
	}
}
