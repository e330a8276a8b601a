package server_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/servus-desk/servus/internal/server"
)

// lockedBuffer is a log destination safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// newServer serves a handler with a fake API whose routes exercise the
// middleware: /api/v1/panic panics, /api/v1/echo answers 201.
func newServer(t *testing.T, ready func(context.Context) error) (*httptest.Server, *lockedBuffer) {
	t.Helper()
	logs := &lockedBuffer{}
	apiMux := http.NewServeMux()
	apiMux.HandleFunc("/api/v1/panic", func(http.ResponseWriter, *http.Request) { panic("boom") })
	apiMux.HandleFunc("/api/v1/echo", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, server.RequestID(r.Context()))
	})
	h := server.Handler(server.Options{
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		API:    apiMux,
		Ready:  ready,
	})
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts, logs
}

func get(t *testing.T, url string, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestRoutes(t *testing.T) {
	ts, _ := newServer(t, func(context.Context) error { return nil })
	tests := []struct {
		path   string
		status int
		body   string // substring
	}{
		{"/healthz", 200, "ok"},
		{"/readyz", 200, "ok"},
		{"/", 200, "/api/v1/openapi.json"},
		{"/api/v1/echo", 201, ""},
		{"/nowhere", 404, ""},
		{"/metrics", 200, "go_goroutines"},
	}
	for _, tt := range tests {
		resp, body := get(t, ts.URL+tt.path)
		if resp.StatusCode != tt.status || !strings.Contains(body, tt.body) {
			t.Errorf("GET %s: got %d %q, want %d with %q", tt.path, resp.StatusCode, body, tt.status, tt.body)
		}
		for h, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"Referrer-Policy":        "same-origin",
			"X-Frame-Options":        "DENY",
		} {
			if got := resp.Header.Get(h); got != want {
				t.Errorf("GET %s: header %s = %q, want %q", tt.path, h, got, want)
			}
		}
		if resp.Header.Get("X-Request-Id") == "" {
			t.Errorf("GET %s: no X-Request-Id", tt.path)
		}
	}
}

func TestReadyzFailing(t *testing.T) {
	ts, logs := newServer(t, func(context.Context) error { return errors.New("database is down") })
	resp, body := get(t, ts.URL+"/readyz")
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("GET /readyz: got %d %q, want 503", resp.StatusCode, body)
	}
	if strings.Contains(body, "database is down") {
		t.Errorf("GET /readyz shows the error's details: %q", body)
	}
	if !strings.Contains(logs.String(), "database is down") {
		t.Errorf("the readiness failure was not logged; logs:\n%s", logs)
	}
	resp, _ = get(t, ts.URL+"/healthz")
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz while not ready: got %d, want 200", resp.StatusCode)
	}
}

func TestRequestID(t *testing.T) {
	ts, logs := newServer(t, nil)
	resp, body := get(t, ts.URL+"/api/v1/echo", "X-Request-Id", "abc-123")
	if got := resp.Header.Get("X-Request-Id"); got != "abc-123" || body != "abc-123" {
		t.Errorf("given request ID: header %q, handler saw %q, want abc-123", got, body)
	}
	if !strings.Contains(logs.String(), "request_id=abc-123") {
		t.Errorf("request ID not logged; logs:\n%s", logs)
	}
	resp, body = get(t, ts.URL+"/api/v1/echo", "X-Request-Id", "bad id\twith <stuff>")
	if got := resp.Header.Get("X-Request-Id"); got == "" || strings.Contains(got, " ") || got != body {
		t.Errorf("malformed request ID: header %q, handler saw %q, want a fresh ID in both", got, body)
	}
}

func TestPanicRecovery(t *testing.T) {
	ts, logs := newServer(t, nil)
	resp, body := get(t, ts.URL+"/api/v1/panic")
	if resp.StatusCode != http.StatusInternalServerError || strings.Contains(body, "boom") {
		t.Errorf("panicking handler: got %d %q, want 500 without details", resp.StatusCode, body)
	}
	l := logs.String()
	if !strings.Contains(l, "panic serving request") || !strings.Contains(l, "boom") || !strings.Contains(l, "status=500") {
		t.Errorf("panic not logged with its value and status; logs:\n%s", l)
	}
	// The server goes on serving.
	if resp, _ := get(t, ts.URL+"/healthz"); resp.StatusCode != 200 {
		t.Errorf("after a panic: GET /healthz got %d, want 200", resp.StatusCode)
	}
}

func TestMetrics(t *testing.T) {
	ts, _ := newServer(t, nil)
	get(t, ts.URL+"/api/v1/echo")
	get(t, ts.URL+"/api/v1/echo")
	get(t, ts.URL+"/nowhere")
	_, body := get(t, ts.URL+"/metrics")
	for _, want := range []string{
		`servus_http_requests_total{code="201",method="GET",route="/api/v1/echo"} 2`,
		`servus_http_requests_total{code="404",method="GET",route="unmatched"} 1`,
		`servus_http_request_duration_seconds_count{method="GET",route="/api/v1/echo"} 2`,
		"process_cpu_seconds_total",
		"go_goroutines",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("GET /metrics lacks %q", want)
		}
	}
}

// TestOwnRegistry checks two servers in one process do not share metrics
// (nothing is registered globally).
func TestOwnRegistry(t *testing.T) {
	a, _ := newServer(t, nil)
	b, _ := newServer(t, nil)
	get(t, a.URL+"/api/v1/echo")
	_, body := get(t, b.URL+"/metrics")
	if strings.Contains(body, `route="/api/v1/echo"`) {
		t.Errorf("server b counts server a's requests:\n%s", body)
	}
}

func TestServerTimeouts(t *testing.T) {
	srv := server.New(server.Options{})
	if srv.ReadHeaderTimeout <= 0 || srv.ReadTimeout <= 0 || srv.WriteTimeout <= 0 || srv.IdleTimeout <= 0 || srv.MaxHeaderBytes <= 0 {
		t.Errorf("server without timeouts: %+v", srv)
	}
}
