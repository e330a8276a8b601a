package desk_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// queueFixture fills w with tickets in every state: in Servicedesk one new
// and unassigned, one open taken by agent A, one waiting (a question), one
// new and overdue, one resolved without assignee, one closed; in Security
// (confidential) one new, one overdue and one that agent B made
// non-confidential. The clock stands two hours later than the due dates.
func queueFixture(t *testing.T, w *world) {
	t.Helper()
	ctx := context.Background()
	due := w.clock.Now().Add(time.Hour)
	mk := func(queue, subject string, due *time.Time) *ticket.Ticket {
		return must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: queue, Subject: subject, Description: "text", Due: due}))
	}
	act := func(a access.Actor, tk *ticket.Ticket, name string) {
		t.Helper()
		if _, err := w.svc.Act(ctx, a, tk.Number, desk.Action{Name: name}); err != nil {
			t.Fatalf("%s #%d: %v", name, tk.Number, err)
		}
	}
	mk("Servicedesk", "Printer new", nil)
	act(w.agentA, mk("Servicedesk", "Printer taken", nil), "take")
	waiting := mk("Servicedesk", "Printer waiting", nil)
	act(w.agentA, waiting, "take")
	must(w.svc.AddEntry(ctx, w.agentA, waiting.Number, desk.NewEntry{Kind: ticket.KindQuestion, Body: "Which room?"}))
	mk("Servicedesk", "Printer late", &due)
	act(w.agentA, mk("Servicedesk", "Printer resolved", nil), "resolve")
	closed := mk("Servicedesk", "Printer closed", nil)
	act(w.agentA, closed, "resolve")
	act(w.alice, closed, "close")
	mk("Security", "Phishing", nil)
	mk("Security", "Phishing late", &due)
	open := mk("Security", "Scanner report", nil)
	if _, err := w.svc.UpdateTicket(ctx, w.agentB, open.Number, desk.Patch{Version: open.Version, Confidential: new(bool)}); err != nil {
		t.Fatal(err)
	}
	w.clock.Add(2 * time.Hour)
}

// TestQueueOverview: every queue with its counts under the viewer's
// visibility, their own queues first; a confidential ticket is counted only
// for the queue's members; requesters get not found.
func TestQueueOverview(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		queueFixture(t, w)
		overview := func(a access.Actor) map[string]desk.QueueCounts {
			qs := must(w.svc.QueueOverview(ctx, a))
			out := map[string]desk.QueueCounts{}
			var order []string
			for _, q := range qs {
				out[q.Queue.Name] = q.Counts
				order = append(order, fmt.Sprintf("%s:%v", q.Queue.Name, q.Member))
			}
			if a.UserID == w.agentB.UserID && !slices.Equal(order, []string{"Security:true", "Servicedesk:false"}) {
				t.Errorf("agent B's order: %v, want own queue first", order)
			}
			return out
		}
		sd := desk.QueueCounts{New: 2, Open: 1, Waiting: 1, Resolved: 1, Unassigned: 3, Overdue: 1}
		for _, tc := range []struct {
			name string
			who  access.Actor
			want map[string]desk.QueueCounts
		}{
			// Anna (Servicedesk) sees only the Security ticket made non-confidential.
			{"member of Servicedesk", w.agentA, map[string]desk.QueueCounts{"Servicedesk": withMine(sd, 2), "Security": {New: 1, Unassigned: 1}}},
			{"member of Security", w.agentB, map[string]desk.QueueCounts{"Servicedesk": sd, "Security": {New: 3, Unassigned: 3, Overdue: 1}}},
			{"admin in no queue", w.admin, map[string]desk.QueueCounts{"Servicedesk": sd, "Security": {New: 1, Unassigned: 1}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if diff := cmp.Diff(tc.want, overview(tc.who)); diff != "" {
					t.Errorf("counts (-want +got):\n%s", diff)
				}
			})
		}
		_, err := w.svc.QueueOverview(ctx, w.alice)
		wantCode(t, err, ticket.ENOTFOUND)
	})
}

func withMine(c desk.QueueCounts, n int) desk.QueueCounts { c.Mine = n; return c }

// TestQueueTabsAgreeWithSearch: each tab's count is the total of its search
// filter (written as a query, read back and searched), for members,
// non-members and admins alike, on every queue.
func TestQueueTabsAgreeWithSearch(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		queueFixture(t, w)
		for _, a := range []access.Actor{w.agentA, w.agentB, w.admin} {
			for _, queue := range []string{"Servicedesk", "security"} {
				det := must(w.svc.QueueDetail(ctx, a, queue))
				nonzero := 0
				for _, tab := range desk.QueueTabs() {
					tf, ok := desk.QueueTab(det.Queue.Name, tab)
					if !ok {
						t.Fatalf("tab %s has no query", tab)
					}
					query := tf.Encode(time.UTC)
					f, err := ticket.ParseFilterQuery(query, time.UTC)
					if err != nil {
						t.Fatalf("%s: %v", query, err)
					}
					page := must(w.svc.Search(ctx, a, f))
					if got := det.Counts.Tab(tab); got != page.Total {
						t.Errorf("%s, %s, tab %s: count %d, search total %d", a.Email, queue, tab, got, page.Total)
					}
					nonzero += page.Total
				}
				if nonzero == 0 && (queue == "Servicedesk" || a.Member(det.Queue.ID)) {
					t.Errorf("%s, %s: every tab is empty; the fixture is not seen", a.Email, queue)
				}
			}
		}
		det := must(w.svc.QueueDetail(ctx, w.agentA, "Servicedesk"))
		want := desk.QueueCounts{New: 2, Open: 1, Waiting: 1, Resolved: 1, Closed: 1, Unassigned: 3, Overdue: 1, Mine: 2}
		if diff := cmp.Diff(want, det.Counts); diff != "" || !det.Member || len(det.Members) != 1 || det.Members[0][1] != "Anna Agent" {
			t.Errorf("Servicedesk for agent A: member %v, members %v, counts (-want +got):\n%s", det.Member, det.Members, diff)
		}
		_, err := w.svc.QueueDetail(ctx, w.agentA, "Nowhere")
		wantCode(t, err, ticket.ENOTFOUND)
		_, err = w.svc.QueueDetail(ctx, w.alice, "Servicedesk")
		wantCode(t, err, ticket.ENOTFOUND)
		if _, ok := desk.QueueTab("Servicedesk", "everything"); ok {
			t.Error("an unknown tab has a query")
		}
	})
}

// TestParseFilterQuery: the filter language as the search page, queue views
// and saved filters read it (ticket.ParseFilterQuery, without paging) and
// as the search resolves it for a person (desk.ResolveFilter): canonical
// query, me/none, whole days in the zone, overdue.
func TestParseFilterQuery(t *testing.T) {
	vienna, err := time.LoadLocation("Europe/Vienna")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	now := time.Date(2026, 3, 29, 12, 0, 0, 0, time.UTC) // the day summer time starts in Vienna
	me := access.Actor{UserID: 7, Email: "anna@example.org", Role: ticket.RoleAgent}
	day := func(y, m, d int) *time.Time { t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, vienna); return &t }
	nowUTC := now
	active := []ticket.State{ticket.StateNew, ticket.StateOpen, ticket.StateWaiting}
	for _, tc := range []struct {
		query string
		want  ticket.Filter
		canon string
		bad   string // the invalid field, "" for none
	}{
		{"", ticket.Filter{}, "", ""},
		{"q=+drucker+&page=3&colour=red", ticket.Filter{Q: "drucker"}, "q=drucker", ""},
		{"state=new&state=&state=open&queue=Servicedesk", ticket.Filter{Queue: "Servicedesk", States: []ticket.State{"new", "open"}},
			"queue=Servicedesk&state=new&state=open", ""},
		{"assignee=me&priority=urgent&sort=-due", ticket.Filter{Assignee: "anna@example.org", Priority: ticket.PriorityUrgent, Sort: "-due"},
			"assignee=me&priority=urgent&sort=-due", ""},
		{"assignee=none", ticket.Filter{Assignee: "none"}, "assignee=none", ""},
		{"created_after=2026-03-29&created_before=2026-03-29", ticket.Filter{CreatedAfter: day(2026, 3, 29), CreatedBefore: day(2026, 3, 30)},
			"created_after=2026-03-29&created_before=2026-03-29", ""},
		{"overdue=1", ticket.Filter{States: active, DueBefore: &nowUTC}, "overdue=1", ""},
		{"overdue=on&state=waiting&state=closed", ticket.Filter{States: []ticket.State{"waiting"}, DueBefore: &nowUTC}, "overdue=1&state=waiting&state=closed", ""},
		{"overdue=0&state=closed", ticket.Filter{States: []ticket.State{"closed"}}, "state=closed", ""},
		{"overdue=1&state=closed", ticket.Filter{DueBefore: &nowUTC}, "overdue=1&state=closed", "state"},
		{"overdue=maybe", ticket.Filter{}, "overdue=maybe", "overdue"},
		{"created_after=yesterday", ticket.Filter{}, "created_after=yesterday", "created_after"},
		{"%zz", ticket.Filter{}, "", "query"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			parse := func(query string) (ticket.Filter, string, error) {
				f, err := ticket.ParseFilterQuery(query, vienna)
				f.Page, f.PerPage = 0, 0
				return desk.ResolveFilter(me, f, now), f.Encode(vienna), err
			}
			f, canon, err := parse(tc.query)
			if tc.bad != "" {
				if _, ok := ticket.ErrorFields(err)[tc.bad]; !ok || ticket.ErrorCode(err) != ticket.EINVALID {
					t.Fatalf("got error %v, want EINVALID on %s", err, tc.bad)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if canon != tc.canon {
				t.Errorf("canonical query: got %q, want %q", canon, tc.canon)
			}
			if diff := cmp.Diff(tc.want, f); diff != "" {
				t.Errorf("filter (-want +got):\n%s", diff)
			}
			// The canonical query means the same filter.
			again, canon2, err := parse(canon)
			if err != nil || canon2 != canon || !cmp.Equal(again, f) {
				t.Errorf("reparsing %q: %v, %q, %v", canon, again, canon2, err)
			}
		})
	}
	if _, err := url.ParseQuery("%zz"); err == nil {
		t.Fatal("the malformed case is not malformed")
	}
}
