package main

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"walnotify/internal/poll"
)

// frenchConfig gives no [site] key but the URL: the time zone, language and formats come from
// the ERP's System Settings.
const frenchConfig = `
[database]
dsn = "<<.DSN>>"
[site]
url = "https://erp.example.com"
[http]
listen = "<<.Listen>>"

[[webhook]]
name = "compta"
service = "Slack"
url = "<<.Hook.compta>>"
rate = 100.0

[[notification]]
name = "Facture validée"
document_type = "Sales Invoice"
event = "Submit"
message = '{{ frappe.utils.fmt_money(doc.grand_total, currency=doc.currency) }} | {{ frappe.utils.formatdate(doc.due_date) }} | {{ doc.get_formatted("grand_total") }} | {{ frappe.utils.formatdate(doc.due_date, "d MMMM y") }} | {{ _("Submitted") }} | {{ frappe.utils.get_first_day_of_week(doc.due_date) }}'
webhook = "compta"

[[notification]]
name = "Facture annulée"
document_type = "Sales Invoice"
event = "Cancel"
message = '{{ frappe.utils.fmt_money(doc.grand_total, currency=doc.currency) }} | {{ frappe.utils.formatdate(doc.due_date) }} | {{ _("Cancelled") }} | {{ frappe.utils.get_first_day_of_week(doc.due_date) }}'
webhook = "compta"
`

// A French Dokos site (System Settings: # ###,##, dd/mm/yyyy, fr, weeks from Monday) gets the ERP's French
// formats through the daemon without any [site] key; a reload reads System Settings again, and
// a [site] key set in the file wins over them.
func TestSiteFormatsComeFromSystemSettings(t *testing.T) {
	s := newSite(t, []string{"compta"}, frenchConfig)
	s.db.Exec(t, `UPDATE "tabSingles" SET value = '# ###,##' WHERE doctype = 'System Settings' AND field = 'number_format'`)
	s.db.Exec(t, `UPDATE "tabSingles" SET value = 'dd/mm/yyyy' WHERE doctype = 'System Settings' AND field = 'date_format'`)
	td := s.startDaemon(t)
	hook := s.hooks["compta"]

	s.db.Exec(t, `UPDATE "tabSales Invoice" SET docstatus = 1, grand_total = 45000.50, due_date = '2026-12-31' WHERE name = 'ACC-SINV-2025-00042'`)
	poll.Until(t, 30*time.Second, "the submitted invoice", func() bool { return len(hook.Texts()) == 1 })
	if got, want := hook.Texts()[0], "45 000,50 € | 31/12/2026 | 45 000,50 € | 31 décembre 2026 | Soumis | 2026-12-28"; got != want {
		t.Errorf("French site without [site] keys:\ngot  %q\nwant %q", got, want)
	}
	if body := hook.Requests()[0].Body; !strings.Contains(body, "Voir le document") {
		t.Errorf("the link's label is not in the site's language (fr): %s", body)
	}

	// The ERP's date format changes, and the file now sets number_format, language and the
	// week's first day.
	s.db.Exec(t, `UPDATE "tabSingles" SET value = 'dd.mm.yyyy' WHERE doctype = 'System Settings' AND field = 'date_format'`)
	cfg, _ := readFile(s.path)
	writeFile(t, s.path, strings.Replace(cfg, `url = "https://erp.example.com"`, "url = \"https://erp.example.com\"\nnumber_format = \"#,###.##\"\nlanguage = \"en\"\nfirst_day_of_the_week = \"Sunday\"", 1))
	td.reload <- syscall.SIGHUP
	poll.Until(t, 10*time.Second, "reloaded", func() bool { return strings.Contains(td.logs.String(), "rules reloaded") })
	s.db.Exec(t, `UPDATE "tabSales Invoice" SET docstatus = 2 WHERE name = 'ACC-SINV-2025-00042'`)
	poll.Until(t, 30*time.Second, "the cancelled invoice", func() bool { return len(hook.Texts()) == 2 })
	if got, want := hook.Texts()[1], "€ 45,000.50 | 31.12.2026 | Cancelled | 2026-12-27"; got != want {
		t.Errorf("[site] keys over System Settings:\ngot  %q\nwant %q", got, want)
	}
}
