package prereq

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"walnotify/cdc"
	"walnotify/erpdb"
	"walnotify/rules"

	"walnotify/internal/sqltext"
)

// Section groups requirements; sections are met in this order.
type Section int

// Sections, in the order setup meets them.
const (
	Server      Section = iota // settings: ALTER SYSTEM, outside any transaction
	Role                       // the role walnotify connects as
	StateSchema                // walnotify's own schema (the outbox), owned by the role
	Grants                     // what the role may read and write
	Publication                // the tables streamed
	Identity                   // REPLICA IDENTITY FULL, with the previous identity recorded
	Slot                       // after the transaction: a slot cannot be created in one that wrote
)

var sectionTitles = []string{
	Server: "Server settings (as a superuser; ALTER SYSTEM cannot run in a transaction). wal_level needs a\n" +
		"restart; max_slot_wal_keep_size bounds the WAL a stopped walnotify can hold (a slot past it is\n" +
		"invalidated) and takes effect on reload.",
	Role: "The role walnotify connects as: LOGIN REPLICATION, nothing more. Set its password yourself:\n" +
		"ALTER ROLE %s PASSWORD '...';",
	StateSchema: "The schema of walnotify's own tables (outbox, position), owned by its role: walnotify creates\n" +
		"its tables there at start. Setup also records there the replica identity it changes.",
	Grants: "Read access to the tables the enabled rules use, their child tables, the field metadata and\n" +
		"the notification settings; UPDATE only on the columns Set Property After Alert writes (and\n" +
		"modified); INSERT on the Notification Log for system notifications.",
	Publication: "The publication: exactly the tables of enabled row-event rules (SET TABLE follows rule changes).",
	Identity:    "REPLICA IDENTITY FULL where update and delete rules need the old row (the previous identity is\nrecorded first, for `walnotify teardown`).",
	Slot:        "The slot (walnotify run also creates it when missing).",
}

// Requirement is one thing walnotify needs of the database, with the SQL that provides it.
type Requirement struct {
	Section Section
	// What states the requirement: `role "walnotify" may read "public"."tabIssue"`.
	What string
	// Fix is the statements that meet it, in order; none when only a person can (upgrade the
	// server, correct the configuration): Advice says what to do.
	Fix    []string
	Advice string
	// Comment is printed above Fix: what it assumes when setup could not look.
	Comment string
	// Restart: the fix takes effect only after PostgreSQL restarts.
	Restart bool
	// Optional: walnotify run meets it by itself; unmet, it is a note, not a problem.
	Optional bool

	check func(ctx context.Context, q erpdb.Querier) (unmet string, err error)
}

// Status is the result of checking a requirement.
type Status struct {
	Requirement
	// Problem is "" when the requirement is met, else what is wrong.
	Problem string
}

// Met reports whether the requirement holds.
func (s Status) Met() bool { return s.Problem == "" }

// Check verifies the requirement through q, which may belong to any role that can read the
// system catalogs: privileges are asked for the configured role by name.
func (r Requirement) Check(ctx context.Context, q erpdb.Querier) (Status, error) {
	if r.check == nil {
		return Status{Requirement: r}, nil
	}
	unmet, err := r.check(ctx, q)
	if err != nil {
		return Status{}, fmt.Errorf("%s: %w", r.What, err)
	}
	return Status{Requirement: r, Problem: unmet}, nil
}

// CheckAll checks every requirement and returns their statuses, in order.
func CheckAll(ctx context.Context, q erpdb.Querier, reqs []Requirement) ([]Status, error) {
	out := make([]Status, 0, len(reqs))
	for _, r := range reqs {
		s, err := r.Check(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// FixText is the fix as printed: the statements, or the advice.
func (r Requirement) FixText() string {
	if len(r.Fix) == 0 {
		return r.Advice
	}
	s := strings.Join(r.Fix, "\n")
	if r.Restart {
		s += "  -- then restart PostgreSQL"
	}
	return s
}

// List derives every requirement from the enabled rules of cfg, for role. cat is what the
// database holds; nil means setup could not look, and statements that depend on it are written
// for a Frappe site (with a comment saying so), or read the metadata when they run.
func List(cfg *rules.Config, role string, cat *Catalog) []Requirement {
	l := &lister{cfg: cfg, role: role, roleSQL: ident(role), cat: cat}
	l.server()
	l.roleAndSchema()
	l.grants()
	l.publication()
	l.identity()
	l.slot()
	return l.out
}

type lister struct {
	cfg     *rules.Config
	role    string
	roleSQL string
	cat     *Catalog
	out     []Requirement
}

func (l *lister) add(r Requirement) { l.out = append(l.out, r) }

// exists reports whether a table exists, assuming it does when the catalog is unknown.
func (l *lister) exists(name string) bool { return l.cat == nil || l.cat.has(name) }

// roleHas is a condition true when the role exists and has a privilege (cond uses $1 for the
// role).
func roleHas(cond string) string {
	return `SELECT CASE WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = $1) THEN ` + cond + ` ELSE false END`
}

func (l *lister) server() {
	l.add(Requirement{Section: Server, What: "PostgreSQL 14 or newer (pgoutput protocol 2, logical messages)",
		Advice: "upgrade the server to PostgreSQL 14 or newer",
		check: func(ctx context.Context, q erpdb.Querier) (string, error) {
			v, err := scalar[int32](ctx, q, `SELECT current_setting('server_version_num')::int`)
			if err != nil || v >= 140000 {
				return "", err
			}
			return fmt.Sprintf("PostgreSQL %d.%d is too old: walnotify needs 14 or newer", v/10000, v%10000/100), nil
		}})
	setting := func(name, ok, value, why string, restart bool) {
		fix := []string{fmt.Sprintf("ALTER SYSTEM SET %s = %s;", name, value)}
		if !restart {
			fix = append(fix, "SELECT pg_reload_conf();")
		}
		l.add(Requirement{Section: Server, What: fmt.Sprintf("%s = %s", name, value), Fix: fix, Restart: restart,
			check: func(ctx context.Context, q erpdb.Querier) (string, error) {
				var cur string
				var good bool
				rows, err := q.Query(ctx, `SELECT current_setting($1), `+ok, name)
				if err != nil {
					return "", err
				}
				if _, err := pgx.ForEachRow(rows, []any{&cur, &good}, func() error { return nil }); err != nil {
					return "", err
				}
				if good {
					return "", nil
				}
				return fmt.Sprintf("%s is %q: %s", name, cur, why), nil
			}})
	}
	setting("wal_level", "current_setting('wal_level') = 'logical'", "logical", `logical replication needs "logical"`, true)
	setting("max_replication_slots", "current_setting('max_replication_slots')::int > 0", "10", "walnotify needs a slot (and `walnotify tail` one more)", true)
	setting("max_wal_senders", "current_setting('max_wal_senders')::int > 0", "10", "the stream needs a WAL sender", true)
	setting("max_slot_wal_keep_size", "current_setting('max_slot_wal_keep_size') <> '-1'", "'10GB'", "a stopped walnotify keeps WAL until the disk is full", false)
}

func (l *lister) roleAndSchema() {
	db := l.cfg.Database
	l.add(Requirement{Section: Role, What: fmt.Sprintf("role %q with LOGIN and REPLICATION", l.role),
		Fix: []string{
			fmt.Sprintf("DO $$ BEGIN\n  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = %s) THEN CREATE ROLE %s LOGIN REPLICATION; END IF;\nEND $$;", sqltext.Literal(l.role), l.roleSQL),
			fmt.Sprintf("ALTER ROLE %s LOGIN REPLICATION;", l.roleSQL),
		},
		check: func(ctx context.Context, q erpdb.Querier) (string, error) {
			rows, err := q.Query(ctx, `SELECT rolcanlogin, rolreplication OR rolsuper FROM pg_roles WHERE rolname = $1`, l.role)
			if err != nil {
				return "", err
			}
			var login, repl bool
			n, err := pgx.ForEachRow(rows, []any{&login, &repl}, func() error { return nil })
			switch {
			case err != nil:
				return "", err
			case n.RowsAffected() == 0:
				return fmt.Sprintf("role %q does not exist", l.role), nil
			case !login:
				return fmt.Sprintf("role %q may not log in (LOGIN)", l.role), nil
			case !repl:
				return fmt.Sprintf("role %q lacks the REPLICATION attribute needed to stream changes", l.role), nil
			}
			return "", nil
		}})
	state := ident(db.StateSchema)
	l.add(Requirement{Section: StateSchema, What: fmt.Sprintf("schema %q owned by role %q", db.StateSchema, l.role),
		Fix: []string{
			fmt.Sprintf("CREATE SCHEMA IF NOT EXISTS %s AUTHORIZATION %s;", state, l.roleSQL),
			fmt.Sprintf("ALTER SCHEMA %s OWNER TO %s;", state, l.roleSQL),
		},
		check: func(ctx context.Context, q erpdb.Querier) (string, error) {
			rows, err := q.Query(ctx, `SELECT r.rolname::text FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner WHERE n.nspname = $1`, db.StateSchema)
			if err != nil {
				return "", err
			}
			owner, err := pgx.CollectExactlyOneRow(rows, pgx.RowTo[string])
			switch {
			case errors.Is(err, pgx.ErrNoRows):
				return fmt.Sprintf("the state schema %q does not exist", db.StateSchema), nil
			case err != nil:
				return "", err
			case owner != l.role:
				return fmt.Sprintf("the state schema %q is owned by %q, not by role %q", db.StateSchema, owner, l.role), nil
			}
			return "", nil
		}})
}

// identityRecord is the table where setup records the replica identity it changes.
func (l *lister) identityRecord() string {
	return pgx.Identifier{l.cfg.Database.StateSchema, "replica_identity_before_setup"}.Sanitize()
}

func (l *lister) grants() {
	db := l.cfg.Database
	l.add(Requirement{Section: Grants, What: fmt.Sprintf("role %q may use schema %q", l.role, db.Schema),
		Fix: []string{fmt.Sprintf("GRANT USAGE ON SCHEMA %s TO %s;", ident(db.Schema), l.roleSQL)},
		check: func(ctx context.Context, q erpdb.Querier) (string, error) {
			ok, err := scalar[bool](ctx, q, roleHas(`has_schema_privilege($1, $2, 'USAGE')`), l.role, db.Schema)
			if err != nil || ok {
				return "", err
			}
			return fmt.Sprintf("role %q may not use schema %q", l.role, db.Schema), nil
		}})
	read := func(t cdc.Table, why string) {
		l.add(l.privilege(t, "SELECT", nil, "read", why))
	}
	var doctypes []string
	system := false
	for _, u := range uses(l.cfg) {
		if !l.exists(u.Table.Name) {
			continue
		}
		read(u.Table, "used by "+names(u.Notifications))
		doctypes = append(doctypes, u.Doctype)
		for _, n := range u.Notifications {
			system = system || n.SendSystemNotification
		}
	}
	for _, u := range uses(l.cfg) {
		if !l.exists(u.Table.Name) || len(u.WriteColumns) == 0 {
			continue
		}
		cols := slices.Clone(u.WriteColumns)
		comment := ""
		if l.cat == nil {
			comment = "modified is assumed to exist, as on every Frappe table"
		}
		if _, ok := l.cat.column(u.Table.Name, "modified"); (ok || l.cat == nil) && !slices.Contains(cols, "modified") {
			cols = append(cols, "modified")
		}
		r := l.privilege(u.Table, "UPDATE", cols, "write", "set_property_after_alert of "+names(u.Notifications))
		r.Comment = comment
		l.add(r)
	}
	// Child tables: doc.items and the like are read from the metadata, for the rules'
	// documents and for those templates read (frappe.get_doc).
	reads := l.cfg.ReadDoctypes()
	for _, r := range reads {
		if !slices.Contains(doctypes, r.Doctype) {
			doctypes = append(doctypes, r.Doctype)
		}
	}
	if l.cat == nil {
		if len(doctypes) > 0 {
			l.add(l.childrenFromMetadata(doctypes))
		}
	} else {
		var seen []string
		for _, doctype := range doctypes {
			for _, k := range l.cat.Children[doctype] {
				t := table(l.cfg, k.Doctype)
				if !slices.Contains(seen, t.Name) {
					seen = append(seen, t.Name)
					read(t, fmt.Sprintf("a child table of %s (doc.%s)", doctype, k.Field))
				}
			}
		}
	}
	meta := func(doctype string) (cdc.Table, bool) {
		t := table(l.cfg, doctype)
		return t, l.exists(t.Name)
	}
	// The tables templates read by name (frappe.db.get_value("Customer", ...)). A single
	// document type (System Settings) has no table: its values are in Singles, below.
	for _, r := range reads {
		t := table(l.cfg, r.Doctype)
		if slices.ContainsFunc(uses(l.cfg), func(u rules.TableUse) bool { return u.Table.Name == t.Name }) || !l.exists(t.Name) {
			continue
		}
		quoted := make([]string, len(r.Rules))
		for i, name := range r.Rules {
			quoted[i] = strconv.Quote(name)
		}
		req := l.privilege(t, "SELECT", nil, "read", "frappe.db reads in the templates of "+strings.Join(quoted, ", "))
		if l.cat == nil {
			req.Comment = "not verified: granted only if the table exists (a single document type has none)"
			req.Fix = []string{fmt.Sprintf("DO $$ BEGIN\n  IF to_regclass(%s) IS NOT NULL THEN GRANT SELECT ON %s TO %s; END IF;\nEND $$;", sqltext.Literal(quote(t)), quote(t), l.roleSQL)}
		}
		l.add(req)
	}
	if len(reads) > 0 {
		if t, ok := meta("DocType"); ok {
			l.add(l.privilege(t, "SELECT", nil, "read", "the order of the lists templates read (frappe.db.get_all)"))
		}
	}
	if t, ok := meta("DocField"); ok {
		r := l.privilege(t, "SELECT", nil, "read", "the field metadata: child tables, fields locked after submit")
		if l.cat == nil {
			r.Comment = "not verified: assumes a Frappe site"
		}
		l.add(r)
	}
	if t, ok := meta("Singles"); ok {
		r := l.privilege(t, "SELECT", nil, "read", "the site's formats, time zone and language (System Settings)")
		if l.cat == nil {
			r.Comment = "not verified: assumes a Frappe site"
		}
		l.add(r)
	}
	if t, ok := meta("Currency"); ok {
		r := l.privilege(t, "SELECT", nil, "read",
			"fmt_money and money_in_words: each currency's symbol, fraction and number format (Currency); without it, walnotify's fallbacks")
		if l.cat == nil {
			r.Comment = "not verified: granted only if the table exists"
			r.Fix = []string{fmt.Sprintf("DO $$ BEGIN\n  IF to_regclass(%s) IS NOT NULL THEN GRANT SELECT ON %s TO %s; END IF;\nEND $$;", sqltext.Literal(quote(t)), quote(t), l.roleSQL)}
		}
		l.add(r)
	}
	if !system {
		return
	}
	if t, ok := meta("Notification Log"); ok {
		// The insert skips a row already written (ON CONFLICT (name)), which reads name.
		insert := l.privilege(t, "INSERT", nil, "write", "send_system_notification")
		name := l.privilege(t, "SELECT", []string{"name"}, "read", "send_system_notification")
		r := insert
		r.Fix = []string{fmt.Sprintf("GRANT INSERT, SELECT (name) ON %s TO %s;", quote(t), l.roleSQL)}
		r.check = func(ctx context.Context, q erpdb.Querier) (string, error) {
			if p, err := insert.check(ctx, q); p != "" || err != nil {
				return p, err
			}
			return name.check(ctx, q)
		}
		l.add(r)
	}
	if t, ok := meta("Notification Settings"); ok {
		r := l.privilege(t, "SELECT", nil, "read", "send_system_notification honours the users' settings")
		l.add(r)
		u := l.privilege(t, "UPDATE", []string{"seen"}, "write", "send_system_notification marks the bell unseen")
		l.add(u)
	}
	if l.cfg.UsesRoles() {
		for _, doctype := range []string{"Has Role", "User"} {
			if t, ok := meta(doctype); ok {
				l.add(l.privilege(t, "SELECT", nil, "read", "recipients by role"))
			}
		}
	}
}

// privilege is the requirement that the role may do priv on t (on cols, when given).
func (l *lister) privilege(t cdc.Table, priv string, cols []string, verb, why string) Requirement {
	target := quote(t)
	on := priv
	if len(cols) > 0 {
		q := make([]string, len(cols))
		for i, c := range cols {
			q[i] = ident(c)
		}
		on = fmt.Sprintf("%s (%s)", priv, strings.Join(q, ", "))
		target = fmt.Sprintf("%s.%s", quote(t), strings.Join(q, ", "))
	}
	return Requirement{Section: Grants,
		What: fmt.Sprintf("role %q may %s %s (%s)", l.role, verb, target, why),
		Fix:  []string{fmt.Sprintf("GRANT %s ON %s TO %s;", on, quote(t), l.roleSQL)},
		check: func(ctx context.Context, q erpdb.Querier) (string, error) {
			var missing []string
			if len(cols) == 0 {
				ok, err := scalar[bool](ctx, q, roleHas(`has_table_privilege($1, $2, $3)`), l.role, quote(t), priv)
				if err != nil || ok {
					return "", err
				}
			} else {
				for _, c := range cols {
					ok, err := scalar[bool](ctx, q, roleHas(`has_column_privilege($1, $2, $3, $4)`), l.role, quote(t), c, priv)
					if err != nil {
						return "", err
					}
					if !ok {
						missing = append(missing, ident(c))
					}
				}
				if len(missing) == 0 {
					return "", nil
				}
				return fmt.Sprintf("role %q may not %s %s.%s (%s)", l.role, verb, quote(t), strings.Join(missing, ", "), why), nil
			}
			return fmt.Sprintf("role %q may not %s %s (%s)", l.role, verb, quote(t), why), nil
		}}
}

// childrenFromMetadata grants SELECT on the child tables the metadata lists, for setup without
// a database to look at.
func (l *lister) childrenFromMetadata(doctypes []string) Requirement {
	db := l.cfg.Database
	lits := make([]string, len(doctypes))
	for i, d := range doctypes {
		lits[i] = sqltext.Literal(d)
	}
	return Requirement{Section: Grants,
		What:    fmt.Sprintf("role %q may read the child tables of %s", l.role, strings.Join(doctypes, ", ")),
		Comment: fmt.Sprintf("not verified: the child tables (doc.items ...) are listed in %s; pass --admin-dsn to name them", quote(table(l.cfg, "DocField"))),
		Fix: []string{fmt.Sprintf(`DO $$ DECLARE t text; BEGIN
  FOR t IN SELECT DISTINCT %s || options FROM %s
    WHERE parent IN (%s) AND fieldtype IN ('Table', 'Table MultiSelect') AND coalesce(options, '') <> '' LOOP
    IF to_regclass(format('%%I.%%I', %s, t)) IS NOT NULL THEN
      EXECUTE format('GRANT SELECT ON %%I.%%I TO %%I', %s, t, %s);
    END IF;
  END LOOP;
END $$;`, sqltext.Literal(*db.TablePrefix), quote(table(l.cfg, "DocField")), strings.Join(lits, ", "), sqltext.Literal(db.Schema), sqltext.Literal(db.Schema), sqltext.Literal(l.role))},
	}
}

// column reports whether the catalog knows the column of a table.
func (c *Catalog) column(table, col string) (erpdb.Column, bool) {
	if c == nil {
		return erpdb.Column{}, false
	}
	v, ok := c.Columns[table][col]
	return v, ok
}

// streamed are the existing tables of enabled row-event rules.
func (l *lister) streamed() []cdc.Table {
	var out []cdc.Table
	for _, u := range uses(l.cfg) {
		if u.Streamed && l.exists(u.Table.Name) {
			out = append(out, u.Table)
		}
	}
	return out
}

// fullIdentity are the existing tables whose rules need the old row.
func (l *lister) fullIdentity() []cdc.Table {
	var out []cdc.Table
	for _, u := range uses(l.cfg) {
		if u.NeedsFullIdentity && l.exists(u.Table.Name) {
			out = append(out, u.Table)
		}
	}
	return out
}

const publish = "insert, update, delete, truncate"

func (l *lister) publication() {
	name := l.cfg.Database.Publication
	pub := ident(name)
	l.add(Requirement{Section: Publication, What: fmt.Sprintf("publication %q of inserts, updates and deletes", name),
		Fix: []string{fmt.Sprintf("DO $$ BEGIN\n  IF NOT EXISTS (SELECT FROM pg_publication WHERE pubname = %s) THEN CREATE PUBLICATION %s WITH (publish = '%s'); END IF;\nEND $$;", sqltext.Literal(name), pub, publish),
			fmt.Sprintf("ALTER PUBLICATION %s SET (publish = '%s');", pub, publish)},
		check: func(ctx context.Context, q erpdb.Querier) (string, error) {
			rows, err := q.Query(ctx, `SELECT pubinsert AND pubupdate AND pubdelete FROM pg_publication WHERE pubname = $1`, name)
			if err != nil {
				return "", err
			}
			ok, err := pgx.CollectExactlyOneRow(rows, pgx.RowTo[bool])
			switch {
			case errors.Is(err, pgx.ErrNoRows):
				return fmt.Sprintf("publication %q does not exist", name), nil
			case err != nil:
				return "", err
			case !ok:
				return fmt.Sprintf("publication %q does not publish inserts, updates and deletes", name), nil
			}
			return "", nil
		}})
	want := l.streamed()
	if len(want) == 0 {
		return
	}
	l.add(Requirement{Section: Publication, What: fmt.Sprintf("publication %q holds exactly %s", name, quoteList(want)),
		Fix: []string{fmt.Sprintf("ALTER PUBLICATION %s SET TABLE %s;", pub, quoteList(want))},
		check: func(ctx context.Context, q erpdb.Querier) (string, error) {
			rows, err := q.Query(ctx, `SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = $1`, name)
			if err != nil {
				return "", err
			}
			have, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (cdc.Table, error) {
				var t cdc.Table
				return t, r.Scan(&t.Schema, &t.Name)
			})
			if err != nil {
				return "", err
			}
			var missing, extra []cdc.Table
			for _, t := range want {
				if !slices.Contains(have, t) {
					missing = append(missing, t)
				}
			}
			for _, t := range have {
				if !slices.Contains(want, t) {
					extra = append(extra, t)
				}
			}
			var p []string
			if len(missing) > 0 {
				p = append(p, fmt.Sprintf("publication %q lacks %s, used by the rules", name, quoteList(missing)))
			}
			if len(extra) > 0 {
				p = append(p, fmt.Sprintf("publication %q also streams %s, which no enabled row-event rule uses", name, quoteList(extra)))
			}
			return strings.Join(p, "; "), nil
		}})
}

func (l *lister) identity() {
	for _, t := range l.fullIdentity() {
		l.add(Requirement{Section: Identity, What: fmt.Sprintf("table %s has REPLICA IDENTITY FULL (without the old row, Submit, Cancel and Value Change cannot be told apart)", quote(t)),
			Fix: []string{
				fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s (relation text PRIMARY KEY, identity \"char\" NOT NULL, index_name name);", l.identityRecord()),
				fmt.Sprintf(`INSERT INTO %s SELECT %s, c.relreplident, (SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = c.oid AND x.indisreplident)
  FROM pg_class c WHERE c.oid = to_regclass(%s) AND c.relreplident <> 'f' ON CONFLICT DO NOTHING;`, l.identityRecord(), sqltext.Literal(quote(t)), sqltext.Literal(quote(t))),
				fmt.Sprintf("ALTER TABLE %s REPLICA IDENTITY FULL;", quote(t)),
			},
			check: func(ctx context.Context, q erpdb.Querier) (string, error) {
				full, err := scalar[bool](ctx, q, `SELECT coalesce((SELECT relreplident = 'f' FROM pg_class WHERE oid = to_regclass($1)), false)`, quote(t))
				if err != nil || full {
					return "", err
				}
				return fmt.Sprintf("table %s lacks REPLICA IDENTITY FULL: without the old row, Submit, Cancel and Value Change cannot be told apart", quote(t)), nil
			}})
	}
}

func (l *lister) slot() {
	slot := l.cfg.Database.Slot
	l.add(Requirement{Section: Slot, What: fmt.Sprintf("no other kind of slot named %q", slot),
		Advice: fmt.Sprintf("choose another database.slot, or drop that slot: SELECT pg_drop_replication_slot(%s);", sqltext.Literal(slot)),
		check: func(ctx context.Context, q erpdb.Querier) (string, error) {
			bad, err := scalar[bool](ctx, q, `SELECT EXISTS (SELECT FROM pg_replication_slots WHERE slot_name = $1 AND (coalesce(plugin, '') <> 'pgoutput' OR database IS DISTINCT FROM current_database()))`, slot)
			if err != nil || !bad {
				return "", err
			}
			return fmt.Sprintf("slot %q exists but is not a pgoutput slot of this database", slot), nil
		}})
	l.add(Requirement{Section: Slot, What: fmt.Sprintf("logical replication slot %q (pgoutput)", slot), Optional: true,
		Fix: []string{fmt.Sprintf("SELECT pg_create_logical_replication_slot(%s, 'pgoutput') WHERE NOT EXISTS (SELECT FROM pg_replication_slots WHERE slot_name = %s);", sqltext.Literal(slot), sqltext.Literal(slot))},
		check: func(ctx context.Context, q erpdb.Querier) (string, error) {
			ok, err := scalar[bool](ctx, q, `SELECT EXISTS (SELECT FROM pg_replication_slots WHERE slot_name = $1)`, slot)
			if err != nil || ok {
				return "", err
			}
			return fmt.Sprintf("slot %q does not exist yet: `walnotify run` creates it (it keeps WAL from then on)", slot), nil
		}})
}

// Unmet checks the requirements of the given sections, as the running daemon does at start and
// after a reload, and returns those that do not hold.
func Unmet(ctx context.Context, q erpdb.Querier, cfg *rules.Config, role string, sections ...Section) ([]Status, error) {
	cat, err := Inspect(ctx, q, cfg)
	if err != nil {
		return nil, err
	}
	var out []Status
	for _, r := range List(cfg, role, cat) {
		if !slices.Contains(sections, r.Section) {
			continue
		}
		s, err := r.Check(ctx, q)
		if err != nil {
			return nil, err
		}
		if !s.Met() {
			out = append(out, s)
		}
	}
	return out, nil
}

// Streams reports whether the publication streams a table named as `walnotify tail --table`
// takes it: a document type, a table name, or schema.table. When it does not, the problem says
// why and, for a table that exists, how to add it.
func Streams(ctx context.Context, q erpdb.Querier, cfg *rules.Config, name string) (problem string, err error) {
	db := cfg.Database
	candidates := []cdc.Table{{Schema: db.Schema, Name: name}, table(cfg, name)}
	if s, n, ok := strings.Cut(name, "."); ok {
		candidates = append(candidates, cdc.Table{Schema: s, Name: n})
	}
	for _, t := range candidates {
		ok, err := scalar[bool](ctx, q, `SELECT EXISTS (SELECT FROM pg_publication_tables WHERE pubname = $1 AND schemaname = $2 AND tablename = $3)
  OR EXISTS (SELECT FROM pg_publication WHERE pubname = $1 AND puballtables)`, db.Publication, t.Schema, t.Name)
		if err != nil || ok {
			return "", err
		}
	}
	for _, t := range candidates {
		exists, err := erpdb.TableExists(ctx, q, t.Schema, t.Name)
		if err != nil {
			return "", err
		}
		if exists {
			return fmt.Sprintf("table %s is not in publication %q: its changes are not streamed (fix: ALTER PUBLICATION %s ADD TABLE %s; or a rule on it and `walnotify setup`)", quote(t), db.Publication, ident(db.Publication), quote(t)), nil
		}
	}
	return fmt.Sprintf("--table %s: no such table in schema %q (prefix %q)", name, db.Schema, *db.TablePrefix), nil
}
