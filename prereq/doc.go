// Package prereq is the one list of what the database must hold for walnotify to run with a
// configuration: server settings, the role and its attributes, each grant, the publication and
// its tables, REPLICA IDENTITY FULL where the rules need the old row, the state schema and the
// slot. Each Requirement checks itself against the database (for a named role, from any
// connection) and carries the SQL that meets it.
//
// `walnotify setup` prints or applies the list, `walnotify check --db` verifies it, and
// `walnotify teardown` undoes it: they cannot disagree, since there is nothing else to read.
// Only enabled notifications ask for anything. Problems of the rules themselves that only the
// database reveals (a missing table or column, a typo in a condition or a template, a write-back
// on a field the ERP locks after submit) are Problems, found by Validate.
//
// The package decides what SQL to run; it never runs it on its own: Apply does, when asked.
package prereq
