package service

import (
	"encoding/json"

	"golang.org/x/time/rate"

	"walnotify/render"
)

// Generic webhooks: walnotify's own JSON, for n8n, Node-RED or a program of the user's.
//
// Size: there is no text limit; a digest is kept under 512 KiB of body, half of nginx's default
// client_max_body_size (1 MiB), the most common limit in front of such receivers.
// Rate: a machine reads it, not a person, and there is no documented limit: 5/s with a burst of
// 10; a receiver that wants less answers 429 with Retry-After, which is honoured.
const genericLimit = 512 << 10

func generic() *Service {
	return &Service{
		Name:   "Generic",
		Format: render.Plain,
		Limit:  genericLimit,
		Rate:   rate.Limit(5),
		Burst:  10,
		Single: func(m Message, _ Labels) any { return genericPayload(m) },
		Digest: genericDigest,
	}
}

type genericBody struct {
	Notification string         `json:"notification"`
	Event        string         `json:"event"`
	Doctype      string         `json:"doctype"`
	Name         string         `json:"name"`
	Subject      string         `json:"subject"`
	Message      string         `json:"message"`
	URL          string         `json:"url"` // "" when the webhook hides document links
	Doc          map[string]any `json:"doc"`
}

func genericPayload(m Message) genericBody {
	return genericBody{
		Notification: m.Notification, Event: m.Event, Doctype: m.Doctype, Name: m.Name,
		Subject: m.Subject, Message: m.Text, URL: m.URL, Doc: m.Doc,
	}
}

type genericDigestBody struct {
	Digest []json.RawMessage `json:"digest"`
}

// genericDigest packs whole objects, never cut, while the body stays within genericLimit. A
// message that cannot be encoded ends the digest; it fails on its own later.
func genericDigest(ms []Message, _ Labels) (any, int) {
	size := len(`{"digest":[]}`)
	var items []json.RawMessage
	for _, m := range ms {
		b, err := encode(genericPayload(m))
		if err != nil {
			break
		}
		cost := len(b)
		if len(items) > 0 {
			cost++ // the comma
		}
		if size+cost > genericLimit {
			break
		}
		items = append(items, b)
		size += cost
	}
	if len(items) < 2 {
		return nil, len(items)
	}
	return genericDigestBody{Digest: items}, len(items)
}
