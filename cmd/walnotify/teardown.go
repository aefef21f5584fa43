package main

import (
	"context"
	"fmt"

	"walnotify/prereq"
)

func cmdTeardown(ctx context.Context, env *cmdEnv, args []string) error {
	fs, path := newFlags(env, "teardown")
	apply := fs.Bool("apply", false, "run the SQL, in one transaction (stop walnotify first)")
	admin := fs.String("admin-dsn", "", "connection of a superuser to apply with (default database.dsn)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, role, err := loadConfigAndRole(env, *path)
	if err != nil {
		return err
	}
	if !*apply {
		prereq.WriteTeardown(env.stdout, cfg, role)
		return nil
	}
	conn, err := connectAdmin(ctx, cfg, *admin)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	if err := prereq.ApplyTeardown(ctx, conn, cfg, role, func(s string) { fmt.Fprintln(env.stdout, s) }); err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, "teardown applied: walnotify left nothing in this database")
	return nil
}
