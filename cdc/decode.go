package cdc

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/jackc/pglogrepl"
)

// decoder turns pgoutput messages into Items. It holds the relation cache and the state of
// the transaction being received, so it lives as long as one replication connection (the
// server sends every Relation again on a new connection). Not safe for concurrent use.
type decoder struct {
	relations map[uint32]*pglogrepl.RelationMessageV2

	inTx  bool // between Begin and Commit
	begun bool // the KindBegin item of the open transaction went out
	tx    Tx
	pos   int // next Change/Truncate position in the open transaction
}

func newDecoder() *decoder {
	return &decoder{relations: make(map[uint32]*pglogrepl.RelationMessageV2)}
}

// parse wraps pglogrepl.ParseV2, which indexes truncated input without checking and panics:
// malformed data becomes an error.
func parse(data []byte) (m pglogrepl.Message, err error) {
	if len(data) == 0 {
		return nil, errors.New("empty pgoutput message")
	}
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("malformed pgoutput message %q: %v", data[0], r)
		}
	}()
	if err := checkLengths(data); err != nil {
		return nil, fmt.Errorf("malformed pgoutput message %q: %w", data[0], err)
	}
	// A full slice expression, so that a length running past the message panics instead of
	// reading the bytes that follow it in the receive buffer.
	m, err = pglogrepl.ParseV2(data[:len(data):len(data)], false)
	if err != nil {
		return nil, fmt.Errorf("pgoutput message %q: %w", data[0], err)
	}
	return m, nil
}

// checkLengths checks that every value of an insert, update or delete, and every relation of a
// truncate, lies within the message. pglogrepl allocates what the message announces before it
// reads it, so a length of 4 GiB in a short message would take 4 GiB of memory, and seconds,
// before failing.
func checkLengths(data []byte) error {
	if len(data) > 0 && data[0] == 'T' {
		// 'T', the number of relations, the options, an OID for each.
		if len(data) >= 5 && uint64(binary.BigEndian.Uint32(data[1:]))*4 > uint64(max(len(data)-6, 0)) {
			return errors.New("more relations than the message holds")
		}
		return nil
	}
	if len(data) == 0 || (data[0] != 'I' && data[0] != 'U' && data[0] != 'D') {
		return nil
	}
	rest := data[min(len(data), 5):] // the type and the relation's OID
	for len(rest) > 0 {
		kind := rest[0]
		if kind != 'N' && kind != 'K' && kind != 'O' {
			return nil // pglogrepl reports it
		}
		if len(rest) < 3 {
			return errors.New("truncated tuple")
		}
		n := int(binary.BigEndian.Uint16(rest[1:]))
		rest = rest[3:]
		for range n {
			if len(rest) == 0 {
				return errors.New("truncated tuple")
			}
			t := rest[0]
			rest = rest[1:]
			if t != pglogrepl.TupleDataTypeText && t != pglogrepl.TupleDataTypeBinary {
				continue
			}
			if len(rest) < 4 {
				return errors.New("truncated value length")
			}
			size := binary.BigEndian.Uint32(rest)
			rest = rest[4:]
			if uint64(size) > uint64(len(rest)) {
				return fmt.Errorf("a value of %d bytes in the %d bytes left of the message", size, len(rest))
			}
			rest = rest[size:]
		}
		if kind == 'N' {
			return nil
		}
	}
	return nil
}

// decode handles one pgoutput message that started at WAL position at, passing the items it
// yields to emit in order. data may be reused once decode returns; nothing keeps it.
func (d *decoder) decode(at pglogrepl.LSN, data []byte, emit func(Item) error) error {
	msg, err := parse(data)
	if err != nil {
		return err
	}
	switch m := msg.(type) {
	case *pglogrepl.BeginMessage:
		if d.inTx {
			return errors.New("begin inside a transaction")
		}
		d.inTx, d.begun, d.pos = true, false, 0
		d.tx = Tx{Xid: m.Xid, CommitLSN: m.FinalLSN, CommitTime: m.CommitTime.UTC()}
		return nil
	case *pglogrepl.OriginMessage:
		if !d.inTx {
			return errors.New("origin outside a transaction")
		}
		d.tx.Origin = m.Name
		return nil
	case *pglogrepl.RelationMessageV2:
		d.relations[m.RelationID] = m
		return nil
	case *pglogrepl.TypeMessageV2:
		return nil
	case *pglogrepl.InsertMessageV2:
		ch, err := d.change(OpInsert, m.RelationID, 0, nil, m.Tuple)
		if err != nil {
			return fmt.Errorf("insert: %w", err)
		}
		return d.emitChange(at, ch, emit)
	case *pglogrepl.UpdateMessageV2:
		ch, err := d.change(OpUpdate, m.RelationID, m.OldTupleType, m.OldTuple, m.NewTuple)
		if err != nil {
			return fmt.Errorf("update: %w", err)
		}
		return d.emitChange(at, ch, emit)
	case *pglogrepl.DeleteMessageV2:
		ch, err := d.change(OpDelete, m.RelationID, m.OldTupleType, m.OldTuple, nil)
		if err != nil {
			return fmt.Errorf("delete: %w", err)
		}
		return d.emitChange(at, ch, emit)
	case *pglogrepl.TruncateMessageV2:
		tr := &Truncate{
			Cascade:         m.Option&pglogrepl.TruncateOptionCascade != 0,
			RestartIdentity: m.Option&pglogrepl.TruncateOptionRestartIdentity != 0,
		}
		for _, id := range m.RelationIDs {
			rel, ok := d.relations[id]
			if !ok {
				return fmt.Errorf("truncate: unknown relation %d", id)
			}
			tr.Tables = append(tr.Tables, Table{Schema: rel.Namespace, Name: rel.RelationName})
		}
		if err := d.open(emit); err != nil {
			return err
		}
		tr.Pos = d.pos
		d.pos++
		return emit(Item{Kind: KindTruncate, Tx: d.tx, Truncate: tr})
	case *pglogrepl.LogicalDecodingMessageV2:
		lm := &Message{
			Transactional: m.Transactional,
			Prefix:        m.Prefix,
			Content:       append([]byte(nil), m.Content...), // m.Content aliases data
			LSN:           m.LSN,
		}
		if !m.Transactional {
			return emit(Item{Kind: KindMessage, Message: lm})
		}
		if err := d.open(emit); err != nil {
			return err
		}
		return emit(Item{Kind: KindMessage, Tx: d.tx, Message: lm})
	case *pglogrepl.CommitMessage:
		if err := d.open(emit); err != nil {
			return err
		}
		tx := d.tx
		tx.EndLSN = m.TransactionEndLSN
		tx.CommitTime = m.CommitTime.UTC()
		d.inTx = false
		return emit(Item{Kind: KindCommit, Tx: tx})
	}
	// Stream*, the messages of streamed in-progress transactions: streaming is never asked for.
	return fmt.Errorf("unexpected pgoutput message %q", data[0])
}

// open emits the KindBegin item of the open transaction before its first other item, so
// that the Origin message following Begin is already on it.
func (d *decoder) open(emit func(Item) error) error {
	if !d.inTx {
		return errors.New("change outside a transaction")
	}
	if d.begun {
		return nil
	}
	d.begun = true
	return emit(Item{Kind: KindBegin, Tx: d.tx})
}

func (d *decoder) emitChange(at pglogrepl.LSN, ch *Change, emit func(Item) error) error {
	if err := d.open(emit); err != nil {
		return err
	}
	ch.Pos = d.pos
	ch.LSN = at
	d.pos++
	return emit(Item{Kind: KindChange, Tx: d.tx, Change: ch})
}

// change decodes the tuples of a row change. oldType is 'O' (whole old row), 'K' (key
// columns only) or 0 (none).
func (d *decoder) change(op Op, relID uint32, oldType uint8, oldTuple, newTuple *pglogrepl.TupleData) (*Change, error) {
	rel, ok := d.relations[relID]
	if !ok {
		return nil, fmt.Errorf("unknown relation %d", relID)
	}
	ch := &Change{Schema: rel.Namespace, Table: rel.RelationName, Op: op}
	switch oldType {
	case 0:
	case pglogrepl.UpdateMessageTupleTypeOld, pglogrepl.UpdateMessageTupleTypeKey:
		ch.OldKeyOnly = oldType == pglogrepl.UpdateMessageTupleTypeKey
		var err error
		if ch.Old, _, err = decodeRow(rel, oldTuple, nil, ch.OldKeyOnly); err != nil {
			return nil, fmt.Errorf("%s: old row: %w", tableName(rel), err)
		}
	default:
		return nil, fmt.Errorf("%s: old row kind %q", tableName(rel), oldType)
	}
	if op == OpDelete {
		if ch.Old == nil {
			return nil, fmt.Errorf("%s: delete without old row", tableName(rel))
		}
		return ch, nil
	}
	var err error
	if ch.New, ch.Unchanged, err = decodeRow(rel, newTuple, ch.Old, false); err != nil {
		return nil, fmt.Errorf("%s: new row: %w", tableName(rel), err)
	}
	return ch, nil
}

// decodeRow decodes a tuple of rel. An unchanged TOASTed value ('u') is taken from old when
// old has the column, else left out and listed in unchanged. keyOnly keeps only the key
// columns: a key tuple sends NULL for the others.
func decodeRow(rel *pglogrepl.RelationMessageV2, tuple *pglogrepl.TupleData, old Row, keyOnly bool) (row Row, unchanged []string, err error) {
	if tuple == nil {
		return nil, nil, errors.New("missing tuple")
	}
	if len(tuple.Columns) != len(rel.Columns) {
		return nil, nil, fmt.Errorf("%d values for %d columns", len(tuple.Columns), len(rel.Columns))
	}
	row = make(Row, len(rel.Columns))
	for i, col := range tuple.Columns {
		rc := rel.Columns[i]
		if keyOnly && rc.Flags&1 == 0 {
			continue
		}
		switch col.DataType {
		case pglogrepl.TupleDataTypeNull:
			row[rc.Name] = nil
		case pglogrepl.TupleDataTypeText:
			row[rc.Name] = decodeValue(rc.DataType, col.Data)
		case pglogrepl.TupleDataTypeToast:
			if v, ok := old[rc.Name]; ok {
				row[rc.Name] = v
			} else {
				unchanged = append(unchanged, rc.Name)
			}
		default:
			return nil, nil, fmt.Errorf("column %q: value kind %q", rc.Name, col.DataType)
		}
	}
	return row, unchanged, nil
}

func tableName(rel *pglogrepl.RelationMessageV2) string {
	return fmt.Sprintf("%q.%q", rel.Namespace, rel.RelationName)
}
