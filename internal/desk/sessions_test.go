package desk_test

import (
	"context"
	"testing"
	"time"

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
