// Command walnotify sends the ERP's document notifications from the database: it streams
// PostgreSQL logical replication, evaluates the rules of a TOML file, and delivers the
// messages to chat webhooks. See `walnotify help`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	_ "time/tzdata" // site.timezone must load on machines without a zoneinfo database

	"walnotify/rules"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit statuses.
const (
	exitOK      = 0
	exitProblem = 1
	exitUsage   = 2
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *cmdEnv, args []string) error
}

// cmdEnv is what every subcommand gets: its output streams and how to find the config.
type cmdEnv struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

func commands() []command {
	return []command{
		{"run", "the daemon: stream, evaluate, enqueue, deliver, write back (SIGHUP reloads the rules)", cmdRun},
		{"check", "validate the config offline; --db also checks the database", cmdCheck},
		{"setup", "print the SQL a DBA runs (publication, replica identity, slot, role); --apply runs it", cmdSetup},
		{"teardown", "print the SQL that removes what setup made; --apply runs it", cmdTeardown},
		{"test", "show what a notification does for a document; --send delivers it", cmdTest},
		{"import", "print the ERP's Notification and webhook records as a walnotify config (TOML)", cmdImport},
		{"daily", "run the Days Before / Days After pass for a date once", cmdDaily},
		{"status", "slot lag, outbox depth, dead deliveries, gaps", cmdStatus},
		{"replay", "queue dead deliveries again (after the URL or the message is fixed); --dry-run lists them", cmdReplay},
		{"purge", "delete finished deliveries older than --older-than (default [delivery] retention)", cmdPurge},
		{"tail", "print the decoded change stream as JSON lines", cmdTail},
		{"demo", "a self-contained demonstration on a throwaway PostgreSQL", cmdDemo},
	}
}

// usageError is bad usage: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	env := &cmdEnv{stdout: stdout, stderr: stderr, getenv: os.Getenv}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, env, args[1:])
		var ue *usageError
		switch {
		case err == nil:
			return exitOK
		case errors.Is(err, flag.ErrHelp):
			return exitOK
		case errors.As(err, &ue):
			if ue.msg != "" { // flag errors are printed by the flag package, with the usage
				fmt.Fprintf(stderr, "walnotify %s: %v\n", c.name, err)
			}
			return exitUsage
		case errors.Is(err, errReported):
			return exitProblem
		default:
			fmt.Fprintf(stderr, "walnotify %s: %v\n", c.name, err)
			return exitProblem
		}
	}
	fmt.Fprintf(stderr, "walnotify: unknown command %q (see walnotify help)\n", args[0])
	return exitUsage
}

// errReported means the command already printed its problems; exit 1 without more output.
var errReported = errors.New("problems reported")

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: walnotify <command> [-c walnotify.toml] [flags]")
	fmt.Fprintln(w)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "The config file is -c/--config FILE, else $WALNOTIFY_CONFIG, else walnotify.toml.")
	fmt.Fprintln(w, "Run walnotify <command> -h for the flags of a command.")
}

// loadConfig reads the config file. Its problems are printed to stderr, one per line with the
// file, line and place, and the command exits 1; warnings (an offline load) are printed too.
func loadConfig(env *cmdEnv, path string, opts ...rules.Option) (*rules.Config, error) {
	cfg, err := rules.Load(path, opts...)
	if err != nil {
		fmt.Fprintln(env.stderr, err)
		return nil, errReported
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintln(env.stderr, "warning:", w)
	}
	return cfg, nil
}

// newFlags returns a flag set for a subcommand with -c/--config registered.
func newFlags(env *cmdEnv, name string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("walnotify "+name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	def := env.getenv("WALNOTIFY_CONFIG")
	if def == "" {
		def = "walnotify.toml"
	}
	path := new(string)
	fs.StringVar(path, "c", def, "config file")
	fs.StringVar(path, "config", def, "config file")
	return fs, path
}

// parseFlags parses args, turning a flag error into a usage error and refusing stray arguments.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{} // already printed, with the usage
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	return nil
}
