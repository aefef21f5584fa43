package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"walnotify/cdc"
	"walnotify/erpdb"
	"walnotify/rules"
)

func cmdSetup(ctx context.Context, env *cmdEnv, args []string) error {
	fs, path := newFlags(env, "setup")
	apply := fs.Bool("apply", false, "run the SQL (as an administrator: see --admin-dsn)")
	admin := fs.String("admin-dsn", "", "connection of a superuser (or the tables' owner) to apply with; default database.dsn")
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
	dsn := cfg.Database.DSN.Reveal()
	if *admin != "" {
		dsn = *admin
	}
	plan := setupPlan{cfg: cfg, role: role}
	if !*apply {
		// Child tables and metadata are only known from the database; without it, print the rest.
		if conn, err := pgx.Connect(ctx, dsn); err == nil {
			plan.learn(ctx, conn)
			conn.Close(ctx)
		}
		plan.print(env.stdout)
		return nil
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return fmt.Errorf("connect to apply: %w", rules.NewSecret(dsn).Redact(err))
	}
	defer conn.Close(ctx)
	plan.learn(ctx, conn)
	return plan.apply(ctx, conn, env.stdout)
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

// setupPlan is the SQL that prepares a database for walnotify, derived from the rules.
type setupPlan struct {
	cfg  *rules.Config
	role string
	// learnt from the database when reachable
	children     []cdc.Table // child tables of watched document types (doc.items)
	metadata     bool        // tabDocField exists
	notifLog     bool        // tabNotification Log exists
	notifSetting bool
	modified     map[string]bool // tables with a "modified" column
}

// learn reads what the plan needs from the database; it leaves the defaults when it cannot.
func (p *setupPlan) learn(ctx context.Context, conn *pgx.Conn) {
	db := p.cfg.Database
	p.modified = map[string]bool{}
	exists := func(table string) bool {
		ok, _ := erpdb.TableExists(ctx, conn, db.Schema, table)
		return ok
	}
	p.metadata = exists(p.cfg.TableName("DocField"))
	p.notifLog = exists(p.cfg.TableName("Notification Log"))
	p.notifSetting = exists(p.cfg.TableName("Notification Settings"))
	for _, u := range p.cfg.Tables() {
		if cols, err := erpdb.Columns(ctx, conn, u.Table.Schema, u.Table.Name); err == nil {
			_, p.modified[u.Table.Name] = cols["modified"]
		}
		kids, _ := erpdb.Meta{Q: conn, Schema: db.Schema, Prefix: *db.TablePrefix}.ChildTables(ctx, u.Doctype)
		for _, k := range kids {
			t := cdc.Table{Schema: db.Schema, Name: p.cfg.TableName(k.Doctype)}
			if exists(t.Name) && !containsTable(p.children, t) {
				p.children = append(p.children, t)
			}
		}
	}
}

func containsTable(ts []cdc.Table, t cdc.Table) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

// step is one part of the setup: a comment and its statements.
type step struct {
	title string
	sql   []string
	// manual statements are printed as comments and not applied (they need a restart or a
	// secret).
	manual bool
}

func (p *setupPlan) steps() []step {
	db := p.cfg.Database
	role := pgx.Identifier{p.role}.Sanitize()
	lit := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	var streamed, all []cdc.Table
	var identity []string
	var updates []string
	for _, u := range p.cfg.Tables() {
		all = append(all, u.Table)
		if u.Streamed {
			streamed = append(streamed, u.Table)
		}
		if u.NeedsFullIdentity {
			identity = append(identity, fmt.Sprintf("ALTER TABLE %s REPLICA IDENTITY FULL;", quoteTable(u.Table)))
		}
		if len(u.WriteColumns) > 0 {
			cols := make([]string, 0, len(u.WriteColumns)+1)
			for _, c := range u.WriteColumns {
				cols = append(cols, pgx.Identifier{c}.Sanitize())
			}
			if p.modified[u.Table.Name] {
				cols = append(cols, `"modified"`)
			}
			updates = append(updates, fmt.Sprintf("GRANT UPDATE (%s) ON %s TO %s;", strings.Join(cols, ", "), quoteTable(u.Table), role))
		}
	}
	pub := pgx.Identifier{db.Publication}.Sanitize()
	var pubSQL []string
	if len(streamed) > 0 {
		pubSQL = []string{
			fmt.Sprintf(`DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_publication WHERE pubname = %s) THEN
    CREATE PUBLICATION %s FOR TABLE %s WITH (publish = 'insert, update, delete, truncate');
  END IF;
END $$;`, lit(db.Publication), pub, tableList(streamed)),
			fmt.Sprintf("ALTER PUBLICATION %s SET TABLE %s;", pub, tableList(streamed)),
		}
	} else {
		pubSQL = []string{fmt.Sprintf(`DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_publication WHERE pubname = %s) THEN CREATE PUBLICATION %s; END IF;
END $$;`, lit(db.Publication), pub)}
	}
	grants := []string{fmt.Sprintf("GRANT USAGE ON SCHEMA %s TO %s;", pgx.Identifier{db.Schema}.Sanitize(), role)}
	reads := append(append([]cdc.Table{}, all...), p.children...)
	if p.metadata {
		reads = append(reads, cdc.Table{Schema: db.Schema, Name: p.cfg.TableName("DocField")})
	}
	if len(reads) > 0 {
		grants = append(grants, fmt.Sprintf("GRANT SELECT ON %s TO %s;", tableList(reads), role))
	}
	grants = append(grants, updates...)
	system := false
	for _, n := range p.cfg.Notifications {
		system = system || n.SendSystemNotification
	}
	if system && p.notifLog {
		// SELECT on name: the insert skips a row already written (ON CONFLICT (name)).
		grants = append(grants, fmt.Sprintf("GRANT INSERT, SELECT (name) ON %s TO %s;", quoteTable(cdc.Table{Schema: db.Schema, Name: p.cfg.TableName("Notification Log")}), role))
		if p.notifSetting {
			t := quoteTable(cdc.Table{Schema: db.Schema, Name: p.cfg.TableName("Notification Settings")})
			grants = append(grants, fmt.Sprintf("GRANT SELECT, UPDATE (seen) ON %s TO %s;", t, role))
		}
	}
	state := pgx.Identifier{db.StateSchema}.Sanitize()
	stateSQL := []string{
		fmt.Sprintf("CREATE SCHEMA IF NOT EXISTS %s AUTHORIZATION %s;", state, role),
		fmt.Sprintf("ALTER SCHEMA %s OWNER TO %s;", state, role),
	}

	return []step{
		{title: "Server settings (postgresql.conf or ALTER SYSTEM, as a superuser). wal_level needs a restart;\n" +
			"max_slot_wal_keep_size bounds the WAL a stopped walnotify can hold (a slot past it is invalidated).",
			sql: []string{
				"ALTER SYSTEM SET wal_level = logical;",
				"ALTER SYSTEM SET max_replication_slots = 10;  -- at least one free for walnotify (and one for `walnotify tail`)",
				"ALTER SYSTEM SET max_wal_senders = 10;",
				"ALTER SYSTEM SET max_slot_wal_keep_size = '10GB';",
			}, manual: true},
		{title: "The role walnotify connects as: LOGIN REPLICATION, nothing more. Set its password yourself:\n" +
			"ALTER ROLE " + role + " PASSWORD '...';",
			sql: []string{
				fmt.Sprintf("DO $$ BEGIN\n  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = %s) THEN CREATE ROLE %s LOGIN REPLICATION; END IF;\nEND $$;", lit(p.role), role),
				fmt.Sprintf("ALTER ROLE %s LOGIN REPLICATION;", role),
			}},
		{title: "Read access to the tables the rules use (and their child tables and the DocField metadata),\n" +
			"UPDATE only on the columns Set Property After Alert writes.", sql: grants},
		{title: "The publication: exactly the tables of row-event rules (SET TABLE follows rule changes).", sql: pubSQL},
		{title: "REPLICA IDENTITY FULL where update and delete rules need the old row.", sql: identity},
		{title: "The schema of walnotify's own tables (outbox, position), owned by its role: walnotify creates\n" +
			"its tables there at start.", sql: stateSQL},
		{title: "The slot (walnotify run also creates it when missing).", sql: []string{
			fmt.Sprintf("SELECT pg_create_logical_replication_slot(%s, 'pgoutput') WHERE NOT EXISTS (SELECT FROM pg_replication_slots WHERE slot_name = %s);", lit(db.Slot), lit(db.Slot)),
		}},
	}
}

func (p *setupPlan) print(w io.Writer) {
	fmt.Fprintf(w, "-- walnotify setup: %d notifications, role %s, publication %s, slot %s.\n", len(p.cfg.Notifications), p.role, p.cfg.Database.Publication, p.cfg.Database.Slot)
	fmt.Fprintf(w, "-- Run as a superuser (or the tables' owner) in the ERP database; running it twice changes nothing.\n")
	for i, s := range p.steps() {
		if len(s.sql) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n-- %d. %s\n", i+1, strings.ReplaceAll(s.title, "\n", "\n--    "))
		for _, q := range s.sql {
			fmt.Fprintln(w, q)
		}
	}
}

// apply runs the plan. Server settings are changed only when they are wrong, and a restart
// that wal_level needs is announced, not made.
func (p *setupPlan) apply(ctx context.Context, conn *pgx.Conn, w io.Writer) error {
	var walLevel string
	var slots, senders int
	if err := conn.QueryRow(ctx, `SELECT current_setting('wal_level'), current_setting('max_replication_slots')::int, current_setting('max_wal_senders')::int`).Scan(&walLevel, &slots, &senders); err != nil {
		return err
	}
	for _, s := range p.steps() {
		if s.manual {
			var todo []string
			if walLevel != "logical" {
				todo = append(todo, "ALTER SYSTEM SET wal_level = logical")
			}
			if slots < 2 {
				todo = append(todo, "ALTER SYSTEM SET max_replication_slots = 10")
			}
			if senders < 2 {
				todo = append(todo, "ALTER SYSTEM SET max_wal_senders = 10")
			}
			for _, q := range todo {
				if _, err := conn.Exec(ctx, q); err != nil {
					return fmt.Errorf("%s: %w", q, err)
				}
				fmt.Fprintf(w, "applied: %s (takes effect after a restart of PostgreSQL)\n", q)
			}
			if len(todo) > 0 {
				fmt.Fprintln(w, "restart PostgreSQL, then run walnotify setup --apply again")
				return nil
			}
			continue
		}
		for _, q := range s.sql {
			if _, err := conn.Exec(ctx, q); err != nil {
				return fmt.Errorf("%s: %w", firstLine(q), err)
			}
		}
		fmt.Fprintf(w, "done: %s\n", firstLine(s.title))
	}
	fmt.Fprintln(w, "setup applied; `walnotify check --db` verifies it")
	return nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
