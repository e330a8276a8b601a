package config_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/servus-desk/servus/internal/config"
)

// TestOIDCConfigFile: the OpenID Connect settings come from a config file,
// the client secret from the environment, and oidc-group lines repeat
// (one mapping each); unset claim names and scopes keep their defaults.
func TestOIDCConfigFile(t *testing.T) {
	cfg := config.Default()
	var file string
	fs := serveFlags(&cfg, &file)
	path := writeFile(t, `oidc-issuer = https://login.uni.example/realms/uni
oidc-client-id = servicedesk
oidc-name = Uni Login
oidc-institute-claim = institute
oidc-group = zid-servicedesk -> role=agent; queues=Servicedesk, WLAN/eduroam
oidc-group = /zid/admins -> role=admin
oidc-group = "Betriebsrat -> role=auditor"
`)
	env := map[string]string{"SERVUS_OIDC_CLIENT_SECRET": "s3cret", "SERVUS_OIDC_SCOPES": "openid, email profile groups"}
	if err := config.Parse(fs, []string{"--config", path}, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	o := cfg.OIDC
	if o.Issuer != "https://login.uni.example/realms/uni" || o.ClientID != "servicedesk" || o.ClientSecret != "s3cret" || o.Name != "Uni Login" ||
		o.InstituteClaim != "institute" || o.Timeout.Seconds() != 10 {
		t.Errorf("got %+v", o)
	}
	if d := cmp.Diff([]string{"openid", "email", "profile", "groups"}, o.Scopes); d != "" {
		t.Errorf("scopes (-want +got):\n%s", d)
	}
	want := config.GroupMappings{
		{Group: "zid-servicedesk", Role: "agent", Queues: []string{"Servicedesk", "WLAN/eduroam"}},
		{Group: "/zid/admins", Role: "admin"},
		{Group: "Betriebsrat", Role: "auditor"},
	}
	if d := cmp.Diff(want, o.Groups); d != "" {
		t.Errorf("groups (-want +got):\n%s", d)
	}
	def := config.Default()
	if d := cmp.Diff([]string{"openid", "profile", "email"}, def.OIDC.Scopes); d != "" {
		t.Errorf("default scopes (-want +got):\n%s", d)
	}
}

func TestOIDCSettingErrors(t *testing.T) {
	for _, tt := range []struct{ file, want string }{
		{"oidc-group = staff role=agent\n", `a group and "->" are missing`},
		{"oidc-group = staff -> role=boss\n", `role "boss" is not`},
		{"oidc-group = staff -> colour=blue\n", `unknown key "colour"`},
		{"oidc-group = staff ->\n", "neither a role nor queues"},
		{"oidc-issuer = https://a\noidc-issuer = https://b\n", "oidc-issuer already set on line 1"},
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
		change func(*config.OIDC)
		want   string
	}{
		{func(o *config.OIDC) { o.Issuer = "ldap://login" }, "--oidc-issuer:"},
		{func(o *config.OIDC) { o.Issuer = "https://login?x=1" }, "--oidc-issuer:"},
		{func(o *config.OIDC) { o.Issuer = "https://login" }, "--oidc-client-id:"},
		{func(o *config.OIDC) { o.Issuer, o.ClientID = "https://login", "desk" }, "--oidc-client-secret:"},
		{func(o *config.OIDC) { o.ClientID = "desk" }, "--oidc-issuer:"},
		{func(o *config.OIDC) {
			o.Issuer, o.ClientID, o.ClientSecret, o.Name = "https://login", "desk", "s", strings.Repeat("x", 61)
		}, "--oidc-name:"},
	} {
		cfg := config.Default()
		tt.change(&cfg.OIDC)
		if err := cfg.Validate(); err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("got %v, want %q", err, tt.want)
		}
	}
}
