package config

import (
	"flag"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// OIDC holds the settings of signing in with an OpenID Connect provider.
// With Issuer empty there is no "Sign in with …" button.
type OIDC struct {
	Issuer         string // the provider's issuer URL; its discovery document is at Issuer/.well-known/openid-configuration
	ClientID       string
	ClientSecret   string
	Name           string   // the button says "Sign in with " + Name
	Scopes         []string // asked for besides "openid"
	NameClaim      string
	EmailClaim     string
	LanguageClaim  string
	InstituteClaim string // empty: none
	GroupsClaim    string
	Timeout        time.Duration // each request to the provider
	Groups         GroupMappings // --oidc-group: groups as the claim's values
}

// OIDC defaults.
const (
	DefaultOIDCName          = "OpenID Connect"
	DefaultOIDCScopes        = "openid profile email"
	DefaultOIDCNameClaim     = "name"
	DefaultOIDCEmailClaim    = "email"
	DefaultOIDCLanguageClaim = "locale"
	DefaultOIDCGroupsClaim   = "groups"
)

// scopes is the flag.Value of --oidc-scopes: space- or comma-separated.
type scopes []string

func (s *scopes) String() string { return strings.Join(*s, " ") }

func (s *scopes) Set(v string) error {
	*s = strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' || r == '\n' })
	return nil
}

// OIDCFlags registers the OpenID Connect flags of servus serve.
func (c *Config) OIDCFlags(fs *flag.FlagSet) {
	o := &c.OIDC
	if o.Timeout == 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Scopes == nil {
		o.Scopes = strings.Fields(DefaultOIDCScopes)
	}
	fs.StringVar(&o.Issuer, "oidc-issuer", o.Issuer, "sign in with the OpenID Connect provider of this issuer `URL` besides local passwords (e.g. https://login.uni.example/realms/uni)")
	fs.StringVar(&o.ClientID, "oidc-client-id", o.ClientID, "servus's client `ID` at the provider")
	fs.StringVar(&o.ClientSecret, "oidc-client-secret", o.ClientSecret, "servus's client `secret` at the provider (better from SERVUS_OIDC_CLIENT_SECRET or the config file than on the command line)")
	fs.StringVar(&o.Name, "oidc-name", o.Name, "the provider's `name` on the sign-in button, \"Sign in with NAME\" (default \""+DefaultOIDCName+"\")")
	fs.Var((*scopes)(&o.Scopes), "oidc-scopes", "`scopes` asked for, space- or comma-separated (openid is always asked for)")
	fs.StringVar(&o.NameClaim, "oidc-name-claim", o.NameClaim, "`claim` with the display name (default name, then given_name and family_name)")
	fs.StringVar(&o.EmailClaim, "oidc-email-claim", o.EmailClaim, "`claim` with the mail address, which the provider must mark verified (email_verified) (default email)")
	fs.StringVar(&o.LanguageClaim, "oidc-language-claim", o.LanguageClaim, "`claim` with the preferred language, de… or en… (default locale)")
	fs.StringVar(&o.InstituteClaim, "oidc-institute-claim", o.InstituteClaim, "`claim` naming the person's institute; empty: none")
	fs.StringVar(&o.GroupsClaim, "oidc-groups-claim", o.GroupsClaim, "`claim` with the person's groups, a list of strings (default groups)")
	fs.Var((*duration)(&o.Timeout), "oidc-timeout", "`duration` to wait for each answer of the provider")
	fs.Var(&groupFlag{list: &o.Groups, what: "a group", example: "zid-servicedesk"}, "oidc-group", "map a value of the groups claim to a role and queues: \"`GROUP -> role=agent; queues=Network, Mail`\"; repeat the flag (or the line in the config file) for each group")
}

// ValidateOIDC checks the OpenID Connect settings; errors name the flag.
func (c *Config) ValidateOIDC() error {
	o := c.OIDC
	if o.Issuer == "" {
		if o.ClientID != "" || len(o.Groups) > 0 {
			return fmt.Errorf("--oidc-issuer: needed for --oidc-client-id and --oidc-group")
		}
		return nil
	}
	u, err := url.Parse(o.Issuer)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("--oidc-issuer: want the provider's issuer URL, https://host/path without query, not %q", o.Issuer)
	}
	if o.ClientID == "" {
		return fmt.Errorf("--oidc-client-id: needed with --oidc-issuer")
	}
	if o.ClientSecret == "" {
		return fmt.Errorf("--oidc-client-secret: needed with --oidc-issuer (SERVUS_OIDC_CLIENT_SECRET or the config file)")
	}
	if o.Timeout <= 0 {
		return fmt.Errorf("--oidc-timeout: must be positive, e.g. 10s")
	}
	if len(o.Name) > 60 {
		return fmt.Errorf("--oidc-name: at most 60 characters, e.g. \"Uni Login\"")
	}
	return nil
}
