package rules

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"walnotify/render"
	"walnotify/rules/condition"
	"walnotify/service"
)

// MinMinutesOffset is the smallest minutes_offset the ERP's form accepts.
const MinMinutesOffset = 10

// Compiled holds what a notification's text compiles to at load.
type Compiled struct {
	Condition *condition.Condition
	Subject   *render.Template
	Message   *render.Template
}

var (
	// Slot and publication names go unquoted into replication commands and plugin options.
	plainIdent = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)
	// Column names used in SQL are quoted; these are the shapes ERP field names take.
	fieldName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_ ]{0,62}$`)
)

// validIdent reports whether s can name a schema or table (quoted): non-empty, at most 63
// bytes, no NUL, no surrounding blanks.
func validIdent(s string) bool {
	return s != "" && len(s) <= 63 && !strings.ContainsRune(s, 0) && strings.TrimSpace(s) == s && utf8.ValidString(s)
}

func (c *Config) validate(loc *locator) []error {
	var problems []error
	add := func(p place, format string, args ...any) { problems = append(problems, loc.at(p, format, args...)) }

	db := &c.Database
	if db.DSN.IsZero() && !c.unresolved[place{key: "database.dsn"}] {
		add(place{key: "database.dsn"}, "is required")
	}
	if !plainIdent.MatchString(db.Slot) {
		add(place{key: "database.slot"}, "%q is not a valid slot name (lower-case letters, digits and _; at most 63)", db.Slot)
	}
	if !plainIdent.MatchString(db.Publication) {
		add(place{key: "database.publication"}, "%q is not a valid publication name (lower-case letters, digits and _; at most 63)", db.Publication)
	}
	if !validIdent(db.Schema) {
		add(place{key: "database.schema"}, "%q is not a valid schema name", db.Schema)
	}
	if !validIdent(db.StateSchema) {
		add(place{key: "database.state_schema"}, "%q is not a valid schema name", db.StateSchema)
	}
	if db.StateSchema == db.Schema {
		add(place{key: "database.state_schema"}, "must differ from database.schema: walnotify never writes its own tables among the ERP's")
	}
	if strings.ContainsRune(*db.TablePrefix, 0) {
		add(place{key: "database.table_prefix"}, "contains a NUL byte")
	}

	if c.Site.URL != "" && !isHTTPURL(c.Site.URL) {
		add(place{key: "site.url"}, "%q is not an http(s) URL", c.Site.URL)
	}
	c.Site.URL = strings.TrimRight(c.Site.URL, "/")
	c.Site.validate(func(key, format string, args ...any) { add(place{key: key}, format, args...) })
	if c.Site.FirstDayOfTheWeek != "" {
		if d, ok := weekday(c.Site.FirstDayOfTheWeek); ok {
			c.Site.WeekStart = d
		} else {
			add(place{key: "site.first_day_of_the_week"}, "%q: want a day of the week, Sunday to Saturday", c.Site.FirstDayOfTheWeek)
		}
	}
	if loc2, err := time.LoadLocation(c.Site.Timezone); err != nil {
		add(place{key: "site.timezone"}, "unknown time zone %q", c.Site.Timezone)
	} else {
		c.Site.Location = loc2
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		add(place{key: "log.format"}, "%q: want text or json", c.Log.Format)
	}
	switch strings.ToLower(c.Log.Level) {
	case "debug", "info", "warn", "error":
	default:
		add(place{key: "log.level"}, "%q: want debug, info, warn or error", c.Log.Level)
	}
	for _, d := range []struct {
		key string
		v   time.Duration
	}{{"delivery.max_age", c.Delivery.MaxAge.Duration}, {"delivery.retention", c.Delivery.Retention.Duration}, {"delivery.timeout", c.Delivery.Timeout.Duration}, {"delivery.digest_after", c.Delivery.DigestAfter.Duration}, {"delivery.render_timeout", c.Delivery.RenderTimeout.Duration}} {
		if d.v < 0 {
			add(place{key: d.key}, "must not be negative")
		}
	}

	for _, d := range []struct {
		key string
		v   int
	}{{"delivery.render_max_text", c.Delivery.RenderMaxText}, {"delivery.render_max_items", c.Delivery.RenderMaxItems}, {"delivery.render_max_steps", c.Delivery.RenderMaxSteps}} {
		if d.v < 0 {
			add(place{key: d.key}, "must not be negative")
		}
	}

	webhooks := map[string]bool{}
	for i := range c.Webhooks {
		w := &c.Webhooks[i]
		at := func(key string) place { return place{table: "webhook", index: i, name: w.Name, key: key} }
		if w.Name == "" {
			add(at("name"), "is required")
		} else if webhooks[w.Name] {
			add(at("name"), "another webhook has the same name")
		}
		webhooks[w.Name] = true
		svc, err := service.Lookup(w.ServiceName)
		if err == nil && svc.Name == service.DocumentWebhookName {
			svc, err = nil, fmt.Errorf("service %q is that of [[document_webhook]] records", svc.Name)
		}
		if err != nil {
			add(at("service"), "%v", err)
		} else {
			w.Service = Service(svc.Name)
		}
		// Never quote the URL in a message: it is a secret.
		switch {
		case c.unresolved[at("url")]:
		case w.URL.IsZero():
			add(at("url"), "is required")
		case !isHTTPURL(w.URL.value):
			add(at("url"), "is not an http(s) URL (value not shown: it is a secret)")
		case svc != nil && svc.Endpoint != nil:
			c.complete(w, svc, at, func(key, format string, args ...any) { add(at(key), format, args...) }, loc)
		}
		if w.Rate < 0 {
			add(at("rate"), "must not be negative")
		}
		if w.Burst < 0 {
			add(at("burst"), "must not be negative")
		}
		if w.DigestAfter.Duration < 0 {
			add(at("digest_after"), "must not be negative")
		}
		if w.ShowsLink() && c.Site.URL == "" {
			add(at("show_document_link"), "needs site.url to build document links (or set show_document_link = false)")
		}
	}

	names := map[string]bool{}
	for i := range c.Notifications {
		n := &c.Notifications[i]
		at := func(key string) place { return place{table: "notification", index: i, name: n.Name, key: key} }
		if n.Name == "" {
			add(at("name"), "is required")
		} else if names[n.Name] {
			add(at("name"), "another notification has the same name")
		}
		names[n.Name] = true
		if n.DocumentType == "" {
			add(at("document_type"), "is required")
		} else if !validIdent(c.TableName(n.DocumentType)) {
			add(at("document_type"), "%q does not make a valid table name", n.DocumentType)
		}
		ev, err := ParseEvent(n.EventName)
		if err != nil {
			add(at("event"), "%v", err)
		}
		n.Event = ev
		switch {
		case ev == ValueChange && n.ValueChanged == "":
			add(at("value_changed"), "is required for event Value Change")
		case ev != ValueChange && ev != 0 && n.ValueChanged != "":
			add(at("value_changed"), "is only used with event Value Change (event is %s)", ev)
		}
		if n.ValueChanged != "" && !fieldName.MatchString(n.ValueChanged) {
			add(at("value_changed"), "%q is not a field name", n.ValueChanged)
		}
		switch {
		case ev.Scheduled() && n.DateChanged == "":
			add(at("date_changed"), "is required for event %s", ev)
		case !ev.Scheduled() && ev != 0 && n.DateChanged != "":
			add(at("date_changed"), "is only used with events Days Before and Days After (event is %s)", ev)
		}
		if n.DateChanged != "" && !fieldName.MatchString(n.DateChanged) {
			add(at("date_changed"), "%q is not a field name", n.DateChanged)
		}
		if n.DaysInAdvance < 0 {
			add(at("days_in_advance"), "must not be negative")
		}
		if n.DaysInAdvance != 0 && !ev.Scheduled() && ev != 0 {
			add(at("days_in_advance"), "is only used with events Days Before and Days After (event is %s)", ev)
		}
		switch {
		case ev.Timed() && n.DatetimeChanged == "":
			add(at("datetime_changed"), "is required for event %s", ev)
		case !ev.Timed() && ev != 0 && n.DatetimeChanged != "":
			add(at("datetime_changed"), "is only used with events Minutes Before and Minutes After (event is %s)", ev)
		}
		if n.DatetimeChanged != "" && !fieldName.MatchString(n.DatetimeChanged) {
			add(at("datetime_changed"), "%q is not a field name", n.DatetimeChanged)
		}
		switch {
		case ev.Timed() && n.MinutesOffset < MinMinutesOffset:
			add(at("minutes_offset"), "must be at least %d for event %s, as in the ERP", MinMinutesOffset, ev)
		case !ev.Timed() && ev != 0 && n.MinutesOffset != 0:
			add(at("minutes_offset"), "is only used with events Minutes Before and Minutes After (event is %s)", ev)
		}
		if n.WebhookName != "" {
			if n.Webhook = c.Webhook(n.WebhookName); n.Webhook == nil {
				add(at("webhook"), "no webhook is named %q", n.WebhookName)
			}
		} else if !n.SendSystemNotification {
			add(at("webhook"), "is required (or set send_system_notification = true)")
		}
		if n.SetPropertyAfterAlert != "" && !fieldName.MatchString(n.SetPropertyAfterAlert) {
			add(at("set_property_after_alert"), "%q is not a field name", n.SetPropertyAfterAlert)
		}
		if n.SetPropertyAfterAlert == "" && n.PropertyValue != "" {
			add(at("property_value"), "is set but set_property_after_alert is empty")
		}
		for j := range n.Recipients {
			if err := n.Recipients[j].validate(); err != nil {
				add(at("recipients"), "row %d: %v", j+1, err)
			}
		}
		if len(n.Recipients) > 0 && !n.SendSystemNotification {
			add(at("recipients"), "is only used with send_system_notification = true")
		}
		if n.SendToAllAssignees && !n.SendSystemNotification {
			add(at("send_to_all_assignees"), "is only used with send_system_notification = true")
		}
		if strings.TrimSpace(n.Message) == "" {
			add(at("message"), "is required")
		}
		problems = append(problems, n.compile(loc, i)...)
	}
	problems = append(problems, c.validateDocWebhooks(loc)...)
	return problems
}

// compile compiles the notification's condition and templates.
func (n *Notification) compile(loc *locator, i int) []error {
	var problems []error
	at := func(key string) place { return place{table: "notification", index: i, name: n.Name, key: key} }
	var err error
	switch n.ConditionType {
	case "", "Python":
		if n.Filters != nil {
			problems = append(problems, loc.at(at("filters"), `is only used with condition_type = "Filters"`))
		}
		if n.Compiled.Condition, err = condition.Compile(n.Condition); err != nil {
			problems = append(problems, loc.at(at("condition"), "%v", err))
		}
	case "Filters":
		if strings.TrimSpace(n.Condition) != "" {
			problems = append(problems, loc.at(at("condition"), `is not used with condition_type = "Filters" (write the rows in filters)`))
		}
		if n.Compiled.Condition, err = condition.CompileFilters(n.Filters); err != nil {
			problems = append(problems, loc.at(at("filters"), "%v", err))
			break
		}
		for _, f := range n.Compiled.Condition.Fields() {
			if !fieldName.MatchString(f) {
				problems = append(problems, loc.at(at("filters"), "%q is not a field name", f))
			}
		}
	default:
		problems = append(problems, loc.at(at("condition_type"), `%q: want "Python" or "Filters"`, n.ConditionType))
	}
	if n.Compiled.Subject, err = render.CompileSubject(n.Subject); err != nil {
		problems = append(problems, loc.at(at("subject"), "%v", err))
	}
	if n.Compiled.Message, err = render.Compile(n.Message); err != nil {
		problems = append(problems, loc.at(at("message"), "%v", err))
	}
	return problems
}

// String describes the place of a notification for logs.
func (n *Notification) String() string { return fmt.Sprintf("notification %q", n.Name) }

// complete lets the service finish the webhook's URL from its other keys (chat_id, token);
// what the service finds doubtful goes to c.Warnings, and the webhook is used anyway.
func (c *Config) complete(w *Webhook, svc *service.Service, at func(key string) place, add func(key, format string, args ...any), loc *locator) {
	u, err := url.Parse(w.URL.value)
	if err != nil {
		add("url", "is not a valid URL (value not shown: it is a secret)")
		return
	}
	warning, err := svc.Endpoint(u, service.Options{ChatID: w.ChatID, Token: w.Token.value})
	if err != nil {
		add("url", "%v", err)
		return
	}
	w.URL = NewSecret(u.String())
	if warning != "" {
		c.Warnings = append(c.Warnings, loc.at(at("url"), "%s", warning).Error())
	}
}
