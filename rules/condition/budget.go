package condition

import (
	"errors"
	"fmt"
)

// Budgets. A condition has no loops, so what it can build is bounded by its length and by the
// size of each value it builds: every string is at most MaxString bytes and every list at most
// MaxItems items, checked before the value is built. A condition past them fails with an error
// wrapping ErrBudget, for that document only.
const (
	// MaxString is the largest string one operation of a condition may build, in bytes.
	MaxString = 1 << 20
	// MaxItems is the largest list one operation of a condition may build.
	MaxItems = 100_000
)

// ErrBudget is the cause of an evaluation error when a condition would build a value past
// MaxString or MaxItems: errors.Is(err, ErrBudget).
var ErrBudget = errors.New("condition budget exceeded")

// budgetError is Python's MemoryError for a value past a budget; it wraps ErrBudget.
type budgetError struct{ msg string }

func (e *budgetError) Error() string { return "MemoryError: " + e.msg }
func (e *budgetError) Unwrap() error { return ErrBudget }

// checkString refuses to build a string of n bytes past MaxString (n in float64, so that a
// huge product cannot wrap around).
func checkString(n float64) error {
	if n > MaxString {
		return &budgetError{fmt.Sprintf("a text of %.0f bytes is more than the limit of %d", n, MaxString)}
	}
	return nil
}

// checkItems refuses to build a list of n items past MaxItems.
func checkItems(n float64) error {
	if n > MaxItems {
		return &budgetError{fmt.Sprintf("a list of %.0f items is more than the limit of %d", n, MaxItems)}
	}
	return nil
}
