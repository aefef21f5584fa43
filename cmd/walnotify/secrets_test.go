package main

import (
	"os"
	"strings"
	"testing"
)

func TestOfflineCheckWarnsAboutUnsetSecretsOnce(t *testing.T) {
	for _, v := range []string{"WALNOTIFY_DB_PASSWORD", "SLACK_SUPPORT_URL", "GCHAT_ACCOUNTING_URL"} {
		t.Setenv(v, "")
		unsetenv(t, v)
	}
	code, out, errOut := cli(t, "check", "-c", "../../config.example.toml")
	if code != 0 || !strings.Contains(out, "configuration OK") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, v := range []string{"WALNOTIFY_DB_PASSWORD", "SLACK_SUPPORT_URL", "GCHAT_ACCOUNTING_URL"} {
		if n := strings.Count(errOut, "environment variable "+v+" is not set"); n != 1 {
			t.Errorf("%s reported %d times in\n%s", v, n, errOut)
		}
	}
	if !strings.Contains(errOut, "warning: ") {
		t.Errorf("not marked as a warning:\n%s", errOut)
	}
}

// unsetenv removes a variable for the test (t.Setenv first, so it is restored afterwards).
func unsetenv(t *testing.T, name string) {
	t.Helper()
	if err := os.Unsetenv(name); err != nil {
		t.Fatal(err)
	}
}
