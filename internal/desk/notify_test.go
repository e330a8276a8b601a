package desk_test

import (
	"context"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// outbox returns the notifications written since the last call, as
// "event>recipient" lines in order.
func outbox(t *testing.T, w *world, seen *int64) string {
	t.Helper()
	var ns []*store.Notification
	err := w.db.Read(context.Background(), func(tx *store.Tx) (err error) {
		ns, err = tx.Notifications(context.Background(), "", 1000, 0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(ns) - 1; i >= 0; i-- { // oldest first
		if n := ns[i]; n.ID > *seen {
			out = append(out, n.Event+">"+strings.TrimSuffix(n.Recipient, "@example.org"))
			*seen = n.ID
			if !strings.HasSuffix(n.MessageID, "@servus.localhost") || n.State != "pending" {
				t.Errorf("got notification %+v, want a servus Message-ID, pending", n)
			}
		}
	}
	return strings.Join(out, " ")
}

func TestNotifications(t *testing.T) {
	forEachDialectWith(t, unthrottled, func(t *testing.T, w *world) {
		ctx := context.Background()
		must(w.svc.CreateUser(ctx, access.System, desk.NewUser{Email: "carl@example.org", Name: "Carl", Role: ticket.RoleRequester}))
		var seen int64
		steps := []struct {
			name string
			do   func() error
			want string
		}{
			{"requester opens: receipt and the queue", func() error {
				_, err := w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "s", Description: "d", CC: []string{"carl@example.org"}})
				return err
			}, "created>alice created>carl created>anna"},
			{"a watcher outside the queue", func() error {
				_, err := w.svc.Act(ctx, w.agentB, 1, desk.Action{Name: "watch"})
				return err
			}, ""},
			{"take: nobody hears of their own action", func() error {
				_, err := w.svc.Act(ctx, w.agentA, 1, desk.Action{Name: "take"})
				return err
			}, "assigned>bernd"},
			{"question to the requesters", func() error {
				_, err := w.svc.AddEntry(ctx, w.agentA, 1, desk.NewEntry{Kind: ticket.KindQuestion, Body: "Welcher Raum?"})
				return err
			}, "question>alice question>carl question>bernd"},
			{"answer to the assignee", func() error {
				_, err := w.svc.AddEntry(ctx, w.alice, 1, desk.NewEntry{Kind: ticket.KindAnswer, Body: "3.14"})
				return err
			}, "answer>anna answer>bernd"},
			{"staff note: never to requesters", func() error {
				_, err := w.svc.AddEntry(ctx, w.agentA, 1, desk.NewEntry{Kind: ticket.KindComment, Body: "intern", Visibility: ticket.VisibilityStaff})
				return err
			}, "comment>bernd"},
			{"queue note: not to a watcher outside the queue", func() error {
				_, err := w.svc.AddEntry(ctx, w.agentA, 1, desk.NewEntry{Kind: ticket.KindComment, Body: "nur Queue", Visibility: ticket.VisibilityQueue})
				return err
			}, ""},
			{"resolved to the requesters", func() error {
				_, err := w.svc.Act(ctx, w.agentA, 1, desk.Action{Name: "resolve"})
				return err
			}, "resolved>alice resolved>carl resolved>bernd"},
			{"cc requester closes", func() error {
				_, err := w.svc.Act(ctx, w.actor(t, "carl@example.org"), 1, desk.Action{Name: "close"})
				return err
			}, "closed>anna closed>bernd"},
			{"made confidential: the watcher outside the queue loses access", func() error {
				tk := must(w.svc.Ticket(ctx, w.agentA, 1))
				yes := true
				if _, err := w.svc.UpdateTicket(ctx, w.agentA, 1, desk.Patch{Version: tk.Version, Confidential: &yes}); err != nil {
					return err
				}
				_, err := w.svc.Act(ctx, w.alice, 1, desk.Action{Name: "reopen"})
				return err
			}, "reopened>anna"},
			{"an agent opens on a requester's behalf: the receipt, nothing to the agent", func() error {
				_, err := w.svc.CreateTicket(ctx, w.agentA, desk.NewTicket{Queue: "Servicedesk", Subject: "Anruf", Description: "d",
					Requester: "bob@example.org", Channel: ticket.ChannelPhone})
				return err
			}, "created>bob"},
		}
		for _, st := range steps {
			if err := st.do(); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			if got := outbox(t, w, &seen); got != st.want {
				t.Errorf("%s:\n got %q\nwant %q", st.name, got, st.want)
			}
		}
	})
}
