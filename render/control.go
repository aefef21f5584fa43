package render

import (
	"errors"
	"fmt"

	controlStructures "github.com/nikolalohinski/gonja/v2/builtins/control_structures"
	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
)

// ifStatement and forLoop run gonja's parsed {% if %} and {% for %} (prepare puts them in
// place of gonja's), with the same meaning in fewer scopes: gonja's if opens a scope and copies
// it back into the enclosing one, and its for opens three per item. A scope is four objects
// and a map, which made most of the cost of rendering a typical message.

// scope is a new scope below r's, like r.Inherit, sharing r's configuration: templates cannot
// change it (autoescape is not allowed), so it needs no copy.
func scope(r *exec.Renderer) *exec.Renderer {
	s := &struct { // one allocation for both
		r   exec.Renderer
		env exec.Environment
	}{*r, *r.Environment}
	s.env.Context = r.Environment.Context.Inherit()
	s.r.Environment = &s.env
	return &s.r
}

// ifStatement is {% if %}...{% elif %}...{% else %}...{% endif %}. Jinja2's if has no scope of
// its own: the chosen body runs in the enclosing one, where its {% set %}s land.
type ifStatement struct {
	*controlStructures.IfControlStructure
}

func (s *ifStatement) Execute(r *exec.Renderer, _ *nodes.ControlStructureBlock) error {
	for i, condition := range s.Conditions {
		v := evaluator(r).Eval(condition)
		if v.IsError() {
			return v
		}
		if truthy(v) {
			return nodes.Walk(r, s.Wrappers[i])
		}
	}
	if len(s.Wrappers) > len(s.Conditions) { // else
		return nodes.Walk(r, s.Wrappers[len(s.Conditions)])
	}
	return nil
}

// forLoop is a {% for %}: one scope per item. In a recursive loop, loop(items) runs the loop
// again over items, one level deeper (loop.depth), and gives its text.
type forLoop struct {
	*controlStructures.ForControlStructure
	// byName: the body reads its one loop variable only as item.x and item["x"], so a dict
	// item (a child row) can be given to it as docFields, as doc is (Template.byName).
	byName bool
}

// loopItem is one item of a loop: key and value for a dict or unpacked pairs, key alone
// otherwise.
type loopItem struct{ key, value *exec.Value }

func (f *forLoop) bind(ctx *exec.Context, it loopItem) {
	ctx.Set(f.Key, it.key)
	if it.value != nil {
		ctx.Set(f.Value, it.value)
	}
}

func (f *forLoop) Execute(r *exec.Renderer, _ *nodes.ControlStructureBlock) error {
	obj := evaluator(r).Eval(f.ObjectEvaluator)
	if obj.IsError() {
		return obj
	}
	return f.run(r, obj, 1)
}

// run runs the loop over obj at a depth: 1, and one more for each loop() of a recursive loop.
// Loops nested in the template all have depth 1, as in Jinja2.
func (f *forLoop) run(r *exec.Renderer, obj *exec.Value, depth int) error {
	if obj.IsString() {
		obj = exec.AsValue(characters(obj.String())) // gonja would iterate its bytes
	}
	if _, ok := asNum(obj); ok {
		return fmt.Errorf("TypeError: '%s' object is not iterable", pyType(obj))
	}
	var items []loopItem
	var failed error
	obj.Iterate(func(_, _ int, key, value *exec.Value) bool {
		it := loopItem{key: key, value: value}
		if f.Value != "" { // for a, b in pairs: each item (a dict's key) unpacked
			pair, err := unpackPair(key)
			if err != nil {
				failed = err
				return false
			}
			it = loopItem{key: exec.ToValue(pair[0]), value: exec.ToValue(pair[1])}
		}
		if f.IfCondition != nil {
			sub := scope(r)
			f.bind(sub.Environment.Context, it)
			if !truthy(sub.Eval(f.IfCondition)) {
				return true
			}
		}
		items = append(items, it)
		return true
	}, func() {})
	if failed != nil {
		return failed
	}
	if len(items) == 0 {
		if f.EmptyWrapper != nil {
			return nodes.Walk(scope(r), f.EmptyWrapper)
		}
		return nil
	}
	st := stateOf(r.Environment.Context)
	st.enclosing = append(st.enclosing, r.Environment.Context)
	defer func() { st.enclosing = st.enclosing[:len(st.enclosing)-1] }()
	loop := &loopInfo{items: items, depth: depth}
	var loopValue any = loop
	if f.Recursive {
		loopValue = f.recursion(r, loop)
	}
	for i, it := range items {
		sub := scope(r)
		ctx := sub.Environment.Context
		if m, ok := it.key.Interface().(map[string]any); ok && f.byName {
			ctx.Set(f.Key, docFields(m))
		} else {
			f.bind(ctx, it)
		}
		ctx.Set("loop", loopValue)
		loop.index0 = i
		if err := nodes.Walk(sub, f.BodyWrapper); err != nil {
			var brk *controlStructures.LoopBreakError
			var cont *controlStructures.LoopContinueError
			switch {
			case errors.As(err, &brk):
				return nil
			case errors.As(err, &cont):
				continue
			case loop.failed != nil: // gonja gives loop()'s error as text: the error itself
				return loop.failed
			}
			return err
		}
	}
	return nil
}

// recursion is loop in a recursive loop's body: loop(items) runs the loop over items one
// level deeper, in the loop's scope, and gives the text it printed.
func (f *forLoop) recursion(r *exec.Renderer, loop *loopInfo) recursiveLoop {
	return func(va *exec.VarArgs) *exec.Value {
		if va == nil { // GetAttribute asks for the loop's variables
			return exec.AsValue(loop)
		}
		if len(va.Args) != 1 || len(va.KwArgs) > 0 {
			return exec.AsValue(fmt.Errorf("TypeError: loop() takes 1 argument, %d given", len(va.Args)+len(va.KwArgs)))
		}
		b := &blockWriter{st: renderState(r)}
		sub := *r
		sub.Output = b
		if err := f.run(&sub, va.Args[0], loop.depth+1); err != nil {
			loop.failed = err
			return exec.AsValue(err)
		}
		return exec.AsValue(b.String()) // plain text, as Jinja2's without autoescape
	}
}

// recursiveLoop is loop in a recursive loop: callable (gonja calls funcs of this shape) and
// with the loop's variables as attributes.
type recursiveLoop func(va *exec.VarArgs) *exec.Value

// GetAttribute gives the loop's variables (exec.AttributeGetter).
func (l recursiveLoop) GetAttribute(name string) (*exec.Value, bool) {
	return l(nil).Interface().(*loopInfo).GetAttribute(name)
}

// loopInfo is Jinja2's loop variable inside a forLoop.
type loopInfo struct {
	items   []loopItem
	index0  int
	depth   int
	changed *exec.Value // the last value given to loop.changed
	failed  error       // the error of a loop() of a recursive loop
}

// item is the value of items[i] as previtem and nextitem give it: the (key, value) pair of a
// dict, the item otherwise.
func (l *loopInfo) item(i int) *exec.Value {
	if i < 0 || i >= len(l.items) {
		return exec.AsValue(nil)
	}
	if it := l.items[i]; it.value != nil {
		return exec.AsValue([2]*exec.Value{it.key, it.value})
	}
	return l.items[i].key
}

// GetAttribute gives the loop's attributes to templates (exec.AttributeGetter).
func (l *loopInfo) GetAttribute(name string) (*exec.Value, bool) {
	n := len(l.items)
	switch name {
	case "index":
		return exec.AsValue(l.index0 + 1), true
	case "index0":
		return exec.AsValue(l.index0), true
	case "revindex":
		return exec.AsValue(n - l.index0), true
	case "revindex0":
		return exec.AsValue(n - l.index0 - 1), true
	case "first":
		return exec.AsValue(l.index0 == 0), true
	case "last":
		return exec.AsValue(l.index0 == n-1), true
	case "length":
		return exec.AsValue(n), true
	case "depth":
		return exec.AsValue(l.depth), true
	case "depth0":
		return exec.AsValue(l.depth - 1), true
	case "previtem", "PrevItem":
		return l.item(l.index0 - 1), true
	case "nextitem", "NextItem":
		return l.item(l.index0 + 1), true
	case "cycle", "Cycle":
		return exec.AsValue(func(va *exec.VarArgs) *exec.Value {
			if len(va.Args) == 0 {
				return exec.AsValue(errors.New("TypeError: no items for cycling given"))
			}
			return va.Args[l.index0%len(va.Args)]
		}), true
	case "changed", "Changed":
		return exec.AsValue(func(va *exec.VarArgs) *exec.Value {
			var current *exec.Value
			if len(va.Args) == 1 {
				current = va.Args[0]
			} else {
				list := make([]any, len(va.Args))
				for i, a := range va.Args {
					list[i] = a.Interface()
				}
				current = exec.AsValue(list)
			}
			same := l.changed != nil && current.EqualValueTo(l.changed)
			l.changed = current
			return exec.AsValue(!same)
		}), true
	}
	return exec.AsValue(nil), false
}

// characters is a text as Python iterates it: one string per character.
func characters(s string) []any {
	out := make([]any, 0, len(s))
	for _, r := range s {
		out = append(out, string(r))
	}
	return out
}

// unpackPair is v unpacked into two names, as Python's a, b = v: a text's characters, a list's or
// a tuple's items, a dict's keys, exactly two; anything else is Python's error.
func unpackPair(v *exec.Value) ([]any, error) {
	var parts []any
	switch {
	case v.IsString():
		parts = characters(v.String())
	case v.IsList():
		parts = items(v)
	default:
		keys, ok := dictKeys(v)
		if !ok {
			return nil, fmt.Errorf("TypeError: cannot unpack non-iterable %s object", pyType(v))
		}
		parts = keys
	}
	switch {
	case len(parts) < 2:
		return nil, fmt.Errorf("ValueError: not enough values to unpack (expected 2, got %d)", len(parts))
	case len(parts) > 2:
		return nil, errors.New("ValueError: too many values to unpack (expected 2)")
	}
	return parts, nil
}
