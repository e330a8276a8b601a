package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

const idaMail = "From: Ida <ida@example.org>\r\nTo: servicedesk@example.org\r\nSubject: Beamer in HS 1\r\n" +
	"Message-ID: <beamer-1@ida.example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nDer Beamer geht nicht an.\r\n"

const senderlessMail = "To: servicedesk@example.org\r\nSubject: Wer bin ich?\r\nMessage-ID: <anon-1@x>\r\n\r\nOhne Absender.\r\n"

func TestMailAPI(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			e := newEnv(t, storetest.Open(t, d))
			if _, err := e.svc.CreateQueue(ctx, access.System, desk.NewQueue{Name: "Servicedesk", Address: "servicedesk@example.org", Default: true}); err != nil {
				t.Fatal(err)
			}
			for _, u := range []desk.NewUser{
				{Email: "ida@example.org", Name: "Ida", Role: ticket.RoleRequester},
				{Email: "jan@example.org", Name: "Jan", Role: ticket.RoleRequester},
			} {
				if _, err := e.svc.CreateUser(ctx, access.System, u); err != nil {
					t.Fatal(err)
				}
				tok, err := e.svc.CreateToken(ctx, access.System, u.Email)
				if err != nil {
					t.Fatal(err)
				}
				e.vars["tok:"+u.Name] = tok
			}
			rfc822 := map[string]string{"Content-Type": "message/rfc822"}
			e.run(t, []scenario{
				{name: "requesters may not upload mail", method: "POST", path: "/api/v1/mail", as: "Ida", header: rfc822, body: idaMail, status: http.StatusForbidden},
				{name: "upload makes a ticket", method: "POST", path: "/api/v1/mail?to=servicedesk@example.org", as: "admin", header: rfc822, body: idaMail,
					status: http.StatusOK, want: map[string]any{"outcome": "created", "ticket": 1.0}, absent: []string{"error"}, save: map[string]string{"entry": "entry"}},
				{name: "the same mail again is a duplicate", method: "POST", path: "/api/v1/mail", as: "admin", header: rfc822, body: idaMail,
					status: http.StatusOK, want: map[string]any{"outcome": "duplicate", "ticket": 1.0, "entry": "${entry}"}},
				{name: "JSON is no mail", method: "POST", path: "/api/v1/mail", as: "admin", body: map[string]string{"raw": idaMail}, status: http.StatusUnsupportedMediaType},
				{name: "the ticket is ida's, by mail", method: "GET", path: "/api/v1/tickets/1", as: "Ida", status: http.StatusOK,
					want: map[string]any{"requester": "ida@example.org", "channel": "mail", "subject": "Beamer in HS 1"}},
				{name: "ida downloads her mail", method: "GET", path: "/api/v1/tickets/1/entries/${entry}/eml", as: "Ida", status: http.StatusOK,
					wantHeader: map[string]string{"Content-Type": "message/rfc822"},
					check: func(t *testing.T, _ *env, _ *http.Response, body []byte) {
						if string(body) != idaMail {
							t.Errorf("got %q, want the mail as received", body)
						}
					}},
				{name: "jan sees no such mail", method: "GET", path: "/api/v1/tickets/1/entries/${entry}/eml", as: "Jan", status: http.StatusNotFound},
				{name: "a mail without sender fails", method: "POST", path: "/api/v1/mail", as: "admin", header: rfc822, body: senderlessMail,
					status: http.StatusOK, want: map[string]any{"outcome": "failed"}, present: []string{"error"}, absent: []string{"ticket"}, save: map[string]string{"failed": "inbound"}},
				{name: "the failed list has it", method: "GET", path: "/api/v1/mail/failed", as: "admin", status: http.StatusOK,
					want: map[string]any{"total": 1.0, "items.0.id": "${failed}", "items.0.subject": "Wer bin ich?", "items.0.state": "failed"}},
				{name: "requesters see no failed list", method: "GET", path: "/api/v1/mail/failed", as: "Jan", status: http.StatusForbidden},
				{name: "one stored message", method: "GET", path: "/api/v1/mail/${failed}", as: "admin", status: http.StatusOK,
					want: map[string]any{"channel": "api", "state": "failed", "attempts": 1.0}},
				{name: "its raw bytes", method: "GET", path: "/api/v1/mail/${failed}/eml", as: "admin", status: http.StatusOK,
					check: func(t *testing.T, _ *env, _ *http.Response, body []byte) {
						if string(body) != senderlessMail {
							t.Errorf("got %q, want the mail as received", body)
						}
					}},
				{name: "a retry fails again", method: "POST", path: "/api/v1/mail/${failed}/retry", as: "admin", status: http.StatusOK,
					want: map[string]any{"outcome": "failed"}},
				{name: "a processed mail takes no retry", method: "POST", path: "/api/v1/mail/1/retry", as: "admin", status: http.StatusConflict},
				{name: "no such mail", method: "GET", path: "/api/v1/mail/999", as: "admin", status: http.StatusNotFound},
			})
		})
	}
}

// An admin outside a confidential queue gets 404 for the raw mail, the
// record and the retry of a mail that became an entry there; a member
// reads it; an agent gets 403 from these admin routes.
func TestMailAPIConfidential(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			e := newEnv(t, storetest.Open(t, d))
			for _, q := range []desk.NewQueue{
				{Name: "Servicedesk", Address: "servicedesk@example.org", Default: true},
				{Name: "VIS Online", Address: "vis@example.org", Confidential: true},
			} {
				if _, err := e.svc.CreateQueue(ctx, access.System, q); err != nil {
					t.Fatal(err)
				}
			}
			for _, u := range []desk.NewUser{
				{Email: "max@example.org", Name: "Max", Role: ticket.RoleAdmin},
				{Email: "mia@example.org", Name: "Mia", Role: ticket.RoleAgent},
			} {
				if _, err := e.svc.CreateUser(ctx, access.System, u); err != nil {
					t.Fatal(err)
				}
				if err := e.svc.AddQueueMember(ctx, access.System, "VIS Online", u.Email); err != nil {
					t.Fatal(err)
				}
				tok, err := e.svc.CreateToken(ctx, access.System, u.Email)
				if err != nil {
					t.Fatal(err)
				}
				e.vars["tok:"+u.Name] = tok
			}
			r, err := e.svc.Receive(ctx, []byte("From: Ida <ida@example.org>\r\nTo: vis@example.org\r\nSubject: Noten\r\n\r\nGeheim.\r\n"), desk.ChannelAPI, "")
			if err != nil || r.Ticket == 0 {
				t.Fatalf("got %+v, %v, want a ticket", r, err)
			}
			e.vars["in"] = strconv.FormatInt(r.Inbound, 10)
			e.run(t, []scenario{
				{name: "outsider admin: no raw mail", method: "GET", path: "/api/v1/mail/${in}/eml", as: "admin", status: http.StatusNotFound},
				{name: "outsider admin: no record", method: "GET", path: "/api/v1/mail/${in}", as: "admin", status: http.StatusNotFound},
				{name: "outsider admin: no retry", method: "POST", path: "/api/v1/mail/${in}/retry", as: "admin", status: http.StatusNotFound},
				{name: "agent: admin route", method: "GET", path: "/api/v1/mail/${in}/eml", as: "Mia", status: http.StatusForbidden},
				{name: "member admin reads it", method: "GET", path: "/api/v1/mail/${in}/eml", as: "Max", status: http.StatusOK,
					check: func(t *testing.T, _ *env, _ *http.Response, body []byte) {
						if !strings.Contains(string(body), "Geheim.") {
							t.Errorf("got %q, want the whole mail", body)
						}
					}},
			})
		})
	}
}
