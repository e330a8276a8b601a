package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/saml"
	"github.com/servus-desk/servus/internal/ticket"
)

// samlButton is the text of the SAML sign-in button; "" without SAML.
func (h *handler) samlButton(v *visit) string {
	switch {
	case h.saml == nil:
		return ""
	case h.samlLabel != "":
		return h.samlLabel
	}
	return v.l.T("login.saml")
}

// samlMetadata serves servus's SAML SP metadata, for the identity provider
// (or the federation's registry); 404 without SAML.
func (h *handler) samlMetadata(w http.ResponseWriter, r *http.Request, v *visit) {
	if h.saml == nil {
		h.renderError(w, r, v, http.StatusNotFound, "error.not_found")
		return
	}
	md, err := h.saml.Metadata()
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	w.Header().Set("Content-Type", "application/samlmetadata+xml")
	_, _ = w.Write(md)
}

// samlStart sends the browser to the identity provider with an
// authentication request (HTTP-Redirect binding), which servus records
// (with where to go afterwards) until its answer arrives at samlACS.
func (h *handler) samlStart(w http.ResponseWriter, r *http.Request, v *visit) {
	if h.saml == nil {
		h.renderError(w, r, v, http.StatusNotFound, "error.not_found")
		return
	}
	next := localPath(r.URL.Query().Get("next"))
	if v.signedIn {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	to, id, err := h.saml.Start()
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	if err := h.svc.StartSAMLSignIn(r.Context(), id, next); err != nil {
		h.fail(w, r, v, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// samlACS is the assertion consumer service: it takes the identity
// provider's answer (HTTP-POST binding), accepts it only as the first
// answer to an open request of servus with a valid signature of the IdP
// and an assertion never used before (saml.SP.Verify), makes or updates
// the person's account (desk.SignInExternal) and starts a servus session,
// as the password sign-in does. A refused answer shows the sign-in page
// with the reason and is audited as session.refused.
func (h *handler) samlACS(w http.ResponseWriter, r *http.Request, v *visit) {
	if h.saml == nil {
		h.renderError(w, r, v, http.StatusNotFound, "error.not_found")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 512<<10)
	if err := r.ParseForm(); err != nil {
		h.samlRefused(w, r, v, http.StatusBadRequest, desk.ReasonSAMLRefused, h.saml.IdPEntityID(), fmt.Errorf("the form cannot be read: %w", err))
		return
	}
	ctx := r.Context()
	requestID := saml.InResponseTo(r.PostForm.Get("SAMLResponse"))
	next := "/"
	if requestID != "" {
		n, err := h.svc.OpenSAMLRequest(ctx, requestID)
		switch ticket.ErrorCode(err) {
		case "":
			next = n
		case ticket.ENOTFOUND:
			requestID = "" // the response is refused below, with crewjam's reason
		default:
			h.fail(w, r, v, err)
			return
		}
	}
	used := func(id string, expires time.Time) error {
		err := h.svc.UseSAMLAssertion(context.WithoutCancel(ctx), id, expires)
		if ticket.ErrorCode(err) == ticket.ECONFLICT {
			return fmt.Errorf("assertion %s was used before", id)
		}
		return err
	}
	who, err := h.saml.Verify(r, requestID, used)
	switch {
	case err == nil:
	case errors.Is(err, saml.ErrIdPFailed):
		h.samlRefused(w, r, v, http.StatusUnauthorized, "err.signin.saml_failed", h.saml.IdPEntityID(), err)
		return
	case errors.Is(err, saml.ErrIncomplete):
		h.samlRefused(w, r, v, http.StatusConflict, desk.ReasonSAMLIncomplete, h.saml.IdPEntityID(), err)
		return
	default:
		h.samlRefused(w, r, v, http.StatusUnauthorized, desk.ReasonSAMLRefused, h.saml.IdPEntityID(), err)
		return
	}
	// One answer per request, whichever instance it reaches.
	if err := h.svc.CloseSAMLRequest(ctx, requestID); ticket.ErrorCode(err) == ticket.ECONFLICT {
		h.samlRefused(w, r, v, http.StatusUnauthorized, desk.ReasonSAMLRefused, who.ID, errors.New("request "+requestID+" was answered before"))
		return
	} else if err != nil {
		h.fail(w, r, v, err)
		return
	}
	a, err := h.svc.SignInExternal(ctx, desk.ExternalAccount{Source: ticket.SourceSAML, ID: who.ID, Email: who.Email, Name: who.Name,
		Language: who.Language, Institute: who.Institute, Groups: who.Groups})
	switch reason := ticket.ErrorReason(err); {
	case err == nil:
	case reason == desk.ReasonDirectoryDuplicate, reason == desk.ReasonLocalAccount:
		// Audited by desk.
		h.log.WarnContext(ctx, "web: saml sign-in refused", "id", who.ID, "err", err)
		h.renderLogin(w, r, v, http.StatusConflict, reason)
		return
	case ticket.ErrorCode(err) == ticket.EUNAUTHORIZED:
		h.samlRefused(w, r, v, http.StatusForbidden, "err.signin.saml_disabled", who.Email, errors.New("the account is disabled"))
		return
	case ticket.ErrorCode(err) == ticket.EINVALID:
		h.samlRefused(w, r, v, http.StatusConflict, desk.ReasonSAMLIncomplete, who.ID, fmt.Errorf("mail address %q is not valid", who.Email))
		return
	default:
		h.fail(w, r, v, err)
		return
	}
	token, err := h.svc.StartSession(ctx, a, h.ttl)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.setSessionCookie(w, token)
	http.Redirect(w, r, localPath(next), http.StatusSeeOther)
}

// samlRefused audits a refused SAML answer (session.refused: who, and
// why, for the admin), logs it and shows the sign-in page with the
// catalog message key.
func (h *handler) samlRefused(w http.ResponseWriter, r *http.Request, v *visit, status int, key, who string, cause error) {
	h.log.WarnContext(r.Context(), "web: saml sign-in refused", "who", who, "err", cause)
	if err := h.svc.SAMLSignInRefused(r.Context(), who, cause); err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.renderLogin(w, r, v, status, key)
}

// renderLogin shows the sign-in page with the message key.
func (h *handler) renderLogin(w http.ResponseWriter, r *http.Request, v *visit, status int, key string) {
	h.render(w, r, v, status, "login", &view{Title: v.l.T("login.title"), Error: v.l.T(key),
		Data: h.loginData(v, "", "/")})
}
