package desk_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// resolvedFor resolves ticket number as agent anna and returns the
// resolution mail to requester email, claimed from the outbox (and left
// pending).
func resolvedFor(t *testing.T, w *world, number int64, email string) *desk.OutMail {
	t.Helper()
	ctx := context.Background()
	claim(t, w) // whatever came before
	must(w.svc.Act(ctx, w.agentA, number, desk.Action{Name: "resolve"}))
	for _, m := range claim(t, w) {
		if m.Event == desk.NotifyResolved && m.Recipient.Email == email {
			return m
		}
	}
	t.Fatalf("no resolution mail to %s", email)
	return nil
}

// TestFeedbackByLink: the resolution mail to the requester carries a
// one-time link (its token stored only as a hash) and the day the ticket
// closes by itself; the link rates once, with a rating from 1 to 5; then
// it says it was used, and no second rating goes in another way.
func TestFeedbackByLink(t *testing.T) {
	forEachResetWorld(t, func(t *testing.T, w *world, raw *sql.DB) {
		ctx := context.Background()
		tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Drucker", Description: "Er druckt nicht.",
			CC: []string{"bob@example.org"}}))
		m := resolvedFor(t, w, tk.Number, "alice@example.org")
		if m.Feedback == nil || m.Feedback.Token == "" {
			t.Fatalf("resolution mail to the requester: no feedback link")
		}
		wantClose := w.clock.Now().Add(14 * 24 * time.Hour)
		if m.AutoCloseAt == nil || !m.AutoCloseAt.Equal(wantClose) {
			t.Fatalf("auto-close day: got %v, want %v", m.AutoCloseAt, wantClose)
		}
		if want := wantClose.Add(desk.DefaultFeedbackGrace); !m.Feedback.Expires.Equal(want) {
			t.Errorf("link expires %v, want %v", m.Feedback.Expires, want)
		}
		token := m.Feedback.Token
		if n := countRows(t, raw, "SELECT COUNT(*) FROM feedback_links WHERE token_hash = '"+token+"'"); n != 0 {
			t.Fatalf("the raw token is stored as the link's hash")
		}
		if n := countRows(t, raw, "SELECT COUNT(*) FROM feedback_links"); n != 1 {
			t.Fatalf("%d feedback links, want 1 (the CC gets none)", n)
		}
		// Only the requester's mail has a link.
		must(w.svc.Act(ctx, w.agentA, tk.Number, desk.Action{Name: "reopen"}))
		must(w.svc.Act(ctx, w.agentA, tk.Number, desk.Action{Name: "resolve"}))
		for _, x := range claim(t, w) {
			if x.Recipient.Email == "bob@example.org" && x.Feedback != nil {
				t.Errorf("the CC's resolution mail carries a feedback link")
			}
		}

		info := must(w.svc.CheckFeedbackLink(ctx, token))
		if info.Number != tk.Number || info.Subject != "Drucker" {
			t.Fatalf("link info %+v", info)
		}
		if _, err := w.svc.RateByLink(ctx, token, 6, ""); ticket.ErrorCode(err) != ticket.EINVALID {
			t.Fatalf("rating 6: got %v, want EINVALID", err)
		}
		if _, err := w.svc.RateByLink(ctx, token, 0, ""); ticket.ErrorCode(err) != ticket.EINVALID {
			t.Fatalf("rating 0: got %v, want EINVALID", err)
		}
		if _, err := w.svc.RateByLink(ctx, "sv_nonsense", 3, ""); desk.FeedbackRefusal(err) != desk.FeedbackLinkUnknown {
			t.Fatalf("unknown link: got %v", err)
		}
		must(w.svc.RateByLink(ctx, token, 2, "  Hat eine Woche gedauert.  "))
		_, err := w.svc.RateByLink(ctx, token, 5, "")
		if desk.FeedbackRefusal(err) != desk.FeedbackLinkUsed || ticket.ErrorCode(err) != ticket.ECONFLICT {
			t.Fatalf("second use: got %v, want the used refusal", err)
		}
		if _, err := w.svc.CheckFeedbackLink(ctx, token); desk.FeedbackRefusal(err) != desk.FeedbackLinkUsed {
			t.Fatalf("check after use: got %v", err)
		}
		if _, err := w.svc.Rate(ctx, w.alice, tk.Number, 5, "", desk.FeedbackByPortal); ticket.ErrorCode(err) != ticket.ECONFLICT ||
			ticket.ErrorProblems(err)["ticket"].Reason != "problem.feedback_given" {
			t.Fatalf("portal after the link: got %v, want ECONFLICT problem.feedback_given", err)
		}
		for _, a := range []struct {
			name string
			who  func() *desk.Feedback
		}{
			{"agent", func() *desk.Feedback { return must(w.svc.TicketFeedback(ctx, w.agentA, tk.Number)) }},
			{"requester", func() *desk.Feedback { return must(w.svc.TicketFeedback(ctx, w.alice, tk.Number)) }},
		} {
			f := a.who()
			if f == nil || f.Rating != 2 || f.Comment != "Hat eine Woche gedauert." || f.Channel != desk.FeedbackByLink {
				t.Errorf("%s sees %+v, want 2, the trimmed comment, by link", a.name, f)
			}
		}
		// The CC sees the ticket, not the rating.
		if f := must(w.svc.TicketFeedback(ctx, w.bob, tk.Number)); f != nil {
			t.Errorf("the CC sees the rating %+v", f)
		}
		if n := countRows(t, raw, "SELECT COUNT(*) FROM feedback"); n != 1 {
			t.Fatalf("%d ratings stored, want 1", n)
		}
	})
}

// TestFeedbackLinkRefusals: an expired link, one of a reopened ticket and
// one of a ticket rated in the portal each say why; a link of an
// auto-closed ticket still rates.
func TestFeedbackLinkRefusals(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		var tokens []string
		for range 4 {
			tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "s", Description: "d"}))
			tokens = append(tokens, resolvedFor(t, w, tk.Number, "alice@example.org").Feedback.Token)
		}
		// 2 is reopened, 3 rated in the portal.
		must(w.svc.Act(ctx, w.alice, 2, desk.Action{Name: "reopen"}))
		must(w.svc.Rate(ctx, w.alice, 3, 4, "", desk.FeedbackByPortal))
		if _, err := w.svc.CheckFeedbackLink(ctx, tokens[1]); desk.FeedbackRefusal(err) != desk.FeedbackLinkReopened {
			t.Errorf("reopened: got %v", err)
		}
		if _, err := w.svc.CheckFeedbackLink(ctx, tokens[2]); desk.FeedbackRefusal(err) != desk.FeedbackLinkRated {
			t.Errorf("rated in the portal: got %v", err)
		}
		// After auto-close the link still works, until 30 days later.
		w.clock.Add(15 * 24 * time.Hour)
		if n := must(w.svc.AutoClose(ctx, 14*24*time.Hour)); n != 3 { // 1, 3 (rated, still resolved) and 4
			t.Fatalf("auto-closed %d, want 3", n)
		}
		must(w.svc.CheckFeedbackLink(ctx, tokens[0]))
		w.clock.Add(29*24*time.Hour + time.Minute)
		_, err := w.svc.RateByLink(ctx, tokens[0], 5, "")
		if desk.FeedbackRefusal(err) != desk.FeedbackLinkExpired || ticket.ErrorCode(err) != ticket.ECONFLICT {
			t.Fatalf("expired: got %v", err)
		}
		w.clock.Add(-2 * time.Minute) // a minute before the end: ticket 4 was auto-closed, its link rates
		must(w.svc.RateByLink(ctx, tokens[3], 5, ""))
	})
}

// TestFeedbackWhoRates: only the requester rates (staff are refused, a
// stranger does not see the ticket), once, a resolved ticket only, 1 to 5.
func TestFeedbackWhoRates(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "s", Description: "d"}))
		_, err := w.svc.Rate(ctx, w.alice, tk.Number, 5, "", desk.FeedbackByAPI)
		wantCode(t, err, ticket.ECONFLICT) // not resolved yet
		must(w.svc.Act(ctx, w.agentA, tk.Number, desk.Action{Name: "resolve"}))
		for _, c := range []struct {
			name string
			err  error
			code string
		}{
			{"agent of the queue", second(w.svc.Rate(ctx, w.agentA, tk.Number, 5, "", desk.FeedbackByAPI)), ticket.EFORBIDDEN},
			{"admin", second(w.svc.Rate(ctx, w.admin, tk.Number, 5, "", desk.FeedbackByAPI)), ticket.EFORBIDDEN},
			{"stranger", second(w.svc.Rate(ctx, w.bob, tk.Number, 5, "", desk.FeedbackByAPI)), ticket.ENOTFOUND},
			{"rating 7", second(w.svc.Rate(ctx, w.alice, tk.Number, 7, "", desk.FeedbackByAPI)), ticket.EINVALID},
			{"comment too long", second(w.svc.Rate(ctx, w.alice, tk.Number, 3, strings.Repeat("x", desk.MaxFeedbackComment+1), desk.FeedbackByAPI)), ticket.EINVALID},
		} {
			if got := ticket.ErrorCode(c.err); got != c.code {
				t.Errorf("%s: got %v, want %s", c.name, c.err, c.code)
			}
		}
		tv := must(w.svc.TicketView(ctx, w.alice, tk.Number))
		if !tv.Feedback.CanRate || tv.Feedback.Given != nil {
			t.Fatalf("requester's view before rating: %+v", tv.Feedback)
		}
		if tv := must(w.svc.TicketView(ctx, w.agentA, tk.Number)); tv.Feedback.CanRate {
			t.Fatalf("staff may rate on the page")
		}
		f := must(w.svc.Rate(ctx, w.alice, tk.Number, 4, "ok", desk.FeedbackByAPI))
		if f.Rating != 4 || f.Channel != "api" {
			t.Fatalf("got %+v", f)
		}
		wantCode(t, second(w.svc.Rate(ctx, w.alice, tk.Number, 4, "", desk.FeedbackByPortal)), ticket.ECONFLICT)
		if tv := must(w.svc.TicketView(ctx, w.alice, tk.Number)); tv.Feedback.CanRate || tv.Feedback.Given == nil {
			t.Fatalf("requester's view after rating: %+v", tv.Feedback)
		}
	})
}

// TestComplaintFromRating: a low rating with a comment becomes a complaint
// ticket in the complaints queue with one action of a member of the
// ticket's queue: same requester, linked to the original, audited, once.
// Without a complaints queue, and for a good rating, there is no such
// action.
func TestComplaintFromRating(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		low := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "VPN", Description: "d"}))
		good := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "WLAN", Description: "d"}))
		for _, n := range []int64{low.Number, good.Number} {
			must(w.svc.Act(ctx, w.agentA, n, desk.Action{Name: "resolve"}))
		}
		must(w.svc.Rate(ctx, w.alice, low.Number, 1, "Niemand hat sich gemeldet.", desk.FeedbackByPortal))
		must(w.svc.Rate(ctx, w.alice, good.Number, 5, "Super", desk.FeedbackByPortal))

		if tv := must(w.svc.TicketView(ctx, w.agentA, low.Number)); tv.Feedback.CanComplain {
			t.Fatalf("complaint offered without a complaints queue")
		}
		wantCode(t, second(w.svc.TurnIntoComplaint(ctx, w.agentA, low.Number)), ticket.ECONFLICT)

		must(w.svc.CreateQueue(ctx, w.admin, desk.NewQueue{Name: "Lob und Beschwerde"}))
		wantCode(t, w.svc.SetComplaintsQueue(ctx, w.agentA, "Lob und Beschwerde"), ticket.EFORBIDDEN)
		wantCode(t, w.svc.SetComplaintsQueue(ctx, w.admin, "Nirgendwo"), ticket.ENOTFOUND)
		if err := w.svc.SetComplaintsQueue(ctx, w.admin, "Lob und Beschwerde"); err != nil {
			t.Fatal(err)
		}
		if q := must(w.svc.ComplaintsQueue(ctx)); q != "Lob und Beschwerde" {
			t.Fatalf("complaints queue %q", q)
		}
		if tv := must(w.svc.TicketView(ctx, w.agentA, good.Number)); tv.Feedback.CanComplain {
			t.Errorf("complaint offered for a rating of 5")
		}
		if tv := must(w.svc.TicketView(ctx, w.agentB, low.Number)); tv.Feedback.CanComplain || tv.Feedback.Given == nil {
			t.Errorf("non-member: %+v, want the rating without the complaint button", tv.Feedback)
		}
		if tv := must(w.svc.TicketView(ctx, w.alice, low.Number)); tv.Feedback.CanComplain {
			t.Errorf("requester offered the complaint button")
		}
		tv := must(w.svc.TicketView(ctx, w.agentA, low.Number))
		if !tv.Feedback.CanComplain || tv.Feedback.ComplaintsQueue != "Lob und Beschwerde" {
			t.Fatalf("member: %+v, want the complaint button", tv.Feedback)
		}
		wantCode(t, second(w.svc.TurnIntoComplaint(ctx, w.agentB, low.Number)), ticket.EFORBIDDEN)
		wantCode(t, second(w.svc.TurnIntoComplaint(ctx, w.agentA, good.Number)), ticket.ECONFLICT)

		c := must(w.svc.TurnIntoComplaint(ctx, w.agentA, low.Number))
		if c.Queue != "Lob und Beschwerde" || c.Requester != "alice@example.org" || !strings.Contains(c.Subject, "#1") ||
			!strings.Contains(c.Subject, "VPN") {
			t.Fatalf("complaint %+v", c)
		}
		entries := must(w.svc.Entries(ctx, w.admin, c.Number))
		if !strings.Contains(entries[0].Body, "Niemand hat sich gemeldet.") || !strings.Contains(entries[0].Body, "1") {
			t.Errorf("complaint's description %q", entries[0].Body)
		}
		orig := must(w.svc.Ticket(ctx, w.agentA, low.Number))
		if len(orig.Links) != 1 || orig.Links[0].Number != c.Number {
			t.Errorf("original's links %+v, want the complaint", orig.Links)
		}
		if f := must(w.svc.TicketFeedback(ctx, w.agentA, low.Number)); f.Complaint != c.Number {
			t.Errorf("rating names complaint %d, want %d", f.Complaint, c.Number)
		}
		wantCode(t, second(w.svc.TurnIntoComplaint(ctx, w.agentA, low.Number)), ticket.ECONFLICT)
		if tv := must(w.svc.TicketView(ctx, w.agentA, low.Number)); tv.Feedback.CanComplain {
			t.Errorf("complaint button still offered after the complaint")
		}
		log := must(w.svc.AuditLog(ctx, w.admin, desk.AuditFilter{Action: "feedback.complaint"}, 1, 10))
		if log.Total != 1 {
			t.Errorf("%d feedback.complaint audit rows, want 1", log.Total)
		}
	})
}
