package desk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"slices"
	"strconv"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// Notification events: what a mail tells its recipient.
const (
	NotifyCreated   = "created"    // to requesters (receipt with number) and the queue
	NotifyMessage   = "message"    // agent wrote to the requesters
	NotifyQuestion  = "question"   // agent asks the requesters
	NotifyResolved  = "resolved"   // to requesters, with how to reopen
	NotifyAnswer    = "answer"     // requester replied: to assignee or queue
	NotifyComment   = "comment"    // a comment
	NotifyAttached  = "attachment" // a file was attached
	NotifyClosed    = "closed"     // requester closed
	NotifyReopened  = "reopened"   // requester reopened
	NotifyWithdrawn = "withdrawn"  // requester withdrew
	NotifyAssigned  = "assigned"   // to the new assignee
	NotifyDigest    = "digest"     // to staff: several of the above on one ticket, folded into one mail
)

// notify writes the notifications that event on t (caused by a, about
// entry e when not nil) owes, in the caller's transaction, as DESIGN.md
// says: requesters hear of creation, messages, questions and resolution;
// the assignee, or the queue's members while nobody is assigned, hear of
// everything a requester does; watchers hear of everything they may see;
// IT delegates who chose to be mailed hear what requesters hear.
// Nobody is told of their own action, except a requester of the receipt of
// the ticket they opened: staff who open a ticket on someone's behalf (phone
// call, walk-in) hear nothing of it, though they are in its queue.
// Everyone is asked the visibility policy: a staff-only note never reaches
// a requester, a confidential ticket never a non-member.
func (s *Service) notify(ctx context.Context, tx *store.Tx, a access.Actor, t *ticket.Ticket, event string, e *ticket.Entry) error {
	return s.notifyWith(ctx, tx, a, t, event, e, true)
}

// notifyWith is notify; receipt false keeps the receipt of a new ticket
// from the actor who opened it (a mail that asked for no automatic answer:
// mailing list, auto-responder suppression), while everyone else is told.
func (s *Service) notifyWith(ctx context.Context, tx *store.Tx, a access.Actor, t *ticket.Ticket, event string, e *ticket.Entry, receipt bool) error {
	if s.quiet {
		return nil
	}
	var recipients []int64
	add := func(ids ...int64) {
		for _, id := range ids {
			if id != 0 && !slices.Contains(recipients, id) {
				recipients = append(recipients, id)
			}
		}
	}
	requesters := func() error {
		cc, err := tx.CCIDs(ctx, t.ID)
		add(t.RequesterID)
		add(cc...)
		return err
	}
	workers := func() error {
		if t.AssigneeID != 0 {
			add(t.AssigneeID)
			return nil
		}
		ids, err := tx.MemberIDs(ctx, t.QueueID)
		add(ids...)
		return err
	}
	// The IT delegates of the requester's institute who chose to be
	// mailed hear what a requester hears (not reminders); the policy
	// below keeps confidential tickets and non-public entries from them.
	delegates := func() error {
		if t.RequesterOrg == 0 || t.Confidential {
			return nil
		}
		ids, err := tx.DelegateMailIDs(ctx, t.RequesterOrg)
		add(ids...)
		return err
	}
	byRequester := a.Requests(t)
	var err error
	switch event {
	case NotifyCreated:
		if err = requesters(); err == nil {
			err = workers()
		}
		if err == nil {
			err = delegates()
		}
	case NotifyMessage, NotifyQuestion, NotifyResolved:
		if err = requesters(); err == nil {
			err = delegates()
		}
	case NotifyReminder:
		err = requesters()
	case NotifyAssigned:
		add(t.AssigneeID)
	default: // what requesters do goes to whoever works the ticket
		if byRequester {
			err = workers()
		}
	}
	if err != nil {
		return err
	}
	if event != NotifyReminder { // a reminder is for the requesters alone
		watchers, err := tx.WatcherIDs(ctx, t.ID)
		if err != nil {
			return err
		}
		add(watchers...)
	}

	vis := ticket.VisibilityPublic
	var entryID int64
	if e != nil {
		vis, entryID = e.Visibility, e.ID
	}
	now := s.now().UTC()
	for _, id := range recipients {
		if id == a.UserID && (event != NotifyCreated || !receipt || !byRequester) {
			continue
		}
		u, err := tx.UserByID(ctx, id)
		if err != nil {
			return err
		}
		who, err := actorOf(ctx, tx, u)
		if err != nil {
			return err
		}
		if !access.CanSeeEntry(who, t, vis) {
			continue
		}
		due := now
		if who.Staff() {
			folded, at, err := s.throttleStaff(ctx, tx, id, t.ID, now)
			if err != nil {
				return err
			}
			if folded {
				continue
			}
			due = at
		}
		n := &store.Notification{CreatedAt: now, TicketID: t.ID, EntryID: entryID, Event: event, RecipientID: id,
			MessageID: s.messageID(t), NextAttemptAt: due}
		if event == NotifyResolved && id == t.RequesterID {
			// The resolution mail to the requester carries a one-time
			// feedback link (feedback.go); its token rides on the outbox
			// row until the mail is sent.
			if n.Secret, err = s.newFeedbackLink(ctx, tx, t, now); err != nil {
				return err
			}
		}
		if err := tx.InsertNotification(ctx, n); err != nil {
			return err
		}
		if err := tx.InsertMailID(ctx, n.MessageID, t.ID, entryID, true, now); err != nil {
			return err
		}
	}
	return nil
}

// messageID makes a new, globally unique Message-ID for a mail about t.
func (s *Service) messageID(t *ticket.Ticket) string {
	b := make([]byte, 12)
	rand.Read(b)
	return "servus." + strconv.FormatInt(t.Number, 10) + "." + hex.EncodeToString(b) + "@" + s.mailDomain
}

// throttleStaff applies MailOptions.StaffWindow and StaffHourly to a new
// notification to staff member recipientID about ticketID at now: it is
// folded into one still waiting for them about that ticket (folded true),
// or else due at the end of the window since their last mail about the
// ticket, and no earlier than their hourly cap allows.
func (s *Service) throttleStaff(ctx context.Context, tx *store.Tx, recipientID, ticketID int64, now time.Time) (folded bool, due time.Time, err error) {
	if s.mail.StaffWindow < 0 {
		return false, now, nil
	}
	if folded, err = tx.FoldNotification(ctx, recipientID, ticketID, NotifyDigest, now); err != nil || folded {
		return folded, now, err
	}
	last, count, first, err := tx.StaffMailTimes(ctx, recipientID, ticketID, now.Add(-time.Hour), s.mail.StaffHourly)
	if err != nil {
		return false, now, err
	}
	due = now
	if !last.IsZero() && last.Add(s.mail.StaffWindow).After(due) {
		due = last.Add(s.mail.StaffWindow)
	}
	if s.mail.StaffHourly > 0 && count >= s.mail.StaffHourly && first.Add(time.Hour).After(due) {
		due = first.Add(time.Hour)
	}
	return false, due, nil
}
