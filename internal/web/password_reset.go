package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/i18n"
	"github.com/servus-desk/servus/internal/ticket"
)

// forgotData is /password/forgot: the form, or the confirmation that is
// the same for every address.
type forgotData struct {
	Email string
	Sent  bool
}

// resetData is /password/reset: the form for a usable link, or what is
// wrong with the link (Problem: one of desk's ResetLink… reasons).
type resetData struct {
	Token   string
	Email   string
	Expires time.Time
	Problem string
}

// resetBucket is the rate limiter's bucket for reset requests from the
// client of r; apart from the sign-in buckets, so that one kind of attempt
// does not use up the other.
func (h *handler) resetBucket(r *http.Request) string {
	return "pwreset-ip:" + clientIP(r, h.trusted)
}

// pageLanguage honours ?lang=de|en on a page for people who are not signed
// in, as the sign-in page does: this page and the next ones speak it.
func (h *handler) pageLanguage(w http.ResponseWriter, r *http.Request, v *visit) {
	lang := i18n.Supported(r.URL.Query().Get("lang"))
	if lang == "" || v.signedIn {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode})
	v.l = i18n.New(lang, "").WithClock(h.now)
}

// passwordForgotForm asks for the address to send a reset link to.
func (h *handler) passwordForgotForm(w http.ResponseWriter, r *http.Request, v *visit) {
	h.pageLanguage(w, r, v)
	h.render(w, r, v, http.StatusOK, "password_forgot", &view{Title: v.l.T("pwreset.forgot_title"), Data: forgotData{}})
}

// passwordForgot asks desk to mail a reset link (desk.RequestPasswordReset)
// and answers with the same confirmation for any address, known or not.
// Requests are limited per client address like sign-ins (429 beyond).
func (h *handler) passwordForgot(w http.ResponseWriter, r *http.Request, v *visit) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	email := strings.TrimSpace(r.PostFormValue("email"))
	data := forgotData{Email: email}
	again := func(status int, msg string) {
		h.render(w, r, v, status, "password_forgot", &view{Title: v.l.T("pwreset.forgot_title"), Error: msg,
			Fields: map[string]bool{"email": true}, Data: data})
	}
	if email == "" {
		again(http.StatusBadRequest, v.l.T("pwreset.missing_email"))
		return
	}
	bucket := []string{h.resetBucket(r)}
	counts, err := h.svc.LoginFailures(r.Context(), bucket, h.window)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	if counts[bucket[0]] >= h.limit {
		w.Header().Set("Retry-After", itoa(int(h.window.Seconds())))
		again(http.StatusTooManyRequests, v.l.T("pwreset.too_many", int(h.window.Minutes())))
		return
	}
	// Every request counts, not only failures: each may send a mail.
	if err := h.svc.RecordLoginFailure(context.WithoutCancel(r.Context()), bucket, h.window); err != nil {
		h.fail(w, r, v, err)
		return
	}
	switch err := h.svc.RequestPasswordReset(r.Context(), email, v.l.Lang); ticket.ErrorCode(err) {
	case "":
	case ticket.EINVALID:
		again(http.StatusBadRequest, v.l.T("pwreset.bad_email"))
		return
	default:
		h.fail(w, r, v, err)
		return
	}
	data.Sent = true
	h.render(w, r, v, http.StatusOK, "password_forgot", &view{Title: v.l.T("pwreset.sent_heading"), Data: data})
}

// passwordResetForm is the page a reset mail links to: the form to set a
// new password, or, for a link that cannot be used, what is wrong with it
// and the way to a new one. The token is in the URL, so the page sends no
// Referer anywhere.
func (h *handler) passwordResetForm(w http.ResponseWriter, r *http.Request, v *visit) {
	w.Header().Set("Referrer-Policy", "no-referrer")
	h.pageLanguage(w, r, v)
	token := strings.TrimSpace(r.URL.Query().Get("token"))
	link, err := h.svc.CheckPasswordReset(r.Context(), token)
	if err != nil {
		h.resetProblem(w, r, v, err)
		return
	}
	h.render(w, r, v, http.StatusOK, "password_reset", &view{Title: v.l.T("pwreset.title"),
		Data: resetData{Token: token, Email: link.Email, Expires: link.Expires}})
}

// passwordReset sets the new password (desk.ResetPassword) and sends the
// person to sign in with it. Two different passwords, or one that breaks
// the rules, show the form again; a link that cannot be used (any more)
// shows why.
func (h *handler) passwordReset(w http.ResponseWriter, r *http.Request, v *visit) {
	w.Header().Set("Referrer-Policy", "no-referrer")
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	token := strings.TrimSpace(r.PostFormValue("token"))
	password, confirm := r.PostFormValue("password"), r.PostFormValue("password_confirm")
	link, err := h.svc.CheckPasswordReset(r.Context(), token)
	if err != nil {
		h.resetProblem(w, r, v, err)
		return
	}
	again := func(key string, fields ...string) {
		vw := &view{Title: v.l.T("pwreset.title"), Error: v.l.T(key), Fields: map[string]bool{},
			Data: resetData{Token: token, Email: link.Email, Expires: link.Expires}}
		for _, f := range fields {
			vw.Fields[f] = true
		}
		h.render(w, r, v, http.StatusBadRequest, "password_reset", vw)
	}
	switch {
	case password == "" || confirm == "":
		again("pwreset.missing_password", "password", "password_confirm")
		return
	case password != confirm:
		again("pwreset.mismatch", "password_confirm")
		return
	}
	// Hashing the new password costs as much as a sign-in: share its bound.
	select {
	case h.loginSem <- struct{}{}:
	case <-r.Context().Done():
		return
	}
	u, err := h.svc.ResetPassword(r.Context(), token, password)
	<-h.loginSem
	if err != nil {
		if ticket.ErrorCode(err) == ticket.EINVALID {
			again("pwreset.password_rules", "password")
			return
		}
		h.resetProblem(w, r, v, err)
		return
	}
	// Failed sign-ins before the reset no longer hold the account back.
	b := h.loginBuckets(u.Email, r)
	for _, bucket := range []string{b.pair, b.account} {
		if err := h.svc.ClearLoginFailures(context.WithoutCancel(r.Context()), bucket); err != nil {
			h.log.WarnContext(r.Context(), "web: clearing sign-in failures after a password reset failed", "err", err)
		}
	}
	if v.signedIn && v.actor.UserID == u.ID { // desk ended the session
		h.clearCookie(w, h.sessionCookieName())
	}
	h.setFlash(w, "flash.password_changed")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// resetProblem shows what is wrong with a reset link (404 for an unknown
// one, 410 for one that was used, replaced or expired), or fails with err
// when it is about something else.
func (h *handler) resetProblem(w http.ResponseWriter, r *http.Request, v *visit, err error) {
	reason := desk.ResetRefusal(err)
	status := http.StatusGone
	switch reason {
	case desk.ResetLinkUnknown:
		status = http.StatusNotFound
	case desk.ResetLinkUsed, desk.ResetLinkRevoked, desk.ResetLinkExpired:
	case desk.ResetLinkExternal:
		status = http.StatusConflict
	default:
		h.fail(w, r, v, err)
		return
	}
	h.render(w, r, v, status, "password_reset", &view{Title: v.l.T("pwreset." + reason + "_heading"),
		Data: resetData{Problem: reason}})
}
