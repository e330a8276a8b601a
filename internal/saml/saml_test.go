package saml_test

import (
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/saml"
	"github.com/servus-desk/servus/internal/saml/samltest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	samltest.Cleanup()
	os.Exit(code)
}

// TestNewRefusesBadMetadata: metadata servus cannot use stops it with an
// error that says why: unreadable XML, no IdP in it, an aggregate without
// the named IdP, a file that is missing, plain http from another machine.
func TestNewRefusesBadMetadata(t *testing.T) {
	key, cert, err := saml.ReadKeyPair(samltest.KeyPair(t))
	if err != nil {
		t.Fatal(err)
	}
	sp := `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp.example"><SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example/acs" index="1"/></SPSSODescriptor></EntityDescriptor>`
	for _, tt := range []struct {
		name, metadata, entityID, want string
	}{
		{"not XML", "<html>login</html", "", "cannot be read"},
		{"an SP's metadata", sp, "", "describes no identity provider"},
		{"aggregate without the IdP", `<EntitiesDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata">` + sp + `</EntitiesDescriptor>`, "https://idp.uni.example", "cannot be read"},
	} {
		_, err := saml.New(saml.Config{IdPMetadata: []byte(tt.metadata), IdPEntityID: tt.entityID, Key: key, Certificate: cert, BaseURL: "https://desk.example"})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an error with %q", tt.name, err, tt.want)
		}
	}
	for source, want := range map[string]string{
		filepath.Join(t.TempDir(), "missing.xml"):   "no such file",
		"http://idp.uni.example/idp/shibboleth.xml": "use https://",
	} {
		if _, err := saml.ReadMetadata(context.Background(), source); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ReadMetadata(%s): got %v, want an error with %q", source, err, want)
		}
	}
}

// TestInResponseTo reads the request ID of a response, and nothing from
// what is not one.
func TestInResponseTo(t *testing.T) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	for in, want := range map[string]string{
		b64(`<?xml version="1.0"?><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="r1" InResponseTo="id-42"/>`): "id-42",
		b64(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="r1"/>`):                                           "",
		b64(`<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" InResponseTo="id-42"/>`):                        "",
		"not base64!": "",
	} {
		if got := saml.InResponseTo(in); got != want {
			t.Errorf("InResponseTo(%q): got %q, want %q", in, got, want)
		}
	}
}
