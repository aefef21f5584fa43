// Package pgcluster starts a throwaway PostgreSQL server from the binaries installed on the
// machine: initdb into a fresh directory, postgres on a free loopback port with
// wal_level=logical, and removal of everything on Stop.
//
// It serves the test harness (internal/pgtest) and `walnotify demo`. It never touches an
// existing cluster and never listens beyond 127.0.0.1. When the process runs as root, initdb
// and postgres run as the "postgres" user, since PostgreSQL refuses to run as root.
package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// ErrNoBinaries reports that no PostgreSQL server binaries were found.
var ErrNoBinaries = errors.New("no PostgreSQL server binaries (initdb, postgres) found on PATH or under /usr/lib/postgresql/*/bin; install them with: apt-get install -y postgresql")

// Superuser is the bootstrap superuser of every cluster this package creates.
const Superuser = "postgres"

// Options tune a cluster. The zero value is a logical-replication-ready cluster.
type Options struct {
	// Settings are extra postgresql.conf settings (name -> value), applied after the defaults.
	Settings map[string]string
	// Log receives the server's output; nil discards it.
	Log io.Writer
}

// Cluster is one running throwaway server.
type Cluster struct {
	// Port is the TCP port on 127.0.0.1.
	Port int
	// Dir is the data directory.
	Dir string

	bin  string
	opts Options
	cred *syscall.Credential
	cmd  *exec.Cmd
	done chan struct{}
}

// FindBinaries returns the directory holding initdb and postgres: the one on PATH if any,
// else the newest /usr/lib/postgresql/<version>/bin.
func FindBinaries() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		dir := filepath.Dir(p)
		if _, err := os.Stat(filepath.Join(dir, "postgres")); err == nil {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", ErrNoBinaries
}

func versionOf(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

// Start creates and starts a cluster. The caller must Stop it.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	bin, err := FindBinaries()
	if err != nil {
		return nil, err
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	c := &Cluster{bin: bin, opts: opts}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root needs a \"postgres\" system user to run the server: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	c.Dir, err = os.MkdirTemp("", "walnotify-pg-")
	if err != nil {
		return nil, err
	}
	if c.cred != nil {
		if err := os.Chown(c.Dir, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
			os.RemoveAll(c.Dir)
			return nil, err
		}
	}
	initdb := c.command(ctx, "initdb", "-D", c.Dir, "-U", Superuser, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync")
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(c.Dir)
		return nil, fmt.Errorf("initdb: %w: %s", err, strings.TrimSpace(string(out)))
	}
	if err := c.configure(); err != nil {
		os.RemoveAll(c.Dir)
		return nil, err
	}
	if err := c.start(ctx, 0); err != nil {
		os.RemoveAll(c.Dir)
		return nil, err
	}
	return c, nil
}

// configure writes the settings into postgresql.conf, where ALTER SYSTEM overrides them as it
// does on any server (command-line settings would win over it).
func (c *Cluster) configure() error {
	settings := map[string]string{
		"listen_addresses":        "'127.0.0.1'",
		"unix_socket_directories": "''",
		"wal_level":               "logical",
		"max_replication_slots":   "64",
		"max_wal_senders":         "64",
		"max_connections":         "200",
		"fsync":                   "off",
		"full_page_writes":        "off",
		"wal_sender_timeout":      "'60s'",
		"log_min_messages":        "warning",
		"shared_buffers":          "'32MB'",
	}
	for k, v := range c.opts.Settings {
		settings[k] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
	}
	keys := make([]string, 0, len(settings))
	for k := range settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("\n# walnotify tests\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "%s = %s\n", k, settings[k])
	}
	f, err := os.OpenFile(filepath.Join(c.Dir, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func (c *Cluster) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(c.bin, name), args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred, Setpgid: true}
	return cmd
}

// start runs postgres on port (0 = pick a free one) and waits until it accepts connections.
func (c *Cluster) start(ctx context.Context, port int) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		p := port
		if p == 0 {
			if p, err = freePort(); err != nil {
				return err
			}
		}
		if err = c.launch(ctx, p); err == nil {
			c.Port = p
			return nil
		}
		if port != 0 {
			break
		}
	}
	return err
}

func (c *Cluster) launch(ctx context.Context, port int) error {
	args := []string{"-D", c.Dir, "-c", "port=" + strconv.Itoa(port)}
	// Not bound to ctx: the server lives until Stop, whatever the caller's start-up deadline.
	cmd := c.command(context.Background(), "postgres", args...)
	cmd.SysProcAttr.Pdeathsig = syscall.SIGQUIT
	cmd.Stdout, cmd.Stderr = c.opts.Log, c.opts.Log
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		conn, err := pgconn.Connect(ctx, dsn(port, "postgres")+"&connect_timeout=2")
		if err == nil {
			conn.Close(ctx)
			c.cmd, c.done = cmd, done
			return nil
		}
		select {
		case <-done:
			return fmt.Errorf("postgres exited during start-up (port %d in use?)", port)
		case <-ctx.Done():
			syscall.Kill(-cmd.Process.Pid, syscall.SIGQUIT)
			<-done
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			syscall.Kill(-cmd.Process.Pid, syscall.SIGQUIT)
			<-done
			return fmt.Errorf("postgres did not accept connections within 30s: %w", err)
		}
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func dsn(port int, db string) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", Superuser, port, db)
}

// DSN is the superuser connection string for database db.
func (c *Cluster) DSN(db string) string { return dsn(c.Port, db) }

// Stop shuts the server down (fast mode) and removes the data directory.
func (c *Cluster) Stop() error {
	err := c.halt(syscall.SIGINT)
	if rmErr := os.RemoveAll(c.Dir); err == nil {
		err = rmErr
	}
	return err
}

// Restart stops the server (fast shutdown, disconnecting every client) and starts it again on
// the same port with the same data.
func (c *Cluster) Restart(ctx context.Context) error {
	if err := c.halt(syscall.SIGINT); err != nil {
		return err
	}
	return c.start(ctx, c.Port)
}

// halt sends sig to the postmaster and waits for it to exit.
func (c *Cluster) halt(sig syscall.Signal) error {
	if c.cmd == nil {
		return nil
	}
	c.cmd.Process.Signal(sig)
	select {
	case <-c.done:
	case <-time.After(30 * time.Second):
		syscall.Kill(-c.cmd.Process.Pid, syscall.SIGKILL)
		<-c.done
	}
	c.cmd = nil
	return nil
}
