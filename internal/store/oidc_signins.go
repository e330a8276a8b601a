package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/servus-desk/servus/internal/ticket"
)

// OIDCSignIn is an OpenID Connect sign-in under way: what the callback
// with State needs to finish it.
type OIDCSignIn struct {
	State     string
	Nonce     string
	Verifier  string // PKCE code verifier
	Next      string // local path to go to afterwards
	CreatedAt time.Time
	ExpiresAt time.Time
}

// InsertOIDCSignIn stores s.
func (tx *Tx) InsertOIDCSignIn(ctx context.Context, s *OIDCSignIn) error {
	_, err := tx.exec(ctx, `INSERT INTO oidc_signins (state, nonce, verifier, next, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		s.State, s.Nonce, s.Verifier, s.Next, ms(s.CreatedAt), ms(s.ExpiresAt))
	return err
}

// TakeOIDCSignIn deletes the sign-in with state and returns it, once:
// ENOTFOUND when there is none (never begun, taken before, swept) or it
// expired by now.
func (tx *Tx) TakeOIDCSignIn(ctx context.Context, state string, now time.Time) (*OIDCSignIn, error) {
	var s OIDCSignIn
	var created, expires int64
	err := tx.queryRow(ctx, `DELETE FROM oidc_signins WHERE state = ? RETURNING state, nonce, verifier, next, created_at, expires_at`, state).
		Scan(&s.State, &s.Nonce, &s.Verifier, &s.Next, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ticket.E(ticket.ENOTFOUND, "err.signin.oidc_state")
	} else if err != nil {
		return nil, err
	}
	s.CreatedAt, s.ExpiresAt = fromMS(created), fromMS(expires)
	if !now.Before(s.ExpiresAt) {
		return nil, ticket.E(ticket.ENOTFOUND, "err.signin.oidc_state")
	}
	return &s, nil
}

// DeleteExpiredOIDCSignIns removes the sign-ins that expired before now
// and returns how many.
func (tx *Tx) DeleteExpiredOIDCSignIns(ctx context.Context, now time.Time) (int64, error) {
	res, err := tx.exec(ctx, "DELETE FROM oidc_signins WHERE expires_at <= ?", ms(now))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
