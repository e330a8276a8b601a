package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/ticket"
)

// InsertOrganisation adds o (without domains) and sets o.ID; ECONFLICT if
// its name, regardless of case, or its directory value is taken.
func (tx *Tx) InsertOrganisation(ctx context.Context, o *ticket.Organisation) error {
	err := tx.queryRow(ctx, "INSERT INTO organisations (name, name_key, directory_value, created_at) VALUES (?, ?, ?, ?) RETURNING id",
		o.Name, strings.ToLower(o.Name), nullString(strings.ToLower(o.DirectoryValue)), ms(o.CreatedAt)).Scan(&o.ID)
	if err = tx.db.wrap(err); IsUniqueViolation(err) {
		return ticket.E(ticket.ECONFLICT, "err.org.exists", o.Name)
	}
	return err
}

// UpdateOrganisationDirectoryValue sets the directory value of the
// organisation with id (empty: none); ECONFLICT if another has it.
func (tx *Tx) UpdateOrganisationDirectoryValue(ctx context.Context, id int64, value string) error {
	_, err := tx.exec(ctx, "UPDATE organisations SET directory_value = ? WHERE id = ?", nullString(strings.ToLower(value)), id)
	if err = tx.db.wrap(err); IsUniqueViolation(err) {
		return ticket.E(ticket.ECONFLICT, "err.org.directory_taken", value)
	}
	return err
}

// SetOrganisationDomains replaces the mail domains of the organisation with
// id by domains (lower-case); ECONFLICT if one belongs to another
// organisation.
func (tx *Tx) SetOrganisationDomains(ctx context.Context, id int64, domains []string) error {
	if _, err := tx.exec(ctx, "DELETE FROM organisation_domains WHERE organisation_id = ?", id); err != nil {
		return err
	}
	for _, d := range domains {
		_, err := tx.exec(ctx, "INSERT INTO organisation_domains (domain, organisation_id) VALUES (?, ?)", d, id)
		if err = tx.db.wrap(err); IsUniqueViolation(err) {
			return ticket.E(ticket.ECONFLICT, "err.org.domain_taken", d)
		} else if err != nil {
			return err
		}
	}
	return nil
}

// DeleteOrganisation removes the organisation with id, its domains and its
// memberships (the people stay).
func (tx *Tx) DeleteOrganisation(ctx context.Context, id int64) error {
	for _, q := range []string{
		"DELETE FROM organisation_members WHERE organisation_id = ?",
		"DELETE FROM organisation_domains WHERE organisation_id = ?",
		"DELETE FROM organisations WHERE id = ?",
	} {
		if _, err := tx.exec(ctx, q, id); err != nil {
			return err
		}
	}
	return nil
}

const orgSelect = `SELECT o.id, o.name, COALESCE(o.directory_value, ''), o.created_at,
	(SELECT COUNT(*) FROM organisation_members m WHERE m.organisation_id = o.id) FROM organisations o`

func (tx *Tx) scanOrganisations(ctx context.Context, q string, args ...any) ([]*ticket.Organisation, error) {
	rows, err := tx.query(ctx, orgSelect+q, args...)
	if err != nil {
		return nil, err
	}
	var out []*ticket.Organisation
	for rows.Next() {
		o := &ticket.Organisation{Domains: []string{}}
		var created int64
		if err := rows.Scan(&o.ID, &o.Name, &o.DirectoryValue, &created, &o.Members); err != nil {
			rows.Close()
			return nil, err
		}
		o.CreatedAt = fromMS(created)
		out = append(out, o)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, err
	}
	for _, o := range out {
		if o.Domains, err = tx.emails(ctx, "SELECT domain FROM organisation_domains WHERE organisation_id = ? ORDER BY domain", o.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Organisations lists every organisation with its domains and member
// count, by name.
func (tx *Tx) Organisations(ctx context.Context) ([]*ticket.Organisation, error) {
	return tx.scanOrganisations(ctx, " ORDER BY o.name_key")
}

// OrganisationByName returns the organisation named name, regardless of
// case; ENOTFOUND if there is none.
func (tx *Tx) OrganisationByName(ctx context.Context, name string) (*ticket.Organisation, error) {
	os, err := tx.scanOrganisations(ctx, " WHERE o.name_key = ?", strings.ToLower(strings.TrimSpace(name)))
	if err != nil {
		return nil, err
	}
	if len(os) == 0 {
		return nil, ticket.E(ticket.ENOTFOUND, "err.org.not_found", name)
	}
	return os[0], nil
}

// OrganisationByID returns the organisation with id; ENOTFOUND if there is
// none.
func (tx *Tx) OrganisationByID(ctx context.Context, id int64) (*ticket.Organisation, error) {
	os, err := tx.scanOrganisations(ctx, " WHERE o.id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(os) == 0 {
		return nil, ticket.E(ticket.ENOTFOUND, "err.org.not_found", id)
	}
	return os[0], nil
}

// OrganisationIDByDirectoryValue returns the ID of the organisation whose
// directory value is value (regardless of case), 0 if none.
func (tx *Tx) OrganisationIDByDirectoryValue(ctx context.Context, value string) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, "SELECT id FROM organisations WHERE directory_value = ?", strings.ToLower(strings.TrimSpace(value))).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// OrganisationIDByMail returns the ID of the organisation whose mail
// domain is email's domain or the nearest parent of it
// (a@physik.uni.example: physik.uni.example, then uni.example), 0 if none.
func (tx *Tx) OrganisationIDByMail(ctx context.Context, email string) (int64, error) {
	_, domain, ok := strings.Cut(strings.ToLower(email), "@")
	if !ok || domain == "" {
		return 0, nil
	}
	var candidates []any
	for d := domain; d != ""; {
		candidates = append(candidates, d)
		_, rest, ok := strings.Cut(d, ".")
		if !ok || !strings.Contains(rest, ".") {
			break // a top-level domain alone assigns nobody
		}
		d = rest
	}
	var id int64
	err := tx.queryRow(ctx, "SELECT organisation_id FROM organisation_domains WHERE domain IN ("+placeholders(len(candidates))+
		") ORDER BY LENGTH(domain) DESC LIMIT 1", candidates...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// assignByDomain makes u, just created, a member of the organisation its
// mail domain names, if any (people only, not service accounts).
func (tx *Tx) assignByDomain(ctx context.Context, u *ticket.User) error {
	if u.Kind == ticket.KindService {
		return nil
	}
	id, err := tx.OrganisationIDByMail(ctx, u.Email)
	if err != nil || id == 0 {
		return err
	}
	return tx.SetMembership(ctx, u.ID, id, ticket.OrgSourceDomain, false)
}

// Membership returns userID's organisation membership with the
// organisation's name; nil if they belong to none.
func (tx *Tx) Membership(ctx context.Context, userID int64) (*ticket.OrgMember, error) {
	m := &ticket.OrgMember{UserID: userID}
	err := tx.queryRow(ctx, `SELECT m.organisation_id, o.name, u.email, u.name, m.source, m.delegate, m.delegate_mail
		FROM organisation_members m JOIN organisations o ON o.id = m.organisation_id JOIN users u ON u.id = m.user_id
		WHERE m.user_id = ?`, userID).Scan(&m.OrganisationID, &m.Organisation, &m.Email, &m.Name, &m.Source, &m.Delegate, &m.DelegateMail)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return m, err
}

// SetMembership makes userID a member of organisation orgID (leaving any
// other) with source and the delegate flag. Moving to another
// organisation ends the choice to be mailed.
func (tx *Tx) SetMembership(ctx context.Context, userID, orgID int64, source string, delegate bool) error {
	_, err := tx.exec(ctx, `INSERT INTO organisation_members (user_id, organisation_id, source, delegate, delegate_mail)
		VALUES (?, ?, ?, ?, FALSE)
		ON CONFLICT (user_id) DO UPDATE SET source = excluded.source, delegate = excluded.delegate,
			delegate_mail = CASE WHEN organisation_members.organisation_id = excluded.organisation_id AND excluded.delegate
				THEN organisation_members.delegate_mail ELSE FALSE END,
			organisation_id = excluded.organisation_id`,
		userID, orgID, source, delegate)
	return err
}

// RemoveMembership ends userID's membership, if any.
func (tx *Tx) RemoveMembership(ctx context.Context, userID int64) error {
	_, err := tx.exec(ctx, "DELETE FROM organisation_members WHERE user_id = ?", userID)
	return err
}

// SetDelegateMail records a delegate's choice to be mailed about the
// members' tickets; it changes nothing for one who is not a delegate.
func (tx *Tx) SetDelegateMail(ctx context.Context, userID int64, on bool) error {
	_, err := tx.exec(ctx, "UPDATE organisation_members SET delegate_mail = ? WHERE user_id = ? AND delegate", on, userID)
	return err
}

// DelegateOf returns the ID of the organisation userID is the IT delegate
// of, 0 if none.
func (tx *Tx) DelegateOf(ctx context.Context, userID int64) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, "SELECT organisation_id FROM organisation_members WHERE user_id = ? AND delegate", userID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// DelegateMailIDs lists the enabled delegates of organisation orgID who
// chose to be mailed about its members' tickets.
func (tx *Tx) DelegateMailIDs(ctx context.Context, orgID int64) ([]int64, error) {
	rows, err := tx.query(ctx, `SELECT m.user_id FROM organisation_members m JOIN users u ON u.id = m.user_id
		WHERE m.organisation_id = ? AND m.delegate AND m.delegate_mail AND u.disabled_at IS NULL ORDER BY m.user_id`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// OrganisationMembers lists the members of organisation orgID, delegates
// first, then by address.
func (tx *Tx) OrganisationMembers(ctx context.Context, orgID int64) ([]*ticket.OrgMember, error) {
	rows, err := tx.query(ctx, `SELECT m.user_id, o.name, u.email, u.name, m.source, m.delegate, m.delegate_mail
		FROM organisation_members m JOIN organisations o ON o.id = m.organisation_id JOIN users u ON u.id = m.user_id
		WHERE m.organisation_id = ? ORDER BY m.delegate DESC, u.email`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*ticket.OrgMember{}
	for rows.Next() {
		m := &ticket.OrgMember{OrganisationID: orgID}
		if err := rows.Scan(&m.UserID, &m.Organisation, &m.Email, &m.Name, &m.Source, &m.Delegate, &m.DelegateMail); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// InstituteTickets returns up to limit of the tickets of the members of
// organisation orgID (other than a) that a may see, most recently updated
// first, and how many there are in all: an IT delegate's portal list. The
// visibility policy decides, as everywhere (access.TicketScope).
func (tx *Tx) InstituteTickets(ctx context.Context, a access.Actor, orgID int64, limit int) ([]*ticket.Ticket, int, error) {
	scope, args := access.TicketScope(a)
	cond := " WHERE " + scope + ` AND t.requester_id IN (SELECT om.user_id FROM organisation_members om WHERE om.organisation_id = ?)
		AND t.requester_id <> ?`
	args = append(args, orgID, a.UserID)
	var total int
	if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM tickets t"+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := tx.query(ctx, ticketSelect+cond+" ORDER BY t.updated_at DESC, t.id DESC LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []*ticket.Ticket{}
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, t)
	}
	return out, total, rows.Err()
}
