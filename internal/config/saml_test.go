package config_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/servus-desk/servus/internal/config"
)

// TestSAMLConfigFile: the SAML settings come from a config file, and
// saml-group lines repeat (one mapping each).
func TestSAMLConfigFile(t *testing.T) {
	cfg := config.Default()
	var file string
	fs := serveFlags(&cfg, &file)
	path := writeFile(t, `saml-idp-metadata = https://mds.edugain.example/edugain-v2.xml
saml-idp-entity-id = https://idp.uni.example/idp/shibboleth
saml-key = /etc/servus/saml.key
saml-cert = /etc/servus/saml.crt
saml-label = "Mit dem Uni-Account anmelden"
saml-group = staff -> role=agent; queues=Servicedesk, Security
saml-group = faculty -> role=requester
`)
	if err := config.Parse(fs, []string{"--config", path}, func(string) string { return "" }); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	s := cfg.SAML
	if s.IdPMetadata != "https://mds.edugain.example/edugain-v2.xml" || s.IdPEntityID != "https://idp.uni.example/idp/shibboleth" ||
		s.KeyFile != "/etc/servus/saml.key" || s.CertFile != "/etc/servus/saml.crt" || s.Label != "Mit dem Uni-Account anmelden" {
		t.Errorf("got %+v", s)
	}
	want := config.GroupMappings{
		{Group: "staff", Role: "agent", Queues: []string{"Servicedesk", "Security"}},
		{Group: "faculty", Role: "requester"},
	}
	if d := cmp.Diff(want, s.Groups); d != "" {
		t.Errorf("groups (-want +got):\n%s", d)
	}
}

func TestSAMLSettingErrors(t *testing.T) {
	for _, tt := range []struct{ file, want string }{
		{"saml-group = staff role=agent\n", `a group value and "->" are missing`},
		{"saml-group = staff -> role=boss\n", `role "boss" is not`},
		{"saml-group = staff -> colour=blue\n", `unknown key "colour"`},
		{"saml-group = staff ->\n", "neither a role nor queues"},
		{"saml-idp-metadata = /etc/idp.xml\n", "--saml-key, --saml-cert: needed"},
		{"saml-key = /etc/servus/saml.key\n", "--saml-idp-metadata: needed"},
	} {
		cfg := config.Default()
		var file string
		fs := serveFlags(&cfg, &file)
		err := config.Parse(fs, []string{"--config", writeFile(t, tt.file)}, func(string) string { return "" })
		if err == nil {
			err = cfg.Validate()
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: got %v, want an error with %q", tt.file, err, tt.want)
		}
	}
}
