package pgtest

import (
	"context"
	"os"
	"testing"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

func TestServerIsReadyForLogicalReplication(t *testing.T) {
	db := NewDB(t)
	conn := db.Conn(t)
	var level string
	if err := conn.QueryRow(context.Background(), "SHOW wal_level").Scan(&level); err != nil {
		t.Fatal(err)
	}
	if level != "logical" {
		t.Fatalf("wal_level = %q, want logical", level)
	}
}

func TestFrappeSchemaLoads(t *testing.T) {
	db := NewDB(t)
	db.LoadFrappeSchema(t)
	var n int
	if err := db.Conn(t).QueryRow(context.Background(), `SELECT count(*) FROM "tabIssue"`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Fatalf("tabIssue holds %d rows, want the 3 sample issues", n)
	}
}

func TestDatabasesAreDroppedWithTheirSlots(t *testing.T) {
	var name string
	t.Run("inner", func(t *testing.T) {
		db := NewDB(t)
		name = db.Name
		db.Exec(t, `SELECT pg_create_logical_replication_slot('leftover', 'pgoutput')`)
	})
	conn, err := connect(server(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM pg_database WHERE datname = $1`, name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("database %s still exists after its test", name)
	}
}

func TestRestartKeepsData(t *testing.T) {
	s := NewServer(t)
	db := s.NewDB(t)
	db.Exec(t, `CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)`)
	s.Restart(t)
	var x int
	if err := db.Conn(t).QueryRow(context.Background(), `SELECT x FROM kept`).Scan(&x); err != nil {
		t.Fatal(err)
	}
	if x != 42 {
		t.Fatalf("x = %d after restart, want 42", x)
	}
}
