package web

import (
	"context"
	"net/http"
	"time"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/i18n"
	"github.com/servus-desk/servus/internal/ticket"
)

// loginData is the sign-in form.
type loginData struct {
	Email     string
	Next      string
	Directory bool   // the directory's user names are taken too
	OpenID    string // the OpenID Connect provider's name on its button; "" without one
	SAML      string // the SAML sign-in button's text; "" without SAML
}

// loginData is the sign-in form with email filled in, going to next.
func (h *handler) loginData(v *visit, email, next string) loginData {
	d := loginData{Email: email, Next: next, Directory: h.directory, SAML: h.samlButton(v)}
	if h.svc.OpenID() {
		d.OpenID = h.openIDName
	}
	return d
}

// loginForm shows the sign-in page; ?lang=de|en switches its language for
// this browser.
func (h *handler) loginForm(w http.ResponseWriter, r *http.Request, v *visit) {
	if v.signedIn {
		http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	if lang := i18n.Supported(r.URL.Query().Get("lang")); lang != "" {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode})
		v.l = i18n.New(lang, "").WithClock(h.now)
	}
	h.render(w, r, v, http.StatusOK, "login", &view{Title: v.l.T("login.title"),
		Data: h.loginData(v, "", localPath(r.URL.Query().Get("next")))})
}

// loginBuckets are the rate limiter's buckets for a sign-in attempt: the
// account from this client, the client across accounts, and the account
// from every client.
type loginBuckets struct{ pair, client, account string }

func (h *handler) loginBuckets(email string, r *http.Request) loginBuckets {
	email, ip := ticket.NormalizeEmail(email), clientIP(r, h.trusted)
	return loginBuckets{pair: "pair:" + ip + " " + email, client: "ip:" + ip, account: "email:" + email}
}

func (b loginBuckets) all() []string { return []string{b.pair, b.client, b.account} }

// loginDelay is how long a sign-in attempt from a client that failed
// before waits: a quarter second for each failure of this client for this
// account, or for each third failure of it for any account, or for each
// failure of the account beyond limit from all clients together
// (distributed guessing), whichever is most; at most 5 seconds. A client
// with no failures never waits.
func loginDelay(pair, client, account, limit int) time.Duration {
	if pair == 0 && client == 0 {
		return 0
	}
	n := max(pair, client/3, account-limit+1)
	return min(time.Duration(n)*250*time.Millisecond, 5*time.Second)
}

// login checks e-mail (or, with a directory, the directory's user name)
// and password (desk.SignIn). Success: a new session and a 303 to
// where the person wanted to go. Failure: the form again with 401, and the
// audit row session.fail; a refusal by the limits writes session.limited
// once per window for the limit that held. Guessing
// is held back without letting anyone lock anyone else out: a client with
// too many failures for one account (the limit), or for all accounts
// together (the client limit), gets 429 for them; an account that fails
// often from many clients slows down the attempts of every client that
// failed too, while a client with no failures signs in at once.
func (h *handler) login(w http.ResponseWriter, r *http.Request, v *visit) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	email, password := r.PostFormValue("email"), r.PostFormValue("password")
	data := h.loginData(v, email, localPath(r.PostFormValue("next")))
	again := func(status int, key string) {
		h.render(w, r, v, status, "login", &view{Title: v.l.T("login.title"), Error: v.l.T(key), Data: data})
	}
	if email == "" || password == "" {
		again(http.StatusBadRequest, "login.missing")
		return
	}
	b := h.loginBuckets(email, r)
	counts, err := h.svc.LoginFailures(r.Context(), b.all(), h.window)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	if counts[b.pair] >= h.limit || counts[b.client] >= h.clientLimit {
		// Audited once per window for the limit that held, not per request.
		mark, limit := b.pair, "account from this client"
		if counts[b.client] >= h.clientLimit {
			mark, limit = b.client, "this client, all accounts"
		}
		if err := h.svc.SignInLimited(context.WithoutCancel(r.Context()), mark, h.window, email, clientIP(r, h.trusted), limit); err != nil {
			h.fail(w, r, v, err)
			return
		}
		w.Header().Set("Retry-After", itoa(int(h.window.Seconds())))
		h.render(w, r, v, http.StatusTooManyRequests, "login", &view{Title: v.l.T("login.title"),
			Error: v.l.T("login.too_many", int(h.window.Minutes())), Data: data})
		return
	}
	if d := loginDelay(counts[b.pair], counts[b.client], counts[b.account], h.limit); d > 0 {
		if err := h.sleep(r.Context(), d); err != nil {
			return // the client gave up
		}
	}
	// The password check costs 64 MiB: only a few at once; the others
	// wait (as long as the client does). A sign-in with the directory
	// checks no hash here and takes no slot, so a directory that hangs
	// does not hold up local accounts.
	local, err := h.svc.SignsInLocally(r.Context(), email)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	if local {
		select {
		case h.loginSem <- struct{}{}:
		case <-r.Context().Done():
			return
		}
	}
	a, err := h.svc.SignIn(r.Context(), email, password)
	if local {
		<-h.loginSem
	}
	switch reason := ticket.ErrorReason(err); {
	case err == nil:
	case reason == desk.ReasonDirectoryDown:
		// Not the person's fault: no failure counted; local accounts
		// still sign in.
		h.log.ErrorContext(r.Context(), "web: sign-in with the directory failed", "err", err)
		again(http.StatusServiceUnavailable, reason)
		return
	case reason == desk.ReasonDirectoryDuplicate, reason == desk.ReasonLocalAccount:
		h.log.WarnContext(r.Context(), "web: directory sign-in refused", "login", email, "err", err)
		again(http.StatusConflict, reason)
		return
	}
	switch ticket.ErrorCode(err) {
	case "":
	case ticket.EUNAUTHORIZED:
		if err := h.svc.SignInFailed(context.WithoutCancel(r.Context()), b.all(), h.window, email, clientIP(r, h.trusted)); err != nil {
			h.fail(w, r, v, err)
			return
		}
		again(http.StatusUnauthorized, "login.wrong")
		return
	default:
		h.fail(w, r, v, err)
		return
	}
	if err := h.svc.ClearLoginFailures(r.Context(), b.pair); err != nil {
		h.fail(w, r, v, err)
		return
	}
	token, err := h.svc.StartSession(r.Context(), a, h.ttl)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.setSessionCookie(w, token)
	// Sign-ins sweep away sessions that expired, so the table stays small.
	if _, err := h.svc.DeleteExpiredSessions(r.Context()); err != nil {
		h.log.WarnContext(r.Context(), "web: deleting expired sessions failed", "err", err)
	}
	http.Redirect(w, r, data.Next, http.StatusSeeOther)
}

// logout ends the session and returns to the sign-in page, or, for a
// person who signed in with the OpenID Connect provider, goes on to the
// provider's logout (which comes back to the sign-in page).
func (h *handler) logout(w http.ResponseWriter, r *http.Request, v *visit) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 5*time.Second)
	defer cancel()
	if err := h.svc.EndSession(ctx, v.token); err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.clearCookie(w, h.sessionCookieName())
	h.setFlash(w, "flash.signed_out")
	if u := h.oidcLogoutURL(ctx, v); u != "" {
		http.Redirect(w, r, u, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
