package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/servus-desk/servus/internal/ticket"
)

// nullString stores an empty string as NULL.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// UserByExternalID returns the user of an outside identity source with
// the given external ID; ENOTFOUND if there is none.
func (tx *Tx) UserByExternalID(ctx context.Context, source ticket.AuthSource, id string) (*ticket.User, error) {
	u, err := scanUser(tx.queryRow(ctx, "SELECT "+userColumns+" FROM users u WHERE u.auth_source = ? AND u.external_id = ?", source, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ticket.E(ticket.ENOTFOUND, "err.user.unknown")
	}
	return u, err
}

// SetAccountSource makes userID an account of source with the external ID
// (joining an account made by mail with its directory entry) and removes
// any local password: an outside account has none. ECONFLICT if another
// account has that external ID.
func (tx *Tx) SetAccountSource(ctx context.Context, userID int64, source ticket.AuthSource, externalID string) error {
	_, err := tx.exec(ctx, "UPDATE users SET auth_source = ?, external_id = ?, password_hash = '' WHERE id = ?",
		source, nullString(externalID), userID)
	if err = tx.db.wrap(err); IsUniqueViolation(err) {
		return ticket.E(ticket.ECONFLICT, "err.account.external_taken")
	}
	return err
}

// SetUserEmail changes userID's e-mail (a directory entry whose mail
// changed). ECONFLICT if another account has it.
func (tx *Tx) SetUserEmail(ctx context.Context, userID int64, email string) error {
	_, err := tx.exec(ctx, "UPDATE users SET email = ? WHERE id = ?", email, userID)
	if err = tx.db.wrap(err); IsUniqueViolation(err) {
		return ticket.E(ticket.ECONFLICT, "err.user.exists", email)
	}
	return err
}

// ExternalAccount is one enabled account of an outside source, for the
// periodic sync that disables people who left.
type ExternalAccount struct {
	UserID     int64
	Email      string
	ExternalID string
}

// EnabledExternalAccounts lists the enabled accounts of source, by ID.
func (tx *Tx) EnabledExternalAccounts(ctx context.Context, source ticket.AuthSource) ([]ExternalAccount, error) {
	rows, err := tx.query(ctx, `SELECT id, email, external_id FROM users
		WHERE auth_source = ? AND external_id IS NOT NULL AND disabled_at IS NULL ORDER BY id`, source)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ExternalAccount
	for rows.Next() {
		var a ExternalAccount
		if err := rows.Scan(&a.UserID, &a.Email, &a.ExternalID); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
