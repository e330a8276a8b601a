package config_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/servus-desk/servus/internal/config"
)

// TestLDAPConfigFile: the directory settings come from a config file, the
// bind password from the environment, and ldap-group lines repeat (one
// mapping each) where other names may appear once.
func TestLDAPConfigFile(t *testing.T) {
	cfg := config.Default()
	var file string
	fs := serveFlags(&cfg, &file)
	path := writeFile(t, `ldap-url = ldaps://ldap.uni.example
ldap-base-dn = dc=uni,dc=example
ldap-bind-dn = cn=servus,ou=system,dc=uni,dc=example
ldap-group = cn=zid-network,ou=groups,dc=uni,dc=example -> role=agent; queues=Network, Mail & Groupware
ldap-group = cn=zid-admins,ou=groups,dc=uni,dc=example -> role=admin
ldap-group = "cn=printing,ou=groups,dc=uni,dc=example -> queues=Printing"
ldap-sync-interval = 30m
`)
	env := map[string]string{"SERVUS_LDAP_BIND_PASSWORD": "s3cret"}
	if err := config.Parse(fs, []string{"--config", path}, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	l := cfg.LDAP
	if l.URL != "ldaps://ldap.uni.example" || l.BindPassword != "s3cret" || l.BaseDN != "dc=uni,dc=example" || l.SyncInterval.Minutes() != 30 {
		t.Errorf("got %+v", l)
	}
	want := config.GroupMappings{
		{Group: "cn=zid-network,ou=groups,dc=uni,dc=example", Role: "agent", Queues: []string{"Network", "Mail & Groupware"}},
		{Group: "cn=zid-admins,ou=groups,dc=uni,dc=example", Role: "admin"},
		{Group: "cn=printing,ou=groups,dc=uni,dc=example", Queues: []string{"Printing"}},
	}
	if d := cmp.Diff(want, l.Groups); d != "" {
		t.Errorf("groups (-want +got):\n%s", d)
	}
}

func TestLDAPSettingErrors(t *testing.T) {
	for _, tt := range []struct{ file, want string }{
		{"ldap-group = cn=x,dc=y role=agent\n", `a group DN and "->" are missing`},
		{"ldap-group = cn=x,dc=y -> role=boss\n", `role "boss" is not`},
		{"ldap-group = cn=x,dc=y -> colour=blue\n", `unknown key "colour"`},
		{"ldap-group = cn=x,dc=y ->\n", "neither a role nor queues"},
		{"ldap-url = ldap://a\nldap-url = ldap://b\n", "ldap-url already set on line 1"},
	} {
		cfg := config.Default()
		var file string
		fs := serveFlags(&cfg, &file)
		err := config.Parse(fs, []string{"--config", writeFile(t, tt.file)}, func(string) string { return "" })
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: got %v, want %q", tt.file, err, tt.want)
		}
	}
	for _, tt := range []struct {
		change func(*config.LDAP)
		want   string
	}{
		{func(l *config.LDAP) { l.URL = "http://ldap" }, "--ldap-url:"},
		{func(l *config.LDAP) { l.URL = "ldap://ldap" }, "--ldap-base-dn:"},
		{func(l *config.LDAP) { l.URL, l.BaseDN, l.BindDN = "ldap://ldap", "dc=x", "cn=s,dc=x" }, "--ldap-bind-password:"},
		{func(l *config.LDAP) { l.BaseDN = "dc=x" }, "--ldap-url:"},
	} {
		cfg := config.Default()
		tt.change(&cfg.LDAP)
		if err := cfg.Validate(); err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("got %v, want %q", err, tt.want)
		}
	}
}
