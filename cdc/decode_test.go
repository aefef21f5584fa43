package cdc

import (
	"encoding/binary"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pglogrepl"
)

// Builders of pgoutput messages (protocol 2, no streaming), as the server sends them.

type wire []byte

func (w wire) u8(v byte) wire    { return append(w, v) }
func (w wire) u16(v uint16) wire { return binary.BigEndian.AppendUint16(w, v) }
func (w wire) u32(v uint32) wire { return binary.BigEndian.AppendUint32(w, v) }
func (w wire) u64(v uint64) wire { return binary.BigEndian.AppendUint64(w, v) }
func (w wire) str(s string) wire { return append(append(w, s...), 0) }

var pgEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

func msgBegin(final pglogrepl.LSN, at time.Time, xid uint32) []byte {
	return wire{'B'}.u64(uint64(final)).u64(uint64(at.Sub(pgEpoch).Microseconds())).u32(xid)
}

func msgCommit(commit, end pglogrepl.LSN, at time.Time) []byte {
	return wire{'C'}.u8(0).u64(uint64(commit)).u64(uint64(end)).u64(uint64(at.Sub(pgEpoch).Microseconds()))
}

func msgOrigin(name string) []byte { return wire{'O'}.u64(0).str(name) }

type col struct {
	name string
	oid  uint32
	key  bool
}

func msgRelation(id uint32, schema, table string, cols ...col) []byte {
	w := wire{'R'}.u32(id).str(schema).str(table).u8('d').u16(uint16(len(cols)))
	for _, c := range cols {
		flags := byte(0)
		if c.key {
			flags = 1
		}
		w = w.u8(flags).str(c.name).u32(c.oid).u32(0xffffffff)
	}
	return w
}

// tuple encodes values: nil is NULL, toast is an unchanged TOASTed value, a string is text.
type toastMark struct{}

var toast = toastMark{}

func tuple(w wire, vals ...any) wire {
	w = w.u16(uint16(len(vals)))
	for _, v := range vals {
		switch v := v.(type) {
		case nil:
			w = w.u8('n')
		case toastMark:
			w = w.u8('u')
		case string:
			w = append(w.u8('t').u32(uint32(len(v))), v...)
		}
	}
	return w
}

func msgInsert(rel uint32, vals ...any) []byte { return tuple(wire{'I'}.u32(rel).u8('N'), vals...) }

func msgUpdate(rel uint32, oldKind byte, old []any, vals ...any) []byte {
	w := wire{'U'}.u32(rel)
	if oldKind != 0 {
		w = tuple(w.u8(oldKind), old...)
	}
	return tuple(w.u8('N'), vals...)
}

func msgDelete(rel uint32, oldKind byte, old ...any) []byte {
	return tuple(wire{'D'}.u32(rel).u8(oldKind), old...)
}

func msgTruncate(opts byte, rels ...uint32) []byte {
	w := wire{'T'}.u32(uint32(len(rels))).u8(opts)
	for _, r := range rels {
		w = w.u32(r)
	}
	return w
}

func msgMessage(transactional bool, lsn pglogrepl.LSN, prefix, content string) []byte {
	flags := byte(0)
	if transactional {
		flags = 1
	}
	return append(wire{'M'}.u8(flags).u64(uint64(lsn)).str(prefix).u32(uint32(len(content))), content...)
}

// feed decodes msgs in order (the i-th at WAL position 0/100+i) and returns the items.
func feed(t testing.TB, d *decoder, msgs ...[]byte) []Item {
	t.Helper()
	var items []Item
	for i, m := range msgs {
		err := d.decode(pglogrepl.LSN(100+i), m, func(it Item) error {
			items = append(items, it)
			return nil
		})
		if err != nil {
			t.Fatalf("message %d (%q): %v", i, m[0], err)
		}
	}
	return items
}

var issueCols = []col{{"name", 1043, true}, {"docstatus", oidInt2, false}, {"description", 25, false}}

func TestDecodeTransaction(t *testing.T) {
	at := time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)
	d := newDecoder()
	items := feed(t, d,
		msgBegin(0x500, at, 42),
		msgOrigin("walnotify_wb"),
		msgRelation(7, "public", "tabIssue", issueCols...),
		msgInsert(7, "ISS-1", "0", "long text"),
		msgMessage(true, 0x480, "walnotify", "hello"),
		msgUpdate(7, 'O', []any{"ISS-1", "0", "long text"}, "ISS-1", "1", toast),
		msgUpdate(7, 0, nil, "ISS-1", "2", toast),
		msgUpdate(7, 'K', []any{"ISS-1", nil, nil}, "ISS-2", "2", toast),
		msgDelete(7, 'K', "ISS-2", nil, nil),
		msgTruncate(pglogrepl.TruncateOptionCascade, 7),
		msgCommit(0x500, 0x530, at),
	)
	tx := Tx{Xid: 42, CommitLSN: 0x500, CommitTime: at, Origin: "walnotify_wb"}
	end := tx
	end.EndLSN = 0x530
	want := []Item{
		{Kind: KindBegin, Tx: tx},
		{Kind: KindChange, Tx: tx, Change: &Change{Schema: "public", Table: "tabIssue", Op: OpInsert,
			New: Row{"name": "ISS-1", "docstatus": int64(0), "description": "long text"}, Pos: 0, LSN: 103}},
		{Kind: KindMessage, Tx: tx, Message: &Message{Transactional: true, Prefix: "walnotify", Content: []byte("hello"), LSN: 0x480}},
		{Kind: KindChange, Tx: tx, Change: &Change{Schema: "public", Table: "tabIssue", Op: OpUpdate,
			Old: Row{"name": "ISS-1", "docstatus": int64(0), "description": "long text"},
			New: Row{"name": "ISS-1", "docstatus": int64(1), "description": "long text"}, Pos: 1, LSN: 105}},
		{Kind: KindChange, Tx: tx, Change: &Change{Schema: "public", Table: "tabIssue", Op: OpUpdate,
			New: Row{"name": "ISS-1", "docstatus": int64(2)}, Unchanged: []string{"description"}, Pos: 2, LSN: 106}},
		{Kind: KindChange, Tx: tx, Change: &Change{Schema: "public", Table: "tabIssue", Op: OpUpdate,
			Old: Row{"name": "ISS-1"}, OldKeyOnly: true,
			New: Row{"name": "ISS-2", "docstatus": int64(2)}, Unchanged: []string{"description"}, Pos: 3, LSN: 107}},
		{Kind: KindChange, Tx: tx, Change: &Change{Schema: "public", Table: "tabIssue", Op: OpDelete,
			Old: Row{"name": "ISS-2"}, OldKeyOnly: true, Pos: 4, LSN: 108}},
		{Kind: KindTruncate, Tx: tx, Truncate: &Truncate{Tables: []Table{{"public", "tabIssue"}}, Cascade: true, Pos: 5}},
		{Kind: KindCommit, Tx: end},
	}
	if !reflect.DeepEqual(items, want) {
		t.Errorf("items:\n%s\nwant:\n%s", dumpItems(items), dumpItems(want))
	}
	if d.inTx {
		t.Error("still in a transaction after its commit")
	}
}

func dumpItems(items []Item) string {
	var b strings.Builder
	for _, it := range items {
		fmt.Fprintf(&b, "%s tx=%+v", it.Kind, it.Tx)
		if it.Change != nil {
			fmt.Fprintf(&b, " %+v", *it.Change)
		}
		if it.Message != nil {
			fmt.Fprintf(&b, " %+v", *it.Message)
		}
		if it.Truncate != nil {
			fmt.Fprintf(&b, " %+v", *it.Truncate)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestDecodeBeginIsLazySoOriginIsOnIt(t *testing.T) {
	at := time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)
	items := feed(t, newDecoder(), msgBegin(0x500, at, 1), msgOrigin("other"), msgCommit(0x500, 0x530, at))
	if len(items) != 2 || items[0].Kind != KindBegin || items[0].Tx.Origin != "other" || items[1].Kind != KindCommit {
		t.Fatalf("items: %s", dumpItems(items))
	}
}

func TestDecodeRelationReplacedMidStream(t *testing.T) {
	at := time.Now().UTC()
	items := feed(t, newDecoder(),
		msgBegin(0x500, at, 1),
		msgRelation(7, "public", "tabSales Invoice", col{"name", 1043, true}),
		msgInsert(7, "SINV-1"),
		msgRelation(7, "public", "tabSales Invoice", col{"name", 1043, true}, col{"grand_total", oidNumeric, false}),
		msgInsert(7, "SINV-2", "10.5"),
		msgCommit(0x500, 0x530, at),
	)
	if got := items[2].Change.New; !reflect.DeepEqual(got, Row{"name": "SINV-2", "grand_total": 10.5}) {
		t.Errorf("second insert after the new Relation: %v", got)
	}
}

func TestDecodeNonTransactionalMessageHasNoTx(t *testing.T) {
	data := msgMessage(false, 0x700, "p", "c")
	d := newDecoder()
	items := feed(t, d, data)
	data[len(data)-1] = 'X' // the receive buffer is reused: the item must not alias it
	want := []Item{{Kind: KindMessage, Message: &Message{Prefix: "p", Content: []byte("c"), LSN: 0x700}}}
	if !reflect.DeepEqual(items, want) {
		t.Errorf("items: %s", dumpItems(items))
	}
}

func TestDecodeMalformedIsAnErrorNotAPanic(t *testing.T) {
	at := time.Now().UTC()
	rel := msgRelation(7, "public", "t", col{"a", oidInt4, true}, col{"b", 25, false})
	insert := msgInsert(7, "1", "x")
	tests := []struct {
		name  string
		setup [][]byte
		msg   []byte
	}{
		{"empty message", nil, nil},
		{"unknown message type", nil, []byte{'Z', 1, 2}},
		{"truncated begin", nil, msgBegin(1, at, 1)[:9]},
		{"truncated relation", nil, rel[:len(rel)-6]},
		{"relation with too many columns announced", nil, append(wire{'R'}.u32(7).str("s").str("t").u8('d'), 0xff, 0xff)},
		{"insert with a truncated value", [][]byte{msgBegin(1, at, 1), rel}, insert[:len(insert)-1]},
		{"insert with a value length beyond the message", [][]byte{msgBegin(1, at, 1), rel}, append(wire{'I'}.u32(7).u8('N').u16(1).u8('t'), 0x00, 0x10, 0, 0, 'x')},
		{"insert of an unknown relation", [][]byte{msgBegin(1, at, 1)}, insert},
		{"insert with fewer values than columns", [][]byte{msgBegin(1, at, 1), rel}, msgInsert(7, "1")},
		{"insert outside a transaction", [][]byte{rel}, insert},
		{"insert with a binary value", [][]byte{msgBegin(1, at, 1), rel}, append(wire{'I'}.u32(7).u8('N').u16(2).u8('b').u32(1), 'x', 'n')},
		{"update with an unknown old tuple kind", [][]byte{msgBegin(1, at, 1), rel}, msgUpdate(7, 'Q', []any{"1", "x"}, "1", "x")},
		{"truncated update", [][]byte{msgBegin(1, at, 1), rel}, msgUpdate(7, 'O', []any{"1", "x"}, "1", "x")[:12]},
		{"delete without old tuple", [][]byte{msgBegin(1, at, 1), rel}, wire{'D'}.u32(7).u8('N').u16(0)},
		{"truncate of an unknown relation", [][]byte{msgBegin(1, at, 1)}, msgTruncate(0, 9)},
		{"truncated truncate", [][]byte{msgBegin(1, at, 1), rel}, msgTruncate(0, 7, 7)[:12]},
		{"truncated logical message", [][]byte{msgBegin(1, at, 1)}, msgMessage(true, 1, "p", "content")[:16]},
		{"commit outside a transaction", nil, msgCommit(1, 2, at)},
		{"begin inside a transaction", [][]byte{msgBegin(1, at, 1)}, msgBegin(2, at, 2)},
		{"stream start (streaming is never asked for)", nil, wire{'S'}.u32(1).u8(1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDecoder()
			feed(t, d, tt.setup...)
			err := d.decode(1, tt.msg, func(Item) error { return nil })
			if err == nil {
				t.Fatal("no error")
			}
		})
	}
}

func TestSessionHandleMalformedReplicationMessage(t *testing.T) {
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"unknown kind", []byte{'x'}},
		{"short keepalive", []byte{'k', 0, 0}},
		{"short xlogdata", []byte{'w', 0, 0, 0}},
		{"xlogdata with garbage", append([]byte{'w'}, make([]byte, 24+3)...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ss := &session{s: &Stream{}, dec: newDecoder()}
			if err := ss.handle(tt.data, func(Item) error { return nil }); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

// A value's length, or a number of relations, beyond the message is refused before anything is
// allocated for it: a malformed message of a few bytes must not take gigabytes of memory
// (found by FuzzDecode).
func TestDecodeAValueLengthBeyondTheMessageAllocatesNothing(t *testing.T) {
	at := time.Now().UTC()
	rel := msgRelation(7, "public", "t", col{"a", oidInt4, true}, col{"b", 25, false})
	huge := append(wire{'I'}.u32(7).u8('N').u16(2).u8('t').u32(1), '1')
	huge = append(huge.u8('t').u32(0xf0000000), "x"...)
	oldHuge := append(wire{'U'}.u32(7).u8('O').u16(1).u8('t').u32(0xf0000000), "x"...)
	truncate := wire{'T'}.u32(0x30000000).u8(0).u32(7)
	for name, msg := range map[string][]byte{"insert": huge, "update's old row": oldHuge, "truncate": truncate} {
		d := newDecoder()
		feed(t, d, msgBegin(1, at, 1), rel)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		err := d.decode(1, msg, func(Item) error { return nil })
		runtime.ReadMemStats(&after)
		if err == nil {
			t.Errorf("%s: no error", name)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
			t.Errorf("%s: decoding a %d-byte message allocated %d bytes", name, len(msg), n)
		}
	}
}
