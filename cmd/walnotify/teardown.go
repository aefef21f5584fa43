package main

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"walnotify/prereq"
	"walnotify/rules"
)

func cmdTeardown(ctx context.Context, env *cmdEnv, args []string) error {
	fs, path := newFlags(env, "teardown")
	apply := fs.Bool("apply", false, "run the SQL, in one transaction (stop walnotify first)")
	admin := fs.String("admin-dsn", "", "connection of a superuser to apply with (default database.dsn)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(env, *path)
	if err != nil {
		return err
	}
	role, err := dsnUser(cfg.Database.DSN.Reveal())
	if err != nil {
		return fmt.Errorf("database.dsn: %w", err)
	}
	if !*apply {
		prereq.WriteTeardown(env.stdout, cfg, role)
		return nil
	}
	dsn := cfg.Database.DSN.Reveal()
	if *admin != "" {
		dsn = *admin
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return fmt.Errorf("connect as the administrator: %w", rules.NewSecret(dsn).Redact(err))
	}
	defer conn.Close(ctx)
	if err := prereq.ApplyTeardown(ctx, conn, cfg, role, func(s string) { fmt.Fprintln(env.stdout, s) }); err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, "teardown applied: walnotify left nothing in this database")
	return nil
}
