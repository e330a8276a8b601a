package desk

import (
	"bytes"
	"context"
	"io"
	netmail "net/mail"
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

// FailedMail lists the messages whose processing failed that a may see
// (access.MailScope), newest first, page (from 1) of perPage (default 50,
// at most 200); admins only (EFORBIDDEN).
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
		ms, total, err := tx.InboundByState(ctx, a, "failed", perPage, (page-1)*perPage)
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
// ENOTFOUND if there is none or a may not see it: a message that belongs to
// a ticket is seen as its entry is (access.MailScope).
func (s *Service) InboundMessage(ctx context.Context, a access.Actor, id int64) (*InboundMail, error) {
	if !a.Admin() {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.inbound.admins_see")
	}
	var m *store.Inbound
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		m, err = tx.InboundFor(ctx, a, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return inboundMail(m), nil
}

// InboundRaw returns stored message id and its raw bytes, which the caller
// closes; admins only (EFORBIDDEN), ENOTFOUND if there is none or a may not
// see it (as InboundMessage). A message that belongs to no ticket but was
// addressed to a confidential queue a is no member of comes as its header
// alone (m.Size is then the header's size). Every read is written to the
// audit log, with the ticket the message belongs to.
func (s *Service) InboundRaw(ctx context.Context, a access.Actor, id int64) (*InboundMail, io.ReadCloser, error) {
	if !a.Admin() {
		return nil, nil, ticket.E(ticket.EFORBIDDEN, "err.inbound.admins_see")
	}
	var m *store.Inbound
	var queues []*ticket.Queue
	var all []*ticket.Queue
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		if m, err = tx.InboundFor(ctx, a, id); err != nil || m.TicketID != 0 {
			return err
		}
		all, err = tx.Queues(ctx, false)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	im := inboundMail(m)
	detail := "inbound " + strconv.FormatInt(id, 10)
	var head []byte
	if m.TicketID == 0 {
		raw, err := s.readBlob(m.RawHash)
		if err != nil {
			return nil, nil, err
		}
		head = headerSection(raw)
		addrs, ok := mailAddresses(head, m.Recipient)
		if !ok {
			queues = all // which queue it was for is unknown: any of them
		} else {
			queues = addressedQueues(all, addrs)
		}
		if !access.MailBodyHidden(a, queues) {
			head = nil
		} else {
			detail += " (header only)"
			im.Size = int64(len(head))
		}
	}
	if err := s.db.Write(ctx, func(tx *store.Tx) error {
		return tx.InsertAudit(ctx, s.now().UTC(), a.UserID, "mail.view", m.TicketID, detail)
	}); err != nil {
		return nil, nil, err
	}
	if head != nil {
		return im, io.NopCloser(bytes.NewReader(head)), nil
	}
	rc, err := s.blobs.Open(m.RawHash)
	if err != nil {
		return nil, nil, err
	}
	return im, rc, nil
}

// readBlob reads a stored message whole.
func (s *Service) readBlob(hash string) ([]byte, error) {
	rc, err := s.blobs.Open(hash)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, mail.MaxSize+1))
}

// headerSection is the header of raw up to and including the blank line
// that ends it (all of raw when there is none).
func headerSection(raw []byte) []byte {
	end := bytes.Index(raw, []byte("\r\n\r\n"))
	n := 4
	if i := bytes.Index(raw, []byte("\n\n")); i >= 0 && (end < 0 || i < end) {
		end, n = i, 2
	}
	if end < 0 {
		return raw
	}
	return raw[:end+n]
}

// mailAddresses lists the addresses a message was delivered or addressed
// to, as intake reads them to pick a queue (recipient first); false when
// the header cannot be read.
func mailAddresses(head []byte, recipient string) ([]string, bool) {
	addrs := []string{recipient}
	msg, err := netmail.ReadMessage(bytes.NewReader(append(bytes.TrimRight(head, "\r\n"), "\r\n\r\n"...)))
	if err != nil {
		return addrs, false
	}
	for _, k := range []string{"Delivered-To", "X-Original-To", "Envelope-To", "To", "Cc"} {
		for _, v := range msg.Header[k] {
			list, err := netmail.ParseAddressList(v)
			if err != nil {
				return addrs, false
			}
			for _, x := range list {
				addrs = append(addrs, x.Address)
			}
		}
	}
	return addrs, true
}

// addressedQueues are the queues among all that a message to addrs was
// for: those whose address it names, else the default queue.
func addressedQueues(all []*ticket.Queue, addrs []string) []*ticket.Queue {
	var out []*ticket.Queue
	for _, q := range all {
		if q.Address == "" {
			continue
		}
		for _, addr := range addrs {
			if ticket.NormalizeEmail(addr) == q.Address {
				out = append(out, q)
				break
			}
		}
	}
	if len(out) == 0 {
		for _, q := range all {
			if q.Default {
				out = append(out, q)
			}
		}
	}
	return out
}

// RetryInbound processes a failed (or still pending) message again and
// returns its receipt; admins only (EFORBIDDEN). ENOTFOUND if there is no
// such message or a may not see it (as InboundMessage), ECONFLICT if it was
// processed already. The receipt names a ticket only when a sees the
// message afterwards.
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
	r, err := s.ProcessInbound(ctx, id)
	if err != nil {
		return nil, err
	}
	return r, s.receiptFor(ctx, a, r)
}

// receiptFor leaves out of r the ticket and entry that a may not see.
func (s *Service) receiptFor(ctx context.Context, a access.Actor, r *Receipt) error {
	if r.Ticket == 0 && r.Entry == 0 {
		return nil
	}
	return s.db.Read(ctx, func(tx *store.Tx) error {
		_, err := tx.InboundFor(ctx, a, r.Inbound)
		if ticket.ErrorCode(err) == ticket.ENOTFOUND {
			r.Ticket, r.Entry = 0, 0
			return nil
		}
		return err
	})
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
	rcpt, err := s.Receive(ctx, raw, ChannelAPI, recipient)
	if err != nil {
		return nil, err
	}
	return rcpt, s.receiptFor(ctx, a, rcpt)
}
