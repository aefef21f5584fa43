package pipeline

import (
	"context"
	"strings"
	"testing"

	"walnotify/erpdb"
	"walnotify/internal/pgtest"
	"walnotify/rules"
)

// A role that may not read what completes the site gets the file and the ERP's defaults, and a
// warning that says what is missing and that setup grants it: System Settings, then the
// Currency records alone.
func TestASiteThatCannotBeReadIsSaidInAWarning(t *testing.T) {
	db := pgtest.NewDB(t)
	db.LoadFrappeSchema(t)
	db.Exec(t, `CREATE TABLE "tabCurrency" (name varchar(140) PRIMARY KEY, fraction varchar(140), number_format varchar(140));
		INSERT INTO "tabCurrency" VALUES ('USD', 'Cent', '#,###.##');
		CREATE ROLE walnotify_site_reader; GRANT USAGE ON SCHEMA public TO walnotify_site_reader`)
	ctx := context.Background()
	pool := db.PoolAs(t, "walnotify_site_reader", nil)
	cfg, err := rules.Parse("test.toml", `
[database]
dsn = "postgres://x@localhost/erp"
[site]
url = "https://erp.example.com"
`, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	resolve := func() (rules.Site, string) {
		t.Helper()
		site, warnings, err := ResolveSite(ctx, cfg, pool, erpdb.New(pool, "public", "tab"))
		if err != nil {
			t.Fatal(err)
		}
		return site, strings.Join(warnings, "\n")
	}

	site, warned := resolve()
	if !strings.Contains(warned, "System Settings (formats, time zone, language) cannot be read") || !strings.Contains(warned, "walnotify setup grants it") || site.Language != cfg.Site.Language {
		t.Errorf("without System Settings: language %q, warnings %q", site.Language, warned)
	}

	db.Exec(t, `GRANT SELECT ON "tabSingles" TO walnotify_site_reader`)
	site, warned = resolve()
	if !strings.Contains(warned, "Currency records cannot be read") || !strings.Contains(warned, "walnotify setup grants it") || site.Currencies != nil || site.Language != "fr" {
		t.Errorf("without Currency: language %q, currencies %v, warnings %q", site.Language, site.Currencies, warned)
	}

	db.Exec(t, `GRANT SELECT ON "tabCurrency" TO walnotify_site_reader`)
	site, warned = resolve()
	if warned != "" || site.Currencies["USD"].Fraction != "Cent" {
		t.Errorf("with both granted: currencies %v, warnings %q", site.Currencies, warned)
	}
}
