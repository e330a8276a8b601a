// Package saml is servus as a SAML 2.0 service provider (SP) for
// Shibboleth-style federations, on github.com/crewjam/saml: it reads the
// identity provider's (IdP's) metadata, publishes servus's own SP
// metadata, makes authentication requests (HTTP-Redirect binding) and
// verifies the IdP's answers (HTTP-POST binding): the signature (of the
// assertion, or of the response that carries it), issuer, destination,
// audience, time window and that it answers a request servus made. It
// reads the person's attributes into an Identity. It keeps no state of
// its own: which requests are open and which assertions were used are the
// caller's (the database, shared by every instance). It imports no other
// servus package.
package saml

import (
	"bytes"
	"context"
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	crewjam "github.com/crewjam/saml"
	"github.com/crewjam/saml/samlsp"
	dsig "github.com/russellhaering/goxmldsig"
)

// Default attribute names: the eduPerson and inetOrgPerson attributes as
// Shibboleth IdPs release them (urn:oid names, SAML 2.0 attribute
// profile). An attribute is also found by its FriendlyName.
const (
	AttrPrincipalName = "urn:oid:1.3.6.1.4.1.5923.1.1.1.6"  // eduPersonPrincipalName
	AttrMail          = "urn:oid:0.9.2342.19200300.100.1.3" // mail
	AttrDisplayName   = "urn:oid:2.16.840.1.113730.3.1.241" // displayName
	AttrAffiliation   = "urn:oid:1.3.6.1.4.1.5923.1.1.1.1"  // eduPersonAffiliation
	AttrLanguage      = "urn:oid:2.16.840.1.113730.3.1.39"  // preferredLanguage
	AttrCommonName    = "urn:oid:2.5.4.3"                   // cn, the name when there is no displayName
	AttrOrgUnit       = "urn:oid:2.5.4.11"                  // ou
	attrFormatURI     = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"
	maxResponseBytes  = 256 << 10 // a base64 SAMLResponse larger than this is refused unread
	metadataFetchTime = 30 * time.Second
)

// Errors of Verify, told apart with errors.Is; the wrapped detail is for
// the log and the audit log, never for the person.
var (
	// ErrRefused: the response is not one servus accepts: unsigned,
	// tampered with, expired, for another audience or destination, from
	// another issuer, not answering a request servus made, or replayed.
	ErrRefused = errors.New("saml: response refused")
	// ErrIncomplete: the assertion is valid but lacks an attribute servus
	// needs (the ID or the mail address).
	ErrIncomplete = errors.New("saml: attribute missing")
	// ErrIdPFailed: the IdP answered with an error status (the person
	// cancelled, or the IdP could not sign them in).
	ErrIdPFailed = errors.New("saml: the identity provider reported a failure")
)

// Config is the SP's setup. IdPMetadata, Key, Certificate and BaseURL are
// needed.
type Config struct {
	// IdPMetadata is the IdP's metadata (an EntityDescriptor, or a
	// federation's EntitiesDescriptor with IdPEntityID choosing one).
	IdPMetadata []byte
	IdPEntityID string
	// Key and Certificate are the SP's: they sign nothing today but are
	// published in the metadata (for encryption of assertions to servus).
	Key         crypto.Signer
	Certificate *x509.Certificate
	// BaseURL is servus's public URL; the SP's endpoints are below it:
	// /saml/metadata and /saml/acs.
	BaseURL string
	// EntityID defaults to BaseURL + "/saml/metadata".
	EntityID string
	// Attribute names (urn:oid:… or a FriendlyName); defaults above. An
	// empty InstituteAttr reads no institute.
	IDAttr, MailAttr, NameAttr, GroupAttr, LangAttr, InstituteAttr string
	// Clock is for tests; nil: the real clock.
	Clock *dsig.Clock
}

// SP is servus's service provider.
type SP struct {
	sp                                                             crewjam.ServiceProvider
	idAttr, mailAttr, nameAttr, groupAttr, langAttr, instituteAttr string
}

// Identity is the person an accepted assertion vouches for.
type Identity struct {
	ID        string // the ID attribute's value (eduPersonPrincipalName)
	Email     string
	Name      string
	Language  string // "de", "en" or ""
	Institute string
	Groups    []string // the group attribute's values (eduPersonAffiliation)
}

// New makes the SP. Errors say what is wrong with the configuration or
// the IdP's metadata.
func New(cfg Config) (*SP, error) {
	if cfg.Key == nil || cfg.Certificate == nil {
		return nil, errors.New("saml: the SP's key and certificate are needed")
	}
	base, err := url.Parse(strings.TrimSuffix(cfg.BaseURL, "/"))
	if err != nil || base.Host == "" {
		return nil, fmt.Errorf("saml: the base URL %q is not an absolute URL", cfg.BaseURL)
	}
	var idp *crewjam.EntityDescriptor
	if cfg.IdPEntityID != "" {
		idp, err = samlsp.ParseMetadataByEntityID(cfg.IdPMetadata, cfg.IdPEntityID)
	} else {
		idp, err = samlsp.ParseMetadata(cfg.IdPMetadata)
	}
	if err != nil {
		return nil, fmt.Errorf("saml: the IdP metadata cannot be read: %w", err)
	}
	if len(idp.IDPSSODescriptors) == 0 {
		return nil, fmt.Errorf("saml: the metadata of %s describes no identity provider (no IDPSSODescriptor)", idp.EntityID)
	}
	s := &SP{idAttr: or(cfg.IDAttr, AttrPrincipalName), mailAttr: or(cfg.MailAttr, AttrMail), nameAttr: or(cfg.NameAttr, AttrDisplayName),
		groupAttr: or(cfg.GroupAttr, AttrAffiliation), langAttr: or(cfg.LangAttr, AttrLanguage), instituteAttr: cfg.InstituteAttr}
	metadataURL, acsURL := *base, *base
	metadataURL.Path += "/saml/metadata"
	acsURL.Path += "/saml/acs"
	s.sp = crewjam.ServiceProvider{
		EntityID:                         cfg.EntityID,
		Key:                              cfg.Key,
		Certificate:                      cfg.Certificate,
		MetadataURL:                      metadataURL,
		AcsURL:                           acsURL,
		IDPMetadata:                      idp,
		AuthnNameIDFormat:                crewjam.UnspecifiedNameIDFormat,
		AssertionConsumerServiceBindings: []string{crewjam.HTTPPostBinding},
		RejectSHA1Signatures:             true,
		Clock:                            cfg.Clock,
	}
	if s.sp.EntityID == "" {
		s.sp.EntityID = metadataURL.String()
	}
	if s.sp.GetSSOBindingLocation(crewjam.HTTPRedirectBinding) == "" {
		return nil, fmt.Errorf("saml: the IdP %s offers no single sign-on service with the HTTP-Redirect binding", idp.EntityID)
	}
	return s, nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// EntityID is the SP's entity ID.
func (s *SP) EntityID() string { return s.sp.EntityID }

// IdPEntityID is the IdP's entity ID.
func (s *SP) IdPEntityID() string { return s.sp.IDPMetadata.EntityID }

// Metadata is the SP's metadata (an EntityDescriptor), for the IdP or
// the federation's registry.
func (s *SP) Metadata() ([]byte, error) {
	md := s.sp.Metadata()
	// The attributes servus reads, so that a federation's registry and the
	// IdP's admins know what to release.
	var wanted []crewjam.RequestedAttribute
	for _, a := range []struct {
		name     string
		required bool
	}{{s.idAttr, true}, {s.mailAttr, true}, {s.nameAttr, false}, {s.groupAttr, false}, {s.langAttr, false}, {s.instituteAttr, false}} {
		if a.name == "" {
			continue
		}
		ra := crewjam.RequestedAttribute{Attribute: crewjam.Attribute{Name: a.name}, IsRequired: &a.required}
		if strings.HasPrefix(a.name, "urn:") {
			ra.NameFormat = attrFormatURI
		}
		wanted = append(wanted, ra)
	}
	if len(md.SPSSODescriptors) == 1 {
		// Single logout is not offered: signing out of servus ends its
		// own session only.
		md.SPSSODescriptors[0].SingleLogoutServices = nil
		yes := true
		md.SPSSODescriptors[0].AttributeConsumingServices = []crewjam.AttributeConsumingService{{
			Index: 1, IsDefault: &yes,
			ServiceNames:        []crewjam.LocalizedName{{Lang: "en", Value: "servus"}},
			RequestedAttributes: wanted,
		}}
	}
	buf, err := xml.MarshalIndent(md, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), buf...), nil
}

// Start makes an authentication request and returns the IdP's URL to send
// the browser to (HTTP-Redirect binding) and the request's ID, which the
// caller keeps until the answer arrives.
func (s *SP) Start() (redirect, requestID string, err error) {
	req, err := s.sp.MakeAuthenticationRequest(s.sp.GetSSOBindingLocation(crewjam.HTTPRedirectBinding), crewjam.HTTPRedirectBinding, crewjam.HTTPPostBinding)
	if err != nil {
		return "", "", err
	}
	u, err := req.Redirect("", &s.sp)
	if err != nil {
		return "", "", err
	}
	return u.String(), req.ID, nil
}

// InResponseTo reads, without verifying anything, which request the
// posted SAMLResponse says it answers ("" when it names none or cannot be
// read), so that the caller can look the request up before Verify.
func InResponseTo(samlResponse string) string {
	if len(samlResponse) > maxResponseBytes {
		return ""
	}
	raw, err := base64.StdEncoding.DecodeString(samlResponse)
	if err != nil {
		return ""
	}
	var head struct {
		InResponseTo string `xml:"InResponseTo,attr"`
	}
	d := xml.NewDecoder(bytes.NewReader(raw))
	for {
		tok, err := d.Token()
		if err != nil {
			return ""
		}
		if el, ok := tok.(xml.StartElement); ok {
			if el.Name.Local != "Response" {
				return ""
			}
			if err := d.DecodeElement(&head, &el); err != nil {
				return ""
			}
			return head.InResponseTo
		}
	}
}

// UsedFunc records an assertion's ID as used until expires (it cannot be
// accepted after that anyway) and returns an error when it was used
// before.
type UsedFunc func(assertionID string, expires time.Time) error

type usedCache UsedFunc

func (u usedCache) Consume(id string, expires time.Time) error { return u(id, expires) }

// Verify checks the SAMLResponse posted to the ACS in r (its form parsed)
// as the answer to requestID (a request servus made and still waits for;
// "" when there is none, which refuses the response), records its
// assertion's ID with used, and reads the person from its attributes.
// The response or its assertion must be signed by the IdP (saml-profiles
// §4.1.3.5: either is the signature the HTTP-POST binding requires); the
// signature is checked against the IdP's metadata, and only what it
// covers is read. Errors wrap ErrRefused, ErrIdPFailed or ErrIncomplete
// with the reason.
func (s *SP) Verify(r *http.Request, requestID string, used UsedFunc) (*Identity, error) {
	if len(r.PostForm.Get("SAMLResponse")) > maxResponseBytes {
		return nil, fmt.Errorf("%w: the response is larger than %d bytes", ErrRefused, maxResponseBytes)
	}
	sp := s.sp
	sp.ReplayCache = usedCache(used)
	var ids []string
	if requestID != "" {
		ids = []string{requestID}
	}
	a, err := sp.ParseResponse(r, ids)
	if err != nil {
		var status crewjam.ErrBadStatus
		if errors.As(err, &status) {
			return nil, fmt.Errorf("%w: status %s", ErrIdPFailed, status.Status)
		}
		var ire *crewjam.InvalidResponseError
		if errors.As(err, &ire) && ire.PrivateErr != nil {
			err = ire.PrivateErr
		}
		if requestID == "" && errors.Is(err, crewjam.ErrRequestIDMismatch) {
			return nil, fmt.Errorf("%w: it answers no request servus is waiting for (answered before, expired, or never made): %w", ErrRefused, err)
		}
		return nil, fmt.Errorf("%w: %w", ErrRefused, err)
	}
	id := &Identity{
		ID:        s.first(a, s.idAttr),
		Email:     s.first(a, s.mailAttr),
		Name:      s.first(a, s.nameAttr),
		Language:  language(s.first(a, s.langAttr)),
		Institute: s.first(a, s.instituteAttr),
		Groups:    s.all(a, s.groupAttr),
	}
	if id.Name == "" {
		id.Name = s.first(a, AttrCommonName)
	}
	switch {
	case id.ID == "":
		return nil, fmt.Errorf("%w: the assertion of %s has no %s", ErrIncomplete, subject(a), s.idAttr)
	case id.Email == "":
		return nil, fmt.Errorf("%w: the assertion of %s has no %s", ErrIncomplete, id.ID, s.mailAttr)
	}
	return id, nil
}

func subject(a *crewjam.Assertion) string {
	if a.Subject != nil && a.Subject.NameID != nil {
		return a.Subject.NameID.Value
	}
	return "the person"
}

// language is "de" or "en" for a preferredLanguage value (RFC 4646 tags
// such as de-AT), "" for others.
func language(v string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	for _, l := range []string{"de", "en"} {
		if v == l || strings.HasPrefix(v, l+"-") || strings.HasPrefix(v, l+"_") {
			return l
		}
	}
	return ""
}

// all returns the values of the attribute named name (by Name or
// FriendlyName) in a's attribute statements.
func (s *SP) all(a *crewjam.Assertion, name string) []string {
	if name == "" {
		return nil
	}
	var out []string
	for _, st := range a.AttributeStatements {
		for _, at := range st.Attributes {
			if at.Name != name && at.FriendlyName != name {
				continue
			}
			for _, v := range at.Values {
				if v := strings.TrimSpace(v.Value); v != "" {
					out = append(out, v)
				}
			}
		}
	}
	return out
}

func (s *SP) first(a *crewjam.Assertion, name string) string {
	if v := s.all(a, name); len(v) > 0 {
		return v[0]
	}
	return ""
}

// ReadMetadata reads the IdP's metadata from an https:// URL (within 30
// seconds; http:// only from this machine, since metadata carries the keys
// servus trusts) or from a file.
func ReadMetadata(ctx context.Context, source string) ([]byte, error) {
	if u, err := url.Parse(source); err == nil && u.Scheme == "http" {
		if h := u.Hostname(); h != "localhost" && h != "127.0.0.1" && h != "::1" {
			return nil, fmt.Errorf("saml: the IdP metadata URL %s: use https:// (plain http only from this machine)", source)
		}
	}
	if !strings.HasPrefix(source, "https://") && !strings.HasPrefix(source, "http://") {
		b, err := os.ReadFile(source)
		if err != nil {
			return nil, fmt.Errorf("saml: the IdP metadata file: %w", err)
		}
		return b, nil
	}
	ctx, cancel := context.WithTimeout(ctx, metadataFetchTime)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, source, nil)
	if err != nil {
		return nil, fmt.Errorf("saml: the IdP metadata URL: %w", err)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12}, Proxy: http.ProxyFromEnvironment}}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("saml: fetching the IdP metadata: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("saml: fetching the IdP metadata from %s: %s", source, resp.Status)
	}
	// Federation aggregates (eduGAIN) are large: up to 256 MiB.
	b, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return nil, fmt.Errorf("saml: fetching the IdP metadata: %w", err)
	}
	return b, nil
}

// ReadKeyPair reads the SP's private key and certificate from PEM files.
func ReadKeyPair(keyFile, certFile string) (crypto.Signer, *x509.Certificate, error) {
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, nil, fmt.Errorf("saml: the SP's key and certificate: %w", err)
	}
	signer, ok := pair.PrivateKey.(crypto.Signer)
	if !ok {
		return nil, nil, errors.New("saml: the SP's key cannot sign")
	}
	cert, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		return nil, nil, fmt.Errorf("saml: the SP's certificate: %w", err)
	}
	return signer, cert, nil
}
