package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestTestFromVersionTakesTheOldValuesFromTheERPHistory(t *testing.T) {
	s := newSite(t, []string{"support", "accounting"}, eventsConfig)
	// The sample data's ISS-2025-00018 went from Open to Replied (its latest tabVersion row).
	code, out, errOut := cli(t, "test", "-c", s.path, "--notification", "Ticket status", "--doc", "ISS-2025-00018", "--from-version", "latest", "--json")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	var res testResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !res.Fires || !slices.Contains(res.Events, "Value Change:status") || slices.Contains(res.Events, "New") {
		t.Errorf("events %q, fires %v: want an update raising Value Change of status", res.Events, res.Fires)
	}
	// Without it, the same document is taken as an insert: the Value Change rule does not fire.
	_, out, _ = cli(t, "test", "-c", s.path, "--notification", "Ticket status", "--doc", "ISS-2025-00018", "--json")
	json.Unmarshal([]byte(out), &res)
	if res.Fires {
		t.Errorf("as an insert, the Value Change rule fired: %q", res.Events)
	}
	// The human form says which version was used; an unknown one is an error.
	if code, out, _ := cli(t, "test", "-c", s.path, "--notification", "Ticket status", "--doc", "ISS-2025-00018", "--from-version", "e45479b050"); code != 0 || !strings.Contains(out, "Update from version e45479b050") || !strings.Contains(out, "changed status") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	if code, _, errOut := cli(t, "test", "-c", s.path, "--notification", "Ticket status", "--doc", "ISS-2025-00018", "--from-version", "nope"); code != 1 || !strings.Contains(errOut, "no such version") {
		t.Errorf("unknown version: exit %d, %s", code, errOut)
	}
	if code, _, _ := cli(t, "test", "-c", s.path, "--notification", "Ticket status", "--doc-json", "x.json", "--from-version", "latest"); code != 2 {
		t.Errorf("--from-version without --doc: exit %d, want 2", code)
	}
}
