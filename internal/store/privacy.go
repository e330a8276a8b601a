package store

import (
	"context"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/ticket"
)

// The queries behind the export of a person's data (GDPR article 15). Each
// reads in pages or streams its rows to a callback, so that an export of a
// person with any number of tickets holds a page at a time.

// personScope selects the tickets (aliased t) a person requested or is in
// CC of; its two placeholders take the person's user ID.
const personScope = "(t.requester_id = ? OR EXISTS (SELECT 1 FROM ticket_cc cc WHERE cc.ticket_id = t.id AND cc.user_id = ?))"

// PersonTicket is one ticket of a person's export: the ticket with its CC,
// and the entries and files its requester may see.
type PersonTicket struct {
	*ticket.Ticket
	Entries     []*ticket.Entry
	Attachments []*ticket.Attachment
}

// PersonTicketPage returns at most limit tickets that person requested or
// is in CC of with an ID above afterID, by ID, each with its CC list and
// the entries and attachments person may see on it as a requester (person
// must carry the requester role: the export shows what the requester's
// view holds, never staff or queue entries). Events that name a ticket
// person does not request keep no number.
func (tx *Tx) PersonTicketPage(ctx context.Context, person access.Actor, afterID int64, limit int) ([]*PersonTicket, error) {
	rows, err := tx.query(ctx, ticketSelect+" WHERE "+personScope+" AND t.id > ? ORDER BY t.id LIMIT ?",
		person.UserID, person.UserID, afterID, limit)
	if err != nil {
		return nil, err
	}
	var page []*PersonTicket
	byID := map[int64]*PersonTicket{}
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		pt := &PersonTicket{Ticket: t, Entries: []*ticket.Entry{}, Attachments: []*ticket.Attachment{}}
		page = append(page, pt)
		byID[t.ID] = pt
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(page) == 0 {
		return page, err
	}
	ids := make([]any, len(page))
	for i, pt := range page {
		ids[i] = pt.ID
	}
	in := "(" + placeholders(len(ids)) + ")"

	rows, err = tx.query(ctx, "SELECT cc.ticket_id, u.email FROM ticket_cc cc JOIN users u ON u.id = cc.user_id WHERE cc.ticket_id IN "+in+" ORDER BY cc.ticket_id, u.email", ids...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var email string
		if err := rows.Scan(&id, &email); err != nil {
			rows.Close()
			return nil, err
		}
		byID[id].CC = append(byID[id].CC, email)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	rows, err = tx.query(ctx, `SELECT e.id, e.ticket_id, e.kind, COALESCE(u.email, ''), COALESCE(e.author_id, 0),
		e.channel, e.visibility, e.body, e.body_html, e.field, e.old_value, e.new_value, e.created_at
		FROM entries e JOIN tickets t ON t.id = e.ticket_id LEFT JOIN users u ON u.id = e.author_id
		WHERE e.ticket_id IN `+in+` AND `+access.EntryScope(person, "e")+` ORDER BY e.ticket_id, e.id`, ids...)
	if err != nil {
		return nil, err
	}
	var all []*ticket.Entry
	for rows.Next() {
		var e ticket.Entry
		var created int64
		if err := rows.Scan(&e.ID, &e.TicketID, &e.Kind, &e.Author, &e.AuthorID, &e.Channel, &e.Visibility,
			&e.Body, &e.BodyHTML, &e.Field, &e.OldValue, &e.NewValue, &created); err != nil {
			rows.Close()
			return nil, err
		}
		e.CreatedAt = fromMS(created)
		pt := byID[e.TicketID]
		pt.Entries = append(pt.Entries, &e)
		all = append(all, &e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := tx.hideOtherTickets(ctx, person, all); err != nil {
		return nil, err
	}

	rows, err = tx.query(ctx, attachmentSelect+" WHERE f.ticket_id IN "+in+" AND "+access.EntryScope(person, "f")+" ORDER BY f.ticket_id, f.id", ids...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		f, err := scanAttachment(rows)
		if err != nil {
			return nil, err
		}
		pt := byID[f.TicketID]
		pt.Attachments = append(pt.Attachments, f)
	}
	return page, rows.Err()
}

// EachPersonAttachment calls fn with every attachment person may see as a
// requester on the tickets they requested or are in CC of, with its
// ticket's number, by ID, as the rows are read; an error of fn stops it.
func (tx *Tx) EachPersonAttachment(ctx context.Context, person access.Actor, fn func(number int64, f *ticket.Attachment) error) error {
	q := "SELECT t.number, " + attachmentSelect[len("SELECT "):] + " WHERE " + personScope + " AND " +
		access.EntryScope(person, "f") + " ORDER BY f.id"
	rows, err := tx.query(ctx, q, person.UserID, person.UserID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var number int64
		var f ticket.Attachment
		var created int64
		if err := rows.Scan(&number, &f.ID, &f.TicketID, &f.EntryID, &f.Name, &f.ContentType, &f.Size, &f.Hash, &f.ContentID,
			&f.Uploader, &f.UploaderID, &f.Visibility, &created); err != nil {
			return err
		}
		f.CreatedAt = fromMS(created)
		if err := fn(number, &f); err != nil {
			return err
		}
	}
	return rows.Err()
}

// AuthoredEntry is an entry a person wrote, on any ticket, named by its
// ticket's number only.
type AuthoredEntry struct {
	Ticket int64
	Entry  ticket.Entry
}

// EachAuthoredEntry calls fn with every entry userID wrote (as requester or
// as staff, on any ticket), by ID, as the rows are read; an error of fn
// stops it. Events (field changes) carry their field but no old or new
// value: those are the ticket's content, which may be another person's.
func (tx *Tx) EachAuthoredEntry(ctx context.Context, userID int64, fn func(*AuthoredEntry) error) error {
	rows, err := tx.query(ctx, `SELECT t.number, e.id, e.kind, e.channel, e.visibility, e.body, e.field, e.created_at
		FROM entries e JOIN tickets t ON t.id = e.ticket_id WHERE e.author_id = ? ORDER BY e.id`, userID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var ae AuthoredEntry
		var created int64
		if err := rows.Scan(&ae.Ticket, &ae.Entry.ID, &ae.Entry.Kind, &ae.Entry.Channel, &ae.Entry.Visibility,
			&ae.Entry.Body, &ae.Entry.Field, &created); err != nil {
			return err
		}
		ae.Entry.CreatedAt = fromMS(created)
		if ae.Entry.Kind == ticket.KindEvent {
			ae.Entry.Body = ""
		}
		if err := fn(&ae); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EachInboundFrom calls fn with every stored inbound mail whose sender is
// email, by ID, as the rows are read; an error of fn stops it.
func (tx *Tx) EachInboundFrom(ctx context.Context, email string, fn func(*Inbound) error) error {
	rows, err := tx.query(ctx, inboundSelect+" WHERE i.sender = ? ORDER BY i.id", email)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		m, err := scanInbound(rows)
		if err != nil {
			return err
		}
		if err := fn(m); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EachAuditAbout calls fn with every audit row about a person: the rows
// they caused (actor) and the rows whose detail names their address, oldest
// first, as the rows are read; an error of fn stops it.
func (tx *Tx) EachAuditAbout(ctx context.Context, userID int64, email string, fn func(*AuditRow) error) error {
	return tx.eachAudit(ctx, auditSelect+` WHERE a.actor_id = ? OR a.detail LIKE ? ESCAPE '\' ORDER BY a.at, a.id`,
		[]any{userID, "%" + likeEscape(email) + "%"}, fn)
}
