package service

import (
	"time"

	"golang.org/x/time/rate"

	"walnotify/render"
)

// Discord webhooks (https://discord.com/developers/docs/resources/webhook#execute-webhook).
//
// Size: content is at most 2,000 characters (Dokos sends msg[:2000]; walnotify cuts on a clean
// boundary with "…").
// Rate: Discord answers with its buckets in headers; a webhook takes 5 requests per 2 s and
// about 30 per minute per channel. One request every 2.4 s with a burst of 5 never exceeds
// 5 in 2 s nor 30 in any 60 s.
const discordLimit = 2000

// discordSuppressEmbeds is the SUPPRESS_EMBEDS message flag: digests carry several links,
// which would otherwise each grow a preview.
const discordSuppressEmbeds = 1 << 2

func discord() *Service {
	return &Service{
		Name:   "Discord",
		Format: render.Discord,
		Limit:  discordLimit,
		Rate:   rate.Every(2400 * time.Millisecond),
		Burst:  5,
		Single: discordPayload,
		Digest: textDigest{
			limit:  discordLimit,
			link:   markdownLink,
			strong: doubleAsterisks,
			body: func(text string) any {
				return discordBody{Content: text, AllowedMentions: noMentions(), Flags: discordSuppressEmbeds}
			},
		}.pack,
	}
}

type discordBody struct {
	Content         string                 `json:"content"`
	Embeds          []discordEmbed         `json:"embeds,omitempty"`
	AllowedMentions discordAllowedMentions `json:"allowed_mentions"`
	Flags           int                    `json:"flags,omitempty"`
}

type discordEmbed struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

type discordAllowedMentions struct {
	Parse []string `json:"parse"` // always [], never null: nothing in the text pings anyone
}

func noMentions() discordAllowedMentions { return discordAllowedMentions{Parse: []string{}} }

// discordPayload is Dokos's Discord message (without its username and avatar, which the
// webhook's own settings give): the content and an embed titled "Document link". It adds
// allowed_mentions with an empty parse list, so that no @everyone, @here, user or role in the
// text can ping, whatever the renderer let through.
func discordPayload(m Message, l Labels) any {
	b := discordBody{Content: clip(m.Text, discordLimit), AllowedMentions: noMentions()}
	if m.URL != "" {
		b.Embeds = []discordEmbed{{Title: l.DocumentLink, URL: m.URL}}
	}
	return b
}
