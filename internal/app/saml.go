package app

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/config"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/saml"
	"github.com/servus-desk/servus/internal/ticket"
)

// newSAML builds servus's SAML service provider from cfg: it reads the
// identity provider's metadata (from its URL or file) and servus's key and
// certificate; nil without --saml-idp-metadata. Any of them unreadable
// stops servus from starting, with an error naming the flag.
func newSAML(ctx context.Context, cfg config.SAML, baseURL string) (*saml.SP, error) {
	if cfg.IdPMetadata == "" {
		return nil, nil
	}
	md, err := saml.ReadMetadata(ctx, cfg.IdPMetadata)
	if err != nil {
		return nil, fmt.Errorf("--saml-idp-metadata: %w", err)
	}
	key, cert, err := saml.ReadKeyPair(cfg.KeyFile, cfg.CertFile)
	if err != nil {
		return nil, fmt.Errorf("--saml-key, --saml-cert: %w", err)
	}
	sp, err := saml.New(saml.Config{IdPMetadata: md, IdPEntityID: cfg.IdPEntityID, Key: key, Certificate: cert,
		BaseURL: baseURL, EntityID: cfg.EntityID, IDAttr: cfg.IDAttr, MailAttr: cfg.MailAttr, NameAttr: cfg.NameAttr,
		GroupAttr: cfg.GroupAttr, LangAttr: cfg.LangAttr, InstituteAttr: cfg.InstituteAttr})
	if err != nil {
		return nil, fmt.Errorf("--saml-idp-metadata: %w", err)
	}
	return sp, nil
}

// samlRules are the group rules of the --saml-group lines.
func samlRules(cfg config.SAML) []desk.GroupRule {
	var rules []desk.GroupRule
	for _, g := range cfg.Groups {
		rules = append(rules, desk.GroupRule{Group: g.Group, Role: ticket.Role(g.Role), Queues: g.Queues, Source: ticket.SourceSAML})
	}
	return rules
}

// checkSAMLQueues logs the queues the SAML group mapping names that servus
// does not have (sign-ins skip them; nothing is created).
func checkSAMLQueues(ctx context.Context, svc *desk.Service, cfg config.SAML, log *slog.Logger) {
	if len(cfg.Groups) == 0 {
		return
	}
	qs, err := svc.Queues(ctx, access.System)
	if err != nil {
		log.Warn("saml: cannot check the queues of the group mapping", "err", err)
		return
	}
	have := map[string]bool{}
	for _, q := range qs {
		have[q.Name] = true
	}
	for _, g := range cfg.Groups {
		for _, q := range g.Queues {
			if !have[q] {
				log.Warn("saml: the group mapping names a queue servus does not have; sign-ins skip it", "value", g.Group, "queue", q)
			}
		}
	}
}
