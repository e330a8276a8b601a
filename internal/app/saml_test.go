package app_test

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/app"
	"github.com/servus-desk/servus/internal/config"
	"github.com/servus-desk/servus/internal/saml/samltest"
)

// TestServeSAML: servus serve with the SAML flags reads the IdP's
// metadata at start and then serves its SP metadata and sends /login/saml
// to the IdP; metadata it cannot read stops it at start with an error
// naming the flag. A --saml-group queue servus does not have is logged at
// start with the attribute value.
func TestServeSAML(t *testing.T) {
	idp := samltest.Start(t)
	key, cert := samltest.KeyPair(t)
	junk := filepath.Join(t.TempDir(), "idp.xml")
	if err := os.WriteFile(junk, []byte("<html>Login</html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, source := range []string{junk, filepath.Join(t.TempDir(), "missing.xml")} {
		cfg := config.Default()
		cfg.Data, cfg.Addr = t.TempDir(), "127.0.0.1:0"
		cfg.SAML = config.SAML{IdPMetadata: source, KeyFile: key, CertFile: cert}
		err := app.Run(context.Background(), cfg, io.Discard, slog.New(slog.DiscardHandler))
		if err == nil || !strings.HasPrefix(err.Error(), "--saml-idp-metadata: ") {
			t.Errorf("metadata %s: got %v, want an error naming --saml-idp-metadata", source, err)
		}
	}

	cfg := config.Default()
	cfg.Data, cfg.Addr = t.TempDir(), "127.0.0.1:0"
	cfg.SAML = config.SAML{IdPMetadata: idp.MetadataURL, KeyFile: key, CertFile: cert, Label: "Uni-Login",
		Groups: config.GroupMappings{{Group: "staff", Role: "agent", Queues: []string{"Nowhere"}}}}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	logR, logW := io.Pipe()
	url := make(chan string, 1)
	var before strings.Builder // the log up to "listening", read once url has it
	go func() {
		sc := bufio.NewScanner(logR)
		listening := false
		for sc.Scan() {
			if _, u, ok := strings.Cut(sc.Text(), " url="); ok && strings.Contains(sc.Text(), "msg=listening") {
				listening = true
				url <- strings.Fields(u)[0]
			} else if !listening {
				before.WriteString(sc.Text() + "\n")
			}
		}
	}()
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx, cfg, io.Discard, slog.New(slog.NewTextHandler(logW, nil))) }()
	var base string
	select {
	case base = <-url:
	case err := <-done:
		t.Fatalf("serve stopped: %v", err)
	}
	if want := `msg="saml: the group mapping names a queue servus does not have; sign-ins skip it" value=staff queue=Nowhere`; !strings.Contains(before.String(), want) {
		t.Errorf("log at start lacks %s:\n%s", want, before.String())
	}
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		logW.Close()
	})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) (*http.Response, string) {
		t.Helper()
		resp, err := client.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	if resp, body := get("/saml/metadata"); resp.StatusCode != http.StatusOK || !strings.Contains(body, `entityID="`+base+`/saml/metadata"`) {
		t.Errorf("/saml/metadata: got %d\n%s", resp.StatusCode, body)
	}
	if resp, body := get("/login"); !strings.Contains(body, "Uni-Login") {
		t.Errorf("/login: got %d without the SAML button\n%s", resp.StatusCode, body)
	}
	if resp, _ := get("/login/saml"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), idp.URL+"/sso?SAMLRequest=") {
		t.Errorf("/login/saml: got %d to %q, want 303 to the IdP", resp.StatusCode, resp.Header.Get("Location"))
	}
}
