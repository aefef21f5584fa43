package cdc

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestNewStreamValidatesConfig(t *testing.T) {
	ok := Config{DSN: "postgres://u@127.0.0.1/erp", Slot: "walnotify", Publication: "walnotify"}
	tests := []struct {
		name  string
		edit  func(*Config)
		wants []string // substrings of the error; none means valid
	}{
		{"valid", func(*Config) {}, nil},
		{"temporary without a slot name", func(c *Config) { c.Temporary, c.Slot = true, "" }, nil},
		{"slot with capitals", func(c *Config) { c.Slot = "Walnotify" }, []string{`slot "Walnotify"`}},
		{"slot with a dash", func(c *Config) { c.Slot = "wal-notify" }, []string{`slot "wal-notify"`}},
		{"slot too long", func(c *Config) { c.Slot = strings.Repeat("a", 64) }, []string{"slot"}},
		{"no slot", func(c *Config) { c.Slot = "" }, []string{`slot ""`}},
		{"no publication", func(c *Config) { c.Publication = "" }, []string{`publication ""`}},
		{"bad dsn", func(c *Config) { c.DSN = "postgres://u@127.0.0.1:notaport/erp" }, []string{"dsn"}},
		{"backoff bounds reversed", func(c *Config) { c.MinBackoff, c.MaxBackoff = time.Minute, time.Second }, []string{"backoff"}},
		{"every problem at once", func(c *Config) { c.Slot, c.Publication = "X", "" }, []string{`slot "X"`, "publication"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ok
			tt.edit(&cfg)
			s, err := NewStream(cfg)
			if len(tt.wants) == 0 {
				if err != nil || s == nil {
					t.Fatalf("NewStream: %v", err)
				}
				if s.cfg.StatusInterval != time.Second || s.cfg.MinBackoff != 500*time.Millisecond || s.cfg.MaxBackoff != 30*time.Second {
					t.Errorf("defaults: %+v", s.cfg)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.wants {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestNewStreamFixesTextSettings(t *testing.T) {
	s, err := NewStream(Config{DSN: "postgres://u@127.0.0.1/erp?application_name=mine", Slot: "s", Publication: "p"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"replication": "database", "DateStyle": "ISO", "IntervalStyle": "postgres", "TimeZone": "UTC",
		"extra_float_digits": "3", "standard_conforming_strings": "on", "application_name": "mine"}
	if got := s.connCfg.RuntimeParams; !reflect.DeepEqual(got, want) {
		t.Errorf("runtime params %v, want %v", got, want)
	}
}

func TestPluginArgs(t *testing.T) {
	tests := []struct {
		name  string
		major int
		pub   string
		want  []string
	}{
		{"protocol 2 and messages from 14", 15, "walnotify", []string{"proto_version '2'", `publication_names '"walnotify"'`, "messages 'true'"}},
		{"protocol 1 without messages before 14", 13, "walnotify", []string{"proto_version '1'", `publication_names '"walnotify"'`}},
		{"mixed case, space and quotes are quoted", 16, `My "Pub" it's`, []string{"proto_version '2'", `publication_names '"My ""Pub"" it''s"'`, "messages 'true'"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pluginArgs(tt.major, tt.pub); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("pluginArgs = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestBackoffDoublesWithJitterUpToTheCap(t *testing.T) {
	s := &Stream{cfg: Config{MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second}}
	for n, ceiling := range []time.Duration{100, 200, 400, 800, 1000, 1000} {
		ceiling *= time.Millisecond
		seen := map[time.Duration]bool{}
		for range 50 {
			d := s.backoff(n)
			if d < ceiling/2 || d > ceiling {
				t.Fatalf("attempt %d: %s outside [%s, %s]", n, d, ceiling/2, ceiling)
			}
			seen[d] = true
		}
		if len(seen) < 2 {
			t.Errorf("attempt %d: no jitter", n)
		}
	}
	if d := s.backoff(1000); d > time.Second {
		t.Errorf("attempt 1000: %s beyond the cap", d)
	}
}

func TestErrorClassification(t *testing.T) {
	pg := func(code string) error { return &pgconn.PgError{Code: code} }
	tests := []struct {
		name            string
		err             error
		permanent, busy bool
	}{
		{"connection refused is retried", errors.New("dial tcp: connection refused"), false, false},
		{"server shutting down is retried", pg("57P01"), false, false},
		{"slot held by another instance is retried quietly", pg("55006"), false, true},
		{"wrong password stops", pg("28P01"), true, false},
		{"missing privilege stops", pg("42501"), true, false},
		{"publication dropped while streaming stops", pg("42704"), true, false},
		{"missing publication stops", permanent(ErrNoPublication), true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := isPermanent(tt.err); got != tt.permanent {
				t.Errorf("isPermanent = %v", got)
			}
			if got := slotBusy(tt.err); got != tt.busy {
				t.Errorf("slotBusy = %v", got)
			}
		})
	}
}
