package service

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/time/rate"
)

// burst returns n messages "Message 000: ..." of very different lengths, some without a link.
func burstOf(n, limit int) []Message {
	lengths := []int{0, 20, 150, limit / 3, 800, limit * 2}
	ms := make([]Message, n)
	for i := range ms {
		m := sampleTicket()
		m.Name = fmt.Sprintf("ISS-%03d", i)
		m.Text = fmt.Sprintf("Message %03d: ", i) + strings.Repeat("é", lengths[i%len(lengths)])
		m.URL = "https://erp.example.com/app/issue/" + m.Name
		if i%4 == 3 {
			m.URL = ""
		}
		ms[i] = m
	}
	return ms
}

// digestLink is how a digest of svc writes a document link.
func digestLink(svc string, url string) string {
	switch svc {
	case "Rocket.Chat", "Discord", "Microsoft Teams", "ntfy":
		return markdownLink(url, "Document link")
	case "Telegram":
		return htmlLink(url, "Document link")
	}
	return angleLink(url, "Document link")
}

func TestDigestCoalescesABurstWithinTheLimitInOrder(t *testing.T) {
	l := LabelsFor("en")
	for _, svc := range allServices {
		t.Run(serviceFileName(svc), func(t *testing.T) {
			limit := mustFormat(t, svc).Limit
			if svc == "Generic" {
				limit = 4000 // message lengths for Generic: its limit is in bytes of body
			}
			all := burstOf(300, limit)
			rest, requests := all, 0
			for len(rest) > 0 {
				body, n, err := Digest(svc, rest, l)
				if err != nil {
					t.Fatal(err)
				}
				if n < 1 || n > len(rest) {
					t.Fatalf("n = %d with %d messages left", n, len(rest))
				}
				checkDigest(t, svc, rest[:n], body, l)
				rest = rest[n:]
				requests++
			}
			if requests >= len(all)/2 {
				t.Errorf("%d requests for %d messages: not coalesced", requests, len(all))
			}
		})
	}
}

// checkDigest asserts that body carries exactly ms, in order, within the service's limit.
func checkDigest(t *testing.T, svc string, ms []Message, body []byte, l Labels) {
	t.Helper()
	if len(ms) == 1 {
		want, err := Payload(svc, ms[0], l)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(body, want) {
			t.Fatalf("digest of one is not Payload's body:\n%s\n%s", body, want)
		}
		return
	}
	if svc == "Generic" {
		if len(body) > genericLimit {
			t.Errorf("body of %d bytes, limit %d", len(body), genericLimit)
		}
		var v struct{ Digest []struct{ Name string } }
		if err := json.Unmarshal(body, &v); err != nil {
			t.Fatal(err)
		}
		if len(v.Digest) != len(ms) {
			t.Fatalf("%d objects for n = %d", len(v.Digest), len(ms))
		}
		for i, m := range ms {
			if v.Digest[i].Name != m.Name {
				t.Errorf("object %d is %q, want %q", i, v.Digest[i].Name, m.Name)
			}
		}
		return
	}
	txt := bodyText(t, body)
	if n, limit := utf8.RuneCountInString(txt), mustFormat(t, svc).Limit; n > limit {
		t.Errorf("digest of %d characters, limit %d", n, limit)
	}
	if header := fmt.Sprintf("%d notifications", len(ms)); !strings.HasPrefix(strings.TrimLeft(strings.TrimPrefix(txt, "<b>"), "*"), header) {
		t.Errorf("digest does not start with %q: %.80q", header, txt)
	}
	at := 0
	for _, m := range ms {
		marker := m.Text[:len("Message 000:")]
		i := strings.Index(txt[at:], marker)
		if i < 0 {
			t.Fatalf("%s missing or out of order", marker)
		}
		at += i + len(marker)
		if m.URL != "" {
			link := digestLink(svc, m.URL)
			j := strings.Index(txt[at:], link)
			if j < 0 || strings.Contains(txt[at:at+j], "Message ") {
				t.Fatalf("%s: link %s missing or not with its message", marker, link)
			}
		}
	}
	if svc == "Discord" && !bytes.Contains(body, []byte(`"allowed_mentions":{"parse":[]}`)) {
		t.Errorf("Discord digest without allowed_mentions: %.200s", body)
	}
}

func TestDigestMatchesGoldenFiles(t *testing.T) {
	ms := []Message{sampleTicket(), sampleTicket(), sampleTicket()}
	ms[1].Name, ms[1].Text, ms[1].URL = "ISS-2024-00043", "Ticket *ISS-2024-00043* fermé", ""
	ms[2].Name, ms[2].Text, ms[2].URL = "ISS-2024-00044", "Ticket ISS-2024-00044 : priorité haute", "https://erp.example.com/app/issue/ISS-2024-00044"
	for _, svc := range allServices {
		t.Run(serviceFileName(svc), func(t *testing.T) {
			body, n, err := Digest(svc, ms, LabelsFor("fr"))
			if err != nil {
				t.Fatal(err)
			}
			if n != len(ms) {
				t.Fatalf("n = %d, want %d", n, len(ms))
			}
			checkGolden(t, filepath.Join("digest", serviceFileName(svc)+".json"), body)
		})
	}
}

func TestDigestOfOneMessageIsPayload(t *testing.T) {
	for _, svc := range allServices {
		want, err := Payload(svc, sampleTicket(), LabelsFor("de"))
		if err != nil {
			t.Fatal(err)
		}
		body, n, err := Digest(svc, []Message{sampleTicket()}, LabelsFor("de"))
		if err != nil || n != 1 || !bytes.Equal(body, want) {
			t.Errorf("%v: n = %d, err = %v, body\n%s\nwant\n%s", svc, n, err, body, want)
		}
	}
}

func TestDigestSendsAloneWhatLeavesNoRoom(t *testing.T) {
	big := sampleTicket()
	big.Doc = map[string]any{"notes": strings.Repeat("x", genericLimit)}
	ms := []Message{sampleTicket(), big, sampleTicket()}

	body, n, err := Digest("Generic", ms, LabelsFor("en"))
	if err != nil || n != 1 {
		t.Fatalf("n = %d, err = %v; want the first message alone", n, err)
	}
	if want, _ := Payload("Generic", ms[0], LabelsFor("en")); !bytes.Equal(body, want) {
		t.Errorf("body is not Payload's")
	}
	if _, n, _ := Digest("Generic", ms[1:], LabelsFor("en")); n != 1 {
		t.Errorf("the big message: n = %d, want 1", n)
	}
}

func TestDigestStopsBeforeAMessageThatCannotBeEncoded(t *testing.T) {
	bad := sampleTicket()
	bad.Doc = map[string]any{"x": make(chan int)}
	_, n, err := Digest("Generic", []Message{sampleTicket(), sampleTicket(), bad, sampleTicket()}, LabelsFor("en"))
	if err != nil || n != 2 {
		t.Errorf("n = %d, err = %v; want the two good messages before it", n, err)
	}
	if _, _, err := Digest("Generic", []Message{bad, sampleTicket()}, LabelsFor("en")); err == nil {
		t.Error("a first message that cannot be encoded: no error")
	}
}

func TestDigestHeaderFollowsTheLanguage(t *testing.T) {
	ms := []Message{sampleTicket(), sampleTicket()}
	cases := []struct {
		svc  string
		lang string
		want string
	}{
		{"Slack", "de", "*2 Benachrichtigungen*\n\n"},
		{"Mattermost", "es", "**2 notificaciones**\n\n"},
		{"Discord", "nl", "**2 meldingen**\n\n"},
		{"Google Chat", "en", "*2 notifications*\n\n"},
	}
	for _, c := range cases {
		body, _, err := Digest(c.svc, ms, LabelsFor(c.lang))
		if err != nil {
			t.Fatal(err)
		}
		if got := bodyText(t, body); !strings.HasPrefix(got, c.want) {
			t.Errorf("%v %s: %.60q, want prefix %q", c.svc, c.lang, got, c.want)
		}
	}
}

func TestDigestRefusesNothingAndUnknownServices(t *testing.T) {
	if _, _, err := Digest("Slack", nil, LabelsFor("en")); err == nil {
		t.Error("no messages: no error")
	}
	if _, _, err := Digest("Nope", []Message{sampleTicket()}, LabelsFor("en")); err == nil {
		t.Error("unknown service: no error")
	}
}

func TestDefaultRateKeepsUnderEachServicesLimit(t *testing.T) {
	// What each service tolerates: at most count requests in any window.
	type window struct {
		count int
		span  time.Duration
	}
	cases := []struct {
		svc     string
		windows []window
	}{
		{"Slack", []window{{63, time.Minute}}}, // 1/s with a short burst
		{"Google Chat", []window{{1, time.Second}, {60, time.Minute}}},
		{"Mattermost", []window{{10, time.Second}}},
		{"Rocket.Chat", []window{{10, time.Minute}}},
		{"Discord", []window{{5, 2 * time.Second}, {30, time.Minute}}},
		{"Generic", []window{{10 + 5*60, time.Minute}}},
		{"Microsoft Teams", []window{{4, time.Second}}},
		{"Telegram", []window{{1, time.Second}, {20, time.Minute}}},
		{"ntfy", []window{{60, time.Minute}, {60 + 12*10, 10 * time.Minute}}},
	}
	for _, c := range cases {
		limit, b := DefaultRate(c.svc)
		if limit <= 0 || b < 1 {
			t.Fatalf("%v: rate %v burst %d", c.svc, limit, b)
		}
		// A sender that posts whenever the limiter lets it, for ten minutes.
		lim := rate.NewLimiter(limit, b)
		start := time.Unix(1_700_000_000, 0)
		var sent []time.Time
		for at := start; at.Before(start.Add(10 * time.Minute)); at = at.Add(10 * time.Millisecond) {
			if lim.AllowN(at, 1) {
				sent = append(sent, at)
			}
		}
		for _, w := range c.windows {
			if most := busiest(sent, w.span); most > w.count {
				t.Errorf("%v: %d requests in %v, service allows %d", c.svc, most, w.span, w.count)
			}
		}
	}
	if limit, b := DefaultRate(""); limit != 1 || b != 1 {
		t.Errorf("unknown service: %v, %d; want 1/s, 1", limit, b)
	}
}

// busiest is the most of sent (in order) that fall in one window [t, t+span).
func busiest(sent []time.Time, span time.Duration) int {
	most, first := 0, 0
	for last := range sent {
		for sent[last].Sub(sent[first]) >= span {
			first++
		}
		most = max(most, last-first+1)
	}
	return most
}
