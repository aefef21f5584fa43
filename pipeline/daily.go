package pipeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"walnotify/cdc"
	"walnotify/erpdb"
	"walnotify/frappedb"
	"walnotify/rules"
	"walnotify/rules/condition"
	"walnotify/sender"
)

// maxCatchUp is how many missed days the daemon catches up after downtime.
const maxCatchUp = 7

// DayDocuments is what the daily pass reads of the ERP (*erpdb.DB).
type DayDocuments interface {
	// OnDay reads the documents whose date column is day.
	OnDay(ctx context.Context, doctype, column, day string) ([]cdc.Row, error)
	Children(ctx context.Context, parentDoctype, parentName string, c erpdb.ChildTable) ([]any, error)
}

// DailyOutbox is where the daily pass commits, and remembers the days it ran (*sender.Outbox).
type DailyOutbox interface {
	Outbox
	RecordDailyRun(ctx context.Context, day string) error
	LastDailyRun(ctx context.Context) (*time.Time, error)
}

// Daily is the Days Before / Days After pass ("Get Alerts for Today").
type Daily struct {
	Docs   DayDocuments
	Outbox DailyOutbox
	Log    *slog.Logger
	// Lookup reads the database for templates' frappe.db calls (*erpdb.DB); nil makes them
	// fail the notification.
	Lookup frappedb.Lookup
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Retry is how soon a failed pass runs again; 0 means a minute.
	Retry time.Duration
}

// Found is one document the daily pass matched for a notification.
type Found struct {
	Notification string
	Event        rules.Event
	RefDate      string
	Name         string
	Condition    bool
	Err          error
}

// Pass evaluates the Days Before / Days After notifications for one day ("Get Alerts for
// Today"): the documents whose reference date is day + (or -) days_in_advance, whole calendar
// day, whose condition holds. Unless dryRun, their deliveries are committed to the outbox under
// keys made of the day and the document, so running a day twice sends nothing twice.
func (dl *Daily) Pass(ctx context.Context, rs *Rules, day string, dryRun bool) ([]Found, int, error) {
	b := dl.builder()
	cfg := rs.cfg
	d, err := time.ParseInLocation(time.DateOnly, day, cfg.Site.Location)
	if err != nil {
		return nil, 0, fmt.Errorf("date %q: want YYYY-MM-DD", day)
	}
	now := b.now().In(cfg.Site.Location)
	var found []Found
	var entries []sender.Entry
	for i := range cfg.Notifications {
		n := &cfg.Notifications[i]
		if !n.IsEnabled() || !n.Event.Scheduled() {
			continue
		}
		offset := n.DaysInAdvance
		if n.Event == rules.DaysAfter {
			offset = -offset
		}
		ref := d.AddDate(0, 0, offset).Format(time.DateOnly)
		rows, err := dl.Docs.OnDay(ctx, n.DocumentType, n.DateChanged, ref)
		if err != nil {
			return nil, 0, fmt.Errorf("notification %q: %w", n.Name, err)
		}
		ti := rs.tables[cfg.TableName(n.DocumentType)]
		for _, row := range rows {
			doc := map[string]any(row)
			doc["doctype"] = n.DocumentType
			if ti != nil {
				addChildren(ctx, dl.Docs, b.log, n.DocumentType, ti.children, doc)
			}
			f := Found{Notification: n.Name, Event: n.Event, RefDate: ref, Name: rules.DocName(doc)}
			f.Condition, f.Err = n.Compiled.Condition.Evaluate(cfg.ConditionInput(doc, nil, now, dl.Lookup))
			found = append(found, f)
			if f.Err != nil {
				b.log.Warn("condition failed; notification skipped for this document", "notification", n.Name, "doctype", n.DocumentType, "name", f.Name, "err", f.Err)
				if errors.Is(f.Err, condition.ErrBudget) && !dryRun {
					entries = append(entries, failedEntry(n, doc, "daily/"+day+"/"+f.Name, time.Time{}, fmt.Errorf("condition: %w", f.Err)))
				}
				continue
			}
			if !f.Condition || dryRun {
				continue
			}
			key := "daily/" + day + "/" + f.Name
			e, err := b.entry(rs, n, doc, nil, key, time.Time{})
			if err != nil {
				b.log.Warn("template failed; recorded as a dead delivery for this document", "notification", n.Name, "doctype", n.DocumentType, "name", f.Name, "err", err)
				e = failedEntry(n, doc, key, time.Time{}, err)
			}
			entries = append(entries, e)
		}
	}
	if dryRun {
		return found, 0, nil
	}
	added := 0
	for start := 0; start < len(entries); start += 500 {
		res, err := dl.Outbox.Enqueue(ctx, sender.Batch{Entries: entries[start:min(start+500, len(entries))]})
		if err != nil {
			return found, added, err
		}
		logRejected(b.log, res.Rejected)
		added += res.New
	}
	if err := dl.Outbox.RecordDailyRun(ctx, day); err != nil {
		return found, added, err
	}
	return found, added, nil
}

// Run runs the daily pass after each midnight in the site's time zone, and at start for the
// days missed while the daemon was down (at most maxCatchUp), today included. A pass that fails
// runs again after Retry, not a day later. It returns when ctx is done.
func (dl *Daily) Run(ctx context.Context, current *atomic.Pointer[Rules]) error {
	b := dl.builder()
	retry := cmp.Or(dl.Retry, time.Minute)
	for {
		rs := current.Load()
		loc := rs.cfg.Site.Location
		today := b.now().In(loc).Format(time.DateOnly)
		failed := false
		days, err := daysToRun(ctx, dl.Outbox, today)
		if err != nil {
			b.log.Warn("daily pass postponed", "err", err)
			failed = true
		}
		for _, day := range days {
			if !hasEnabled(rs.cfg, rules.Event.Scheduled) {
				break
			}
			found, added, err := dl.Pass(ctx, rs, day, false)
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				b.log.Error("daily pass failed; it runs again later", "day", day, "err", err, "in", retry)
				failed = true
				break
			}
			b.log.Info("daily pass done", "day", day, "documents", len(found), "enqueued", added)
		}
		wait := time.Until(nextMidnight(b.now(), loc).Add(5 * time.Second))
		if failed {
			wait = min(wait, retry)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
}

func (dl *Daily) builder() *builder { return newBuilder(dl.Log, dl.Now, dl.Lookup) }

// newBuilder is a builder for a pass that runs beside the stream; now nil is the wall clock.
func newBuilder(log *slog.Logger, now func() time.Time, lookup frappedb.Lookup) *builder {
	if now == nil {
		now = time.Now
	}
	return &builder{log: log, now: now, lookup: lookup}
}

// hasEnabled reports whether an enabled notification of cfg has an event of that kind.
func hasEnabled(cfg *rules.Config, kind func(rules.Event) bool) bool {
	for i := range cfg.Notifications {
		if cfg.Notifications[i].IsEnabled() && kind(cfg.Notifications[i].Event) {
			return true
		}
	}
	return false
}

// daysToRun lists the days from the one after the last recorded run to today.
func daysToRun(ctx context.Context, outbox DailyOutbox, today string) ([]string, error) {
	last, err := outbox.LastDailyRun(ctx)
	if err != nil {
		return nil, err
	}
	return catchUp(last, today), nil
}

// catchUp lists the days after last up to today, at most maxCatchUp of them; today alone when
// no day ever ran.
func catchUp(last *time.Time, today string) []string {
	t, _ := time.Parse(time.DateOnly, today)
	start := t
	if last != nil {
		start = last.AddDate(0, 0, 1)
		if t.Sub(start) > maxCatchUp*24*time.Hour {
			start = t.AddDate(0, 0, -(maxCatchUp - 1))
		}
	}
	var days []string
	for d := start; !d.After(t); d = d.AddDate(0, 0, 1) {
		days = append(days, d.Format(time.DateOnly))
	}
	return days
}

// nextMidnight is the start of the day after now, in loc.
func nextMidnight(now time.Time, loc *time.Location) time.Time {
	n := now.In(loc)
	return time.Date(n.Year(), n.Month(), n.Day()+1, 0, 0, 0, 0, loc)
}
