package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// TestNoReadAroundAPI: for a confidential ticket in a queue the admin is
// no member of, no API endpoint an admin or an auditor may call shows its
// subject, body, notes, file names or raw mail; whatever asks for its
// content answers 404. On both databases.
func TestNoReadAroundAPI(t *testing.T) {
	secrets := []string{"SECRETSUBJ", "SECRETBODY", "SECRETFILE", "SECRETNOTE", "SECRETMAIL"}
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, storetest.Open(t, dialect))
			ctx := context.Background()
			sys := access.System
			for _, q := range []desk.NewQueue{{Name: "Servicedesk", Address: "servicedesk@example.org", Default: true}, {Name: "Security", Confidential: true}} {
				if _, err := e.svc.CreateQueue(ctx, sys, q); err != nil {
					t.Fatal(err)
				}
			}
			for _, u := range []desk.NewUser{{Email: "rita@example.org", Name: "Rita", Role: ticket.RoleRequester},
				{Email: "sepp@example.org", Name: "Sepp", Role: ticket.RoleAgent}, {Email: "ute@example.org", Name: "Ute", Role: ticket.RoleAuditor}} {
				if _, err := e.svc.CreateUser(ctx, sys, u); err != nil {
					t.Fatal(err)
				}
			}
			if err := e.svc.AddQueueMember(ctx, sys, "Security", "sepp@example.org"); err != nil {
				t.Fatal(err)
			}
			tok, err := e.svc.CreateToken(ctx, sys, "ute@example.org")
			if err != nil {
				t.Fatal(err)
			}
			e.vars["tok:ute"] = tok
			rita, _ := e.svc.ActorByEmail(ctx, "rita@example.org")
			sepp, _ := e.svc.ActorByEmail(ctx, "sepp@example.org")
			yes := true
			tk, err := e.svc.CreateTicket(ctx, rita, desk.NewTicket{Queue: "Security", Subject: "SECRETSUBJ Gehaltsliste", Description: "SECRETBODY",
				Confidential: &yes, Files: []desk.NewFile{{Name: "SECRETFILE.pdf", Body: strings.NewReader("SECRETBODY")}}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.AddEntry(ctx, sepp, tk.Number, desk.NewEntry{Kind: ticket.KindComment, Body: "SECRETNOTE", Visibility: ticket.VisibilityQueue}); err != nil {
				t.Fatal(err)
			}
			files, _ := e.svc.Attachments(ctx, sepp, tk.Number)
			if _, rc, err := e.svc.OpenAttachment(ctx, sepp, tk.Number, files[0].ID); err == nil {
				rc.Close()
			}
			raw := fmt.Sprintf("From: Rita <rita@example.org>\r\nTo: servicedesk@example.org\r\nSubject: Re: [#%d] SECRETSUBJ\r\nMessage-ID: <s1@example.org>\r\n\r\nSECRETMAIL\r\n", tk.Number)
			rcpt, err := e.svc.Receive(ctx, []byte(raw), desk.ChannelAPI, "")
			if err != nil {
				t.Fatal(err)
			}
			entries, _ := e.svc.Entries(ctx, sepp, tk.Number)
			n, mailID := strconv.FormatInt(tk.Number, 10), strconv.FormatInt(rcpt.Inbound, 10)
			month := time.Now().UTC().Format("2006-01")

			clean := func(t *testing.T, _ *env, _ *http.Response, body []byte) {
				for _, s := range secrets {
					if strings.Contains(string(body), s) {
						t.Errorf("answer shows %s:\n%s", s, body)
					}
				}
			}
			var rows []scenario
			add := func(as, path string, status int) {
				rows = append(rows, scenario{name: as + " " + path, method: "GET", path: path, as: as, status: status, check: clean})
			}
			for _, p := range []string{"/api/v1/tickets", "/api/v1/tickets?q=Gehaltsliste", "/api/v1/tickets?queue=Security", "/api/v1/users", "/api/v1/queues",
				"/api/v1/mail/failed", "/api/v1/outbox", "/api/v1/audit", "/api/v1/audit?ticket=" + n, "/api/v1/audit?format=csv",
				"/api/v1/audit/summary?month=" + month, "/api/v1/audit/summary?month=" + month + "&format=csv"} {
				add("admin", p, 200)
			}
			for _, p := range []string{"/api/v1/tickets/" + n, "/api/v1/tickets/" + n + "/entries", "/api/v1/tickets/" + n + "/attachments",
				"/api/v1/tickets/" + n + "/attachments/" + strconv.FormatInt(files[0].ID, 10),
				"/api/v1/mail/" + mailID, "/api/v1/mail/" + mailID + "/eml"} {
				add("admin", p, 404)
			}
			for _, en := range entries {
				add("admin", "/api/v1/tickets/"+n+"/entries/"+strconv.FormatInt(en.ID, 10)+"/eml", 404)
			}
			for _, p := range []string{"/api/v1/audit", "/api/v1/audit?format=csv", "/api/v1/audit/summary?month=" + month, "/api/v1/tickets"} {
				add("ute", p, 200)
			}
			for _, p := range []string{"/api/v1/tickets/" + n, "/api/v1/tickets/" + n + "/entries", "/api/v1/tickets/" + n + "/attachments"} {
				add("ute", p, 404)
			}
			e.run(t, rows)
		})
	}
}
