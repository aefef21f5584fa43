package render

import (
	"reflect"
	"slices"

	"github.com/nikolalohinski/gonja/v2/nodes"
)

var (
	getAttributeType = reflect.TypeFor[*nodes.GetAttribute]()
	getItemType      = reflect.TypeFor[*nodes.GetItem]()
	callType         = reflect.TypeFor[*nodes.Call]()
	nameType         = reflect.TypeFor[*nodes.Name]()
	stringType       = reflect.TypeFor[*nodes.String]()
)

// DocFields returns the document fields the template reads by name (doc.x and doc["x"], also
// in is defined tests),
// sorted, each once, so that a configuration check can name a typo. Fields read by a computed
// key are not listed.
func (t *Template) DocFields() []string {
	if t == nil || t.tpl == nil {
		return nil
	}
	fields, _ := docUse(t.tpl.Root(), t.tested)
	return fields
}

// docUse walks a compiled template: the fields it reads by name, sorted, and whether doc is
// read only that way (never as a whole: passed to a function, iterated, printed, a method
// called on it).
func docUse(root any, tested []nodes.Node) (fields []string, onlyByName bool) {
	return nameUse("doc", root, tested)
}

// nameUse is docUse for any name, in the trees given.
func nameUse(name string, trees ...any) (fields []string, onlyByName bool) {
	byName, docs := 0, 0
	walkNodes(func(v reflect.Value) bool {
		if f, ok := docField(v, name); ok {
			byName++
			if !slices.Contains(fields, f) {
				fields = append(fields, f)
			}
			return true
		}
		if v.Type() == nameType && isDocName(v, name) {
			docs++
			return false
		}
		return true
	}, trees...)
	slices.Sort(fields)
	// Each doc.x holds one doc name, seen when walking below it.
	return fields, docs == byName
}

// uses reports whether the name is read anywhere below tree.
func uses(tree any, name string) bool {
	found := false
	walkNodes(func(v reflect.Value) bool {
		found = found || v.Type() == nameType && isDocName(v, name)
		return !found
	}, tree)
	return found
}

// walkNodes calls visit once for each pointer below the trees given, depth first; visit
// tells whether to go below it.
func walkNodes(visit func(v reflect.Value) bool, trees ...any) {
	seen := map[uintptr]bool{}
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Pointer:
			if v.IsNil() || seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
			if visit(v) {
				walk(v.Elem())
			}
		case reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i))
			}
		case reflect.Slice, reflect.Array:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Map: // keyword arguments
			for it := v.MapRange(); it.Next(); {
				walk(it.Value())
			}
		}
	}
	for _, tree := range trees {
		walk(reflect.ValueOf(tree))
	}
}

// isDocName reports whether v, a *nodes.Name, is the name doc (or the name given).
func isDocName(v reflect.Value, doc string) bool {
	tok := v.Elem().FieldByName("Name")
	return !tok.IsNil() && tok.Elem().FieldByName("Val").String() == doc
}

// docField returns x when v is the node doc.x or doc["x"] (doc: the name given).
func docField(v reflect.Value, doc string) (string, bool) {
	isDoc := func(n reflect.Value) bool {
		if n.Kind() == reflect.Interface {
			n = n.Elem()
		}
		if !n.IsValid() || n.Type() != nameType || n.IsNil() {
			return false
		}
		return isDocName(n, doc)
	}
	switch v.Type() {
	case getAttributeType:
		e := v.Elem()
		if attr := e.FieldByName("Attribute").String(); attr != "" && isDoc(e.FieldByName("Node")) {
			return attr, true
		}
	case getItemType:
		e := v.Elem()
		arg := e.FieldByName("Arg")
		if arg.Kind() == reflect.Interface && !arg.IsNil() && arg.Elem().Type() == stringType && isDoc(e.FieldByName("Node")) {
			return arg.Elem().Elem().FieldByName("Val").String(), true
		}
	case callType:
		// doc["x"] and x.name, as prepare rewrites them (python.go).
		e := v.Elem()
		fn, args := e.FieldByName("Func"), e.FieldByName("Args")
		if fn.IsNil() || fn.Elem().Type() != nameType || fn.Elem().IsNil() || args.Len() < 2 {
			break
		}
		name := fn.Elem().Elem().FieldByName("Name")
		if name.IsNil() {
			break
		}
		if f := name.Elem().FieldByName("Val").String(); !(f == "\x00item" && args.Len() == 2) && !(f == "\x00attr" && args.Len() <= 3) {
			break
		}
		if key := args.Index(1); !key.IsNil() && key.Elem().Type() == stringType && isDoc(args.Index(0)) {
			return key.Elem().Elem().FieldByName("Val").String(), true
		}
	}
	return "", false
}
