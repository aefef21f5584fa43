package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"walnotify/erpdb"
	"walnotify/pipeline"
	"walnotify/sender"
)

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
	if _, err := time.Parse(time.DateOnly, day); day != "" && err != nil {
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
	rs, problems, err := pipeline.Prepare(ctx, cfg, pool, docs)
	if err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Fprintln(env.stderr, "skipped:", p)
	}
	for _, w := range rs.Warnings() {
		fmt.Fprintln(env.stderr, "warning:", w)
	}
	if day == "" { // today in the site's time zone, which System Settings may give
		day = time.Now().In(rs.Config().Site.Location).Format(time.DateOnly)
	}
	daily := &pipeline.Daily{Docs: docs, Lookup: docs, Outbox: outbox, Log: log}
	found, added, err := daily.Pass(ctx, rs, day, *dryRun)
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
