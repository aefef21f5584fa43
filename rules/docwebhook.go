package rules

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"walnotify/cdc"
	"walnotify/render"
	"walnotify/rules/condition"
	"walnotify/service"
)

// DocumentWebhook is one record of the ERP's Webhook form: on a document event, an HTTP request
// whose body, signature and headers are the ERP's, so that a receiver written for the ERP works
// unchanged. Keys are the form's field names.
type DocumentWebhook struct {
	Name            string `toml:"name"`
	Enabled         *bool  `toml:"enabled"`
	WebhookDoctype  string `toml:"webhook_doctype"`
	WebhookDocevent string `toml:"webhook_docevent"`
	// Condition is evaluated with doc and utils (utils.cint, ...), as the ERP; empty is true.
	Condition string `toml:"condition"`
	// RequestURL is a secret (${VAR} allowed); a Jinja template when IsDynamicURL.
	RequestURL       Secret `toml:"request_url"`
	IsDynamicURL     bool   `toml:"is_dynamic_url"`
	RequestMethod    string `toml:"request_method"`    // POST (default) | PUT | DELETE
	RequestStructure string `toml:"request_structure"` // JSON | Form URL-Encoded
	// WebhookJSON is the JSON structure's Jinja template; its output must parse as JSON.
	WebhookJSON string `toml:"webhook_json"`
	// WebhookData are the Form URL-Encoded structure's rows: document field -> key.
	WebhookData    []WebhookData     `toml:"webhook_data"`
	WebhookHeaders map[string]string `toml:"webhook_headers"`
	// Timeout is the request's timeout in seconds (the ERP's default: 5).
	Timeout        int    `toml:"timeout"`
	EnableSecurity bool   `toml:"enable_security"`
	WebhookSecret  Secret `toml:"webhook_secret"`

	// Resolved at load.
	Event    DocEvent           `toml:"-"`
	Compiled CompiledDocWebhook `toml:"-"`
}

// WebhookData is a row of the Webhook form's "Webhook Data" table.
type WebhookData struct {
	Fieldname string `toml:"fieldname"`
	Key       string `toml:"key"`
}

// CompiledDocWebhook holds what a document webhook's text compiles to at load.
type CompiledDocWebhook struct {
	Condition *condition.Condition
	URL       *render.Template // is_dynamic_url only
	JSON      *render.Template // request_structure JSON only
}

// Request structures of the Webhook form.
const (
	StructureJSON = "JSON"
	StructureForm = "Form URL-Encoded"
)

// DefaultDocWebhookTimeout is the Webhook form's default timeout, in seconds.
const DefaultDocWebhookTimeout = 5

// IsEnabled reports whether the webhook is enabled (the default, as the form).
func (d *DocumentWebhook) IsEnabled() bool { return d.Enabled == nil || *d.Enabled }

// String describes the place of a document webhook for logs.
func (d *DocumentWebhook) String() string { return fmt.Sprintf("document_webhook %q", d.Name) }

// DocumentWebhook returns the document webhook with that name, or nil.
func (c *Config) DocumentWebhook(name string) *DocumentWebhook {
	for i := range c.DocumentWebhooks {
		if c.DocumentWebhooks[i].Name == name {
			return &c.DocumentWebhooks[i]
		}
	}
	return nil
}

func (c *Config) docWebhookDefaults() {
	for i := range c.DocumentWebhooks {
		d := &c.DocumentWebhooks[i]
		if d.RequestMethod == "" {
			d.RequestMethod = http.MethodPost
		}
		if d.Timeout == 0 {
			d.Timeout = DefaultDocWebhookTimeout
		}
	}
}

// validateDocWebhooks checks and compiles the [[document_webhook]] records.
func (c *Config) validateDocWebhooks(loc *locator) []error {
	var problems []error
	names := map[string]bool{}
	for i := range c.DocumentWebhooks {
		d := &c.DocumentWebhooks[i]
		at := func(key string) place { return place{table: "document_webhook", index: i, name: d.Name, key: key} }
		add := func(key, format string, args ...any) { problems = append(problems, loc.at(at(key), format, args...)) }
		switch {
		case d.Name == "":
			add("name", "is required")
		case names[d.Name]:
			add("name", "another document_webhook has the same name")
		case c.Webhook(d.Name) != nil:
			add("name", "a [[webhook]] has the same name; their deliveries would share one queue")
		case c.Notification(d.Name) != nil:
			add("name", "a [[notification]] has the same name; the outbox tells deliveries apart by it")
		}
		names[d.Name] = true
		if d.WebhookDoctype == "" {
			add("webhook_doctype", "is required")
		} else if !validIdent(c.TableName(d.WebhookDoctype)) {
			add("webhook_doctype", "%q does not make a valid table name", d.WebhookDoctype)
		}
		ev, err := ParseDocEvent(d.WebhookDocevent)
		if err != nil {
			add("webhook_docevent", "%v", err)
		}
		d.Event = ev
		if d.Compiled.Condition, err = condition.Compile(d.Condition); err != nil {
			add("condition", "%v", err)
		}
		switch {
		case c.unresolved[at("request_url")]:
		case d.RequestURL.IsZero():
			add("request_url", "is required")
		case d.IsDynamicURL:
			// Never quote the template either: it holds the secret URL.
			if d.Compiled.URL, err = render.CompileSubject(d.RequestURL.value); err != nil {
				add("request_url", "is not a valid template (value not shown: it is a secret)")
			}
		case !isHTTPURL(d.RequestURL.value):
			add("request_url", "is not an http(s) URL (value not shown: it is a secret)")
		}
		switch d.RequestMethod {
		case http.MethodPost, http.MethodPut, http.MethodDelete:
		default:
			add("request_method", "%q: want POST, PUT or DELETE", d.RequestMethod)
		}
		switch d.RequestStructure {
		case StructureJSON:
			if strings.TrimSpace(d.WebhookJSON) == "" {
				add("webhook_json", `is required with request_structure = "JSON"`)
			} else if d.Compiled.JSON, err = render.Compile(d.WebhookJSON); err != nil {
				add("webhook_json", "%v", err)
			}
			if len(d.WebhookData) > 0 {
				add("webhook_data", `is only used with request_structure = "Form URL-Encoded"`)
			}
		case StructureForm:
			if len(d.WebhookData) == 0 {
				add("webhook_data", `is required with request_structure = "Form URL-Encoded" (rows { fieldname = "...", key = "..." })`)
			}
			if d.WebhookJSON != "" {
				add("webhook_json", `is only used with request_structure = "JSON"`)
			}
		default:
			add("request_structure", `%q: want "JSON" or "Form URL-Encoded"`, d.RequestStructure)
		}
		for j, row := range d.WebhookData {
			switch {
			case !fieldName.MatchString(row.Fieldname):
				add("webhook_data", "row %d: fieldname %q is not a field name", j+1, row.Fieldname)
			case row.Key == "":
				add("webhook_data", "row %d: key is required", j+1)
			}
		}
		for k, v := range d.WebhookHeaders {
			if !validHeader(k, v) {
				add("webhook_headers", "%q is not a valid header name and value", k)
			}
		}
		if d.Timeout < 0 {
			add("timeout", "must not be negative")
		}
		switch {
		case d.EnableSecurity && d.WebhookSecret.IsZero() && !c.unresolved[at("webhook_secret")]:
			add("webhook_secret", "is required with enable_security = true")
		case !d.EnableSecurity && !d.WebhookSecret.IsZero():
			add("webhook_secret", "is only used with enable_security = true")
		}
	}
	return problems
}

// validHeader reports whether k: v can be sent as an HTTP header line.
func validHeader(k, v string) bool {
	if k == "" || strings.ContainsAny(v, "\r\n\x00") {
		return false
	}
	for _, r := range k {
		if r <= ' ' || r >= 0x7f || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) {
			return false
		}
	}
	return true
}

// DocEvent is a document event of the Webhook form ("Doc Event").
type DocEvent uint8

// Doc events, as the Webhook form names them.
const (
	AfterInsert DocEvent = iota + 1
	OnUpdate
	OnSubmit
	OnCancel
	OnTrash
	OnUpdateAfterSubmit
	OnChange
)

var docEventNames = []string{AfterInsert: "after_insert", OnUpdate: "on_update", OnSubmit: "on_submit", OnCancel: "on_cancel", OnTrash: "on_trash", OnUpdateAfterSubmit: "on_update_after_submit", OnChange: "on_change"}

// String returns the event's name as the form writes it.
func (e DocEvent) String() string {
	if int(e) > 0 && int(e) < len(docEventNames) {
		return docEventNames[e]
	}
	return fmt.Sprintf("DocEvent(%d)", uint8(e))
}

// ParseDocEvent reads a webhook_docevent value.
func ParseDocEvent(name string) (DocEvent, error) {
	for i, n := range docEventNames {
		if i > 0 && n == strings.TrimSpace(name) {
			return DocEvent(i), nil
		}
	}
	if strings.TrimSpace(name) == "workflow_transition" {
		return 0, fmt.Errorf("workflow_transition is raised only by the app's workflow actions, which leave no trace walnotify can tell apart from a save")
	}
	return 0, fmt.Errorf("unknown webhook_docevent %q (want one of %s)", name, strings.Join(docEventNames[1:], ", "))
}

// DocEvents returns the Webhook form's events a row change raises, in the ERP's order:
//
//	insert                   after_insert, on_update (and on_submit when inserted submitted)
//	save (0 -> 0)            on_update, on_change
//	submit (0 -> 1)          on_update, on_submit, on_change
//	cancel (1 -> 2)          on_cancel, on_change
//	update after submit      on_update_after_submit, on_change
//	delete                   on_trash
//
// The ERP raises no on_change on insert. An update of the bookkeeping columns alone raises
// nothing; an update without the old row is taken as a save of a draft, as Classify does.
func DocEvents(ch *cdc.Change) []DocEvent {
	switch ch.Op {
	case cdc.OpInsert:
		if ds, ok := docstatus(ch.New); ok && ds == 1 {
			return []DocEvent{AfterInsert, OnUpdate, OnSubmit}
		}
		return []DocEvent{AfterInsert, OnUpdate}
	case cdc.OpDelete:
		return []DocEvent{OnTrash}
	case cdc.OpUpdate:
	default:
		return nil
	}
	newDS, hasNew := docstatus(ch.New)
	if ch.Old == nil || ch.OldKeyOnly {
		if !hasNew || newDS == 0 {
			return []DocEvent{OnUpdate, OnChange}
		}
		return nil
	}
	if bookkeepingOnly(ch) {
		return nil
	}
	oldDS, hasOld := docstatus(ch.Old)
	switch {
	case !hasOld || !hasNew, oldDS == 0 && newDS == 0:
		return []DocEvent{OnUpdate, OnChange}
	case oldDS == 0 && newDS == 1:
		return []DocEvent{OnUpdate, OnSubmit, OnChange}
	case oldDS == 1 && newDS == 2:
		return []DocEvent{OnCancel, OnChange}
	case oldDS == 1 && newDS == 1:
		return []DocEvent{OnUpdateAfterSubmit, OnChange}
	}
	return nil
}

// Columns lists the document columns the webhook names: its webhook_data fields and the
// fields its condition reads.
func (d *DocumentWebhook) Columns() []string {
	var cols []string
	for _, r := range d.WebhookData {
		if !contains(cols, r.Fieldname) {
			cols = append(cols, r.Fieldname)
		}
	}
	if d.Compiled.Condition != nil {
		for _, c := range d.Compiled.Condition.Fields() {
			if c != "doctype" && !contains(cols, c) {
				cols = append(cols, c)
			}
		}
	}
	return cols
}

// DeliveryWebhooks are the webhooks the workers deliver to: the [[webhook]] records, and each
// enabled document webhook under its own name (service Document Webhook, its request_url, its
// timeout), whose requests carry their own URL and method.
func (c *Config) DeliveryWebhooks() []Webhook {
	out := slices.Clone(c.Webhooks)
	no := false
	for i := range c.DocumentWebhooks {
		d := &c.DocumentWebhooks[i]
		if !d.IsEnabled() {
			continue
		}
		out = append(out, Webhook{
			Name: d.Name, ServiceName: service.DocumentWebhookName, Service: Service(service.DocumentWebhookName),
			URL: d.RequestURL, ShowDocumentLink: &no, Timeout: time.Duration(d.Timeout) * time.Second,
			DigestAfter: c.Delivery.DigestAfter,
		})
	}
	return out
}
