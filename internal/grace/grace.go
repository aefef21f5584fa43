// Package grace gives work that must finish after a stop signal a bounded time to do it.
package grace

import (
	"context"
	"time"
)

// After returns a context that is not cancelled with parent but d after parent ends, so that
// work started under parent (a request in flight, recording its answer) can finish within d.
// The returned cancel releases it at once.
func After(parent context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(parent))
	stop := context.AfterFunc(parent, func() {
		t := time.AfterFunc(d, cancel)
		context.AfterFunc(ctx, func() { t.Stop() })
	})
	return ctx, func() { stop(); cancel() }
}
