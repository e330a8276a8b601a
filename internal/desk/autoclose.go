package desk

import (
	"context"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// AutoClose closes, with reason auto-closed, every resolved ticket whose
// requester has not reacted for after (a reaction reopens a ticket, so a
// ticket still resolved has had none), and returns how many it closed.
// Each ticket is closed in its own transaction with a version check, so
// several servus instances may run it at once and a ticket reopened in the
// meantime stays open.
func (s *Service) AutoClose(ctx context.Context, after time.Duration) (int, error) {
	closed := 0
	for {
		var numbers []int64
		err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
			numbers, err = tx.ResolvedBefore(ctx, s.now().Add(-after), 100)
			return err
		})
		if err != nil || len(numbers) == 0 {
			return closed, err
		}
		progress := false
		for _, n := range numbers {
			err := s.db.Write(ctx, func(tx *store.Tx) error {
				if err := tx.LockTicket(ctx, n); err != nil {
					return err
				}
				t, err := tx.TicketByNumber(ctx, access.System, n)
				if err != nil {
					return err
				}
				if t.State != ticket.StateResolved || t.ResolvedAt == nil || !t.ResolvedAt.Before(s.now().Add(-after)) {
					return nil
				}
				if err := s.transition(ctx, tx, access.System, t, ticket.EventAutoClose); err != nil {
					return err
				}
				progress = true
				closed++
				return s.save(ctx, tx, t)
			})
			if ticket.ErrorCode(err) == ticket.ECONFLICT {
				continue // changed meanwhile, maybe by another instance
			} else if err != nil {
				return closed, err
			}
		}
		if !progress || len(numbers) < 100 {
			return closed, nil
		}
	}
}
