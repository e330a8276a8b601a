package desk

import (
	"context"
	"io"
	"strconv"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// AddAttachment stores r as a file named name on the ticket with number,
// visible as vis (default public), and records it in the timeline as
// arriving through ch. A requester's public file on a waiting or resolved
// ticket is their reaction, as an answer would be: the ticket opens. The
// bytes are written before the ticket is touched, so a failed upload changes
// nothing. Errors: ETOOLARGE beyond MaxAttachment, ENOTFOUND, EFORBIDDEN,
// EINVALID, ECONFLICT for a closed ticket.
func (s *Service) AddAttachment(ctx context.Context, a access.Actor, number int64, ch ticket.Channel, name string, vis ticket.Visibility, r io.Reader) (*ticket.Attachment, error) {
	if vis == "" {
		vis = ticket.VisibilityPublic
	}
	if !ch.Valid() {
		ch = ticket.ChannelAPI
	}
	if !vis.Valid() {
		return nil, ticket.E(ticket.EINVALID, "err.visibility.unknown").Field("visibility", "problem.visibility")
	}
	// Ask first, so that nobody can fill the disk through a ticket they may
	// not touch.
	if err := s.db.Read(ctx, func(tx *store.Tx) error {
		t, err := s.change(ctx, tx, a, number, access.ActAttach, 0)
		if err == nil && !access.CanSeeEntry(a, t, vis) {
			err = ticket.E(ticket.EFORBIDDEN, "err.attachment.may_not", vis, t.Ref())
		}
		return err
	}); err != nil {
		return nil, err
	}
	info, err := s.blobs.Put(r, s.max)
	if err != nil {
		return nil, err
	}
	f := &ticket.Attachment{Name: blob.SafeName(name), ContentType: info.ContentType, Size: info.Size,
		Hash: info.Hash, UploaderID: a.UserID, Uploader: a.Email, Visibility: vis}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		t, err := s.change(ctx, tx, a, number, access.ActAttach, 0)
		if err != nil {
			return err
		}
		if t.State == ticket.StateClosed && !a.Staff() {
			return ticket.E(ticket.ECONFLICT, "err.ticket.closed", t.Ref())
		}
		now := s.now().UTC()
		e := &ticket.Entry{TicketID: t.ID, Kind: ticket.KindAttachment, AuthorID: a.UserID, Author: a.Email,
			Channel: ch, Visibility: vis, Body: f.Name, CreatedAt: now}
		if err := tx.InsertEntry(ctx, e); err != nil {
			return err
		}
		f.TicketID, f.EntryID, f.CreatedAt = t.ID, e.ID, now
		if err := tx.InsertAttachment(ctx, f); err != nil {
			return err
		}
		worker := a.Staff() && (a.Member(t.QueueID) || a.Admin()) // who asked, when asking with a file
		if a.Requests(t) && !worker && vis == ticket.VisibilityPublic && (t.State == ticket.StateWaiting || t.State == ticket.StateResolved) {
			if err := s.transition(ctx, tx, a, t, ticket.EventAnswer); err != nil {
				return err
			}
		}
		if err := s.notify(ctx, tx, a, t, NotifyAttached, e); err != nil {
			return err
		}
		return s.save(ctx, tx, t)
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Attachments lists the attachments of the ticket with number that a may
// see; ENOTFOUND when a may not see the ticket.
func (s *Service) Attachments(ctx context.Context, a access.Actor, number int64) ([]*ticket.Attachment, error) {
	var out []*ticket.Attachment
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		t, err := s.load(ctx, tx, a, number)
		if err != nil {
			return err
		}
		out, err = tx.Attachments(ctx, a, t.ID)
		return err
	})
	if out == nil {
		out = []*ticket.Attachment{}
	}
	return out, err
}

// OpenAttachment returns attachment id of the ticket with number and its
// bytes, which the caller closes; ENOTFOUND when a may not see either.
func (s *Service) OpenAttachment(ctx context.Context, a access.Actor, number, id int64) (*ticket.Attachment, io.ReadCloser, error) {
	var f *ticket.Attachment
	var t *ticket.Ticket
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		if t, err = s.load(ctx, tx, a, number); err != nil {
			return err
		}
		f, err = tx.Attachment(ctx, a, t.ID, id)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	// The file is named by its ID: its name is the ticket's content, which
	// the readers of the audit log (auditors, admins outside the queue)
	// may not see.
	if err := s.auditView(ctx, a, t, "attachment "+strconv.FormatInt(f.ID, 10)); err != nil {
		return nil, nil, err
	}
	rc, err := s.blobs.Open(f.Hash)
	if err != nil {
		return nil, nil, err
	}
	return f, rc, nil
}
