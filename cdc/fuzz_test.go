package cdc

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/jackc/pglogrepl"
)

// No bytes the server could send make the decoder panic: each message is an item, nothing, or
// an error that names it (which stops the stream at that position, to be resumed there, rather
// than skipping a change). `go test -fuzz FuzzDecode ./cdc` searches for a counter-example;
// without -fuzz the seeds run as a test. The input is a sequence of messages, each behind a
// two-byte length, so that a fuzzed message meets a decoder in the states real ones leave it.
func FuzzDecode(f *testing.F) {
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	rel := msgRelation(7, "public", "tabIssue", col{"name", 1043, true}, col{"docstatus", oidInt2, false},
		col{"total", oidNumeric, false}, col{"opened", oidTimestamptz, false}, col{"meta", oidJSONB, false},
		col{"ok", oidBool, false})
	seeds := [][][]byte{
		{msgBegin(10, at, 1), msgOrigin("walnotify"), rel, msgInsert(7, "ISS-1", "0", "45000.50", "2026-11-30 09:00:00.5+05:30", `{"a": [1, 2.5]}`, "t"),
			msgUpdate(7, 'K', []any{"ISS-1", nil, nil, nil, nil, nil}, "ISS-1", "1", "NaN", "infinity", toast, "f"),
			msgDelete(7, 'O', "ISS-1", "1", "1e400", "2026-11-30 09:00:00 BC", "null", nil),
			msgTruncate(3, 7), msgMessage(true, 12, "walnotify", "write-back"), msgCommit(10, 11, at)},
		{msgMessage(false, 5, "p", "c"), rel, msgBegin(20, at, 2), msgInsert(7, "x", "99999999999999999999", "-0", "+00", "[", "x"), msgCommit(20, 21, at)},
	}
	for _, msgs := range seeds {
		var in []byte
		for _, m := range msgs {
			in = binary.BigEndian.AppendUint16(in, uint16(len(m)))
			in = append(in, m...)
		}
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		d := newDecoder()
		for pos := pglogrepl.LSN(1); len(in) >= 2; pos++ {
			n := min(int(binary.BigEndian.Uint16(in)), len(in)-2)
			msg := in[2 : 2+n]
			in = in[2+n:]
			done := make(chan error, 1)
			go func() { done <- d.decode(pos, msg, check(t)) }()
			var err error
			select {
			case err = <-done:
			case <-time.After(3 * time.Second):
				t.Fatalf("decode hangs on %q", msg)
			}
			if err != nil {
				return // the stream stops here, at a known position
			}
		}
	})
}

// check checks the values of each item.
func check(t *testing.T) func(Item) error {
	return func(it Item) error {
		if it.Change != nil {
			for _, row := range []Row{it.Change.New, it.Change.Old} {
				for k, v := range row {
					checkDecoded(t, k, v)
				}
			}
		}
		return nil
	}
}

// checkDecoded fails unless v is one of the values documented on Row.
func checkDecoded(t *testing.T, column string, v any) {
	t.Helper()
	switch v := v.(type) {
	case nil, int64, float64, bool, string:
	case map[string]any:
		for k, x := range v {
			checkDecoded(t, column+"."+k, x)
		}
	case []any:
		for _, x := range v {
			checkDecoded(t, column+"[]", x)
		}
	default:
		t.Errorf("column %s decoded as %T", column, v)
	}
}
