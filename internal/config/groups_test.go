package config_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/servus-desk/servus/internal/config"
)

// TestGroupMappings: --ldap-group, --oidc-group and --saml-group read the
// same "GROUP -> role=R; queues=A, B" lines; what each accepts as GROUP,
// and how its errors name and show it, is its own. One value may hold
// several lines (as from the environment); each Set adds to what is there.
func TestGroupMappings(t *testing.T) {
	groups := func(c *config.Config, flag string) config.GroupMappings {
		switch flag {
		case "ldap-group":
			return c.LDAP.Groups
		case "oidc-group":
			return c.OIDC.Groups
		case "saml-group":
			return c.SAML.Groups
		}
		t.Fatalf("no flag %s", flag)
		return nil
	}
	const (
		ldapWant = ` (want "cn=desk,ou=groups,dc=uni,dc=example -> role=agent; queues=Network, Mail")`
		oidcWant = ` (want "zid-servicedesk -> role=agent; queues=Network, Mail")`
		samlWant = ` (want "staff -> role=agent; queues=Network, Mail")`
	)
	for _, tt := range []struct {
		flag, value string
		want        config.GroupMappings
		err         string
	}{
		{flag: "ldap-group", value: "cn=net,ou=groups,dc=uni,dc=example -> role=agent; queues=Network, Mail & Groupware",
			want: config.GroupMappings{{Group: "cn=net,ou=groups,dc=uni,dc=example", Role: "agent", Queues: []string{"Network", "Mail & Groupware"}}}},
		{flag: "ldap-group", value: " CN=Admins,DC=uni ->ROLE = admin;;\n\n cn=print,dc=uni -> queue=Printing ; \n",
			want: config.GroupMappings{{Group: "CN=Admins,DC=uni", Role: "admin"}, {Group: "cn=print,dc=uni", Queues: []string{"Printing"}}}},
		{flag: "ldap-group", value: "zid-servicedesk -> role=agent",
			err: `a group DN and "->" are missing in "zid-servicedesk -> role=agent"` + ldapWant},
		{flag: "ldap-group", value: "cn=x,dc=y role=agent",
			err: `a group DN and "->" are missing in "cn=x,dc=y role=agent"` + ldapWant},
		{flag: "ldap-group", value: " -> role=agent",
			err: `a group DN and "->" are missing in "-> role=agent"` + ldapWant},
		{flag: "ldap-group", value: "cn=x,dc=y -> role=boss",
			err: `role "boss" is not requester, agent, admin or auditor in "cn=x,dc=y -> role=boss"` + ldapWant},
		{flag: "ldap-group", value: "cn=x,dc=y -> colour=blue",
			err: `unknown key "colour" in "cn=x,dc=y -> colour=blue"` + ldapWant},
		{flag: "ldap-group", value: "cn=x,dc=y -> agent",
			err: `"agent" is not role=… or queues=… in "cn=x,dc=y -> agent"` + ldapWant},
		{flag: "ldap-group", value: "cn=x,dc=y -> queues= , ",
			err: `neither a role nor queues in "cn=x,dc=y -> queues= ,"` + ldapWant},

		{flag: "oidc-group", value: "/zid/admins -> role=admin\nBetriebsrat -> role=auditor; queues=Personal",
			want: config.GroupMappings{{Group: "/zid/admins", Role: "admin"}, {Group: "Betriebsrat", Role: "auditor", Queues: []string{"Personal"}}}},
		{flag: "oidc-group", value: "cn=desk,dc=uni -> role=agent",
			want: config.GroupMappings{{Group: "cn=desk,dc=uni", Role: "agent"}}},
		{flag: "oidc-group", value: "zid-servicedesk role=agent",
			err: `a group and "->" are missing in "zid-servicedesk role=agent"` + oidcWant},
		{flag: "oidc-group", value: "-> role=agent",
			err: `a group and "->" are missing in "-> role=agent"` + oidcWant},
		{flag: "oidc-group", value: "staff -> role=boss",
			err: `role "boss" is not requester, agent, admin or auditor in "staff -> role=boss"` + oidcWant},
		{flag: "oidc-group", value: "staff ->",
			err: `neither a role nor queues in "staff ->"` + oidcWant},

		{flag: "saml-group", value: "staff -> role=agent; queues=Servicedesk, Security",
			want: config.GroupMappings{{Group: "staff", Role: "agent", Queues: []string{"Servicedesk", "Security"}}}},
		{flag: "saml-group", value: "urn:mace:uni.example:gruppe:zid -> queues=Servicedesk",
			want: config.GroupMappings{{Group: "urn:mace:uni.example:gruppe:zid", Queues: []string{"Servicedesk"}}}},
		{flag: "saml-group", value: "staff role=agent",
			err: `a group value and "->" are missing in "staff role=agent"` + samlWant},
		{flag: "saml-group", value: "staff -> colour=blue",
			err: `unknown key "colour" in "staff -> colour=blue"` + samlWant},
		{flag: "saml-group", value: "staff -> role=agent\nfaculty -> requester",
			err: `"requester" is not role=… or queues=… in "faculty -> requester"` + samlWant},
	} {
		cfg := config.Default()
		var file string
		fs := serveFlags(&cfg, &file)
		err := fs.Set(tt.flag, tt.value)
		switch {
		case tt.err != "":
			if err == nil || err.Error() != tt.err {
				t.Errorf("--%s %q: got error %v, want %s", tt.flag, tt.value, err, tt.err)
			}
		case err != nil:
			t.Errorf("--%s %q: %v", tt.flag, tt.value, err)
		default:
			if d := cmp.Diff(tt.want, groups(&cfg, tt.flag)); d != "" {
				t.Errorf("--%s %q (-want +got):\n%s", tt.flag, tt.value, d)
			}
		}
	}
}

// TestGroupMappingsFromEnvironment: one environment variable holds
// several mappings on separate lines, and the flag shows them back in the
// same syntax; -help prints the group flags (their zero value shows as
// nothing).
func TestGroupMappingsFromEnvironment(t *testing.T) {
	cfg := config.Default()
	var file string
	fs := serveFlags(&cfg, &file)
	env := map[string]string{
		"SERVUS_OIDC_ISSUER": "https://login.uni.example", "SERVUS_OIDC_CLIENT_ID": "desk", "SERVUS_OIDC_CLIENT_SECRET": "s",
		"SERVUS_OIDC_GROUP": "zid-servicedesk -> role=agent; queues=Servicedesk, WLAN/eduroam\nzid-admins -> role=admin\n",
	}
	if err := config.Parse(fs, nil, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	want := config.GroupMappings{
		{Group: "zid-servicedesk", Role: "agent", Queues: []string{"Servicedesk", "WLAN/eduroam"}},
		{Group: "zid-admins", Role: "admin"},
	}
	if d := cmp.Diff(want, cfg.OIDC.Groups); d != "" {
		t.Errorf("groups (-want +got):\n%s", d)
	}
	if got, want := fs.Lookup("oidc-group").Value.String(), "zid-servicedesk -> role=agent; queues=Servicedesk, WLAN/eduroam\nzid-admins -> role=admin; queues="; got != want {
		t.Errorf("String: got %q, want %q", got, want)
	}

	var help bytes.Buffer
	fs.SetOutput(&help)
	fs.PrintDefaults()
	for _, name := range []string{"-ldap-group GROUP-DN -> role=agent; queues=Network, Mail", "-oidc-group GROUP -> role=agent", "-saml-group VALUE -> role=agent"} {
		if !strings.Contains(help.String(), name) {
			t.Errorf("-help lacks %q:\n%s", name, help.String())
		}
	}
	if strings.Contains(help.String(), "panic") {
		t.Errorf("-help cannot show a group flag:\n%s", help.String())
	}
}
