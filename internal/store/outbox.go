package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/ticket"
)

// Notification is one mail servus owes someone: recipient and cause are
// fixed when the change happens; the mail is rendered when it is sent. Its
// cause is a ticket (TicketID), for account mail a password reset
// (ResetID, with TicketID 0), or for an escalation digest the digest
// (DigestID, with TicketID 0).
type Notification struct {
	ID            int64
	CreatedAt     time.Time
	TicketID      int64 // 0 for account mail
	EntryID       int64 // 0 when the cause is no entry (a state change)
	ResetID       int64 // the password reset an account mail is for; else 0
	DigestID      int64 // the escalation digest a mail is; else 0
	Event         string
	RecipientID   int64
	MessageID     string // without angle brackets
	State         string // pending, sent, failed, dropped
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	SentAt        *time.Time
	// Secret is what the mail needs at send time and the database may keep
	// only until then (a reset link's token): written by
	// InsertNotification, read only by NotificationSecret, wiped when the
	// notification is sent, dropped or failed. Never loaded into listings.
	Secret string
	// Loaded for listings and delivery.
	Recipient    string
	TicketNumber int64 // 0 for account mail
}

// InsertNotification writes n to the outbox, pending, and sets n.ID.
func (tx *Tx) InsertNotification(ctx context.Context, n *Notification) error {
	n.State = "pending"
	var secret any
	if n.Secret != "" {
		secret = n.Secret
	}
	return tx.queryRow(ctx, `INSERT INTO outbox (created_at, ticket_id, entry_id, event, recipient_id, message_id, next_attempt_at,
		reset_id, secret, digest_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, ms(n.CreatedAt), nullID(n.TicketID), nullID(n.EntryID), n.Event,
		n.RecipientID, n.MessageID, ms(n.NextAttemptAt), nullID(n.ResetID), secret, nullID(n.DigestID)).Scan(&n.ID)
}

// notificationSelect loads notifications with their recipient's address
// and, for mail about a ticket, its number (0 for account mail).
const notificationSelect = `SELECT o.id, o.created_at, COALESCE(o.ticket_id, 0), COALESCE(o.entry_id, 0), COALESCE(o.reset_id, 0),
	o.event, o.recipient_id, o.message_id, o.state, o.attempts, o.next_attempt_at, o.last_error, o.sent_at, u.email,
	COALESCE(t.number, 0), COALESCE(o.digest_id, 0)
	FROM outbox o JOIN users u ON u.id = o.recipient_id LEFT JOIN tickets t ON t.id = o.ticket_id`

func scanNotification(row interface{ Scan(...any) error }) (*Notification, error) {
	var n Notification
	var created, next int64
	var sent sql.NullInt64
	if err := row.Scan(&n.ID, &created, &n.TicketID, &n.EntryID, &n.ResetID, &n.Event, &n.RecipientID, &n.MessageID, &n.State,
		&n.Attempts, &next, &n.LastError, &sent, &n.Recipient, &n.TicketNumber, &n.DigestID); err != nil {
		return nil, err
	}
	n.CreatedAt, n.NextAttemptAt, n.SentAt = fromMS(created), fromMS(next), fromNullMS(sent)
	return &n, nil
}

// ClaimNotifications leases up to limit pending notifications that are due
// at now to the caller for lease, so that several servus instances never
// send the same one at once, and returns them oldest first.
func (tx *Tx) ClaimNotifications(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*Notification, error) {
	rows, err := tx.query(ctx, notificationSelect+` WHERE o.state = 'pending' AND o.next_attempt_at <= ? AND o.locked_until <= ?
		ORDER BY o.next_attempt_at, o.id LIMIT ?`, ms(now), ms(now), limit)
	if err != nil {
		return nil, err
	}
	var due []*Notification
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		due = append(due, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	claimed := due[:0]
	for _, n := range due {
		res, err := tx.exec(ctx, "UPDATE outbox SET locked_until = ? WHERE id = ? AND state = 'pending' AND locked_until <= ?",
			ms(now.Add(lease)), n.ID, ms(now))
		if err != nil {
			return nil, err
		}
		if k, err := res.RowsAffected(); err != nil {
			return nil, err
		} else if k == 1 {
			claimed = append(claimed, n)
		}
	}
	return claimed, nil
}

// FinishNotification records the outcome of one delivery attempt: state
// sent, dropped (nothing to send any more) or failed (given up), or pending
// again at next after a temporary failure. errText is the last error, if
// any. Every state but pending wipes the notification's secret.
func (tx *Tx) FinishNotification(ctx context.Context, id int64, state string, now, next time.Time, errText string) error {
	var sent any
	if state == "sent" {
		sent = ms(now)
	}
	_, err := tx.exec(ctx, `UPDATE outbox SET state = ?, attempts = attempts + 1, next_attempt_at = ?, locked_until = 0,
		last_error = ?, sent_at = ?, secret = CASE WHEN ? = 'pending' THEN secret END
		WHERE id = ? AND state = 'pending'`, state, ms(next), errText, sent, state, id)
	return err
}

// DropNotification marks a pending notification dropped (nothing to send,
// for reason) without counting a delivery attempt, and wipes its secret.
func (tx *Tx) DropNotification(ctx context.Context, id int64, now time.Time, reason string) error {
	_, err := tx.exec(ctx, `UPDATE outbox SET state = 'dropped', next_attempt_at = ?, locked_until = 0, last_error = ?, secret = NULL
		WHERE id = ? AND state = 'pending'`, ms(now), reason, id)
	return err
}

// NotificationSecret returns the secret of pending notification id, or ""
// when it has none (any more).
func (tx *Tx) NotificationSecret(ctx context.Context, id int64) (string, error) {
	var secret sql.NullString
	err := tx.queryRow(ctx, "SELECT secret FROM outbox WHERE id = ? AND state = 'pending'", id).Scan(&secret)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return secret.String, err
}

// NotificationByID returns one notification; ENOTFOUND if there is none.
func (tx *Tx) NotificationByID(ctx context.Context, id int64) (*Notification, error) {
	n, err := scanNotification(tx.queryRow(ctx, notificationSelect+" WHERE o.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ticket.E(ticket.ENOTFOUND, "err.outbox.not_found", id)
	}
	return n, err
}

// OutboxPage lists the notifications about tickets a may see, the
// account mails and the escalation digests (about no one ticket), newest
// first, in state (all when
// empty), with their total count.
func (tx *Tx) OutboxPage(ctx context.Context, a access.Actor, state string, limit, offset int) ([]*Notification, int, error) {
	scope, args := access.TicketScope(a)
	where := " WHERE (o.ticket_id IS NULL OR " + scope + ")"
	if state != "" {
		where += " AND o.state = ?"
		args = append(args, state)
	}
	var total int
	if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM outbox o LEFT JOIN tickets t ON t.id = o.ticket_id"+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := tx.query(ctx, notificationSelect+where+" ORDER BY o.id DESC LIMIT ? OFFSET ?", append(args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []*Notification{}
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, n)
	}
	return out, total, rows.Err()
}

// SentMailsSince counts the mails about tickets sent to recipientID since
// t, for the per-address daily cap (account mail has its own limits and is
// not counted).
func (tx *Tx) SentMailsSince(ctx context.Context, recipientID int64, t time.Time) (int, error) {
	var n int
	err := tx.queryRow(ctx, "SELECT COUNT(*) FROM outbox WHERE recipient_id = ? AND state = 'sent' AND sent_at >= ? AND ticket_id IS NOT NULL",
		recipientID, ms(t)).Scan(&n)
	return n, err
}

// Notifications lists the outbox, newest first, in state (all when empty).
func (tx *Tx) Notifications(ctx context.Context, state string, limit, offset int) ([]*Notification, error) {
	q, args := notificationSelect, []any{}
	if state != "" {
		q += " WHERE o.state = ?"
		args = append(args, state)
	}
	rows, err := tx.query(ctx, q+" ORDER BY o.id DESC LIMIT ? OFFSET ?", append(args, limit, offset)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Notification
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// RetryNotification makes a failed or dropped notification pending and due
// now, with a fresh round of attempts (its last error stays until the next
// attempt); ENOTFOUND if there is no such notification, ECONFLICT if it was
// sent, or if it is account mail that was dropped or failed (its secret is
// gone: the person asks for a new link instead). An escalation digest may
// be retried like mail about a ticket.
func (tx *Tx) RetryNotification(ctx context.Context, id int64, now time.Time) error {
	var state string
	var account bool
	err := tx.queryRow(ctx, "SELECT state, reset_id IS NOT NULL FROM outbox WHERE id = ?", id).Scan(&state, &account)
	if errors.Is(err, sql.ErrNoRows) {
		return ticket.E(ticket.ENOTFOUND, "err.outbox.not_found", id)
	} else if err != nil {
		return err
	}
	if state == "sent" {
		return ticket.E(ticket.ECONFLICT, "err.outbox.sent", id)
	}
	if account && state != "pending" {
		return ticket.E(ticket.ECONFLICT, "err.outbox.reset_gone", id)
	}
	if state == "pending" { // due now; a worker holding its lease keeps it
		_, err = tx.exec(ctx, "UPDATE outbox SET next_attempt_at = ? WHERE id = ?", ms(now), id)
		return err
	}
	_, err = tx.exec(ctx, "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, locked_until = 0 WHERE id = ?", ms(now), id)
	return err
}

// AutoMailsSince counts the notifications to recipientID created since t,
// for the per-address daily cap.
func (tx *Tx) AutoMailsSince(ctx context.Context, recipientID int64, t time.Time) (int, error) {
	var n int
	err := tx.queryRow(ctx, "SELECT COUNT(*) FROM outbox WHERE recipient_id = ? AND created_at >= ?", recipientID, ms(t)).Scan(&n)
	return n, err
}

// FoldNotification folds a new notification to recipientID about ticketID
// into the newest one pending for them about that ticket, which becomes a
// digest (event), unless a worker holds it (its lease runs at now). It
// reports whether there was one to fold into.
func (tx *Tx) FoldNotification(ctx context.Context, recipientID, ticketID int64, event string, now time.Time) (bool, error) {
	var id int64
	err := tx.queryRow(ctx, `SELECT id FROM outbox WHERE recipient_id = ? AND ticket_id = ? AND state = 'pending' AND locked_until <= ?
		ORDER BY id DESC LIMIT 1`, recipientID, ticketID, ms(now)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	// A worker that claimed it meanwhile wins: the UPDATE waits for its
	// claim and then finds it locked (PostgreSQL re-reads the row).
	res, err := tx.exec(ctx, "UPDATE outbox SET event = ? WHERE id = ? AND state = 'pending' AND locked_until <= ?", event, id, ms(now))
	if err != nil {
		return false, err
	}
	k, err := res.RowsAffected()
	return k == 1, err
}

// StaffMailTimes returns when the latest mail to recipientID about
// ticketID was sent or is due (zero when none), and how many mails about
// any ticket were sent to them or are due since since, counted up to limit
// only (0: not counted), with the earliest of those times once the count
// reaches limit (zero below it).
func (tx *Tx) StaffMailTimes(ctx context.Context, recipientID, ticketID int64, since time.Time, limit int) (last time.Time, count int, first time.Time, err error) {
	var l, f sql.NullInt64
	if err = tx.queryRow(ctx, `SELECT MAX(COALESCE(sent_at, next_attempt_at)) FROM outbox
		WHERE recipient_id = ? AND ticket_id = ? AND state IN ('pending', 'sent')`, recipientID, ticketID).Scan(&l); err != nil {
		return
	}
	if l.Valid {
		last = fromMS(l.Int64)
	}
	if limit <= 0 {
		return
	}
	// Both read the recipient's mails of the last hour in time order
	// (outbox_recipient_when) and stop early: the count at the limit, the
	// earliest at the first.
	const hour = `FROM outbox WHERE recipient_id = ? AND ticket_id IS NOT NULL AND state IN ('pending', 'sent')
		AND COALESCE(sent_at, next_attempt_at) >= ?`
	if err = tx.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 `+hour+` LIMIT ?) c`, recipientID, ms(since), limit).Scan(&count); err != nil {
		return
	}
	if count < limit { // under the limit the earliest does not matter
		return
	}
	if err = tx.queryRow(ctx, `SELECT MIN(COALESCE(sent_at, next_attempt_at)) `+hour, recipientID, ms(since)).Scan(&f); err != nil {
		return
	}
	if f.Valid {
		first = fromMS(f.Int64)
	}
	return
}
