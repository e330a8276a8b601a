package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/servus-desk/servus/internal/ticket"
)

const userColumns = "u.id, u.email, u.name, u.role, u.language, u.created_at"

func scanUser(row interface{ Scan(...any) error }, extra ...any) (*ticket.User, error) {
	var u ticket.User
	var created int64
	dest := append([]any{&u.ID, &u.Email, &u.Name, &u.Role, &u.Language, &created}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	u.CreatedAt = fromMS(created)
	return &u, nil
}

// InsertUser adds u with a password hash (may be empty) and sets u.ID.
// ECONFLICT if the e-mail is taken.
func (tx *Tx) InsertUser(ctx context.Context, u *ticket.User, passwordHash string) error {
	err := tx.queryRow(ctx, `INSERT INTO users (email, name, role, language, password_hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		u.Email, u.Name, u.Role, u.Language, passwordHash, ms(u.CreatedAt)).Scan(&u.ID)
	if err = tx.db.wrap(err); IsUniqueViolation(err) {
		return ticket.Errorf(ticket.ECONFLICT, "A user with e-mail %s exists already.", u.Email)
	}
	return err
}

// UserByEmail returns the user with email and their password hash; ENOTFOUND
// if there is none.
func (tx *Tx) UserByEmail(ctx context.Context, email string) (*ticket.User, string, error) {
	var hash string
	u, err := scanUser(tx.queryRow(ctx, "SELECT "+userColumns+", u.password_hash FROM users u WHERE u.email = ?", email), &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", ticket.Errorf(ticket.ENOTFOUND, "User %s not found.", email)
	}
	return u, hash, err
}

// UserByID returns the user with id; ENOTFOUND if there is none.
func (tx *Tx) UserByID(ctx context.Context, id int64) (*ticket.User, error) {
	u, err := scanUser(tx.queryRow(ctx, "SELECT "+userColumns+" FROM users u WHERE u.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ticket.Errorf(ticket.ENOTFOUND, "User not found.")
	}
	return u, err
}

// SetPasswordHash replaces a user's password hash.
func (tx *Tx) SetPasswordHash(ctx context.Context, userID int64, hash string) error {
	_, err := tx.exec(ctx, "UPDATE users SET password_hash = ? WHERE id = ?", hash, userID)
	return err
}

// InsertToken stores the hash of a new API token of userID.
func (tx *Tx) InsertToken(ctx context.Context, userID int64, hash string, now time.Time) error {
	_, err := tx.exec(ctx, "INSERT INTO tokens (user_id, hash, created_at) VALUES (?, ?, ?)", userID, hash, ms(now))
	return err
}

// UserByTokenHash returns the owner of the token with hash; ENOTFOUND if
// none.
func (tx *Tx) UserByTokenHash(ctx context.Context, hash string) (*ticket.User, error) {
	u, err := scanUser(tx.queryRow(ctx, "SELECT "+userColumns+" FROM tokens k JOIN users u ON u.id = k.user_id WHERE k.hash = ?", hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ticket.Errorf(ticket.ENOTFOUND, "Unknown token.")
	}
	return u, err
}

// MemberQueueIDs lists the IDs of the queues userID is a member of.
func (tx *Tx) MemberQueueIDs(ctx context.Context, userID int64) ([]int64, error) {
	rows, err := tx.query(ctx, "SELECT queue_id FROM queue_members WHERE user_id = ? ORDER BY queue_id", userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// UsersByEmail returns the users with the given e-mails, keyed by e-mail;
// unknown ones are absent.
func (tx *Tx) UsersByEmail(ctx context.Context, emails []string) (map[string]*ticket.User, error) {
	out := make(map[string]*ticket.User, len(emails))
	for _, e := range emails {
		u, _, err := tx.UserByEmail(ctx, e)
		if ticket.ErrorCode(err) == ticket.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		out[e] = u
	}
	return out, nil
}
