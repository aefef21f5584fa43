package pipeline

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"walnotify/cdc"
	"walnotify/erpdb"
	"walnotify/frappedb"
	"walnotify/render"
	"walnotify/rules"
	"walnotify/sender"
)

// Trial is what one notification does for one row change, decided as the daemon decides it
// (`walnotify test`).
type Trial struct {
	Name   string         // the document's name
	Raised []rules.Raised // the events the change raises
	// Fires is true when the notification listens to one of them.
	Fires     bool
	Condition bool
	// Message is the rendered message, for the notification's webhook (plain text without one).
	Message sender.Message
	// Payload is the webhook's request body; nil without a webhook.
	Payload json.RawMessage
	// Err is the first thing that failed: condition, template or payload.
	Err error
}

// Try evaluates notification n of cfg on a row (an insert, or an update when old is not nil):
// the events the change raises, the condition, the message and the payload, through the same
// engine, builder and payload as the daemon. It writes nothing; lookup reads the database for
// the templates' frappe.db calls (nil: they fail), and fields are the document types' fields
// for get_formatted (erpdb.Meta.Fields; nil: formatted by the values' types).
func Try(cfg *rules.Config, lookup frappedb.Lookup, fields render.Fields, n *rules.Notification, row, old cdc.Row, now time.Time) Trial {
	ch := &cdc.Change{Schema: cfg.Database.Schema, Table: cfg.TableName(n.DocumentType), Op: cdc.OpInsert, New: row}
	if old != nil {
		ch.Op, ch.Old = cdc.OpUpdate, old
	}
	one := *cfg
	one.Notifications = []rules.Notification{*n}
	one.Notifications[0].Enabled = nil // a disabled notification is tried as if enabled
	n = &one.Notifications[0]
	rs := &Rules{cfg: &one, engine: rules.NewEngine(&one), fields: fields}
	var t Trial
	var candidates []*rules.Notification
	t.Raised, candidates = rs.engine.Candidates(ch)
	t.Fires = len(candidates) > 0
	doc := rs.engine.Doc(ch)
	doc["doctype"] = n.DocumentType // a Days Before/After notification listens to no row event
	t.Name = rules.DocName(doc)
	before := rs.engine.Before(ch)
	matches, errs := rs.engine.Match([]*rules.Notification{n}, doc, before, now, lookup)
	t.Condition = len(matches) > 0
	if len(errs) > 0 {
		t.Err = fmt.Errorf("condition: %w", errs[0].Err)
	}
	b := &builder{log: slog.New(slog.DiscardHandler), now: func() time.Time { return now }, lookup: lookup}
	e, err := b.entry(rs, n, doc, before, "test", time.Time{})
	if err != nil {
		t.Err = cmp.Or(t.Err, err)
		return t
	}
	t.Message = e.Message
	if n.Webhook == nil {
		return t // a system notification only: no payload
	}
	t.Payload, err = sender.Payload(n.Webhook.Service, e.Message, sender.LabelsFor(cfg.Site.Language))
	t.Err = cmp.Or(t.Err, err)
	return t
}

// ReadDocument reads a document as the rules see it: its row, with the child tables n mentions.
func ReadDocument(ctx context.Context, docs *erpdb.DB, n *rules.Notification, name string, log *slog.Logger) (cdc.Row, error) {
	row, err := docs.Load(ctx, n.DocumentType, name)
	if err != nil {
		return nil, err
	}
	kids, err := docs.ChildTables(ctx, n.DocumentType)
	if err != nil {
		return nil, err
	}
	var used []erpdb.ChildTable
	for _, c := range kids {
		if mentioned([]*rules.Notification{n}, c.Field) {
			used = append(used, c)
		}
	}
	addChildren(ctx, docs, log, n.DocumentType, used, row)
	return row, nil
}
