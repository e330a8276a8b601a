package delivery_test

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/delivery"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

func renderer(t testing.TB, prefix string) *delivery.Renderer {
	t.Helper()
	r, err := delivery.NewRenderer(delivery.RenderOptions{BaseURL: baseURL + "/", From: mailFrom, SubjectPrefix: prefix, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// outMail is a question from anna to alice on #1234 with some history.
func outMail(event, lang string) *desk.OutMail {
	at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	return &desk.OutMail{
		ID: 7, Event: event, MessageID: "servus.1234.abc@servus.example.org", CreatedAt: at,
		Recipient: &ticket.User{ID: 4, Email: "alice@example.org", Name: "Alice Requester", Language: lang},
		Requests:  true,
		Ticket: &ticket.Ticket{ID: 1, Number: 1234, Subject: "Drucker druckt nicht", Queue: "Servicedesk",
			Assignee: "anna@example.org", AssigneeID: 2},
		QueueAddress: "servicedesk@example.org",
		Entry: &ticket.Entry{ID: 3, Kind: ticket.KindQuestion, Author: "anna@example.org", Visibility: ticket.VisibilityPublic,
			Body: "Welches Modell ist es?\nSteht auf der Vorderseite.", CreatedAt: at},
		Actor: "Anna Agent",
		History: []*ticket.Entry{
			{ID: 2, Kind: ticket.KindAnswer, Author: "alice@example.org", Body: "Raum 3.14", CreatedAt: at.Add(-10 * time.Minute)},
			{ID: 1, Kind: ticket.KindDescription, Author: "alice@example.org", Body: "Er druckt\nnur leere Seiten.", CreatedAt: at.Add(-30 * time.Minute)},
		},
		Names:      map[string]string{"anna@example.org": "Anna Agent", "alice@example.org": "Alice Requester"},
		InReplyTo:  "servus.1234.first@servus.example.org",
		References: []string{"servus.1234.first@servus.example.org"},
	}
}

// TestRenderEveryEvent renders every event in every language, for a
// requester and for staff.
func TestRenderEveryEvent(t *testing.T) {
	r := renderer(t, "ZID #")
	for _, lang := range append(delivery.Languages, "fr") {
		for _, ev := range delivery.Events {
			for _, staff := range []bool{false, true} {
				m := outMail(ev, lang)
				m.Staff, m.Requests = staff, !staff
				out, err := r.Render(m, m.CreatedAt)
				if err != nil {
					t.Fatalf("%s %s: %v", lang, ev, err)
				}
				if out.Subject != "[ZID #1234] Drucker druckt nicht" {
					t.Errorf("subject %q", out.Subject)
				}
				contains(t, lang+" "+ev+" text", out.Text, baseURL+"/tickets/1234", delivery.Marker, "> Er druckt\n> nur leere Seiten.", "Servicedesk")
				contains(t, lang+" "+ev+" HTML", out.HTML, `<a href="`+baseURL+`/tickets/1234">`, delivery.Marker)
				greeting := map[string]string{"de": "Guten Tag Alice", "en": "Hello Alice", "fr": "Guten Tag Alice"}[lang]
				contains(t, lang+" "+ev, out.Text, greeting)
				if strings.Contains(out.Text, "<no value>") || strings.Contains(out.HTML, "<no value>") {
					t.Errorf("%s %s: a missing field:\n%s", lang, ev, out.Text)
				}
				if _, err := out.Msg.WriteTo(io.Discard); err != nil {
					t.Errorf("%s %s: write: %v", lang, ev, err)
				}
			}
		}
	}
}

// TestRenderText shows one whole text part: the new text first, then the
// link and signature, then the marker and the quoted history.
func TestRenderText(t *testing.T) {
	out, err := renderer(t, "").Render(outMail(desk.NotifyQuestion, "de"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	want := `Guten Tag Alice Requester,

Anna Agent hat eine Rückfrage zu Ihrer Anfrage #1234:

Welches Modell ist es?
Steht auf der Vorderseite.

Bitte antworten Sie auf diese Mail. Bis dahin wartet Ihre Anfrage auf Ihre Antwort.

Ihre Anfrage #1234 im Web: https://servus.example.org/tickets/1234

-- 
Servicedesk – Service-Desk

---- Ursprüngliche Nachricht ----

Am 02.03.2026 um 09:20 schrieb Alice Requester:
> Raum 3.14

Am 02.03.2026 um 09:00 schrieb Alice Requester:
> Er druckt
> nur leere Seiten.`
	if got := strings.TrimSpace(out.Text); got != want {
		t.Errorf("got\n%s\n\nwant\n%s", got, want)
	}
}

func TestNewRendererChecksSender(t *testing.T) {
	for _, from := range []string{"", "servus", "a b@example.org", "<x@example.org>"} {
		if _, err := delivery.NewRenderer(delivery.RenderOptions{BaseURL: baseURL, From: from}); err == nil {
			t.Errorf("From %q: no error", from)
		}
	}
}

// BenchmarkRender renders one notification and writes its MIME message.
func BenchmarkRender(b *testing.B) {
	r := renderer(b, "")
	m := outMail(desk.NotifyQuestion, "de")
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		out, err := r.Render(m, now)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := out.Msg.WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
