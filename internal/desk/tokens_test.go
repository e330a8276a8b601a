package desk_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// Only a person creates tokens for their own account; an admin creates
// them for service accounts only, and servus itself (the operator's
// command line) for anyone, audited.
func TestTokensOnlyForOneselfOrServiceAccounts(t *testing.T) {
	forEachDialectRaw(t, func(t *testing.T, w *world, raw *sql.DB) {
		ctx := context.Background()
		bot := must(w.svc.CreateUser(ctx, w.admin, desk.NewUser{Email: "monitor@example.org", Name: "Monitoring", Role: ticket.RoleAgent, Service: true}))
		if !bot.Service() || bot.Kind != ticket.KindService {
			t.Fatalf("got kind %q, want a service account", bot.Kind)
		}
		_, err := w.svc.CreateUser(ctx, w.admin, desk.NewUser{Email: "bot2@example.org", Name: "Bot", Service: true, Password: "a password!"})
		wantCode(t, err, ticket.EINVALID)

		// An admin may not become a queue member's (or anyone's) API user.
		for _, email := range []string{"bernd@example.org", "alice@example.org"} {
			_, err := w.svc.CreateToken(ctx, w.admin, email)
			wantCode(t, err, ticket.EFORBIDDEN)
		}
		_, err = w.svc.CreateToken(ctx, w.agentA, "alice@example.org")
		wantCode(t, err, ticket.EFORBIDDEN)
		_, err = w.svc.CreateToken(ctx, w.agentA, "monitor@example.org")
		wantCode(t, err, ticket.EFORBIDDEN)
		_, err = w.svc.CreateToken(ctx, w.admin, "nobody@example.org")
		wantCode(t, err, ticket.ENOTFOUND)

		tok := must(w.svc.CreateToken(ctx, w.admin, "monitor@example.org"))
		if a := must(w.svc.ActorByToken(ctx, tok)); a.Email != "monitor@example.org" {
			t.Fatalf("service token acts as %s", a.Email)
		}
		own := must(w.svc.CreateToken(ctx, w.alice, "alice@example.org"))
		if a := must(w.svc.ActorByToken(ctx, own)); a.UserID != w.alice.UserID {
			t.Fatalf("own token acts as %s", a.Email)
		}
		must(w.svc.CreateToken(ctx, access.System, "bernd@example.org"))
		if n := countRows(t, raw, "SELECT COUNT(*) FROM audit_log WHERE action = 'token.create' AND actor_id IS NULL AND detail = 'bernd@example.org (command line)'"); n != 1 {
			t.Fatalf("got %d audit rows for the command line's token, want 1", n)
		}

		// A service account never signs in on the web and gets no reset mail.
		botActor := w.actor(t, "monitor@example.org")
		_, err = w.svc.StartSession(ctx, botActor, time.Hour)
		wantCode(t, err, ticket.EUNAUTHORIZED)
		if err := w.svc.RequestPasswordReset(ctx, "monitor@example.org", "en"); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.SendPasswordReset(ctx, w.admin, "monitor@example.org"); err != nil {
			t.Fatal(err)
		}
		if ms := claim(t, w); len(ms) != 0 {
			t.Fatalf("got %d mails for a service account, want none", len(ms))
		}
	})
}

// Setting a new password through a reset link ends all of the person's
// API tokens (and only theirs).
func TestPasswordResetEndsTokens(t *testing.T) {
	forEachResetWorld(t, func(t *testing.T, w *world, raw *sql.DB) {
		ctx := context.Background()
		tok := must(w.svc.CreateToken(ctx, w.alice, "alice@example.org"))
		other := must(w.svc.CreateToken(ctx, w.bob, "bob@example.org"))
		if err := w.svc.RequestPasswordReset(ctx, "alice@example.org", "en"); err != nil {
			t.Fatal(err)
		}
		m := sendResets(t, w, 1)[0]
		must(w.svc.ResetPassword(ctx, m.Reset.Token, "a new secret 123"))
		_, err := w.svc.ActorByToken(ctx, tok)
		wantCode(t, err, ticket.EUNAUTHORIZED)
		must(w.svc.ActorByToken(ctx, other))
	})
}
