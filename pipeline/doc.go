// Package pipeline turns row changes into committed outbox entries, and only then confirms
// their replication position.
//
// It sits between the change stream and delivery: cdc.Item -> rules (which notifications
// fire) -> render (text) -> pipeline (outbox entry with its write-back and Notification Log
// rows, committed, then confirmed) -> sender (delivered and retried). What it does:
//
//   - Pipeline.Run reads a transaction's changes, asks the rules which notifications fire,
//     completes the document (child rows, unchanged TOASTed values) when a rule needs it,
//     renders each message, and commits the entries to the Outbox in batches together with the
//     end LSN of the last transaction read entirely. It calls Confirm with that LSN only after
//     the commit returned: the confirmed position never passes an entry that is not durable.
//   - The writes that go with an entry, in the same outbox transaction: Set Property After
//     Alert (an UPDATE cast like the ERP's cint) and the ERP's Notification Log rows, keyed by
//     the source so that a replay inserts nothing twice.
//   - Daily runs the Days Before / Days After pass after each midnight of the site, catching up
//     missed days, under keys made of the day and the document.
//   - Prepare learns what the rules need of the database (columns, child tables, locked
//     fields) and leaves out, with the reason, the notifications that name what is missing.
//   - Try is `walnotify test`: the same events, condition, rendering and payload as the daemon.
//
// What it refuses to do:
//
//   - confirm a position before the entries it covers are committed (a failing commit is
//     retried; the position waits);
//   - raise anything for walnotify's own write-back transactions (tagged by sender.TagPrefix);
//   - drop an entry silently: what the outbox refuses is recorded there as dead, with the reason;
//   - talk to webhooks, or run SQL other than through the interfaces it declares (Outbox,
//     Documents, DayDocuments), so that a test can put a fake behind each.
package pipeline
