package sender

import (
	"golang.org/x/time/rate"

	"walnotify/rules"
	"walnotify/service"
)

// Message is one rendered notification (service.Message).
type Message = service.Message

// Labels are the words walnotify adds to a message itself (service.Labels).
type Labels = service.Labels

// LabelsFor returns the labels for a language tag (service.LabelsFor).
func LabelsFor(language string) Labels { return service.LabelsFor(language) }

// Payload returns the JSON body that posts m to a webhook of svc (service.Service.Payload).
func Payload(svc rules.Service, m Message, l Labels) ([]byte, error) {
	return service.Payload(string(svc), m, l)
}

// Digest packs the first n >= 1 of ms into one request body for svc (service.Digest).
func Digest(svc rules.Service, ms []Message, l Labels) (body []byte, n int, err error) {
	return service.Digest(string(svc), ms, l)
}

// DefaultRate returns svc's default request rate and burst (service.DefaultRate).
func DefaultRate(svc rules.Service) (limit rate.Limit, burst int) {
	return service.DefaultRate(string(svc))
}
