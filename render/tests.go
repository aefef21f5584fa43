package render

import (
	"errors"
	"fmt"

	"github.com/nikolalohinski/gonja/v2/exec"

	"walnotify/internal/pystr"
)

// jinjaTests are the tests (x is name) whose gonja versions differ from Jinja2's. Jinja2's are
// Python expressions: "number" is isinstance(x, Number), a bool included, "true" and "false" are x is True and x is False (0 is not false, a NULL
// neither), "odd", "even" and "divisibleby" are x % n == 1 or 0 with Python's % (1.0 is odd, a
// text or None fails, n of 0 is a ZeroDivisionError), "lower" and "upper" are str(x).islower()
// and isupper(), "sequence" holds for what has a length and items (a text and a dict too), and
// the comparisons ("eq", "gt", "lessthan", ...) are Python's ==, >, <, ...: texts order, None
// against a number fails. Texts are compared as written, as by the operators.
func jinjaTests() map[string]exec.TestFunction {
	tests := map[string]contextTest{
		// isinstance(x, Number): a bool is one.
		"number": func(_ *exec.Context, in *exec.Value, _ *exec.VarArgs) (bool, error) { return isNumber(in), nil },
		"true": func(_ *exec.Context, in *exec.Value, _ *exec.VarArgs) (bool, error) {
			return in.IsBool() && in.Bool(), nil
		},
		"false": func(_ *exec.Context, in *exec.Value, _ *exec.VarArgs) (bool, error) {
			return in.IsBool() && !in.Bool(), nil
		},
		"odd":  remainderTest(1, false),
		"even": remainderTest(0, false),
		// divisibleby's n: x % n == 0.
		"divisibleby": remainderTest(0, true),
		"lower": func(_ *exec.Context, in *exec.Value, _ *exec.VarArgs) (bool, error) {
			return pystr.Cased(pyStr(in), pystr.IsLower, pystr.IsUpper), nil
		},
		"upper": func(_ *exec.Context, in *exec.Value, _ *exec.VarArgs) (bool, error) {
			return pystr.Cased(pyStr(in), pystr.IsUpper, pystr.IsLower), nil
		},
		"sequence": func(_ *exec.Context, in *exec.Value, _ *exec.VarArgs) (bool, error) {
			return in.IsString() || in.IsList() || in.IsDict(), nil
		},
		"sameas": testSameas,
		// By name, in select and reject (x is defined reads x itself: definedTest; selectattr
		// and rejectattr an item's attribute: definedAttr): an item that is None, a NULL
		// column's, is defined, as Jinja2's None is; gonja's took it for undefined.
		"defined": func(_ *exec.Context, in *exec.Value, _ *exec.VarArgs) (bool, error) {
			return !in.IsError(), nil
		},
		"undefined": func(_ *exec.Context, in *exec.Value, _ *exec.VarArgs) (bool, error) {
			return in.IsError(), nil
		},
		"in": func(ctx *exec.Context, in *exec.Value, params *exec.VarArgs) (bool, error) {
			seq, err := testArgument("in", params)
			if err != nil {
				return false, err
			}
			return pyContains(stateOf(ctx).format, in, seq)
		},
	}
	equal := func(ctx *exec.Context, in *exec.Value, params *exec.VarArgs) (bool, error) {
		other, err := testArgument("eq", params)
		if err != nil {
			return false, err
		}
		return pyEqual(stateOf(ctx).format.unescape, in, other), nil
	}
	for _, name := range []string{"eq", "equalto", "=="} {
		tests[name] = equal
	}
	for _, name := range []string{"ne", "!="} {
		tests[name] = func(ctx *exec.Context, in *exec.Value, params *exec.VarArgs) (bool, error) {
			eq, err := equal(ctx, in, params)
			return !eq, err
		}
	}
	for op, names := range map[string][]string{
		">": {"gt", "greaterthan"}, ">=": {"ge"}, "<": {"lt", "lessthan"}, "<=": {"le"},
	} {
		order := func(ctx *exec.Context, in *exec.Value, params *exec.VarArgs) (bool, error) {
			other, err := testArgument(names[0], params)
			if err != nil {
				return false, err
			}
			return pyOrder(stateOf(ctx).format, op, in, other)
		}
		tests[op] = order
		for _, name := range names {
			tests[name] = order
		}
	}
	// Jinja2's escaped, filter and test, which gonja's fail on any call (their check that no
	// argument is given always fails).
	tests["escaped"] = func(_ *exec.Context, in *exec.Value, params *exec.VarArgs) (bool, error) {
		return in.Safe, noArguments("escaped", params)
	}
	out := make(map[string]exec.TestFunction, len(tests)+2)
	out["filter"] = nameTest("filter", func(e *exec.Evaluator, name string) bool { return e.Environment.Filters.Exists(name) })
	out["test"] = nameTest("test", func(e *exec.Evaluator, name string) bool { return e.Environment.Tests.Exists(name) })
	for name, test := range tests {
		out[name] = func(ctx *exec.Context, in *exec.Value, params *exec.VarArgs) (bool, error) {
			ok, err := test(ctx, in, params)
			if st := stateOf(ctx); err != nil && st.testErr == nil {
				st.testErr = err
			}
			return ok, err
		}
	}
	return out
}

// nameTest is Jinja2's filter or test test: whether a text names one the environment has.
func nameTest(test string, has func(*exec.Evaluator, string) bool) func(*exec.Evaluator, *exec.Value, *exec.VarArgs) (bool, error) {
	return func(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) (bool, error) {
		if err := noArguments(test, params); err != nil {
			return false, err
		}
		if _, tuple := in.Interface().(pyTuple); !tuple && (in.IsList() || in.IsDict()) {
			// Jinja2 looks the value up in a dict of names.
			return false, fmt.Errorf("TypeError: unhashable type: '%s'", pyType(in))
		}
		return in.IsString() && has(e, in.String()), nil
	}
}

// noArguments is the TypeError of a test given arguments it does not take.
func noArguments(test string, params *exec.VarArgs) error {
	if len(params.Args)+len(params.KwArgs) > 0 {
		return fmt.Errorf("TypeError: test_%s() takes 1 positional argument", test)
	}
	return nil
}

// contextTest is a test as gonja calls it, with the rendering's context.
type contextTest = func(ctx *exec.Context, in *exec.Value, params *exec.VarArgs) (bool, error)

// failingTests is a filter that runs a test on each item (select, selectattr, ...): the first
// error of a test ends it, as in Jinja2 (gonja's take an error as false: the NULL quantity of
// doc.items|selectattr("qty", "gt", 1) left its row out, where the ERP's template fails).
func failingTests(f exec.FilterFunction) exec.FilterFunction {
	return func(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
		st := stateOf(e.Environment.Context)
		st.testErr = nil
		out := f(e, in, params)
		if err := st.testErr; err != nil {
			st.testErr = nil
			return exec.AsValue(err)
		}
		return out
	}
}

// knownTest is f, a filter whose argument at index names a test (select and reject: the first,
// selectattr and rejectattr: the second), failing as Jinja2's does on its first item when no
// test has that name.
func knownTest(index int, f exec.FilterFunction) exec.FilterFunction {
	return func(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
		if len(params.Args) > index && params.Args[index].IsString() && in.Len() > 0 {
			if name := params.Args[index].String(); !e.Environment.Tests.Exists(name) {
				return exec.AsValue(fmt.Errorf("TemplateRuntimeError: No test named %s.", pyReprAny(name)))
			}
		}
		return f(e, in, params)
	}
}

// testArgument is the one argument of a test that takes one.
func testArgument(name string, params *exec.VarArgs) (*exec.Value, error) {
	if len(params.Args) != 1 || len(params.KwArgs) != 0 {
		return nil, errors.New("TypeError: test '" + name + "' takes one argument")
	}
	return params.Args[0], nil
}

// remainderTest is x % n == want, n the test's argument when byArgument, else 2.
func remainderTest(want int, byArgument bool) contextTest {
	return func(ctx *exec.Context, in *exec.Value, params *exec.VarArgs) (bool, error) {
		n := exec.AsValue(2)
		if byArgument {
			var err error
			if n, err = testArgument("divisibleby", params); err != nil {
				return false, err
			}
		}
		r, err := opMod(stateOf(ctx), in, n)
		if err != nil {
			return false, err
		}
		return pyEqual(asWritten, exec.AsValue(r), exec.AsValue(want)), nil
	}
}

// testSameas is Python's x is y where CPython's answer does not depend on where the values
// come from: None, True and False are one object each, and so is each int from -5 to 256. Other
// values are the same object only when they come from one place (a name compared with
// itself), which walnotify, copying values, does not follow: they are not the same.
func testSameas(_ *exec.Context, in *exec.Value, params *exec.VarArgs) (bool, error) {
	other, err := testArgument("sameas", params)
	if err != nil {
		return false, err
	}
	switch {
	case in.IsNil() || other.IsNil():
		return in.IsNil() && other.IsNil(), nil
	case in.IsBool() || other.IsBool():
		return in.IsBool() && other.IsBool() && in.Bool() == other.Bool(), nil
	case in.IsInteger() && other.IsInteger():
		x, y := in.Integer(), other.Integer()
		return x == y && x >= -5 && x <= 256, nil
	}
	return false, nil
}

// byTruth is select or reject (keep) without a test: the items that are true, or false, as
// Python's bool tells (an empty dict the template wrote is false; gonja's took it as true).
func byTruth(keep bool, f exec.FilterFunction) exec.FilterFunction {
	return func(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
		if in.IsError() || len(params.Args) > 0 || len(params.KwArgs) > 0 {
			return f(e, in, params)
		}
		out := []any{}
		for _, item := range items(iterList(in)) {
			if truthy(exec.ToValue(item)) == keep {
				out = append(out, item)
			}
		}
		return exec.AsValue(out)
	}
}

// defaultIfFalse is Jinja2's default(value, default_value="", boolean=False): with no default
// given it is "" ({{ x|default }}), and with boolean a false value takes the default as
// Python's bool tells (an empty dict the template wrote included).
func defaultIfFalse(f exec.FilterFunction) exec.FilterFunction {
	return func(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
		args, err := bind(params, "default_value", "boolean")
		if err != nil {
			return exec.AsValue(fmt.Errorf("default: %w", err))
		}
		value := args[0]
		if value == nil {
			value = exec.AsValue("")
		}
		if args[1] != nil && args[1].IsTrue() && !in.IsError() && !truthy(in) {
			return value
		}
		return f(e, in, &exec.VarArgs{Args: []*exec.Value{value}, KwArgs: map[string]*exec.Value{}})
	}
}
