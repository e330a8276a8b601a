package desk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/auth"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// NotifyPasswordReset is the event of a password reset mail: account mail,
// about no ticket.
const NotifyPasswordReset = "password_reset"

// Password reset limits.
const (
	// ResetLinkTTL is how long a password reset link is valid.
	ResetLinkTTL = time.Hour
	// ResetsPerHour is how many reset links one account gets in an hour;
	// further requests are answered as usual and send nothing.
	ResetsPerHour = 3
)

// Why a password reset link is refused, as ResetRefusal tells it from the
// error that CheckPasswordReset and ResetPassword return.
const (
	ResetLinkUnknown = "unknown" // no such link (or its account is gone or disabled): ENOTFOUND
	ResetLinkUsed    = "used"    // it set a password already: ECONFLICT
	ResetLinkRevoked = "revoked" // another link of the account set a password first: ECONFLICT
	ResetLinkExpired = "expired" // older than ResetLinkTTL: ECONFLICT
	// ResetLinkExternal: the account signs in at an outside source (the
	// directory) and has no servus password: ECONFLICT.
	ResetLinkExternal = "external"
)

// ResetMail is what a password reset mail carries besides its recipient.
type ResetMail struct {
	Token   string    // the link's token; the link is BaseURL/password/reset?token=Token
	Expires time.Time // when the link stops working
	Lang    string    // the mail's language: "de" or "en"
}

// ResetLink is a usable password reset link, as the form to set a new
// password shows it.
type ResetLink struct {
	Email   string // the account's address
	Expires time.Time
}

// RequestPasswordReset mails a one-time link to set a new password to the
// account with email, in lang ("de" or "en", the language the person asked
// in; another value takes the account's language). The outcome is the same
// whether or not the address has an account, so that nobody learns which
// addresses do: for an unknown or disabled address, and for one that had
// ResetsPerHour links in the last hour, nothing is stored and nothing is
// sent. The link's token is random; only its SHA-256 is kept with the
// reset, and the raw token rides on the outbox row only until the mail is
// sent (or dropped or failed). Errors: EINVALID for something that is no
// mail address, database faults.
func (s *Service) RequestPasswordReset(ctx context.Context, email, lang string) error {
	return s.requestPasswordReset(ctx, 0, email, lang)
}

// SendPasswordReset is RequestPasswordReset asked by admin a for the
// account with email, in the account's language; the audit log names the
// admin. EFORBIDDEN for anyone but an admin.
func (s *Service) SendPasswordReset(ctx context.Context, a access.Actor, email string) error {
	if !a.Admin() || a.IsSystem() {
		return ticket.E(ticket.EFORBIDDEN, "err.reset.admins_only")
	}
	return s.requestPasswordReset(ctx, a.UserID, email, "")
}

// requestPasswordReset is RequestPasswordReset, audited as asked by the
// user with id by (0: the person at the sign-in page).
func (s *Service) requestPasswordReset(ctx context.Context, by int64, email, lang string) error {
	email = ticket.NormalizeEmail(email)
	if !ticket.ValidEmail(email) {
		return ticket.E(ticket.EINVALID, ticket.ReasonInvalidFields).Field("email", "problem.email")
	}
	if lang != "de" && lang != "en" {
		lang = ""
	}
	token, hash, err := auth.NewToken()
	if err != nil {
		return err
	}
	now := s.now().UTC()
	return s.db.Write(ctx, func(tx *store.Tx) error {
		// Every request also sweeps the mails of links that can no longer
		// be used, so their tokens leave the database even without a
		// delivery worker.
		if _, err := tx.DropStaleResetMails(ctx, now); err != nil {
			return err
		}
		// Known or not, every request takes the same steps (the same
		// statements, one row written), so that the answer's timing does
		// not tell which addresses have an account.
		u, _, err := tx.UserByEmail(ctx, email)
		known := err == nil
		if !known && ticket.ErrorCode(err) != ticket.ENOTFOUND {
			return err
		}
		var uid int64
		if known {
			uid = u.ID
		}
		k, err := tx.PasswordResetsSince(ctx, uid, now.Add(-time.Hour))
		if err != nil {
			return err
		}
		if known && by != 0 && u.AuthSource.External() {
			return localPasswordRefused(u) // the admin is told; the sign-in page's visitor is not
		}
		// A service account has no password to reset, nor has an account
		// of an outside source (the directory).
		send := known && !u.Disabled && !u.Service() && !u.AuthSource.External() && !s.quiet && k < ResetsPerHour
		action := "password.reset_request"
		switch {
		case !known || u.Disabled || u.Service():
			action = "password.reset_unknown"
		case u.AuthSource.External():
			action = "password.reset_external"
		case k >= ResetsPerHour:
			action = "password.reset_limited"
		}
		r := &store.PasswordReset{UserID: uid, Lang: lang, CreatedAt: now, ExpiresAt: now.Add(ResetLinkTTL)}
		n := &store.Notification{CreatedAt: now, Event: NotifyPasswordReset, RecipientID: uid,
			MessageID: s.accountMessageID(), NextAttemptAt: now, Secret: token}
		if err := tx.RecordResetRequest(ctx, r, hash, n, send); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, now, by, action, 0, email)
	})
}

// CheckPasswordReset tells whether token is a usable password reset link,
// so that a page can say what is wrong before asking for a new password.
// Errors (their "token" field says which): ENOTFOUND for an unknown link,
// ECONFLICT for one that was used, revoked or expired; database faults.
func (s *Service) CheckPasswordReset(ctx context.Context, token string) (*ResetLink, error) {
	now := s.now().UTC()
	var out *ResetLink
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		r, u, err := resetByToken(ctx, tx, token, now)
		if err != nil {
			return err
		}
		out = &ResetLink{Email: u.Email, Expires: r.ExpiresAt}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ResetPassword sets the password of the account that password reset link
// token belongs to, and returns the account. The password follows the rules
// of a new user's. The link is used up; every other outstanding link of the
// account stops working, and all of the account's web sessions and API
// tokens end. Errors: those of CheckPasswordReset; EINVALID (field
// "password") for a password that breaks the rules, checked after the link;
// database faults.
func (s *Service) ResetPassword(ctx context.Context, token, newPassword string) (*ticket.User, error) {
	var u *ticket.User
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		_, u, err = resetByToken(ctx, tx, token, s.now().UTC())
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := validNewPassword(u, newPassword); err != nil {
		return nil, err
	}
	// Hashing is slow: outside the write transaction.
	hash, err := auth.HashPasswordWith(newPassword, s.pw)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		r, user, err := resetByToken(ctx, tx, token, now) // again: it may have been used meanwhile
		if err != nil {
			return err
		}
		u = user
		if err := tx.UsePasswordReset(ctx, r, hash, now); err != nil {
			if ticket.ErrorCode(err) == ticket.ECONFLICT {
				return resetRefused(ResetLinkUsed)
			}
			return err
		}
		if _, err := tx.DropStaleResetMails(ctx, now); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, now, u.ID, "password.reset", 0, u.Email)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// validNewPassword checks pw by the rules for a new user's password (and
// that there is one).
func validNewPassword(u *ticket.User, pw string) error {
	v := ticket.Validation{}
	if pw == "" {
		v.Add("password", "problem.empty")
	}
	nu := NewUser{Email: u.Email, Name: u.Name, Role: u.Role, Language: u.Language, Password: pw}
	if p, ok := ticket.ErrorProblems(nu.validate())["password"]; ok {
		v.Add("password", p.Reason, p.Args...)
	}
	return v.Err()
}

// resetByToken returns the usable password reset of token at now and its
// account, or the error saying why the link is refused.
func resetByToken(ctx context.Context, tx *store.Tx, token string, now time.Time) (*store.PasswordReset, *ticket.User, error) {
	if !auth.LooksLikeToken(token) {
		return nil, nil, resetRefused(ResetLinkUnknown)
	}
	r, err := tx.PasswordResetByHash(ctx, auth.HashToken(token))
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		return nil, nil, resetRefused(ResetLinkUnknown)
	} else if err != nil {
		return nil, nil, err
	}
	u, err := tx.UserByID(ctx, r.UserID)
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		return nil, nil, resetRefused(ResetLinkUnknown)
	} else if err != nil {
		return nil, nil, err
	}
	switch {
	case u.Disabled || u.Service():
		return nil, nil, resetRefused(ResetLinkUnknown)
	case u.AuthSource.External():
		return nil, nil, resetRefused(ResetLinkExternal)
	case r.UsedAt != nil:
		return nil, nil, resetRefused(ResetLinkUsed)
	case r.RevokedAt != nil:
		return nil, nil, resetRefused(ResetLinkRevoked)
	case !now.Before(r.ExpiresAt):
		return nil, nil, resetRefused(ResetLinkExpired)
	}
	return r, u, nil
}

// resetRefused is the error for a link refused for reason.
func resetRefused(reason string) error {
	switch reason {
	case ResetLinkUnknown:
		return ticket.E(ticket.ENOTFOUND, "err.reset_link.unknown").Field("token", "problem.reset_link.unknown")
	case ResetLinkUsed:
		return ticket.E(ticket.ECONFLICT, "err.reset_link.used").Field("token", "problem.reset_link.used")
	case ResetLinkRevoked:
		return ticket.E(ticket.ECONFLICT, "err.reset_link.revoked").Field("token", "problem.reset_link.revoked")
	case ResetLinkExternal:
		return ticket.E(ticket.ECONFLICT, "err.reset_link.external").Field("token", "problem.external_account")
	}
	return ticket.E(ticket.ECONFLICT, "err.reset_link.expired").Field("token", "problem.reset_link.expired")
}

// ResetRefusal returns why err refuses a password reset link
// (ResetLinkUnknown …), or "" when err is about something else.
func ResetRefusal(err error) string {
	switch ticket.ErrorReason(err) {
	case "err.reset_link.unknown":
		return ResetLinkUnknown
	case "err.reset_link.used":
		return ResetLinkUsed
	case "err.reset_link.revoked":
		return ResetLinkRevoked
	case "err.reset_link.expired":
		return ResetLinkExpired
	case "err.reset_link.external":
		return ResetLinkExternal
	}
	return ""
}

// loadResetMail loads password reset mail n for sending at now, or says
// why it is not to be sent: the link must still be usable when the mail
// goes out, to an account that still exists and is enabled.
func (s *Service) loadResetMail(ctx context.Context, tx *store.Tx, n *store.Notification, now time.Time) (*OutMail, string, error) {
	if n.Event != NotifyPasswordReset || n.ResetID == 0 {
		return nil, "unknown kind of account mail " + n.Event, nil
	}
	r, err := tx.PasswordResetByID(ctx, n.ResetID)
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		return nil, "the password reset no longer exists", nil
	} else if err != nil {
		return nil, "", err
	}
	switch {
	case r.UsedAt != nil:
		return nil, "the link was used before the mail was sent", nil
	case r.RevokedAt != nil:
		return nil, "the password was set with another link before the mail was sent", nil
	case !now.Before(r.ExpiresAt):
		return nil, "the link expired before the mail could be sent", nil
	}
	u, err := tx.UserByID(ctx, n.RecipientID)
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		return nil, "the account no longer exists", nil
	} else if err != nil {
		return nil, "", err
	}
	if u.Disabled {
		return nil, "the account is disabled", nil
	}
	if u.ID != r.UserID {
		return nil, "the recipient does not own the link", nil
	}
	token, err := tx.NotificationSecret(ctx, n.ID)
	if err != nil {
		return nil, "", err
	}
	if token == "" {
		return nil, "the link is no longer stored", nil
	}
	lang := r.Lang
	if lang == "" {
		lang = u.Language
	}
	return &OutMail{ID: n.ID, Event: n.Event, MessageID: n.MessageID, CreatedAt: n.CreatedAt, Recipient: u,
		Staff: u.Role.Staff(), Reset: &ResetMail{Token: token, Expires: r.ExpiresAt, Lang: lang}}, "", nil
}

// accountMessageID makes a new, globally unique Message-ID for account
// mail.
func (s *Service) accountMessageID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return "servus.account." + hex.EncodeToString(b) + "@" + s.mailDomain
}
