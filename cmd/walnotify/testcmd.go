package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"walnotify/cdc"
	"walnotify/erpdb"
	"walnotify/frappedb"
	"walnotify/pipeline"
	"walnotify/render"
	"walnotify/rules"
	"walnotify/sender"
)

// testResult is what `walnotify test --json` prints.
type testResult struct {
	Notification string          `json:"notification"`
	Doctype      string          `json:"doctype"`
	Name         string          `json:"name"`
	Events       []string        `json:"events"`
	Fires        bool            `json:"fires"`
	Condition    bool            `json:"condition"`
	Subject      string          `json:"subject"`
	Message      string          `json:"message"`
	Payload      json.RawMessage `json:"payload"`
	Error        string          `json:"error,omitempty"`
	Sent         *string         `json:"sent,omitempty"`
}

func cmdTest(ctx context.Context, env *cmdEnv, args []string) error {
	fs, path := newFlags(env, "test")
	name := fs.String("notification", "", "the notification's name (required)")
	docName := fs.String("doc", "", "the document's name, read from the database")
	docJSON := fs.String("doc-json", "", "the row as a JSON object of column -> value, instead of --doc")
	oldJSON := fs.String("old-json", "", "the row before an update, as JSON: the change is then an update")
	fromVersion := fs.String("from-version", "", "with --doc: test the update the document's history records, \"latest\" or a Version's name (tabVersion): the fields it changed take their old values")
	asJSON := fs.Bool("json", false, "print one JSON object")
	send := fs.Bool("send", false, "deliver it now, even when the condition is false (\"Test this notification\")")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *name == "" {
		return usagef("--notification is required")
	}
	if (*docName == "") == (*docJSON == "") {
		return usagef("give exactly one of --doc NAME and --doc-json FILE")
	}
	if *fromVersion != "" && (*docName == "" || *oldJSON != "") {
		return usagef("--from-version goes with --doc, without --old-json")
	}
	cfg, err := loadConfig(env, *path)
	if err != nil {
		return err
	}
	n := cfg.Notification(*name)
	if n == nil {
		names := make([]string, len(cfg.Notifications))
		for i := range cfg.Notifications {
			names[i] = fmt.Sprintf("%q", cfg.Notifications[i].Name)
		}
		return fmt.Errorf("%s: no notification is named %q (there are: %s)", *path, *name, strings.Join(names, ", "))
	}

	var row, old cdc.Row
	var lookup frappedb.Lookup // the database, for the frappe.db calls of templates and conditions
	var fields render.Fields   // the document types' fields, for get_formatted
	if *docJSON != "" {
		if row, err = readRowJSON(*docJSON); err != nil {
			return err
		}
		if n.Reads() || n.ConditionReads() {
			pool, err := openPool(ctx, cfg)
			if err != nil {
				return fmt.Errorf("notification %q reads the database (frappe.db): %w", n.Name, err)
			}
			defer pool.Close()
			lookup = erpdb.New(pool, cfg.Database.Schema, *cfg.Database.TablePrefix)
		}
	} else {
		pool, err := openPool(ctx, cfg)
		if err != nil {
			return err
		}
		defer pool.Close()
		docs := erpdb.New(pool, cfg.Database.Schema, *cfg.Database.TablePrefix)
		lookup = docs
		if cfg, err = withSite(ctx, env, cfg, pool, docs); err != nil {
			return err
		}
		if row, err = pipeline.ReadDocument(ctx, docs, n, *docName, slog.New(slog.NewTextHandler(env.stderr, nil))); err != nil {
			return err
		}
		if fields, err = docFieldsFor(ctx, cfg, pool, docs, n); err != nil {
			return err
		}
		if *fromVersion != "" {
			name := *fromVersion
			if name == "latest" {
				name = ""
			}
			v, err := docs.DocumentVersion(ctx, n.DocumentType, *docName, name)
			if err != nil {
				return err
			}
			var fields []string
			if old, fields, err = pipeline.OldFromVersion(row, v.Data); err != nil {
				return fmt.Errorf("version %s: %w", v.Name, err)
			}
			if !*asJSON {
				fmt.Fprintf(env.stdout, "Update from version %s (%s): changed %s\n", v.Name, v.Creation, strings.Join(fields, ", "))
			}
		}
	}
	if *oldJSON != "" {
		if old, err = readRowJSON(*oldJSON); err != nil {
			return err
		}
	}

	res, msg := evaluate(cfg, lookup, fields, n, row, old, time.Now())
	if *send {
		res.Sent = new(string)
		*res.Sent = deliverNow(ctx, cfg, n, msg)
	}
	if *asJSON {
		enc := json.NewEncoder(env.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			return err
		}
	} else {
		printTest(env, n, res, old != nil, *send)
	}
	if res.Error != "" || (res.Sent != nil && !strings.HasPrefix(*res.Sent, "delivered")) {
		return errReported
	}
	return nil
}

// evaluate runs a notification on a row the way the daemon would.
func evaluate(cfg *rules.Config, lookup frappedb.Lookup, fields render.Fields, n *rules.Notification, row, old cdc.Row, now time.Time) (testResult, sender.Message) {
	t := pipeline.Try(cfg, lookup, fields, n, row, old, now)
	res := testResult{
		Notification: n.Name, Doctype: n.DocumentType, Name: t.Name, Events: []string{},
		Fires: t.Fires, Condition: t.Condition, Subject: t.Message.Subject, Message: t.Message.Text, Payload: t.Payload,
	}
	for _, r := range t.Raised {
		res.Events = append(res.Events, r.String())
	}
	if t.Err != nil {
		res.Error = t.Err.Error()
	}
	return res, t.Message
}

// deliverNow posts the message to the notification's webhook and describes the answer.
func deliverNow(ctx context.Context, cfg *rules.Config, n *rules.Notification, msg sender.Message) string {
	if n.Webhook == nil {
		return "not sent: the notification has no webhook"
	}
	body, err := sender.Payload(n.Webhook.Service, msg, sender.LabelsFor(cfg.Site.Language))
	if err != nil {
		return "not sent: " + err.Error()
	}
	ans := sender.Post(ctx, sender.NewClient(cfg.Delivery.Timeout.Duration), n.Webhook.Service, n.Webhook.URL, body)
	return ans.String()
}

func printTest(env *cmdEnv, n *rules.Notification, res testResult, update, send bool) {
	w := env.stdout
	as := "an insert (give --old-json to test an update)"
	if update {
		as = "an update"
	}
	fmt.Fprintf(w, "notification %q: %s %q, taken as %s\n", n.Name, res.Doctype, res.Name, as)
	fires := "not raised: the daemon would not send it for this change"
	if res.Fires {
		fires = "raised"
	}
	fmt.Fprintf(w, "events:    %s\n           %s %s\n", strings.Join(res.Events, ", "), n.Event, fires)
	cond := n.Condition
	if strings.TrimSpace(cond) == "" {
		cond = "(none)"
	}
	fmt.Fprintf(w, "condition: %s -> %v\n", cond, res.Condition)
	if res.Error != "" {
		fmt.Fprintf(w, "error:     %s\n", res.Error)
	}
	fmt.Fprintf(w, "subject:   %s\n", res.Subject)
	fmt.Fprintf(w, "message:\n%s\n", indent(res.Message, "  | "))
	if len(res.Payload) > 0 && n.Webhook != nil {
		var pretty bytes.Buffer
		json.Indent(&pretty, res.Payload, "  ", "  ")
		fmt.Fprintf(w, "payload (%s, webhook %q):\n  %s\n", n.Webhook.Service, n.Webhook.Name, pretty.String())
	}
	switch {
	case !send:
		fmt.Fprintln(w, "nothing sent (--send delivers it, even when the condition is false)")
	case !res.Condition || !res.Fires:
		fmt.Fprintf(w, "sent although the daemon would not send it (test send): %s\n", *res.Sent)
	default:
		fmt.Fprintf(w, "sent: %s\n", *res.Sent)
	}
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// readRowJSON reads a row given as a JSON object. Whole numbers become int64 and other numbers
// float64, as the stream decodes integer and numeric columns.
func readRowJSON(path string) (cdc.Row, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v map[string]any
	if err := dec.Decode(&v); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("%s: offset %d: %v (want a JSON object of column -> value)", path, se.Offset, err)
		}
		return nil, fmt.Errorf("%s: %v (want a JSON object of column -> value)", path, err)
	}
	return cdc.Row(plainJSON(v).(map[string]any)), nil
}

func plainJSON(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case map[string]any:
		for k, e := range x {
			x[k] = plainJSON(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = plainJSON(e)
		}
		return x
	}
	return v
}

// docFieldsFor reads the fields get_formatted formats by type for a notification, as the
// daemon does (pipeline.RenderedDoctypes).
func docFieldsFor(ctx context.Context, cfg *rules.Config, pool erpdb.Querier, docs *erpdb.DB, n *rules.Notification) (render.Fields, error) {
	kids, err := docs.ChildTables(ctx, n.DocumentType)
	if err != nil {
		return nil, err
	}
	meta := erpdb.Meta{Q: pool, Schema: cfg.Database.Schema, Prefix: *cfg.Database.TablePrefix}
	return meta.Fields(ctx, pipeline.RenderedDoctypes(cfg, n.DocumentType, kids))
}
