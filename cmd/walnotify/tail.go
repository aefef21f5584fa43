package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"strings"

	"github.com/jackc/pglogrepl"

	"walnotify/cdc"
	"walnotify/prereq"
	"walnotify/rules"
)

// tailLine is one row change as `walnotify tail` prints it (SPEC section 1).
type tailLine struct {
	LSN        string   `json:"lsn"`
	CommitLSN  string   `json:"commit_lsn"`
	Xid        uint32   `json:"xid"`
	CommitTime string   `json:"commit_time"`
	Schema     string   `json:"schema"`
	Table      string   `json:"table"`
	Op         string   `json:"op"`
	New        cdc.Row  `json:"new"`
	Old        cdc.Row  `json:"old"`
	Events     []string `json:"events"`
	Unchanged  []string `json:"unchanged,omitempty"`
}

func cmdTail(ctx context.Context, env *cmdEnv, args []string) error {
	fs, path := newFlags(env, "tail")
	var tables stringList
	fs.Var(&tables, "table", "only this table (repeatable; \"Issue\", \"tabIssue\" or \"schema.table\")")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(env, *path)
	if err != nil {
		return err
	}
	if len(tables) > 0 {
		pool, err := openPool(ctx, cfg)
		if err != nil {
			return err
		}
		for _, name := range tables {
			problem, err := prereq.Streams(ctx, pool, cfg, name)
			if err != nil {
				pool.Close()
				return err
			}
			if problem != "" {
				fmt.Fprintf(env.stderr, "walnotify tail: warning: %s\n", problem)
			}
		}
		pool.Close()
	}
	log := slog.New(slog.NewTextHandler(env.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	stream, err := cdc.NewStream(cdc.Config{
		DSN: cfg.Database.DSN.Reveal(), Publication: cfg.Database.Publication,
		Slot: cfg.Database.Slot + "_tail", Temporary: true, Logger: log,
	})
	if err != nil {
		return err
	}
	engine := rules.NewEngine(cfg)
	items := make(chan cdc.Item, 64)
	errc := make(chan error, 1)
	go func() { errc <- stream.Run(ctx, items); close(items) }()
	fmt.Fprintf(env.stderr, "walnotify tail: publication %q through a temporary slot; Ctrl-C to stop\n", cfg.Database.Publication)
	err = printTail(env.stdout, items, stream.Confirm, engine, cfg, tables)
	if rerr := <-errc; rerr != nil {
		return rerr
	}
	return err
}

// printTail writes one JSON line per row change and confirms each transaction once printed.
func printTail(w io.Writer, items <-chan cdc.Item, confirm func(pglogrepl.LSN), engine *rules.Engine, cfg *rules.Config, only []string) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for it := range items {
		switch it.Kind {
		case cdc.KindCommit:
			confirm(it.Tx.EndLSN)
		case cdc.KindChange:
			ch := it.Change
			if !tableSelected(ch, cfg, only) {
				continue
			}
			line := tailLine{
				LSN: ch.LSN.String(), CommitLSN: it.Tx.CommitLSN.String(), Xid: it.Tx.Xid,
				CommitTime: it.Tx.CommitTime.UTC().Format("2006-01-02 15:04:05.999999Z07:00"),
				Schema:     ch.Schema, Table: ch.Table, Op: ch.Op.String(),
				New: jsonRow(ch.New), Old: jsonRow(ch.Old), Events: []string{}, Unchanged: ch.Unchanged,
			}
			for _, r := range engine.Events(ch) {
				line.Events = append(line.Events, r.String())
			}
			if err := enc.Encode(line); err != nil {
				return err
			}
		}
	}
	return nil
}

// tableSelected applies --table: a DocType name, a table name, or schema.table.
func tableSelected(ch *cdc.Change, cfg *rules.Config, only []string) bool {
	if len(only) == 0 {
		return true
	}
	for _, t := range only {
		if t == ch.Table || t == ch.Schema+"."+ch.Table || cfg.TableName(t) == ch.Table {
			return true
		}
	}
	return false
}

// jsonRow replaces the float values JSON cannot hold (NaN, ±Inf) with their names.
func jsonRow(r cdc.Row) cdc.Row {
	if r == nil {
		return nil
	}
	var out cdc.Row
	for k, v := range r {
		if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
			if out == nil {
				out = make(cdc.Row, len(r))
				for k2, v2 := range r {
					out[k2] = v2
				}
			}
			out[k] = fmt.Sprint(f)
		}
	}
	if out == nil {
		return r
	}
	return out
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }
