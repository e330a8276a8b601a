package desk

import (
	"context"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// DescriptionVersions returns the earlier texts of the description of the
// ticket with number, oldest first (empty when it was never edited), to
// whoever may see the description entry, as the ticket page shows them.
// ENOTFOUND when a may not see the ticket or its description (or it has
// none); a look at a confidential ticket is audited.
func (s *Service) DescriptionVersions(ctx context.Context, a access.Actor, number int64) ([]ticket.DescriptionVersion, error) {
	var t *ticket.Ticket
	var out []ticket.DescriptionVersion
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		if t, err = s.load(ctx, tx, a, number); err != nil {
			return err
		}
		e, err := tx.DescriptionEntry(ctx, t.ID)
		if err != nil {
			return err
		}
		if !access.CanSeeEntry(a, t, e.Visibility) {
			return ticket.E(ticket.ENOTFOUND, "err.description.none")
		}
		out, err = tx.DescriptionVersions(ctx, e)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, s.auditView(ctx, a, t, "description versions")
}
