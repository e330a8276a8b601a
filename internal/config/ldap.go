package config

import (
	"flag"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// LDAP holds the settings of signing in with an LDAP directory. With URL
// empty, servus knows local passwords only.
type LDAP struct {
	URL          string // ldap://host:389 (StartTLS required) or ldaps://host:636
	BaseDN       string
	BindDN       string // the service account servus searches with
	BindPassword string
	UserFilter   string // {login} is the typed name, escaped
	GroupFilter  string // {dn} and {uid} of the person, escaped
	GroupBaseDN  string
	IDAttr       string
	UIDAttr      string
	NameAttr     string
	MailAttr     string
	LangAttr     string
	Institute    string // attribute naming the person's institute; empty: none
	CAFile       string
	Timeout      time.Duration
	SyncInterval time.Duration // how often serve disables people who left; 0: never
	Groups       GroupMappings // --ldap-group: groups by DN
}

// LDAPFlags registers the directory flags of servus serve and servus ldap
// sync.
func (c *Config) LDAPFlags(fs *flag.FlagSet) {
	l := &c.LDAP
	if l.Timeout == 0 {
		l.Timeout = 10 * time.Second
	}
	fs.StringVar(&l.URL, "ldap-url", l.URL, "sign in with this LDAP directory `URL` besides local passwords: ldap://host:389 (always with StartTLS) or ldaps://host:636")
	fs.StringVar(&l.BaseDN, "ldap-base-dn", l.BaseDN, "`DN` under which people (and groups) are searched, e.g. dc=uni,dc=example")
	fs.StringVar(&l.BindDN, "ldap-bind-dn", l.BindDN, "`DN` of the service account servus searches the directory with (empty: anonymous)")
	fs.StringVar(&l.BindPassword, "ldap-bind-password", l.BindPassword, "`password` of the service account (better from SERVUS_LDAP_BIND_PASSWORD or the config file than on the command line)")
	fs.StringVar(&l.UserFilter, "ldap-user-filter", l.UserFilter, "LDAP `filter` finding a person's entry; {login} is the typed name (escaped) (default \"(&(objectClass=inetOrgPerson)(|(uid={login})(mail={login})))\")")
	fs.StringVar(&l.GroupFilter, "ldap-group-filter", l.GroupFilter, "LDAP `filter` finding a person's groups; {dn} is their DN, {uid} their uid (default \"(|(member={dn})(uniqueMember={dn})(memberUid={uid}))\"); a memberOf attribute counts too")
	fs.StringVar(&l.GroupBaseDN, "ldap-group-base-dn", l.GroupBaseDN, "`DN` under which groups are searched (default --ldap-base-dn)")
	fs.StringVar(&l.IDAttr, "ldap-id-attr", l.IDAttr, "`attribute` with an entry's stable ID (default entryUUID; objectGUID for Active Directory)")
	fs.StringVar(&l.UIDAttr, "ldap-uid-attr", l.UIDAttr, "`attribute` with the user name (default uid)")
	fs.StringVar(&l.NameAttr, "ldap-name-attr", l.NameAttr, "`attribute` with the display name (default displayName, then cn)")
	fs.StringVar(&l.MailAttr, "ldap-mail-attr", l.MailAttr, "`attribute` with the mail address (default mail)")
	fs.StringVar(&l.LangAttr, "ldap-language-attr", l.LangAttr, "`attribute` with the preferred language, de or en (default preferredLanguage)")
	fs.StringVar(&l.Institute, "ldap-institute-attr", l.Institute, "`attribute` naming the person's institute (e.g. ou); empty: none")
	fs.StringVar(&l.CAFile, "ldap-ca-file", l.CAFile, "PEM `file` of the CA that signed the directory's certificate (default: the system's)")
	fs.Var((*duration)(&l.Timeout), "ldap-timeout", "`duration` to wait for the directory to connect and to answer each request")
	fs.Var((*duration)(&l.SyncInterval), "ldap-sync-interval", "every `duration`, disable directory accounts whose entry left the directory (0: never; servus ldap sync does it once)")
	fs.Var(&groupFlag{list: &l.Groups, what: "a group DN", valid: looksLikeDN, example: "cn=desk,ou=groups,dc=uni,dc=example"}, "ldap-group", "map a directory group to a role and queues: \"`GROUP-DN -> role=agent; queues=Network, Mail`\"; repeat the flag (or the line in the config file) for each group")
}

// looksLikeDN is the check of an --ldap-group's DN: it names an attribute
// (cn=…); the directory package parses it when servus starts.
func looksLikeDN(s string) bool { return strings.Contains(s, "=") }

// ValidateLDAP checks the directory settings; errors name the flag. The
// directory package checks the rest when servus starts.
func (c *Config) ValidateLDAP() error {
	l := c.LDAP
	if l.URL == "" {
		if len(l.Groups) > 0 || l.BaseDN != "" {
			return fmt.Errorf("--ldap-url: needed for --ldap-base-dn and --ldap-group")
		}
		return nil
	}
	u, err := url.Parse(l.URL)
	if err != nil || (u.Scheme != "ldap" && u.Scheme != "ldaps") || u.Hostname() == "" {
		return fmt.Errorf("--ldap-url: want ldap://host:389 (with StartTLS) or ldaps://host:636, not %q", redact(l.URL))
	}
	if l.BaseDN == "" {
		return fmt.Errorf("--ldap-base-dn: needed with --ldap-url, e.g. dc=uni,dc=example")
	}
	if l.BindDN != "" && l.BindPassword == "" {
		return fmt.Errorf("--ldap-bind-password: needed with --ldap-bind-dn (SERVUS_LDAP_BIND_PASSWORD or the config file)")
	}
	if l.Timeout <= 0 {
		return fmt.Errorf("--ldap-timeout: must be positive, e.g. 10s")
	}
	if l.SyncInterval < 0 {
		return fmt.Errorf("--ldap-sync-interval: must not be negative (0: never)")
	}
	return nil
}
