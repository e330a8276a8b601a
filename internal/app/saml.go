package app

import (
	"context"
	"fmt"

	"github.com/servus-desk/servus/internal/config"
	"github.com/servus-desk/servus/internal/saml"
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
