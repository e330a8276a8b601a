package api

import (
	"bytes"
	_ "embed"
	"net/http"
	"time"

	"github.com/servus-desk/servus/internal/access"
)

// openAPIJSON is the API's OpenAPI 3.1 document, written by hand next to
// routes.go; New parses it and TestOpenAPIMatchesRoutes keeps it in step.
//
//go:embed openapi.json
var openAPIJSON []byte

// getOpenAPI is GET /api/v1/openapi.json, the only route without a token.
func (h *handler) getOpenAPI(w http.ResponseWriter, r *http.Request, _ access.Actor) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("ETag", h.openAPIETag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(h.openAPI))
}
