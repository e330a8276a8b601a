package store

import (
	"context"
	"database/sql"
	"errors"
	"hash/fnv"
	"slices"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/ticket"
)

// Inbound is one message as it came in: stored first (state pending), then
// processed (done, with its outcome, or failed, with the error). Its raw
// bytes live in the blob store under RawHash.
type Inbound struct {
	ID          int64
	ReceivedAt  time.Time
	Channel     string // lmtp, imap, stdin, api
	Recipient   string // the address it was delivered to, if the channel knows
	MessageID   string // without <>; "" when the mail had none
	RawHash     string
	Size        int64
	Sender      string // From (or envelope sender), lowercased
	Subject     string
	State       string // pending, done, failed
	Outcome     string // created, appended, auto-reply, bounce (when done)
	Error       string // why processing failed
	Attempts    int
	TicketID    int64 // 0 when none
	EntryID     int64 // 0 when none
	ProcessedAt *time.Time
	// Loaded for listings.
	TicketNumber int64
}

const inboundSelect = `SELECT i.id, i.received_at, i.channel, i.recipient, i.message_id, i.raw_hash, i.size, i.sender,
	i.subject, i.state, i.outcome, i.error, i.attempts, COALESCE(i.ticket_id, 0), COALESCE(i.entry_id, 0),
	i.processed_at, COALESCE(t.number, 0)
	FROM inbound i LEFT JOIN tickets t ON t.id = i.ticket_id`

func scanInbound(row interface{ Scan(...any) error }) (*Inbound, error) {
	var m Inbound
	var received int64
	var processed sql.NullInt64
	if err := row.Scan(&m.ID, &received, &m.Channel, &m.Recipient, &m.MessageID, &m.RawHash, &m.Size, &m.Sender,
		&m.Subject, &m.State, &m.Outcome, &m.Error, &m.Attempts, &m.TicketID, &m.EntryID, &processed,
		&m.TicketNumber); err != nil {
		return nil, err
	}
	m.ReceivedAt, m.ProcessedAt = fromMS(received), fromNullMS(processed)
	return &m, nil
}

// LockInbound serialises, for the rest of the transaction, the storing of
// inbound mail that could be a duplicate of this one (same raw hash, or same
// Message-ID and sender), so that two deliveries of one message at once
// cannot both pass the duplicate check; unrelated messages do not wait for
// each other. SQLite's single writer does that already; on PostgreSQL it
// takes transaction-scoped advisory locks on the two keys, always in the
// same order (so two deliveries never wait for each other crosswise).
func (tx *Tx) LockInbound(ctx context.Context, hash, messageID, sender string) error {
	if tx.db.dialect != Postgres {
		return nil
	}
	keys := []int32{inboundLockKey("hash:" + hash)}
	if messageID != "" {
		keys = append(keys, inboundLockKey("id:"+messageID+"\x00"+sender))
	}
	slices.Sort(keys)
	for _, k := range slices.Compact(keys) {
		if _, err := tx.exec(ctx, "SELECT pg_advisory_xact_lock(7263514, ?)", k); err != nil {
			return err
		}
	}
	return nil
}

// inboundLockKey maps a duplicate key to an advisory lock in LockInbound's
// class (7263514); two keys that share a lock only wait for each other.
func inboundLockKey(s string) int32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return int32(h.Sum32())
}

// InboundDuplicate returns the first stored message with the same raw
// hash, or with the same Message-ID from the same sender (when messageID is
// not empty), or nil when there is none.
func (tx *Tx) InboundDuplicate(ctx context.Context, hash, messageID, sender string) (*Inbound, error) {
	m, err := scanInbound(tx.queryRow(ctx, inboundSelect+" WHERE i.raw_hash = ? ORDER BY i.id LIMIT 1", hash))
	if err == nil {
		return m, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if messageID == "" {
		return nil, nil
	}
	m, err = scanInbound(tx.queryRow(ctx, inboundSelect+" WHERE i.message_id = ? AND i.sender = ? ORDER BY i.id LIMIT 1", messageID, sender))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return m, err
}

// InsertInbound stores m as pending and sets m.ID.
func (tx *Tx) InsertInbound(ctx context.Context, m *Inbound) error {
	m.State = "pending"
	return tx.queryRow(ctx, `INSERT INTO inbound (received_at, channel, recipient, message_id, raw_hash, size, sender, subject)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, ms(m.ReceivedAt), m.Channel, m.Recipient, m.MessageID,
		m.RawHash, m.Size, m.Sender, m.Subject).Scan(&m.ID)
}

// InboundByID returns the stored message id; ENOTFOUND if there is none.
func (tx *Tx) InboundByID(ctx context.Context, id int64) (*Inbound, error) {
	m, err := scanInbound(tx.queryRow(ctx, inboundSelect+" WHERE i.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ticket.E(ticket.ENOTFOUND, "err.inbound.not_found", id)
	}
	return m, err
}

// InboundFor returns the stored message id if a may see it
// (access.MailScope); ENOTFOUND if there is none or it is hidden from a.
func (tx *Tx) InboundFor(ctx context.Context, a access.Actor, id int64) (*Inbound, error) {
	scope, args := access.MailScope(a)
	m, err := scanInbound(tx.queryRow(ctx, inboundSelect+" WHERE i.id = ? AND "+scope, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ticket.E(ticket.ENOTFOUND, "err.inbound.not_found", id)
	}
	return m, err
}

// ClaimInbound takes message id for processing in this transaction: it
// reports false when the message is done already (someone else processed
// it). On PostgreSQL the row stays locked until the transaction ends, so
// two processors of one message wait for each other.
func (tx *Tx) ClaimInbound(ctx context.Context, id int64, now time.Time) (bool, error) {
	res, err := tx.exec(ctx, "UPDATE inbound SET processed_at = ? WHERE id = ? AND state <> 'done'", ms(now), id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// FinishInbound records that message id was processed with outcome,
// touching ticketID and entryID (0 for none).
func (tx *Tx) FinishInbound(ctx context.Context, id int64, outcome string, ticketID, entryID int64, now time.Time) error {
	_, err := tx.exec(ctx, `UPDATE inbound SET state = 'done', outcome = ?, error = '', attempts = attempts + 1,
		ticket_id = ?, entry_id = ?, processed_at = ? WHERE id = ?`, outcome, nullID(ticketID), nullID(entryID), ms(now), id)
	return err
}

// FailInbound records that processing message id failed with errText; a
// message done meanwhile stays done.
func (tx *Tx) FailInbound(ctx context.Context, id int64, errText string, now time.Time) error {
	_, err := tx.exec(ctx, `UPDATE inbound SET state = 'failed', outcome = 'failed', error = ?, attempts = attempts + 1,
		processed_at = ? WHERE id = ? AND state <> 'done'`, errText, ms(now), id)
	return err
}

// InboundByState lists the stored messages in state that a may see
// (access.MailScope), newest first, and how many there are in all.
func (tx *Tx) InboundByState(ctx context.Context, a access.Actor, state string, limit, offset int) ([]*Inbound, int, error) {
	scope, args := access.MailScope(a)
	where := " WHERE i.state = ? AND " + scope
	args = append([]any{state}, args...)
	var total int
	if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM inbound i LEFT JOIN tickets t ON t.id = i.ticket_id"+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := tx.query(ctx, inboundSelect+where+" ORDER BY i.id DESC LIMIT ? OFFSET ?", append(args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*Inbound
	for rows.Next() {
		m, err := scanInbound(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, m)
	}
	return out, total, rows.Err()
}

// PendingInbound returns the IDs of messages still pending that were
// received at or before cutoff, oldest first, at most limit.
func (tx *Tx) PendingInbound(ctx context.Context, cutoff time.Time, limit int) ([]int64, error) {
	return tx.ids(ctx, "SELECT id FROM inbound WHERE state = 'pending' AND received_at <= ? ORDER BY id LIMIT ?", ms(cutoff), limit)
}

// SetEntryInbound records that entryID came from inbound message
// inboundID, for the .eml download.
func (tx *Tx) SetEntryInbound(ctx context.Context, entryID, inboundID int64) error {
	_, err := tx.exec(ctx, "UPDATE entries SET inbound_id = ? WHERE id = ?", inboundID, entryID)
	return err
}

// SetEntryHTML keeps the sanitised HTML of the mail behind entryID with
// it (BodyHTML); the entry's text stays what is searched.
func (tx *Tx) SetEntryHTML(ctx context.Context, entryID int64, bodyHTML string) error {
	_, err := tx.exec(ctx, "UPDATE entries SET body_html = ? WHERE id = ?", bodyHTML, entryID)
	return err
}

// EntryInbound returns the inbound message behind entry entryID of
// ticketID if a may see that entry; ENOTFOUND when the entry is hidden from
// a, does not exist or did not come by mail. The caller has checked that a
// sees the ticket.
func (tx *Tx) EntryInbound(ctx context.Context, a access.Actor, ticketID, entryID int64) (*Inbound, error) {
	m, err := scanInbound(tx.queryRow(ctx, inboundSelect+` JOIN entries e ON e.inbound_id = i.id
		WHERE e.id = ? AND e.ticket_id = ? AND `+access.EntryScope(a, "e"), entryID, ticketID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ticket.E(ticket.ENOTFOUND, "err.inbound.no_mail")
	}
	return m, err
}

// DefaultQueue returns the queue for mail to no functional address;
// ENOTFOUND if no queue is the default.
func (tx *Tx) DefaultQueue(ctx context.Context) (*ticket.Queue, error) {
	q, err := scanQueue(tx.queryRow(ctx, "SELECT "+queueColumns+" FROM queues q WHERE q.is_default ORDER BY q.id LIMIT 1"))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ticket.E(ticket.ENOTFOUND, "err.queue.no_default")
	}
	return q, err
}

// MergedInto returns the number of the ticket ticketID was merged into, or
// 0.
func (tx *Tx) MergedInto(ctx context.Context, ticketID int64) (int64, error) {
	var n int64
	err := tx.queryRow(ctx, `SELECT t.number FROM links l JOIN tickets t ON t.id = l.other_id
		WHERE l.ticket_id = ? AND l.kind = 'merged-into' ORDER BY l.other_id LIMIT 1`, ticketID).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return n, err
}
