package desk_test

import (
	"context"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// wantProblem checks err's code and the problem it names for field.
func wantProblem(t *testing.T, err error, code, field, problem string) {
	t.Helper()
	if got := ticket.ErrorCode(err); got != code {
		t.Fatalf("got error %v (code %q), want code %q", err, got, code)
	}
	if got := ticket.ErrorFields(err)[field]; got != problem {
		t.Fatalf("got problems %v, want %s: %s", ticket.ErrorFields(err), field, problem)
	}
}

// events lists a timeline's history entries as "field:old>new by author".
func events(es []*ticket.Entry) []string {
	var out []string
	for _, e := range es {
		if e.Kind == ticket.KindEvent {
			out = append(out, e.Field+":"+e.OldValue+">"+e.NewValue+" by "+strings.TrimSuffix(e.Author, "@example.org"))
		}
	}
	return out
}

func TestRequesterEditsTheirTicket(t *testing.T) {
	forEachDialectWith(t, unthrottled, func(t *testing.T, w *world) {
		ctx := context.Background()
		tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Drucker", Description: "Der Drucker druckt nicht."}))
		var seen int64
		outbox(t, w, &seen)

		w.clock.Add(time.Hour)
		due := w.clock.Now().Add(72 * time.Hour)
		got := must(w.svc.UpdateTicket(ctx, w.alice, tk.Number, desk.Patch{Version: tk.Version,
			Subject: ptr("Drucker 3.14"), Description: ptr("Der Drucker in 3.14 druckt nur leere Seiten."),
			Priority: ptr(ticket.PriorityHigh), Due: &due, Confidential: ptr(true)}))
		if got.Subject != "Drucker 3.14" || got.Priority != ticket.PriorityHigh || !got.Confidential || got.Due == nil || got.Version != tk.Version+1 {
			t.Fatalf("got %+v, want the requester's changes at the next version", got)
		}
		// The queue hears nothing of field changes, as of any other; the
		// requester never of their own.
		if n := outbox(t, w, &seen); n != "" {
			t.Errorf("got notifications %q, want none", n)
		}
		// Making it public again is for the queue's members.
		_, err := w.svc.UpdateTicket(ctx, w.alice, tk.Number, desk.Patch{Version: got.Version, Confidential: ptr(false)})
		wantProblem(t, err, ticket.EFORBIDDEN, "confidential", "problem.public_members")
		// CC is staff's.
		_, err = w.svc.UpdateTicket(ctx, w.alice, tk.Number, desk.Patch{Version: got.Version, CC: &[]string{"bob@example.org"}})
		wantProblem(t, err, ticket.EFORBIDDEN, "cc", "problem.cc_staff")
		// Another requester does not see it at all.
		_, err = w.svc.UpdateTicket(ctx, w.bob, tk.Number, desk.Patch{Version: got.Version, Subject: ptr("mine")})
		wantCode(t, err, ticket.ENOTFOUND)
		// A stale version changes nothing.
		_, err = w.svc.UpdateTicket(ctx, w.alice, tk.Number, desk.Patch{Version: tk.Version, Subject: ptr("old page")})
		wantCode(t, err, ticket.ECONFLICT)

		// Staff edit the description too; the member makes it public.
		w.clock.Add(time.Hour)
		got = must(w.svc.UpdateTicket(ctx, w.agentA, tk.Number, desk.Patch{Version: got.Version,
			Description: ptr("Drucker 3.14: leere Seiten,\nToner ist voll."), Confidential: ptr(false)}))
		if got.Confidential {
			t.Fatal("the member could not make the ticket public")
		}
		// Sending the same text again keeps the version and adds nothing.
		same := must(w.svc.UpdateTicket(ctx, w.agentA, tk.Number, desk.Patch{Version: got.Version,
			Description: ptr("Drucker 3.14: leere Seiten,\r\nToner ist voll.\r\n")}))
		if same.Version != got.Version {
			t.Fatalf("an unchanged description made version %d, want %d", same.Version, got.Version)
		}

		es := must(w.svc.Entries(ctx, w.alice, tk.Number))
		if es[0].Kind != ticket.KindDescription || es[0].Body != "Drucker 3.14: leere Seiten,\nToner ist voll." {
			t.Fatalf("got description %q, want the agent's text", es[0].Body)
		}
		want := []string{"subject:Drucker>Drucker 3.14 by alice", "description:> by alice", "priority:normal>high by alice",
			"due:>" + due.UTC().Format(time.RFC3339) + " by alice", "confidential:false>true by alice",
			"description:> by anna", "confidential:true>false by anna"}
		if got := events(es); !slices.Equal(got, want) {
			t.Fatalf("history:\ngot  %q\nwant %q", got, want)
		}
		// Every earlier text is kept, with who wrote it when.
		tv := must(w.svc.TicketView(ctx, w.alice, tk.Number))
		vs := tv.DescriptionVersions
		if len(vs) != 2 || tv.DescriptionID != es[0].ID {
			t.Fatalf("got versions %+v of entry %d, want 2 of the description %d", vs, tv.DescriptionID, es[0].ID)
		}
		if vs[0].Body != "Der Drucker druckt nicht." || vs[0].Author != "alice@example.org" || !vs[0].CreatedAt.Equal(tk.CreatedAt) {
			t.Errorf("got first version %+v, want alice's original text at creation", vs[0])
		}
		if vs[1].Body != "Der Drucker in 3.14 druckt nur leere Seiten." || vs[1].Author != "alice@example.org" || !vs[1].CreatedAt.Equal(tk.CreatedAt.Add(time.Hour)) {
			t.Errorf("got second version %+v, want alice's edit an hour later", vs[1])
		}
		if !tv.Can[access.ActEditOwn] || tv.Can[access.ActEdit] {
			t.Errorf("got can %v, want edit_own and not edit for the requester", tv.Can)
		}
		// Search finds the new text, not the replaced one.
		if p := must(w.svc.Search(ctx, w.agentA, ticket.Filter{Q: "Toner"})); p.Total != 1 {
			t.Errorf("search for the new text: got %d, want 1", p.Total)
		}
		if p := must(w.svc.Search(ctx, w.agentA, ticket.Filter{Q: "Seiten"})); p.Total != 1 {
			t.Errorf("search: got %d, want 1", p.Total)
		}

		// Empty or bad fields are refused before anything changes.
		_, err = w.svc.UpdateTicket(ctx, w.alice, tk.Number, desk.Patch{Version: got.Version, Description: ptr("  ")})
		wantProblem(t, err, ticket.EINVALID, "description", "problem.empty")
		_, err = w.svc.UpdateTicket(ctx, w.alice, tk.Number, desk.Patch{Version: got.Version, Due: ptr(w.clock.Now().Add(-time.Hour))})
		wantProblem(t, err, ticket.EINVALID, "due", "problem.past")

		// Closed: the requester edits it no more, except to make it
		// confidential; staff keep its fields right.
		must(w.svc.Act(ctx, w.alice, tk.Number, desk.Action{Name: "withdraw"}))
		cur := must(w.svc.Ticket(ctx, w.alice, tk.Number))
		for _, p := range []desk.Patch{{Subject: ptr("again")}, {Description: ptr("again")}, {Priority: ptr(ticket.PriorityLow)}} {
			p.Version = cur.Version
			_, err = w.svc.UpdateTicket(ctx, w.alice, tk.Number, p)
			wantCode(t, err, ticket.ECONFLICT)
			if r := ticket.ErrorReason(err); r != "err.ticket.edit_closed" {
				t.Errorf("got reason %q, want err.ticket.edit_closed", r)
			}
		}
		cur = must(w.svc.UpdateTicket(ctx, w.alice, tk.Number, desk.Patch{Version: cur.Version, Confidential: ptr(true)}))
		if !cur.Confidential {
			t.Error("the requester could not make her closed ticket confidential")
		}
		if cur = must(w.svc.UpdateTicket(ctx, w.agentA, tk.Number, desk.Patch{Version: cur.Version, Subject: ptr("Drucker 3.14 (erledigt)")})); cur.Subject != "Drucker 3.14 (erledigt)" {
			t.Errorf("staff's edit of a closed ticket: got subject %q", cur.Subject)
		}
	})
}

func TestEditMergedTicketRefused(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		a := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "a", Description: "a"}))
		b := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "b", Description: "b"}))
		must(w.svc.Act(ctx, w.agentA, a.Number, desk.Action{Name: "merge", Target: b.Number}))
		cur := must(w.svc.Ticket(ctx, w.alice, a.Number))
		_, err := w.svc.UpdateTicket(ctx, w.alice, a.Number, desk.Patch{Version: cur.Version, Description: ptr("more")})
		wantCode(t, err, ticket.ECONFLICT)
		if r := ticket.ErrorReason(err); r != "err.ticket.edit_merged" {
			t.Errorf("got reason %q, want err.ticket.edit_merged", r)
		}
	})
}

func TestTimeSpent(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "VPN", Description: "VPN geht nicht"}))
		add := func(a access.Actor, kind ticket.Kind, vis ticket.Visibility, minutes int) error {
			_, err := w.svc.AddEntry(ctx, a, tk.Number, desk.NewEntry{Kind: kind, Body: "work", Visibility: vis, TimeSpent: minutes})
			return err
		}
		// Off by default.
		wantProblem(t, add(w.agentA, ticket.KindComment, "", 30), ticket.EINVALID, "time_spent", desk.ProblemTimeSpentOff)
		q := must(w.svc.UpdateQueue(ctx, w.admin, "Servicedesk", desk.QueuePatch{TimeSpent: ptr(ticket.TimeSpentOptional)}))
		if q.TimeSpent != ticket.TimeSpentOptional {
			t.Fatalf("got setting %q, want optional", q.TimeSpent)
		}
		_, err := w.svc.UpdateQueue(ctx, w.admin, "Servicedesk", desk.QueuePatch{TimeSpent: ptr(ticket.TimeSpent("sometimes"))})
		wantProblem(t, err, ticket.EINVALID, "time_spent", desk.ProblemTimeSpentSetting)
		_, err = w.svc.UpdateQueue(ctx, w.agentA, "Servicedesk", desk.QueuePatch{TimeSpent: ptr(ticket.TimeSpentOff)})
		wantCode(t, err, ticket.EFORBIDDEN)

		for _, bad := range []int{-5, 1440, 100000} {
			wantProblem(t, add(w.agentA, ticket.KindComment, "", bad), ticket.EINVALID, "time_spent", desk.ProblemTimeSpentRange)
		}
		wantProblem(t, add(w.alice, ticket.KindComment, "", 10), ticket.EINVALID, "time_spent", desk.ProblemTimeSpentStaff)
		if err := add(w.agentA, ticket.KindMessage, "", 30); err != nil {
			t.Fatal(err)
		}
		if err := add(w.agentA, ticket.KindComment, ticket.VisibilityStaff, 1439); err != nil {
			t.Fatal(err)
		}
		if err := add(w.agentA, ticket.KindComment, ticket.VisibilityStaff, 0); err != nil {
			t.Fatalf("optional: an entry without time spent: %v", err)
		}
		if err := add(w.alice, ticket.KindComment, "", 0); err != nil {
			t.Fatal(err)
		}
		// The sum is of the entries the reader sees.
		if got := *must(w.svc.Ticket(ctx, w.agentA, tk.Number)).TimeSpent; got != 1469 {
			t.Errorf("staff: got sum %d, want 1469", got)
		}
		if got := *must(w.svc.Ticket(ctx, w.alice, tk.Number)).TimeSpent; got != 30 {
			t.Errorf("requester: got sum %d, want 30 (the staff note's time is staff's)", got)
		}
		es := must(w.svc.Entries(ctx, w.agentA, tk.Number))
		var spent []int
		for _, e := range es {
			if e.Kind != ticket.KindEvent {
				spent = append(spent, e.TimeSpent)
			}
		}
		if !slices.Equal(spent, []int{0, 30, 1439, 0, 0}) {
			t.Errorf("got time spent per entry %v", spent)
		}

		// Required: staff must say; requesters still write without.
		must(w.svc.UpdateQueue(ctx, w.admin, "Servicedesk", desk.QueuePatch{TimeSpent: ptr(ticket.TimeSpentRequired)}))
		wantProblem(t, add(w.agentA, ticket.KindComment, "", 0), ticket.EINVALID, "time_spent", desk.ProblemTimeSpentRequired)
		if err := add(w.alice, ticket.KindAnswer, "", 0); err != nil {
			t.Fatalf("requester in a queue that requires time spent: %v", err)
		}
		if err := add(w.agentA, ticket.KindComment, "", 1); err != nil {
			t.Fatal(err)
		}
		// The queue's list shows the setting.
		qs := must(w.svc.Queues(ctx, w.agentA))
		for _, q := range qs {
			if want := map[string]ticket.TimeSpent{"Servicedesk": ticket.TimeSpentRequired, "Security": ticket.TimeSpentOff}[q.Name]; q.TimeSpent != want {
				t.Errorf("queue %s: got %q, want %q", q.Name, q.TimeSpent, want)
			}
		}
	})
}

func TestSplit(t *testing.T) {
	forEachDialectWith(t, unthrottled, func(t *testing.T, w *world) {
		ctx := context.Background()
		must(w.svc.UpdateQueue(ctx, w.admin, "Servicedesk", desk.QueuePatch{TimeSpent: ptr(ticket.TimeSpentOptional)}))
		tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Drucker und Laptop",
			Description: "Drucker kaputt, Laptop auch", CC: []string{"bob@example.org"}}))
		other := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "x", Description: "x"}))
		entry := func(a access.Actor, kind ticket.Kind, vis ticket.Visibility, body string, minutes int) int64 {
			w.clock.Add(time.Minute)
			return must(w.svc.AddEntry(ctx, a, tk.Number, desk.NewEntry{Kind: kind, Body: body, Visibility: vis, TimeSpent: minutes})).ID
		}
		printer := entry(w.agentA, ticket.KindMessage, "", "Zum Drucker: Toner getauscht", 15)
		laptop := entry(w.alice, ticket.KindComment, "", "Der Laptop startet nicht mehr", 0)
		note := entry(w.agentA, ticket.KindComment, ticket.VisibilityStaff, "Laptopmodell ist alt, Garantie prüfen", 20)
		file := must(w.svc.AddAttachment(ctx, w.alice, tk.Number, ticket.ChannelWeb, "laptop.txt", "", strings.NewReader("Fehlermeldung 0x42")))
		es := must(w.svc.Entries(ctx, w.agentA, tk.Number))
		var desc, event int64
		for _, e := range es {
			switch e.Kind {
			case ticket.KindDescription:
				desc = e.ID
			case ticket.KindEvent:
				event = e.ID
			}
		}
		cur := must(w.svc.Ticket(ctx, w.agentA, tk.Number))
		split := func(a access.Actor, ids ...int64) error {
			_, err := w.svc.SplitTicket(ctx, a, tk.Number, desk.Split{Entries: ids, Version: cur.Version})
			return err
		}
		otherDesc := must(w.svc.Entries(ctx, w.agentA, other.Number))[0].ID

		// Refused selections, and who may not split.
		wantProblem(t, split(w.agentA), ticket.EINVALID, "entries", desk.ProblemSplitNone)
		wantProblem(t, split(w.agentA, laptop, otherDesc), ticket.EINVALID, "entries", desk.ProblemSplitForeign)
		wantProblem(t, split(w.agentA, laptop, 999999), ticket.EINVALID, "entries", desk.ProblemSplitForeign)
		wantProblem(t, split(w.agentA, desc, printer, laptop, note, file.EntryID), ticket.EINVALID, "entries", desk.ProblemSplitAll)
		wantProblem(t, split(w.agentA, desc, laptop), ticket.EINVALID, "entries", desk.ProblemSplitDescription)
		if event != 0 {
			wantProblem(t, split(w.agentA, event), ticket.EINVALID, "entries", desk.ProblemSplitEvent)
		}
		wantCode(t, split(w.alice, laptop), ticket.EFORBIDDEN)
		wantCode(t, split(w.agentB, laptop), ticket.EFORBIDDEN) // sees it, is no member
		_, err := w.svc.SplitTicket(ctx, w.agentA, tk.Number, desk.Split{Entries: []int64{laptop}, Version: cur.Version - 1})
		wantCode(t, err, ticket.ECONFLICT)
		// The refusals changed nothing.
		if got := must(w.svc.Ticket(ctx, w.agentA, tk.Number)); got.Version != cur.Version {
			t.Fatalf("refused splits changed the ticket to version %d", got.Version)
		}

		var seen int64
		outbox(t, w, &seen)
		w.clock.Add(time.Minute)
		nt := must(w.svc.SplitTicket(ctx, w.agentA, tk.Number, desk.Split{Entries: []int64{laptop, note, file.EntryID, laptop}, Version: cur.Version}))
		if nt.Requester != "alice@example.org" || nt.Queue != "Servicedesk" || !slices.Equal(nt.CC, []string{"bob@example.org"}) ||
			nt.State != ticket.StateNew || nt.Number == tk.Number {
			t.Fatalf("got new ticket %+v, want alice's (bob in CC) in Servicedesk, new", nt)
		}
		if nt.Subject != "Aus #1: Drucker und Laptop" {
			t.Errorf("got subject %q, want it derived in alice's language", nt.Subject)
		}
		if *nt.TimeSpent != 20 {
			t.Errorf("got the new ticket's time spent %d, want 20 (the note's)", *nt.TimeSpent)
		}
		if got := *must(w.svc.Ticket(ctx, w.agentA, tk.Number)).TimeSpent; got != 15 {
			t.Errorf("got the old ticket's time spent %d, want 15", got)
		}
		// The requesters learn the new number; the agent who split hears nothing.
		if n := outbox(t, w, &seen); n != "created>alice created>bob" {
			t.Errorf("got notifications %q, want the receipt to the requesters", n)
		}

		kinds := func(a access.Actor, number int64) string {
			var out []string
			for _, e := range must(w.svc.Entries(ctx, a, number)) {
				if e.Kind == ticket.KindEvent {
					out = append(out, e.Field+" "+e.NewValue)
				} else {
					out = append(out, string(e.Kind)+"/"+string(e.Visibility)+" "+e.Body)
				}
			}
			return strings.Join(out, " | ")
		}
		if got, want := kinds(w.agentA, tk.Number), "description/public Drucker kaputt, Laptop auch | message/public Zum Drucker: Toner getauscht | split_into #3"; got != want {
			t.Errorf("old ticket, staff:\ngot  %s\nwant %s", got, want)
		}
		if got, want := kinds(w.agentA, nt.Number), "description/public Abgetrennt von #1 („Drucker und Laptop“): die folgenden Einträge gehörten zuerst dorthin. | "+
			"comment/public Der Laptop startet nicht mehr | comment/staff Laptopmodell ist alt, Garantie prüfen | attachment/public laptop.txt | split_from #1"; got != want {
			t.Errorf("new ticket, staff:\ngot  %s\nwant %s", got, want)
		}
		// The staff note stays staff's: the requester never sees it.
		if got := kinds(w.alice, nt.Number); strings.Contains(got, "Garantie") || !strings.Contains(got, "Der Laptop startet") {
			t.Errorf("new ticket, requester: got %s, want her comment and not the staff note", got)
		}
		// The file went along.
		f, rc, err := w.svc.OpenAttachment(ctx, w.alice, nt.Number, file.ID)
		if err != nil {
			t.Fatalf("the file on the new ticket: %v", err)
		}
		body, _ := io.ReadAll(rc)
		rc.Close()
		if string(body) != "Fehlermeldung 0x42" || f.Name != "laptop.txt" {
			t.Errorf("got file %q %q", f.Name, body)
		}
		if _, _, err := w.svc.OpenAttachment(ctx, w.alice, tk.Number, file.ID); ticket.ErrorCode(err) != ticket.ENOTFOUND {
			t.Errorf("the file on the old ticket: got %v, want not found", err)
		}
		// Linked both ways.
		if got := must(w.svc.Ticket(ctx, w.alice, tk.Number)).Links; !slices.Equal(got, []ticket.Link{{Kind: "related", Number: nt.Number}}) {
			t.Errorf("old ticket links %v", got)
		}
		if got := must(w.svc.Ticket(ctx, w.alice, nt.Number)).Links; !slices.Equal(got, []ticket.Link{{Kind: "related", Number: tk.Number}}) {
			t.Errorf("new ticket links %v", got)
		}
		// Search finds the moved texts on the new ticket.
		for q, want := range map[string]int64{"Laptop startet": nt.Number, "Toner": tk.Number, "laptop.txt": nt.Number} {
			p := must(w.svc.Search(ctx, w.agentA, ticket.Filter{Q: q}))
			if len(p.Items) != 1 || p.Items[0].Number != want {
				var got []int64
				for _, it := range p.Items {
					got = append(got, it.Number)
				}
				t.Errorf("search %q: got %v, want #%d", q, got, want)
			}
		}

		// A closed ticket is not split.
		must(w.svc.Act(ctx, w.alice, tk.Number, desk.Action{Name: "withdraw"}))
		_, err = w.svc.SplitTicket(ctx, w.agentA, tk.Number, desk.Split{Entries: []int64{printer}})
		wantCode(t, err, ticket.ECONFLICT)
		if r := ticket.ErrorReason(err); r != "err.ticket.split_closed" {
			t.Errorf("got reason %q, want err.ticket.split_closed", r)
		}
	})
}
