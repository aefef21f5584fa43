package service

import (
	"strconv"
	"strings"
)

// Digest packs, for the service named name, the first n >= 1 messages of ms into one request body for svc, within the
// service's size limit, so that a burst larger than the rate limit is coalesced rather than
// dropped. A digest starts with a header ("3 notifications") and separates messages with a rule
// line; each keeps its document link in the service's link syntax. Generic sends
// {"digest": [...]} of its usual objects. When only one message fits (or ms has one), the body
// is exactly Payload's.
//
// Inside a digest each message is cut to a quarter of the service's limit, so that one long
// message does not keep the others out; the worker sends the rest in the next requests.
func Digest(name string, ms []Message, l Labels) (body []byte, n int, err error) {
	s, err := Lookup(name)
	if err != nil {
		return nil, 0, err
	}
	return s.DigestBody(ms, l)
}

// DigestBody is Digest for this service.
func (s *Service) DigestBody(ms []Message, l Labels) (body []byte, n int, err error) {
	if len(ms) == 0 {
		return nil, 0, errNoMessages
	}
	if len(ms) > 1 {
		if v, n := s.Digest(ms, l); n >= 2 {
			body, err := encode(v)
			if err != nil {
				return nil, 0, err
			}
			return body, n, nil
		}
	}
	body, err = encode(s.Single(ms[0], l))
	if err != nil {
		return nil, 0, err
	}
	return body, 1, nil
}

// digestSeparator stands between two messages of a digest: a rule line that no service reads
// as markup.
const digestSeparator = "\n\n──────────\n\n"

// textDigest is how a text service writes a digest.
type textDigest struct {
	limit  int                            // runes of text in one request
	link   func(url, label string) string // the service's link syntax
	strong func(string) string            // the service's bold
	body   func(text string) any          // the request around the text
	cut    func(s string, max int) string // how text is cut; nil is clip
}

func (d textDigest) clip(s string, max int) string {
	if d.cut != nil {
		return d.cut(s, max)
	}
	return clip(s, max)
}

func (d textDigest) pack(ms []Message, l Labels) (any, int) {
	header := func(n int) string { return d.strong(strconv.Itoa(n)+" "+l.Notifications) + "\n\n" }
	used := runes(header(len(ms))) // no shorter than the header of any n <= len(ms)
	var entries []string
	for _, m := range ms {
		e := d.entry(m, l, d.limit/4)
		cost := runes(e)
		if len(entries) > 0 {
			cost += runes(digestSeparator)
		}
		if used+cost > d.limit {
			break
		}
		entries = append(entries, e)
		used += cost
	}
	if len(entries) < 2 {
		return nil, len(entries)
	}
	return d.body(header(len(entries)) + strings.Join(entries, digestSeparator)), len(entries)
}

// entry is one message of a digest, at most max runes (unless its link alone is longer).
func (d textDigest) entry(m Message, l Labels, max int) string {
	if m.URL == "" {
		return d.clip(m.Text, max)
	}
	link := d.link(m.URL, l.DocumentLink)
	text := d.clip(m.Text, max-runes(link)-1)
	if text == "" {
		return link
	}
	return text + "\n" + link
}

func asterisks(s string) string       { return "*" + s + "*" }
func doubleAsterisks(s string) string { return "**" + s + "**" }
