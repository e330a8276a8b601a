package desk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// Erasure is what erasing a person did: the opaque ID that names them from
// now on (in the audit log and their new address), how many tickets they
// requested were anonymised, and how many files went.
type Erasure struct {
	ID      string `json:"id"`
	Tickets int    `json:"tickets"`
	Files   int    `json:"files"`
}

// ErasureDetail is what erasing a person will do, for the confirmation
// page: their account and how many tickets they requested.
type ErasureDetail struct {
	User     *ticket.User
	Tickets  int
	Staff    bool // their entries stay, authored by "former staff member"
	Self     bool // refused: nobody erases themself
	LastAdmn bool // refused: the last enabled admin stays
}

// erasedAddress makes the address an erased person gets: opaque, in
// ticket.ErasedDomain, "erased-staff-…" for agents and admins (whose work
// stays documented under "former staff member").
func erasedAddress(u *ticket.User) (id, email string) {
	b := make([]byte, 8)
	rand.Read(b)
	id = hex.EncodeToString(b)
	kind := "erased-"
	if u.Role.Staff() {
		kind = "erased-staff-"
	}
	return id, kind + id + "@" + ticket.ErasedDomain
}

// ErasureInfo tells what erasing the person with email would do. Admins
// only (EFORBIDDEN); ENOTFOUND for an unknown address (or one already
// erased).
func (s *Service) ErasureInfo(ctx context.Context, a access.Actor, email string) (*ErasureDetail, error) {
	if !a.Admin() {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.privacy.admins_only")
	}
	var d *ErasureDetail
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		u, err := erasable(ctx, tx, email)
		if err != nil {
			return err
		}
		ids, err := tx.TicketsRequestedBy(ctx, u.ID)
		if err != nil {
			return err
		}
		d = &ErasureDetail{User: u, Tickets: len(ids), Staff: u.Role.Staff(), Self: u.ID == a.UserID}
		if u.Role == ticket.RoleAdmin && !u.Disabled {
			admins, err := tx.EnabledAdminIDs(ctx)
			if err != nil {
				return err
			}
			d.LastAdmn = len(admins) == 1 && admins[0] == u.ID
		}
		return nil
	})
	return d, err
}

func erasable(ctx context.Context, tx *store.Tx, email string) (*ticket.User, error) {
	email = ticket.NormalizeEmail(email)
	u, _, err := tx.UserByEmail(ctx, email)
	if err == nil && ticket.IsErased(u.Email) {
		return nil, ticket.E(ticket.ENOTFOUND, "err.user.not_found", email)
	}
	return u, err
}

// ErasePerson erases the person with email (GDPR article 17): every ticket
// they requested is anonymised as retention does it, their address leaves
// the tickets they were a further requester of, and their account loses
// its personal data (address, name, password, preferences), its sessions,
// API tokens and memberships, and is disabled. What they did as staff
// stays, authored by a "former staff member". One audit row
// (privacy.erase) names them by the opaque ID of the result, never by
// their address. Admins only (EFORBIDDEN); ENOTFOUND for an unknown
// address; ECONFLICT for the caller themself and for the last enabled
// admin. Its other errors are database and file-system faults.
func (s *Service) ErasePerson(ctx context.Context, a access.Actor, email string) (*Erasure, error) {
	if !a.Admin() {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.privacy.admins_only")
	}
	var out *Erasure
	var hashes []string
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		out, hashes = nil, nil
		u, err := erasable(ctx, tx, email)
		if err != nil {
			return err
		}
		if u.ID == a.UserID {
			return ticket.E(ticket.ECONFLICT, "err.privacy.erase_self").Field("email", ProblemOwnAccount)
		}
		if u.Role == ticket.RoleAdmin && !u.Disabled {
			admins, err := tx.LockEnabledAdmins(ctx)
			if err != nil {
				return err
			}
			if len(admins) == 1 && admins[0] == u.ID {
				return ticket.E(ticket.ECONFLICT, "err.user.last_admin", u.Email).Field("email", ProblemLastAdmin)
			}
		}
		now := s.now().UTC()
		ids, err := tx.TicketsRequestedBy(ctx, u.ID)
		if err != nil {
			return err
		}
		anonymous, err := tx.AnonymousRequester(ctx, now)
		if err != nil {
			return err
		}
		for chunk := range slices.Chunk(ids, RetentionBatch) {
			_, h, err := tx.AnonymiseTickets(ctx, chunk, anonymous, now, nil)
			if err != nil {
				return err
			}
			hashes = append(hashes, h...)
		}
		id, newEmail := erasedAddress(u)
		h, err := tx.EraseUser(ctx, u.ID, u.Email, newEmail, now)
		if err != nil {
			return err
		}
		hashes = append(hashes, h...)
		out = &Erasure{ID: id, Tickets: len(ids)}
		detail := "erased person " + id + " (" + string(u.Role) + "): " + strconv.Itoa(len(ids)) + " requested tickets anonymised"
		return tx.InsertAudit(ctx, now, a.UserID, "privacy.erase", 0, detail)
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(hashes)
	out.Files, err = s.removeUnusedBlobs(ctx, slices.Compact(hashes))
	return out, err
}

// ErasedNameKey is the catalog key of how pages name the person behind an erased address:
// "former staff member" for staff, "anonymised" for anyone else (keys
// privacy.former_staff and privacy.anonymised); "" for an address that
// is not erased.
func ErasedNameKey(email string) string {
	switch {
	case !ticket.IsErased(email):
		return ""
	case strings.HasPrefix(email, "erased-staff-"):
		return "privacy.former_staff"
	}
	return "privacy.anonymised"
}
