package openid_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/openid"
	"github.com/servus-desk/servus/internal/openid/optest"
)

const callback = "http://127.0.0.1:1/login/oidc/callback"

func newRP(t *testing.T, issuer string) *openid.RP {
	t.Helper()
	rp, err := openid.New(openid.Config{Issuer: issuer, ClientID: optest.ClientID, ClientSecret: optest.ClientSecret,
		InstituteClaim: "institute", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return rp
}

// authorize runs the browser's part: the provider's login form as user,
// up to the redirect to servus's callback, and returns its code and
// state.
func authorize(t *testing.T, authURL, user string) (code, state string) {
	t.Helper()
	var back *url.URL
	c := &http.Client{Jar: newJar(t), CheckRedirect: func(r *http.Request, _ []*http.Request) error {
		if r.URL.Path == "/login/oidc/callback" {
			back = r.URL
			return http.ErrUseLastResponse
		}
		return nil
	}}
	page, err := c.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp := optest.SignIn(t, c, page, user, optest.Password(user))
	resp.Body.Close()
	if back == nil {
		t.Fatalf("%s: the provider did not send the browser back (%d)", user, resp.StatusCode)
	}
	return back.Query().Get("code"), back.Query().Get("state")
}

// TestFinish signs each test person in against the real provider: ada's
// claims (from the ID token and UserInfo) map to a Person; the provider's
// misbehaviours and the people it cannot vouch for are refused with their
// kind; a code used twice, or with another PKCE verifier, is refused by
// the provider.
func TestFinish(t *testing.T) {
	t.Parallel()
	p := optest.Start(t, optest.Options{})
	rp := newRP(t, p.Issuer)
	ctx := context.Background()

	s, err := rp.Start(ctx, callback)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(s.URL)
	q := u.Query()
	for k, want := range map[string]string{"state": s.State, "nonce": s.Nonce, "code_challenge_method": "S256",
		"client_id": optest.ClientID, "redirect_uri": callback, "response_type": "code"} {
		if got := q.Get(k); got != want {
			t.Errorf("authorisation URL %s = %q, want %q", k, got, want)
		}
	}
	if !strings.Contains(q.Get("scope"), "openid") || q.Get("code_challenge") == "" {
		t.Errorf("authorisation URL without openid scope or code challenge: %s", s.URL)
	}
	code, state := authorize(t, s.URL, "ada")
	if state != s.State {
		t.Errorf("state back %q, want %q", state, s.State)
	}
	per, err := rp.Finish(ctx, callback, code, s.Verifier, s.Nonce)
	if err != nil {
		t.Fatalf("ada: %v", err)
	}
	want := openid.Person{ID: p.Issuer + "#sub-ada", Subject: "sub-ada", Email: "ada@uni.example", Name: "Ada Agent",
		Language: "en", Institute: "ZID", Groups: []string{"zid-servicedesk", "staff"}}
	if per.ID != want.ID || per.Email != want.Email || per.Name != want.Name || per.Language != want.Language ||
		per.Institute != want.Institute || !slices.Equal(per.Groups, want.Groups) {
		t.Errorf("ada: got %+v, want %+v", *per, want)
	}
	// The same code again: the provider refuses it.
	if _, err := rp.Finish(ctx, callback, code, s.Verifier, s.Nonce); refusal(err) != openid.RefusedCode {
		t.Errorf("code used twice: got %v, want a refusal of the code", err)
	}

	for _, tc := range []struct {
		user, kind string
		mangle     func(s *openid.Started) // what the callback brings back wrongly
	}{
		{"carla", "", nil},
		{"uma", openid.RefusedEmail, nil},  // email_verified missing
		{"nora", openid.RefusedEmail, nil}, // no email
		{"nina", openid.RefusedToken, nil}, // the ID token's nonce is another
		{"otto", openid.RefusedToken, nil}, // the ID token is for another client
		{"bert", openid.RefusedToken, func(s *openid.Started) { s.Nonce = "other" }},
		{"bert", openid.RefusedCode, func(s *openid.Started) { s.Verifier = strings.Repeat("x", 43) }},
	} {
		s, err := rp.Start(ctx, callback)
		if err != nil {
			t.Fatal(err)
		}
		code, _ := authorize(t, s.URL, tc.user)
		if tc.mangle != nil {
			tc.mangle(s)
		}
		_, err = rp.Finish(ctx, callback, code, s.Verifier, s.Nonce)
		if got := refusal(err); got != tc.kind {
			t.Errorf("%s: got %v (kind %q), want kind %q", tc.user, err, got, tc.kind)
		}
	}

	if u := rp.EndSessionURL(ctx, "http://127.0.0.1:1/login"); !strings.HasPrefix(u, p.Issuer) ||
		!strings.Contains(u, "client_id="+optest.ClientID) || !strings.Contains(u, "post_logout_redirect_uri=") {
		t.Errorf("end session URL %q", u)
	}
}

// TestExpiredToken: an ID token whose exp has passed is refused.
func TestExpiredToken(t *testing.T) {
	t.Parallel()
	p := optest.Start(t, optest.Options{IDTokenLifetime: -time.Hour})
	rp := newRP(t, p.Issuer)
	s, err := rp.Start(context.Background(), callback)
	if err != nil {
		t.Fatal(err)
	}
	code, _ := authorize(t, s.URL, "ada")
	_, err = rp.Finish(context.Background(), callback, code, s.Verifier, s.Nonce)
	if refusal(err) != openid.RefusedToken || !strings.Contains(err.Error(), "expired") {
		t.Errorf("got %v, want an expired token refused", err)
	}
}

// TestProviderDown: a provider that does not answer makes Start and Finish
// fail with ErrUnavailable.
func TestProviderDown(t *testing.T) {
	t.Parallel()
	p := optest.Start(t, optest.Options{})
	rp := newRP(t, p.Issuer)
	s, err := rp.Start(context.Background(), callback)
	if err != nil {
		t.Fatal(err)
	}
	code, _ := authorize(t, s.URL, "ada")
	p.Stop()
	if _, err := rp.Finish(context.Background(), callback, code, s.Verifier, s.Nonce); !errors.Is(err, openid.ErrUnavailable) {
		t.Errorf("Finish: got %v, want ErrUnavailable", err)
	}
	if _, err := rp.Start(context.Background(), callback); !errors.Is(err, openid.ErrUnavailable) {
		t.Errorf("Start: got %v, want ErrUnavailable", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	if _, err := newRP(t, "http://"+ln.Addr().String()).Start(context.Background(), callback); !errors.Is(err, openid.ErrUnavailable) {
		t.Errorf("Start, nobody listening: got %v, want ErrUnavailable", err)
	}
}

func refusal(err error) string {
	var r *openid.Refusal
	if errors.As(err, &r) {
		return r.Kind
	}
	if err != nil {
		return "other: " + err.Error()
	}
	return ""
}

func newJar(t *testing.T) http.CookieJar {
	t.Helper()
	j, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return j
}
