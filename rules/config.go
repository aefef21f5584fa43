package rules

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"walnotify/frappedb"
	"walnotify/internal/currency"
	"walnotify/render"
)

// Config is the whole configuration file, decoded, defaulted and validated.
type Config struct {
	Database      Database       `toml:"database"`
	Site          Site           `toml:"site"`
	HTTP          HTTP           `toml:"http"`
	Delivery      Delivery       `toml:"delivery"`
	Log           Log            `toml:"log"`
	Webhooks      []Webhook      `toml:"webhook"`
	Notifications []Notification `toml:"notification"`
	// DocumentWebhooks are the ERP's Webhook records.
	DocumentWebhooks []DocumentWebhook `toml:"document_webhook"`

	// Path is the file the configuration was read from.
	Path string `toml:"-"`
	// Warnings are problems an offline load tolerates (unset variables, unreadable secret
	// files in connection settings), one line each.
	Warnings []string `toml:"-"`

	// unresolved are the secrets an offline load could not resolve: not validated further.
	unresolved map[place]bool
}

// Database says where the ERP's tables are and how walnotify reads them.
type Database struct {
	DSN Secret `toml:"dsn"`
	// PasswordFile holds the role's password (systemd credentials, a mounted secret); it is
	// put into DSN at load, so a password may hold any character.
	PasswordFile string  `toml:"password_file"`
	Slot         string  `toml:"slot"`
	Publication  string  `toml:"publication"`
	Schema       string  `toml:"schema"`
	TablePrefix  *string `toml:"table_prefix"`
	StateSchema  string  `toml:"state_schema"`
}

// Site describes the ERP site: links, time zone, language and formats. Every key but url may
// be left out: the daemon then takes the ERP's System Settings (WithERP), and failing those the
// ERP's defaults; a key the file sets wins.
type Site struct {
	URL      string `toml:"url"`
	Timezone string `toml:"timezone"`
	Language string `toml:"language"`
	// The formats of fmt_money, formatdate, format_datetime and get_formatted.
	NumberFormat      string `toml:"number_format"` // "#,###.##", "# ###,##", ...
	DateFormat        string `toml:"date_format"`   // "dd-mm-yyyy", "dd/mm/yyyy", ...
	TimeFormat        string `toml:"time_format"`   // "HH:mm:ss", "HH:mm"
	CurrencyPrecision *int   `toml:"currency_precision"`
	FloatPrecision    *int   `toml:"float_precision"`
	// FirstDayOfTheWeek is the day weeks start on (get_first_day_of_week): "Sunday" to
	// "Saturday", as the ERP's System Settings field of that name.
	FirstDayOfTheWeek string `toml:"first_day_of_the_week"`

	// Location is Timezone, loaded.
	Location *time.Location `toml:"-"`
	// Currency is the ERP's default currency (System Settings), for format_value's Currency.
	Currency string `toml:"-"`
	// Currencies are the ERP's Currency records (tabCurrency), for money_in_words.
	Currencies map[string]currency.Record `toml:"-"`
	// WeekStart is FirstDayOfTheWeek as a weekday; the zero value is Sunday, the ERP's default.
	WeekStart time.Weekday `toml:"-"`
	// timezoneSet and languageSet: the file gives them (the defaults fill them otherwise).
	timezoneSet, languageSet bool
}

// HTTP configures the metrics and health endpoint.
type HTTP struct {
	// Listen is the address of /metrics and /healthz; "" disables them.
	Listen *string `toml:"listen"`
}

// Delivery tunes the outbox and the webhook workers.
type Delivery struct {
	// MaxAge is how long a failing delivery is retried before it is marked dead.
	MaxAge Duration `toml:"max_age"`
	// Retention is how long delivered and dead rows stay in the outbox (audit, status).
	Retention Duration `toml:"retention"`
	// Timeout bounds one HTTP request to a webhook.
	Timeout Duration `toml:"timeout"`
	// DigestAfter is how far behind a webhook may fall before its waiting messages go as
	// digests: by its head's wait, plus the time sending the rest one by one would take.
	DigestAfter Duration `toml:"digest_after"`
	// Budgets of one rendering of a subject or message; 0 takes render.DefaultLimits. A
	// rendering past one fails for that document only: a dead delivery with the reason.
	RenderTimeout  Duration `toml:"render_timeout"`
	RenderMaxText  int      `toml:"render_max_text"`  // bytes of one string built
	RenderMaxItems int      `toml:"render_max_items"` // items of one list built
	RenderMaxSteps int      `toml:"render_max_steps"` // loop iterations and macro calls
}

// RenderLimits are the budgets of one rendering, as configured.
func (d Delivery) RenderLimits() render.Limits {
	return render.Limits{MaxString: d.RenderMaxText, MaxItems: d.RenderMaxItems, MaxSteps: d.RenderMaxSteps, Timeout: d.RenderTimeout.Duration}
}

// ReadLimits are the bounds of one condition's reads of the ERP's tables: the default numbers
// of reads and rows, within render_timeout, as a rendering's.
func (d Delivery) ReadLimits() frappedb.Limits {
	return frappedb.Limits{Time: d.RenderTimeout.Duration}
}

// Log configures the daemon's logs.
type Log struct {
	Format string `toml:"format"` // text | json
	Level  string `toml:"level"`  // debug | info | warn | error
}

// Webhook is an incoming webhook of a chat service ("Incoming Webhook URL").
type Webhook struct {
	Name             string  `toml:"name"`
	ServiceName      string  `toml:"service"`
	URL              Secret  `toml:"url"`
	URLFile          string  `toml:"url_file"`
	ShowDocumentLink *bool   `toml:"show_document_link"`
	Rate             float64 `toml:"rate"`
	Burst            int     `toml:"burst"`
	// ChatID is Telegram's chat (group ids are negative, a channel may be "@name").
	ChatID string `toml:"chat_id"`
	// Token is ntfy's access token, sent as Bearer; TokenFile reads it from a file instead.
	Token     Secret `toml:"token"`
	TokenFile string `toml:"token_file"`
	// DigestAfter is how far behind this webhook may fall before its waiting messages go as
	// digests; absent, delivery.digest_after (set so at load).
	DigestAfter Duration `toml:"digest_after"`
	// Timeout bounds one request, when not delivery.timeout (a document webhook's own).
	Timeout time.Duration `toml:"-"`

	// Service is ServiceName, parsed.
	Service Service `toml:"-"`
}

// ShowsLink reports whether messages carry a link to the document (default true, as the ERP).
func (w *Webhook) ShowsLink() bool { return w.ShowDocumentLink == nil || *w.ShowDocumentLink }

// Notification is one rule, with the field names of the ERP's Notification form.
type Notification struct {
	Name                   string `toml:"name"`
	Enabled                *bool  `toml:"enabled"`
	DocumentType           string `toml:"document_type"`
	EventName              string `toml:"event"`
	ValueChanged           string `toml:"value_changed"`
	DateChanged            string `toml:"date_changed"`
	DaysInAdvance          int    `toml:"days_in_advance"`
	Condition              string `toml:"condition"`
	Subject                string `toml:"subject"`
	Message                string `toml:"message"`
	WebhookName            string `toml:"webhook"`
	SendSystemNotification bool   `toml:"send_system_notification"`
	SetPropertyAfterAlert  string `toml:"set_property_after_alert"`
	PropertyValue          string `toml:"property_value"`

	// ConditionType is "Python" (the default: Condition) or "Filters" (Filters).
	ConditionType string `toml:"condition_type"`
	// Filters are the rows [fieldname, operator, value] of a Filters condition, AND-ed.
	Filters [][]any `toml:"filters"`
	// DatetimeChanged is the Datetime field of Minutes Before / Minutes After ("Reference
	// Datetime"); MinutesOffset how many minutes before or after it ("Minutes Offset", >= 10).
	DatetimeChanged string `toml:"datetime_changed"`
	MinutesOffset   int    `toml:"minutes_offset"`
	// Recipients of the system notification: user names and the form's rows (Recipient).
	Recipients []Recipient `toml:"recipients"`
	// SendToAllAssignees also notifies the users the document is assigned to (its _assign).
	SendToAllAssignees bool `toml:"send_to_all_assignees"`

	// Resolved at load.
	Event    Event    `toml:"-"`
	Webhook  *Webhook `toml:"-"`
	Compiled Compiled `toml:"-"`
}

// IsEnabled reports whether the notification is enabled (the default).
func (n *Notification) IsEnabled() bool { return n.Enabled == nil || *n.Enabled }

// Duration is a time.Duration written as "90s", "24h".
type Duration struct{ time.Duration }

// UnmarshalText parses a Go duration, plus "d" for days.
func (d *Duration) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	if n, ok := strings.CutSuffix(s, "d"); ok {
		var days float64
		if _, err := fmt.Sscanf(n, "%g", &days); err != nil {
			return fmt.Errorf("invalid duration %q", s)
		}
		d.Duration = time.Duration(days * float64(24*time.Hour))
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("invalid duration %q (write it like \"30s\", \"24h\" or \"7d\")", s)
	}
	d.Duration = v
	return nil
}

// UnmarshalText reads the secret value.
func (s *Secret) UnmarshalText(b []byte) error {
	*s = NewSecret(string(b))
	return nil
}

// Defaults of the configuration.
const (
	DefaultSlot        = "walnotify"
	DefaultPublication = "walnotify"
	DefaultSchema      = "public"
	DefaultTablePrefix = "tab"
	DefaultStateSchema = "walnotify"
	DefaultListen      = "127.0.0.1:9841"
	DefaultMaxAge      = 24 * time.Hour
	DefaultDigestAfter = time.Second
	DefaultRetention   = 7 * 24 * time.Hour
	DefaultTimeout     = 10 * time.Second
)

// Load reads, expands, decodes, defaults, validates and compiles a configuration file. The
// returned error lists every problem, each prefixed with the file, the line when known, and the
// place in the file (notification name and key).
func Load(path string, opts ...Option) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, string(data), os.LookupEnv, opts...)
}

// Parse is Load on a file's content; lookup resolves ${VAR} references.
func Parse(path, text string, lookup func(string) (string, bool), opts ...Option) (*Config, error) {
	o := options{lookup: lookup, readFile: readSecretFile}
	for _, opt := range opts {
		opt(&o)
	}
	var cfg Config
	md, err := toml.Decode(text, &cfg)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s:%d:%d: %s", path, pe.Position.Line, pe.Position.Col, pe.Message)
		}
		return nil, fmt.Errorf("%s: %s", path, strings.TrimPrefix(err.Error(), "toml: "))
	}
	cfg.Path = path
	loc := newLocator(path, text)
	var problems []error
	for _, k := range md.Undecoded() {
		problems = append(problems, loc.errorf(k, "unknown key %q", k.String()))
	}
	problems = append(problems, cfg.resolveSecrets(o, loc)...)
	cfg.setDefaults()
	problems = append(problems, cfg.validate(loc)...)
	if len(problems) > 0 {
		return nil, &Problems{Path: path, List: problems}
	}
	return &cfg, nil
}

// Problems is every problem found in a configuration file.
type Problems struct {
	Path string
	List []error
}

func (p *Problems) Error() string {
	var b strings.Builder
	for i, e := range p.List {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the problems, for errors.Is/As.
func (p *Problems) Unwrap() []error { return p.List }

func (c *Config) setDefaults() {
	db := &c.Database
	def := func(p *string, v string) {
		if strings.TrimSpace(*p) == "" {
			*p = v
		}
	}
	def(&db.Slot, DefaultSlot)
	def(&db.Publication, DefaultPublication)
	def(&db.Schema, DefaultSchema)
	def(&db.StateSchema, DefaultStateSchema)
	if db.TablePrefix == nil {
		p := DefaultTablePrefix
		db.TablePrefix = &p
	}
	c.Site.timezoneSet = strings.TrimSpace(c.Site.Timezone) != ""
	c.Site.languageSet = strings.TrimSpace(c.Site.Language) != ""
	def(&c.Site.Timezone, "UTC")
	def(&c.Site.Language, "en")
	if c.HTTP.Listen == nil {
		l := DefaultListen
		c.HTTP.Listen = &l
	}
	if c.Delivery.MaxAge.Duration == 0 {
		c.Delivery.MaxAge.Duration = DefaultMaxAge
	}
	if c.Delivery.Retention.Duration == 0 {
		c.Delivery.Retention.Duration = DefaultRetention
	}
	if c.Delivery.Timeout.Duration == 0 {
		c.Delivery.Timeout.Duration = DefaultTimeout
	}
	if c.Delivery.DigestAfter.Duration == 0 {
		c.Delivery.DigestAfter.Duration = DefaultDigestAfter
	}
	for i := range c.Webhooks {
		if c.Webhooks[i].DigestAfter.Duration == 0 {
			c.Webhooks[i].DigestAfter = c.Delivery.DigestAfter
		}
	}
	c.docWebhookDefaults()
	def(&c.Log.Format, "text")
	def(&c.Log.Level, "info")
}

// TableName is the table of a document type: the prefix followed by the type's name.
func (c *Config) TableName(doctype string) string { return *c.Database.TablePrefix + doctype }

// Webhook returns the webhook with that name, or nil.
func (c *Config) Webhook(name string) *Webhook {
	for i := range c.Webhooks {
		if c.Webhooks[i].Name == name {
			return &c.Webhooks[i]
		}
	}
	return nil
}

// Notification returns the notification with that name, or nil.
func (c *Config) Notification(name string) *Notification {
	for i := range c.Notifications {
		if c.Notifications[i].Name == name {
			return &c.Notifications[i]
		}
	}
	return nil
}

// isHTTPURL reports whether s is an absolute http(s) URL with a host.
func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
