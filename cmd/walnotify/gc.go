package main

import "runtime/debug"

// Garbage collector settings of the daemon, unless GOGC or GOMEMLIMIT say otherwise.
//
// The daemon's live heap is small (10-20 MB) and every message leaves garbage (the rendered
// text, the document map, the request body): at Go's default GOGC=100 the collector runs every
// few milliseconds while a backlog drains, on the cores the database needs to stream and to
// commit the outbox. At 400 it runs a quarter as often; the memory limit keeps the heap bounded
// whatever the live heap does, so a burst cannot grow it fivefold.
const (
	daemonGCPercent   = 400
	daemonMemoryLimit = 100 << 20
)

// tuneGC applies the daemon's collector settings where the environment sets none.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(daemonGCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(daemonMemoryLimit)
	}
}
