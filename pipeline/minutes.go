package pipeline

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"walnotify/cdc"
	"walnotify/erpdb"
	"walnotify/frappedb"
	"walnotify/rules"
	"walnotify/sender"
)

// Minutes Before / Minutes After run every MinutesInterval, as the ERP's cron "0/5 * * * *".
const MinutesInterval = 5 * time.Minute

// maxMinutesCatchUp bounds how far back the pass looks after downtime: older windows are
// skipped, with a warning.
const maxMinutesCatchUp = 24 * time.Hour

// erpTime is how the ERP writes a Datetime: the site's local time.
const erpTime = "2006-01-02 15:04:05.999999"

// WindowDocuments is what the Minutes pass reads of the ERP (*erpdb.DB).
type WindowDocuments interface {
	// InWindow reads the documents whose column is in (after, upTo], local site time.
	InWindow(ctx context.Context, doctype, column, after, upTo string) ([]cdc.Row, error)
	Children(ctx context.Context, parentDoctype, parentName string, c erpdb.ChildTable) ([]any, error)
}

// MinutesOutbox is where the Minutes pass commits, and remembers the end of the last window of
// each notification (*sender.Outbox): the ERP's datetime_last_run.
type MinutesOutbox interface {
	Outbox
	LastMinutesRun(ctx context.Context, notification string) (*time.Time, error)
	RecordMinutesRun(ctx context.Context, notification string, until time.Time) error
}

// Minutes is the Minutes Before / Minutes After pass.
type Minutes struct {
	Docs   WindowDocuments
	Outbox MinutesOutbox
	Log    *slog.Logger
	// Lookup reads the database for templates' frappe.db calls (*erpdb.DB); nil makes them
	// fail the notification.
	Lookup frappedb.Lookup
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Pass runs every enabled Minutes Before / Minutes After notification for the window from the
// end of its last run to now, shifted by +minutes_offset (Before) or -minutes_offset (After):
// the documents whose datetime_changed falls in (last, now] so shifted and whose condition
// holds are committed to the outbox, and the window's end is remembered. A notification that
// never ran starts with the last MinutesInterval, as the ERP; after downtime the missed windows
// are caught up, at most maxMinutesCatchUp back. Deliveries are keyed by the document and its
// reference time, so a window run twice (a crash before its end was recorded) sends nothing
// twice. It returns how many deliveries it added.
func (m *Minutes) Pass(ctx context.Context, rs *Rules) (int, error) {
	b := m.builder()
	cfg := rs.cfg
	now := b.now()
	added := 0
	for i := range cfg.Notifications {
		n := &cfg.Notifications[i]
		if !n.IsEnabled() || !n.Event.Timed() {
			continue
		}
		last, err := m.Outbox.LastMinutesRun(ctx, n.Name)
		if err != nil {
			return added, err
		}
		from := now.Add(-MinutesInterval)
		if last != nil {
			from = *last
		}
		if now.Sub(from) > maxMinutesCatchUp {
			b.log.Warn("minutes pass: windows older than the catch-up bound are skipped", "notification", n.Name, "from", from, "skipped_until", now.Add(-maxMinutesCatchUp))
			from = now.Add(-maxMinutesCatchUp)
		}
		if !from.Before(now) {
			continue
		}
		k, err := m.window(ctx, b, rs, n, from, now)
		if err != nil {
			return added, fmt.Errorf("notification %q: %w", n.Name, err)
		}
		added += k
		if err := m.Outbox.RecordMinutesRun(ctx, n.Name, now); err != nil {
			return added, err
		}
	}
	return added, nil
}

// window commits the deliveries of one notification for (from, to] shifted by its offset.
func (m *Minutes) window(ctx context.Context, b *builder, rs *Rules, n *rules.Notification, from, to time.Time) (int, error) {
	cfg := rs.cfg
	shift := time.Duration(n.MinutesOffset) * time.Minute
	if n.Event == rules.MinutesAfter {
		shift = -shift
	}
	loc := cfg.Site.Location
	lo, hi := from.Add(shift).In(loc).Format(erpTime), to.Add(shift).In(loc).Format(erpTime)
	rows, err := m.Docs.InWindow(ctx, n.DocumentType, n.DatetimeChanged, lo, hi)
	if err != nil {
		return 0, err
	}
	now := b.now().In(loc)
	ti := rs.tables[cfg.TableName(n.DocumentType)]
	var entries []sender.Entry
	for _, row := range rows {
		doc := map[string]any(row)
		doc["doctype"] = n.DocumentType
		if ti != nil {
			addChildren(ctx, m.Docs, b.log, n.DocumentType, ti.children, doc)
		}
		name := rules.DocName(doc)
		ok, err := n.Compiled.Condition.Evaluate(cfg.ConditionInput(doc, nil, now, m.Lookup))
		if err != nil {
			b.log.Warn("condition failed; notification skipped for this document", "notification", n.Name, "doctype", n.DocumentType, "name", name, "err", err)
			continue
		}
		if !ok {
			continue
		}
		e, err := b.entry(rs, n, doc, nil, fmt.Sprintf("minutes/%s/%v", name, doc[n.DatetimeChanged]), time.Time{})
		if err != nil {
			b.log.Warn("template failed; notification skipped for this document", "notification", n.Name, "doctype", n.DocumentType, "name", name, "err", err)
			continue
		}
		entries = append(entries, e)
	}
	added := 0
	for start := 0; start < len(entries); start += 500 {
		res, err := m.Outbox.Enqueue(ctx, sender.Batch{Entries: entries[start:min(start+500, len(entries))]})
		if err != nil {
			return added, err
		}
		logRejected(b.log, res.Rejected)
		added += res.New
	}
	b.log.Debug("minutes window done", "notification", n.Name, "after", lo, "up_to", hi, "documents", len(rows), "enqueued", added)
	return added, nil
}

// Run runs the pass at start and then on every multiple of MinutesInterval of the clock, while
// a Minutes Before / Minutes After notification is enabled. A failed pass is retried at the
// next tick: its windows are still open. It returns when ctx is done.
func (m *Minutes) Run(ctx context.Context, current *atomic.Pointer[Rules]) error {
	b := m.builder()
	for {
		rs := current.Load()
		if hasEnabled(rs.cfg, rules.Event.Timed) {
			if added, err := m.Pass(ctx, rs); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				b.log.Error("minutes pass failed; it runs again at the next tick", "err", err)
			} else if added > 0 {
				b.log.Info("minutes pass done", "enqueued", added)
			}
		}
		now := b.now()
		wait := cmp.Or(now.Truncate(MinutesInterval).Add(MinutesInterval).Sub(now), MinutesInterval)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
}

func (m *Minutes) builder() *builder { return newBuilder(m.Log, m.Now, m.Lookup) }
