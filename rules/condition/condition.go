package condition

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
	"golang.org/x/text/unicode/norm"

	"walnotify/frappedb"
	"walnotify/internal/numwords"
	"walnotify/internal/sitefmt"
)

// Condition is a compiled condition. It is safe for concurrent use.
type Condition struct {
	src     string
	program *vm.Program // nil for an empty condition, which is always true
	fields  []string
	before  bool // it reads the document's state before the change (UsesBefore)
	reads   bool // it reads the ERP's tables (Reads)
	// doctypes are the document types its reads name as text (Reads)
	doctypes []string
	filters  []filter  // a Filters condition (CompileFilters) when not nil
	pool     sync.Pool // of *machine, so an evaluation allocates little
}

// machine is what one evaluation needs besides the program; each is used by one goroutine at
// a time.
type machine struct {
	vm   vm.VM
	eval evaluation
	env  map[string]any
}

// Compile compiles an admin's condition, once, when the configuration loads. An empty or blank
// condition is always true. A mistake, or a construct that conditions do not support, is an
// *Error pointing into src.
func Compile(src string) (*Condition, error) {
	c := &Condition{src: src}
	tree, err := parse(src)
	if normal := norm.NFKC.String(src); normal != src {
		// The ERP's safe_eval reads an expression NFKC-normalised: "Ｏｐｅｎ" is "Open",
		// "m²" is "m2" (Dokos' statements run as they are written).
		if t, nerr := parse(normal); nerr == nil {
			if _, isBlock := t.(*blockExpr); !isBlock {
				src, tree, err = normal, t, nil
			}
		}
	}
	if err != nil {
		return nil, err.locate(src)
	}
	if tree == nil {
		return c, nil
	}
	t := &translator{fields: map[string]bool{}}
	var root ast.Node
	if b, ok := tree.(*blockExpr); ok {
		root, err = t.block(b)
	} else {
		root, err = t.cond(tree)
	}
	if err != nil {
		return nil, err.locate(src)
	}
	program, cerr := compileTree(root, src)
	if cerr != nil {
		return nil, fmt.Errorf("compile %q: %w", src, cerr)
	}
	c.program = program
	c.fields = slices.Sorted(maps.Keys(t.fields))
	c.before = t.before
	c.reads, c.doctypes = t.reads, slices.Compact(slices.Sorted(slices.Values(t.doctypes)))
	return c, nil
}

// Reads reports whether the condition reads the ERP's tables (frappe.db.get_value and its
// kin), and the document types it names in those reads as text, sorted (the condition's own
// list: not to be changed); one it computes (frappe.db.get_value(doc.reference_doctype, ...))
// is not among them. The pipeline asks for each change a notification listens to.
func (c *Condition) Reads() (doctypes []string, reads bool) {
	if c == nil {
		return nil, false
	}
	return c.doctypes, c.reads
}

// UsesBefore reports whether the condition reads the document's state before the change
// (doc.has_value_changed, doc.get_doc_before_save), which EvalChange then needs.
func (c *Condition) UsesBefore() bool { return c != nil && c.before }

// Source returns the condition as the admin wrote it.
func (c *Condition) Source() string { return c.src }

// Fields returns the sorted, distinct fields of the row that the condition reads as doc.x,
// doc.get("x") or doc["x"], so a typo can be caught against the table's columns.
func (c *Condition) Fields() []string { return slices.Clone(c.fields) }

// Eval evaluates the condition against a row (column name to value, plus "doctype"), with now
// in the site's time zone, as for a document that has no state before (a new one, or one read
// from the database): see EvalChange. The result is the truth of the condition's value, as
// Python's. A run-time error (comparing text with a number, calling a method of None...) is an
// *Error that names the problem and its position.
func (c *Condition) Eval(doc map[string]any, now time.Time) (bool, error) {
	return c.EvalChange(doc, nil, now)
}

// EvalChange is Eval for a change of a document: before is its row before the change (nil for
// an insert), which doc.has_value_changed(field) and doc.get_doc_before_save() read as the
// ERP's Document methods do.
func (c *Condition) EvalChange(doc, before map[string]any, now time.Time) (bool, error) {
	return c.Evaluate(Input{Doc: doc, Before: before, Now: now})
}

// Input is what one evaluation sees besides the condition.
type Input struct {
	Doc    map[string]any // the row: column name to value, plus "doctype"
	Before map[string]any // the row before the change; nil for a new document or one read
	Now    time.Time      // in the site's time zone, for nowdate()
	// WeekStart is the day weeks start on, for get_first_day_of_week: System Settings'
	// first_day_of_the_week. The zero value is Sunday, the ERP's default.
	WeekStart time.Weekday
	// Words is the site's language, default currency, number format and Currency records, for
	// in_words and money_in_words.
	Words numwords.Site
	// Formats are the site's URL, language, number, date and time formats and currency
	// precision, for fmt_money, formatdate, format_datetime, global_date_format and the
	// site's addresses, as templates read them (render.Site.Formats).
	Formats sitefmt.Site
	// Lookup reads the ERP's tables for frappe.db.get_value and its kin, within Limits (zero
	// fields take frappedb.DefaultLimits); nil makes those calls fail.
	Lookup frappedb.Lookup
	Limits frappedb.Limits
}

// Evaluate is EvalChange with the ERP's tables at hand: see Input.
func (c *Condition) Evaluate(in Input) (bool, error) {
	if c.filters != nil {
		return c.evalFilters(in.Doc), nil
	}
	if c.program == nil {
		return true, nil
	}
	m, _ := c.pool.Get().(*machine)
	if m == nil {
		m = &machine{}
		m.env = map[string]any{"$now": &m.eval}
	}
	m.eval.now, m.eval.weekStart, m.eval.words, m.eval.formats, m.eval.doc, m.eval.before = in.Now, in.WeekStart, in.Words, in.Formats, in.Doc, in.Before
	if c.reads {
		m.eval.lookup, m.eval.limits = in.Lookup, in.Limits
	}
	m.env["doc"] = in.Doc
	out, err := m.vm.Run(c.program, m.env)
	m.env["doc"] = nil
	m.eval.doc, m.eval.before = nil, nil
	if c.reads {
		m.eval.lookup, m.eval.db = nil, nil
	}
	c.pool.Put(m)
	if err != nil {
		return false, c.runtimeError(err)
	}
	if b, ok := out.(bool); ok {
		return b, nil
	}
	return truthy(out), nil
}

func (c *Condition) runtimeError(err error) error {
	var fe *file.Error
	if !errors.As(err, &fe) {
		return err
	}
	msg := fe.Message
	if fe.Prev != nil {
		msg = fe.Prev.Error()
	}
	return (&Error{pos: fe.From, Msg: msg, err: fe.Prev}).locate(c.src)
}

// Error is a mistake in a condition, found when it compiles or when it runs, with its place in
// the admin's original text.
type Error struct {
	Line, Column int    // 1-based; Column counts characters
	Msg          string // what is wrong, e.g. `unexpected token ")"`
	Snippet      string // the line of the condition, then a caret under Column
	pos          int    // character offset into the condition
	err          error  // the cause of a run-time error, if any
}

func (e *Error) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// Unwrap returns the cause of a run-time error: errors.Is(err, ErrBudget) holds for a
// condition stopped by a budget.
func (e *Error) Unwrap() error { return e.err }

// locate fills in Line, Column and Snippet for the error's offset in src.
func (e *Error) locate(src string) *Error {
	runes := []rune(src)
	pos := min(max(e.pos, 0), len(runes))
	lineStart := 0
	e.Line = 1
	for i, r := range runes[:pos] {
		if r == '\n' {
			e.Line++
			lineStart = i + 1
		}
	}
	e.Column = pos - lineStart + 1
	lineEnd := lineStart
	for lineEnd < len(runes) && runes[lineEnd] != '\n' {
		lineEnd++
	}
	line := runes[lineStart:lineEnd]
	var caret strings.Builder
	for _, r := range line[:pos-lineStart] {
		if r == '\t' {
			caret.WriteRune('\t')
		} else {
			caret.WriteRune(' ')
		}
	}
	caret.WriteRune('^')
	e.Snippet = strings.TrimRight(string(line), "\r") + "\n" + caret.String()
	return e
}
