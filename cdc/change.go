package cdc

import (
	"time"

	"github.com/jackc/pglogrepl"
)

// Op is the kind of a row change.
type Op uint8

// Row change kinds.
const (
	OpInsert Op = iota + 1
	OpUpdate
	OpDelete
)

// String returns "insert", "update" or "delete".
func (o Op) String() string {
	switch o {
	case OpInsert:
		return "insert"
	case OpUpdate:
		return "update"
	case OpDelete:
		return "delete"
	}
	return "unknown"
}

// Row is a table row: column name -> value. Values are plain Go values that conditions and
// templates compare directly: nil (NULL), int64, float64 (numeric, real, double), bool,
// string (text, and every type without a better mapping), dates as "YYYY-MM-DD", timestamps
// as "YYYY-MM-DD HH:MM:SS[.ffffff]", and json/jsonb as map[string]any, []any or scalars.
type Row map[string]any

// Change is one row change of a transaction.
type Change struct {
	Schema string
	Table  string
	Op     Op
	// New is the row after an insert or update; nil for a delete.
	New Row
	// Old is the row before an update or delete, when the server sent it: the whole row
	// under REPLICA IDENTITY FULL, only the key columns otherwise (OldKeyOnly).
	Old        Row
	OldKeyOnly bool
	// Unchanged lists the columns of New whose value the server did not resend (an unchanged
	// TOASTed value) and that no old row could fill. They are absent from New: a consumer
	// must treat them as unknown, never as empty or NULL.
	Unchanged []string
	// Pos is the change's position among the row changes of its transaction, from 0.
	// A Truncate in the same transaction takes a position of the same sequence.
	Pos int
	// LSN is the WAL position of the change record.
	LSN pglogrepl.LSN
}

// Truncate reports a TRUNCATE of one or more tables.
type Truncate struct {
	Tables          []Table
	Cascade         bool
	RestartIdentity bool
	// Pos is the truncate's position in its transaction, in the sequence of Change.Pos.
	Pos int
}

// Table names a table.
type Table struct {
	Schema string
	Name   string
}

// Message is a logical decoding message (pg_logical_emit_message). A transactional message
// comes in its transaction's position; a non-transactional one comes on its own, as a
// KindMessage item with a zero Tx, outside any transaction.
type Message struct {
	Transactional bool
	Prefix        string
	Content       []byte
	LSN           pglogrepl.LSN
}

// Tx describes a committed transaction.
type Tx struct {
	Xid uint32
	// CommitLSN is the LSN of the commit record, known from the transaction's start.
	CommitLSN pglogrepl.LSN
	// EndLSN is the end of the commit record, the position to confirm; set on the Commit item.
	EndLSN     pglogrepl.LSN
	CommitTime time.Time
	// Origin is the replication origin that made the transaction, if any.
	Origin string
}

// Kind says what an Item carries.
type Kind uint8

// Item kinds, in the order they arrive for a transaction: Begin, then Change, Message and
// Truncate items in WAL order, then Commit.
const (
	KindBegin Kind = iota + 1
	KindChange
	KindMessage
	KindTruncate
	KindCommit
)

// String names the kind.
func (k Kind) String() string {
	switch k {
	case KindBegin:
		return "begin"
	case KindChange:
		return "change"
	case KindMessage:
		return "message"
	case KindTruncate:
		return "truncate"
	case KindCommit:
		return "commit"
	}
	return "unknown"
}

// Item is one step of the stream. Tx is set on every item (EndLSN only on KindCommit);
// exactly one of Change, Message and Truncate is set for those kinds.
//
// A consumer confirms every KindCommit it has handled (Stream.Confirm with Tx.EndLSN), even
// one it had nothing to do for: the stream reports nothing past an unconfirmed commit.
//
// After a reconnect, a transaction that was partly delivered but not confirmed starts again
// with a new KindBegin: a consumer discards what it held of the unfinished one.
type Item struct {
	Kind     Kind
	Tx       Tx
	Change   *Change
	Message  *Message
	Truncate *Truncate
}
