package rules

import (
	"fmt"
	"strings"
)

// Event is a document event a notification is sent on ("Send Alert On").
type Event uint8

// Events, as named in the ERP's Notification form; Delete is walnotify's extension.
const (
	New Event = iota + 1
	Save
	Submit
	Cancel
	ValueChange
	DaysBefore
	DaysAfter
	Delete
	MinutesBefore
	MinutesAfter
)

var eventNames = []string{New: "New", Save: "Save", Submit: "Submit", Cancel: "Cancel", ValueChange: "Value Change", DaysBefore: "Days Before", DaysAfter: "Days After", Delete: "Delete", MinutesBefore: "Minutes Before", MinutesAfter: "Minutes After"}

// frenchEventNames are the labels of the Notification form of a French site (Dokos, or the
// ERP's French translation): a config copied from such a form is accepted as written.
var frenchEventNames = []string{New: "Nouveau", Save: "Enregistrer", Submit: "Valider", Cancel: "Annuler", ValueChange: "Changement de valeur", DaysBefore: "Jours avant", DaysAfter: "Jours après", Delete: "Supprimer", MinutesBefore: "Minutes avant", MinutesAfter: "Minutes après"}

// String returns the event's name as written in the config file.
func (e Event) String() string {
	if int(e) > 0 && int(e) < len(eventNames) {
		return eventNames[e]
	}
	return fmt.Sprintf("Event(%d)", uint8(e))
}

// ParseEvent reads an event name as written in the config ("New", "Value Change", ...) or
// as the form's French labels name it ("Nouveau", "Changement de valeur", ...), ignoring case.
func ParseEvent(name string) (Event, error) {
	name = strings.TrimSpace(name)
	for _, names := range [][]string{eventNames, frenchEventNames} {
		for i, n := range names {
			if i > 0 && strings.EqualFold(n, name) {
				return Event(i), nil
			}
		}
	}
	return 0, fmt.Errorf("unknown event %q (want one of %s)", name, strings.Join(eventNames[1:], ", "))
}

// Scheduled reports whether the event is raised by the daily pass (Days Before/After) rather
// than by a row change.
func (e Event) Scheduled() bool { return e == DaysBefore || e == DaysAfter }

// Timed reports whether the event is raised by the 5-minute pass (Minutes Before/After)
// rather than by a row change.
func (e Event) Timed() bool { return e == MinutesBefore || e == MinutesAfter }

// Streamed reports whether a row change raises the event.
func (e Event) Streamed() bool { return !e.Scheduled() && !e.Timed() }
