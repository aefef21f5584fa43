package rules

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/url"
	"slices"
	"strings"
)

// Secret holds a webhook URL or another credential. It prints, logs and marshals as
// "[redacted]"; only Reveal returns the value, for the one place that needs it.
type Secret struct {
	value string
	// pieces are the forms Scrub looks for, longest first, each ended by a NUL byte: worked
	// out once, since every answer of a webhook is scrubbed and working them out costs more
	// than a request to a local receiver. A string, so that secrets compare by value.
	pieces string
}

// NewSecret wraps a value.
func NewSecret(v string) Secret { return Secret{value: v, pieces: pieces(v)} }

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

// Redact returns err with every secret part of the value removed from its text (see Scrub),
// and a *url.Error unwrapped to its operation and cause, so that an HTTP error never carries a
// webhook URL. It keeps errors.Is/As working through the returned error.
func (s Secret) Redact(err error) error {
	if err == nil || s.value == "" {
		return err
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = &redactedError{msg: ue.Op + " " + redacted + ": " + ue.Err.Error(), cause: ue.Err}
	}
	msg := err.Error()
	clean := s.Scrub(msg)
	if clean == msg {
		return err
	}
	return &redactedError{msg: clean, cause: errors.Unwrap(err)}
}

// minSegment is the length from which a path segment of a URL is taken for a token and
// removed on its own: Slack's, Discord's and Teams' tokens are longer, ordinary words shorter.
const minSegment = 16

// Scrub returns text with every secret part of the value replaced by "[redacted]", in any
// letter case and also with JSON-escaped slashes (`http:\/\/...`) or percent-encoded: the
// whole value; for a URL also its host and path, its path, its query, each query value of 8+
// characters and each path segment of 16+ characters (a token echoed on its own).
func (s Secret) Scrub(text string) string {
	if text == "" || s.value == "" {
		return text
	}
	for p := range strings.SplitSeq(s.pieces, "\x00") {
		if p != "" {
			text = replaceFold(text, p, redacted)
		}
	}
	return text
}

// pieces are the parts of value to look for, in every written form, longest first, each ended
// by a NUL byte. (A NUL inside the value splits it into more pieces: more is redacted, never
// less.)
func pieces(value string) string {
	pieces := []string{value}
	if u, err := url.Parse(value); err == nil && u.Host != "" {
		if rest := strings.TrimPrefix(value, u.Scheme+"://"); rest != value {
			pieces = append(pieces, rest)
			hostPath, _, _ := strings.Cut(rest, "?")
			pieces = append(pieces, hostPath)
		}
		if len(u.EscapedPath()) > 1 {
			pieces = append(pieces, u.EscapedPath(), u.Path)
		}
		for _, seg := range strings.Split(u.Path, "/") {
			if len(seg) >= minSegment {
				pieces = append(pieces, seg)
			}
		}
		if u.RawQuery != "" {
			pieces = append(pieces, u.RawQuery)
		}
		for _, vs := range u.Query() {
			for _, v := range vs {
				if len(v) >= 8 {
					pieces = append(pieces, v)
				}
			}
		}
	}
	seen := map[string]bool{}
	var out []string
	for _, p := range pieces {
		for _, f := range []string{p, strings.ReplaceAll(p, "/", `\/`), url.QueryEscape(p), url.PathEscape(p)} {
			if f != "" && !seen[strings.ToLower(f)] {
				seen[strings.ToLower(f)] = true
				out = append(out, f)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	var b strings.Builder
	for _, p := range out {
		b.WriteString(p)
		b.WriteByte(0)
	}
	return b.String()
}

// replaceFold replaces every occurrence of old in s, compared without regard to ASCII case.
func replaceFold(s, old, new string) string {
	if len(old) > len(s) {
		return s // a short answer, such as "ok"
	}
	ls, lold := asciiLower(s), asciiLower(old)
	if !strings.Contains(ls, lold) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(ls, lold)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(new)
		s, ls = s[i+len(old):], ls[i+len(old):]
	}
}

// asciiLower lowers A-Z only, so that byte offsets stay those of s.
func asciiLower(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= 'A' && r <= 'Z' }) {
		return s
	}
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + ('a' - 'A')
		}
	}
	return string(b)
}

type redactedError struct {
	msg   string
	cause error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.cause }
