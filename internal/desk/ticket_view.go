package desk

import (
	"context"
	"slices"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// TicketView is everything the ticket page shows, as one person may see
// it.
type TicketView struct {
	Ticket      *ticket.Ticket
	Entries     []*ticket.Entry
	Attachments []*ticket.Attachment
	Names       map[string]string // display names of everyone named on the page
	Members     [][2]string       // e-mail and name of the queue's members, for assign (workers only)
	Queues      []string          // queue names, for move (workers only)
	Watching    bool
	Can         map[access.Action]bool // what the person may do, by the policy
	// DescriptionID is the description entry's ID (0 when the person does
	// not see it); DescriptionVersions its earlier texts, oldest first.
	DescriptionID       int64
	DescriptionVersions []ticket.DescriptionVersion
	// TimeSpent is the queue's setting for the minutes spent on entries.
	TimeSpent ticket.TimeSpent
	Feedback  *TicketFeedback // the rating, and whether the person may rate or complain (feedback.go)
}

// TicketView returns the ticket with number as a sees it: its visible
// timeline and attachments, names, and the choices of its actions. ENOTFOUND
// when a may not see it; a look at a confidential ticket is audited.
func (s *Service) TicketView(ctx context.Context, a access.Actor, number int64) (*TicketView, error) {
	v := &TicketView{Can: map[access.Action]bool{}}
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		t, err := s.load(ctx, tx, a, number)
		if err != nil {
			return err
		}
		v.Ticket = t
		t.TargetState = t.TargetStateAt(s.now())
		if v.Entries, err = tx.Entries(ctx, a, t.ID); err != nil {
			return err
		}
		if v.Attachments, err = tx.Attachments(ctx, a, t.ID); err != nil {
			return err
		}
		for _, act := range []access.Action{access.ActTake, access.ActAssign, access.ActMove, access.ActEdit,
			access.ActResolve, access.ActClose, access.ActReopen, access.ActWithdraw, access.ActWatch,
			access.ActMessage, access.ActQuestion, access.ActAnswer, access.ActComment, access.ActAttach, access.ActLink, access.ActMerge,
			access.ActEditOwn, access.ActSplit} {
			v.Can[act] = access.CanAct(a, t, act)
		}
		v.Can[access.ActReopen] = v.Can[access.ActReopen] && s.reopenable(a, t) == nil
		// Taking is for members (admins assign instead).
		v.Can[access.ActTake] = v.Can[access.ActTake] && a.Member(t.QueueID) && !a.IsSystem()
		v.Watching = slices.Contains(t.Watchers, a.Email)
		q, err := tx.QueueByID(ctx, t.QueueID)
		if err != nil {
			return err
		}
		v.TimeSpent = q.TimeSpent
		for _, e := range v.Entries {
			if e.Kind == ticket.KindDescription {
				v.DescriptionID = e.ID
				if v.DescriptionVersions, err = tx.DescriptionVersions(ctx, e); err != nil {
					return err
				}
				break
			}
		}
		if v.Feedback, err = s.ticketFeedback(ctx, tx, a, t); err != nil {
			return err
		}
		if v.Can[access.ActAssign] {
			if v.Members, err = tx.QueueMembers(ctx, t.QueueID); err != nil {
				return err
			}
		}
		if v.Can[access.ActMove] {
			qs, err := tx.Queues(ctx, false)
			if err != nil {
				return err
			}
			for _, q := range qs {
				v.Queues = append(v.Queues, q.Name)
			}
		}
		emails := appendPeople(nil, []*ticket.Ticket{t})
		emails = append(emails, t.CC...)
		emails = append(emails, t.Watchers...)
		for _, e := range v.Entries {
			if e.Author != "" && !slices.Contains(emails, e.Author) {
				emails = append(emails, e.Author)
			}
			if e.Field == "assignee" {
				emails = append(emails, e.OldValue, e.NewValue)
			}
		}
		for _, d := range v.DescriptionVersions {
			if d.Author != "" && !slices.Contains(emails, d.Author) {
				emails = append(emails, d.Author)
			}
		}
		v.Names, err = tx.UserNames(ctx, emails)
		return err
	})
	if err != nil {
		return nil, err
	}
	return v, s.auditView(ctx, a, v.Ticket, "ticket page")
}
