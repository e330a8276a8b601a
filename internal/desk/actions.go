package desk

import (
	"context"
	"slices"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// transition moves t through ev, recording the state change (and the close
// reason) in its history and keeping the resolved and closed times.
func (s *Service) transition(ctx context.Context, tx *store.Tx, a access.Actor, t *ticket.Ticket, ev ticket.Event) error {
	next, reason, err := ticket.Next(t.State, ev)
	if err != nil {
		return err
	}
	if next == t.State {
		return nil
	}
	now := s.now().UTC()
	if err := s.event(ctx, tx, a, t, "state", string(t.State), string(next)); err != nil {
		return err
	}
	switch next {
	case ticket.StateResolved:
		t.ResolvedAt = &now
	case ticket.StateClosed:
		t.ClosedAt, t.CloseReason = &now, reason
		if err := s.event(ctx, tx, a, t, "close_reason", "", string(reason)); err != nil {
			return err
		}
	case ticket.StateOpen, ticket.StateNew, ticket.StateWaiting:
		t.ResolvedAt, t.ClosedAt, t.CloseReason = nil, nil, ""
	}
	t.State = next
	return s.retarget(ctx, tx, t) // the clock stops or goes on
}

// reopenable says whether a may reopen t (which a may reopen by the
// policy): a merged ticket lives on in the one it was merged into and is
// never reopened; a requester reopens a closed ticket within the reopen
// grace period (as a reply by mail would), later they open a new one. The
// queue's members and admins may reopen any other closed ticket. ECONFLICT
// otherwise.
func (s *Service) reopenable(a access.Actor, t *ticket.Ticket) error {
	if t.State != ticket.StateClosed {
		return nil
	}
	if t.CloseReason == ticket.ReasonMerged {
		return ticket.E(ticket.ECONFLICT, "err.ticket.merged_no_reopen", t.Ref())
	}
	if a.Staff() && (a.Member(t.QueueID) || a.Admin()) {
		return nil
	}
	if t.ClosedAt == nil || s.now().Sub(*t.ClosedAt) > s.in.ReopenGrace { // as mail intake counts it
		return ticket.E(ticket.ECONFLICT, "err.ticket.too_old_to_reopen", t.Ref())
	}
	return nil
}

// assign makes userID (e-mail email; 0 for nobody) t's assignee, recording
// it.
func (s *Service) assign(ctx context.Context, tx *store.Tx, a access.Actor, t *ticket.Ticket, userID int64, email string) error {
	if t.AssigneeID == userID {
		return nil
	}
	if err := s.event(ctx, tx, a, t, "assignee", t.Assignee, email); err != nil {
		return err
	}
	t.AssigneeID, t.Assignee = userID, email
	return nil
}

// actions maps action names to what the policy calls them.
var actions = map[string]access.Action{
	"take": access.ActTake, "assign": access.ActAssign, "move": access.ActMove,
	"resolve": access.ActResolve, "close": access.ActClose, "reopen": access.ActReopen,
	"withdraw": access.ActWithdraw, "watch": access.ActWatch, "unwatch": access.ActUnwatch,
	"link": access.ActLink, "unlink": access.ActLink, "merge": access.ActMerge,
}

// actionEvents maps actions to the notification they cause.
var actionEvents = map[string]string{
	"take": NotifyAssigned, "assign": NotifyAssigned, "resolve": NotifyResolved, "close": NotifyClosed,
	"reopen": NotifyReopened, "withdraw": NotifyWithdrawn,
}

// Act applies one action to the ticket with number: take, assign (to a
// member of the ticket's queue, "none" to unassign), move (to another
// queue; an assignee who is no member there is removed), resolve, close,
// reopen, withdraw, watch, unwatch, link (to another ticket a sees), unlink
// (removes such a link, both ways) or merge (into another ticket, which
// gains this one's requesters in CC). When act.Version is set it must be
// current. Errors: ENOTFOUND (this ticket, the other one, or no link of that
// kind between them), EFORBIDDEN, EINVALID, ECONFLICT (stale version, a
// transition the state machine refuses).
func (s *Service) Act(ctx context.Context, a access.Actor, number int64, act Action) (*ticket.Ticket, error) {
	pa, ok := actions[act.Name]
	if !ok {
		return nil, ticket.E(ticket.EINVALID, "err.action.invalid").Field("action", "problem.action")
	}
	var t *ticket.Ticket
	err := s.db.Write(ctx, func(tx *store.Tx) (err error) {
		if t, err = s.change(ctx, tx, a, number, pa, act.Version); err != nil {
			return err
		}
		assignee := t.AssigneeID
		changed, err := s.apply(ctx, tx, a, t, act)
		if err != nil || !changed {
			return err
		}
		event := actionEvents[act.Name]
		if (act.Name == "take" || act.Name == "assign") && t.AssigneeID == assignee {
			event = ""
		}
		if event != "" {
			if err := s.notify(ctx, tx, a, t, event, nil); err != nil {
				return err
			}
		}
		return s.save(ctx, tx, t)
	})
	if err != nil {
		return nil, err
	}
	if act.Name == "watch" || act.Name == "unwatch" || act.Name == "link" || act.Name == "unlink" {
		return s.Ticket(ctx, a, number) // watchers and links are not ticket fields
	}
	return t, nil
}

// apply does act to t inside tx and reports whether t's own fields changed.
func (s *Service) apply(ctx context.Context, tx *store.Tx, a access.Actor, t *ticket.Ticket, act Action) (bool, error) {
	switch act.Name {
	case "take":
		if a.IsSystem() || !a.Member(t.QueueID) {
			return false, ticket.E(ticket.EFORBIDDEN, "err.ticket.members_take", t.Queue)
		}
		if err := s.assign(ctx, tx, a, t, a.UserID, a.Email); err != nil {
			return false, err
		}
		return true, s.transition(ctx, tx, a, t, ticket.EventTake)
	case "assign":
		email := ticket.NormalizeEmail(act.Assignee)
		if email == "" {
			return false, ticket.E(ticket.EINVALID, "err.assign.missing").Field("assignee", "problem.member_or_none")
		}
		if email == "none" {
			return true, s.assign(ctx, tx, a, t, 0, "")
		}
		u, _, err := tx.UserByEmail(ctx, email)
		if ticket.ErrorCode(err) == ticket.ENOTFOUND {
			return false, ticket.E(ticket.EINVALID, "err.user.no_such").Field("assignee", "problem.unknown_user")
		} else if err != nil {
			return false, err
		}
		if ok, err := tx.IsMember(ctx, t.QueueID, u.ID); err != nil {
			return false, err
		} else if !ok {
			return false, ticket.E(ticket.EINVALID, "err.assign.not_member").Field("assignee", "problem.not_member_of", t.Queue)
		}
		if err := s.assign(ctx, tx, a, t, u.ID, u.Email); err != nil {
			return false, err
		}
		return true, s.transition(ctx, tx, a, t, ticket.EventAssign)
	case "move":
		if act.Queue == "" {
			return false, ticket.E(ticket.EINVALID, "err.move.no_queue").Field("queue", "problem.required")
		}
		q, err := tx.QueueByName(ctx, act.Queue)
		if ticket.ErrorCode(err) == ticket.ENOTFOUND {
			return false, ticket.E(ticket.EINVALID, "err.queue.no_such").Field("queue", "problem.unknown_queue")
		} else if err != nil {
			return false, err
		}
		if t.State == ticket.StateClosed {
			return false, ticket.E(ticket.ECONFLICT, "err.ticket.closed", t.Ref())
		}
		if q.ID == t.QueueID {
			return false, nil
		}
		if err := s.event(ctx, tx, a, t, "queue", t.Queue, q.Name); err != nil {
			return false, err
		}
		t.QueueID, t.Queue = q.ID, q.Name
		// The new queue's targets, counted from the ticket's opening in its
		// business hours.
		takeTargets(t, q)
		if err := s.retarget(ctx, tx, t); err != nil {
			return false, err
		}
		// A queue whose tickets are confidential from the start makes a
		// ticket moved into it confidential too, as creating it there would;
		// moving out never lifts confidentiality by itself.
		if q.Confidential && !t.Confidential {
			if err := s.event(ctx, tx, a, t, "confidential", "false", "true"); err != nil {
				return false, err
			}
			t.Confidential = true
		}
		if t.AssigneeID != 0 {
			if ok, err := tx.IsMember(ctx, q.ID, t.AssigneeID); err != nil {
				return false, err
			} else if !ok {
				if err := s.assign(ctx, tx, a, t, 0, ""); err != nil {
					return false, err
				}
			}
		}
		return true, nil
	case "resolve":
		return true, s.transition(ctx, tx, a, t, ticket.EventResolve)
	case "close":
		return true, s.transition(ctx, tx, a, t, ticket.EventClose)
	case "reopen":
		if err := s.reopenable(a, t); err != nil {
			return false, err
		}
		return true, s.transition(ctx, tx, a, t, ticket.EventReopen)
	case "withdraw":
		return true, s.transition(ctx, tx, a, t, ticket.EventWithdraw)
	case "watch", "unwatch":
		if a.IsSystem() {
			return false, ticket.E(ticket.EINVALID, "err.ticket.system_watch")
		}
		_, err := tx.SetWatching(ctx, t.ID, a.UserID, act.Name == "watch")
		return false, err
	case "link":
		kind, other, err := s.linkPair(ctx, tx, a, t, act)
		if err != nil {
			return false, err
		}
		added, err := tx.InsertLink(ctx, t.ID, other.ID, kind, reverseLink(kind))
		if err != nil || !added {
			return false, err
		}
		// The history names the kind only: whoever reads one ticket's
		// timeline may not see the other, and Links lists each link only
		// to those who see both tickets.
		if err := s.event(ctx, tx, a, t, "link", "", kind); err != nil {
			return false, err
		}
		return false, s.event(ctx, tx, a, other, "link", "", reverseLink(kind))
	case "unlink":
		kind, other, err := s.linkPair(ctx, tx, a, t, act)
		if err != nil {
			return false, err
		}
		removed, err := tx.DeleteLink(ctx, t.ID, other.ID, kind, reverseLink(kind))
		if err != nil {
			return false, err
		}
		if !removed {
			return false, ticket.E(ticket.ENOTFOUND, "err.link.not_found", t.Ref(), other.Ref()).Field("ticket", "problem.not_linked")
		}
		// The history names the kind only, as for link: old is the kind
		// that was, new is empty.
		if err := s.event(ctx, tx, a, t, "link", kind, ""); err != nil {
			return false, err
		}
		return false, s.event(ctx, tx, a, other, "link", reverseLink(kind), "")
	case "merge":
		other, err := s.other(ctx, tx, a, t, act.Target)
		if err != nil {
			return false, err
		}
		if other.State == ticket.StateClosed {
			return false, ticket.E(ticket.ECONFLICT, "err.ticket.merge_target_closed", other.Ref())
		}
		if !access.CanAct(a, other, access.ActMerge) {
			return false, ticket.E(ticket.EFORBIDDEN, "err.ticket.merge_forbidden", other.Ref())
		}
		if err := s.transition(ctx, tx, a, t, ticket.EventMerge); err != nil {
			return false, err
		}
		if _, err := tx.InsertLink(ctx, t.ID, other.ID, "merged-into", "merged-from"); err != nil {
			return false, err
		}
		if err := s.event(ctx, tx, a, t, "merged_into", "", other.Ref()); err != nil {
			return false, err
		}
		// The merged ticket's requesters follow the surviving one.
		cc := slices.Clone(other.CC)
		for _, e := range append([]string{t.Requester}, t.CC...) {
			if e != other.Requester && !slices.Contains(cc, e) {
				cc = append(cc, e)
			}
		}
		if err := s.setCC(ctx, tx, other, cc); err != nil {
			return false, err
		}
		if err := s.event(ctx, tx, a, other, "merged_from", "", t.Ref()); err != nil {
			return false, err
		}
		return true, s.save(ctx, tx, other)
	}
	return false, ticket.E(ticket.EINVALID, "err.action.unknown", act.Name)
}

// linkPair checks act's link kind (default "related"; merges are no kind
// one may link or unlink) and loads the other ticket. Errors: EINVALID,
// ENOTFOUND.
func (s *Service) linkPair(ctx context.Context, tx *store.Tx, a access.Actor, t *ticket.Ticket, act Action) (string, *ticket.Ticket, error) {
	kind := act.LinkKind
	if kind == "" {
		kind = "related"
	}
	if !slices.Contains(ticket.LinkKinds, kind) {
		return "", nil, ticket.E(ticket.EINVALID, "err.link.kind").Field("link_kind", "problem.link_kind")
	}
	other, err := s.other(ctx, tx, a, t, act.Target)
	if err != nil {
		return "", nil, err
	}
	return kind, other, nil
}

// other loads the second ticket of a link or merge; it must be visible to
// a, else ENOTFOUND, and differ from t.
func (s *Service) other(ctx context.Context, tx *store.Tx, a access.Actor, t *ticket.Ticket, number int64) (*ticket.Ticket, error) {
	if number <= 0 {
		return nil, ticket.E(ticket.EINVALID, "err.link.no_target").Field("ticket", "problem.ticket_number")
	}
	if number == t.Number {
		return nil, ticket.E(ticket.EINVALID, "err.link.self").Field("ticket", "problem.other_ticket")
	}
	return s.loadForUpdate(ctx, tx, a, number)
}

func reverseLink(kind string) string {
	switch kind {
	case "parent":
		return "child"
	case "child":
		return "parent"
	}
	return kind
}
