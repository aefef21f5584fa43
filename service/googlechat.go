package service

import (
	"time"

	"golang.org/x/time/rate"

	"walnotify/render"
)

// Google Chat incoming webhooks (https://developers.google.com/workspace/chat/quickstart/webhooks).
//
// Size: a message may be at most 32,000 bytes
// (https://developers.google.com/workspace/chat/create-messages); walnotify keeps the text,
// link included, to 4,096 characters, which stays below that even for 4-byte characters and
// JSON escapes, and is about what people read in a chat message.
// Rate: message writes are limited per space, shared by every app in it, and incoming webhooks
// have further limits (https://developers.google.com/workspace/chat/limits): 1/s, no burst.
const googleChatLimit = 4096

func googleChat() *Service {
	return &Service{
		Name:   "Google Chat",
		Format: render.Slack,
		Limit:  googleChatLimit,
		Rate:   rate.Every(time.Second),
		Burst:  1,
		Single: func(m Message, l Labels) any { return textBody{Text: linkedText(m, l, googleChatLimit)} },
		Digest: textDigest{
			limit:  googleChatLimit,
			link:   angleLink,
			strong: asterisks,
			body:   func(text string) any { return textBody{Text: text} },
		}.pack,
	}
}

// textBody is the {"text": ...} body of Google Chat and Mattermost.
type textBody struct {
	Text string `json:"text"`
}

// linkedText is Dokos's Google Chat and Mattermost text: the message, then on its own line the
// document link as <url|Document link>; at most limit runes in all, the message cut first.
func linkedText(m Message, l Labels, limit int) string {
	if m.URL == "" {
		return clip(m.Text, limit)
	}
	suffix := "\n" + angleLink(m.URL, l.DocumentLink)
	return clip(m.Text, limit-runes(suffix)) + suffix
}
