package rules

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/url"
	"strings"
)

// Secret holds a webhook URL or another credential. It prints, logs and marshals as
// "[redacted]"; only Reveal returns the value, for the one place that needs it.
type Secret struct{ value string }

// NewSecret wraps a value.
func NewSecret(v string) Secret { return Secret{value: v} }

const redacted = "[redacted]"

// Reveal returns the secret value.
func (s Secret) Reveal() string { return s.value }

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.value == "" }

// String redacts.
func (s Secret) String() string { return redacted }

// GoString redacts, for %#v.
func (s Secret) GoString() string { return redacted }

// LogValue redacts in log/slog output.
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON redacts.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(redacted) }

// MarshalText redacts.
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// Redact returns err with every occurrence of the secret (and of its URL-escaped form) removed
// from its text, and a *url.Error unwrapped to its operation and cause, so that an HTTP error
// never carries a webhook URL. It keeps errors.Is/As working through the returned error.
func (s Secret) Redact(err error) error {
	if err == nil || s.value == "" {
		return err
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = &redactedError{msg: ue.Op + " " + redacted + ": " + ue.Err.Error(), cause: ue.Err}
	}
	msg := err.Error()
	clean := strings.ReplaceAll(msg, s.value, redacted)
	clean = strings.ReplaceAll(clean, url.QueryEscape(s.value), redacted)
	if u, perr := url.Parse(s.value); perr == nil && u.Host != "" {
		// Some errors quote only part of the URL (host + path).
		if rest := strings.TrimPrefix(s.value, u.Scheme+"://"); rest != s.value {
			clean = strings.ReplaceAll(clean, rest, redacted)
		}
		if u.Path != "" && len(u.Path) > 1 {
			clean = strings.ReplaceAll(clean, u.Path, redacted)
		}
	}
	if clean == msg {
		return err
	}
	return &redactedError{msg: clean, cause: errors.Unwrap(err)}
}

type redactedError struct {
	msg   string
	cause error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.cause }
