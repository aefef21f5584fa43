package pipeline

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"walnotify/frappedb"
	"walnotify/render"
	"walnotify/rules"
)

// recipients resolves who receives a notification's system notification for doc, as the
// ERP's form says: user names, the users a document field names (a child table's field for
// "table,field"), cc rendered with the document, the document's assignees (_assign); each row
// only when its condition holds. Roles are returned apart: their users are read by the
// database in the enqueue transaction, so the Notification Log written then is who was
// notified. Without any row or assignee, the document's owner is notified, as before.
func recipients(rs *Rules, lookup frappedb.Lookup, n *rules.Notification, doc, before map[string]any, now time.Time) (users, roles []string, err error) {
	add := func(u string) {
		if u = strings.TrimSpace(u); u != "" && !slices.Contains(users, u) {
			users = append(users, u)
		}
	}
	for i := range n.Recipients {
		r := &n.Recipients[i]
		ok, err := r.CompiledCondition.Evaluate(rs.cfg.ConditionInput(doc, before, now, lookup))
		if err != nil {
			return nil, nil, fmt.Errorf("recipients: row %d: condition: %w", i+1, err)
		}
		if !ok {
			continue
		}
		switch {
		case r.User != "":
			add(r.User)
		case r.ByRole != "":
			if !slices.Contains(roles, r.ByRole) {
				roles = append(roles, r.ByRole)
			}
		case r.ByField != "":
			table, field, child := strings.Cut(r.ByField, ",")
			if !child {
				add(text(doc[strings.TrimSpace(table)]))
				continue
			}
			rows, _ := doc[strings.TrimSpace(table)].([]any)
			for _, row := range rows {
				if m, ok := row.(map[string]any); ok {
					add(text(m[strings.TrimSpace(field)]))
				}
			}
		case r.CC != "":
			data := rs.renderData(lookup, doc, before, now, render.Plain)
			cc, err := r.CompiledCC.Render(data)
			if err != nil {
				return nil, nil, fmt.Errorf("recipients: row %d: cc: %w", i+1, err)
			}
			for _, u := range strings.FieldsFunc(cc, func(c rune) bool { return c == ',' || c == '\n' || c == '\r' }) {
				add(u)
			}
		}
	}
	if n.SendToAllAssignees {
		var assigned []string
		if s, ok := doc["_assign"].(string); ok && s != "" {
			_ = json.Unmarshal([]byte(s), &assigned) // not a list: nobody
		}
		for _, u := range assigned {
			add(u)
		}
	}
	if len(n.Recipients) == 0 && !n.SendToAllAssignees {
		add(text(doc["owner"]))
	}
	return users, roles, nil
}

func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	}
	return fmt.Sprint(v)
}
