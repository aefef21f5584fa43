package sender

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pglogrepl"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Outbox is walnotify's durable queue: tables in the state schema of the ERP's database.
// Deliveries and the writes that go with them are committed in one transaction, together with
// the replication position they cover.
type Outbox struct {
	pool   *pgxpool.Pool
	schema string
	slot   string
}

// NewOutbox returns the outbox in schema (created by Migrate) for replication slot slot.
func NewOutbox(pool *pgxpool.Pool, schema, slot string) *Outbox {
	return &Outbox{pool: pool, schema: schema, slot: slot}
}

// Schema is the state schema's name.
func (o *Outbox) Schema() string { return o.schema }

// table returns the quoted name of a state table.
func (o *Outbox) table(name string) string { return pgx.Identifier{o.schema, name}.Sanitize() }

// Delivery statuses.
const (
	StatusPending   = "pending"
	StatusDelivered = "delivered"
	StatusDead      = "dead"
	// StatusNone marks a row that records a handled (change, notification) with nothing to send:
	// a system notification or a write-back alone. It keeps replays idempotent.
	StatusNone = "none"
)

// SchemaSQL returns the statements that create the state schema and its tables, idempotently.
func SchemaSQL(schema string) []string {
	q := func(name string) string { return pgx.Identifier{schema, name}.Sanitize() }
	return []string{
		"CREATE SCHEMA IF NOT EXISTS " + pgx.Identifier{schema}.Sanitize(),
		`CREATE TABLE IF NOT EXISTS ` + q("delivery") + ` (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source_key      text NOT NULL,
  notification    text NOT NULL,
  webhook         text,
  service         text,
  event           text NOT NULL,
  doctype         text NOT NULL,
  docname         text NOT NULL,
  message         jsonb NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead', 'none')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_answer     text,
  source_time     timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz,
  UNIQUE (source_key, notification)
)`,
		`CREATE INDEX IF NOT EXISTS delivery_pending ON ` + q("delivery") + ` (webhook, id) WHERE status = 'pending'`,
		`CREATE INDEX IF NOT EXISTS delivery_finished ON ` + q("delivery") + ` (finished_at) WHERE status <> 'pending'`,
		`CREATE TABLE IF NOT EXISTS ` + q("position") + ` (
  slot       text PRIMARY KEY,
  lsn        pg_lsn NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
)`,
		`CREATE TABLE IF NOT EXISTS ` + q("daily_run") + ` (
  day         date PRIMARY KEY,
  finished_at timestamptz NOT NULL DEFAULT now()
)`,
		gapTableSQL(q("gap")),
		settledTableSQL(q("settled")),
		`CREATE TABLE IF NOT EXISTS ` + q("minutes_run") + ` (
  notification text PRIMARY KEY,
  until        timestamptz NOT NULL
)`,
	}
}

// Migrate creates the state schema and tables if they are missing. A schema made by
// `walnotify setup` for walnotify's role is used as it is: that role may not create schemas.
func (o *Outbox) Migrate(ctx context.Context) error {
	var exists bool
	if err := o.pool.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = $1)`, o.schema).Scan(&exists); err != nil {
		return fmt.Errorf("outbox: look up schema %q: %w", o.schema, err)
	}
	stmts := SchemaSQL(o.schema)
	if exists {
		stmts = stmts[1:] // CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even then
	}
	for _, stmt := range stmts {
		if _, err := o.pool.Exec(ctx, stmt); err != nil {
			return fmt.Errorf("outbox: create state tables in schema %q: %w", o.schema, err)
		}
	}
	return nil
}

// Entry is one (source change, notification) to record, with what to send and write.
type Entry struct {
	// SourceKey identifies the source: "wal/<commit LSN>/<change position>" for a row change,
	// "daily/<date>/<document name>" for the daily pass. With Notification it is unique: a replay
	// after a crash inserts nothing and writes nothing again.
	SourceKey    string
	Notification string
	// Webhook is the webhook's name; "" when there is nothing to send.
	Webhook    string
	Service    string
	Event      string
	Message    Message
	SourceTime time.Time
	// Writes run in the same transaction when the entry is new: Set Property After Alert and
	// Notification Log rows.
	Writes []Write
	// Failed, when set, is why the notification could not be built for this document (a
	// template error, a budget exceeded): it is recorded as a dead delivery with this reason,
	// and nothing is sent or written.
	Failed string
}

// Write is one parameterised statement run with an entry.
type Write struct {
	SQL  string
	Args []any
}

// Batch is what one outbox transaction commits.
type Batch struct {
	Entries []Entry
	// Position, when not zero, is stored as the slot's durable position in the same transaction.
	Position pglogrepl.LSN
}

// TagPrefix is the prefix of the logical message that marks walnotify's own transactions in the
// change stream, so that their row changes raise no events.
const TagPrefix = "walnotify"

// Result says what Enqueue did.
type Result struct {
	// New is how many entries were recorded; the others were already there (a replay).
	New int
	// Rejected are the entries, or the writes of entries, that the database refused for good
	// (a write-back on a column that no longer takes the value, a message jsonb refuses, ...).
	// They were left out so that the rest goes on; a refused entry is recorded as a dead
	// delivery with the reason (visible in `walnotify status`), and the caller logs them.
	Rejected []Rejected
}

// Rejected is an entry, or its writes, that the database refused.
type Rejected struct {
	Entry *Entry
	// Writes is true when only the entry's writes were refused: its delivery was recorded.
	Writes bool
	Err    error
}

// Enqueue commits a batch in one transaction. Entries already present (a replay) are skipped
// with their writes. When any entry has writes, the transaction first emits a transactional
// logical message with TagPrefix, so the stream recognises it and drops its row changes: a
// write-back never raises a notification.
//
// A statement the database refuses for good (bad data, a constraint, a dropped column) affects
// only its entry, which is reported in Result.Rejected; errors of the connection or the server
// fail the whole batch, to be retried.
func (o *Outbox) Enqueue(ctx context.Context, b Batch) (Result, error) {
	var res Result
	commit := func() error {
		if r, done, err := o.enqueueFast(ctx, b); done || err != nil {
			res = r
			return err
		}
		return pgx.BeginFunc(ctx, o.pool, func(tx pgx.Tx) error {
			var err error
			res, err = o.enqueue(ctx, tx, b)
			return err
		})
	}
	err := commit()
	if stateMissing(err) {
		// The state schema or a table of it was dropped: recreate it, then commit again.
		if _, herr := o.Heal(ctx); herr != nil {
			return Result{}, errors.Join(err, herr)
		}
		err = commit()
	}
	if err != nil {
		return Result{}, err
	}
	return res, nil
}

// enqueueFast commits a batch in one round trip: the queue lock and one statement that inserts
// the deliveries, stores the position and wakes the workers of the new ones, sent together and
// run as one implicit transaction. done is false, with nothing committed, when the batch has
// writes or failed entries, or the database refused something in it: enqueue then does it step
// by step, finding the entries at fault.
func (o *Outbox) enqueueFast(ctx context.Context, b Batch) (res Result, done bool, err error) {
	for i := range b.Entries {
		if len(b.Entries[i].Writes) > 0 || b.Entries[i].Failed != "" {
			return res, false, nil
		}
	}
	if copyable(b.Entries) {
		if res, done, err := o.enqueueCopy(ctx, b); done || err != nil {
			return res, done, err
		}
	}
	cols := newColumns(len(b.Entries))
	var webhooks, channels []string
	for i := range b.Entries {
		e := &b.Entries[i]
		if err := cols.add(e); err != nil {
			return res, false, err
		}
		if e.Webhook != "" && !slices.Contains(webhooks, e.Webhook) {
			webhooks = append(webhooks, e.Webhook)
			channels = append(channels, o.channel(e.Webhook))
		}
	}
	var position *string
	if b.Position != 0 {
		s := b.Position.String()
		position = &s
	}
	batch := &pgx.Batch{}
	batch.Queue(`SELECT pg_advisory_xact_lock($1)`, o.queueKey())
	batch.Queue(`WITH ins AS (
  INSERT INTO `+o.table("delivery")+`
    (source_key, notification, webhook, service, event, doctype, docname, message, status, source_time, finished_at)
  SELECT k, n, NULLIF(w, ''), NULLIF(s, ''), e, d, dn, m, CASE WHEN w = '' THEN 'none' ELSE 'pending' END, st,
    CASE WHEN w = '' THEN now() END
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::timestamptz[])
    AS t(k, n, w, s, e, d, dn, m, st)
  ON CONFLICT (source_key, notification) DO NOTHING
  RETURNING webhook
), pos AS (
  INSERT INTO `+o.table("position")+` (slot, lsn) SELECT $10, $11::text::pg_lsn WHERE $11::text IS NOT NULL
  ON CONFLICT (slot) DO UPDATE SET lsn = GREATEST(`+o.table("position")+`.lsn, EXCLUDED.lsn), updated_at = now()
), woken AS (
  SELECT count(pg_notify(c.ch, '')) AS n FROM unnest($12::text[], $13::text[]) AS c(w, ch)
  WHERE c.w IN (SELECT webhook FROM ins)
)
SELECT (SELECT count(*) FROM ins), n FROM woken`,
		cols.key, cols.notification, cols.webhook, cols.service, cols.event, cols.doctype, cols.docname, cols.message, cols.sourceTime,
		o.slot, position, webhooks, channels)
	br := o.pool.SendBatch(ctx, batch)
	_, err = br.Exec()
	if err == nil {
		var woken int
		err = br.QueryRow().Scan(&res.New, &woken)
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if refused(err) && !stateMissing(err) {
		return Result{}, false, nil
	}
	if err != nil {
		return Result{}, false, fmt.Errorf("outbox: enqueue: %w", err)
	}
	return res, true, nil
}

func (o *Outbox) enqueue(ctx context.Context, tx pgx.Tx, b Batch) (Result, error) {
	var res Result
	// Enqueues take turns, in every instance, so that ids commit in order: workers read their
	// queue from the last id they settled and would never see a row committed behind it.
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, o.queueKey()); err != nil {
		return res, fmt.Errorf("outbox: queue lock: %w", err)
	}
	for i := range b.Entries {
		if len(b.Entries[i].Writes) > 0 {
			if _, err := tx.Exec(ctx, `SELECT pg_logical_emit_message(true, $1, 'write-back')`, TagPrefix); err != nil {
				return res, fmt.Errorf("outbox: tag transaction: %w", err)
			}
			break
		}
	}
	entries := make([]*Entry, 0, len(b.Entries))
	for i := range b.Entries {
		e := &b.Entries[i]
		if e.Failed != "" {
			if err := o.bury(ctx, tx, e, e.Failed); err != nil {
				return res, err
			}
			continue
		}
		entries = append(entries, e)
	}
	fresh, err := o.insert(ctx, tx, entries)
	if refused(err) && !stateMissing(err) {
		// Find the entries at fault: one by one, each in its own savepoint.
		fresh = map[*Entry]bool{}
		for _, e := range entries {
			one, err := o.insert(ctx, tx, []*Entry{e})
			if refused(err) {
				res.Rejected = append(res.Rejected, Rejected{Entry: e, Err: err})
				if err := o.bury(ctx, tx, e, "refused by the outbox: "+err.Error()); err != nil {
					return res, err
				}
				continue
			}
			if err != nil {
				return res, err
			}
			maps.Copy(fresh, one)
		}
	} else if err != nil {
		return res, err
	}
	res.New = len(fresh)
	woken := map[string]bool{}
	for _, e := range entries {
		if !fresh[e] {
			continue
		}
		if e.Webhook != "" && !woken[e.Webhook] {
			woken[e.Webhook] = true
			// Delivered at commit to the webhook's worker, in this instance or another.
			if _, err := tx.Exec(ctx, `SELECT pg_notify($1, '')`, o.channel(e.Webhook)); err != nil {
				return res, fmt.Errorf("outbox: notify: %w", err)
			}
		}
		if len(e.Writes) == 0 {
			continue
		}
		err := pgx.BeginFunc(ctx, tx, func(sp pgx.Tx) error {
			for _, w := range e.Writes {
				if _, err := sp.Exec(ctx, w.SQL, w.Args...); err != nil {
					return err
				}
			}
			return nil
		})
		if refused(err) {
			res.Rejected = append(res.Rejected, Rejected{Entry: e, Writes: true, Err: fmt.Errorf("notification %q: %s %q: write: %w", e.Notification, e.Message.Doctype, e.Message.Name, err)})
		} else if err != nil {
			return res, fmt.Errorf("outbox: write: %w", err)
		}
	}
	if b.Position != 0 {
		if err := o.savePosition(ctx, tx, b.Position); err != nil {
			return res, err
		}
	}
	return res, nil
}

// insert records entries in a savepoint and returns those that were new.
func (o *Outbox) insert(ctx context.Context, tx pgx.Tx, entries []*Entry) (map[*Entry]bool, error) {
	if len(entries) == 0 {
		return nil, nil
	}
	cols := newColumns(len(entries))
	byKey := make(map[[2]string]*Entry, len(entries))
	for _, e := range entries {
		if err := cols.add(e); err != nil {
			return nil, err
		}
		byKey[[2]string{e.SourceKey, e.Notification}] = e
	}
	fresh := map[*Entry]bool{}
	err := pgx.BeginFunc(ctx, tx, func(sp pgx.Tx) error {
		rows, err := sp.Query(ctx, `INSERT INTO `+o.table("delivery")+`
  (source_key, notification, webhook, service, event, doctype, docname, message, status, source_time, finished_at)
SELECT k, n, NULLIF(w, ''), NULLIF(s, ''), e, d, dn, m, CASE WHEN w = '' THEN 'none' ELSE 'pending' END, st,
  CASE WHEN w = '' THEN now() END
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::timestamptz[])
  AS t(k, n, w, s, e, d, dn, m, st)
ON CONFLICT (source_key, notification) DO NOTHING
RETURNING source_key, notification`,
			cols.key, cols.notification, cols.webhook, cols.service, cols.event, cols.doctype, cols.docname, cols.message, cols.sourceTime)
		if err != nil {
			return err
		}
		for rows.Next() {
			var k, n string
			if err := rows.Scan(&k, &n); err != nil {
				rows.Close()
				return err
			}
			fresh[byKey[[2]string{k, n}]] = true
		}
		rows.Close()
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("outbox: insert deliveries: %w", err)
	}
	return fresh, nil
}

// bury records an entry that cannot be delivered (the database refused it, or it failed before
// it had a message) as a dead delivery with the reason, so that it shows in `walnotify status`
// instead of being lost silently. Its message is not kept: it may be what was refused. A replay
// finds it there and records nothing twice.
func (o *Outbox) bury(ctx context.Context, tx pgx.Tx, e *Entry, reason string) error {
	clean := func(s string) string { return strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "\uFFFD") }
	err := pgx.BeginFunc(ctx, tx, func(sp pgx.Tx) error {
		_, err := sp.Exec(ctx, `INSERT INTO `+o.table("delivery")+`
  (source_key, notification, webhook, service, event, doctype, docname, message, status, last_answer, finished_at)
VALUES ($1, $2, NULLIF($3, ''), NULLIF($4, ''), $5, $6, $7, '{}', 'dead', $8, now())
ON CONFLICT (source_key, notification) DO NOTHING`,
			clean(e.SourceKey), clean(e.Notification), clean(e.Webhook), clean(e.Service), clean(e.Event),
			clean(e.Message.Doctype), clean(e.Message.Name), clean(reason))
		return err
	})
	if err != nil && !refused(err) {
		return fmt.Errorf("outbox: record a refused entry: %w", err)
	}
	return nil // refused even so: the caller logs it
}

// refused reports whether err is the database refusing a statement for good, as opposed to a
// connection, server or concurrency trouble that a retry can cure.
func refused(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	switch pe.Code[:2] {
	case "08", "25", "40", "53", "55", "57", "58", "XX":
		return false
	}
	return true
}

// webhookKey identifies a webhook of this state schema: its workers' advisory lock.
func (o *Outbox) webhookKey(webhook string) int64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "walnotify\x00%s\x00%s", o.schema, webhook)
	return int64(h.Sum64())
}

// queueKey is the advisory lock that enqueues of this state schema take in turn.
func (o *Outbox) queueKey() int64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "walnotify queue\x00%s", o.schema)
	return int64(h.Sum64())
}

// channel is the LISTEN/NOTIFY channel that wakes a webhook's worker, in any instance.
func (o *Outbox) channel(webhook string) string {
	return fmt.Sprintf("walnotify_%016x", uint64(o.webhookKey(webhook)))
}

func (o *Outbox) savePosition(ctx context.Context, tx pgx.Tx, lsn pglogrepl.LSN) error {
	_, err := tx.Exec(ctx, `INSERT INTO `+o.table("position")+` (slot, lsn) VALUES ($1, $2::pg_lsn)
ON CONFLICT (slot) DO UPDATE SET lsn = GREATEST(`+o.table("position")+`.lsn, EXCLUDED.lsn), updated_at = now()`, o.slot, lsn.String())
	if err != nil {
		return fmt.Errorf("outbox: save position: %w", err)
	}
	return nil
}

// sessionConfig is the pool's connection settings for a worker's connections: their
// statements are planned once, not at each use, and the plan made once must hold at any size of
// the outbox. Planning cost the server more than running: about 125 µs for a queue read of 14
// rows, 150 µs for a group of marks, as much as updating ten rows (pg_stat_statements at 2,000
// deliveries a second). With sequential scans off, a plan made on an empty outbox still reads
// an index when it holds a million rows. A generic plan cannot see the position either, so
// statistics that put it past the end of the table cannot turn the queue read into a walk of
// the primary key through every settled row, as a custom plan once did.
func (o *Outbox) sessionConfig() *pgx.ConnConfig {
	cfg := o.pool.Config().ConnConfig.Copy()
	cfg.RuntimeParams["plan_cache_mode"] = "force_generic_plan"
	cfg.RuntimeParams["enable_seqscan"] = "off"
	noJIT(cfg)
	return cfg
}

// ConfigurePool sets what walnotify's connections need on the daemon's pool (the outbox
// commits, the expiry and purge, the reads of templates and conditions): no JIT.
func ConfigurePool(cfg *pgxpool.Config) { noJIT(cfg.ConnConfig) }

// noJIT turns off the server's JIT compilation, on by default where PostgreSQL was built with
// LLVM (Debian's is). walnotify's statements each read or write a few rows, but a generic plan
// can estimate millions (a join with the ranges), past jit_above_cost: the tidy of 20 ranges
// then spent 218 of its 221 ms compiling, and the marks behind it waited.
func noJIT(cfg *pgx.ConnConfig) { cfg.RuntimeParams["jit"] = "off" }

// connect opens a connection of its own for a worker's session (see sessionConfig).
func (o *Outbox) connect(ctx context.Context, notified func()) (*pgx.Conn, error) {
	cfg := o.sessionConfig()
	// pgx would keep every notification until read: a worker busy with a backlog reads none,
	// and the list would grow with each commit. A worker only needs to know one came.
	cfg.OnNotification = func(*pgconn.PgConn, *pgconn.Notification) {
		if notified != nil {
			notified()
		}
	}
	return pgx.ConnectConfig(ctx, cfg)
}

// connectMarks opens the connection that marks deliveries: as connect, committing without
// waiting for the WAL flush (a mark lost in a server crash only sends a message again). Never
// the outbox commit's connection, whose commits confirm the stream's position.
func (o *Outbox) connectMarks(ctx context.Context) (*pgx.Conn, error) {
	cfg := o.sessionConfig()
	cfg.RuntimeParams["synchronous_commit"] = "off"
	return pgx.ConnectConfig(ctx, cfg)
}

// Position returns the durable position stored for the slot, 0 when none.
func (o *Outbox) Position(ctx context.Context) (pglogrepl.LSN, error) {
	var s string
	err := o.pool.QueryRow(ctx, `SELECT lsn::text FROM `+o.table("position")+` WHERE slot = $1`, o.slot).Scan(&s)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("outbox: read position: %w", err)
	}
	return pglogrepl.ParseLSN(s)
}

// columns are the entries of a batch as parallel arrays, for one INSERT ... SELECT unnest(...).
type columns struct {
	key, notification, webhook, service, event, doctype, docname []string
	message                                                      [][]byte
	sourceTime                                                   []*time.Time
}

func newColumns(n int) *columns {
	return &columns{
		key: make([]string, 0, n), notification: make([]string, 0, n), webhook: make([]string, 0, n),
		service: make([]string, 0, n), event: make([]string, 0, n), doctype: make([]string, 0, n),
		docname: make([]string, 0, n), message: make([][]byte, 0, n), sourceTime: make([]*time.Time, 0, n),
	}
}

func (c *columns) add(e *Entry) error {
	m, err := json.Marshal(e.Message)
	if err != nil {
		return fmt.Errorf("outbox: notification %q: %s %q: encode message: %w", e.Notification, e.Message.Doctype, e.Message.Name, err)
	}
	c.key = append(c.key, e.SourceKey)
	c.notification = append(c.notification, e.Notification)
	c.webhook = append(c.webhook, e.Webhook)
	c.service = append(c.service, e.Service)
	c.event = append(c.event, e.Event)
	c.doctype = append(c.doctype, e.Message.Doctype)
	c.docname = append(c.docname, e.Message.Name)
	c.message = append(c.message, m)
	var st *time.Time
	if !e.SourceTime.IsZero() {
		t := e.SourceTime
		st = &t
	}
	c.sourceTime = append(c.sourceTime, st)
	return nil
}

// RecordDailyRun records that the daily pass of day ("YYYY-MM-DD") is done.
func (o *Outbox) RecordDailyRun(ctx context.Context, day string) error {
	_, err := o.pool.Exec(ctx, `INSERT INTO `+o.table("daily_run")+` (day) VALUES ($1::date)
ON CONFLICT (day) DO UPDATE SET finished_at = now()`, day)
	if err != nil {
		return fmt.Errorf("outbox: record daily run: %w", err)
	}
	return nil
}

// LastDailyRun returns the last day whose daily pass is done, or nil.
func (o *Outbox) LastDailyRun(ctx context.Context) (*time.Time, error) {
	var last *time.Time
	if err := o.pool.QueryRow(ctx, `SELECT max(day) FROM `+o.table("daily_run")).Scan(&last); err != nil {
		return nil, fmt.Errorf("outbox: last daily run: %w", err)
	}
	return last, nil
}
