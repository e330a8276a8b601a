package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/web"
)

// TestFeedbackOnTicketPage: the requester rates a resolved ticket on its
// page, once; staff see the rating; a member of the ticket's queue turns
// a low rating into a linked complaint ticket with one click, where a
// complaints queue is set; others get no such button.
func TestFeedbackOnTicketPage(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s, _ := newResetSite(t, dialect, web.Options{})
			tk := s.ticket(t, requesterEmail, "Servicedesk", "Laptop bootet nicht")
			path := "/tickets/" + strconv.FormatInt(tk.Number, 10)
			rita, anton, sepp := s.signedIn(t, requesterEmail), s.signedIn(t, agentEmail), s.signedIn(t, securityEmail)

			pageLacks(t, "open ticket, requester", rita.get(path), `action="`+path+`/feedback"`)
			if _, err := s.svc.Act(ctx, s.actor(t, agentEmail), tk.Number, desk.Action{Name: "resolve"}); err != nil {
				t.Fatal(err)
			}
			pageHas(t, "resolved ticket, requester", rita.get(path), `action="`+path+`/feedback"`, `<legend>Your rating</legend>`,
				`type="radio" name="rating" value="1" required`, `name="comment"`)
			pageLacks(t, "resolved ticket, agent", anton.get(path), `action="`+path+`/feedback"`)

			if a := rita.post(path+"/feedback", url.Values{"rating": {"7"}}); a.status != http.StatusBadRequest {
				t.Fatalf("rating 7: %d", a.status)
			}
			if a := anton.post(path+"/feedback", url.Values{"rating": {"5"}}); a.status != http.StatusForbidden {
				t.Fatalf("agent rates: %d, want 403", a.status)
			}
			a := rita.post(path+"/feedback", url.Values{"rating": {"1"}, "comment": {"Drei Wochen ohne Laptop."}})
			if a.status != http.StatusSeeOther || a.header.Get("Location") != path+"#feedback" {
				t.Fatalf("rating: %d to %q\n%s", a.status, a.header.Get("Location"), a.body)
			}
			pageHas(t, "rated ticket, requester", rita.get(path), "Your rating", "1 of 5", "Drei Wochen ohne Laptop.")
			pageLacks(t, "rated ticket, requester", rita.get(path), `action="`+path+`/feedback"`, `/complaint"`)
			if a := rita.post(path+"/feedback", url.Values{"rating": {"5"}}); a.status != http.StatusConflict {
				t.Fatalf("second rating: %d, want 409", a.status)
			}

			// No complaints queue: the rating shows, the button does not.
			pageHas(t, "rated ticket, agent", anton.get(path), "Bewertung", "1 von 5", "Drei Wochen ohne Laptop.", "im Portal")
			pageLacks(t, "rated ticket, agent, no complaints queue", anton.get(path), `/complaint"`)

			if _, err := s.svc.CreateQueue(ctx, access.System, desk.NewQueue{Name: "Lob und Beschwerde"}); err != nil {
				t.Fatal(err)
			}
			if err := s.svc.SetComplaintsQueue(ctx, access.System, "Lob und Beschwerde"); err != nil {
				t.Fatal(err)
			}
			pageHas(t, "rated ticket, agent of the queue", anton.get(path), `action="`+path+`/complaint"`, "Als Beschwerde aufnehmen", "Lob und Beschwerde")
			pageLacks(t, "rated ticket, agent of another queue", sepp.get(path), `/complaint"`)
			if a := sepp.post(path+"/complaint", nil); a.status != http.StatusForbidden {
				t.Fatalf("complaint by a non-member: %d, want 403", a.status)
			}
			if a := rita.post(path+"/complaint", nil); a.status != http.StatusNotFound {
				t.Fatalf("complaint by the requester: %d, want 404", a.status)
			}

			a = anton.post(path+"/complaint", nil)
			if a.status != http.StatusSeeOther || !strings.HasPrefix(a.header.Get("Location"), "/tickets/") {
				t.Fatalf("complaint: %d to %q\n%s", a.status, a.header.Get("Location"), a.body)
			}
			complaint := a.header.Get("Location")
			number, _ := strconv.ParseInt(strings.TrimPrefix(complaint, "/tickets/"), 10, 64)
			c, err := s.svc.Ticket(ctx, s.actor(t, agentEmail), number)
			if err != nil {
				t.Fatal(err)
			}
			if c.Queue != "Lob und Beschwerde" || c.Requester != requesterEmail || len(c.Links) != 1 || c.Links[0].Number != tk.Number {
				t.Fatalf("complaint ticket %+v", c)
			}
			pageHas(t, "original after the complaint", anton.get(path), `href="`+complaint+`"`)
			pageLacks(t, "original after the complaint", anton.get(path), `action="`+path+`/complaint"`)
			if a := anton.post(path+"/complaint", nil); a.status != http.StatusConflict {
				t.Fatalf("second complaint: %d, want 409", a.status)
			}
		})
	}
}

// TestFeedbackLinkPage: a link that is not servus's gets a kind 200 page
// in the person's language, and trying links in bulk runs into the limit.
func TestFeedbackLinkPage(t *testing.T) {
	s, _ := newResetSite(t, "sqlite", web.Options{LoginLimit: 3, LoginWindow: time.Minute})
	c := s.client(t)
	a := c.get("/feedback/servus_nosuchlink", "Accept-Language", "en")
	if a.status != http.StatusOK || a.header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("unknown link: %d, Referrer-Policy %q", a.status, a.header.Get("Referrer-Policy"))
	}
	pageHas(t, "unknown link", a, "Rating not possible", "This link is not valid.")
	pageLacks(t, "unknown link", a, `name="rating"`)
	pageHas(t, "unknown link in German", c.get("/feedback/x", "Accept-Language", "de"), "Dieser Link ist nicht gültig.")
	c.get("/feedback/y")
	if a := c.get("/feedback/z", "Accept-Language", "en"); a.status != http.StatusTooManyRequests || a.header.Get("Retry-After") == "" {
		t.Fatalf("fourth unknown link: %d, want 429 with Retry-After", a.status)
	}
	if a := c.post("/feedback/z", url.Values{"rating": {"5"}}); a.status != http.StatusTooManyRequests {
		t.Fatalf("post over the limit: %d, want 429", a.status)
	}
}

// TestComplaintsQueueSetting: admins choose the complaints queue on the
// settings page.
func TestComplaintsQueueSetting(t *testing.T) {
	s, _ := newResetSite(t, "sqlite", web.Options{})
	if _, err := s.svc.CreateUser(context.Background(), access.System, desk.NewUser{Email: "ada@zid.example", Name: "Ada Admin",
		Role: "admin", Password: fixturePassword}); err != nil {
		t.Fatal(err)
	}
	ada := s.signedIn(t, "ada@zid.example")
	pageHas(t, "settings", ada.get("/admin/settings"), `action="/admin/settings/complaints"`, `<option value="Security">Security</option>`)
	if a := ada.post("/admin/settings/complaints", url.Values{"complaints_queue": {"Security"}}); a.status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", a.status, a.body)
	}
	pageHas(t, "settings after saving", ada.get("/admin/settings"), `<option value="Security" selected>Security</option>`)
	if q, _ := s.svc.ComplaintsQueue(context.Background()); q != "Security" {
		t.Fatalf("complaints queue %q", q)
	}
	if a := s.signedIn(t, agentEmail).post("/admin/settings/complaints", url.Values{"complaints_queue": {""}}); a.status != http.StatusNotFound {
		t.Fatalf("agent saves: %d, want 404", a.status)
	}
	if a := ada.post("/admin/settings/complaints", url.Values{"complaints_queue": {"Nirgendwo"}}); a.status != http.StatusNotFound {
		t.Fatalf("unknown queue: %d", a.status)
	}
}
