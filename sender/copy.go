package sender

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pglogrepl"

	"walnotify/internal/sqltext"
)

// copyMin is the smallest batch that enqueueCopy takes: below it COPY saves little over the
// one-statement INSERT, which also needs no second try when a row is already there.
const copyMin = 64

// enqueueCopy commits a batch of new deliveries through COPY, which inserts rows in groups and
// costs the server about half of INSERT ... ON CONFLICT per row. COPY cannot skip rows that are
// already there: the unique key (source_key, notification) refuses the whole COPY instead, and
// done is then false with nothing committed, so that the caller enqueues the batch again with
// ON CONFLICT DO NOTHING. That happens only when the batch was enqueued before (a replay after a
// crash, a daily pass run again), so duplicates stay impossible whatever the cause, and the
// common case, rows that are all new, goes the cheap way.
//
// One round trip: one simple query (the queue lock, the position, the workers' wake-ups, then
// the COPY, whose data follows at once) runs as one implicit transaction, committed when its
// last statement ends; an error in any statement rolls all of it back. Only copyable batches
// without writes or failed entries come here.
func (o *Outbox) enqueueCopy(ctx context.Context, b Batch) (res Result, done bool, err error) {
	data, webhooks, err := copyData(b.Entries)
	if err != nil {
		return res, false, err
	}
	conn, err := o.pool.Acquire(ctx)
	if err != nil {
		return res, false, fmt.Errorf("outbox: enqueue: %w", err)
	}
	// A connection left inside a transaction by a failure is closed by the pool on release.
	defer conn.Release()
	tag, err := conn.Conn().PgConn().CopyFrom(ctx, bytes.NewReader(data), o.copySQL(b.Position, webhooks))
	if refused(err) && !stateMissing(err) {
		return Result{}, false, nil
	}
	if err != nil {
		return Result{}, false, fmt.Errorf("outbox: enqueue: %w", err)
	}
	return Result{New: int(tag.RowsAffected())}, true, nil
}

// copySQL is enqueueCopy's query: its values are literals, as a simple query takes no
// parameters. Enqueues take turns (as in enqueue: ids commit in order); the position and the
// notifications commit with the rows or not at all.
func (o *Outbox) copySQL(position pglogrepl.LSN, webhooks []string) string {
	var q strings.Builder
	fmt.Fprintf(&q, "SELECT pg_advisory_xact_lock(%d);\n", o.queueKey())
	if position != 0 {
		pos := o.table("position")
		fmt.Fprintf(&q, `INSERT INTO %s (slot, lsn) VALUES (%s, %s::pg_lsn)
  ON CONFLICT (slot) DO UPDATE SET lsn = GREATEST(%s.lsn, EXCLUDED.lsn), updated_at = now();
`, pos, sqltext.Literal(o.slot), sqltext.Literal(position.String()), pos)
	}
	for _, w := range webhooks {
		fmt.Fprintf(&q, "SELECT pg_notify(%s, '');\n", sqltext.Literal(o.channel(w)))
	}
	fmt.Fprintf(&q, `COPY %s (source_key, notification, webhook, service, event, doctype, docname, message, status, source_time)
  FROM STDIN (FORMAT binary)`, o.table("delivery"))
	return q.String()
}

// copyable reports whether enqueueCopy may take a batch of entries without writes or failures:
// large enough, and every entry a delivery to send.
func copyable(entries []Entry) bool {
	if len(entries) < copyMin {
		return false
	}
	for i := range entries {
		if entries[i].Webhook == "" {
			return false
		}
	}
	return true
}

// pgEpoch is where PostgreSQL's binary timestamps count from.
var pgEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()

// copyData encodes entries in COPY's binary format for the columns enqueueCopy names, and
// returns the distinct webhooks they go to.
func copyData(entries []Entry) (data []byte, webhooks []string, err error) {
	buf := make([]byte, 0, 19+len(entries)*512)
	buf = append(buf, "PGCOPY\n\xff\r\n\x00"...)
	buf = binary.BigEndian.AppendUint32(buf, 0) // flags
	buf = binary.BigEndian.AppendUint32(buf, 0) // header extension length
	text := func(s string) {
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(s)))
		buf = append(buf, s...)
	}
	null := func() { buf = binary.BigEndian.AppendUint32(buf, 0xFFFFFFFF) }
	for i := range entries {
		e := &entries[i]
		m, err := json.Marshal(e.Message)
		if err != nil {
			return nil, nil, fmt.Errorf("outbox: notification %q: %s %q: encode message: %w", e.Notification, e.Message.Doctype, e.Message.Name, err)
		}
		buf = binary.BigEndian.AppendUint16(buf, 10)
		text(e.SourceKey)
		text(e.Notification)
		text(e.Webhook)
		if e.Service == "" {
			null()
		} else {
			text(e.Service)
		}
		text(e.Event)
		text(e.Message.Doctype)
		text(e.Message.Name)
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(m)+1))
		buf = append(buf, 1) // jsonb's binary format version
		buf = append(buf, m...)
		text(StatusPending)
		if e.SourceTime.IsZero() {
			null()
		} else {
			buf = binary.BigEndian.AppendUint32(buf, 8)
			buf = binary.BigEndian.AppendUint64(buf, uint64(e.SourceTime.UnixMicro()-pgEpoch))
		}
		if !slices.Contains(webhooks, e.Webhook) {
			webhooks = append(webhooks, e.Webhook)
		}
	}
	buf = binary.BigEndian.AppendUint16(buf, 0xFFFF) // trailer
	return buf, webhooks, nil
}
