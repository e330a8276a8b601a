package desk

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/openid"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// OpenIDProvider is the OpenID Connect provider people sign in with
// (*openid.RP).
type OpenIDProvider interface {
	Start(ctx context.Context, redirectURL string) (*openid.Started, error)
	Finish(ctx context.Context, redirectURL, code, verifier, nonce string) (*openid.Person, error)
	EndSessionURL(ctx context.Context, postLogout string) string
}

// OpenIDSignInTTL is how long a person has at the provider between
// BeginOpenID and FinishOpenID.
const OpenIDSignInTTL = 10 * time.Minute

// Reasons of OpenID Connect sign-ins that did not succeed.
const (
	ReasonOpenIDDown      = "err.signin.oidc_down"      // the provider cannot be reached
	ReasonOpenIDState     = "err.signin.oidc_state"     // no such sign-in under way: never begun here, used, expired
	ReasonOpenIDRefused   = "err.signin.oidc_refused"   // the provider's answer failed verification
	ReasonOpenIDEmail     = "err.signin.oidc_email"     // no verified mail address
	ReasonOpenIDCancelled = "err.signin.oidc_cancelled" // the provider sent an error (the person cancelled, …)
	ReasonOpenIDDisabled  = "err.signin.oidc_disabled"  // the account is disabled
)

// OpenID reports whether people may sign in with an OpenID Connect
// provider.
func (s *Service) OpenID() bool { return s.oidc != nil }

// BeginOpenID starts a sign-in with the provider that comes back to
// redirectURL: it keeps the sign-in's secrets in the database for
// OpenIDSignInTTL (so any instance can finish it; expired ones are swept
// here) and returns the provider's URL to send the browser to and the
// sign-in's state, which the browser must bring back. next is the local
// path to go to afterwards. Errors: ECONFLICT without a provider;
// EINTERNAL with ReasonOpenIDDown (cause wrapped) when the provider
// cannot be reached.
func (s *Service) BeginOpenID(ctx context.Context, redirectURL, next string) (authURL, state string, err error) {
	if s.oidc == nil {
		return "", "", ticket.E(ticket.ECONFLICT, "err.signin.oidc_none")
	}
	st, err := s.oidc.Start(ctx, redirectURL)
	if err != nil {
		return "", "", fmt.Errorf("%w: %w", ticket.E(ticket.EINTERNAL, ReasonOpenIDDown), err)
	}
	now := s.now().UTC()
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.DeleteExpiredOIDCSignIns(ctx, now); err != nil {
			return err
		}
		return tx.InsertOIDCSignIn(ctx, &store.OIDCSignIn{State: st.State, Nonce: st.Nonce, Verifier: st.Verifier, Next: next,
			CreatedAt: now, ExpiresAt: now.Add(OpenIDSignInTTL)})
	})
	if err != nil {
		return "", "", err
	}
	return st.URL, st.State, nil
}

// takeOpenID takes the sign-in under way with state, once.
func (s *Service) takeOpenID(ctx context.Context, state string) (*store.OIDCSignIn, error) {
	var in *store.OIDCSignIn
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		in, err = tx.TakeOIDCSignIn(ctx, state, s.now().UTC())
		return err
	})
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		return nil, ticket.E(ticket.EINVALID, ReasonOpenIDState)
	}
	return in, err
}

// FinishOpenID finishes the sign-in with state (taking it: a state is
// good once) with the provider's code: the provider's ID token must be
// valid for servus (see openid.RP.Finish) and vouch for a verified mail
// address; then the account of issuer and subject is made or brought up
// to date like any outside account (SignInExternal, with the OpenID group
// rules). It returns the person and the local path to go to. Errors, each
// with its reason: EINVALID ReasonOpenIDState (not logged in the audit:
// anyone can send a made-up state); EINTERNAL ReasonOpenIDDown;
// EFORBIDDEN ReasonOpenIDRefused, ReasonOpenIDEmail, ReasonOpenIDDisabled
// (each written to the audit log as session.refused with the cause); and
// SignInExternal's refusals.
func (s *Service) FinishOpenID(ctx context.Context, redirectURL, state, code string) (access.Actor, string, error) {
	if s.oidc == nil {
		return access.Actor{}, "", ticket.E(ticket.ECONFLICT, "err.signin.oidc_none")
	}
	in, err := s.takeOpenID(ctx, state)
	if err != nil {
		return access.Actor{}, "", err
	}
	p, err := s.oidc.Finish(ctx, redirectURL, code, in.Verifier, in.Nonce)
	var refusal *openid.Refusal
	switch {
	case err == nil:
	case errors.As(err, &refusal):
		reason := ReasonOpenIDRefused
		if refusal.Kind == openid.RefusedEmail {
			reason = ReasonOpenIDEmail
		}
		return access.Actor{}, "", s.refuseOpenID(ctx, reason, "OpenID Connect", err)
	default:
		return access.Actor{}, "", fmt.Errorf("%w: %w", ticket.E(ticket.EINTERNAL, ReasonOpenIDDown), err)
	}
	a, err := s.SignInExternal(ctx, ExternalAccount{Source: ticket.SourceOIDC, ID: p.ID, Email: p.Email, Name: p.Name,
		Language: p.Language, Institute: p.Institute, Groups: p.Groups})
	switch ticket.ErrorCode(err) {
	case "":
		return a, in.Next, nil
	case ticket.EUNAUTHORIZED:
		return access.Actor{}, "", s.refuseOpenID(ctx, ReasonOpenIDDisabled, p.Email, errors.New("the account is disabled"))
	case ticket.EINVALID:
		return access.Actor{}, "", s.refuseOpenID(ctx, ReasonOpenIDEmail, p.Subject, fmt.Errorf("the provider's mail address %q is not valid", p.Email))
	}
	return access.Actor{}, "", err
}

// CancelOpenID takes the sign-in with state when the provider came back
// with an error instead of a code (the person cancelled, or the provider
// refused servus): EINVALID with ReasonOpenIDCancelled, or
// ReasonOpenIDState for a state that is not under way.
func (s *Service) CancelOpenID(ctx context.Context, state string) error {
	if s.oidc == nil {
		return ticket.E(ticket.ECONFLICT, "err.signin.oidc_none")
	}
	if _, err := s.takeOpenID(ctx, state); err != nil {
		return err
	}
	return ticket.E(ticket.EINVALID, ReasonOpenIDCancelled)
}

// OpenIDLogoutURL returns where to send someone who signed out of servus
// to end their session at the provider too (post_logout_redirect_uri
// postLogout), or "" when the provider has no end_session_endpoint, or
// the account does not sign in with it.
func (s *Service) OpenIDLogoutURL(ctx context.Context, a access.Actor, postLogout string) (string, error) {
	if s.oidc == nil || a.UserID == 0 {
		return "", nil
	}
	var src ticket.AuthSource
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByID(ctx, a.UserID)
		if err != nil {
			return err
		}
		src = u.AuthSource
		return nil
	})
	if err != nil || src != ticket.SourceOIDC {
		return "", err
	}
	return s.oidc.EndSessionURL(ctx, postLogout), nil
}

// refuseOpenID writes session.refused (who: cause) and returns the
// refusal with reason, the cause wrapped for the log.
func (s *Service) refuseOpenID(ctx context.Context, reason, who string, cause error) error {
	err := s.db.Write(context.WithoutCancel(ctx), func(tx *store.Tx) error {
		return tx.InsertAudit(ctx, s.now().UTC(), 0, "session.refused", 0,
			clip(ticket.CleanLine(who), 254)+": "+clip(ticket.CleanLine(cause.Error()), 700))
	})
	if err != nil {
		return err
	}
	return fmt.Errorf("%w: %w", ticket.E(ticket.EFORBIDDEN, reason), cause)
}
