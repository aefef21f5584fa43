package render

import (
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/nikolalohinski/gonja/v2/exec"

	"walnotify/frappedb"
)

// ErrBudget is the cause of every error Render returns when a rendering goes past one of its
// Limits: errors.Is(err, ErrBudget) tells the caller that this document cannot be rendered
// with this template, not that the template is wrong or the process is in trouble.
var ErrBudget = errors.New("template budget exceeded")

// Limits bound one rendering. They are enforced while the template evaluates, before anything
// is built: a string, list or loop past a limit stops the rendering with an error wrapping
// ErrBudget, so no document value can make a template allocate without bound or spin. A zero
// field takes its default (DefaultLimits).
type Limits struct {
	// MaxString is the largest string one operation may build (repetition, concatenation,
	// join, center, indent, format, ...), in bytes.
	MaxString int
	// MaxItems is the largest list one operation may build (range, repetition, split, ...).
	MaxItems int
	// MaxBuilt is the total size, in bytes (list items count 16 bytes each), of everything
	// the operations of one rendering build, so that many strings below MaxString cannot add
	// up to an exhausted memory.
	MaxBuilt int
	// MaxSteps is the largest number of loop iterations plus macro calls.
	MaxSteps int
	// Timeout is how long one rendering may run, its database reads included.
	Timeout time.Duration
	// MaxLookups is the largest number of database reads (frappe.db.get_value, get_all, ...)
	// of one rendering; a read repeated with the same arguments counts once.
	MaxLookups int
	// MaxLookupRows is the most rows one read may give.
	MaxLookupRows int
}

// DefaultLimits are generous for real messages (a long traceback in the ERP's Error Log
// template renders far below them) and small enough that a rendering cannot hurt the daemon.
var DefaultLimits = Limits{
	MaxString: MaxOutput,
	MaxItems:  100_000,
	MaxBuilt:  32 << 20,
	MaxSteps:  MaxSteps,
	Timeout:   5 * time.Second,

	MaxLookups:    frappedb.DefaultLimits.Reads,
	MaxLookupRows: frappedb.DefaultLimits.Rows,
}

// withDefaults fills l's zero fields from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxString > 0 {
		d.MaxString = l.MaxString
	}
	if l.MaxItems > 0 {
		d.MaxItems = l.MaxItems
	}
	if l.MaxBuilt > 0 {
		d.MaxBuilt = l.MaxBuilt
	}
	if l.MaxSteps > 0 {
		d.MaxSteps = l.MaxSteps
	}
	if l.Timeout > 0 {
		d.Timeout = l.Timeout
	}
	if l.MaxLookups > 0 {
		d.MaxLookups = l.MaxLookups
	}
	if l.MaxLookupRows > 0 {
		d.MaxLookupRows = l.MaxLookupRows
	}
	return d
}

// budgetError is a limit that was reached; it wraps ErrBudget.
type budgetError struct{ msg string }

func (e *budgetError) Error() string { return e.msg }
func (e *budgetError) Unwrap() error { return ErrBudget }

func overBudget(format string, args ...any) error {
	return &budgetError{msg: fmt.Sprintf(format, args...)}
}

// exceed records the first limit the rendering reached and returns it. gonja flattens the
// errors of functions and filters to their text, so Render finds the limit here to return an
// error that wraps ErrBudget.
func (st *state) exceed(err error) error {
	if st.exceeded == nil {
		st.exceeded = err.(*budgetError)
	}
	return err
}

// itemSize is what one list item counts for in MaxBuilt.
const itemSize = 16

// charge accounts for a string of n bytes that an operation is about to build: it fails when
// the string is larger than MaxString, when the rendering has built more than MaxBuilt in all,
// or when its time is up. n is computed before the string is built, in int64 or float64 so
// that a huge factor cannot wrap around.
func (st *state) charge(n float64) error {
	if n > float64(st.limits.MaxString) {
		return st.exceed(overBudget("a text of %.0f bytes is more than the limit of %d", n, st.limits.MaxString))
	}
	return st.spend(n)
}

// chargeItems accounts for a list of n items that an operation is about to build.
func (st *state) chargeItems(n float64) error {
	if n > float64(st.limits.MaxItems) {
		return st.exceed(overBudget("a list of %.0f items is more than the limit of %d", n, st.limits.MaxItems))
	}
	return st.spend(n * itemSize)
}

func (st *state) spend(bytes float64) error {
	st.built += bytes
	if st.built > float64(st.limits.MaxBuilt) {
		return st.exceed(overBudget("the template built more than %d bytes", st.limits.MaxBuilt))
	}
	return st.inTime()
}

// clockEvery is how many budgeted steps pass between two readings of the clock: reading it
// at every loop iteration and filter cost more than the rest of the check, and every step is
// bounded by the other limits, so a rendering stops at most clockEvery steps past its Timeout.
const clockEvery = 16

// inTime fails once the rendering has run past its Timeout. It reads the clock at its first
// call and then every clockEvery calls.
func (st *state) inTime() error {
	if st.ticks++; st.ticks%clockEvery != 1 || st.deadline.IsZero() {
		return nil
	}
	if time.Now().After(st.deadline) {
		return st.exceed(overBudget("the rendering took more than %s", st.limits.Timeout))
	}
	return nil
}

// chargeText accounts for the text of v (a list or dict printed, joined or serialized) before
// it is built: its size is estimated by walking v, which stops as soon as the estimate is past
// MaxString, so the walk is bounded too.
func (st *state) chargeText(v any) error {
	if s, ok := v.(string); ok {
		return st.charge(float64(len(s)))
	}
	return st.charge(textSize(v, float64(st.limits.MaxString)+1))
}

// textSize estimates, from above, the length of v printed as Python prints it; it stops
// counting past limit.
func textSize(v any, limit float64) float64 {
	var size float64
	var walk func(v any)
	walk = func(v any) {
		if size > limit {
			return
		}
		switch x := v.(type) {
		case nil, bool, int, int64, float64, number:
			size += 24
		case string:
			size += float64(len(x))*4 + 2 // repr may escape every byte
		case []any:
			size += 2
			for _, item := range x {
				size += 2
				if walk(item); size > limit {
					return
				}
			}
		case *exec.Value:
			if x != nil {
				walk(x.Interface())
			}
		case *exec.Dict:
			size += 2
			for _, p := range x.Pairs {
				size += 6
				if walk(p.Key); size > limit {
					return
				}
				if walk(p.Value); size > limit {
					return
				}
			}
		case map[string]any:
			size += 2
			for k, item := range x {
				size += float64(len(k))*4 + 6
				if walk(item); size > limit {
					return
				}
			}
		default:
			rv := reflect.ValueOf(v)
			switch rv.Kind() {
			case reflect.Slice, reflect.Array:
				size += 2
				for i := range rv.Len() {
					size += 2
					if walk(rv.Index(i).Interface()); size > limit {
						return
					}
				}
			case reflect.Map:
				size += 2
				for it := rv.MapRange(); it.Next(); {
					size += 6
					if walk(it.Key().Interface()); size > limit {
						return
					}
					if walk(it.Value().Interface()); size > limit {
						return
					}
				}
			case reflect.String:
				size += float64(rv.Len())*4 + 2
			default:
				size += 64
			}
		}
	}
	walk(v)
	return size
}
