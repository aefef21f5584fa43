package rules

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// Option changes how a configuration is loaded.
type Option func(*options)

type options struct {
	lookup   func(string) (string, bool)
	readFile func(string) ([]byte, error)
	offline  bool
}

// Offline loads a configuration for offline checking: an unset variable or an unreadable
// secret file in a connection setting is a warning (Config.Warnings), not an error, so an admin
// can validate rules on a machine that has none of the secrets.
func Offline() Option { return func(o *options) { o.offline = true } }

// WithReadFile reads the *_file secrets with fn instead of os.ReadFile (tests).
func WithReadFile(fn func(string) ([]byte, error)) Option {
	return func(o *options) { o.readFile = fn }
}

// maxSecretFile is the largest *_file secret: a password or a webhook URL is far smaller, and
// a larger file is a wrong path (a log, a disk image) that a load or reload must not read.
const maxSecretFile = 64 << 10

// readSecretFile reads a *_file secret: a regular file (a FIFO or a device, /dev/zero, would
// hold a load or a reload for good) of at most maxSecretFile bytes.
func readSecretFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSecretFile+1))
	if err == nil && len(data) > maxSecretFile {
		err = fmt.Errorf("%s is larger than %d KiB: not a secret", path, maxSecretFile>>10)
	}
	return data, err
}

// envRef is ${VAR} or ${VAR:-default}.
var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}`)

// secretKey is one connection setting or secret: the only values in which ${VAR} is expanded
// and that may come from a file. Everywhere else (conditions, templates, property values,
// names) ${VAR} is literal text, so a template can never post the environment to a channel.
type secretKey struct {
	at    place
	value *Secret
	// file is the *_file key's value: a path whose content replaces the value.
	file    *string
	fileKey string
}

func (c *Config) secretKeys() []secretKey {
	db := &c.Database
	keys := []secretKey{{at: place{key: "database.dsn"}, value: &db.DSN}}
	for i := range c.Webhooks {
		w := &c.Webhooks[i]
		keys = append(keys, secretKey{
			at:    place{table: "webhook", index: i, name: w.Name, key: "url"},
			value: &w.URL, file: &w.URLFile, fileKey: "url_file",
		}, secretKey{
			at:    place{table: "webhook", index: i, name: w.Name, key: "token"},
			value: &w.Token, file: &w.TokenFile, fileKey: "token_file",
		})
	}
	for i := range c.DocumentWebhooks {
		d := &c.DocumentWebhooks[i]
		keys = append(keys,
			secretKey{at: place{table: "document_webhook", index: i, name: d.Name, key: "request_url"}, value: &d.RequestURL},
			secretKey{at: place{table: "document_webhook", index: i, name: d.Name, key: "webhook_secret"}, value: &d.WebhookSecret})
	}
	return keys
}

// resolveSecrets expands ${VAR} in the connection settings and secrets, reads the *_file
// secrets, and puts database.password_file into the DSN.
func (c *Config) resolveSecrets(o options, loc *locator) []error {
	var problems []error
	c.unresolved = map[place]bool{}
	warned := map[string]bool{}
	problem := func(at place, format string, args ...any) {
		c.unresolved[at] = true // reported once: not "is required" as well
		if o.offline {
			msg := loc.at(at, format, args...).Error() + " (a warning offline; an error for run)"
			if !warned[msg] {
				warned[msg] = true
				c.Warnings = append(c.Warnings, msg)
			}
			return
		}
		problems = append(problems, loc.at(at, format, args...))
	}
	expand := func(at place, s string) string {
		return envRef.ReplaceAllStringFunc(s, func(ref string) string {
			m := envRef.FindStringSubmatch(ref)
			if v, ok := o.lookup(m[1]); ok && (v != "" || !strings.Contains(ref, ":-")) {
				return v
			}
			if strings.Contains(ref, ":-") {
				return m[2]
			}
			problem(at, "environment variable %s is not set", m[1])
			return ""
		})
	}
	readFile := func(at place, path string) (string, bool) {
		data, err := o.readFile(path)
		if err != nil {
			problem(at, "cannot read the secret file: %v", err)
			return "", false
		}
		return strings.TrimRight(string(data), "\r\n"), true
	}

	for _, k := range c.secretKeys() {
		*k.value = NewSecret(expand(k.at, k.value.value))
		if k.file == nil || *k.file == "" {
			continue
		}
		at := k.at
		at.key = k.fileKey
		*k.file = expand(at, *k.file)
		if !k.value.IsZero() {
			problems = append(problems, loc.at(at, "and %s are both set; keep one", k.at.key))
			continue
		}
		if v, ok := readFile(at, *k.file); ok {
			*k.value = NewSecret(v)
		} else {
			c.unresolved[k.at] = true
		}
	}

	db := &c.Database
	dsnAt := place{key: "database.dsn"}
	if c.unresolved[dsnAt] || db.DSN.IsZero() {
		return problems
	}
	if err := checkDSN(db.DSN.value); err != nil {
		problems = append(problems, loc.at(dsnAt, "%v", err))
		return problems
	}
	if db.PasswordFile != "" {
		at := place{key: "database.password_file"}
		db.PasswordFile = expand(at, db.PasswordFile)
		if pw, ok := readFile(at, db.PasswordFile); ok {
			dsn, err := withPassword(db.DSN.value, pw)
			if err != nil {
				problems = append(problems, loc.at(at, "%v", err))
			}
			db.DSN = NewSecret(dsn)
		}
	}
	return problems
}

// dsnQuoting is what an ambiguous URL DSN gets; it quotes none of the DSN, which may hold a
// password.
const dsnQuoting = "is not a valid connection string (value not shown: it may hold a password); in a URL, percent-encode the password's @ / # : ? %% characters (@ is %%40), or move the password to database.password_file"

// checkDSN refuses a DSN that does not parse, or a URL DSN whose password was written with
// characters that make it parse as something else: `postgres://u:p@ss/w:rd#1@db/erp` parses
// as host "ss", database "w:rd". It never quotes the DSN.
func checkDSN(dsn string) error {
	if isURLDSN(dsn) {
		rest := dsn[strings.Index(dsn, "://")+3:]
		if strings.Count(rest, "@") > 1 || strings.Contains(rest, "#") {
			return fmt.Errorf(dsnQuoting)
		}
		if _, err := url.Parse(dsn); err != nil {
			return fmt.Errorf(dsnQuoting)
		}
	}
	if _, err := pgconn.ParseConfig(dsn); err != nil {
		return fmt.Errorf(dsnQuoting)
	}
	return nil
}

func isURLDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// withPassword puts a password into a DSN, escaped for its form, so that any character works.
func withPassword(dsn, password string) (string, error) {
	if isURLDSN(dsn) {
		u, err := url.Parse(dsn)
		if err != nil {
			return dsn, fmt.Errorf(dsnQuoting)
		}
		if u.User != nil {
			if _, set := u.User.Password(); set {
				return dsn, fmt.Errorf("database.dsn already holds a password; keep one of the two")
			}
		}
		user := ""
		if u.User != nil {
			user = u.User.Username()
		}
		u.User = url.UserPassword(user, password)
		return u.String(), nil
	}
	if strings.Contains(dsn, "password=") {
		return dsn, fmt.Errorf("database.dsn already holds a password; keep one of the two")
	}
	quoted := strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(password)
	return strings.TrimSpace(dsn) + " password='" + quoted + "'", nil
}
