package service

import (
	"net/url"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"walnotify/render"
)

// Microsoft Teams through a Workflows ("Post to a channel when a webhook request is received")
// URL: Office 365 connectors are retired. The URL carries its sig= and is a secret.
//
// Payload: an Adaptive Card 1.4 in a message attachment
// (https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-reference#adaptive-card):
// the subject as a bold TextBlock, the text as a wrapping TextBlock (Teams renders a subset of
// Markdown there), and an Action.OpenUrl button to the document.
// Answer: the Workflow answers 202 Accepted as soon as it has queued the run. A 202 is not a
// proof of delivery: the flow can still fail inside Power Automate (a removed channel, an
// expired connection); only the flow's run history shows it.
// Size: a Teams message is at most about 28 KB; walnotify keeps the text to 6,000 characters,
// which stays below that even at 4 bytes a character.
// Rate: Teams throttles posts to a channel beyond about 4 per second, and Workflows add their
// own per-flow limits: 1/s with a burst of 4.
const teamsLimit = 6000

// teamsHosts are the hosts of Workflows URLs; others (a relay, a test receiver) are accepted
// with a warning.
var teamsHosts = []string{"powerautomate.com", "powerplatform.com", "flow.microsoft.com", "logic.azure.com"}

func teams() *Service {
	return &Service{
		Name:   "Microsoft Teams",
		Format: render.CardMarkdown,
		Limit:  teamsLimit,
		Rate:   rate.Every(time.Second),
		Burst:  4,
		Single: teamsPayload,
		Digest: textDigest{
			limit:  teamsLimit,
			link:   markdownLink,
			strong: doubleAsterisks,
			body:   func(text string) any { return teamsCard("", text, "", "") },
		}.pack,
		Endpoint: teamsEndpoint,
	}
}

type teamsMessage struct {
	Type        string            `json:"type"`
	Attachments []teamsAttachment `json:"attachments"`
}

type teamsAttachment struct {
	ContentType string        `json:"contentType"`
	ContentURL  *string       `json:"contentUrl"` // always null
	Content     teamsCardBody `json:"content"`
}

type teamsCardBody struct {
	Type    string        `json:"type"`
	Version string        `json:"version"`
	Body    []teamsBlock  `json:"body"`
	Actions []teamsAction `json:"actions,omitempty"`
}

type teamsBlock struct {
	Type   string `json:"type"`
	Text   string `json:"text"`
	Weight string `json:"weight,omitempty"`
	Size   string `json:"size,omitempty"`
	Wrap   bool   `json:"wrap"`
}

type teamsAction struct {
	Type  string `json:"type"`
	Title string `json:"title"`
	URL   string `json:"url"`
}

func teamsPayload(m Message, l Labels) any {
	return teamsCard(m.Subject, clip(m.Text, teamsLimit), m.URL, l.DocumentLink)
}

func teamsCard(subject, text, link, label string) teamsMessage {
	card := teamsCardBody{Type: "AdaptiveCard", Version: "1.4"}
	if subject != "" {
		card.Body = append(card.Body, teamsBlock{Type: "TextBlock", Text: clip(subject, 200), Weight: "Bolder", Size: "Medium", Wrap: true})
	}
	card.Body = append(card.Body, teamsBlock{Type: "TextBlock", Text: text, Wrap: true})
	if link != "" {
		card.Actions = []teamsAction{{Type: "Action.OpenUrl", Title: label, URL: link}}
	}
	return teamsMessage{Type: "message", Attachments: []teamsAttachment{{ContentType: "application/vnd.microsoft.card.adaptive", Content: card}}}
}

// teamsEndpoint accepts any URL, with a warning when its host is not a Workflows host.
func teamsEndpoint(u *url.URL, _ Options) (string, error) {
	host := strings.ToLower(u.Hostname())
	for _, h := range teamsHosts {
		if host == h || strings.HasSuffix(host, "."+h) {
			return "", nil
		}
	}
	return "the host is not a Microsoft Workflows host (" + strings.Join(teamsHosts, ", ") + "); posting anyway", nil
}
