package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"walnotify/internal/poll"
)

const docWebhookConfig = siteTOML + `
[[document_webhook]]
name = "Invoices to WMS"
webhook_doctype = "Sales Invoice"
webhook_docevent = "on_submit"
condition = "utils.flt(doc.grand_total) > 0"
request_url = "<<.Hook.wms>>"
request_method = "PUT"
request_structure = "JSON"
webhook_json = '''{"name": "{{ doc.name }}", "customer": "{{ doc.customer_name }}", "total": {{ doc.grand_total|tojson }}, "qty": {{ doc.total_qty }}, "status": "{{ doc.status }}", "posting_date": "{{ doc.posting_date }}", "note": "reçu <ok> & \"{{ doc.outstanding_amount }}\""}'''
webhook_headers = { "Content-Type" = "application/json", "X-Site" = "acme" }
enable_security = true
webhook_secret = "s3cr3t-ключ"

[[document_webhook]]
name = "Invoices to ledger"
webhook_doctype = "Sales Invoice"
webhook_docevent = "on_change"
request_url = "<<.Hook.ledger>>"
request_structure = "Form URL-Encoded"
webhook_data = [{ fieldname = "name", key = "invoice" }, { fieldname = "grand_total", key = "amount" }, { fieldname = "due_date", key = "due" }, { fieldname = "outstanding_amount", key = "outstanding" }]
`

// A submitted Sales Invoice sends the ERP's request: one per document and transaction (the
// last change), its body byte for byte what Python's json.dumps writes, signed so that an
// independent HMAC verifies it, with an Idempotency-Key; a 500 is retried until delivered, a
// 404 is dead in status.
func TestDocumentWebhookSendsTheERPsSignedRequest(t *testing.T) {
	s := newSite(t, []string{"wms", "ledger"}, docWebhookConfig)
	s.hooks["wms"].SetReply(func(n int, w http.ResponseWriter) {
		if n == 1 {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		io.WriteString(w, "ok")
	})
	s.hooks["ledger"].SetReply(func(_ int, w http.ResponseWriter) { w.WriteHeader(http.StatusNotFound) })
	s.startDaemon(t)
	// Submit, then change the document again in the same transaction: the on_submit webhook
	// sends the submitted state; the on_change one sends one request, the last state.
	s.db.Exec(t, `BEGIN;
UPDATE "tabSales Invoice" SET docstatus = 1, status = 'Unpaid', outstanding_amount = 4920 WHERE name = 'ACC-SINV-2025-00042';
UPDATE "tabSales Invoice" SET outstanding_amount = 4000.5 WHERE name = 'ACC-SINV-2025-00042';
COMMIT`)
	wms := s.hooks["wms"]
	poll.Until(t, 30*time.Second, "the retried request", func() bool { return len(wms.Requests()) >= 2 })
	poll.Until(t, 30*time.Second, "the dead ledger delivery", func() bool {
		return s.count(t, `SELECT count(*) FROM walnotify.delivery WHERE notification = 'Invoices to ledger' AND status = 'dead'`) == 1
	})
	poll.Until(t, 30*time.Second, "the WMS delivery marked", func() bool {
		return s.count(t, `SELECT count(*) FROM walnotify.delivery WHERE notification = 'Invoices to WMS' AND status = 'delivered'`) == 1
	})
	reqs := wms.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests to the WMS, want 2 (a 500, then the retry)", len(reqs))
	}
	first, r := reqs[0], reqs[1]
	if first.Body != r.Body || first.Header.Get("Idempotency-Key") != r.Header.Get("Idempotency-Key") {
		t.Errorf("the retry differs from the first try")
	}
	if r.Method != "PUT" || r.Header.Get("X-Site") != "acme" || r.Header.Get("Content-Type") != "application/json" {
		t.Errorf("request %s with headers %v", r.Method, r.Header)
	}
	if key := r.Header.Get("Idempotency-Key"); !strings.HasPrefix(key, "wal/") || !strings.HasSuffix(key, "/Invoices to WMS") {
		t.Errorf("Idempotency-Key = %q", key)
	}
	// The same data through Python's own json.dumps.
	want := python(t, `import json,sys
sys.stdout.write(json.dumps({"name": "ACC-SINV-2025-00042", "customer": "Atelier Girard SARL", "total": 4920.0, "qty": 3.0, "status": "Unpaid", "posting_date": "2025-03-17", "note": "reçu <ok> & \"4920.0\""}, default=str))`, "")
	if r.Body != want {
		t.Errorf("body\n got %s\nwant %s", r.Body, want)
	}
	// An independent check of the signature: Python's hmac over the bytes received.
	verified := python(t, `import base64,hashlib,hmac,sys
body = sys.stdin.buffer.read()
sig = base64.b64encode(hmac.new("s3cr3t-ключ".encode(), body, hashlib.sha256).digest()).decode()
sys.stdout.write("ok" if hmac.compare_digest(sig, sys.argv[1]) else "bad " + sig)`, r.Body, r.Header.Get("X-Frappe-Webhook-Signature"))
	if verified != "ok" {
		t.Errorf("signature %q not verified: %s", r.Header.Get("X-Frappe-Webhook-Signature"), verified)
	}
	// The ledger's Form URL-Encoded body: the mapped fields, as the ERP sends them (JSON); its
	// 404 is dead at once (one request) and shown by status without the URL.
	ledger := s.hooks["ledger"].Requests()
	if len(ledger) != 1 {
		t.Fatalf("%d requests to the ledger, want 1", len(ledger))
	}
	if want := `{"invoice": "ACC-SINV-2025-00042", "amount": 4920.0, "due": "2025-04-16", "outstanding": 4000.5}`; ledger[0].Body != want {
		t.Errorf("ledger body %s, want %s", ledger[0].Body, want)
	}
	if ledger[0].Header.Get("X-Frappe-Webhook-Signature") != "" || ledger[0].Header.Get("Content-Type") != "" {
		t.Errorf("ledger headers %v: no signature or Content-Type was configured", ledger[0].Header)
	}
	code, out, errOut := cli(t, "status", "--json", "-c", s.path)
	if code != 0 || !strings.Contains(out, "Invoices to ledger") || !strings.Contains(out, "404") {
		t.Errorf("status exit %d:\n%s%s", code, out, errOut)
	}
	s.assertNoSecrets(t, "status", out+errOut)
	var v any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Errorf("status --json: %v", err)
	}
}

// python runs a Python 3 program with stdin and arguments, and returns its output.
func python(t *testing.T, program, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command("python3", append([]string{"-c", program}, args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	return string(out)
}
