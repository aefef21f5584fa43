package main

import (
	"strings"
	"testing"
	"time"

	"walnotify/internal/poll"
)

// The slot is dropped while the daemon streams (a DBA's cleanup; on a failover, a new primary
// without the slot is the same case): what was committed meanwhile is lost, and walnotify must
// say so everywhere an operator looks, until acknowledged, and go on delivering.
func TestADroppedSlotIsALoudRecordedGap(t *testing.T) {
	s := newSite(t, []string{"support"}, saveConfig)
	td := s.startDaemon(t)
	s.settle(t, s.hooks["support"], `INSERT INTO "tabIssue" (name, status, description) VALUES ('ISS-G-1', 'Open', 'a')`, "ISS-G-1")
	poll.Until(t, 30*time.Second, "position saved", func() bool {
		return s.count(t, `SELECT count(*) FROM walnotify.position`) == 1
	})
	if health := httpGet(t, "http://"+s.listen+"/healthz"); !strings.HasPrefix(health, "ok") {
		t.Fatalf("/healthz before the gap = %q", health)
	}

	// Stop the walsender and drop its slot the moment it is free, before the daemon
	// reconnects (its backoff is at least 50 ms); then commit something it will never see.
	s.db.Exec(t, `DO $$
DECLARE deadline timestamptz := clock_timestamp() + interval '20 seconds';
BEGIN
  LOOP
    PERFORM pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = 'walnotify' AND active;
    BEGIN
      PERFORM pg_drop_replication_slot('walnotify');
      RETURN;
    EXCEPTION WHEN object_in_use THEN
      IF clock_timestamp() > deadline THEN RAISE; END IF;
      PERFORM pg_sleep(0.005);
    END;
  END LOOP;
END $$`)
	s.db.Exec(t, `INSERT INTO "tabIssue" (name, status, description) VALUES ('ISS-LOST', 'Open', 'lost')`)

	poll.Until(t, 30*time.Second, "gap recorded", func() bool {
		return s.count(t, `SELECT count(*) FROM walnotify.gap WHERE acknowledged_at IS NULL`) == 1
	})
	if logs := td.logs.String(); !strings.Contains(logs, "level=ERROR") || !strings.Contains(logs, "changes lost") {
		t.Errorf("no ERROR about lost changes in the log:\n%s", grepLines(logs, "lost"))
	}
	metrics := httpGet(t, "http://"+s.listen+"/metrics")
	for _, m := range []string{"walnotify_gap_total 1", "walnotify_gaps_open 1"} {
		if !strings.Contains(metrics, m) {
			t.Errorf("metrics lack %q:\n%s", m, grepLines(metrics, "gap"))
		}
	}
	if health := httpGet(t, "http://"+s.listen+"/healthz"); !strings.Contains(health, "unhealthy") || !strings.Contains(health, "gap") {
		t.Errorf("/healthz with an open gap = %q", health)
	}
	code, out, errOut := cli(t, "status", "-c", s.path)
	if code != 0 || !strings.Contains(out, "GAP #") || !strings.Contains(out, "--ack-gap") {
		t.Errorf("status: exit %d\n%s%s", code, out, errOut)
	}

	// The stream goes on: a change committed after the new slot is delivered.
	s.settle(t, s.hooks["support"], `INSERT INTO "tabIssue" (name, status, description) VALUES ('ISS-G-2', 'Open', 'bb')`, "ISS-G-2")

	code, out, errOut = cli(t, "status", "--ack-gap", "-c", s.path)
	if code != 0 || strings.Contains(out, "GAP #") || !strings.Contains(errOut, "1 gap(s) acknowledged") {
		t.Errorf("status --ack-gap: exit %d\n%s%s", code, out, errOut)
	}
	if health := httpGet(t, "http://"+s.listen+"/healthz"); !strings.HasPrefix(health, "ok") {
		t.Errorf("/healthz after acknowledging = %q", health)
	}
}

// The state schema is dropped under a running daemon: it recreates it and loses nothing.
func TestADroppedStateSchemaIsRecreated(t *testing.T) {
	s := newSite(t, []string{"support"}, saveConfig)
	s.startDaemon(t)
	s.settle(t, s.hooks["support"], `INSERT INTO "tabIssue" (name, status, description) VALUES ('ISS-S-1', 'Open', 'a')`, "ISS-S-1")
	s.db.Exec(t, `DROP SCHEMA walnotify CASCADE`)
	s.settle(t, s.hooks["support"], `INSERT INTO "tabIssue" (name, status, description) VALUES ('ISS-S-2', 'Open', 'bb')`, "ISS-S-2")
	if n := s.count(t, `SELECT count(*) FROM walnotify.delivery WHERE docname = 'ISS-S-2'`); n != 1 {
		t.Errorf("%d outbox rows for ISS-S-2, want 1", n)
	}
	if health := httpGet(t, "http://"+s.listen+"/healthz"); !strings.HasPrefix(health, "ok") {
		t.Errorf("/healthz = %q", health)
	}
}
