package render

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"
)

// A dict written in the template ({"b": 1, "a": 2}) is gonja's *exec.Dict, which keeps the
// order it was written in, as Python's dicts do; a dict from the document (a child row, a JSON
// column) is a Go map, whose order is not known: its pairs come in key order (the README's
// Templates section says so). gonja's dictsort and items filters see only Go maps, and give
// nothing for a written dict: these are Jinja2's.

// pairs are a dict's (key, value) pairs: in written order for a template's dict, in key order
// for the document's; ok is false when v is not a dict.
func pairs(v *exec.Value) ([]pyTuple, bool) {
	switch d := v.Interface().(type) {
	case *exec.Dict:
		out := make([]pyTuple, len(d.Pairs))
		for i, p := range d.Pairs {
			out[i] = pyTuple{p.Key.Interface(), p.Value.Interface()}
		}
		return out, true
	case map[string]any:
		return mustItems(d), true
	}
	return nil, false
}

// tupleList is pairs as a list value, for filters and methods to give.
func tupleList(ps []pyTuple) []any {
	out := make([]any, len(ps))
	for i, p := range ps {
		out[i] = p
	}
	return out
}

// filterItems is Jinja2's items: the dict's pairs, nothing for None.
func filterItems(_ *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	if _, err := bind(params); err != nil {
		return exec.AsValue(err)
	}
	if in.IsNil() {
		return exec.AsValue([]any{})
	}
	ps, ok := pairs(in)
	if !ok {
		return exec.AsValue(fmt.Errorf("TypeError: can only get item pairs from a mapping"))
	}
	return exec.AsValue(tupleList(ps))
}

// filterDictSort is Jinja2's dictsort(case_sensitive=False, by="key", reverse=False): the
// dict's pairs sorted by key or value, text compared in lower case unless case_sensitive.
func filterDictSort(_ *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	args, err := bind(params, "case_sensitive", "by", "reverse")
	if err != nil {
		return exec.AsValue(err)
	}
	ps, ok := pairs(in)
	if !ok {
		return exec.AsValue(fmt.Errorf("TypeError: dictsort: %s is not a mapping", pyType(in)))
	}
	caseSensitive := args[0] != nil && args[0].IsTrue()
	pos := 0
	if args[1] != nil {
		switch args[1].String() {
		case "key":
		case "value":
			pos = 1
		default:
			return exec.AsValue(fmt.Errorf(`FilterArgumentError: You can only sort by either "key" or "value"`))
		}
	}
	reverse := args[2] != nil && args[2].IsTrue()
	var cmpErr error
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i][pos], ps[j][pos]
		if reverse {
			a, b = b, a
		}
		c, err := pyCompare(a, b, caseSensitive)
		if err != nil && cmpErr == nil {
			cmpErr = err
		}
		return c < 0
	})
	if cmpErr != nil {
		return exec.AsValue(cmpErr)
	}
	return exec.AsValue(tupleList(ps))
}

// pyCompare orders two values as Python's < does (see pyOrdering); text in lower case unless
// caseSensitive, as Jinja2's sort filters. A NaN orders as equal: it keeps its place.
func pyCompare(a, b any, caseSensitive bool) (int, error) {
	text := strings.ToLower
	if caseSensitive {
		text = asWritten
	}
	c, err := pyOrdering("<", text, exec.ToValue(a), exec.ToValue(b))
	if c == unordered {
		c = 0
	}
	return c, err
}

// filterAttr is Jinja2's attr(name): a document's or a child row's field, as x.name reads it
// (gonja's looks for a Go method or struct field, and finds nothing in a dict).
func filterAttr(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	args, err := call("attr", params, 1, "name")
	if err != nil {
		return exec.AsValue(err)
	}
	if in.IsNil() {
		return in // None's attribute: an undefined, as x.name of NULL (getAttr)
	}
	if in.IsDict() {
		v, _ := in.GetItem(args[0].String())
		return v
	}
	v, _ := in.GetAttribute(args[0].String())
	return v
}

// attrPath is Jinja2's attribute argument of sort, min, max, ...: "rate", "customer.name" or
// "items.0" (a list's item or a text's character), read as attrItem reads it; nil where one is
// missing.
func attrPath(v *exec.Value, path string) *exec.Value {
	return attrItem(v, exec.AsValue(path), nil)
}

// minMax is Jinja2's min and max(case_sensitive=False, attribute=None): the first smallest or
// largest item (the item itself, not its attribute), nothing for an empty list.
func minMax(largest bool) exec.FilterFunction {
	return func(_ *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
		if in.IsError() {
			return in
		}
		args, err := bind(params, "case_sensitive", "attribute")
		if err != nil {
			return exec.AsValue(err)
		}
		caseSensitive := args[0] != nil && args[0].IsTrue()
		var best, bestKey any
		for i, item := range items(iterList(in)) {
			key := item
			if args[1] != nil {
				key = attrPath(exec.ToValue(item), args[1].String()).Interface()
			}
			if i == 0 {
				best, bestKey = item, key
				continue
			}
			c, err := pyCompare(key, bestKey, caseSensitive)
			if err != nil {
				return exec.AsValue(err)
			}
			if largest && c > 0 || !largest && c < 0 {
				best, bestKey = item, key
			}
		}
		return exec.AsValue(best)
	}
}

// iterList is v's items as a list value: a list as it is, a string's characters, a dict's
// keys.
func iterList(v *exec.Value) *exec.Value {
	if v.IsList() {
		return v
	}
	var out []any
	v.Iterate(func(_, _ int, key, _ *exec.Value) bool {
		out = append(out, key.Interface())
		return true
	}, func() {})
	return exec.AsValue(out)
}

// filterSort is Jinja2's sort(reverse=False, case_sensitive=False, attribute=None): Python's
// sorted, stable, by the items or their attribute (several, "uom,qty", compare as a list), texts
// without case unless told; items that do not order (None, a text and a number) are Python's
// TypeError, as in the ERP (doc.items|sort(attribute="warehouse") with a NULL warehouse), where
// gonja's sorted them somehow.
func filterSort(_ *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	args, err := bind(params, "reverse", "case_sensitive", "attribute")
	if err != nil {
		return exec.AsValue(fmt.Errorf("sort(): %w", err))
	}
	reverse := args[0] != nil && args[0].IsTrue()
	caseSensitive := args[1] != nil && args[1].IsTrue()
	list := slices.Clone(items(iterList(in)))
	keys := make([]any, len(list))
	for i, item := range list {
		// Jinja2's key is a list, whose equal items compare as equal before they are ordered:
		// two rows whose rate is NULL sort, a NULL and a number do not.
		keys[i] = []any{item}
		if args[2] != nil {
			keys[i] = attrKey(exec.ToValue(item), args[2].String())
			if _, several := keys[i].([]any); !several {
				keys[i] = []any{keys[i]}
			}
		}
	}
	order := make([]int, len(list))
	for i := range order {
		order[i] = i
	}
	var failed error
	slices.SortStableFunc(order, func(a, b int) int {
		c, err := pyCompare(keys[a], keys[b], caseSensitive)
		if err != nil && failed == nil {
			failed = err
		}
		if reverse {
			return -c
		}
		return c
	})
	if failed != nil {
		return exec.AsValue(failed)
	}
	out := make([]any, len(list))
	for i, j := range order {
		out[i] = list[j]
	}
	return exec.AsValue(out)
}

// attrKey is the key of Jinja2's attribute argument: one attribute's value, or the list of
// several separated by commas.
func attrKey(v *exec.Value, attribute string) any {
	if !strings.Contains(attribute, ",") {
		return attrPath(v, attribute).Interface()
	}
	parts := strings.Split(attribute, ",")
	key := make([]any, len(parts))
	for i, part := range parts {
		key[i] = attrPath(v, strings.TrimSpace(part)).Interface()
	}
	return key
}

// filterUnique is Jinja2's unique(case_sensitive=False, attribute=None): the items in order,
// each but the first equal (==, so 1, 1.0 and True are one) to one seen before left out, texts
// without case unless told.
func filterUnique(_ *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	args, err := bind(params, "case_sensitive", "attribute")
	if err != nil {
		return exec.AsValue(fmt.Errorf("unique(): %w", err))
	}
	text := strings.ToLower
	if args[0] != nil && args[0].IsTrue() {
		text = asWritten
	}
	var out, others []any
	seen := map[any]bool{}
	for _, item := range items(iterList(in)) {
		key := item
		if args[1] != nil {
			key = attrKey(exec.ToValue(item), args[1].String())
		}
		k := exec.ToValue(key)
		if k.IsList() && !isTuple(k) || k.IsDict() {
			return exec.AsValue(fmt.Errorf("TypeError: unhashable type: '%s'", pyType(k)))
		}
		if k.IsString() {
			k = exec.AsValue(text(k.String()))
		}
		if h, ok := hashKey(k); ok {
			if seen[h] {
				continue
			}
			seen[h] = true
		} else { // None, a tuple: compared with the few others
			if slices.ContainsFunc(others, func(o any) bool { return pyEqual(text, exec.ToValue(o), k) }) {
				continue
			}
			others = append(others, key)
		}
		out = append(out, item)
	}
	return exec.AsValue(out)
}

// groupTuple is one group of groupby: (grouper, list), a tuple with those attributes.
type groupTuple []any

// GetAttribute gives a group's grouper and list (exec.AttributeGetter).
func (g groupTuple) GetAttribute(name string) (*exec.Value, bool) {
	switch name {
	case "grouper":
		return exec.ToValue(g[0]), true
	case "list":
		return exec.ToValue(g[1]), true
	}
	return exec.AsValue(nil), false
}

// filterGroupBy is Jinja2's groupby(attribute, default=None, case_sensitive=False): the items
// sorted by the attribute (read as attrItem reads it, default standing for one that is not
// there), then grouped by it, texts without case unless told, each group's grouper the first
// item's attribute as written. Keys that do not order (a NULL among texts) are Python's
// TypeError, as in the ERP. (gonja's grouped them anyway, left out the items without the
// attribute and took no default for a written dict's.)
func filterGroupBy(_ *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	args, err := bind(params, "attribute", "default", "case_sensitive")
	if err != nil {
		return exec.AsValue(fmt.Errorf("groupby(): %w", err))
	}
	if args[0] == nil {
		return exec.AsValue(errors.New("groupby(): missing argument \"attribute\""))
	}
	caseSensitive := args[2] != nil && truthy(args[2])
	list := items(iterList(in))
	keys := make([]any, len(list))
	for i, item := range list {
		keys[i] = attrItem(exec.ToValue(item), args[0], args[1]).Interface()
		if i > 0 {
			if _, err := pyCompare(keys[i-1], keys[i], caseSensitive); err != nil {
				return exec.AsValue(err)
			}
		}
	}
	order := make([]int, len(list))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		c, _ := pyCompare(keys[a], keys[b], caseSensitive)
		return c
	})
	var out []any
	for n, i := range order {
		if n > 0 {
			if c, err := pyCompare(keys[order[n-1]], keys[i], caseSensitive); err == nil && c == 0 {
				last := out[len(out)-1].(groupTuple)
				last[1] = append(last[1].([]any), list[i])
				continue
			}
		}
		out = append(out, groupTuple{keys[i], []any{list[i]}})
	}
	if out == nil {
		out = []any{}
	}
	return exec.AsValue(out)
}

// attrItem is Jinja2's attribute getter of groupby: item's attribute, "rate", "customer.name"
// or "items.0" (or an int, an index), read part by part as x[part] reads it (getItem); where a
// part is not there, or is read of None, default when it is given, else nil.
func attrItem(item, attribute, def *exec.Value) *exec.Value {
	var parts []*exec.Value
	if attribute.IsString() {
		for _, part := range strings.Split(attribute.String(), ".") {
			if n, err := strconv.Atoi(part); err == nil && n >= 0 && !strings.HasPrefix(part, "+") {
				parts = append(parts, exec.AsValue(n))
			} else {
				parts = append(parts, exec.AsValue(part))
			}
		}
	} else {
		parts = []*exec.Value{attribute}
	}
	v := item
	for _, part := range parts {
		has := !v.IsNil()
		if has {
			has, _ = holds(v, part)
		}
		if !has {
			if def != nil && !def.IsNil() {
				v = def
				continue
			}
			return exec.AsValue(nil)
		}
		x, _ := getItem(nil, &exec.VarArgs{Args: []*exec.Value{v, part}})
		v = exec.ToValue(x)
	}
	return v
}
