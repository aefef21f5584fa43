package rules

import (
	"walnotify/render"
	"walnotify/service"
)

// Service is the chat service behind an incoming webhook, by its name as written in the config
// once validated ("Slack", "Google Chat", "Telegram", ...). The services and what they do are
// listed in one place, service.All; this type only names one.
type Service string

// Names of the first services, for code and tests that name one. Others are named by their
// string (Service("Telegram")); the config names every service by name.
const (
	Slack      Service = "Slack"
	GoogleChat Service = "Google Chat"
	Mattermost Service = "Mattermost"
	RocketChat Service = "Rocket.Chat"
	Discord    Service = "Discord"
	Generic    Service = "Generic"
)

// String returns the service's name as written in the config file.
func (s Service) String() string { return string(s) }

// ParseService reads a service name as written in the config ("Slack", "Google Chat", ...),
// ignoring case, against the list of services.
func ParseService(name string) (Service, error) {
	s, err := service.Lookup(name)
	if err != nil {
		return "", err
	}
	return Service(s.Name), nil
}

// Format is the markup of the service, which decides how document values are escaped.
func (s Service) Format() render.Format {
	if svc, err := service.Lookup(string(s)); err == nil {
		return svc.Format
	}
	return render.Plain
}
