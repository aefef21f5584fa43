// Package condition compiles and evaluates the conditions of notifications (SPEC section 4):
// one Python expression over the row, written the way ERP admins write them in their
// Notification form, such as
//
//	doc.status in ("Open", "Replied") and not doc.is_return
//	frappe.utils.flt(doc.amount, 2) > 0 and doc.get("priority") == "High"
//
// A condition is compiled once, when the configuration loads. A small parser for Python's
// expression grammar (its precedence: "not a == b" is "not (a == b)"; its comparison chains:
// "0 < x < 5"; conditional expressions "x if c else y", evaluating only the branch chosen)
// builds a syntax tree, refuses what conditions do not support (lambda, comprehensions,
// assignment, unpacking, dict keys other than text, frappe.db.sql, the writes and other
// frappe.* beyond the whitelisted frappe.utils functions, the ERP's reads and frappe.bold, flt,
// cint, get_url and format_date, unknown functions,
// methods, names and keyword arguments)
// and translates it into an expr (github.com/expr-lang/expr) program in which every Python
// operation is a call to a Go function with Python's semantics, and expr provides
// short-circuit evaluation.
// Errors, at compile time and at run time, carry the line and column in the admin's text.
//
// A condition may also be statements ending in return, as Dokos runs them (block.go):
// assignments to names, if/elif/else, for loops with break and continue, return and pass
// become one expression, each assignment an expr variable over the statements after it, each
// if statement a conditional whose branches go on with the statements after it, each loop
// expr's reduce over its items, carrying the names it assigns from one item to the next and
// stopping at a return or a break.
//
// Semantics are Python 3's: truthiness in and/or/not and for the result; and/or yield an
// operand and short-circuit; == across int, float and bool (1 == True); ordering text against
// a number or None is a TypeError, == between them is False; "in" on tuples, lists, sets,
// substrings and dict keys; "is" is meant for None, True and False. A missing field reads as
// None; doc.get("f", default) returns the default only when the field does not exist (as the
// ERP's documents do), so a NULL field still reads as None, and, as the ERP's Document.get,
// a false default given by position is no default on the document and its child rows. Child
// rows and JSON objects both allow attribute access (row.qty). Tuples, sets and lists are all lists, so ("x",) == ["x"].
// Ints have no bounds: past int64 they are *big.Int (bigint.go), within a budget.
// A dict the condition writes ({"Open": 1}) is Python's (dict.go): text keys in the order
// written, a KeyError for a missing one, keys(), values() and items() as Python's views; a
// computed key that turns out not to be text is a run-time error, where Python takes any
// hashable key.
// Calls take keyword arguments by the ERP's parameter names (flt(x, precision=2)); slices take
// steps (s[::-1]); "%" formats text as Python does (internal/pyformat, shared with templates),
// and f-strings write their values by str() or !r's repr(), or by format(value, spec) with a
// format spec (f"{doc.grand_total:,.2f}", the same package), as str.format does; str.join
// joins text only.
//
// Dates are text everywhere ("YYYY-MM-DD"; timestamps "YYYY-MM-DD HH:MM:SS.ffffff"):
// nowdate(), today(), getdate() and add_days() return such text and date_diff() an int, so
// dates compare with dates and with date strings, where the ERP, whose dates are objects,
// finds a date never equal to a string. Where a str has no such attribute or operation, a date
// text does what Python's date does (dates.go): getdate(x).year, .weekday(), .strftime("%d.%m"),
// and a date minus a date is a timedelta with .days. frappe.utils.flt and cint follow the ERP:
// flt removes thousands commas ("1,234.5" is 1234.5), turns what float() refuses into 0.0 and
// rounds a precision the ERP's default way ("Banker's Rounding (legacy)"); cint("1.5") is 1,
// cint("abc") and cint(None) are 0.
//
// The ERP's reads of its tables that Frappe 16's and Dokos' conditions make
// (frappe.db.get_value, exists, count, get_all, frappe.get_doc...: reads.go) go through
// package frappedb, as templates' do; a condition says at load whether it reads (Reads), and
// Evaluate takes the Lookup that makes them, within their bounds.
//
// A condition sees the row, the whitelisted functions and those reads only: no method of a Go
// value, no expr builtin. The package sits in rules, between the configuration and the
// decision whether a notification fires; it does no I/O of its own.
package condition
