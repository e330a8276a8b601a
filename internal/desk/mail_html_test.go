package desk_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/mail"
	"github.com/servus-desk/servus/internal/ticket"
)

// mailCorpus reads a message of internal/mail's test corpus.
func mailCorpus(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "mail", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// htmlReply is an HTML-only mail from "from" replying to inReplyTo.
func htmlReply(from, messageID, inReplyTo, body string) []byte {
	return []byte("From: " + from + "\r\nTo: servicedesk@example.org\r\nSubject: Re: Drucker startet nicht mehr\r\n" +
		"Message-ID: <" + messageID + ">\r\nIn-Reply-To: <" + inReplyTo + ">\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: text/html; charset=utf-8\r\n\r\n" + body + "\r\n")
}

// TestMailHTML delivers HTML mail through the inbound path: the entry keeps
// the sanitised HTML of the new part next to its text, inline images keep
// their Content-ID, and the HTML has its entry's visibility.
func TestMailHTML(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()

		// A hostile mail: nothing active survives, the text stays the text.
		r := receive(t, w, mailCorpus(t, "hostile-html.eml"), "servicedesk@example.org")
		wantOutcome(t, r, desk.OutcomeCreated)
		e := entryByID(w, w.agentA, r.Ticket, r.Entry)
		if e == nil || e.BodyHTML == "" {
			t.Fatalf("hostile mail: got entry %+v, want one with HTML", e)
		}
		shown := mail.SafeHTML(e.BodyHTML, func(string) string { return "" })
		for _, html := range []string{e.BodyHTML, shown} {
			for _, bad := range []string{"<script", "onerror", "onload", "onclick", "javascript:", "evil.example", "<style", "style=",
				"<iframe", "<form", "<input", "<svg", "<object", "alert("} {
				if strings.Contains(strings.ToLower(html), bad) {
					t.Errorf("hostile mail: HTML keeps %q:\n%s", bad, html)
				}
			}
		}
		if strings.Contains(e.Body, "<") || !strings.Contains(e.Body, "Danke, Mallory") {
			t.Errorf("hostile mail: body %q, want the text version", e.Body)
		}

		// A formatted reply with an inline image: the quoted history goes
		// from the HTML as from the text, the image is an attachment of the
		// entry that keeps its Content-ID.
		r = receive(t, w, mailCorpus(t, "html-rich-cid-reply.eml"), "servicedesk@example.org")
		wantOutcome(t, r, desk.OutcomeCreated)
		rita := w.actor(t, "rita.requester@uni.example")
		e = entryByID(w, rita, r.Ticket, r.Entry)
		if e == nil {
			t.Fatalf("the requester does not see her mail's entry")
		}
		for _, want := range []string{"<b>nicht mehr</b>", "<ul><li>Neustart des Geräts</li>", "<table>", `src="cid:screenshot.png@rita.uni"`,
			`href="https://wiki.uni-beispiel.de/drucker"`} {
			if !strings.Contains(e.BodyHTML, want) {
				t.Errorf("formatted mail: HTML lacks %s:\n%s", want, e.BodyHTML)
			}
		}
		if strings.Contains(e.BodyHTML, "GEHEIMVERLAUF") || strings.Contains(e.Body, "GEHEIMVERLAUF") {
			t.Errorf("formatted mail: the quoted history was kept:\n%s\n%s", e.BodyHTML, e.Body)
		}
		files := must(w.svc.Attachments(ctx, rita, r.Ticket))
		if len(files) != 1 || files[0].ContentID != "screenshot.png@rita.uni" || files[0].EntryID != e.ID || files[0].ContentType != "image/png" {
			t.Fatalf("formatted mail: got attachments %+v, want the PNG of entry %d with its Content-ID", files, e.ID)
		}
		// The text stays what search finds; markup is not searched.
		if p := must(w.svc.Search(ctx, w.agentA, ticket.Filter{Q: "Treiber"})); p.Total != 1 {
			t.Errorf("search for a word of the mail: got %d tickets, want 1", p.Total)
		}
		if p := must(w.svc.Search(ctx, w.agentA, ticket.Filter{Q: "blockquote"})); p.Total != 0 {
			t.Errorf("search for markup: got %d tickets, want 0", p.Total)
		}

		// Staff who are not in the queue write a staff-only comment: its
		// HTML is as hidden from the requester as its text.
		r2 := receive(t, w, authed(htmlReply("Bernd Agent <bernd@example.org>", "bernd-1@example.org", "rich-html-0001@uni.example",
			"<p>Intern: <b>Toner</b> ist bestellt.</p>"), "example.org"), "servicedesk@example.org")
		wantOutcome(t, r2, desk.OutcomeAppended)
		staff := entryByID(w, w.agentA, r.Ticket, r2.Entry)
		if staff == nil || staff.Visibility != ticket.VisibilityStaff || !strings.Contains(staff.BodyHTML, "<b>Toner</b>") {
			t.Fatalf("staff reply: got %+v, want a staff-only comment with HTML", staff)
		}
		for _, x := range must(w.svc.Entries(ctx, rita, r.Ticket)) {
			if x.ID == staff.ID || strings.Contains(x.BodyHTML, "Toner") {
				t.Errorf("the requester sees the staff-only entry %d: %q", x.ID, x.BodyHTML)
			}
		}

		// A stranger's reply is a queue-only note; its HTML says so too.
		r3 := receive(t, w, htmlReply("Eve <eve@elsewhere.example>", "eve-1@elsewhere.example", "rich-html-0001@uni.example",
			"<p>Ich auch!</p>"), "servicedesk@example.org")
		wantOutcome(t, r3, desk.OutcomeAppended)
		note := entryByID(w, w.agentA, r.Ticket, r3.Entry)
		if note == nil || note.Visibility != ticket.VisibilityQueue || !strings.HasPrefix(note.BodyHTML, "<p>[Mail from a non-participant: eve@elsewhere.example]</p>") {
			t.Fatalf("non-participant: got %+v, want a queue-only note whose HTML names the sender", note)
		}
		if entryByID(w, rita, r.Ticket, r3.Entry) != nil || entryByID(w, w.agentB, r.Ticket, r3.Entry) != nil {
			t.Errorf("the queue-only note is seen outside the queue")
		}

		// A text-only mail has no HTML.
		r4 := receive(t, w, testMail{From: "alice@example.org", To: "servicedesk@example.org", Subject: "Nur Text", MessageID: "plain-1@example.org", Body: "Hallo"}.raw(), "")
		if e := entryByID(w, w.alice, r4.Ticket, r4.Entry); e == nil || e.BodyHTML != "" {
			t.Errorf("text mail: got %+v, want no HTML", e)
		}
	})
}
