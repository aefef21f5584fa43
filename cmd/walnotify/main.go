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
	"strings"
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
	name     string
	summary  string // one sentence
	examples []string
	run      func(ctx context.Context, env *cmdEnv, args []string) error
}

// cmdEnv is what every subcommand gets: its output streams and how to find the config.
type cmdEnv struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

func commands() []command {
	return []command{
		{"run", "The daemon: stream, evaluate, enqueue, deliver, write back; SIGHUP reloads the rules.", []string{
			"walnotify run -c /etc/walnotify/walnotify.toml",
			"kill -HUP $(pidof walnotify)   # reload the rules; a bad file is refused, the old rules keep running",
		}, cmdRun},
		{"check", "Validate the config offline; --db also connects as the role and checks every prerequisite.", []string{
			"walnotify check -c walnotify.toml",
			"walnotify check --db -c walnotify.toml",
		}, cmdCheck},
		{"setup", "Print the SQL a DBA runs (settings, role, grants, publication, replica identity, slot); --apply runs it.", []string{
			"walnotify setup -c walnotify.toml > setup.sql",
			"walnotify setup --apply --admin-dsn postgres://postgres@db/erp -c walnotify.toml",
		}, cmdSetup},
		{"teardown", "Print the SQL that removes what setup made; --apply runs it.", []string{
			"walnotify teardown -c walnotify.toml",
			"walnotify teardown --apply --admin-dsn postgres://postgres@db/erp -c walnotify.toml",
		}, cmdTeardown},
		{"test", "Show what a notification does for a document: events, condition, message, payload; --send delivers it.", []string{
			`walnotify test --notification "New urgent ticket" --doc ISS-2025-00017`,
			`walnotify test --notification "Ticket status changed" --doc-json row.json --old-json before.json --json`,
		}, cmdTest},
		{"import", "Print the ERP's Notification, webhook URL and Webhook records as a walnotify config (TOML).", []string{
			"walnotify import -c walnotify.toml > imported.toml",
			"walnotify import --dsn postgres://erp@db/erp --site-url https://erp.example.com > walnotify.toml",
		}, cmdImport},
		{"daily", "Run the Days Before / Days After pass for a date once, remembering what it sent.", []string{
			"walnotify daily --dry-run",
			"walnotify daily --date 2026-12-01",
		}, cmdDaily},
		{"status", "Slot lag, open gaps, outbox depth per webhook, dead deliveries.", []string{
			"walnotify status",
			"walnotify status --json",
			"walnotify status --ack-gap   # after reviewing a gap",
		}, cmdStatus},
		{"replay", "Queue dead deliveries again, after the URL or the message is fixed.", []string{
			"walnotify replay --webhook support --dry-run",
			"walnotify replay --webhook support --since 2026-11-29",
			"walnotify replay --id 1042,1043 --rerender",
		}, cmdReplay},
		{"purge", "Delete finished (delivered, dead) deliveries older than --older-than.", []string{
			"walnotify purge",
			"walnotify purge --older-than 2d",
		}, cmdPurge},
		{"tail", "Print the decoded change stream as JSON lines, through a temporary slot.", []string{
			"walnotify tail",
			`walnotify tail --table Issue --table "Sales Invoice"`,
		}, cmdTail},
		{"demo", "A self-contained demonstration on a throwaway PostgreSQL: no configuration needed.", []string{
			"walnotify demo",
			"walnotify demo --keep",
		}, cmdDemo},
		{"version", "Print the version, commit and Go version.", []string{"walnotify version", "walnotify --version"}, cmdVersion},
	}
}

// usageError is bad usage: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	env := &cmdEnv{stdout: stdout, stderr: stderr, getenv: os.Getenv}
	switch {
	case len(args) == 0:
		printUsage(stderr)
		return exitUsage
	case args[0] == "-h" || args[0] == "--help" || args[0] == "help" && len(args) == 1:
		printUsage(stdout)
		return exitOK
	case args[0] == "help":
		if _, ok := lookup(args[1]); !ok {
			fmt.Fprintf(stderr, "walnotify help: unknown command %q (see walnotify help)\n", args[1])
			return exitUsage
		}
		args = []string{args[1], "-h"}
	case args[0] == "--version" || args[0] == "-version":
		args = []string{"version"}
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
	fmt.Fprintln(w, "walnotify help <command> (or walnotify <command> -h) shows its flags and examples.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, exitCodes)
}

// exitCodes is the exit status table, in the usage and in each command's help.
const exitCodes = `Exit status: 0 success; 1 a problem it reported (config errors, unmet prerequisites, a database
or webhook error); 2 bad usage (unknown command or flag, missing argument).`

// lookup finds a command by name.
func lookup(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
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

// newFlags returns a flag set for a subcommand with -c/--config registered, whose -h prints
// the command's usage line, sentence, examples and flags, each flag once.
func newFlags(env *cmdEnv, name string) (*flag.FlagSet, *string) {
	fs := newCommandFlags(env, name)
	def := env.getenv("WALNOTIFY_CONFIG")
	if def == "" {
		def = "walnotify.toml"
	}
	path := new(string)
	fs.StringVar(path, "c", def, "config file")
	fs.StringVar(path, "config", def, "config file")
	return fs, path
}

// newCommandFlags returns a flag set for a subcommand that reads no config file.
func newCommandFlags(env *cmdEnv, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("walnotify "+name, flag.ContinueOnError)
	errOut := &flagErrors{w: env.stderr}
	fs.SetOutput(errOut)
	fs.Usage = func() {
		// -h asked for help: stdout. After a flag error (already written): stderr.
		w := env.stdout
		if errOut.wrote {
			w = env.stderr
		}
		printCommandHelp(w, name, fs)
	}
	return fs
}

// flagErrors is the flag package's output: it notes whether an error was written.
type flagErrors struct {
	w     io.Writer
	wrote bool
}

func (f *flagErrors) Write(p []byte) (int, error) {
	f.wrote = true
	return f.w.Write(p)
}

// printCommandHelp prints one command's help.
func printCommandHelp(w io.Writer, name string, fs *flag.FlagSet) {
	c, _ := lookup(name)
	fmt.Fprintf(w, "usage: walnotify %s [flags]\n\n%s\n", name, c.summary)
	if len(c.examples) > 0 {
		fmt.Fprintln(w, "\nExamples:")
		for _, e := range c.examples {
			fmt.Fprintln(w, "  "+e)
		}
	}
	fmt.Fprintln(w, "\nFlags:")
	if c := fs.Lookup("c"); c != nil {
		fmt.Fprintf(w, "  -c, --config FILE\n    \tconfig file: -c, else $WALNOTIFY_CONFIG, else walnotify.toml (now %q)\n", c.DefValue)
	}
	fs.VisitAll(func(f *flag.Flag) {
		if f.Name == "c" || f.Name == "config" {
			return
		}
		kind, usage := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if kind != "" {
			line += " " + kind
		}
		fmt.Fprintf(w, "%s\n    \t%s", line, strings.ReplaceAll(usage, "\n", "\n    \t"))
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			fmt.Fprintf(w, " (default %q)", f.DefValue)
		}
		fmt.Fprintln(w)
	})
	fmt.Fprintln(w)
	fmt.Fprintln(w, exitCodes)
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
