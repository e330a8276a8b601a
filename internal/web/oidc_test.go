package web_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/auth"
	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/i18n"
	"github.com/servus-desk/servus/internal/openid"
	"github.com/servus-desk/servus/internal/openid/optest"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
	"github.com/servus-desk/servus/internal/web"
)

// newOIDCSite is the fixture's site signing people in with the test
// provider p too ("Uni Login"): zid-servicedesk makes agents in
// Servicedesk, zid-admins admins.
func newOIDCSite(t *testing.T, dialect string, p *optest.Provider) *site {
	t.Helper()
	db := storetest.Open(t, dialect)
	seedFixture(t, db)
	blobs, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	rp, err := openid.New(openid.Config{Issuer: p.Issuer, ClientID: optest.ClientID, ClientSecret: optest.ClientSecret, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	cheap := auth.CheapParams()
	svc := desk.New(db, blobs, desk.Options{PasswordParams: &cheap, Quiet: true, OpenID: rp, GroupRules: []desk.GroupRule{
		{Group: "zid-servicedesk", Role: ticket.RoleAgent, Queues: []string{"Servicedesk"}, Source: ticket.SourceOIDC},
		{Group: "zid-admins", Role: ticket.RoleAdmin, Source: ticket.SourceOIDC},
		{Group: "staff", Role: ticket.RoleAdmin, Source: ticket.SourceLDAP}, // another source's: never applies here (ada is in staff)
	}})
	srv := httptest.NewUnstartedServer(nil)
	srv.Start()
	t.Cleanup(srv.Close)
	h, err := web.New(svc, web.Options{BaseURL: srv.URL, OpenIDName: "Uni Login", Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = h
	return &site{srv: srv, svc: svc}
}

// oidcBrowser is a browser without JavaScript that follows redirects
// (to the provider and back) and remembers where the provider sent it
// back to servus.
type oidcBrowser struct {
	http     *http.Client
	callback *url.URL
}

func newOIDCBrowser(t *testing.T) *oidcBrowser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	b := &oidcBrowser{}
	b.http = &http.Client{Jar: jar, Transport: english{}, CheckRedirect: func(r *http.Request, _ []*http.Request) error {
		if r.URL.Path == "/login/oidc/callback" {
			b.callback = r.URL
		}
		return nil
	}}
	return b
}

// english asks every page in English.
type english struct{}

func (english) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Accept-Language", "en")
	return http.DefaultTransport.RoundTrip(r)
}

// oidcSignIn clicks "Sign in with Uni Login" and signs user in at the
// provider; the answer is the page the browser lands on, and at the
// final URL.
func oidcSignIn(t *testing.T, s *site, b *oidcBrowser, user string) (answer, string) {
	t.Helper()
	page, err := b.http.Get(s.srv.URL + "/login/oidc?next=%2Ftickets%2Fnew")
	if err != nil {
		t.Fatal(err)
	}
	resp := optest.SignIn(t, b.http, page, user, optest.Password(user))
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, string(body)}, resp.Request.URL.String()
}

// asClient is b's cookies in the fixture's client (no redirects followed).
func (b *oidcBrowser) asClient(t *testing.T, s *site) *client {
	c := s.client(t)
	c.http.Jar = b.http.Jar
	return c
}

// TestOIDCSignIn: against the real provider, on SQLite and PostgreSQL: the
// sign-in page offers "Sign in with Uni Login"; ada (zid-servicedesk)
// lands where she wanted to go as an agent of Servicedesk, bert
// (zid-admins) as an admin, carla (no group) as a requester joined with
// the account her mail made; each sign-in is audited as session.start.
// Logging out ends the servus session and goes on to the provider's
// end_session_endpoint, which comes back to /login.
func TestOIDCSignIn(t *testing.T) {
	forEachDB(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		p := optest.Start(t, optest.Options{})
		s := newOIDCSite(t, dialect, p)
		en := i18n.New("en", "")

		form := s.client(t).get("/login?next=%2Ftickets%2Fnew", "Accept-Language", "en")
		pageHas(t, "login form", form, `id="login-oidc"`, `href="/login/oidc?next=%2ftickets%2fnew"`, html.EscapeString(en.T("login.oidc_button", "Uni Login")),
			`action="/login"`)

		if _, err := s.svc.CreateUser(ctx, access.System, desk.NewUser{Email: "carla@uni.example", Name: "carla"}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			user, email string
			role        ticket.Role
			servicedesk bool
		}{
			{"ada", "ada@uni.example", ticket.RoleAgent, true},
			{"bert", "bert@uni.example", ticket.RoleAdmin, false},
			{"carla", "carla@uni.example", ticket.RoleRequester, false},
		} {
			b := newOIDCBrowser(t)
			a, at := oidcSignIn(t, s, b, tc.user)
			if a.status != http.StatusOK || at != s.srv.URL+"/tickets/new" {
				t.Fatalf("%s: landed at %s with %d, want %s/tickets/new\n%s", tc.user, at, a.status, s.srv.URL, a.body)
			}
			u, err := s.svc.User(ctx, access.System, tc.email)
			if err != nil {
				t.Fatal(err)
			}
			if u.Role != tc.role || u.AuthSource != ticket.SourceOIDC || u.ExternalID != p.Issuer+"#sub-"+tc.user {
				t.Errorf("%s: got role %s, source %s, ID %q; want %s, oidc, %q", tc.user, u.Role, u.AuthSource, u.ExternalID, tc.role, p.Issuer+"#sub-"+tc.user)
			}
			act := s.actor(t, tc.email)
			if got := len(act.Queues) > 0; got != tc.servicedesk {
				t.Errorf("%s: member of a queue: got %v, want %v", tc.user, got, tc.servicedesk)
			}
			dash := b.asClient(t, s).get("/")
			if dash.status != http.StatusOK || !strings.Contains(dash.body, html.EscapeString(u.Name)) {
				t.Errorf("%s: dashboard %d without their name %q", tc.user, dash.status, u.Name)
			}
		}
		if p, err := s.svc.AuditLog(ctx, access.System, desk.AuditFilter{Action: "session.start"}, 1, 10); err != nil || p.Total != 3 {
			t.Errorf("session.start rows: %+v, %v; want 3", p, err)
		}
		if p, err := s.svc.AuditLog(ctx, access.System, desk.AuditFilter{Action: "user.join"}, 1, 10); err != nil || p.Total != 1 {
			t.Errorf("user.join rows: %+v, %v; want 1 (carla)", p, err)
		}

		// Logout: servus's session ends, the provider's logout follows.
		b := newOIDCBrowser(t)
		oidcSignIn(t, s, b, "ada")
		c := b.asClient(t, s)
		out := c.post("/logout", url.Values{})
		loc := out.header.Get("Location")
		if out.status != http.StatusSeeOther || !strings.HasPrefix(loc, p.Issuer) || !strings.Contains(loc, "client_id="+optest.ClientID) ||
			!strings.Contains(loc, "post_logout_redirect_uri="+url.QueryEscape(s.srv.URL+"/login")) {
			t.Fatalf("logout: got %d to %q, want the provider's end_session_endpoint", out.status, loc)
		}
		if a := c.get("/"); a.status != http.StatusSeeOther || !strings.HasPrefix(a.header.Get("Location"), "/login") {
			t.Errorf("after logout: got %d to %q, want the sign-in page", a.status, a.header.Get("Location"))
		}
		back, err := b.http.Get(loc)
		if err != nil {
			t.Fatal(err)
		}
		back.Body.Close()
		if back.Request.URL.String() != s.srv.URL+"/login" {
			t.Errorf("the provider's logout came back to %s, want %s/login", back.Request.URL, s.srv.URL)
		}
		// A local account's logout stays with servus.
		local := s.signedIn(t, agentEmail)
		if out := local.post("/logout", url.Values{}); out.header.Get("Location") != "/login" {
			t.Errorf("local logout to %q, want /login", out.header.Get("Location"))
		}
	})
}

// TestOIDCRefusals: what servus does not accept is said on the sign-in
// page and signs nobody in, on SQLite and PostgreSQL: a mail address the
// provider does not mark verified, or none (403); an ID token with
// another nonce, or for another client (403, audited as session.refused);
// a callback whose state this browser was not given, or one used before
// (400); a sign-in cancelled at the provider (400); a disabled account
// (403). A provider that is down is said so
// with 503, while local accounts still sign in.
func TestOIDCRefusals(t *testing.T) {
	forEachDB(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		p := optest.Start(t, optest.Options{})
		s := newOIDCSite(t, dialect, p)
		en := i18n.New("en", "")

		for _, tc := range []struct{ user, reason string }{
			{"uma", desk.ReasonOpenIDEmail},
			{"nora", desk.ReasonOpenIDEmail},
			{"nina", desk.ReasonOpenIDRefused},
			{"otto", desk.ReasonOpenIDRefused},
		} {
			b := newOIDCBrowser(t)
			a, at := oidcSignIn(t, s, b, tc.user)
			if a.status != http.StatusForbidden || !strings.HasPrefix(at, s.srv.URL+"/login/oidc/callback") {
				t.Errorf("%s: got %d at %s, want 403 at the callback", tc.user, a.status, at)
			}
			pageHas(t, tc.user, a, html.EscapeString(en.T(tc.reason)), `action="/login"`)
			if d := b.asClient(t, s).get("/"); d.status != http.StatusSeeOther {
				t.Errorf("%s: signed in after a refusal (%d)", tc.user, d.status)
			}
		}
		refused, err := s.svc.AuditLog(ctx, access.System, desk.AuditFilter{Action: "session.refused"}, 1, 10)
		if err != nil || refused.Total != 4 {
			t.Fatalf("session.refused rows: %+v, %v; want 4", refused, err)
		}
		details := ""
		for _, r := range refused.Items {
			details += r.Detail + "\n"
		}
		for _, want := range []string{"nonce", "another-client", "uma@uni.example", "no \"email\" claim"} {
			if !strings.Contains(details, want) {
				t.Errorf("session.refused details lack %q:\n%s", want, details)
			}
		}
		for _, email := range []string{"uma@uni.example", "nina@uni.example", "otto@uni.example"} {
			if _, err := s.svc.User(ctx, access.System, email); ticket.ErrorCode(err) != ticket.ENOTFOUND {
				t.Errorf("%s: an account was made (%v)", email, err)
			}
		}

		// The callback again, with the state cookie it came with: the
		// state is used.
		b := newOIDCBrowser(t)
		if a, at := oidcSignIn(t, s, b, "ada"); at != s.srv.URL+"/tickets/new" {
			t.Fatalf("ada: landed at %s (%d)", at, a.status)
		}
		replay := s.client(t)
		srvURL, _ := url.Parse(s.srv.URL + "/login/oidc")
		replay.http.Jar.SetCookies(srvURL, []*http.Cookie{{Name: "servus_oidc_state", Value: b.callback.Query().Get("state"), Path: "/login/oidc"}})
		again := replay.get(b.callback.RequestURI(), "Accept-Language", "en")
		if again.status != http.StatusBadRequest {
			t.Errorf("replayed callback: got %d, want 400", again.status)
		}
		pageHas(t, "replayed callback", again, html.EscapeString(en.T(desk.ReasonOpenIDState)))
		// Another browser's state (login CSRF), and none at all.
		other := newOIDCBrowser(t)
		page, err := other.http.Get(s.srv.URL + "/login/oidc")
		if err != nil {
			t.Fatal(err)
		}
		page.Body.Close()
		for _, what := range []string{"another browser's state", "no state"} {
			c := s.client(t)
			if what == "another browser's state" {
				c.http.Jar.SetCookies(srvURL, []*http.Cookie{{Name: "servus_oidc_state", Value: "mine", Path: "/login/oidc"}})
			}
			a := c.get("/login/oidc/callback?code=x&state=" + url.QueryEscape(stateOf(t, other, s)))
			if a.status != http.StatusBadRequest {
				t.Errorf("%s: got %d, want 400", what, a.status)
			}
		}

		// The person cancels at the provider: said so; the state was still
		// there (the two attempts above did not use it up) and is now used.
		cancelled := other.asClient(t, s)
		cancelURL := "/login/oidc/callback?error=access_denied&state=" + url.QueryEscape(stateOf(t, other, s))
		a := cancelled.get(cancelURL, "Accept-Language", "en")
		if a.status != http.StatusBadRequest {
			t.Errorf("cancelled: got %d, want 400", a.status)
		}
		pageHas(t, "cancelled", a, html.EscapeString(en.T(desk.ReasonOpenIDCancelled)))

		// Disabled: refused, with the reason.
		disabled := true
		if _, err := s.svc.UpdateUser(ctx, access.System, "ada@uni.example", desk.UserPatch{Disabled: &disabled}); err != nil {
			t.Fatal(err)
		}
		a, _ = oidcSignIn(t, s, newOIDCBrowser(t), "ada")
		if a.status != http.StatusForbidden {
			t.Errorf("disabled ada: got %d, want 403", a.status)
		}
		pageHas(t, "disabled ada", a, html.EscapeString(en.T(desk.ReasonOpenIDDisabled)))

		// The provider is down: said so; local accounts sign in.
		p.Stop()
		down := s.client(t).get("/login/oidc", "Accept-Language", "en")
		if down.status != http.StatusServiceUnavailable {
			t.Errorf("provider down: got %d, want 503", down.status)
		}
		pageHas(t, "provider down", down, html.EscapeString(en.T(desk.ReasonOpenIDDown)), `action="/login"`)
		if a := s.client(t).login(agentEmail, fixturePassword); a.status != http.StatusSeeOther {
			t.Errorf("local agent while the provider is down: got %d, want 303", a.status)
		}
	})
}

// stateOf begins a sign-in in b and returns the state servus gave it.
func stateOf(t *testing.T, b *oidcBrowser, s *site) string {
	t.Helper()
	u, _ := url.Parse(s.srv.URL + "/login/oidc")
	for _, c := range b.http.Jar.Cookies(u) {
		if c.Name == "servus_oidc_state" {
			return c.Value
		}
	}
	t.Fatal("no state cookie")
	return ""
}

// TestOIDCBrowserSignIn: in Chromium, on SQLite, ada clicks "Sign in with
// Uni Login", signs in on the provider's own login page and lands on the
// agent's dashboard with her name; carla lands on a requester's.
func TestOIDCBrowserSignIn(t *testing.T) {
	browser(t)
	p := optest.Start(t, optest.Options{})
	s := newOIDCSite(t, storetest.Dialects[0], p)
	for _, tc := range []struct {
		user, name string
		agent      bool
	}{{"ada", "Ada Agent", true}, {"carla", "Carla Student", false}} {
		ctx, cancel := chromedp.NewContext(browser(t), chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		ctx, cancelT := context.WithTimeout(ctx, 2*time.Minute)
		t.Cleanup(cancelT)
		b := &person{t: t, ctx: ctx, base: s.srv.URL}
		b.open("/login")
		b.submit(chromedp.CSS("#login-oidc"))
		if loc := b.location(); !strings.HasPrefix(loc, p.Issuer) {
			t.Fatalf("%s: at %s after the button, want the provider's login page", tc.user, loc)
		}
		b.do(chromedp.SetValue(chromedp.ID("username"), tc.user), chromedp.SetValue(chromedp.ID("password"), optest.Password(tc.user)))
		b.submit(chromedp.CSS("#submit"))
		if loc := b.location(); loc != s.srv.URL+"/" {
			t.Fatalf("%s: at %s after the provider's login, want the dashboard:\n%s", tc.user, loc, b.body())
		}
		if h := b.text("h1"); !strings.Contains(h, tc.name) {
			t.Errorf("%s: dashboard heading %q, want their name", tc.user, h)
		}
		if got := b.text("#h-assigned") != ""; got != tc.agent {
			t.Errorf("%s: agent's dashboard %v, want %v", tc.user, got, tc.agent)
		}
	}
}
