package render

import (
	"errors"
	"fmt"
	"html"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nikolalohinski/gonja/v2/exec"

	"walnotify/internal/pyfloat"
	"walnotify/internal/pystr"
	"walnotify/internal/rounding"
)

// textFilter wraps every filter so that it works on the document's text as written and its
// result is escaped again: "A & B"|upper gives "A &amp; B" on Slack (not "A &AMP; B"),
// |truncate and |length count the characters a reader sees, and a result built from unescaped
// text can never reach the output unescaped. It also turns float results into numbers, and
// passes an input that is an error on, as Jinja2 never calls a filter on a failed expression
// (gonja's abs, format and urlencode gave 0, the error's type and "": (1 / 0)|abs was 0; its
// default gave its default: (a // b)|default(0) printed 0).
func textFilter(f exec.FilterFunction) exec.FilterFunction {
	return func(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
		if in.IsError() {
			return in
		}
		format := stateOf(e.Environment.Context).format
		text := format != Plain && in.IsString()
		if text {
			in = exec.AsValue(format.unescape(in.String()))
			params = unescapeArgs(format, params)
		}
		out := f(e, in, params)
		if out.IsError() || out.IsNil() {
			return out
		}
		v := out.Interface()
		if text {
			v = escapeResult(format, v)
		}
		switch x := v.(type) {
		case float64:
			v = number(x)
		case float32:
			v = number(x)
		}
		return &exec.Value{Val: reflect.ValueOf(v), Safe: out.Safe}
	}
}

func unescapeArgs(f Format, va *exec.VarArgs) *exec.VarArgs {
	out := &exec.VarArgs{Args: make([]*exec.Value, len(va.Args)), KwArgs: make(map[string]*exec.Value, len(va.KwArgs))}
	for i, a := range va.Args {
		out.Args[i] = unescapeValue(f, a)
	}
	for k, a := range va.KwArgs {
		out.KwArgs[k] = unescapeValue(f, a)
	}
	return out
}

func unescapeValue(f Format, v *exec.Value) *exec.Value {
	if !v.IsString() {
		return v
	}
	return exec.AsValue(f.unescape(v.String()))
}

// escapeResult escapes the strings of a filter's result, in lists and maps too.
func escapeResult(f Format, v any) any {
	switch x := v.(type) {
	case string:
		return f.Escape(x)
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = escapeResult(f, item)
		}
		return out
	case []string:
		out := make([]string, len(x))
		for i, item := range x {
			out[i] = f.Escape(item)
		}
		return out
	case exec.ValuesList:
		out := make(exec.ValuesList, len(x))
		for i, item := range x {
			out[i] = exec.AsValue(escapeResult(f, item.Interface()))
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, item := range x {
			out[f.Escape(k)] = escapeResult(f, item)
		}
		return out
	}
	return v
}

// filterRound is Jinja2's round: common rounds half to even on the decimal value, as Python's
// round() does (gonja rounds half away from zero), floor and ceil as named.
func filterRound(_ *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	args, err := bind(params, "precision", "method")
	if err != nil {
		return exec.AsValue(err)
	}
	precision := 0
	if args[0] != nil {
		if !args[0].IsInteger() {
			return exec.AsValue(errors.New("round: precision must be an integer"))
		}
		precision = args[0].Integer()
	}
	method := "common"
	if args[1] != nil {
		method = args[1].String()
	}
	n, _ := asNum(in) // a number: see notNumber
	x := n.float()
	factor := math.Pow(10, float64(precision))
	switch method {
	case "common":
		if !n.isFloat {
			return exec.AsValue(roundInt(n.i, precision)) // Python rounds an int (or a bool) to an int
		}
		return exec.AsValue(rounding.Python(x, precision))
	case "floor", "ceil":
		whole := math.Floor(x * factor)
		if method == "ceil" {
			whole = math.Ceil(x * factor)
		}
		if whole == 0 {
			whole = 0 // Python's math.floor and ceil give an int: no -0.0 (-0.5|round(0, "ceil") is 0.0)
		}
		return exec.AsValue(whole / factor)
	}
	return exec.AsValue(errors.New(`round: method must be "common", "floor" or "ceil"`))
}

// roundInt is Python's round(i, precision) of an int: i itself for precision >= 0, else the
// nearest multiple of 10**-precision, half to even, in exact arithmetic; a float when that is
// past int64 (as cint past 2**63 is).
func roundInt(i, precision int) any {
	if precision >= 0 || i == 0 {
		return i
	}
	if precision < -18 {
		// 10**19 and more: past every int but its half.
		if i > 5e18 || i < -5e18 {
			return math.Copysign(1e19, float64(i))
		}
		return 0
	}
	unit := 1
	for range -precision {
		unit *= 10
	}
	q, r := i/unit, i%unit // r has i's sign
	if r < 0 {
		r = -r
	}
	if half := unit - r; r > half || (r == half && q%2 != 0) {
		if i < 0 {
			q--
		} else {
			q++
		}
	}
	if q > math.MaxInt/unit || q < math.MinInt/unit {
		return float64(q) * float64(unit)
	}
	return q * unit
}

// filterEscape escapes its input for the service (Slack: & < >, ...); for Plain it is HTML
// escaping, as in Jinja2: what |safe, |tojson or |escape gave, which Jinja2 holds as Markup, is
// left as it is, but by forceescape. Document values are already escaped: they are not escaped
// twice.
func filterEscape(force bool) exec.FilterFunction {
	return func(e *exec.Evaluator, in *exec.Value, _ *exec.VarArgs) *exec.Value {
		if in.IsError() {
			return in
		}
		if stateOf(e.Environment.Context).format == Plain {
			if in.Safe && !force {
				return in
			}
			return exec.AsSafeValue(html.EscapeString(display(in)))
		}
		// textFilter has unescaped the input and escapes the result.
		return exec.AsValue(display(in))
	}
}

// filterReverse is Jinja2's reverse: a text reversed by characters, a list by items (gonja's
// reverses a text's bytes and sorts a list) and a dict's keys (gonja's keep their order),
// anything else as gonja does.
func filterReverse(gonja exec.FilterFunction) exec.FilterFunction {
	return func(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
		switch {
		case in.IsError():
			return in
		case in.IsString():
			r := []rune(in.String())
			slices.Reverse(r)
			return exec.AsValue(string(r))
		case in.IsList():
			l := slices.Clone(items(in))
			slices.Reverse(l)
			return exec.AsValue(l)
		case in.IsDict():
			keys, _ := dictKeys(in)
			slices.Reverse(keys)
			return exec.AsValue(keys)
		case isNumber(in):
			return exec.AsValue(errors.New("FilterArgumentError: argument must be iterable"))
		}
		return gonja(e, in, params)
	}
}

// refusing is filter f with the inputs refuse turns down failing as the ERP's do, message
// (whose %s is the input's Python type) their error. An error passes on as it is.
func refusing(refuse func(*exec.Value) bool, message string, f exec.FilterFunction) exec.FilterFunction {
	return func(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
		if !in.IsError() && refuse(in) {
			return exec.AsValue(fmt.Errorf(message, pyType(in)))
		}
		return f(e, in, params)
	}
}

// notNumber reports whether v is anything but an int, a float or a bool, None included: what
// abs and round refuse (gonja's took a text's length, or 0).
func notNumber(v *exec.Value) bool { return !isNumber(v) }

// filterAbs is abs of a number (see notNumber): a bool is 0 or 1, as in Python (gonja's gave 0
// for True).
func filterAbs(_ *exec.Evaluator, in *exec.Value, _ *exec.VarArgs) *exec.Value {
	n, _ := asNum(in)
	if n.isFloat {
		return exec.AsValue(math.Abs(n.f))
	}
	return exec.AsValue(max(n.i, -n.i))
}

// sumOfNumbers is Jinja2's sum(attribute=None, start=0): Python adds each item (or its
// attribute, read as sort and map read it) to start with +, so a text's characters, or any item
// + cannot add to a number, is +'s TypeError, and whole floats stay floats (gonja's skipped
// what was no number: "abc"|sum was 0, True counted 0, and 2.0 + 1.0 was 3).
func sumOfNumbers(f exec.FilterFunction) exec.FilterFunction {
	return func(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
		if !in.IsList() {
			return f(e, in, params)
		}
		args, err := bind(params, "attribute", "start")
		if err != nil {
			return exec.AsValue(fmt.Errorf("sum: %w", err))
		}
		st := stateOf(e.Environment.Context)
		total := exec.AsValue(0)
		if args[1] != nil {
			total = args[1]
		}
		for _, it := range items(in) {
			item := exec.AsValue(it)
			if args[0] != nil {
				item = attrPath(item, args[0].String())
			}
			sum, err := opAdd(st, total, item)
			if err != nil {
				return exec.AsValue(err)
			}
			total = exec.AsValue(sum)
		}
		return total
	}
}

// onText is a text filter that Jinja2 gives anything as its text (str(x)), where gonja's
// fails or measures it otherwise: {{ doc.qty|trim }} is "3", [1, 2]|trim is "[1, 2]", and NULL
// is "" as it prints ({{ doc.remarks|trim }} would otherwise fail the whole message).
func onText(f exec.FilterFunction) exec.FilterFunction {
	return func(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
		if !in.IsError() && !in.IsString() {
			in = exec.AsValue(display(in))
		}
		return f(e, in, params)
	}
}

// word is Python's \w+ on text: letters, digits and underscores, of any script.
var word = regexp.MustCompile(`[\p{L}\p{N}_]+`)

// wordcount is Jinja2's wordcount: how many runs of \w there are ("it's" is two, as "2.5"
// is), where gonja counts what spaces separate.
func wordcount(s string) int { return len(word.FindAllStringIndex(s, -1)) }

var (
	htmlComment = regexp.MustCompile(`(?s)<!--.*?-->`)
	htmlTag     = regexp.MustCompile(`(?s)<.*?>`)
)

// striptags is Jinja2's striptags (markupsafe's): comments and then tags removed, white space
// made single spaces, then the entities read: "<p>A</p><p>&amp; B</p>" is "A& B". gonja's put a
// space for each tag and kept the entities.
func striptags(s string) string {
	s = htmlTag.ReplaceAllString(htmlComment.ReplaceAllString(s, ""), "")
	return html.UnescapeString(strings.Join(pystr.Split(s, "", true, -1, false), " "))
}

// ofText is a filter that Jinja2 computes from its input's text, str(x): upper and lower (in
// Python's full case mapping, "ß"|upper is "SS"), title, wordcount.
func ofText[T any](f func(string) T) exec.FilterFunction {
	return func(_ *exec.Evaluator, in *exec.Value, _ *exec.VarArgs) *exec.Value {
		if in.IsError() {
			return in
		}
		return exec.AsValue(f(display(in)))
	}
}

// wordStart splits a text where Jinja2's title filter starts a word: after spaces, hyphens and
// opening brackets (not after an apostrophe or a comma, as str.title() does).
var wordStart = regexp.MustCompile(`[-\s({\[<]+`)

// title is Jinja2's title filter: each word's first character upper case, the rest lower
// ("o'brien"|title is "O'brien", "a,b"|title is "A,b").
func title(s string) string {
	var b strings.Builder
	at := 0
	word := func(w string) {
		if w == "" {
			return
		}
		_, n := utf8.DecodeRuneInString(w)
		b.WriteString(pystr.Upper(w[:n]))
		b.WriteString(pystr.Lower(w[n:]))
	}
	for _, m := range wordStart.FindAllStringIndex(s, -1) {
		word(s[at:m[0]])
		b.WriteString(s[m[0]:m[1]])
		at = m[1]
	}
	word(s[at:])
	return b.String()
}

// filterString is Jinja2's |string, str(x): a container as Python prints it (tuples in
// parentheses, a text with a quote in double quotes); NULL is "", as printed.
func filterString(_ *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if err := params.Take(); err != nil {
		return exec.AsValue(exec.ErrInvalidCall(err))
	}
	return &exec.Value{Val: reflect.ValueOf(display(in)), Safe: in.Safe}
}

// joinPrinted is |join that joins a list or a tuple among the items as Python's str() prints
// it, (1, 2) and ["x'y"] (gonja's joined [1, 2] and ['x'y']).
func joinPrinted(join exec.FilterFunction) exec.FilterFunction {
	return func(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
		if !in.IsList() || params.KwArgs["attribute"] != nil {
			return join(e, in, params)
		}
		list := items(in)
		var printed []any
		for i, item := range list {
			if !isContainer(item) {
				continue
			}
			if printed == nil {
				printed = slices.Clone(list)
			}
			printed[i] = display(exec.AsValue(item))
		}
		if printed != nil {
			in = exec.AsValue(printed)
		}
		return join(e, in, params)
	}
}

// byCharacters is a filter that iterates its input: a text goes to it as its characters, as
// Python iterates a str (gonja's filters would iterate its bytes: "Ü"|join("-") was "\xc3-\x9c"),
// and a number is a TypeError, as in the ERP (gonja's gave 0 or "": doc.qty|sum).
func byCharacters(f exec.FilterFunction) exec.FilterFunction {
	f = refusing(isNumber, "TypeError: '%s' object is not iterable", f)
	return func(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
		if in.IsString() {
			in = exec.AsValue(characters(in.String()))
		}
		return f(e, in, params)
	}
}

// overKeys is a filter that iterates a dict's keys, as Jinja2's slice does (gonja's slice
// takes a list only).
func overKeys(f exec.FilterFunction) exec.FilterFunction {
	return func(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
		if keys, ok := dictKeys(in); ok {
			in = exec.AsValue(keys)
		}
		return f(e, in, params)
	}
}

// dictKeys are a dict's keys in its order (see pairs); false for anything else.
func dictKeys(in *exec.Value) ([]any, bool) {
	ps, ok := pairs(in)
	if !ok {
		return nil, false
	}
	keys := make([]any, len(ps))
	for i, p := range ps {
		keys[i] = p[0]
	}
	return keys, true
}

// nothingOfAFalseNumber is a filter that gives nothing for 0, 0.0 or False, as Jinja2's map,
// select, reject, selectattr and rejectattr, which read "if value" before iterating; a true
// number is not iterable there either.
func nothingOfAFalseNumber(f exec.FilterFunction) exec.FilterFunction {
	return func(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
		if n, ok := asNum(in); ok && n.float() == 0 {
			return exec.AsValue([]any{})
		}
		return f(e, in, params)
	}
}

// sized is a filter that takes its input's len(): a number is a TypeError, as in the ERP
// (gonja's length of 2.5 was 0).
func sized(f exec.FilterFunction) exec.FilterFunction {
	return refusing(isNumber, "TypeError: object of type '%s' has no len()", f)
}

// isNumber reports whether v is an int, a float or a bool.
func isNumber(v *exec.Value) bool {
	_, ok := asNum(v)
	return ok
}

// filterInt is the ERP's int filter, which is cint: x|int, x|int(default); True is 1.
func filterInt(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	args, err := bind(params, "default")
	if err != nil {
		return exec.AsValue(err)
	}
	return exec.AsValue(cintWide(stateOf(e.Environment.Context).format, in, args[0]))
}

// filterFloat is Jinja2's float filter: float(x), or the default (0.0) when x is no number;
// True is 1.0, text is read as Python's float() reads it (no thousands separators).
func filterFloat(_ *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	args, err := bind(params, "default")
	if err != nil {
		return exec.AsValue(err)
	}
	if x, ok := asNum(in); ok {
		return exec.AsValue(number(x.float()))
	}
	if in.IsString() {
		if x, ok := pyfloat.Parse(in.String()); ok {
			return exec.AsValue(number(x))
		}
	}
	if args[0] != nil {
		return args[0]
	}
	return exec.AsValue(number(0))
}

// attrNames is xmlattr that fails, as Jinja2's, on an attribute name with a space, "/", ">" or
// "=" (of an item it writes, not None), which would write more than one attribute.
func attrNames(xmlattr exec.FilterFunction) exec.FilterFunction {
	return func(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
		ps, _ := pairs(in)
		for _, p := range ps {
			key, ok := p[0].(string)
			if ok && p[1] != nil && strings.ContainsAny(key, " \t\n\r\f\v/>=") {
				return exec.AsValue(fmt.Errorf("ValueError: Invalid character in attribute name: %s", pyRepr(exec.AsValue(key))))
			}
		}
		return xmlattr(e, in, params)
	}
}

// filterMap is Jinja2's map: each item through the filter its first argument names (with the
// other arguments), or its attribute (map(attribute="x", default=...), read as groupby reads
// it). A filter that fails fails the map, and one that does not exist is Jinja2's error, where
// gonja's kept their errors as items.
func filterMap(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	if in.IsNil() {
		return exec.AsValue([]any{})
	}
	list := items(iterList(in))
	out := make([]any, 0, len(list))
	if len(params.Args) == 0 {
		args, err := bind(params, "attribute", "default")
		switch {
		case err != nil:
			return exec.AsValue(fmt.Errorf("FilterArgumentError: map(): %w", err))
		case args[0] == nil:
			return exec.AsValue(errors.New("FilterArgumentError: map requires a filter argument"))
		}
		for _, item := range list {
			out = append(out, attrItem(exec.ToValue(item), args[0], args[1]).Interface())
		}
		return exec.AsValue(out)
	}
	name := params.Args[0].String()
	if !e.Environment.Filters.Exists(name) {
		return exec.AsValue(fmt.Errorf("TemplateRuntimeError: No filter named '%s'.", name))
	}
	rest := &exec.VarArgs{Args: params.Args[1:], KwArgs: params.KwArgs}
	for _, item := range list {
		v := e.ExecuteFilterByName(name, exec.ToValue(item), rest)
		if v.IsError() {
			return v
		}
		out = append(out, v.Interface())
	}
	return exec.AsValue(out)
}

// filterFilesizeformat is Jinja2's filesizeformat(binary=False): float() of the value (a text
// read as Python reads it; None, or a text that is no number, Python's error), "1 Byte", the
// whole bytes below the base (1000, or 1024 when binary), else one decimal of the largest unit
// it reaches (kB, MB, ... YB; KiB, MiB, ... YiB; NaN is "nan YB", as no comparison holds). gonja's took None and "x" as 0 and a
// float's bytes rounded.
func filterFilesizeformat(_ *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	args, err := bind(params, "binary")
	if err != nil {
		return exec.AsValue(fmt.Errorf("filesizeformat(): %w", err))
	}
	bytes, ok := 0.0, false
	if x, isNum := asNum(in); isNum {
		bytes, ok = x.float(), true
	} else if in.IsString() {
		if bytes, ok = pyfloat.Parse(in.String()); !ok {
			return exec.AsValue(fmt.Errorf("%w: %s", errNoFloat, pyRepr(in)))
		}
	}
	if !ok {
		return exec.AsValue(fmt.Errorf("TypeError: float() argument must be a string or a real number, not '%s'", pyType(in)))
	}
	base, prefixes := 1000.0, []string{"kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"}
	if args[0] != nil && truthy(args[0]) {
		base, prefixes = 1024, []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"}
	}
	switch {
	case bytes == 1:
		return exec.AsValue("1 Byte")
	case math.IsInf(bytes, -1):
		return exec.AsValue(errors.New("OverflowError: cannot convert float infinity to integer"))
	case bytes < base:
		return exec.AsValue(fmt.Sprintf("%d Bytes", int(bytes)))
	}
	unit := base
	for _, prefix := range prefixes {
		unit *= base
		if bytes < unit || prefix == prefixes[len(prefixes)-1] {
			switch scaled := base * bytes / unit; {
			case math.IsNaN(scaled):
				return exec.AsValue("nan " + prefix)
			case math.IsInf(scaled, 1):
				return exec.AsValue("inf " + prefix)
			default:
				return exec.AsValue(strconv.FormatFloat(scaled, 'f', 1, 64) + " " + prefix)
			}
		}
	}
	return nil // not reached: the last prefix returns
}

// filterFlt is the ERP's flt filter: flt(value, precision) (see fltOf).
func filterFlt(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	args, err := bind(params, "precision")
	if err != nil {
		return exec.AsValue(err)
	}
	format := stateOf(e.Environment.Context).format
	return exec.AsValue(fltOf(format, in, args[0]))
}

// filterTruncate is Jinja2's do_truncate: a text longer than length + leeway (leeway 5 when
// not given or None) is cut to length - len(end) characters, then, unless killwords, back to
// its last space (" " only, what is before it kept as it is, leading spaces included), and end
// is appended; a length below len(end) or a negative leeway is Jinja2's AssertionError. (gonja's
// cut at any white space and trimmed what was left: "  Printer On fire  "|truncate(8, false,
// "..", 0) was "..", where the ERP prints " ..".)
func filterTruncate(_ *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	a, err := bind(params, "length", "killwords", "end", "leeway")
	if err != nil {
		return exec.AsValue(fmt.Errorf("truncate(): %w", err))
	}
	// A float length compares, as in Python, and fails only where it would cut.
	length := pyNum{i: 255}
	if a[0] != nil {
		n, ok := asNum(a[0])
		if !ok {
			return exec.AsValue(fmt.Errorf("TypeError: '>=' not supported between instances of '%s' and 'int'", pyType(a[0])))
		}
		length = n
	}
	end := "..."
	if a[2] != nil {
		if !a[2].IsString() {
			return exec.AsValue(fmt.Errorf("TypeError: object of type '%s' has no len()", pyType(a[2])))
		}
		end = a[2].String()
	}
	leeway, err := optInt(a[3], 5)
	if err != nil {
		return exec.AsValue(err)
	}
	rEnd := utf8.RuneCountInString(end)
	size := in.Len()
	if in.IsString() {
		size = utf8.RuneCountInString(in.String())
	}
	switch {
	case length.float() < float64(rEnd):
		return exec.AsValue(fmt.Errorf("AssertionError: expected length >= %d, got %s", rEnd, display(a[0])))
	case leeway < 0:
		return exec.AsValue(fmt.Errorf("AssertionError: expected leeway >= 0, got %d", leeway))
	case float64(size) <= length.float()+float64(leeway):
		return in
	case length.isFloat:
		return exec.AsValue(errors.New("TypeError: slice indices must be integers or None or have an __index__ method"))
	case !in.IsString():
		return exec.AsValue(fmt.Errorf("AttributeError: '%s' object has no attribute 'rsplit'", pyType(in)))
	}
	cut := string([]rune(in.String())[:length.i-rEnd])
	if a[1] == nil || !a[1].IsTrue() {
		if i := strings.LastIndexByte(cut, ' '); i >= 0 {
			cut = cut[:i]
		}
	}
	return exec.AsValue(cut + end)
}

// filterCenter is Jinja2's center: the value as text (a number or a list as it prints), centered
// in width characters (80 by default) as Python's str.center does; gonja's counted a list's
// width wrongly and split an odd margin the other way ("2.5"|center(6) is " 2.5  ").
func filterCenter(_ *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	a, err := bind(params, "width")
	if err != nil {
		return exec.AsValue(fmt.Errorf("center(): %w", err))
	}
	width, err := optInt(a[0], 80)
	if err != nil {
		return exec.AsValue(err)
	}
	return exec.AsValue(pystr.Pad(display(in), width, " ", pystr.Center))
}

// filterTrim is Jinja2's trim(value, chars=None), str.strip: without chars, Python's white
// space goes, the separators \x1c to \x1f among it (gonja's trims Go's white space only).
func filterTrim(_ *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	a, err := bind(params, "chars")
	if err != nil {
		return exec.AsValue(fmt.Errorf("trim(): %w", err))
	}
	chars, ok, err := optString(a[0], "chars")
	if err != nil {
		return exec.AsValue(err)
	}
	if ok {
		return exec.AsValue(strings.Trim(in.String(), chars))
	}
	return exec.AsValue(strings.TrimFunc(in.String(), pystr.IsSpace))
}
