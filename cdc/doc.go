// Package cdc reads the committed changes of a PostgreSQL database through logical
// replication (pgoutput) and hands them on, transaction by transaction in commit order, as
// plain Go values.
//
// A Stream owns one replication=database connection in one goroutine: it receives, decodes,
// and alone sends standby status. Consumers read Items from a channel and call Confirm with a
// transaction's end LSN once they have made it durable; the stream never reports a position to
// the server before its consumer has confirmed it, except the WAL end of a keepalive while
// nothing received is still unconfirmed (so an idle publication does not pin WAL). A slow
// consumer slows the stream down (the channel is the backpressure) without silencing its
// status updates.
//
// Each connection fixes the text form of values (DateStyle ISO, TimeZone UTC, IntervalStyle
// postgres, extra_float_digits 3) whatever the server's defaults, so values decode the same
// everywhere. A dropped connection, a restarted server or a silent network reconnects with
// capped exponential backoff and resumes at the confirmed position; a slot held by another
// instance is waited for quietly, so a standby takes over when the active instance stops.
//
// pglogrepl parses the protocol's messages but the row changes, whose values are read straight
// from the message's bytes (decode.go): its parse copied each value once more and allocated
// what a length announced before checking it. Malformed input is an error at its position,
// never a panic or an allocation the message does not hold (FuzzDecode).
//
// Changes of a transaction are streamed as they arrive, never buffered whole, so a transaction
// of a million rows does not hold a million decoded rows in memory. Streaming of in-progress
// transactions is not asked for: the server spills large ones to disk and sends them whole.
//
// The package knows nothing about rules, templates or delivery: it sits first in the flow
// cdc -> rules -> render -> pipeline -> sender.
package cdc
