// Package service is the one home of each chat service walnotify delivers to.
//
// Each service is one file (slack.go, googlechat.go, mattermost.go, rocketchat.go, discord.go,
// teams.go, telegram.go, ntfy.go, generic.go) holding everything about it: the markup its
// document values are escaped for (a render.Format), its limits (text size, default rate and
// burst, with their sources), its payload (SPEC section 6) and digest, and the hooks it needs —
// URL completion and warnings at config load (Endpoint), the request as actually sent
// (Prepare) and the reading of its answers (Answer). All is the explicit list of services: the
// config names a service by its Name, rules validates against the list, sender sends through
// it. There is no registration at init and no global state.
//
// Adding a service: one file here with a constructor returning *Service, one line in All, its
// golden files (go test ./service -update) and an end-to-end test against a fake in sender.
package service
