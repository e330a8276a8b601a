package desk

import (
	"context"
	"slices"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// Search returns one page of the tickets a may see that match f, with the
// total under the same visibility; an empty filter lists everything a may
// see. Assignee "me" and Overdue are resolved for a now (ResolveFilter).
// EINVALID for a filter the language does not know (ticket.Filter.Validate).
func (s *Service) Search(ctx context.Context, a access.Actor, f ticket.Filter) (*ticket.Page, error) {
	if f.Page == 0 {
		f.Page = 1
	}
	if f.PerPage == 0 {
		f.PerPage = ticket.DefaultPerPage
	}
	if f.Sort == "" {
		f.Sort = "-updated"
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	f = ResolveFilter(a, f, s.now())
	var page *ticket.Page
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		page, err = tx.Search(ctx, a, f)
		return err
	})
	return page, err
}

// ResolveFilter turns f's symbolic parts into values for a at now:
// assignee "me" becomes a's e-mail; Overdue keeps the tickets due before
// now and still to be worked (new, open or waiting; within f's states if
// it names some). Search runs it; so the same saved filter or queue tab
// lists each person's own tickets, and today's overdue ones.
func ResolveFilter(a access.Actor, f ticket.Filter, now time.Time) ticket.Filter {
	if f.Assignee == ticket.AssigneeMe && a.Email != "" {
		f.Assignee = a.Email
	}
	if len(f.Targets) > 0 || f.DueWithin > 0 {
		at := now.UTC()
		f.TargetNow = &at
	}
	if f.Overdue {
		f.Overdue = false
		due := now.UTC()
		f.DueBefore = &due
		if len(f.States) == 0 {
			f.States = slices.Clone(ticket.ActiveStates)
		} else {
			f.States = slices.DeleteFunc(slices.Clone(f.States), func(st ticket.State) bool { return !st.Active() })
		}
	}
	return f
}

// SearchView is Search with the display names of the people on the page.
func (s *Service) SearchView(ctx context.Context, a access.Actor, f ticket.Filter) (*ticket.Page, map[string]string, error) {
	page, err := s.Search(ctx, a, f)
	if err != nil {
		return nil, nil, err
	}
	markTargets(s.now(), page.Items)
	var names map[string]string
	err = s.db.Read(ctx, func(tx *store.Tx) (err error) {
		names, err = tx.UserNames(ctx, appendPeople(nil, page.Items))
		return err
	})
	return page, names, err
}
