package store

import (
	"context"
)

// MoveEntries moves the entries ids of ticket fromID to ticket toID, with
// everything that belongs to them: their attachments, their search texts
// and those of their attachments, the stored mails they came from, their
// Message-IDs (a reply to such a mail lands on toID) and the notifications
// about them. Entries of other tickets among ids are left alone.
func (tx *Tx) MoveEntries(ctx context.Context, fromID, toID int64, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	in := placeholders(len(ids))
	args := func(lead ...any) []any {
		out := append([]any{}, lead...)
		for _, id := range ids {
			out = append(out, id)
		}
		return out
	}
	// Search texts first: they are found through the attachments' and
	// entries' ticket, which moves below.
	if _, err := tx.exec(ctx, `UPDATE search_docs SET ticket_id = ? WHERE ticket_id = ? AND source = 'attachment'
		AND source_id IN (SELECT f.id FROM attachments f WHERE f.ticket_id = ? AND f.entry_id IN (`+in+`))`,
		args(toID, fromID, fromID)...); err != nil {
		return err
	}
	for _, q := range []string{
		"UPDATE search_docs SET ticket_id = ? WHERE ticket_id = ? AND source = 'entry' AND source_id IN (" + in + ")",
		"UPDATE attachments SET ticket_id = ? WHERE ticket_id = ? AND entry_id IN (" + in + ")",
		"UPDATE inbound SET ticket_id = ? WHERE ticket_id = ? AND entry_id IN (" + in + ")",
		"UPDATE mail_ids SET ticket_id = ? WHERE ticket_id = ? AND entry_id IN (" + in + ")",
		"UPDATE outbox SET ticket_id = ? WHERE ticket_id = ? AND entry_id IN (" + in + ")",
		"UPDATE entries SET ticket_id = ? WHERE ticket_id = ? AND id IN (" + in + ")",
	} {
		if _, err := tx.exec(ctx, q, args(toID, fromID)...); err != nil {
			return err
		}
	}
	return nil
}
