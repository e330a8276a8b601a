package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/textsearch"
	"github.com/servus-desk/servus/internal/ticket"
)

// InsertEntry adds e to its ticket's timeline and sets e.ID. Entries with a
// body are indexed for search (the text only, never BodyHTML).
func (tx *Tx) InsertEntry(ctx context.Context, e *ticket.Entry) error {
	const insert = `INSERT INTO entries (ticket_id, kind, author_id, channel, visibility, body, body_html,
		field, old_value, new_value, created_at, time_spent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	args := []any{e.TicketID, e.Kind, nullID(e.AuthorID), e.Channel, e.Visibility, e.Body, e.BodyHTML,
		e.Field, e.OldValue, e.NewValue, ms(e.CreatedAt), nullID(int64(e.TimeSpent))}
	indexed := e.Kind != ticket.KindEvent && e.Body != ""
	if indexed && tx.db.dialect == Postgres {
		// The entry and its search document in one statement: one round
		// trip instead of two.
		if terms := textsearch.Analyze(e.Body); terms != "" {
			return tx.queryRow(ctx, `WITH e AS (`+insert+`)
				INSERT INTO search_docs (ticket_id, source, source_id, visibility, terms)
				SELECT ?, 'entry', e.id, ?, to_tsvector('simple', ?) FROM e RETURNING source_id`,
				append(args, e.TicketID, e.Visibility, terms)...).Scan(&e.ID)
		}
	}
	if err := tx.queryRow(ctx, insert, args...).Scan(&e.ID); err != nil {
		return err
	}
	if indexed {
		return tx.IndexNewText(ctx, e.TicketID, "entry", e.ID, e.Visibility, e.Body)
	}
	return nil
}

// Entries returns the timeline of ticketID that a may see: its description
// first (a ticket split off another has entries older than its
// description), then oldest first. The
// caller has checked that a sees the ticket. An event that names another
// ticket (ticket.NamesTicket) keeps its number only when a may see that
// ticket too; otherwise its new value is empty.
func (tx *Tx) Entries(ctx context.Context, a access.Actor, ticketID int64) ([]*ticket.Entry, error) {
	rows, err := tx.query(ctx, `SELECT e.id, e.ticket_id, e.kind, COALESCE(u.email, ''), COALESCE(e.author_id, 0),
		e.channel, e.visibility, e.body, e.body_html, e.field, e.old_value, e.new_value, e.created_at,
		COALESCE(e.time_spent, 0)
		FROM entries e JOIN tickets t ON t.id = e.ticket_id LEFT JOIN users u ON u.id = e.author_id
		WHERE e.ticket_id = ? AND `+access.EntryScope(a, "e")+`
		ORDER BY CASE WHEN e.kind = 'description' THEN 0 ELSE 1 END, e.id`, ticketID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*ticket.Entry
	for rows.Next() {
		var e ticket.Entry
		var created int64
		if err := rows.Scan(&e.ID, &e.TicketID, &e.Kind, &e.Author, &e.AuthorID, &e.Channel, &e.Visibility,
			&e.Body, &e.BodyHTML, &e.Field, &e.OldValue, &e.NewValue, &created, &e.TimeSpent); err != nil {
			return nil, err
		}
		e.CreatedAt = fromMS(created)
		out = append(out, &e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := tx.hideOtherTickets(ctx, a, out); err != nil {
		return nil, err
	}
	return out, nil
}

// hideOtherTickets empties the new value of the events in es that name a
// ticket a may not see (or no readable ticket at all), asking the policy
// about all of them in one query.
func (tx *Tx) hideOtherTickets(ctx context.Context, a access.Actor, es []*ticket.Entry) error {
	var refs []*ticket.Entry
	var numbers []any
	for _, e := range es {
		if e.Kind != ticket.KindEvent || !ticket.NamesTicket(e.Field) {
			continue
		}
		refs = append(refs, e)
		if n, ok := ticket.ParseRef(e.NewValue); ok && !slices.Contains(numbers, any(n)) {
			numbers = append(numbers, n)
		}
	}
	visible := map[int64]bool{}
	if len(numbers) > 0 {
		scope, args := access.TicketScope(a)
		seen, err := tx.ids(ctx, "SELECT t.number FROM tickets t WHERE t.number IN ("+placeholders(len(numbers))+") AND "+scope,
			append(numbers, args...)...)
		if err != nil {
			return err
		}
		for _, n := range seen {
			visible[n] = true
		}
	}
	for _, e := range refs {
		if n, ok := ticket.ParseRef(e.NewValue); !ok || !visible[n] {
			e.NewValue = ""
		}
	}
	return nil
}

// InsertAttachment records a and sets a.ID; its name is indexed for search.
func (tx *Tx) InsertAttachment(ctx context.Context, a *ticket.Attachment) error {
	err := tx.queryRow(ctx, `INSERT INTO attachments (ticket_id, entry_id, name, content_type, size, hash,
		content_id, uploader_id, visibility, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		a.TicketID, nullID(a.EntryID), a.Name, a.ContentType, a.Size, a.Hash, a.ContentID, nullID(a.UploaderID),
		a.Visibility, ms(a.CreatedAt)).Scan(&a.ID)
	if err != nil {
		return err
	}
	return tx.IndexNewText(ctx, a.TicketID, "attachment", a.ID, a.Visibility, a.Name)
}

const attachmentSelect = `SELECT f.id, f.ticket_id, COALESCE(f.entry_id, 0), f.name, f.content_type, f.size, f.hash, f.content_id,
	COALESCE(u.email, ''), COALESCE(f.uploader_id, 0), f.visibility, f.created_at
	FROM attachments f JOIN tickets t ON t.id = f.ticket_id LEFT JOIN users u ON u.id = f.uploader_id`

func scanAttachment(row interface{ Scan(...any) error }) (*ticket.Attachment, error) {
	var f ticket.Attachment
	var created int64
	if err := row.Scan(&f.ID, &f.TicketID, &f.EntryID, &f.Name, &f.ContentType, &f.Size, &f.Hash, &f.ContentID,
		&f.Uploader, &f.UploaderID, &f.Visibility, &created); err != nil {
		return nil, err
	}
	f.CreatedAt = fromMS(created)
	return &f, nil
}

// Attachments lists the attachments of ticketID that a may see. The caller
// has checked that a sees the ticket.
func (tx *Tx) Attachments(ctx context.Context, a access.Actor, ticketID int64) ([]*ticket.Attachment, error) {
	rows, err := tx.query(ctx, attachmentSelect+" WHERE f.ticket_id = ? AND "+access.EntryScope(a, "f")+" ORDER BY f.id", ticketID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*ticket.Attachment
	for rows.Next() {
		f, err := scanAttachment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// Attachment returns attachment id of ticketID if a may see it; ENOTFOUND
// otherwise.
func (tx *Tx) Attachment(ctx context.Context, a access.Actor, ticketID, id int64) (*ticket.Attachment, error) {
	f, err := scanAttachment(tx.queryRow(ctx, attachmentSelect+" WHERE f.ticket_id = ? AND f.id = ? AND "+access.EntryScope(a, "f"), ticketID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ticket.E(ticket.ENOTFOUND, "err.attachment.not_found")
	}
	return f, err
}
