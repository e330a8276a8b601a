package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/i18n"
	"github.com/servus-desk/servus/internal/ticket"
)

// handlerFunc is a route's handler; v says who is asking and how to speak
// to them.
type handlerFunc func(w http.ResponseWriter, r *http.Request, v *visit)

// visit is one request's person: signed in or not, their language and time
// zone.
type visit struct {
	actor    access.Actor
	signedIn bool
	token    string
	l        *i18n.Localizer
}

// Cookie names. Behind https the session cookie carries the __Host- prefix,
// so that no subdomain can set or widen it.
const (
	sessionCookie       = "servus_session"
	secureSessionCookie = "__Host-servus_session"
	langCookie          = "servus_lang"
	flashCookie         = "servus_flash"
)

func (h *handler) sessionCookieName() string {
	if h.secure {
		return secureSessionCookie
	}
	return sessionCookie
}

// visit reads the session cookie, if any, and picks the language: the
// person's setting when signed in, else the language cookie (from the
// switch on the sign-in page), else Accept-Language, else the desk's
// default language (a setting). The time zone is the person's, else the
// desk's default.
func (h *handler) visit(w http.ResponseWriter, r *http.Request) *visit {
	v := &visit{}
	site := h.settings.get(r.Context())
	if c, err := r.Cookie(h.sessionCookieName()); err == nil && c.Value != "" {
		s, err := h.svc.SessionActor(r.Context(), c.Value, h.ttl)
		switch ticket.ErrorCode(err) {
		case "":
			v.actor, v.signedIn, v.token = s.Actor, true, c.Value
			if h.readTimeout > 0 { // a known person may upload slowly
				_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(h.readTimeout))
			}
			zone := s.TimeZone
			if zone == "" {
				zone = site.TimeZone
			}
			v.l = i18n.New(s.Actor.Lang, zone).WithClock(h.now)
			return v
		case ticket.EUNAUTHORIZED:
			h.clearCookie(w, h.sessionCookieName())
		default:
			h.log.ErrorContext(r.Context(), "web: session lookup failed", "err", err, "path", r.URL.Path)
		}
	}
	lang := ""
	if c, err := r.Cookie(langCookie); err == nil {
		lang = i18n.Supported(c.Value)
	}
	if lang == "" {
		lang = negotiate(r.Header.Get("Accept-Language"), site.Language)
	}
	v.l = i18n.New(lang, site.TimeZone).WithClock(h.now)
	return v
}

// anonymous is a visit without a session lookup, in the browser's
// language.
func (h *handler) anonymous(r *http.Request) *visit {
	site := h.settings.get(r.Context())
	return &visit{l: i18n.New(negotiate(r.Header.Get("Accept-Language"), site.Language), site.TimeZone).WithClock(h.now)}
}

// negotiate picks the language for an Accept-Language header
// (i18n.Negotiate), or fallback when the header asks for no language
// servus speaks.
func negotiate(acceptLanguage, fallback string) string {
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if i18n.Supported(primary) == "" {
			continue
		}
		if q, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(q, 64); err == nil && f <= 0 {
				continue
			}
		}
		return i18n.Negotiate(acceptLanguage)
	}
	return fallback
}

// setSessionCookie hands the browser its session token.
func (h *handler) setSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: h.sessionCookieName(), Value: token, Path: "/",
		MaxAge: int(h.ttl.Seconds()), HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode,
	})
}

func (h *handler) clearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: h.secure || strings.HasPrefix(name, "__Host-"), SameSite: http.SameSiteLaxMode})
}

// setFlash leaves a message (a catalog key) for the next page.
func (h *handler) setFlash(w http.ResponseWriter, key string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: key, Path: "/", MaxAge: 60, HttpOnly: true,
		Secure: h.secure, SameSite: http.SameSiteLaxMode})
}

// takeFlash returns the flash message's key (only a known one) and clears
// it.
func (h *handler) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil || c.Value == "" {
		return ""
	}
	h.clearCookie(w, flashCookie)
	if !strings.HasPrefix(c.Value, "flash.") || !i18n.Has(c.Value) {
		return ""
	}
	return c.Value
}

// toLogin sends someone who is not signed in to the sign-in page, which
// brings them back here afterwards.
func (h *handler) toLogin(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Path
	if r.Method == http.MethodGet && r.URL.RawQuery != "" {
		next += "?" + r.URL.RawQuery
	}
	target := "/login"
	if next != "/" && r.Method == http.MethodGet {
		target += "?next=" + url.QueryEscape(next)
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// localPath returns next when a browser would read it as a path on this
// site, else "/": a redirect never leaves servus. next is read the way the
// WHATWG URL parser reads it (leading and trailing spaces and control
// characters dropped, backslashes as slashes); a tab or newline inside,
// which browsers drop ("/\t/evil.example" is "//evil.example" to them),
// or any other control character refuses it, as do encoded slashes and
// backslashes right after the first slash, a scheme or a host.
func localPath(next string) string {
	s := strings.TrimFunc(next, func(r rune) bool { return r <= ' ' })
	for _, r := range s {
		if r < ' ' || r == 0x7f {
			return "/"
		}
	}
	s = strings.ReplaceAll(s, "\\", "/")
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") {
		return "/"
	}
	// "/%2F…" and "/%5C…" decode to "//…" in some servers and proxies.
	if lower := strings.ToLower(s); strings.HasPrefix(lower, "/%2f") || strings.HasPrefix(lower, "/%5c") {
		return "/"
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") ||
		strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	// What is sent is what was checked: re-encoded, so the Location
	// header carries no raw spaces or non-ASCII a client might read
	// otherwise.
	out := u.EscapedPath()
	if u.RawQuery != "" {
		out += "?" + u.RawQuery
	}
	if u.Fragment != "" {
		out += "#" + u.EscapedFragment()
	}
	return out
}
