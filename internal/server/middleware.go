package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"
)

// RequestIDHeader carries a request's ID, in requests (from a proxy in
// front) and responses.
const RequestIDHeader = "X-Request-Id"

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyInfo
)

// RequestID returns the ID of the request ctx belongs to, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(keyRequestID).(string)
	return id
}

// requestID takes a well-formed X-Request-Id from the request (as a proxy in
// front sets it) or makes one, puts it in the context and the response.
func requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(RequestIDHeader)
		if !validID(id) {
			id = newID()
		}
		w.Header().Set(RequestIDHeader, id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), keyRequestID, id)))
	})
}

func validID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

func newID() string {
	var b [12]byte
	rand.Read(b[:]) // never fails (crypto/rand panics rather than return an error)
	return hex.EncodeToString(b[:])
}

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// recoverer turns a panic in a handler into a logged 500 (when nothing has
// been written yet). http.ErrAbortHandler passes through, as net/http wants.
func recoverer(next http.Handler, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			log.ErrorContext(r.Context(), "panic serving request",
				"method", r.Method, "path", r.URL.Path, "request_id", RequestID(r.Context()),
				"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if rec, ok := w.(*recorder); !ok || !rec.wrote {
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				w.Header().Set("Connection", "close")
				w.WriteHeader(http.StatusInternalServerError)
				fmt.Fprintln(w, "internal server error")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// info is what the inner handlers tell the outer middleware about a request.
type info struct{ pattern string }

// routed runs mux and records the pattern that matched, for logs and
// metrics. ServeMux sets r.Pattern on the request it is given; when a
// mounted handler (the API) runs its own ServeMux on that same request, its
// more specific pattern ("POST /api/v1/tickets") is the one recorded,
// otherwise the mount's ("/api/v1/"). Either way the label's values are
// bounded by the routes, never by the URLs.
func routed(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if in, ok := r.Context().Value(keyInfo).(*info); ok {
				in.pattern = r.Pattern
			}
		}()
		mux.ServeHTTP(w, r)
	})
}

// observe logs every request and counts it in the metrics, by method, route
// pattern and status. Probes of /healthz, /readyz and /metrics are logged at
// debug level only.
func observe(next http.Handler, log *slog.Logger, m *metrics) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		in := &info{}
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		r = r.WithContext(context.WithValue(r.Context(), keyInfo, in))
		defer func() {
			d := time.Since(start)
			route := in.pattern
			if route == "" {
				route = "unmatched"
			}
			m.observe(r.Method, route, rec.status, d)
			level := slog.LevelInfo
			switch {
			case rec.status >= 500:
				level = slog.LevelError
			case route == "GET /healthz" || route == "GET /readyz" || route == "GET /metrics":
				level = slog.LevelDebug
			}
			log.Log(r.Context(), level, "request",
				"method", r.Method, "path", r.URL.Path, "route", route,
				"status", rec.status, "bytes", rec.bytes,
				"duration", d.Round(time.Microsecond), "request_id", RequestID(r.Context()),
				"remote", r.RemoteAddr)
		}()
		next.ServeHTTP(rec, r)
	})
}

// recorder remembers the status and size of a response.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote && code >= 200 {
		r.status = code
		r.wrote = true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Flush lets handlers stream through the recorder.
func (r *recorder) Flush() {
	r.wrote = true
	http.NewResponseController(r.ResponseWriter).Flush()
}

// Unwrap gives http.ResponseController the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
