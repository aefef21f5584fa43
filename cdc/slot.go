package cdc

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/jackc/pglogrepl"
	"github.com/jackc/pgx/v5/pgconn"

	"walnotify/internal/sqltext"
)

// ErrNoPublication reports that the configured publication does not exist. Run returns it at
// once instead of retrying: it takes a DBA (or `walnotify setup`) to create it.
var ErrNoPublication = errors.New("publication does not exist")

// slotName is what pglogrepl can put in a replication command unquoted.
var slotName = regexp.MustCompile(`^[a-z0-9_]{1,63}$`)

// pluginArgs are the pgoutput options for a server of major version major: protocol 2 with
// logical messages from PostgreSQL 14, protocol 1 before. The publication name is
// double-quoted inside the option (the server reads it as an identifier list, lower-casing
// unquoted names) and the whole value single-quoted.
func pluginArgs(major int, publication string) []string {
	ident := `"` + strings.ReplaceAll(publication, `"`, `""`) + `"`
	args := []string{"proto_version '1'", "publication_names " + sqltext.Literal(ident)}
	if major >= 14 {
		args[0] = "proto_version '2'"
		args = append(args, "messages 'true'")
	}
	return args
}

// serverMajor reads the major version from the server_version parameter ("15.18 (Debian
// 15.18-1)", "9.6.24", "17beta1").
func serverMajor(conn *pgconn.PgConn) (int, error) {
	v := conn.ParameterStatus("server_version")
	end := strings.IndexFunc(v, func(r rune) bool { return r < '0' || r > '9' })
	if end < 0 {
		end = len(v)
	}
	major, err := strconv.Atoi(v[:end])
	if err != nil {
		return 0, fmt.Errorf("server version %q: %w", v, err)
	}
	return major, nil
}

// query runs one simple-protocol query (a walsender in database mode takes only those) and
// returns the text of its rows.
func query(ctx context.Context, conn *pgconn.PgConn, sql string) ([][][]byte, error) {
	res, err := conn.Exec(ctx, sql).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(res) != 1 {
		return nil, fmt.Errorf("%d results for one query", len(res))
	}
	return res[0].Rows, nil
}

// checkPublication makes sure the publication exists, so that a typo is a clear error at
// start instead of one the server raises at the first change.
func checkPublication(ctx context.Context, conn *pgconn.PgConn, name string) error {
	rows, err := query(ctx, conn, "SELECT current_database(), EXISTS (SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = "+sqltext.Literal(name)+")")
	if err != nil {
		return fmt.Errorf("publication %q: %w", name, err)
	}
	if len(rows) != 1 || len(rows[0]) != 2 {
		return fmt.Errorf("publication %q: unexpected answer", name)
	}
	if string(rows[0][1]) != "t" {
		return permanent(fmt.Errorf("%w: %q in database %q", ErrNoPublication, name, rows[0][0]))
	}
	return nil
}

// ensureSlot returns the confirmed position of the permanent pgoutput slot name in this
// database, creating the slot if it is missing; created says it was, and the position is then
// the new slot's consistent point: nothing before it can be streamed any more.
func ensureSlot(ctx context.Context, conn *pgconn.PgConn, name string) (lsn pglogrepl.LSN, created bool, err error) {
	for range 2 {
		rows, err := query(ctx, conn, `SELECT coalesce(plugin, ''), slot_type, coalesce(database, ''), current_database(), coalesce(confirmed_flush_lsn::text, '')
			FROM pg_catalog.pg_replication_slots WHERE slot_name = `+sqltext.Literal(name))
		if err != nil {
			return 0, false, fmt.Errorf("slot %q: %w", name, err)
		}
		if len(rows) == 1 && len(rows[0]) == 5 {
			r := rows[0]
			plugin, kind, db, current := string(r[0]), string(r[1]), string(r[2]), string(r[3])
			if kind != "logical" || plugin != "pgoutput" || db != current {
				return 0, false, permanent(fmt.Errorf("slot %q is a %s slot of plugin %q in database %q, not a pgoutput slot of database %q", name, kind, plugin, db, current))
			}
			if len(r[4]) == 0 {
				return 0, created, nil
			}
			lsn, err := pglogrepl.ParseLSN(string(r[4]))
			if err != nil {
				return 0, false, fmt.Errorf("slot %q: confirmed_flush_lsn: %w", name, err)
			}
			return lsn, created, nil
		}
		res, err := pglogrepl.CreateReplicationSlot(ctx, conn, name, "pgoutput", pglogrepl.CreateReplicationSlotOptions{SnapshotAction: "NOEXPORT_SNAPSHOT"})
		var pgErr *pgconn.PgError
		switch {
		case err == nil:
			created = true
			if p, perr := pglogrepl.ParseLSN(res.ConsistentPoint); perr == nil {
				return p, true, nil
			}
		case !(errors.As(err, &pgErr) && pgErr.Code == "42710"): // 42710: created meanwhile
			return 0, false, fmt.Errorf("slot %q: create: %w", name, err)
		}
	}
	return 0, false, fmt.Errorf("slot %q: neither found nor created", name)
}

// createTemporarySlot creates a temporary slot with a fresh name, dropped by the server when
// the connection ends.
func createTemporarySlot(ctx context.Context, conn *pgconn.PgConn, prefix string) (string, error) {
	var b [6]byte
	rand.Read(b[:])
	suffix := "_tmp_" + hex.EncodeToString(b[:])
	if prefix == "" {
		prefix = "walnotify"
	}
	name := prefix[:min(len(prefix), 63-len(suffix))] + suffix
	_, err := pglogrepl.CreateReplicationSlot(ctx, conn, name, "pgoutput", pglogrepl.CreateReplicationSlotOptions{Temporary: true, SnapshotAction: "NOEXPORT_SNAPSHOT"})
	if err != nil {
		return "", fmt.Errorf("temporary slot %q: create: %w", name, err)
	}
	return name, nil
}

// permanentError marks an error that retrying cannot cure.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

func permanent(err error) error { return &permanentError{err} }

// isPermanent says whether Run should give up on err instead of reconnecting: configuration
// and privilege problems, and server answers that no retry changes.
func isPermanent(err error) bool {
	var pe *permanentError
	if errors.As(err, &pe) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "28000", // invalid authorization (no pg_hba.conf entry)
			"28P01", // wrong password
			"3D000", // database does not exist
			"42501", // insufficient privilege (no REPLICATION attribute)
			"42704", // undefined object (publication dropped while streaming)
			"55000": // object not in prerequisite state (wal_level, invalidated slot)
			return true
		}
	}
	return false
}

// slotBusy says whether err is the server refusing a slot another connection streams from
// (another walnotify instance): the normal state of a standby, retried quietly.
func slotBusy(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "55006"
}
