package condition

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Operators are the operators of a Filters condition, as the ERP's filter editor writes them.
var Operators = []string{"=", "!=", ">", "<", ">=", "<=", "in", "not in", "like", "not like", "is", "^"}

// filter is one row of a Filters condition: [fieldname, operator, value].
type filter struct {
	field string
	op    string
	value any            // a string, number or bool; for in / not in a []any
	like  *regexp.Regexp // like / not like
}

// CompileFilters compiles the rows of a Filters condition (the Notification's condition_type =
// "Filters"): each row is [fieldname, operator, value] (the ERP's longer
// [doctype, fieldname, operator, value, ...] form is accepted too), and the rows are AND-ed; no
// rows is always true. Both sides are cast to the field's type, as the ERP's evaluate_filters
// does: the type is the column's (PostgreSQL's column types are the ERP's fieldtypes), so on a
// number field "1000" is 1000 and "is set" means non-zero (frappe#34137 is the ERP's bug where
// it did not); on a text field 1000 is "1000". A NULL value is 0 against a number and "" against
// text. "like" is SQL's LIKE (% any text, _ one character), without regard to case.
func CompileFilters(rows [][]any) (*Condition, error) {
	c := &Condition{src: fmt.Sprint(rows), filters: []filter{}}
	for i, row := range rows {
		f, err := compileFilter(row)
		if err != nil {
			return nil, fmt.Errorf("filter %d: %w", i+1, err)
		}
		c.filters = append(c.filters, f)
		if !slices.Contains(c.fields, f.field) {
			c.fields = append(c.fields, f.field)
		}
	}
	slices.Sort(c.fields)
	return c, nil
}

func compileFilter(row []any) (filter, error) {
	switch {
	case len(row) == 3:
	case len(row) >= 4: // [doctype, fieldname, operator, value, ...]
		row = row[1:4]
	default:
		return filter{}, fmt.Errorf("want [fieldname, operator, value], got %d items", len(row))
	}
	field, ok := row[0].(string)
	if !ok || field == "" {
		return filter{}, fmt.Errorf("the field name must be a non-empty text")
	}
	op, ok := row[1].(string)
	if !ok {
		return filter{}, fmt.Errorf("the operator must be a text")
	}
	f := filter{field: field, op: strings.ToLower(strings.TrimSpace(op)), value: row[2]}
	if !slices.Contains(Operators, f.op) {
		return filter{}, fmt.Errorf("operator %q is not supported (use one of %s)", op, strings.Join(Operators, ", "))
	}
	switch f.op {
	case "in", "not in":
		switch v := f.value.(type) {
		case []any:
		case string: // the ERP splits text on commas
			var items []any
			for _, s := range strings.Split(v, ",") {
				items = append(items, strings.TrimSpace(s))
			}
			f.value = items
		default:
			f.value = []any{v}
		}
	case "is":
		s, _ := f.value.(string)
		s = strings.ToLower(strings.TrimSpace(s))
		if s != "set" && s != "not set" {
			return filter{}, fmt.Errorf(`"is" takes "set" or "not set", not %v`, repr(f.value))
		}
		f.value = s
	case "like", "not like":
		s, ok := f.value.(string)
		if !ok {
			s = cstr(f.value)
		}
		var b strings.Builder
		b.WriteString("(?is)^")
		for _, r := range s {
			switch r {
			case '%':
				b.WriteString(".*")
			case '_':
				b.WriteString(".")
			default:
				b.WriteString(regexp.QuoteMeta(string(r)))
			}
		}
		b.WriteString("$")
		f.like = regexp.MustCompile(b.String())
	}
	return f, nil
}

// evalFilters reports whether every filter holds on doc.
func (c *Condition) evalFilters(doc map[string]any) bool {
	for i := range c.filters {
		if !c.filters[i].holds(doc[c.filters[i].field]) {
			return false
		}
	}
	return true
}

func (f *filter) holds(v any) bool {
	numeric := isNumber(v) || (v == nil && isNumber(f.value))
	cast := func(x any) any {
		if numeric {
			r, _ := flt(x)
			return r
		}
		return cstr(x)
	}
	a := cast(v)
	switch f.op {
	case "is":
		set := a != "" && a != 0.0
		return set == (f.value == "set")
	case "like", "not like":
		return f.like.MatchString(cstr(v)) == (f.op == "like")
	case "in", "not in":
		in := false
		for _, item := range f.value.([]any) {
			if cast(item) == a {
				in = true
				break
			}
		}
		return in == (f.op == "in")
	case "^":
		return strings.HasPrefix(cstr(v), cstr(f.value))
	}
	b := cast(f.value)
	var cmp int
	if numeric {
		cmp = compareFloat(a.(float64), b.(float64))
	} else {
		cmp = strings.Compare(a.(string), b.(string))
	}
	switch f.op {
	case "=":
		return cmp == 0
	case "!=":
		return cmp != 0
	case ">":
		return cmp > 0
	case "<":
		return cmp < 0
	case ">=":
		return cmp >= 0
	default: // "<="
		return cmp <= 0
	}
}

func isNumber(v any) bool {
	switch v.(type) {
	case int64, float64, bool, int:
		return true
	}
	return false
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
