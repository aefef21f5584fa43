// Package demo is the scenario of `walnotify demo`: an ERP-like schema, the rules, and the
// document changes that walk through New, Value Change, Save, Submit and Cancel. The command
// wires it to a throwaway PostgreSQL, the real daemon and a console chat; this package holds
// the SQL so that the command holds none.
package demo

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

var (
	// Schema is the demo's ERP-like tables.
	//go:embed schema.sql
	Schema string
	// Config is the demo's rules, with ${DEMO_DSN} and ${DEMO_SINK} to replace.
	//go:embed walnotify.toml
	Config string
)

// Step is one thing that happens to the demo's documents.
type Step struct {
	Title string
	SQL   string
	// Deliveries is how many messages the step makes.
	Deliveries int
	// After, if set, shows what the step did beside its message.
	After func(ctx context.Context, conn *pgx.Conn, w io.Writer)
}

// Steps is the scenario: New, Value Change, Save, Submit, Cancel, and a plain SQL import.
var Steps = []Step{
	{
		Title:      "New: a customer opens an urgent ticket (then Set Property After Alert: acknowledged = 1).\n   The customer's name holds <, > and &: escaped, it shows as text and cannot ping a channel",
		SQL:        `INSERT INTO "tabIssue" (name, subject, customer, priority) VALUES ('ISS-0001', 'The invoice PDF shows the wrong VAT rate', 'Boulangerie <Lemoine> & Fils', 'High')`,
		Deliveries: 1,
		After: func(ctx context.Context, conn *pgx.Conn, w io.Writer) {
			var ack int
			var modified time.Time
			conn.QueryRow(ctx, `SELECT acknowledged, modified FROM "tabIssue" WHERE name = 'ISS-0001'`).Scan(&ack, &modified)
			fmt.Fprintf(w, "  write-back: tabIssue ISS-0001 acknowledged = %d, modified = %s (raised no event: walnotify tags its own writes)\n", ack, modified.Format("2006-01-02 15:04:05"))
		},
	},
	{
		Title:      "Value Change: support replies (status Open -> Replied)",
		SQL:        `UPDATE "tabIssue" SET status = 'Replied', modified = localtimestamp WHERE name = 'ISS-0001'`,
		Deliveries: 1,
	},
	{
		Title: "Save: a draft invoice with two items",
		SQL: `BEGIN;
INSERT INTO "tabSales Invoice" (name, customer, customer_name, grand_total, due_date) VALUES ('SINV-0001', 'GIRARD', 'Atelier Girard', 12345.6, '2026-12-31');
INSERT INTO "tabSales Invoice Item" (name, parent, parentfield, parenttype, idx, item_code, item_name, qty, rate, amount) VALUES
  ('sii-1', 'SINV-0001', 'items', 'Sales Invoice', 1, 'CONSEIL', 'Consulting day', 10, 1000, 10000),
  ('sii-2', 'SINV-0001', 'items', 'Sales Invoice', 2, 'LIC', 'ERP licence', 1, 2345.6, 2345.6);
COMMIT`,
		Deliveries: 1,
	},
	{
		Title:      "Submit: the invoice is validated (docstatus 0 -> 1)",
		SQL:        `UPDATE "tabSales Invoice" SET docstatus = 1, status = 'Unpaid', modified = localtimestamp WHERE name = 'SINV-0001'`,
		Deliveries: 1,
	},
	{
		Title:      "Cancel: the invoice is cancelled (docstatus 1 -> 2)",
		SQL:        `UPDATE "tabSales Invoice" SET docstatus = 2, status = 'Cancelled', modified = localtimestamp WHERE name = 'SINV-0001'`,
		Deliveries: 1,
	},
	{
		Title: "A plain SQL import the application never sees: three tickets, one urgent",
		SQL: `INSERT INTO "tabIssue" (name, subject, customer, priority) VALUES
  ('ISS-0002', 'Password reset', 'Atelier Girard', 'Low'),
  ('ISS-0003', 'Server down', '@channel', 'High'),
  ('ISS-0004', 'Question about a duplicate', 'Boulangerie Lemoine', 'Medium')`,
		Deliveries: 1,
	},
}

// CreateDatabase creates a database of that name.
func CreateDatabase(ctx context.Context, conn *pgx.Conn, name string) error {
	_, err := conn.Exec(ctx, `CREATE DATABASE `+pgx.Identifier{name}.Sanitize())
	return err
}

// ServerVersion is the server's version, as "15.18".
func ServerVersion(ctx context.Context, conn *pgx.Conn) string {
	var v string
	conn.QueryRow(ctx, `SHOW server_version`).Scan(&v)
	return strings.Fields(v + " ")[0]
}

// SlotActive reports whether a replication slot is being streamed.
func SlotActive(ctx context.Context, conn *pgx.Conn, slot string) bool {
	var active bool
	conn.QueryRow(ctx, `SELECT active FROM pg_replication_slots WHERE slot_name = $1`, slot).Scan(&active)
	return active
}
