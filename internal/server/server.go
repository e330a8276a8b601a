// Package server is servus's HTTP front: the http.Server with its timeouts,
// the top-level routes (API, health, readiness, metrics and, later, the web
// UI) and the middleware every request passes through: request IDs,
// logging, metrics, security headers and panic recovery.
package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"net/netip"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Options configure a server.
type Options struct {
	Logger *slog.Logger                    // request and error logs; default discards
	API    http.Handler                    // serves every path under /api/v1/
	Web    http.Handler                    // the web UI at "/", once there is one; nil: a plain page
	Ready  func(ctx context.Context) error // readiness check for /readyz (the database's ping)
	// Registry receives the HTTP metrics and is served at /metrics; nil
	// makes a new one with the Go and process collectors.
	Registry *prometheus.Registry
	// DataWritable probes that the data folder takes writes (e.g. a file
	// created and removed among the attachments); /readyz answers 503 while
	// it fails. It runs at most once every ProbeTTL (default 5 s). Nil:
	// not probed.
	DataWritable func(ctx context.Context) error
	ProbeTTL     time.Duration
	// MetricsAllow are the networks that may read /metrics (others get
	// 404); empty: loopback only (127.0.0.0/8, ::1).
	MetricsAllow []netip.Prefix
	// Profiling serves Go's runtime profiles (net/http/pprof) at
	// /debug/pprof/ to the MetricsAllow networks; others get 404.
	Profiling bool
	// HeaderTimeout is how long a client may take to send a request's
	// headers; default ReadHeaderTimeout.
	HeaderTimeout time.Duration
	// BodyTimeout is how long a client may take to send a request's body
	// before someone has checked who it is (the web UI and the API grant
	// signed-in people ReadTimeout); default DefaultBodyTimeout, negative:
	// only ReadTimeout.
	BodyTimeout time.Duration
}

// Timeouts of the http.Server. Reads and writes allow for attachment
// uploads and downloads on slow links; headers must come quickly.
const (
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = 5 * time.Minute
	WriteTimeout      = 5 * time.Minute
	IdleTimeout       = 2 * time.Minute
	MaxHeaderBytes    = 64 << 10
)

// New returns an http.Server with servus's routes, middleware and
// timeouts. Serve it on a listener of the caller's; stop it with Shutdown.
func New(o Options) *http.Server {
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	o.Logger = log
	header := o.HeaderTimeout
	if header <= 0 {
		header = ReadHeaderTimeout
	}
	return &http.Server{
		Handler:           Handler(o),
		ReadHeaderTimeout: header,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// Handler returns servus's routes wrapped in its middleware.
func Handler(o Options) http.Handler {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	reg := o.Registry
	if reg == nil {
		reg = NewRegistry()
	}
	m := newMetrics(reg)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", healthz)
	var writable func(context.Context) error
	if o.DataWritable != nil {
		ttl := o.ProbeTTL
		if ttl <= 0 {
			ttl = 5 * time.Second
		}
		writable = (&probeCache{probe: o.DataWritable, ttl: ttl, now: time.Now}).check
	}
	mux.HandleFunc("GET /readyz", readyz(o.Ready, writable, o.Logger))
	mux.Handle("GET /metrics", allowOnly(metricsHandler(reg, o.Logger), o.MetricsAllow))
	if o.Profiling {
		mux.Handle("GET /debug/pprof/", allowOnly(http.HandlerFunc(pprof.Index), o.MetricsAllow))
		mux.Handle("GET /debug/pprof/profile", allowOnly(http.HandlerFunc(pprof.Profile), o.MetricsAllow))
		mux.Handle("GET /debug/pprof/trace", allowOnly(http.HandlerFunc(pprof.Trace), o.MetricsAllow))
		mux.Handle("GET /debug/pprof/symbol", allowOnly(http.HandlerFunc(pprof.Symbol), o.MetricsAllow))
	}
	if o.API != nil {
		mux.Handle("/api/v1/", o.API)
	}
	// The web UI mounts here when it exists; until then "/" is a plain
	// page pointing at the API and everything else is 404.
	if o.Web != nil {
		mux.Handle("/", o.Web)
	} else {
		mux.HandleFunc("GET /{$}", index)
	}

	var h http.Handler = routed(mux)
	body := o.BodyTimeout
	if body == 0 {
		body = DefaultBodyTimeout
	}
	h = shortBody(h, body)
	h = recoverer(h, o.Logger)
	h = securityHeaders(h)
	h = observe(h, o.Logger, m)
	h = requestID(h)
	return h
}

// healthz answers 200 as long as the process serves HTTP.
func healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	io.WriteString(w, "ok\n")
}

// readyz answers 200 when ready answers within 2 seconds and the data
// folder takes writes (writable, if any), 503 otherwise.
func readyz(ready, writable func(context.Context) error, log *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if ready != nil {
			ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
			defer cancel()
			if err := ready(ctx); err != nil {
				log.WarnContext(r.Context(), "not ready", "err", err, "request_id", RequestID(r.Context()))
				w.WriteHeader(http.StatusServiceUnavailable)
				io.WriteString(w, "not ready: database unavailable\n")
				return
			}
		}
		if writable != nil {
			if err := writable(r.Context()); err != nil {
				log.WarnContext(r.Context(), "not ready", "err", err, "request_id", RequestID(r.Context()))
				w.WriteHeader(http.StatusServiceUnavailable)
				io.WriteString(w, "not ready: data folder not writable\n")
				return
			}
		}
		io.WriteString(w, "ok\n")
	}
}

// index is the plain page at "/" until the web UI exists.
func index(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, "servus service desk\n\nREST API: /api/v1/ (OpenAPI document: /api/v1/openapi.json)\nHealth: /healthz, /readyz; metrics: /metrics\n")
}
