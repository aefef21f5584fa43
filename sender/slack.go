package sender

import (
	"time"

	"golang.org/x/time/rate"
)

// Slack incoming webhooks (https://api.slack.com/messaging/webhooks).
//
// Size: Slack truncates text beyond 40,000 characters
// (https://api.slack.com/changelog/2018-04-truncating-really-long-messages); walnotify keeps to
// 12,000, a long but still readable message, and cuts visibly.
// Rate: "1 per second, short bursts >1 allowed" for posting messages, incoming webhooks included
// (https://api.slack.com/docs/rate-limits): 1/s with a burst of 3.
const slackLimit = 12000

func slackFormat() format {
	return format{
		limit:  slackLimit,
		rate:   rate.Every(time.Second),
		burst:  3,
		single: slackPayload,
		digest: textDigest{
			limit:  slackLimit,
			link:   angleLink,
			strong: asterisks,
			body:   func(text string) any { return slackBody{Text: text} },
		}.pack,
	}
}

type slackBody struct {
	Text        string            `json:"text"`
	Attachments []slackAttachment `json:"attachments,omitempty"`
}

type slackAttachment struct {
	Fallback string        `json:"fallback"`
	Actions  []slackAction `json:"actions"`
}

type slackAction struct {
	Type  string `json:"type"`
	Text  string `json:"text"`
	URL   string `json:"url"`
	Style string `json:"style"`
}

// slackPayload is Frappe's and Dokos's Slack message: the text and a "Go to the document"
// button. Without a link the attachments key is left out (Frappe sends an empty list; Slack
// reads both the same).
func slackPayload(m Message, l Labels) any {
	b := slackBody{Text: clip(m.Text, slackLimit)}
	if m.URL != "" {
		b.Attachments = []slackAttachment{{
			Fallback: l.SeeDocumentAt + " " + m.URL,
			Actions:  []slackAction{{Type: "button", Text: l.GoToDocument, URL: m.URL, Style: "primary"}},
		}}
	}
	return b
}
