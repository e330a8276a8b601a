package desk

import (
	"context"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// AddEntry adds a message, question, answer or comment to the ticket with
// number and moves the ticket on where the entry means that: a question
// makes it wait for the requester; the requester's reply (answer or public
// comment) to a waiting or resolved ticket opens it again. Messages,
// questions and answers are public; a comment may be staff- or queue-only
// when its author may read such entries. A closed ticket takes staff
// comments only. Minutes spent (ne.TimeSpent) are recorded by staff, on a
// ticket whose queue takes them, and required where the queue says so
// (EINVALID naming time_spent otherwise). Errors: ENOTFOUND, EFORBIDDEN,
// EINVALID, ECONFLICT.
func (s *Service) AddEntry(ctx context.Context, a access.Actor, number int64, ne NewEntry) (*ticket.Entry, error) {
	v := ticket.Validation{}
	ne.Body = ticket.CleanText(ne.Body)
	validText(v, "body", ne.Body, maxBody, true)
	if ne.Visibility == "" {
		ne.Visibility = ticket.VisibilityPublic
	}
	if !ne.Visibility.Valid() {
		v.Add("visibility", "problem.visibility")
	}
	if ne.Channel == "" {
		ne.Channel = ticket.ChannelAPI
	}
	if !ne.Channel.Valid() || ne.Channel == ticket.ChannelSystem {
		v.Add("channel", "problem.channel")
	}
	var act access.Action
	switch ne.Kind {
	case ticket.KindMessage:
		act = access.ActMessage
	case ticket.KindQuestion:
		act = access.ActQuestion
	case ticket.KindAnswer:
		act = access.ActAnswer
	case ticket.KindComment:
		act = access.ActComment
	default:
		v.Add("kind", "problem.kind")
	}
	if ne.Kind != ticket.KindComment && ne.Visibility != ticket.VisibilityPublic {
		v.Add("visibility", "problem.public_for", ne.Kind)
	}
	if ne.TimeSpent != 0 && (ne.TimeSpent < ticket.MinTimeSpent || ne.TimeSpent > ticket.MaxTimeSpent) {
		v.Add("time_spent", ProblemTimeSpentRange, ticket.MinTimeSpent, ticket.MaxTimeSpent)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var e *ticket.Entry
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		t, err := s.change(ctx, tx, a, number, act, 0)
		if err != nil {
			return err
		}
		if err := s.checkTimeSpent(ctx, tx, a, t, ne.TimeSpent); err != nil {
			return err
		}
		e, err = s.addEntry(ctx, tx, a, t, ne)
		return err
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// addEntry is AddEntry inside tx for a valid ne on t, which a may see and
// act on as ne.Kind asks.
func (s *Service) addEntry(ctx context.Context, tx *store.Tx, a access.Actor, t *ticket.Ticket, ne NewEntry) (*ticket.Entry, error) {
	if !access.CanSeeEntry(a, t, ne.Visibility) {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.entry.may_not", ne.Visibility, t.Ref())
	}
	if t.State == ticket.StateClosed && !(ne.Kind == ticket.KindComment && a.Staff()) {
		return nil, ticket.E(ticket.ECONFLICT, "err.ticket.closed", t.Ref())
	}
	now := s.now().UTC()
	e := &ticket.Entry{TicketID: t.ID, Kind: ne.Kind, AuthorID: a.UserID, Author: a.Email, Channel: ne.Channel,
		Visibility: ne.Visibility, Body: ne.Body, CreatedAt: now, TimeSpent: ne.TimeSpent}
	if err := tx.InsertEntry(ctx, e); err != nil {
		return nil, err
	}
	// The first public message or question of staff to the requester is
	// the first response (its target stops).
	firstResponse := t.FirstResponseAt == nil && a.Staff() && !a.IsSystem() && !a.Requests(t) &&
		ne.Visibility == ticket.VisibilityPublic && (ne.Kind == ticket.KindMessage || ne.Kind == ticket.KindQuestion)
	if firstResponse {
		t.FirstResponseAt = &now
	}
	var ev ticket.Event
	switch {
	case ne.Kind == ticket.KindQuestion:
		ev = ticket.EventAsk
		if t.AssigneeID == 0 && a.Member(t.QueueID) && !a.IsSystem() {
			if err := s.assign(ctx, tx, a, t, a.UserID, a.Email); err != nil {
				return nil, err
			}
		}
	case a.Requests(t) && ne.Visibility == ticket.VisibilityPublic &&
		(ne.Kind == ticket.KindAnswer || ne.Kind == ticket.KindComment):
		ev = ticket.EventAnswer
	case ne.Kind == ticket.KindAnswer:
		ev = ticket.EventAnswer // recorded by staff on the requester's behalf
	}
	if ev != "" {
		if err := s.transition(ctx, tx, a, t, ev); err != nil {
			return nil, err
		}
	}
	if firstResponse {
		if err := s.retarget(ctx, tx, t); err != nil {
			return nil, err
		}
	}
	if err := s.notify(ctx, tx, a, t, entryEvents[ne.Kind], e); err != nil {
		return nil, err
	}
	return e, s.save(ctx, tx, t)
}

// entryEvents maps an entry kind to the notification it causes.
var entryEvents = map[ticket.Kind]string{
	ticket.KindMessage: NotifyMessage, ticket.KindQuestion: NotifyQuestion,
	ticket.KindAnswer: NotifyAnswer, ticket.KindComment: NotifyComment,
}

// Entries returns the timeline entries of the ticket with number that a
// may see, oldest first; ENOTFOUND when a may not see the ticket.
func (s *Service) Entries(ctx context.Context, a access.Actor, number int64) ([]*ticket.Entry, error) {
	var t *ticket.Ticket
	var es []*ticket.Entry
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		if t, err = s.load(ctx, tx, a, number); err != nil {
			return err
		}
		es, err = tx.Entries(ctx, a, t.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	if es == nil {
		es = []*ticket.Entry{}
	}
	return es, s.auditView(ctx, a, t, "entries")
}

// Problems of time spent on an entry.
const (
	ProblemTimeSpentRange    = "problem.time_spent_range"    // not a whole number of minutes from 1 to 1439
	ProblemTimeSpentOff      = "problem.time_spent_off"      // the ticket's queue takes no time spent
	ProblemTimeSpentRequired = "problem.time_spent_required" // the ticket's queue requires it of staff
	ProblemTimeSpentStaff    = "problem.time_spent_staff"    // a requester sent it
)

// checkTimeSpent checks minutes (0 for none, else in range) against t's
// queue: staff record time spent where the queue takes it and must where
// it requires it; requesters record none. EINVALID naming time_spent.
func (s *Service) checkTimeSpent(ctx context.Context, tx *store.Tx, a access.Actor, t *ticket.Ticket, minutes int) error {
	q, err := tx.QueueByID(ctx, t.QueueID)
	if err != nil {
		return err
	}
	switch {
	case minutes != 0 && !a.Staff():
		return ticket.E(ticket.EINVALID, "err.entry.time_spent_staff").Field("time_spent", ProblemTimeSpentStaff)
	case minutes != 0 && q.TimeSpent == ticket.TimeSpentOff:
		return ticket.E(ticket.EINVALID, "err.entry.time_spent_off", q.Name).Field("time_spent", ProblemTimeSpentOff, q.Name)
	case minutes == 0 && a.Staff() && !a.IsSystem() && q.TimeSpent == ticket.TimeSpentRequired:
		return ticket.E(ticket.EINVALID, "err.entry.time_spent_required", q.Name).Field("time_spent", ProblemTimeSpentRequired, q.Name)
	}
	return nil
}
