package service

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"walnotify/render"
)

// All is the list of services walnotify delivers to, in the order the docs name them. It and
// Lookup's switch are where a service is registered (a test holds them together): rules
// validates the config's `service` names through Lookup, and sender builds payloads and reads
// answers through it.
func All() []*Service {
	return []*Service{slack(), googleChat(), mattermost(), rocketChat(), discord(), teams(), telegram(), ntfy(), generic()}
}

// Service is everything walnotify knows about one chat service.
type Service struct {
	// Name is the service as written in the config (`service = "Google Chat"`), matched
	// without regard to case.
	Name string
	// Format is the markup the renderer escapes document values for and writes links in.
	Format render.Format
	// Limit is the most runes of message text in one request (bytes of body for Generic).
	Limit int
	// Rate and Burst are the requests per second walnotify allows itself on one webhook by
	// default, and the burst.
	Rate  rate.Limit
	Burst int
	// Single is the body of one message; Digest the body for the first n >= 2 of ms, or n < 2
	// when fewer fit.
	Single func(m Message, l Labels) any
	Digest func(ms []Message, l Labels) (any, int)

	// Optional hooks.

	// Endpoint completes the webhook URL at config load from the webhook's other keys
	// (Telegram's chat_id, ntfy's token); it may return a warning for the operator.
	Endpoint func(u *url.URL, o Options) (warning string, err error)
	// Prepare shapes the request actually sent (Telegram moves chat_id into the body, ntfy
	// posts to the server's root with the topic in the body, a document webhook sends the
	// method, URL, headers and body it was built with).
	Prepare func(r *Request) error
	// Answer classifies an answer before the common rules of sender.Classify; ok false leaves
	// it to them.
	Answer func(status int, body []byte) (v Verdict, retryAfter time.Duration, ok bool)
}

// Request is one HTTP request to a webhook, as Prepare may shape it: by default a POST of the
// payload to the webhook's URL with Content-Type application/json.
type Request struct {
	Method string
	URL    *url.URL
	Header http.Header
	Body   []byte
}

// Options are a webhook's keys besides its URL, which some services need.
type Options struct {
	ChatID string // Telegram: the chat to post to
	Token  string // ntfy: an access token, sent as Bearer
}

// Lookup returns the service named name (any case, surrounding blanks ignored). It builds only
// that service: it runs for every message rendered and every request sent.
func Lookup(name string) (*Service, error) {
	var s *Service
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "slack":
		s = slack()
	case "google chat":
		s = googleChat()
	case "mattermost":
		s = mattermost()
	case "rocket.chat":
		s = rocketChat()
	case "discord":
		s = discord()
	case "microsoft teams":
		s = teams()
	case "telegram":
		s = telegram()
	case "ntfy":
		s = ntfy()
	case "generic":
		s = generic()
	case strings.ToLower(DocumentWebhookName):
		s = documentWebhook()
	}
	if s != nil {
		return s, nil
	}
	var names []string
	for _, s := range All() {
		names = append(names, s.Name)
	}
	return nil, fmt.Errorf("unknown service %q (want one of %s)", name, strings.Join(names, ", "))
}

// Payload returns the JSON body that posts m to a webhook of the service (SPEC section 6),
// with the labels l. Text longer than the service allows is cut with a visible "…"; otherwise
// text passes through as given: escaping document values is the renderer's job.
func (s *Service) Payload(m Message, l Labels) ([]byte, error) {
	return encode(s.Single(m, l))
}

// Verdict is what a webhook's answer means for the delivery.
type Verdict uint8

// Verdicts.
const (
	Delivered Verdict = iota + 1 // the service took the message
	Retry                        // try again later (rate limited, server trouble, network)
	Dead                         // the service will never take this request: do not retry
)

func (v Verdict) String() string {
	switch v {
	case Delivered:
		return "delivered"
	case Retry:
		return "retry"
	case Dead:
		return "dead"
	}
	return fmt.Sprintf("Verdict(%d)", uint8(v))
}

// Payload is Service.Payload for the service named name.
func Payload(name string, m Message, l Labels) ([]byte, error) {
	s, err := Lookup(name)
	if err != nil {
		return nil, err
	}
	return s.Payload(m, l)
}

// DefaultRate returns the request rate and burst walnotify keeps to on one webhook of the
// service named name when the config sets none. The figures and their sources are in each
// service's file; an unknown service gets one request per second.
func DefaultRate(name string) (limit rate.Limit, burst int) {
	s, err := Lookup(name)
	if err != nil {
		return 1, 1
	}
	return s.Rate, s.Burst
}

var errNoMessages = errors.New("digest of no messages")
