package pipeline

import (
	"fmt"
	"testing"

	"github.com/jackc/pglogrepl"
)

// TestSourceKeyIsTheKeyEveryVersionMade: outbox keys written before stay the keys a replay
// makes now ("wal/%s/%d" of the commit LSN and the change position), or a replay after an
// upgrade would enqueue everything again.
func TestSourceKeyIsTheKeyEveryVersionMade(t *testing.T) {
	for _, tt := range []struct {
		lsn pglogrepl.LSN
		pos int
	}{
		{0, 0}, {0x16B3D28, 1}, {0x1_0000_0000, 7}, {0xA_00F0_0000, 123456}, {0xFFFF_FFFF_FFFF_FFFF, 1<<31 - 1},
	} {
		want := fmt.Sprintf("wal/%s/%d", tt.lsn, tt.pos)
		if got := sourceKey(tt.lsn, tt.pos); got != want {
			t.Errorf("sourceKey(%s, %d) = %q, want %q", tt.lsn, tt.pos, got, want)
		}
	}
}
