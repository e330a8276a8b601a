package desk_test

import (
	"context"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

func TestWebSessions(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		const ttl = time.Hour
		token, err := w.svc.StartSession(ctx, w.alice, ttl)
		if err != nil {
			t.Fatal(err)
		}
		s, err := w.svc.SessionActor(ctx, token, ttl)
		if err != nil || s.Actor.Email != w.alice.Email || s.TimeZone != "" {
			t.Fatalf("session: got %+v, %v; want alice with the default zone", s, err)
		}
		// Use within the hour slides the expiry; an hour of silence ends it.
		w.clock.Add(50 * time.Minute)
		if s, err = w.svc.SessionActor(ctx, token, ttl); err != nil || !s.Expires.Equal(w.clock.Now().Add(ttl)) {
			t.Fatalf("after 50 minutes: got %v, %v; want expiry slid to %v", s, err, w.clock.Now().Add(ttl))
		}
		w.clock.Add(61 * time.Minute)
		_, err = w.svc.SessionActor(ctx, token, ttl)
		wantCode(t, err, ticket.EUNAUTHORIZED)
		if n, err := w.svc.DeleteExpiredSessions(ctx); err != nil || n != 1 {
			t.Fatalf("DeleteExpiredSessions: got %d, %v; want 1", n, err)
		}
		// Sign-out ends a session; a made-up token is no session.
		token, _ = w.svc.StartSession(ctx, w.alice, ttl)
		if err := w.svc.EndSession(ctx, token); err != nil {
			t.Fatal(err)
		}
		_, err = w.svc.SessionActor(ctx, token, ttl)
		wantCode(t, err, ticket.EUNAUTHORIZED)
		_, err = w.svc.SessionActor(ctx, "servus_nonsense", ttl)
		wantCode(t, err, ticket.EUNAUTHORIZED)

		// Preferences travel with the session.
		wantCode(t, w.svc.SetPreferences(ctx, w.alice, "en", "Mars/Base"), ticket.EINVALID)
		if err := w.svc.SetPreferences(ctx, w.alice, "en", "Europe/Berlin"); err != nil {
			t.Fatal(err)
		}
		token, _ = w.svc.StartSession(ctx, w.alice, ttl)
		if s, err = w.svc.SessionActor(ctx, token, ttl); err != nil || s.Actor.Lang != "en" || s.TimeZone != "Europe/Berlin" {
			t.Fatalf("preferences: got %+v, %v", s, err)
		}
	})
}

func TestLoginFailures(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		buckets := []string{"email:alice@example.org", "ip:192.0.2.1"}
		for range 3 {
			if err := w.svc.RecordLoginFailure(ctx, buckets, 15*time.Minute); err != nil {
				t.Fatal(err)
			}
			w.clock.Add(time.Minute)
		}
		got, err := w.svc.LoginFailures(ctx, buckets, 15*time.Minute)
		if err != nil || got[buckets[0]] != 3 || got[buckets[1]] != 3 {
			t.Fatalf("failures: got %v, %v; want 3 each", got, err)
		}
		w.clock.Add(12*time.Minute + time.Second) // the first failure leaves the window
		if got, _ = w.svc.LoginFailures(ctx, buckets, 15*time.Minute); got[buckets[0]] != 2 {
			t.Fatalf("after the window moved: got %v, want 2", got)
		}
		if err := w.svc.ClearLoginFailures(ctx, buckets[0]); err != nil {
			t.Fatal(err)
		}
		if got, _ = w.svc.LoginFailures(ctx, buckets, 15*time.Minute); got[buckets[0]] != 0 || got[buckets[1]] != 2 {
			t.Fatalf("after clearing the e-mail: got %v", got)
		}
	})
}

// TestDashboardVisibility: a confidential ticket counts for its queue's
// members only; lists and counts follow the policy.
func TestDashboardVisibility(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Drucker", Description: "x"}))
		secret := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Security", Subject: "Phishing", Description: "x"}))
		past := w.clock.Now().Add(-time.Hour)
		must(w.svc.CreateTicket(ctx, w.bob, desk.NewTicket{Queue: "Servicedesk", Subject: "Spät", Description: "x", Due: &past}))

		anna := must(w.svc.Dashboard(ctx, w.agentA, 10))
		if anna.Unassigned.Total != 2 || len(anna.Queues) != 1 || anna.Queues[0].Unassigned != 2 || anna.Overdue.Total != 1 {
			t.Fatalf("Anna: unassigned %d, queues %d, overdue %d; want 2, 1 with 2, 1", anna.Unassigned.Total, len(anna.Queues), anna.Overdue.Total)
		}
		for _, tk := range anna.Unassigned.Items {
			if tk.Number == secret.Number {
				t.Fatalf("Anna's dashboard lists the confidential ticket")
			}
		}
		bernd := must(w.svc.Dashboard(ctx, w.agentB, 10))
		if bernd.Unassigned.Total != 1 || bernd.Unassigned.Items[0].Number != secret.Number {
			t.Fatalf("Bernd (Security): got %d unassigned, want the confidential one", bernd.Unassigned.Total)
		}
		alice := must(w.svc.Dashboard(ctx, w.alice, 10))
		if alice.Mine.Total != 2 || alice.Names["alice@example.org"] != "Alice Requester" {
			t.Fatalf("Alice: got %d of hers, want 2", alice.Mine.Total)
		}
		_, err := w.svc.TicketView(ctx, w.agentA, secret.Number)
		wantCode(t, err, ticket.ENOTFOUND)
		v := must(w.svc.TicketView(ctx, w.agentB, secret.Number))
		if !v.Can["take"] || len(v.Members) != 1 || len(v.Entries) == 0 {
			t.Fatalf("Bernd's view: can take %v, members %v, entries %d", v.Can["take"], v.Members, len(v.Entries))
		}
	})
}
