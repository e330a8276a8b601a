package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/ticket"
)

// bearerToken returns the token of an "Authorization: Bearer TOKEN" header
// (the scheme in any case, RFC 9110), or "" when there is none, more than
// one, or the header is malformed.
func bearerToken(r *http.Request) string {
	values := r.Header.Values("Authorization")
	if len(values) != 1 {
		return ""
	}
	scheme, token, ok := strings.Cut(strings.TrimSpace(values[0]), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	token = strings.TrimSpace(token)
	if token == "" || strings.ContainsAny(token, " \t") {
		return ""
	}
	return token
}

// authenticate returns the owner of the request's bearer token. A missing,
// malformed or unknown token is EUNAUTHORIZED; for an unknown one it also
// sets RFC 6750's error="invalid_token" in WWW-Authenticate.
func (h *handler) authenticate(w http.ResponseWriter, r *http.Request) (access.Actor, error) {
	token := bearerToken(r)
	if token == "" {
		return access.Actor{}, ticket.E(ticket.EUNAUTHORIZED, "err.api.token_needed")
	}
	a, err := h.svc.ActorByToken(r.Context(), token)
	switch ticket.ErrorCode(err) {
	case "":
		if h.readTimeout > 0 { // a token's owner may upload slowly
			_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(h.readTimeout))
		}
		return a, nil
	case ticket.EUNAUTHORIZED, ticket.ENOTFOUND:
		w.Header().Set("WWW-Authenticate", `Bearer realm="servus", error="invalid_token"`)
		return access.Actor{}, ticket.E(ticket.EUNAUTHORIZED, "err.api.token_invalid")
	}
	return access.Actor{}, err
}
