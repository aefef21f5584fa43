package main

import (
	"context"
	"fmt"

	"walnotify/erpimport"
	"walnotify/rules"
)

func cmdImport(ctx context.Context, env *cmdEnv, args []string) error {
	fs, path := newFlags(env, "import")
	dsn := fs.String("dsn", "", "connect with this DSN instead of the config's database.dsn (then no config file is read)")
	siteURL := fs.String("site-url", "", "the ERP's address for links to documents (default: the config's site.url)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg := &rules.Config{Database: rules.Database{DSN: rules.NewSecret(*dsn), Schema: rules.DefaultSchema}}
	prefix := rules.DefaultTablePrefix
	cfg.Database.TablePrefix = &prefix
	if *dsn == "" {
		var err error
		if cfg, err = loadConfig(env, *path, rules.Offline()); err != nil {
			return err
		}
		if cfg.Database.DSN.IsZero() {
			return fmt.Errorf("%s: database.dsn is not set (or give --dsn)", *path)
		}
		if *siteURL == "" {
			*siteURL = cfg.Site.URL
		}
	}
	pool, err := openPool(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	res, err := erpimport.Import(ctx, pool, erpimport.Options{Schema: cfg.Database.Schema, Prefix: *cfg.Database.TablePrefix, SiteURL: *siteURL})
	if err != nil {
		return err
	}
	env.stdout.Write(res.TOML)
	fmt.Fprintf(env.stderr, "walnotify import: %d notifications, %d webhooks and %d document webhooks imported; %d records not imported\n", res.Notifications, res.Webhooks, res.DocumentWebhooks, len(res.Skipped))
	for _, s := range res.Skipped {
		fmt.Fprintf(env.stderr, "  %s\n", s)
	}
	if len(res.Variables) > 0 {
		fmt.Fprintf(env.stderr, "set before `walnotify check`:")
		for _, v := range res.Variables {
			fmt.Fprintf(env.stderr, " %s", v.Name)
		}
		fmt.Fprintln(env.stderr)
	}
	return nil
}
