package render

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"

	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
)

// Python's lists and dicts are shared: x.append(1) in a loop changes the x the loop's
// enclosing scope holds, and d.update() the dict every name for it holds. gonja's list methods
// gave the name a new list in the innermost scope only, so a list filled in a loop was empty
// after it, and evaluated their arguments a second time; its dict methods changed a copy, so
// update() did nothing. These are Python's, on the arguments evaluated once.

// storeList gives the list a method changed to where its receiver was read from: a name (in
// its scope, and in the loops' scopes that held the same list) or a namespace's attribute
// named by a name (ns.codes.append(x)). A list read from anywhere else (doc.items.append(x)) is
// left as it was.
func storeList(e *exec.Evaluator, recv nodes.Expression, old *exec.Value, changed []any) {
	switch r := recv.(type) {
	case *nodes.Name:
		ctx := e.Environment.Context
		ctx.Set(r.Name.Val, changed)
		stateOf(ctx).writeBack(ctx, r.Name.Val, old)
	case *nodes.Call:
		fn, ok := r.Func.(*nodes.Name)
		if !ok || fn.Name.Val != "\x00attr" || len(r.Args) < 2 {
			return
		}
		holder, isName := r.Args[0].(*nodes.Name) // read again: a name, which runs nothing
		if !isName {
			return
		}
		ns, ok := e.Eval(holder).Interface().(*namespace)
		if attr, isText := r.Args[1].(*nodes.String); ok && isText {
			ns.attrs[attr.Val] = changed
		}
	}
}

// writeBack gives the scopes that loops run in, innermost first, the list that a method gave
// name in ctx, as long as they held the list the method was called on (old): the scope where
// the name was set and every scope between.
func (st *state) writeBack(ctx *exec.Context, name string, old *exec.Value) {
	now, ok := ctx.Get(name)
	if !ok {
		return
	}
	for i := len(st.enclosing) - 1; i >= 0; i-- {
		c := st.enclosing[i]
		held, ok := c.Get(name)
		if !ok || !sameList(exec.ToValue(held), old) {
			return
		}
		c.Set(name, now)
	}
}

// sameList reports whether a and b are the same list: the same items in the same memory.
func sameList(a, b *exec.Value) bool {
	if !a.IsList() || !b.IsList() {
		return false
	}
	x, y := reflect.Indirect(a.Val), reflect.Indirect(b.Val)
	return x.Kind() == reflect.Slice && y.Kind() == reflect.Slice && x.Pointer() == y.Pointer() && x.Len() == y.Len()
}

// writtenDictMethod is Python's dict method name on a dict the template wrote, in its written
// order: keys() and values() in that order (gonja's came sorted), get() finds a key by == as
// d[key] does (1 and 1.0 are one key), and update(), setdefault(), pop() and clear() change the
// dict itself. ok is false for a method it does not know.
func writtenDictMethod(st *state, d *exec.Dict, name string, args *exec.VarArgs) (out any, ok bool, err error) {
	switch name {
	case "keys", "values", "copy", "clear":
		if len(args.Args)+len(args.KwArgs) > 0 {
			return nil, true, fmt.Errorf("TypeError: %s() takes no arguments", name)
		}
	}
	switch name {
	case "keys", "values":
		list := make([]any, len(d.Pairs))
		for i, p := range d.Pairs {
			list[i] = p.Key.Interface()
			if name == "values" {
				list[i] = p.Value.Interface()
			}
		}
		return list, true, nil
	case "copy":
		return &exec.Dict{Pairs: append([]*exec.Pair(nil), d.Pairs...)}, true, nil
	case "get":
		if len(args.Args) < 1 || len(args.Args) > 2 || len(args.KwArgs) > 0 {
			return nil, true, fmt.Errorf("TypeError: get expected 1 or 2 arguments, got %d", len(args.Args)+len(args.KwArgs))
		}
		if i := dictIndex(d, args.Args[0]); i >= 0 {
			return d.Pairs[i].Value.Interface(), true, nil
		}
		if len(args.Args) == 2 {
			return args.Args[1].Interface(), true, nil
		}
		return nil, true, nil
	case "clear":
		d.Pairs = d.Pairs[:0]
		return nil, true, nil
	case "setdefault":
		if len(args.Args) < 1 || len(args.Args) > 2 || len(args.KwArgs) > 0 {
			return nil, true, fmt.Errorf("TypeError: setdefault expected 1 or 2 arguments, got %d", len(args.Args)+len(args.KwArgs))
		}
		if i := dictIndex(d, args.Args[0]); i >= 0 {
			return d.Pairs[i].Value.Interface(), true, nil
		}
		value := exec.AsValue(nil)
		if len(args.Args) == 2 {
			value = args.Args[1]
		}
		d.Pairs = append(d.Pairs, &exec.Pair{Key: args.Args[0], Value: value})
		return value.Interface(), true, nil
	case "pop":
		if len(args.Args) < 1 || len(args.Args) > 2 || len(args.KwArgs) > 0 {
			return nil, true, fmt.Errorf("TypeError: pop expected 1 or 2 arguments, got %d", len(args.Args)+len(args.KwArgs))
		}
		i := dictIndex(d, args.Args[0])
		if i < 0 {
			if len(args.Args) == 2 {
				return args.Args[1].Interface(), true, nil
			}
			return nil, true, fmt.Errorf("KeyError: %s", pyReprAny(args.Args[0]))
		}
		v := d.Pairs[i].Value.Interface()
		d.Pairs = append(d.Pairs[:i], d.Pairs[i+1:]...)
		return v, true, nil
	case "update":
		if len(args.Args) > 1 {
			return nil, true, fmt.Errorf("TypeError: update expected at most 1 argument, got %d", len(args.Args))
		}
		var pairs []pyTuple
		if len(args.Args) == 1 {
			var err error
			if pairs, err = updatePairs(args.Args[0]); err != nil {
				return nil, true, err
			}
		}
		for _, k := range slices.Sorted(maps.Keys(args.KwArgs)) {
			pairs = append(pairs, pyTuple{k, args.KwArgs[k]})
		}
		if err := st.chargeItems(float64(len(pairs))); err != nil {
			return nil, true, err
		}
		index := make(map[any]int, len(d.Pairs)+len(pairs))
		for i, p := range d.Pairs {
			if k, ok := hashKey(p.Key); ok {
				if _, seen := index[k]; !seen {
					index[k] = i
				}
			}
		}
		for _, p := range pairs {
			if err := st.inTime(); err != nil {
				return nil, true, err
			}
			key, value := exec.ToValue(p[0]), exec.ToValue(p[1])
			k, hashable := hashKey(key)
			i, found := index[k]
			if !hashable {
				i = dictIndex(d, key)
				found = i >= 0
			}
			if found {
				d.Pairs[i].Value = value
				continue
			}
			if hashable {
				index[k] = len(d.Pairs)
			}
			d.Pairs = append(d.Pairs, &exec.Pair{Key: key, Value: value})
		}
		return nil, true, nil
	}
	return nil, false, nil
}

// pyDict is Python's dict(): a dict the template writes, of a dict's pairs or a list of pairs,
// and keywords, as update() adds them (gonja's took the keywords only).
func pyDict(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	if len(va.Args) > 1 {
		return nil, fmt.Errorf("TypeError: dict expected at most 1 argument, got %d", len(va.Args))
	}
	d := &exec.Dict{Pairs: []*exec.Pair{}}
	if _, _, err := writtenDictMethod(stateOf(e.Environment.Context), d, "update", va); err != nil {
		return nil, err
	}
	return d, nil
}

// hashKey is key as Python's dict tells keys apart: a text, or a number whatever its type (1,
// 1.0 and True are one key). ok is false for any other key (a tuple), looked for by dictIndex.
func hashKey(key *exec.Value) (any, bool) {
	if key.IsString() {
		return key.String(), true
	}
	n, ok := asNum(key)
	switch {
	case !ok:
		return nil, false
	case !n.isFloat:
		return n.i, true
	case n.f == math.Trunc(n.f) && math.Abs(n.f) < 1<<62:
		return int(n.f), true
	}
	return n.f, true
}

// dictIndex is where key is in d, by Python's ==; -1 if it is not.
func dictIndex(d *exec.Dict, key *exec.Value) int {
	for i, p := range d.Pairs {
		if pyEqual(asWritten, p.Key, key) {
			return i
		}
	}
	return -1
}

// updatePairs are the pairs update() takes from its argument: a dict's, or a list of pairs.
func updatePairs(v *exec.Value) ([]pyTuple, error) {
	if ps, ok := pairs(v); ok {
		return ps, nil
	}
	if !v.IsList() {
		return nil, fmt.Errorf("TypeError: '%s' object is not iterable", pyType(v))
	}
	var out []pyTuple
	for i, item := range items(v) {
		pair := exec.ToValue(item)
		if !pair.IsList() || pair.Len() != 2 {
			return nil, fmt.Errorf("ValueError: dictionary update sequence element #%d has the wrong length", i)
		}
		kv := items(pair)
		out = append(out, pyTuple{kv[0], kv[1]})
	}
	return out, nil
}

// listMethod is Python's list method name on l, with the arguments already evaluated: append,
// extend, insert, pop, remove, clear, sort and reverse give the list changed (changed), for
// the caller to give the name that holds it; index, count and copy read it. l itself is never
// changed: it may be the document's, which the other notifications of the change read too.
// ok is false for a method it does not know.
func listMethod(st *state, l []any, name string, args *exec.VarArgs) (out any, changed []any, ok bool, err error) {
	n := len(args.Args)
	want := func(min, max int) error {
		if len(args.KwArgs) > 0 && name != "sort" {
			return fmt.Errorf("TypeError: list.%s() takes no keyword arguments", name)
		}
		if n < min || n > max {
			return fmt.Errorf("TypeError: list.%s() takes %d to %d arguments (%d given)", name, min, max, n)
		}
		return nil
	}
	grow := func(by int) error {
		if len(l)+by > st.limits.MaxItems {
			return st.exceed(overBudget("a list of %d items is more than the limit of %d", len(l)+by, st.limits.MaxItems))
		}
		return st.spend(float64(by) * itemSize)
	}
	switch name {
	case "append":
		if err := want(1, 1); err != nil {
			return nil, nil, true, err
		}
		if err := grow(1); err != nil {
			return nil, nil, true, err
		}
		return nil, st.grow(l, args.Args[0].Interface()), true, nil
	case "extend":
		if err := want(1, 1); err != nil {
			return nil, nil, true, err
		}
		more := items(iterList(args.Args[0]))
		if err := grow(len(more)); err != nil {
			return nil, nil, true, err
		}
		return nil, st.grow(l, more...), true, nil
	case "insert":
		if err := want(2, 2); err != nil {
			return nil, nil, true, err
		}
		if !args.Args[0].IsInteger() {
			return nil, nil, true, fmt.Errorf("TypeError: '%s' object cannot be interpreted as an integer", pyType(args.Args[0]))
		}
		if err := grow(1); err != nil {
			return nil, nil, true, err
		}
		i := clampIndex(args.Args[0].Integer(), len(l))
		return nil, slices.Insert(slices.Clip(l), i, args.Args[1].Interface()), true, nil
	case "pop":
		if err := want(0, 1); err != nil {
			return nil, nil, true, err
		}
		if len(l) == 0 {
			return nil, nil, true, fmt.Errorf("IndexError: pop from empty list")
		}
		i := len(l) - 1
		if n == 1 {
			if !args.Args[0].IsInteger() {
				return nil, nil, true, fmt.Errorf("TypeError: '%s' object cannot be interpreted as an integer", pyType(args.Args[0]))
			}
			if i = args.Args[0].Integer(); i < 0 {
				i += len(l)
			}
			if i < 0 || i >= len(l) {
				return nil, nil, true, fmt.Errorf("IndexError: pop index out of range")
			}
		}
		return l[i], slices.Delete(slices.Clone(l), i, i+1), true, nil
	case "remove", "index", "count":
		if err := want(1, 1); err != nil {
			return nil, nil, true, err
		}
		found, count := -1, 0
		for i, item := range l {
			if pyEqual(asWritten, exec.ToValue(item), args.Args[0]) {
				count++
				if found < 0 {
					found = i
				}
			}
		}
		switch {
		case name == "count":
			return count, nil, true, nil
		case found < 0 && name == "index":
			return nil, nil, true, fmt.Errorf("ValueError: %s is not in list", pyReprAny(args.Args[0]))
		case found < 0:
			return nil, nil, true, fmt.Errorf("ValueError: list.remove(x): x not in list")
		case name == "index":
			return found, nil, true, nil
		}
		return nil, slices.Delete(slices.Clone(l), found, found+1), true, nil
	case "clear", "copy", "reverse":
		if err := want(0, 0); err != nil {
			return nil, nil, true, err
		}
		switch name {
		case "clear":
			return nil, []any{}, true, nil
		case "copy":
			return slices.Clone(l), nil, true, nil
		}
		l = slices.Clone(l)
		slices.Reverse(l)
		return nil, l, true, nil
	case "sort":
		if err := want(0, 0); err != nil {
			return nil, nil, true, err
		}
		for k := range args.KwArgs {
			if k != "reverse" {
				return nil, nil, true, fmt.Errorf("TypeError: '%s' is an invalid keyword argument for sort()", k)
			}
		}
		reverse := args.KwArgs["reverse"] != nil && truthy(args.KwArgs["reverse"])
		var cmpErr error
		l = slices.Clone(l)
		slices.SortStableFunc(l, func(a, b any) int {
			if reverse {
				a, b = b, a
			}
			c, err := pyCompare(a, b, true)
			cmpErr = cmp.Or(cmpErr, err)
			return c
		})
		if cmpErr != nil {
			return nil, nil, true, cmpErr
		}
		return nil, l, true, nil
	}
	return nil, nil, false, nil
}

// grow is l with more appended, written in place only into the spare room of an array that
// grow itself made for this rendering and only by the list that holds all of it so far:
// another list on the same array (a second name's copy, the document's own list) keeps its
// items, and appending in a loop stays linear.
func (st *state) grow(l []any, more ...any) []any {
	if st.grown == nil {
		st.grown = make(map[uintptr]int)
	}
	if n, ok := st.grown[reflect.ValueOf(l).Pointer()]; !ok || n != len(l) {
		l = slices.Clip(l) // the next append copies
	}
	out := append(l, more...)
	st.grown[reflect.ValueOf(out).Pointer()] = len(out)
	return out
}

// clampIndex is where list.insert(i, x) puts x: i counted from the end when negative, within
// the list's bounds.
func clampIndex(i, n int) int {
	if i < 0 {
		i += n
	}
	return max(0, min(i, n))
}
