package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"walnotify/cdc"
	"walnotify/erpdb"
	"walnotify/pipeline"
	"walnotify/rules"
)

func cmdCheck(ctx context.Context, env *cmdEnv, args []string) error {
	fs, path := newFlags(env, "check")
	db := fs.Bool("db", false, "also connect and check the database: wal_level, privileges, publication, slot, tables, columns, replica identity")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(env, *path)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "%s: %d notifications, %d webhooks: configuration OK\n", *path, len(cfg.Notifications), len(cfg.Webhooks))
	if !*db {
		return nil
	}
	pool, err := openPool(ctx, cfg)
	if err != nil {
		fmt.Fprintf(env.stderr, "%s: %v\n  fix: check database.dsn, that the server runs and that pg_hba.conf lets this host in\n", *path, err)
		return errReported
	}
	defer pool.Close()
	findings, err := checkDatabase(ctx, pool, cfg)
	if err != nil {
		return err
	}
	problems := 0
	for _, f := range findings {
		if f.note {
			fmt.Fprintf(env.stdout, "note: %s\n", f.what)
		} else {
			problems++
			fmt.Fprintf(env.stderr, "%s: %s\n", *path, f.what)
		}
		if f.fix != "" {
			w := env.stderr
			if f.note {
				w = env.stdout
			}
			fmt.Fprintf(w, "  fix: %s\n", strings.ReplaceAll(f.fix, "\n", "\n       "))
		}
	}
	if problems > 0 {
		fmt.Fprintf(env.stderr, "%d problem(s) in the database; `walnotify setup` prints the SQL that fixes most of them\n", problems)
		return errReported
	}
	fmt.Fprintln(env.stdout, "database OK: walnotify can run")
	return nil
}

// finding is one result of checkDatabase: a problem (or a note) with the statement or setting
// that fixes it.
type finding struct {
	what string
	fix  string
	note bool
}

// checkDatabase verifies every prerequisite of `walnotify run` and returns every problem found.
func checkDatabase(ctx context.Context, pool *pgxpool.Pool, cfg *rules.Config) ([]finding, error) {
	var out []finding
	add := func(what, fix string) { out = append(out, finding{what: what, fix: fix}) }
	note := func(what, fix string) { out = append(out, finding{what: what, fix: fix, note: true}) }
	db := cfg.Database

	var version int
	var walLevel, user, dbname string
	var slots, senders int
	var super, repl, canCreate bool
	err := pool.QueryRow(ctx, `SELECT current_setting('server_version_num')::int, current_setting('wal_level'),
  current_setting('max_replication_slots')::int, current_setting('max_wal_senders')::int,
  current_user, current_database(), r.rolsuper, r.rolreplication, has_database_privilege(current_database(), 'CREATE')
FROM pg_roles r WHERE r.rolname = current_user`).Scan(&version, &walLevel, &slots, &senders, &user, &dbname, &super, &repl, &canCreate)
	if err != nil {
		return nil, fmt.Errorf("read server settings: %w", err)
	}
	if version < 140000 {
		add(fmt.Sprintf("PostgreSQL %d.%d is too old: walnotify needs 14 or newer (pgoutput protocol 2, logical messages)", version/10000, version%10000/100), "upgrade the server to PostgreSQL 14 or newer")
	}
	if walLevel != "logical" {
		add(fmt.Sprintf("wal_level is %q: logical replication needs \"logical\"", walLevel), "ALTER SYSTEM SET wal_level = logical;  -- then restart PostgreSQL")
	}
	if slots < 1 {
		add("max_replication_slots is 0", "ALTER SYSTEM SET max_replication_slots = 10;  -- then restart PostgreSQL")
	}
	if senders < 1 {
		add("max_wal_senders is 0", "ALTER SYSTEM SET max_wal_senders = 10;  -- then restart PostgreSQL")
	}
	if !super && !repl {
		add(fmt.Sprintf("role %q lacks the REPLICATION attribute needed to stream changes", user), fmt.Sprintf("ALTER ROLE %s REPLICATION;", pgx.Identifier{user}.Sanitize()))
	}

	// The slot.
	var plugin, slotDB string
	var temporary bool
	err = pool.QueryRow(ctx, `SELECT coalesce(plugin, ''), coalesce(database, ''), temporary FROM pg_replication_slots WHERE slot_name = $1`, db.Slot).Scan(&plugin, &slotDB, &temporary)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		var used int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM pg_replication_slots`).Scan(&used); err != nil {
			return nil, err
		}
		if used >= slots && slots > 0 {
			add(fmt.Sprintf("slot %q does not exist and all %d replication slots are taken", db.Slot, slots), "drop an unused slot, or raise max_replication_slots and restart")
		} else {
			note(fmt.Sprintf("slot %q does not exist yet: `walnotify run` creates it (it keeps WAL from then on)", db.Slot), fmt.Sprintf("SELECT pg_create_logical_replication_slot('%s', 'pgoutput');", db.Slot))
		}
	case err != nil:
		return nil, fmt.Errorf("read slot: %w", err)
	case plugin != "pgoutput" || slotDB != dbname:
		add(fmt.Sprintf("slot %q exists but is not a pgoutput slot of database %q (plugin %q, database %q)", db.Slot, dbname, plugin, slotDB), fmt.Sprintf("choose another database.slot, or SELECT pg_drop_replication_slot('%s');", db.Slot))
	}

	// The publication.
	tables := cfg.Tables()
	var streamed []cdc.Table
	for _, u := range tables {
		if u.Streamed {
			streamed = append(streamed, u.Table)
		}
	}
	var pubIns, pubUpd, pubDel, allTables bool
	err = pool.QueryRow(ctx, `SELECT pubinsert, pubupdate, pubdelete, puballtables FROM pg_publication WHERE pubname = $1`, db.Publication).Scan(&pubIns, &pubUpd, &pubDel, &allTables)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		add(fmt.Sprintf("publication %q does not exist", db.Publication), createPublicationSQL(db.Publication, streamed))
	case err != nil:
		return nil, fmt.Errorf("read publication: %w", err)
	default:
		if !pubIns || !pubUpd || !pubDel {
			add(fmt.Sprintf("publication %q does not publish inserts, updates and deletes", db.Publication), fmt.Sprintf("ALTER PUBLICATION %s SET (publish = 'insert, update, delete, truncate');", pgx.Identifier{db.Publication}.Sanitize()))
		}
		if !allTables {
			in := map[cdc.Table]bool{}
			rows, err := pool.Query(ctx, `SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = $1`, db.Publication)
			if err != nil {
				return nil, err
			}
			pub, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (cdc.Table, error) {
				var t cdc.Table
				return t, r.Scan(&t.Schema, &t.Name)
			})
			if err != nil {
				return nil, err
			}
			for _, t := range pub {
				in[t] = true
			}
			var missing []cdc.Table
			for _, t := range streamed {
				if !in[t] {
					missing = append(missing, t)
				}
			}
			if len(missing) > 0 {
				add(fmt.Sprintf("publication %q lacks %s, used by the rules", db.Publication, tableList(missing)), fmt.Sprintf("ALTER PUBLICATION %s ADD TABLE %s;", pgx.Identifier{db.Publication}.Sanitize(), tableList(missing)))
			}
		}
	}

	// Tables, columns, replica identity, privileges.
	for _, u := range tables {
		cols, err := erpdb.Columns(ctx, pool, u.Table.Schema, u.Table.Name)
		if err != nil {
			return nil, err
		}
		names := notificationNames(u.Notifications)
		if cols == nil {
			add(fmt.Sprintf("%s: document_type %q: table %s does not exist", names, u.Doctype, quoteTable(u.Table)), "check document_type, database.schema and database.table_prefix")
			continue
		}
		children := map[string]bool{}
		if kids, err := erpdb.New(pool, u.Table.Schema, *cfg.Database.TablePrefix).ChildTables(ctx, u.Doctype); err == nil {
			for _, k := range kids {
				children[k.Field] = true
			}
		}
		for _, n := range u.Notifications {
			for _, msg := range pipeline.MissingColumns(n, u.Table, cols) {
				add(msg, "correct the field name in the configuration")
			}
			if n.Compiled.Condition != nil {
				for _, f := range n.Compiled.Condition.Fields() {
					if f == "doctype" || children[f] || cols[f].Name != "" {
						continue
					}
					add(fmt.Sprintf("notification %q: condition: doc.%s is not a column of %s%s", n.Name, f, quoteTable(u.Table), erpdb.Suggest(f, cols)), "correct the field name in the condition (a missing field reads as None)")
				}
			}
		}
		if u.NeedsFullIdentity {
			full, err := replicaIdentityFull(ctx, pool, u.Table)
			if err != nil {
				return nil, err
			}
			if !full {
				add(fmt.Sprintf("%s: table %s lacks REPLICA IDENTITY FULL: without the old row, Submit, Cancel and Value Change cannot be told apart", names, quoteTable(u.Table)), fmt.Sprintf("ALTER TABLE %s REPLICA IDENTITY FULL;", quoteTable(u.Table)))
			}
		}
		var canSelect bool
		if err := pool.QueryRow(ctx, `SELECT has_table_privilege($1::regclass, 'SELECT')`, quoteTable(u.Table)).Scan(&canSelect); err != nil {
			return nil, err
		}
		if !canSelect {
			add(fmt.Sprintf("role %q cannot read %s", user, quoteTable(u.Table)), fmt.Sprintf("GRANT SELECT ON %s TO %s;", quoteTable(u.Table), pgx.Identifier{user}.Sanitize()))
		}
		for _, c := range u.WriteColumns {
			if cols[c].Name == "" {
				continue
			}
			var canUpdate bool
			if err := pool.QueryRow(ctx, `SELECT has_column_privilege($1::regclass, $2, 'UPDATE')`, quoteTable(u.Table), c).Scan(&canUpdate); err != nil {
				return nil, err
			}
			if !canUpdate {
				add(fmt.Sprintf("role %q cannot write %s.%s (set_property_after_alert)", user, quoteTable(u.Table), c), fmt.Sprintf("GRANT UPDATE (%s) ON %s TO %s;", writeColumnsSQL(c, cols), quoteTable(u.Table), pgx.Identifier{user}.Sanitize()))
			}
		}
	}

	// The state schema.
	var schemaExists, schemaUsable bool
	if err := pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`, db.StateSchema).Scan(&schemaExists); err != nil {
		return nil, err
	}
	if schemaExists {
		if err := pool.QueryRow(ctx, `SELECT has_schema_privilege($1, 'USAGE') AND has_schema_privilege($1, 'CREATE')`, db.StateSchema).Scan(&schemaUsable); err != nil {
			return nil, err
		}
		if !schemaUsable {
			add(fmt.Sprintf("role %q cannot use and create in the state schema %q", user, db.StateSchema), fmt.Sprintf("ALTER SCHEMA %s OWNER TO %s;", pgx.Identifier{db.StateSchema}.Sanitize(), pgx.Identifier{user}.Sanitize()))
		}
	} else if !canCreate {
		add(fmt.Sprintf("the state schema %q does not exist and role %q may not create it", db.StateSchema, user), fmt.Sprintf("CREATE SCHEMA %s AUTHORIZATION %s;", pgx.Identifier{db.StateSchema}.Sanitize(), pgx.Identifier{user}.Sanitize()))
	}

	// System notifications.
	for _, n := range cfg.Notifications {
		if !n.SendSystemNotification {
			continue
		}
		logTable := cdc.Table{Schema: db.Schema, Name: cfg.TableName("Notification Log")}
		ok, err := erpdb.TableExists(ctx, pool, logTable.Schema, logTable.Name)
		if err != nil {
			return nil, err
		}
		if !ok {
			note(fmt.Sprintf("notification %q: send_system_notification: there is no %s table, so no system notification is written", n.Name, quoteTable(logTable)), "")
			break
		}
		var canInsert bool
		if err := pool.QueryRow(ctx, `SELECT has_table_privilege($1::regclass, 'INSERT') AND has_column_privilege($1::regclass, 'name', 'SELECT')`, quoteTable(logTable)).Scan(&canInsert); err != nil {
			return nil, err
		}
		if !canInsert {
			add(fmt.Sprintf("role %q cannot write system notifications into %s (send_system_notification)", user, quoteTable(logTable)), fmt.Sprintf("GRANT INSERT, SELECT (name) ON %s TO %s;", quoteTable(logTable), pgx.Identifier{user}.Sanitize()))
		}
		break
	}
	return out, nil
}

// replicaIdentityFull reports whether the table's replica identity is FULL.
func replicaIdentityFull(ctx context.Context, q erpdb.Querier, t cdc.Table) (bool, error) {
	rows, err := q.Query(ctx, `SELECT relreplident = 'f' FROM pg_class WHERE oid = to_regclass($1)`, quoteTable(t))
	if err != nil {
		return false, err
	}
	full, err := pgx.CollectExactlyOneRow(rows, pgx.RowTo[bool])
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return full, err
}

func quoteTable(t cdc.Table) string { return pgx.Identifier{t.Schema, t.Name}.Sanitize() }

func tableList(ts []cdc.Table) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = quoteTable(t)
	}
	return strings.Join(s, ", ")
}

func notificationNames(ns []*rules.Notification) string {
	names := make([]string, len(ns))
	for i, n := range ns {
		names[i] = strconv.Quote(n.Name)
	}
	if len(names) == 1 {
		return "notification " + names[0]
	}
	return "notifications " + strings.Join(names, ", ")
}

// writeColumnsSQL lists the columns a write-back updates: the property, and modified when the
// table has it.
func writeColumnsSQL(col string, cols map[string]erpdb.Column) string {
	s := pgx.Identifier{col}.Sanitize()
	if _, ok := cols["modified"]; ok && col != "modified" {
		s += ", " + pgx.Identifier{"modified"}.Sanitize()
	}
	return s
}

// createPublicationSQL is the publication of exactly the streamed tables.
func createPublicationSQL(name string, tables []cdc.Table) string {
	if len(tables) == 0 {
		return fmt.Sprintf("CREATE PUBLICATION %s;", pgx.Identifier{name}.Sanitize())
	}
	return fmt.Sprintf("CREATE PUBLICATION %s FOR TABLE %s WITH (publish = 'insert, update, delete, truncate');", pgx.Identifier{name}.Sanitize(), tableList(tables))
}
