package desk

import (
	"context"
	"strings"
	"time"
	_ "time/tzdata" // time zones for every user, even where the system has none

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/auth"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// Session is what a browser's session cookie stands for: the person and
// their display preferences.
type Session struct {
	Actor    access.Actor
	TimeZone string // IANA name; empty for the default
	Expires  time.Time
}

// StartSession makes a session for a (who has just proven who they are)
// lasting ttl and returns its token for the cookie; only the token's hash is
// stored. EUNAUTHORIZED for servus itself and for a service account, which
// never signs in on the web.
func (s *Service) StartSession(ctx context.Context, a access.Actor, ttl time.Duration) (string, error) {
	if a.UserID == 0 {
		return "", ticket.E(ticket.EUNAUTHORIZED, "err.session.person_only")
	}
	token, hash, err := auth.NewToken()
	if err != nil {
		return "", err
	}
	now := s.now().UTC()
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByID(ctx, a.UserID)
		if err != nil {
			return err
		}
		if u.Service() || u.Disabled {
			return ticket.E(ticket.EUNAUTHORIZED, "err.session.person_only")
		}
		if err := tx.InsertSession(ctx, hash, a.UserID, now, now.Add(ttl)); err != nil {
			return err
		}
		if err := tx.ClearUndeliverable(ctx, ticket.NormalizeEmail(a.Email)); err != nil { // they are here: mail may reach them again
			return err
		}
		return tx.InsertAudit(ctx, now, a.UserID, "session.start", 0, "")
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// sessionRenewal is how stale a session's last renewal may be before a use
// moves its expiry forward again; it keeps most requests free of writes.
const sessionRenewal = 5 * time.Minute

// SessionActor returns the session of token, moving its expiry to ttl from
// now when it was last renewed more than a few minutes ago (a sliding
// expiry). EUNAUTHORIZED for an unknown or expired token, or a disabled
// account.
func (s *Service) SessionActor(ctx context.Context, token string, ttl time.Duration) (*Session, error) {
	bad := ticket.E(ticket.EUNAUTHORIZED, "err.session.ended")
	if !auth.LooksLikeToken(token) {
		return nil, bad
	}
	hash := auth.HashToken(token)
	now := s.now().UTC()
	var out *Session
	var sess *store.Session
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		var u *ticket.User
		var tz string
		var err error
		sess, u, tz, err = tx.SessionByHash(ctx, hash, now)
		if ticket.ErrorCode(err) == ticket.ENOTFOUND || (err == nil && (u.Disabled || u.Service())) {
			return bad // a disabled account's sessions end with it; a service account has none
		} else if err != nil {
			return err
		}
		a, err := actorOf(ctx, tx, u)
		if err != nil {
			return err
		}
		out = &Session{Actor: a, TimeZone: tz, Expires: sess.ExpiresAt}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if expires := now.Add(ttl); expires.Sub(sess.ExpiresAt) > sessionRenewal {
		if err := s.db.Write(ctx, func(tx *store.Tx) error {
			return tx.TouchSession(ctx, sess.ID, now, expires)
		}); err != nil {
			return nil, err
		}
		out.Expires = expires
	}
	return out, nil
}

// EndSession deletes the session of token (signing out); an unknown token
// is no error.
func (s *Service) EndSession(ctx context.Context, token string) error {
	if !auth.LooksLikeToken(token) {
		return nil
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		return tx.DeleteSession(ctx, auth.HashToken(token))
	})
}

// DeleteExpiredSessions removes sessions past their expiry (a periodic
// clean-up) and returns how many.
func (s *Service) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.Write(ctx, func(tx *store.Tx) (err error) {
		n, err = tx.DeleteExpiredSessions(ctx, s.now().UTC())
		return err
	})
	return n, err
}

// LoginFailures counts the failed sign-ins of each bucket (e.g. "email:…",
// "ip:…") within window before now.
func (s *Service) LoginFailures(ctx context.Context, buckets []string, window time.Duration) (map[string]int, error) {
	var out map[string]int
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.CountLoginFailures(ctx, buckets, s.now().UTC().Add(-window))
		return err
	})
	return out, err
}

// RecordLoginFailure counts one failed sign-in against every bucket and
// forgets failures older than window.
func (s *Service) RecordLoginFailure(ctx context.Context, buckets []string, window time.Duration) error {
	now := s.now().UTC()
	return s.db.Write(ctx, func(tx *store.Tx) error {
		return tx.InsertLoginFailure(ctx, buckets, now, now.Add(-window))
	})
}

// SignInFailed records a failed sign-in: one failure in every bucket (as
// RecordLoginFailure) and the audit row session.fail, whose detail names
// the address tried (whether or not an account has it) and the client's
// address. The row has no actor: who tried is not known. Its number is
// bounded by the sign-in limits, since a refused attempt is no failure.
func (s *Service) SignInFailed(ctx context.Context, buckets []string, window time.Duration, email, client string) error {
	now := s.now().UTC()
	return s.db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.InsertLoginFailure(ctx, buckets, now, now.Add(-window)); err != nil {
			return err
		}
		d, err := signInDetail(ctx, tx, email, client)
		if err != nil {
			return err
		}
		return tx.InsertAudit(ctx, now, 0, "session.fail", 0, d)
	})
}

// SignInLimited records that a sign-in was refused because of the sign-in
// limits: the audit row session.limited, written at most once per window
// for mark (the bucket that was over its limit: an account from a client,
// or a client over all accounts), so that a client that keeps guessing
// adds no rows. Its detail names the address tried, the client's address
// and which limit held.
func (s *Service) SignInLimited(ctx context.Context, mark string, window time.Duration, email, client, limit string) error {
	now := s.now().UTC()
	key := "limited:" + mark
	return s.db.Write(ctx, func(tx *store.Tx) error {
		n, err := tx.CountLoginFailures(ctx, []string{key}, now.Add(-window))
		if err != nil || n[key] > 0 {
			return err
		}
		if err := tx.InsertLoginFailure(ctx, []string{key}, now, now.Add(-window)); err != nil {
			return err
		}
		d, err := signInDetail(ctx, tx, email, client)
		if err != nil {
			return err
		}
		return tx.InsertAudit(ctx, now, 0, "session.limited", 0, d+" ("+limit+")")
	})
}

// signInDetail is the detail of a sign-in audit row: the address tried
// (clipped; marked when no account has it) and the client's address.
func signInDetail(ctx context.Context, tx *store.Tx, email, client string) (string, error) {
	email = clip(ticket.CleanLine(strings.TrimSpace(email)), 254)
	d := email + " from " + client
	_, _, err := tx.UserByEmail(ctx, ticket.NormalizeEmail(email))
	switch ticket.ErrorCode(err) {
	case "":
		return d, nil
	case ticket.ENOTFOUND:
		return d + " (no such account)", nil
	}
	return "", err
}

// ClearLoginFailures forgets the failures of bucket, after a successful
// sign-in.
func (s *Service) ClearLoginFailures(ctx context.Context, bucket string) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		return tx.DeleteLoginFailures(ctx, bucket)
	})
}
