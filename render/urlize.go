package render

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/nikolalohinski/gonja/v2/exec"

	"walnotify/internal/pystr"
)

// pyW is Python's \w on text, inside a character class: letters, numbers, the underscore.
const pyW = `\p{L}\p{N}_`

// httpURL is Jinja2's _http_re (re.IGNORECASE): http://, https:// or www. and a domain with a
// letter TLD (or an xn-- one), a domain of two or more characters ending in one of the basic
// TLDs, or an http(s) IPv4 or IPv6 address; then a port and a path, query or fragment. \w and
// \d are Python's, of any script; a word holds no whitespace, so \S* is .*.
var httpURL = regexp.MustCompile(`(?i)^(?:` +
	`(?:https?://|www\.)(?:[` + pyW + `%-]+\.)*(?:[a-z]{2,63}|xn--[` + pyW + `%]{2,59})` +
	`|(?:[` + pyW + `%-]{2,63}\.)+(?:com|net|int|edu|gov|org|info|mil)` +
	`|https?://(?:\p{Nd}{1,3}(?:\.\p{Nd}{1,3}){3}|\[(?:[\p{Nd}a-f]{0,4}:){2}(?:[\p{Nd}a-f]{0,4}:?){1,6}\])` +
	`)(?::\p{Nd}{1,5})?(?:[/?#].*)?$`)

// emailAddress is Jinja2's _email_re, ^\S+@\w[\w.-]*\.\w+$.
var emailAddress = regexp.MustCompile(`^.+@[` + pyW + `][` + pyW + `.-]*\.[` + pyW + `]+$`)

// uriScheme is Jinja2's _uri_scheme_re, which each of extra_schemes must match whole.
var uriScheme = regexp.MustCompile(`^[` + pyW + `.+-]{2,}:/{0,2}$`)

// filterUrlize is Jinja2's do_urlize(value, trim_url_limit=None, nofollow=False, target=None,
// rel=None, extra_schemes=None) in an environment with the default policies (urlize.rel
// "noopener", no target, no extra schemes), as the ERP's: the text HTML-escaped, and each of
// its words that is a link (http://, https://, www., a domain with a basic TLD) or an email
// address (mailto: or not) made an <a> element, leading ( and < and trailing . , ) > left out
// of it unless they balance its brackets. gonja's left the href unescaped and the punctuation
// in the link. The input is taken as its text, as |center takes it: NULL is "" (the ERP's
// prints None) and a number its digits. A text marked safe (|safe, |tojson), which is Jinja2's
// Markup, is not escaped again.
func filterUrlize(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	a, err := bind(params, "trim_url_limit", "nofollow", "target", "rel", "extra_schemes")
	if err != nil {
		return exec.AsValue(fmt.Errorf("urlize(): %w", err))
	}
	u, err := newURLizer(a[0], a[1], a[2], a[3], a[4])
	if err != nil {
		return exec.AsValue(err)
	}
	text := display(in)
	if !(in.Safe && in.IsString()) {
		text = markupEscape(text)
	}
	out, err := u.urlize(stateOf(e.Environment.Context), text)
	if err != nil {
		return exec.AsValue(err)
	}
	return exec.AsValue(out)
}

// urlizer is one call's arguments of Jinja2's utils.urlize.
type urlizer struct {
	// trim is trim_url_limit when trimmed is set: a link's text longer than it is cut to it
	// and "..." appended; notNumber is the Python type of a limit that is no number.
	trim         pyNum
	trimmed      bool
	notNumber    string
	attrs        string   // rel_attr and target_attr of http links and extra schemes
	extraSchemes []string // extra_schemes
}

// newURLizer is do_urlize's reading of its arguments: rel's words, "nofollow" when nofollow is
// true and the policy's "noopener", sorted without repeats; target when it is true; each of
// extra_schemes checked against Jinja2's URI scheme pattern (FilterArgumentError).
func newURLizer(trim, nofollow, target, rel, schemes *exec.Value) (urlizer, error) {
	var u urlizer
	if trim != nil && !trim.IsNil() {
		n, ok := asNum(trim)
		u.trim, u.trimmed = n, true
		if !ok {
			u.notNumber = pyType(trim)
		}
	}
	rels := []string{"noopener"}
	if rel != nil && rel.IsTrue() {
		if !rel.IsString() {
			return u, fmt.Errorf("AttributeError: '%s' object has no attribute 'split'", pyType(rel))
		}
		rels = append(rels, strings.FieldsFunc(rel.String(), pystr.IsSpace)...)
	}
	if nofollow != nil && nofollow.IsTrue() {
		rels = append(rels, "nofollow")
	}
	slices.Sort(rels)
	u.attrs = ` rel="` + markupEscape(strings.Join(slices.Compact(rels), " ")) + `"`
	if target != nil && target.IsTrue() {
		u.attrs += ` target="` + markupEscape(display(target)) + `"`
	}
	var err error
	u.extraSchemes, err = schemeList(schemes)
	return u, err
}

// schemeList is extra_schemes as do_urlize iterates it: a list's items, a text's characters,
// a dict's keys; each must be a text that is a URI scheme prefix ("tel:", "ftp://").
func schemeList(v *exec.Value) ([]string, error) {
	if v == nil || v.IsNil() {
		return nil, nil
	}
	var all []*exec.Value
	switch {
	case v.IsString():
		for _, c := range characters(v.String()) {
			all = append(all, exec.AsValue(c))
		}
	case v.IsDict():
		all = v.Keys()
	case v.IsList():
		for _, item := range items(v) {
			all = append(all, exec.ToValue(item))
		}
	default:
		return nil, fmt.Errorf("TypeError: '%s' object is not iterable", pyType(v))
	}
	schemes := make([]string, 0, len(all))
	for _, s := range all {
		if !s.IsString() {
			return nil, fmt.Errorf("TypeError: expected string or bytes-like object, got '%s'", pyType(s))
		}
		if !uriScheme.MatchString(s.String()) {
			return nil, fmt.Errorf("FilterArgumentError: %s is not a valid URI scheme prefix.", pyRepr(s))
		}
		schemes = append(schemes, s.String())
	}
	return schemes, nil
}

// urlize is Jinja2's utils.urlize on an escaped text: the text cut into words and runs of
// whitespace (re.split(r"(\s+)")), each word linked. The output is checked against MaxString
// as it grows, before the filter's result is charged.
func (u urlizer) urlize(st *state, text string) (string, error) {
	var b strings.Builder
	for len(text) > 0 {
		n := strings.IndexFunc(text, pystr.IsSpace)
		if n < 0 {
			n = len(text)
		}
		if n > 0 {
			word, err := u.word(text[:n])
			if err != nil {
				return "", err
			}
			b.WriteString(word)
		}
		text = text[n:]
		space := len(text) - len(strings.TrimLeftFunc(text, pystr.IsSpace))
		b.WriteString(text[:space])
		text = text[space:]
		if b.Len() > st.limits.MaxString {
			return "", st.charge(float64(b.Len()))
		}
	}
	return b.String(), nil
}

// word is urlize's work on one word: its lead and its trail set apart, the trail given back
// to the middle as far as it balances the middle's brackets, and the middle linked.
func (u urlizer) word(w string) (string, error) {
	head := leadEnd(w)
	end := balanced(w, head, trailStart(w, head))
	middle, err := u.link(w[head:end])
	if err != nil {
		return "", err
	}
	return w[:head] + middle + w[end:], nil
}

// leadEnd is where urlize's lead, ^([(<]|&lt;)+, ends in w (0 when there is none).
func leadEnd(w string) int {
	head := 0
	for {
		switch {
		case strings.HasPrefix(w[head:], "("), strings.HasPrefix(w[head:], "<"):
			head++
		case strings.HasPrefix(w[head:], "&lt;"):
			head += 4
		default:
			return head
		}
	}
}

// trailStart is where urlize's trail, ([)>.,\n]|&gt;)+$, starts in w after head (len(w) when
// there is none). A word holds no line break.
func trailStart(w string, head int) int {
	end := len(w)
	for end > head {
		switch {
		case strings.HasSuffix(w[head:end], "&gt;"):
			end -= 4
		case strings.ContainsRune(")>.,", rune(w[end-1])):
			end--
		default:
			return end
		}
	}
	return end
}

// balanced is where the middle w[head:end] ends once urlize has given back to it, for each
// of the pairs ( ), < > and &lt; &gt; of which it has more openings than closings, as many of
// the trail's closings, with what comes before each, as it has openings (Jinja2 counts them
// so, not the ones missing).
func balanced(w string, head, end int) int {
	for _, pair := range [][2]string{{"(", ")"}, {"<", ">"}, {"&lt;", "&gt;"}} {
		opened := strings.Count(w[head:end], pair[0])
		if opened <= strings.Count(w[head:end], pair[1]) {
			continue
		}
		for range min(opened, strings.Count(w[end:], pair[1])) {
			end += strings.Index(w[end:], pair[1]) + len(pair[1])
		}
	}
	return end
}

// link is urlize's middle of a word as a link, when it is one: an http link (https:// added
// to its href when it has no http:// or https://, its text cut to trim_url_limit), a mailto:
// link to an email address, an email address (no "www." or "@" first, no ":"), or a word
// that starts with one of extra_schemes and is more than it.
func (u urlizer) link(middle string) (string, error) {
	switch {
	case httpURL.MatchString(middle):
		href := middle
		if !strings.HasPrefix(middle, "https://") && !strings.HasPrefix(middle, "http://") {
			href = "https://" + middle
		}
		text, err := u.trimURL(middle)
		if err != nil {
			return "", err
		}
		return `<a href="` + href + `"` + u.attrs + `>` + text + `</a>`, nil
	case strings.HasPrefix(middle, "mailto:") && emailAddress.MatchString(middle[len("mailto:"):]):
		return `<a href="` + middle + `">` + middle[len("mailto:"):] + `</a>`, nil
	case strings.Contains(middle, "@") && !strings.HasPrefix(middle, "www.") && !strings.HasPrefix(middle, "@") &&
		!strings.Contains(middle, ":") && emailAddress.MatchString(middle):
		return `<a href="mailto:` + middle + `">` + middle + `</a>`, nil
	}
	for _, scheme := range u.extraSchemes {
		if middle != scheme && strings.HasPrefix(middle, scheme) {
			return `<a href="` + middle + `"` + u.attrs + `>` + middle + `</a>`, nil
		}
	}
	return middle, nil
}

// trimURL is urlize's trim_url: the link's text (escaped, in characters) cut to the limit,
// Python's x[:limit] (a negative limit counts from the end), with "..." appended, when it is
// longer than the limit. A float limit can only be compared, a limit that is no number not
// even that: both fail where Python does.
func (u urlizer) trimURL(x string) (string, error) {
	if !u.trimmed {
		return x, nil
	}
	if u.notNumber != "" {
		return "", fmt.Errorf("TypeError: '>' not supported between instances of 'int' and '%s'", u.notNumber)
	}
	size := utf8.RuneCountInString(x)
	if !(float64(size) > u.trim.float()) {
		return x, nil
	}
	if u.trim.isFloat {
		return "", errSliceIndex
	}
	keep := u.trim.i
	if keep < 0 {
		keep = max(size+keep, 0)
	}
	return string([]rune(x)[:keep]) + "...", nil
}

// markupEscape is markupsafe.escape of a text: & < > ' " as &amp; &lt; &gt; &#39; &#34;.
func markupEscape(s string) string { return markupEscaper.Replace(s) }

var markupEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "'", "&#39;", `"`, "&#34;")
