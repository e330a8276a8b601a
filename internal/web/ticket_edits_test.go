package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
	"github.com/servus-desk/servus/internal/web"
)

// versionOf reads the version a ticket page's forms carry.
func versionOf(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no version on the page")
	}
	return m[1]
}

// TestRequesterEditsOnTheWeb: a requester edits their own ticket's
// fields and description on its page; every earlier description is shown;
// making it public again is the queue's business.
func TestRequesterEditsOnTheWeb(t *testing.T) {
	forEachDB(t, func(t *testing.T, dialect string) {
		s, _ := newSiteOn(t, dialect, web.Options{})
		ctx := context.Background()
		tk, err := s.svc.CreateTicket(ctx, s.actor(t, requesterEmail), desk.NewTicket{Queue: "Servicedesk",
			Subject: "Printer", Description: "It prints blank pages.", Channel: ticket.ChannelWeb})
		if err != nil {
			t.Fatal(err)
		}
		path := "/tickets/" + strconv.FormatInt(tk.Number, 10)
		rita := s.signedIn(t, requesterEmail)
		page := rita.get(path).body
		for _, want := range []string{"Edit your request", `id="edit-description"`, "It prints blank pages.</textarea>", `name="confidential_shown"`} {
			if !strings.Contains(page, want) {
				t.Fatalf("requester's page lacks %q", want)
			}
		}
		if strings.Contains(page, `id="edit-cc"`) || strings.Contains(page, "/split") {
			t.Fatal("requester's page offers CC or split")
		}
		a := rita.post(path+"/edit", url.Values{"version": {versionOf(t, page)}, "subject": {"Printer 3.14"},
			"description": {"It prints blank pages in room 3.14."}, "priority": {"high"}, "due": {""}, "due_shown": {""},
			"confidential_shown": {"1"}, "confidential": {"1"}})
		if a.status != http.StatusSeeOther {
			t.Fatalf("requester's edit: got %d, want 303\n%s", a.status, a.body)
		}
		page = rita.get(path).body
		for _, want := range []string{"Printer 3.14", "It prints blank pages in room 3.14.", "Earlier versions (1)", "It prints blank pages.",
			"changed the description", "Only the queue&#39;s members can make it public again."} {
			if !strings.Contains(page, want) {
				t.Errorf("after the edit the page lacks %q", want)
			}
		}
		if strings.Contains(page, `name="confidential_shown"`) {
			t.Error("the requester's form still offers to make the ticket public")
		}
		// Sent anyway, making it public is refused.
		a = rita.post(path+"/edit", url.Values{"version": {versionOf(t, page)}, "confidential_shown": {"1"}})
		if a.status != http.StatusForbidden || !strings.Contains(html.UnescapeString(a.body), "Only the members of its queue make a confidential ticket public again.") {
			t.Fatalf("requester makes it public: got %d, want 403 with the reason\n%s", a.status, a.body)
		}

		// The agent edits the description too, and makes it public.
		anton := s.signedIn(t, agentEmail)
		page = anton.get(path).body
		a = anton.post(path+"/edit", url.Values{"version": {versionOf(t, page)}, "subject": {"Printer 3.14"},
			"description": {"Blank pages; toner is full."}, "priority": {"high"}, "due": {""}, "due_shown": {""}, "cc": {""},
			"confidential_shown": {"1"}})
		if a.status != http.StatusSeeOther {
			t.Fatalf("agent's edit: got %d, want 303\n%s", a.status, a.body)
		}
		page = anton.get(path).body
		if !strings.Contains(page, "Frühere Fassungen (2)") || !strings.Contains(page, "hat die Beschreibung geändert") {
			t.Errorf("agent's page lacks the two earlier versions")
		}
		if got, _ := s.svc.Ticket(ctx, access.System, tk.Number); got.Confidential {
			t.Error("the member's edit left the ticket confidential")
		}

		// Closed: the form is gone and an edit is refused with the reason.
		if _, err := s.svc.Act(ctx, s.actor(t, requesterEmail), tk.Number, desk.Action{Name: "withdraw"}); err != nil {
			t.Fatal(err)
		}
		page = rita.get(path).body
		if strings.Contains(page, `id="edit-description"`) {
			t.Error("a closed ticket still shows the edit form")
		}
		a = rita.post(path+"/edit", url.Values{"version": {versionOf(t, page)}, "subject": {"again"}})
		if a.status != http.StatusConflict || !strings.Contains(a.body, "is closed and can no longer be edited") {
			t.Fatalf("editing a closed ticket: got %d, want 409 with the reason", a.status)
		}
		// She may still make it confidential, with the one button left.
		if !strings.Contains(page, "Make confidential") {
			t.Fatal("the closed ticket's page lacks the button to make it confidential")
		}
		a = rita.post(path+"/edit", url.Values{"version": {versionOf(t, page)}, "confidential_shown": {"1"}, "confidential": {"1"}})
		if a.status != http.StatusSeeOther {
			t.Fatalf("making the closed ticket confidential: got %d\n%s", a.status, a.body)
		}
		if got, _ := s.svc.Ticket(ctx, access.System, tk.Number); !got.Confidential {
			t.Error("the closed ticket is not confidential")
		}
		if strings.Contains(rita.get(path).body, "Make confidential") {
			t.Error("the button stays once the ticket is confidential")
		}
	})
}

// TestTimeSpentAndSplitOnTheWeb: the queue's setting on the admin page,
// the minutes on the comment form and their sum; splitting entries off
// into a new ticket; unlinking.
func TestTimeSpentAndSplitOnTheWeb(t *testing.T) {
	forEachDB(t, func(t *testing.T, dialect string) {
		s, _ := newSiteOn(t, dialect, web.Options{})
		ctx := context.Background()
		admin := withAdmin(t, s)
		var qid int64
		qs, err := s.svc.Queues(ctx, access.System)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range qs {
			if q.Name == "Servicedesk" {
				qid = q.ID
			}
		}
		qpath := "/admin/queues/" + strconv.FormatInt(qid, 10)
		if b := admin.get(qpath).body; !strings.Contains(b, `name="time_spent"`) || !strings.Contains(b, `<option value="off" selected>`) {
			t.Fatalf("the queue page lacks the time spent setting")
		}
		if a := admin.post(qpath, url.Values{"name": {"Servicedesk"}, "time_spent": {"sometimes"}}); a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, "off, optional") {
			t.Fatalf("bad setting: got %d, want 422 naming the choices", a.status)
		}
		if a := admin.post(qpath, url.Values{"name": {"Servicedesk"}, "time_spent": {"required"}}); a.status != http.StatusSeeOther {
			t.Fatalf("setting required: got %d, want 303\n%s", a.status, a.body)
		}

		rita := s.actor(t, requesterEmail)
		tk, err := s.svc.CreateTicket(ctx, rita, desk.NewTicket{Queue: "Servicedesk", Subject: "Printer and laptop",
			Description: "Both broken.", Channel: ticket.ChannelWeb})
		if err != nil {
			t.Fatal(err)
		}
		laptop, err := s.svc.AddEntry(ctx, rita, tk.Number, desk.NewEntry{Kind: ticket.KindComment, Body: "The laptop does not start."})
		if err != nil {
			t.Fatal(err)
		}
		path := "/tickets/" + strconv.FormatInt(tk.Number, 10)
		anton := s.signedIn(t, agentEmail)
		page := anton.get(path).body
		if !strings.Contains(page, `name="time_spent"`) || !strings.Contains(page, "Pflicht in dieser Queue") {
			t.Fatal("the comment form lacks the required time spent")
		}
		for _, tc := range []struct{ minutes, want string }{{"", "ist in der Queue Servicedesk Pflicht"}, {"abc", "ganze Zahl von Minuten"},
			{"1440", "von 1 bis 1439"}, {"0", "von 1 bis 1439"}} {
			a := anton.post(path+"/entries", url.Values{"kind": {"comment"}, "body": {"Toner changed"}, "visibility": {"public"}, "time_spent": {tc.minutes}})
			if a.status != http.StatusBadRequest || !strings.Contains(html.UnescapeString(a.body), tc.want) {
				t.Errorf("time spent %q: got %d, want 400 saying %q", tc.minutes, a.status, tc.want)
			}
			if !strings.Contains(a.body, "Toner changed</textarea>") {
				t.Errorf("time spent %q: the text typed is lost", tc.minutes)
			}
		}
		if a := anton.post(path+"/entries", url.Values{"kind": {"comment"}, "body": {"Toner changed"}, "visibility": {"public"}, "time_spent": {"85"}}); a.status != http.StatusSeeOther {
			t.Fatalf("comment with time: got %d\n%s", a.status, a.body)
		}
		page = anton.get(path).body
		if !strings.Contains(page, `<dd class="time-spent-sum">1 h 25 min</dd>`) || !strings.Contains(page, "Zeitaufwand: 1 h 25 min") {
			t.Error("the page lacks the time spent")
		}

		// Split: the requester's comment moves to a new ticket.
		if !strings.Contains(page, `name="entries" value="`+strconv.FormatInt(laptop.ID, 10)+`" form="split-form"`) {
			t.Fatal("the laptop comment cannot be chosen for a split")
		}
		if a := s.signedIn(t, requesterEmail).post(path+"/split", url.Values{"entries": {strconv.FormatInt(laptop.ID, 10)}}); a.status != http.StatusNotFound {
			t.Fatalf("requester splits: got %d, want the 404 page", a.status)
		}
		a := anton.post(path+"/split", url.Values{"version": {versionOf(t, page)}})
		if a.status != http.StatusBadRequest || !strings.Contains(html.UnescapeString(a.body), "wählen Sie mindestens einen Eintrag") {
			t.Fatalf("split nothing: got %d, want 400 with the problem\n%s", a.status, a.body)
		}
		a = anton.post(path+"/split", url.Values{"version": {versionOf(t, page)}, "entries": {strconv.FormatInt(laptop.ID, 10)}, "subject": {"Laptop"}})
		if a.status != http.StatusSeeOther || !strings.HasPrefix(a.header.Get("Location"), "/tickets/") || a.header.Get("Location") == path {
			t.Fatalf("split: got %d to %q, want 303 to the new ticket\n%s", a.status, a.header.Get("Location"), a.body)
		}
		npath := a.header.Get("Location")
		page = anton.get(npath).body
		for _, want := range []string{"Laptop", "The laptop does not start.", "hat das Ticket aus #" + strconv.FormatInt(tk.Number, 10) + " abgetrennt", `href="` + path + `"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the new ticket's page lacks %q", want)
			}
		}
		if strings.Contains(anton.get(path).body, "The laptop does not start.") {
			t.Error("the comment is still on the old ticket")
		}

		// Unlink beside the link.
		nnum := strings.TrimPrefix(npath, "/tickets/")
		if !strings.Contains(page, `action="`+npath+`/unlink"`) {
			t.Fatal("no unlink button beside the link")
		}
		if a := anton.post(npath+"/unlink", url.Values{"target": {strconv.FormatInt(tk.Number, 10)}, "link_kind": {"related"}}); a.status != http.StatusSeeOther {
			t.Fatalf("unlink: got %d\n%s", a.status, a.body)
		}
		if got, _ := s.svc.Ticket(ctx, access.System, tk.Number); len(got.Links) != 0 {
			t.Errorf("after unlink #%d still has links %v (the other is #%s)", tk.Number, got.Links, nnum)
		}
		if a := anton.post(npath+"/unlink", url.Values{"target": {strconv.FormatInt(tk.Number, 10)}, "link_kind": {"related"}}); a.status != http.StatusNotFound {
			t.Errorf("unlink twice: got %d, want 404", a.status)
		}
	})
}
