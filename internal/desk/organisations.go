package desk

import (
	"context"
	"slices"
	"strings"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// NewOrganisation is an organisation (institute) to create.
type NewOrganisation struct {
	Name           string
	Domains        []string // mail domains ("uni.example", "@uni.example" alike)
	DirectoryValue string   // the directory's or claims' institute value; empty: none
}

// OrganisationPatch changes an organisation; nil fields stay.
type OrganisationPatch struct {
	Domains        *[]string
	DirectoryValue *string
}

// validDomains normalises domains (lower case, no "@", no duplicates) and
// adds a field problem for one that is not a domain.
func validDomains(v ticket.Validation, domains []string) []string {
	out := []string{}
	for _, d := range domains {
		d = strings.Trim(strings.ToLower(strings.TrimSpace(d)), "@.")
		if d == "" {
			continue
		}
		if !strings.Contains(d, ".") || len(d) > 253 || !ticket.ValidEmail("x@"+d) {
			v.Add("domains", "problem.domain", d)
			continue
		}
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	slices.Sort(out)
	return out
}

// Organisations lists every organisation with its domains and member
// count: to admins (EFORBIDDEN for others).
func (s *Service) Organisations(ctx context.Context, a access.Actor) ([]*ticket.Organisation, error) {
	if !a.Admin() {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.org.admins_only")
	}
	var out []*ticket.Organisation
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.Organisations(ctx)
		return err
	})
	if out == nil {
		out = []*ticket.Organisation{}
	}
	return out, err
}

// Organisation returns the organisation named name and its members, to
// admins; ENOTFOUND if there is none, EFORBIDDEN for others.
func (s *Service) Organisation(ctx context.Context, a access.Actor, name string) (*ticket.Organisation, []*ticket.OrgMember, error) {
	if !a.Admin() {
		return nil, nil, ticket.E(ticket.EFORBIDDEN, "err.org.admins_only")
	}
	var o *ticket.Organisation
	var ms []*ticket.OrgMember
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		if o, err = tx.OrganisationByName(ctx, name); err != nil {
			return err
		}
		ms, err = tx.OrganisationMembers(ctx, o.ID)
		return err
	})
	return o, ms, err
}

// CreateOrganisation creates an organisation (admins; audited
// org.create). EINVALID for an empty or long name or a bad domain,
// ECONFLICT for a name, domain or directory value another organisation
// has. People already there are not assigned by the new domains: a domain
// assigns accounts when they are made.
func (s *Service) CreateOrganisation(ctx context.Context, a access.Actor, no NewOrganisation) (*ticket.Organisation, error) {
	if !a.Admin() {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.org.admins_only")
	}
	v := ticket.Validation{}
	no.Name = ticket.CleanLine(no.Name)
	if no.Name == "" {
		v.Add("name", "problem.empty")
	} else if len(no.Name) > 100 {
		v.Add("name", "problem.max_chars", 100)
	}
	domains := validDomains(v, no.Domains)
	no.DirectoryValue = ticket.CleanLine(no.DirectoryValue)
	if len(no.DirectoryValue) > 200 {
		v.Add("directory_value", "problem.max_chars", 200)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	o := &ticket.Organisation{Name: no.Name, Domains: domains, DirectoryValue: strings.ToLower(no.DirectoryValue), CreatedAt: s.now().UTC()}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.InsertOrganisation(ctx, o); err != nil {
			return err
		}
		if err := tx.SetOrganisationDomains(ctx, o.ID, domains); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, o.CreatedAt, a.UserID, "org.create", 0, orgDetail(o))
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

func orgDetail(o *ticket.Organisation) string {
	d := o.Name + " (domains: " + strings.Join(o.Domains, ", ")
	if o.DirectoryValue != "" {
		d += "; directory value: " + o.DirectoryValue
	}
	return d + ")"
}

// UpdateOrganisation changes the domains or the directory value of the
// organisation named name (admins; audited org.update). Errors as
// CreateOrganisation; ENOTFOUND for an unknown name.
func (s *Service) UpdateOrganisation(ctx context.Context, a access.Actor, name string, p OrganisationPatch) (*ticket.Organisation, error) {
	if !a.Admin() {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.org.admins_only")
	}
	v := ticket.Validation{}
	var domains []string
	if p.Domains != nil {
		domains = validDomains(v, *p.Domains)
	}
	if p.DirectoryValue != nil {
		dv := strings.ToLower(ticket.CleanLine(*p.DirectoryValue))
		if len(dv) > 200 {
			v.Add("directory_value", "problem.max_chars", 200)
		}
		p.DirectoryValue = &dv
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var o *ticket.Organisation
	err := s.db.Write(ctx, func(tx *store.Tx) (err error) {
		if o, err = tx.OrganisationByName(ctx, name); err != nil {
			return err
		}
		if p.Domains != nil {
			if err := tx.SetOrganisationDomains(ctx, o.ID, domains); err != nil {
				return err
			}
			o.Domains = domains
		}
		if p.DirectoryValue != nil {
			if err := tx.UpdateOrganisationDirectoryValue(ctx, o.ID, *p.DirectoryValue); err != nil {
				return err
			}
			o.DirectoryValue = *p.DirectoryValue
		}
		return tx.InsertAudit(ctx, s.now().UTC(), a.UserID, "org.update", 0, orgDetail(o))
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// DeleteOrganisation removes the organisation named name with its domains
// and memberships; its people stay (admins; audited org.delete).
// ENOTFOUND for an unknown name.
func (s *Service) DeleteOrganisation(ctx context.Context, a access.Actor, name string) error {
	if !a.Admin() {
		return ticket.E(ticket.EFORBIDDEN, "err.org.admins_only")
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		o, err := tx.OrganisationByName(ctx, name)
		if err != nil {
			return err
		}
		if err := tx.DeleteOrganisation(ctx, o.ID); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, s.now().UTC(), a.UserID, "org.delete", 0, o.Name)
	})
}

// AddOrganisationMember makes the person with email a member of the
// organisation named name, by the admin's choice (kept against the
// directory from then on), as its IT delegate when delegate is set; a
// person in another organisation moves (admins; audited org.member).
// ENOTFOUND for an unknown organisation or person; EINVALID for a
// service account.
func (s *Service) AddOrganisationMember(ctx context.Context, a access.Actor, name, email string, delegate bool) (*ticket.OrgMember, error) {
	if !a.Admin() {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.org.admins_only")
	}
	email = ticket.NormalizeEmail(email)
	var m *ticket.OrgMember
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		o, err := tx.OrganisationByName(ctx, name)
		if err != nil {
			return err
		}
		u, _, err := tx.UserByEmail(ctx, email)
		if err != nil {
			return err
		}
		if u.Service() {
			return ticket.E(ticket.EINVALID, ticket.ReasonInvalidFields).Field("email", "problem.org_service_account")
		}
		if err := tx.SetMembership(ctx, u.ID, o.ID, ticket.OrgSourceAdmin, delegate); err != nil {
			return err
		}
		detail := u.Email + " in " + o.Name
		if delegate {
			detail += " as IT delegate"
		}
		if err := tx.InsertAudit(ctx, s.now().UTC(), a.UserID, "org.member", 0, detail); err != nil {
			return err
		}
		m, err = tx.Membership(ctx, u.ID)
		return err
	})
	return m, err
}

// RemoveOrganisationMember ends the membership of the person with email in
// the organisation named name (admins; audited org.member_remove).
// ENOTFOUND for an unknown organisation, or a person who is not its
// member. The directory or a domain does not put them back (an admin's
// removal is not recorded as a choice: the next sign-in with a directory
// value does).
func (s *Service) RemoveOrganisationMember(ctx context.Context, a access.Actor, name, email string) error {
	if !a.Admin() {
		return ticket.E(ticket.EFORBIDDEN, "err.org.admins_only")
	}
	email = ticket.NormalizeEmail(email)
	return s.db.Write(ctx, func(tx *store.Tx) error {
		o, err := tx.OrganisationByName(ctx, name)
		if err != nil {
			return err
		}
		u, _, err := tx.UserByEmail(ctx, email)
		if err != nil {
			return err
		}
		m, err := tx.Membership(ctx, u.ID)
		if err != nil {
			return err
		}
		if m == nil || m.OrganisationID != o.ID {
			return ticket.E(ticket.ENOTFOUND, "err.org.not_member", email, o.Name)
		}
		if err := tx.RemoveMembership(ctx, u.ID); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, s.now().UTC(), a.UserID, "org.member_remove", 0, u.Email+" from "+o.Name)
	})
}

// MyOrganisation returns a's own membership (nil for none): for their
// settings page and portal.
func (s *Service) MyOrganisation(ctx context.Context, a access.Actor) (*ticket.OrgMember, error) {
	var m *ticket.OrgMember
	if a.UserID == 0 {
		return nil, nil
	}
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		m, err = tx.Membership(ctx, a.UserID)
		return err
	})
	return m, err
}

// SetDelegateMail records an IT delegate's own choice to be mailed about
// the members' tickets (public updates, as a requester is: new tickets,
// messages, questions, resolutions). EFORBIDDEN for one who is no
// delegate.
func (s *Service) SetDelegateMail(ctx context.Context, a access.Actor, on bool) error {
	if a.DelegateOf == 0 {
		return ticket.E(ticket.EFORBIDDEN, "err.org.not_delegate")
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		return tx.SetDelegateMail(ctx, a.UserID, on)
	})
}

// InstituteTickets returns the tickets of the members of the institute a
// is the IT delegate of that a may see (non-confidential ones; a's own
// are on their own list), most recently updated first, at most limit
// (default 100), and how many there are in all. EFORBIDDEN for one who is
// no delegate.
func (s *Service) InstituteTickets(ctx context.Context, a access.Actor, limit int) (*TicketList, error) {
	if a.DelegateOf == 0 {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.org.not_delegate")
	}
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	l := &TicketList{}
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		l.Items, l.Total, err = tx.InstituteTickets(ctx, a, a.DelegateOf, limit)
		return err
	})
	return l, err
}

// InstituteMembers lists the members of the institute a is the IT
// delegate of (for choosing whom a ticket is for); EFORBIDDEN for one who
// is no delegate.
func (s *Service) InstituteMembers(ctx context.Context, a access.Actor) ([]*ticket.OrgMember, error) {
	if a.DelegateOf == 0 {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.org.not_delegate")
	}
	var out []*ticket.OrgMember
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.OrganisationMembers(ctx, a.DelegateOf)
		return err
	})
	return out, err
}

// checkOnBehalf allows a non-staff IT delegate to open a ticket for the
// person with email: a member of their own institute (EFORBIDDEN
// otherwise, as for anyone else), and not a confidential one (the
// delegate would not see it: the member opens that themself).
func checkOnBehalf(ctx context.Context, tx *store.Tx, a access.Actor, email string, confidential bool) error {
	forbidden := ticket.E(ticket.EFORBIDDEN, "err.ticket.for_self_only")
	if a.DelegateOf == 0 {
		return forbidden
	}
	u, _, err := tx.UserByEmail(ctx, email)
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		return ticket.E(ticket.EFORBIDDEN, "err.org.behalf_members_only")
	} else if err != nil {
		return err
	}
	m, err := tx.Membership(ctx, u.ID)
	if err != nil {
		return err
	}
	if m == nil || m.OrganisationID != a.DelegateOf || u.Disabled {
		return ticket.E(ticket.EFORBIDDEN, "err.org.behalf_members_only")
	}
	if confidential {
		return ticket.E(ticket.EFORBIDDEN, "err.org.behalf_confidential")
	}
	return nil
}

// applyInstitute brings u's organisation in line with the institute value
// an outside source gives at sign-in: an organisation with that directory
// value takes u as a member (by the directory), unless an admin chose u's
// organisation. A value naming no organisation changes nothing and is
// logged (warn); an empty value changes nothing.
func (s *Service) applyInstitute(ctx context.Context, tx *store.Tx, u *ticket.User, value string) error {
	value = strings.TrimSpace(value)
	if value == "" || u.Service() {
		return nil
	}
	id, err := tx.OrganisationIDByDirectoryValue(ctx, value)
	if err != nil {
		return err
	}
	if id == 0 {
		s.log.WarnContext(ctx, "sign-in names an unknown institute; no organisation assigned", "email", u.Email, "institute", value)
		return nil
	}
	m, err := tx.Membership(ctx, u.ID)
	if err != nil {
		return err
	}
	switch {
	case m != nil && m.Source == ticket.OrgSourceAdmin:
		return nil // an admin's choice wins
	case m != nil && m.OrganisationID == id:
		if m.Source == ticket.OrgSourceDirectory {
			return nil
		}
		return tx.SetMembership(ctx, u.ID, id, ticket.OrgSourceDirectory, m.Delegate)
	}
	if err := tx.SetMembership(ctx, u.ID, id, ticket.OrgSourceDirectory, false); err != nil {
		return err
	}
	o, err := tx.OrganisationByID(ctx, id)
	if err != nil {
		return err
	}
	return tx.InsertAudit(ctx, s.now().UTC(), 0, "org.member", 0, u.Email+" in "+o.Name+" (from the directory)")
}
