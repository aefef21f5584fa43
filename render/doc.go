// Package render turns a notification's subject and message templates into the text sent to a
// chat service.
//
// Templates are written the way ERP admins write them in the ERP's Notification form: Jinja2
// syntax (rendered with gonja v2), with the ERP's helpers (frappe.utils.fmt_money,
// get_url_to_form, doc.get_formatted, _(), ...). They are compiled once when the configuration
// loads: syntax errors, unknown filters, tests and functions and forbidden tags are reported
// there with their line and column, and rendering a compiled template only fails on problems that
// depend on the document (a filter applied to a value of the wrong type, ...).
//
// Rendering is pure: no I/O of its own (the ERP's reads a template makes, frappe.db.get_value
// and its kin, go through package frappedb to the Lookup that Data gives), no clock but the
// deadline's (the current time comes in Data), no network and no shared mutable state, so one
// compiled Template can be rendered from many goroutines at once. The
// template environment is a sandbox: the only tags are if, for, set, with, raw, filter, macro,
// call, break and continue (no include, import, extends or anything else that could read a file), no
// environment variables are visible, and every rendering runs under Limits enforced while it
// evaluates: the operations that build strings and lists (arithmetic, the filters and str
// methods that pad, join, repeat or format) check the size they are about to build, loops and
// macro calls are counted, and a deadline is checked as it goes (the one use of the clock).
// Past a limit the rendering stops with an error wrapping ErrBudget, so no document value can
// make a template exhaust memory or spin. Arithmetic is Python's (ops.go): -7 // 2 is -4, 1 +
// "x" and x / 0 are errors, and "%s" % x is Python's formatting.
//
// Values coming from the document are escaped for the target service (Format) before rendering,
// while the template's own text is sent as written: a customer called "<!channel>" stays inert
// text on Slack. Filters see the document's text as it was written and their text results are
// escaped again, so "A & B"|upper gives "A &amp; B" on Slack, not "A &AMP; B".
//
// render sits between rules (which compile templates at load and decide which notification
// fires) and sender (which delivers the rendered text).
package render
