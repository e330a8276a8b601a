package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/auth"
	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
	"github.com/servus-desk/servus/internal/web"
)

// The secrets of a confidential ticket; none may show on a page of an
// admin (or auditor) who is no member of its queue.
var secrets = []string{"SECRETSUBJ", "SECRETBODY", "SECRETFILE", "SECRETNOTE", "SECRETMAIL"}

// newMailSiteOn is newSite on dialect, with notifications written to the
// outbox (so that the outbox pages have rows about the ticket).
func newMailSiteOn(t *testing.T, dialect string) *site {
	t.Helper()
	db := storetest.Open(t, dialect)
	seedFixture(t, db)
	blobs, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cheap := auth.CheapParams()
	svc := desk.New(db, blobs, desk.Options{PasswordParams: &cheap})
	h, err := web.New(svc, web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &site{srv: srv, svc: svc}
}

// TestNoReadAroundForAdmins: for a confidential ticket in a queue the admin
// is not a member of, every admin page (and the auditor's) shows none of
// its subject, body, notes, file names or raw mail, and whatever asks for
// its content answers 404. Making oneself a member is possible, shown on
// the queue's page and audited; then the ticket opens.
func TestNoReadAroundForAdmins(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			s := newMailSiteOn(t, dialect)
			ctx := context.Background()
			admin := withAdmin(t, s)
			if _, err := s.svc.CreateUser(ctx, access.System, desk.NewUser{Email: "ute.auditor@zid.example", Name: "Ute Auditor",
				Role: ticket.RoleAuditor, Language: "en", Password: fixturePassword}); err != nil {
				t.Fatal(err)
			}
			auditor := s.signedIn(t, "ute.auditor@zid.example")

			rita, sepp := s.actor(t, requesterEmail), s.actor(t, securityEmail)
			yes := true
			tk, err := s.svc.CreateTicket(ctx, rita, desk.NewTicket{Queue: "Security", Subject: "SECRETSUBJ Gehaltsliste", Description: "SECRETBODY im Anhang",
				Confidential: &yes, Files: []desk.NewFile{{Name: "SECRETFILE.pdf", Body: strings.NewReader("%PDF SECRETBODY")}}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.svc.AddEntry(ctx, sepp, tk.Number, desk.NewEntry{Kind: ticket.KindComment, Body: "SECRETNOTE geprüft", Visibility: ticket.VisibilityQueue}); err != nil {
				t.Fatal(err)
			}
			files, err := s.svc.Attachments(ctx, sepp, tk.Number)
			if err != nil || len(files) != 1 {
				t.Fatalf("attachments: %v, %v", files, err)
			}
			if _, rc, err := s.svc.OpenAttachment(ctx, sepp, tk.Number, files[0].ID); err != nil {
				t.Fatal(err)
			} else {
				rc.Close()
			}
			if _, err := s.svc.TicketView(ctx, sepp, tk.Number); err != nil {
				t.Fatal(err)
			}
			raw := fmt.Sprintf("From: Rita Requester <%s>\r\nTo: servicedesk@zid.example\r\nSubject: Re: [#%d] SECRETSUBJ\r\nMessage-ID: <secret-1@uni.example>\r\n\r\nSECRETMAIL text\r\n", requesterEmail, tk.Number)
			rcpt, err := s.svc.Receive(ctx, []byte(raw), desk.ChannelAPI, "")
			if err != nil {
				t.Fatal(err)
			}
			month := time.Now().UTC().Format("2006-01")
			n := strconv.FormatInt(tk.Number, 10)
			qs, _ := s.svc.Queues(ctx, access.System)
			var security int64
			for _, q := range qs {
				if q.Name == "Security" {
					security = q.ID
				}
			}
			ids := func(email string) string { return strconv.FormatInt(s.actor(t, email).UserID, 10) }

			// Surfaces that list or count: 200, and no secret.
			lists := []string{
				"/", "/search", "/search?q=Gehaltsliste", "/queues", "/queues/Security", "/filters", "/settings",
				"/admin/queues", "/admin/queues/" + strconv.FormatInt(security, 10),
				"/admin/users", "/admin/users/" + ids(requesterEmail), "/admin/users/" + ids(securityEmail),
				"/admin/outbox", "/admin/outbox?state=pending", "/admin/mail/failed", "/admin/settings", "/admin/assistant",
				"/audit", "/audit?ticket=" + n, "/audit.csv", "/audit/summary?month=" + month, "/audit/summary.csv?month=" + month,
			}
			// Surfaces that give content: 404.
			content := []string{
				"/tickets/" + n, "/tickets/" + n + "/attachments/" + strconv.FormatInt(files[0].ID, 10),
				"/admin/mail/" + strconv.FormatInt(rcpt.Inbound, 10) + "/eml",
			}
			auditorPages := map[string]bool{"/settings": true, "/filters": true, "/audit": true, "/audit?ticket=" + n: true, "/audit.csv": true,
				"/audit/summary?month=" + month: true, "/audit/summary.csv?month=" + month: true}
			for _, who := range []struct {
				name string
				c    *client
			}{{"admin", admin}, {"auditor", auditor}} {
				for _, p := range lists {
					a := who.c.get(p)
					want := http.StatusOK
					if who.name == "auditor" && !auditorPages[p] {
						want = http.StatusNotFound // the page does not exist for them, or redirects to /audit
						if p == "/" {
							want = http.StatusSeeOther
						}
					}
					if a.status != want {
						t.Errorf("%s GET %s: got %d, want %d", who.name, p, a.status, want)
					}
					for _, secret := range secrets {
						if strings.Contains(a.body, secret) {
							t.Errorf("%s GET %s shows %s", who.name, p, secret)
						}
					}
				}
				for _, p := range content {
					a := who.c.get(p)
					if a.status != http.StatusNotFound {
						t.Errorf("%s GET %s: got %d, want 404", who.name, p, a.status)
					}
					for _, secret := range secrets {
						if strings.Contains(a.body, secret) {
							t.Errorf("%s GET %s shows %s", who.name, p, secret)
						}
					}
				}
			}

			// The admin makes themself a member: shown on the queue's page,
			// audited, and the ticket opens.
			if a := admin.post("/admin/queues/members", url.Values{"queue": {"Security"}, "email": {deskAdminEmail}}); a.status != http.StatusSeeOther {
				t.Fatalf("self add: got %d\n%s", a.status, a.body)
			}
			page := admin.get("/admin/queues/" + strconv.FormatInt(security, 10))
			if !strings.Contains(page.body, "joined by Adele Admin on") {
				t.Errorf("the queue's page does not show who joined themself:\n%s", page.body)
			}
			log := admin.get("/audit?action=queue.member.self_add")
			if !strings.Contains(log.body, "queue.member.self_add") || !strings.Contains(log.body, deskAdminEmail) {
				t.Errorf("/audit lacks the self add:\n%s", log.body)
			}
			if a := admin.get("/tickets/" + n); a.status != http.StatusOK || !strings.Contains(a.body, "SECRETSUBJ") {
				t.Errorf("member admin GET /tickets/%s: got %d, want the ticket", n, a.status)
			}
		})
	}
}
