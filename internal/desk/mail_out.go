package desk

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// MailOptions tune the delivery of notifications; zero values take the
// defaults.
type MailOptions struct {
	// DailyCap is how many automatic mails about tickets one requester's
	// address gets in 24 hours; more are dropped, so that a mail loop with
	// an outside auto-responder ends. Staff addresses are not capped: their
	// notifications are their work. Account mail (a password reset link the
	// person asked for) is neither capped nor counted here: it has its own
	// limit, ResetsPerHour. Default 50; negative: no cap.
	DailyCap int
	// RetryBase is the wait after the first temporary failure, doubling
	// with each further one up to RetryMax. Defaults 1m and 1h.
	RetryBase, RetryMax time.Duration
	// MaxAttempts is how many temporary failures a notification survives
	// before it is failed: default 30, about 24 hours with the default
	// back-off.
	MaxAttempts int
	// History is how many earlier entries a mail quotes; default 3.
	History int
	// StaffWindow throttles mail to staff (assignee, queue members,
	// watchers) without losing anything: one staff member gets at most one
	// mail about one ticket per window. What happens while a mail to them
	// about the ticket waits (not yet sent, or held until the window since
	// the last one ends) is folded into it, and it becomes a digest naming
	// every new entry. Default 5m; negative: every notification is a mail
	// of its own, sent at once.
	StaffWindow time.Duration
	// StaffHourly is how many mails about tickets one staff member gets
	// in an hour; beyond it, mails wait until the hour allows (folding,
	// per ticket, what comes meanwhile). Default 30; negative: no cap.
	StaffHourly int
}

func (o MailOptions) withDefaults() MailOptions {
	if o.DailyCap == 0 {
		o.DailyCap = 50
	}
	if o.RetryBase <= 0 {
		o.RetryBase = time.Minute
	}
	if o.RetryMax <= 0 {
		o.RetryMax = time.Hour
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 30
	}
	if o.History <= 0 {
		o.History = 3
	}
	if o.StaffWindow == 0 {
		o.StaffWindow = 5 * time.Minute
	}
	if o.StaffHourly == 0 {
		o.StaffHourly = 30
	}
	return o
}

// backoff is the wait after the attempts-th failed attempt (1 for the
// first): RetryBase doubled attempts-1 times, at most RetryMax.
func (o MailOptions) backoff(attempts int) time.Duration {
	d := o.RetryBase
	for i := 1; i < attempts && d < o.RetryMax; i++ {
		d *= 2
	}
	return min(d, o.RetryMax)
}

// OutMail is one notification, loaded as its recipient may see it, ready
// to be rendered and sent. Message-IDs are without angle brackets. A mail
// about a ticket has Ticket; account mail (Event NotifyPasswordReset) has
// Reset instead, and no ticket, entry, history or thread; an escalation
// digest has Escalation instead.
type OutMail struct {
	ID        int64
	Event     string // one of the Notify… events
	MessageID string
	CreatedAt time.Time
	Recipient *ticket.User
	Staff     bool // the recipient is an agent or admin
	Requests  bool // the recipient is the ticket's requester or in its CC
	Ticket    *ticket.Ticket
	// QueueAddress is the functional address of the ticket's queue, empty
	// when it has none.
	QueueAddress string
	// Entry is the entry that caused the mail; nil for a state or
	// assignment change.
	Entry *ticket.Entry
	// Actor is the name of whoever caused the mail; empty when unknown.
	Actor string
	// Assignee is the display name of the ticket's assignee ("Markus
	// Gruber"), their e-mail when they have no name, empty when nobody is
	// assigned.
	Assignee string
	// History holds earlier entries with text that the recipient may see,
	// newest first, at most MailOptions.History of them.
	History []*ticket.Entry
	// Names maps the e-mail of each author in Entry and History to their
	// name.
	Names map[string]string
	// InReplyTo and References thread the mail: In-Reply-To is the mail
	// that caused this one, else the recipient's previous mail about the
	// ticket, else the mail that opened it; References are the mail that
	// opened the ticket, the recipient's first and previous mail about it
	// and the causing mail. All are mails the recipient has, or wrote, as
	// far as servus knows; a first mail by a web ticket threads on nothing.
	InReplyTo  string
	References []string
	// Reset is what a password reset mail says; nil for mail about a
	// ticket.
	Reset *ResetMail
	// AutoCloseAt, for a resolution mail while the ticket is resolved, is
	// when it closes by itself without a reaction.
	AutoCloseAt *time.Time
	// Feedback, for a resolution mail to the ticket's requester, is the
	// one-time link to rate the handling; nil when there is none (any
	// more).
	Feedback *FeedbackMail
	// BounceTag is the subaddress of this mail's envelope sender
	// ("bounce-<id>-<mac>"): a bounce that comes back to
	// <local>+BounceTag@<domain> of the sender address belongs to this
	// mail and no other (see mail_auth.go).
	BounceTag string
	// ReplyTag is the subaddress of its Reply-To ("<number>-<mac>") for
	// mail about a ticket: a reply from the recipient to
	// <local>+ReplyTag@<domain> of the queue's address is authenticated as
	// theirs. Empty for account mail.
	ReplyTag string
	// Digest, for Event NotifyDigest (a staff member's notifications about
	// one ticket folded into one mail), holds every entry since the first
	// of them that the recipient may see and did not write, oldest first;
	// Entry is then nil and History holds what came before.
	Digest []*ticket.Entry
	// Escalation, for Event NotifyEscalation (escalation.go), is the
	// digest of a queue's tickets due soon or breached, as the recipient
	// may see them; Ticket is then nil.
	Escalation *EscalationMail
}

// ClaimMail leases up to limit due notifications to the caller for lease
// (so that several servus instances never send one twice) and loads each as
// its recipient may see it now. The visibility policy is asked again: a
// recipient who lost sight of the ticket or the entry since the
// notification was written gets nothing, and the notification is dropped
// with the reason, as it is for an address that bounced and for a
// requester over the daily cap. A password reset mail is dropped when its
// link can no longer be used (used, replaced or expired) or its account is
// gone or disabled. The caller sends each mail and reports the
// outcome with FinishMail before the lease runs out. Errors are database
// faults.
func (s *Service) ClaimMail(ctx context.Context, lease time.Duration, limit int) ([]*OutMail, error) {
	now := s.now().UTC()
	var out []*OutMail
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		out = nil
		ns, err := tx.ClaimNotifications(ctx, now, lease, limit)
		if err != nil {
			return err
		}
		key, err := s.mailSecretKey(ctx, tx)
		if err != nil {
			return err
		}
		sent := map[int64]int{} // recipient → mails in the last 24 hours, this batch included
		for _, n := range ns {
			m, reason, err := s.loadMail(ctx, tx, n, now, sent)
			if err != nil {
				return err
			}
			if reason != "" {
				if err := tx.DropNotification(ctx, n.ID, now, reason); err != nil {
					return err
				}
				continue
			}
			m.BounceTag = bounceTag(key, n.ID)
			if m.Ticket != nil {
				m.ReplyTag = replyTag(key, m.Recipient.Email, m.Ticket.Number)
			}
			out = append(out, m)
		}
		return nil
	})
	return out, err
}

// loadMail loads n as its recipient may see it at now, or says why it is
// not to be sent.
func (s *Service) loadMail(ctx context.Context, tx *store.Tx, n *store.Notification, now time.Time, sent map[int64]int) (m *OutMail, dropReason string, err error) {
	if n.DigestID != 0 {
		return s.loadEscalationMail(ctx, tx, n)
	}
	if n.TicketID == 0 {
		return s.loadResetMail(ctx, tx, n, now)
	}
	u, err := tx.UserByID(ctx, n.RecipientID)
	if err != nil {
		return nil, "", err
	}
	if u.Disabled {
		return nil, "recipient's account is disabled", nil
	}
	who, err := actorOf(ctx, tx, u)
	if err != nil {
		return nil, "", err
	}
	t, err := tx.TicketByNumber(ctx, access.System, n.TicketNumber)
	if err != nil {
		return nil, "", err
	}
	if !access.CanSeeTicket(who, t) {
		return nil, "recipient may no longer see ticket " + t.Ref(), nil
	}
	visible, err := tx.Entries(ctx, who, t.ID) // oldest first, as who may see them
	if err != nil {
		return nil, "", err
	}
	m = &OutMail{ID: n.ID, Event: n.Event, MessageID: n.MessageID, CreatedAt: n.CreatedAt, Recipient: u,
		Staff: who.Staff(), Requests: who.Requests(t), Ticket: t, Names: map[string]string{}}
	if n.Event == NotifyDigest {
		for _, e := range visible {
			if e.AuthorID == u.ID || e.CreatedAt.Before(n.CreatedAt) || (n.EntryID != 0 && e.ID < n.EntryID) {
				continue
			}
			m.Digest = append(m.Digest, e)
		}
		if len(m.Digest) == 0 {
			return nil, "recipient may no longer see the entries", nil
		}
	} else if n.EntryID != 0 {
		i := slices.IndexFunc(visible, func(e *ticket.Entry) bool { return e.ID == n.EntryID })
		if i < 0 {
			return nil, "recipient may no longer see the entry", nil
		}
		m.Entry = visible[i]
		if !access.CanSeeEntry(who, t, m.Entry.Visibility) { // the query applied the same policy
			return nil, "recipient may no longer see the entry", nil
		}
	}
	if bounced, err := tx.Undeliverable(ctx, u.Email); err != nil {
		return nil, "", err
	} else if bounced {
		return nil, "address is undeliverable (mail to it bounced)", nil
	}
	if !who.Staff() && s.mail.DailyCap > 0 {
		k, ok := sent[u.ID]
		if !ok {
			if k, err = tx.SentMailsSince(ctx, u.ID, now.Add(-24*time.Hour)); err != nil {
				return nil, "", err
			}
		}
		if k >= s.mail.DailyCap {
			sent[u.ID] = k
			return nil, "daily cap of automatic mails to this address reached", nil
		}
		sent[u.ID] = k + 1
	}

	// Who caused it: the entry's author, or for a change the author of the
	// newest event recorded with it.
	var actorID int64
	if m.Entry != nil {
		actorID = m.Entry.AuthorID
	} else {
		for _, e := range slices.Backward(visible) {
			if e.Kind == ticket.KindEvent && !e.CreatedAt.After(n.CreatedAt) {
				actorID = e.AuthorID
				break
			}
		}
	}
	// The earlier history with text, newest first.
	for _, e := range slices.Backward(visible) {
		if len(m.History) == s.mail.History {
			break
		}
		earlier := !e.CreatedAt.After(n.CreatedAt)
		if m.Entry != nil {
			earlier = e.ID < m.Entry.ID
		} else if len(m.Digest) > 0 {
			earlier = e.ID < m.Digest[0].ID
		}
		if earlier && e.Body != "" && e.Kind != ticket.KindEvent && e.Kind != ticket.KindAttachment {
			m.History = append(m.History, e)
		}
	}
	emails := []string{}
	for _, e := range slices.Concat([]*ticket.Entry{m.Entry}, m.History, m.Digest) {
		if e != nil && e.Author != "" && !slices.Contains(emails, e.Author) {
			emails = append(emails, e.Author)
		}
	}
	users, err := tx.UsersByEmail(ctx, emails)
	if err != nil {
		return nil, "", err
	}
	for email, x := range users {
		m.Names[email] = x.Name
		if x.ID == actorID {
			m.Actor = x.Name
		}
	}
	if m.Actor == "" && actorID != 0 {
		if x, err := tx.UserByID(ctx, actorID); err == nil {
			m.Actor = x.Name
		} else if ticket.ErrorCode(err) != ticket.ENOTFOUND {
			return nil, "", err
		}
	}
	if t.AssigneeID != 0 {
		m.Assignee = t.Assignee
		if x, err := tx.UserByID(ctx, t.AssigneeID); err == nil && x.Name != "" {
			m.Assignee = x.Name
		} else if err != nil && ticket.ErrorCode(err) != ticket.ENOTFOUND {
			return nil, "", err
		}
	}
	if q, err := tx.QueueByName(ctx, t.Queue); err == nil {
		m.QueueAddress = q.Address
	} else if ticket.ErrorCode(err) != ticket.ENOTFOUND {
		return nil, "", err
	}

	if n.Event == NotifyResolved {
		if err := s.loadFeedbackMail(ctx, tx, m, n.ID, now); err != nil {
			return nil, "", err
		}
	}

	th, err := tx.ThreadOf(ctx, n)
	if err != nil {
		return nil, "", err
	}
	for _, id := range []string{th.Root, th.First, th.Last, th.Inbound} {
		if id != "" && id != n.MessageID && !slices.Contains(m.References, id) {
			m.References = append(m.References, id)
		}
	}
	switch {
	case th.Inbound != "":
		m.InReplyTo = th.Inbound
	case th.Last != "":
		m.InReplyTo = th.Last
	case th.Root != "":
		m.InReplyTo = th.Root
	}
	return m, "", nil
}

// FinishMail records the outcome of sending notification id: sendErr nil
// is sent; an error whose Permanent() method says true (a 5xx answer) fails
// it at once; any other error is temporary and makes it due again after an
// exponential back-off, until MailOptions.MaxAttempts, when it fails. A
// notification that is no longer pending (an admin retried or it was
// finished elsewhere) is left alone. Errors: ENOTFOUND, database faults.
func (s *Service) FinishMail(ctx context.Context, id int64, sendErr error) error {
	now := s.now().UTC()
	return s.db.Write(ctx, func(tx *store.Tx) error {
		n, err := tx.NotificationByID(ctx, id)
		if err != nil || n.State != "pending" {
			return err
		}
		if sendErr == nil {
			// Accepted: the address takes mail again (a bounce of this
			// very mail marks it anew).
			if err := tx.ClearUndeliverable(ctx, n.Recipient); err != nil {
				return err
			}
			return tx.FinishNotification(ctx, id, "sent", now, now, "")
		}
		msg := sendErr.Error()
		if len(msg) > 1000 {
			msg = msg[:1000]
		}
		if permanent(sendErr) || n.Attempts+1 >= s.mail.MaxAttempts {
			return tx.FinishNotification(ctx, id, "failed", now, now, msg)
		}
		return tx.FinishNotification(ctx, id, "pending", now, now.Add(s.mail.backoff(n.Attempts+1)), msg)
	})
}

// permanent reports whether err says that trying again is no use.
func permanent(err error) bool {
	var p interface{ Permanent() bool }
	return errors.As(err, &p) && p.Permanent()
}

// OutboxItem is one notification as the admin outbox shows it.
type OutboxItem struct {
	ID            int64      `json:"id"`
	Ticket        int64      `json:"ticket"` // the ticket's number; 0 for account mail (a password reset)
	Event         string     `json:"event"`
	Recipient     string     `json:"recipient"`
	MessageID     string     `json:"message_id"`
	State         string     `json:"state"` // pending, sent, failed, dropped
	Attempts      int        `json:"attempts"`
	LastError     string     `json:"last_error,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	NextAttemptAt *time.Time `json:"next_attempt_at,omitempty"` // while pending
	SentAt        *time.Time `json:"sent_at,omitempty"`
}

// OutboxPage is one page of the outbox, newest first.
type OutboxPage struct {
	Items   []*OutboxItem `json:"items"`
	Total   int           `json:"total"`
	Page    int           `json:"page"`
	PerPage int           `json:"per_page"`
}

// OutboxStates are the states a notification can be in.
var OutboxStates = []string{"pending", "sent", "failed", "dropped"}

func outboxItem(n *store.Notification) *OutboxItem {
	it := &OutboxItem{ID: n.ID, Ticket: n.TicketNumber, Event: n.Event, Recipient: n.Recipient, MessageID: n.MessageID,
		State: n.State, Attempts: n.Attempts, LastError: n.LastError, CreatedAt: n.CreatedAt, SentAt: n.SentAt}
	if n.State == "pending" {
		next := n.NextAttemptAt
		it.NextAttemptAt = &next
	}
	return it
}

// Outbox lists the notifications in state (all when empty), newest first,
// page (from 1) of perPage (1 to 100, default 50); admins only
// (EFORBIDDEN). Notifications about a ticket the admin may not see (a
// confidential one of a queue they are no member of) are left out; account
// mail is listed (its recipient, never its link). EINVALID for an unknown
// state.
func (s *Service) Outbox(ctx context.Context, a access.Actor, state string, page, perPage int) (*OutboxPage, error) {
	if !a.Admin() {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.outbox.admins_see")
	}
	if state != "" && !slices.Contains(OutboxStates, state) {
		return nil, ticket.E(ticket.EINVALID, "err.outbox.unknown_state").Field("state", "problem.outbox_state")
	}
	page = max(page, 1)
	if perPage <= 0 {
		perPage = 50
	}
	perPage = min(perPage, 100)
	out := &OutboxPage{Items: []*OutboxItem{}, Page: page, PerPage: perPage}
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		ns, total, err := tx.OutboxPage(ctx, a, state, perPage, (page-1)*perPage)
		for _, n := range ns {
			out.Items = append(out.Items, outboxItem(n))
		}
		out.Total = total
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RetryMail makes failed or dropped notification id pending and due now,
// with a fresh round of attempts (a pending one just becomes due now);
// admins only (EFORBIDDEN). ENOTFOUND when there is no such notification or
// it is about a ticket the admin may not see; ECONFLICT when it was sent,
// and for a password reset mail that was dropped or failed (its link is not
// kept: the person asks for a new one).
func (s *Service) RetryMail(ctx context.Context, a access.Actor, id int64) (*OutboxItem, error) {
	if !a.Admin() {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.outbox.admins_retry")
	}
	now := s.now().UTC()
	var it *OutboxItem
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		n, err := tx.NotificationByID(ctx, id)
		if err != nil {
			return err
		}
		if n.TicketID != 0 {
			if _, err := tx.TicketByNumber(ctx, a, n.TicketNumber); err != nil {
				if ticket.ErrorCode(err) == ticket.ENOTFOUND {
					return ticket.E(ticket.ENOTFOUND, "err.outbox.not_found", id)
				}
				return err
			}
		}
		if err := tx.RetryNotification(ctx, id, now); err != nil {
			return err
		}
		if err := tx.InsertAudit(ctx, now, a.UserID, "mail.retry", n.TicketID, n.MessageID); err != nil {
			return err
		}
		if n, err = tx.NotificationByID(ctx, id); err != nil {
			return err
		}
		it = outboxItem(n)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return it, nil
}
