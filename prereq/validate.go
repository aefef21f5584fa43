package prereq

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"walnotify/erpdb"
	"walnotify/pipeline"
	"walnotify/rules"
)

// Problem is a mistake in the rules that the database reveals, with what to change.
type Problem struct {
	What string
	Fix  string
	// Blocking problems keep setup from applying anything: a grant or a publication would name
	// a table or column that does not exist.
	Blocking bool
}

// Validate compares the enabled rules with the catalog: tables and columns they name, the
// fields their conditions and templates read, and write-backs the ERP refuses after submit.
func Validate(cfg *rules.Config, cat *Catalog) []Problem {
	var out []Problem
	// The document types templates and conditions read by name: a typo fails every
	// rendering or evaluation.
	for _, r := range cfg.ReadDoctypes() {
		if cat.has(cfg.TableName(r.Doctype)) || cat.Singles == nil || slices.Contains(cat.Singles, r.Doctype) {
			continue
		}
		var doctypes []string
		for _, t := range cat.Tables {
			if d, ok := strings.CutPrefix(t, *cfg.Database.TablePrefix); ok {
				doctypes = append(doctypes, d)
			}
		}
		quoted := make([]string, len(r.Rules))
		for i, name := range r.Rules {
			quoted[i] = strconv.Quote(name)
		}
		out = append(out, Problem{
			What: fmt.Sprintf("%s: a template or condition reads %q (frappe.db, frappe.get_doc): table %s does not exist and it is no single document type%s",
				strings.Join(quoted, ", "), r.Doctype, quote(table(cfg, r.Doctype)), erpdb.SuggestName(r.Doctype, doctypes)),
			Fix: "correct the document type's name where it is read (each rendering or evaluation fails on it)",
		})
	}
	for _, u := range uses(cfg) {
		cols := cat.Columns[u.Table.Name]
		if cols == nil {
			var doctypes []string
			for _, t := range cat.Tables {
				if d, ok := strings.CutPrefix(t, *cfg.Database.TablePrefix); ok {
					doctypes = append(doctypes, d)
				}
			}
			out = append(out, Problem{
				What:     fmt.Sprintf("%s: document_type %q: table %s does not exist%s", names(u.Notifications), u.Doctype, quote(u.Table), erpdb.SuggestName(u.Doctype, doctypes)),
				Fix:      "correct document_type (or database.schema and database.table_prefix)",
				Blocking: true,
			})
			continue
		}
		children := map[string]bool{}
		for _, k := range cat.Children[u.Doctype] {
			children[k.Field] = true
		}
		locked := map[string]bool{}
		for _, f := range cat.Locked[u.Doctype] {
			locked[f] = true
		}
		known := func(f string) bool { return f == "doctype" || children[f] || cols[f].Name != "" }
		for _, n := range u.Notifications {
			for _, msg := range pipeline.MissingColumns(n, u.Table, cols) {
				out = append(out, Problem{What: msg, Fix: "correct the field name in the configuration", Blocking: true})
			}
			if n.Compiled.Condition != nil {
				key, ref := "condition", "doc."
				if n.ConditionType == "Filters" {
					key, ref = "filters", "field "
				}
				for _, f := range n.Compiled.Condition.Fields() {
					if !known(f) {
						out = append(out, Problem{
							What: fmt.Sprintf("notification %q: %s: %s%s is not a column of %s%s", n.Name, key, ref, f, quote(u.Table), erpdb.Suggest(f, cols)),
							Fix:  "correct the field name in the " + key + " (a missing field reads as None)",
						})
					}
				}
			}
			for _, tpl := range []struct {
				key string
				t   interface{ DocFields() []string }
			}{{"subject", n.Compiled.Subject}, {"message", n.Compiled.Message}} {
				if tpl.t == nil {
					continue
				}
				for _, f := range tpl.t.DocFields() {
					if !known(f) {
						out = append(out, Problem{
							What: fmt.Sprintf("notification %q: %s: doc.%s is not a column of %s%s", n.Name, tpl.key, f, quote(u.Table), erpdb.Suggest(f, cols)),
							Fix:  "correct the field name in the template (a missing field renders as nothing)",
						})
					}
				}
			}
			switch f := n.SetPropertyAfterAlert; {
			case f != "" && n.Event == rules.Cancel:
				out = append(out, Problem{
					What: fmt.Sprintf("notification %q: set_property_after_alert: a cancelled document may not change, so the write-back of %s is skipped on every Cancel", n.Name, f),
					Fix:  "remove set_property_after_alert from this notification",
				})
			case f != "" && n.Event == rules.Submit && locked[f]:
				out = append(out, Problem{
					What: fmt.Sprintf("notification %q: set_property_after_alert: %s may not change after submit (its DocField has allow_on_submit = 0), so the write-back is skipped on every Submit", n.Name, f),
					Fix:  fmt.Sprintf("choose a field that allows changes after submit, or tick \"Allow on Submit\" for %s in the ERP's Customize Form", f),
				})
			}
		}
	}
	return out
}

// names lists notifications for a message: `notification "A"` or `notifications "A", "B"`.
func names(ns []*rules.Notification) string {
	q := make([]string, len(ns))
	for i, n := range ns {
		q[i] = strconv.Quote(n.Name)
	}
	if len(q) == 1 {
		return "notification " + q[0]
	}
	return "notifications " + strings.Join(q, ", ")
}
