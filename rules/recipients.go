package rules

import (
	"fmt"
	"sort"
	"strings"

	"walnotify/render"
	"walnotify/rules/condition"
)

// Recipient is one row of the Notification form's Recipients table (Notification Recipient),
// or a user name. In TOML a row is a user name ("jeanne@example.com") or an inline table with
// one of by_field (receiver_by_document_field: a field holding a user, "owner", or
// "<table field>,<child field>"), by_role (receiver_by_role: the enabled users holding the role,
// Administrator excluded), cc (a template rendered with the document: user names separated by
// commas or line breaks), and an optional condition, evaluated on the document.
type Recipient struct {
	User      string
	ByField   string
	ByRole    string
	CC        string
	Condition string

	// Compiled at load.
	CompiledCondition *condition.Condition
	CompiledCC        *render.Template
}

// UnmarshalTOML reads a user name or a row.
func (r *Recipient) UnmarshalTOML(v any) error {
	switch x := v.(type) {
	case string:
		r.User = x
		return nil
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			s, ok := x[k].(string)
			if !ok {
				return fmt.Errorf("recipient key %q: want text", k)
			}
			switch k {
			case "by_field":
				r.ByField = s
			case "by_role":
				r.ByRole = s
			case "cc":
				r.CC = s
			case "condition":
				r.Condition = s
			default:
				return fmt.Errorf("unknown recipient key %q (want by_field, by_role, cc or condition)", k)
			}
		}
		return nil
	}
	return fmt.Errorf("a recipient is a user name or a table like { by_role = \"Accounts Manager\" }")
}

// validate checks the row and compiles its condition and cc template.
func (r *Recipient) validate() error {
	set := 0
	for _, s := range []string{r.User, r.ByField, r.ByRole, r.CC} {
		if strings.TrimSpace(s) != "" {
			set++
		}
	}
	if set != 1 {
		if r.User == "" && r.ByField == "" && r.ByRole == "" && r.CC == "" {
			return fmt.Errorf("a recipient is empty: give a user name, by_field, by_role or cc")
		}
		return fmt.Errorf("a recipient row takes one of by_field, by_role and cc")
	}
	if r.ByField != "" {
		for _, f := range strings.Split(r.ByField, ",") {
			if !fieldName.MatchString(strings.TrimSpace(f)) {
				return fmt.Errorf("by_field %q is not a field name (or \"table field,child field\")", r.ByField)
			}
		}
	}
	var err error
	if r.CompiledCondition, err = condition.Compile(r.Condition); err != nil {
		return fmt.Errorf("condition: %w", err)
	}
	if r.CC != "" {
		if r.CompiledCC, err = render.Compile(r.CC); err != nil {
			return fmt.Errorf("cc: %w", err)
		}
	}
	return nil
}

// UsesRoles reports whether an enabled notification sends to the users of a role, which reads
// the ERP's users and their roles.
func (c *Config) UsesRoles() bool {
	for i := range c.Notifications {
		n := &c.Notifications[i]
		if !n.IsEnabled() || !n.SendSystemNotification {
			continue
		}
		for _, r := range n.Recipients {
			if r.ByRole != "" {
				return true
			}
		}
	}
	return false
}
