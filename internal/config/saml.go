package config

import (
	"flag"
	"fmt"
)

// SAML holds the settings of signing in with a SAML 2.0 identity provider
// (a Shibboleth IdP of a federation). With IdPMetadata empty, there is no
// SAML sign-in.
type SAML struct {
	IdPMetadata   string // https:// URL or file of the IdP's metadata (or a federation's aggregate)
	IdPEntityID   string // the IdP's entity ID in an aggregate; empty: the metadata holds one IdP
	KeyFile       string // PEM file of the SP's private key
	CertFile      string // PEM file of the SP's certificate
	EntityID      string // the SP's entity ID; empty: <base URL>/saml/metadata
	Label         string // the sign-in button's text; empty: the catalog's
	IDAttr        string // attribute names; empty: the eduPerson defaults
	MailAttr      string
	NameAttr      string
	GroupAttr     string
	LangAttr      string
	InstituteAttr string // empty: none
	// Groups map values of GroupAttr (eduPersonAffiliation: staff,
	// faculty, student, …, or group names the IdP releases).
	Groups GroupMappings
}

// SAMLFlags registers the SAML flags of servus serve.
func (c *Config) SAMLFlags(fs *flag.FlagSet) {
	s := &c.SAML
	fs.StringVar(&s.IdPMetadata, "saml-idp-metadata", s.IdPMetadata, "sign in with the SAML identity provider whose metadata is at this https:// `URL or file` (read at start)")
	fs.StringVar(&s.IdPEntityID, "saml-idp-entity-id", s.IdPEntityID, "the identity provider's `entity ID`, to choose it from a federation's metadata aggregate")
	fs.StringVar(&s.KeyFile, "saml-key", s.KeyFile, "PEM `file` of servus's SAML private key (needed with --saml-idp-metadata)")
	fs.StringVar(&s.CertFile, "saml-cert", s.CertFile, "PEM `file` of servus's SAML certificate, published in its metadata (needed with --saml-idp-metadata)")
	fs.StringVar(&s.EntityID, "saml-entity-id", s.EntityID, "servus's SAML entity `ID` (default <base URL>/saml/metadata)")
	fs.StringVar(&s.Label, "saml-label", s.Label, "`text` of the sign-in button (default \"Sign in with your university account\", in German for German)")
	fs.StringVar(&s.IDAttr, "saml-id-attr", s.IDAttr, "SAML `attribute` with the person's stable ID (default eduPersonPrincipalName, urn:oid:1.3.6.1.4.1.5923.1.1.1.6)")
	fs.StringVar(&s.MailAttr, "saml-mail-attr", s.MailAttr, "SAML `attribute` with the mail address (default mail, urn:oid:0.9.2342.19200300.100.1.3)")
	fs.StringVar(&s.NameAttr, "saml-name-attr", s.NameAttr, "SAML `attribute` with the display name (default displayName, urn:oid:2.16.840.1.113730.3.1.241; then cn)")
	fs.StringVar(&s.GroupAttr, "saml-group-attr", s.GroupAttr, "SAML `attribute` whose values the --saml-group lines map (default eduPersonAffiliation, urn:oid:1.3.6.1.4.1.5923.1.1.1.1)")
	fs.StringVar(&s.LangAttr, "saml-language-attr", s.LangAttr, "SAML `attribute` with the preferred language, de or en (default preferredLanguage, urn:oid:2.16.840.1.113730.3.1.39)")
	fs.StringVar(&s.InstituteAttr, "saml-institute-attr", s.InstituteAttr, "SAML `attribute` naming the person's institute (e.g. urn:oid:2.5.4.11, ou); empty: none")
	fs.Var(&groupFlag{list: &s.Groups, what: "a group value", example: "staff"}, "saml-group", "map a value of the group attribute to a role and queues: \"`VALUE -> role=agent; queues=Network, Mail`\"; repeat the flag (or the line in the config file) for each value")
}

// ValidateSAML checks the SAML settings; errors name the flag. Reading the
// metadata and the key happens when servus starts.
func (c *Config) ValidateSAML() error {
	s := c.SAML
	if s.IdPMetadata == "" {
		if len(s.Groups) > 0 || s.KeyFile != "" || s.CertFile != "" {
			return fmt.Errorf("--saml-idp-metadata: needed for --saml-key, --saml-cert and --saml-group")
		}
		return nil
	}
	if s.KeyFile == "" || s.CertFile == "" {
		return fmt.Errorf("--saml-key, --saml-cert: needed with --saml-idp-metadata (make them with: openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -subj /CN=servus -keyout saml.key -out saml.crt)")
	}
	return nil
}
