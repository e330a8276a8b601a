package desk_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

func TestAssignMoveLinkMergeWatch(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		for i := range 3 {
			must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: fmt.Sprint("Ticket ", i+1), Description: "d"}))
		}
		must(w.svc.CreateTicket(ctx, w.bob, desk.NewTicket{Queue: "Security", Subject: "Geheim", Description: "d"}))

		// assign: only to members of the ticket's queue
		_, err := w.svc.Act(ctx, w.agentA, 1, desk.Action{Name: "assign", Assignee: "bernd@example.org"})
		wantCode(t, err, ticket.EINVALID)
		_, err = w.svc.Act(ctx, w.agentA, 1, desk.Action{Name: "assign"})
		wantCode(t, err, ticket.EINVALID)
		got := must(w.svc.Act(ctx, w.admin, 1, desk.Action{Name: "assign", Assignee: "anna@example.org"}))
		if got.Assignee != "anna@example.org" || got.State != ticket.StateOpen {
			t.Fatalf("assign: got %s/%s, want anna/open", got.Assignee, got.State)
		}
		// an agent outside the queue may not work it, nor take it
		_, err = w.svc.Act(ctx, w.agentB, 1, desk.Action{Name: "take"})
		wantCode(t, err, ticket.EFORBIDDEN)

		// move to Security: anna is no member there, so she is unassigned
		got = must(w.svc.Act(ctx, w.agentA, 1, desk.Action{Name: "move", Queue: "Security"}))
		if got.Queue != "Security" || got.Assignee != "" {
			t.Fatalf("move: got queue %s assignee %q, want Security and nobody", got.Queue, got.Assignee)
		}
		_, err = w.svc.Act(ctx, w.agentB, 1, desk.Action{Name: "move", Queue: "Nirgendwo"})
		wantCode(t, err, ticket.EINVALID)

		// link: both tickets show it; a link to a ticket one may not see
		// is "not found"
		must(w.svc.Act(ctx, w.agentA, 2, desk.Action{Name: "link", Target: 3, LinkKind: "parent"}))
		if l := must(w.svc.Ticket(ctx, w.agentA, 3)).Links; len(l) != 1 || l[0] != (ticket.Link{Kind: "child", Number: 2}) {
			t.Fatalf("got links of #3 %v, want child #2", l)
		}
		_, err = w.svc.Act(ctx, w.agentA, 2, desk.Action{Name: "link", Target: 4})
		wantCode(t, err, ticket.ENOTFOUND)
		_, err = w.svc.Act(ctx, w.agentA, 2, desk.Action{Name: "link", Target: 2})
		wantCode(t, err, ticket.EINVALID)

		// merge #3 into #2: #3 closes as merged, its requester follows #2
		must(w.svc.CreateUser(ctx, w.admin, desk.NewUser{Email: "cara@example.org", Name: "Cara"}))
		must(w.svc.UpdateTicket(ctx, w.agentA, 3, desk.Patch{Version: must(w.svc.Ticket(ctx, w.agentA, 3)).Version, CC: &[]string{"cara@example.org"}}))
		got = must(w.svc.Act(ctx, w.agentA, 3, desk.Action{Name: "merge", Target: 2}))
		if got.State != ticket.StateClosed || got.CloseReason != ticket.ReasonMerged {
			t.Fatalf("merge: got %s/%s, want closed/merged", got.State, got.CloseReason)
		}
		if cc := must(w.svc.Ticket(ctx, w.agentA, 2)).CC; fmt.Sprint(cc) != "[cara@example.org]" {
			t.Fatalf("merge: got CC of #2 %v, want cara", cc)
		}
		_, err = w.svc.Act(ctx, w.agentA, 2, desk.Action{Name: "merge", Target: 3})
		wantCode(t, err, ticket.ECONFLICT)

		// watch and unwatch
		if ws := must(w.svc.Act(ctx, w.alice, 2, desk.Action{Name: "watch"})).Watchers; fmt.Sprint(ws) != "[alice@example.org]" {
			t.Fatalf("watch: got %v", ws)
		}
		// Who else watches is for staff to see, not for the requester.
		must(w.svc.Act(ctx, w.agentA, 2, desk.Action{Name: "watch"}))
		if ws := must(w.svc.Ticket(ctx, w.alice, 2)).Watchers; fmt.Sprint(ws) != "[alice@example.org]" {
			t.Fatalf("requester sees watchers %v, want only themself", ws)
		}
		if ws := must(w.svc.Ticket(ctx, w.agentB, 2)).Watchers; len(ws) != 2 {
			t.Fatalf("staff sees watchers %v, want both", ws)
		}
		must(w.svc.Act(ctx, w.agentA, 2, desk.Action{Name: "unwatch"}))
		if ws := must(w.svc.Act(ctx, w.alice, 2, desk.Action{Name: "unwatch"})).Watchers; len(ws) != 0 {
			t.Fatalf("unwatch: got %v", ws)
		}
	})
}

func TestAttachmentLimits(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "s", Description: "d"}))
		big := make([]byte, w.svc.MaxAttachment()+1)
		_, err := w.svc.AddAttachment(ctx, w.alice, 1, ticket.ChannelWeb, "big.bin", "", bytesReader(big))
		wantCode(t, err, ticket.ETOOLARGE)
		if fs := must(w.svc.Attachments(ctx, w.alice, 1)); len(fs) != 0 {
			t.Fatalf("a refused upload left %d attachments", len(fs))
		}
		png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 100)...)
		f := must(w.svc.AddAttachment(ctx, w.alice, 1, ticket.ChannelWeb, "../../etc/Bildschirmfoto.txt", "", bytesReader(png)))
		if f.ContentType != "image/png" || f.Name != "Bildschirmfoto.txt" || f.Size != int64(len(png)) {
			t.Fatalf("got %s %q %d, want image/png, a safe name and the size", f.ContentType, f.Name, f.Size)
		}
		// a requester may not upload staff-only files
		_, err = w.svc.AddAttachment(ctx, w.alice, 1, ticket.ChannelWeb, "x", ticket.VisibilityStaff, bytesReader(png))
		wantCode(t, err, ticket.EFORBIDDEN)
	})
}

// TestMergeHistoryHidesHiddenTicket: the history of a merge names the other
// ticket only to those who may see it; everyone else reads of "another
// ticket" and never learns its number, in the timeline and on the page.
func TestMergeHistoryHidesHiddenTicket(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		if err := w.svc.AddQueueMember(ctx, access.System, "Security", "admin@example.org"); err != nil {
			t.Fatal(err)
		}
		admin := w.actor(t, "admin@example.org")
		secret := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Security", Subject: "Geheim", Description: "d"}))
		plain := must(w.svc.CreateTicket(ctx, w.bob, desk.NewTicket{Queue: "Servicedesk", Subject: "Offen", Description: "d"}))
		if !secret.Confidential || plain.Confidential {
			t.Fatalf("got confidential %v and %v, want true and false", secret.Confidential, plain.Confidential)
		}
		must(w.svc.Act(ctx, admin, plain.Number, desk.Action{Name: "merge", Target: secret.Number}))

		ref := func(n int64) string { return fmt.Sprintf("#%d", n) }
		for _, c := range []struct {
			who    string
			a      access.Actor
			number int64
			field  string
			want   string
		}{
			{"non-member agent on the merged ticket", w.agentA, plain.Number, "merged_into", ""},
			{"member agent on the merged ticket", w.agentB, plain.Number, "merged_into", ref(secret.Number)},
			{"merging admin on the merged ticket", admin, plain.Number, "merged_into", ref(secret.Number)},
			{"its requester, now in CC of the other", w.bob, plain.Number, "merged_into", ref(secret.Number)},
			{"servus on the merged ticket", access.System, plain.Number, "merged_into", ref(secret.Number)},
			{"requester of the surviving ticket", w.alice, secret.Number, "merged_from", ""},
			{"member agent on the surviving ticket", w.agentB, secret.Number, "merged_from", ref(plain.Number)},
			{"requester of the merged ticket", w.bob, secret.Number, "merged_from", ref(plain.Number)},
		} {
			t.Run(c.who, func(t *testing.T) {
				es := must(w.svc.Entries(ctx, c.a, c.number))
				tv := must(w.svc.TicketView(ctx, c.a, c.number))
				for name, es := range map[string][]*ticket.Entry{"Entries": es, "TicketView": tv.Entries} {
					found := false
					for _, e := range es {
						if e.Kind == ticket.KindEvent && e.Field == c.field {
							found = true
							if e.NewValue != c.want {
								t.Errorf("%s of #%d: got %s %q, want %q", name, c.number, c.field, e.NewValue, c.want)
							}
						}
					}
					if !found {
						t.Errorf("%s of #%d: no %s event", name, c.number, c.field)
					}
				}
			})
		}
	})
}

// TestAttachmentReaction: a requester's public file on a waiting ticket is
// their reaction and opens it; the same file from a queue member who is
// also the requester (asking a question with a screenshot) is not.
func TestAttachmentReaction(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		for _, c := range []struct {
			who  access.Actor
			want ticket.State
		}{{w.alice, ticket.StateOpen}, {w.agentA, ticket.StateWaiting}} {
			tk := must(w.svc.CreateTicket(ctx, c.who, desk.NewTicket{Queue: "Servicedesk", Subject: "s", Description: "d"}))
			must(w.svc.AddEntry(ctx, w.agentA, tk.Number, desk.NewEntry{Kind: ticket.KindQuestion, Body: "Welche?"}))
			must(w.svc.AddAttachment(ctx, c.who, tk.Number, ticket.ChannelWeb, "bild.png", "", bytesReader([]byte("PNG"))))
			if got := must(w.svc.Ticket(ctx, access.System, tk.Number)).State; got != c.want {
				t.Errorf("file by %s on a waiting ticket: got %s, want %s", c.who.Email, got, c.want)
			}
		}
	})
}

// A ticket moved into a queue that is confidential by default becomes
// confidential, as one created there is, and the history says so; an
// admin outside that queue loses sight of it.
func TestMoveIntoConfidentialQueue(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Verdacht auf Phishing", Description: "d"}))
		got := must(w.svc.Act(ctx, w.agentA, 1, desk.Action{Name: "move", Queue: "Security"}))
		if !got.Confidential {
			t.Fatalf("moved into Security: got confidential %v, want true", got.Confidential)
		}
		es := must(w.svc.Entries(ctx, w.agentB, 1))
		var seen bool
		for _, e := range es {
			if e.Kind == ticket.KindEvent && e.Field == "confidential" && e.OldValue == "false" && e.NewValue == "true" {
				seen = true
			}
		}
		if !seen {
			t.Fatalf("history has no confidential false → true event: %+v", es)
		}
		_, err := w.svc.Ticket(ctx, w.admin, 1)
		wantCode(t, err, ticket.ENOTFOUND)
		// Back into Servicedesk: it stays confidential until someone lifts it.
		if got := must(w.svc.Act(ctx, w.agentB, 1, desk.Action{Name: "move", Queue: "Servicedesk"})); !got.Confidential {
			t.Fatalf("moved back: got confidential false, want it kept")
		}
	})
}
