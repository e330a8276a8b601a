package desk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/bizhours"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// Escalation digests (README "Escalation"). A queue may ask for them
// (ticket.Queue.Escalate): the escalation job then mails the queue's
// members one digest per run listing the queue's tickets whose first
// response or resolution target became due soon or was breached since the
// last digest. Each state of each target of each ticket is mailed once
// per queue and due instant (ticket_escalations): a ticket moved to
// another queue is told to that queue's members too (they never heard of
// it), and a new due instant (its clock stood still while it waited for
// the requester, or the new queue's targets differ) may escalate it again.
// Moving it back to a queue that was told of the same due instant does
// not repeat the mail.

// NotifyEscalation is an escalation digest to a queue's members.
const NotifyEscalation = "escalation"

// The targets a ticket escalates for, and the states it escalates in.
const (
	EscalationFirstResponse = "first_response"
	EscalationResolution    = "resolution"
	EscalationDueSoon       = ticket.TargetDueSoon
	EscalationBreached      = ticket.TargetBreached
)

// maxEscalations bounds the tickets of one digest; more wait for the next
// run.
const maxEscalations = 200

// withEscalation sets each queue's Escalate.
func withEscalation(ctx context.Context, tx *store.Tx, qs ...*ticket.Queue) error {
	es, err := tx.QueueEscalations(ctx)
	if err != nil {
		return err
	}
	for _, q := range qs {
		on := es[q.ID]
		q.Escalate = &on
	}
	return nil
}

// SendEscalations queues one digest per queue that asks for them and has
// tickets newly due soon or breached (first response or resolution) at
// now, to each of the queue's members (agents and admins whose accounts
// are enabled), and returns how many digests it queued. Tickets that wait
// for their requester, are resolved or closed do not escalate (their
// clock stands still). Each queue is handled in its own transaction that
// records what its digest lists in ticket_escalations (whose key allows
// each state of each target once per due instant) and queues its mails in
// the outbox, so several servus instances running this at once mail each
// escalation exactly once.
func (s *Service) SendEscalations(ctx context.Context) (int, error) {
	var queues []int64
	if err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		queues, err = tx.EscalatingQueues(ctx)
		return err
	}); err != nil {
		return 0, err
	}
	digests := 0
	for _, qid := range queues {
		var made bool
		err := s.db.Write(ctx, func(tx *store.Tx) (err error) {
			made, err = s.escalateQueue(ctx, tx, qid, s.now().UTC())
			return err
		})
		if ticket.ErrorCode(err) == ticket.ENOTFOUND {
			continue // the queue is gone
		} else if err != nil {
			return digests, err
		}
		if made {
			digests++
		}
	}
	return digests, nil
}

// escalateQueue records and queues queueID's digest at now, inside tx; it
// reports whether there was anything to mail.
func (s *Service) escalateQueue(ctx context.Context, tx *store.Tx, queueID int64, now time.Time) (bool, error) {
	q, err := tx.QueueByID(ctx, queueID)
	if err != nil {
		return false, err
	}
	if err := withEscalation(ctx, tx, q); err != nil || !*q.Escalate {
		return false, err
	}
	cal, err := calendarOf(q.Targets)
	if err != nil {
		return false, err
	}
	// The candidates are read to the end before anything is written (one
	// statement at a time on a transaction).
	var items []store.Escalation
	tickets := 0
	if err := tx.EscalationCandidates(ctx, queueID, now, func(c *store.TargetTicket) (bool, error) {
		listed := false
		for _, k := range []struct {
			kind    string
			pending bool
		}{{EscalationFirstResponse, c.FirstResponsePending}, {EscalationResolution, c.ResolutionPending}} {
			if !k.pending {
				continue
			}
			if state, due := escalationState(cal, c, k.kind, now); state != "" {
				items = append(items, store.Escalation{TicketID: c.ID, QueueID: queueID, Number: c.Number, Kind: k.kind, State: state, DueAt: due})
				listed = true
			}
		}
		if listed {
			tickets++
		}
		return tickets < maxEscalations, nil
	}); err != nil {
		return false, err
	}
	if len(items) == 0 {
		return false, nil
	}
	digestID, err := tx.InsertEscalationDigest(ctx, queueID, now)
	if err != nil {
		return false, err
	}
	recorded := 0
	for _, e := range items {
		first, err := tx.RecordEscalation(ctx, e, digestID, now)
		if err != nil {
			return false, err
		}
		if first {
			recorded++
		}
	}
	if recorded == 0 { // another instance was quicker
		return false, tx.DeleteEscalationDigest(ctx, digestID)
	}
	if s.quiet {
		return true, nil
	}
	members, err := tx.MemberIDs(ctx, queueID)
	if err != nil {
		return false, err
	}
	for _, id := range members {
		u, err := tx.UserByID(ctx, id)
		if err != nil {
			return false, err
		}
		if u.Disabled || !u.Role.Staff() {
			continue
		}
		n := &store.Notification{CreatedAt: now, Event: NotifyEscalation, RecipientID: id, DigestID: digestID,
			MessageID: s.digestMessageID(digestID), NextAttemptAt: now}
		if err := tx.InsertNotification(ctx, n); err != nil {
			return false, err
		}
	}
	return true, nil
}

// escalationState tells how c's target kind stands at now in cal: ""
// (none, met, or not due soon yet), EscalationDueSoon or
// EscalationBreached, with the target's due instant. A target is due soon
// from the instant computeTargets stores as target_soon_at for it.
func escalationState(cal *bizhours.Calendar, c *store.TargetTicket, kind string, now time.Time) (string, time.Time) {
	var minutes int
	var due *time.Time
	switch kind {
	case EscalationFirstResponse:
		if c.FirstResponseAt != nil {
			return "", time.Time{}
		}
		minutes, due = c.FirstResponseTarget, c.FirstResponseDue
	case EscalationResolution:
		minutes, due = c.ResolutionTarget, c.ResolutionDue
	}
	if minutes <= 0 || due == nil {
		return "", time.Time{}
	}
	if !now.Before(*due) {
		return EscalationBreached, *due
	}
	soon := cal.Sub(*due, soonBefore(minutes)).UTC().Truncate(time.Millisecond)
	if !now.Before(soon) {
		return EscalationDueSoon, *due
	}
	return "", time.Time{}
}

// digestMessageID makes a new, globally unique Message-ID for a mail of
// digest id.
func (s *Service) digestMessageID(id int64) string {
	b := make([]byte, 12)
	rand.Read(b)
	return "servus.escalation." + strconv.FormatInt(id, 10) + "." + hex.EncodeToString(b) + "@" + s.mailDomain
}

// EscalationMail is what an escalation digest tells one queue member.
type EscalationMail struct {
	Queue string
	Items []*EscalationItem
}

// EscalationItem is one line of a digest: a target of a ticket that is due
// soon or breached.
type EscalationItem struct {
	Number  int64
	Subject string
	Kind    string    // EscalationFirstResponse or EscalationResolution
	State   string    // EscalationDueSoon or EscalationBreached
	Due     time.Time // the target's due instant
}

// loadEscalationMail loads digest mail n as its recipient may see it at
// now, or says why it is not to be sent: the recipient must still be an
// enabled staff member of the digest's queue, and the digest lists only
// the tickets they may see now (a ticket moved meanwhile to a queue whose
// confidential tickets they may not see is left out).
func (s *Service) loadEscalationMail(ctx context.Context, tx *store.Tx, n *store.Notification) (*OutMail, string, error) {
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
	queueID, items, err := tx.EscalationDigest(ctx, n.DigestID)
	if err != nil {
		return nil, "", err
	}
	q, err := tx.QueueByID(ctx, queueID)
	if err != nil {
		return nil, "", err
	}
	if !who.Staff() || !who.Member(queueID) {
		return nil, "recipient is no longer a member of queue " + q.Name, nil
	}
	em := &EscalationMail{Queue: q.Name}
	for _, e := range items {
		t, err := tx.TicketByNumber(ctx, access.System, e.Number)
		if ticket.ErrorCode(err) == ticket.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, "", err
		}
		if !access.CanSeeTicket(who, t) {
			continue
		}
		em.Items = append(em.Items, &EscalationItem{Number: t.Number, Subject: t.Subject, Kind: e.Kind, State: e.State, Due: e.DueAt})
	}
	if len(em.Items) == 0 {
		return nil, "recipient may see none of the digest's tickets", nil
	}
	if bounced, err := tx.Undeliverable(ctx, u.Email); err != nil {
		return nil, "", err
	} else if bounced {
		return nil, "address is undeliverable (mail to it bounced)", nil
	}
	return &OutMail{ID: n.ID, Event: n.Event, MessageID: n.MessageID, CreatedAt: n.CreatedAt, Recipient: u, Staff: true,
		QueueAddress: q.Address, Escalation: em}, "", nil
}
