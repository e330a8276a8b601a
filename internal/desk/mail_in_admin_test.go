package desk_test

import (
	"context"
	"database/sql"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// Stored mail is seen as the ticket entry it became: an admin outside a
// confidential queue reads neither its raw mail, nor its record, nor
// retries it; a mail that belongs to no ticket but was addressed to a
// confidential queue shows its header only to non-members. Every raw read
// is audited with its ticket.
func TestInboundMailFollowsConfidentiality(t *testing.T) {
	forEachDialectRaw(t, func(t *testing.T, w *world, raw *sql.DB) {
		ctx := context.Background()
		must(w.svc.CreateQueue(ctx, access.System, desk.NewQueue{Name: "VIS Online", Address: "vis@example.org", Confidential: true}))
		must(w.svc.CreateUser(ctx, access.System, desk.NewUser{Email: "max@example.org", Name: "Max Admin", Role: ticket.RoleAdmin}))
		for _, m := range []string{"max@example.org", "bernd@example.org"} {
			if err := w.svc.AddQueueMember(ctx, access.System, "VIS Online", m); err != nil {
				t.Fatal(err)
			}
		}
		member := w.actor(t, "max@example.org")  // an admin in VIS Online
		outsider := w.admin                      // an admin in no queue
		agent := w.actor(t, "bernd@example.org") // an agent in VIS Online

		const secret = "Das Passwort der Pruefungsdatenbank ist hunter2."
		r := must(w.svc.Receive(ctx, []byte("From: Alice <alice@example.org>\r\nTo: vis@example.org\r\nSubject: Noten\r\n"+
			"Message-ID: <noten-1@example.org>\r\n\r\n"+secret+"\r\n"), desk.ChannelAPI, "vis@example.org"))
		if r.Outcome != desk.OutcomeCreated || r.Ticket == 0 {
			t.Fatalf("got receipt %+v, want a created ticket", r)
		}
		if tk := must(w.svc.Ticket(ctx, member, r.Ticket)); !tk.Confidential {
			t.Fatalf("ticket %d is not confidential", r.Ticket)
		}
		// The member's reply by mail: raw reply mail of a confidential ticket.
		reply := must(w.svc.Receive(ctx, []byte("From: Max <max@example.org>\r\nTo: vis@example.org\r\nSubject: Re: Noten [#"+
			strconv.FormatInt(r.Ticket, 10)+"]\r\nIn-Reply-To: <noten-1@example.org>\r\nMessage-ID: <noten-2@example.org>\r\n\r\nErledigt: "+secret+"\r\n"),
			desk.ChannelAPI, "vis@example.org"))
		if reply.Ticket != r.Ticket {
			t.Fatalf("got reply receipt %+v, want it on ticket %d", reply, r.Ticket)
		}
		for _, id := range []int64{r.Inbound, reply.Inbound} {
			_, _, err := w.svc.InboundRaw(ctx, outsider, id)
			wantCode(t, err, ticket.ENOTFOUND)
			_, err = w.svc.InboundMessage(ctx, outsider, id)
			wantCode(t, err, ticket.ENOTFOUND)
			_, err = w.svc.RetryInbound(ctx, outsider, id)
			wantCode(t, err, ticket.ENOTFOUND)
			_, _, err = w.svc.InboundRaw(ctx, agent, id)
			wantCode(t, err, ticket.EFORBIDDEN)
			m, rc := must2(w.svc.InboundRaw(ctx, member, id))
			body := readAll(t, rc)
			if !strings.Contains(body, secret) || m.Ticket != r.Ticket {
				t.Fatalf("member got %q of ticket %d, want the whole mail of ticket %d", body, m.Ticket, r.Ticket)
			}
		}
		tid := countRows(t, raw, "SELECT id FROM tickets WHERE number = "+strconv.FormatInt(r.Ticket, 10))
		if n := countRows(t, raw, "SELECT COUNT(*) FROM audit_log WHERE action = 'mail.view' AND ticket_id = "+strconv.Itoa(tid)+
			" AND actor_id = "+strconv.FormatInt(member.UserID, 10)); n != 2 {
			t.Fatalf("got %d audited reads of the ticket's raw mail, want 2", n)
		}

		// A mail that fails (no sender) belongs to no ticket: admins see it,
		// the one outside VIS Online its header only.
		failed := must(w.svc.Receive(ctx, []byte("To: vis@example.org\r\nSubject: Ohne Absender\r\nMessage-ID: <anon@x>\r\n\r\n"+secret+"\r\n"),
			desk.ChannelAPI, ""))
		if failed.Outcome != desk.OutcomeFailed {
			t.Fatalf("got %+v, want failed", failed)
		}
		list := must(w.svc.FailedMail(ctx, outsider, 1, 50))
		if list.Total != 1 || list.Items[0].ID != failed.Inbound || list.Items[0].Subject != "Ohne Absender" {
			t.Fatalf("got failed list %+v, want the one failed mail", list)
		}
		m, rc := must2(w.svc.InboundRaw(ctx, outsider, failed.Inbound))
		if body := readAll(t, rc); strings.Contains(body, secret) || !strings.Contains(body, "Subject: Ohne Absender") || m.Size != int64(len(body)) {
			t.Fatalf("outsider got %q (size %d), want the header alone", body, m.Size)
		}
		_, rc = must2(w.svc.InboundRaw(ctx, member, failed.Inbound))
		if body := readAll(t, rc); !strings.Contains(body, secret) {
			t.Fatalf("member got %q, want the whole mail", body)
		}
		// Mail for a queue that is not confidential shows whole to admins.
		plain := must(w.svc.Receive(ctx, []byte("To: servicedesk@example.org\r\nSubject: Auch ohne\r\n\r\nDrucker.\r\n"), desk.ChannelAPI, ""))
		_, rc = must2(w.svc.InboundRaw(ctx, outsider, plain.Inbound))
		if body := readAll(t, rc); !strings.Contains(body, "Drucker.") {
			t.Fatalf("outsider got %q, want the whole mail", body)
		}
		if n := countRows(t, raw, "SELECT COUNT(*) FROM audit_log WHERE action = 'mail.view' AND ticket_id IS NULL"); n != 3 {
			t.Fatalf("got %d audited reads of mail without ticket, want 3", n)
		}
		// An agent sees no failed mail at all.
		_, err := w.svc.FailedMail(ctx, agent, 1, 50)
		wantCode(t, err, ticket.EFORBIDDEN)
	})
}

func must2[A, B any](a A, b B, err error) (A, B) {
	if err != nil {
		panic("unexpected error: " + err.Error())
	}
	return a, b
}

func readAll(t *testing.T, rc io.ReadCloser) string {
	t.Helper()
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
