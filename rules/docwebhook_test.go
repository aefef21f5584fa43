package rules

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"walnotify/cdc"
)

const docWebhookBase = `
[database]
dsn = "postgres://x@localhost/erp"
[[webhook]]
name = "chat"
service = "Generic"
url = "https://example.com/hook"
show_document_link = false
[[notification]]
name = "n"
document_type = "ToDo"
event = "Save"
message = "hi"
webhook = "chat"
`

func TestDocumentWebhookLoadsTheFormsFields(t *testing.T) {
	cfg, err := Parse("w.toml", docWebhookBase+`
[[document_webhook]]
name = "Orders"
webhook_doctype = "Sales Order"
webhook_docevent = "on_update_after_submit"
condition = "utils.cint(doc.docstatus) == 1 and doc.grand_total > 100"
request_url = "https://${HOST}/orders/{{ doc.name }}"
is_dynamic_url = true
request_method = "PUT"
request_structure = "Form URL-Encoded"
webhook_data = [{ fieldname = "name", key = "id" }, { fieldname = "grand_total", key = "total" }]
webhook_headers = { "Authorization" = "token abc" }
enable_security = true
webhook_secret = "${SECRET}"
`, env(map[string]string{"HOST": "erp.example.com", "SECRET": "k"}))
	if err != nil {
		t.Fatal(err)
	}
	d := cfg.DocumentWebhook("Orders")
	if d == nil || !d.IsEnabled() || d.Event != OnUpdateAfterSubmit || d.RequestMethod != "PUT" || d.Timeout != 5 ||
		d.WebhookSecret.Reveal() != "k" || d.Compiled.URL == nil || len(d.WebhookData) != 2 || d.WebhookHeaders["Authorization"] != "token abc" {
		t.Fatalf("loaded %+v", d)
	}
	if !strings.Contains(d.RequestURL.Reveal(), "https://erp.example.com/orders/") {
		t.Errorf("${HOST} not expanded in request_url")
	}
	// utils.x is the Webhook form's name for frappe.utils.x.
	for doc, want := range map[float64]bool{150: true, 50: false} {
		ok, err := d.Compiled.Condition.Eval(map[string]any{"docstatus": int64(1), "grand_total": doc}, time.Now())
		if err != nil || ok != want {
			t.Errorf("condition on grand_total %v = %v, %v; want %v", doc, ok, err, want)
		}
	}
}

func TestDocumentWebhookMistakesAreNamed(t *testing.T) {
	tests := []struct {
		name, toml string
		want       []string
	}{
		{"required fields", `name = "W"`, []string{
			`document_webhook "W": webhook_doctype: is required`,
			`document_webhook "W": webhook_docevent: unknown webhook_docevent ""`,
			`document_webhook "W": request_url: is required`,
			`document_webhook "W": request_structure: "": want "JSON" or "Form URL-Encoded"`}},
		{"unknown event, method and a workflow event", `name = "W"
webhook_doctype = "ToDo"
webhook_docevent = "workflow_transition"
request_url = "https://x.example/h"
request_method = "PATCH"
request_structure = "JSON"
webhook_json = "{}"`, []string{
			"webhook_docevent: workflow_transition is raised only by the app's workflow actions",
			`request_method: "PATCH": want POST, PUT or DELETE`}},
		{"a URL that is not http is not quoted", `name = "W"
webhook_doctype = "ToDo"
webhook_docevent = "on_update"
request_url = "ftp://secret-host/x"
request_structure = "JSON"
webhook_json = "{}"`, []string{"request_url: is not an http(s) URL (value not shown: it is a secret)"}},
		{"JSON needs its template, which must compile", `name = "W"
webhook_doctype = "ToDo"
webhook_docevent = "on_update"
request_url = "https://x.example/h"
request_structure = "JSON"
webhook_json = "{{ doc.name | nosuchfilter }}"`, []string{"webhook_json:", "nosuchfilter"}},
		{"Form needs rows with a field and a key", `name = "W"
webhook_doctype = "ToDo"
webhook_docevent = "on_update"
request_url = "https://x.example/h"
request_structure = "Form URL-Encoded"
webhook_data = [{ fieldname = "bad;field", key = "k" }, { fieldname = "name" }]
webhook_json = "{}"`, []string{"webhook_data: row 1: fieldname \"bad;field\" is not a field name",
			"webhook_data: row 2: key is required", `webhook_json: is only used with request_structure = "JSON"`}},
		{"security needs a secret; a bad condition and header", `name = "W"
webhook_doctype = "ToDo"
webhook_docevent = "on_update"
condition = "doc.x =="
request_url = "https://x.example/h"
request_structure = "JSON"
webhook_json = "{}"
webhook_headers = { "Bad Header" = "v" }
enable_security = true`, []string{"webhook_secret: is required with enable_security = true", "condition:",
			`webhook_headers: "Bad Header" is not a valid header name`}},
		{"a name shared with a webhook", `name = "chat"
webhook_doctype = "ToDo"
webhook_docevent = "on_update"
request_url = "https://x.example/h"
request_structure = "JSON"
webhook_json = "{}"`, []string{`document_webhook "chat": name: a [[webhook]] has the same name`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("w.toml", docWebhookBase+"[[document_webhook]]\n"+tt.toml, env(nil))
			if err == nil {
				t.Fatal("loaded without error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			if strings.Contains(err.Error(), "secret-host") {
				t.Errorf("the URL was quoted: %v", err)
			}
		})
	}
}

func TestDocEventsFollowTheERPsTable(t *testing.T) {
	row := func(ds int64, kv ...any) cdc.Row {
		r := cdc.Row{"name": "SINV-1", "docstatus": ds, "grand_total": 10.0, "_seen": nil}
		for i := 0; i < len(kv); i += 2 {
			r[kv[i].(string)] = kv[i+1]
		}
		return r
	}
	tests := []struct {
		name string
		ch   cdc.Change
		want []DocEvent
	}{
		{"insert: after_insert, on_update", cdc.Change{Op: cdc.OpInsert, New: row(0)}, []DocEvent{AfterInsert, OnUpdate}},
		{"insert of a submitted document also submits", cdc.Change{Op: cdc.OpInsert, New: row(1)}, []DocEvent{AfterInsert, OnUpdate, OnSubmit}},
		{"save: on_update, on_change", cdc.Change{Op: cdc.OpUpdate, Old: row(0), New: row(0, "grand_total", 12.0)}, []DocEvent{OnUpdate, OnChange}},
		{"save of a table without docstatus", cdc.Change{Op: cdc.OpUpdate, Old: cdc.Row{"name": "x", "a": "1"}, New: cdc.Row{"name": "x", "a": "2"}}, []DocEvent{OnUpdate, OnChange}},
		{"submit: on_update, on_submit, on_change", cdc.Change{Op: cdc.OpUpdate, Old: row(0), New: row(1)}, []DocEvent{OnUpdate, OnSubmit, OnChange}},
		{"cancel: on_cancel, on_change", cdc.Change{Op: cdc.OpUpdate, Old: row(1), New: row(2)}, []DocEvent{OnCancel, OnChange}},
		{"update after submit: on_update_after_submit, on_change", cdc.Change{Op: cdc.OpUpdate, Old: row(1), New: row(1, "grand_total", 11.0)}, []DocEvent{OnUpdateAfterSubmit, OnChange}},
		{"delete: on_trash", cdc.Change{Op: cdc.OpDelete, Old: row(0)}, []DocEvent{OnTrash}},
		{"bookkeeping columns alone raise nothing", cdc.Change{Op: cdc.OpUpdate, Old: row(1), New: row(1, "_seen", `["a"]`)}, nil},
		{"an update without the old row is a draft's save", cdc.Change{Op: cdc.OpUpdate, New: row(0)}, []DocEvent{OnUpdate, OnChange}},
		{"an update of a submitted row without the old row is unknown", cdc.Change{Op: cdc.OpUpdate, New: row(1)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DocEvents(&tt.ch); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("DocEvents = %v, want %v", got, tt.want)
			}
		})
	}
}
