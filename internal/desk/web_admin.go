package desk

import (
	"context"
	"strings"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// UserList is one page of users for the admin pages, with the queues each
// of them is a member of (by e-mail; people in no queue are absent).
type UserList struct {
	Items  []*ticket.User
	Total  int
	Queues map[string][]string
}

// UserFilter narrows a list of users: Query is part of a name or e-mail,
// Role one role, State "active" or "disabled"; empty matches all.
type UserFilter struct {
	Query string
	Role  ticket.Role
	State string
}

// Users lists users, admins first, then agents and requesters, each by
// name: at most limit (default 500) from offset; admins only (EFORBIDDEN).
func (s *Service) Users(ctx context.Context, a access.Actor, limit, offset int) (*UserList, error) {
	return s.FindUsers(ctx, a, UserFilter{}, limit, offset)
}

// FindUsers lists the users f matches as Users does; admins only
// (EFORBIDDEN), EINVALID for an unknown role or state.
func (s *Service) FindUsers(ctx context.Context, a access.Actor, f UserFilter, limit, offset int) (*UserList, error) {
	if !a.Admin() {
		return nil, ticket.Errorf(ticket.EFORBIDDEN, "Only admins may list users.")
	}
	v := ticket.Validation{}
	f.Query = strings.TrimSpace(f.Query)
	if len(f.Query) > 200 {
		v.Add("q", "must be at most 200 characters")
	}
	if f.Role != "" && !f.Role.Valid() {
		v.Add("role", "must be requester, agent or admin")
	}
	if f.State != "" && f.State != "active" && f.State != "disabled" {
		v.Add("state", "must be active or disabled")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	l := &UserList{}
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		l.Items, l.Total, err = tx.Users(ctx, store.UserFilter{Query: f.Query, Role: f.Role, State: f.State}, limit, max(offset, 0))
		if err != nil {
			return err
		}
		ids := make([]int64, 0, len(l.Items))
		for _, u := range l.Items {
			if u.Role.Staff() {
				ids = append(ids, u.ID)
			}
		}
		byID, err := tx.MemberQueueNames(ctx, ids)
		if err != nil {
			return err
		}
		l.Queues = make(map[string][]string, len(byID))
		for _, u := range l.Items {
			if qs := byID[u.ID]; len(qs) > 0 {
				l.Queues[u.Email] = qs
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if l.Items == nil {
		l.Items = []*ticket.User{}
	}
	return l, nil
}

// UserInfo is one user as the admin manages them: their queues, how many
// tickets not closed are assigned to them (of those the admin may see),
// and whether they are the last enabled admin.
type UserInfo struct {
	User      *ticket.User
	Queues    []string
	Assigned  int
	LastAdmin bool
}

// UserInfo returns the user with id for the admin pages; admins only
// (EFORBIDDEN), ENOTFOUND for an unknown user.
func (s *Service) UserInfo(ctx context.Context, a access.Actor, id int64) (*UserInfo, error) {
	if !a.Admin() {
		return nil, ticket.Errorf(ticket.EFORBIDDEN, "Only admins may manage users.")
	}
	ui := &UserInfo{}
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		if ui.User, err = tx.UserByID(ctx, id); err != nil {
			return err
		}
		qs, err := tx.MemberQueueNames(ctx, []int64{id})
		if err != nil {
			return err
		}
		ui.Queues = qs[id]
		assigned, err := tx.AssignedTicketNumbers(ctx, a, id, 0)
		if err != nil {
			return err
		}
		ui.Assigned = len(assigned)
		if ui.User.Role == ticket.RoleAdmin && !ui.User.Disabled {
			_, admins, err := tx.Users(ctx, store.UserFilter{Role: ticket.RoleAdmin, State: "active"}, 1, 0)
			if err != nil {
				return err
			}
			ui.LastAdmin = admins == 1
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ui, nil
}
