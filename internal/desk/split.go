package desk

import (
	"context"
	"slices"
	"unicode/utf8"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/i18n"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// Problems of a split, on the field entries.
const (
	ProblemSplitNone        = "problem.split_none"        // no entry selected
	ProblemSplitForeign     = "problem.split_foreign"     // an entry of another ticket, or none the person sees
	ProblemSplitAll         = "problem.split_all"         // every entry: nothing would be left
	ProblemSplitDescription = "problem.split_description" // the description stays with its ticket
	ProblemSplitEvent       = "problem.split_event"       // history stays with its ticket
)

// SplitTicket moves the entries sp.Entries of the ticket with number, with
// their files, to a new ticket of the same requesters, queue, priority and
// confidentiality, whose description says where it came from; the two
// tickets are linked both ways ("related") and each history notes the
// split. Entries keep their visibility: a staff note stays a staff note.
// It answers the new ticket.
//
// Queue members and admins split (EFORBIDDEN). Refused: no entries, an
// entry the person does not see on this ticket (of another one, unknown,
// or hidden from them), history entries, the description, or every entry
// the ticket has (EINVALID naming entries); a closed ticket, a merged one
// among them, or a stale sp.Version (ECONFLICT). ENOTFOUND when the person
// may not see the ticket.
func (s *Service) SplitTicket(ctx context.Context, a access.Actor, number int64, sp Split) (*ticket.Ticket, error) {
	v := ticket.Validation{}
	sp.Subject = ticket.CleanLine(sp.Subject)
	validText(v, "subject", sp.Subject, maxSubject, false)
	if len(sp.Entries) == 0 {
		v.Add("entries", ProblemSplitNone)
	}
	if sp.Channel == "" {
		sp.Channel = ticket.ChannelAPI
	}
	if !sp.Channel.Valid() || sp.Channel == ticket.ChannelSystem {
		v.Add("channel", "problem.channel")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var nt *ticket.Ticket
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		t, err := s.change(ctx, tx, a, number, access.ActSplit, sp.Version)
		if err != nil {
			return err
		}
		if t.State == ticket.StateClosed {
			if t.CloseReason == ticket.ReasonMerged {
				return ticket.E(ticket.ECONFLICT, "err.ticket.split_merged", t.Ref())
			}
			return ticket.E(ticket.ECONFLICT, "err.ticket.split_closed", t.Ref())
		}
		ids, err := s.splitSelection(ctx, tx, a, t, sp.Entries)
		if err != nil {
			return err
		}
		if nt, err = s.splitOff(ctx, tx, a, t, sp, ids); err != nil {
			return err
		}
		return s.save(ctx, tx, t)
	})
	if err != nil {
		return nil, err
	}
	return s.Ticket(ctx, a, nt.Number)
}

// splitSelection checks the entries chosen to split off t and returns them
// without repeats. EINVALID naming entries.
func (s *Service) splitSelection(ctx context.Context, tx *store.Tx, a access.Actor, t *ticket.Ticket, chosen []int64) ([]int64, error) {
	seen, err := tx.Entries(ctx, a, t.ID) // only what a may see can be moved
	if err != nil {
		return nil, err
	}
	byID := map[int64]*ticket.Entry{}
	for _, e := range seen {
		byID[e.ID] = e
	}
	var ids []int64
	for _, id := range chosen {
		e := byID[id]
		if e == nil {
			return nil, ticket.E(ticket.EINVALID, "err.split.entries").Field("entries", ProblemSplitForeign, id, t.Ref())
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	// Every entry with content, whether a sees it or not, counts for
	// "nothing would be left".
	all, err := s.contentEntries(ctx, tx, t)
	if err != nil {
		return nil, err
	}
	left := 0
	for _, id := range all {
		if !slices.Contains(ids, id) {
			left++
		}
	}
	if left == 0 {
		return nil, ticket.E(ticket.EINVALID, "err.split.entries").Field("entries", ProblemSplitAll)
	}
	for _, id := range ids {
		switch byID[id].Kind {
		case ticket.KindDescription:
			return nil, ticket.E(ticket.EINVALID, "err.split.entries").Field("entries", ProblemSplitDescription)
		case ticket.KindEvent:
			return nil, ticket.E(ticket.EINVALID, "err.split.entries").Field("entries", ProblemSplitEvent, id)
		}
	}
	return ids, nil
}

// contentEntries lists the IDs of every entry of t that is no history
// event, whoever may see it.
func (s *Service) contentEntries(ctx context.Context, tx *store.Tx, t *ticket.Ticket) ([]int64, error) {
	es, err := tx.Entries(ctx, access.System, t.ID)
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, e := range es {
		if e.Kind != ticket.KindEvent {
			out = append(out, e.ID)
		}
	}
	return out, nil
}

// splitOff opens the new ticket of a split of t and moves the entries ids
// to it, inside tx.
func (s *Service) splitOff(ctx context.Context, tx *store.Tx, a access.Actor, t *ticket.Ticket, sp Split, ids []int64) (*ticket.Ticket, error) {
	now := s.now().UTC()
	req, err := tx.UserByID(ctx, t.RequesterID)
	if err != nil {
		return nil, err
	}
	lang := i18n.Supported(req.Language)
	subject := sp.Subject
	if subject == "" {
		subject = ticket.CleanLine(i18n.Text(lang, "split.subject", t.Ref(), t.Subject))
		if utf8.RuneCountInString(subject) > maxSubject {
			subject = string([]rune(subject)[:maxSubject-1]) + "…"
		}
	}
	number, err := tx.NextTicketNumber(ctx)
	if err != nil {
		return nil, err
	}
	nt := &ticket.Ticket{
		Number: number, Subject: subject, QueueID: t.QueueID, Queue: t.Queue,
		RequesterID: t.RequesterID, Requester: t.Requester, RequesterOrg: t.RequesterOrg, CC: []string{}, Priority: t.Priority,
		Confidential: t.Confidential, State: ticket.StateNew, Channel: sp.Channel,
		Version: 1, CreatedAt: now, UpdatedAt: now,
	}
	if err := tx.InsertTicket(ctx, nt); err != nil {
		return nil, err
	}
	if err := tx.IndexNewText(ctx, nt.ID, "subject", 0, ticket.VisibilityPublic, nt.Subject); err != nil {
		return nil, err
	}
	if err := s.setCC(ctx, tx, nt, t.CC); err != nil {
		return nil, err
	}
	// The description is servus's note of where the ticket came from, in
	// the requester's language: it copies no text of the moved entries,
	// which keep their own visibility.
	desc := &ticket.Entry{TicketID: nt.ID, Kind: ticket.KindDescription, AuthorID: a.UserID, Author: a.Email,
		Channel: sp.Channel, Visibility: ticket.VisibilityPublic,
		Body: i18n.Text(lang, "split.description", t.Ref(), t.Subject), CreatedAt: now}
	if err := tx.InsertEntry(ctx, desc); err != nil {
		return nil, err
	}
	if err := tx.MoveEntries(ctx, t.ID, nt.ID, ids); err != nil {
		return nil, err
	}
	if _, err := tx.InsertLink(ctx, t.ID, nt.ID, "related", "related"); err != nil {
		return nil, err
	}
	if err := s.event(ctx, tx, a, t, "split_into", "", nt.Ref()); err != nil {
		return nil, err
	}
	if err := s.event(ctx, tx, a, nt, "split_from", "", t.Ref()); err != nil {
		return nil, err
	}
	// The requesters learn the new number as of any new ticket; whoever
	// split it hears nothing of their own action.
	if err := s.notify(ctx, tx, a, nt, NotifyCreated, desc); err != nil {
		return nil, err
	}
	if err := tx.InsertAudit(ctx, now, a.UserID, "ticket.split", t.ID, nt.Ref()); err != nil {
		return nil, err
	}
	return nt, tx.InsertAudit(ctx, now, a.UserID, "ticket.create", nt.ID, "")
}
