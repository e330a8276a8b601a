package web_test

import (
	"context"
	"html"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/auth"
	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/directory"
	"github.com/servus-desk/servus/internal/directory/slapdtest"
	"github.com/servus-desk/servus/internal/i18n"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
	"github.com/servus-desk/servus/internal/web"
)

// newLDAPSite is the fixture's site signing people in with slapd s too
// (over ldaps://): the network group makes agents in Servicedesk.
func newLDAPSite(t *testing.T, dialect string, s *slapdtest.Server) *site {
	t.Helper()
	db := storetest.Open(t, dialect)
	seedFixture(t, db)
	blobs, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	dir, err := directory.New(directory.Config{URL: s.LDAPS, BaseDN: slapdtest.Base, BindDN: slapdtest.ServiceDN,
		BindPassword: slapdtest.ServicePW, CAFile: s.CAFile, Groups: []string{slapdtest.NetworkDN}})
	if err != nil {
		t.Fatal(err)
	}
	cheap := auth.CheapParams()
	svc := desk.New(db, blobs, desk.Options{PasswordParams: &cheap, Directory: dir,
		GroupRules: []desk.GroupRule{{Group: slapdtest.NetworkDN, Role: ticket.RoleAgent, Queues: []string{"Servicedesk"}}}})
	h, err := web.New(svc, web.Options{Directory: true, Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &site{srv: srv, svc: svc}
}

// TestLDAPLogin: /login with a directory takes a user name: anna (in the
// network group) lands on the agent's dashboard; a wrong password and an
// unknown name answer alike and count as failed sign-ins; a reset link
// mailed to an account made by mail stops working once the account is the
// directory's; a directory that is down is said so with 503, while a local
// account signs in.
func TestLDAPLogin(t *testing.T) {
	forEachDB(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		s := slapdtest.Start(t)
		site := newLDAPSite(t, dialect, s)
		en := i18n.New("en", "")

		form := site.client(t).get("/login", "Accept-Language", "en")
		pageHas(t, "login form", form, `type="text"`, en.T("login.label_directory"))

		// carla wrote by mail before and asked for a password link.
		if _, err := site.svc.CreateUser(ctx, access.System, desk.NewUser{Email: "carla@uni.example", Name: "carla"}); err != nil {
			t.Fatal(err)
		}
		if err := site.svc.RequestPasswordReset(ctx, "carla@uni.example", "en"); err != nil {
			t.Fatal(err)
		}
		token := mailedTokens(t, site)["carla@uni.example"]

		c := site.client(t)
		if a := c.post("/login", url.Values{"email": {"anna"}, "password": {"pw-anna"}}); a.status != http.StatusSeeOther {
			t.Fatalf("anna: got %d, want 303\n%s", a.status, a.body)
		}
		pageHas(t, "anna's dashboard", c.get("/"), html.EscapeString(en.T("dashboard.hello", "Anna Agent")), `id="h-assigned"`)

		wrong := site.client(t).post("/login", url.Values{"email": {"anna"}, "password": {"nope"}}, "Accept-Language", "en")
		unknown := site.client(t).post("/login", url.Values{"email": {"nobody*"}, "password": {"nope"}}, "Accept-Language", "en")
		for _, a := range []answer{wrong, unknown} {
			if a.status != http.StatusUnauthorized {
				t.Errorf("got %d, want 401", a.status)
			}
			pageHas(t, "failed sign-in", a, html.EscapeString(en.T("login.wrong")))
		}
		if p, err := site.svc.AuditLog(ctx, access.System, desk.AuditFilter{Action: "session.fail"}, 1, 10); err != nil || p.Total != 2 {
			t.Errorf("session.fail rows: %+v, %v; want 2", p, err)
		}

		cc := site.client(t)
		if a := cc.post("/login", url.Values{"email": {"carla"}, "password": {"pw-carla"}}); a.status != http.StatusSeeOther {
			t.Fatalf("carla: got %d\n%s", a.status, a.body)
		}
		pageHas(t, "carla's reset link", site.client(t).get("/password/reset?token="+url.QueryEscape(token), "Accept-Language", "en"),
			html.EscapeString(en.T("pwreset.external_heading")))

		// The admin sees where carla signs in, and cannot mail her a link.
		if _, err := site.svc.CreateUser(ctx, access.System, desk.NewUser{Email: "ada@zid.example", Name: "Ada Admin",
			Role: ticket.RoleAdmin, Password: fixturePassword, Language: "en"}); err != nil {
			t.Fatal(err)
		}
		admin := site.signedIn(t, "ada@zid.example")
		carla, err := site.svc.User(ctx, access.System, "carla@uni.example")
		if err != nil {
			t.Fatal(err)
		}
		id := strconv.FormatInt(carla.ID, 10)
		pageHas(t, "carla's admin page", admin.get("/admin/users/"+id), en.T("manage.auth_source.ldap"))
		refused := admin.post("/admin/users/"+id+"/reset", url.Values{})
		if refused.status != http.StatusConflict {
			t.Errorf("reset link for a directory account: got %d, want 409", refused.status)
		}
		pageHas(t, "reset refused", refused, html.EscapeString(en.T("manage.reset_external")))

		s.Stop()
		down := site.client(t).post("/login", url.Values{"email": {"anna"}, "password": {"pw-anna"}}, "Accept-Language", "en")
		if down.status != http.StatusServiceUnavailable {
			t.Errorf("directory down: got %d, want 503", down.status)
		}
		pageHas(t, "directory down", down, html.EscapeString(en.T("err.signin.directory_down")))
		if a := site.client(t).login(agentEmail, fixturePassword); a.status != http.StatusSeeOther {
			t.Errorf("local agent while the directory is down: got %d, want 303", a.status)
		}
	})
}

// TestLDAPBrowserSignIn: in Chromium, anna signs in through /login with her
// directory user name and password (over ldaps://, on SQLite) and lands
// on the agent's dashboard with her directory name; a requester's
// dashboard has no list of assigned tickets.
func TestLDAPBrowserSignIn(t *testing.T) {
	browser(t)
	s := slapdtest.Start(t)
	site := newLDAPSite(t, storetest.Dialects[0], s)
	p := signIn(t, &instance{URL: site.srv.URL}, "anna", "pw-anna")
	if loc := p.location(); loc != site.srv.URL+"/" {
		t.Errorf("after sign-in at %s, want the dashboard", loc)
	}
	if h := p.text("h1"); !strings.Contains(h, "Anna Agent") {
		t.Errorf("dashboard heading %q, want anna's directory name", h)
	}
	if p.text("#h-assigned") == "" {
		t.Errorf("anna's dashboard has no list of assigned tickets (an agent's):\n%s", p.body())
	}
	c := signIn(t, &instance{URL: site.srv.URL}, "carla@uni.example", "pw-carla")
	if c.text("#h-assigned") != "" {
		t.Error("carla (no mapped group) got an agent's dashboard")
	}
}

// TestLDAPHungDirectory: a directory that accepts connections and never
// answers holds up only the sign-ins that ask it (until --ldap-timeout),
// never the local accounts' password checks, even with a single slot for
// them.
func TestLDAPHungDirectory(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	accepted := make(chan net.Conn, 2)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- c // held open, never answered
		}
	}()
	db := storetest.Open(t, storetest.Dialects[0])
	seedFixture(t, db)
	dir, err := directory.New(directory.Config{URL: "ldap://" + ln.Addr().String(), BaseDN: slapdtest.Base, Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	cheap := auth.CheapParams()
	svc := desk.New(db, nil, desk.Options{PasswordParams: &cheap, Quiet: true, Directory: dir})
	h, err := web.New(svc, web.Options{Directory: true, LoginConcurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	site := &site{srv: srv, svc: svc}
	hung := make(chan answer, 2)
	for range 2 {
		go func() {
			hung <- site.client(t).post("/login", url.Values{"email": {"anna"}, "password": {"pw-anna"}}, "Accept-Language", "en")
		}()
	}
	for range 2 { // both sign-ins wait for the directory now
		c := <-accepted
		t.Cleanup(func() { c.Close() })
	}
	start := time.Now()
	if a := site.client(t).login(agentEmail, fixturePassword); a.status != http.StatusSeeOther {
		t.Errorf("local agent: got %d, want 303", a.status)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("the local sign-in took %v behind the hung directory", d)
	}
	for range 2 {
		if a := <-hung; a.status != http.StatusServiceUnavailable {
			t.Errorf("sign-in with the hung directory: got %d, want 503", a.status)
		}
	}
}
