package store

import (
	"context"
	"time"
)

// TicketsRequestedBy lists the IDs of the tickets userID requested.
func (tx *Tx) TicketsRequestedBy(ctx context.Context, userID int64) ([]int64, error) {
	return tx.ids(ctx, "SELECT id FROM tickets WHERE requester_id = ? ORDER BY id", userID)
}

// EraseUser removes the personal data of the account userID, whose address
// was oldEmail: it takes newEmail (an address of ticket.ErasedDomain) and
// loses its name, password, language, time zone, API tokens, sessions,
// password resets, saved filters, memberships, watches and places as a
// further requester; it is disabled. History events that named oldEmail
// (assignments, further requesters) name newEmail instead; mail still due
// to it is dropped; the bounce record and sign-in failures under oldEmail
// go; raw mails it sent that belong to no ticket lose sender and subject.
// The row itself stays, so what the person did as staff stays documented
// (entries, assignments, audit rows) under the new address. It returns the
// blob hashes of those raw mails (see BlobsInUse before removing them).
func (tx *Tx) EraseUser(ctx context.Context, userID int64, oldEmail, newEmail string, now time.Time) ([]string, error) {
	var hashes []string
	rows, err := tx.query(ctx, "SELECT raw_hash FROM inbound WHERE sender = ? AND raw_hash <> ''", oldEmail)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			rows.Close()
			return nil, err
		}
		hashes = append(hashes, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	steps := []struct {
		q    string
		args []any
	}{
		{`UPDATE users SET email = ?, name = '', password_hash = '', language = 'de', time_zone = '',
			disabled_at = COALESCE(disabled_at, ?) WHERE id = ?`, []any{newEmail, ms(now), userID}},
		{"DELETE FROM tokens WHERE user_id = ?", []any{userID}},
		{"DELETE FROM sessions WHERE user_id = ?", []any{userID}},
		{"DELETE FROM password_resets WHERE user_id = ?", []any{userID}},
		{"DELETE FROM saved_filters WHERE owner_id = ?", []any{userID}},
		{"DELETE FROM macros WHERE owner_id = ?", []any{userID}},
		{"DELETE FROM text_modules WHERE owner_id = ?", []any{userID}},
		{"DELETE FROM queue_members WHERE user_id = ?", []any{userID}},
		{"DELETE FROM organisation_members WHERE user_id = ?", []any{userID}},
		{"DELETE FROM watchers WHERE user_id = ?", []any{userID}},
		{"DELETE FROM ticket_cc WHERE user_id = ?", []any{userID}},
		{`UPDATE entries SET old_value = replace(old_value, ?, ?), new_value = replace(new_value, ?, ?)
			WHERE kind = 'event' AND (old_value LIKE ? ESCAPE '\' OR new_value LIKE ? ESCAPE '\')`,
			[]any{oldEmail, newEmail, oldEmail, newEmail, "%" + likeEscape(oldEmail) + "%", "%" + likeEscape(oldEmail) + "%"}},
		{`UPDATE outbox SET state = CASE WHEN state = 'pending' THEN 'dropped' ELSE state END, last_error = '', secret = NULL
			WHERE recipient_id = ?`, []any{userID}},
		{"DELETE FROM undeliverable WHERE email = ?", []any{oldEmail}},
		{`DELETE FROM login_failures WHERE bucket = ? OR bucket LIKE ? ESCAPE '\'`, []any{"email:" + oldEmail, "pair:% " + likeEscape(oldEmail)}},
		{"UPDATE inbound SET sender = '', subject = '', message_id = '', raw_hash = '', size = 0, error = '' WHERE sender = ?", []any{oldEmail}},
	}
	for _, s := range steps {
		if _, err := tx.exec(ctx, s.q, s.args...); err != nil {
			return nil, err
		}
	}
	return hashes, nil
}

// EnabledAdminIDs returns the IDs of the enabled admins, without locking
// them (for reading; see LockEnabledAdmins for changes).
func (tx *Tx) EnabledAdminIDs(ctx context.Context) ([]int64, error) {
	return tx.ids(ctx, "SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL ORDER BY id")
}
