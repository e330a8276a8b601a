package desk

import (
	"context"
	"net/url"
	"slices"
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
	Query     string // the search page's URL query, without page
	Queue     string // shared with this queue's members; "" for personal
	Owner     string
	OwnerName string
	Mine      bool
	Count     int
}

// maxSavedFilters is how many filters one person may own.
const maxSavedFilters = 100

// filterKeys are the search page's parameters a saved filter keeps, in the
// order a canonical query lists them.
var filterKeys = []string{"q", "queue", "state", "requester", "assignee", "priority", "created_after", "created_before", "overdue", "sort"}

// ParseFilterQuery turns the search page's URL query into a filter for a:
// the one parser of the search page, the queue views and saved filters'
// counts, so that their numbers agree. Assignee "me" is a ("none" is
// unassigned); dates (YYYY-MM-DD) are whole days in loc; overdue=1 keeps the
// tickets not resolved or closed whose due date passed before now. Unknown
// parameters and page are ignored. It returns the canonical query too
// (known, non-empty parameters only, sorted by name; no page).
// EINVALID for a malformed query, date or overdue value, or overdue with
// only resolved or closed states.
func ParseFilterQuery(a access.Actor, query string, loc *time.Location, now time.Time) (ticket.Filter, string, error) {
	var f ticket.Filter
	q, err := url.ParseQuery(query)
	if err != nil {
		return f, "", ticket.E(ticket.EINVALID, "err.search.malformed").Field("query", "problem.not_search")
	}
	if loc == nil {
		loc = time.UTC
	}
	canon := url.Values{}
	for _, k := range filterKeys {
		for _, v := range q[k] {
			if v = strings.TrimSpace(v); v != "" {
				canon.Add(k, v)
			}
		}
	}
	f = ticket.Filter{Q: canon.Get("q"), Queue: canon.Get("queue"), Requester: canon.Get("requester"),
		Assignee: canon.Get("assignee"), Priority: ticket.Priority(canon.Get("priority")), Sort: canon.Get("sort")}
	if f.Assignee == "me" {
		f.Assignee = a.Email
	}
	for _, s := range canon["state"] {
		f.States = append(f.States, ticket.State(s))
	}
	v := ticket.Validation{}
	day := func(field string) *time.Time {
		s := canon.Get(field)
		if s == "" {
			return nil
		}
		d, err := time.ParseInLocation("2006-01-02", s, loc)
		if err != nil {
			v.Add(field, "problem.not_date")
			return nil
		}
		return &d
	}
	if d := day("created_after"); d != nil {
		f.CreatedAfter = d // the start of that day
	}
	if d := day("created_before"); d != nil {
		end := d.AddDate(0, 0, 1) // the end of that day, exclusive
		f.CreatedBefore = &end
	}
	if o := canon.Get("overdue"); o != "" {
		switch strings.ToLower(o) {
		case "1", "true", "yes", "on":
			canon.Set("overdue", "1")
			overdueFilter(&f, now, v)
		case "0", "false", "no", "off":
			canon.Del("overdue")
		default:
			v.Add("overdue", "problem.flag")
		}
	}
	return f, canon.Encode(), v.Err()
}

// overdueFilter narrows f to the tickets overdue at now: due before it and
// still to be worked (new, open or waiting; within f's states if it names
// some).
func overdueFilter(f *ticket.Filter, now time.Time, v ticket.Validation) {
	due := now.UTC()
	f.DueBefore = &due
	if len(f.States) == 0 {
		f.States = slices.Clone(activeStates)
		return
	}
	var keep []ticket.State
	for _, st := range f.States {
		if slices.Contains(activeStates, st) {
			keep = append(keep, st)
		} else if !st.Valid() {
			keep = append(keep, st) // Search names the bad state
		}
	}
	if len(keep) == 0 {
		v.Add("state", "problem.overdue_states")
	}
	f.States = keep
}

// SaveFilter stores the search query as a's filter called name; shared
// with the members of queue when queue is not empty. Only staff share, and
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
	f, canon, err := ParseFilterQuery(a, query, time.UTC, s.now())
	if err != nil {
		return nil, err
	}
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
	now := s.now()
	for _, r := range rows {
		sf := &SavedFilter{ID: r.ID, Name: r.Name, Query: r.Query, Queue: r.Queue, Owner: r.Owner, OwnerName: r.OwnerName,
			Mine: r.OwnerID == a.UserID, Count: -1}
		if f, _, err := ParseFilterQuery(a, r.Query, loc, now); err == nil {
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
