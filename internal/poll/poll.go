// Package poll waits in tests for a condition to hold, checking it every 10 ms until a deadline,
// instead of sleeping and hoping.
package poll

import (
	"testing"
	"time"
)

// Until checks cond until it holds, and fails the test with what if it still does not after d.
func Until(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %s", d, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
