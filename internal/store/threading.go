package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Thread is what a mail about a ticket needs to thread in its recipient's
// mail client: Message-IDs without angle brackets, each empty when unknown.
type Thread struct {
	Root    string // the first mail servus received about the ticket (the one that opened it, if any)
	First   string // the first mail to this recipient about the ticket, sent or still to be sent
	Last    string // the newest mail to this recipient before this one, sent or still to be sent
	Inbound string // the received mail that made the causing entry
}

// ThreadOf returns the thread of notification n, a mail about a ticket.
// Earlier mails to the same recipient count while they are pending too:
// the receipt of a new ticket may still wait in the outbox (or go out in
// the same batch) when a question about it is sent, and the question must
// thread under it all the same. Dropped and failed mails never reached the
// recipient and do not count.
func (tx *Tx) ThreadOf(ctx context.Context, n *Notification) (Thread, error) {
	var th Thread
	one := func(dst *string, q string, args ...any) error {
		err := tx.queryRow(ctx, q, args...).Scan(dst)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return err
	}
	err := one(&th.Root, `SELECT message_id FROM mail_ids WHERE ticket_id = ? AND outgoing = FALSE
		ORDER BY created_at, message_id LIMIT 1`, n.TicketID)
	if err == nil {
		err = one(&th.First, `SELECT message_id FROM outbox WHERE ticket_id = ? AND recipient_id = ? AND state IN ('sent', 'pending') AND id < ?
			ORDER BY id LIMIT 1`, n.TicketID, n.RecipientID, n.ID)
	}
	if err == nil {
		err = one(&th.Last, `SELECT message_id FROM outbox WHERE ticket_id = ? AND recipient_id = ? AND state IN ('sent', 'pending') AND id < ?
			ORDER BY id DESC LIMIT 1`, n.TicketID, n.RecipientID, n.ID)
	}
	if err == nil && n.EntryID != 0 {
		err = one(&th.Inbound, `SELECT message_id FROM mail_ids WHERE entry_id = ? AND outgoing = FALSE
			UNION ALL SELECT i.message_id FROM entries e JOIN inbound i ON i.id = e.inbound_id WHERE e.id = ? AND i.message_id <> ''
			LIMIT 1`, n.EntryID, n.EntryID)
	}
	return th, err
}

// InsertMailID records a Message-ID as belonging to a ticket (and entry);
// an ID seen before keeps its first owner.
func (tx *Tx) InsertMailID(ctx context.Context, messageID string, ticketID, entryID int64, outgoing bool, now time.Time) error {
	_, err := tx.exec(ctx, `INSERT INTO mail_ids (message_id, ticket_id, entry_id, outgoing, created_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, messageID, ticketID, nullID(entryID), outgoing, ms(now))
	return err
}

// TicketNumberByMailIDs returns the number of the ticket that the newest
// known of ids belongs to (ids as in References: oldest first), or 0.
func (tx *Tx) TicketNumberByMailIDs(ctx context.Context, ids []string) (int64, error) {
	for i := len(ids) - 1; i >= 0; i-- {
		var n int64
		err := tx.queryRow(ctx, "SELECT t.number FROM mail_ids m JOIN tickets t ON t.id = m.ticket_id WHERE m.message_id = ?", ids[i]).Scan(&n)
		if err == nil {
			return n, nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return 0, err
		}
	}
	return 0, nil
}
