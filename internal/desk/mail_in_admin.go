package desk

import (
	"context"
	"io"
	"strconv"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/mail"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// InboundMail is one stored inbound message as admins see it.
type InboundMail struct {
	ID          int64      `json:"id"`
	ReceivedAt  time.Time  `json:"received_at"`
	Channel     string     `json:"channel"`
	Recipient   string     `json:"recipient,omitempty"`
	MessageID   string     `json:"message_id,omitempty"`
	Sender      string     `json:"sender,omitempty"`
	Subject     string     `json:"subject,omitempty"`
	Size        int64      `json:"size"`
	SHA256      string     `json:"sha256"`
	State       string     `json:"state"`             // pending, done, failed
	Outcome     string     `json:"outcome,omitempty"` // once done, or "failed"
	Error       string     `json:"error,omitempty"`
	Attempts    int        `json:"attempts"`
	Ticket      int64      `json:"ticket,omitempty"`
	Entry       int64      `json:"entry,omitempty"`
	ProcessedAt *time.Time `json:"processed_at,omitempty"`
}

func inboundMail(m *store.Inbound) *InboundMail {
	return &InboundMail{ID: m.ID, ReceivedAt: m.ReceivedAt, Channel: m.Channel, Recipient: m.Recipient,
		MessageID: m.MessageID, Sender: m.Sender, Subject: m.Subject, Size: m.Size, SHA256: m.RawHash,
		State: m.State, Outcome: m.Outcome, Error: m.Error, Attempts: m.Attempts, Ticket: m.TicketNumber,
		Entry: m.EntryID, ProcessedAt: m.ProcessedAt}
}

// InboundPage is one page of stored inbound messages.
type InboundPage struct {
	Items   []*InboundMail `json:"items"`
	Total   int            `json:"total"`
	Page    int            `json:"page"`
	PerPage int            `json:"per_page"`
}

// FailedMail lists the messages whose processing failed, newest first,
// page (from 1) of perPage (default 50, at most 200); admins only
// (EFORBIDDEN).
func (s *Service) FailedMail(ctx context.Context, a access.Actor, page, perPage int) (*InboundPage, error) {
	if !a.Admin() {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.inbound.admins_failed")
	}
	if page < 1 {
		page = 1
	}
	if perPage < 1 {
		perPage = 50
	}
	perPage = min(perPage, 200)
	p := &InboundPage{Items: []*InboundMail{}, Page: page, PerPage: perPage}
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		ms, total, err := tx.InboundByState(ctx, "failed", perPage, (page-1)*perPage)
		for _, m := range ms {
			p.Items = append(p.Items, inboundMail(m))
		}
		p.Total = total
		return err
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// InboundMessage returns stored message id; admins only (EFORBIDDEN),
// ENOTFOUND if there is none.
func (s *Service) InboundMessage(ctx context.Context, a access.Actor, id int64) (*InboundMail, error) {
	if !a.Admin() {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.inbound.admins_see")
	}
	var m *store.Inbound
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		m, err = tx.InboundByID(ctx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return inboundMail(m), nil
}

// InboundRaw returns stored message id and its raw bytes, which the caller
// closes; admins only (EFORBIDDEN), ENOTFOUND if there is none. The read is
// written to the audit log.
func (s *Service) InboundRaw(ctx context.Context, a access.Actor, id int64) (*InboundMail, io.ReadCloser, error) {
	m, err := s.InboundMessage(ctx, a, id)
	if err != nil {
		return nil, nil, err
	}
	if err := s.db.Write(ctx, func(tx *store.Tx) error {
		return tx.InsertAudit(ctx, s.now().UTC(), a.UserID, "mail.view", 0, "inbound "+strconv.FormatInt(id, 10))
	}); err != nil {
		return nil, nil, err
	}
	rc, err := s.blobs.Open(m.SHA256)
	if err != nil {
		return nil, nil, err
	}
	return m, rc, nil
}

// RetryInbound processes a failed (or still pending) message again and
// returns its receipt; admins only (EFORBIDDEN). ENOTFOUND if there is no
// such message, ECONFLICT if it was processed already.
func (s *Service) RetryInbound(ctx context.Context, a access.Actor, id int64) (*Receipt, error) {
	m, err := s.InboundMessage(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if m.State == "done" {
		return nil, ticket.E(ticket.ECONFLICT, "err.inbound.processed", id, m.Outcome)
	}
	if err := s.db.Write(ctx, func(tx *store.Tx) error {
		return tx.InsertAudit(ctx, s.now().UTC(), a.UserID, "mail.retry", 0, "inbound "+strconv.FormatInt(id, 10))
	}); err != nil {
		return nil, err
	}
	return s.ProcessInbound(ctx, id)
}

// EntryMail returns the original mail behind entry entryID of the ticket
// with number, as stored when it came in, which the caller closes;
// ENOTFOUND when a may not see the ticket or the entry, or the entry did
// not come by mail. A look at a confidential ticket's mail is audited.
func (s *Service) EntryMail(ctx context.Context, a access.Actor, number, entryID int64) (*InboundMail, io.ReadCloser, error) {
	var t *ticket.Ticket
	var m *store.Inbound
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		if t, err = s.load(ctx, tx, a, number); err != nil {
			return err
		}
		m, err = tx.EntryInbound(ctx, a, t.ID, entryID)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	if err := s.auditView(ctx, a, t, "mail of entry "+strconv.FormatInt(entryID, 10)); err != nil {
		return nil, nil, err
	}
	rc, err := s.blobs.Open(m.RawHash)
	if err != nil {
		return nil, nil, err
	}
	return inboundMail(m), rc, nil
}

// UploadMail takes one raw message read from r into the inbound path as if
// it had arrived by mail for recipient (may be empty); admins only
// (EFORBIDDEN, before anything is read). EINVALID for an empty message,
// ETOOLARGE beyond mail.MaxSize; other errors mean the message could not be
// stored.
func (s *Service) UploadMail(ctx context.Context, a access.Actor, r io.Reader, recipient string) (*Receipt, error) {
	if !a.Admin() {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.inbound.admins_upload")
	}
	raw, err := io.ReadAll(io.LimitReader(r, mail.MaxSize+1))
	if err != nil {
		return nil, err
	}
	return s.Receive(ctx, raw, ChannelAPI, recipient)
}
