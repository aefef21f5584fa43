package prereq

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"walnotify/rules"
)

// ErrRestart means a setting that needs a restart was changed: nothing else was applied.
var ErrRestart = errors.New("restart PostgreSQL, then run setup --apply again")

// WriteScript prints the requirements as the SQL script setup shows, by section. inspected
// says whether the statements were derived from the database (else they read it when run).
func WriteScript(w io.Writer, cfg *rules.Config, role string, reqs []Requirement, inspected bool) {
	db := cfg.Database
	fmt.Fprintf(w, "-- walnotify setup: %d notifications, role %s, publication %s, slot %s.\n", len(cfg.Notifications), role, db.Publication, db.Slot)
	fmt.Fprintf(w, "-- Run as a superuser (or the tables' owner) in the ERP database; running it twice changes nothing.\n")
	if !inspected {
		fmt.Fprintf(w, "-- Written from the configuration alone (no --admin-dsn): statements marked \"not verified\"\n")
		fmt.Fprintf(w, "-- assume a Frappe site or read its metadata when they run. `setup --admin-dsn` names every table.\n")
	}
	section := Section(-1)
	for _, r := range reqs {
		if len(r.Fix) == 0 {
			continue
		}
		if r.Section != section {
			section = r.Section
			title := sectionTitles[section]
			if strings.Contains(title, "%s") {
				title = fmt.Sprintf(title, ident(role))
			}
			fmt.Fprintf(w, "\n-- %d. %s\n", section+1, strings.ReplaceAll(title, "\n", "\n--    "))
		}
		if r.Comment != "" {
			fmt.Fprintf(w, "-- %s\n", r.Comment)
		}
		for _, q := range r.Fix {
			fmt.Fprintln(w, q)
		}
	}
}

// Apply meets every unmet requirement through conn, which must belong to a superuser (or the
// tables' owner with CREATEROLE). Server settings come first, outside any transaction: when
// one needs a restart, Apply returns ErrRestart before changing anything else. Then everything
// else is done in one transaction, and the slot after it (PostgreSQL refuses to create one in
// a transaction that has written). Each step done is reported.
func Apply(ctx context.Context, conn *pgx.Conn, reqs []Requirement, report func(string)) error {
	restart := false
	for _, r := range reqs {
		if r.Section != Server {
			continue
		}
		applied, err := meet(ctx, conn, r)
		if err != nil {
			return err
		}
		if applied {
			note := ""
			if r.Restart {
				note = " (takes effect after a restart of PostgreSQL)"
			} else if err := reloaded(ctx, conn, r); err != nil {
				return err
			}
			report(fmt.Sprintf("applied: %s%s", strings.Join(r.Fix, " "), note))
			restart = restart || r.Restart
		}
	}
	if restart {
		return ErrRestart
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op
	for _, r := range reqs {
		if r.Section == Server || r.Section == Slot {
			continue
		}
		applied, err := meet(ctx, tx, r)
		if err != nil {
			return err
		}
		if applied {
			report("done: " + r.What)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	for _, r := range reqs {
		if r.Section != Slot {
			continue
		}
		applied, err := meet(ctx, conn, r)
		if err != nil {
			return err
		}
		if applied {
			report("done: " + r.What)
		}
	}
	return nil
}

// reloaded waits, at most reloadWait, until a setting changed with pg_reload_conf() is the one
// conn sees: the reload is a signal the postmaster passes on to each session, which reads the
// file again between two statements, so the statement right after pg_reload_conf() may still
// see the old value. Past the wait, the setting is left to the checks that follow.
func reloaded(ctx context.Context, conn *pgx.Conn, r Requirement) error {
	deadline := time.Now().Add(reloadWait)
	for {
		s, err := r.Check(ctx, conn)
		if err != nil || s.Met() || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// reloadWait is how long Apply waits for a reloaded setting to reach its session.
const reloadWait = 5 * time.Second

// execer is a connection or a transaction.
type execer interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// meet checks r and runs its fix when it is unmet; it reports whether it ran it.
func meet(ctx context.Context, q execer, r Requirement) (bool, error) {
	s, err := r.Check(ctx, q)
	if err != nil || s.Met() {
		return false, err
	}
	if len(r.Fix) == 0 {
		return false, fmt.Errorf("%s: %s", s.Problem, r.Advice)
	}
	for _, stmt := range r.Fix {
		if _, err := q.Exec(ctx, stmt); err != nil {
			return false, fmt.Errorf("%s: %s: %w", r.What, firstLine(stmt), err)
		}
	}
	return true, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " ..."
	}
	return s
}
