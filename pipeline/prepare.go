package pipeline

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"walnotify/cdc"
	"walnotify/erpdb"
	"walnotify/render"
	"walnotify/rules"
)

// Rules are a loaded configuration with what was learnt about the database for it.
type Rules struct {
	cfg    *rules.Config
	engine *rules.Engine
	// tables by name: columns and child tables of the watched document types.
	tables map[string]*tableInfo
	// notificationLog is true when the ERP has a "Notification Log" table.
	notificationLog bool
	settings        bool // "Notification Settings" table present
	roles           bool // "Has Role" table present: recipients by role
	// warnings: what the site's System Settings hold that walnotify could not use.
	warnings []string
	// fields are the DocFields of the document types the rules render (their child tables'
	// and those their templates read too), for get_formatted.
	fields render.Fields
}

// Warnings are what Prepare could not take from the ERP's System Settings, one line each.
func (rs *Rules) Warnings() []string { return rs.warnings }

// Config is the configuration the rules run, without the notifications Prepare left out.
func (rs *Rules) Config() *rules.Config { return rs.cfg }

// tableInfo is what the pipeline knows of a watched table.
type tableInfo struct {
	doctype  string
	columns  map[string]erpdb.Column
	children []erpdb.ChildTable // only those the rules of the table mention
	// noWriteOnSubmit: fields the ERP's metadata forbids changing after submit.
	noWriteOnSubmit map[string]bool
}

// Prepare learns what the rules need of the database: the columns of every table they use,
// the child tables their texts mention, the fields get_formatted formats by type, and whether
// the ERP keeps Notification Logs. A
// notification that names a missing table or column is reported in problems and left out of
// the returned rules, so that one broken rule never stops the others.
//
// The returned rules' configuration has the site completed by the ERP's System Settings
// (rules.Site.WithERP), so that conditions, templates and the daily pass use the site's time
// zone, language and formats.
func Prepare(ctx context.Context, cfg *rules.Config, pool erpdb.Querier, docs *erpdb.DB) (*Rules, []error, error) {
	site, warnings, err := ResolveSite(ctx, cfg, pool, docs)
	if err != nil {
		return nil, nil, err
	}
	withSite := *cfg
	withSite.Site = site
	cfg = &withSite
	rs := &Rules{cfg: cfg, tables: map[string]*tableInfo{}, warnings: warnings}
	meta := erpdb.Meta{Q: pool, Schema: cfg.Database.Schema, Prefix: *cfg.Database.TablePrefix}
	var problems []error
	broken := map[string]bool{}
	for _, use := range cfg.Tables() {
		cols, err := erpdb.Columns(ctx, pool, use.Table.Schema, use.Table.Name)
		if err != nil {
			return nil, nil, err
		}
		if cols == nil {
			for _, n := range use.Notifications {
				problems = append(problems, fmt.Errorf("notification %q: document_type %q: table %s.%s does not exist", n.Name, n.DocumentType, use.Table.Schema, use.Table.Name))
				broken[n.Name] = true
			}
			for _, d := range use.DocumentWebhooks {
				problems = append(problems, fmt.Errorf("document_webhook %q: webhook_doctype %q: table %s.%s does not exist", d.Name, d.WebhookDoctype, use.Table.Schema, use.Table.Name))
				broken[d.Name] = true
			}
			continue
		}
		ti := &tableInfo{doctype: use.Doctype, columns: cols, noWriteOnSubmit: map[string]bool{}}
		rs.tables[use.Table.Name] = ti
		for _, n := range use.Notifications {
			for _, msg := range MissingColumns(n, use.Table, cols) {
				problems = append(problems, errors.New(msg))
				broken[n.Name] = true
			}
		}
		children, err := docs.ChildTables(ctx, use.Doctype)
		if err != nil {
			return nil, nil, err
		}
		for _, c := range children {
			if mentioned(use.Notifications, c.Field) || mentionedByHooks(use.DocumentWebhooks, c.Field) {
				ti.children = append(ti.children, c)
			}
		}
		locked, err := meta.LockedOnSubmit(ctx, use.Doctype, use.WriteColumns)
		if err != nil {
			return nil, nil, err
		}
		for _, f := range locked {
			ti.noWriteOnSubmit[f] = true
		}
	}
	if len(broken) > 0 {
		// Rebuild the configuration without the broken notifications.
		kept := *cfg
		kept.Notifications, kept.DocumentWebhooks = nil, nil
		for _, n := range cfg.Notifications {
			if !broken[n.Name] {
				kept.Notifications = append(kept.Notifications, n)
			}
		}
		for _, d := range cfg.DocumentWebhooks {
			if !broken[d.Name] {
				kept.DocumentWebhooks = append(kept.DocumentWebhooks, d)
			}
		}
		rs.cfg = &kept
	}
	if rs.fields, err = meta.Fields(ctx, renderedDoctypes(rs.cfg, rs.tables)); err != nil {
		return nil, nil, err
	}
	rs.engine = rules.NewEngine(rs.cfg)
	if rs.notificationLog, err = erpdb.TableExists(ctx, pool, cfg.Database.Schema, cfg.TableName("Notification Log")); err != nil {
		return nil, nil, err
	}
	if rs.settings, err = erpdb.TableExists(ctx, pool, cfg.Database.Schema, cfg.TableName("Notification Settings")); err != nil {
		return nil, nil, err
	}
	if rs.roles, err = erpdb.TableExists(ctx, pool, cfg.Database.Schema, cfg.TableName("Has Role")); err != nil {
		return nil, nil, err
	}
	return rs, problems, nil
}

// renderedDoctypes are the document types the rules render (RenderedDoctypes of each table).
func renderedDoctypes(cfg *rules.Config, tables map[string]*tableInfo) []string {
	var doctypes []string
	for _, ti := range tables {
		doctypes = append(doctypes, RenderedDoctypes(cfg, ti.doctype, ti.children)...)
	}
	return doctypes
}

// RenderedDoctypes are the document types whose fields get_formatted may format for a
// document of doctype: its own, its child tables', and those the rules' templates read.
func RenderedDoctypes(cfg *rules.Config, doctype string, children []erpdb.ChildTable) []string {
	doctypes := []string{doctype}
	for _, c := range children {
		doctypes = append(doctypes, c.Doctype)
	}
	for _, r := range cfg.ReadDoctypes() {
		doctypes = append(doctypes, r.Doctype)
	}
	return doctypes
}

// ResolveSite is cfg's site completed by the ERP's System Settings. A database without them
// (no Singles table: not a Frappe site) leaves the site as the file gives it; a role that may
// not read them too, with a warning.
func ResolveSite(ctx context.Context, cfg *rules.Config, pool erpdb.Querier, docs *erpdb.DB) (rules.Site, []string, error) {
	exists, err := erpdb.TableExists(ctx, pool, cfg.Database.Schema, cfg.TableName("Singles"))
	if err != nil || !exists {
		return cfg.Site, nil, err
	}
	settings, err := docs.SystemSettings(ctx)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42501" { // insufficient_privilege
		return cfg.Site, []string{fmt.Sprintf("the site's System Settings (formats, time zone, language) cannot be read: %s; [site] and the ERP's defaults apply (walnotify setup grants it)", pgErr.Message)}, nil
	}
	if err != nil {
		return cfg.Site, nil, err
	}
	site, warnings := cfg.Site.WithERP(settings)
	if settings.CurrenciesDenied != "" {
		warnings = append(warnings, fmt.Sprintf("the site's Currency records cannot be read: %s; fmt_money writes the common symbols, money_in_words Cent and the site's number format (walnotify setup grants it)", settings.CurrenciesDenied))
	}
	return site, warnings, nil
}

// MissingColumns describes the columns a notification names by key (value_changed,
// date_changed, set_property_after_alert) that the table lacks, with the closest column.
func MissingColumns(n *rules.Notification, t cdc.Table, cols map[string]erpdb.Column) []string {
	var out []string
	for _, key := range []struct{ name, col string }{{"value_changed", n.ValueChanged}, {"date_changed", n.DateChanged}, {"set_property_after_alert", n.SetPropertyAfterAlert}} {
		if key.col != "" && cols[key.col].Name == "" {
			out = append(out, fmt.Sprintf("notification %q: %s: column %q does not exist in %s%s", n.Name, key.name, key.col, pgx.Identifier{t.Schema, t.Name}.Sanitize(), erpdb.Suggest(key.col, cols)))
		}
	}
	return out
}

// mentioned reports whether a notification's condition or templates name the field.
func mentioned(ns []*rules.Notification, field string) bool {
	re := regexp.MustCompile(`\b` + regexp.QuoteMeta(field) + `\b`)
	for _, n := range ns {
		if re.MatchString(n.Condition) || re.MatchString(n.Subject) || re.MatchString(n.Message) {
			return true
		}
		for _, r := range n.Recipients { // by_field "items,approver" reads the child rows
			if t, _, child := strings.Cut(r.ByField, ","); child && strings.TrimSpace(t) == field {
				return true
			}
			if re.MatchString(r.CC) || re.MatchString(r.Condition) {
				return true
			}
		}
	}
	return false
}

// WithSite is cfg with its site completed by the ERP's System Settings (ResolveSite), for the
// commands that render outside the daemon (`test --doc`, `replay --rerender`): they render as
// the daemon would. Notifications are shared with cfg.
func WithSite(ctx context.Context, cfg *rules.Config, pool erpdb.Querier, docs *erpdb.DB) (*rules.Config, []string, error) {
	site, warnings, err := ResolveSite(ctx, cfg, pool, docs)
	if err != nil {
		return nil, nil, err
	}
	with := *cfg
	with.Site = site
	return &with, warnings, nil
}

// mentionedByHooks reports whether a document webhook's condition, JSON template or dynamic
// URL names the field (or its webhook_data maps it).
func mentionedByHooks(ds []*rules.DocumentWebhook, field string) bool {
	re := regexp.MustCompile(`\b` + regexp.QuoteMeta(field) + `\b`)
	for _, d := range ds {
		if re.MatchString(d.Condition) || re.MatchString(d.WebhookJSON) || d.IsDynamicURL && re.MatchString(d.RequestURL.Reveal()) {
			return true
		}
		for _, r := range d.WebhookData {
			if r.Fieldname == field {
				return true
			}
		}
	}
	return false
}
