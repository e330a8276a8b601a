package web

import (
	"context"
	"crypto/subtle"
	"net/http"
	"time"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// oidcStateCookie binds a sign-in with the OpenID Connect provider to the
// browser that began it: the callback's state must be the one this
// browser was given (no one can finish a sign-in in someone else's
// browser, "login CSRF").
const oidcStateCookie = "servus_oidc_state"

// oidcCallbackPath is where the provider sends the browser back; the
// redirect URI to register at the provider is the base URL plus this.
const oidcCallbackPath = "/login/oidc/callback"

func (h *handler) oidcRedirectURL() string { return h.baseURL + oidcCallbackPath }

// oidcStart begins a sign-in with the OpenID Connect provider
// (desk.BeginOpenID) and sends the browser there; a provider that cannot
// be reached is said so on the sign-in page (503), where local accounts
// still sign in.
func (h *handler) oidcStart(w http.ResponseWriter, r *http.Request, v *visit) {
	if !h.svc.OpenID() {
		h.renderError(w, r, v, http.StatusNotFound, "error.not_found")
		return
	}
	next := localPath(r.URL.Query().Get("next"))
	if v.signedIn {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	authURL, state, err := h.svc.BeginOpenID(r.Context(), h.oidcRedirectURL(), next)
	if err != nil {
		h.oidcFailed(w, r, v, next, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: oidcStateCookie, Value: state, Path: "/login/oidc", MaxAge: int(desk.OpenIDSignInTTL.Seconds()),
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, authURL, http.StatusSeeOther)
}

// oidcCallback finishes the sign-in when the provider sends the browser
// back (desk.FinishOpenID) and starts a servus session, as a password
// sign-in does. Whatever went wrong is said on the sign-in page.
func (h *handler) oidcCallback(w http.ResponseWriter, r *http.Request, v *visit) {
	if !h.svc.OpenID() {
		h.renderError(w, r, v, http.StatusNotFound, "error.not_found")
		return
	}
	q := r.URL.Query()
	state := q.Get("state")
	c, err := r.Cookie(oidcStateCookie)
	h.clearCookieAt(w, oidcStateCookie, "/login/oidc")
	if err != nil || state == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(state)) != 1 {
		h.log.WarnContext(r.Context(), "web: OpenID Connect callback without this browser's state", "cookie", err == nil)
		h.oidcFailed(w, r, v, "/", ticket.E(ticket.EINVALID, desk.ReasonOpenIDState))
		return
	}
	if e := q.Get("error"); e != "" || q.Get("code") == "" {
		err := h.svc.CancelOpenID(r.Context(), state)
		h.log.WarnContext(r.Context(), "web: the OpenID provider sent no code", "error", clipLog(e), "description", clipLog(q.Get("error_description")))
		h.oidcFailed(w, r, v, "/", err)
		return
	}
	a, next, err := h.svc.FinishOpenID(r.Context(), h.oidcRedirectURL(), state, q.Get("code"))
	if err != nil {
		h.oidcFailed(w, r, v, "/", err)
		return
	}
	token, err := h.svc.StartSession(r.Context(), a, h.ttl)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.setSessionCookie(w, token)
	if _, err := h.svc.DeleteExpiredSessions(r.Context()); err != nil {
		h.log.WarnContext(r.Context(), "web: deleting expired sessions failed", "err", err)
	}
	http.Redirect(w, r, localPath(next), http.StatusSeeOther)
}

// oidcFailed shows the sign-in page with what went wrong.
func (h *handler) oidcFailed(w http.ResponseWriter, r *http.Request, v *visit, next string, err error) {
	status := http.StatusForbidden
	switch reason := ticket.ErrorReason(err); reason {
	case desk.ReasonOpenIDDown:
		h.log.ErrorContext(r.Context(), "web: sign-in with the OpenID provider failed", "err", err)
		status = http.StatusServiceUnavailable
	case desk.ReasonOpenIDState, desk.ReasonOpenIDCancelled:
		status = http.StatusBadRequest
	case desk.ReasonOpenIDRefused, desk.ReasonOpenIDEmail, desk.ReasonOpenIDDisabled:
		h.log.WarnContext(r.Context(), "web: OpenID Connect sign-in refused", "err", err)
	case desk.ReasonDirectoryDuplicate, desk.ReasonLocalAccount:
		h.log.WarnContext(r.Context(), "web: OpenID Connect sign-in refused", "err", err)
		status = http.StatusConflict
	default:
		h.fail(w, r, v, err)
		return
	}
	h.render(w, r, v, status, "login", &view{Title: v.l.T("login.title"), Error: v.l.T(ticket.ErrorReason(err)),
		Data: h.loginData(v, "", next)})
}

// clearCookieAt removes the cookie name set for path.
func (h *handler) clearCookieAt(w http.ResponseWriter, name, path string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: path, MaxAge: -1, HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode})
}

// oidcLogoutURL is where logout sends a person who signed in with the
// provider: its end_session_endpoint (which comes back to /login), or ""
// to stay with servus.
func (h *handler) oidcLogoutURL(ctx context.Context, v *visit) string {
	if !h.svc.OpenID() {
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	u, err := h.svc.OpenIDLogoutURL(ctx, v.actor, h.baseURL+"/login")
	if err != nil {
		h.log.WarnContext(ctx, "web: the provider's logout address", "err", err)
		return ""
	}
	return u
}

// clipLog shortens what a provider sent for the log.
func clipLog(s string) string {
	if len(s) > 200 {
		return s[:200]
	}
	return s
}
