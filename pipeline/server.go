package pipeline

import (
	"errors"
	"fmt"

	"walnotify/rules"
)

// OwnWritesTagged is the first server version whose stream carries the logical message that
// marks walnotify's own write-backs (pgoutput protocol 2, "messages"): PostgreSQL 14.
const OwnWritesTagged = 140000

// CheckServer refuses what the server cannot run safely. Before PostgreSQL 14 the stream
// (protocol 1) carries no logical messages, so walnotify cannot recognise its own write-backs
// and a Set Property After Alert would raise the notification again, in a loop; nor its
// Notification Log rows, when a rule watches that table. Other rules run.
func CheckServer(versionNum int, cfg *rules.Config) error {
	if versionNum >= OwnWritesTagged {
		return nil
	}
	watchesLog := false
	for i := range cfg.Notifications {
		n := &cfg.Notifications[i]
		if n.IsEnabled() && n.DocumentType == "Notification Log" {
			watchesLog = true
		}
	}
	var problems []error
	for i := range cfg.Notifications {
		n := &cfg.Notifications[i]
		if !n.IsEnabled() {
			continue
		}
		if n.SetPropertyAfterAlert != "" {
			problems = append(problems, fmt.Errorf("%s: set_property_after_alert needs PostgreSQL 14 or newer (server is %s): before 14 walnotify cannot recognise its own write-back in the stream, and the notification would fire again on it", n, versionText(versionNum)))
		}
		if n.SendSystemNotification && watchesLog {
			problems = append(problems, fmt.Errorf("%s: send_system_notification while a rule watches Notification Log needs PostgreSQL 14 or newer (server is %s)", n, versionText(versionNum)))
		}
	}
	return errors.Join(problems...)
}

// versionText writes server_version_num as PostgreSQL does: 130012 is 13.12, 90624 is 9.6.24.
func versionText(v int) string {
	if v >= 100000 {
		return fmt.Sprintf("%d.%d", v/10000, v%10000)
	}
	return fmt.Sprintf("%d.%d.%d", v/10000, v/100%100, v%100)
}
