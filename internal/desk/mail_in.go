package desk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"mime"
	netmail "net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/errtext"
	"github.com/servus-desk/servus/internal/mail"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// Mail intake: every message is first stored (raw bytes in the blob store,
// an inbound row, pending), and only then processed; a channel acknowledges
// a message once StoreInbound returned. Processing reads the stored message
// again, so that a crash between the two steps loses nothing: pending
// messages are processed by ProcessPending (servus serve runs it at start
// and every minute).
//
// What processing does with a message, in order:
//
//  1. A bounce (delivery status notification) is attached, as a staff-only
//     note without notifications, to the ticket of the mail that bounced
//     (found by its bounce address or Message-ID); an address is marked
//     undeliverable only when the bounce proves a mail servus sent to it
//     failed (inBounce). Outcome "bounce".
//  2. An auto-reply (out-of-office and the like) is attached the same way to
//     the ticket it threads to, if any; it never makes a ticket and never
//     changes one. Outcome "auto-reply".
//  3. Threading: In-Reply-To and References against every Message-ID servus
//     sent or received; then the subject tag ("[#1234]", or "[PREFIX #1234]"),
//     which counts only when the sender is a participant of that ticket
//     (requester, CC, assignee, member of its queue).
//  4. A threaded mail is appended (outcome "appended"). Staff mail, and a
//     requester's mail that would reopen, must come from an authenticated
//     sender (mail_auth.go), else it is a queue-only note marked as from an
//     unverified sender that changes and sends nothing. Otherwise: the requester's (or a
//     CC's) mail is an answer, as if written in the portal (a waiting or
//     resolved ticket opens again); a closed ticket is reopened first when it
//     was closed within the reopen grace period, else the mail starts a new
//     ticket linked ("related") to the old one. A queue member's (or the
//     assignee's, or an admin's) mail is a message to the requesters; on a
//     closed ticket it is a staff-only comment. Other staff who see the ticket
//     write a staff-only comment. Anyone else is no participant: the mail
//     becomes a queue-only comment marked as coming from a non-participant,
//     which tells the sender nothing and reveals nothing.
//  5. Otherwise the mail opens a new ticket (outcome "created") in the queue
//     whose functional address it was sent to (the channel's recipient, then
//     Delivered-To, To and Cc), else in the default queue; an unknown sender
//     becomes a requester user. Further addresses in To and Cc do not become
//     CCs of the ticket: only the sender sees it until staff adds more.
//
// Only the new text of a mail (mail.Message.NewText) becomes the entry, and
// the HTML of that new part (mail.Message.NewHTML), when the mail had HTML,
// is kept with it for display (the text stays what is searched); its
// attachments and inline images become attachments of the ticket with the
// entry's visibility; the entry keeps a reference to the stored message, so
// the original .eml stays downloadable (EntryMail).

// Outcomes of mail intake.
const (
	OutcomeCreated   = "created"    // a new ticket
	OutcomeAppended  = "appended"   // an entry on an existing ticket
	OutcomeAutoReply = "auto-reply" // an automatic reply: noted, nothing else
	OutcomeBounce    = "bounce"     // a delivery failure: noted, address marked
	OutcomeDuplicate = "duplicate"  // stored before: nothing done again
	OutcomeFailed    = "failed"     // stored, but processing failed
)

// Mail intake channels, as recorded with each message.
const (
	ChannelLMTP  = "lmtp"
	ChannelIMAP  = "imap"
	ChannelStdin = "stdin"
	ChannelAPI   = "api"
)

// maxBodyHTML bounds the HTML kept with a mail-born entry (1 MiB); a mail
// with more is shown as its text.
const maxBodyHTML = 1 << 20

// DefaultReopenGrace is how long after closing a reply by mail reopens a
// ticket, when InboundOptions do not say.
const DefaultReopenGrace = 30 * 24 * time.Hour

// InboundOptions tune mail intake.
type InboundOptions struct {
	// SubjectPrefix is the prefix of the subject tag, as outbound mail uses
	// it: "ZID" for "[ZID #1234]"; empty for "[#1234]".
	SubjectPrefix string
	// ReopenGrace is how long after closing a reply reopens a ticket;
	// later replies start a new, linked ticket. Default DefaultReopenGrace.
	ReopenGrace time.Duration
	// TrustedAuthServIDs are the authserv-ids of the receiving mail servers
	// whose Authentication-Results are believed (see
	// mail.SenderAuthenticated); none: only reply addresses authenticate.
	TrustedAuthServIDs []string
}

func (o InboundOptions) withDefaults() InboundOptions {
	if o.ReopenGrace <= 0 {
		o.ReopenGrace = DefaultReopenGrace
	}
	return o
}

// Receipt tells a channel what became of one message.
type Receipt struct {
	Outcome string `json:"outcome"`          // one of the Outcome… constants
	Ticket  int64  `json:"ticket,omitempty"` // number of the ticket it touched
	Entry   int64  `json:"entry,omitempty"`  // ID of the entry it made
	Error   string `json:"error,omitempty"`  // why processing failed
	Inbound int64  `json:"inbound"`          // ID of the stored message
}

// Receive stores raw and then processes it: StoreInbound, then
// ProcessInbound. It returns an error only when the message could not be
// stored (the channel must then ask the sender to try again later: the
// error is temporary unless it is EINVALID or ETOOLARGE); a message that
// was stored but could not be processed answers the outcome "failed".
func (s *Service) Receive(ctx context.Context, raw []byte, channel, recipient string) (*Receipt, error) {
	id, dup, err := s.StoreInbound(ctx, raw, channel, recipient)
	if err != nil {
		return nil, err
	}
	if dup != nil {
		return dup, nil
	}
	r, err := s.ProcessInbound(ctx, id)
	if err != nil {
		// Stored, so not lost: ProcessPending takes it up later.
		return &Receipt{Outcome: OutcomeFailed, Error: "processing postponed: " + err.Error(), Inbound: id}, nil
	}
	return r, nil
}

// StoreInbound durably stores raw as received through channel (for
// recipient, which may be empty) and returns the ID to process. When the
// same message was stored before (the same bytes, or the same Message-ID
// from the same sender) it stores nothing and returns a receipt with
// outcome "duplicate" naming what the first one touched. Errors: EINVALID
// for an empty message, ETOOLARGE beyond mail.MaxSize; anything else is a
// temporary fault of the disk or database.
func (s *Service) StoreInbound(ctx context.Context, raw []byte, channel, recipient string) (int64, *Receipt, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return 0, nil, ticket.E(ticket.EINVALID, "err.mail.empty")
	}
	if len(raw) > mail.MaxSize {
		return 0, nil, ticket.E(ticket.ETOOLARGE, "err.mail.too_large", blob.HumanSize(mail.MaxSize))
	}
	info, err := s.blobs.Put(bytes.NewReader(raw), mail.MaxSize)
	if err != nil {
		return 0, nil, err
	}
	h := peekHeader(raw)
	m := &store.Inbound{ReceivedAt: s.now().UTC(), Channel: channel, Recipient: ticket.NormalizeEmail(recipient),
		MessageID: h.messageID, RawHash: info.Hash, Size: info.Size, Sender: h.sender, Subject: h.subject}
	var dup *store.Inbound
	err = s.db.Write(ctx, func(tx *store.Tx) (err error) {
		if err := tx.LockInbound(ctx, m.RawHash, m.MessageID, m.Sender); err != nil {
			return err
		}
		if dup, err = tx.InboundDuplicate(ctx, m.RawHash, m.MessageID, m.Sender); err != nil || dup != nil {
			return err
		}
		return tx.InsertInbound(ctx, m)
	})
	if err != nil {
		return 0, nil, err
	}
	if dup != nil {
		return dup.ID, &Receipt{Outcome: OutcomeDuplicate, Ticket: dup.TicketNumber, Entry: dup.EntryID, Inbound: dup.ID}, nil
	}
	return m.ID, nil, nil
}

// header is what StoreInbound records of a message before parsing it.
type header struct{ messageID, sender, subject string }

// peekHeader reads the few header fields the inbound list shows and
// duplicates are found by; a broken header leaves them empty.
func peekHeader(raw []byte) header {
	var h header
	end := bytes.Index(raw, []byte("\r\n\r\n"))
	if i := bytes.Index(raw, []byte("\n\n")); i >= 0 && (end < 0 || i < end) {
		end = i
	}
	if end < 0 {
		end = len(raw)
	}
	msg, err := netmail.ReadMessage(bytes.NewReader(append(raw[:end:end], "\r\n\r\n"...)))
	if err != nil {
		return h
	}
	id := strings.TrimSpace(msg.Header.Get("Message-Id"))
	if i := strings.IndexByte(id, '<'); i >= 0 {
		if j := strings.IndexByte(id[i:], '>'); j > 0 {
			id = id[i+1 : i+j]
		}
	}
	h.messageID = clip(ticket.CleanLine(id), 500)
	for _, k := range []string{"From", "Sender", "Reply-To", "Return-Path"} {
		if a, err := netmail.ParseAddress(msg.Header.Get(k)); err == nil && a.Address != "" {
			h.sender = ticket.NormalizeEmail(a.Address)
			break
		}
	}
	subj := msg.Header.Get("Subject")
	if d, err := new(mime.WordDecoder).DecodeHeader(subj); err == nil {
		subj = d
	}
	h.subject = clip(strings.Join(strings.Fields(ticket.CleanLine(subj)), " "), maxSubject)
	return h
}

// clip shortens s to at most n runes.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n])
}

// ProcessInbound processes the stored message id (see the package comment
// above) and records the outcome with it. A message processed before
// answers its first outcome again. When processing fails the message is
// marked failed with the error and the receipt says "failed"; ProcessInbound
// returns an error, leaving the message pending for the sweep, when the
// failure was transient (store.IsTransient: a lost race, a lost database
// connection) or not even the failure could be recorded.
func (s *Service) ProcessInbound(ctx context.Context, id int64) (*Receipt, error) {
	var m *store.Inbound
	if err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		m, err = tx.InboundByID(ctx, id)
		return err
	}); err != nil {
		return nil, err
	}
	if m.State == "done" {
		return receiptOf(m), nil
	}
	r, perr := s.process(ctx, m)
	if perr == nil {
		return r, nil
	}
	if ctx.Err() != nil || store.IsTransient(perr) {
		// Not the message's fault: it stays pending, and the sweep
		// (ProcessPending) tries it again.
		return nil, perr
	}
	text := errtext.English(perr)
	if err := s.db.Write(ctx, func(tx *store.Tx) error {
		return tx.FailInbound(ctx, id, clip(text, 2000), s.now().UTC())
	}); err != nil {
		return nil, errors.Join(perr, err)
	}
	return &Receipt{Outcome: OutcomeFailed, Error: text, Inbound: id}, nil
}

func receiptOf(m *store.Inbound) *Receipt {
	r := &Receipt{Outcome: m.Outcome, Ticket: m.TicketNumber, Entry: m.EntryID, Inbound: m.ID}
	if m.State == "failed" {
		r.Outcome, r.Error = OutcomeFailed, m.Error
	}
	return r
}

// ProcessPending processes the messages still pending that were received
// more than olderThan ago (left behind by a crash or a database outage),
// and returns how many it processed. It stops at the first message whose
// failure could not be recorded.
func (s *Service) ProcessPending(ctx context.Context, olderThan time.Duration) (int, error) {
	n := 0
	for {
		var ids []int64
		if err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
			ids, err = tx.PendingInbound(ctx, s.now().Add(-olderThan), 100)
			return err
		}); err != nil {
			return n, err
		}
		for _, id := range ids {
			if _, err := s.ProcessInbound(ctx, id); err != nil {
				return n, err
			}
			n++
		}
		if len(ids) < 100 {
			return n, nil
		}
	}
}

// inMail is one message being processed.
type inMail struct {
	row   *store.Inbound
	msg   *mail.Message
	files []inFile
	notes []string // what could not be kept as attachments
}

// inFile is an attachment of a message, already in the blob store.
type inFile struct {
	name      string
	contentID string // for the cid: references of the mail's HTML
	info      blob.Info
}

// process parses and routes m in one transaction.
func (s *Service) process(ctx context.Context, m *store.Inbound) (*Receipt, error) {
	rc, err := s.blobs.Open(m.RawHash)
	if err != nil {
		return nil, fmt.Errorf("open stored message: %w", err)
	}
	raw, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		return nil, fmt.Errorf("read stored message: %w", err)
	}
	msg, err := mail.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	in := &inMail{row: m, msg: msg}
	if msg.Auto == mail.AutoNone {
		// Attachments are stored before the transaction: content-addressed,
		// so a retry stores nothing twice, and a failure leaves at most an
		// unreferenced file.
		for _, p := range msg.Attachments {
			if int64(len(p.Data)) > s.max {
				in.notes = append(in.notes, fmt.Sprintf("The attachment %q (%s) is larger than %s; it is kept in the original mail only.",
					blob.SafeName(p.Name), blob.HumanSize(int64(len(p.Data))), blob.HumanSize(s.max)))
				continue
			}
			info, err := s.blobs.Put(bytes.NewReader(p.Data), s.max)
			if err != nil {
				return nil, fmt.Errorf("store attachment %q: %w", p.Name, err)
			}
			in.files = append(in.files, inFile{name: blob.SafeName(p.Name), contentID: clip(p.ContentID, 500), info: info})
		}
	}
	var r *Receipt
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		now := s.now().UTC()
		claimed, err := tx.ClaimInbound(ctx, m.ID, now)
		if err != nil || !claimed {
			return err
		}
		outcome, t, e, err := s.route(ctx, tx, in)
		if err != nil {
			return err
		}
		r = &Receipt{Outcome: outcome, Inbound: m.ID}
		var tid, eid int64
		if t != nil {
			tid, r.Ticket = t.ID, t.Number
		}
		if e != nil {
			eid, r.Entry = e.ID, e.ID
		}
		return tx.FinishInbound(ctx, m.ID, outcome, tid, eid, now)
	})
	if err != nil {
		return nil, err
	}
	if r == nil { // someone else processed it meanwhile
		err = s.db.Read(ctx, func(tx *store.Tx) error {
			done, err := tx.InboundByID(ctx, m.ID)
			if err == nil {
				r = receiptOf(done)
			}
			return err
		})
		return r, err
	}
	return r, nil
}

// route decides what m is and does it inside tx, returning the outcome, the
// ticket touched and the entry made (either may be nil).
func (s *Service) route(ctx context.Context, tx *store.Tx, in *inMail) (string, *ticket.Ticket, *ticket.Entry, error) {
	msg := in.msg
	switch msg.Auto {
	case mail.AutoBounce:
		return s.inBounce(ctx, tx, in)
	case mail.AutoReply:
		return s.inAutoReply(ctx, tx, in)
	}
	addr := msg.From
	addr.Email = ticket.NormalizeEmail(addr.Email)
	if !ticket.ValidEmail(addr.Email) {
		addr.Email = ticket.NormalizeEmail(msg.ReturnPath)
	}
	if !ticket.ValidEmail(addr.Email) {
		return "", nil, nil, ticket.E(ticket.EINVALID, "err.mail.no_sender", msg.From.Email)
	}
	key, err := s.mailSecretKey(ctx, tx)
	if err != nil {
		return "", nil, nil, err
	}
	// A reply to the sender's own reply address names its ticket, and
	// proves the sender for it; else threading, then the subject tag.
	var t, replied *ticket.Ticket
	if n := replyTicket(key, addr.Email, in.addresses()); n != 0 {
		if replied, err = s.mailTicket(ctx, tx, n); err != nil {
			return "", nil, nil, err
		}
	}
	if t = replied; t == nil {
		if t, err = s.threadTicket(ctx, tx, msg); err != nil {
			return "", nil, nil, err
		}
	}
	if t == nil {
		if t, err = s.taggedTicket(ctx, tx, msg, addr.Email); err != nil {
			return "", nil, nil, err
		}
	}
	byServer := mail.SenderAuthenticated(msg.Header, s.in.TrustedAuthServIDs, addr.Email)
	u, err := s.mailUser(ctx, tx, addr)
	if err != nil {
		return "", nil, nil, err
	}
	if u.Role == ticket.RoleAuditor {
		// An auditor sees no ticket: a mail of theirs would open or add to
		// one they could not read. It stays in the failed mail, for an
		// admin to see and answer by hand.
		return "", nil, nil, ticket.E(ticket.EFORBIDDEN, "err.mail.auditor_sender", u.Email)
	}
	a, err := mailActor(ctx, tx, u)
	if err != nil {
		return "", nil, nil, err
	}
	if byServer || replied != nil { // they wrote, so mail reaches them
		if err := tx.ClearUndeliverable(ctx, u.Email); err != nil {
			return "", nil, nil, err
		}
	}
	if t == nil {
		t, e, err := s.inNewTicket(ctx, tx, in, a, nil)
		return OutcomeCreated, t, e, err
	}
	return s.inAppend(ctx, tx, in, a, t, byServer || (replied != nil && replied.ID == t.ID))
}

// threadTicket finds the ticket msg replies to by its In-Reply-To and
// References, following merges; nil when none is known.
func (s *Service) threadTicket(ctx context.Context, tx *store.Tx, msg *mail.Message, extra ...string) (*ticket.Ticket, error) {
	ids := slices.Concat(msg.References, msg.InReplyTo, extra)
	if len(ids) == 0 {
		return nil, nil
	}
	n, err := tx.TicketNumberByMailIDs(ctx, ids)
	if err != nil || n == 0 {
		return nil, err
	}
	return s.mailTicket(ctx, tx, n)
}

// mailTicket loads ticket number for mail intake, following "merged into"
// links to the ticket that lives on.
func (s *Service) mailTicket(ctx context.Context, tx *store.Tx, number int64) (*ticket.Ticket, error) {
	for range 10 {
		if err := tx.LockTicket(ctx, number); err != nil {
			return nil, err
		}
		t, err := tx.TicketByNumber(ctx, access.System, number)
		if ticket.ErrorCode(err) == ticket.ENOTFOUND {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		if t.State != ticket.StateClosed || t.CloseReason != ticket.ReasonMerged {
			return t, nil
		}
		next, err := tx.MergedInto(ctx, t.ID)
		if err != nil {
			return nil, err
		} else if next == 0 {
			return t, nil
		}
		number = next
	}
	return nil, nil
}

// taggedTicket finds the ticket named by msg's subject tag, if the sender
// (email) is one of its participants; nil otherwise.
func (s *Service) taggedTicket(ctx context.Context, tx *store.Tx, msg *mail.Message, email string) (*ticket.Ticket, error) {
	n, ok := mail.SubjectTag(msg.Subject, s.in.SubjectPrefix)
	if !ok {
		return nil, nil
	}
	t, err := s.mailTicket(ctx, tx, n)
	if err != nil || t == nil {
		return nil, err
	}
	u, _, err := tx.UserByEmail(ctx, email)
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		return nil, nil // an unknown address takes part in nothing
	} else if err != nil {
		return nil, err
	}
	a, err := mailActor(ctx, tx, u)
	if err != nil || !participant(a, t) {
		return nil, err
	}
	return t, nil
}

// mailActor is who a mail from u acts as. A disabled account keeps no
// staff rights: its mail is kept, but counts as a requester's, so a
// former agent's reply becomes a non-participant note, never a message
// to the requester.
func mailActor(ctx context.Context, tx *store.Tx, u *ticket.User) (access.Actor, error) {
	if u.Disabled {
		return access.Actor{UserID: u.ID, Email: u.Email, Name: u.Name, Role: ticket.RoleRequester, Lang: u.Language}, nil
	}
	return actorOf(ctx, tx, u)
}

// participant reports whether a takes part in t: requester, CC, assignee
// or member of its queue.
func participant(a access.Actor, t *ticket.Ticket) bool {
	return a.Requests(t) || (a.UserID != 0 && t.AssigneeID == a.UserID) || (a.Staff() && a.Member(t.QueueID))
}

// mailUser returns the user writing from addr, creating a requester (named
// as the mail names them) for an unknown address.
func (s *Service) mailUser(ctx context.Context, tx *store.Tx, addr mail.Address) (*ticket.User, error) {
	u, _, err := tx.UserByEmail(ctx, addr.Email)
	if ticket.ErrorCode(err) != ticket.ENOTFOUND {
		return u, err
	}
	name := clip(strings.Join(strings.Fields(addr.Name), " "), 200)
	if name == "" || strings.Contains(name, "@") {
		return s.requesterUser(ctx, tx, addr.Email)
	}
	lang, err := defaultLanguage(ctx, tx)
	if err != nil {
		return nil, err
	}
	u = &ticket.User{Email: addr.Email, Name: name, Role: ticket.RoleRequester, Language: lang, CreatedAt: s.now().UTC()}
	return u, tx.InsertUser(ctx, u, "")
}

// inAppend adds in to t as written by a (see the package comment);
// verified says whether the sender is authenticated (mail_auth.go), which
// staff mail and a requester's answer that would reopen t must be.
func (s *Service) inAppend(ctx context.Context, tx *store.Tx, in *inMail, a access.Actor, t *ticket.Ticket, verified bool) (string, *ticket.Ticket, *ticket.Entry, error) {
	var ne NewEntry
	switch {
	case !participant(a, t) && !(a.Staff() && access.CanSeeTicket(a, t)):
		return s.inNonParticipant(ctx, tx, in, a, t)
	case !verified && (a.Staff() || t.State == ticket.StateResolved || t.State == ticket.StateClosed):
		// Staff mail reaches requesters, an answer to a resolved or closed
		// ticket reopens it: both only from an authenticated sender. A
		// requester's answer to an open ticket tells only staff.
		return s.inUnverified(ctx, tx, in, a, t)
	case a.Requests(t):
		if t.State == ticket.StateClosed {
			if t.ClosedAt == nil || s.now().Sub(*t.ClosedAt) > s.in.ReopenGrace {
				nt, e, err := s.inNewTicket(ctx, tx, in, a, t)
				return OutcomeCreated, nt, e, err
			}
			if err := s.transition(ctx, tx, a, t, ticket.EventReopen); err != nil {
				return "", nil, nil, err
			}
		}
		ne.Kind = ticket.KindAnswer
	case access.CanAct(a, t, access.ActMessage) && t.State != ticket.StateClosed:
		ne.Kind = ticket.KindMessage
	default: // other staff who see the ticket, or any staff on a closed one
		ne.Kind, ne.Visibility = ticket.KindComment, ticket.VisibilityStaff
	}
	if ne.Visibility == "" {
		ne.Visibility = ticket.VisibilityPublic
	}
	ne.Channel, ne.Body = ticket.ChannelMail, s.inBody(in, "")
	e, err := s.addEntry(ctx, tx, a, t, ne)
	if err != nil {
		return "", nil, nil, err
	}
	return OutcomeAppended, t, e, s.inKeep(ctx, tx, in, a, t, e, "")
}

// inNonParticipant keeps a reply from someone who takes no part in t as a
// queue-only comment: neither the sender nor anyone outside the queue
// learns anything of t.
func (s *Service) inNonParticipant(ctx context.Context, tx *store.Tx, in *inMail, a access.Actor, t *ticket.Ticket) (string, *ticket.Ticket, *ticket.Entry, error) {
	marker := fmt.Sprintf("[Mail from a non-participant: %s]", a.Email)
	e := &ticket.Entry{TicketID: t.ID, Kind: ticket.KindComment, AuthorID: a.UserID, Author: a.Email,
		Channel: ticket.ChannelMail, Visibility: ticket.VisibilityQueue, CreatedAt: s.now().UTC(),
		Body: s.inBody(in, marker)}
	if err := tx.InsertEntry(ctx, e); err != nil {
		return "", nil, nil, err
	}
	if err := s.notify(ctx, tx, a, t, NotifyComment, e); err != nil {
		return "", nil, nil, err
	}
	if err := s.save(ctx, tx, t); err != nil {
		return "", nil, nil, err
	}
	return OutcomeAppended, t, e, s.inKeep(ctx, tx, in, a, t, e, marker)
}

// inUnverified keeps a reply whose sender is not authenticated (anyone can
// write any From) as a queue-only comment marked as such, with no
// notification and no change to t: a forged staff address must not reach
// the requester, a forged requester must not reopen. Staff who see the
// note act on it themselves.
func (s *Service) inUnverified(ctx context.Context, tx *store.Tx, in *inMail, a access.Actor, t *ticket.Ticket) (string, *ticket.Ticket, *ticket.Entry, error) {
	marker := fmt.Sprintf("[Mail from an unverified sender: %s]", a.Email)
	e := &ticket.Entry{TicketID: t.ID, Kind: ticket.KindComment, AuthorID: a.UserID, Author: a.Email,
		Channel: ticket.ChannelMail, Visibility: ticket.VisibilityQueue, CreatedAt: s.now().UTC(),
		Body: s.inBody(in, marker)}
	if err := tx.InsertEntry(ctx, e); err != nil {
		return "", nil, nil, err
	}
	return OutcomeAppended, t, e, s.inKeep(ctx, tx, in, a, t, e, marker)
}

// inNewTicket opens a ticket for in, written by a, in the queue of the
// address it was sent to; when old is set (a reply to a ticket closed too
// long ago) the new ticket is linked to it.
func (s *Service) inNewTicket(ctx context.Context, tx *store.Tx, in *inMail, a access.Actor, old *ticket.Ticket) (*ticket.Ticket, *ticket.Entry, error) {
	q, err := s.inQueue(ctx, tx, in)
	if err != nil {
		return nil, nil, err
	}
	subject := clip(ticket.CleanLine(mail.NormalizeSubject(in.msg.Subject)), maxSubject)
	if subject == "" {
		subject = "(no subject)"
	}
	nt := NewTicket{Queue: q.Name, Subject: subject, Description: s.inBody(in, ""), Priority: ticket.PriorityNormal,
		Requester: a.Email, Channel: ticket.ChannelMail, noReceipt: in.msg.SuppressAutoResponse}
	t, e, err := s.createTicket(ctx, tx, a, nt, nil)
	if err != nil {
		return nil, nil, err
	}
	if old != nil {
		if _, err := tx.InsertLink(ctx, t.ID, old.ID, "related", "related"); err != nil {
			return nil, nil, err
		}
		if err := s.event(ctx, tx, a, t, "link", "", "related"); err != nil {
			return nil, nil, err
		}
		if err := s.event(ctx, tx, a, old, "link", "", "related"); err != nil {
			return nil, nil, err
		}
	}
	return t, e, s.inKeep(ctx, tx, in, a, t, e, "")
}

// inQueue picks the queue for a new ticket: the one whose functional
// address the mail was delivered or addressed to, else the default queue.
// Among several, a confidential-by-default queue wins: a mail to the
// service desk and to a confidential queue is confidential.
func (s *Service) inQueue(ctx context.Context, tx *store.Tx, in *inMail) (*ticket.Queue, error) {
	var addrs []string
	for _, addr := range in.addresses() { // servicedesk+1234-…@ is servicedesk@
		addrs = append(addrs, ticket.NormalizeEmail(addr), baseAddress(addr))
	}
	qs, err := queuesByAddress(ctx, tx, addrs)
	if err != nil {
		return nil, err
	}
	if len(qs) > 0 {
		return qs[0], nil
	}
	q, err := tx.DefaultQueue(ctx)
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		return nil, ticket.E(ticket.ECONFLICT, "err.mail.no_queue")
	}
	return q, err
}

// inBody is the entry text of in: its new text (never empty), after an
// optional marker line, with notes on attachments that were not kept.
func (s *Service) inBody(in *inMail, marker string) string {
	text := strings.TrimSpace(in.msg.NewText)
	if text == "" {
		text = strings.TrimSpace(in.msg.Text)
	}
	if text == "" {
		text = "(no text)"
	}
	parts := []string{}
	if marker != "" {
		parts = append(parts, marker)
	}
	parts = append(parts, text)
	parts = append(parts, in.notes...)
	return clip(strings.Join(parts, "\n\n"), maxBody)
}

// inHTML is the HTML of in's entry: the mail's sanitised new part
// (mail.Message.NewHTML, cut like the text), after the marker line and
// followed by the notes of inBody; "" when the mail had no HTML that says
// what its text says, or more than maxBodyHTML of it.
func (s *Service) inHTML(in *inMail, marker string) string {
	h := strings.TrimSpace(in.msg.NewHTML)
	if h == "" || len(h) > maxBodyHTML {
		return ""
	}
	var b strings.Builder
	if marker != "" {
		b.WriteString("<p>" + html.EscapeString(marker) + "</p>\n")
	}
	b.WriteString(h)
	for _, n := range in.notes {
		b.WriteString("\n<p>" + html.EscapeString(n) + "</p>")
	}
	return b.String()
}

// inKeep links entry e on t to its stored message and keeps the mail's HTML
// with it (inHTML, after marker), attaches in's files to it with e's
// visibility, and records the message's Message-ID for t.
func (s *Service) inKeep(ctx context.Context, tx *store.Tx, in *inMail, a access.Actor, t *ticket.Ticket, e *ticket.Entry, marker string) error {
	if err := tx.SetEntryInbound(ctx, e.ID, in.row.ID); err != nil {
		return err
	}
	if h := s.inHTML(in, marker); h != "" {
		if err := tx.SetEntryHTML(ctx, e.ID, h); err != nil {
			return err
		}
		e.BodyHTML = h
	}
	for _, f := range in.files {
		att := &ticket.Attachment{TicketID: t.ID, EntryID: e.ID, Name: f.name, ContentType: f.info.ContentType,
			Size: f.info.Size, Hash: f.info.Hash, ContentID: f.contentID, UploaderID: a.UserID, Uploader: a.Email, Visibility: e.Visibility,
			CreatedAt: e.CreatedAt}
		if err := tx.InsertAttachment(ctx, att); err != nil {
			return err
		}
	}
	if in.msg.MessageID == "" {
		return nil
	}
	return tx.InsertMailID(ctx, in.msg.MessageID, t.ID, e.ID, false, e.CreatedAt)
}

// inNote attaches an automatic mail to t as a staff-only comment by author
// (0 for servus), without notifications and without changing the ticket.
func (s *Service) inNote(ctx context.Context, tx *store.Tx, in *inMail, t *ticket.Ticket, author *ticket.User, heading string) (*ticket.Entry, error) {
	e := &ticket.Entry{TicketID: t.ID, Kind: ticket.KindComment, Channel: ticket.ChannelMail,
		Visibility: ticket.VisibilityStaff, CreatedAt: s.now().UTC()}
	if author != nil {
		e.AuthorID, e.Author = author.ID, author.Email
	}
	text := strings.TrimSpace(in.msg.NewText)
	if text == "" {
		text = strings.TrimSpace(in.msg.Text)
	}
	e.Body = clip(strings.TrimSpace(heading+"\n\n"+clip(text, 4000)), maxBody)
	if err := tx.InsertEntry(ctx, e); err != nil {
		return nil, err
	}
	return e, tx.SetEntryInbound(ctx, e.ID, in.row.ID)
}

// inBounce notes a bounce on the ticket of the mail that bounced and marks
// undeliverable only what it proves undeliverable: a bounce that came back
// to the bounce address of one notification (the MAC checked) marks that
// notification's recipient; else a failed recipient is marked only when
// the bounce names (by the Message-ID of the returned mail, its
// In-Reply-To or References) a mail servus sent to that very address. A
// bounce anyone could have forged marks nothing.
func (s *Service) inBounce(ctx context.Context, tx *store.Tx, in *inMail) (string, *ticket.Ticket, *ticket.Entry, error) {
	b := in.msg.Bounce
	if b == nil {
		b = &mail.Bounce{}
	}
	key, err := s.mailSecretKey(ctx, tx)
	if err != nil {
		return "", nil, nil, err
	}
	now := s.now().UTC()
	var marked []string
	mark := func(addr, reason string) error {
		if addr = ticket.NormalizeEmail(addr); addr == "" || slices.Contains(marked, addr) {
			return nil
		}
		marked = append(marked, addr)
		return tx.MarkUndeliverable(ctx, addr, clip(reason+bounceWhy(b), 500), now)
	}
	var t *ticket.Ticket
	if id := verpNotification(key, in.addresses()); id != 0 {
		n, err := tx.NotificationByID(ctx, id)
		switch {
		case ticket.ErrorCode(err) == ticket.ENOTFOUND: // deleted with its ticket
		case err != nil:
			return "", nil, nil, err
		default:
			// A delay notice (a report without failed recipients) marks
			// nothing; a bounce without a report (qmail) names its mail
			// by the address alone.
			if len(b.Recipients) > 0 || !b.Report {
				if err := mark(n.Recipient, fmt.Sprintf("bounce of <%s>", n.MessageID)); err != nil {
					return "", nil, nil, err
				}
			}
			if n.TicketNumber != 0 {
				if t, err = s.mailTicket(ctx, tx, n.TicketNumber); err != nil {
					return "", nil, nil, err
				}
			}
		}
	}
	var extra []string
	if b.OriginalMessageID != "" {
		extra = append(extra, b.OriginalMessageID)
	}
	ids := slices.Concat(in.msg.References, in.msg.InReplyTo, extra)
	for _, addr := range b.Recipients {
		sent, err := tx.SentTo(ctx, ids, ticket.NormalizeEmail(addr))
		if err != nil {
			return "", nil, nil, err
		}
		if sent {
			if err := mark(addr, "bounce of <"+b.OriginalMessageID+">"); err != nil {
				return "", nil, nil, err
			}
		}
	}
	if t == nil {
		if t, err = s.threadTicket(ctx, tx, in.msg, extra...); err != nil || t == nil {
			return OutcomeBounce, nil, nil, err
		}
	}
	heading := "Mail from servus could not be delivered."
	switch {
	case len(marked) > 0:
		heading = "Mail from servus could not be delivered to " + strings.Join(marked, ", ") + "."
	case len(b.Recipients) > 0:
		heading = "A delivery failure notice names " + strings.Join(b.Recipients, ", ") +
			", but no mail servus sent there: no address was marked undeliverable."
	}
	if why := bounceWhy(b); why != "" {
		heading = strings.TrimSuffix(heading, ".") + why + "."
	}
	e, err := s.inNote(ctx, tx, in, t, nil, heading)
	return OutcomeBounce, t, e, err
}

// bounceWhy is what a bounce says of why delivery failed, as " (mailbox
// full, 5.2.2)" for a note or an undeliverable mark; "" when it says nothing.
func bounceWhy(b *mail.Bounce) string {
	var parts []string
	for _, p := range []string{b.Reason, b.Status} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// inAutoReply notes an automatic reply on the ticket it threads to.
func (s *Service) inAutoReply(ctx context.Context, tx *store.Tx, in *inMail) (string, *ticket.Ticket, *ticket.Entry, error) {
	sender := ticket.NormalizeEmail(in.msg.From.Email)
	t, err := s.threadTicket(ctx, tx, in.msg)
	if err == nil && t == nil && sender != "" {
		t, err = s.taggedTicket(ctx, tx, in.msg, sender)
	}
	if err != nil || t == nil {
		return OutcomeAutoReply, nil, nil, err
	}
	var author *ticket.User
	if u, _, err := tx.UserByEmail(ctx, sender); err == nil {
		author = u
	} else if ticket.ErrorCode(err) != ticket.ENOTFOUND {
		return "", nil, nil, err
	}
	heading := "Automatic reply"
	if sender != "" {
		heading += " from " + sender
	}
	e, err := s.inNote(ctx, tx, in, t, author, heading+" (no notification was sent).")
	return OutcomeAutoReply, t, e, err
}

// queuesByAddress returns the queues whose functional addresses are among
// addrs, each once, those confidential by default first, else in the
// order of addrs.
func queuesByAddress(ctx context.Context, tx *store.Tx, addrs []string) ([]*ticket.Queue, error) {
	var qs []*ticket.Queue
	seen := map[string]bool{}
	for _, addr := range addrs {
		addr = ticket.NormalizeEmail(addr)
		if addr == "" || seen[addr] {
			continue
		}
		seen[addr] = true
		q, err := tx.QueueByAddress(ctx, addr)
		if ticket.ErrorCode(err) == ticket.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		if !slices.ContainsFunc(qs, func(x *ticket.Queue) bool { return x.ID == q.ID }) {
			qs = append(qs, q)
		}
	}
	slices.SortStableFunc(qs, func(a, b *ticket.Queue) int {
		switch {
		case a.Confidential == b.Confidential:
			return 0
		case a.Confidential:
			return -1
		}
		return 1
	})
	return qs, nil
}

// OrderRecipients returns the envelope recipients of one mail in the
// order a channel should store it for them: the addresses of queues
// confidential by default first, then the others as given. The first
// stored copy is the one processed (the others are its duplicates), so a
// mail to the service desk and to a confidential queue becomes one
// confidential ticket in that queue. Errors are database faults.
func (s *Service) OrderRecipients(ctx context.Context, rcpts []string) ([]string, error) {
	if len(rcpts) < 2 {
		return rcpts, nil
	}
	confidential := map[string]bool{}
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		qs, err := queuesByAddress(ctx, tx, rcpts)
		for _, q := range qs {
			confidential[q.Address] = q.Confidential
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	out := slices.Clone(rcpts)
	slices.SortStableFunc(out, func(a, b string) int {
		ca, cb := confidential[ticket.NormalizeEmail(a)], confidential[ticket.NormalizeEmail(b)]
		switch {
		case ca == cb:
			return 0
		case ca:
			return -1
		}
		return 1
	})
	return out, nil
}
