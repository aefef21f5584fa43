package prereq

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/jackc/pgx/v5"

	"walnotify/rules"

	"walnotify/internal/sqltext"
)

// Undo is one step of the teardown: what it removes and the statement that does.
type Undo struct {
	What string
	SQL  string
}

// Teardown is the SQL that removes what setup made for cfg and role, in order: the slot, the
// publication, the replica identities setup changed (back to what it recorded), the state
// schema with its outbox, the role's privileges in the ERP schema, and the role. Every step may
// run twice. A superuser role is left alone: it was not made by setup.
func Teardown(cfg *rules.Config, role string) []Undo {
	db := cfg.Database
	record := pgx.Identifier{db.StateSchema, "replica_identity_before_setup"}.Sanitize()
	return []Undo{
		{"the slot (stop walnotify first: an active slot cannot be dropped)",
			fmt.Sprintf("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = %s;", sqltext.Literal(db.Slot))},
		{"the publication", fmt.Sprintf("DROP PUBLICATION IF EXISTS %s;", ident(db.Publication))},
		{"REPLICA IDENTITY back to what it was before setup changed it", fmt.Sprintf(`DO $$ DECLARE r record; BEGIN
  IF to_regclass(%s) IS NOT NULL THEN
    FOR r IN SELECT * FROM %s LOOP
      CONTINUE WHEN to_regclass(r.relation) IS NULL;
      EXECUTE format('ALTER TABLE %%s REPLICA IDENTITY %%s', r.relation, CASE r.identity
        WHEN 'd' THEN 'DEFAULT' WHEN 'n' THEN 'NOTHING' WHEN 'f' THEN 'FULL' ELSE 'USING INDEX ' || quote_ident(r.index_name) END);
    END LOOP;
  END IF;
END $$;`, sqltext.Literal(record), record)},
		{"the state schema: outbox, delivery history, position", fmt.Sprintf("DROP SCHEMA IF EXISTS %s CASCADE;", ident(db.StateSchema))},
		{"the role's privileges in the ERP schema, then the role", fmt.Sprintf(`DO $$ DECLARE t regclass; BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = %[1]s AND NOT rolsuper) THEN
    FOR t IN SELECT c.oid FROM pg_class c WHERE c.relnamespace = %[2]s::regnamespace AND (
        EXISTS (SELECT FROM aclexplode(c.relacl) a WHERE a.grantee = %[3]s::regrole)
        OR EXISTS (SELECT FROM pg_attribute x, aclexplode(x.attacl) a WHERE x.attrelid = c.oid AND a.grantee = %[3]s::regrole)) LOOP
      EXECUTE format('REVOKE ALL ON %%s FROM %%I', t, %[1]s);
    END LOOP;
    IF EXISTS (SELECT FROM pg_namespace n, aclexplode(n.nspacl) a WHERE n.nspname = %[4]s AND a.grantee = %[3]s::regrole) THEN
      REVOKE ALL ON SCHEMA %[5]s FROM %[6]s;
    END IF;
    DROP ROLE %[6]s;
  END IF;
END $$;`, sqltext.Literal(role), sqltext.Literal(ident(db.Schema)), sqltext.Literal(ident(role)), sqltext.Literal(db.Schema), ident(db.Schema), ident(role))},
	}
}

// WriteTeardown prints the teardown as a commented SQL script.
func WriteTeardown(w io.Writer, cfg *rules.Config, role string) {
	fmt.Fprintf(w, "-- walnotify teardown: removes what `walnotify setup` made for role %s, publication %s, slot %s.\n", role, cfg.Database.Publication, cfg.Database.Slot)
	fmt.Fprintf(w, "-- Stop walnotify first. Run as a superuser in the ERP database, in one transaction; it may run twice.\n")
	fmt.Fprintf(w, "-- Server settings (wal_level, max_slot_wal_keep_size) are left as they are.\n")
	for i, u := range Teardown(cfg, role) {
		fmt.Fprintf(w, "\n-- %d. %s\n%s\n", i+1, u.What, u.SQL)
	}
}

// ApplyTeardown runs the teardown in one transaction, reporting each step.
func ApplyTeardown(ctx context.Context, conn *pgx.Conn, cfg *rules.Config, role string, report func(string)) error {
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		for _, u := range Teardown(cfg, role) {
			if _, err := tx.Exec(ctx, u.SQL); err != nil {
				return fmt.Errorf("remove %s: %s: %w", u.What, strings.TrimSuffix(firstLine(u.SQL), " ..."), err)
			}
			report("removed: " + u.What)
		}
		return nil
	})
}
