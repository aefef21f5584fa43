package erpdb

import (
	"context"
	"strings"
	"testing"

	"walnotify/render"
	rulecondition "walnotify/rules/condition"
)

// renderWith renders src for doc with the database d behind frappe.db.
func renderWith(t *testing.T, d *DB, src string, doc map[string]any, format render.Format, limits render.Limits) (string, error) {
	t.Helper()
	tpl, err := render.Compile(src)
	if err != nil {
		t.Fatalf("Compile(%s): %v", src, err)
	}
	return tpl.Render(render.Data{Doc: doc, Format: format, Lookup: d, Limits: limits})
}

// Templates read the ERP's tables as its own frappe.db does: values typed as the change stream
// types them, tuples for several fields, dicts with as_dict, None where nothing matches.
func TestTemplatesReadTheDatabaseAsTheERPs(t *testing.T) {
	d := newDB(t)
	doc := map[string]any{"doctype": "Sales Invoice", "name": "ACC-SINV-2025-00042", "owner": "jeanne.martin@acme-france.example", "modified_by": "paul.renaud@acme-france.example"}
	tests := []struct {
		name, src, want string
	}{
		{"a field of a document by name", `{{ frappe.db.get_value("User", doc.owner, "full_name") }}`, "Jeanne Martin"},
		{"several fields give a tuple", `{{ frappe.db.get_value("User", doc.owner, ["first_name", "last_name"]) }}`, "('Jeanne', 'Martin')"},
		{"as_dict gives a dict", `{{ frappe.db.get_value("User", doc.owner, ["first_name", "enabled"], as_dict=True) }}`, "{'first_name': 'Jeanne', 'enabled': 1}"},
		{"as_dict's fields read as attributes", `{% set u = frappe.db.get_value("User", doc.owner, "first_name, last_name", as_dict=1) %}{{ u.last_name }}, {{ u.first_name }}`, "Martin, Jeanne"},
		{"the name by default", `{{ frappe.db.get_value("Sales Invoice", {"customer": "Boulangerie Lemoine"}) }}`, "ACC-SINV-2025-00041"},
		{"no match is None", `[{{ frappe.db.get_value("User", "nobody@example.com", "full_name") }}] {{ frappe.db.get_value("User", "nobody", "full_name") is none }}`, "[] True"},
		{"numbers keep their types", `{{ frappe.db.get_value("Sales Invoice", doc.name, "grand_total") }} {{ frappe.db.get_value("Sales Invoice", doc.name, "docstatus") }}`, "4920.0 0"},
		{"dates print as the ERP's", `{{ frappe.db.get_value("Sales Invoice", doc.name, "posting_date") }}`, "2025-03-17"},
		{"filters with operators", `{{ frappe.db.get_value("Sales Invoice", {"grand_total": [">", 10000], "docstatus": ["!=", 2]}, "customer") }}`, "Boulangerie Lemoine"},
		{"a list of filters", `{{ frappe.db.get_value("Issue", [["status", "=", "Open"], ["Issue", "creation", "<", "2025-03-14 12:00:00"], ["priority", "in", ["Low", "Medium", "High"]]]) }}`, "ISS-2025-00017"},
		{"in takes a text of names", `{{ frappe.db.count("Issue", {"name": ["in", "ISS-2025-00017, ISS-2025-00018"]}) }}`, "2"},
		{"like is the ERP's ilike on PostgreSQL", `{{ frappe.db.count("Issue", {"subject": ["like", "%FACTURE%"]}) }} {{ frappe.db.count("Issue", {"subject": ["not like", "%facture%"]}) }}`, "2 1"},
		{"between and is set", `{{ frappe.db.count("Issue", {"creation": ["between", ["2025-03-01", "2025-03-10"]]}) }} {{ frappe.db.count("Sales Invoice", {"tax_id": ["is", "set"]}) }} {{ frappe.db.count("Sales Invoice", {"tax_id": ["is", "not set"]}) }}`, "1 2 0"},
		{"numbers of any size compare with numeric columns", `{{ frappe.db.count("Sales Invoice", {"grand_total": ["<", 1e7]}) }} {{ frappe.db.count("Sales Invoice", {"grand_total": [">", 0.000001], "docstatus": ["<", 1.5]}) }}`, "2 2"},
		{"None matches NULL", `{{ frappe.db.count("Sales Invoice", {"remarks": None}) }}`, "0"},
		{"count without filters", `{{ frappe.db.count("User") }}`, "2"},
		{"exists gives the name", `{{ frappe.db.exists("User", doc.owner) }}|{{ frappe.db.exists("User", "nobody") }}|{{ frappe.db.exists({"doctype": "Issue", "priority": "High"}) is string }}`, "jeanne.martin@acme-france.example||True"},
		{"get_all in the document type's order", `{{ frappe.get_all("Issue") }}`, "[{'name': 'ISS-2025-00018'}, {'name': 'ISS-2025-00017'}, {'name': 'ISS-2025-00012'}]"},
		{"get_all with fields, filters, order and limit", `{% for i in frappe.db.get_all("Issue", filters={"customer": "Boulangerie Lemoine"}, fields=["name", "status"], order_by="creation asc", limit=5) %}{{ i.name }}:{{ i.status }};{% endfor %}`, "ISS-2025-00012:Closed;ISS-2025-00017:Open;"},
		{"get_list reads as get_all, pluck gives values", `{{ frappe.get_list("Issue", pluck="name", order_by="name", page_length=2) }} {{ frappe.get_all("Issue", pluck="name", order_by="name", limit_start=1, limit_page_length=1) }}`, "['ISS-2025-00012', 'ISS-2025-00017'] ['ISS-2025-00017']"},
		{"a single document type's values", `{{ frappe.db.get_single_value("System Settings", "country") }} {{ frappe.db.get_value("System Settings", None, "time_zone") }} {{ frappe.db.get_value("Global Defaults", None, ["default_currency", "country"]) }}`, "France Europe/Paris ('EUR', 'France')"},
		{"get_doc reads the document with its child rows", `{% set si = frappe.get_doc("Sales Invoice", doc.name) %}{{ si.customer }}|{{ si.items|length }}|{{ si["items"][0].item_code is string }}|{{ si.get("status") }}|{{ si.get_formatted("grand_total") }}|{{ si.doctype }}`, "Atelier Girard SARL|2|True|Draft|€ 4,920.00|Sales Invoice"},
		{"get_system_settings reads System Settings, None for a field it lacks", `{{ frappe.get_system_settings("country") }} {{ frappe.get_system_settings("no_such_field") is none }}`, "France True"},
		{"get_doc of a single document type", `{{ frappe.get_cached_doc("System Settings").country }}`, "France"},
		{"None reads a single document type, or nothing", `{{ frappe.db.get_value("System Settings", "System Settings", "country") }} [{{ frappe.db.get_value("Issue", None, "name") }}] {{ frappe.db.get_value("Issue", None, "name") is none }}`, "France [] True"},
		{"get_fullname joins the user's names, or gives the user", `{{ frappe.utils.get_fullname(doc.owner) }}|{{ frappe.utils.get_fullname("nobody@example.com") }}|{{ frappe.get_fullname() }}`, "Jeanne Martin|nobody@example.com|Paul Renaud"},
		{"a read repeated is made once", `{% for i in range(50) %}{{ frappe.db.get_value("User", doc.owner, "first_name") if loop.last }}{% endfor %}`, "Jeanne"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := renderWith(t, d, tt.src, doc, render.Plain, render.Limits{})
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// What a template or a document holds reaches SQL only as parameters and quoted names, and what
// the database gives is escaped for the service as a document's values are.
func TestTemplateReadsAreParametersAndEscaped(t *testing.T) {
	d := newDB(t)
	ctx := context.Background()
	if _, err := d.pool.Exec(ctx, `UPDATE "tabUser" SET full_name = '<!channel> & co' WHERE name = 'paul.renaud@acme-france.example';
UPDATE "tabSales Invoice" SET customer = 'Girard & Fils' WHERE name = 'ACC-SINV-2025-00042'`); err != nil {
		t.Fatal(err)
	}
	hostile := map[string]any{"doctype": "Issue", "name": `x' OR '1'='1`, "customer": "Girard & Fils", "owner": "paul.renaud@acme-france.example"}
	got, err := renderWith(t, d, `{{ frappe.db.get_value("User", doc.owner, "full_name") }}|{{ frappe.db.count("Sales Invoice", {"customer": doc.customer}) }}|{{ frappe.db.exists("Issue", doc.name) is none }}`,
		hostile, render.Slack, render.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	// The read value is escaped for Slack; the document's "&", escaped in the template, is
	// read back as written to match; the quote in the name matches nothing.
	if want := "&lt;!channel&gt; &amp; co|1|True"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	// A field or a document type name is a quoted identifier: the statement fails on the
	// name, it never runs the text.
	for _, src := range []string{
		`{{ frappe.db.get_value("User", doc.owner, 'full_name" FROM "tabUser"; DROP TABLE "tabIssue"; --') }}`,
		`{{ frappe.db.count('Issue"; DROP TABLE "tabIssue"; --') }}`,
		`{{ frappe.db.get_all("Issue", order_by='name; DROP TABLE "tabIssue"') }}`,
	} {
		if _, err := renderWith(t, d, src, hostile, render.Plain, render.Limits{}); err == nil {
			t.Errorf("%s rendered", src)
		}
	}
	var n int
	if err := d.pool.QueryRow(ctx, `SELECT count(*) FROM "tabIssue"`).Scan(&n); err != nil || n != 3 {
		t.Errorf("tabIssue has %d rows (%v), want its 3", n, err)
	}
}

// A rendering's reads are bounded: how many, how many rows each, and a template without a
// database fails with a clear error.
func TestTemplateReadsAreBounded(t *testing.T) {
	d := newDB(t)
	doc := map[string]any{"doctype": "Issue", "name": "ISS-2025-00017"}
	_, err := renderWith(t, d, `{% for i in range(5) %}{{ frappe.db.get_value("Issue", "ISS-" ~ i, "status") }}{% endfor %}`, doc, render.Plain, render.Limits{MaxLookups: 4})
	if err == nil || !strings.Contains(err.Error(), "more than 4 database reads") {
		t.Errorf("five reads with a bound of four: %v", err)
	}
	_, err = renderWith(t, d, `{{ frappe.get_all("Issue")|length }}`, doc, render.Plain, render.Limits{MaxLookupRows: 2})
	if err == nil || !strings.Contains(err.Error(), "more than 2 rows of Issue") {
		t.Errorf("three rows with a bound of two: %v", err)
	}
	got, err := renderWith(t, d, `{{ frappe.get_all("Issue", limit=2)|length }}`, doc, render.Plain, render.Limits{MaxLookupRows: 2})
	if err != nil || got != "2" {
		t.Errorf("two rows asked with a bound of two: %q, %v", got, err)
	}
	for src, want := range map[string]string{
		`{{ frappe.get_doc("Issue", "ISS-none") }}`:                       "DoesNotExistError: Issue ISS-none not found",
		`{{ frappe.get_doc({"doctype": "Issue", "subject": "x"}).name }}`: "a dict makes a new document",
	} {
		if _, err := renderWith(t, d, src, doc, render.Plain, render.Limits{}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", src, err, want)
		}
	}
	tpl, err := render.Compile(`{{ frappe.db.get_value("Issue", doc.name, "status") }}`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tpl.Render(render.Data{Doc: doc}); err == nil || !strings.Contains(err.Error(), "frappe.db is not available here") {
		t.Errorf("a rendering without a database: %v", err)
	}
}

// BenchmarkTemplateRead renders a message with one frappe.db.get_value; its reference is the
// same SELECT run alone through the pool, so the ratio is what the rendering adds to a read.
func BenchmarkTemplateRead(b *testing.B) {
	d := newDB(b)
	tpl, err := render.Compile(`Ticket {{ doc.name }} by {{ frappe.db.get_value("User", doc.owner, "full_name") }}`)
	if err != nil {
		b.Fatal(err)
	}
	doc := map[string]any{"doctype": "Issue", "name": "ISS-1", "owner": "jeanne.martin@acme-france.example"}
	b.Run("render with a read", func(b *testing.B) {
		for b.Loop() {
			if _, err := tpl.Render(render.Data{Doc: doc, Lookup: d}); err != nil {
				b.Fatal(err)
			}
		}
	})
	cond, err := rulecondition.Compile(`frappe.db.get_value("User", doc.owner, "full_name") == "Jeanne Martin"`)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("condition with a read", func(b *testing.B) {
		for b.Loop() {
			if ok, err := cond.Evaluate(rulecondition.Input{Doc: doc, Lookup: d}); !ok || err != nil {
				b.Fatal(ok, err)
			}
		}
	})
	b.Run("the SELECT alone", func(b *testing.B) {
		ctx := context.Background()
		for b.Loop() {
			var name string
			if err := d.pool.QueryRow(ctx, `SELECT "full_name" FROM "public"."tabUser" WHERE "name" = $1 ORDER BY "creation" DESC LIMIT 1`, doc["owner"]).Scan(&name); err != nil {
				b.Fatal(err)
			}
		}
	})
}
