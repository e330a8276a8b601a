// Package api is servus's REST API v1 under /api/v1: JSON in and out, bearer
// tokens, errors as RFC 9457 problem details, and an OpenAPI 3.1 document at
// /api/v1/openapi.json. Every route is listed in routes.go; each handler
// parses its request, calls one desk use case and renders the result.
//
// Choices the API makes (also stated in openapi.json):
//   - JSON request bodies are strict: an unknown field is a 400 problem, so
//     that a misspelt "confidental" is never silently ignored. Query
//     parameters are lenient: unknown ones are ignored.
//   - JSON routes accept application/json and any +json type; a request with
//     no Content-Type at all is read as JSON; anything else is 415.
//   - Lists (queues, entries, attachments) answer {"items": [...]}, like the
//     search's {"items", "total", "page", "per_page"}; an upload answers 201
//     with {"items": [...]} holding every attachment it created, even one.
//   - Adding a queue member answers 204 No Content.
//   - Times are RFC 3339 in UTC. Dates in requests and query parameters
//     take RFC 3339 or YYYY-MM-DD (midnight UTC).
package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/desk"
)

// Options configure the API.
type Options struct {
	Logger  *slog.Logger
	BaseURL string // public base URL, e.g. https://servus.example.org; ticket JSON gets "url": BaseURL+"/tickets/N"
	MaxBody int64  // JSON body limit in bytes, default 1 MiB; uploads use desk's MaxAttachment plus multipart overhead
	// ReadTimeout is how long the body of a request with a valid token may
	// take to arrive (the server cuts others' after a few seconds); zero
	// leaves the connection's deadline.
	ReadTimeout time.Duration
}

// multipartOverhead is what an upload body may carry beyond the file bytes:
// part headers, boundaries and the small form fields.
const multipartOverhead = 1 << 20

// handler holds what every route needs; its methods are the routes.
type handler struct {
	svc         *desk.Service
	log         *slog.Logger
	baseURL     string
	maxBody     int64
	openAPI     []byte // the OpenAPI document, checked at New
	openAPIETag string
	readTimeout time.Duration
}

// New returns the handler for every path under /api/v1/ (it sees full paths,
// e.g. /api/v1/tickets). It panics if the embedded OpenAPI document is not
// valid JSON, so that a broken build fails at start, not on a request.
func New(svc *desk.Service, opts Options) http.Handler {
	h, err := newHandler(svc, opts)
	if err != nil {
		panic(fmt.Sprintf("api: %v", err))
	}
	return h.router()
}

// newHandler builds the handler; its error is a broken OpenAPI document.
func newHandler(svc *desk.Service, opts Options) (*handler, error) {
	h := &handler{
		svc:     svc,
		log:     opts.Logger,
		baseURL: strings.TrimRight(opts.BaseURL, "/"),
		maxBody: opts.MaxBody,
	}
	h.readTimeout = opts.ReadTimeout
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.maxBody <= 0 {
		h.maxBody = 1 << 20
	}
	doc, err := loadOpenAPI(h.baseURL)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(doc)
	h.openAPI, h.openAPIETag = doc, `"`+hex.EncodeToString(sum[:8])+`"`
	return h, nil
}

// loadOpenAPI parses the embedded document and, given a base URL, names it
// as the document's server.
func loadOpenAPI(baseURL string) ([]byte, error) {
	var doc map[string]any
	d := json.NewDecoder(bytes.NewReader(openAPIJSON))
	d.UseNumber()
	if err := d.Decode(&doc); err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.1") {
		return nil, fmt.Errorf("openapi.json: openapi version %q, want 3.1.x", v)
	}
	if baseURL != "" {
		doc["servers"] = []map[string]string{{"url": baseURL}}
	}
	return json.MarshalIndent(doc, "", "  ")
}
