package desk

import (
	"context"
	"slices"
	"strings"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// Search returns one page of the tickets a may see that match f, with the
// total under the same visibility; an empty filter lists everything a may
// see. EINVALID for a bad sort, state, priority or page.
func (s *Service) Search(ctx context.Context, a access.Actor, f ticket.Filter) (*ticket.Page, error) {
	v := ticket.Validation{}
	if f.Page == 0 {
		f.Page = 1
	}
	if f.PerPage == 0 {
		f.PerPage = 25
	}
	if f.Page < 1 || f.Page > 100_000 {
		v.Add("page", "problem.between", 1, 100000)
	}
	if f.PerPage < 1 || f.PerPage > 100 {
		v.Add("per_page", "problem.between", 1, 100)
	}
	if f.Sort == "" {
		f.Sort = "-updated"
	}
	if !slices.Contains(ticket.SortFields, strings.TrimPrefix(f.Sort, "-")) {
		v.Add("sort", "problem.sort_one_of", strings.Join(ticket.SortFields, ", "))
	}
	for _, st := range f.States {
		if !st.Valid() {
			v.Add("state", "problem.state")
		}
	}
	if f.Priority != "" && !f.Priority.Valid() {
		v.Add("priority", "problem.priority")
	}
	if len(f.Q) > 1000 {
		v.Add("q", "problem.max_chars", 1000)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var page *ticket.Page
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		page, err = tx.Search(ctx, a, f)
		return err
	})
	return page, err
}

// SearchView is Search with the display names of the people on the page.
func (s *Service) SearchView(ctx context.Context, a access.Actor, f ticket.Filter) (*ticket.Page, map[string]string, error) {
	page, err := s.Search(ctx, a, f)
	if err != nil {
		return nil, nil, err
	}
	var names map[string]string
	err = s.db.Read(ctx, func(tx *store.Tx) (err error) {
		names, err = tx.UserNames(ctx, appendPeople(nil, page.Items))
		return err
	})
	return page, names, err
}
