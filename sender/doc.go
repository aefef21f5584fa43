// Package sender delivers rendered notifications to chat webhooks, durably.
//
// It sits last in the flow cdc -> rules -> render -> pipeline -> sender. What it does:
//
//   - The outbox: each rendered delivery (and the write-back that goes with it) is committed to
//     walnotify's tables in PostgreSQL, in the same transaction, before the replication position
//     of its source transaction is confirmed; a unique key makes replaying WAL after a crash a
//     no-op. Nothing that was confirmed can be lost, and a slow webhook never holds WAL in the slot.
//   - Workers: one per webhook, one request in flight, in order, at the service's rate (a token
//     bucket; DefaultRate gives the per-service defaults). When more deliveries are waiting than
//     the rate allows, the next request carries a digest of as many of them as fit the service's
//     size limit (Digest), so a burst is coalesced rather than dropped or delayed for hours.
//   - Marks: what a worker delivered is recorded off the request path, in groups, at most
//     MarkWindow deliveries behind (the most a crash sends again). Deliveries that succeeded
//     at their first attempt are recorded as ranges of ids (the settled table) and their rows
//     updated later, when the webhook is idle or at the purge; readers of the outbox treat a
//     pending row inside a range as delivered.
//   - The service payloads live in package service, one file per service: Payload and Digest
//     here go through its list (the exact JSON of SPEC section 6, labels of the site's language,
//     text cut at the service's limit with a visible "…").
//   - Answers: Post sends one body and Classify turns the reply into a Verdict: Delivered (2xx),
//     Retry (429, 5xx, 408, timeouts, connection errors; Retry-After honoured, capped) or Dead
//     (Slack's permanent answers such as invalid_payload or channel_is_archived, even with a 200,
//     and every other 4xx); a service's own Answer hook reads it first. A dead delivery keeps
//     its answer for `walnotify status`.
//   - Requests: HTTP/1.1 made on the worker's goroutine over keep-alive connections the
//     transport keeps (directTransport), net/http's wire format without its per-connection
//     goroutines; through a proxy, net/http's Transport.
//   - Pace: a worker measures how long its requests take; a backlog is sent as digests when the
//     measured pace, not only the configured rate, would leave it more than a second behind.
//
// What it refuses to do:
//
//   - escape or rewrite message text: the renderer has already escaped document values for the
//     target service; sender passes text through as given (Discord messages still carry
//     allowed_mentions with no parse, as a second fence);
//   - reveal a webhook URL: URLs are rules.Secret values, and every error and answer text is
//     scrubbed of the URL's secret parts (rules.Secret.Scrub: in any case, JSON-escaped, or
//     only a token segment) before it leaves Post, including Go's *url.Error;
//   - retry an answer that cannot succeed: a permanent answer is dead at once, so it does not
//     block the deliveries queued behind it on the same webhook;
//   - follow redirects (NewClient): a POST silently turned into a GET could look delivered.
package sender
