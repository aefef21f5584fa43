package pipeline

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"walnotify/frappedb"
	"walnotify/render"
	"walnotify/rules"
	"walnotify/sender"
	"walnotify/service"
)

// SignatureHeader carries base64(HMAC-SHA256(webhook_secret, body)), as the ERP signs.
const SignatureHeader = "X-Frappe-Webhook-Signature"

// docWebhookEntry builds the outbox entry of a document webhook for a document: the whole
// request, as the ERP would send it, plus the Idempotency-Key of the outbox row.
func (b *builder) docWebhookEntry(rs *Rules, d *rules.DocumentWebhook, doc, before map[string]any, key string, sourceTime time.Time) sender.Entry {
	e := sender.Entry{
		SourceKey: key, Notification: d.Name, Webhook: d.Name, Service: service.DocumentWebhookName,
		Event: d.Event.String(), SourceTime: sourceTime,
		Message: sender.Message{Notification: d.Name, Event: d.Event.String(), Doctype: d.WebhookDoctype, Name: rules.DocName(doc)},
	}
	req, err := docWebhookRequest(rs, b.lookup, d, doc, before, b.now().In(rs.cfg.Site.Location))
	if err != nil {
		e.Failed = "not built: " + err.Error()
		return e
	}
	req.Header.Set("Idempotency-Key", key+"/"+d.Name)
	e.Message.Request = req
	return e
}

// docWebhookRequest is the ERP's request for a document (frappe.integrations webhook
// enqueue_webhook): the body is json.dumps(data, default=str) of the rendered webhook_json, or
// of the webhook_data fields mapped to their keys; headers are the form's rows; with security,
// the body is signed.
func docWebhookRequest(rs *Rules, lookup frappedb.Lookup, d *rules.DocumentWebhook, doc, before map[string]any, now time.Time) (*service.HTTPRequest, error) {
	data := rs.renderData(lookup, doc, before, now, render.Plain)
	var body any
	switch d.RequestStructure {
	case rules.StructureJSON:
		text, err := d.Compiled.JSON.Render(data)
		if err != nil {
			return nil, fmt.Errorf("webhook_json: %w", err)
		}
		if body, err = render.ParseJSON(text); err != nil {
			return nil, fmt.Errorf("webhook_json: the rendered text is not JSON: %w", err)
		}
	default: // Form URL-Encoded: the ERP sends the mapped fields as JSON all the same
		obj := render.Object{}
		for _, row := range d.WebhookData {
			obj = append(obj, render.Member{Key: row.Key, Value: doc[row.Fieldname]})
		}
		body = obj
	}
	text, err := render.Dumps(body)
	if err != nil {
		return nil, fmt.Errorf("body: %w", err)
	}
	u := d.RequestURL.Reveal()
	if d.Compiled.URL != nil {
		if u, err = d.Compiled.URL.Render(data); err != nil {
			return nil, fmt.Errorf("request_url: %w", err)
		}
		u = strings.TrimSpace(u)
		if p, err := url.Parse(u); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return nil, fmt.Errorf("request_url: the rendered URL is not an http(s) URL (value not shown: it is a secret)")
		}
	}
	h := http.Header{}
	for k, v := range d.WebhookHeaders {
		h.Set(k, v)
	}
	if d.EnableSecurity {
		h.Set(SignatureHeader, Sign(d.WebhookSecret.Reveal(), []byte(text)))
	}
	return &service.HTTPRequest{Method: d.RequestMethod, URL: u, Header: h, Body: text}, nil
}

// Sign is base64(HMAC-SHA256(secret, body)), the ERP's X-Frappe-Webhook-Signature.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// keepLastPerDocument drops, from the entries of the transaction being read (entries[from:]),
// an earlier request of the same document webhook for the same document as e: the ERP sends
// one request per (webhook, document) and transaction, the last.
func keepLastPerDocument(entries []sender.Entry, from int, e sender.Entry) []sender.Entry {
	if e.Service != service.DocumentWebhookName {
		return entries
	}
	for i := from; i < len(entries); i++ {
		o := entries[i]
		if o.Service == e.Service && o.Webhook == e.Webhook && o.Message.Doctype == e.Message.Doctype && o.Message.Name == e.Message.Name {
			return append(entries[:i], entries[i+1:]...)
		}
	}
	return entries
}
