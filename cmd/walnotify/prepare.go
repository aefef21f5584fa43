package main

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/jackc/pgx/v5/pgxpool"

	"walnotify/cdc"
	"walnotify/erpdb"
	"walnotify/rules"
)

// prepare learns what the rules need of the database: the columns of every table they use,
// the child tables their texts mention, and whether the ERP keeps Notification Logs. A
// notification that names a missing table or column is reported in problems and left out of
// the returned rules, so that one broken rule never stops the others.
func prepare(ctx context.Context, cfg *rules.Config, pool *pgxpool.Pool, docs *erpdb.DB) (*ruleSet, []error, error) {
	rs := &ruleSet{cfg: cfg, tables: map[string]*tableInfo{}}
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
			continue
		}
		ti := &tableInfo{doctype: use.Doctype, columns: cols, noWriteOnSubmit: map[string]bool{}}
		rs.tables[use.Table.Name] = ti
		for _, n := range use.Notifications {
			for _, msg := range missingColumns(n, use.Table, cols) {
				problems = append(problems, errors.New(msg))
				broken[n.Name] = true
			}
		}
		children, err := docs.ChildTables(ctx, use.Doctype)
		if err != nil {
			return nil, nil, err
		}
		for _, c := range children {
			if mentioned(use.Notifications, c.Field) {
				ti.children = append(ti.children, c)
			}
		}
		locked, err := erpdb.Meta{Q: pool, Schema: cfg.Database.Schema, Prefix: *cfg.Database.TablePrefix}.LockedOnSubmit(ctx, use.Doctype, use.WriteColumns)
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
		kept.Notifications = nil
		for _, n := range cfg.Notifications {
			if !broken[n.Name] {
				kept.Notifications = append(kept.Notifications, n)
			}
		}
		rs.cfg = &kept
	}
	rs.engine = rules.NewEngine(rs.cfg)
	var err error
	if rs.notificationLog, err = erpdb.TableExists(ctx, pool, cfg.Database.Schema, cfg.TableName("Notification Log")); err != nil {
		return nil, nil, err
	}
	if rs.settings, err = erpdb.TableExists(ctx, pool, cfg.Database.Schema, cfg.TableName("Notification Settings")); err != nil {
		return nil, nil, err
	}
	return rs, problems, nil
}

// missingColumns describes the columns a notification names by key (value_changed,
// date_changed, set_property_after_alert) that the table lacks, with the closest column.
func missingColumns(n *rules.Notification, t cdc.Table, cols map[string]erpdb.Column) []string {
	var out []string
	for _, key := range []struct{ name, col string }{{"value_changed", n.ValueChanged}, {"date_changed", n.DateChanged}, {"set_property_after_alert", n.SetPropertyAfterAlert}} {
		if key.col != "" && cols[key.col].Name == "" {
			out = append(out, fmt.Sprintf("notification %q: %s: column %q does not exist in %s%s", n.Name, key.name, key.col, quoteTable(t), suggest(key.col, cols)))
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
	}
	return false
}
