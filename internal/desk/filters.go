package desk

import (
	"context"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// SavedFilter is a saved search ("filter favourite") as one person sees it:
// personal, or shared with the members of Queue. Count is how many tickets
// match now, under the viewer's visibility (-1 when the stored query no
// longer parses).
type SavedFilter struct {
	ID        int64
	Name      string
	Query     string // the filter's canonical query (ticket.Filter.Encode), without paging
	Queue     string // shared with this queue's members; "" for personal
	Owner     string
	OwnerName string
	Mine      bool
	Count     int
}

// maxSavedFilters is how many filters one person may own.
const maxSavedFilters = 100

// SaveFilter stores the search query (the filter language, ticket.ParseFilter)
// as a's filter called name, canonical and without paging; shared with the
// members of queue when queue is not empty. Its dates stay days: whoever
// opens it reads them in their own time zone. Only staff share, and
// only with a queue they are a member of (EFORBIDDEN otherwise). EINVALID
// for a missing or long name, a bad query, an unknown queue or too many
// filters.
func (s *Service) SaveFilter(ctx context.Context, a access.Actor, name, query, queue string) (*SavedFilter, error) {
	if a.IsSystem() || a.UserID == 0 {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.filter.people_only")
	}
	v := ticket.Validation{}
	name = strings.TrimSpace(name)
	validText(v, "name", name, 100, true)
	if len(query) > 4000 {
		v.Add("query", "problem.max_chars", 4000)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	f, err := ticket.ParseFilterQuery(query, time.UTC)
	if err != nil {
		return nil, err
	}
	f.Page, f.PerPage = 0, 0
	canon := f.Encode(time.UTC)
	f.PerPage = 1
	if _, err := s.Search(ctx, a, f); err != nil { // the same checks the search page makes
		return nil, err
	}
	sf := &store.SavedFilter{OwnerID: a.UserID, Name: name, Query: canon, CreatedAt: s.now().UTC()}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		if queue = strings.TrimSpace(queue); queue != "" {
			q, err := tx.QueueByName(ctx, queue)
			if ticket.ErrorCode(err) == ticket.ENOTFOUND {
				return ticket.E(ticket.EINVALID, "err.queue.no_such").Field("queue", "problem.unknown_queue")
			} else if err != nil {
				return err
			}
			if !a.Staff() || !a.Member(q.ID) {
				return ticket.E(ticket.EFORBIDDEN, "err.filter.share_members")
			}
			sf.QueueID, sf.Queue = q.ID, q.Name
		}
		own, err := tx.SavedFilters(ctx, a.UserID, nil)
		if err != nil {
			return err
		}
		if len(own) >= maxSavedFilters {
			return ticket.E(ticket.EINVALID, "err.filter.too_many").Field("name", "problem.filters_full", maxSavedFilters)
		}
		return tx.InsertSavedFilter(ctx, sf)
	})
	if err != nil {
		return nil, err
	}
	return &SavedFilter{ID: sf.ID, Name: sf.Name, Query: sf.Query, Queue: sf.Queue, Owner: a.Email, OwnerName: a.Name, Mine: true}, nil
}

// SavedFilters lists a's own filters and those shared with a's queues, each
// with its live count under a's visibility (the totals of Search); dates
// count in loc.
func (s *Service) SavedFilters(ctx context.Context, a access.Actor, loc *time.Location) ([]*SavedFilter, error) {
	var rows []*store.SavedFilter
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		var queues []int64
		if a.Staff() {
			queues = a.Queues
		}
		rows, err = tx.SavedFilters(ctx, a.UserID, queues)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]*SavedFilter, 0, len(rows))
	for _, r := range rows {
		sf := &SavedFilter{ID: r.ID, Name: r.Name, Query: r.Query, Queue: r.Queue, Owner: r.Owner, OwnerName: r.OwnerName,
			Mine: r.OwnerID == a.UserID, Count: -1}
		if f, err := ticket.ParseFilterQuery(r.Query, loc); err == nil {
			f.Page, f.PerPage = 1, 1
			page, err := s.Search(ctx, a, f)
			switch {
			case err == nil:
				sf.Count = page.Total
			case ticket.ErrorCode(err) != ticket.EINVALID:
				return nil, err
			}
		}
		out = append(out, sf)
	}
	return out, nil
}

// DeleteSavedFilter removes a's filter id. A filter a sees but does not own
// (shared by someone else) is EFORBIDDEN; one a does not see is ENOTFOUND.
func (s *Service) DeleteSavedFilter(ctx context.Context, a access.Actor, id int64) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		f, err := tx.SavedFilterByID(ctx, id)
		if err != nil {
			return err
		}
		if f.OwnerID != a.UserID {
			if f.QueueID > 0 && a.Staff() && a.Member(f.QueueID) {
				return ticket.E(ticket.EFORBIDDEN, "err.filter.owner_only", f.OwnerName)
			}
			return ticket.E(ticket.ENOTFOUND, "err.filter.not_found", id)
		}
		return tx.DeleteSavedFilter(ctx, id)
	})
}
