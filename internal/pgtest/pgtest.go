// Package pgtest gives tests a real PostgreSQL server with wal_level=logical.
//
// Each test binary starts at most one throwaway cluster (internal/pgcluster), on first use, and
// stops it when the tests end; or, when WALNOTIFY_TEST_DSN is set, uses that server instead.
// Every test gets its own database, dropped in t.Cleanup together with any replication slot
// left in it, so tests can run in parallel. Under CI=true a missing PostgreSQL fails the test;
// elsewhere it skips it with the install command.
//
// Use it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
package pgtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"walnotify/internal/pgcluster"
)

// shared is the per-binary server. Package state is confined to this test helper.
var shared struct {
	once    sync.Once
	cluster *pgcluster.Cluster
	base    string // DSN of the maintenance database
	err     error
	seq     atomic.Int64
}

// Main runs the tests and stops the server if one was started.
func Main(m *testing.M) int {
	code := m.Run()
	if shared.cluster != nil {
		shared.cluster.Stop()
	}
	return code
}

func server(t testing.TB) string {
	t.Helper()
	shared.once.Do(func() {
		if dsn := os.Getenv("WALNOTIFY_TEST_DSN"); dsn != "" {
			shared.base = dsn
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		shared.cluster, shared.err = pgcluster.Start(ctx, pgcluster.Options{})
		if shared.err == nil {
			shared.base = shared.cluster.DSN("postgres")
		}
	})
	if shared.err != nil {
		unavailable(t, shared.err)
	}
	return shared.base
}

// unavailable fails (under CI) or skips the test because PostgreSQL cannot be had.
func unavailable(t testing.TB, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("PostgreSQL is required under CI=true: %v", err)
	}
	t.Skipf("PostgreSQL not available (%v); install it with: apt-get install -y postgresql, or set WALNOTIFY_TEST_DSN", err)
}

// DB is a fresh database on the test server.
type DB struct {
	// Name is the database name.
	Name string
	// DSN connects to it as a superuser.
	DSN string
}

// NewDB creates an empty database for this test and drops it (with its replication slots) when
// the test ends.
func NewDB(t testing.TB) *DB {
	t.Helper()
	return newDB(t, server(t))
}

func newDB(t testing.TB, base string) *DB {
	t.Helper()
	name := fmt.Sprintf("wn_%s_%d_%d", sanitize(t.Name()), os.Getpid(), shared.seq.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("pgtest: connect: %v", err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	db := &DB{Name: name, DSN: withDatabase(base, name)}
	t.Cleanup(func() { dropDB(t, base, name) })
	return db
}

func dropDB(t testing.TB, base, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Logf("pgtest: drop %s: %v", name, err)
		return
	}
	defer admin.Close(ctx)
	// Slots pin WAL and block DROP DATABASE: terminate their walsenders, then drop them.
	for range 50 {
		_, err = admin.Exec(ctx, `SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE database = $1 AND active_pid IS NOT NULL`, name)
		if err == nil {
			_, err = admin.Exec(ctx, `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1 AND NOT active`, name)
		}
		if err == nil {
			var left int
			err = admin.QueryRow(ctx, `SELECT count(*) FROM pg_replication_slots WHERE database = $1`, name).Scan(&left)
			if err == nil && left == 0 {
				break
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		t.Logf("pgtest: drop database %s: %v", name, err)
	}
}

func sanitize(s string) string {
	s = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return '_'
	}, s)
	if len(s) > 30 {
		s = s[len(s)-30:]
	}
	return s
}

func withDatabase(dsn, db string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		// keyword/value form
		return dsn + " dbname=" + db
	}
	u.Path = "/" + db
	return u.String()
}

// Exec runs SQL statements (separated by semicolons, simple protocol) in the database.
func (db *DB) Exec(t testing.TB, sql string, args ...any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, db.DSN)
	if err != nil {
		t.Fatalf("pgtest: connect: %v", err)
	}
	defer conn.Close(ctx)
	if len(args) == 0 {
		if err := conn.PgConn().Exec(ctx, sql).Close(); err != nil {
			t.Fatalf("pgtest: exec %.80q: %v", sql, err)
		}
		return
	}
	if _, err := conn.Exec(ctx, sql, args...); err != nil {
		t.Fatalf("pgtest: exec %.80q: %v", sql, err)
	}
}

// Conn opens a connection closed at the end of the test.
func (db *DB) Conn(t testing.TB) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), db.DSN)
	if err != nil {
		t.Fatalf("pgtest: connect: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// PoolAs opens a pool whose sessions act as role (SET ROLE; the role is the test's to make),
// closed at the end of the test: what a role with fewer rights than the owner reads. configure,
// when not nil, adjusts the pool's configuration first.
func (db *DB) PoolAs(t testing.TB, role string, configure func(*pgxpool.Config)) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(db.DSN)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	if configure != nil {
		configure(cfg)
	}
	cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		_, err := conn.Exec(ctx, "SET ROLE "+pgx.Identifier{role}.Sanitize())
		return err
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatalf("pgtest: pool as %s: %v", role, err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// ReplicationConn opens a replication=database connection closed at the end of the test.
func (db *DB) ReplicationConn(t testing.TB) *pgconn.PgConn {
	t.Helper()
	conn, err := pgconn.Connect(context.Background(), ReplicationDSN(db.DSN))
	if err != nil {
		t.Fatalf("pgtest: replication connect: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// ReplicationDSN adds replication=database to a URL DSN.
func ReplicationDSN(dsn string) string {
	if strings.Contains(dsn, "?") {
		return dsn + "&replication=database"
	}
	return dsn + "?replication=database"
}

// LoadFrappeSchema loads ../shared/frappe-schema (schema, metadata, sample rows) into db.
func (db *DB) LoadFrappeSchema(t testing.TB) {
	t.Helper()
	dir := FrappeSchemaDir(t)
	for _, f := range []string{"schema.sql", "metadata.sql", "sample.sql"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatalf("pgtest: %v", err)
		}
		db.Exec(t, string(b))
	}
}

// FrappeSchemaDir finds the Frappe schema files: testdata/frappe-schema at the module root.
func FrappeSchemaDir(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "testdata", "frappe-schema")
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("pgtest: frappe schema: %v", err)
	}
	return dir
}

// Server is a dedicated server for tests that restart or stop it. It is never shared.
type Server struct {
	*pgcluster.Cluster
}

// NewServer starts a dedicated cluster for this test, stopped when the test ends. It needs the
// server binaries even when WALNOTIFY_TEST_DSN is set.
func NewServer(t testing.TB) *Server {
	t.Helper()
	return NewServerWith(t, nil)
}

// NewServerWith is NewServer with postgresql.conf settings of the test's choosing, such as
// wal_level=replica for a server that is not ready for walnotify.
func NewServerWith(t testing.TB, settings map[string]string) *Server {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := pgcluster.Start(ctx, pgcluster.Options{Settings: settings})
	if err != nil {
		unavailable(t, err)
	}
	t.Cleanup(func() { c.Stop() })
	return &Server{c}
}

// NewDB creates a database on this dedicated server.
func (s *Server) NewDB(t testing.TB) *DB {
	t.Helper()
	return newDB(t, s.DSN("postgres"))
}

// Restart restarts the server, disconnecting every client.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.Cluster.Restart(ctx); err != nil {
		t.Fatalf("pgtest: restart: %v", err)
	}
}

func connect(dsn string) (*pgx.Conn, error) {
	return pgx.Connect(context.Background(), dsn)
}
