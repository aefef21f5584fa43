package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pglogrepl"
	"github.com/jackc/pgx/v5"

	"walnotify/cdc"
	"walnotify/erpdb"
	"walnotify/render"
	"walnotify/rules"
	"walnotify/sender"
)

// pipeline consumes the change stream: for each row change it asks the rules which
// notifications fire, renders them, and commits them to the outbox with their write-backs;
// then it confirms the transactions it has made durable to the stream.
type pipeline struct {
	rules   *atomic.Pointer[ruleSet]
	outbox  *sender.Outbox
	docs    *erpdb.DB
	confirm func(pglogrepl.LSN)
	metrics *pipelineMetrics
	builder
	// batchMax bounds the entries of one outbox transaction (a huge source transaction is
	// enqueued in several).
	batchMax int
	// linger is how long completed transactions may wait to share an outbox commit.
	linger time.Duration

	// visibleXid is the last source transaction known to be visible to queries.
	visibleXid uint32
}

// ruleSet is a loaded configuration with what was learnt about the database for it.
type ruleSet struct {
	cfg    *rules.Config
	engine *rules.Engine
	// tables by name: columns and child tables of the watched document types.
	tables map[string]*tableInfo
	// notificationLog is true when the ERP has a "Notification Log" table.
	notificationLog bool
	settings        bool // "Notification Settings" table present
}

// tableInfo is what the pipeline knows of a watched table.
type tableInfo struct {
	doctype  string
	columns  map[string]erpdb.Column
	children []erpdb.ChildTable // only those the rules of the table mention
	// noWriteOnSubmit: fields the ERP's metadata forbids changing after submit.
	noWriteOnSubmit map[string]bool
}

// builder turns a fired notification into an outbox entry: rendered message, write-back,
// Notification Log rows. The pipeline and the daily pass share it.
type builder struct {
	log *slog.Logger
	now func() time.Time
}

// txState is the transaction being read.
type txState struct {
	tx  cdc.Tx
	own bool // walnotify's own write-back transaction: its changes raise nothing
}

// run consumes items until the channel is closed or ctx is done, then flushes.
func (p *pipeline) run(ctx context.Context, items <-chan cdc.Item) error {
	var (
		cur       txState
		batch     sender.Batch
		completed pglogrepl.LSN // end of the last transaction read entirely
		since     time.Time     // when the oldest unflushed transaction completed
	)
	flush := func() error {
		if err := p.flush(ctx, &batch, completed); err != nil {
			return err
		}
		since = time.Time{}
		return nil
	}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		var item cdc.Item
		var ok bool
		select {
		case item, ok = <-items:
		case <-timer.C:
			if err := flush(); err != nil {
				return err
			}
			continue
		case <-ctx.Done():
			return nil
		}
		if !ok {
			return flush()
		}
		switch item.Kind {
		case cdc.KindBegin:
			cur = txState{tx: item.Tx}
		case cdc.KindMessage:
			if item.Message.Transactional && item.Message.Prefix == sender.TagPrefix {
				cur.own = true
			}
		case cdc.KindChange:
			p.metrics.changes.Inc()
			if cur.own {
				continue
			}
			batch.Entries = append(batch.Entries, p.handle(ctx, item.Change, cur.tx)...)
			if len(batch.Entries) >= p.batchMax {
				if err := flush(); err != nil {
					return err
				}
			}
		case cdc.KindTruncate:
			p.log.Info("truncate seen; it raises no notification", "tables", item.Truncate.Tables)
		case cdc.KindCommit:
			completed = item.Tx.EndLSN
			if since.IsZero() {
				since = p.now()
				timer.Reset(p.linger)
			}
			if len(items) == 0 || len(batch.Entries) >= p.batchMax || p.now().Sub(since) >= p.linger {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
}

// flush commits the batch with the position of the last complete transaction, retrying while
// the database is unreachable, then confirms that position to the stream.
func (p *pipeline) flush(ctx context.Context, batch *sender.Batch, completed pglogrepl.LSN) error {
	if len(batch.Entries) > 0 {
		batch.Position = completed
		for attempt := 1; ; attempt++ {
			start := p.now()
			res, err := p.outbox.Enqueue(ctx, *batch)
			if err == nil {
				p.metrics.enqueueSeconds.Observe(p.now().Sub(start).Seconds())
				for _, e := range batch.Entries {
					p.metrics.enqueued.WithLabelValues(webhookLabel(e.Webhook), e.Notification).Inc()
				}
				logRejected(p.log, res.Rejected)
				p.log.Debug("enqueued", "entries", len(batch.Entries), "new", res.New, "position", completed)
				break
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			wait := min(time.Duration(attempt)*time.Second, 30*time.Second)
			p.log.Error("outbox unavailable; retrying", "err", err, "in", wait)
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(wait):
			}
		}
		batch.Entries = batch.Entries[:0]
	}
	if completed != 0 {
		p.confirm(completed)
	}
	return nil
}

// logRejected logs what the database refused in an outbox commit; the rest went on.
func logRejected(log *slog.Logger, rejected []sender.Rejected) {
	for _, r := range rejected {
		e := r.Entry
		if r.Writes {
			log.Error("write-back or system notification refused by the database; the message itself is queued", "notification", e.Notification, "doctype", e.Message.Doctype, "name", e.Message.Name, "err", r.Err)
			continue
		}
		log.Error("notification refused by the outbox and dropped", "notification", e.Notification, "doctype", e.Message.Doctype, "name", e.Message.Name, "err", r.Err)
	}
}

func webhookLabel(w string) string {
	if w == "" {
		return "(none)"
	}
	return w
}

// handle evaluates one row change and returns the outbox entries it makes.
func (p *pipeline) handle(ctx context.Context, ch *cdc.Change, tx cdc.Tx) []sender.Entry {
	rs := p.rules.Load()
	raised, candidates := rs.engine.Candidates(ch)
	ti := rs.tables[ch.Table] // present when raised is: the engine watches only tables prepare found
	for _, r := range raised {
		p.metrics.events.WithLabelValues(ti.doctype, r.Event.String()).Inc()
	}
	if len(candidates) == 0 {
		return nil // nothing listens: no document to build, no rows to read
	}
	doc := rs.engine.Doc(ch)
	if len(ch.Unchanged) > 0 || len(ti.children) > 0 || writesBack(candidates) {
		p.waitVisible(ctx, tx.Xid)
	}
	if len(ch.Unchanged) > 0 {
		p.fillUnchanged(ctx, ti, ch, doc)
	}
	if len(ti.children) > 0 {
		addChildren(ctx, p.docs, p.log, ti.doctype, ti.children, doc)
	}
	matches, errs := rs.engine.Match(candidates, doc, p.now())
	for _, e := range errs {
		p.metrics.conditionErrors.WithLabelValues(e.Notification.Name).Inc()
		p.log.Warn("condition failed; notification skipped for this document", "notification", e.Notification.Name, "doctype", ti.doctype, "name", e.DocName, "err", e.Err)
	}
	var out []sender.Entry
	key := fmt.Sprintf("wal/%s/%d", tx.CommitLSN, ch.Pos)
	for _, n := range matches {
		e, err := p.entry(rs, n, n.Event, doc, key, tx.CommitTime)
		if err != nil {
			p.metrics.renderErrors.WithLabelValues(n.Name).Inc()
			p.log.Warn("template failed; notification skipped for this document", "notification", n.Name, "doctype", ti.doctype, "name", rules.DocName(doc), "err", err)
			continue
		}
		out = append(out, e)
	}
	return out
}

// waitVisible makes sure other sessions see the source transaction before the pipeline reads
// rows it wrote (child rows, unchanged values) or updates its document (Set Property After
// Alert, which would otherwise find no row): logical decoding can send a commit a moment
// before it is visible to other sessions.
func (p *pipeline) waitVisible(ctx context.Context, xid uint32) {
	if xid == p.visibleXid {
		return
	}
	if err := p.docs.WaitVisible(ctx, xid, 5*time.Second); err != nil {
		p.log.Warn("reading the document's rows without waiting for its transaction", "xid", xid, "err", err)
		return
	}
	p.visibleXid = xid
}

// writesBack reports whether one of the notifications sets a property on the document.
func writesBack(ns []*rules.Notification) bool {
	for _, n := range ns {
		if n.SetPropertyAfterAlert != "" {
			return true
		}
	}
	return false
}

// fillUnchanged reads the values the server did not resend (unchanged TOASTed columns of a
// table without REPLICA IDENTITY FULL) from the table, so that a rule never reads them as
// empty. They did not change in this update; the row is read as it is now.
func (p *pipeline) fillUnchanged(ctx context.Context, ti *tableInfo, ch *cdc.Change, doc map[string]any) {
	name := rules.DocName(doc)
	row, err := p.docs.Load(ctx, ti.doctype, name)
	if err != nil {
		p.log.Warn("unchanged values not read; rules see them as missing", "doctype", ti.doctype, "name", name, "columns", ch.Unchanged, "err", err)
		return
	}
	for _, col := range ch.Unchanged {
		if v, ok := row[col]; ok {
			doc[col] = v
		}
	}
}

// addChildren reads the rows of the given child tables of a document into doc (doc.items, ...).
// A child table that cannot be read is logged and left out; the rules see it as missing.
func addChildren(ctx context.Context, docs *erpdb.DB, log *slog.Logger, doctype string, children []erpdb.ChildTable, doc map[string]any) {
	name := rules.DocName(doc)
	for _, c := range children {
		rows, err := docs.Children(ctx, doctype, name, c)
		if err != nil {
			log.Warn("child rows not loaded", "doctype", doctype, "name", name, "field", c.Field, "err", err)
			continue
		}
		doc[c.Field] = rows
	}
}

// entry renders a notification for a document and builds its outbox entry with the writes
// that go with it.
func (b *builder) entry(rs *ruleSet, n *rules.Notification, ev rules.Event, doc map[string]any, key string, sourceTime time.Time) (sender.Entry, error) {
	cfg := rs.cfg
	now := b.now().In(cfg.Site.Location)
	format := render.Plain
	webhook, service := "", ""
	showLink := false
	if n.Webhook != nil {
		format = n.Webhook.Service.Format()
		webhook, service = n.Webhook.Name, n.Webhook.Service.String()
		showLink = n.Webhook.ShowsLink()
	}
	msg, err := renderMessage(cfg, n, ev, doc, now, format, showLink)
	if err != nil {
		return sender.Entry{}, err
	}
	e := sender.Entry{
		SourceKey: key, Notification: n.Name, Webhook: webhook, Service: service,
		Event: ev.String(), Message: msg, SourceTime: sourceTime,
	}
	ti := rs.tables[cfg.TableName(n.DocumentType)]
	if w, ok := b.writeBack(rs, ti, n, doc, now); ok {
		e.Writes = append(e.Writes, w)
	}
	if n.SendSystemNotification && rs.notificationLog {
		sys, err := renderMessage(cfg, n, ev, doc, now, render.Plain, false)
		if err != nil {
			return sender.Entry{}, err
		}
		e.Writes = append(e.Writes, systemNotification(rs, n, doc, sys, key, now)...)
	}
	return e, nil
}

// renderMessage renders subject and message for one target format.
func renderMessage(cfg *rules.Config, n *rules.Notification, ev rules.Event, doc map[string]any, now time.Time, format render.Format, showLink bool) (sender.Message, error) {
	data := render.Data{Doc: doc, Site: render.Site{URL: cfg.Site.URL, Location: cfg.Site.Location, Language: cfg.Site.Language}, Now: now, Format: format}
	subject, err := n.Compiled.Subject.Render(data)
	if err != nil {
		return sender.Message{}, fmt.Errorf("subject: %w", err)
	}
	text, err := n.Compiled.Message.Render(data)
	if err != nil {
		return sender.Message{}, fmt.Errorf("message: %w", err)
	}
	m := sender.Message{
		Notification: n.Name, Event: ev.String(), Doctype: n.DocumentType, Name: rules.DocName(doc),
		Subject: subject, Text: strings.TrimSpace(text),
	}
	if n.Webhook != nil && n.Webhook.Service == rules.Generic {
		m.Doc = doc // only the generic payload carries the document; the outbox need not keep it otherwise
	}
	if showLink && cfg.Site.URL != "" {
		m.URL = render.FormURL(cfg.Site.URL, n.DocumentType, m.Name)
	}
	return m, nil
}

// writeBack builds the Set Property After Alert statement, or false when there is none or the
// ERP would refuse it (a cancelled document; a submitted one whose field may not change after
// submit).
func (b *builder) writeBack(rs *ruleSet, ti *tableInfo, n *rules.Notification, doc map[string]any, now time.Time) (sender.Write, bool) {
	if n.SetPropertyAfterAlert == "" || ti == nil {
		return sender.Write{}, false
	}
	col, ok := ti.columns[n.SetPropertyAfterAlert]
	if !ok {
		return sender.Write{}, false // checked at load; a column dropped since is skipped
	}
	if ds, ok := doc["docstatus"].(int64); ok && (ds == 2 || ds == 1 && ti.noWriteOnSubmit[col.Name]) {
		b.log.Info("set property after alert skipped: the ERP forbids this change", "notification", n.Name, "name", rules.DocName(doc), "docstatus", ds, "field", col.Name)
		return sender.Write{}, false
	}
	return setProperty(rs.cfg, ti, col, n.PropertyValue, rules.DocName(doc), now), true
}

// setProperty is the parameterised UPDATE of one property: the value travels as text and is cast
// to the column's own type; numeric columns take it as an integer, the ERP's cint.
func setProperty(cfg *rules.Config, ti *tableInfo, col erpdb.Column, value, name string, now time.Time) sender.Write {
	table := pgx.Identifier{cfg.Database.Schema, cfg.TableName(ti.doctype)}.Sanitize()
	if col.Numeric() {
		value = strconv.FormatInt(cint(value), 10)
	}
	sql := `UPDATE ` + table + ` SET ` + pgx.Identifier{col.Name}.Sanitize() + ` = $1::text::` + col.Type
	args := []any{value}
	if m, ok := ti.columns["modified"]; ok && col.Name != "modified" {
		sql += `, "modified" = $2::text::` + m.Type
		args = append(args, now.Format("2006-01-02 15:04:05.000000"))
	}
	sql += ` WHERE "name" = $` + strconv.Itoa(len(args)+1)
	args = append(args, name)
	return sender.Write{SQL: sql, Args: args}
}

// cint converts like the ERP's cint: the integer part of a number written as text, 0 otherwise.
func cint(s string) int64 {
	s = strings.TrimSpace(strings.ReplaceAll(s, ",", ""))
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return int64(f)
	}
	return 0
}

// systemNotification inserts one Notification Log row (type Alert) per recipient, the way the
// ERP does, and marks the recipient's bell as unseen. Names are derived from the source key, so
// a replay inserts nothing twice.
func systemNotification(rs *ruleSet, n *rules.Notification, doc map[string]any, m sender.Message, key string, now time.Time) []sender.Write {
	cfg := rs.cfg
	recipients := n.Recipients
	if len(recipients) == 0 {
		if owner, ok := doc["owner"].(string); ok && owner != "" {
			recipients = []string{owner}
		}
	}
	from, _ := doc["modified_by"].(string)
	if from == "" {
		from, _ = doc["owner"].(string)
	}
	logTable := pgx.Identifier{cfg.Database.Schema, cfg.TableName("Notification Log")}.Sanitize()
	settings := pgx.Identifier{cfg.Database.Schema, cfg.TableName("Notification Settings")}.Sanitize()
	stamp := now.Format("2006-01-02 15:04:05.000000")
	var out []sender.Write
	for _, user := range recipients {
		sum := sha256.Sum256([]byte(key + "\x00" + n.Name + "\x00" + user))
		name := hex.EncodeToString(sum[:])[:10]
		sql := `INSERT INTO ` + logTable + ` (name, creation, modified, modified_by, owner, docstatus, idx, subject, for_user, type, email_content, document_type, document_name, from_user, read)
SELECT $1::text, $2::text::timestamp, $2::text::timestamp, 'Administrator', 'Administrator', 0, 0, $3::text, $4::text, 'Alert', $5::text, $6::text, $7::text, NULLIF($8::text, ''), 0`
		if rs.settings {
			sql += ` WHERE NOT EXISTS (SELECT 1 FROM ` + settings + ` WHERE name = $4::text AND enabled = 0)`
		}
		sql += ` ON CONFLICT (name) DO NOTHING`
		out = append(out, sender.Write{SQL: sql, Args: []any{name, stamp, m.Subject, user, m.Text, n.DocumentType, m.Name, from}})
		if rs.settings {
			out = append(out, sender.Write{SQL: `UPDATE ` + settings + ` SET seen = 0 WHERE name = $1 AND seen <> 0`, Args: []any{user}})
		}
	}
	return out
}
