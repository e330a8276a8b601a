package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/servus-desk/servus/internal/ticket"
)

// DescriptionEntry returns the description entry of ticketID (its first
// entry of kind description), whoever may see it: the caller asks the
// policy. ENOTFOUND when the ticket has none.
func (tx *Tx) DescriptionEntry(ctx context.Context, ticketID int64) (*ticket.Entry, error) {
	var e ticket.Entry
	var created int64
	err := tx.queryRow(ctx, `SELECT e.id, e.ticket_id, e.kind, COALESCE(u.email, ''), COALESCE(e.author_id, 0),
		e.channel, e.visibility, e.body, e.created_at
		FROM entries e LEFT JOIN users u ON u.id = e.author_id
		WHERE e.ticket_id = ? AND e.kind = 'description' ORDER BY e.id LIMIT 1`, ticketID).Scan(
		&e.ID, &e.TicketID, &e.Kind, &e.Author, &e.AuthorID, &e.Channel, &e.Visibility, &e.Body, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ticket.E(ticket.ENOTFOUND, "err.description.none")
	} else if err != nil {
		return nil, err
	}
	e.CreatedAt = fromMS(created)
	return &e, nil
}

// ReplaceDescription gives the description entry e the text body, keeping
// the text it had as an earlier version edited by editorID at at, and
// indexes the new text for search in place of the old. e.Body becomes body.
func (tx *Tx) ReplaceDescription(ctx context.Context, e *ticket.Entry, body string, editorID int64, at time.Time) error {
	if _, err := tx.exec(ctx, "INSERT INTO description_versions (entry_id, body, edited_by, edited_at) VALUES (?, ?, ?, ?)",
		e.ID, e.Body, nullID(editorID), ms(at)); err != nil {
		return err
	}
	// The HTML of a description that came by mail is the old text's: the
	// edited text is plain.
	if _, err := tx.exec(ctx, "UPDATE entries SET body = ?, body_html = '' WHERE id = ?", body, e.ID); err != nil {
		return err
	}
	e.Body, e.BodyHTML = body, ""
	return tx.IndexText(ctx, e.TicketID, "entry", e.ID, e.Visibility, body)
}

// DescriptionVersions lists the earlier texts of the description entry e,
// oldest first: the text it was written with (by e's author, at e's
// creation), then each text an edit put in place and a later edit
// replaced (by that edit's author, at its time). Empty when it was never
// edited. The caller has checked that the reader may see e.
func (tx *Tx) DescriptionVersions(ctx context.Context, e *ticket.Entry) ([]ticket.DescriptionVersion, error) {
	rows, err := tx.query(ctx, `SELECT d.body, COALESCE(u.email, ''), d.edited_at
		FROM description_versions d LEFT JOIN users u ON u.id = d.edited_by
		WHERE d.entry_id = ? ORDER BY d.id`, e.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ticket.DescriptionVersion{}
	author, at := e.Author, e.CreatedAt
	for rows.Next() {
		var body, editor string
		var edited int64
		if err := rows.Scan(&body, &editor, &edited); err != nil {
			return nil, err
		}
		out = append(out, ticket.DescriptionVersion{Body: body, Author: author, CreatedAt: at})
		author, at = editor, fromMS(edited)
	}
	return out, rows.Err()
}
