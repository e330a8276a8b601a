// Package access is servus's one visibility policy. Every read path asks it:
// single tickets through CanSeeTicket, lists, search and counts through
// TicketScope rendered into their WHERE clause, timelines through
// EntryScope and CanSeeEntry. A ticket a person may not see is "not found"
// to them; callers never distinguish it from a missing one.
//
// The policy, from DESIGN.md:
//   - a requester sees the tickets they requested or are in CC of;
//   - staff (agents and admins) see every non-confidential ticket;
//   - a confidential ticket is seen by its requesters and its queue's members;
//   - an auditor sees no ticket, entry or file at all (not even one they
//     requested);
//   - an institute's IT delegate sees the non-confidential tickets whose
//     requester is a member of their institute, as a requester sees them
//     (public entries only); a delegate who is staff keeps what staff see;
//   - public entries are seen by everyone who sees the ticket, staff
//     entries by staff, queue entries by the members of the ticket's queue.
//
// Admins are not members of every queue by virtue of their role: a
// confidential ticket stays hidden from an admin who is not a member.
//
// Stored inbound mail (its record and its raw bytes) follows the same
// policy through MailScope: a mail that belongs to a ticket is seen exactly
// as its entry is; a mail that belongs to no ticket (failed, or kept
// without one) is seen by admins only, and its body not at all by an admin
// outside a confidential queue it was addressed to (MailBodyHidden).
package access

import (
	"slices"
	"strconv"
	"strings"

	"github.com/servus-desk/servus/internal/ticket"
)

// Actor is who is asking: a signed-in person, a token's owner, or System.
type Actor struct {
	UserID int64
	Email  string
	Name   string
	Role   ticket.Role
	Lang   string
	Queues []int64 // IDs of the queues the person is a member of
	// AlsoAuditor is an agent or admin who holds the auditor role besides:
	// they read the audit log and see what their role sees (an auditor by
	// Role alone sees no ticket).
	AlsoAuditor bool
	// DelegateOf is the ID of the organisation (institute) whose IT
	// delegate a is; 0 for none. A delegate sees the non-confidential
	// tickets of the organisation's members as a requester does.
	DelegateOf int64
	system     bool
}

// System is servus itself (command line, demo seeding, background jobs). It
// sees and may do everything; no request from outside ever carries it.
var System = Actor{Email: "", Name: "servus", Role: ticket.RoleAdmin, system: true}

// IsSystem reports whether a is servus itself.
func (a Actor) IsSystem() bool { return a.system }

// Staff reports whether a is an agent, an admin or servus itself.
func (a Actor) Staff() bool { return a.system || a.Role.Staff() }

// Admin reports whether a may manage queues, users and settings.
func (a Actor) Admin() bool { return a.system || a.Role == ticket.RoleAdmin }

// Auditor reports whether a is an auditor: one who reads the audit log and
// sees no ticket at all.
func (a Actor) Auditor() bool { return !a.system && a.Role == ticket.RoleAuditor }

// CanReadAudit reports whether a may read the audit log: admins, auditors
// (by role, or staff who hold the auditor role besides) and servus itself.
func CanReadAudit(a Actor) bool { return a.Admin() || a.Auditor() || (a.AlsoAuditor && a.Staff()) }

// ReadsAudit is CanReadAudit for templates.
func (a Actor) ReadsAudit() bool { return CanReadAudit(a) }

// Member reports whether a is a member of the queue with ID queueID.
func (a Actor) Member(queueID int64) bool {
	return a.system || slices.Contains(a.Queues, queueID)
}

// Requests reports whether a is t's requester or in its CC.
func (a Actor) Requests(t *ticket.Ticket) bool {
	if a.UserID == 0 {
		return false
	}
	if t.RequesterID == a.UserID {
		return true
	}
	return a.Email != "" && slices.Contains(t.CC, a.Email)
}

// Delegates reports whether a sees t as its requester's IT delegate: t is
// not confidential and its requester is a member of the organisation a is
// the delegate of. Staff see such a ticket anyway; an auditor never.
func (a Actor) Delegates(t *ticket.Ticket) bool {
	return a.DelegateOf != 0 && !a.Auditor() && !t.Confidential && t.RequesterOrg == a.DelegateOf
}

// CanSeeTicket reports whether a may see t at all.
func CanSeeTicket(a Actor, t *ticket.Ticket) bool {
	switch {
	case a.system:
		return true
	case a.Auditor():
		return false
	case a.Requests(t):
		return true
	case a.Staff():
		return !t.Confidential || a.Member(t.QueueID)
	}
	return a.Delegates(t)
}

// CanSeeEntry reports whether a may see an entry of visibility v on t;
// it implies CanSeeTicket.
func CanSeeEntry(a Actor, t *ticket.Ticket, v ticket.Visibility) bool {
	if !CanSeeTicket(a, t) {
		return false
	}
	switch v {
	case ticket.VisibilityPublic:
		return true
	case ticket.VisibilityStaff:
		return a.Staff()
	case ticket.VisibilityQueue:
		return a.Staff() && a.Member(t.QueueID)
	}
	return false
}

// Visibilities lists the entry visibilities a may see on t.
func Visibilities(a Actor, t *ticket.Ticket) []ticket.Visibility {
	var vs []ticket.Visibility
	for _, v := range []ticket.Visibility{ticket.VisibilityPublic, ticket.VisibilityStaff, ticket.VisibilityQueue} {
		if CanSeeEntry(a, t, v) {
			vs = append(vs, v)
		}
	}
	return vs
}

// TicketScope renders the policy as a SQL predicate over a tickets table
// aliased t (columns id, requester_id, queue_id, confidential) and a
// ticket_cc table (ticket_id, user_id). Placeholders are "?"; args holds
// their values in order. The result is always parenthesised.
func TicketScope(a Actor) (sql string, args []any) {
	if a.system {
		return "(1=1)", nil
	}
	if a.Auditor() {
		return "(1=0)", nil
	}
	args = []any{a.UserID, a.UserID}
	if !a.Staff() {
		// A requester's own tickets are few: an uncorrelated set that the
		// requester and CC indexes produce, then looked up by ID. An IT
		// delegate adds the non-confidential tickets of the institute's
		// members (through organisation_members and the requester index).
		own := "SELECT r.id FROM tickets r WHERE r.requester_id = ? UNION SELECT cc.ticket_id FROM ticket_cc cc WHERE cc.user_id = ?"
		if a.DelegateOf != 0 {
			own += " UNION SELECT m.id FROM organisation_members om JOIN tickets m ON m.requester_id = om.user_id" +
				" WHERE om.organisation_id = ? AND m.confidential = FALSE"
			args = append(args, a.DelegateOf)
		}
		return "(t.id IN (" + own + "))", args
	}
	// Staff see most tickets: a predicate checked row by row, so that a
	// page sorted by an indexed column stops after its rows. (The EXISTS
	// keeps SQLite from collecting every visible row through indexes
	// first.)
	own := "t.requester_id = ? OR EXISTS (SELECT 1 FROM ticket_cc cc WHERE cc.ticket_id = t.id AND cc.user_id = ?)"
	if len(a.Queues) == 0 {
		return "(t.confidential = FALSE OR " + own + ")", args
	}
	return "(t.confidential = FALSE OR t.queue_id IN (" + idList(a.Queues) + ") OR " + own + ")", args
}

// EntryScope renders which entries of a visible ticket a may see, as a SQL
// predicate over an entries-like table aliased by alias (column visibility)
// joined with tickets aliased t (column queue_id). Use it together with
// TicketScope. It has no placeholders.
func EntryScope(a Actor, alias string) string {
	return EntryScopeQueue(a, alias, "t.queue_id")
}

// EntryScopeQueue is EntryScope where the entry's ticket's queue is the SQL
// expression queue rather than t.queue_id: for a query over entries alone,
// e.g. "(SELECT queue_id FROM tickets WHERE id = d.ticket_id)", which is
// looked up only for the queue-only entries the rest of the rule leaves.
func EntryScopeQueue(a Actor, alias, queue string) string {
	vis := alias + ".visibility"
	switch {
	case a.system:
		return "(1=1)"
	case a.Auditor():
		return "(1=0)"
	case !a.Staff():
		return "(" + vis + " = 'public')"
	case len(a.Queues) == 0:
		return "(" + vis + " IN ('public', 'staff'))"
	}
	return "(" + vis + " IN ('public', 'staff') OR (" + vis + " = 'queue' AND " + queue + " IN (" + idList(a.Queues) + ")))"
}

// MailScope renders which stored inbound mails a may see, as a SQL
// predicate over an inbound table aliased i (columns ticket_id, entry_id)
// LEFT JOINed with tickets aliased t, like TicketScope. A mail that belongs
// to a ticket is seen as its entry is (one without an entry as a
// queue-only entry); one that belongs to no ticket by admins only; an IT
// delegate reads no mail through the delegate rule.
func MailScope(a Actor) (sql string, args []any) {
	if a.system {
		return "(1=1)", nil
	}
	// Raw mail is never an IT delegate's to read: a delegate sees stored
	// mails only of the tickets they see for themselves.
	a.DelegateOf = 0
	orphan := "(i.ticket_id IS NULL AND 1=0)"
	if a.Admin() {
		orphan = "(i.ticket_id IS NULL)"
	}
	scope, args := TicketScope(a)
	queueOnly := "1=0"
	if a.Staff() && len(a.Queues) > 0 {
		queueOnly = "t.queue_id IN (" + idList(a.Queues) + ")"
	}
	return "(" + orphan + " OR (i.ticket_id IS NOT NULL AND " + scope + " AND (" +
		"EXISTS (SELECT 1 FROM entries e WHERE e.id = i.entry_id AND " + EntryScope(a, "e") + ")" +
		" OR (i.entry_id IS NULL AND " + queueOnly + "))))", args
}

// MailBodyHidden reports whether a, who may see a mail that belongs to no
// ticket, sees its header only: the mail was addressed to a confidential
// queue (one of queues, the queues its addresses name) that a is no member
// of.
func MailBodyHidden(a Actor, queues []*ticket.Queue) bool {
	for _, q := range queues {
		if q.Confidential && !a.Member(q.ID) {
			return true
		}
	}
	return false
}

func idList(ids []int64) string {
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	return b.String()
}
