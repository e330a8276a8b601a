package access

import "github.com/servus-desk/servus/internal/ticket"

// Action names what someone wants to do to a ticket they can see.
type Action string

// Actions on a ticket.
const (
	ActTake   Action = "take"
	ActAssign Action = "assign"
	ActMove   Action = "move"
	ActEdit   Action = "edit" // change subject, description, priority, due, confidentiality, CC
	// ActEditOwn is a requester's edit of their own ticket: subject,
	// description, priority, wished due date, confidentiality.
	ActEditOwn  Action = "edit_own"
	ActSplit    Action = "split" // move entries to a new ticket
	ActResolve  Action = "resolve"
	ActClose    Action = "close"
	ActReopen   Action = "reopen"
	ActWithdraw Action = "withdraw"
	ActWatch    Action = "watch"
	ActUnwatch  Action = "unwatch"
	ActLink     Action = "link"
	ActMerge    Action = "merge"
	ActMessage  Action = "message"  // write a message to the requester
	ActQuestion Action = "question" // ask the requester
	ActAnswer   Action = "answer"   // reply as requester
	ActComment  Action = "comment"  // a work note
	ActAttach   Action = "attach"
)

// CanAct reports whether a may do act to t. It assumes CanSeeTicket(a, t);
// callers answer "not found" before asking it and "forbidden" when it says
// no.
//
// Work on a ticket (take, assign, move, edit, resolve, message, question,
// merge, split) belongs to the members of its queue and to admins.
// Requesters answer, comment, attach, edit their own ticket (edit_own),
// close a resolved ticket, reopen and withdraw;
// members of the queue may do those on a requester's behalf (a phone
// call). Anyone who sees a ticket may comment, attach and watch it; any
// staff member may link it. An IT delegate who sees a ticket only as its
// requester's delegate reads it and may watch it, nothing more.
func CanAct(a Actor, t *ticket.Ticket, act Action) bool {
	if !CanSeeTicket(a, t) {
		return false
	}
	worker := a.Staff() && (a.Member(t.QueueID) || a.Admin())
	requester := a.Requests(t)
	if !a.Staff() && !requester { // sees it as a delegate
		return act == ActWatch || act == ActUnwatch
	}
	switch act {
	case ActTake, ActAssign, ActMove, ActEdit, ActResolve, ActMessage, ActQuestion, ActMerge, ActSplit:
		return worker
	case ActEditOwn:
		return requester
	case ActAnswer, ActClose, ActReopen, ActWithdraw:
		return requester || worker
	case ActComment, ActAttach, ActWatch, ActUnwatch:
		return true
	case ActLink:
		return a.Staff()
	}
	return false
}
