package service

import (
	"golang.org/x/time/rate"

	"walnotify/render"
)

// Mattermost incoming webhooks (https://developers.mattermost.com/integrate/webhooks/incoming/),
// which read Slack's <url|label> links.
//
// Size: a post holds 16,383 characters since Mattermost 5.0 (4,000 before; the server splits a
// longer webhook text into several posts rather than refusing it).
// Rate: the server's own limiter is off by default and allows 10 requests/s with a burst of 100
// when enabled (RateLimitSettings); walnotify keeps to 2/s with a burst of 5, so that a channel
// read by people is not flooded, and sends digests beyond that.
const mattermostLimit = 16383

func mattermost() *Service {
	return &Service{
		Name:   "Mattermost",
		Format: render.Markdown,
		Limit:  mattermostLimit,
		Rate:   rate.Limit(2),
		Burst:  5,
		Single: func(m Message, l Labels) any { return textBody{Text: linkedText(m, l, mattermostLimit)} },
		Digest: textDigest{
			limit:  mattermostLimit,
			link:   angleLink,
			strong: doubleAsterisks,
			body:   func(text string) any { return textBody{Text: text} },
		}.pack,
	}
}
