package app

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/servus-desk/servus/internal/access"
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
	var rules []desk.GroupRule
	for _, g := range cfg.Groups {
		rules = append(rules, desk.GroupRule{Group: g.Group, Role: ticket.Role(g.Role), Queues: g.Queues, Source: ticket.SourceOIDC})
	}
	rp, err := openid.New(openid.Config{Issuer: cfg.Issuer, ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, Scopes: cfg.Scopes,
		NameClaim: cfg.NameClaim, EmailClaim: cfg.EmailClaim, LanguageClaim: cfg.LanguageClaim, InstituteClaim: cfg.InstituteClaim,
		GroupsClaim: cfg.GroupsClaim, Timeout: cfg.Timeout})
	if err != nil {
		return nil, nil, err
	}
	return rp, rules, nil
}

// checkOpenIDQueues logs the queues the OpenID group mapping names that
// servus does not have (sign-ins skip them; nothing is created).
func checkOpenIDQueues(ctx context.Context, svc *desk.Service, cfg config.OIDC, log *slog.Logger) {
	if len(cfg.Groups) == 0 {
		return
	}
	qs, err := svc.Queues(ctx, access.System)
	if err != nil {
		log.Warn("oidc: cannot check the queues of the group mapping", "err", err)
		return
	}
	have := map[string]bool{}
	for _, q := range qs {
		have[q.Name] = true
	}
	for _, g := range cfg.Groups {
		for _, q := range g.Queues {
			if !have[q] {
				log.Warn("oidc: the group mapping names a queue servus does not have; sign-ins skip it", "group", g.Group, "queue", q)
			}
		}
	}
}

// describeOpenID names the provider people sign in with: issuer, client
// and how many group mappings (never the secret); "" without one.
func describeOpenID(o config.OIDC) string {
	if o.Issuer == "" {
		return ""
	}
	return o.Issuer + " as " + o.ClientID + fmt.Sprintf(" (%d group mappings)", len(o.Groups))
}
