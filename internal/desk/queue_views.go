package desk

import (
	"context"
	"slices"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// QueueCounts is what one queue holds as one person may see it: by state,
// and the lists of the queue view (see QueueTabs).
type QueueCounts struct {
	New, Open, Waiting, Resolved, Closed int
	Unassigned                           int // nobody assigned, not closed
	Overdue                              int // new, open or waiting, due date passed
	Mine                                 int // new, open or waiting, assigned to the person
}

// Active is how many tickets are still to be worked: new, open or waiting.
func (c QueueCounts) Active() int { return c.New + c.Open + c.Waiting }

// Tab is how many tickets the queue view's tab lists (0 for an unknown
// tab).
func (c QueueCounts) Tab(tab string) int {
	switch tab {
	case "unassigned":
		return c.Unassigned
	case "open":
		return c.Active()
	case "mine":
		return c.Mine
	case "waiting":
		return c.Waiting
	case "overdue":
		return c.Overdue
	case "resolved":
		return c.Resolved
	case "closed":
		return c.Closed
	}
	return 0
}

func countsOf(t *store.QueueTally) QueueCounts {
	if t == nil {
		return QueueCounts{}
	}
	return QueueCounts{New: t.New, Open: t.Open, Waiting: t.Waiting, Resolved: t.Resolved, Closed: t.Closed,
		Unassigned: t.Unassigned, Overdue: t.Overdue, Mine: t.Mine}
}

// queueTabs are the queue view's lists, in the order the page shows them,
// each as the search filter (besides queue) that lists it: the view runs
// that filter through the search, so both always agree.
var queueTabs = []struct {
	name   string
	filter ticket.Filter
}{
	{"unassigned", ticket.Filter{Assignee: ticket.AssigneeNone, States: []ticket.State{ticket.StateNew, ticket.StateOpen, ticket.StateWaiting, ticket.StateResolved}}},
	{"open", ticket.Filter{States: ticket.ActiveStates}},
	{"mine", ticket.Filter{Assignee: ticket.AssigneeMe, States: ticket.ActiveStates}},
	{"waiting", ticket.Filter{States: []ticket.State{ticket.StateWaiting}}},
	{"overdue", ticket.Filter{Overdue: true, Sort: "due"}},
	{"resolved", ticket.Filter{States: []ticket.State{ticket.StateResolved}}},
	{"closed", ticket.Filter{States: []ticket.State{ticket.StateClosed}}},
}

// QueueTabs lists the queue view's tabs in order: unassigned (not closed),
// open (new, open or waiting), mine (of those, assigned to the person),
// waiting, overdue (due date passed, not resolved or closed), resolved,
// closed.
func QueueTabs() []string {
	out := make([]string, len(queueTabs))
	for i, t := range queueTabs {
		out[i] = t.name
	}
	return out
}

// QueueTab returns the search filter that lists tab of queue (for Search,
// and encoded, the search page's URL); false for an unknown tab.
func QueueTab(queue, tab string) (ticket.Filter, bool) {
	for _, t := range queueTabs {
		if t.name == tab {
			f := t.filter
			f.Queue, f.States = queue, slices.Clone(f.States)
			return f, true
		}
	}
	return ticket.Filter{}, false
}

// QueueSummary is one queue of the queues page with its counts.
type QueueSummary struct {
	Queue  *ticket.Queue
	Member bool // the person is a member
	Counts QueueCounts
}

// QueueOverview lists every queue with its counts under a's visibility
// (closed tickets are not counted): a's own queues first, then the others,
// each part by name. One grouped query counts all queues. Staff only: the
// page does not exist for anyone else (ENOTFOUND).
func (s *Service) QueueOverview(ctx context.Context, a access.Actor) ([]*QueueSummary, error) {
	if !a.Staff() {
		return nil, ticket.E(ticket.ENOTFOUND, "err.page.not_found")
	}
	var out []*QueueSummary
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		qs, err := tx.Queues(ctx, false)
		if err != nil {
			return err
		}
		tallies, err := tx.QueueTallies(ctx, a, store.TallyQuery{Now: s.now().UTC()})
		if err != nil {
			return err
		}
		for _, q := range qs {
			out = append(out, &QueueSummary{Queue: q, Member: a.Member(q.ID), Counts: countsOf(tallies[q.ID])})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(out, func(x, y *QueueSummary) int { // mine first; within each, by name as listed
		switch {
		case x.Member == y.Member:
			return 0
		case x.Member:
			return -1
		}
		return 1
	})
	return out, nil
}

// QueueDetail is the head of one queue's view: the queue, its members and
// its counts (closed included) under the viewer's visibility.
type QueueDetail struct {
	Queue   *ticket.Queue
	Members [][2]string // e-mail and name, by name
	Member  bool        // the viewer is a member
	Counts  QueueCounts
}

// QueueDetail returns the queue called name (any case) as a sees it.
// ENOTFOUND for an unknown queue, and for anyone but staff (the page does
// not exist for them).
func (s *Service) QueueDetail(ctx context.Context, a access.Actor, name string) (*QueueDetail, error) {
	if !a.Staff() {
		return nil, ticket.E(ticket.ENOTFOUND, "err.queue.not_found", name)
	}
	d := &QueueDetail{}
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		q, err := tx.QueueByName(ctx, name)
		if err != nil {
			return err
		}
		d.Queue, d.Member = q, a.Member(q.ID)
		if d.Members, err = tx.QueueMembers(ctx, q.ID); err != nil {
			return err
		}
		for _, m := range d.Members {
			q.Members = append(q.Members, m[0])
		}
		tallies, err := tx.QueueTallies(ctx, a, store.TallyQuery{QueueID: q.ID, Closed: true, Now: s.now().UTC()})
		if err != nil {
			return err
		}
		d.Counts = countsOf(tallies[q.ID])
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}
