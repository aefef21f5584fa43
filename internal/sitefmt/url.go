package sitefmt

import (
	"cmp"
	"strings"
)

// Address is the ERP's get_url(uri): the site's address, followed by uri when it is not "".
func (s Site) Address(uri string) string {
	u := strings.TrimRight(s.URL, "/")
	if uri != "" {
		u += "/" + strings.TrimLeft(uri, "/")
	}
	return u
}

// FormURL is the ERP's get_url_to_form(doctype, name): the address of a document in the
// ERP's desk (FormURL).
func (s Site) FormURL(doctype, name string) string { return FormURL(s.URL, doctype, name) }

// ListURL is the ERP's get_url_to_list(doctype): the address of the document type's list.
func (s Site) ListURL(doctype string) string { return FormURL(s.URL, doctype, "") }

// Link is the ERP's get_link_to_form(doctype, name, label) as the ERP writes it: an <a> tag to
// the document's address, its text the label, or the name when the label is "".
func (s Site) Link(doctype, name, label string) string {
	return `<a href="` + s.FormURL(doctype, name) + `">` + cmp.Or(label, name) + `</a>`
}

// FormURL is the address of a document in the ERP's desk, as get_url_to_form writes it:
// <siteURL>/app/<doctype lower-cased, spaces to dashes>/<name>, each part percent-encoded.
func FormURL(siteURL, doctype, name string) string {
	u := strings.TrimRight(siteURL, "/") + "/app/" + quote(strings.ReplaceAll(strings.ToLower(doctype), " ", "-"))
	if name != "" {
		u += "/" + quote(name)
	}
	return u
}

// quote percent-encodes everything but letters, digits and -._~, so that a link is the same
// for the ERP (which decodes the path) and inert inside any chat markup.
func quote(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
