package render

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
)

// Object is a JSON object whose keys keep their order, as a Python dict does.
type Object []Member

// Member is one key of an Object.
type Member struct {
	Key   string
	Value any
}

// Dumps writes v as Python's json.dumps(v, default=str): separators ", " and ": ", non-ASCII
// and control characters escaped (ensure_ascii), an Object's keys in their order (a Go map's
// sorted), floats as Python's repr, a value JSON cannot hold as its text.
func Dumps(v any) (string, error) {
	var b strings.Builder
	if err := writeJSON(&b, v, false); err != nil {
		return "", err
	}
	return b.String(), nil
}

// ParseJSON reads JSON as Python's json.loads does: objects become Objects in key order (a
// repeated key keeps its first place and its last value), integers stay exact (int64, or
// *big.Int beyond), numbers with a fraction or an exponent are float64 (±Inf when too large).
// Dumps(ParseJSON(s)) is then json.dumps(json.loads(s)).
func ParseJSON(text string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	v, err := parseValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("extra data after the JSON value")
	}
	return v, nil
}

func parseValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			var obj Object
			at := map[string]int{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k := kt.(string)
				v, err := parseValue(dec)
				if err != nil {
					return nil, err
				}
				if i, ok := at[k]; ok {
					obj[i].Value = v
					continue
				}
				at[k] = len(obj)
				obj = append(obj, Member{Key: k, Value: v})
			}
			_, err := dec.Token() // }
			if obj == nil {
				obj = Object{}
			}
			return obj, err
		case '[':
			list := []any{}
			for dec.More() {
				v, err := parseValue(dec)
				if err != nil {
					return nil, err
				}
				list = append(list, v)
			}
			_, err := dec.Token() // ]
			return list, err
		}
		return nil, fmt.Errorf("unexpected %v", t)
	case json.Number:
		return pyNumber(string(t))
	default:
		return t, nil // string, bool, nil
	}
}

// pyNumber is a JSON number as Python reads it: an int when it has no fraction or exponent.
func pyNumber(s string) (any, error) {
	if !strings.ContainsAny(s, ".eE") {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n, nil
		}
		n, ok := new(big.Int).SetString(s, 10)
		if !ok {
			return nil, fmt.Errorf("invalid number %q", s)
		}
		return n, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return nil, err
	}
	return f, nil // beyond the range: ±Inf (Infinity in JSON), below it 0.0, as in Python
}
