package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/servus-desk/servus/internal/ticket"
)

// PasswordReset is a one-time link that lets a person set a new password.
// Only the SHA-256 of its token is stored.
type PasswordReset struct {
	ID        int64
	UserID    int64
	Lang      string // the language the person asked in; empty: the account's
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time // when it set a password
	RevokedAt *time.Time // when another link of the same person was used first
}

// InsertPasswordReset stores r under the hash of its token and sets r.ID.
func (tx *Tx) InsertPasswordReset(ctx context.Context, r *PasswordReset, tokenHash string) error {
	return tx.queryRow(ctx, `INSERT INTO password_resets (user_id, token_hash, lang, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, r.UserID, tokenHash, r.Lang, ms(r.CreatedAt), ms(r.ExpiresAt)).Scan(&r.ID)
}

// RecordResetRequest stores the password reset r under the hash of its
// token with its mail n (setting r.ID, n.ResetID and n.ID) when send is
// true. When send is false it runs the very same statements, which then
// insert nothing: a request for an address without an account (or one
// that may not get a link now) takes the same steps as one that sends.
func (tx *Tx) RecordResetRequest(ctx context.Context, r *PasswordReset, tokenHash string, n *Notification, send bool) error {
	on := 0
	if send {
		on = 1
	}
	err := tx.queryRow(ctx, `INSERT INTO password_resets (user_id, token_hash, lang, created_at, expires_at)
		SELECT CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT)
		WHERE CAST(? AS INTEGER) = 1 RETURNING id`, r.UserID, tokenHash, r.Lang, ms(r.CreatedAt), ms(r.ExpiresAt), on).Scan(&r.ID)
	if err != nil && (send || !errors.Is(err, sql.ErrNoRows)) {
		return err
	}
	n.ResetID, n.State = r.ID, "pending"
	err = tx.queryRow(ctx, `INSERT INTO outbox (created_at, event, recipient_id, message_id, next_attempt_at, reset_id, secret)
		SELECT CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS TEXT)
		WHERE CAST(? AS INTEGER) = 1 RETURNING id`, ms(n.CreatedAt), n.Event, n.RecipientID, n.MessageID, ms(n.NextAttemptAt),
		r.ID, n.Secret, on).Scan(&n.ID)
	if err != nil && (send || !errors.Is(err, sql.ErrNoRows)) {
		return err
	}
	return nil
}

const passwordResetSelect = `SELECT id, user_id, lang, created_at, expires_at, used_at, revoked_at FROM password_resets`

func scanPasswordReset(row *sql.Row) (*PasswordReset, error) {
	var r PasswordReset
	var created, expires int64
	var used, revoked sql.NullInt64
	err := row.Scan(&r.ID, &r.UserID, &r.Lang, &created, &expires, &used, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ticket.E(ticket.ENOTFOUND, "err.reset.not_found")
	} else if err != nil {
		return nil, err
	}
	r.CreatedAt, r.ExpiresAt, r.UsedAt, r.RevokedAt = fromMS(created), fromMS(expires), fromNullMS(used), fromNullMS(revoked)
	return &r, nil
}

// PasswordResetByHash returns the password reset whose token has
// tokenHash, whatever its state; ENOTFOUND if there is none.
func (tx *Tx) PasswordResetByHash(ctx context.Context, tokenHash string) (*PasswordReset, error) {
	return scanPasswordReset(tx.queryRow(ctx, passwordResetSelect+" WHERE token_hash = ?", tokenHash))
}

// PasswordResetByID returns password reset id, whatever its state;
// ENOTFOUND if there is none.
func (tx *Tx) PasswordResetByID(ctx context.Context, id int64) (*PasswordReset, error) {
	return scanPasswordReset(tx.queryRow(ctx, passwordResetSelect+" WHERE id = ?", id))
}

// PasswordResetsSince counts the password resets made for userID since t,
// for the per-address limit.
func (tx *Tx) PasswordResetsSince(ctx context.Context, userID int64, t time.Time) (int, error) {
	var n int
	err := tx.queryRow(ctx, "SELECT COUNT(*) FROM password_resets WHERE user_id = ? AND created_at >= ?", userID, ms(t)).Scan(&n)
	return n, err
}

// UsePasswordReset sets the password hash of r's user at now and makes
// every link of that user unusable: r is used, the user's other
// outstanding links are revoked, and all of the user's web sessions end.
// It returns ECONFLICT when r was used or revoked meanwhile (another
// transaction won), so that a link sets a password once only.
func (tx *Tx) UsePasswordReset(ctx context.Context, r *PasswordReset, passwordHash string, now time.Time) error {
	res, err := tx.exec(ctx, "UPDATE password_resets SET used_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL",
		ms(now), r.ID)
	if err != nil {
		return err
	}
	if k, err := res.RowsAffected(); err != nil {
		return err
	} else if k != 1 {
		return ticket.E(ticket.ECONFLICT, "err.reset.used_store")
	}
	if err := tx.SetPasswordHash(ctx, r.UserID, passwordHash); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE password_resets SET revoked_at = ?
		WHERE user_id = ? AND id <> ? AND used_at IS NULL AND revoked_at IS NULL`, ms(now), r.UserID, r.ID); err != nil {
		return err
	}
	_, err = tx.exec(ctx, "DELETE FROM sessions WHERE user_id = ?", r.UserID)
	return err
}

// DropStaleResetMails drops the pending mails of password reset links that
// can no longer be used at now (expired, used or revoked before the mail
// went out), wiping their secrets, and returns how many. A mail a worker is
// sending right now (leased) is left to that worker.
func (tx *Tx) DropStaleResetMails(ctx context.Context, now time.Time) (int64, error) {
	res, err := tx.exec(ctx, `UPDATE outbox SET state = 'dropped', secret = NULL, next_attempt_at = ?,
		last_error = 'the link could no longer be used when the mail was due (expired, used or replaced)'
		WHERE state = 'pending' AND locked_until <= ? AND reset_id IN (SELECT r.id FROM password_resets r
			WHERE r.expires_at <= ? OR r.used_at IS NOT NULL OR r.revoked_at IS NOT NULL)`, ms(now), ms(now), ms(now))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
