package rules

import (
	"fmt"
	"strings"
)

// Service is the chat service behind an incoming webhook.
type Service uint8

// The services walnotify delivers to.
const (
	Slack Service = iota + 1
	GoogleChat
	Mattermost
	RocketChat
	Discord
	Generic
)

var serviceNames = []string{Slack: "Slack", GoogleChat: "Google Chat", Mattermost: "Mattermost", RocketChat: "Rocket.Chat", Discord: "Discord", Generic: "Generic"}

// String returns the service's name as written in the config file.
func (s Service) String() string {
	if int(s) > 0 && int(s) < len(serviceNames) {
		return serviceNames[s]
	}
	return fmt.Sprintf("Service(%d)", uint8(s))
}

// ParseService reads a service name as written in the config ("Slack", "Google Chat", ...),
// ignoring case.
func ParseService(name string) (Service, error) {
	for i, n := range serviceNames {
		if i > 0 && strings.EqualFold(n, strings.TrimSpace(name)) {
			return Service(i), nil
		}
	}
	return 0, fmt.Errorf("unknown service %q (want one of %s)", name, strings.Join(serviceNames[1:], ", "))
}
