package render

import (
	"io"
	"reflect"
	"time"

	"github.com/nikolalohinski/gonja/v2/builtins"
	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/parser"

	"walnotify/frappedb"
	"walnotify/internal/pystr"
	"walnotify/internal/rounding"
)

// stateKey names the rendering's state in the template context; it is not an identifier, so
// templates cannot reach it.
const stateKey = "\x00walnotify"

// state is one rendering's data and counters. A rendering runs on one goroutine.
type state struct {
	format   Format
	site     Site
	now      time.Time // in the site's location
	steps    int       // loop iterations and macro calls so far
	depth    int       // current nesting of loops and macro calls
	printed  int       // bytes printed by {{ }} anywhere, nested buffers included
	limits   Limits
	built    float64      // bytes built so far by budgeted operations (Limits.MaxBuilt)
	deadline time.Time    // zero when the state is not a rendering's
	ticks    uint         // calls of inTime so far
	exceeded *budgetError // the first limit reached, if any
	// enclosing are the scopes the loops under way run in, outermost first (see writeBack).
	enclosing []*exec.Context
	// grown are the arrays that list methods made, each with the length of the list that
	// holds all of it (see grow).
	grown map[uintptr]int
	// eval evaluates in the scope whose environment is evalEnv (see evaluator).
	eval    *exec.Evaluator
	evalEnv *exec.Environment
	// lookup reads the database for frappe.db.get_value and its kin (lookup.go), in the
	// session db, made on first use.
	lookup frappedb.Lookup
	db     *frappedb.Session
	fields Fields // the document types' fields, for get_formatted
	// doc is the rendering's document as templates hold it, rawDoc as given, before the row
	// before the change (Data.Before): for doc.has_value_changed and get_doc_before_save.
	doc            any
	rawDoc, before map[string]any
	// testErr is the first error of a test (jinjaTests), which gonja's select, reject,
	// selectattr and rejectattr take as false: selecting ends with it (see failingTests).
	testErr error
}

func newState(d Data) *state {
	loc := d.Site.Location
	if loc == nil {
		loc = time.UTC
	}
	limits := d.Limits.withDefaults()
	return &state{format: d.Format, site: d.Site, now: d.Now.In(loc), limits: limits, deadline: time.Now().Add(limits.Timeout), lookup: d.Lookup, before: d.Before, fields: d.Fields}
}

// stateWriter is an output that carries the rendering's state: the rendering's own output
// and the buffers of set and filter blocks.
type stateWriter interface {
	io.Writer
	state() *state
}

// renderState finds the rendering's state from a statement: in its output when that is one
// of this package's writers (a hash lookup per scope is saved), or in its context.
func renderState(r *exec.Renderer) *state {
	if w, ok := r.Output.(stateWriter); ok {
		return w.state()
	}
	return stateOf(r.Environment.Context)
}

// evaluator is r.Evaluator(), made once per scope instead of once per expression: an
// evaluator is only its scope's environment, configuration and loader, which nothing changes.
func evaluator(r *exec.Renderer) *exec.Evaluator {
	st := renderState(r)
	if st.eval == nil || st.evalEnv != r.Environment || st.eval.Config != r.Config {
		st.eval, st.evalEnv = r.Evaluator(), r.Environment
	}
	return st.eval
}

// stateOf finds the rendering's state from inside the engine.
func stateOf(ctx *exec.Context) *state {
	if v, ok := ctx.Get(stateKey); ok {
		if st, ok := v.(*state); ok {
			return st
		}
	}
	return &state{now: time.Unix(0, 0).UTC(), limits: DefaultLimits}
}

// environment is a restricted gonja environment plus what the compile-time checks need.
type environment struct {
	*exec.Environment
	functions map[string]bool // names callable without a prefix
	frappe    map[string]any  // the frappe namespace, to check frappe.x.y references
	str       map[string]strMethod
	sites     int // hidden calls prepared so far: methods (methods.go), defined tests, None checks
	// tested are the expressions of is defined / is undefined tests, which prepare hides in
	// the context: DocFields reads them too.
	tested []nodes.Node
	// reads: the template reads the database (frappe.db...); doctypes are the document types
	// its reads name as text.
	reads    bool
	doctypes []string
	// before: the template calls has_value_changed or get_doc_before_save (UsesBefore).
	before bool
}

// allowedTags are gonja's own control structures that templates may use; set, with and filter
// (statements.go), macro and call (macros.go) are this package's. Everything else (include,
// import, from, extends, block, autoescape, do, trans) is not available.
var allowedTags = []string{"if", "for", "raw", "break", "continue"}

// allowedFilters are gonja's filters that templates may use: all of them but random (not
// deterministic) and the HTML escaping ones, which are replaced by escaping for the service.
var allowedFilters = []string{
	"abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dictsort",
	"filesizeformat", "first", "float", "format", "groupby", "indent", "int", "items", "join",
	"last", "length", "list", "lower", "map", "max", "min", "pprint", "reject", "rejectattr",
	"replace", "reverse", "safe", "select", "selectattr", "slice", "sort", "string",
	"striptags", "sum", "title", "tojson", "trim", "truncate", "unique", "upper", "urlencode",
	"urlize", "wordcount", "wordwrap", "xmlattr",
}

// dictMethods are gonja's Python dict methods, kept beside doc.get_formatted.
var dictMethods = []string{"keys", "values", "items", "get", "pop", "setdefault", "update", "copy", "clear"}

func newEnvironment() *environment {
	tags := map[string]parser.ControlStructureParser{
		"set":    parseSet,
		"with":   parseWith,
		"filter": parseFilterBlock,
		"macro":  parseMacro,
		"call":   parseCallBlock,
	}
	for _, name := range allowedTags {
		p, ok := builtins.ControlStructures.Get(name)
		if !ok {
			panic("render: gonja has no " + name + " tag")
		}
		tags[name] = p
	}
	for name, p := range tags {
		tags[name] = positionedTag(name, p)
	}

	filters := map[string]exec.FilterFunction{
		"round":       filterRound,
		"escape":      filterEscape(false),
		"e":           filterEscape(false),
		"forceescape": filterEscape(true),
	}
	for _, name := range allowedFilters {
		f, ok := builtins.Filters.Get(name)
		if !ok {
			panic("render: gonja has no " + name + " filter")
		}
		filters[name] = f
	}
	// The ERP's own Jinja filters.
	filters["len"] = filters["length"]
	filters["string"] = filterString
	filters["str"] = filterString
	filters["flt"] = filterFlt
	filters["int"] = filterInt
	filters["format"] = onText(filterFormat)
	filters["tojson"] = filterToJSON
	filters["json"] = filterJSON
	filters["urlencode"] = filterURLEncode
	filters["dictsort"] = filterDictSort
	filters["items"] = filterItems
	filters["attr"] = filterAttr
	filters["sort"] = filterSort
	filters["groupby"] = filterGroupBy
	filters["map"] = filterMap
	filters["unique"] = filterUnique
	filters["min"] = minMax(false)
	filters["max"] = minMax(true)
	// Jinja2's, where gonja's differ; then a text goes by characters to the filters that
	// iterate.
	filters["float"] = filterFloat
	filters["filesizeformat"] = filterFilesizeformat
	filters["xmlattr"] = refusing(func(v *exec.Value) bool { return !v.IsDict() }, "AttributeError: '%s' object has no attribute 'items'", attrNames(filters["xmlattr"]))
	filters["truncate"] = filterTruncate
	filters["reverse"] = filterReverse(filters["reverse"])
	filters["default"] = defaultIfFalse(filters["default"])
	filters["d"] = filters["default"]
	filters["select"] = byTruth(true, filters["select"])
	filters["reject"] = byTruth(false, filters["reject"])
	filters["abs"] = refusing(notNumber, "TypeError: bad operand type for abs(): '%s'", filterAbs)
	filters["round"] = refusing(notNumber, "TypeError: type %s doesn't define __round__ method", filters["round"])
	filters["sum"] = overKeys(sumOfNumbers(filters["sum"]))
	filters["upper"] = ofText(pystr.Upper)
	filters["lower"] = ofText(pystr.Lower)
	filters["title"] = ofText(title)
	filters["capitalize"] = ofText(pystr.Capitalize)
	filters["wordcount"] = ofText(wordcount)
	filters["center"] = filterCenter
	filters["striptags"] = ofText(striptags)
	filters["pprint"] = filterPprint
	filters["wordwrap"] = filterWordwrap
	filters["urlize"] = filterUrlize
	filters["trim"] = onText(filterTrim)
	filters["safe"] = onText(filters["safe"])
	filters["replace"] = onText(filters["replace"])
	filters["join"] = joinPrinted(filters["join"])
	filters["slice"] = overKeys(filters["slice"])
	filters["selectattr"] = definedAttr(filters["selectattr"], false)
	filters["rejectattr"] = definedAttr(filters["rejectattr"], true)
	for _, name := range []string{"unique", "sort", "min", "max", "batch", "slice", "select", "reject", "selectattr", "rejectattr", "map", "join", "sum", "groupby", "first", "last", "list"} {
		filters[name] = byCharacters(filters[name])
	}
	for _, name := range []string{"select", "reject", "selectattr", "rejectattr"} {
		filters[name] = failingTests(filters[name])
	}
	for name, index := range map[string]int{"select": 0, "reject": 0, "selectattr": 1, "rejectattr": 1} {
		filters[name] = knownTest(index, filters[name])
	}
	for _, name := range []string{"map", "select", "reject", "selectattr", "rejectattr"} {
		filters[name] = nothingOfAFalseNumber(filters[name])
	}
	for _, name := range []string{"length", "len", "count", "truncate"} {
		filters[name] = sized(filters[name])
	}
	for name, f := range filters {
		filters[name] = textFilter(sizedFilter(name, f))
	}

	// get_formatted is called with the rendering's state by methodCall; this is for gonja.
	formatted := func(self map[string]any, _ *exec.Value, va *exec.VarArgs) (any, error) {
		return getFormatted(&state{}, self, va)
	}
	dict := map[string]exec.Method[map[string]any]{"get_formatted": formatted, "items": dictItems}
	for _, name := range dictMethods {
		if dict[name] != nil {
			continue
		}
		m, ok := builtins.Methods.Dict.Get(name)
		if !ok {
			panic("render: gonja has no dict method " + name)
		}
		dict[name] = m
	}
	methods := builtins.Methods
	methods.Dict = exec.NewMethodSet(dict)

	utils := map[string]any{
		"add_days":             addDays,
		"add_months":           addMonths,
		"add_to_date":          addToDate,
		"add_years":            addYears,
		"ceil":                 whole("ceil", rounding.Ceil),
		"cint":                 cint,
		"comma_and":            commaAnd,
		"comma_or":             commaOr,
		"comma_sep":            commaSep,
		"new_line_sep":         newLineSep,
		"cstr":                 cstr,
		"date_diff":            dateDiff,
		"escape_html":          escapeHTML,
		"floor":                whole("floor", rounding.Floor),
		"flt":                  flt,
		"fmt_money":            fmtMoney,
		"format_date":          formatdate,
		"format_datetime":      formatDatetimeFunc,
		"formatdate":           formatdate,
		"get_datetime":         getDatetime,
		"get_first_day":        getFirstDay,
		"get_last_day":         getLastDay,
		"get_link_to_form":     getLinkToForm,
		"get_url":              getURL,
		"get_url_to_form":      getURLToForm,
		"get_fullname":         dbCall("get_fullname"),
		"get_url_to_list":      getURLToList,
		"get_weekday":          getWeekday,
		"getdate":              getdate,
		"global_date_format":   globalDateFormat,
		"has_common":           hasCommon,
		"in_words":             inWords,
		"is_html":              isHTML,
		"is_subset":            isSubset,
		"compare":              compareValues,
		"format_duration":      formatDuration,
		"get_abbr":             getAbbr,
		"remainder":            remainder,
		"safe_div":             safeDiv,
		"time_diff":            timeDiffFunc,
		"money_in_words":       moneyInWords,
		"month_diff":           monthDiff,
		"now":                  now,
		"now_datetime":         nowDatetime,
		"nowdate":              nowdate,
		"nowtime":              nowtime,
		"pretty_date":          prettyDate,
		"rounded":              rounded,
		"strip_html":           stripHTML,
		"time_diff_in_hours":   timeDiffInHours,
		"today":                nowdate,
		"time_diff_in_seconds": timeDiffInSeconds,
	}
	for name, f := range periodFunctions() {
		utils[name] = f
	}
	db, docs := lookupFunctions(), documentFunctions()
	frappe := map[string]any{
		"utils":               utils,
		"db":                  db,
		"get_all":             db["get_all"],
		"get_list":            db["get_list"],
		"get_doc":             docs["get_doc"],
		"get_cached_doc":      docs["get_cached_doc"],
		"get_fullname":        dbCall("get_fullname"),
		"get_system_settings": dbCall("get_system_settings"),
		"format_value":        frappeFormatValue,
		"format":              frappeFormatValue,
		"flt":                 flt,
		"cint":                cint,
		"get_url":             getURL,
		"bold":                bold,
		"format_date":         globalDateFormat,
	}
	globals := map[string]any{
		"frappe":    frappe,
		"_":         translate,
		"nowdate":   nowdate,
		"range":     boundedRange,
		"namespace": newNamespace,
	}
	globals["json"], globals["as_json"] = jsonFunctions()
	for name, f := range pythonFunctions() {
		globals[name] = f
	}
	for name, f := range operatorFunctions() {
		globals[name] = f
	}
	for name, f := range unpackFunctions() {
		globals[name] = f
	}
	globals["dict"], globals["cycler"], globals["joiner"] = pyDict, newCycler, newJoiner
	functions := map[string]bool{"loop": true}
	for name, v := range globals {
		if reflect.ValueOf(v).Kind() == reflect.Func {
			functions[name] = true
		}
	}

	return &environment{
		Environment: &exec.Environment{
			Context:           exec.NewContext(globals),
			Filters:           exec.NewFilterSet(filters),
			Tests:             exec.NewTestSet(map[string]exec.TestFunction{}).Update(builtins.Tests).Update(exec.NewTestSet(jinjaTests())),
			ControlStructures: exec.NewControlStructureSet(tags),
			Methods:           methods,
		},
		functions: functions,
		frappe:    frappe,
		str:       pyStrMethods(),
	}
}
