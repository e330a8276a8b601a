package desk

import (
	"context"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// UserList is one page of users for the admin pages.
type UserList struct {
	Items []*ticket.User
	Total int
}

// Users lists users, admins first, then agents and requesters, each by
// name: at most limit (default 500) from offset; admins only (EFORBIDDEN).
func (s *Service) Users(ctx context.Context, a access.Actor, limit, offset int) (*UserList, error) {
	if !a.Admin() {
		return nil, ticket.Errorf(ticket.EFORBIDDEN, "Only admins may list users.")
	}
	l := &UserList{}
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		l.Items, l.Total, err = tx.Users(ctx, limit, max(offset, 0))
		return err
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}
