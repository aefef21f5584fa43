package erpimport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"walnotify/erpdb"
	"walnotify/rules"
)

// Options says where the ERP's tables are and what the written file says about the site.
type Options struct {
	Schema, Prefix string
	// SiteURL is written as site.url; empty, webhooks that would show a link to the document
	// get show_document_link = false (with a comment), since links need the site's address.
	SiteURL string
}

// Skipped is a record that was not carried, with the reason.
type Skipped struct {
	Kind   string // "notification", "webhook", "document webhook"
	Name   string
	Reason string
}

func (s Skipped) String() string { return fmt.Sprintf("%s %q: %s", s.Kind, s.Name, s.Reason) }

// Result is the written configuration and what it holds.
type Result struct {
	TOML []byte
	// Notifications, Webhooks and DocumentWebhooks count the records carried.
	Notifications, Webhooks, DocumentWebhooks int
	Skipped                                   []Skipped
	// Variables are the environment variables the file references, with what each holds.
	Variables []Variable
}

// Variable is an environment variable the written file references.
type Variable struct{ Name, Holds string }

// record is one row as the ERP stores it, decoded from JSON.
type record map[string]any

func (r record) str(k string) string {
	switch v := r[k].(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		return fmt.Sprint(v)
	}
}

func (r record) num(k string) int64 {
	switch v := r[k].(type) {
	case json.Number:
		i, _ := v.Int64()
		return i
	case string:
		i, _ := strconv.ParseInt(v, 10, 64)
		return i
	}
	return 0
}

// Import reads the ERP's records through q and writes the configuration.
func Import(ctx context.Context, q erpdb.Querier, o Options) (*Result, error) {
	rd := &reader{q: q, o: o}
	chat, err := rd.chatWebhooks(ctx)
	if err != nil {
		return nil, err
	}
	notifications, err := rd.rows(ctx, "Notification", "", "t.name")
	if err != nil {
		return nil, err
	}
	recipients, err := rd.children(ctx, "Notification Recipient", "Notification")
	if err != nil {
		return nil, err
	}
	hooks, err := rd.rows(ctx, "Webhook", "", "t.name")
	if err != nil {
		return nil, err
	}
	headers, err := rd.children(ctx, "Webhook Header", "Webhook")
	if err != nil {
		return nil, err
	}
	data, err := rd.children(ctx, "Webhook Data", "Webhook")
	if err != nil {
		return nil, err
	}
	w := &writer{o: o, res: &Result{}, vars: map[string]bool{}}
	w.variable("WALNOTIFY_DSN", "the connection to the ERP's database (database.dsn)")
	w.header()
	for _, c := range chat {
		w.webhook(c)
	}
	for _, n := range notifications {
		w.notification(n, recipients[n.str("name")])
	}
	for _, h := range hooks {
		w.docWebhook(h, headers[h.str("name")], data[h.str("name")])
	}
	return w.finish(), nil
}

type reader struct {
	q erpdb.Querier
	o Options
}

// rows reads the rows of a doctype's table (those of where, a clause on "t", ordered by
// order), each as the JSON of all its columns, so that columns a version lacks are simply
// absent; none when the table does not exist (Dokos has no Slack Webhook URL, Frappe no
// Incoming Webhook URL).
func (rd *reader) rows(ctx context.Context, doctype, where, order string, args ...any) ([]record, error) {
	table := rd.o.Prefix + doctype
	exists, err := erpdb.TableExists(ctx, rd.q, rd.o.Schema, table)
	if err != nil || !exists {
		return nil, err
	}
	sql := `SELECT to_jsonb(t)::text FROM ` + pgx.Identifier{rd.o.Schema, table}.Sanitize() + ` t ` + where + ` ORDER BY ` + order
	rows, err := rd.q.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", doctype, err)
	}
	texts, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", doctype, err)
	}
	out := make([]record, 0, len(texts))
	for _, t := range texts {
		var r record
		if err := decode(t, &r); err != nil {
			return nil, fmt.Errorf("read %s: %w", doctype, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// children reads a child table's rows of one parent doctype, by parent name, in form order.
func (rd *reader) children(ctx context.Context, doctype, parenttype string) (map[string][]record, error) {
	rows, err := rd.rows(ctx, doctype, `WHERE t.parenttype = $1`, `t.parent, t.idx`, parenttype)
	if err != nil {
		return nil, err
	}
	out := map[string][]record{}
	for _, r := range rows {
		out[r.str("parent")] = append(out[r.str("parent")], r)
	}
	return out, nil
}

// chatWebhooks reads Frappe's Slack Webhook URL and Dokos' Incoming Webhook URL records, as
// records with webhook_name, service, show_document_link.
func (rd *reader) chatWebhooks(ctx context.Context) ([]record, error) {
	slack, err := rd.rows(ctx, "Slack Webhook URL", "", "t.name")
	if err != nil {
		return nil, err
	}
	for _, r := range slack {
		r["service"] = "Slack"
		r["doctype"] = "Slack Webhook URL"
	}
	incoming, err := rd.rows(ctx, "Incoming Webhook URL", "", "t.name")
	if err != nil {
		return nil, err
	}
	for _, r := range incoming {
		r["doctype"] = "Incoming Webhook URL"
		if _, ok := r["show_document_link"]; !ok {
			r["show_document_link"] = json.Number("1") // Dokos always adds the link
		}
	}
	return append(slack, incoming...), nil
}

func decode(text string, v any) error {
	d := json.NewDecoder(strings.NewReader(text))
	d.UseNumber()
	return d.Decode(v)
}

// writer builds the file: carried records are checked with rules.Parse against what was
// written before them.
type writer struct {
	o        Options
	res      *Result
	vars     map[string]bool
	head     bytes.Buffer // comment with the variables, [database], [site]
	body     bytes.Buffer // carried records
	skipped  bytes.Buffer // commented blocks
	webhooks []string     // names carried
}

func (w *writer) variable(name, holds string) string {
	base, n := name, 1
	for w.vars[name] {
		n++
		name = fmt.Sprintf("%s_%d", strings.TrimSuffix(base, "_URL"), n) + "_URL"
	}
	w.vars[name] = true
	w.res.Variables = append(w.res.Variables, Variable{name, holds})
	return name
}

func (w *writer) header() {
	fmt.Fprintf(&w.head, "[database]\ndsn = \"${WALNOTIFY_DSN}\"\n")
	if w.o.Schema != rules.DefaultSchema {
		fmt.Fprintf(&w.head, "schema = %s\n", quote(w.o.Schema))
	}
	if w.o.Prefix != rules.DefaultTablePrefix {
		fmt.Fprintf(&w.head, "table_prefix = %s\n", quote(w.o.Prefix))
	}
	if w.o.SiteURL != "" {
		fmt.Fprintf(&w.head, "\n[site]\nurl = %s\n", quote(w.o.SiteURL))
	}
}

// envName is WALNOTIFY_<NAME>_URL for a record name.
func envName(name string) string {
	var b strings.Builder
	b.WriteString("WALNOTIFY_")
	last := '_'
	for _, r := range strings.ToUpper(name) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			last = r
		} else if last != '_' {
			b.WriteByte('_')
			last = '_'
		}
	}
	return strings.TrimSuffix(b.String(), "_") + "_URL"
}

func (w *writer) webhook(r record) {
	name := r.str("webhook_name")
	if name == "" {
		name = r.str("name")
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "\n[[webhook]]\nname = %s\nservice = %s\n", quote(name), quote(r.str("service")))
	v := w.variable(envName(name), fmt.Sprintf("webhook %q (the webhook_url of %s %q)", name, r.str("doctype"), r.str("name")))
	fmt.Fprintf(&b, "url = \"${%s}\"\n", v)
	switch {
	case r.num("show_document_link") == 0:
		b.WriteString("show_document_link = false\n")
	case w.o.SiteURL == "":
		b.WriteString("show_document_link = false # the ERP shows a link to the document: set site.url and remove this line\n")
	}
	if err := w.valid(name, b.String()); err != nil {
		w.res.Variables = w.res.Variables[:len(w.res.Variables)-1]
		w.add(Skipped{"webhook", name, err.Error()}, b.String())
		return
	}
	w.body.Write(b.Bytes())
	w.webhooks = append(w.webhooks, name)
	w.res.Webhooks++
}

// Channels.
const (
	chSlack  = "Slack"
	chDokos  = "External Collaboration Tool"
	chSystem = "System Notification"
)

func (w *writer) notification(r record, recipients []record) {
	name := r.str("name")
	skip := func(reason string, block string) { w.add(Skipped{"notification", name, reason}, block) }
	channel := r.str("channel")
	event := r.str("event")
	var b bytes.Buffer
	fmt.Fprintf(&b, "\n[[notification]]\nname = %s\n", quote(name))
	if r.num("enabled") == 0 {
		b.WriteString("enabled = false\n")
	}
	kv := func(key, value string) {
		if value != "" {
			fmt.Fprintf(&b, "%s = %s\n", key, quote(value))
		}
	}
	kv("document_type", r.str("document_type"))
	kv("event", event)
	kv("value_changed", r.str("value_changed"))
	if strings.HasPrefix(event, "Days") {
		kv("date_changed", r.str("date_changed"))
		if d := r.num("days_in_advance"); d != 0 {
			fmt.Fprintf(&b, "days_in_advance = %d\n", d)
		}
	}
	if strings.HasPrefix(event, "Minutes") {
		kv("datetime_changed", r.str("datetime_changed"))
		fmt.Fprintf(&b, "minutes_offset = %d\n", r.num("minutes_offset"))
	}
	var problems []string
	if r.str("condition_type") == "Filters" {
		b.WriteString("condition_type = \"Filters\"\n")
		if f := strings.TrimSpace(r.str("filters")); f != "" {
			var rows [][]any
			if err := decode(f, &rows); err != nil {
				problems = append(problems, fmt.Sprintf("its filters are not a JSON list of rows: %v", err))
			} else {
				fmt.Fprintf(&b, "filters = %s\n", filtersTOML(rows))
			}
		}
	} else {
		kv("condition", conditionText(r.str("condition")))
	}
	kv("subject", r.str("subject"))
	kv("message", r.str("message"))
	switch channel {
	case chSlack:
		kv("webhook", r.str("slack_webhook_url"))
	case chDokos:
		kv("webhook", r.str("incoming_webhook_url"))
	case chSystem:
	default:
		if r.num("send_system_notification") == 0 {
			skip(fmt.Sprintf("channel %s: walnotify sends to chat services and system notifications only", channel), b.String())
			return
		}
		fmt.Fprintf(&b, "# the ERP also sends it by %s: not carried\n", channel)
	}
	if channel == chSystem || r.num("send_system_notification") != 0 {
		b.WriteString("send_system_notification = true\n")
		var rows []string
		for _, rc := range recipients {
			cond := ""
			if c := strings.TrimSpace(rc.str("condition")); c != "" {
				cond = ", condition = " + quote(c)
			}
			// The form's row may fill several columns: one walnotify row each, same condition.
			for _, col := range []struct{ erp, key string }{{"receiver_by_document_field", "by_field"}, {"receiver_by_role", "by_role"}, {"cc", "cc"}} {
				if v := strings.TrimSpace(rc.str(col.erp)); v != "" {
					rows = append(rows, fmt.Sprintf("{ %s = %s%s }", col.key, quote(v), cond))
				}
			}
			if strings.TrimSpace(rc.str("bcc")) != "" {
				fmt.Fprintf(&b, "# a recipient row's bcc is not carried (walnotify has no blind copies): %s\n", strings.ReplaceAll(rc.str("bcc"), "\n", " "))
			}
		}
		if r.num("send_to_all_assignees") != 0 {
			b.WriteString("send_to_all_assignees = true\n")
		}
		if len(rows) > 0 {
			fmt.Fprintf(&b, "recipients = [%s]\n", strings.Join(rows, ", "))
		}
	}
	kv("set_property_after_alert", r.str("set_property_after_alert"))
	if r.str("set_property_after_alert") != "" {
		kv("property_value", r.str("property_value"))
	}
	switch {
	case event == "Method":
		problems = append(problems, "event Method is raised by application code, which leaves no trace in the database")
	case event == "Custom":
		problems = append(problems, "event Custom is raised by application code, which leaves no trace in the database")
	}
	if len(problems) > 0 {
		skip(strings.Join(problems, "; "), b.String())
		return
	}
	if err := w.valid(name, b.String()); err != nil {
		skip(err.Error(), b.String())
		return
	}
	w.body.Write(b.Bytes())
	w.res.Notifications++
}

// valid checks the block of record name with rules.Parse, after what was carried so far,
// offline (the variables are not set here).
func (w *writer) valid(name, block string) error {
	text := w.head.String() + w.body.String() + block
	_, err := rules.Parse("import", text, func(string) (string, bool) { return "", false }, rules.Offline())
	var p *rules.Problems
	if errors.As(err, &p) {
		var msgs []string
		for _, e := range p.List {
			// `import:12:3: notification "x": condition: ...`: what follows the place
			m := e.Error()
			if _, rest, ok := strings.Cut(m, strconv.Quote(name)+": "); ok {
				m = rest
			}
			msgs = append(msgs, m)
		}
		return errors.New(strings.Join(msgs, "; "))
	}
	return err
}

// add records a skipped record and writes its block commented out.
func (w *writer) add(s Skipped, block string) {
	w.res.Skipped = append(w.res.Skipped, s)
	fmt.Fprintf(&w.skipped, "\n# Not imported: %s\n# reason: %s\n", strings.ReplaceAll(s.Kind+" "+strconv.Quote(s.Name), "\n", " "), strings.ReplaceAll(s.Reason, "\n", "\n#   "))
	for _, l := range strings.Split(strings.TrimSpace(block), "\n") {
		if l != "" {
			fmt.Fprintf(&w.skipped, "#   %s\n", l)
		}
	}
}

func (w *writer) finish() *Result {
	var out bytes.Buffer
	out.WriteString("# Imported from the ERP's Notification records by `walnotify import`.\n")
	out.WriteString("# Set these environment variables (the values stay in the ERP) before `walnotify check`:\n")
	for _, v := range w.res.Variables {
		fmt.Fprintf(&out, "#   %s: %s\n", v.Name, v.Holds)
	}
	out.WriteString("\n")
	out.Write(w.head.Bytes())
	out.Write(w.body.Bytes())
	if w.skipped.Len() > 0 {
		out.WriteString("\n# ---- Records walnotify cannot carry (they stay in the ERP) ----\n")
		out.Write(w.skipped.Bytes())
	}
	w.res.TOML = out.Bytes()
	return w.res
}

// filtersTOML writes the rows of a Filters condition as a TOML array, in the short
// [fieldname, operator, value] form.
func filtersTOML(rows [][]any) string {
	parts := make([]string, 0, len(rows))
	for _, row := range rows {
		if len(row) >= 4 { // [doctype, fieldname, operator, value, ...]
			row = row[1:4]
		}
		parts = append(parts, value(row))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// value writes a JSON value as TOML.
func value(v any) string {
	switch x := v.(type) {
	case nil:
		return `""`
	case string:
		return quote(x)
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case []any:
		s := make([]string, len(x))
		for i, item := range x {
			s[i] = value(item)
		}
		return "[" + strings.Join(s, ", ") + "]"
	}
	return quote(fmt.Sprint(v))
}

// quote writes text as a TOML string: a multi-line literal string for templates with line
// breaks (read as written), else a basic string with escapes.
func quote(s string) string {
	if strings.Contains(s, "\n") && !strings.Contains(s, "'''") && !strings.HasSuffix(s, "'") && !hasControl(s) {
		return "'''\n" + s + "'''"
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func hasControl(s string) bool {
	for _, r := range s {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f {
			return true
		}
	}
	return false
}

// docWebhook carries a Webhook record ([[document_webhook]]) with its Webhook Header and
// Webhook Data rows. Its request_url and webhook_secret (a Password field: the table holds
// asterisks) become ${WALNOTIFY_<NAME>_URL} and ${WALNOTIFY_<NAME>_SECRET} references.
func (w *writer) docWebhook(r record, headers, data []record) {
	name := r.str("name")
	var b bytes.Buffer
	fmt.Fprintf(&b, "\n[[document_webhook]]\nname = %s\n", quote(name))
	if r.num("enabled") == 0 {
		b.WriteString("enabled = false\n")
	}
	kv := func(key, value string) {
		if value != "" {
			fmt.Fprintf(&b, "%s = %s\n", key, quote(value))
		}
	}
	kv("webhook_doctype", r.str("webhook_doctype"))
	kv("webhook_docevent", r.str("webhook_docevent"))
	kv("condition", conditionText(r.str("condition")))
	added := len(w.res.Variables)
	urlVar := w.variable(envName(name), fmt.Sprintf("document webhook %q (the request_url of Webhook %q)", name, name))
	fmt.Fprintf(&b, "request_url = \"${%s}\"\n", urlVar)
	if r.num("is_dynamic_url") != 0 {
		b.WriteString("is_dynamic_url = true\n")
	}
	kv("request_method", r.str("request_method"))
	structure := r.str("request_structure")
	if structure == "" {
		structure = rules.StructureForm // the ERP's blank structure sends the Webhook Data rows
	}
	kv("request_structure", structure)
	if structure == rules.StructureJSON {
		kv("webhook_json", r.str("webhook_json"))
	}
	var rows []string
	for _, d := range data {
		if d.str("fieldname") != "" && d.str("key") != "" {
			rows = append(rows, fmt.Sprintf("{ fieldname = %s, key = %s }", quote(d.str("fieldname")), quote(d.str("key"))))
		}
	}
	if structure != rules.StructureJSON && len(rows) > 0 {
		fmt.Fprintf(&b, "webhook_data = [%s]\n", strings.Join(rows, ", "))
	}
	var hs []string
	for _, h := range headers { // a row counts only with both, as in the ERP
		if h.str("key") != "" && h.str("value") != "" {
			hs = append(hs, fmt.Sprintf("%s = %s", quote(h.str("key")), quote(h.str("value"))))
		}
	}
	if len(hs) > 0 {
		fmt.Fprintf(&b, "webhook_headers = { %s }\n", strings.Join(hs, ", "))
	}
	if t := r.num("timeout"); t != 0 && t != rules.DefaultDocWebhookTimeout {
		fmt.Fprintf(&b, "timeout = %d\n", t)
	}
	if r.num("enable_security") != 0 {
		v := w.variable(strings.TrimSuffix(envName(name), "_URL")+"_SECRET", fmt.Sprintf("the webhook_secret of Webhook %q (a Password field: copy it from the form)", name))
		fmt.Fprintf(&b, "enable_security = true\nwebhook_secret = \"${%s}\"\n", v)
	}
	if err := w.valid(name, b.String()); err != nil {
		w.res.Variables = w.res.Variables[:added]
		w.add(Skipped{"document webhook", name, err.Error()}, b.String())
		return
	}
	w.body.Write(b.Bytes())
	w.res.DocumentWebhooks++
}

// conditionText is a condition as the ERP holds it, without the blank lines and white space
// around it; one of several lines (Dokos' statements) keeps the indentation of its first line,
// which the others' is relative to.
func conditionText(s string) string {
	s = strings.TrimRight(s, " \t\r\n")
	for {
		line, rest, ok := strings.Cut(s, "\n")
		if !ok || strings.TrimSpace(line) != "" {
			break
		}
		s = rest
	}
	if !strings.Contains(s, "\n") {
		return strings.TrimSpace(s)
	}
	return s
}
