package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"walnotify/internal/pgcluster"
	"walnotify/internal/pgtest"
	"walnotify/internal/poll"
	"walnotify/internal/webhooktest"
)

const setupConfig = siteTOML + `[[webhook]]
name = "support"
service = "Slack"
url = "<<.Hook.support>>"
rate = 100.0

[[notification]]
name = "Ticket replied"
document_type = "Issue"
event = "Value Change"
value_changed = "status"
condition = 'doc.priority == "High"'
message = "{{ doc.name }} is {{ doc.status }}"
webhook = "support"
set_property_after_alert = "resolution_details"
property_value = "notified"
send_system_notification = true

[[notification]]
name = "Invoice submitted"
document_type = "Sales Invoice"
event = "Submit"
message = "{{ doc.name }}: {% for i in doc.items %}{{ i.item_code }} {% endfor %}"
webhook = "support"
`

// writeConfig writes a config for db with the given user in its DSN.
func writeConfig(t *testing.T, text, dsn string, hooks map[string]string) string {
	t.Helper()
	text = strings.NewReplacer("<<.DSN>>", dsn, "<<.Listen>>", "").Replace(text)
	for name, u := range hooks {
		text = strings.ReplaceAll(text, "<<.Hook."+name+">>", u)
	}
	path := filepath.Join(t.TempDir(), "walnotify.toml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// withUser returns dsn with another user name.
func withUser(t *testing.T, dsn, user string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(user)
	return u.String()
}

func TestSetupPrintsExactlyWhatTheRulesNeed(t *testing.T) {
	db := pgtest.NewDB(t)
	db.LoadFrappeSchema(t)
	path := writeConfig(t, setupConfig, withUser(t, db.DSN, "walnotify"), map[string]string{"support": "https://hooks.slack.com/services/T/B/SECRETQ"})
	code, out, errOut := cli(t, "setup", "-c", path, "--admin-dsn", db.DSN)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		`CREATE PUBLICATION "walnotify" WITH (publish = 'insert, update, delete, truncate');`,
		`ALTER PUBLICATION "walnotify" SET TABLE "public"."tabIssue", "public"."tabSales Invoice";`,
		`ALTER TABLE "public"."tabIssue" REPLICA IDENTITY FULL;`,
		`ALTER TABLE "public"."tabSales Invoice" REPLICA IDENTITY FULL;`,
		`CREATE ROLE "walnotify" LOGIN REPLICATION;`,
		`GRANT USAGE ON SCHEMA "public" TO "walnotify";`,
		`GRANT SELECT ON "public"."tabIssue" TO "walnotify";`,
		`GRANT SELECT ON "public"."tabSales Invoice" TO "walnotify";`,
		`GRANT SELECT ON "public"."tabSales Invoice Item" TO "walnotify";`,
		`GRANT SELECT ON "public"."tabDocField" TO "walnotify";`,
		`GRANT SELECT ON "public"."tabNotification Settings" TO "walnotify";`,
		`GRANT UPDATE ("seen") ON "public"."tabNotification Settings" TO "walnotify";`,
		`GRANT UPDATE ("resolution_details", "modified") ON "public"."tabIssue" TO "walnotify";`,
		`GRANT INSERT, SELECT (name) ON "public"."tabNotification Log" TO "walnotify";`,
		`CREATE SCHEMA IF NOT EXISTS "walnotify" AUTHORIZATION "walnotify";`,
		`ALTER SYSTEM SET wal_level = logical;`,
		`ALTER SYSTEM SET max_slot_wal_keep_size = '10GB';`,
		`pg_create_logical_replication_slot('walnotify', 'pgoutput')`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("setup output lacks %s", want)
		}
	}
	if strings.Contains(out, "tabToDo") || strings.Contains(out, "SECRETQ") || strings.Contains(out, "not verified") {
		t.Errorf("setup output names a table no rule uses, a webhook URL, or something it did not verify:\n%s", out)
	}
}

// Without --admin-dsn setup connects to nothing (the role may not exist yet) and still prints
// every statement, saying which ones it could not verify.
func TestSetupPrintsCompleteSQLFromTheConfigAlone(t *testing.T) {
	path := writeConfig(t, setupConfig, "postgres://walnotify@127.0.0.1:1/erp", map[string]string{"support": "https://hooks.slack.com/services/T/B/X"})
	code, out, errOut := cli(t, "setup", "-c", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		`GRANT SELECT ON "public"."tabIssue" TO "walnotify";`,
		`-- not verified: the child tables (doc.items ...) are listed in "public"."tabDocField"; pass --admin-dsn to name them`,
		`EXECUTE format('GRANT SELECT ON %I.%I TO %I', 'public', t, 'walnotify');`,
		`WHERE parent IN ('Issue', 'Sales Invoice') AND fieldtype IN ('Table', 'Table MultiSelect')`,
		`GRANT SELECT ON "public"."tabDocField" TO "walnotify";`,
		`-- modified is assumed to exist, as on every Frappe table`,
		`GRANT UPDATE ("resolution_details", "modified") ON "public"."tabIssue" TO "walnotify";`,
		`GRANT INSERT, SELECT (name) ON "public"."tabNotification Log" TO "walnotify";`,
		`ALTER PUBLICATION "walnotify" SET TABLE "public"."tabIssue", "public"."tabSales Invoice";`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("setup output lacks %s\n%s", want, out)
		}
	}
}

// The child-table statement setup prints without a database grants what the metadata lists.
func TestSetupScriptFromTheConfigAloneRunsOnTheERP(t *testing.T) {
	db := pgtest.NewDB(t)
	db.LoadFrappeSchema(t)
	role := uniqueRole("wn_script")
	path := writeConfig(t, setupConfig, withUser(t, db.DSN, role), map[string]string{"support": "https://hooks.slack.com/services/T/B/X"})
	_, script, _ := cli(t, "setup", "-c", path)
	psql(t, db.DSN, script)
	psql(t, db.DSN, script) // twice changes nothing
	if code, out, errOut := cli(t, "check", "--db", "-c", path); code != 0 || !strings.Contains(out, "database OK") {
		t.Fatalf("check --db after the printed script: exit %d\n%s%s", code, out, errOut)
	}
}

// psql runs a script as a DBA would, each statement in its own transaction, stopping at the
// first error.
func psql(t *testing.T, dsn, script string) {
	t.Helper()
	bin, err := pgcluster.FindBinaries()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(bin, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn, "-f", "-")
	cmd.Stdin = strings.NewReader(script)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("psql: %v\n%s", err, out)
	}
}

// uniqueRole is a role name no other test of the server uses (roles belong to the server).
func uniqueRole(prefix string) string { return fmt.Sprintf("%s_%d", prefix, time.Now().UnixNano()%1e9) }

func TestSetupApplyTwiceThenCheckFindsNothing(t *testing.T) {
	db := pgtest.NewDB(t)
	db.LoadFrappeSchema(t)
	path := writeConfig(t, setupConfig, withUser(t, db.DSN, "walnotify"), map[string]string{"support": "https://hooks.slack.com/services/T/B/X"})
	snapshot := func() string {
		conn := db.Conn(t)
		var s string
		err := conn.QueryRow(context.Background(), `SELECT concat_ws(' | ',
  (SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_publication_tables WHERE pubname = 'walnotify'),
  (SELECT string_agg(relname || ':' || relreplident::text, ',' ORDER BY relname) FROM pg_class WHERE relname LIKE 'tab%' AND relkind = 'r'),
  (SELECT string_agg(table_name || '.' || privilege_type, ',' ORDER BY table_name, privilege_type) FROM information_schema.role_table_grants WHERE grantee = 'walnotify'),
  (SELECT string_agg(table_name || '.' || column_name || '.' || privilege_type, ',' ORDER BY 1) FROM information_schema.column_privileges WHERE grantee = 'walnotify'),
  (SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'walnotify'),
  (SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'walnotify'))`).Scan(&s)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if code, out, errOut := cli(t, "setup", "--apply", "-c", path, "--admin-dsn", db.DSN); code != 0 {
		t.Fatalf("setup --apply: exit %d\n%s%s", code, out, errOut)
	}
	first := snapshot()
	if code, out, errOut := cli(t, "setup", "--apply", "-c", path, "--admin-dsn", db.DSN); code != 0 {
		t.Fatalf("second setup --apply: exit %d\n%s%s", code, out, errOut)
	}
	if second := snapshot(); second != first {
		t.Errorf("the second setup changed the database:\n%s\n%s", first, second)
	}
	code, out, errOut := cli(t, "check", "--db", "-c", path)
	if code != 0 || !strings.Contains(out, "database OK") {
		t.Fatalf("check --db after setup: exit %d\n%s%s", code, out, errOut)
	}
}

func TestCheckDBReportsEveryProblemWithItsFix(t *testing.T) {
	srv := pgtest.NewServerWith(t, map[string]string{"wal_level": "replica"})
	db := srv.NewDB(t)
	db.LoadFrappeSchema(t)
	config := strings.Replace(setupConfig, `value_changed = "status"`, `value_changed = "statuss"`, 1)
	path := writeConfig(t, config, db.DSN, map[string]string{"support": "https://hooks.slack.com/services/T/B/X"})
	db.Exec(t, `CREATE PUBLICATION walnotify FOR TABLE "tabIssue", "tabSales Invoice"`)
	db.Exec(t, `ALTER TABLE "tabIssue" REPLICA IDENTITY FULL`) // tabSales Invoice keeps the default
	code, out, errOut := cli(t, "check", "--db", "-c", path)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		`wal_level is "replica"`, "fix: ALTER SYSTEM SET wal_level = logical;",
		`notification "Ticket replied": value_changed: column "statuss" does not exist in "public"."tabIssue" (did you mean "status"?)`,
		`table "public"."tabSales Invoice" lacks REPLICA IDENTITY FULL`, `ALTER TABLE "public"."tabSales Invoice" REPLICA IDENTITY FULL;`,
		`max_slot_wal_keep_size is "-1": a stopped walnotify keeps WAL until the disk is full`, `fix: ALTER SYSTEM SET max_slot_wal_keep_size = '10GB';`,
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("check --db lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(errOut, `"public"."tabIssue" lacks REPLICA IDENTITY`) {
		t.Error("check --db blames a table that has REPLICA IDENTITY FULL")
	}
}

func TestCheckDBCatchesATypoInAConditionField(t *testing.T) {
	db := pgtest.NewDB(t)
	db.LoadFrappeSchema(t)
	config := strings.Replace(setupConfig, `doc.priority == "High"`, `doc.prority == "High"`, 1)
	path := writeConfig(t, config, db.DSN, map[string]string{"support": "https://hooks.slack.com/services/T/B/X"})
	cli(t, "setup", "--apply", "-c", path)
	code, _, errOut := cli(t, "check", "--db", "-c", path)
	if code != 1 || !strings.Contains(errOut, `notification "Ticket replied": condition: doc.prority is not a column of "public"."tabIssue" (did you mean "priority"?)`) {
		t.Errorf("exit %d:\n%s", code, errOut)
	}
	if strings.Contains(errOut, "doc.items") {
		t.Error("a child table field is reported as a missing column")
	}
}

// The role setup creates runs the daemon end to end, and reads nothing the rules do not use.
func TestSetupRoleIsEnoughAndNoMore(t *testing.T) {
	db := pgtest.NewDB(t)
	db.LoadFrappeSchema(t)
	role := fmt.Sprintf("wn_least_%d", time.Now().UnixNano()%1e9)
	hook := webhooktest.New(t, nil)
	config := strings.ReplaceAll(setupConfig, `dsn = "<<.DSN>>"`, `dsn = "<<.DSN>>"
slot = "`+role+`"`)
	path := writeConfig(t, config, withUser(t, db.DSN, role), map[string]string{"support": hook.URL + "/services/T/B/SECRETR"})
	if code, out, errOut := cli(t, "setup", "--apply", "-c", path, "--admin-dsn", db.DSN); code != 0 {
		t.Fatalf("setup --apply: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := cli(t, "check", "--db", "-c", path); code != 0 {
		t.Fatalf("check --db as %s: exit %d\n%s%s", role, code, out, errOut)
	}
	s := &site{db: db, path: path, hooks: map[string]*webhooktest.Hook{"support": hook}, secrets: []string{"SECRETR"}}
	s.startDaemon(t)
	db.Exec(t, `INSERT INTO "tabIssue" (name, status, priority, owner) VALUES ('ISS-L-1', 'Open', 'High', 'Administrator')`)
	db.Exec(t, `UPDATE "tabIssue" SET status = 'Replied' WHERE name = 'ISS-L-1'`)
	db.Exec(t, `UPDATE "tabSales Invoice" SET docstatus = 1 WHERE name = 'ACC-SINV-2025-00042'`)
	poll.Until(t, 30*time.Second, "both notifications delivered", func() bool { return len(hook.Texts()) == 2 })
	if got := hook.Texts(); got[0] != "ISS-L-1 is Replied" || got[1] != "ACC-SINV-2025-00042: HEB-AN FORM-ATELIER" {
		t.Errorf("delivered %q", got)
	}
	poll.Until(t, 10*time.Second, "write-back and system notification", func() bool {
		return s.count(t, `SELECT count(*) FROM "tabIssue" WHERE name = 'ISS-L-1' AND resolution_details = 'notified'`) == 1 &&
			s.count(t, `SELECT count(*) FROM "tabNotification Log" WHERE document_name = 'ISS-L-1'`) == 1
	})
	conn, err := pgx.Connect(context.Background(), withUser(t, db.DSN, role))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	for _, sql := range []string{`SELECT count(*) FROM "tabToDo"`, `UPDATE "tabIssue" SET subject = 'x'`, `SELECT subject FROM "tabNotification Log"`} {
		if _, err := conn.Exec(context.Background(), sql); err == nil || !strings.Contains(err.Error(), "permission denied") {
			t.Errorf("%s as %s: %v, want permission denied", sql, role, err)
		}
	}
}
