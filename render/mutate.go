package render

import (
	"fmt"
	"maps"
	"reflect"
	"slices"

	"github.com/nikolalohinski/gonja/v2/exec"
)

// Python's lists and dicts are shared: x.append(1) in a loop changes the x the loop's
// enclosing scope holds, and d.update() the dict every name for it holds. gonja's list methods
// give the name a new list in the innermost scope only, so a list filled in a loop was empty
// after it; its dict methods changed a copy, so update() did nothing.

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
// order: keys() and values() in that order (gonja's came sorted), and update(), setdefault(),
// pop() and clear() change the dict itself. ok is false for a method it does not know.
func writtenDictMethod(d *exec.Dict, name string, args *exec.VarArgs) (out any, ok bool, err error) {
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
		for _, p := range pairs {
			key, value := exec.ToValue(p[0]), exec.ToValue(p[1])
			if i := dictIndex(d, key); i >= 0 {
				d.Pairs[i].Value = value
			} else {
				d.Pairs = append(d.Pairs, &exec.Pair{Key: key, Value: value})
			}
		}
		return nil, true, nil
	}
	return nil, false, nil
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
