package desk

import (
	"context"
	"time"

	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// Reasons of refused SAML sign-ins (catalog keys).
const (
	// ReasonSAMLRefused: the identity provider's answer was not accepted
	// (unsigned, tampered with, expired, for another audience, replayed,
	// or answering no request servus is waiting for).
	ReasonSAMLRefused = "err.signin.saml_refused"
	// ReasonSAMLIncomplete: the answer lacks the ID or the mail address.
	ReasonSAMLIncomplete = "err.signin.saml_incomplete"
)

// SAMLRequestTTL is how long servus waits for the answer to an
// authentication request (the person signs in at the IdP meanwhile).
const SAMLRequestTTL = 15 * time.Minute

// StartSAMLSignIn records the authentication request id servus is sending
// to the identity provider, with the local path next to go to afterwards;
// it stays open for SAMLRequestTTL.
func (s *Service) StartSAMLSignIn(ctx context.Context, id, next string) error {
	now := s.now().UTC()
	return s.db.Write(ctx, func(tx *store.Tx) error {
		return tx.InsertSAMLRequest(ctx, id, clip(next, 2000), now, now.Add(SAMLRequestTTL))
	})
}

// OpenSAMLRequest returns where the person of the open request id wanted
// to go. ENOTFOUND when servus is not waiting for an answer to id.
func (s *Service) OpenSAMLRequest(ctx context.Context, id string) (string, error) {
	var next string
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		next, err = tx.OpenSAMLRequest(ctx, id, s.now().UTC())
		return err
	})
	return next, err
}

// CloseSAMLRequest ends the open request id, once it has its answer.
// ECONFLICT (ReasonSAMLRefused) when it is no longer open: another answer
// to it came first.
func (s *Service) CloseSAMLRequest(ctx context.Context, id string) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		ok, err := tx.CloseSAMLRequest(ctx, id, s.now().UTC())
		if err == nil && !ok {
			err = ticket.E(ticket.ECONFLICT, ReasonSAMLRefused)
		}
		return err
	})
}

// UseSAMLAssertion records that the assertion id signed someone in (it
// would be valid until expires) and returns ECONFLICT (ReasonSAMLRefused)
// when it did before, on any instance.
func (s *Service) UseSAMLAssertion(ctx context.Context, id string, expires time.Time) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		ok, err := tx.UseSAMLAssertion(ctx, id, s.now().UTC(), expires.UTC())
		if err == nil && !ok {
			err = ticket.E(ticket.ECONFLICT, ReasonSAMLRefused)
		}
		return err
	})
}

// SAMLSignInRefused writes the audit row session.refused for a SAML
// answer servus did not accept: who is whom it named (or the IdP), cause
// says why (for the admin).
func (s *Service) SAMLSignInRefused(ctx context.Context, who string, cause error) error {
	return s.db.Write(context.WithoutCancel(ctx), func(tx *store.Tx) error {
		return tx.InsertAudit(ctx, s.now().UTC(), 0, "session.refused",
			0, "saml: "+clip(ticket.CleanLine(who), 254)+": "+clip(ticket.CleanLine(cause.Error()), 700))
	})
}
