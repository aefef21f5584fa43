package grace

import (
	"context"
	"testing"
	"time"
)

func TestAfterOutlivesItsParentByTheGraceOnly(t *testing.T) {
	parent, stop := context.WithCancel(context.Background())
	ctx, cancel := After(parent, 50*time.Millisecond)
	defer cancel()
	stop()
	if ctx.Err() != nil {
		t.Fatal("ended with its parent, before the grace")
	}
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("still alive 5s after its parent ended, grace 50ms")
	}
}
