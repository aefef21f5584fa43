// Package sqltext writes values into SQL text where a statement cannot take parameters: the
// replication protocol's commands, the simple-query COPY of the outbox, and the statements
// `walnotify setup` prints for a DBA to run.
package sqltext

import "strings"

// Literal is s as an SQL string literal. It assumes standard_conforming_strings, the default
// since PostgreSQL 9.1, which pgx assumes too: only the quote is doubled.
func Literal(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
