package desk

import (
	"context"
	"fmt"
	"strings"
	"time"
	_ "time/tzdata"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/auth"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

func actorOf(ctx context.Context, tx *store.Tx, u *ticket.User) (access.Actor, error) {
	queues, err := tx.MemberQueueIDs(ctx, u.ID)
	if err != nil {
		return access.Actor{}, err
	}
	delegateOf, err := tx.DelegateOf(ctx, u.ID)
	if err != nil {
		return access.Actor{}, err
	}
	return access.Actor{UserID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, Lang: u.Language, Queues: queues,
		AlsoAuditor: u.Auditor && u.Role.Staff(), DelegateOf: delegateOf}, nil
}

// ActorByToken returns the owner of an API token; EUNAUTHORIZED if the
// token is unknown or its owner's account is disabled.
func (s *Service) ActorByToken(ctx context.Context, token string) (access.Actor, error) {
	var a access.Actor
	if !auth.LooksLikeToken(token) {
		return a, ticket.E(ticket.EUNAUTHORIZED, "err.token.invalid")
	}
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByTokenHash(ctx, auth.HashToken(token))
		if ticket.ErrorCode(err) == ticket.ENOTFOUND || (err == nil && u.Disabled) {
			return ticket.E(ticket.EUNAUTHORIZED, "err.token.invalid")
		} else if err != nil {
			return err
		}
		a, err = actorOf(ctx, tx, u)
		return err
	})
	return a, err
}

// ActorByPassword checks an e-mail and password; EUNAUTHORIZED if either is
// wrong or the account is disabled (the same answer, in about the same
// time, for an unknown e-mail).
func (s *Service) ActorByPassword(ctx context.Context, email, password string) (access.Actor, error) {
	var a access.Actor
	bad := ticket.E(ticket.EUNAUTHORIZED, "err.signin.wrong")
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		u, hash, err := tx.UserByEmail(ctx, ticket.NormalizeEmail(email))
		if ticket.ErrorCode(err) == ticket.ENOTFOUND || (err == nil && hash == "") {
			auth.DummyCheck(password, s.pw)
			return bad
		} else if err != nil {
			return err
		}
		if ok, err := auth.CheckPassword(hash, password); err != nil || !ok || u.Disabled {
			return bad // a disabled account answers as a wrong password does
		}
		a, err = actorOf(ctx, tx, u)
		return err
	})
	return a, err
}

// ActorByEmail returns the actor for a known user; ENOTFOUND if unknown. It
// is for servus's own use (command line, demo data, mail intake), never for
// a caller's claim about who they are.
func (s *Service) ActorByEmail(ctx context.Context, email string) (access.Actor, error) {
	var a access.Actor
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		u, _, err := tx.UserByEmail(ctx, ticket.NormalizeEmail(email))
		if err != nil {
			return err
		}
		a, err = actorOf(ctx, tx, u)
		return err
	})
	return a, err
}

func (nu *NewUser) validate() error {
	v := ticket.Validation{}
	nu.Email = ticket.NormalizeEmail(nu.Email)
	nu.Name = ticket.CleanLine(nu.Name)
	if !ticket.ValidEmail(nu.Email) {
		v.Add("email", "problem.email")
	}
	if nu.Name == "" {
		v.Add("name", "problem.empty")
	} else if len(nu.Name) > 200 {
		v.Add("name", "problem.max_chars", 200)
	}
	if nu.Role == "" {
		nu.Role = ticket.RoleRequester
	}
	if !nu.Role.Valid() {
		v.Add("role", "problem.role")
	}
	if nu.Language != "" && nu.Language != "de" && nu.Language != "en" {
		v.Add("language", "problem.language")
	}
	if nu.Service && nu.Password != "" {
		v.Add("password", "problem.service_no_password")
	} else if len(nu.Password) > auth.MaxPasswordLen {
		v.Add("password", "problem.too_long")
	} else if nu.Password != "" && len(nu.Password) < 8 {
		v.Add("password", "problem.min_chars", 8)
	}
	return v.Err()
}

// CreateUser adds a user; admins (and System) only, else EFORBIDDEN.
// EINVALID for bad fields, ECONFLICT if the e-mail exists.
func (s *Service) CreateUser(ctx context.Context, a access.Actor, nu NewUser) (*ticket.User, error) {
	if !a.Admin() {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.user.admins_create")
	}
	if err := nu.validate(); err != nil {
		return nil, err
	}
	var hash string
	if nu.Password != "" {
		var err error
		if hash, err = auth.HashPasswordWith(nu.Password, s.pw); err != nil {
			return nil, err
		}
	}
	u := &ticket.User{Email: nu.Email, Name: nu.Name, Role: nu.Role, Language: nu.Language, CreatedAt: s.now().UTC(), Kind: ticket.KindPerson}
	what := u.Email + " as " + string(u.Role)
	if nu.Service {
		u.Kind = ticket.KindService
		what += " (service account)"
	}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		if u.Language == "" {
			var err error
			if u.Language, err = defaultLanguage(ctx, tx); err != nil {
				return err
			}
		}
		if err := tx.InsertUser(ctx, u, hash); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, u.CreatedAt, a.UserID, "user.create", 0, what)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// requesterUser returns the user with email, creating a requester for an
// unknown address (someone who writes to the service desk for the first
// time).
func (s *Service) requesterUser(ctx context.Context, tx *store.Tx, email string) (*ticket.User, error) {
	u, _, err := tx.UserByEmail(ctx, email)
	if ticket.ErrorCode(err) != ticket.ENOTFOUND {
		return u, err
	}
	name := email
	if i := strings.IndexByte(email, '@'); i > 0 {
		name = email[:i]
	}
	lang, err := defaultLanguage(ctx, tx)
	if err != nil {
		return nil, err
	}
	u = &ticket.User{Email: email, Name: name, Role: ticket.RoleRequester, Language: lang, CreatedAt: s.now().UTC()}
	created, err := tx.InsertUserIfAbsent(ctx, u)
	if err != nil || created {
		return u, err
	}
	// Made meanwhile by another transaction (the same sender's first mails
	// arriving together): that account it is.
	u, _, err = tx.UserByEmail(ctx, email)
	return u, err
}

// defaultLanguage is the language of a new account that names none: the
// admin's setting (see Settings).
func defaultLanguage(ctx context.Context, tx *store.Tx) (string, error) {
	rows, err := tx.Settings(ctx)
	if err != nil {
		return "", err
	}
	return mergeSettings(rows).Language, nil
}

// User returns a user by e-mail, to staff or to the user themself; ENOTFOUND
// otherwise.
func (s *Service) User(ctx context.Context, a access.Actor, email string) (*ticket.User, error) {
	email = ticket.NormalizeEmail(email)
	if !a.Staff() && a.Email != email {
		return nil, ticket.E(ticket.ENOTFOUND, "err.user.not_found", email)
	}
	var u *ticket.User
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		u, _, err = tx.UserByEmail(ctx, email)
		return err
	})
	return u, err
}

// CreateToken makes a new API token for the user with email and returns it.
// Only the person themself creates tokens for their account; admins create
// them for service accounts, never for a person (who could then be acted
// as); servus itself (the operator's command line) for anyone. EFORBIDDEN
// otherwise, ENOTFOUND for an unknown user (to admins). Only the token's
// hash is stored; every creation is audited.
func (s *Service) CreateToken(ctx context.Context, a access.Actor, email string) (string, error) {
	email = ticket.NormalizeEmail(email)
	forbidden := ticket.E(ticket.EFORBIDDEN, "err.token.self_or_service")
	if !a.Admin() && a.Email != email {
		return "", forbidden
	}
	token, hash, err := auth.NewToken()
	if err != nil {
		return "", err
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		u, _, err := tx.UserByEmail(ctx, email)
		if err != nil {
			return err
		}
		if !a.IsSystem() && u.ID != a.UserID && !u.Service() {
			return forbidden
		}
		now := s.now().UTC()
		if err := tx.InsertToken(ctx, u.ID, hash, now); err != nil {
			return err
		}
		detail := u.Email
		if a.IsSystem() {
			detail += " (command line)"
		}
		return tx.InsertAudit(ctx, now, a.UserID, "token.create", 0, detail)
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// UserPatch changes a user; nil fields stay as they are.
type UserPatch struct {
	Name     *string
	Language *string // "de" or "en"
	Role     *ticket.Role
	Disabled *bool
	// Auditor grants (true) or withdraws (false) the auditor role besides
	// the role of agent or admin.
	Auditor *bool
}

// UpdateUser changes the user with email; admins only (EFORBIDDEN),
// ENOTFOUND for an unknown user, EINVALID for bad fields. In one
// transaction, with audit rows and ticket history by a:
//   - a role change from agent or admin to requester removes every queue
//     membership and unassigns their tickets that are not closed;
//   - disabling ends their web sessions, unassigns their tickets that are
//     not closed, and from then on refuses their password and API tokens;
//     enabling restores sign-in (memberships stayed);
//   - the auditor role besides (Auditor) is held by agents and admins only
//     (EINVALID for another role); its grant and withdrawal are the audit
//     rows user.auditor.grant and user.auditor.revoke; a role change to
//     requester or auditor withdraws it;
//   - nobody demotes or disables themself, and the last enabled admin is
//     neither demoted nor disabled: ECONFLICT with Fields naming the field
//     ("role" or "disabled") and ProblemOwnAccount or ProblemLastAdmin.
func (s *Service) UpdateUser(ctx context.Context, a access.Actor, email string, p UserPatch) (*ticket.User, error) {
	if !a.Admin() {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.user.admins_change")
	}
	v := ticket.Validation{}
	if p.Name != nil {
		*p.Name = strings.TrimSpace(*p.Name)
		if *p.Name == "" {
			v.Add("name", "problem.empty")
		} else if len(*p.Name) > 200 {
			v.Add("name", "problem.max_chars", 200)
		}
	}
	if p.Language != nil && *p.Language != "de" && *p.Language != "en" {
		v.Add("language", "problem.language")
	}
	if p.Role != nil && !p.Role.Valid() {
		v.Add("role", "problem.role")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var u *ticket.User
	err := s.db.Write(ctx, func(tx *store.Tx) (err error) {
		if u, _, err = tx.UserByEmail(ctx, ticket.NormalizeEmail(email)); err != nil {
			return err
		}
		now := s.now().UTC()
		var changes []string
		if p.Name != nil && *p.Name != u.Name {
			changes = append(changes, "name: "+u.Name+" → "+*p.Name)
			u.Name = *p.Name
		}
		if p.Language != nil && *p.Language != u.Language {
			changes = append(changes, "language: "+u.Language+" → "+*p.Language)
			u.Language = *p.Language
		}
		demote := p.Role != nil && u.Role == ticket.RoleAdmin && *p.Role != ticket.RoleAdmin
		disable := p.Disabled != nil && *p.Disabled && !u.Disabled
		enable := p.Disabled != nil && !*p.Disabled && u.Disabled
		if demote || disable {
			field := "role"
			if disable {
				field = "disabled"
			}
			if err := s.keepAnAdmin(ctx, tx, a, u, field); err != nil {
				return err
			}
		}
		toRequester := p.Role != nil && u.Role.Staff() && !p.Role.Staff()
		if p.Role != nil && *p.Role != u.Role {
			changes = append(changes, "role: "+string(u.Role)+" → "+string(*p.Role))
			u.Role = *p.Role
		}
		auditor := u.Auditor
		if p.Auditor != nil {
			if *p.Auditor && !u.Role.Staff() {
				v := ticket.Validation{}
				v.Add("auditor", "problem.auditor_staff_only")
				return v.Err()
			}
			auditor = *p.Auditor
		}
		if !u.Role.Staff() {
			auditor = false
		}
		grant := auditor != u.Auditor
		u.Auditor = auditor
		if disable {
			u.Disabled, u.DisabledAt = true, &now
		} else if enable {
			u.Disabled, u.DisabledAt = false, nil
		}
		if len(changes) == 0 && !disable && !enable && !grant {
			return nil
		}
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		if grant {
			action := "user.auditor.grant"
			if !u.Auditor {
				action = "user.auditor.revoke"
			}
			if err := tx.InsertAudit(ctx, now, a.UserID, action, 0, u.Email); err != nil {
				return err
			}
		}
		if len(changes) > 0 {
			if err := tx.InsertAudit(ctx, now, a.UserID, "user.update", 0, u.Email+": "+strings.Join(changes, "; ")); err != nil {
				return err
			}
		}
		if toRequester {
			queues, err := tx.RemoveMemberships(ctx, u.ID)
			if err != nil {
				return err
			}
			n, err := s.unassignAll(ctx, tx, a, u.ID, 0)
			if err != nil {
				return err
			}
			if len(queues) > 0 || len(n) > 0 {
				if err := tx.InsertAudit(ctx, now, a.UserID, "queue.member.remove", 0,
					fmt.Sprintf("%s: %s as requester (%d tickets unassigned)", strings.Join(queues, ", "), u.Email, len(n))); err != nil {
					return err
				}
			}
		}
		switch {
		case disable:
			sessions, err := tx.DeleteUserSessions(ctx, u.ID)
			if err != nil {
				return err
			}
			n, err := s.unassignAll(ctx, tx, a, u.ID, 0)
			if err != nil {
				return err
			}
			return tx.InsertAudit(ctx, now, a.UserID, "user.disable", 0,
				fmt.Sprintf("%s (%d sessions ended, %d tickets unassigned)", u.Email, sessions, len(n)))
		case enable:
			return tx.InsertAudit(ctx, now, a.UserID, "user.enable", 0, u.Email)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// keepAnAdmin refuses to demote or disable u (the change to field) when u
// is a themself or the last enabled admin: ECONFLICT.
func (s *Service) keepAnAdmin(ctx context.Context, tx *store.Tx, a access.Actor, u *ticket.User, field string) error {
	if a.UserID == u.ID {
		reason := "err.user.own_demote"
		if field == "disabled" {
			reason = "err.user.own_disable"
		}
		return ticket.E(ticket.ECONFLICT, reason).Field(field, ProblemOwnAccount)
	}
	if u.Role != ticket.RoleAdmin || u.Disabled {
		return nil
	}
	admins, err := tx.LockEnabledAdmins(ctx)
	if err != nil {
		return err
	}
	if len(admins) == 1 && admins[0] == u.ID {
		return ticket.E(ticket.ECONFLICT, "err.user.last_admin", u.Email).Field(field, ProblemLastAdmin)
	}
	return nil
}

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
		return nil, ticket.E(ticket.EFORBIDDEN, "err.user.admins_list")
	}
	v := ticket.Validation{}
	f.Query = strings.TrimSpace(f.Query)
	if len(f.Query) > 200 {
		v.Add("q", "problem.max_chars", 200)
	}
	if f.Role != "" && !f.Role.Valid() {
		v.Add("role", "problem.role")
	}
	if f.State != "" && f.State != "active" && f.State != "disabled" {
		v.Add("state", "problem.user_state")
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
		return nil, ticket.E(ticket.EFORBIDDEN, "err.user.admins_manage")
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

// SetPreferences stores a's language ("de" or "en") and time zone (an IANA
// name such as Europe/Vienna, or empty for the default). EINVALID for an
// unknown language or zone.
func (s *Service) SetPreferences(ctx context.Context, a access.Actor, lang, timeZone string) error {
	v := ticket.Validation{}
	if lang != "de" && lang != "en" {
		v.Add("language", "problem.language")
	}
	if timeZone != "" {
		if _, err := time.LoadLocation(timeZone); err != nil || len(timeZone) > 64 {
			v.Add("time_zone", "problem.time_zone")
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	if a.UserID == 0 {
		return ticket.E(ticket.EFORBIDDEN, "err.user.person_prefs")
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		return tx.SetUserPreferences(ctx, a.UserID, lang, timeZone)
	})
}
