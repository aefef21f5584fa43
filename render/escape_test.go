package render

import (
	"strings"
	"testing"
)

func TestEscape(t *testing.T) {
	const hostile = "<!channel> <@U123> A&B @channel @here @all @everyone <@&42> <#7> @allison"
	tests := []struct {
		name   string
		format Format
		in     string
		want   string
	}{
		{"Plain sends values as they are", Plain, hostile, hostile},
		{"Slack escapes & < >, so <!channel> and <@U123> are inert", Slack, hostile,
			"&lt;!channel&gt; &lt;@U123&gt; A&amp;B @channel @here @all @everyone &lt;@&amp;42&gt; &lt;#7&gt; @allison"},
		{"Markdown escapes & < > and breaks @channel, @here and @all", Markdown, hostile,
			"&lt;!channel&gt; &lt;@U123&gt; A&amp;B @\u200bchannel @\u200bhere @\u200ball @everyone &lt;@&amp;42&gt; &lt;#7&gt; @allison"},
		{"Markdown mentions are matched in any case and before punctuation", Markdown, "@Channel, @HERE.", "@\u200bChannel, @\u200bHERE."},
		{"Discord breaks @everyone, @here and <@...> <@&...> <#...> mentions", Discord, hostile,
			"<!channel> <\u200b@U123> A&B @channel @\u200bhere @all @\u200beveryone <\u200b@&42> <\u200b#7> @allison"},
		{"text without markup is unchanged", Slack, "Acme Sons Ltd", "Acme Sons Ltd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.format.Escape(tt.in); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestUnescapeUndoesEscape: filters and helpers unescape document values and escape their
// result; that must give back exactly the escaped value.
func TestUnescapeUndoesEscape(t *testing.T) {
	inputs := []string{
		"", "plain", "A&B", "&amp; already", "<!channel>", "&lt;literal&gt;", "@channel", "@\u200bchannel",
		"<@U1> <@&2> <#3>", "@everyone @here", "x @ y < z", "tail @", "tail <", "<\u200b@x>",
	}
	for _, f := range []Format{Plain, Slack, Markdown, Discord} {
		for _, in := range inputs {
			escaped := f.Escape(in)
			if got := f.Escape(f.unescape(escaped)); got != escaped {
				t.Errorf("%v: Escape(unescape(%q)) = %q", f, escaped, got)
			}
			if !strings.Contains(in, "\u200b") && f.unescape(escaped) != in {
				t.Errorf("%v: unescape(Escape(%q)) = %q", f, in, f.unescape(escaped))
			}
		}
	}
}

// TestDocumentValuesAreEscapedForTheService: every string that comes from the document is
// inert in the target service; the template's own text is sent as written.
func TestDocumentValuesAreEscapedForTheService(t *testing.T) {
	doc := map[string]any{
		"doctype":  "Customer",
		"name":     "CUST-<!here>",
		"customer": "<!channel> & <@U123> @everyone",
		"items":    []any{map[string]any{"item_name": "<!here> widget"}},
		"data":     map[string]any{"note": "<@U999>", "<!everyone>": "key"},
	}
	const src = `<!here> *{{ doc.customer }}* {% for i in doc.items %}{{ i.item_name }}{% endfor %} {{ doc.data.note }}{% for k, v in doc.data.items() if v == "key" %} {{ k }}{% endfor %} <https://x.example|docs>`
	tests := []struct {
		format Format
		want   string
	}{
		{Plain, `<!here> *<!channel> & <@U123> @everyone* <!here> widget <@U999> <!everyone> <https://x.example|docs>`},
		{Slack, `<!here> *&lt;!channel&gt; &amp; &lt;@U123&gt; @everyone* &lt;!here&gt; widget &lt;@U999&gt; &lt;!everyone&gt; <https://x.example|docs>`},
		{Markdown, `<!here> *&lt;!channel&gt; &amp; &lt;@U123&gt; @everyone* &lt;!here&gt; widget &lt;@U999&gt; &lt;!everyone&gt; <https://x.example|docs>`},
		{Discord, "<!here> *<!channel> & <\u200b@U123> @\u200beveryone* <!here> widget <\u200b@U999> <!everyone> <https://x.example|docs>"},
	}
	for _, tt := range tests {
		t.Run(tt.format.String(), func(t *testing.T) {
			if got := mustRender(t, src, Data{Doc: doc, Format: tt.format}); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestNothingIsEscapedTwice: helpers and filters built from document values escape their
// result once.
func TestNothingIsEscapedTwice(t *testing.T) {
	doc := map[string]any{
		"doctype":  "Sales Invoice",
		"name":     "A&B <1>",
		"customer": "Smith & Co <sales>",
		"currency": "<X&Y>",
		"amount":   1234.5,
		"date":     "2024-01-05",
		"html":     "<p>Printer &amp; scanner&nbsp;&lt;b&gt;</p>",
		"ping":     "<b>&lt;!here&gt;</b> &#64;everyone &lt;@U1&gt;",
	}
	site := Site{URL: "https://erp.example.com"}
	tests := []struct {
		name, src string
		format    Format
		want      string
	}{
		{"link label and url", `{{ frappe.utils.get_link_to_form(doc.doctype, doc.name) }}`, Slack,
			"<https://erp.example.com/app/sales-invoice/A%26B%20%3C1%3E|A&amp;B &lt;1&gt;>"},
		{"link with a label from the document", `{{ frappe.utils.get_link_to_form(doc.doctype, doc.name, doc.customer) }}`, Markdown,
			"[Smith &amp; Co &lt;sales&gt;](https://erp.example.com/app/sales-invoice/A%26B%20%3C1%3E)"},
		{"url", `{{ frappe.utils.get_url_to_form(doc.doctype, doc.name) }}`, Slack,
			"https://erp.example.com/app/sales-invoice/A%26B%20%3C1%3E"},
		{"list url", `{{ frappe.utils.get_url_to_list(doc.doctype) }} {{ frappe.utils.get_url_to_list(doc.name) }}`, Slack,
			"https://erp.example.com/app/sales-invoice https://erp.example.com/app/a%26b-%3C1%3E"},
		{"money in an unknown currency printed as its code", `{{ frappe.utils.fmt_money(doc.amount, currency=doc.currency) }}`, Slack,
			"&lt;X&amp;Y&gt; 1,234.50"},
		{"get_formatted", `{{ doc.get_formatted("amount") }}`, Slack, "&lt;X&amp;Y&gt; 1,234.50"},
		{"escape_html shows on Slack what the ERP's reader sees", `{{ frappe.utils.escape_html(doc.customer) }}`, Slack, "Smith &amp; Co &lt;sales&gt;"},
		{"escape_html's entities stay where the service shows them as written", `{{ frappe.utils.escape_html(doc.customer) }}`, Discord, "Smith &amp; Co &lt;sales&gt;"},
		{"escape_html on Plain", `{{ frappe.utils.escape_html(doc.customer ~ "'") }}`, Plain, "Smith &amp; Co &lt;sales&gt;&apos;"},
		{"comma_and sees the items as written and escapes the result", `{{ frappe.utils.comma_and([doc.customer, doc.name]) }}`, Slack, "'Smith &amp; Co &lt;sales&gt;' and 'A&amp;B &lt;1&gt;'"},
		{"comma_and leaves no mention", `{{ frappe.utils.comma_and(["@channel", "x"]) }}`, Markdown, "'@\u200bchannel' and 'x'"},
		{"cstr", `{{ frappe.utils.cstr(doc.customer) }}`, Slack, "Smith &amp; Co &lt;sales&gt;"},
		{"strip_html sees the tags as written and escapes the rest", `{{ frappe.utils.strip_html(doc.customer ~ "<b>!</b> <!here>") }}`, Slack, "Smith &amp; Co ! "},
		{"strip_html leaves no mention", `{{ frappe.utils.strip_html(doc.name) }}`, Slack, "A&amp;B "},
		{"strip_html's entities show as the ERP's reader sees them", `{{ frappe.utils.strip_html(doc.html) }}`, Slack, "Printer &amp; scanner\u00a0&lt;b&gt;"},
		{"strip_html's entities on Markdown", `{{ frappe.utils.strip_html(doc.html) }}`, Markdown, "Printer &amp; scanner\u00a0&lt;b&gt;"},
		{"strip_html's entities stay where the service shows them as written", `{{ frappe.utils.strip_html(doc.html) }}`, Discord, "Printer &amp; scanner&nbsp;&lt;b&gt;"},
		{"strip_html's entities stay on Plain", `{{ frappe.utils.strip_html(doc.html) }}`, Plain, "Printer &amp; scanner&nbsp;&lt;b&gt;"},
		{"striptags reads the entities and escapes what it gives", `{{ doc.html|striptags }}`, Slack, "Printer &amp; scanner\u00a0&lt;b&gt;"},
		{"striptags's entities read on Plain", `{{ doc.html|striptags }}`, Plain, "Printer & scanner\u00a0<b>"},
		{"striptags leaves no mention on Slack", `{{ doc.ping|striptags }}`, Slack, "&lt;!here&gt; @everyone &lt;@U1&gt;"},
		{"striptags leaves no mention on Discord", `{{ doc.ping|striptags }}`, Discord, "<!here> @\u200beveryone <\u200b@U1>"},
		{"upper keeps the entities", `{{ doc.customer|upper }}`, Slack, "SMITH &amp; CO &lt;SALES&gt;"},
		{"title keeps the entities", `{{ doc.customer|title }}`, Markdown, "Smith &amp; Co &lt;Sales&gt;"},
		{"length counts what a reader sees", `{{ doc.customer|length }}`, Slack, "18"},
		{"truncate does not cut an entity", `{{ doc.customer|truncate(13, True, "…", 0) }}`, Slack, "Smith &amp; Co &lt;…"},
		{"replace sees the text as written", `{{ doc.customer|replace("&", "and") }}`, Slack, "Smith and Co &lt;sales&gt;"},
		{"escape filter does not escape again", `{{ doc.customer|e }}`, Slack, "Smith &amp; Co &lt;sales&gt;"},
		{"escape filter escapes literal text for the service", `{{ "<b>"|e }}`, Slack, "&lt;b&gt;"},
		{"escape filter is HTML escaping for Plain", `{{ doc.customer|e }}`, Plain, "Smith &amp; Co &lt;sales&gt;"},
		{"splitting a value into characters keeps them escaped", `{{ doc.customer|list|join("") }}`, Slack, "Smith &amp; Co &lt;sales&gt;"},
		{"default keeps a document value escaped", `{{ doc.customer|default("x") }}`, Slack, "Smith &amp; Co &lt;sales&gt;"},
		{"default with literal text sends it as written", `{{ doc.missing|default("<!here>") }}`, Slack, "<!here>"},
		{"format sees arguments as written and escapes the result", `{{ "%s!"|format(doc.customer) }}`, Slack, "Smith &amp; Co &lt;sales&gt;!"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustRender(t, tt.src, Data{Doc: doc, Site: site, Format: tt.format}); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestLinksFollowTheService(t *testing.T) {
	doc := map[string]any{"doctype": "Sales Order", "name": "SO-1 [draft]"}
	const src = `{{ frappe.utils.get_link_to_form(doc.doctype, doc.name) }}`
	tests := []struct {
		format Format
		want   string
	}{
		{Plain, `<a href="https://erp.example.com/app/sales-order/SO-1%20%5Bdraft%5D">SO-1 [draft]</a>`},
		{Slack, `<https://erp.example.com/app/sales-order/SO-1%20%5Bdraft%5D|SO-1 [draft]>`},
		{Markdown, `[SO-1 \[draft\]](https://erp.example.com/app/sales-order/SO-1%20%5Bdraft%5D)`},
		{Discord, `[SO-1 \[draft\]](https://erp.example.com/app/sales-order/SO-1%20%5Bdraft%5D)`},
	}
	for _, tt := range tests {
		t.Run(tt.format.String(), func(t *testing.T) {
			got := mustRender(t, src, Data{Doc: doc, Site: Site{URL: "https://erp.example.com/"}, Format: tt.format})
			if got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// The document's text is escaped for the service before rendering, but compares as written:
// {% if doc.customer == "Acme & Co" %} and "&" in doc.customer hold on Slack as in the ERP.
func TestEscapedTextComparesAsWritten(t *testing.T) {
	tpl, err := Compile(`{% if doc.c == "Acme & Co" %}eq{% else %}ne{% endif %} {{ doc.c != "Acme & Co" }} {{ "&" in doc.c }} {{ doc.c in "Acme & Co Ltd" }} {{ "Acme & Co" in [doc.c, "B"] }} {{ doc.c < "Acme &" }} {{ doc.c }}`)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []Format{Plain, Slack, Markdown} {
		got, err := tpl.Render(Data{Doc: map[string]any{"c": "Acme & Co"}, Format: f})
		if err != nil || !strings.HasPrefix(got, "eq False True True True False ") {
			t.Errorf("format %v: %q, %v; want it equal", f, got, err)
		}
	}
}
