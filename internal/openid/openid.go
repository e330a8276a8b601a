// Package openid is servus's OpenID Connect relying party (a leaf): it
// sends a person to the provider with the authorisation code flow (PKCE
// S256, state, nonce), exchanges the code, verifies the ID token against
// the issuer's keys (signature, iss, aud and azp = servus's client, exp,
// nonce), reads the UserInfo endpoint and maps the claims to a Person. It
// keeps nothing between the two steps: the caller stores the Start's
// secrets (servus in its database, so any instance may finish a sign-in
// another began) and hands them back to Finish. Built on
// github.com/coreos/go-oidc/v3 and golang.org/x/oauth2.
package openid

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Config configures a relying party.
type Config struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	Scopes       []string // besides "openid"; default profile and email
	// Claim names; defaults name, email, locale, groups; no institute.
	NameClaim, EmailClaim, LanguageClaim, InstituteClaim, GroupsClaim string
	Timeout                                                           time.Duration // each request to the provider; default 10s
	Now                                                               func() time.Time
	// HTTPClient talks to the provider; default one with Timeout.
	HTTPClient *http.Client
}

// Person is who the provider vouches for.
type Person struct {
	ID        string // the issuer, "#", the subject: unique and stable
	Subject   string
	Email     string // verified by the provider
	Name      string
	Language  string // "de", "en" or ""
	Institute string
	Groups    []string
}

// ErrUnavailable is wrapped by the errors of Start and Finish when the
// provider cannot be reached or answers with a server error (the person
// is not at fault); their other errors are a *Refusal: an answer servus
// does not accept.
var ErrUnavailable = errors.New("openid: the provider cannot be reached")

// Refusal kinds.
const (
	RefusedToken   = "token"   // the ID token failed verification (signature, iss, aud, azp, exp, nonce)
	RefusedCode    = "code"    // the provider refused the code (used, expired, wrong PKCE verifier)
	RefusedEmail   = "email"   // no mail address, or one the provider does not mark verified
	RefusedSubject = "subject" // no subject, or UserInfo for another subject
)

// Refusal is an answer of the provider that servus does not accept.
type Refusal struct {
	Kind   string // one of the Refused… constants
	Detail string // for the log and the audit log
}

func (r *Refusal) Error() string { return "openid: refused (" + r.Kind + "): " + r.Detail }

// Started is a sign-in begun: send the browser to URL; keep State, Nonce
// and Verifier for Finish (State also comes back in the callback).
type Started struct {
	URL                    string
	State, Nonce, Verifier string
}

// RP is a relying party. The provider's discovery document is read at
// every Start (so a provider that is down is noticed before the person is
// sent there) and its keys are cached until they change.
type RP struct {
	cfg    Config
	client *http.Client

	mu       sync.Mutex
	provider *oidc.Provider
	meta     discovery
}

// discovery is what servus reads from the discovery document besides what
// go-oidc does.
type discovery struct {
	Issuer     string `json:"issuer"`
	Auth       string `json:"authorization_endpoint"`
	Token      string `json:"token_endpoint"`
	JWKS       string `json:"jwks_uri"`
	UserInfo   string `json:"userinfo_endpoint"`
	EndSession string `json:"end_session_endpoint"`
}

// New returns a relying party for cfg; it does not talk to the provider
// yet.
func New(cfg Config) (*RP, error) {
	if cfg.Issuer == "" || cfg.ClientID == "" {
		return nil, errors.New("openid: issuer and client ID are needed")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Scopes == nil {
		cfg.Scopes = []string{"profile", "email"}
	}
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&cfg.NameClaim, "name")
	def(&cfg.EmailClaim, "email")
	def(&cfg.LanguageClaim, "locale")
	def(&cfg.GroupsClaim, "groups")
	c := cfg.HTTPClient
	if c == nil {
		c = &http.Client{Timeout: cfg.Timeout}
	}
	return &RP{cfg: cfg, client: c}, nil
}

// Issuer returns the configured issuer URL.
func (rp *RP) Issuer() string { return rp.cfg.Issuer }

// discover reads the discovery document and returns the provider, kept
// from before while its endpoints stay the same (its key cache with it).
func (rp *RP) discover(ctx context.Context) (*oidc.Provider, discovery, error) {
	ctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, rp.client), rp.cfg.Timeout)
	defer cancel()
	p, err := oidc.NewProvider(ctx, rp.cfg.Issuer)
	if err != nil { // also a document naming another issuer: a misconfiguration the person cannot help
		return nil, discovery{}, fmt.Errorf("%w: discovery: %v", ErrUnavailable, err)
	}
	var d discovery
	if err := p.Claims(&d); err != nil {
		return nil, discovery{}, fmt.Errorf("%w: discovery: %v", ErrUnavailable, err)
	}
	rp.mu.Lock()
	defer rp.mu.Unlock()
	if rp.provider == nil || rp.meta != d {
		rp.provider, rp.meta = p, d
	}
	return rp.provider, rp.meta, nil
}

// cached returns the provider read before, or reads it (a sign-in begun
// on another instance finishes here).
func (rp *RP) cached(ctx context.Context) (*oidc.Provider, discovery, error) {
	rp.mu.Lock()
	p, d := rp.provider, rp.meta
	rp.mu.Unlock()
	if p != nil {
		return p, d, nil
	}
	return rp.discover(ctx)
}

func (rp *RP) oauth(p *oidc.Provider, redirectURL string) *oauth2.Config {
	return &oauth2.Config{ClientID: rp.cfg.ClientID, ClientSecret: rp.cfg.ClientSecret, Endpoint: p.Endpoint(),
		RedirectURL: redirectURL, Scopes: append([]string{oidc.ScopeOpenID}, without(rp.cfg.Scopes, oidc.ScopeOpenID)...)}
}

func without(list []string, s string) []string {
	return slices.DeleteFunc(slices.Clone(list), func(x string) bool { return x == s })
}

// Start begins a sign-in that comes back to redirectURL: fresh state,
// nonce and PKCE verifier, and the provider's authorisation URL with them.
// Errors wrap ErrUnavailable.
func (rp *RP) Start(ctx context.Context, redirectURL string) (*Started, error) {
	p, _, err := rp.discover(ctx)
	if err != nil {
		return nil, err
	}
	s := &Started{State: random(), Nonce: random(), Verifier: oauth2.GenerateVerifier()}
	s.URL = rp.oauth(p, redirectURL).AuthCodeURL(s.State, oauth2.S256ChallengeOption(s.Verifier), oidc.Nonce(s.Nonce))
	return s, nil
}

// EndSessionURL returns where to send a person who signed out of servus
// to sign out at the provider too (RP-initiated logout with client_id and
// post_logout_redirect_uri), or "" when the provider has no
// end_session_endpoint or cannot be reached.
func (rp *RP) EndSessionURL(ctx context.Context, postLogout string) string {
	_, d, err := rp.cached(ctx)
	if err != nil || d.EndSession == "" {
		return ""
	}
	u, err := url.Parse(d.EndSession)
	if err != nil {
		return ""
	}
	q := u.Query()
	q.Set("client_id", rp.cfg.ClientID)
	if postLogout != "" {
		q.Set("post_logout_redirect_uri", postLogout)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// Finish ends the sign-in Start began: it exchanges code (with the PKCE
// verifier) at the token endpoint, verifies the ID token and its nonce,
// reads UserInfo where the provider has it, and returns the person.
// Errors wrap ErrUnavailable, or are a *Refusal.
func (rp *RP) Finish(ctx context.Context, redirectURL, code, verifier, nonce string) (*Person, error) {
	p, d, err := rp.cached(ctx)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, rp.client), 2*rp.cfg.Timeout)
	defer cancel()
	tok, err := rp.oauth(p, redirectURL).Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode < 500 {
			return nil, &Refusal{RefusedCode, "token endpoint: " + oneLine(err.Error())}
		}
		return nil, fmt.Errorf("%w: token endpoint: %v", ErrUnavailable, err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, &Refusal{RefusedToken, "the token response has no id_token"}
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: rp.cfg.ClientID, Now: rp.cfg.Now}).Verify(ctx, raw)
	if err != nil {
		if unreachable(err) {
			return nil, fmt.Errorf("%w: keys: %v", ErrUnavailable, err)
		}
		return nil, &Refusal{RefusedToken, oneLine(err.Error())}
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return nil, &Refusal{RefusedToken, oneLine(err.Error())}
	}
	if len(idt.Audience) > 1 || claims["azp"] != nil {
		if azp, _ := claims["azp"].(string); azp != rp.cfg.ClientID {
			return nil, &Refusal{RefusedToken, fmt.Sprintf("the token is for %q (azp), not for %q", azp, rp.cfg.ClientID)}
		}
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 || nonce == "" {
		return nil, &Refusal{RefusedToken, "the token's nonce is not the one of this sign-in"}
	}
	if idt.AccessTokenHash != "" && tok.AccessToken != "" {
		if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
			return nil, &Refusal{RefusedToken, oneLine(err.Error())}
		}
	}
	if idt.Subject == "" {
		return nil, &Refusal{RefusedSubject, "the token has no subject"}
	}
	if d.UserInfo != "" && tok.AccessToken != "" {
		ui, err := p.UserInfo(ctx, oauth2.StaticTokenSource(tok))
		if err != nil {
			return nil, fmt.Errorf("%w: userinfo: %v", ErrUnavailable, err)
		}
		if ui.Subject != idt.Subject {
			return nil, &Refusal{RefusedSubject, fmt.Sprintf("UserInfo is about %q, the token about %q", ui.Subject, idt.Subject)}
		}
		more := map[string]any{}
		if err := ui.Claims(&more); err != nil {
			return nil, &Refusal{RefusedToken, "userinfo: " + oneLine(err.Error())}
		}
		for k, v := range more {
			switch k {
			case "iss", "aud", "exp", "iat", "nbf", "nonce", "azp", "sub":
			default:
				claims[k] = v
			}
		}
	}
	return rp.person(idt.Issuer, idt.Subject, claims)
}

// person maps the claims; the mail address must be marked verified.
func (rp *RP) person(issuer, subject string, claims map[string]any) (*Person, error) {
	per := &Person{ID: issuer + "#" + subject, Subject: subject}
	per.Email = str(claims[rp.cfg.EmailClaim])
	if per.Email == "" {
		return nil, &Refusal{RefusedEmail, fmt.Sprintf("%s: no %q claim", subject, rp.cfg.EmailClaim)}
	}
	if !truth(claims["email_verified"]) {
		return nil, &Refusal{RefusedEmail, fmt.Sprintf("%s: the provider does not mark %s verified (email_verified)", subject, per.Email)}
	}
	per.Name = str(claims[rp.cfg.NameClaim])
	if per.Name == "" {
		per.Name = strings.TrimSpace(str(claims["given_name"]) + " " + str(claims["family_name"]))
	}
	lang := strings.ToLower(str(claims[rp.cfg.LanguageClaim]))
	switch {
	case strings.HasPrefix(lang, "de"):
		per.Language = "de"
	case strings.HasPrefix(lang, "en"):
		per.Language = "en"
	}
	if rp.cfg.InstituteClaim != "" {
		per.Institute = str(claims[rp.cfg.InstituteClaim])
	}
	switch g := claims[rp.cfg.GroupsClaim].(type) {
	case string:
		per.Groups = []string{g}
	case []any:
		for _, v := range g {
			if s := str(v); s != "" {
				per.Groups = append(per.Groups, s)
			}
		}
	}
	return per, nil
}

// str is a claim's string value: a string, or a number as written.
func str(v any) string {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v)
	case float64, json.Number:
		return fmt.Sprint(v)
	}
	return ""
}

// truth is a boolean claim (some providers send "true").
func truth(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case string:
		return strings.EqualFold(v, "true")
	}
	return false
}

// unreachable tells a network failure (fetching the keys) from a bad
// token.
func unreachable(err error) bool {
	var ne net.Error
	var ue *url.Error
	return errors.As(err, &ne) || errors.As(err, &ue)
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 500 {
		s = s[:500] + "…"
	}
	return s
}

// random is 32 bytes from crypto/rand, base64url.
func random() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}
