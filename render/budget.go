package render

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
	"walnotify/internal/pystr"

	"github.com/nikolalohinski/gonja/v2/builtins"
	"github.com/nikolalohinski/gonja/v2/exec"
)

// The filters and str methods whose result can be much larger than their input (a width, a
// count, a separator repeated per item) check the rendering's Limits before they build it;
// every filter's result is charged to Limits.MaxBuilt after. gonja's methods do not see the
// rendering, so prepare turns every method call into a call of a hidden global that does
// (methods.go).

// sizedFilter wraps a filter with a check, before it runs, of the size its arguments ask for,
// and charges what it built.
func sizedFilter(name string, f exec.FilterFunction) exec.FilterFunction {
	return func(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
		st := stateOf(e.Environment.Context)
		if err := checkFilter(st, name, in, params); err != nil {
			return exec.AsValue(err)
		}
		out := f(e, in, params)
		if err := chargeValue(st, out); err != nil {
			return exec.AsValue(err)
		}
		return out
	}
}

// chargeValue charges a built string or list to the budget.
func chargeValue(st *state, v *exec.Value) error {
	switch {
	case v == nil || v.IsNil() || v.IsError():
		return nil
	case v.IsString():
		return st.charge(float64(len(v.String())))
	case v.IsList():
		return st.chargeItems(float64(len(items(v))))
	}
	return st.inTime()
}

// argument is the value of a filter's parameter given by position i or by name (nil if
// absent).
func argument(params *exec.VarArgs, i int, name string) *exec.Value {
	if i < len(params.Args) {
		return params.Args[i]
	}
	return params.KwArgs[name]
}

func intArgument(params *exec.VarArgs, i int, name string, def int) int {
	if v := argument(params, i, name); v != nil && v.IsNumber() {
		return v.Integer()
	}
	return def
}

func checkFilter(st *state, name string, in *exec.Value, params *exec.VarArgs) error {
	size := 0.0
	if in.IsString() {
		size = float64(len(in.String()))
	}
	switch name {
	case "center":
		return st.charge(max(size, float64(intArgument(params, 0, "width", 80))))
	case "indent":
		width := float64(intArgument(params, 0, "width", 4))
		if w := argument(params, 0, "width"); w != nil && w.IsString() {
			width = float64(len(w.String()))
		}
		lines := float64(strings.Count(in.String(), "\n") + 1)
		return st.charge(size + lines*width)
	case "join":
		sep := argument(params, 0, "d")
		n := float64(len(items(in)))
		if in.IsDict() || in.IsString() {
			n = float64(in.Len())
		}
		total := size
		if in.IsList() {
			total = 0
			for _, item := range items(in) {
				total += float64(len(display(exec.ToValue(item))))
			}
		}
		if sep != nil {
			total += n * float64(len(sep.String()))
		}
		return st.charge(total)
	case "replace":
		old, repl := argument(params, 0, "old"), argument(params, 1, "new")
		if old == nil || repl == nil {
			return nil
		}
		return st.charge(replacedSize(in.String(), old.String(), repl.String(), intArgument(params, 2, "count", -1)))
	case "batch", "slice":
		return st.chargeItems(float64(len(items(in))) + float64(intArgument(params, 0, "linecount", 0)))
	case "wordwrap", "truncate", "urlize":
		return st.charge(2*size + 64)
	case "string", "str", "tojson", "pprint", "urlencode", "xmlattr", "list", "escape", "e", "forceescape":
		return st.chargeText(in.Interface())
	}
	return st.inTime()
}

// replacedSize is the size of s with count (all when negative) occurrences of old replaced.
func replacedSize(s, old, repl string, count int) float64 {
	n := utf8.RuneCountInString(s) + 1
	if old != "" {
		n = strings.Count(s, old)
	}
	if count >= 0 {
		n = min(n, count)
	}
	return float64(len(s)) + float64(n)*(float64(len(repl))-float64(len(old)))
}

// filterFormat is Jinja2's format filter: "%s, %s!"|format(a, b) is "%s, %s!" % (a, b),
// with Python's %-formatting, not Go's.
func filterFormat(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	st := stateOf(e.Environment.Context)
	var args *exec.Value
	switch {
	case len(params.Args) > 0 && len(params.KwArgs) > 0:
		return exec.AsValue(fmt.Errorf("format: can't handle positional and keyword arguments at the same time"))
	case len(params.KwArgs) > 0:
		m := make(map[string]any, len(params.KwArgs))
		for k, v := range params.KwArgs {
			m[k] = v.Interface()
		}
		args = exec.AsValue(m)
	default:
		t := make(pyTuple, len(params.Args))
		for i, v := range params.Args {
			t[i] = v.Interface()
		}
		args = exec.AsValue(t)
	}
	s, err := percentFormat(st, in.String(), args)
	if err != nil {
		return exec.AsValue(err)
	}
	return exec.AsValue(s)
}

// sizedMethods are the str methods that can build more than their receiver.
var sizedMethods = map[string]strMethod{
	"center":     strPad(pystr.Center),
	"ljust":      strPad(pystr.Left),
	"rjust":      strPad(pystr.Right),
	"zfill":      strZfill,
	"join":       strJoin,
	"replace":    strReplace,
	"expandtabs": strExpandTabs,
	"format":     strFormatGuarded("format"),
	"format_map": strFormatGuarded("format_map"),
}

func strPad(align pystr.Align) func(st *state, s string, args *exec.VarArgs) (any, error) {
	return func(st *state, s string, args *exec.VarArgs) (any, error) {
		a, err := bind(args, "width", "fillchar")
		if err != nil {
			return nil, err
		}
		if a[0] == nil || !a[0].IsInteger() {
			return nil, fmt.Errorf("TypeError: width must be an integer")
		}
		width, fill := a[0].Integer(), " "
		if a[1] != nil {
			if !a[1].IsString() {
				return nil, fmt.Errorf("TypeError: The fill character must be a unicode character, not %s", pyType(a[1]))
			}
			if fill = a[1].String(); utf8.RuneCountInString(fill) != 1 {
				return nil, fmt.Errorf("TypeError: The fill character must be exactly one character long")
			}
		}
		if err := st.charge(pystr.PadSize(s, width, fill)); err != nil {
			return nil, err
		}
		return pystr.Pad(s, width, fill, align), nil
	}
}

func strZfill(st *state, s string, args *exec.VarArgs) (any, error) {
	a, err := bind(args, "width")
	if err != nil {
		return nil, err
	}
	if a[0] == nil || !a[0].IsInteger() {
		return nil, fmt.Errorf("TypeError: width must be an integer")
	}
	width := a[0].Integer()
	if err := st.charge(pystr.PadSize(s, width, "0")); err != nil {
		return nil, err
	}
	return pystr.Zfill(s, width), nil
}

func strJoin(st *state, sep string, args *exec.VarArgs) (any, error) {
	a, err := bind(args, "iterable")
	if err != nil || a[0] == nil {
		return nil, fmt.Errorf("TypeError: join() takes exactly one argument")
	}
	var parts []string
	switch it := a[0]; {
	case it.IsString():
		for _, r := range it.String() {
			parts = append(parts, string(r))
		}
	case it.IsDict():
		for _, k := range it.Keys() {
			parts = append(parts, k.String())
		}
	case it.IsList():
		for i, item := range items(it) {
			s, ok := item.(string)
			if !ok {
				return nil, fmt.Errorf("TypeError: sequence item %d: expected str instance, %s found", i, pyType(exec.ToValue(item)))
			}
			parts = append(parts, s)
		}
	default:
		return nil, fmt.Errorf("TypeError: can only join an iterable")
	}
	total := float64(len(sep)) * float64(max(len(parts)-1, 0))
	for _, p := range parts {
		total += float64(len(p))
	}
	if err := st.charge(total); err != nil {
		return nil, err
	}
	return strings.Join(parts, sep), nil
}

func strReplace(st *state, s string, args *exec.VarArgs) (any, error) {
	a, err := bind(args, "old", "new", "count")
	if err != nil {
		return nil, err
	}
	if a[0] == nil || a[1] == nil || !a[0].IsString() || !a[1].IsString() {
		return nil, fmt.Errorf("TypeError: replace() arguments must be str")
	}
	count := -1
	if a[2] != nil {
		if !a[2].IsInteger() {
			return nil, fmt.Errorf("TypeError: count must be an integer")
		}
		count = a[2].Integer()
	}
	old, repl := a[0].String(), a[1].String()
	if err := st.charge(replacedSize(s, old, repl, count)); err != nil {
		return nil, err
	}
	return strings.Replace(s, old, repl, count), nil
}

func strExpandTabs(st *state, s string, args *exec.VarArgs) (any, error) {
	a, err := bind(args, "tabsize")
	if err != nil {
		return nil, err
	}
	size := 8
	if a[0] != nil {
		size = a[0].Integer()
	}
	if err := st.charge(pystr.ExpandTabsSize(s, size)); err != nil {
		return nil, err
	}
	return pystr.ExpandTabs(s, size), nil
}

// formatWidths finds the widths and precisions of a str.format replacement field's spec.
var formatWidths = regexp.MustCompile(`\{[^{}]*:[^{}]*?(\d+)(?:\.(\d+))?[^{}]*\}`)

// strFormatGuarded refuses widths and precisions past the budget, then formats with gonja.
func strFormatGuarded(name string) func(st *state, s string, args *exec.VarArgs) (any, error) {
	return func(st *state, s string, args *exec.VarArgs) (any, error) {
		total := float64(len(s))
		for _, a := range args.Args {
			total += textSize(a.Interface(), float64(st.limits.MaxString)+1)
		}
		for _, a := range args.KwArgs {
			total += textSize(a.Interface(), float64(st.limits.MaxString)+1)
		}
		for _, m := range formatWidths.FindAllStringSubmatch(s, -1) {
			for _, digits := range m[1:] {
				if n, err := strconv.ParseFloat(digits, 64); err == nil {
					total += n
				}
			}
		}
		if err := st.charge(total); err != nil {
			return nil, err
		}
		m, ok := builtins.Methods.Str.Get(name)
		if !ok {
			return nil, fmt.Errorf("AttributeError: 'str' object has no attribute '%s'", name)
		}
		out, err := m(s, exec.AsValue(s), args)
		if err != nil {
			return nil, err
		}
		return out, chargeValue(st, exec.AsValue(out))
	}
}
