// Package erpdb reads ERP documents and table metadata with plain SQL, for what the change
// stream does not carry: a live document for `walnotify test --doc`, the documents of a day for
// Days Before / Days After, the child rows of a document (doc.items), the columns of a table
// (write-back types, `check --db`), and the reads templates and conditions make
// (frappe.db.get_value and its kin: frappedb.Lookup).
//
// Values come back exactly as the change stream decodes them (cdc.DecodeText), so a rule sees
// the same document whether it came from WAL or from a query. erpdb only reads; it never writes
// the ERP's tables (write-backs go through the outbox transaction, package sender).
package erpdb
