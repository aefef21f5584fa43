package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"walnotify/erpdb"
	"walnotify/frappedb"
	"walnotify/internal/rounding"
	"walnotify/render"
	"walnotify/rules"
	"walnotify/sender"
)

// builder turns a fired notification into an outbox entry: rendered message, write-back,
// Notification Log rows. The pipeline, the daily pass and Try share it.
type builder struct {
	log *slog.Logger
	now func() time.Time
	// lookup reads the database for templates' frappe.db.get_value and its kin; nil makes
	// them fail the notification.
	lookup frappedb.Lookup
}

// entry renders a notification for a document (before is its row before the change, nil for
// a new one) and builds its outbox entry with the writes that go with it.
func (b *builder) entry(rs *Rules, n *rules.Notification, doc, before map[string]any, key string, sourceTime time.Time) (sender.Entry, error) {
	cfg, ev := rs.cfg, n.Event
	now := b.now().In(cfg.Site.Location)
	format := render.Plain
	webhook, service := "", ""
	showLink := false
	if n.Webhook != nil {
		format = n.Webhook.Service.Format()
		webhook, service = n.Webhook.Name, n.Webhook.Service.String()
		showLink = n.Webhook.ShowsLink()
	}
	msg, err := renderMessage(rs, b.lookup, n, ev, doc, before, now, format, showLink)
	if err != nil {
		return sender.Entry{}, err
	}
	e := sender.Entry{
		SourceKey: key, Notification: n.Name, Webhook: webhook, Service: service,
		Event: ev.String(), Message: msg, SourceTime: sourceTime,
	}
	ti := rs.tables[cfg.TableName(n.DocumentType)]
	if w, ok := b.writeBack(rs, ti, n, doc, now); ok {
		e.Writes = append(e.Writes, w)
	}
	if n.SendSystemNotification && rs.notificationLog {
		sys, err := renderMessage(rs, b.lookup, n, ev, doc, before, now, render.Plain, false)
		if err != nil {
			return sender.Entry{}, err
		}
		writes, err := systemNotification(rs, b.lookup, n, doc, before, sys, key, now)
		if err != nil {
			return sender.Entry{}, err
		}
		e.Writes = append(e.Writes, writes...)
	}
	return e, nil
}

// renderData is what a rendering of the rules' templates sees besides the document: the site
// and the budgets, the database for frappe.db reads, and the document types' fields for
// get_formatted.
func (rs *Rules) renderData(lookup frappedb.Lookup, doc, before map[string]any, now time.Time, format render.Format) render.Data {
	return render.Data{Doc: doc, Before: before, Site: rs.cfg.Site.Render(), Now: now, Format: format,
		Limits: rs.cfg.Delivery.RenderLimits(), Lookup: lookup, Fields: rs.fields}
}

// renderMessage renders subject and message for one target format.
func renderMessage(rs *Rules, lookup frappedb.Lookup, n *rules.Notification, ev rules.Event, doc, before map[string]any, now time.Time, format render.Format, showLink bool) (sender.Message, error) {
	cfg := rs.cfg
	data := rs.renderData(lookup, doc, before, now, format)
	subject, err := n.Compiled.Subject.Render(data)
	if err != nil {
		return sender.Message{}, fmt.Errorf("subject: %w", err)
	}
	text, err := n.Compiled.Message.Render(data)
	if err != nil {
		return sender.Message{}, fmt.Errorf("message: %w", err)
	}
	m := sender.Message{
		Notification: n.Name, Event: ev.String(), Doctype: n.DocumentType, Name: rules.DocName(doc),
		Subject: subject, Text: strings.TrimSpace(text),
	}
	if n.Webhook != nil && n.Webhook.Service == rules.Generic {
		m.Doc = doc // only the generic payload carries the document; the outbox need not keep it otherwise
	}
	if showLink && cfg.Site.URL != "" {
		m.URL = render.FormURL(cfg.Site.URL, n.DocumentType, m.Name)
	}
	return m, nil
}

// writeBack builds the Set Property After Alert statement, or false when there is none or the
// ERP would refuse it (a cancelled document; a submitted one whose field may not change after
// submit).
func (b *builder) writeBack(rs *Rules, ti *tableInfo, n *rules.Notification, doc map[string]any, now time.Time) (sender.Write, bool) {
	if n.SetPropertyAfterAlert == "" || ti == nil {
		return sender.Write{}, false
	}
	col, ok := ti.columns[n.SetPropertyAfterAlert]
	if !ok {
		return sender.Write{}, false // checked at load; a column dropped since is skipped
	}
	if ds, ok := doc["docstatus"].(int64); ok && (ds == 2 || ds == 1 && ti.noWriteOnSubmit[col.Name]) {
		b.log.Info("set property after alert skipped: the ERP forbids this change", "notification", n.Name, "name", rules.DocName(doc), "docstatus", ds, "field", col.Name)
		return sender.Write{}, false
	}
	return setProperty(rs.cfg, ti, col, n.PropertyValue, rules.DocName(doc), now), true
}

// setProperty is the parameterised UPDATE of one property: the value travels as text and is cast
// to the column's own type; numeric columns take it as an integer, the ERP's cint.
func setProperty(cfg *rules.Config, ti *tableInfo, col erpdb.Column, value, name string, now time.Time) sender.Write {
	table := pgx.Identifier{cfg.Database.Schema, cfg.TableName(ti.doctype)}.Sanitize()
	if col.Numeric() {
		n, _ := rounding.Cint(value) // what is not a number is 0, as in the ERP
		value = strconv.FormatInt(n, 10)
	}
	sql := `UPDATE ` + table + ` SET ` + pgx.Identifier{col.Name}.Sanitize() + ` = $1::text::` + col.Type
	args := []any{value}
	if m, ok := ti.columns["modified"]; ok && col.Name != "modified" {
		sql += `, "modified" = $2::text::` + m.Type
		args = append(args, now.Format("2006-01-02 15:04:05.000000"))
	}
	sql += ` WHERE "name" = $` + strconv.Itoa(len(args)+1)
	args = append(args, name)
	return sender.Write{SQL: sql, Args: args}
}

// systemNotification inserts one Notification Log row (type Alert) per recipient, the way the
// ERP does, and marks the recipient's bell as unseen. Names are derived from the source key, so
// a replay inserts nothing twice.
func systemNotification(rs *Rules, lookup frappedb.Lookup, n *rules.Notification, doc, before map[string]any, m sender.Message, key string, now time.Time) ([]sender.Write, error) {
	cfg := rs.cfg
	users, roles, err := recipients(rs, lookup, n, doc, before, now)
	if err != nil {
		return nil, err
	}
	from, _ := doc["modified_by"].(string)
	if from == "" {
		from, _ = doc["owner"].(string)
	}
	logTable := pgx.Identifier{cfg.Database.Schema, cfg.TableName("Notification Log")}.Sanitize()
	settings := pgx.Identifier{cfg.Database.Schema, cfg.TableName("Notification Settings")}.Sanitize()
	stamp := now.Format("2006-01-02 15:04:05.000000")
	insert := `INSERT INTO ` + logTable + ` (name, creation, modified, modified_by, owner, docstatus, idx, subject, for_user, type, email_content, document_type, document_name, from_user, read)
`
	var out []sender.Write
	for _, user := range users {
		sum := sha256.Sum256([]byte(key + "\x00" + n.Name + "\x00" + user))
		name := hex.EncodeToString(sum[:])[:10]
		sql := insert + `SELECT $1::text, $2::text::timestamp, $2::text::timestamp, 'Administrator', 'Administrator', 0, 0, $3::text, $4::text, 'Alert', $5::text, $6::text, $7::text, NULLIF($8::text, ''), 0`
		if rs.settings {
			sql += ` WHERE NOT EXISTS (SELECT 1 FROM ` + settings + ` WHERE name = $4::text AND enabled = 0)`
		}
		sql += ` ON CONFLICT (name) DO NOTHING`
		out = append(out, sender.Write{SQL: sql, Args: []any{name, stamp, m.Subject, user, m.Text, n.DocumentType, m.Name, from}})
		if rs.settings {
			out = append(out, sender.Write{SQL: `UPDATE ` + settings + ` SET seen = 0 WHERE name = $1 AND seen <> 0`, Args: []any{user}})
		}
	}
	if len(roles) > 0 && rs.roles {
		// The enabled users holding a role, Administrator and Guest excluded, as the ERP; each
		// row is named like the rows above, so a user also named by another row gets one.
		roleUsers := `SELECT DISTINCT u.name FROM ` + pgx.Identifier{cfg.Database.Schema, cfg.TableName("Has Role")}.Sanitize() + ` hr
JOIN ` + pgx.Identifier{cfg.Database.Schema, cfg.TableName("User")}.Sanitize() + ` u ON u.name = hr.parent
WHERE hr.parenttype = 'User' AND hr.role = ANY($1::text[]) AND u.enabled = 1 AND u.name NOT IN ('Administrator', 'Guest')`
		sql := insert + `SELECT left(encode(sha256(convert_to($2::text, 'UTF8') || '\x00'::bytea || convert_to($3::text, 'UTF8') || '\x00'::bytea || convert_to(r.name, 'UTF8')), 'hex'), 10),
  $4::text::timestamp, $4::text::timestamp, 'Administrator', 'Administrator', 0, 0, $5::text, r.name, 'Alert', $6::text, $7::text, $8::text, NULLIF($9::text, ''), 0
FROM (` + roleUsers + `) r`
		if rs.settings {
			sql += ` WHERE NOT EXISTS (SELECT 1 FROM ` + settings + ` s WHERE s.name = r.name AND s.enabled = 0)`
		}
		sql += ` ON CONFLICT (name) DO NOTHING`
		out = append(out, sender.Write{SQL: sql, Args: []any{roles, key, n.Name, stamp, m.Subject, m.Text, n.DocumentType, m.Name, from}})
		if rs.settings {
			out = append(out, sender.Write{SQL: `UPDATE ` + settings + ` SET seen = 0 WHERE name IN (` + roleUsers + `) AND seen <> 0`, Args: []any{roles}})
		}
	}
	return out, nil
}

// failedEntry records a notification that could not be built for a document (a template
// error, a budget exceeded): a dead delivery with the reason, visible in `walnotify status`,
// instead of a silent skip. Nothing is sent or written for it.
func failedEntry(n *rules.Notification, doc map[string]any, key string, sourceTime time.Time, err error) sender.Entry {
	e := sender.Entry{
		SourceKey: key, Notification: n.Name, Event: n.Event.String(), SourceTime: sourceTime,
		Message: sender.Message{Notification: n.Name, Event: n.Event.String(), Doctype: n.DocumentType, Name: rules.DocName(doc)},
		Failed:  "not rendered: " + err.Error(),
	}
	if n.Webhook != nil {
		e.Webhook, e.Service = n.Webhook.Name, n.Webhook.Service.String()
	}
	return e
}
