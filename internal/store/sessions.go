package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/servus-desk/servus/internal/ticket"
)

// Session is a signed-in browser, found by the hash of its cookie token.
type Session struct {
	ID        int64
	UserID    int64
	CreatedAt time.Time
	SeenAt    time.Time
	ExpiresAt time.Time
}

// InsertSession stores a new session for userID under the token's hash.
func (tx *Tx) InsertSession(ctx context.Context, tokenHash string, userID int64, now, expires time.Time) error {
	_, err := tx.exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, seen_at, expires_at)
		VALUES (?, ?, ?, ?, ?)`, tokenHash, userID, ms(now), ms(now), ms(expires))
	return err
}

// SessionByHash returns the unexpired session with tokenHash, its user and
// the user's time zone (empty for the default); ENOTFOUND when there is
// none or it expired before now.
func (tx *Tx) SessionByHash(ctx context.Context, tokenHash string, now time.Time) (*Session, *ticket.User, string, error) {
	var s Session
	var created, seen, expires int64
	var tz string
	u, err := scanUser(tx.queryRow(ctx, "SELECT "+userColumns+`, u.time_zone, s.id, s.created_at, s.seen_at, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?`, tokenHash, ms(now)),
		&tz, &s.ID, &created, &seen, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, "", ticket.E(ticket.ENOTFOUND, "err.session.gone")
	} else if err != nil {
		return nil, nil, "", err
	}
	s.UserID = u.ID
	s.CreatedAt, s.SeenAt, s.ExpiresAt = fromMS(created), fromMS(seen), fromMS(expires)
	return &s, u, tz, nil
}

// TouchSession records that session id was used at now and moves its expiry
// to expires.
func (tx *Tx) TouchSession(ctx context.Context, id int64, now, expires time.Time) error {
	_, err := tx.exec(ctx, "UPDATE sessions SET seen_at = ?, expires_at = ? WHERE id = ?", ms(now), ms(expires), id)
	return err
}

// DeleteSession removes the session with tokenHash, if any.
func (tx *Tx) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := tx.exec(ctx, "DELETE FROM sessions WHERE token_hash = ?", tokenHash)
	return err
}

// DeleteExpiredSessions removes sessions that expired before now and returns
// how many.
func (tx *Tx) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := tx.exec(ctx, "DELETE FROM sessions WHERE expires_at <= ?", ms(now))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// CountLoginFailures returns how many sign-in failures each bucket has had
// since since.
func (tx *Tx) CountLoginFailures(ctx context.Context, buckets []string, since time.Time) (map[string]int, error) {
	out := make(map[string]int, len(buckets))
	if len(buckets) == 0 {
		return out, nil
	}
	args := make([]any, 0, len(buckets)+1)
	for _, b := range buckets {
		args = append(args, b)
	}
	args = append(args, ms(since))
	rows, err := tx.query(ctx, "SELECT bucket, COUNT(*) FROM login_failures WHERE bucket IN ("+placeholders(len(buckets))+
		") AND at >= ? GROUP BY bucket", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var b string
		var n int
		if err := rows.Scan(&b, &n); err != nil {
			return nil, err
		}
		out[b] = n
	}
	return out, rows.Err()
}

// InsertLoginFailure records a failed sign-in in each bucket at now and
// forgets failures older than forget.
func (tx *Tx) InsertLoginFailure(ctx context.Context, buckets []string, now, forget time.Time) error {
	if _, err := tx.exec(ctx, "DELETE FROM login_failures WHERE at < ?", ms(forget)); err != nil {
		return err
	}
	for _, b := range buckets {
		if _, err := tx.exec(ctx, "INSERT INTO login_failures (bucket, at) VALUES (?, ?)", b, ms(now)); err != nil {
			return err
		}
	}
	return nil
}

// DeleteLoginFailures forgets the failures of bucket (after a successful
// sign-in).
func (tx *Tx) DeleteLoginFailures(ctx context.Context, bucket string) error {
	_, err := tx.exec(ctx, "DELETE FROM login_failures WHERE bucket = ?", bucket)
	return err
}
