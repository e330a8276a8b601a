package desk

import (
	"context"
	"strings"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// CreateQueue adds a queue; admins only (EFORBIDDEN). EINVALID for bad
// fields, ECONFLICT for a taken name or address.
func (s *Service) CreateQueue(ctx context.Context, a access.Actor, nq NewQueue) (*ticket.Queue, error) {
	if !a.Admin() {
		return nil, ticket.Errorf(ticket.EFORBIDDEN, "Only admins may create queues.")
	}
	v := ticket.Validation{}
	nq.Name = strings.TrimSpace(nq.Name)
	nq.Address = ticket.NormalizeEmail(nq.Address)
	if nq.Name == "" {
		v.Add("name", "must not be empty")
	} else if len(nq.Name) > 100 {
		v.Add("name", "must be at most 100 characters")
	}
	if nq.Address != "" && !ticket.ValidEmail(nq.Address) {
		v.Add("address", "must be a valid e-mail address")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	q := &ticket.Queue{Name: nq.Name, Address: nq.Address, Default: nq.Default, Confidential: nq.Confidential, CreatedAt: s.now().UTC()}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.InsertQueue(ctx, q); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, q.CreatedAt, a.UserID, "queue.create", 0, q.Name)
	})
	if err != nil {
		return nil, err
	}
	return q, nil
}

// Queues lists all queues by name (everyone may know which queues exist, to
// choose one for a request); staff also get their members.
func (s *Service) Queues(ctx context.Context, a access.Actor) ([]*ticket.Queue, error) {
	var qs []*ticket.Queue
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		qs, err = tx.Queues(ctx, a.Staff())
		return err
	})
	if qs == nil {
		qs = []*ticket.Queue{}
	}
	return qs, err
}

// AddQueueMember makes the agent or admin with email a member of queue;
// admins only (EFORBIDDEN). ENOTFOUND for an unknown queue or user, EINVALID
// for a requester.
func (s *Service) AddQueueMember(ctx context.Context, a access.Actor, queue, email string) error {
	if !a.Admin() {
		return ticket.Errorf(ticket.EFORBIDDEN, "Only admins may change queue members.")
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		q, err := tx.QueueByName(ctx, queue)
		if err != nil {
			return err
		}
		u, _, err := tx.UserByEmail(ctx, ticket.NormalizeEmail(email))
		if err != nil {
			return err
		}
		if !u.Role.Staff() {
			return &ticket.Error{Code: ticket.EINVALID, Message: "Only agents and admins can be queue members.",
				Fields: map[string]string{"email": "is a requester"}}
		}
		if err := tx.AddMember(ctx, q.ID, u.ID); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, s.now().UTC(), a.UserID, "queue.member.add", 0, q.Name+": "+u.Email)
	})
}
