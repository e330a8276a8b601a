package app

import (
	"fmt"

	"github.com/servus-desk/servus/internal/config"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/openid"
	"github.com/servus-desk/servus/internal/ticket"
)

// newOpenID builds the OpenID Connect relying party of cfg and the group
// rules of its mapping; nil without --oidc-issuer. It does not talk to the
// provider: a provider that is down at start only keeps its own sign-ins
// from working.
func newOpenID(cfg config.OIDC) (*openid.RP, []desk.GroupRule, error) {
	if cfg.Issuer == "" {
		return nil, nil, nil
	}
	rp, err := openid.New(openid.Config{Issuer: cfg.Issuer, ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, Scopes: cfg.Scopes,
		NameClaim: cfg.NameClaim, EmailClaim: cfg.EmailClaim, LanguageClaim: cfg.LanguageClaim, InstituteClaim: cfg.InstituteClaim,
		GroupsClaim: cfg.GroupsClaim, Timeout: cfg.Timeout})
	if err != nil {
		return nil, nil, err
	}
	return rp, groupRules(cfg.Groups, ticket.SourceOIDC), nil
}

// describeOpenID names the provider people sign in with: issuer, client
// and how many group mappings (never the secret); "" without one.
func describeOpenID(o config.OIDC) string {
	if o.Issuer == "" {
		return ""
	}
	return o.Issuer + " as " + o.ClientID + fmt.Sprintf(" (%d group mappings)", len(o.Groups))
}
