package service

import (
	"strings"
	"time"

	"golang.org/x/time/rate"

	"walnotify/render"
)

// Slack incoming webhooks (https://api.slack.com/messaging/webhooks).
//
// Size: Slack truncates text beyond 40,000 characters
// (https://api.slack.com/changelog/2018-04-truncating-really-long-messages); walnotify keeps to
// 12,000, a long but still readable message, and cuts visibly.
// Rate: "1 per second, short bursts >1 allowed" for posting messages, incoming webhooks included
// (https://api.slack.com/docs/rate-limits): 1/s with a burst of 3.
const slackLimit = 12000

func slack() *Service {
	return &Service{
		Name:   "Slack",
		Format: render.Slack,
		Limit:  slackLimit,
		Rate:   rate.Every(time.Second),
		Burst:  3,
		Single: slackPayload,
		Digest: textDigest{
			limit:  slackLimit,
			link:   angleLink,
			strong: asterisks,
			body:   func(text string) any { return slackBody{Text: text} },
		}.pack,
		Answer: slackAnswer,
	}
}

// slackPermanent are Slack's webhook answers that no retry can change
// (https://api.slack.com/messaging/webhooks#handling_errors and the 2016 changelog on webhook
// errors). They are dead whatever status comes with them, 200 included; rollup_error (500) is
// not among them.
var slackPermanent = map[string]bool{
	"invalid_payload":                   true,
	"user_not_found":                    true,
	"channel_not_found":                 true,
	"channel_is_archived":               true,
	"action_prohibited":                 true,
	"posting_to_general_channel_denied": true,
	"too_many_attachments":              true,
	"no_service":                        true,
	"no_service_id":                     true,
	"no_team":                           true,
	"team_disabled":                     true,
	"invalid_token":                     true,
	"no_text":                           true,
	"missing_text_or_fallback_or_attachments": true,
	"invalid_blocks":        true,
	"invalid_blocks_format": true,
	"invalid_attachments":   true,
	"msg_too_long":          true,
}

// slackAnswer makes Slack's permanent words dead whatever their status: Slack sometimes sends
// them with a 200, which must not count as delivered.
func slackAnswer(_ int, body []byte) (Verdict, time.Duration, bool) {
	if slackPermanent[strings.TrimSpace(string(body))] {
		return Dead, 0, true
	}
	return 0, 0, false
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
