package desk_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

var vienna = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Vienna")
	if err != nil {
		panic(err)
	}
	return loc
}()

// wien reads "2006-01-02 15:04" in Vienna.
func wien(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, vienna)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// setTargets gives queue Mon–Fri 08:00–17:00 in Vienna with Austria's
// holidays, 24 and 31 December closed, and the targets given in minutes.
func setTargets(t *testing.T, w *world, queue string, first, resolution int) {
	t.Helper()
	_, err := w.svc.UpdateQueue(context.Background(), w.admin, queue, desk.QueuePatch{
		FirstResponse: &first, Resolution: &resolution, Hours: ptr("Mon-Fri 08:00-17:00"),
		Zone: ptr("Europe/Vienna"), Holidays: ptr("AT"), Closures: ptr(true)})
	if err != nil {
		t.Fatal(err)
	}
}

func openAt(t *testing.T, w *world, when, queue string) *ticket.Ticket {
	t.Helper()
	w.clock.t = wien(t, when)
	return must(w.svc.CreateTicket(context.Background(), w.alice, desk.NewTicket{Queue: queue, Subject: "Drucker", Description: "geht nicht"}))
}

func wantInstant(t *testing.T, what string, got *time.Time, want string) {
	t.Helper()
	if want == "" {
		if got != nil {
			t.Errorf("%s = %s, want none", what, got.In(vienna).Format(time.DateTime))
		}
		return
	}
	if got == nil || !got.Equal(wien(t, want)) {
		g := "none"
		if got != nil {
			g = got.In(vienna).Format("2006-01-02 15:04")
		}
		t.Errorf("%s = %s, want %s (Vienna)", what, g, want)
	}
}

// reload reads the ticket as stored, and its target state at the clock's now.
func reload(t *testing.T, w *world, n int64) (*ticket.Ticket, string) {
	t.Helper()
	tk := must(w.svc.Ticket(context.Background(), access.System, n))
	return tk, tk.TargetStateAt(w.clock.t)
}

// targetNumbers searches f as a and returns the ticket numbers found, in order.
func targetNumbers(t *testing.T, w *world, a access.Actor, f ticket.Filter) []int64 {
	t.Helper()
	page := must(w.svc.Search(context.Background(), a, f))
	var out []int64
	for _, tk := range page.Items {
		out = append(out, tk.Number)
	}
	if page.Total != len(out) {
		t.Errorf("total %d, but %d on the page", page.Total, len(out))
	}
	return out
}

func TestTargetsDueInBusinessTime(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		setTargets(t, w, "Servicedesk", 4*60, 27*60)
		for _, tc := range []struct {
			name, opened, first, resolution string
		}{
			{"inside the hours", "2026-03-02 10:00", "2026-03-02 14:00", "2026-03-05 10:00"},
			{"over the weekend", "2026-03-06 15:00", "2026-03-09 10:00", "2026-03-11 15:00"},
			{"before opening", "2026-03-02 06:30", "2026-03-02 12:00", "2026-03-04 17:00"},
			{"over Staatsfeiertag (Friday 1 May)", "2026-04-30 16:00", "2026-05-04 11:00", "2026-05-06 16:00"},
			{"over Christmas, 24 and 31 closed", "2026-12-23 16:00", "2026-12-28 11:00", "2026-12-30 16:00"},
		} {
			tk := openAt(t, w, tc.opened, "Servicedesk")
			got, state := reload(t, w, tk.Number)
			wantInstant(t, tc.name+": first_response_due", got.FirstResponseDue, tc.first)
			wantInstant(t, tc.name+": resolution_due", got.ResolutionDue, tc.resolution)
			if state != ticket.TargetOK {
				t.Errorf("%s: state %q, want ok", tc.name, state)
			}
		}
		// A queue without targets gives none.
		tk := openAt(t, w, "2026-03-02 10:00", "Security")
		if got, state := reload(t, w, tk.Number); got.FirstResponseDue != nil || got.ResolutionDue != nil || state != "" {
			t.Errorf("no targets: got %v %v %q, want none", got.FirstResponseDue, got.ResolutionDue, state)
		}
	})
}

func TestTargetsPauseWhileWaiting(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		setTargets(t, w, "Servicedesk", 4*60, 27*60)
		tk := openAt(t, w, "2026-03-02 10:00", "Servicedesk") // Monday
		w.clock.t = wien(t, "2026-03-02 11:00")
		must(w.svc.AddEntry(ctx, w.agentA, tk.Number, desk.NewEntry{Kind: ticket.KindQuestion, Body: "Welcher Drucker?", Visibility: ticket.VisibilityPublic}))
		got, _ := reload(t, w, tk.Number)
		wantInstant(t, "first_response_at", got.FirstResponseAt, "2026-03-02 11:00")
		wantInstant(t, "resolution_due while waiting", got.ResolutionDue, "2026-03-05 10:00")
		if got.State != ticket.StateWaiting || !got.TargetPaused() {
			t.Fatalf("state %s paused %v, want waiting and paused", got.State, got.TargetPaused())
		}
		// Thursday noon, past the first due instant: a waiting ticket is not breached.
		w.clock.t = wien(t, "2026-03-05 12:00")
		if _, state := reload(t, w, tk.Number); state != ticket.TargetOK {
			t.Errorf("waiting past its due instant: %q, want ok", state)
		}
		if n := targetNumbers(t, w, w.admin, ticket.Filter{Targets: []string{"breached", "due_soon"}}); len(n) != 0 {
			t.Errorf("target=breached,due_soon while waiting: %v, want none", n)
		}
		// The requester answers on Thursday 12:00: 3 days and 1 hour stood
		// still (Mon 11–17, Tue, Wed, Thu 8–12: 6+9+9+4 = 28 business hours).
		must(w.svc.AddEntry(ctx, w.alice, tk.Number, desk.NewEntry{Kind: ticket.KindAnswer, Body: "Der im 2. Stock", Visibility: ticket.VisibilityPublic}))
		got, state := reload(t, w, tk.Number)
		if got.State != ticket.StateOpen {
			t.Fatalf("state %s, want open", got.State)
		}
		// 26 business hours remained at 11:00 Monday: Thu 12–17 (5), Fri (9), Mon (9), Tue 8–11 (3).
		wantInstant(t, "resolution_due after the pause", got.ResolutionDue, "2026-03-10 11:00")
		wantInstant(t, "first_response_due stays", got.FirstResponseDue, "2026-03-02 14:00")
		if state != ticket.TargetOK {
			t.Errorf("state %q, want ok", state)
		}
		// Due soon: 2 business hours before (a fifth of 27 hours is more).
		w.clock.t = wien(t, "2026-03-10 09:00")
		if _, state := reload(t, w, tk.Number); state != ticket.TargetDueSoon {
			t.Errorf("2h before: %q, want due_soon", state)
		}
		w.clock.t = wien(t, "2026-03-09 16:59") // Monday: 3h01m remain
		if _, state := reload(t, w, tk.Number); state != ticket.TargetOK {
			t.Errorf("3h before: %q, want ok", state)
		}
		w.clock.t = wien(t, "2026-03-09 17:00") // closing: only Tuesday's 3 hours remain, more than 2
		if _, state := reload(t, w, tk.Number); state != ticket.TargetOK {
			t.Errorf("Monday 17:00: %q, want ok", state)
		}
		// Resolved late: breached, and stays so.
		w.clock.t = wien(t, "2026-03-10 11:30")
		must(w.svc.Act(ctx, w.agentA, tk.Number, desk.Action{Name: "resolve"}))
		w.clock.t = wien(t, "2026-04-10 11:30")
		if _, state := reload(t, w, tk.Number); state != ticket.TargetBreached {
			t.Errorf("resolved late: %q, want breached", state)
		}
	})
}

func TestTargetsFirstResponse(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		setTargets(t, w, "Servicedesk", 4*60, 27*60)
		late := openAt(t, w, "2026-03-02 10:00", "Servicedesk")
		onTime := openAt(t, w, "2026-03-02 10:00", "Servicedesk")
		// A staff-only comment and the requester's own word are no response.
		w.clock.t = wien(t, "2026-03-02 12:00")
		must(w.svc.AddEntry(ctx, w.agentA, onTime.Number, desk.NewEntry{Kind: ticket.KindComment, Body: "intern", Visibility: ticket.VisibilityStaff}))
		must(w.svc.AddEntry(ctx, w.alice, onTime.Number, desk.NewEntry{Kind: ticket.KindComment, Body: "eilt", Visibility: ticket.VisibilityPublic}))
		if got, _ := reload(t, w, onTime.Number); got.FirstResponseAt != nil {
			t.Fatalf("first_response_at = %v after a staff comment, want none", got.FirstResponseAt)
		}
		// 13:15: within a fifth of 4 hours (48 minutes) of 14:00.
		w.clock.t = wien(t, "2026-03-02 13:15")
		if _, state := reload(t, w, late.Number); state != ticket.TargetDueSoon {
			t.Errorf("45 minutes before: %q, want due_soon", state)
		}
		if n := targetNumbers(t, w, w.admin, ticket.Filter{Targets: []string{"due_soon"}, Sort: "number"}); !slices.Equal(n, []int64{late.Number, onTime.Number}) {
			t.Errorf("target=due_soon: %v, want both", n)
		}
		must(w.svc.AddEntry(ctx, w.agentA, onTime.Number, desk.NewEntry{Kind: ticket.KindMessage, Body: "Ich schaue", Visibility: ticket.VisibilityPublic}))
		w.clock.t = wien(t, "2026-03-02 14:01")
		if _, state := reload(t, w, late.Number); state != ticket.TargetBreached {
			t.Errorf("a minute late: %q, want breached", state)
		}
		if got, state := reload(t, w, onTime.Number); state != ticket.TargetOK || got.FirstResponseAt == nil {
			t.Errorf("answered in time: %q at %v, want ok", state, got.FirstResponseAt)
		}
		if n := targetNumbers(t, w, w.admin, ticket.Filter{Targets: []string{"breached"}}); !slices.Equal(n, []int64{late.Number}) {
			t.Errorf("target=breached: %v, want [%d]", n, late.Number)
		}
		// Answered late: the response stops the clock, the breach stays.
		w.clock.t = wien(t, "2026-03-02 15:00")
		must(w.svc.AddEntry(ctx, w.agentA, late.Number, desk.NewEntry{Kind: ticket.KindMessage, Body: "Sorry", Visibility: ticket.VisibilityPublic}))
		got, state := reload(t, w, late.Number)
		wantInstant(t, "first_response_at", got.FirstResponseAt, "2026-03-02 15:00")
		if state != ticket.TargetBreached {
			t.Errorf("answered late: %q, want breached", state)
		}
		// A second message changes nothing.
		w.clock.t = wien(t, "2026-03-02 16:00")
		must(w.svc.AddEntry(ctx, w.agentA, late.Number, desk.NewEntry{Kind: ticket.KindMessage, Body: "Noch was", Visibility: ticket.VisibilityPublic}))
		got, _ = reload(t, w, late.Number)
		wantInstant(t, "first_response_at after a second message", got.FirstResponseAt, "2026-03-02 15:00")
		// Resolved in time: ok for ever after, the clock stopped.
		must(w.svc.Act(ctx, w.agentA, onTime.Number, desk.Action{Name: "resolve"}))
		w.clock.t = wien(t, "2026-06-01 10:00")
		if _, state := reload(t, w, onTime.Number); state != ticket.TargetOK {
			t.Errorf("resolved in time, months later: %q, want ok", state)
		}
	})
}

func TestTargetsQueueChangeAndMove(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		setTargets(t, w, "Servicedesk", 4*60, 27*60)
		old := openAt(t, w, "2026-03-02 10:00", "Servicedesk")
		// Changing the queue's targets applies to new tickets only.
		setTargets(t, w, "Servicedesk", 8*60, 0)
		newer := openAt(t, w, "2026-03-02 10:00", "Servicedesk")
		got, _ := reload(t, w, old.Number)
		wantInstant(t, "old ticket's first_response_due", got.FirstResponseDue, "2026-03-02 14:00")
		wantInstant(t, "old ticket's resolution_due", got.ResolutionDue, "2026-03-05 10:00")
		got, _ = reload(t, w, newer.Number)
		wantInstant(t, "new ticket's first_response_due", got.FirstResponseDue, "2026-03-03 09:00")
		wantInstant(t, "new ticket's resolution_due", got.ResolutionDue, "")
		// Security answers round the clock within an hour, in UTC.
		one, none := 60, 0
		must(w.svc.UpdateQueue(ctx, w.admin, "Security", desk.QueuePatch{FirstResponse: &one, Resolution: &none,
			Hours: ptr("Mon-Sun 00:00-24:00"), Zone: ptr("UTC"), Holidays: ptr("")}))
		// Moving recomputes from the ticket's opening in the new queue.
		w.clock.t = wien(t, "2026-03-02 10:30")
		must(w.svc.Act(ctx, w.admin, old.Number, desk.Action{Name: "move", Queue: "Security"}))
		got, state := reload(t, w, old.Number)
		wantInstant(t, "moved: first_response_due", got.FirstResponseDue, "2026-03-02 11:00")
		wantInstant(t, "moved: resolution_due", got.ResolutionDue, "")
		if state != ticket.TargetOK {
			t.Errorf("moved, at 10:30: %q, want ok", state)
		}
		w.clock.t = wien(t, "2026-03-02 10:48") // a fifth of the hour before 11:00
		if _, state := reload(t, w, old.Number); state != ticket.TargetDueSoon {
			t.Errorf("moved, at 10:48: %q, want due_soon", state)
		}
		// And back: Servicedesk's current targets.
		must(w.svc.Act(ctx, w.agentB, old.Number, desk.Action{Name: "move", Queue: "Servicedesk"}))
		got, _ = reload(t, w, old.Number)
		wantInstant(t, "moved back: first_response_due", got.FirstResponseDue, "2026-03-03 09:00")
	})
}

func TestTargetsSearch(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		setTargets(t, w, "Servicedesk", 4*60, 27*60)
		a := openAt(t, w, "2026-03-02 08:00", "Servicedesk")                   // due 12:00
		b := openAt(t, w, "2026-03-02 09:00", "Servicedesk")                   // due 13:00
		c := openAt(t, w, "2026-03-02 10:00", "Servicedesk")                   // due 14:00
		must(w.svc.CreateQueue(ctx, w.admin, desk.NewQueue{Name: "Facility"})) // no targets
		none := openAt(t, w, "2026-03-02 10:00", "Facility")
		w.clock.t = wien(t, "2026-03-02 12:30")
		for _, tc := range []struct {
			f    ticket.Filter
			want []int64
		}{
			{ticket.Filter{Targets: []string{"breached"}}, []int64{a.Number}},
			{ticket.Filter{Targets: []string{"due_soon"}}, []int64{b.Number}},
			{ticket.Filter{Targets: []string{"ok"}}, []int64{c.Number}},
			{ticket.Filter{Targets: []string{"due_soon", "breached"}, Sort: "target"}, []int64{a.Number, b.Number}},
			{ticket.Filter{DueWithin: time.Hour, Sort: "target"}, []int64{b.Number}},
			{ticket.Filter{DueWithin: 2 * time.Hour, Sort: "-target"}, []int64{c.Number, b.Number}},
			{ticket.Filter{Sort: "target"}, []int64{a.Number, b.Number, c.Number, none.Number}},
			{ticket.Filter{Sort: "-target"}, []int64{c.Number, b.Number, a.Number, none.Number}},
		} {
			if got := targetNumbers(t, w, w.admin, tc.f); !slices.Equal(got, tc.want) {
				t.Errorf("%s: got %v, want %v", tc.f.Encode(nil), got, tc.want)
			}
		}
		// Visibility holds: bob sees none of alice's tickets.
		if got := targetNumbers(t, w, w.bob, ticket.Filter{Targets: []string{"breached"}}); len(got) != 0 {
			t.Errorf("bob: %v, want none", got)
		}
		// The dashboard counts per queue and links to the search.
		d := must(w.svc.Dashboard(ctx, w.agentA, 5))
		var sd *desk.QueueWork
		for _, q := range d.Queues {
			if q.Queue.Name == "Servicedesk" {
				sd = q
			}
		}
		if sd == nil || sd.DueSoon != 1 || sd.Breached != 1 {
			t.Fatalf("dashboard Servicedesk: %+v, want 1 due soon and 1 breached", sd)
		}
		f, ok := desk.DashboardSearch("targets", "Servicedesk")
		if got := targetNumbers(t, w, w.agentA, f); !ok || !slices.Equal(got, []int64{a.Number, b.Number}) {
			t.Errorf("dashboard's search: %v, want [%d %d]", got, a.Number, b.Number)
		}
	})
}

func TestTargetsValidation(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		_, err := w.svc.UpdateQueue(ctx, w.admin, "Servicedesk", desk.QueuePatch{
			FirstResponse: ptr(-1), Hours: ptr("Mo-Fr 8-17"), Zone: ptr("Europe/Wien"), Holidays: ptr("DE"),
			ClosedDays: &[]string{"2026-02-30"}})
		wantCode(t, err, ticket.EINVALID)
		var got []string
		for k := range ticket.ErrorFields(err) {
			got = append(got, k)
		}
		slices.Sort(got)
		want := []string{"targets.closed_days", "targets.first_response_minutes", "targets.holidays", "targets.hours", "targets.time_zone"}
		if !slices.Equal(got, want) {
			t.Errorf("problems on %v, want %v", got, want)
		}
		_, err = w.svc.UpdateQueue(ctx, w.admin, "Servicedesk", desk.QueuePatch{Hours: ptr("Mon 08:00-12:00; Mon 11:00-13:00")})
		wantCode(t, err, ticket.EINVALID)
		_, err = w.svc.UpdateQueue(ctx, w.agentA, "Servicedesk", desk.QueuePatch{FirstResponse: ptr(60)})
		wantCode(t, err, ticket.EFORBIDDEN)
		q := must(w.svc.UpdateQueue(ctx, w.admin, "Servicedesk", desk.QueuePatch{Hours: ptr("fri 08:00-12:00;mon-thu 08:00-16:00"),
			ClosedDays: &[]string{"2026-12-07, 2026-05-15 2026-12-07"}, Closures: ptr(true)}))
		if q.Targets.Hours != "Mon-Thu 08:00-16:00; Fri 08:00-12:00" || !slices.Equal(q.Targets.ClosedDays, []string{"2026-05-15", "2026-12-07"}) || !q.Targets.Closures {
			t.Errorf("normalised targets: %+v", q.Targets)
		}
		qs := must(w.svc.Queues(ctx, w.admin))
		for _, q := range qs {
			if q.Name == "Servicedesk" && (q.Targets.Hours != "Mon-Thu 08:00-16:00; Fri 08:00-12:00" || len(q.Targets.ClosedDays) != 2) {
				t.Errorf("stored targets: %+v", q.Targets)
			}
		}
	})
}
