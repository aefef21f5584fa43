package rules

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"walnotify/cdc"
	"walnotify/frappedb"
	"walnotify/render"
	"walnotify/rules/condition"
)

// Engine decides which notifications a row change fires. It is built once per configuration
// and is safe for concurrent use.
type Engine struct {
	cfg     *Config
	byTable map[cdc.Table]*tableRules
}

// tableRules are the enabled row-event notifications of one table.
type tableRules struct {
	doctype       string
	notifications []*Notification
	watched       []string // value_changed columns, deduplicated
	docWebhooks   []*DocumentWebhook
	before        bool // a rule reads the document's state before the change (Before)
}

// NewEngine indexes the enabled notifications of cfg by table.
func NewEngine(cfg *Config) *Engine {
	e := &Engine{cfg: cfg, byTable: map[cdc.Table]*tableRules{}}
	for i := range cfg.Notifications {
		n := &cfg.Notifications[i]
		if !n.IsEnabled() || !n.Event.Streamed() {
			continue
		}
		t := cdc.Table{Schema: cfg.Database.Schema, Name: cfg.TableName(n.DocumentType)}
		tr := e.byTable[t]
		if tr == nil {
			tr = &tableRules{doctype: n.DocumentType}
			e.byTable[t] = tr
		}
		tr.notifications = append(tr.notifications, n)
		tr.before = tr.before || n.usesBefore()
		if n.Event == ValueChange && !contains(tr.watched, n.ValueChanged) {
			tr.watched = append(tr.watched, n.ValueChanged)
		}
	}
	for i := range cfg.DocumentWebhooks {
		d := &cfg.DocumentWebhooks[i]
		if !d.IsEnabled() {
			continue
		}
		t := cdc.Table{Schema: cfg.Database.Schema, Name: cfg.TableName(d.WebhookDoctype)}
		tr := e.byTable[t]
		if tr == nil {
			tr = &tableRules{doctype: d.WebhookDoctype}
			e.byTable[t] = tr
		}
		tr.docWebhooks = append(tr.docWebhooks, d)
		tr.before = tr.before || d.usesBefore()
	}
	return e
}

// DocWebhooks returns, in configuration order, the enabled document webhooks whose
// webhook_docevent the change raises, each with that event. Their conditions are not yet
// evaluated.
func (e *Engine) DocWebhooks(ch *cdc.Change) []*DocumentWebhook {
	tr := e.byTable[cdc.Table{Schema: ch.Schema, Name: ch.Table}]
	if tr == nil || len(tr.docWebhooks) == 0 {
		return nil
	}
	raised := DocEvents(ch)
	var out []*DocumentWebhook
	for _, d := range tr.docWebhooks {
		if slices.Contains(raised, d.Event) {
			out = append(out, d)
		}
	}
	return out
}

// Events returns the events a change raises for the columns the rules watch on its table.
func (e *Engine) Events(ch *cdc.Change) []Raised {
	var watched []string
	if tr := e.byTable[cdc.Table{Schema: ch.Schema, Name: ch.Table}]; tr != nil {
		watched = tr.watched
	}
	return Classify(ch, watched)
}

// Doc returns the document a change is about, as conditions and templates see it: the new row
// (the old one for a delete) plus "doctype". It is a copy; the caller may add child tables.
func (e *Engine) Doc(ch *cdc.Change) map[string]any {
	row := ch.New
	if ch.Op == cdc.OpDelete {
		row = ch.Old
	}
	doc := maps.Clone(map[string]any(row)) // copies the table whole: half the time of a loop of inserts
	if doc == nil {
		doc = map[string]any{}
	}
	if tr := e.byTable[cdc.Table{Schema: ch.Schema, Name: ch.Table}]; tr != nil {
		doc["doctype"] = tr.doctype
	}
	return doc
}

// Before returns the document's row before an update, as Doc gives the document (plus
// "doctype"), for doc.has_value_changed and doc.get_doc_before_save; nil for an insert or a
// delete, for an update whose old row the server did not send (a table without REPLICA
// IDENTITY FULL, which setup sets for every rule event but New), and when no rule of the table
// reads it: the copy is then not made.
func (e *Engine) Before(ch *cdc.Change) map[string]any {
	tr := e.byTable[cdc.Table{Schema: ch.Schema, Name: ch.Table}]
	if tr == nil || !tr.before || ch.Op != cdc.OpUpdate || len(ch.Old) == 0 {
		return nil
	}
	before := maps.Clone(map[string]any(ch.Old))
	before["doctype"] = tr.doctype
	return before
}

// Candidates returns the events a change raises and, in configuration order, the enabled
// notifications listening to one of them: those whose condition decides. No candidates means
// there is nothing to do for the change, so its document need not even be built.
func (e *Engine) Candidates(ch *cdc.Change) ([]Raised, []*Notification) {
	tr := e.byTable[cdc.Table{Schema: ch.Schema, Name: ch.Table}]
	if tr == nil {
		return nil, nil
	}
	raised := Classify(ch, tr.watched)
	var out []*Notification
	for _, n := range tr.notifications {
		if n.FiresOn(raised) {
			out = append(out, n)
		}
	}
	return raised, out
}

// EvalError is a condition that failed at run time on one document. The notification is
// skipped for that document; everything else goes on.
type EvalError struct {
	Notification *Notification
	DocName      string
	Err          error
}

func (e *EvalError) Error() string {
	return fmt.Sprintf("notification %q: %s %q: condition: %v", e.Notification.Name, e.Notification.DocumentType, e.DocName, e.Err)
}

func (e *EvalError) Unwrap() error { return e.Err }

// Match returns the candidates whose condition holds on doc (as built by Doc, possibly
// completed by the caller), with before the row before the change (Before), in order, each
// once. now is converted to the site's time zone for nowdate(). lookup reads the ERP's tables
// for the conditions that do (nil makes their reads fail), within delivery's ReadLimits.
func (e *Engine) Match(candidates []*Notification, doc, before map[string]any, now time.Time, lookup frappedb.Lookup) ([]*Notification, []*EvalError) {
	in := e.cfg.ConditionInput(doc, before, now, lookup)
	var matches []*Notification
	var errs []*EvalError
	for _, n := range candidates {
		ok, err := n.Compiled.Condition.Evaluate(in)
		if err != nil {
			errs = append(errs, &EvalError{Notification: n, DocName: DocName(doc), Err: err})
			continue
		}
		if ok {
			matches = append(matches, n)
		}
	}
	return matches, errs
}

// FiresOn reports whether the notification's event is among those raised (for Value Change:
// on its value_changed column).
func (n *Notification) FiresOn(raised []Raised) bool {
	for _, r := range raised {
		if r.Event == n.Event && (r.Event != ValueChange || r.Column == n.ValueChanged) {
			return true
		}
	}
	return false
}

// DocName returns the document's name (its "name" column) as text.
func DocName(doc map[string]any) string {
	switch v := doc["name"].(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		return fmt.Sprint(v)
	}
}

// Tables returns every table an enabled notification uses, sorted, with what the rules need
// of it. A disabled notification needs nothing of the database.
func (c *Config) Tables() []TableUse {
	uses := map[string]*TableUse{}
	var order []string
	for i := range c.Notifications {
		n := &c.Notifications[i]
		if !n.IsEnabled() {
			continue
		}
		name := c.TableName(n.DocumentType)
		u := uses[name]
		if u == nil {
			u = &TableUse{Table: cdc.Table{Schema: c.Database.Schema, Name: name}, Doctype: n.DocumentType}
			uses[name] = u
			order = append(order, name)
		}
		u.Notifications = append(u.Notifications, n)
		if n.Event.Streamed() {
			u.Streamed = true
			if n.Event != New {
				u.NeedsFullIdentity = true
			}
		}
		for _, col := range n.Columns() {
			if !contains(u.Columns, col) {
				u.Columns = append(u.Columns, col)
			}
		}
		if n.SetPropertyAfterAlert != "" && !contains(u.WriteColumns, n.SetPropertyAfterAlert) {
			u.WriteColumns = append(u.WriteColumns, n.SetPropertyAfterAlert)
		}
	}
	for i := range c.DocumentWebhooks {
		d := &c.DocumentWebhooks[i]
		if !d.IsEnabled() {
			continue
		}
		name := c.TableName(d.WebhookDoctype)
		u := uses[name]
		if u == nil {
			u = &TableUse{Table: cdc.Table{Schema: c.Database.Schema, Name: name}, Doctype: d.WebhookDoctype}
			uses[name] = u
			order = append(order, name)
		}
		u.DocumentWebhooks = append(u.DocumentWebhooks, d)
		u.Streamed = true
		// Every event but after_insert is told apart, or sends the whole row, with the old one.
		if d.Event != AfterInsert {
			u.NeedsFullIdentity = true
		}
		for _, col := range d.Columns() {
			if !contains(u.Columns, col) {
				u.Columns = append(u.Columns, col)
			}
		}
	}
	sort.Strings(order)
	out := make([]TableUse, 0, len(order))
	for _, name := range order {
		u := uses[name]
		sort.Strings(u.Columns)
		sort.Strings(u.WriteColumns)
		out = append(out, *u)
	}
	return out
}

// TableUse is what the rules need of one table.
type TableUse struct {
	Table   cdc.Table
	Doctype string
	// Streamed: a row-event rule uses the table, so it belongs in the publication.
	Streamed bool
	// NeedsFullIdentity: an update or delete rule needs the old row (REPLICA IDENTITY FULL).
	NeedsFullIdentity bool
	// Columns the rules read by name (value_changed, date_changed, condition fields).
	Columns []string
	// WriteColumns are written by Set Property After Alert.
	WriteColumns     []string
	Notifications    []*Notification
	DocumentWebhooks []*DocumentWebhook
}

// Columns lists the document columns the notification names: value_changed, date_changed,
// set_property_after_alert and the fields its condition reads.
func (n *Notification) Columns() []string {
	var cols []string
	for _, c := range []string{n.ValueChanged, n.DateChanged, n.DatetimeChanged, n.SetPropertyAfterAlert} {
		if c != "" && !contains(cols, c) {
			cols = append(cols, c)
		}
	}
	for _, r := range n.Recipients {
		if f := strings.TrimSpace(r.ByField); f != "" && !strings.Contains(f, ",") && !contains(cols, f) {
			cols = append(cols, f)
		}
	}
	if n.Compiled.Condition != nil {
		for _, c := range n.Compiled.Condition.Fields() {
			if c != "doctype" && !contains(cols, c) {
				cols = append(cols, c)
			}
		}
	}
	sort.Strings(cols)
	return cols
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// templates are the notification's compiled templates: subject, message and recipients' cc.
func (n *Notification) templates() []*render.Template {
	out := []*render.Template{n.Compiled.Subject, n.Compiled.Message}
	for i := range n.Recipients {
		out = append(out, n.Recipients[i].CompiledCC)
	}
	return out
}

// conditions are the notification's compiled conditions: its own and its recipients'.
func (n *Notification) conditions() []*condition.Condition {
	out := []*condition.Condition{n.Compiled.Condition}
	for i := range n.Recipients {
		out = append(out, n.Recipients[i].CompiledCondition)
	}
	return out
}

// templates are the document webhook's compiled templates: its JSON body and dynamic URL.
func (d *DocumentWebhook) templates() []*render.Template {
	return []*render.Template{d.Compiled.JSON, d.Compiled.URL}
}

// readsIn reports whether one of the templates reads the database, and the document types
// they read by name.
func readsIn(ts []*render.Template) (doctypes []string, reads bool) {
	for _, t := range ts {
		if t == nil {
			continue
		}
		d, r := t.Reads()
		doctypes = append(doctypes, d...)
		reads = reads || r
	}
	return doctypes, reads
}

// Reads reports whether what is made of the notification once its condition holds reads the
// ERP's database (frappe.db.get_value and its kin): its templates, its recipients' conditions.
func (n *Notification) Reads() bool {
	if n.anyTemplate(templateReads) {
		return true
	}
	for i := range n.Recipients {
		if conditionReads(n.Recipients[i].CompiledCondition) {
			return true
		}
	}
	return false
}

// ConditionReads reports whether the notification's condition reads the ERP's database.
func (n *Notification) ConditionReads() bool { return conditionReads(n.Compiled.Condition) }

// Reads reports whether the document webhook's condition or templates read the ERP's
// database.
func (d *DocumentWebhook) Reads() bool {
	return conditionReads(d.Compiled.Condition) || templateReads(d.Compiled.JSON) || templateReads(d.Compiled.URL)
}

func conditionReads(c *condition.Condition) bool {
	_, r := c.Reads()
	return r
}

// anyTemplate reports whether f holds for one of the notification's templates (subject,
// message, recipients' cc), without building a list of them: the pipeline asks for each
// notification that fires.
func (n *Notification) anyTemplate(f func(*render.Template) bool) bool {
	if f(n.Compiled.Subject) || f(n.Compiled.Message) {
		return true
	}
	for i := range n.Recipients {
		if f(n.Recipients[i].CompiledCC) {
			return true
		}
	}
	return false
}

func templateReads(t *render.Template) bool {
	if t == nil {
		return false
	}
	_, r := t.Reads()
	return r
}

// usesBefore reports whether the notification reads the document's state before the change
// (doc.has_value_changed, doc.get_doc_before_save) in its condition, its recipients' or its
// templates.
func (n *Notification) usesBefore() bool {
	if n.Compiled.Condition.UsesBefore() || n.anyTemplate((*render.Template).UsesBefore) {
		return true
	}
	for i := range n.Recipients {
		if n.Recipients[i].CompiledCondition.UsesBefore() {
			return true
		}
	}
	return false
}

// usesBefore is Notification.usesBefore for a document webhook.
func (d *DocumentWebhook) usesBefore() bool {
	return d.Compiled.Condition.UsesBefore() || d.Compiled.JSON.UsesBefore() || d.Compiled.URL.UsesBefore()
}

// ReadUse is a document type that enabled rules' templates read from the database by name.
type ReadUse struct {
	Doctype string
	Rules   []string // the notifications and document webhooks that read it
}

// ReadDoctypes returns the document types the enabled rules' templates and conditions read by
// name (frappe.db.get_value("Customer", ...)), sorted, each with the rules that read it. A
// document type a template or condition computes is not among them.
func (c *Config) ReadDoctypes() []ReadUse {
	byType := map[string][]string{}
	add := func(name string, ts []*render.Template, cs ...*condition.Condition) {
		doctypes, _ := readsIn(ts)
		for _, c := range cs {
			d, _ := c.Reads()
			doctypes = append(doctypes, d...)
		}
		for _, d := range doctypes {
			if !slices.Contains(byType[d], name) {
				byType[d] = append(byType[d], name)
			}
		}
	}
	for i := range c.Notifications {
		if n := &c.Notifications[i]; n.IsEnabled() {
			add(n.Name, n.templates(), n.conditions()...)
		}
	}
	for i := range c.DocumentWebhooks {
		if d := &c.DocumentWebhooks[i]; d.IsEnabled() {
			add(d.Name, d.templates(), d.Compiled.Condition)
		}
	}
	out := make([]ReadUse, 0, len(byType))
	for _, d := range slices.Sorted(maps.Keys(byType)) {
		out = append(out, ReadUse{Doctype: d, Rules: byType[d]})
	}
	return out
}

// ConditionInput is what a condition sees under this configuration: the row and the row before
// the change (nil for none), now in the site's time zone, the site's first day of the week, its
// language, currencies, URL and number, date and time formats, and the ERP's tables through lookup, within the delivery's read limits. Every evaluation of
// a condition, whatever the event, takes it from here.
func (c *Config) ConditionInput(doc, before map[string]any, now time.Time, lookup frappedb.Lookup) condition.Input {
	return condition.Input{Doc: doc, Before: before, Now: now.In(c.Site.Location), WeekStart: c.Site.WeekStart, Words: c.Site.Words(), Formats: c.Site.Formats(), Lookup: lookup, Limits: c.Delivery.ReadLimits()}
}
