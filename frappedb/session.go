package frappedb

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrNoLookup is what a read fails with where no database is at hand.
var ErrNoLookup = errors.New("frappe.db is not available here: no database")

// Limits bound one Session's reads.
type Limits struct {
	Reads int           // most reads; a read repeated is answered from the first
	Rows  int           // most rows one read may give
	Time  time.Duration // how long all of them may take, when Config gives no Deadline
}

// DefaultLimits are what a zero field of Limits takes: a message or a condition that reads a
// few related records stays far below them.
var DefaultLimits = Limits{Reads: 20, Rows: 1000, Time: 5 * time.Second}

// Session makes the reads of one rendering or one condition's evaluation, with a Lookup: each
// answer is kept for the rest of the session, and the reads are bounded by Limits and a
// deadline. It is used by one goroutine.
type Session struct {
	lookup   Lookup
	limits   Limits
	deadline time.Time
	user     string
	charge   func(items float64) error
	reads    int
	answers  map[string]any
}

// Config is what a Session reads with and within.
type Config struct {
	Lookup   Lookup    // nil: every read fails with ErrNoLookup
	Limits   Limits    // zero fields take DefaultLimits
	Deadline time.Time // the end of every read; zero: Limits.Time from NewSession
	// User stands for the ERP's session user, who made the change (get_fullname without a
	// user): the document's modified_by.
	User string
	// Charge, when set, is told how many values each read brings, against the caller's own
	// budget; an error from it fails the read.
	Charge func(items float64) error
}

// NewSession returns a session with c.
func NewSession(c Config) *Session {
	l := c.Limits
	if l.Reads <= 0 {
		l.Reads = DefaultLimits.Reads
	}
	if l.Rows <= 0 {
		l.Rows = DefaultLimits.Rows
	}
	if l.Time <= 0 {
		l.Time = DefaultLimits.Time
	}
	if c.Deadline.IsZero() {
		c.Deadline = time.Now().Add(l.Time)
	}
	return &Session{lookup: c.Lookup, limits: l, deadline: c.Deadline, user: c.User, charge: c.Charge}
}

// once makes one of a session's reads: the answer kept under key for the rest of the session,
// the read counted against Limits.Reads, run within the deadline, and its values charged.
func once[T any](s *Session, key string, read func(ctx context.Context, l Lookup) (T, int, error)) (T, error) {
	var zero T
	if s.lookup == nil {
		return zero, ErrNoLookup
	}
	if v, ok := s.answers[key]; ok {
		return v.(T), nil
	}
	s.reads++
	if s.reads > s.limits.Reads {
		return zero, fmt.Errorf("more than %d database reads", s.limits.Reads)
	}
	ctx, cancel := context.WithDeadline(context.Background(), s.deadline)
	defer cancel()
	v, items, err := read(ctx, s.lookup)
	if err != nil {
		return zero, err
	}
	if s.charge != nil {
		if err := s.charge(float64(items)); err != nil {
			return zero, err
		}
	}
	if s.answers == nil {
		s.answers = map[string]any{}
	}
	s.answers[key] = v
	return v, nil
}

// rows runs one query (see once), bounded by Limits.Rows.
func (s *Session) rows(q Query) ([]string, [][]any, error) {
	r, err := once(s, fmt.Sprintf("rows %#v", q), func(ctx context.Context, l Lookup) (result, int, error) {
		if q.Limit == 0 || q.Limit > s.limits.Rows {
			q.Limit = s.limits.Rows + 1
		}
		cols, rows, err := l.Rows(ctx, q)
		if err != nil {
			return result{}, 0, err
		}
		if len(rows) > s.limits.Rows {
			return result{}, 0, fmt.Errorf("more than %d rows of %s: give a limit (limit=, page_length=) or narrower filters", s.limits.Rows, q.Doctype)
		}
		return result{cols, rows}, len(rows) * max(len(cols), 1), nil
	})
	return r.columns, r.rows, err
}

// result is a query's answer.
type result struct {
	columns []string
	rows    [][]any
}

// single reads a single document type's fields (see once); ok is false when doctype is not a
// single one.
func (s *Session) single(doctype string) (map[string]any, bool, error) {
	fields, err := once(s, "single "+doctype, func(ctx context.Context, l Lookup) (map[string]any, int, error) {
		fields, ok, err := l.Single(ctx, doctype)
		if !ok {
			fields = nil
		}
		return fields, len(fields), err
	})
	return fields, fields != nil, err
}

// document reads a document with its child tables (see once); nil when there is none.
func (s *Session) document(doctype, name string) (map[string]any, error) {
	return once(s, "doc "+doctype+"\x00"+name, func(ctx context.Context, l Lookup) (map[string]any, int, error) {
		doc, err := l.Document(ctx, doctype, name)
		if err != nil {
			return nil, 0, err
		}
		size := len(doc)
		for _, v := range doc {
			if rows, ok := v.([]any); ok {
				size += len(rows)
			}
		}
		return doc, size, nil
	})
}
