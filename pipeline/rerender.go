package pipeline

import (
	"fmt"
	"time"

	"walnotify/frappedb"
	"walnotify/rules"
	"walnotify/sender"
)

// Rerender renders notification n of cfg again for a document, for its webhook, as the daemon
// would now (`walnotify replay --rerender`, after the message or the rules were fixed). The
// condition is not evaluated again: the notification fired when the change happened. lookup
// reads the database for the templates' frappe.db calls, as it is now.
func Rerender(cfg *rules.Config, lookup frappedb.Lookup, n *rules.Notification, doc map[string]any, now time.Time) (sender.Message, error) {
	if n.Webhook == nil {
		return sender.Message{}, fmt.Errorf("%s has no webhook", n)
	}
	if _, ok := doc["doctype"]; !ok {
		doc["doctype"] = n.DocumentType
	}
	return renderMessage(&Rules{cfg: cfg}, lookup, n, n.Event, doc, nil, now.In(cfg.Site.Location), n.Webhook.Service.Format(), n.Webhook.ShowsLink())
}
