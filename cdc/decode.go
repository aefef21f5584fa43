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

// checkLengths checks that every relation of a truncate lies within the message: pglogrepl
// allocates the list at the count the message announces before it reads it, so a count of a
// billion in a short message would take gigabytes of memory, and seconds, before failing.
// (Row changes are read by rowChange, which allocates nothing the message does not hold.)
func checkLengths(data []byte) error {
	// 'T', the number of relations, the options, an OID for each.
	if len(data) >= 5 && data[0] == 'T' && uint64(binary.BigEndian.Uint32(data[1:]))*4 > uint64(max(len(data)-6, 0)) {
		return errors.New("more relations than the message holds")
	}
	return nil
}

// decode handles one pgoutput message that started at WAL position at, passing the items it
// yields to emit in order. data may be reused once decode returns; nothing keeps it.
func (d *decoder) decode(at pglogrepl.LSN, data []byte, emit func(Item) error) error {
	if op, ok := rowOp(data); ok {
		ch, err := d.rowChange(op, data)
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		return d.emitChange(at, ch, emit)
	}
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

// rowOp tells a row change's message ('I', 'U' or 'D') by its first byte.
func rowOp(data []byte) (Op, bool) {
	if len(data) == 0 {
		return 0, false
	}
	switch data[0] {
	case 'I':
		return OpInsert, true
	case 'U':
		return OpUpdate, true
	case 'D':
		return OpDelete, true
	}
	return 0, false
}

// rowChange reads an insert ('I', the relation, 'N' and the new row), an update ('U', the
// relation, optionally 'O' and the whole old row or 'K' and its key, then 'N' and the new row)
// or a delete ('D', the relation, 'O' or 'K' and the old row) straight from the message's
// bytes: pglogrepl's parse would allocate and copy every value once more, which was the
// largest part of the cost of decoding a wide row.
func (d *decoder) rowChange(op Op, data []byte) (*Change, error) {
	if len(data) < 6 {
		return nil, errors.New("truncated message")
	}
	relID := binary.BigEndian.Uint32(data[1:])
	rel, ok := d.relations[relID]
	if !ok {
		return nil, fmt.Errorf("unknown relation %d", relID)
	}
	ch := &Change{Schema: rel.Namespace, Table: rel.RelationName, Op: op}
	rest := data[5:]
	var err error
	if kind := rest[0]; kind == 'O' || kind == 'K' {
		if op == OpInsert {
			return nil, fmt.Errorf("%s: an old row in an insert", tableName(rel))
		}
		ch.OldKeyOnly = kind == 'K'
		if ch.Old, _, rest, err = decodeRow(rel, rest[1:], nil, ch.OldKeyOnly); err != nil {
			return nil, fmt.Errorf("%s: old row: %w", tableName(rel), err)
		}
	} else if kind != 'N' {
		return nil, fmt.Errorf("%s: row kind %q", tableName(rel), kind)
	}
	if op == OpDelete {
		if ch.Old == nil {
			return nil, fmt.Errorf("%s: delete without old row", tableName(rel))
		}
		if len(rest) != 0 {
			return nil, fmt.Errorf("%s: %d bytes after the old row", tableName(rel), len(rest))
		}
		return ch, nil
	}
	if len(rest) == 0 || rest[0] != 'N' {
		return nil, fmt.Errorf("%s: no new row", tableName(rel))
	}
	if ch.New, ch.Unchanged, rest, err = decodeRow(rel, rest[1:], ch.Old, false); err != nil {
		return nil, fmt.Errorf("%s: new row: %w", tableName(rel), err)
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("%s: %d bytes after the new row", tableName(rel), len(rest))
	}
	return ch, nil
}

// decodeRow decodes the tuple of rel at the start of data (the number of values, then each
// value: 'n' NULL, 'u' an unchanged TOASTed value, 't' and its length and text) and returns
// what follows it. An unchanged TOASTed value is taken from old when old has the column, else
// left out and listed in unchanged. keyOnly keeps only the key columns: a key tuple sends NULL
// for the others. Nothing is allocated for a value before its length is checked against data.
func decodeRow(rel *pglogrepl.RelationMessageV2, data []byte, old Row, keyOnly bool) (row Row, unchanged []string, rest []byte, err error) {
	if len(data) < 2 {
		return nil, nil, nil, errors.New("truncated tuple")
	}
	if n := int(binary.BigEndian.Uint16(data)); n != len(rel.Columns) {
		return nil, nil, nil, fmt.Errorf("%d values for %d columns", n, len(rel.Columns))
	}
	data = data[2:]
	row = make(Row, len(rel.Columns))
	for _, rc := range rel.Columns {
		if len(data) == 0 {
			return nil, nil, nil, errors.New("truncated tuple")
		}
		kind := data[0]
		data = data[1:]
		var text []byte
		if kind == pglogrepl.TupleDataTypeText || kind == pglogrepl.TupleDataTypeBinary {
			if len(data) < 4 {
				return nil, nil, nil, errors.New("truncated value length")
			}
			size := binary.BigEndian.Uint32(data)
			data = data[4:]
			if uint64(size) > uint64(len(data)) {
				return nil, nil, nil, fmt.Errorf("column %q: a value of %d bytes in the %d bytes left of the message", rc.Name, size, len(data))
			}
			text, data = data[:size], data[size:]
		}
		if keyOnly && rc.Flags&1 == 0 {
			continue
		}
		switch kind {
		case pglogrepl.TupleDataTypeNull:
			row[rc.Name] = nil
		case pglogrepl.TupleDataTypeText:
			row[rc.Name] = decodeValue(rc.DataType, text)
		case pglogrepl.TupleDataTypeToast:
			if v, ok := old[rc.Name]; ok {
				row[rc.Name] = v
			} else {
				unchanged = append(unchanged, rc.Name)
			}
		default:
			return nil, nil, nil, fmt.Errorf("column %q: value kind %q", rc.Name, kind)
		}
	}
	return row, unchanged, data, nil
}

func tableName(rel *pglogrepl.RelationMessageV2) string {
	return fmt.Sprintf("%q.%q", rel.Namespace, rel.RelationName)
}
