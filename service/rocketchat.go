package service

import (
	"time"

	"golang.org/x/time/rate"

	"walnotify/render"
)

// Rocket.Chat incoming webhooks (https://docs.rocket.chat/use-rocket.chat/workspace-administration/integrations).
//
// Size: the Message_MaxAllowedSize setting defaults to 5,000 characters.
// Rate: the REST rate limiter, on by default, also covers /hooks/ and allows 10 calls per 60 s
// per route (API_Enable_Rate_Limiter_Limit_Calls_Default = 10, _Limit_Time_Default = 60000):
// one request every 7.5 s with a burst of 2, which never exceeds 10 in any 60 s.
const rocketChatLimit = 5000

func rocketChat() *Service {
	return &Service{
		Name:   "Rocket.Chat",
		Format: render.Markdown,
		Limit:  rocketChatLimit,
		Rate:   rate.Every(7500 * time.Millisecond),
		Burst:  2,
		Single: rocketChatPayload,
		Digest: textDigest{
			limit:  rocketChatLimit,
			link:   markdownLink,
			strong: asterisks,
			body:   func(text string) any { return rocketChatBody{Text: text} },
		}.pack,
	}
}

type rocketChatBody struct {
	Text        string                 `json:"text"`
	Attachments []rocketChatAttachment `json:"attachments,omitempty"`
}

type rocketChatAttachment struct {
	Title     string `json:"title"`
	TitleLink string `json:"title_link"`
}

// rocketChatPayload is Dokos's Rocket.Chat message: the text and an attachment titled
// "Document link" that links to the document.
func rocketChatPayload(m Message, l Labels) any {
	b := rocketChatBody{Text: clip(m.Text, rocketChatLimit)}
	if m.URL != "" {
		b.Attachments = []rocketChatAttachment{{Title: l.DocumentLink, TitleLink: m.URL}}
	}
	return b
}
