package service

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestClipHTMLClosesWhatTheCutLeftOpen(t *testing.T) {
	long := "<b>Ticket</b> <i>" + strings.Repeat("très long ", 600) + "</i> end"
	got := clipHTML(long, telegramLimit)
	if !strings.HasSuffix(got, "…</i>") {
		t.Errorf("cut text ends %q, want the <i> closed after the ellipsis", got[len(got)-20:])
	}
	if n := utf8.RuneCountInString(strings.TrimSuffix(got, "</i>")); n > telegramLimit {
		t.Errorf("%d characters, limit %d", n, telegramLimit)
	}
	if short := "<b>ok</b>"; clipHTML(short, telegramLimit) != short {
		t.Error("short text changed")
	}
}

func TestTelegramAnswers(t *testing.T) {
	v, wait, ok := telegramAnswer(429, []byte(`{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}`))
	if !ok || v != Retry || wait != 7*time.Second {
		t.Errorf("429: %v %v %v", v, wait, ok)
	}
	// Everything else is left to the common rules (4xx dead, 2xx delivered).
	for _, status := range []int{200, 400, 403} {
		if _, _, ok := telegramAnswer(status, []byte(`{"ok":false,"description":"Forbidden: bot was blocked by the user"}`)); ok {
			t.Errorf("%d taken by the hook", status)
		}
	}
}
