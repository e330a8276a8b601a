package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/servus-desk/servus/internal/ticket"
)

// InsertSAMLRequest records an authentication request servus sent, with
// the local path to go to after sign-in, open until expires; it forgets
// requests that expired before now.
func (tx *Tx) InsertSAMLRequest(ctx context.Context, id, next string, now, expires time.Time) error {
	if _, err := tx.exec(ctx, "DELETE FROM saml_requests WHERE expires_at < ?", ms(now)); err != nil {
		return err
	}
	_, err := tx.exec(ctx, "INSERT INTO saml_requests (id, next, created_at, expires_at) VALUES (?, ?, ?, ?)", id, next, ms(now), ms(expires))
	return err
}

// OpenSAMLRequest returns the path to go to after the open request id;
// ENOTFOUND when there is no such request open at now (never made,
// answered already, or expired).
func (tx *Tx) OpenSAMLRequest(ctx context.Context, id string, now time.Time) (string, error) {
	var next string
	err := tx.queryRow(ctx, "SELECT next FROM saml_requests WHERE id = ? AND expires_at >= ?", id, ms(now)).Scan(&next)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ticket.E(ticket.ENOTFOUND, "err.saml.request")
	}
	return next, err
}

// CloseSAMLRequest deletes the open request id and tells whether it was
// open at now: of two answers to one request, only one gets true.
func (tx *Tx) CloseSAMLRequest(ctx context.Context, id string, now time.Time) (bool, error) {
	res, err := tx.exec(ctx, "DELETE FROM saml_requests WHERE id = ? AND expires_at >= ?", id, ms(now))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// UseSAMLAssertion records the assertion id as used until expires and
// tells whether it is new: of two uses of one assertion, only the first
// gets true. It forgets assertions that expired before now.
func (tx *Tx) UseSAMLAssertion(ctx context.Context, id string, now, expires time.Time) (bool, error) {
	if _, err := tx.exec(ctx, "DELETE FROM saml_assertions WHERE expires_at < ?", ms(now)); err != nil {
		return false, err
	}
	res, err := tx.exec(ctx, "INSERT INTO saml_assertions (id, expires_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING", id, ms(expires))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
