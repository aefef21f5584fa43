package condition

// dict is a dict a condition writes, {"reference_name": doc.name}: its keys are text, in the
// order first written, as Python's dicts keep them, so that it prints and joins its keys as
// Python does (a row, a map[string]any, has no order and prints its keys sorted). Where
// Python's dict and the ERP's documents differ, a dict is Python's: a missing key is a KeyError,
// not None, and its keys are not attributes. A condition never changes a dict, so a constant one
// is built once, when the condition compiles, and shared by every evaluation; its size is
// bounded by the condition's text.
type dict struct {
	keys  []string
	items map[string]any
}

// newDict builds a dict from its keys and values, alternating, as written: a key written
// twice keeps its first place and its last value, as in Python.
func newDict(pairs ...any) *dict {
	d := &dict{keys: make([]string, 0, len(pairs)/2), items: make(map[string]any, len(pairs)/2)}
	for i := 0; i+1 < len(pairs); i += 2 {
		k := pairs[i].(string)
		if _, ok := d.items[k]; !ok {
			d.keys = append(d.keys, k)
		}
		d.items[k] = pairs[i+1]
	}
	return d
}

// dictKey checks a key computed while the condition runs: text, as a dict of a condition takes
// (Python takes any hashable key; a list or a dict is unhashable there too).
func dictKey(k any) (any, error) {
	if _, ok, err := textKey(k); !ok {
		if err == nil {
			err = typeError("a dict key in a condition must be str, not %s", typeName(k))
		}
		return nil, err
	}
	return k, nil
}

// textKey reads v as a key of a dict or a row: ok is false for a value that is no text (no
// key of theirs, though Python could look it up), and a list or a dict is Python's TypeError.
func textKey(v any) (k string, ok bool, err error) {
	switch x := v.(type) {
	case string:
		return x, true, nil
	case []any, map[string]any, *dict, dictView:
		return "", false, unhashable(v)
	}
	return "", false, nil
}

func unhashable(v any) error {
	return typeError("unhashable type: '%s'", typeName(v))
}

// find is d's value for k; found is false for a key d does not hold.
func (d *dict) find(k any) (v any, found bool, err error) {
	s, ok, err := textKey(k)
	if !ok {
		return nil, false, err
	}
	v, found = d.items[s]
	return v, found, nil
}

// lookup is d[k]: a missing key is Python's KeyError.
func (d *dict) lookup(k any) (any, error) {
	v, found, err := d.find(k)
	if err == nil && !found {
		err = &pyError{"KeyError", repr(k)}
	}
	return v, err
}

// equal is Python's == between d and a dict or a row: the same keys with equal values,
// whatever their order.
func (d *dict) equal(other any) bool {
	var lookup func(string) (any, bool)
	n := 0
	switch y := other.(type) {
	case *dict:
		lookup, n = func(k string) (any, bool) { v, ok := y.items[k]; return v, ok }, len(y.keys)
	case map[string]any:
		lookup, n = func(k string) (any, bool) { v, ok := y[k]; return v, ok }, len(y)
	default:
		return false
	}
	if n != len(d.keys) {
		return false
	}
	for _, k := range d.keys {
		w, ok := lookup(k)
		if !ok || !equal(d.items[k], w) {
			return false
		}
	}
	return true
}

// viewKind tells a dict's keys(), values() and items() apart.
type viewKind int

const (
	keysView viewKind = iota
	valuesView
	itemsView
)

// dictView is what a dict's keys(), values() and items() give: Python's views, with len(),
// "in", truth, printing and joining, but no index (d.keys()[0] is Python's TypeError). Keys and
// items views are set-like, as Python's: == and the orderings compare them as sets; a values
// view equals nothing, as Python's compares by identity and a condition makes a new one each
// time.
type dictView struct {
	d    *dict
	kind viewKind
}

// dictMethod makes keys(), values() or items(): a method of a dict. A row's fields are its
// attributes, so on a row the name reads the field, which Python cannot call.
func dictMethod(name string, kind viewKind) func(a ...any) (any, error) {
	return func(a ...any) (any, error) {
		switch recv := a[0].(type) {
		case *dict:
			return dictView{recv, kind}, nil
		case map[string]any:
			return nil, notCallable(recv, name)
		}
		return nil, noAttribute(typeName(a[0]), name)
	}
}

func (v dictView) typeName() string {
	return [...]string{"dict_keys", "dict_values", "dict_items"}[v.kind]
}

// elements are the view's items in the dict's order: keys, values, or (key, value) pairs.
func (v dictView) elements() []any {
	out := make([]any, len(v.d.keys))
	for i, k := range v.d.keys {
		switch v.kind {
		case keysView:
			out[i] = k
		case valuesView:
			out[i] = v.d.items[k]
		case itemsView:
			out[i] = []any{k, v.d.items[k]}
		}
	}
	return out
}

// contains is Python's "item in view": a key of the dict, one of its values, or a (key,
// value) pair of it.
func (v dictView) contains(item any) (bool, error) {
	switch v.kind {
	case keysView:
		return contains(item, v.d)
	case itemsView:
		pair, ok := item.([]any)
		if !ok || len(pair) != 2 {
			return false, nil
		}
		w, found, err := v.d.find(pair[0])
		return found && equal(pair[1], w), err
	}
	return contains(item, v.elements())
}

// within reports whether every element of v is in w, both set-like views.
func (v dictView) within(w dictView) bool {
	for _, e := range v.elements() {
		if in, err := w.contains(e); err != nil || !in {
			return false
		}
	}
	return true
}

func (v dictView) setLike() bool { return v.kind != valuesView }

// equal is Python's == between set-like views: the same elements.
func (v dictView) equal(other any) bool {
	w, ok := other.(dictView)
	return ok && v.setLike() && w.setLike() && len(v.d.keys) == len(w.d.keys) && v.within(w)
}

// viewEqualityError is the TypeError Python's == and != meet between an items view and a keys
// view of the same length: they look the first item, a (key, value) tuple, up among the keys,
// which hashes it, and a list or dict value is unhashable. Any other first item is simply not
// a key, and the answer is "not equal" with no error.
func viewEqualityError(a, b any) error {
	x, ok := a.(dictView)
	y, ok2 := b.(dictView)
	if !ok || !ok2 || x.kind != itemsView || y.kind != keysView || len(x.d.keys) != len(y.d.keys) || len(x.d.keys) == 0 {
		return nil
	}
	_, _, err := textKey(x.d.items[x.d.keys[0]])
	return err
}

// compare orders two set-like views as Python's sets: by inclusion, so two views neither of
// which holds the other are unordered.
func (v dictView) compare(w dictView) int {
	sub, super := v.within(w), w.within(v)
	switch {
	case sub && super:
		return 0
	case sub:
		return -1
	case super:
		return 1
	}
	return unordered
}
