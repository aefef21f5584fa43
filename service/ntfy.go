package service

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"walnotify/render"
)

// ntfy (https://docs.ntfy.sh/publish/#publish-as-json): url = server + topic
// (https://ntfy.sh/erp-alerts; a secret when the topic is), published as JSON to the server's
// root with the topic in the body; an optional access token (token or token_file) goes as
// "Authorization: Bearer".
//
// Payload: {"topic", "title": subject, "message", "click": document link, "markdown": true,
// "tags": [doctype]}.
// Size: ntfy turns a message above 4,096 bytes into an attachment; walnotify keeps the text to
// 1,000 characters, below that even at 4 bytes a character.
// Rate: ntfy's default visitor limit is a burst of 60 requests refilled one every 5 s
// (ntfy.sh and a default self-hosted server): one every 5 s with a burst of 10.
const ntfyLimit = 1000

func ntfy() *Service {
	return &Service{
		Name:   "ntfy",
		Format: render.CardMarkdown,
		Limit:  ntfyLimit,
		Rate:   rate.Every(5 * time.Second),
		Burst:  10,
		Single: ntfyPayload,
		Digest: func(ms []Message, l Labels) (any, int) {
			v, n := textDigest{
				limit:  ntfyLimit,
				link:   markdownLink,
				strong: doubleAsterisks,
				body:   func(text string) any { return ntfyBody{Message: text, Markdown: true} },
			}.pack(ms, l)
			if b, ok := v.(ntfyBody); ok {
				b.Title = fmt.Sprintf("%d %s", n, l.Notifications)
				v = b
			}
			return v, n
		},
		Endpoint: ntfyEndpoint,
		Prepare:  ntfyPrepare,
	}
}

type ntfyBody struct {
	Topic    string   `json:"topic,omitempty"` // set by Prepare from the URL
	Title    string   `json:"title,omitempty"`
	Message  string   `json:"message"`
	Click    string   `json:"click,omitempty"`
	Markdown bool     `json:"markdown"`
	Tags     []string `json:"tags,omitempty"`
}

func ntfyPayload(m Message, _ Labels) any {
	b := ntfyBody{Title: clip(m.Subject, 250), Message: clip(m.Text, ntfyLimit), Click: m.URL, Markdown: true}
	if m.Doctype != "" {
		b.Tags = []string{m.Doctype}
	}
	return b
}

// ntfyEndpoint checks that the URL names a topic and carries the token in the query's auth
// parameter (ntfy's own form of it), from which Prepare moves it to the header.
func ntfyEndpoint(u *url.URL, o Options) (string, error) {
	if path.Base(strings.TrimSuffix(u.Path, "/")) == "/" || strings.Trim(u.Path, "/") == "" {
		return "", errors.New("the ntfy URL must end with the topic (https://ntfy.sh/<topic>)")
	}
	if o.Token != "" {
		q := u.Query()
		q.Set("auth", base64.RawURLEncoding.EncodeToString([]byte("Bearer "+o.Token)))
		u.RawQuery = q.Encode()
	}
	return "", nil
}

func ntfyPrepare(r *Request) error {
	if r.URL == nil {
		return nil
	}
	u := r.URL
	trimmed := strings.TrimSuffix(u.Path, "/")
	topic := path.Base(trimmed)
	out := *u
	out.Path = strings.TrimSuffix(trimmed, topic)
	out.RawPath = ""
	q := u.Query()
	if auth := q.Get("auth"); auth != "" {
		if v, err := base64.RawURLEncoding.DecodeString(auth); err == nil {
			r.Header.Set("Authorization", string(v))
			q.Del("auth")
		}
	}
	out.RawQuery = q.Encode()
	var b map[string]json.RawMessage
	if err := json.Unmarshal(r.Body, &b); err != nil {
		return fmt.Errorf("ntfy body: %w", err)
	}
	b["topic"], _ = json.Marshal(topic)
	nb, err := encode(b)
	r.URL, r.Body = &out, nb
	return err
}
