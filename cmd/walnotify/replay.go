package main

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"walnotify/erpdb"
	"walnotify/pipeline"
	"walnotify/rules"
	"walnotify/sender"
)

func cmdReplay(ctx context.Context, env *cmdEnv, args []string) error {
	fs, path := newFlags(env, "replay")
	var sel sender.Selection
	fs.StringVar(&sel.Webhook, "webhook", "", "only the dead deliveries of this webhook")
	fs.StringVar(&sel.Notification, "notification", "", "only those of this notification")
	since := fs.String("since", "", "only notifications raised at or after this time (RFC 3339, or YYYY-MM-DD in site.timezone)")
	until := fs.String("until", "", "only notifications raised before this time")
	ids := fs.String("id", "", "only these deliveries: ids as status shows them, comma-separated")
	dryRun := fs.Bool("dry-run", false, "list what would be queued again, change nothing")
	rerender := fs.Bool("rerender", false, "render each message again with the current rules, from the stored document (the generic webhook keeps it) or else the document as it is now")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(env, *path)
	if err != nil {
		return err
	}
	if sel.Since, err = parseWhen(*since, cfg.Site.Location); err != nil {
		return usagef("--since: %v", err)
	}
	if sel.Until, err = parseWhen(*until, cfg.Site.Location); err != nil {
		return usagef("--until: %v", err)
	}
	for _, s := range strings.FieldsFunc(*ids, func(r rune) bool { return r == ',' || r == ' ' }) {
		id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
		if err != nil {
			return usagef("--id: %q is not a delivery id", s)
		}
		sel.IDs = append(sel.IDs, id)
	}
	pool, err := openPool(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	outbox := sender.NewOutbox(pool, cfg.Database.StateSchema, cfg.Database.Slot)
	dead, err := outbox.Dead(ctx, sel)
	if err != nil {
		return err
	}
	if len(dead) == 0 {
		fmt.Fprintln(env.stdout, "no dead delivery matches")
		return nil
	}
	if *rerender {
		docs := erpdb.New(pool, cfg.Database.Schema, *cfg.Database.TablePrefix)
		if cfg, err = withSite(ctx, env, cfg, pool, docs); err != nil {
			return err
		}
		kept := dead[:0]
		for _, d := range dead {
			if err := rerenderOne(ctx, cfg, docs, &d); err != nil {
				fmt.Fprintf(env.stderr, "#%d %s: %v (left dead)\n", d.ID, d.Notification, err)
				continue
			}
			kept = append(kept, d)
		}
		dead = kept
	} else {
		for i := range dead {
			dead[i].Message = nil // keep the stored message
		}
	}
	for _, d := range dead {
		verb := "would queue again"
		if !*dryRun {
			verb = "queued again"
		}
		fmt.Fprintf(env.stdout, "#%d %s -> %s: %s %s (died %s: %s): %s\n", d.ID, d.Notification, d.Webhook, d.Doctype, d.Name, d.At.Format(time.RFC3339), d.Answer, verb)
	}
	if *dryRun {
		fmt.Fprintf(env.stdout, "%d dead deliveries match; nothing changed (--dry-run)\n", len(dead))
		return nil
	}
	replayed, err := outbox.Replay(ctx, dead)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "%d deliveries queued again; a running walnotify sends them now\n", len(replayed))
	return nil
}

// rerenderOne replaces d's message by one rendered with the current rules.
func rerenderOne(ctx context.Context, cfg *rules.Config, docs *erpdb.DB, d *sender.DeadDelivery) error {
	n := cfg.Notification(d.Notification)
	if n == nil {
		return fmt.Errorf("no notification %q in %s any more", d.Notification, cfg.Path)
	}
	doc := d.Message.Doc
	if doc == nil {
		row, err := pipeline.ReadDocument(ctx, docs, n, d.Name, slog.New(slog.DiscardHandler))
		if err != nil {
			return fmt.Errorf("read %s %q: %w", n.DocumentType, d.Name, err)
		}
		doc = row
	}
	msg, err := pipeline.Rerender(cfg, docs, n, doc, time.Now())
	if err != nil {
		return err
	}
	d.Message = &msg
	return nil
}

// parseWhen reads an RFC 3339 time or a date (midnight in loc); "" is the zero time.
func parseWhen(s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q: want 2026-11-29 or 2026-11-29T14:00:00+01:00", s)
	}
	return t, nil
}

func cmdPurge(ctx context.Context, env *cmdEnv, args []string) error {
	fs, path := newFlags(env, "purge")
	olderThan := fs.String("older-than", "", "delete finished (delivered, dead) deliveries older than this (\"7d\", \"36h\"); default [delivery] retention")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(env, *path)
	if err != nil {
		return err
	}
	age := cfg.Delivery.Retention.Duration
	if *olderThan != "" {
		var d rules.Duration
		if err := d.UnmarshalText([]byte(*olderThan)); err != nil {
			return usagef("--older-than: %v", err)
		}
		age = d.Duration
	}
	pool, err := openPool(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	n, err := sender.NewOutbox(pool, cfg.Database.StateSchema, cfg.Database.Slot).Purge(ctx, age)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "%d finished deliveries older than %s deleted; pending ones are never purged\n", n, age)
	return nil
}

// withSite completes cfg's site with the ERP's System Settings, as the daemon does, printing
// what could not be read as warnings.
func withSite(ctx context.Context, env *cmdEnv, cfg *rules.Config, pool erpdb.Querier, docs *erpdb.DB) (*rules.Config, error) {
	cfg, warnings, err := pipeline.WithSite(ctx, cfg, pool, docs)
	for _, w := range warnings {
		fmt.Fprintln(env.stderr, "warning:", w)
	}
	return cfg, err
}
