package delivery_test

import (
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/desk"
)

// TestResolutionMailFeedback: the resolution mail names the day the ticket
// closes by itself, in the recipient's language, and carries the feedback
// link when it has one, in the text and the HTML part.
func TestResolutionMailFeedback(t *testing.T) {
	r := renderer(t, "")
	closes := time.Date(2026, 3, 16, 9, 30, 0, 0, time.UTC) // a Monday
	for _, c := range []struct {
		lang, day, ask string
	}{
		{"de", "am Montag, 16.03.2026 automatisch geschlossen", "Wie zufrieden sind Sie"},
		{"en", "closed automatically on Monday, 16 March 2026", "How satisfied are you"},
	} {
		m := outMail(desk.NotifyResolved, c.lang)
		m.Entry, m.AutoCloseAt = nil, &closes
		m.Feedback = &desk.FeedbackMail{Token: "servus_abc234", Expires: closes.Add(30 * 24 * time.Hour)}
		out, err := r.Render(m, m.CreatedAt)
		if err != nil {
			t.Fatal(err)
		}
		link := baseURL + "/feedback/servus_abc234"
		for _, part := range []string{out.Text, out.HTML} {
			for _, want := range []string{c.day, c.ask, link} {
				if !strings.Contains(part, want) {
					t.Errorf("%s: %q missing in\n%s", c.lang, want, part)
				}
			}
		}
		// Without a link (the CC, or rated meanwhile) the mail does not ask.
		m.Feedback = nil
		out, err = r.Render(m, m.CreatedAt)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(out.Text, "/feedback/") || strings.Contains(out.Text, c.ask) || !strings.Contains(out.Text, c.day) {
			t.Errorf("%s without a link:\n%s", c.lang, out.Text)
		}
	}
}
