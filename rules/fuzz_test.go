package rules

import (
	"os"
	"testing"
	"time"
)

// No configuration text can panic: whatever the file holds is a configuration or a list of
// problems, and a reload of a broken file keeps the old rules running rather than stopping
// the daemon. `go test -fuzz FuzzParse ./rules` searches for a counter-example; without -fuzz
// the seeds (the example configuration and small variations) run as a test.
func FuzzParse(f *testing.F) {
	example, err := os.ReadFile("../config.example.toml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(example))
	for _, seed := range []string{
		"[database]\ndsn = \"postgres://x@h/db\"\n[[webhook]]\nname = \"w\"\nservice = \"Slack\"\nurl = \"https://hooks.slack.com/services/T/B/X\"\n[[notification]]\nname = \"n\"\ndocument_type = \"Issue\"\nevent = \"Value Change\"\nvalue_changed = \"status\"\ncondition = 'doc.status == \"Open\"'\nmessage = \"{{ doc.name }}\"\nwebhook = \"w\"\nset_property_after_alert = \"status\"\nproperty_value = \"Replied\"\n",
		"[[notification]]\nevent = \"Days Before\"\ndays_in_advance = -3\ndate_changed = \"\"\nrecipients = [{ by_role = \"\" }, { cc = \"{{\" }]\n",
		"[[document_webhook]]\nname = \"d\"\nwebhook_doctype = \"Issue\"\nwebhook_docevent = \"on_update\"\nrequest_url = \"${X}\"\nrequest_structure = \"Form URL-Encoded\"\nwebhook_data = [{ fieldname = \"name\" }]\n",
		"[delivery]\nrate = -1\nmax_age = \"1x\"\n[site]\ntimezone = \"Mars/Olympus\"\n[http]\nlisten = \":::\"\n",
	} {
		f.Add(seed)
	}
	lookup := func(name string) (string, bool) { return "x", name != "" }
	f.Fuzz(func(t *testing.T, text string) {
		start := time.Now()
		Parse("fuzz.toml", text, lookup) //nolint:errcheck // only a panic or a hang matters
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%q parsed in %v", text, d)
		}
	})
}
