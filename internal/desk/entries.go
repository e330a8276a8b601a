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
// comments only. Errors: ENOTFOUND, EFORBIDDEN, EINVALID, ECONFLICT.
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
	if err := v.Err(); err != nil {
		return nil, err
	}
	var e *ticket.Entry
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		t, err := s.change(ctx, tx, a, number, act, 0)
		if err != nil {
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
		Visibility: ne.Visibility, Body: ne.Body, CreatedAt: now}
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
