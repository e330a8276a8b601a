package desk_test

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/bizhours"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// reportWorld makes a small March 2026 in Servicedesk (Mon–Fri 08:00–17:00
// in Vienna, first response target 4 hours, resolution 27 hours) and one
// confidential ticket in Security, and brings the reports up to date. It
// returns the ticket numbers: first the paused one, then five quick ones
// (the last of them reopened once), then the Security one.
func reportWorld(t *testing.T, w *world) []int64 {
	t.Helper()
	ctx := context.Background()
	setTargets(t, w, "Servicedesk", 4*60, 27*60)
	optional := ticket.TimeSpentOptional
	must(w.svc.UpdateQueue(ctx, w.admin, "Servicedesk", desk.QueuePatch{TimeSpent: &optional}))
	var nums []int64
	at := func(s string) { w.clock.t = wien(t, s) }
	msg := func(a access.Actor, n int64, kind ticket.Kind, spent int) {
		must(w.svc.AddEntry(ctx, a, n, desk.NewEntry{Kind: kind, Body: "Antwort", Visibility: ticket.VisibilityPublic, TimeSpent: spent}))
	}
	act := func(a access.Actor, n int64, name string) { must(w.svc.Act(ctx, a, n, desk.Action{Name: name})) }

	// 1: asked back after an hour, waits Mon 11:00 – Thu 12:00 (28
	// business hours), resolved the Tuesday after at 11:30: 55.5 business
	// hours less 28 = 27.5 h = 1650 minutes, half an hour late.
	p := openAt(t, w, "2026-03-02 10:00", "Servicedesk")
	nums = append(nums, p.Number)
	at("2026-03-02 11:00")
	msg(w.agentA, p.Number, ticket.KindQuestion, 10)
	at("2026-03-05 12:00")
	msg(w.alice, p.Number, ticket.KindAnswer, 0)
	at("2026-03-10 11:30")
	act(w.agentA, p.Number, "resolve")

	// 2–6: answered after 30 minutes, resolved after 3 hours.
	for range 5 {
		q := openAt(t, w, "2026-03-02 09:00", "Servicedesk")
		nums = append(nums, q.Number)
		at("2026-03-02 09:30")
		msg(w.agentA, q.Number, ticket.KindMessage, 20)
		at("2026-03-02 12:00")
		act(w.agentA, q.Number, "resolve")
	}
	// 6 is reopened Tuesday 09:00 and resolved again at 10:00: Mon 9–17
	// and Tue 8–10 less the time resolved (Mon 12–17, Tue 8–9) = 240.
	last := nums[len(nums)-1]
	at("2026-03-03 09:00")
	act(w.alice, last, "reopen")
	at("2026-03-03 10:00")
	act(w.agentA, last, "resolve")
	// Ratings 5, 5, 4, 3, 1 (the paused ticket is not rated).
	for i, r := range []int{5, 5, 4, 3, 1} {
		must(w.svc.Rate(ctx, w.alice, nums[1+i], r, "", "portal"))
	}
	// 7: a confidential ticket in Security.
	s := openAt(t, w, "2026-03-04 14:00", "Security")
	nums = append(nums, s.Number)
	if _, done, err := w.svc.RefreshReports(ctx, 0); err != nil || !done {
		t.Fatalf("RefreshReports: done %v, %v", done, err)
	}
	return nums
}

func reportQuery(t *testing.T, raw string) desk.ReportQuery {
	t.Helper()
	q, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatal(err)
	}
	rq, err := desk.ParseReportQuery(q, bizhours.Date{Year: 2026, Month: 3, Day: 31})
	if err != nil {
		t.Fatalf("ParseReportQuery(%s): %v", raw, err)
	}
	return rq
}

func TestReportFactsInBusinessTime(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		nums := reportWorld(t, w)
		var facts map[int64]*store.ReportFact
		ids := map[int64]int64{}
		err := w.db.Read(ctx, func(tx *store.Tx) error {
			var list []int64
			for _, n := range nums {
				tk, err := tx.TicketByNumber(ctx, access.System, n)
				if err != nil {
					return err
				}
				ids[n] = tk.ID
				list = append(list, tk.ID)
			}
			var err error
			facts, err = tx.ReportFacts(ctx, list)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		type want struct {
			first, res    int64
			firstMet, met bool
			reopened      bool
			rating        int
			spent         int64
		}
		for i, wt := range []want{
			{60, 1650, true, false, false, 0, 10},
			{30, 180, true, true, false, 5, 20},
			{30, 180, true, true, false, 5, 20},
			{30, 180, true, true, false, 4, 20},
			{30, 180, true, true, false, 3, 20},
			{30, 240, true, true, true, 1, 20},
		} {
			f := facts[ids[nums[i]]]
			if f == nil {
				t.Fatalf("ticket %d: no facts", nums[i])
			}
			if f.FirstMinutes == nil || *f.FirstMinutes != wt.first || f.FirstMet == nil || *f.FirstMet != wt.firstMet {
				t.Errorf("ticket %d: first response %v met %v, want %d met %v", i+1, deref(f.FirstMinutes), derefB(f.FirstMet), wt.first, wt.firstMet)
			}
			if f.ResMinutes == nil || *f.ResMinutes != wt.res || f.ResMet == nil || *f.ResMet != wt.met {
				t.Errorf("ticket %d: resolution %v met %v, want %d met %v", i+1, deref(f.ResMinutes), derefB(f.ResMet), wt.res, wt.met)
			}
			if f.Reopened != wt.reopened || f.Rating != wt.rating || f.Spent != wt.spent || !f.Solved {
				t.Errorf("ticket %d: reopened %v rating %d spent %d solved %v, want %v %d %d true", i+1, f.Reopened, f.Rating, f.Spent, f.Solved, wt.reopened, wt.rating, wt.spent)
			}
		}
		// Running again changes nothing.
		before := reportCSV(t, w, w.admin, "from=2026-03-01&to=2026-03-31&group_by=queue")
		if _, _, err := w.svc.RefreshReports(ctx, 0); err != nil {
			t.Fatal(err)
		}
		if after := reportCSV(t, w, w.admin, "from=2026-03-01&to=2026-03-31&group_by=queue"); after != before {
			t.Errorf("a second pass changed the report:\n%s\nwant\n%s", after, before)
		}
	})
}

func deref(p *int64) any {
	if p == nil {
		return "none"
	}
	return *p
}

func derefB(p *bool) any {
	if p == nil {
		return "none"
	}
	return *p
}

func reportCSV(t *testing.T, w *world, a access.Actor, raw string) string {
	t.Helper()
	rep, err := w.svc.Report(context.Background(), a, reportQuery(t, raw))
	if err != nil {
		t.Fatalf("Report(%s): %v", raw, err)
	}
	var b bytes.Buffer
	if err := desk.WriteReportCSV(&b, rep); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// csvLine returns the line of a report's CSV that starts with key.
func csvLine(t *testing.T, csv, key string) string {
	t.Helper()
	for _, l := range strings.Split(csv, "\n") {
		if strings.HasPrefix(l, key+",") {
			return l
		}
	}
	t.Fatalf("no line %q in\n%s", key, csv)
	return ""
}

func TestReportFigures(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		reportWorld(t, w)
		csv := reportCSV(t, w, w.admin, "from=2026-03-01&to=2026-03-31&group_by=queue")
		// Six created and solved; backlog 0 (< 5); first response 5×30 and
		// 60 minutes: median 29 and p90 56 from the buckets (true: 30
		// and 60); resolution 4×180, 240, 1650: median 192, p90 1783
		// (true: 180 or 240, and 1650: each within its bucket's 26 %); first response targets all met, one
		// resolution of six late (83.3 %); one of six reopened (16.7 %);
		// five ratings averaging 3.6, each rating count under 5 (zero
		// for 2); 110 minutes spent.
		for _, tc := range []struct{ key, want string }{
			{"Servicedesk", "Servicedesk,6,6,< 5,29,56,192,1783,100.0,83.3,16.7,5,3.60,< 5,0,< 5,< 5,< 5,110"},
			{"total", "total,6,6,< 5,29,56,192,1783,100.0,83.3,16.7,5,3.60,< 5,0,< 5,< 5,< 5,110"},
		} {
			if got := csvLine(t, csv, tc.key); got != tc.want {
				t.Errorf("admin, group_by=queue, %s:\n got %s\nwant %s", tc.key, got, tc.want)
			}
		}
		// The admin is no member of the confidential Security queue: no
		// line for it. Bernd, a member, sees its one ticket as "< 5"; so
		// does the auditor-less admin not; an auditor sees everything.
		if strings.Contains(csv, "Security") {
			t.Errorf("admin outside Security sees it:\n%s", csv)
		}
		bernd := reportCSV(t, w, w.agentB, "from=2026-03-01&to=2026-03-31&group_by=queue")
		if got := csvLine(t, bernd, "Security"); got != "Security,< 5,< 5,< 5,,,,,,,,< 5,,< 5,< 5,< 5,< 5,< 5," {
			t.Errorf("Security for its member: %s", got)
		}
		if got := csvLine(t, bernd, "total"); !strings.HasPrefix(got, "total,7,6,< 5,") {
			t.Errorf("total for Bernd: %s, want 7 created", got)
		}
		// By week: the first week of March (ISO 2026-W10) opened all six.
		weeks := reportCSV(t, w, w.admin, "from=2026-03-02&to=2026-03-15&group_by=week")
		if got := csvLine(t, weeks, "2026-W10"); !strings.HasPrefix(got, "2026-W10,6,5,< 5,") {
			t.Errorf("week 10: %s, want 6 created, 5 solved", got)
		}
		if got := csvLine(t, weeks, "2026-W11"); !strings.HasPrefix(got, "2026-W11,< 5,< 5,< 5,") {
			t.Errorf("week 11: %s, want < 5", got)
		}
		// Load: Monday 09:00 opened five, Monday 10:00 one (< 5).
		if got := csvLine(t, csv, "load:Monday"); got != "load:Monday,< 5,< 5,< 5,< 5,< 5,< 5,< 5,< 5,< 5,5,< 5,< 5,< 5,< 5,< 5,< 5,< 5,< 5,< 5,< 5,< 5,< 5,< 5,< 5" {
			t.Errorf("Monday's load: %s", got)
		}
	})
}

func TestReportWho(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		reportWorld(t, w)
		rq := reportQuery(t, "from=2026-03-01&to=2026-03-31&group_by=queue")
		if _, err := w.svc.Report(ctx, w.alice, rq); ticket.ErrorCode(err) != ticket.EFORBIDDEN {
			t.Errorf("requester: %v, want forbidden", err)
		}
		aud := must(w.svc.CreateUser(ctx, access.System, desk.NewUser{Email: "wc@example.org", Name: "Works Council", Role: ticket.RoleAuditor}))
		_ = aud
		rep := must(w.svc.Report(ctx, w.actor(t, "wc@example.org"), rq))
		if !rep.All || rep.Total.Created.Value != 7 {
			t.Errorf("auditor: all %v, created %v, want every ticket (7)", rep.All, rep.Total.Created)
		}
	})
}

func TestReportRefusesPersons(t *testing.T) {
	today := bizhours.Date{Year: 2026, Month: 3, Day: 31}
	for _, raw := range []string{
		"group_by=assignee", "group_by=agent", "group_by=author", "group_by=user", "group_by=requester",
		"group_by=actor", "group_by=assignee_id", "group_by=Assignee", "group_by=agents", "group_by=by_agent",
		"assignee=anna@example.org", "assignee_id=3", "author=anna@example.org", "agent=anna", "user=3", "user_id=3",
		"actor=anna@example.org", "requester=alice@example.org", "email=anna@example.org", "person=Anna",
		"staff=anna", "member=anna", "owner=anna", "handled_by=anna", "resolver=anna", "who=anna", "AgentId=4",
		"queue=Servicedesk&assignee=anna@example.org",
	} {
		q, _ := url.ParseQuery(raw)
		_, err := desk.ParseReportQuery(q, today)
		if ticket.ErrorCode(err) != ticket.EINVALID || ticket.ErrorReason(err) != "err.report.person" {
			t.Errorf("%s: %v, want the works council's refusal", raw, err)
		}
	}
	for _, raw := range []string{"group_by=day", "colour=red", "from=2026-13-01", "from=2026-03-10&to=2026-03-01", "from=2010-01-01", "format=xml"} {
		q, _ := url.ParseQuery(raw)
		if _, err := desk.ParseReportQuery(q, today); ticket.ErrorCode(err) != ticket.EINVALID {
			t.Errorf("%s: %v, want invalid", raw, err)
		}
	}
}

func TestReportBackfillAndLateChanges(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		nums := reportWorld(t, w)
		// A change after the pass: moving a ticket to Security moves its
		// figures on the next pass.
		w.clock.t = wien(t, "2026-03-20 10:00")
		must(w.svc.Act(ctx, w.admin, nums[1], desk.Action{Name: "move", Queue: "Security"}))
		w.clock.t = time.Now()
		if _, _, err := w.svc.RefreshReports(ctx, 0); err != nil {
			t.Fatal(err)
		}
		csv := reportCSV(t, w, w.actor(t, "bernd@example.org"), "from=2026-03-01&to=2026-03-31&group_by=queue")
		if got := csvLine(t, csv, "Servicedesk"); !strings.HasPrefix(got, "Servicedesk,5,5,") {
			t.Errorf("after the move: %s, want 5 created", got)
		}
		if got := csvLine(t, csv, "total"); !strings.HasPrefix(got, "total,7,6,") {
			t.Errorf("after the move, total: %s", got)
		}
	})
}

// TestReportBacklog checks the backlog at the end of each period and group
// against what happened before and inside the range: tickets still open
// from February count in March's backlog of their queue, a queue with no
// ticket in the range still adds to the total, and grouping by queue,
// channel or month agrees.
func TestReportBacklog(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		must(w.svc.CreateQueue(ctx, access.System, desk.NewQueue{Name: "Netz"}))
		resolve := func(when string, n int64) {
			w.clock.t = wien(t, when)
			must(w.svc.Act(ctx, w.admin, n, desk.Action{Name: "resolve"}))
		}
		// February: eight in Servicedesk (two resolved in February, one in
		// March), six in Netz, none of them solved.
		var feb []int64
		for range 8 {
			feb = append(feb, openAt(t, w, "2026-02-02 10:00", "Servicedesk").Number)
		}
		for range 6 {
			openAt(t, w, "2026-02-03 10:00", "Netz")
		}
		resolve("2026-02-04 10:00", feb[0])
		resolve("2026-02-04 11:00", feb[1])
		// March: five more in Servicedesk, and one February ticket solved.
		for range 5 {
			openAt(t, w, "2026-03-02 10:00", "Servicedesk")
		}
		resolve("2026-03-03 10:00", feb[2])
		w.clock.t = time.Now()
		if _, done, err := w.svc.RefreshReports(ctx, 0); err != nil || !done {
			t.Fatalf("RefreshReports: done %v, %v", done, err)
		}
		must(w.svc.CreateUser(ctx, access.System, desk.NewUser{Email: "wc@example.org", Name: "Works Council", Role: ticket.RoleAuditor}))
		aud := w.actor(t, "wc@example.org")
		for _, tc := range []struct{ query, key, want string }{
			// 8 − 2 open from February, 5 opened, 1 solved: 10.
			{"from=2026-03-01&to=2026-03-31&group_by=queue", "Servicedesk", "Servicedesk,5,< 5,10,"},
			{"from=2026-03-01&to=2026-03-31&group_by=queue", "total", "total,5,< 5,16,"},
			{"from=2026-03-01&to=2026-03-31&group_by=channel", "api", "api,5,< 5,16,"},
			{"from=2026-02-01&to=2026-03-31&group_by=queue", "Servicedesk", "Servicedesk,13,< 5,10,"},
			{"from=2026-02-01&to=2026-03-31&group_by=queue", "Netz", "Netz,6,< 5,6,"},
			{"from=2026-02-01&to=2026-03-31&group_by=month", "2026-02", "2026-02,14,< 5,12,"},
			{"from=2026-02-01&to=2026-03-31&group_by=month", "2026-03", "2026-03,5,< 5,16,"},
			{"from=2026-03-01&to=2026-03-31&group_by=month&queue=Servicedesk", "2026-03", "2026-03,5,< 5,10,"},
			{"from=2026-03-01&to=2026-03-31&group_by=queue&queue=Servicedesk", "total", "total,5,< 5,10,"},
		} {
			csv := reportCSV(t, w, aud, tc.query)
			if got := csvLine(t, csv, tc.key); !strings.HasPrefix(got, tc.want) {
				t.Errorf("%s, %s:\n got %s\nwant %s…", tc.query, tc.key, got, tc.want)
			}
		}
		// Netz opened nothing in March: no row of its own, but its six are
		// in the total above.
		if csv := reportCSV(t, w, aud, "from=2026-03-01&to=2026-03-31&group_by=queue"); strings.Contains(csv, "\nNetz,") {
			t.Errorf("a queue without tickets in the range has a row:\n%s", csv)
		}
	})
}
