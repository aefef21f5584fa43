package frappedb

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// fieldNames reads a fieldname or fields argument: one name ("status", or "a, b" as the ERP
// splits it), or a list or tuple of names; many is false for one name given as text.
func fieldNames(v any) (fields []string, many bool, err error) {
	if s, ok := v.(string); ok {
		if strings.Contains(s, ",") {
			for _, f := range strings.Split(s, ",") {
				fields = append(fields, strings.TrimSpace(f))
			}
			return fields, true, nil
		}
		return []string{strings.TrimSpace(s)}, false, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, false, fmt.Errorf("fields must be a name or a list of names, not %s", typeName(v))
	}
	for _, f := range list {
		s, ok := f.(string)
		if !ok {
			return nil, false, fmt.Errorf("a field name must be text, not %s", typeName(f))
		}
		fields = append(fields, strings.TrimSpace(s))
	}
	if len(fields) == 0 {
		return nil, false, errors.New("no fields given")
	}
	return fields, true, nil
}

// Filters reads a filters argument as the ERP does: None (no filter), a name, a dict of
// field -> value or field -> [operator, value], or a list of [field, operator, value] (or
// [doctype, field, operator, value]) conditions. A dict's filters come in key order.
func Filters(v any) ([]Filter, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		out := make([]Filter, 0, len(x))
		for _, field := range sortedKeys(x) {
			f, err := pair(field, x[field])
			if err != nil {
				return nil, err
			}
			out = append(out, f)
		}
		return out, nil
	case []any:
		var out []Filter
		for _, item := range x {
			parts, ok := item.([]any)
			if !ok {
				return nil, fmt.Errorf("a filter must be [field, operator, value], not %s", repr(item))
			}
			if len(parts) == 4 {
				parts = parts[1:] // [doctype, field, operator, value]
			}
			if len(parts) != 3 {
				return nil, fmt.Errorf("a filter must be [field, operator, value], not %s", repr(item))
			}
			field, ok := parts[0].(string)
			if !ok {
				return nil, fmt.Errorf("a filter's field must be text, not %s", repr(parts[0]))
			}
			f, err := operation(field, parts[1], parts[2])
			if err != nil {
				return nil, err
			}
			out = append(out, f)
		}
		return out, nil
	case string, int, int64, float64:
		return []Filter{{Field: "name", Op: "=", Value: Text(v)}}, nil // a name is text
	}
	return nil, fmt.Errorf("filters must be a name, a dict or a list, not %s", typeName(v))
}

// pair is one field -> value pair of a filters dict: equality, or [operator, value].
func pair(field string, v any) (Filter, error) {
	if parts, ok := v.([]any); ok {
		if len(parts) != 2 {
			return Filter{}, fmt.Errorf("filter on %s: give [operator, value], not %s", field, repr(v))
		}
		return operation(field, parts[0], parts[1])
	}
	return Filter{Field: field, Op: "=", Value: param(v)}, nil
}

// operators are the ERP's filter operators walnotify reads, by their lower-case spelling.
var operators = map[string]string{
	"=": "=", "==": "=", "!=": "!=", "<>": "!=", "<": "<", ">": ">", "<=": "<=", ">=": ">=",
	"like": "like", "not like": "not like", "in": "in", "not in": "not in", "between": "between", "is": "is",
}

// operation is one [operator, value] filter on a field.
func operation(field string, op, v any) (Filter, error) {
	name, ok := operators[strings.ToLower(strings.TrimSpace(Text(op)))]
	if !ok {
		return Filter{}, fmt.Errorf("filter on %s: operator %q is not supported", field, Text(op))
	}
	f := Filter{Field: field, Op: name}
	switch name {
	case "in", "not in":
		var list []any
		switch x := v.(type) {
		case string:
			// The ERP splits a text on commas: ["in", "Open, Replied"].
			for _, s := range strings.Split(x, ",") {
				list = append(list, strings.TrimSpace(s))
			}
		case []any:
			for _, item := range x {
				list = append(list, param(item))
			}
		default:
			list = []any{param(v)}
		}
		f.Value = list
	case "between":
		parts, ok := v.([]any)
		if !ok || len(parts) != 2 {
			return Filter{}, fmt.Errorf("filter on %s: between takes [from, to]", field)
		}
		f.Value = []any{param(parts[0]), param(parts[1])}
	case "is":
		s := strings.ToLower(Text(v))
		if s != "set" && s != "not set" {
			return Filter{}, fmt.Errorf(`filter on %s: "is" takes "set" or "not set"`, field)
		}
		f.Value = s
	default:
		f.Value = param(v)
	}
	return f, nil
}

// param is a filter's value as the query takes it: text, numbers and None as they are,
// booleans as 1 and 0, anything else its text.
func param(v any) any {
	switch x := v.(type) {
	case nil, string, int64, float64:
		return x
	case bool:
		if x {
			return int64(1)
		}
		return int64(0)
	case int:
		return int64(x)
	}
	return Text(v)
}

// OrderBy reads an order_by argument: "field [asc|desc], ...", with or without the ERP's
// "`tabX`." prefix.
func OrderBy(s string) ([]Order, error) {
	var out []Order
	for _, part := range strings.Split(s, ",") {
		words := strings.Fields(part)
		if len(words) == 0 || len(words) > 2 {
			return nil, fmt.Errorf("order_by %q: give field names, each with asc or desc", s)
		}
		field := words[0]
		if i := strings.LastIndex(field, "."); i >= 0 {
			field = field[i+1:]
		}
		field = strings.Trim(field, "`\"")
		o := Order{Field: field}
		if len(words) == 2 {
			switch strings.ToLower(words[1]) {
			case "desc":
				o.Desc = true
			case "asc":
			default:
				return nil, fmt.Errorf("order_by %q: %q is neither asc nor desc", s, words[1])
			}
		}
		out = append(out, o)
	}
	return out, nil
}

// Text is a value as Python's str() gives it, for the names a call takes: text as it is,
// numbers as Python prints them (5, 5.0), None as "None".
func Text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case float64:
		if math.Trunc(x) == x && math.Abs(x) < 1e16 {
			return strconv.FormatFloat(x, 'f', 1, 64)
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}

// Truthy is Python's truth of a plain value.
func Truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case int:
		return x != 0
	case int64:
		return x != 0
	case float64:
		return x != 0
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}

// number is a limit's value: a number, or text read as one; 0 for anything else.
func number(v any) float64 {
	switch x := v.(type) {
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case float64:
		return x
	case bool:
		if x {
			return 1
		}
	case string:
		f, _ := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(x), ",", ""), 64)
		return f
	}
	return 0
}

// typeName is Python's name of a value's type, for messages.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case int, int64:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case []any:
		return "list"
	case map[string]any:
		return "dict"
	}
	return fmt.Sprintf("%T", v)
}

// repr is a value as Python's repr() shows it, near enough for messages.
func repr(v any) string {
	switch x := v.(type) {
	case string:
		return "'" + strings.ReplaceAll(x, "'", `\'`) + "'"
	case []any:
		parts := make([]string, len(x))
		for i, item := range x {
			parts[i] = repr(item)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := sortedKeys(x)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = repr(k) + ": " + repr(x[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return Text(v)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
