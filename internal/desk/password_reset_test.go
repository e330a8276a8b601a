package desk_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/auth"
	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// forEachResetWorld runs f against a world on SQLite and PostgreSQL, with
// a second connection to its database for looking at rows no use case
// shows.
func forEachResetWorld(t *testing.T, f func(t *testing.T, w *world, raw *sql.DB)) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dir := t.TempDir()
			var url, driver, dsn string
			if d == store.Postgres {
				url = storetest.PostgresURL(t)
				driver, dsn = "pgx", url
			} else {
				driver, dsn = "sqlite", "file:"+filepath.Join(dir, "servus.db")+"?_pragma=busy_timeout(10000)"
			}
			db, err := store.Open(ctx, url, dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			raw, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { raw.Close() })
			f(t, newWorldOn(t, db), raw)
		})
	}
}

// countRows runs a COUNT(*) query on raw.
func countRows(t *testing.T, raw *sql.DB, q string) int {
	t.Helper()
	var n int
	if err := raw.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// resetMails claims the due mails, wants them all to be reset mails, and
// returns them, still pending.
func resetMails(t *testing.T, w *world, want int) []*desk.OutMail {
	t.Helper()
	ms := claim(t, w)
	if len(ms) != want {
		t.Fatalf("claimed %d mails, want %d", len(ms), want)
	}
	for _, m := range ms {
		if m.Event != desk.NotifyPasswordReset || m.Reset == nil || m.Ticket != nil || !auth.LooksLikeToken(m.Reset.Token) {
			t.Fatalf("got %+v, want a password reset mail with a token and no ticket", m)
		}
	}
	return ms
}

// sendResets is resetMails, with each mail then recorded as sent.
func sendResets(t *testing.T, w *world, want int) []*desk.OutMail {
	t.Helper()
	ms := resetMails(t, w, want)
	for _, m := range ms {
		if err := w.svc.FinishMail(context.Background(), m.ID, nil); err != nil {
			t.Fatal(err)
		}
	}
	return ms
}

func wantLink(t *testing.T, err error, code, reason string) {
	t.Helper()
	if ticket.ErrorCode(err) != code || desk.ResetRefusal(err) != reason {
		t.Fatalf("got %v, want %s with token %q", err, code, reason)
	}
}

func TestPasswordResetLifecycle(t *testing.T) {
	forEachResetWorld(t, func(t *testing.T, w *world, raw *sql.DB) {
		ctx := context.Background()
		start := w.clock.Now()
		s1 := must(w.svc.StartSession(ctx, w.alice, 12*time.Hour))
		s2 := must(w.svc.StartSession(ctx, w.alice, 12*time.Hour))
		other := must(w.svc.StartSession(ctx, w.bob, 12*time.Hour))

		// Two links; the address is taken as typed, in any case.
		if err := w.svc.RequestPasswordReset(ctx, "  Alice@Example.org ", "en"); err != nil {
			t.Fatal(err)
		}
		first := sendResets(t, w, 1)[0]
		if first.Recipient.Email != "alice@example.org" || first.Reset.Lang != "en" || !first.Reset.Expires.Equal(start.Add(time.Hour)) {
			t.Errorf("got mail to %s in %s until %s; want alice, en, an hour from now", first.Recipient.Email, first.Reset.Lang, first.Reset.Expires)
		}
		w.clock.Add(5 * time.Minute)
		if err := w.svc.RequestPasswordReset(ctx, "alice@example.org", ""); err != nil {
			t.Fatal(err)
		}
		second := sendResets(t, w, 1)[0]
		if second.Reset.Lang != "de" || second.Reset.Token == first.Reset.Token {
			t.Errorf("second link: lang %q (want the account's, de), same token %v", second.Reset.Lang, second.Reset.Token == first.Reset.Token)
		}
		// Only hashes are stored; the raw tokens ride on the pending outbox rows.
		for _, tok := range []string{first.Reset.Token, second.Reset.Token} {
			if n := countRows(t, raw, "SELECT COUNT(*) FROM password_resets WHERE token_hash = '"+auth.HashToken(tok)+"'"); n != 1 {
				t.Errorf("%d resets stored under the token's hash, want 1", n)
			}
			if n := countRows(t, raw, "SELECT COUNT(*) FROM password_resets WHERE token_hash = '"+tok+"'"); n != 0 {
				t.Errorf("a raw token is stored as a reset's hash")
			}
		}

		link := must(w.svc.CheckPasswordReset(ctx, first.Reset.Token))
		if link.Email != "alice@example.org" || !link.Expires.Equal(start.Add(time.Hour)) {
			t.Errorf("check: got %+v", link)
		}
		for _, bad := range []string{"", "short", strings.Repeat("x", auth.MaxPasswordLen+1)} {
			_, err := w.svc.ResetPassword(ctx, first.Reset.Token, bad)
			if ticket.ErrorCode(err) != ticket.EINVALID || ticket.ErrorFields(err)["password"] == "" {
				t.Errorf("password %.10q: got %v, want invalid password", bad, err)
			}
		}
		if _, err := w.svc.ActorByPassword(ctx, "alice@example.org", "alice-secret"); err != nil {
			t.Fatalf("a refused new password changed the old one: %v", err)
		}

		u := must(w.svc.ResetPassword(ctx, first.Reset.Token, "new password 1"))
		if u.Email != "alice@example.org" {
			t.Errorf("reset returned %s", u.Email)
		}
		if _, err := w.svc.ActorByPassword(ctx, "alice@example.org", "new password 1"); err != nil {
			t.Errorf("sign-in with the new password: %v", err)
		}
		_, err := w.svc.ActorByPassword(ctx, "alice@example.org", "alice-secret")
		wantCode(t, err, ticket.EUNAUTHORIZED)
		for _, s := range []string{s1, s2} {
			_, err := w.svc.SessionActor(ctx, s, 12*time.Hour)
			wantCode(t, err, ticket.EUNAUTHORIZED)
		}
		if _, err := w.svc.SessionActor(ctx, other, 12*time.Hour); err != nil {
			t.Errorf("bob's session ended with alice's reset: %v", err)
		}

		// Single use; the other link is revoked with it; garbage is unknown.
		_, err = w.svc.ResetPassword(ctx, first.Reset.Token, "new password 2")
		wantLink(t, err, ticket.ECONFLICT, desk.ResetLinkUsed)
		_, err = w.svc.CheckPasswordReset(ctx, first.Reset.Token)
		wantLink(t, err, ticket.ECONFLICT, desk.ResetLinkUsed)
		_, err = w.svc.ResetPassword(ctx, second.Reset.Token, "new password 2")
		wantLink(t, err, ticket.ECONFLICT, desk.ResetLinkRevoked)
		fresh, _, _ := auth.NewToken()
		for _, tok := range []string{fresh, "nonsense", ""} {
			_, err = w.svc.CheckPasswordReset(ctx, tok)
			wantLink(t, err, ticket.ENOTFOUND, desk.ResetLinkUnknown)
			_, err = w.svc.ResetPassword(ctx, tok, "new password 2")
			wantLink(t, err, ticket.ENOTFOUND, desk.ResetLinkUnknown)
		}
		if _, err := w.svc.ActorByPassword(ctx, "alice@example.org", "new password 1"); err != nil {
			t.Errorf("refused links changed the password: %v", err)
		}

		// Audit: two requests (no actor: nobody was signed in), one reset by alice.
		if n := countRows(t, raw, "SELECT COUNT(*) FROM audit_log WHERE action = 'password.reset_request' AND actor_id IS NULL AND detail = 'alice@example.org'"); n != 2 {
			t.Errorf("%d request audit rows, want 2", n)
		}
		if n := countRows(t, raw, "SELECT COUNT(*) FROM audit_log WHERE action = 'password.reset' AND actor_id = "+strconv.FormatInt(w.alice.UserID, 10)); n != 1 {
			t.Errorf("%d reset audit rows, want 1", n)
		}
	})
}

func TestPasswordResetExpiry(t *testing.T) {
	forEachResetWorld(t, func(t *testing.T, w *world, raw *sql.DB) {
		ctx := context.Background()
		must(0, w.svc.RequestPasswordReset(ctx, "alice@example.org", "de"))
		tok := sendResets(t, w, 1)[0].Reset.Token
		w.clock.Add(time.Hour - time.Millisecond)
		if _, err := w.svc.CheckPasswordReset(ctx, tok); err != nil {
			t.Fatalf("just before the hour is up: %v", err)
		}
		w.clock.Add(time.Millisecond)
		_, err := w.svc.CheckPasswordReset(ctx, tok)
		wantLink(t, err, ticket.ECONFLICT, desk.ResetLinkExpired)
		_, err = w.svc.ResetPassword(ctx, tok, "new password 1")
		wantLink(t, err, ticket.ECONFLICT, desk.ResetLinkExpired)
		if _, err := w.svc.ActorByPassword(ctx, "alice@example.org", "alice-secret"); err != nil {
			t.Errorf("an expired link changed the password: %v", err)
		}
	})
}

// TestPasswordResetSendTime: a reset mail is checked again when it is due:
// a link that expired or was replaced before the mail went out is dropped
// with the reason, and its token leaves the database.
func TestPasswordResetSendTime(t *testing.T) {
	forEachResetWorld(t, func(t *testing.T, w *world, raw *sql.DB) {
		ctx := context.Background()
		// Expired while the mail server was down.
		must(0, w.svc.RequestPasswordReset(ctx, "bob@example.org", "en"))
		m := resetMails(t, w, 1)[0]
		if err := w.svc.FinishMail(ctx, m.ID, permanentErr{}); err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, raw, "SELECT COUNT(*) FROM outbox WHERE secret IS NOT NULL"); n != 0 {
			t.Errorf("a failed mail keeps its token")
		}
		if _, err := w.svc.RetryMail(ctx, w.admin, m.ID); ticket.ErrorCode(err) != ticket.ECONFLICT {
			t.Errorf("retry of a failed reset mail: %v, want conflict (its link is gone)", err)
		}
		must(0, w.svc.RequestPasswordReset(ctx, "bob@example.org", "en"))
		w.clock.Add(time.Hour)
		if ms := claim(t, w); len(ms) != 0 {
			t.Fatalf("claimed %d mails with an expired link", len(ms))
		}
		if got := states(t, w); got != "password_reset>bob:failed password_reset>bob:dropped(the link expired before the mail could be sent)" {
			t.Errorf("outbox: %s", got)
		}

		// A temporary failure keeps the token for the next attempt; the link
		// is used meanwhile (from the first attempt's mail): the retry is
		// dropped and the token wiped at once.
		must(0, w.svc.RequestPasswordReset(ctx, "bob@example.org", "en"))
		m = resetMails(t, w, 1)[0]
		if err := w.svc.FinishMail(ctx, m.ID, context.DeadlineExceeded); err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, raw, "SELECT COUNT(*) FROM outbox WHERE secret IS NOT NULL AND state = 'pending'"); n != 1 {
			t.Errorf("%d pending mails with their token after a temporary failure, want 1", n)
		}
		must(w.svc.ResetPassword(ctx, m.Reset.Token, "bob's new password"))
		if n := countRows(t, raw, "SELECT COUNT(*) FROM outbox WHERE secret IS NOT NULL"); n != 0 {
			t.Errorf("%d tokens left in the outbox after the link was used", n)
		}
		w.clock.Add(time.Hour)
		if ms := claim(t, w); len(ms) != 0 {
			t.Errorf("claimed %d mails of a used link", len(ms))
		}
		if got := states(t, w); !strings.HasSuffix(got, "password_reset>bob:dropped(the link could no longer be used when the mail was due (expired, used or replaced))") {
			t.Errorf("outbox: %s", got)
		}
	})
}

// TestPasswordResetNoEnumeration: an unknown address gets the same answer
// and nothing is stored or sent; each address gets at most ResetsPerHour
// links an hour, counted in the database.
func TestPasswordResetNoEnumeration(t *testing.T) {
	forEachResetWorld(t, func(t *testing.T, w *world, raw *sql.DB) {
		ctx := context.Background()
		if err := w.svc.RequestPasswordReset(ctx, "nobody@example.org", "de"); err != nil {
			t.Fatalf("unknown address: got %v, want the same answer as for a known one (nil)", err)
		}
		if n := countRows(t, raw, "SELECT COUNT(*) FROM password_resets") + countRows(t, raw, "SELECT COUNT(*) FROM outbox"); n != 0 {
			t.Errorf("an unknown address left %d rows", n)
		}
		if ms := claim(t, w); len(ms) != 0 {
			t.Errorf("an unknown address got %d mails", len(ms))
		}
		err := w.svc.RequestPasswordReset(ctx, "not an address", "de")
		if ticket.ErrorCode(err) != ticket.EINVALID || ticket.ErrorFields(err)["email"] == "" {
			t.Errorf("garbage address: got %v, want invalid email", err)
		}

		for i := range desk.ResetsPerHour + 2 {
			w.clock.Add(time.Minute)
			if err := w.svc.RequestPasswordReset(ctx, "anna@example.org", "de"); err != nil {
				t.Fatalf("request %d: %v", i+1, err)
			}
		}
		sendResets(t, w, desk.ResetsPerHour)
		if n := countRows(t, raw, "SELECT COUNT(*) FROM audit_log WHERE action = 'password.reset_limited'"); n != 2 {
			t.Errorf("%d limited requests audited, want 2", n)
		}
		w.clock.Add(time.Hour - 3*time.Minute) // the first link is an hour old now
		must(0, w.svc.RequestPasswordReset(ctx, "anna@example.org", "de"))
		m := sendResets(t, w, 1)[0]
		// anna is staff and had no password: the link gives her one.
		must(w.svc.ResetPassword(ctx, m.Reset.Token, "anna's first password"))
		if _, err := w.svc.ActorByPassword(ctx, "anna@example.org", "anna's first password"); err != nil {
			t.Errorf("staff sign-in after reset: %v", err)
		}
	})
}

// TestPasswordResetOutbox: reset mail is not held back by the daily cap
// for requesters and does not count towards it; the admin outbox lists it
// by recipient and kind, never with its link.
func TestPasswordResetOutbox(t *testing.T) {
	forEachResetWorld(t, func(t *testing.T, w *world, raw *sql.DB) {
		ctx := context.Background()
		blobs, err := blob.Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		p := auth.CheapParams()
		capped := desk.New(w.db, blobs, desk.Options{Now: w.clock.Now, PasswordParams: &p, Mail: desk.MailOptions{DailyCap: 1}})
		bob := w.bob
		must(capped.CreateTicket(ctx, bob, desk.NewTicket{Queue: "Servicedesk", Subject: "Beamer", Description: "flackert"}))
		for _, m := range must(capped.ClaimMail(ctx, time.Minute, 10)) {
			if err := capped.FinishMail(ctx, m.ID, nil); err != nil {
				t.Fatal(err)
			}
		}
		// bob is at his cap of 1: a reset still goes out, and does not count.
		must(0, capped.RequestPasswordReset(ctx, "bob@example.org", "en"))
		ms := must(capped.ClaimMail(ctx, time.Minute, 10))
		if len(ms) != 1 || ms[0].Reset == nil {
			t.Fatalf("claimed %v, want the reset mail despite the cap", ms)
		}
		token := ms[0].Reset.Token
		if err := capped.FinishMail(ctx, ms[0].ID, nil); err != nil {
			t.Fatal(err)
		}
		page := must(w.svc.Outbox(ctx, w.admin, "", 1, 50))
		var reset *desk.OutboxItem
		for _, it := range page.Items {
			if it.Event == desk.NotifyPasswordReset {
				reset = it
			}
		}
		if page.Total != 3 || reset == nil || reset.Ticket != 0 || reset.Recipient != "bob@example.org" || reset.State != "sent" {
			t.Fatalf("admin outbox: %d items, reset %+v; want the receipt, the queue's mail and bob's sent reset", page.Total, reset)
		}
		b, _ := json.Marshal(page)
		if strings.Contains(string(b), token) || strings.Contains(string(b), "token") {
			t.Errorf("the outbox listing shows the link:\n%s", b)
		}
		if n := countRows(t, raw, "SELECT COUNT(*) FROM outbox WHERE secret IS NOT NULL"); n != 0 {
			t.Errorf("a sent reset mail keeps its token")
		}
		if _, err := w.svc.RetryMail(ctx, w.admin, reset.ID); ticket.ErrorCode(err) != ticket.ECONFLICT {
			t.Errorf("retry of a sent reset mail: %v", err)
		}
	})
}

// TestPasswordResetDisabledAccount: a disabled account gets no link (the
// same answer as ever), a mail already waiting is dropped, and a link it
// had stops working.
func TestPasswordResetDisabledAccount(t *testing.T) {
	forEachResetWorld(t, func(t *testing.T, w *world, raw *sql.DB) {
		ctx := context.Background()
		must(0, w.svc.RequestPasswordReset(ctx, "bob@example.org", "en"))
		tok := sendResets(t, w, 1)[0].Reset.Token
		must(0, w.svc.RequestPasswordReset(ctx, "bob@example.org", "en")) // still pending when bob is disabled
		if _, err := raw.Exec("UPDATE users SET disabled_at = 1 WHERE email = 'bob@example.org'"); err != nil {
			t.Fatal(err)
		}
		if ms := claim(t, w); len(ms) != 0 {
			t.Errorf("claimed %d mails to a disabled account", len(ms))
		}
		if got := states(t, w); got != "password_reset>bob:sent password_reset>bob:dropped(the account is disabled)" {
			t.Errorf("outbox: %s", got)
		}
		_, err := w.svc.ResetPassword(ctx, tok, "a new password")
		wantLink(t, err, ticket.ENOTFOUND, desk.ResetLinkUnknown)
		if err := w.svc.RequestPasswordReset(ctx, "bob@example.org", "en"); err != nil {
			t.Fatalf("request for a disabled account: %v, want the usual answer", err)
		}
		if n := countRows(t, raw, "SELECT COUNT(*) FROM password_resets"); n != 2 {
			t.Errorf("%d resets, want no new one for a disabled account", n)
		}
	})
}

// TestSendPasswordReset: an admin sends a person their reset link; the
// audit log names the admin; nobody else may.
func TestSendPasswordReset(t *testing.T) {
	forEachResetWorld(t, func(t *testing.T, w *world, raw *sql.DB) {
		ctx := context.Background()
		wantCode(t, w.svc.SendPasswordReset(ctx, w.agentA, "bob@example.org"), ticket.EFORBIDDEN)
		wantCode(t, w.svc.SendPasswordReset(ctx, w.alice, "bob@example.org"), ticket.EFORBIDDEN)
		must(0, w.svc.SendPasswordReset(ctx, w.admin, "bob@example.org"))
		if ms := sendResets(t, w, 1); ms[0].Recipient.Email != "bob@example.org" {
			t.Fatalf("reset mail to %s, want bob", ms[0].Recipient.Email)
		}
		if got := auditRows(t, raw, "password.reset_request"); len(got) != 1 || got[0] != itoa(w.admin.UserID)+" bob@example.org" {
			t.Fatalf("audit: got %q, want the admin's id and bob", got)
		}
	})
}
