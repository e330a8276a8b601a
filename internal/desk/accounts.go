package desk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/directory"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// Directory is the LDAP directory people sign in with
// (*directory.Directory).
type Directory interface {
	Authenticate(ctx context.Context, login, password string) (*directory.Person, error)
	People(ctx context.Context) (map[string]bool, error)
}

// GroupRule maps a group of an outside identity source (an LDAP group's
// DN as configured, a value of the OpenID Connect groups claim, a value of
// the SAML groups attribute) to a role and
// queue memberships, applied at every sign-in of an outside account.
type GroupRule struct {
	Group  string
	Role   ticket.Role // empty: the rule gives no role
	Queues []string    // queue names
	// Source is the identity source whose groups the rule reads; empty:
	// every outside source's.
	Source ticket.AuthSource
}

// ExternalAccount is a person as an outside identity source (LDAP,
// OpenID Connect, SAML) vouches for them; SignInExternal makes or
// updates their servus account from it.
type ExternalAccount struct {
	Source    ticket.AuthSource // SourceLDAP, SourceOIDC, SourceSAML
	ID        string            // stable ID at the source
	Email     string
	Name      string
	Language  string   // "de", "en" or "" (keep; new accounts: the default)
	Institute string   // the source's institute value: an organisation's directory value (applyInstitute)
	Groups    []string // the groups the source says they are in, as GroupRule.Group names them
}

// Reasons of sign-in refusals that are not a wrong password.
const (
	ReasonDirectoryDown      = "err.signin.directory_down"
	ReasonDirectoryDuplicate = "err.signin.directory_duplicate"
	ReasonLocalAccount       = "err.signin.local_account"
)

// SignIn checks a login name and password: with a directory configured,
// an account with a local password signs in with it, and everyone else
// (accounts made by mail, directory accounts, people servus does not know
// yet) by binding to the directory, which makes or updates their account
// (SignInExternal). Without a directory it is ActorByPassword. Errors:
// EUNAUTHORIZED for a wrong password, an unknown name or a disabled
// account, all alike; EINTERNAL with ReasonDirectoryDown when the
// directory cannot answer; ECONFLICT with ReasonDirectoryDuplicate when
// the name or the mail address is on several entries, or
// ReasonLocalAccount when the entry's address belongs to an account with
// a local password (both also written to the audit log as
// session.refused). The cause is wrapped, for the log.
func (s *Service) SignIn(ctx context.Context, login, password string) (access.Actor, error) {
	local, err := s.SignsInLocally(ctx, login)
	if err != nil {
		return access.Actor{}, err
	}
	if local {
		return s.ActorByPassword(ctx, login, password)
	}
	p, err := s.dir.Authenticate(ctx, login, password)
	switch {
	case err == nil:
	case errors.Is(err, directory.ErrInvalidCredentials):
		return access.Actor{}, ticket.E(ticket.EUNAUTHORIZED, "err.signin.wrong")
	case errors.Is(err, directory.ErrAmbiguous), errors.Is(err, directory.ErrIncomplete):
		return access.Actor{}, s.refuseSignIn(ctx, ReasonDirectoryDuplicate, login, err)
	default:
		return access.Actor{}, fmt.Errorf("%w: %w", ticket.E(ticket.EINTERNAL, ReasonDirectoryDown), err)
	}
	return s.SignInExternal(ctx, ExternalAccount{Source: ticket.SourceLDAP, ID: p.ID, Email: p.Email, Name: p.Name,
		Language: p.Language, Institute: p.Institute, Groups: p.Groups})
}

// SignsInLocally tells whether SignIn checks login's password itself
// (an expensive hash, which callers may want to bound) rather than asking
// the directory: always without a directory; with one, for an account
// with a servus password (or a service account, which is refused).
func (s *Service) SignsInLocally(ctx context.Context, login string) (bool, error) {
	if s.dir == nil {
		return true, nil
	}
	var local bool
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		u, hash, err := tx.UserByEmail(ctx, ticket.NormalizeEmail(login))
		if ticket.ErrorCode(err) == ticket.ENOTFOUND {
			return nil
		}
		local = err == nil && !u.AuthSource.External() && (hash != "" || u.Service())
		return err
	})
	return local, err
}

// refuseSignIn writes the audit row session.refused (for the admin: the
// detail names what the source said) and returns the refusal.
func (s *Service) refuseSignIn(ctx context.Context, reason, login string, cause error) error {
	refusal := ticket.E(ticket.ECONFLICT, reason)
	err := s.db.Write(context.WithoutCancel(ctx), func(tx *store.Tx) error {
		return tx.InsertAudit(ctx, s.now().UTC(), 0, "session.refused", 0,
			clip(ticket.CleanLine(login), 254)+": "+clip(ticket.CleanLine(cause.Error()), 700))
	})
	if err != nil {
		return err
	}
	return fmt.Errorf("%w: %w", refusal, cause)
}

// accountProblem is a reason SignInExternal refuses, with its detail.
type accountProblem struct{ reason, detail string }

func (p *accountProblem) Error() string { return p.detail }

// SignInExternal makes or updates the account an outside source vouches
// for, in one transaction: found by its source and ID, else joined with
// the account of the same address that has no password of its own (one
// made by mail) on its first sign-in, else created as a requester. Name,
// address and language follow the source at every sign-in; the group
// rules then set the role and the memberships of the queues they name, and
// the institute value the organisation (unless an admin chose it).
// Errors: EINVALID for a missing ID or a bad address; EUNAUTHORIZED for a
// disabled account (as a wrong password); ECONFLICT (audited as
// session.refused) with ReasonDirectoryDuplicate when the address belongs
// to another outside account, or ReasonLocalAccount when it belongs to an
// account with a local password or a service account.
func (s *Service) SignInExternal(ctx context.Context, acct ExternalAccount) (access.Actor, error) {
	acct.Email = ticket.NormalizeEmail(acct.Email)
	acct.Name = clip(ticket.CleanLine(acct.Name), 200)
	if acct.Name == "" {
		acct.Name, _, _ = strings.Cut(acct.Email, "@")
	}
	if acct.Language != "de" && acct.Language != "en" {
		acct.Language = ""
	}
	if !acct.Source.External() || acct.ID == "" || !ticket.ValidEmail(acct.Email) {
		return access.Actor{}, ticket.E(ticket.EINVALID, ticket.ReasonInvalidFields).Field("email", "problem.email")
	}
	a, err := s.signInExternal(ctx, acct)
	if r := ticket.ErrorReason(err); r == "err.user.exists" || r == "err.account.external_taken" {
		// Two first sign-ins of one person at once: the other made the
		// account; this one finds it.
		a, err = s.signInExternal(ctx, acct)
	}
	return a, err
}

func (s *Service) signInExternal(ctx context.Context, acct ExternalAccount) (access.Actor, error) {
	var a access.Actor
	var problem *accountProblem
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		u, err := s.externalUser(ctx, tx, acct)
		if errors.As(err, &problem) {
			return nil // audited below, outside this transaction
		} else if err != nil {
			return err
		}
		if u.Disabled {
			return ticket.E(ticket.EUNAUTHORIZED, "err.signin.wrong")
		}
		if err := s.applyGroups(ctx, tx, u, acct.Groups); err != nil {
			return err
		}
		if err := s.applyInstitute(ctx, tx, u, acct.Institute); err != nil {
			return err
		}
		a, err = actorOf(ctx, tx, u)
		return err
	})
	if err != nil {
		return access.Actor{}, err
	}
	if problem != nil {
		return access.Actor{}, s.refuseSignIn(ctx, problem.reason, acct.Email, problem)
	}
	return a, nil
}

// externalUser finds, joins or creates the account of acct and brings its
// name, address and language up to date.
func (s *Service) externalUser(ctx context.Context, tx *store.Tx, acct ExternalAccount) (*ticket.User, error) {
	now := s.now().UTC()
	src := string(acct.Source)
	u, err := tx.UserByExternalID(ctx, acct.Source, acct.ID)
	switch ticket.ErrorCode(err) {
	case "":
	case ticket.ENOTFOUND:
		other, hash, err := tx.UserByEmail(ctx, acct.Email)
		switch ticket.ErrorCode(err) {
		case "":
		case ticket.ENOTFOUND:
			lang := acct.Language
			if lang == "" {
				if lang, err = defaultLanguage(ctx, tx); err != nil {
					return nil, err
				}
			}
			u = &ticket.User{Email: acct.Email, Name: acct.Name, Role: ticket.RoleRequester, Language: lang, CreatedAt: now,
				Kind: ticket.KindPerson, AuthSource: acct.Source, ExternalID: acct.ID}
			if err := tx.InsertUser(ctx, u, ""); err != nil {
				return nil, err
			}
			return u, tx.InsertAudit(ctx, now, 0, "user.create", 0, u.Email+" as requester (first sign-in, "+src+")")
		default:
			return nil, err
		}
		switch {
		case other.AuthSource.External():
			return nil, &accountProblem{ReasonDirectoryDuplicate, fmt.Sprintf("%s belongs to another %s account", acct.Email, other.AuthSource)}
		case hash != "" || other.Service():
			return nil, &accountProblem{ReasonLocalAccount, acct.Email + " belongs to an account with a servus password"}
		}
		// An account made by mail: from now on the source's.
		if err := tx.SetAccountSource(ctx, other.ID, acct.Source, acct.ID); err != nil {
			return nil, err
		}
		other.AuthSource, other.ExternalID = acct.Source, acct.ID
		if err := tx.InsertAudit(ctx, now, 0, "user.join", 0, other.Email+" joined with its "+src+" entry"); err != nil {
			return nil, err
		}
		u = other
	default:
		return nil, err
	}
	var changes []string
	if acct.Email != u.Email {
		if _, _, err := tx.UserByEmail(ctx, acct.Email); err == nil {
			return nil, &accountProblem{ReasonDirectoryDuplicate, fmt.Sprintf("%s (new address of %s) belongs to another account", acct.Email, u.Email)}
		} else if ticket.ErrorCode(err) != ticket.ENOTFOUND {
			return nil, err
		}
		if err := tx.SetUserEmail(ctx, u.ID, acct.Email); err != nil {
			return nil, err
		}
		changes = append(changes, "email: "+u.Email+" → "+acct.Email)
		u.Email = acct.Email
	}
	if acct.Name != u.Name {
		changes = append(changes, "name: "+u.Name+" → "+acct.Name)
		u.Name = acct.Name
	}
	if acct.Language != "" && acct.Language != u.Language {
		changes = append(changes, "language: "+u.Language+" → "+acct.Language)
		u.Language = acct.Language
	}
	if len(changes) == 0 {
		return u, nil
	}
	if err := tx.UpdateUser(ctx, u); err != nil {
		return nil, err
	}
	return u, tx.InsertAudit(ctx, now, 0, "user.update", 0, u.Email+": "+strings.Join(changes, "; ")+" (from "+src+")")
}

// roleRank orders roles for the group rules: a person in several groups
// gets the highest role among them.
func roleRank(r ticket.Role) int {
	return slices.Index([]ticket.Role{ticket.RoleRequester, ticket.RoleAuditor, ticket.RoleAgent, ticket.RoleAdmin}, r)
}

// applyGroups sets u's role and the memberships of the queues the rules
// name from the groups u is in, with audit rows by servus itself. When
// some rule gives a role, the role is the highest of u's groups'
// (requester without any); a staff member who becomes requester leaves
// every queue. A queue a rule names is u's exactly when one of u's groups
// gives it (for agents and admins only); queues no rule names stay as an
// admin set them. The last enabled admin keeps the role. Unknown queues
// are skipped. Only the rules of u's source count.
func (s *Service) applyGroups(ctx context.Context, tx *store.Tx, u *ticket.User, groups []string) error {
	rules := slices.DeleteFunc(slices.Clone(s.rules), func(r GroupRule) bool { return r.Source != "" && r.Source != u.AuthSource })
	if len(rules) == 0 {
		return nil
	}
	now := s.now().UTC()
	role, giveRole := ticket.RoleRequester, false
	want, managed := map[string]bool{}, []string{}
	for _, r := range rules {
		in := slices.Contains(groups, r.Group)
		if r.Role != "" {
			giveRole = true
			if in && roleRank(r.Role) > roleRank(role) {
				role = r.Role
			}
		}
		for _, q := range r.Queues {
			if !slices.Contains(managed, q) {
				managed = append(managed, q)
			}
			if in {
				want[q] = true
			}
		}
	}
	if giveRole && role != u.Role {
		if u.Role == ticket.RoleAdmin {
			admins, err := tx.LockEnabledAdmins(ctx)
			if err != nil {
				return err
			}
			if len(admins) == 1 && admins[0] == u.ID {
				role = u.Role // servus keeps an admin
			}
		}
	}
	if giveRole && role != u.Role {
		toRequester := u.Role.Staff() && !role.Staff()
		detail := u.Email + ": role: " + string(u.Role) + " → " + string(role) + " (directory groups)"
		u.Role = role
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		if err := tx.InsertAudit(ctx, now, 0, "user.update", 0, detail); err != nil {
			return err
		}
		if toRequester {
			queues, err := tx.RemoveMemberships(ctx, u.ID)
			if err != nil {
				return err
			}
			n, err := s.unassignAll(ctx, tx, access.System, u.ID, 0)
			if err != nil {
				return err
			}
			if len(queues) > 0 || len(n) > 0 {
				if err := tx.InsertAudit(ctx, now, 0, "queue.member.remove", 0,
					fmt.Sprintf("%s: %s as requester (%d tickets unassigned; directory groups)", strings.Join(queues, ", "), u.Email, len(n))); err != nil {
					return err
				}
			}
		}
	}
	if !u.Role.Staff() {
		return nil
	}
	for _, name := range managed {
		q, err := tx.QueueByName(ctx, name)
		if ticket.ErrorCode(err) == ticket.ENOTFOUND {
			continue // the mapping names a queue servus does not have (logged at start)
		} else if err != nil {
			return err
		}
		has, err := tx.IsMember(ctx, q.ID, u.ID)
		if err != nil {
			return err
		}
		switch {
		case want[name] && !has:
			if err := tx.AddMember(ctx, q.ID, u.ID, nil); err != nil {
				return err
			}
			if err := tx.InsertAudit(ctx, now, 0, "queue.member.add", 0, q.Name+": "+u.Email+" (directory groups)"); err != nil {
				return err
			}
		case !want[name] && has:
			if _, err := tx.RemoveMember(ctx, q.ID, u.ID); err != nil {
				return err
			}
			n, err := s.unassignAll(ctx, tx, access.System, u.ID, q.ID)
			if err != nil {
				return err
			}
			if err := tx.InsertAudit(ctx, now, 0, "queue.member.remove", 0,
				fmt.Sprintf("%s: %s (%d tickets unassigned; directory groups)", q.Name, u.Email, len(n))); err != nil {
				return err
			}
		}
	}
	return nil
}

// SyncDirectory disables the enabled directory accounts whose entry has
// left the directory (as an admin's disabling does: sessions end, their
// open tickets are unassigned; audited as user.disable by servus) and
// returns their addresses. It changes nothing when the directory lists
// nobody at all (a wrong base DN must not disable everyone). Errors:
// EINTERNAL with ReasonDirectoryDown (cause wrapped), ECONFLICT without a
// directory, database faults.
func (s *Service) SyncDirectory(ctx context.Context) ([]string, error) {
	if s.dir == nil {
		return nil, ticket.E(ticket.ECONFLICT, "err.directory.none")
	}
	people, err := s.dir.People(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ticket.E(ticket.EINTERNAL, ReasonDirectoryDown), err)
	}
	if len(people) == 0 {
		return nil, fmt.Errorf("%w: the directory lists nobody", ticket.E(ticket.EINTERNAL, ReasonDirectoryDown))
	}
	var gone []string
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		accts, err := tx.EnabledExternalAccounts(ctx, ticket.SourceLDAP)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		for _, ac := range accts {
			if people[ac.ExternalID] {
				continue
			}
			u, err := tx.UserByID(ctx, ac.UserID)
			if err != nil {
				return err
			}
			if u.Role == ticket.RoleAdmin {
				admins, err := tx.LockEnabledAdmins(ctx)
				if err != nil {
					return err
				}
				if len(admins) == 1 && admins[0] == u.ID {
					continue // servus keeps an admin
				}
			}
			u.Disabled, u.DisabledAt = true, &now
			if err := tx.UpdateUser(ctx, u); err != nil {
				return err
			}
			sessions, err := tx.DeleteUserSessions(ctx, u.ID)
			if err != nil {
				return err
			}
			n, err := s.unassignAll(ctx, tx, access.System, u.ID, 0)
			if err != nil {
				return err
			}
			if err := tx.InsertAudit(ctx, now, 0, "user.disable", 0,
				fmt.Sprintf("%s (left the directory; %d sessions ended, %d tickets unassigned)", u.Email, sessions, len(n))); err != nil {
				return err
			}
			gone = append(gone, u.Email)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return gone, nil
}

// localPasswordRefused is the refusal of a local password for an account
// of an outside source.
func localPasswordRefused(u *ticket.User) error {
	return ticket.E(ticket.ECONFLICT, "err.account.external_password", string(u.AuthSource)).Field("password", "problem.external_account")
}
