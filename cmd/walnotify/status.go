package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"walnotify/erpdb"
	"walnotify/rules"
	"walnotify/sender"
)

func cmdStatus(ctx context.Context, env *cmdEnv, args []string) error {
	fs, path := newFlags(env, "status")
	asJSON := fs.Bool("json", false, "print one JSON object")
	dead := fs.Int("dead", 20, "how many dead deliveries to list")
	ackGap := fs.Bool("ack-gap", false, "acknowledge the open gaps (changes lost with the slot) once you have dealt with them; /healthz is unhealthy until then")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(env, *path)
	if err != nil {
		return err
	}
	pool, err := openPool(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	outbox := sender.NewOutbox(pool, cfg.Database.StateSchema, cfg.Database.Slot)
	if *ackGap {
		n, err := outbox.AckGaps(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stderr, "%d gap(s) acknowledged\n", n)
	}
	st, err := outbox.State(ctx, *dead)
	if err != nil {
		return err
	}
	type warning struct {
		Problem string `json:"problem"`
		Fix     string `json:"fix"`
	}
	warnings := []warning{}
	for _, p := range prerequisites(ctx, pool, cfg) {
		warnings = append(warnings, warning{p.Problem, p.FixText()})
	}
	if *asJSON {
		enc := json.NewEncoder(env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			*sender.State
			Warnings []warning `json:"warnings"`
		}{st, warnings})
	}
	printState(env, st)
	if len(warnings) > 0 {
		fmt.Fprintln(env.stdout, "\nwarnings (notifications that cannot fire or lack data):")
		for _, w := range warnings {
			fmt.Fprintf(env.stdout, "  %s\n    fix: %s\n", w.Problem, strings.ReplaceAll(w.Fix, "\n", "\n         "))
		}
	}
	return nil
}

// openPool connects to the configured database with the session settings of erpdb.
func openPool(ctx context.Context, cfg *rules.Config) (*pgxpool.Pool, error) {
	pc, err := pgxpool.ParseConfig(cfg.Database.DSN.Reveal())
	if err != nil {
		return nil, fmt.Errorf("database.dsn: %w", cfg.Database.DSN.Redact(err))
	}
	erpdb.Configure(pc)
	sender.ConfigurePool(pc)
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("database: %w", cfg.Database.DSN.Redact(err))
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("database: %w", cfg.Database.DSN.Redact(err))
	}
	return pool, nil
}

func printState(env *cmdEnv, st *sender.State) {
	w := env.stdout
	switch {
	case !st.Slot.Exists:
		fmt.Fprintf(w, "slot %s: does not exist (walnotify run creates it; walnotify setup prints it)\n", st.Slot.Name)
	default:
		active := "inactive"
		if st.Slot.Active {
			active = "active"
		}
		fmt.Fprintf(w, "slot %s: %s, confirmed %s, lag %s (%.1f s)\n", st.Slot.Name, active, st.Slot.Confirmed, bytesText(st.Slot.LagBytes), st.Slot.LagSeconds)
	}
	for _, g := range st.Gaps {
		fmt.Fprintf(w, "GAP #%d: changes between %s and %s were never seen: %s (detected %s); acknowledge with: walnotify status --ack-gap\n", g.ID, g.From, g.To, g.Reason, g.DetectedAt.Format(time.RFC3339))
	}
	if st.LastDelivery != nil {
		fmt.Fprintf(w, "last delivery: %s (%s ago)\n", st.LastDelivery.Format(time.RFC3339), time.Since(*st.LastDelivery).Round(time.Second))
	} else {
		fmt.Fprintln(w, "last delivery: none")
	}
	if len(st.Webhooks) > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "\nWEBHOOK\tPENDING\tOLDEST\tDEAD\tLAST DELIVERY")
		for _, h := range st.Webhooks {
			last := "-"
			if h.LastDelivery != nil {
				last = h.LastDelivery.Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%s\n", h.Webhook, h.Pending, (time.Duration(h.OldestPendingAge) * time.Second).String(), h.Dead, last)
		}
		tw.Flush()
	}
	if len(st.Dead) > 0 {
		fmt.Fprintln(w, "\ndead deliveries (newest first):")
		for _, d := range st.Dead {
			fmt.Fprintf(w, "  #%d %s -> %s: %s %s, %d attempts, %s: %s\n", d.ID, d.Notification, d.Webhook, d.Doctype, d.Name, d.Attempts, d.At.Format(time.RFC3339), d.Answer)
		}
	}
}

func bytesText(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
