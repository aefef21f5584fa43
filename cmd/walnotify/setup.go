package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"walnotify/prereq"
	"walnotify/rules"
)

func cmdSetup(ctx context.Context, env *cmdEnv, args []string) error {
	fs, path := newFlags(env, "setup")
	apply := fs.Bool("apply", false, "validate, then run the SQL (as an administrator: see --admin-dsn)")
	admin := fs.String("admin-dsn", "", "connection of a superuser (or the tables' owner): lets setup name child tables and check the rules against the database; --apply uses it (default database.dsn)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, role, err := loadConfigAndRole(env, *path)
	if err != nil {
		return err
	}
	if !*apply && *admin == "" {
		// The role may not exist yet: the script is written from the configuration alone.
		prereq.WriteScript(env.stdout, cfg, role, prereq.List(cfg, role, nil), false)
		return nil
	}
	conn, err := connectAdmin(ctx, cfg, *admin)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	cat, err := prereq.Inspect(ctx, conn, cfg)
	if err != nil {
		return err
	}
	blocked := false
	for _, p := range prereq.Validate(cfg, cat) {
		kind := "warning"
		if p.Blocking {
			kind, blocked = "error", true
		}
		fmt.Fprintf(env.stderr, "%s: %s: %s\n  fix: %s\n", *path, kind, p.What, p.Fix)
	}
	reqs := prereq.List(cfg, role, cat)
	if !*apply {
		prereq.WriteScript(env.stdout, cfg, role, reqs, true)
		if blocked {
			return errReported
		}
		return nil
	}
	if blocked {
		fmt.Fprintln(env.stderr, "nothing applied: correct the configuration first")
		return errReported
	}
	report := func(s string) { fmt.Fprintln(env.stdout, s) }
	if err := prereq.Apply(ctx, conn, reqs, report); err != nil {
		if errors.Is(err, prereq.ErrRestart) {
			fmt.Fprintf(env.stderr, "%s: nothing else was applied\n", err)
			return errReported
		}
		return err
	}
	statuses, err := prereq.CheckAll(ctx, conn, reqs)
	if err != nil {
		return err
	}
	unmet := 0
	for _, s := range statuses {
		if !s.Met() && !s.Optional {
			unmet++
			fmt.Fprintf(env.stderr, "%s: still unmet: %s\n  fix: %s\n", *path, s.Problem, s.FixText())
		}
	}
	if unmet > 0 {
		return errReported
	}
	fmt.Fprintln(env.stdout, "setup applied; `walnotify check --db` verifies it as the role")
	return nil
}

// loadConfigAndRole loads the configuration and names the role its database.dsn connects as.
func loadConfigAndRole(env *cmdEnv, path string) (*rules.Config, string, error) {
	cfg, err := loadConfig(env, path)
	if err != nil {
		return nil, "", err
	}
	role, err := dsnUser(cfg.Database.DSN.Reveal())
	if err != nil {
		return nil, "", fmt.Errorf("database.dsn: %w", err)
	}
	return cfg, role, nil
}

// connectAdmin connects with --admin-dsn, or database.dsn when it is empty.
func connectAdmin(ctx context.Context, cfg *rules.Config, admin string) (*pgx.Conn, error) {
	dsn := cfg.Database.DSN.Reveal()
	if admin != "" {
		dsn = admin
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("connect as the administrator: %w", rules.NewSecret(dsn).Redact(err))
	}
	return conn, nil
}

// dsnUser returns the user name of a connection string.
func dsnUser(dsn string) (string, error) {
	c, err := pgconn.ParseConfig(dsn)
	if err != nil {
		if u, uerr := url.Parse(dsn); uerr == nil && u.User != nil {
			return u.User.Username(), nil
		}
		return "", rules.NewSecret(dsn).Redact(err)
	}
	return c.User, nil
}
