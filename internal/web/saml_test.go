package web_test

import (
	"context"
	"encoding/base64"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jonboulle/clockwork"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/auth"
	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/i18n"
	"github.com/servus-desk/servus/internal/saml"
	"github.com/servus-desk/servus/internal/saml/samltest"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
	"github.com/servus-desk/servus/internal/web"
)

// samlSite is the fixture's site signing people in with the test IdP too:
// the affiliation staff makes agents in Servicedesk. Its SP reads the
// time from clock, which a test may move on.
type samlSite struct {
	*site
	sp    *saml.SP
	clock *clockwork.FakeClock
	idp   *samltest.IdP
}

// newSP is an SP at base for idp, with a fresh key pair.
func newSP(t *testing.T, idp *samltest.IdP, base, entityID string, clock *dsig.Clock) *saml.SP {
	t.Helper()
	md, err := saml.ReadMetadata(context.Background(), idp.MetadataURL)
	if err != nil {
		t.Fatal(err)
	}
	key, cert, err := saml.ReadKeyPair(samltest.KeyPair(t))
	if err != nil {
		t.Fatal(err)
	}
	sp, err := saml.New(saml.Config{IdPMetadata: md, Key: key, Certificate: cert, BaseURL: base, EntityID: entityID,
		InstituteAttr: "ou", Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

func newSAMLSite(t *testing.T, dialect string) *samlSite {
	t.Helper()
	idp := samltest.Start(t)
	db := storetest.Open(t, dialect)
	seedFixture(t, db)
	blobs, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cheap := auth.CheapParams()
	svc := desk.New(db, blobs, desk.Options{PasswordParams: &cheap, Quiet: true,
		GroupRules: []desk.GroupRule{{Group: "staff", Role: ticket.RoleAgent, Queues: []string{"Servicedesk"}}}})
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	clock := clockwork.NewFakeClockAt(time.Now())
	sp := newSP(t, idp, base, "", dsig.NewFakeClock(clock))
	h, err := web.New(svc, web.Options{SAML: sp, Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = h
	srv.Start()
	t.Cleanup(srv.Close)
	s := &samlSite{site: &site{srv: srv, svc: svc}, sp: sp, clock: clock, idp: idp}
	md := s.client(t).get("/saml/metadata")
	if md.status != http.StatusOK || !strings.Contains(md.body, `entityID="`+base+`/saml/metadata"`) ||
		!strings.Contains(md.body, `Location="`+base+`/saml/acs"`) {
		t.Fatalf("/saml/metadata: got %d\n%s", md.status, md.body)
	}
	idp.Register(t, "servus", []byte(md.body))
	return s
}

// browserJar is one browser without JavaScript across servus and the IdP.
type browserJar struct {
	c    *client      // servus, no redirects followed
	walk *http.Client // the IdP's pages, redirects followed
}

func (s *samlSite) browser(t *testing.T) browserJar {
	c := s.client(t)
	return browserJar{c: c, walk: &http.Client{Jar: c.http.Jar}}
}

// logIn starts at /login/saml?next=next and signs user in at the IdP;
// the IdP's answer is returned, not yet posted.
func (s *samlSite) logIn(t *testing.T, b browserJar, next, user, password string) samltest.Form {
	t.Helper()
	return samltest.LogIn(t, b.walk, s.srv.URL+"/login/saml?next="+url.QueryEscape(next), user, password)
}

// post sends the IdP's answer to servus's ACS as the browser does from the
// IdP's page (another origin).
func (b browserJar) post(t *testing.T, f samltest.Form) answer {
	t.Helper()
	req, _ := http.NewRequest("POST", f.Action, strings.NewReader(f.Values.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Accept-Language", "en")
	return b.c.do(req)
}

// rewrite changes the XML of f's SAMLResponse with edit.
func rewrite(t *testing.T, f samltest.Form, edit func(string) string) samltest.Form {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(f.Values.Get("SAMLResponse"))
	if err != nil {
		t.Fatal(err)
	}
	out := samltest.Form{Action: f.Action, Values: url.Values{}}
	for k, v := range f.Values {
		out.Values[k] = append([]string(nil), v...)
	}
	changed := edit(string(raw))
	if changed == string(raw) {
		t.Fatal("the edit changed nothing")
	}
	out.Values.Set("SAMLResponse", base64.StdEncoding.EncodeToString([]byte(changed)))
	return out
}

func refusals(t *testing.T, svc *desk.Service) int {
	t.Helper()
	p, err := svc.AuditLog(context.Background(), access.System, desk.AuditFilter{Action: "session.refused"}, 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	return p.Total
}

// TestSAMLSignIn: on SQLite and PostgreSQL, against crewjam's samlidp in
// its own process, a person signs in over HTTP through the IdP's login
// form: anna (staff) becomes an agent in Servicedesk with her name,
// language and ID from the assertion and lands where she wanted to go;
// carla (student) a requester. Refused, each with the sign-in page's
// message and a session.refused audit row: the same answer again
// (replay), an answer with a changed attribute (tampered), one without
// signatures, one for another SP (audience), one that arrives too late
// (expired), and an answer without a mail address; a disabled account
// signs in no more.
func TestSAMLSignIn(t *testing.T) {
	forEachDB(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		s := newSAMLSite(t, dialect)
		en := i18n.New("en", "")
		refusedMsg := html.EscapeString(en.T(desk.ReasonSAMLRefused))

		pageHas(t, "login page", s.client(t).get("/login", "Accept-Language", "en"), `href="/login/saml"`, en.T("login.saml"))

		b := s.browser(t)
		answer := s.logIn(t, b, "/tickets/new", "anna", "pw-anna")
		if got := b.post(t, answer); got.status != http.StatusSeeOther || got.header.Get("Location") != "/tickets/new" {
			t.Fatalf("anna's answer: got %d to %q, want 303 to /tickets/new\n%s", got.status, got.header.Get("Location"), got.body)
		}
		pageHas(t, "anna's dashboard", b.c.get("/"), html.EscapeString(en.T("dashboard.hello", "Anna Agent")), `id="h-assigned"`)
		anna, err := s.svc.User(ctx, access.System, "anna@uni.example")
		if err != nil {
			t.Fatal(err)
		}
		if anna.Role != ticket.RoleAgent || anna.AuthSource != ticket.SourceSAML || anna.ExternalID != "anna@uni.example" || anna.Language != "en" {
			t.Errorf("anna: got role %s, source %s, ID %q, language %s; want agent, saml, anna@uni.example, en", anna.Role, anna.AuthSource, anna.ExternalID, anna.Language)
		}
		if a, err := s.svc.ActorByEmail(ctx, "anna@uni.example"); err != nil || len(a.Queues) != 1 {
			t.Errorf("anna's queues: %+v, %v; want Servicedesk", a.Queues, err)
		}

		if raw, _ := base64.StdEncoding.DecodeString(answer.Values.Get("SAMLResponse")); !strings.Contains(string(raw), "EncryptedAssertion") {
			t.Errorf("anna's answer has no encrypted assertion: the IdP did not encrypt to servus's certificate")
		}

		// The same answer again, from another browser: a replay.
		if got := s.browser(t).post(t, answer); got.status != http.StatusUnauthorized || !strings.Contains(got.body, refusedMsg) {
			t.Errorf("replayed answer: got %d, want 401 with the refusal\n%s", got.status, got.body)
		}

		// From here the IdP sends assertions in the clear (as for an SP
		// without an encryption key), so that they can be changed.
		md := s.client(t).get("/saml/metadata").body
		clear := regexp.MustCompile(`(?s)<(\w+:)?KeyDescriptor use="encryption">.*?</(\w+:)?KeyDescriptor>`).ReplaceAllString(md, "")
		if clear == md {
			t.Fatalf("no encryption key in servus's metadata:\n%s", md)
		}
		s.idp.Register(t, "servus", []byte(clear))

		// carla's answer with another address signed in: tampered.
		cb := s.browser(t)
		carla := s.logIn(t, cb, "/", "carla", "pw-carla")
		tampered := rewrite(t, carla, func(x string) string { return strings.ReplaceAll(x, "carla@uni.example", "mallory@uni.example") })
		unsigned := rewrite(t, carla, func(x string) string {
			return regexp.MustCompile(`(?s)<(\w+:)?Signature\b.*?</(\w+:)?Signature>`).ReplaceAllString(x, "")
		})
		elevated := rewrite(t, carla, func(x string) string { return strings.ReplaceAll(x, "student", "staff") })
		for name, f := range map[string]samltest.Form{"tampered address": tampered, "tampered affiliation": elevated, "unsigned": unsigned} {
			if got := cb.post(t, f); got.status != http.StatusUnauthorized || !strings.Contains(got.body, refusedMsg) {
				t.Errorf("%s answer: got %d, want 401 with the refusal\n%s", name, got.status, got.body)
			}
		}
		// The untouched answer still signs carla in: the refusals were
		// for the changes alone.
		if got := cb.post(t, carla); got.status != http.StatusSeeOther {
			t.Fatalf("carla's answer: got %d, want 303\n%s", got.status, got.body)
		}
		pageLacks(t, "carla's dashboard", cb.c.get("/"), `id="h-assigned"`)
		if _, err := s.svc.User(ctx, access.System, "mallory@uni.example"); ticket.ErrorCode(err) != ticket.ENOTFOUND {
			t.Errorf("the tampered address made an account: %v", err)
		}

		// An answer for another SP at the same address: wrong audience.
		other := newSP(t, s.idp, s.srv.URL, "https://other.example/sp", nil)
		otherMD, err := other.Metadata()
		if err != nil {
			t.Fatal(err)
		}
		s.idp.Register(t, "other", otherMD)
		to, id, err := other.Start()
		if err != nil {
			t.Fatal(err)
		}
		if err := s.svc.StartSAMLSignIn(ctx, id, "/"); err != nil {
			t.Fatal(err)
		}
		ob := s.browser(t)
		foreign := samltest.LogIn(t, ob.walk, to, "anna", "pw-anna")
		if got := ob.post(t, foreign); got.status != http.StatusUnauthorized || !strings.Contains(got.body, refusedMsg) {
			t.Errorf("answer for another audience: got %d, want 401 with the refusal\n%s", got.status, got.body)
		}

		// No mail address: a clear message, nothing made.
		nb := s.browser(t)
		if got := nb.post(t, s.logIn(t, nb, "/", "nomail", "pw-nomail")); got.status != http.StatusConflict ||
			!strings.Contains(got.body, html.EscapeString(en.T(desk.ReasonSAMLIncomplete))) {
			t.Errorf("answer without mail: got %d, want 409 with the message\n%s", got.status, got.body)
		}

		// carla disabled: refused.
		yes := true
		if _, err := s.svc.UpdateUser(ctx, access.System, "carla@uni.example", desk.UserPatch{Disabled: &yes}); err != nil {
			t.Fatal(err)
		}
		db := s.browser(t)
		if got := db.post(t, s.logIn(t, db, "/", "carla", "pw-carla")); got.status != http.StatusForbidden ||
			!strings.Contains(got.body, html.EscapeString(en.T("err.signin.saml_disabled"))) {
			t.Errorf("disabled carla: got %d, want 403 with the message\n%s", got.status, got.body)
		}

		// An answer that arrives after its time: expired.
		lb := s.browser(t)
		late := s.logIn(t, lb, "/", "anna", "pw-anna")
		s.clock.Advance(10 * time.Minute)
		if got := lb.post(t, late); got.status != http.StatusUnauthorized || !strings.Contains(got.body, refusedMsg) {
			t.Errorf("expired answer: got %d, want 401 with the refusal\n%s", got.status, got.body)
		}

		// replay, two tampered, unsigned, audience, no mail, disabled, expired
		if n := refusals(t, s.svc); n != 8 {
			t.Errorf("session.refused rows: got %d, want 8", n)
		}
	})
}

// TestSAMLBrowserSignIn: in Chromium (on SQLite), anna clicks the SAML
// button on /login, signs in on the IdP's own login page, is carried back
// by its auto-posting form and lands on the agent's dashboard with her
// name from the IdP; signing out ends the servus session.
func TestSAMLBrowserSignIn(t *testing.T) {
	browser(t)
	s := newSAMLSite(t, storetest.Dialects[0])
	ctx, cancel := chromedp.NewContext(browser(t), chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(cancelT)
	p := &person{t: t, ctx: ctx, base: s.srv.URL}
	p.open("/login")
	p.submit(`#saml-signin`)
	if loc := p.location(); !strings.HasPrefix(loc, s.idp.URL) {
		t.Fatalf("after the SAML button at %s, want the IdP's login page", loc)
	}
	p.do(chromedp.SetValue(chromedp.CSS(`input[name=user]`), "anna"), chromedp.SetValue(chromedp.CSS(`input[name=password]`), "pw-anna"))
	p.do(chromedp.Click(chromedp.CSS(`input[type=submit]`), chromedp.NodeVisible))
	p.do(chromedp.WaitVisible(chromedp.ID("h-assigned")))
	if loc := p.location(); loc != s.srv.URL+"/" {
		t.Errorf("after the IdP at %s, want the dashboard", loc)
	}
	if h := p.text("h1"); !strings.Contains(h, "Anna Agent") {
		t.Errorf("dashboard heading %q, want anna's name from the IdP", h)
	}
	p.submit(`form[action="/logout"] button`)
	if loc := p.location(); !strings.Contains(loc, "/login") {
		t.Errorf("after signing out at %s, want /login", loc)
	}
	p.open("/")
	if loc := p.location(); !strings.Contains(loc, "/login") {
		t.Errorf("after signing out, / is at %s, want /login", loc)
	}
}

// TestSAMLKeys: the messages the SAML handlers name by value exist.
func TestSAMLKeys(t *testing.T) {
	for _, k := range []string{desk.ReasonSAMLRefused, desk.ReasonSAMLIncomplete, "err.signin.saml_failed", "err.signin.saml_disabled", "login.saml", "login.or", "runtime.saml"} {
		if !i18n.Has(k) {
			t.Errorf("catalog key %s is missing", k)
		}
	}
}
