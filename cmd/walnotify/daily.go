package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"walnotify/erpdb"
	"walnotify/rules"
	"walnotify/sender"
)

// maxCatchUp is how many missed days the daemon catches up after downtime.
const maxCatchUp = 7

// dailyFound is one document the daily pass matched for a notification.
type dailyFound struct {
	Notification string
	Event        rules.Event
	RefDate      string
	Name         string
	Condition    bool
	Err          error
}

// dailyPass evaluates the Days Before / Days After notifications for one day ("Get Alerts for
// Today"): the documents whose reference date is day + (or -) days_in_advance, whole calendar
// day, whose condition holds. Unless dryRun, their deliveries are committed to the outbox under
// keys made of the day and the document, so running a day twice sends nothing twice.
func dailyPass(ctx context.Context, rs *ruleSet, b *builder, docs *erpdb.DB, outbox *sender.Outbox, day string, dryRun bool) ([]dailyFound, int, error) {
	cfg := rs.cfg
	d, err := time.ParseInLocation(time.DateOnly, day, cfg.Site.Location)
	if err != nil {
		return nil, 0, fmt.Errorf("date %q: want YYYY-MM-DD", day)
	}
	now := b.now().In(cfg.Site.Location)
	var found []dailyFound
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
		rows, err := docs.OnDay(ctx, n.DocumentType, n.DateChanged, ref)
		if err != nil {
			return nil, 0, fmt.Errorf("notification %q: %w", n.Name, err)
		}
		ti := rs.tables[cfg.TableName(n.DocumentType)]
		for _, row := range rows {
			doc := map[string]any(row)
			doc["doctype"] = n.DocumentType
			if ti != nil {
				addChildren(ctx, docs, b.log, n.DocumentType, ti.children, doc)
			}
			f := dailyFound{Notification: n.Name, Event: n.Event, RefDate: ref, Name: rules.DocName(doc)}
			f.Condition, f.Err = n.Compiled.Condition.Eval(doc, now)
			found = append(found, f)
			if f.Err != nil {
				b.log.Warn("condition failed; notification skipped for this document", "notification", n.Name, "doctype", n.DocumentType, "name", f.Name, "err", f.Err)
				continue
			}
			if !f.Condition || dryRun {
				continue
			}
			e, err := b.entry(rs, n, n.Event, doc, "daily/"+day+"/"+f.Name, time.Time{})
			if err != nil {
				b.log.Warn("template failed; notification skipped for this document", "notification", n.Name, "doctype", n.DocumentType, "name", f.Name, "err", err)
				continue
			}
			entries = append(entries, e)
		}
	}
	if dryRun {
		return found, 0, nil
	}
	added := 0
	for start := 0; start < len(entries); start += 500 {
		res, err := outbox.Enqueue(ctx, sender.Batch{Entries: entries[start:min(start+500, len(entries))]})
		if err != nil {
			return found, added, err
		}
		logRejected(b.log, res.Rejected)
		added += res.New
	}
	if err := outbox.RecordDailyRun(ctx, day); err != nil {
		return found, added, err
	}
	return found, added, nil
}

// dailyLoop runs the daily pass after each midnight in the site's time zone, and at start for
// the days missed while the daemon was down (at most maxCatchUp), today included.
func (d *daemon) dailyLoop(ctx context.Context, current *atomic.Pointer[ruleSet], outbox *sender.Outbox, docs *erpdb.DB) error {
	b := &builder{log: d.log.With("component", "daily"), now: time.Now}
	for {
		rs := current.Load()
		loc := rs.cfg.Site.Location
		today := time.Now().In(loc).Format(time.DateOnly)
		days, err := daysToRun(ctx, outbox, today)
		if err != nil {
			b.log.Warn("daily pass postponed", "err", err)
		}
		for _, day := range days {
			if !hasScheduled(rs.cfg) {
				break
			}
			found, added, err := dailyPass(ctx, rs, b, docs, outbox, day, false)
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				b.log.Error("daily pass failed; it runs again later", "day", day, "err", err)
				break
			}
			b.log.Info("daily pass done", "day", day, "documents", len(found), "enqueued", added)
		}
		wait := time.Until(nextMidnight(time.Now(), loc).Add(5 * time.Second))
		if err != nil {
			wait = min(wait, time.Minute)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
}

func hasScheduled(cfg *rules.Config) bool {
	for i := range cfg.Notifications {
		if cfg.Notifications[i].IsEnabled() && cfg.Notifications[i].Event.Scheduled() {
			return true
		}
	}
	return false
}

// daysToRun lists the days from the one after the last recorded run to today.
func daysToRun(ctx context.Context, outbox *sender.Outbox, today string) ([]string, error) {
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

func cmdDaily(ctx context.Context, env *cmdEnv, args []string) error {
	fs, path := newFlags(env, "daily")
	date := fs.String("date", "", "the day to run, YYYY-MM-DD (default today in site.timezone)")
	dryRun := fs.Bool("dry-run", false, "list the documents without sending")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(env, *path)
	if err != nil {
		return err
	}
	day := *date
	if day == "" {
		day = time.Now().In(cfg.Site.Location).Format(time.DateOnly)
	} else if _, err := time.Parse(time.DateOnly, day); err != nil {
		return usagef("--date %q: want YYYY-MM-DD", day)
	}
	pool, err := openPool(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	outbox := sender.NewOutbox(pool, cfg.Database.StateSchema, cfg.Database.Slot)
	if !*dryRun {
		if err := outbox.Migrate(ctx); err != nil {
			return err
		}
	}
	docs := erpdb.New(pool, cfg.Database.Schema, *cfg.Database.TablePrefix)
	log := slog.New(slog.NewTextHandler(env.stderr, nil))
	rs, problems, err := prepare(ctx, cfg, pool, docs)
	if err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Fprintln(env.stderr, "skipped:", p)
	}
	found, added, err := dailyPass(ctx, rs, &builder{log: log, now: time.Now}, docs, outbox, day, *dryRun)
	for _, f := range found {
		state := "condition false"
		switch {
		case f.Err != nil:
			state = "condition error: " + f.Err.Error()
		case f.Condition:
			state = "sends"
		}
		fmt.Fprintf(env.stdout, "%s\t%s\t%s %s\t%s\n", f.Notification, f.Name, f.Event, f.RefDate, state)
	}
	if err != nil {
		return err
	}
	switch {
	case *dryRun:
		fmt.Fprintf(env.stdout, "%s: %d documents (dry run: nothing sent)\n", day, len(found))
	default:
		fmt.Fprintf(env.stdout, "%s: %d documents, %d new deliveries queued (the daemon delivers them)\n", day, len(found), added)
	}
	return nil
}
