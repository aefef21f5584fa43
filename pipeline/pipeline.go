package pipeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/jackc/pglogrepl"
	"github.com/prometheus/client_golang/prometheus"

	"walnotify/cdc"
	"walnotify/erpdb"
	"walnotify/frappedb"
	"walnotify/rules"
	"walnotify/rules/condition"
	"walnotify/sender"
)

// Outbox is where the pipeline commits its entries, with the position they cover
// (*sender.Outbox).
type Outbox interface {
	Enqueue(ctx context.Context, b sender.Batch) (sender.Result, error)
}

// Documents is what the pipeline reads of the ERP beside the change stream (*erpdb.DB).
type Documents interface {
	// Load reads a document's row as it is now.
	Load(ctx context.Context, doctype, name string) (cdc.Row, error)
	// Children reads the rows of one child table of a document.
	Children(ctx context.Context, parentDoctype, parentName string, c erpdb.ChildTable) ([]any, error)
	// WaitVisible waits until transaction xid is visible to other sessions.
	WaitVisible(ctx context.Context, xid uint32, within time.Duration) error
}

// Pipeline consumes the change stream: for each row change it asks the rules which
// notifications fire, renders them, and commits them to the outbox with their write-backs;
// then it confirms the transactions it has made durable to the stream.
type Pipeline struct {
	// Rules are the current rules; a reload swaps them.
	Rules  *atomic.Pointer[Rules]
	Outbox Outbox
	Docs   Documents
	// Lookup reads the ERP's database for templates' frappe.db.get_value and its kin
	// (*erpdb.DB); nil makes them fail the notification.
	Lookup frappedb.Lookup
	// Confirm tells the stream that everything up to this end LSN is durable.
	Confirm func(pglogrepl.LSN)
	Metrics *Metrics
	Log     *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// BatchMax bounds the entries of one outbox transaction (a huge source transaction is
	// enqueued in several); 0 means 1000.
	BatchMax int
	// Linger is how long completed transactions may wait to share an outbox commit.
	Linger time.Duration
	// Spacing is the least time from the start of one outbox commit to the start of the next.
	// Transactions arriving further apart are each committed at once; closer ones share a
	// commit, waiting at most Spacing. 0 commits whenever the committer is free.
	Spacing time.Duration

	builder
	// visibleXid is the last source transaction known to be visible to queries.
	visibleXid uint32
	// raisedCounters holds each (doctype, event) counter of Metrics.events once looked up:
	// a label lookup hashes and locks, and every change raises an event. Run's alone.
	raisedCounters map[[2]string]prometheus.Counter
}

// txState is the transaction being read.
type txState struct {
	tx  cdc.Tx
	own bool // walnotify's own write-back transaction: its changes raise nothing
}

// Run consumes items until the channel is closed or ctx is done, then flushes.
//
// Outbox commits run beside the reading, in a committer goroutine: while one commits, the next
// batch gathers what follows, and is handed over when the committer is free (or full at
// BatchMax). The committer commits batches in order and confirms a position only once the
// batch that covers it is committed.
func (p *Pipeline) Run(ctx context.Context, items <-chan cdc.Item) error {
	p.builder = builder{log: p.Log, now: p.Now, lookup: p.Lookup}
	if p.now == nil {
		p.now = time.Now
	}
	if p.BatchMax <= 0 {
		p.BatchMax = 1000
	}
	var (
		cur       txState
		txStart   int // the first entry of the transaction being read in batch
		batch     sender.Batch
		completed pglogrepl.LSN // end of the last transaction read entirely
		handed    pglogrepl.LSN // the position of the last batch handed to the committer
		since     time.Time     // when the oldest unflushed transaction completed
	)
	commits := make(chan sender.Batch) // unbuffered: a send succeeds when the committer is free
	free := make(chan struct{}, 1)     // the committer is about to take the next batch
	cctx, stop := context.WithCancel(ctx)
	defer stop()
	finished := make(chan struct{})
	var cerr error
	go func() {
		defer close(finished)
		cerr = p.committer(cctx, commits, free)
	}()
	// flush hands the batch over: at once when wait, else only if the committer is free.
	flush := func(wait bool) error {
		if len(batch.Entries) == 0 && completed == handed {
			return nil
		}
		b := sender.Batch{Entries: batch.Entries, Position: completed}
		if wait {
			select {
			case commits <- b:
			case <-finished:
				return cerr
			}
		} else {
			select {
			case commits <- b:
			default:
				return nil // gathers more meanwhile
			}
		}
		batch.Entries = make([]sender.Entry, 0, len(b.Entries))
		handed, since, txStart = completed, time.Time{}, 0
		return nil
	}
	end := func(err error) error {
		if err == nil {
			close(commits)
		} else {
			stop()
		}
		<-finished
		return cmp.Or(err, cerr)
	}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		var item cdc.Item
		var ok bool
		select {
		case item, ok = <-items:
		case <-timer.C:
			if err := flush(false); err != nil {
				return end(err)
			}
			continue
		case <-free:
			if since.IsZero() {
				continue // no complete transaction waits: keep gathering
			}
			if err := flush(true); err != nil {
				return end(err)
			}
			continue
		case <-finished:
			return end(cerr)
		case <-ctx.Done():
			stop()
			<-finished
			return nil
		}
		if !ok {
			return end(flush(true))
		}
		switch item.Kind {
		case cdc.KindBegin:
			cur = txState{tx: item.Tx}
			txStart = len(batch.Entries)
		case cdc.KindMessage:
			if item.Message.Transactional && item.Message.Prefix == sender.TagPrefix {
				cur.own = true
			}
		case cdc.KindChange:
			p.Metrics.changes.Inc()
			if cur.own {
				continue
			}
			for _, e := range p.handle(ctx, item.Change, cur.tx) {
				batch.Entries = append(keepLastPerDocument(batch.Entries, txStart, e), e)
			}
			if len(batch.Entries) >= p.BatchMax {
				if err := flush(true); err != nil {
					return end(err)
				}
			}
		case cdc.KindTruncate:
			p.log.Info("truncate seen; it raises no notification", "tables", item.Truncate.Tables)
		case cdc.KindCommit:
			completed = item.Tx.EndLSN
			if since.IsZero() {
				since = p.now()
				timer.Reset(p.Linger)
			}
			if len(batch.Entries) >= p.BatchMax {
				if err := flush(true); err != nil {
					return end(err)
				}
			} else if len(items) == 0 || p.now().Sub(since) >= p.Linger {
				if err := flush(false); err != nil {
					return end(err)
				}
			}
		}
	}
}

// committer commits the batches it is handed, in order, and confirms each one's position once
// it is committed; it signals free before it waits for the next, and no sooner than Spacing
// after the start of a commit that wrote entries.
func (p *Pipeline) committer(ctx context.Context, commits <-chan sender.Batch, free chan<- struct{}) error {
	var spaced <-chan time.Time
	for {
		if spaced != nil {
			select {
			case <-spaced:
			case <-ctx.Done():
				return nil
			}
		}
		select {
		case free <- struct{}{}:
		default:
		}
		var b sender.Batch
		var ok bool
		select {
		case b, ok = <-commits:
		case <-ctx.Done():
			return nil
		}
		if !ok {
			return nil
		}
		spaced = nil
		if len(b.Entries) > 0 && p.Spacing > 0 {
			spaced = time.After(p.Spacing)
		}
		if err := p.flush(ctx, &b, b.Position); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
	}
}

// flush commits the batch with the position of the last complete transaction, retrying while
// the database is unreachable, then confirms that position to the stream.
func (p *Pipeline) flush(ctx context.Context, batch *sender.Batch, completed pglogrepl.LSN) error {
	if len(batch.Entries) > 0 {
		batch.Position = completed
		for attempt := 1; ; attempt++ {
			start := p.now()
			res, err := p.Outbox.Enqueue(ctx, *batch)
			if err == nil {
				p.Metrics.enqueueSeconds.Observe(p.now().Sub(start).Seconds())
				p.countEnqueued(batch.Entries)
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
		p.Confirm(completed)
	}
	return nil
}

// countEnqueued counts a committed batch's entries by webhook and notification: one counter
// update per pair, not per entry (a label lookup hashes and locks).
func (p *Pipeline) countEnqueued(entries []sender.Entry) {
	type pair struct{ webhook, notification string }
	n := map[pair]int{}
	for i := range entries {
		n[pair{entries[i].Webhook, entries[i].Notification}]++
	}
	for k, c := range n {
		p.Metrics.enqueued.WithLabelValues(webhookLabel(k.webhook), k.notification).Add(float64(c))
	}
}

// logRejected logs what the database refused in an outbox commit; the rest went on.
func logRejected(log *slog.Logger, rejected []sender.Rejected) {
	for _, r := range rejected {
		e := r.Entry
		if r.Writes {
			log.Error("write-back or system notification refused by the database; the message itself is queued", "notification", e.Notification, "doctype", e.Message.Doctype, "name", e.Message.Name, "err", r.Err)
			continue
		}
		log.Error("notification refused by the outbox; recorded there as dead with the reason", "notification", e.Notification, "doctype", e.Message.Doctype, "name", e.Message.Name, "err", r.Err)
	}
}

func webhookLabel(w string) string {
	if w == "" {
		return "(none)"
	}
	return w
}

// countRaised counts an event of a document type.
func (p *Pipeline) countRaised(doctype, event string) {
	k := [2]string{doctype, event}
	c, ok := p.raisedCounters[k]
	if !ok {
		if p.raisedCounters == nil {
			p.raisedCounters = map[[2]string]prometheus.Counter{}
		}
		c = p.Metrics.events.WithLabelValues(doctype, event)
		p.raisedCounters[k] = c
	}
	c.Inc()
}

// handle evaluates one row change and returns the outbox entries it makes.
func (p *Pipeline) handle(ctx context.Context, ch *cdc.Change, tx cdc.Tx) []sender.Entry {
	rs := p.Rules.Load()
	raised, candidates := rs.engine.Candidates(ch)
	hooks := rs.engine.DocWebhooks(ch)
	ti := rs.tables[ch.Table] // present when raised is: the engine watches only tables prepare found
	for _, r := range raised {
		p.countRaised(ti.doctype, r.Event.String())
	}
	if len(candidates) == 0 && len(hooks) == 0 {
		return nil // nothing listens: no document to build, no rows to read
	}
	doc := rs.engine.Doc(ch)
	if len(ch.Unchanged) > 0 || len(ti.children) > 0 || writesBack(candidates) {
		p.waitVisible(ctx, tx.Xid)
	}
	if len(ch.Unchanged) > 0 {
		p.fillUnchanged(ctx, ti, ch, doc)
	}
	addChildren(ctx, p.Docs, p.log, ti.doctype, ti.children, doc)
	before := rs.engine.Before(ch)
	if conditionsRead(candidates) {
		p.waitVisible(ctx, tx.Xid) // a condition may read what the transaction wrote
	}
	matches, errs := rs.engine.Match(candidates, doc, before, p.now(), p.Lookup)
	if reads(matches, hooks) {
		p.waitVisible(ctx, tx.Xid) // a template may read what the transaction wrote
	}
	var out []sender.Entry
	key := sourceKey(tx.CommitLSN, ch.Pos)
	for _, e := range errs {
		p.Metrics.conditionErrors.WithLabelValues(e.Notification.Name).Inc()
		p.log.Warn("condition failed; notification skipped for this document", "notification", e.Notification.Name, "doctype", ti.doctype, "name", e.DocName, "err", e.Err)
		if errors.Is(e.Err, condition.ErrBudget) {
			// A bound, not a mistake of the rule: keep a visible record of the skip.
			out = append(out, failedEntry(e.Notification, doc, key, tx.CommitTime, fmt.Errorf("condition: %w", e.Err)))
		}
	}
	for _, n := range matches {
		e, err := p.entry(rs, n, doc, before, key, tx.CommitTime)
		if err != nil {
			p.Metrics.renderErrors.WithLabelValues(n.Name).Inc()
			p.log.Warn("template failed; recorded as a dead delivery for this document", "notification", n.Name, "doctype", ti.doctype, "name", rules.DocName(doc), "err", err)
			e = failedEntry(n, doc, key, tx.CommitTime, err)
		}
		out = append(out, e)
	}
	for _, d := range hooks {
		ok, err := d.Compiled.Condition.Evaluate(rs.cfg.ConditionInput(doc, before, p.now(), p.Lookup))
		if err != nil {
			p.Metrics.conditionErrors.WithLabelValues(d.Name).Inc()
			p.log.Warn("condition failed; document webhook skipped for this document", "document_webhook", d.Name, "doctype", ti.doctype, "name", rules.DocName(doc), "err", err)
			continue
		}
		if ok {
			out = append(out, p.docWebhookEntry(rs, d, doc, before, key, tx.CommitTime))
		}
	}
	return out
}

// sourceKey is a row change's key in the outbox, "wal/<commit LSN>/<change position>", the LSN
// as PostgreSQL writes it (upper-case hexadecimal halves). A replay must make the same key, so it
// never changes; it is built by hand because fmt took a tenth of the pipeline's time per change.
func sourceKey(commit pglogrepl.LSN, pos int) string {
	b := make([]byte, 0, 40)
	b = append(b, "wal/"...)
	b = appendHexUpper(b, uint32(commit>>32))
	b = append(b, '/')
	b = appendHexUpper(b, uint32(commit))
	b = append(b, '/')
	b = strconv.AppendInt(b, int64(pos), 10)
	return string(b)
}

// appendHexUpper appends v in upper-case hexadecimal without leading zeros, as %X does.
func appendHexUpper(b []byte, v uint32) []byte {
	const digits = "0123456789ABCDEF"
	var buf [8]byte
	i := len(buf)
	for {
		i--
		buf[i] = digits[v&0xF]
		v >>= 4
		if v == 0 {
			break
		}
	}
	return append(b, buf[i:]...)
}

// waitVisible makes sure other sessions see the source transaction before the pipeline reads
// rows it wrote (child rows, unchanged values) or updates its document (Set Property After
// Alert, which would otherwise find no row): logical decoding can send a commit a moment
// before it is visible to other sessions.
func (p *Pipeline) waitVisible(ctx context.Context, xid uint32) {
	if xid == p.visibleXid {
		return
	}
	if err := p.Docs.WaitVisible(ctx, xid, 5*time.Second); err != nil {
		p.log.Warn("reading the document's rows without waiting for its transaction", "xid", xid, "err", err)
		return
	}
	p.visibleXid = xid
}

// conditionsRead reports whether the condition of one of the notifications reads the database.
func conditionsRead(ns []*rules.Notification) bool {
	for _, n := range ns {
		if n.ConditionReads() {
			return true
		}
	}
	return false
}

// reads reports whether one of the notifications reads the database in its templates or its
// recipients' conditions, or one of the document webhooks in its condition or templates.
func reads(ns []*rules.Notification, hooks []*rules.DocumentWebhook) bool {
	for _, n := range ns {
		if n.Reads() {
			return true
		}
	}
	for _, d := range hooks {
		if d.Reads() {
			return true
		}
	}
	return false
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
func (p *Pipeline) fillUnchanged(ctx context.Context, ti *tableInfo, ch *cdc.Change, doc map[string]any) {
	name := rules.DocName(doc)
	row, err := p.Docs.Load(ctx, ti.doctype, name)
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

// childReader reads child rows (Documents and DayDocuments both do).
type childReader interface {
	Children(ctx context.Context, parentDoctype, parentName string, c erpdb.ChildTable) ([]any, error)
}

// addChildren reads the rows of the given child tables of a document into doc (doc.items, ...).
// A child table that cannot be read is logged and left out; the rules see it as missing.
func addChildren(ctx context.Context, docs childReader, log *slog.Logger, doctype string, children []erpdb.ChildTable, doc map[string]any) {
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
