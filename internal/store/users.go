package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/ticket"
)

const userColumns = "u.id, u.email, u.name, u.role, u.language, u.created_at, u.disabled_at, u.kind, u.auditor, u.auth_source, COALESCE(u.external_id, '')"

func scanUser(row interface{ Scan(...any) error }, extra ...any) (*ticket.User, error) {
	var u ticket.User
	var created int64
	var disabled sql.NullInt64
	dest := append([]any{&u.ID, &u.Email, &u.Name, &u.Role, &u.Language, &created, &disabled, &u.Kind, &u.Auditor, &u.AuthSource, &u.ExternalID}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	u.CreatedAt = fromMS(created)
	u.DisabledAt = fromNullMS(disabled)
	u.Disabled = u.DisabledAt != nil
	return &u, nil
}

// InsertUser adds u with a password hash (may be empty) and sets u.ID; a
// person whose mail domain an organisation names becomes its member.
// ECONFLICT if the e-mail is taken.
func (tx *Tx) InsertUser(ctx context.Context, u *ticket.User, passwordHash string) error {
	if u.Kind == "" {
		u.Kind = ticket.KindPerson
	}
	if u.AuthSource == "" {
		u.AuthSource = ticket.SourceLocal
	}
	err := tx.queryRow(ctx, `INSERT INTO users (email, name, role, language, password_hash, created_at, kind, auth_source, external_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		u.Email, u.Name, u.Role, u.Language, passwordHash, ms(u.CreatedAt), u.Kind, u.AuthSource, nullString(u.ExternalID)).Scan(&u.ID)
	if err = tx.db.wrap(err); IsUniqueViolation(err) {
		return ticket.E(ticket.ECONFLICT, "err.user.exists", u.Email)
	} else if err != nil {
		return err
	}
	return tx.assignByDomain(ctx, u)
}

// InsertUserIfAbsent adds u (without a password) unless a user with its
// e-mail exists, and reports whether it did; u.ID is set only then. Two
// transactions making the same person at once (first mails of one sender
// arriving together) do not fail: on PostgreSQL the second waits for the
// first's commit and then inserts nothing.
func (tx *Tx) InsertUserIfAbsent(ctx context.Context, u *ticket.User) (bool, error) {
	if u.Kind == "" {
		u.Kind = ticket.KindPerson
	}
	if u.AuthSource == "" {
		u.AuthSource = ticket.SourceLocal
	}
	err := tx.queryRow(ctx, `INSERT INTO users (email, name, role, language, password_hash, created_at, kind, auth_source, external_id)
		VALUES (?, ?, ?, ?, '', ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
		u.Email, u.Name, u.Role, u.Language, ms(u.CreatedAt), u.Kind, u.AuthSource, nullString(u.ExternalID)).Scan(&u.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, tx.db.wrap(err)
	}
	return true, tx.assignByDomain(ctx, u)
}

// UserByEmail returns the user with email and their password hash; ENOTFOUND
// if there is none.
func (tx *Tx) UserByEmail(ctx context.Context, email string) (*ticket.User, string, error) {
	var hash string
	u, err := scanUser(tx.queryRow(ctx, "SELECT "+userColumns+", u.password_hash FROM users u WHERE u.email = ?", email), &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", ticket.E(ticket.ENOTFOUND, "err.user.not_found", email)
	}
	return u, hash, err
}

// UserByID returns the user with id; ENOTFOUND if there is none.
func (tx *Tx) UserByID(ctx context.Context, id int64) (*ticket.User, error) {
	u, err := scanUser(tx.queryRow(ctx, "SELECT "+userColumns+" FROM users u WHERE u.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ticket.E(ticket.ENOTFOUND, "err.user.unknown")
	}
	return u, err
}

// SetPasswordHash replaces a user's password hash and ends all of the
// user's API tokens: whoever sets a new password (after a reset, or a
// change) also shuts out every program that acted as them.
func (tx *Tx) SetPasswordHash(ctx context.Context, userID int64, hash string) error {
	if _, err := tx.exec(ctx, "UPDATE users SET password_hash = ? WHERE id = ?", hash, userID); err != nil {
		return err
	}
	_, err := tx.exec(ctx, "DELETE FROM tokens WHERE user_id = ?", userID)
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
		return nil, ticket.E(ticket.ENOTFOUND, "err.token.unknown")
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

// UpdateUser writes u's name, role, auditor flag, language and disabled
// time. ENOTFOUND if there is no user u.ID.
func (tx *Tx) UpdateUser(ctx context.Context, u *ticket.User) error {
	res, err := tx.exec(ctx, "UPDATE users SET name = ?, role = ?, auditor = ?, language = ?, disabled_at = ? WHERE id = ?",
		u.Name, u.Role, u.Auditor, u.Language, msPtr(u.DisabledAt), u.ID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ticket.E(ticket.ENOTFOUND, "err.user.not_found", u.Email)
	}
	return nil
}

// LockEnabledAdmins returns the IDs of the enabled admins. On PostgreSQL it
// locks their rows until the transaction ends, so that two admins demoting
// or disabling each other at once cannot leave servus without one (SQLite
// has one writer at a time anyway).
func (tx *Tx) LockEnabledAdmins(ctx context.Context) ([]int64, error) {
	q := "SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL ORDER BY id"
	if tx.db.dialect == Postgres {
		q += " FOR UPDATE"
	}
	return tx.ids(ctx, q)
}

// DeleteUserSessions ends every web session of userID and returns how many
// there were.
func (tx *Tx) DeleteUserSessions(ctx context.Context, userID int64) (int64, error) {
	res, err := tx.exec(ctx, "DELETE FROM sessions WHERE user_id = ?", userID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// RemoveMemberships takes userID out of every queue and returns the names
// of the queues they were a member of, by name.
func (tx *Tx) RemoveMemberships(ctx context.Context, userID int64) ([]string, error) {
	rows, err := tx.query(ctx, `SELECT q.name FROM queue_members m JOIN queues q ON q.id = m.queue_id
		WHERE m.user_id = ? ORDER BY q.name`, userID)
	if err != nil {
		return nil, err
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		names = append(names, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	_, err = tx.exec(ctx, "DELETE FROM queue_members WHERE user_id = ?", userID)
	return names, err
}

// AssignedTicketNumbers lists the numbers of the tickets not closed that
// are assigned to userID and that a may see, in queueID only when it is
// not 0, oldest first. Pass access.System to change all of them.
func (tx *Tx) AssignedTicketNumbers(ctx context.Context, a access.Actor, userID, queueID int64) ([]int64, error) {
	scope, args := access.TicketScope(a)
	q := "SELECT t.number FROM tickets t WHERE t.assignee_id = ? AND t.state <> 'closed' AND " + scope
	args = append([]any{userID}, args...)
	if queueID != 0 {
		q += " AND t.queue_id = ?"
		args = append(args, queueID)
	}
	return tx.ids(ctx, q+" ORDER BY t.number", args...)
}

// MemberQueueNames returns the names of the queues each of userIDs is a
// member of, by name, keyed by user ID; users in no queue are absent.
func (tx *Tx) MemberQueueNames(ctx context.Context, userIDs []int64) (map[int64][]string, error) {
	out := make(map[int64][]string, len(userIDs))
	if len(userIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(userIDs))
	for i, id := range userIDs {
		args[i] = id
	}
	rows, err := tx.query(ctx, `SELECT m.user_id, q.name FROM queue_members m JOIN queues q ON q.id = m.queue_id
		WHERE m.user_id IN (`+placeholders(len(userIDs))+`) ORDER BY q.name`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = append(out[id], name)
	}
	return out, rows.Err()
}

// UserFilter narrows the admin's list of users; zero values match all.
type UserFilter struct {
	Query string      // part of the name or e-mail, any case
	Role  ticket.Role // one role only
	State string      // "active" or "disabled"
}

// Users lists the users f matches by role (admins, agents, requesters) and
// name, at most limit (default 500) from offset, with the total.
func (tx *Tx) Users(ctx context.Context, f UserFilter, limit, offset int) ([]*ticket.User, int, error) {
	var where []string
	var args []any
	if q := strings.ToLower(strings.TrimSpace(f.Query)); q != "" {
		like := "%" + likeEscape(q) + "%"
		where = append(where, `(LOWER(u.name) LIKE ? ESCAPE '\' OR u.email LIKE ? ESCAPE '\')`)
		args = append(args, like, like)
	}
	if f.Role != "" {
		where = append(where, "u.role = ?")
		args = append(args, f.Role)
	}
	switch f.State {
	case "active":
		where = append(where, "u.disabled_at IS NULL")
	case "disabled":
		where = append(where, "u.disabled_at IS NOT NULL")
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM users u"+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if limit <= 0 {
		limit = 500
	}
	rows, err := tx.query(ctx, "SELECT "+userColumns+" FROM users u"+cond+`
		ORDER BY CASE u.role WHEN 'admin' THEN 0 WHEN 'agent' THEN 1 ELSE 2 END, LOWER(u.name), u.email
		LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*ticket.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, u)
	}
	return out, total, rows.Err()
}

// likeEscape escapes the wildcards of a LIKE pattern (with ESCAPE '\').
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// SetUserPreferences stores a user's language ("de" or "en") and time zone
// (an IANA name, or empty for the default).
func (tx *Tx) SetUserPreferences(ctx context.Context, userID int64, lang, timeZone string) error {
	_, err := tx.exec(ctx, "UPDATE users SET language = ?, time_zone = ? WHERE id = ?", lang, timeZone, userID)
	return err
}

// UserTimeZone returns the time zone of userID ("" for the default).
func (tx *Tx) UserTimeZone(ctx context.Context, userID int64) (string, error) {
	var tz string
	err := tx.queryRow(ctx, "SELECT time_zone FROM users WHERE id = ?", userID).Scan(&tz)
	return tz, err
}

// UserNames returns the display names of the users with the given e-mails,
// keyed by e-mail; unknown ones are absent.
func (tx *Tx) UserNames(ctx context.Context, emails []string) (map[string]string, error) {
	out := make(map[string]string, len(emails))
	if len(emails) == 0 {
		return out, nil
	}
	args := make([]any, len(emails))
	for i, e := range emails {
		args[i] = e
	}
	rows, err := tx.query(ctx, "SELECT email, name FROM users WHERE email IN ("+placeholders(len(emails))+")", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var e, n string
		if err := rows.Scan(&e, &n); err != nil {
			return nil, err
		}
		out[e] = n
	}
	return out, rows.Err()
}
