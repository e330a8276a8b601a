package desk_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// Appending without a version never conflicts: 50 comments at once on one
// ticket all land, each one bumping the version.
func TestConcurrentCommentsAllLand(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Viele Kommentare", Description: "d"}))
		const n = 50
		errs := make(chan error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				_, err := w.svc.AddEntry(ctx, w.agentA, tk.Number, desk.NewEntry{Kind: ticket.KindComment, Visibility: ticket.VisibilityStaff, Body: fmt.Sprint("Kommentar ", i)})
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("comment: %v", err)
			}
		}
		comments := 0
		for _, e := range must(w.svc.Entries(ctx, w.agentA, tk.Number)) {
			if e.Kind == ticket.KindComment {
				comments++
			}
		}
		if comments != n {
			t.Fatalf("got %d comments, want %d", comments, n)
		}
		if got := must(w.svc.Ticket(ctx, w.agentA, tk.Number)).Version; got != tk.Version+n {
			t.Fatalf("got version %d, want %d", got, tk.Version+n)
		}
	})
}

// 30 replies by mail to one ticket at once are all appended; none waits in
// the failed list.
func TestConcurrentMailRepliesAllAppend(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		first := receive(t, w, testMail{From: "alice@example.org", To: "servicedesk@example.org", Subject: "WLAN weg",
			MessageID: "wlan-0@example.org", Body: "Kein WLAN im Hörsaal."}.raw(), "servicedesk@example.org")
		wantOutcome(t, first, desk.OutcomeCreated)
		const n = 30
		receipts := make(chan *desk.Receipt, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				r, err := w.svc.Receive(ctx, testMail{From: "alice@example.org", To: "servicedesk@example.org", Subject: "Re: WLAN weg",
					MessageID: fmt.Sprintf("wlan-%d@example.org", i+1), InReplyTo: "wlan-0@example.org", Body: fmt.Sprint("Nachtrag ", i)}.raw(),
					desk.ChannelAPI, "servicedesk@example.org")
				if err != nil {
					t.Errorf("Receive: %v", err)
					return
				}
				receipts <- r
			})
		}
		wg.Wait()
		close(receipts)
		appended := 0
		for r := range receipts {
			if r.Outcome == desk.OutcomeAppended && r.Ticket == first.Ticket {
				appended++
			} else {
				t.Errorf("got %+v, want appended to #%d", r, first.Ticket)
			}
		}
		if appended != n {
			t.Fatalf("got %d appended, want %d", appended, n)
		}
		if failed := must(w.svc.FailedMail(ctx, w.admin, 1, 50)); failed.Total != 0 {
			t.Fatalf("got %d failed mails, want none: %+v", failed.Total, failed.Items[0])
		}
	})
}

// TestConcurrentDuplicateDeliveries delivers one message ten times at once,
// half as the same bytes and half through another path (other bytes, same
// Message-ID and sender), while other messages arrive: exactly one makes a
// ticket, the other nine are duplicates pointing to it, and the unrelated
// messages each make their own. On PostgreSQL the duplicate check locks only
// what could be a duplicate, so unrelated mail does not wait.
func TestConcurrentDuplicateDeliveries(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		m := testMail{From: "erik@example.org", To: "servicedesk@example.org", Subject: "Beamer", MessageID: "beamer-1@erik.example.org", Body: "Der Beamer im HS 1 geht nicht."}
		same, other := m.raw(), m
		other.Extra = []string{"Received: from imap by servus"}
		receipts := make(chan *desk.Receipt, 20)
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Go(func() {
				raw := same
				switch {
				case i >= 10:
					raw = testMail{From: "erik@example.org", To: "servicedesk@example.org", Subject: fmt.Sprint("Anderes ", i), MessageID: fmt.Sprintf("other-%d@erik.example.org", i), Body: "Etwas anderes."}.raw()
				case i%2 == 1:
					raw = other.raw()
				}
				r, err := w.svc.Receive(ctx, raw, desk.ChannelAPI, "servicedesk@example.org")
				if err != nil {
					t.Errorf("Receive: %v", err)
					return
				}
				receipts <- r
			})
		}
		wg.Wait()
		close(receipts)
		created, dups := map[int64]int{}, 0
		var beamer int64
		for r := range receipts {
			switch r.Outcome {
			case desk.OutcomeCreated:
				created[r.Ticket]++
				if tk := must(w.svc.Ticket(ctx, access.System, r.Ticket)); tk.Subject == "Beamer" {
					beamer = r.Ticket
				}
			case desk.OutcomeDuplicate:
				dups++
			default:
				t.Errorf("got %+v", r)
			}
		}
		if len(created) != 11 || dups != 9 || beamer == 0 {
			t.Fatalf("got %d tickets created and %d duplicates; want 11 (one Beamer, ten others) and 9", len(created), dups)
		}
	})
}
