package service

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"walnotify/render"
)

// Telegram through the Bot API's sendMessage (https://core.telegram.org/bots/api#sendmessage):
// url = https://api.telegram.org/bot<token>/sendMessage (a secret), chat_id = the chat (group
// ids are negative, a channel may be "@name").
//
// Payload: the text in HTML parse mode (document values escaped for HTML by the renderer), the
// document link as an inline keyboard button.
// Size: a message is at most 4,096 characters. Longer text is truncated, not split: one
// notification stays one message, cut on a clean boundary with "…" (tags left open by the cut
// are closed, so the HTML still parses).
// Rate: Telegram allows about 1 message per second in a chat and 20 per minute in a group
// (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this). The
// default keeps to both, the group's being the tighter one: one every 60/19 s (about 3.2 s)
// without burst never exceeds 1 in a second nor 20 in any minute. A private chat may set
// rate = 1.
// Answers: a 429 carries parameters.retry_after in its JSON body, honoured like Retry-After;
// 400 "chat not found", 403 "bot was blocked by the user" and every other 4xx are permanent.
const telegramLimit = 4096

func telegram() *Service {
	return &Service{
		Name:   "Telegram",
		Format: render.HTML,
		Limit:  telegramLimit,
		Rate:   rate.Every(60 * time.Second / 19),
		Burst:  1,
		Single: telegramPayload,
		Digest: textDigest{
			limit:  telegramLimit,
			link:   htmlLink,
			strong: func(s string) string { return "<b>" + s + "</b>" },
			body: func(text string) any {
				return telegramBody{Text: text, ParseMode: "HTML", LinkPreview: &telegramPreview{IsDisabled: true}}
			},
			cut: clipHTML,
		}.pack,
		Endpoint: telegramEndpoint,
		Prepare:  telegramPrepare,
		Answer:   telegramAnswer,
	}
}

type telegramBody struct {
	ChatID      json.RawMessage   `json:"chat_id,omitempty"` // set by Prepare from the URL
	Text        string            `json:"text"`
	ParseMode   string            `json:"parse_mode"`
	LinkPreview *telegramPreview  `json:"link_preview_options,omitempty"`
	ReplyMarkup *telegramKeyboard `json:"reply_markup,omitempty"`
}

type telegramPreview struct {
	IsDisabled bool `json:"is_disabled"`
}

type telegramKeyboard struct {
	InlineKeyboard [][]telegramButton `json:"inline_keyboard"`
}

type telegramButton struct {
	Text string `json:"text"`
	URL  string `json:"url"`
}

func telegramPayload(m Message, l Labels) any {
	b := telegramBody{Text: clipHTML(m.Text, telegramLimit), ParseMode: "HTML"}
	if m.URL != "" {
		b.ReplyMarkup = &telegramKeyboard{InlineKeyboard: [][]telegramButton{{{Text: l.DocumentLink, URL: m.URL}}}}
	}
	return b
}

// htmlLink writes <a href="url">label</a>; label is walnotify's own text.
func htmlLink(url, label string) string {
	return `<a href="` + hrefEscaper.Replace(url) + `">` + label + `</a>`
}

var htmlTag = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>`)

// clipHTML is clip for HTML text: tags the cut leaves open are closed after the "…", so that
// Telegram can still parse it (the closing tags do not count towards max: they are few).
func clipHTML(s string, max int) string {
	cut := clip(s, max)
	if cut == s {
		return s
	}
	var open []string
	for _, m := range htmlTag.FindAllStringSubmatch(cut, -1) {
		name := strings.ToLower(m[2])
		if m[1] == "" {
			open = append(open, name)
		} else if n := len(open); n > 0 && open[n-1] == name {
			open = open[:n-1]
		}
	}
	for i := len(open) - 1; i >= 0; i-- {
		cut += "</" + open[i] + ">"
	}
	return cut
}

// telegramEndpoint carries chat_id in the URL's query, from which Prepare moves it into the
// body: the URL is the one secret a webhook has.
func telegramEndpoint(u *url.URL, o Options) (string, error) {
	id := strings.TrimSpace(o.ChatID)
	if id == "" {
		return "", errors.New("chat_id is required for Telegram")
	}
	if _, err := strconv.ParseInt(id, 10, 64); err != nil && !strings.HasPrefix(id, "@") {
		return "", fmt.Errorf("chat_id %q is neither a number nor an @channel name", id)
	}
	q := u.Query()
	q.Set("chat_id", id)
	u.RawQuery = q.Encode()
	if !strings.HasSuffix(u.Path, "/sendMessage") {
		return "the URL does not end in /sendMessage", nil
	}
	return "", nil
}

func telegramPrepare(r *Request) error {
	if r.URL == nil {
		return nil
	}
	q := r.URL.Query()
	id := q.Get("chat_id")
	if id == "" {
		return nil
	}
	q.Del("chat_id")
	out := *r.URL
	out.RawQuery = q.Encode()
	var b map[string]json.RawMessage
	if err := json.Unmarshal(r.Body, &b); err != nil {
		return fmt.Errorf("telegram body: %w", err)
	}
	if _, err := strconv.ParseInt(id, 10, 64); err == nil {
		b["chat_id"] = json.RawMessage(id)
	} else {
		b["chat_id"], _ = json.Marshal(id)
	}
	nb, err := encode(b)
	r.URL, r.Body = &out, nb
	return err
}

// telegramAnswer reads a 429's parameters.retry_after.
func telegramAnswer(status int, body []byte) (Verdict, time.Duration, bool) {
	if status != http.StatusTooManyRequests {
		return 0, 0, false
	}
	var v struct {
		Parameters struct {
			RetryAfter float64 `json:"retry_after"`
		} `json:"parameters"`
	}
	if json.Unmarshal(body, &v) != nil || v.Parameters.RetryAfter <= 0 {
		return 0, 0, false
	}
	return Retry, time.Duration(min(v.Parameters.RetryAfter, 900) * float64(time.Second)), true
}

// hrefEscaper escapes a URL for an href attribute, built once.
var hrefEscaper = strings.NewReplacer("&", "&amp;", `"`, "&quot;", "<", "&lt;", ">", "&gt;")
