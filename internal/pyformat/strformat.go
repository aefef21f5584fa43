package pyformat

import (
	"strconv"
	"strings"
)

// Args are the arguments of str.format, or, for str.format_map, its mapping.
type Args[V any] struct {
	Pos []V
	Kw  map[string]V
	// Mapping reads a field's name for format_map; nil for format.
	Mapping func(key string) (V, error)
}

// Fields is how str.format reads a field's attribute ({0.name}) and item ({0[key]}, key an
// int when written as digits, else a str) from the caller's values.
type Fields[V any] struct {
	Attr func(v V, name string) (V, error)
	Item func(v V, key any) (V, error)
}

// StrFormat is Python's str.format: {} {0} {name} {0.attr} {0[key]}, the conversions !s, !r and
// !a, and a format spec (FormatSpec) whose own fields ({:>{width}}) take the next arguments, one
// level deep, as in Python.
func StrFormat[V any](m Model[V], fields Fields[V], s string, args Args[V]) (string, error) {
	auto := 0 // the next automatic field's index; -1 once a field is numbered
	return strFormat(m, fields, s, args, &auto, 2)
}

func strFormat[V any](m Model[V], fields Fields[V], s string, args Args[V], auto *int, depth int) (string, error) {
	if depth == 0 {
		return "", valueError("Max string recursion exceeded")
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '}' {
			if i+1 < len(s) && s[i+1] == '}' {
				b.WriteByte('}')
				i++
				continue
			}
			return "", valueError("Single '}' encountered in format string")
		}
		if c != '{' {
			b.WriteByte(c)
			continue
		}
		if i+1 < len(s) && s[i+1] == '{' {
			b.WriteByte('{')
			i++
			continue
		}
		// The field runs to the matching }, past the {} of the fields in its spec.
		level, end := 1, -1
		for j := i + 1; j < len(s) && end < 0; j++ {
			switch s[j] {
			case '{':
				level++
			case '}':
				if level--; level == 0 {
					end = j
				}
			}
		}
		switch {
		case i+1 == len(s):
			return "", valueError("Single '{' encountered in format string")
		case end < 0:
			return "", valueError("expected '}' before end of string")
		}
		field := s[i+1 : end]
		i = end
		name, spec, hasSpec := strings.Cut(field, ":")
		name, conv, hasConv := strings.Cut(name, "!")
		v, err := lookup(fields, name, args, auto)
		if err != nil {
			return "", err
		}
		if hasSpec && strings.Contains(spec, "{") {
			if spec, err = strFormat(m, fields, spec, args, auto, depth-1); err != nil {
				return "", err
			}
		}
		var out string
		if hasConv {
			if conv != "s" && conv != "r" && conv != "a" {
				return "", valueError("Unknown conversion specifier %s", conv)
			}
			if err := m.Charge(m.Size(v, conv != "s")); err != nil {
				return "", err
			}
			text := m.Str(v)
			switch conv {
			case "r":
				text = m.Repr(v)
			case "a":
				text = ascii(m.Repr(v))
			}
			out, err = formatStr(m, text, spec)
		} else {
			out, err = FormatSpec(m, v, spec)
		}
		if err != nil {
			return "", err
		}
		if err := m.Charge(float64(b.Len()) + float64(len(out))); err != nil {
			return "", err
		}
		b.WriteString(out)
	}
	return b.String(), nil
}

// formatStr is format(s, spec) of a str, what a conversion gives.
func formatStr[V any](m Model[V], s, spec string) (string, error) {
	f, err := ParseSpec(spec, "str")
	if err != nil {
		return "", err
	}
	if err := checkGrouping(f, true, false); err != nil {
		return "", err
	}
	if err := m.Charge(float64(f.Width) + float64(len(s))); err != nil {
		return "", err
	}
	return formatText(f, s)
}

// lookup reads the value of a field's name: an argument by position (automatic or numbered)
// or keyword, or the mapping's, then its .attr and [key] parts.
func lookup[V any](fields Fields[V], name string, args Args[V], auto *int) (V, error) {
	var v V
	head, rest := name, ""
	if k := strings.IndexAny(name, ".["); k >= 0 {
		head, rest = name[:k], name[k:]
	}
	switch n, err := strconv.Atoi(head); {
	case args.Mapping != nil && head == "":
		return v, valueError("Format string contains positional fields")
	case args.Mapping != nil:
		x, err := args.Mapping(head)
		if err != nil {
			return v, err
		}
		v = x
	case head == "":
		if *auto < 0 {
			return v, valueError("cannot switch from manual field specification to automatic field numbering")
		}
		if *auto >= len(args.Pos) {
			return v, &Error{"IndexError", "Replacement index " + strconv.Itoa(*auto) + " out of range for positional args tuple"}
		}
		v = args.Pos[*auto]
		*auto++
	case err == nil && n >= 0:
		if *auto > 0 {
			return v, valueError("cannot switch from automatic field numbering to manual field specification")
		}
		*auto = -1
		if n >= len(args.Pos) {
			return v, &Error{"IndexError", "Replacement index " + head + " out of range for positional args tuple"}
		}
		v = args.Pos[n]
	default:
		x, ok := args.Kw[head]
		if !ok {
			return v, &Error{"KeyError", "'" + head + "'"}
		}
		v = x
	}
	for rest != "" {
		var err error
		if rest[0] == '.' {
			rest = rest[1:]
			k := strings.IndexAny(rest, ".[")
			if k < 0 {
				k = len(rest)
			}
			if rest[:k] == "" {
				return v, valueError("Empty attribute in format string")
			}
			if v, err = fields.Attr(v, rest[:k]); err != nil {
				return v, err
			}
			rest = rest[k:]
			continue
		}
		k := strings.IndexByte(rest, ']')
		if k < 0 {
			return v, valueError("Missing ']' in format string")
		}
		var key any = rest[1:k]
		if n, err := strconv.Atoi(rest[1:k]); err == nil && n >= 0 {
			key = n
		}
		if v, err = fields.Item(v, key); err != nil {
			return v, err
		}
		rest = rest[k+1:]
		if rest != "" && rest[0] != '.' && rest[0] != '[' {
			return v, valueError("Only '.' or '[' may follow ']' in format field specifier")
		}
	}
	return v, nil
}
