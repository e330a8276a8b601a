// Package directory asks an LDAP directory who a person is: it finds the
// person's entry with a service bind, checks their password by binding as
// them, and reads their name, mail, language, institute and the groups
// servus maps to roles and queues. It also lists everyone in the directory
// for the periodic sync that disables people who left. It imports no other
// servus package.
package directory

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-ldap/ldap/v3"
)

// Errors of Authenticate and People. A caller tells them apart with
// errors.Is; the wrapped detail is for the log, never for the person.
var (
	// ErrInvalidCredentials: no entry for the login name, or a wrong
	// password (the two are not told apart).
	ErrInvalidCredentials = errors.New("directory: invalid credentials")
	// ErrUnavailable: the directory cannot be reached, refused the
	// service bind, or failed otherwise.
	ErrUnavailable = errors.New("directory: unavailable")
	// ErrAmbiguous: the login name or the entry's mail address matches
	// more than one entry.
	ErrAmbiguous = errors.New("directory: more than one entry")
	// ErrIncomplete: the entry lacks an attribute servus needs (its mail
	// address or its ID).
	ErrIncomplete = errors.New("directory: entry incomplete")
)

// Config says how to reach the directory and read its entries.
type Config struct {
	URL          string // ldap://host:389 (StartTLS is required) or ldaps://host:636
	BaseDN       string // where people (and groups) are searched
	BindDN       string // the service account servus searches with; empty: anonymous
	BindPassword string
	// UserFilter finds a person's entry; {login} stands for the typed name
	// (escaped). Default DefaultUserFilter.
	UserFilter string
	// GroupFilter finds the groups a person is in under GroupBaseDN
	// (default BaseDN); {dn} stands for the person's DN and {uid} for
	// their uid (both escaped). Default DefaultGroupFilter. The entry's
	// memberOf attribute counts too, where the directory keeps one.
	GroupFilter string
	GroupBaseDN string
	// Attributes; defaults in DefaultAttributes.
	IDAttr, UIDAttr, NameAttr, MailAttr, LangAttr, InstituteAttr string
	// Groups are the group DNs the caller cares about (those its mapping
	// names); Person.Groups lists the ones the person is in, as written
	// here. DNs compare as DNs (case and spacing do not matter).
	Groups  []string
	CAFile  string        // PEM file of the CA to trust; empty: the system's
	Timeout time.Duration // for connecting and each request; default 10s
	// InsecureSkipVerify is for tests against a server with a
	// self-signed certificate only; no flag sets it.
	InsecureSkipVerify bool
}

// Defaults.
const (
	DefaultUserFilter  = "(&(objectClass=inetOrgPerson)(|(uid={login})(mail={login})))"
	DefaultGroupFilter = "(|(member={dn})(uniqueMember={dn})(memberUid={uid}))"
	DefaultTimeout     = 10 * time.Second
)

// DefaultAttributes are the attribute names of Config's zero values:
// entryUUID, uid, displayName (cn when empty), mail, preferredLanguage, and
// no institute attribute.
var DefaultAttributes = [...]string{"entryUUID", "uid", "displayName", "mail", "preferredLanguage"}

// Person is a directory entry as servus uses it.
type Person struct {
	ID        string // stable ID (entryUUID by default), hex when not text
	DN        string
	UID       string
	Email     string // lowercased
	Name      string
	Language  string // "de", "en" or "" for anything else
	Institute string // the institute attribute's value, if configured
	Groups    []string
}

// Directory is a configured LDAP directory. It holds no connection: each
// call dials its own, so a directory that restarts costs nothing.
type Directory struct {
	cfg    Config
	u      *url.URL
	tls    *tls.Config
	groups []*ldap.DN
}

// New checks cfg and returns its Directory. Errors name the setting.
func New(cfg Config) (*Directory, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "ldap" && u.Scheme != "ldaps") || u.Hostname() == "" {
		return nil, fmt.Errorf("--ldap-url: want ldap://host:389 (with StartTLS) or ldaps://host:636, not %q", cfg.URL)
	}
	if strings.TrimSpace(cfg.BaseDN) == "" {
		return nil, fmt.Errorf("--ldap-base-dn: needed with --ldap-url, e.g. dc=uni,dc=example")
	}
	if _, err := ldap.ParseDN(cfg.BaseDN); err != nil {
		return nil, fmt.Errorf("--ldap-base-dn: %q is not a DN: %v", cfg.BaseDN, err)
	}
	if cfg.UserFilter == "" {
		cfg.UserFilter = DefaultUserFilter
	}
	if !strings.Contains(cfg.UserFilter, "{login}") {
		return nil, fmt.Errorf("--ldap-user-filter: must contain {login}, e.g. %s", DefaultUserFilter)
	}
	if _, err := ldap.CompileFilter(strings.ReplaceAll(cfg.UserFilter, "{login}", "x")); err != nil {
		return nil, fmt.Errorf("--ldap-user-filter: %v", err)
	}
	if cfg.GroupFilter == "" {
		cfg.GroupFilter = DefaultGroupFilter
	}
	if _, err := ldap.CompileFilter(strings.NewReplacer("{dn}", "x", "{uid}", "x").Replace(cfg.GroupFilter)); err != nil {
		return nil, fmt.Errorf("--ldap-group-filter: %v", err)
	}
	if cfg.GroupBaseDN == "" {
		cfg.GroupBaseDN = cfg.BaseDN
	}
	for i, p := range []*string{&cfg.IDAttr, &cfg.UIDAttr, &cfg.NameAttr, &cfg.MailAttr, &cfg.LangAttr} {
		if *p == "" {
			*p = DefaultAttributes[i]
		}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	d := &Directory{cfg: cfg, u: u, tls: &tls.Config{ServerName: u.Hostname(), MinVersion: tls.VersionTLS12,
		InsecureSkipVerify: cfg.InsecureSkipVerify}} // #nosec G402 -- tests only, see Config
	if cfg.CAFile != "" {
		pem, err := os.ReadFile(cfg.CAFile)
		if err != nil {
			return nil, fmt.Errorf("--ldap-ca-file: %v", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--ldap-ca-file: %s holds no PEM certificate", cfg.CAFile)
		}
		d.tls.RootCAs = pool
	}
	for _, g := range cfg.Groups {
		dn, err := ldap.ParseDN(g)
		if err != nil {
			return nil, fmt.Errorf("ldap-group: %q is not a DN: %v", g, err)
		}
		d.groups = append(d.groups, dn)
	}
	return d, nil
}

// connect dials the directory (StartTLS for ldap://), binds as the
// service account and closes the connection when ctx ends.
func (d *Directory) connect(ctx context.Context) (*ldap.Conn, func(), error) {
	dialer := &net.Dialer{Timeout: d.cfg.Timeout}
	conn, err := ldap.DialURL(d.u.String(), ldap.DialWithDialer(dialer), ldap.DialWithTLSConfig(d.tls))
	if err != nil {
		return nil, nil, fmt.Errorf("%w: connect to %s: %v", ErrUnavailable, d.u.Host, err)
	}
	conn.SetTimeout(d.cfg.Timeout)
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	done := func() { stop(); conn.Close() }
	if d.u.Scheme == "ldap" {
		if err := conn.StartTLS(d.tls); err != nil {
			done()
			return nil, nil, fmt.Errorf("%w: StartTLS with %s: %v", ErrUnavailable, d.u.Host, err)
		}
	}
	if err := d.serviceBind(conn); err != nil {
		done()
		return nil, nil, err
	}
	return conn, done, nil
}

func (d *Directory) serviceBind(conn *ldap.Conn) error {
	var err error
	if d.cfg.BindDN == "" {
		err = conn.UnauthenticatedBind("")
	} else {
		err = conn.Bind(d.cfg.BindDN, d.cfg.BindPassword)
	}
	if err != nil {
		return fmt.Errorf("%w: service bind as %q: %v", ErrUnavailable, d.cfg.BindDN, err)
	}
	return nil
}

// unavailable wraps a failed request: a network error or any other
// refusal of the directory.
func unavailable(what string, err error) error {
	return fmt.Errorf("%w: %s: %v", ErrUnavailable, what, err)
}

func (d *Directory) attrs() []string {
	a := []string{"dn", d.cfg.IDAttr, d.cfg.UIDAttr, d.cfg.NameAttr, "cn", d.cfg.MailAttr, d.cfg.LangAttr, "memberOf"}
	if d.cfg.InstituteAttr != "" {
		a = append(a, d.cfg.InstituteAttr)
	}
	return a
}

// userFilter is the user filter for login, escaped (RFC 4515): "*", "(",
// ")", "\" and NUL in login match only themselves.
func (d *Directory) userFilter(login string) string {
	return strings.ReplaceAll(d.cfg.UserFilter, "{login}", ldap.EscapeFilter(login))
}

// peopleFilter matches every entry the user filter can find: {login}
// becomes a presence test.
func (d *Directory) peopleFilter() string {
	return strings.ReplaceAll(d.cfg.UserFilter, "{login}", "*")
}

// Authenticate finds the entry of login (a user name or a mail address)
// and checks password by binding as it. It returns the person with the
// configured groups they are in. Errors: ErrInvalidCredentials (unknown
// login, wrong or empty password), ErrAmbiguous (the login or the entry's
// mail matches several entries), ErrIncomplete (no mail or ID),
// ErrUnavailable (anything the directory did wrong, or ctx ended).
func (d *Directory) Authenticate(ctx context.Context, login, password string) (*Person, error) {
	login = strings.TrimSpace(login)
	if login == "" || password == "" || len(login) > 256 {
		return nil, ErrInvalidCredentials // an empty password would be an unauthenticated bind
	}
	conn, done, err := d.connect(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	res, err := conn.Search(ldap.NewSearchRequest(d.cfg.BaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases,
		2, int(d.cfg.Timeout/time.Second), false, d.userFilter(login), d.attrs(), nil))
	if err != nil && !ldap.IsErrorWithCode(err, ldap.LDAPResultSizeLimitExceeded) {
		return nil, unavailable("search "+login, err)
	}
	switch {
	case res == nil || len(res.Entries) == 0:
		return nil, ErrInvalidCredentials
	case len(res.Entries) > 1:
		return nil, fmt.Errorf("%w: %q matches %s and %s", ErrAmbiguous, login, res.Entries[0].DN, res.Entries[1].DN)
	}
	e := res.Entries[0]
	if err := conn.Bind(e.DN, password); err != nil {
		if ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials) {
			return nil, ErrInvalidCredentials
		}
		return nil, unavailable("bind as "+e.DN, err)
	}
	// Back to the service account: the person may not read groups.
	if err := d.serviceBind(conn); err != nil {
		return nil, err
	}
	p, err := d.person(e)
	if err != nil {
		return nil, err
	}
	// The mail address names the account in servus: it must be one
	// person's.
	dup, err := conn.Search(ldap.NewSearchRequest(d.cfg.BaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases,
		2, int(d.cfg.Timeout/time.Second), false,
		"(&"+d.peopleFilter()+"("+d.cfg.MailAttr+"="+ldap.EscapeFilter(p.Email)+"))", []string{"dn"}, nil))
	if err != nil && !ldap.IsErrorWithCode(err, ldap.LDAPResultSizeLimitExceeded) {
		return nil, unavailable("search mail "+p.Email, err)
	}
	if dup != nil && len(dup.Entries) > 1 {
		return nil, fmt.Errorf("%w: mail %s is on %s and %s", ErrAmbiguous, p.Email, dup.Entries[0].DN, dup.Entries[1].DN)
	}
	if err := d.memberships(conn, e, p); err != nil {
		return nil, err
	}
	return p, nil
}

// person reads an entry's attributes.
func (d *Directory) person(e *ldap.Entry) (*Person, error) {
	p := &Person{DN: e.DN, UID: e.GetAttributeValue(d.cfg.UIDAttr),
		Email: strings.ToLower(strings.TrimSpace(e.GetAttributeValue(d.cfg.MailAttr))),
		Name:  strings.TrimSpace(e.GetAttributeValue(d.cfg.NameAttr))}
	if raw := e.GetRawAttributeValue(d.cfg.IDAttr); len(raw) > 0 {
		p.ID = idString(raw)
	}
	if p.Name == "" {
		p.Name = strings.TrimSpace(e.GetAttributeValue("cn"))
	}
	if p.Name == "" {
		p.Name = p.UID
	}
	lang := strings.ToLower(e.GetAttributeValue(d.cfg.LangAttr))
	if len(lang) >= 2 && (lang[:2] == "de" || lang[:2] == "en") && (len(lang) == 2 || lang[2] == '-' || lang[2] == '_' || lang[2] == ';' || lang[2] == ',') {
		p.Language = lang[:2]
	}
	if d.cfg.InstituteAttr != "" {
		p.Institute = strings.TrimSpace(e.GetAttributeValue(d.cfg.InstituteAttr))
	}
	switch {
	case p.ID == "":
		return nil, fmt.Errorf("%w: %s has no %s", ErrIncomplete, e.DN, d.cfg.IDAttr)
	case p.Email == "" || !strings.Contains(p.Email, "@"):
		return nil, fmt.Errorf("%w: %s has no %s address", ErrIncomplete, e.DN, d.cfg.MailAttr)
	}
	return p, nil
}

// idString is an ID attribute as text; binary IDs (Active Directory's
// objectGUID) as hex.
func idString(raw []byte) string {
	if utf8.Valid(raw) && !strings.ContainsRune(string(raw), 0) {
		return string(raw)
	}
	return hex.EncodeToString(raw)
}

// memberships sets p.Groups to the configured groups e is in: by its
// memberOf attribute and by the group search.
func (d *Directory) memberships(conn *ldap.Conn, e *ldap.Entry, p *Person) error {
	if len(d.groups) == 0 {
		return nil
	}
	in := e.GetAttributeValues("memberOf")
	filter := strings.NewReplacer("{dn}", ldap.EscapeFilter(e.DN), "{uid}", ldap.EscapeFilter(p.UID)).Replace(d.cfg.GroupFilter)
	res, err := conn.SearchWithPaging(ldap.NewSearchRequest(d.cfg.GroupBaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases,
		0, int(d.cfg.Timeout/time.Second), false, filter, []string{"dn"}, nil), 500)
	if err != nil {
		return unavailable("search groups of "+e.DN, err)
	}
	for _, g := range res.Entries {
		in = append(in, g.DN)
	}
	for i, want := range d.groups {
		for _, s := range in {
			if dn, err := ldap.ParseDN(s); err == nil && want.EqualFold(dn) {
				p.Groups = append(p.Groups, d.cfg.Groups[i])
				break
			}
		}
	}
	return nil
}

// People returns the IDs of every entry the user filter can find (with
// a mail address), for the sync that disables people who left. Errors:
// ErrUnavailable.
func (d *Directory) People(ctx context.Context) (map[string]bool, error) {
	conn, done, err := d.connect(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	res, err := conn.SearchWithPaging(ldap.NewSearchRequest(d.cfg.BaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases,
		0, 0, false, d.peopleFilter(), []string{d.cfg.IDAttr}, nil), 500)
	if err != nil {
		return nil, unavailable("list people", err)
	}
	out := make(map[string]bool, len(res.Entries))
	for _, e := range res.Entries {
		if raw := e.GetRawAttributeValue(d.cfg.IDAttr); len(raw) > 0 {
			out[idString(raw)] = true
		}
	}
	return out, nil
}
