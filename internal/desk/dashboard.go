package desk

import (
	"context"
	"slices"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// TicketList is one list of a dashboard: the first tickets and how many
// there are in all.
type TicketList struct {
	Items []*ticket.Ticket
	Total int
}

// QueueWork is the open work of one of an agent's queues.
type QueueWork struct {
	Queue      *ticket.Queue
	Unassigned int
	Active     int
	Waiting    int
	Overdue    int
	DueSoon    int // active with a response target due soon
	Breached   int // active with a response target missed
}

// Dashboard is what a person sees first. Requesters get Mine; staff get
// the rest. Every list and count is under the visibility policy.
type Dashboard struct {
	Mine       TicketList   // requester: my tickets not closed, latest first
	MineClosed TicketList   // requester: my closed tickets, latest first
	Assigned   TicketList   // staff: assigned to me, new or open
	Unassigned TicketList   // staff: nobody assigned, in my queues
	Waiting    TicketList   // staff: waiting for the requester, assigned to me or in my queues
	Overdue    TicketList   // staff: past due, assigned to me or in my queues
	Queues     []*QueueWork // staff: my queues with their counts
	// Institute is an IT delegate's (not staff): the non-confidential
	// tickets of the institute's members, latest first.
	Institute TicketList
	Names     map[string]string
}

// dashboardSearches are the searches behind the dashboard's lists, counts
// and quick links that one search can list, by name: the page links each
// one's search (DashboardSearch), and the requester's lists are these
// searches, so a number and the list it opens agree.
var dashboardSearches = map[string]ticket.Filter{
	"assigned":       {Assignee: ticket.AssigneeMe, States: []ticket.State{ticket.StateNew, ticket.StateOpen}}, // staff: Assigned
	"unassigned":     {Assignee: ticket.AssigneeNone, States: ticket.ActiveStates},                             // staff: one queue's Unassigned
	"new_unassigned": {Assignee: ticket.AssigneeNone, States: []ticket.State{ticket.StateNew}},
	"urgent":         {Priority: ticket.PriorityUrgent, States: ticket.ActiveStates},
	"resolved_mine":  {Assignee: ticket.AssigneeMe, States: []ticket.State{ticket.StateResolved}},
	"mine":           {States: []ticket.State{ticket.StateNew, ticket.StateOpen, ticket.StateWaiting, ticket.StateResolved}}, // requester: Mine
	"mine_closed":    {States: []ticket.State{ticket.StateClosed}},                                                           // requester: MineClosed
	"waiting":        {States: []ticket.State{ticket.StateWaiting}},
	"targets":        {Targets: []string{ticket.TargetDueSoon, ticket.TargetBreached}, States: ticket.ActiveStates, Sort: "target"}, // staff: one queue's due soon and breached
}

// DashboardSearch returns the search behind the dashboard's list or link
// name, within queue when queue is not empty; false for an unknown name.
func DashboardSearch(name, queue string) (ticket.Filter, bool) {
	f, ok := dashboardSearches[name]
	f.Queue, f.States, f.Targets = queue, slices.Clone(f.States), slices.Clone(f.Targets)
	return f, ok
}

// Dashboard returns a's dashboard, each list holding at most limit tickets.
func (s *Service) Dashboard(ctx context.Context, a access.Actor, limit int) (*Dashboard, error) {
	d := &Dashboard{}
	now := s.now().UTC()
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		list := func(dst *TicketList, q store.ListQuery) error {
			q.Limit = limit
			items, total, err := tx.ListTickets(ctx, a, q)
			dst.Items, dst.Total = items, total
			return err
		}
		if !a.Staff() {
			// A delegate's own lists are their own tickets; the
			// institute's have their list.
			own := a
			own.DelegateOf = 0
			search := func(dst *TicketList, name string) error {
				f, _ := DashboardSearch(name, "")
				f.Sort, f.Page, f.PerPage = "-updated", 1, max(limit, 1)
				page, err := tx.Search(ctx, own, ResolveFilter(own, f, now))
				if err == nil {
					*dst = TicketList{Items: page.Items, Total: page.Total}
				}
				return err
			}
			if err := search(&d.Mine, "mine"); err != nil {
				return err
			}
			if err := search(&d.MineClosed, "mine_closed"); err != nil {
				return err
			}
			if a.DelegateOf != 0 {
				var err error
				if d.Institute.Items, d.Institute.Total, err = tx.InstituteTickets(ctx, a, a.DelegateOf, max(limit, 1)); err != nil {
					return err
				}
			}
			return s.names(ctx, tx, d, d.Mine.Items, d.MineClosed.Items, d.Institute.Items)
		}
		if err := list(&d.Assigned, store.ListQuery{AssigneeID: a.UserID, States: []ticket.State{ticket.StateNew, ticket.StateOpen}}); err != nil {
			return err
		}
		if err := list(&d.Unassigned, store.ListQuery{AssigneeID: -1, QueueIDs: a.Queues, OnlyQueues: true, States: ticket.ActiveStates}); err != nil {
			return err
		}
		// Waiting and overdue: mine, and my queues'. Two narrow queries
		// keep the SQL allow-listed; merging them keeps the lists short.
		if err := s.mineOrQueues(ctx, tx, a, &d.Waiting, store.ListQuery{States: []ticket.State{ticket.StateWaiting}, Limit: limit}); err != nil {
			return err
		}
		if err := s.mineOrQueues(ctx, tx, a, &d.Overdue, store.ListQuery{States: ticket.ActiveStates, DueBefore: &now, OrderByDue: true, Limit: limit}); err != nil {
			return err
		}
		counts, err := tx.QueueCounts(ctx, a, a.Queues, now)
		if err != nil {
			return err
		}
		qs, err := tx.Queues(ctx, false)
		if err != nil {
			return err
		}
		for _, q := range qs {
			if !slices.Contains(a.Queues, q.ID) {
				continue
			}
			w := &QueueWork{Queue: q}
			if c := counts[q.ID]; c != nil {
				w.Unassigned, w.Active, w.Waiting, w.Overdue = c.Unassigned, c.Active, c.Waiting, c.Overdue
				w.DueSoon, w.Breached = c.DueSoon, c.Breached
			}
			d.Queues = append(d.Queues, w)
		}
		markTargets(now, d.Assigned.Items, d.Unassigned.Items, d.Waiting.Items, d.Overdue.Items)
		return s.names(ctx, tx, d, d.Assigned.Items, d.Unassigned.Items, d.Waiting.Items, d.Overdue.Items)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// mineOrQueues fills dst with the tickets matching q that are assigned to a
// or lie in a's queues, without counting a ticket twice.
func (s *Service) mineOrQueues(ctx context.Context, tx *store.Tx, a access.Actor, dst *TicketList, q store.ListQuery) error {
	inQueues := q
	inQueues.QueueIDs, inQueues.OnlyQueues = a.Queues, true
	items, total, err := tx.ListTickets(ctx, a, inQueues)
	if err != nil {
		return err
	}
	mine := q
	mine.AssigneeID = a.UserID
	mineItems, _, err := tx.ListTickets(ctx, a, mine)
	if err != nil {
		return err
	}
	// Assigned to me outside my queues (after a move): count those too.
	for _, t := range mineItems {
		if !slices.Contains(a.Queues, t.QueueID) {
			total++
			if len(items) < q.Limit {
				items = append(items, t)
			}
		}
	}
	dst.Items, dst.Total = items, total
	return nil
}

// names fills d.Names with the display names of the people on lists.
func (s *Service) names(ctx context.Context, tx *store.Tx, d *Dashboard, lists ...[]*ticket.Ticket) error {
	var emails []string
	for _, l := range lists {
		emails = appendPeople(emails, l)
	}
	var err error
	d.Names, err = tx.UserNames(ctx, emails)
	return err
}

func appendPeople(emails []string, ts []*ticket.Ticket) []string {
	for _, t := range ts {
		for _, e := range []string{t.Requester, t.Assignee} {
			if e != "" && !slices.Contains(emails, e) {
				emails = append(emails, e)
			}
		}
	}
	return emails
}
