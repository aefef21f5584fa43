package render

import (
	"cmp"
	"maps"
	"reflect"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nikolalohinski/gonja/v2/exec"
)

// pprintWidth is the width pprint.pformat lays its text out in.
const pprintWidth = 80

// filterPprint is Jinja2's pprint, Python's pprint.pformat(x): x's repr, dicts by sorted keys,
// when it fits in 80 characters; otherwise a list, tuple or dict one item a line and a long
// text in pieces, as pformat lays them out. gonja's printed its own JSON of Go's values.
// Its input's repr is charged before (checkFilter); the indentation of nested items adds to
// it, so the text stops at MaxString.
func filterPprint(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if err := params.Take(); err != nil {
		return exec.AsValue(exec.ErrInvalidCall(err))
	}
	st := stateOf(e.Environment.Context)
	p := pprinter{st: st, limit: st.limits.MaxString}
	p.format(in.Interface(), 0, 0, 0)
	if p.err != nil {
		return exec.AsValue(p.err)
	}
	if p.b.Len() > p.limit {
		return exec.AsValue(st.exceed(overBudget("pprint's text is more than the limit of %d bytes", p.limit)))
	}
	return exec.AsValue(p.b.String())
}

// pprinter is pprint.PrettyPrinter with its defaults (indent 1, width 80, sort_dicts), whose
// text stops growing past limit bytes.
type pprinter struct {
	b     strings.Builder
	st    *state
	limit int
	err   error // the rendering's deadline, passed
}

// format is PrettyPrinter._format: v's repr if it fits in what the line has left after indent
// and allowance (the characters that must follow it), otherwise v laid out on several lines.
func (p *pprinter) format(v any, indent, allowance, level int) {
	if p.b.Len() > p.limit || p.err != nil {
		return
	}
	if p.err = p.st.inTime(); p.err != nil {
		return
	}
	room := pprintWidth - indent - allowance
	rep, whole := sortedRepr(v, 4*max(room, 0)+4) // at most 4 bytes a character
	if !whole || utf8.RuneCountInString(rep) > room {
		level++
		switch x := pyShape(v); x.kind {
		case shapeList:
			p.b.WriteByte('[')
			p.items(x.items, indent, allowance+1, level)
			p.b.WriteByte(']')
			return
		case shapeTuple:
			end := ")"
			if len(x.items) == 1 {
				end = ",)"
			}
			p.b.WriteByte('(')
			p.items(x.items, indent, allowance+len(end), level)
			p.b.WriteString(end)
			return
		case shapeDict:
			p.b.WriteByte('{')
			p.dictItems(x.pairs, indent, allowance+1, level)
			p.b.WriteByte('}')
			return
		case shapeText:
			p.text(x.text, indent, allowance, level)
			return
		}
	}
	p.b.WriteString(rep)
}

// items is PrettyPrinter._format_items: one item a line, each line indented one more.
func (p *pprinter) items(items []any, indent, allowance, level int) {
	indent++
	for i, item := range items {
		if i > 0 {
			p.b.WriteString(",\n" + strings.Repeat(" ", indent))
		}
		p.format(item, indent, itemAllowance(i == len(items)-1, allowance), level)
	}
}

// itemAllowance is what must follow an item on its line: the container's closing characters
// after the last, a comma after the others.
func itemAllowance(last bool, allowance int) int {
	if last {
		return allowance
	}
	return 1
}

// dictItems is PrettyPrinter._format_dict_items: a pair a line, a value laid out after its key.
func (p *pprinter) dictItems(pairs [][2]any, indent, allowance, level int) {
	indent++
	for i, pair := range pairs {
		if i > 0 {
			p.b.WriteString(",\n" + strings.Repeat(" ", indent))
		}
		key, _ := sortedRepr(pair[0], p.limit)
		p.b.WriteString(key + ": ")
		p.format(pair[1], indent+utf8.RuneCountInString(key)+2, itemAllowance(i == len(pairs)-1, allowance), level)
	}
}

// text is PrettyPrinter._pprint_str: a long text as the reprs of its lines, and of runs of its
// words where a line is too long, one a line (in brackets when the text is all there is).
func (p *pprinter) text(s string, indent, allowance, level int) {
	if s == "" {
		p.b.WriteString("''")
		return
	}
	if level == 1 {
		indent++
		allowance++
	}
	width := pprintWidth - indent
	lines := splitLinesKeep(s)
	var chunks []string
	var rep string
	for i, line := range lines {
		rep = pyReprAny(line)
		lineWidth, wordWidth := width, width
		if i == len(lines)-1 {
			lineWidth -= allowance
		}
		if utf8.RuneCountInString(rep) <= lineWidth {
			chunks = append(chunks, rep)
			continue
		}
		parts := wordRuns(line)
		current := ""
		for j, part := range parts {
			candidate := current + part
			if j == len(parts)-1 && i == len(lines)-1 {
				wordWidth -= allowance
			}
			if utf8.RuneCountInString(pyReprAny(candidate)) > wordWidth {
				if current != "" {
					chunks = append(chunks, pyReprAny(current))
				}
				current = part
			} else {
				current = candidate
			}
		}
		if current != "" {
			chunks = append(chunks, pyReprAny(current))
		}
	}
	if len(chunks) == 1 {
		p.b.WriteString(rep)
		return
	}
	if level == 1 {
		p.b.WriteByte('(')
	}
	p.b.WriteString(strings.Join(chunks, "\n"+strings.Repeat(" ", indent)))
	if level == 1 {
		p.b.WriteByte(')')
	}
}

// splitLinesKeep is str.splitlines(True).
func splitLinesKeep(s string) []string {
	var lines []string
	for s != "" {
		i := strings.IndexAny(s, "\n\r\v\f\x1c\x1d\x1e\u0085\u2028\u2029")
		if i < 0 {
			return append(lines, s)
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		if s[i] == '\r' && strings.HasPrefix(s[i+1:], "\n") {
			n++
		}
		lines = append(lines, s[:i+n])
		s = s[i+n:]
	}
	return lines
}

// wordRuns is re.findall(r'\S*\s*', s) without its empty last match: each word with the
// white space after it.
func wordRuns(s string) []string {
	var runs []string
	for s != "" {
		i := strings.IndexFunc(s, unicode.IsSpace)
		if i < 0 {
			return append(runs, s)
		}
		j := strings.IndexFunc(s[i:], func(r rune) bool { return !unicode.IsSpace(r) })
		if j < 0 {
			return append(runs, s)
		}
		runs = append(runs, s[:i+j])
		s = s[i+j:]
	}
	return runs
}

// shapeKind is how pprint lays a value out.
type shapeKind int

const (
	shapeOther shapeKind = iota
	shapeText
	shapeList
	shapeTuple
	shapeDict
)

// shape is a value as pprint sees it: a text, the items of a list or a tuple, or the pairs of
// a dict in the order of their keys.
type shape struct {
	kind  shapeKind
	text  string
	items []any
	pairs [][2]any
}

func pyShape(v any) shape {
	switch x := v.(type) {
	case *exec.Value:
		if x == nil || x.IsNil() {
			return shape{}
		}
		return pyShape(x.Interface())
	case string:
		return shape{kind: shapeText, text: x}
	case pyTuple:
		return shape{kind: shapeTuple, items: slices.Clone([]any(x))}
	case *exec.Dict:
		pairs := make([][2]any, len(x.Pairs))
		for i, p := range x.Pairs {
			pairs[i] = [2]any{p.Key.Interface(), p.Value}
		}
		return shape{kind: shapeDict, pairs: sortedPairs(pairs)}
	case map[string]any:
		var pairs [][2]any
		for _, k := range slices.Sorted(maps.Keys(x)) {
			pairs = append(pairs, [2]any{k, x[k]})
		}
		return shape{kind: shapeDict, pairs: pairs}
	}
	rv := reflect.ValueOf(v)
	if k := rv.Kind(); (k == reflect.Slice || k == reflect.Array) && !isBytes(rv) {
		items := make([]any, rv.Len())
		for i := range items {
			items[i] = rv.Index(i).Interface()
		}
		return shape{kind: shapeList, items: items}
	}
	return shape{}
}

func isBytes(rv reflect.Value) bool { return rv.Type().Elem().Kind() == reflect.Uint8 }

// sortedPairs orders a dict's pairs as pprint does: by key, keys of different types by their
// type's name.
func sortedPairs(pairs [][2]any) [][2]any {
	slices.SortStableFunc(pairs, func(a, b [2]any) int {
		ka, kb := exec.AsValue(a[0]), exec.AsValue(b[0])
		switch {
		case ka.IsString() && kb.IsString():
			return strings.Compare(ka.String(), kb.String())
		case ka.IsNumber() && kb.IsNumber():
			return cmp.Compare(ka.Float(), kb.Float())
		}
		return strings.Compare(pyType(ka), pyType(kb))
	})
	return pairs
}

// sortedRepr is repr(v) with every dict's keys in order, as pprint writes it, built up to
// limit bytes: whole is false, and the text cut, when it is longer. pprint asks at every level
// whether an item's repr fits on its line; building only what can fit keeps a deep structure
// from costing its whole repr once per level.
func sortedRepr(v any, limit int) (rep string, whole bool) {
	var b strings.Builder
	whole = writeSortedRepr(&b, v, limit)
	return b.String(), whole
}

func writeSortedRepr(b *strings.Builder, v any, limit int) bool {
	if b.Len() > limit {
		return false
	}
	s := pyShape(v)
	switch s.kind {
	case shapeList, shapeTuple:
		open, end := "[", "]"
		if s.kind == shapeTuple {
			open, end = "(", ")"
			if len(s.items) == 1 {
				end = ",)"
			}
		}
		b.WriteString(open)
		for i, item := range s.items {
			if i > 0 {
				b.WriteString(", ")
			}
			if !writeSortedRepr(b, item, limit) {
				return false
			}
		}
		b.WriteString(end)
	case shapeDict:
		b.WriteByte('{')
		for i, p := range s.pairs {
			if i > 0 {
				b.WriteString(", ")
			}
			if !writeSortedRepr(b, p[0], limit) {
				return false
			}
			b.WriteString(": ")
			if !writeSortedRepr(b, p[1], limit) {
				return false
			}
		}
		b.WriteByte('}')
	case shapeText:
		if b.Len()+len(s.text) > limit {
			return false // its repr is longer still
		}
		b.WriteString(pyReprAny(s.text))
	default:
		b.WriteString(pyReprAny(v))
	}
	return b.Len() <= limit
}
