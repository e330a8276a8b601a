// Package web is servus's server-rendered web application: the requester
// portal and the agent desk. Every route is listed in routes.go; each page
// or action is one file with methods on handler: parse the request, call
// one desk use case, render a template or redirect. Templates, styles and
// scripts are embedded and parsed when New runs, so a broken template fails
// at start, not on a request.
//
// Security: sessions live in the database (only the SHA-256 of the cookie's
// token is stored), cookies are HttpOnly, SameSite=Lax and Secure behind an
// https base URL; every state-changing request passes Go's
// http.CrossOriginProtection; sign-in is rate limited per e-mail and per
// client address and runs at most a few password checks at once; every
// response carries a Content-Security-Policy without inline scripts.
// Visibility is desk's and access's: a ticket the person may not see is a
// 404 page.
package web

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/i18n"
	"github.com/servus-desk/servus/internal/saml"
)

//go:embed templates static
var assets embed.FS

// Options configure the web application; zero values take defaults.
type Options struct {
	Logger  *slog.Logger
	BaseURL string // public URL; an https one makes cookies Secure
	// SessionTTL is how long a session lasts without use (sliding);
	// default 12 hours.
	SessionTTL time.Duration
	// LoginLimit failed sign-ins for one account from one client address
	// within LoginWindow answer 429 to that client for that account, and so
	// do LoginClientLimit failures from one client for any accounts;
	// defaults 10, 15 minutes and three times LoginLimit. Failures of an
	// account beyond LoginLimit from all clients together slow down the
	// clients that failed (see loginDelay), never one without failures.
	LoginLimit       int
	LoginWindow      time.Duration
	LoginClientLimit int
	// Sleep waits d or until ctx ends (then its error); default a timer.
	// Tests count the delays with it.
	Sleep func(ctx context.Context, d time.Duration) error
	// LoginConcurrency bounds the password checks running at once (each
	// takes 64 MiB of memory with servus's argon2id cost); default 4.
	LoginConcurrency int
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client (for sign-in limits); none by default.
	TrustedProxies []netip.Prefix
	// Runtime is what this instance was started with (database, base URL,
	// mail servers, limits, version), shown read-only to admins on
	// /admin/settings. Each Name is a catalog key; no Value may hold a
	// password (app redacts them).
	Runtime []Setting
	// SettingsTTL is how long the desk-wide settings (desk.Settings) read
	// once serve the requests that follow; then the next request reads them
	// again, taking up what another instance saved. Default 5 seconds; a
	// save in this instance takes effect here at once.
	SettingsTTL time.Duration
	Now         func() time.Time // clock; default time.Now
	// Directory tells that people sign in with the LDAP directory too: the
	// sign-in form asks for a user name or e-mail address (desk.SignIn).
	Directory bool
	// OpenIDName is the OpenID Connect provider's name on the sign-in
	// page's button ("Sign in with …") when the desk.Service has a
	// provider; default "OpenID Connect". Its redirect URI is BaseURL +
	// "/login/oidc/callback".
	OpenIDName string
	// ReadTimeout is how long a signed-in person's request body may take
	// to arrive: the server cuts everyone else's after a few seconds
	// (server.Options.BodyTimeout), a signed-in person gets this from the
	// moment their session is known. Zero leaves the connection's deadline.
	ReadTimeout time.Duration
	// SAML, when set, signs people in with a SAML identity provider too
	// (login_saml.go); SAMLLabel is its button's text (default: the
	// catalog's).
	SAML      *saml.SP
	SAMLLabel string
}

// handler holds what every page needs; its methods are the routes.
type handler struct {
	svc         *desk.Service
	log         *slog.Logger
	pages       map[string]*page
	static      fs.FS
	secure      bool
	baseURL     string // Options.BaseURL without a trailing slash (links in text modules)
	ttl         time.Duration
	limit       int
	clientLimit int
	window      time.Duration
	sleep       func(ctx context.Context, d time.Duration) error
	readTimeout time.Duration
	loginSem    chan struct{}
	trusted     []netip.Prefix
	runtime     []Setting
	settings    *settingsCache
	now         func() time.Time
	directory   bool
	openIDName  string
	saml        *saml.SP
	samlLabel   string
}

// New returns the web application for every path servus does not serve
// otherwise (mount it at "/"). Its error is a broken template, a text
// missing from the catalog, or a bad option.
func New(svc *desk.Service, opts Options) (http.Handler, error) {
	h, err := newHandler(svc, opts)
	if err != nil {
		return nil, err
	}
	return h.router(), nil
}

func newHandler(svc *desk.Service, o Options) (*handler, error) {
	h := &handler{svc: svc, log: o.Logger, ttl: o.SessionTTL, limit: o.LoginLimit, window: o.LoginWindow, now: o.Now,
		trusted: o.TrustedProxies, directory: o.Directory, saml: o.SAML, samlLabel: o.SAMLLabel}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.ttl <= 0 {
		h.ttl = 12 * time.Hour
	}
	if h.limit <= 0 {
		h.limit = 10
	}
	if h.window <= 0 {
		h.window = 15 * time.Minute
	}
	if h.clientLimit = o.LoginClientLimit; h.clientLimit <= 0 {
		h.clientLimit = 3 * h.limit
	}
	h.readTimeout = o.ReadTimeout
	if h.sleep = o.Sleep; h.sleep == nil {
		h.sleep = sleepCtx
	}
	if h.now == nil {
		h.now = time.Now
	}
	n := o.LoginConcurrency
	if n <= 0 {
		n = 4
	}
	h.loginSem = make(chan struct{}, n)
	for _, st := range o.Runtime {
		if !i18n.Has(st.Name) {
			return nil, fmt.Errorf("web: runtime setting %q has no text in the catalog", st.Name)
		}
	}
	h.runtime = o.Runtime
	h.settings = newSettingsCache(svc, o.SettingsTTL, h.now, h.log)
	h.secure = strings.HasPrefix(strings.ToLower(o.BaseURL), "https://")
	h.baseURL, h.openIDName = strings.TrimRight(o.BaseURL, "/"), o.OpenIDName
	if h.openIDName == "" {
		h.openIDName = "OpenID Connect"
	}
	var err error
	if h.pages, err = parsePages(assets); err != nil {
		return nil, fmt.Errorf("web templates: %w", err)
	}
	if h.static, err = fs.Sub(assets, "static"); err != nil {
		return nil, err
	}
	return h, nil
}

// sleepCtx waits d, or until ctx ends and then returns its error.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
