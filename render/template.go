package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/nikolalohinski/gonja/v2/config"
	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/loaders"
	"github.com/nikolalohinski/gonja/v2/nodes"

	"walnotify/frappedb"
	"walnotify/internal/currency"
)

// Limits of one rendering; past them Render stops with an error instead of spinning or growing.
const (
	// MaxOutput is the largest text a template may produce (also counting text that macros and
	// {% set %} blocks build).
	MaxOutput = 1 << 20
	// MaxRange is the largest number of items range() may produce.
	MaxRange = 10_000
	// MaxSteps is the largest number of loop iterations plus macro calls in one rendering.
	MaxSteps = 100_000
	// MaxDepth is the deepest nesting of loops and macro calls (recursion included).
	MaxDepth = 100
)

// Site is what templates know about the ERP site.
type Site struct {
	URL      string         // base URL of document links, e.g. https://erp.example.com
	Location *time.Location // nowdate(), today(), now_datetime(); nil means UTC
	Language string         // the site's language: month names, _() (French: "fr", "fr-FR", ...)

	// The site's formats, from its System Settings (erpdb.SystemSettings) or [site]; empty
	// or 0 is the ERP's default.
	NumberFormat      string // fmt_money's default format: "#,###.##", "# ###,##", ...
	DateFormat        string // formatdate's default format: "dd-mm-yyyy", "dd/mm/yyyy", ...
	TimeFormat        string // format_datetime's time: "HH:mm:ss", "HH:mm"
	CurrencyPrecision int    // fmt_money's default decimals
	FloatPrecision    int    // get_formatted's decimals of a number without currency (default 3)
	Currency          string // the site's default currency (format_value's Currency), "EUR"
	// Currencies are the site's Currency records, by name, for money_in_words' fraction and
	// number format; a currency without one takes the ERP's fallbacks.
	Currencies map[string]currency.Record
	// WeekStart is the day weeks start on (get_first_day_of_week), System Settings'
	// first_day_of_the_week; the zero value is Sunday, the ERP's default.
	WeekStart time.Weekday
}

// Data is what one rendering sees.
type Data struct {
	// Doc is the row: column -> plain Go value (nil, int64, float64, bool, string; dates as
	// "YYYY-MM-DD", timestamps as "YYYY-MM-DD HH:MM:SS[.ffffff]"; map[string]any and []any for
	// JSON; child tables as []any of map[string]any), plus "doctype".
	Doc    map[string]any
	Site   Site
	Now    time.Time // the current time, for nowdate(), today(), now_datetime()
	Format Format    // how document values are escaped and links written
	Limits Limits    // budgets of the rendering; zero fields take DefaultLimits
	// Lookup reads the ERP's database for frappe.db.get_value, get_all and their kin; nil
	// makes them fail the rendering.
	Lookup frappedb.Lookup
	// Before is the document's row before the change, for doc.has_value_changed and
	// doc.get_doc_before_save; nil for a new document (or one read from the database).
	Before map[string]any
	// Fields are the document types' fields (the ERP's DocField), for doc.get_formatted; a
	// document type without them has its values formatted by their own type.
	Fields Fields
}

// Template is a compiled subject or message; it is safe for concurrent use.
type Template struct {
	tpl *exec.Template // nil when the template is literal text
	src string         // the literal text, or the normalized source of tpl
	// tested are the expressions of the template's is defined tests (environment.tested).
	tested []nodes.Node
	// byName: the template reads doc only as doc.x or doc["x"], the fields; a rendering then
	// converts only those fields of the document, not all of its columns.
	byName bool
	fields []string
	// reads and doctypes: see Reads; before: see UsesBefore.
	reads    bool
	doctypes []string
	before   bool
	// outputs are the output buffers of finished renderings, for the next ones.
	outputs sync.Pool
	// What a rendering runs with, as gonja's Template.Execute would set it up.
	env    *exec.Environment
	config *config.Config
	loader loaders.Loader
	self   map[string]func() string // gonja's "self": the template's blocks, none
}

// Error is a problem in a template, at a line and column of its text when they are known
// (Line is 0 otherwise).
type Error struct {
	Line, Column int
	Msg          string
	err          error
	stmt         string // the source of the statement that failed, when known
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return e.Msg
	}
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// Unwrap returns the engine's error behind e, if any.
func (e *Error) Unwrap() error { return e.err }

// Compile parses a message template and checks every filter, test, function and tag it names,
// so that a mistake is reported at load with its line and column rather than when a document
// arrives. Problems that depend on the document are reported by Render.
func Compile(src string) (t *Template, err error) {
	defer func() {
		if r := recover(); r != nil {
			t, err = nil, &Error{Msg: fmt.Sprintf("template engine failure: %v", r)}
		}
	}()
	src = normalized(src)
	if err := lexerTraps(src); err != nil {
		return nil, err
	}
	env := newEnvironment()
	const id = "/template"
	src = conditionals(bigIntegers(unparsed(spacedNewlines(src))))
	cfg, loader := config.New(), loaders.MustNewMemoryLoader(map[string]string{id: src})
	tpl, err := exec.NewTemplate(id, cfg, loader, env.Environment)
	if err != nil {
		return nil, inCharacters(src, parseError(src, err))
	}
	if err := prepare(src, tpl.Root(), env); err != nil {
		return nil, inCharacters(src, err)
	}
	t = &Template{tpl: tpl, src: src, tested: env.tested, env: env.Environment, config: cfg, loader: loader, self: map[string]func() string{}}
	t.fields, t.byName = docUse(tpl.Root(), env.tested)
	t.reads, t.doctypes = env.reads, slices.Compact(slices.Sorted(slices.Values(env.doctypes)))
	t.before = env.before
	return t, nil
}

// Reads reports whether the template reads the ERP's database (frappe.db.get_value, get_all
// and their kin), and the document types its reads name as text (a read of a computed type
// is not among them).
func (t *Template) Reads() (doctypes []string, reads bool) { return t.doctypes, t.reads }

// UsesBefore reports whether the template calls a method that reads the document's state
// before the change (doc.has_value_changed, doc.get_doc_before_save), which Data.Before gives.
func (t *Template) UsesBefore() bool { return t != nil && t.before }

// lexerTraps refuses what gonja's lexer cannot read and would loop on or fail on, before it
// reads anything: in a tag's code (outside its strings), a number and a dot followed by a
// character beyond ASCII (`{{ 0.é }}`), whose bytes it counts wrongly, so that it could never
// finish (the Jinja2 of the ERP reads no number there either). Found by FuzzCompileAndRender.
func lexerTraps(src string) error {
	inTag, quote := false, byte(0)
	for i := 0; i+1 < len(src); i++ {
		c := src[i]
		switch {
		case !inTag:
			inTag = c == '{' && (src[i+1] == '{' || src[i+1] == '%')
			if inTag {
				i++
			}
		case quoted(src, &i, &quote):
		case (c == '}' || c == '%') && src[i+1] == '}':
			inTag = false
			i++
		case c >= '0' && c <= '9' && src[i+1] == '.' && i+2 < len(src) && src[i+2] >= 0x80:
			start := strings.LastIndexByte(src[:i], '\n') + 1
			return inCharacters(src, &Error{Line: strings.Count(src[:i], "\n") + 1, Column: i - start + 1,
				Msg: "a number followed by a dot and a character beyond ASCII cannot be read: put a space or a name between them"})
		}
	}
	return nil
}

// normalized is the template text as gonja reads it: positions are offsets into it.
func normalized(src string) string {
	return strings.ReplaceAll(strings.ReplaceAll(src, "\r\n", "\n"), "\r", "\n")
}

// inCharacters turns the columns of err's *Errors from bytes (gonja's) into characters.
func inCharacters(src string, err error) error {
	var errs []error
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		errs = joined.Unwrap()
	} else {
		errs = []error{err}
	}
	lines := strings.Split(src, "\n")
	for _, err := range errs {
		if e, ok := err.(*Error); ok && e.Line > 0 && e.Line <= len(lines) {
			line := lines[e.Line-1]
			e.Column = utf8.RuneCountInString(line[:min(max(e.Column-1, 0), len(line))]) + 1
		}
	}
	return err
}

// CompileSubject compiles a subject the way the ERP treats it: rendered as a template only
// when it contains "{", used as literal text otherwise.
func CompileSubject(src string) (*Template, error) {
	if !strings.Contains(src, "{") {
		return &Template{src: src}, nil
	}
	return Compile(src)
}

// Render renders the template for one document. Its errors are *Error, with the position of
// the expression or tag that failed.
func (t *Template) Render(d Data) (out string, err error) {
	if t.tpl == nil {
		return t.src, nil
	}
	defer func() {
		if r := recover(); r != nil {
			out, err = "", &Error{Msg: fmt.Sprintf("template engine failure: %v", r)}
		}
	}()
	st := newState(d)
	var doc any
	if t.byName {
		fields := make(docFields, len(t.fields))
		for _, f := range t.fields {
			if v, ok := d.Doc[f]; ok {
				fields[d.Format.Escape(f)] = templateValue(v, d.Format)
			}
		}
		doc = fields
	} else if doc, _ = templateValue(d.Doc, d.Format).(map[string]any); doc == nil {
		doc = map[string]any{}
	}
	st.doc, st.rawDoc = doc, d.Doc
	w := t.writer(st)
	defer t.release(w)
	ctx := t.env.Context.Inherit()
	ctx.Set("doc", doc)
	ctx.Set("comments", comments(d.Doc, d.Format))
	ctx.Set(stateKey, st)
	if err := t.execute(w, ctx); err != nil {
		err = renderError(err)
		if st.exceeded != nil {
			err = budgetExceeded(err, st.exceeded)
		}
		return "", inCharacters(t.src, err)
	}
	return w.b.String(), nil
}

// execute is gonja's Template.Execute with ctx, a scope below the template's environment,
// without what Execute copies for nothing: the data into a new scope, the configuration
// (templates cannot change it), the blocks for "self" (templates cannot have any).
func (t *Template) execute(w io.Writer, ctx *exec.Context) error {
	ctx.Set("self", t.self)
	env := *t.env
	env.Context = ctx
	r := &exec.Renderer{Config: t.config, Environment: &env, Loader: t.loader, Template: t.tpl, RootNode: t.tpl.Root(), Output: w}
	return r.Execute()
}

// maxPooled is the largest output buffer kept for the next rendering.
const maxPooled = 64 << 10

// writer is an output for one rendering, with the buffer of an earlier one when there is.
func (t *Template) writer(st *state) *limitedWriter {
	w, _ := t.outputs.Get().(*limitedWriter)
	if w == nil {
		w = &limitedWriter{max: MaxOutput}
	}
	w.st = st
	return w
}

// release keeps w's buffer for a next rendering.
func (t *Template) release(w *limitedWriter) {
	if w.b.Cap() > maxPooled {
		return
	}
	w.b.Reset()
	w.st = nil
	t.outputs.Put(w)
}

// docFields is doc, or a loop's dict item, where the template reads it only as doc.x and
// doc["x"] (Template.byName, forLoop.byName), so that nothing else sees its type. gonja reads
// an attribute of a plain map by reflection, trying a Go method first, in five allocations; it
// asks a docFields directly.
type docFields map[string]any

// GetAttribute is doc.name (exec.AttributeGetter).
func (d docFields) GetAttribute(name string) (*exec.Value, bool) {
	v, ok := d[name]
	if !ok {
		return exec.AsValue(nil), false
	}
	return exec.ToValue(v), true
}

// GetItem is doc["name"] (exec.ItemGetter); a key that is not a string fails as on any map.
func (d docFields) GetItem(key any) (*exec.Value, bool) {
	if name, ok := key.(string); ok {
		return d.GetAttribute(name)
	}
	return exec.AsValue(map[string]any(d)).GetItem(key)
}

// comments is the ERP's "comments" of a template: the document's _comments JSON (a list of
// {"comment", "by", "name"}, the newest last), or None when it has none.
func comments(doc map[string]any, f Format) any {
	var list []any
	switch x := doc["_comments"].(type) {
	case string:
		if json.Unmarshal([]byte(x), &list) != nil || len(list) == 0 {
			return nil
		}
	case []any:
		list = x
	}
	if len(list) == 0 {
		return nil
	}
	return templateValue(list, f)
}

// renderError reduces the engine's chain of wrapped messages to the positioned error that the
// template's statements raised.
func renderError(err error) error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Msg: hiddenCallText.ReplaceAllString(cause(err).Error(), ""), err: err}
}

// budgetExceeded is the error of a rendering stopped by a limit: where it stopped, and which
// limit, wrapping ErrBudget.
func budgetExceeded(err error, limit *budgetError) *Error {
	var e *Error
	if !errors.As(err, &e) {
		return &Error{Msg: limit.Error(), err: limit}
	}
	msg := limit.Error()
	if e.stmt != "" {
		msg = e.stmt + ": " + msg
	}
	return &Error{Line: e.Line, Column: e.Column, Msg: msg, err: limit, stmt: e.stmt}
}

var errOutputTooLarge = &budgetError{msg: fmt.Sprintf("output exceeds %d bytes", MaxOutput)}

// limitedWriter collects the output and refuses to grow past max bytes. It carries the
// rendering's state, so that the statements find it without searching the context.
type limitedWriter struct {
	b   bytes.Buffer
	max int
	st  *state
}

func (w *limitedWriter) state() *state { return w.st }

func (w *limitedWriter) Write(p []byte) (int, error) {
	if w.b.Len()+len(p) > w.max {
		return 0, &Error{Msg: errOutputTooLarge.Error(), err: errOutputTooLarge}
	}
	return w.b.Write(p)
}

func (w *limitedWriter) WriteString(s string) (int, error) {
	if w.b.Len()+len(s) > w.max {
		return 0, &Error{Msg: errOutputTooLarge.Error(), err: errOutputTooLarge}
	}
	return w.b.WriteString(s)
}

var _ io.StringWriter = (*limitedWriter)(nil)

// templateValue converts a document value for templates: strings (keys included) are escaped
// for the Format, floats become numbers (see number), maps and lists are
// copied.
func templateValue(v any, f Format) any {
	switch x := v.(type) {
	case string:
		if e := f.Escape(x); e != x {
			return e
		}
		return v // unchanged: keep the interface value, do not allocate a new one
	case float64:
		return number(x)
	case float32:
		return number(x)
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, item := range x {
			m[f.Escape(k)] = templateValue(item, f)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, item := range x {
			l[i] = templateValue(item, f)
		}
		return l
	}
	return v
}
