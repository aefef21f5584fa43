package main

import (
	"context"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"walnotify/internal/pgtest"
	"walnotify/internal/poll"
)

// Every grant setup gives, check --db verifies: take one away and check names it with the
// statement that gives it back; run that statement and check is satisfied again.
func TestCheckDBNamesEachGrantSetupGivesWhenRevoked(t *testing.T) {
	db := pgtest.NewDB(t)
	db.LoadFrappeSchema(t)
	role := uniqueRole("wn_grants")
	path := writeConfig(t, setupConfig, withUser(t, db.DSN, role), map[string]string{"support": "https://hooks.slack.com/services/T/B/X"})
	if code, out, errOut := cli(t, "setup", "--apply", "-c", path, "--admin-dsn", db.DSN); code != 0 {
		t.Fatalf("setup --apply: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := cli(t, "check", "--db", "-c", path); code != 0 {
		t.Fatalf("check --db after setup: exit %d\n%s%s", code, out, errOut)
	}
	for _, tc := range []struct{ revoke, problem, fix string }{
		{`REVOKE SELECT ON "tabSales Invoice Item" FROM %s`,
			`may not read "public"."tabSales Invoice Item" (a child table of Sales Invoice (doc.items))`,
			`GRANT SELECT ON "public"."tabSales Invoice Item" TO %s;`},
		{`REVOKE SELECT ON "tabDocField" FROM %s`,
			`may not read "public"."tabDocField"`,
			`GRANT SELECT ON "public"."tabDocField" TO %s;`},
		{`REVOKE SELECT ON "tabIssue" FROM %s`,
			`may not read "public"."tabIssue" (used by notification "Ticket replied")`,
			`GRANT SELECT ON "public"."tabIssue" TO %s;`},
		{`REVOKE SELECT ON "tabNotification Settings" FROM %s`,
			`may not read "public"."tabNotification Settings"`,
			`GRANT SELECT ON "public"."tabNotification Settings" TO %s;`},
		{`REVOKE INSERT ON "tabNotification Log" FROM %s`,
			`may not write "public"."tabNotification Log" (send_system_notification)`,
			`GRANT INSERT, SELECT (name) ON "public"."tabNotification Log" TO %s;`},
		{`REVOKE SELECT (name) ON "tabNotification Log" FROM %s`,
			`may not read "public"."tabNotification Log"."name" (send_system_notification)`,
			`GRANT INSERT, SELECT (name) ON "public"."tabNotification Log" TO %s;`},
		{`REVOKE UPDATE (seen) ON "tabNotification Settings" FROM %s`,
			`may not write "public"."tabNotification Settings"."seen"`,
			`GRANT UPDATE ("seen") ON "public"."tabNotification Settings" TO %s;`},
		{`REVOKE UPDATE (modified) ON "tabIssue" FROM %s`,
			`may not write "public"."tabIssue"."modified"`,
			`GRANT UPDATE ("resolution_details", "modified") ON "public"."tabIssue" TO %s;`},
		{`ALTER ROLE %s NOREPLICATION`,
			`lacks the REPLICATION attribute`,
			`ALTER ROLE %s LOGIN REPLICATION;`},
		{`ALTER PUBLICATION walnotify DROP TABLE "tabSales Invoice" -- %s`,
			`publication "walnotify" lacks "public"."tabSales Invoice"`,
			`ALTER PUBLICATION "walnotify" SET TABLE "public"."tabIssue", "public"."tabSales Invoice"; -- %s`},
		{`ALTER SCHEMA walnotify OWNER TO postgres -- %s`,
			`the state schema "walnotify" is owned by "postgres"`,
			`ALTER SCHEMA "walnotify" OWNER TO %s;`},
	} {
		quoted := `"` + role + `"`
		db.Exec(t, strings.ReplaceAll(tc.revoke, "%s", quoted))
		code, _, errOut := cli(t, "check", "--db", "-c", path)
		fix := strings.ReplaceAll(tc.fix, "%s", quoted)
		fix, _, _ = strings.Cut(fix, " -- ")
		if code != 1 || !strings.Contains(errOut, tc.problem) || !strings.Contains(errOut, fix) {
			t.Errorf("after %s: check --db exit %d, want 1 naming %q and its fix %q:\n%s", tc.revoke, code, tc.problem, fix, errOut)
		}
		db.Exec(t, fix)
		if code, out, errOut := cli(t, "check", "--db", "-c", path); code != 0 {
			t.Fatalf("after %s: check --db: exit %d\n%s%s", fix, code, out, errOut)
		}
	}
}

// A disabled rule gets no grant, no publication membership and no REPLICA IDENTITY change.
func TestSetupGivesNothingToADisabledRule(t *testing.T) {
	db := pgtest.NewDB(t)
	db.LoadFrappeSchema(t)
	role := uniqueRole("wn_disabled")
	config := setupConfig + `
[[notification]]
name = "ToDo closed"
enabled = false
document_type = "ToDo"
event = "Value Change"
value_changed = "status"
message = "{{ doc.name }}"
webhook = "support"
set_property_after_alert = "description"
property_value = "x"
`
	path := writeConfig(t, config, withUser(t, db.DSN, role), map[string]string{"support": "https://hooks.slack.com/services/T/B/X"})
	if _, out, _ := cli(t, "setup", "-c", path, "--admin-dsn", db.DSN); strings.Contains(out, "tabToDo") {
		t.Errorf("setup prints SQL for a disabled rule:\n%s", out)
	}
	if code, out, errOut := cli(t, "setup", "--apply", "-c", path, "--admin-dsn", db.DSN); code != 0 {
		t.Fatalf("setup --apply: exit %d\n%s%s", code, out, errOut)
	}
	var granted, published bool
	var identity string
	err := db.Conn(t).QueryRow(context.Background(), `SELECT
  has_table_privilege($1, '"tabToDo"', 'SELECT') OR has_any_column_privilege($1, '"tabToDo"', 'UPDATE'),
  EXISTS (SELECT FROM pg_publication_tables WHERE tablename = 'tabToDo'),
  (SELECT relreplident::text FROM pg_class WHERE oid = '"tabToDo"'::regclass)`, role).Scan(&granted, &published, &identity)
	if err != nil {
		t.Fatal(err)
	}
	if granted || published || identity != "d" {
		t.Errorf("disabled rule: granted %v, published %v, replica identity %q (want d)", granted, published, identity)
	}
	if code, out, errOut := cli(t, "check", "--db", "-c", path); code != 0 {
		t.Errorf("check --db: exit %d\n%s%s", code, out, errOut)
	}
}

// setup --apply validates everything before it changes anything, and never names a table that
// does not exist in a statement.
func TestSetupApplyValidatesFirstAndChangesNothingOnAMistake(t *testing.T) {
	db := pgtest.NewDB(t)
	db.LoadFrappeSchema(t)
	role := uniqueRole("wn_typo")
	config := strings.Replace(setupConfig, `document_type = "Sales Invoice"`, `document_type = "Sales Invoices"`, 1)
	path := writeConfig(t, config, withUser(t, db.DSN, role), map[string]string{"support": "https://hooks.slack.com/services/T/B/X"})
	code, out, errOut := cli(t, "setup", "--apply", "-c", path, "--admin-dsn", db.DSN)
	want := `notification "Invoice submitted": document_type "Sales Invoices": table "public"."tabSales Invoices" does not exist (did you mean "Sales Invoice"?)`
	if code != 1 || !strings.Contains(errOut, want) || !strings.Contains(errOut, "nothing applied") {
		t.Fatalf("setup --apply: exit %d, want 1 with %q\n%s%s", code, want, out, errOut)
	}
	var changed string
	if err := db.Conn(t).QueryRow(context.Background(), `SELECT concat_ws(' ',
  (SELECT 'role' FROM pg_roles WHERE rolname = $1), (SELECT 'publication' FROM pg_publication LIMIT 1),
  (SELECT 'schema' FROM pg_namespace WHERE nspname = 'walnotify'),
  (SELECT string_agg(relname, ',') FROM pg_class WHERE relname LIKE 'tab%' AND relkind = 'r' AND relreplident <> 'd'))`, role).Scan(&changed); err != nil {
		t.Fatal(err)
	}
	if changed != "" {
		t.Errorf("setup --apply changed the database although the configuration names a missing table: %s", changed)
	}
	db.Exec(t, `CREATE PUBLICATION walnotify`)
	code, out, errOut = cli(t, "check", "--db", "-c", writeConfig(t, config, db.DSN, map[string]string{"support": "https://hooks.slack.com/services/T/B/X"}))
	if code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("check --db: exit %d, want 1 with %q\n%s%s", code, want, out, errOut)
	}
	if strings.Contains(errOut, `TABLE "public"."tabSales Invoices"`) {
		t.Errorf("check --db suggests a statement on a table that does not exist:\n%s", errOut)
	}
	if _, out, _ := cli(t, "setup", "-c", path, "--admin-dsn", db.DSN); strings.Contains(out, `"tabSales Invoices"`) {
		t.Errorf("setup --admin-dsn prints a statement on a table that does not exist:\n%s", out)
	}
}

// A write-back the ERP refuses after submit, and a typo in a template, are flagged with a
// did-you-mean, by check --db and by setup.
func TestCheckDBFlagsALockedWriteBackAndATemplateTypo(t *testing.T) {
	db := pgtest.NewDB(t)
	db.LoadFrappeSchema(t)
	config := strings.Replace(setupConfig, `message = "{{ doc.name }}: {% for i in doc.items %}`, `set_property_after_alert = "remarks"
property_value = "notified"
message = "{{ doc.name }} for {{ doc.custmer }}: {% for i in doc.items %}`, 1)
	path := writeConfig(t, config, db.DSN, map[string]string{"support": "https://hooks.slack.com/services/T/B/X"})
	if code, out, errOut := cli(t, "setup", "--apply", "-c", path); code != 0 {
		t.Fatalf("setup --apply: exit %d\n%s%s", code, out, errOut)
	}
	locked := `notification "Invoice submitted": set_property_after_alert: remarks may not change after submit (its DocField has allow_on_submit = 0), so the write-back is skipped on every Submit`
	typo := `notification "Invoice submitted": message: doc.custmer is not a column of "public"."tabSales Invoice" (did you mean "customer"?)`
	code, out, errOut := cli(t, "check", "--db", "-c", path)
	if code != 1 || !strings.Contains(errOut, locked) || !strings.Contains(errOut, typo) {
		t.Errorf("check --db: exit %d, want 1 with\n%s\n%s\n%s%s", code, locked, typo, out, errOut)
	}
	if strings.Contains(errOut, "doc.items") || strings.Contains(errOut, "doc.name") {
		t.Errorf("check --db flags a field that exists:\n%s", errOut)
	}
	_, _, errOut = cli(t, "setup", "-c", path, "--admin-dsn", db.DSN)
	if !strings.Contains(errOut, "warning: "+locked) || !strings.Contains(errOut, "warning: "+typo) {
		t.Errorf("setup does not warn:\n%s", errOut)
	}
}

// On wal_level=replica, setup --apply sets what it can outside a transaction, says to restart,
// and fails until the restart is done; then it completes.
func TestSetupApplyAsksForARestartUntilWalLevelIsLogical(t *testing.T) {
	srv := pgtest.NewServerWith(t, map[string]string{"wal_level": "replica"})
	db := srv.NewDB(t)
	db.LoadFrappeSchema(t)
	role := uniqueRole("wn_restart")
	path := writeConfig(t, setupConfig, withUser(t, db.DSN, role), map[string]string{"support": "https://hooks.slack.com/services/T/B/X"})
	for range 2 {
		code, out, errOut := cli(t, "setup", "--apply", "-c", path, "--admin-dsn", db.DSN)
		if code != 1 || !strings.Contains(errOut, "restart PostgreSQL, then run setup --apply again") {
			t.Fatalf("setup --apply on wal_level=replica: exit %d, want 1 asking for a restart\n%s%s", code, out, errOut)
		}
	}
	var roleExists bool
	var keep string
	if err := db.Conn(t).QueryRow(context.Background(), `SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = $1), current_setting('max_slot_wal_keep_size')`, role).Scan(&roleExists, &keep); err != nil {
		t.Fatal(err)
	}
	if roleExists || keep != "10GB" {
		t.Errorf("before the restart: role created %v, max_slot_wal_keep_size %q (want it set by reload, 10GB)", roleExists, keep)
	}
	srv.Restart(t)
	if code, out, errOut := cli(t, "setup", "--apply", "-c", path, "--admin-dsn", db.DSN); code != 0 {
		t.Fatalf("setup --apply after the restart: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := cli(t, "check", "--db", "-c", path); code != 0 || !strings.Contains(out, "database OK") {
		t.Fatalf("check --db: exit %d\n%s%s", code, out, errOut)
	}
}

// teardown removes what setup made: the database is as before, the role included.
func TestTeardownLeavesTheDatabaseAsBeforeSetup(t *testing.T) {
	db := pgtest.NewDB(t)
	db.LoadFrappeSchema(t)
	// An identity other than the default, which teardown must put back.
	db.Exec(t, `ALTER TABLE "tabSales Invoice" REPLICA IDENTITY USING INDEX "tabSales Invoice_pkey"`)
	db.Exec(t, `ALTER TABLE "tabIssue" REPLICA IDENTITY NOTHING`)
	role := uniqueRole("wn_teardown")
	path := writeConfig(t, setupConfig, withUser(t, db.DSN, role), map[string]string{"support": "https://hooks.slack.com/services/T/B/X"})
	// The catalog as far as setup touches it, one fact a line; ACLs compared as the privileges
	// they give (a NULL ACL and its explicit default are the same).
	snapshot := func() []string {
		rows, err := db.Conn(t).Query(context.Background(), `
SELECT 'role ' || rolname FROM pg_roles WHERE rolname = $1
UNION ALL SELECT 'publication ' || pubname FROM pg_publication
UNION ALL SELECT 'slot ' || slot_name FROM pg_replication_slots WHERE database = current_database()
UNION ALL SELECT 'schema ' || nspname || ' ' || a.grantee::regrole::text || ' ' || a.privilege_type
  FROM pg_namespace, aclexplode(coalesce(nspacl, acldefault('n', nspowner))) a WHERE nspname NOT LIKE 'pg\_%' AND nspname <> 'information_schema'
UNION ALL SELECT 'table ' || relname || ' identity ' || relreplident::text FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace
UNION ALL SELECT 'table ' || relname || ' ' || a.grantee::regrole::text || ' ' || a.privilege_type
  FROM pg_class, aclexplode(coalesce(relacl, acldefault('r', relowner))) a WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace
UNION ALL SELECT 'column ' || attrelid::regclass::text || '.' || attname || ' ' || a.grantee::regrole::text || ' ' || a.privilege_type
  FROM pg_attribute, aclexplode(attacl) a WHERE attrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace)
ORDER BY 1`, role)
		if err != nil {
			t.Fatal(err)
		}
		facts, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		return facts
	}
	before := snapshot()
	if code, out, errOut := cli(t, "setup", "--apply", "-c", path, "--admin-dsn", db.DSN); code != 0 {
		t.Fatalf("setup --apply: exit %d\n%s%s", code, out, errOut)
	}
	if slices.Equal(snapshot(), before) {
		t.Fatal("setup --apply changed nothing")
	}
	_, script, _ := cli(t, "teardown", "-c", path)
	for _, want := range []string{`pg_drop_replication_slot`, `DROP PUBLICATION IF EXISTS "walnotify";`, `DROP SCHEMA IF EXISTS "walnotify" CASCADE;`, `DROP ROLE "` + role + `";`, `REPLICA IDENTITY`} {
		if !strings.Contains(script, want) {
			t.Errorf("teardown prints no %s:\n%s", want, script)
		}
	}
	if code, out, errOut := cli(t, "teardown", "--apply", "-c", path, "--admin-dsn", db.DSN); code != 0 {
		t.Fatalf("teardown --apply: exit %d\n%s%s", code, out, errOut)
	}
	if after := snapshot(); !slices.Equal(after, before) {
		for _, f := range after {
			if !slices.Contains(before, f) {
				t.Errorf("after teardown, not before setup: %s", f)
			}
		}
		for _, f := range before {
			if !slices.Contains(after, f) {
				t.Errorf("before setup, gone after teardown: %s", f)
			}
		}
	}
	if code, out, errOut := cli(t, "teardown", "--apply", "-c", path, "--admin-dsn", db.DSN); code != 0 {
		t.Errorf("a second teardown --apply: exit %d\n%s%s", code, out, errOut)
	}
}

// A reload that adds a rule on a table outside the publication says so, with the fix, in the
// log and in status: that rule could never fire.
func TestReloadWarnsOfATableOutsideThePublication(t *testing.T) {
	s := newSite(t, []string{"support"}, setupConfig)
	td := s.startDaemon(t)
	if code, out, errOut := cli(t, "status", "-c", s.path); code != 0 || strings.Contains(out, "warnings") {
		t.Fatalf("status before the reload: exit %d\n%s%s", code, out, errOut)
	}
	good, _ := readFile(s.path)
	writeFile(t, s.path, good+`
[[notification]]
name = "New ToDo"
document_type = "ToDo"
event = "New"
message = "{{ doc.name }}"
webhook = "support"
`)
	td.reload <- syscall.SIGHUP
	want := `database prerequisite unmet: publication \"walnotify\" lacks \"public\".\"tabToDo\"`
	poll.Until(t, 10*time.Second, "a warning naming the table", func() bool { return strings.Contains(td.logs.String(), want) })
	if !strings.Contains(td.logs.String(), `ALTER PUBLICATION \"walnotify\" SET TABLE \"public\".\"tabIssue\", \"public\".\"tabSales Invoice\", \"public\".\"tabToDo\";`) {
		t.Errorf("the warning has no fix:\n%s", td.logs.String())
	}
	code, out, errOut := cli(t, "status", "-c", s.path)
	if code != 0 || !strings.Contains(out, `publication "walnotify" lacks "public"."tabToDo"`) || !strings.Contains(out, `fix: ALTER PUBLICATION "walnotify" SET TABLE`) {
		t.Errorf("status: exit %d, want the warning and its fix\n%s%s", code, out, errOut)
	}
}

// tail --table on a table outside the publication says so (and how to add it, only when the
// table exists), instead of printing nothing forever.
func TestTailWarnsOfATableOutsideThePublication(t *testing.T) {
	s := newSite(t, []string{"support"}, setupConfig)
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"tail", "-c", s.path, "--table", "ToDo", "--table", "Sales Invoices", "--table", "Issue"}, &out, &errOut)
	}()
	poll.Until(t, 30*time.Second, "tail streaming", func() bool { return strings.Contains(errOut.String(), "temporary slot") })
	cancel()
	<-done
	for _, want := range []string{
		`walnotify tail: warning: table "public"."tabToDo" is not in publication "walnotify": its changes are not streamed (fix: ALTER PUBLICATION "walnotify" ADD TABLE "public"."tabToDo";`,
		`walnotify tail: warning: --table Sales Invoices: no such table`,
	} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("tail stderr lacks %s:\n%s", want, errOut.String())
		}
	}
	if strings.Contains(errOut.String(), `"tabSales Invoices";`) || strings.Contains(errOut.String(), `"tabIssue" is not`) {
		t.Errorf("tail warns about a published table or suggests adding a missing one:\n%s", errOut.String())
	}
}
