package main

import (
	"context"
	"fmt"
	"strings"

	"walnotify/prereq"
	"walnotify/rules"
)

func cmdCheck(ctx context.Context, env *cmdEnv, args []string) error {
	fs, path := newFlags(env, "check")
	db := fs.Bool("db", false, "also connect as the role and check every prerequisite: settings, role, grants, publication, replica identity, state schema, slot, tables, columns and the fields rules read")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var opts []rules.Option
	if !*db {
		opts = append(opts, rules.Offline()) // secrets may be unset on an admin's laptop
	}
	cfg, err := loadConfig(env, *path, opts...)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "%s: %d notifications, %d webhooks: configuration OK\n", *path, len(cfg.Notifications), len(cfg.Webhooks))
	if !*db {
		return nil
	}
	role, err := dsnUser(cfg.Database.DSN.Reveal())
	if err != nil {
		return fmt.Errorf("database.dsn: %w", err)
	}
	pool, err := openPool(ctx, cfg)
	if err != nil {
		fmt.Fprintf(env.stderr, "%s: %v\n  fix: check database.dsn, that the server runs and that pg_hba.conf lets this host in; `walnotify setup` creates the role\n", *path, err)
		return errReported
	}
	defer pool.Close()
	cat, err := prereq.Inspect(ctx, pool, cfg)
	if err != nil {
		return err
	}
	statuses, err := prereq.CheckAll(ctx, pool, prereq.List(cfg, role, cat))
	if err != nil {
		return err
	}
	problems := 0
	report := func(what, fix string, note bool) {
		w, prefix := env.stderr, *path+": "
		if note {
			w, prefix = env.stdout, "note: "
		} else {
			problems++
		}
		fmt.Fprintf(w, "%s%s\n", prefix, what)
		if fix != "" {
			fmt.Fprintf(w, "  fix: %s\n", strings.ReplaceAll(fix, "\n", "\n       "))
		}
	}
	for _, p := range prereq.Validate(cfg, cat) {
		report(p.What, p.Fix, false)
	}
	for _, s := range statuses {
		if !s.Met() {
			report(s.Problem, s.FixText(), s.Optional)
		}
	}
	if problems > 0 {
		fmt.Fprintf(env.stderr, "%d problem(s) in the database; `walnotify setup` prints the SQL that meets every prerequisite\n", problems)
		return errReported
	}
	fmt.Fprintln(env.stdout, "database OK: walnotify can run")
	return nil
}
