package loadgen_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/loadgen"
)

func server() *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		if r.FormValue("email") != "anna@example.org" || r.FormValue("password") != "pw" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "s", Value: "ok", Path: "/"})
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /page", func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("s"); err != nil || c.Value != "ok" {
			http.Error(w, "not signed in", http.StatusUnauthorized)
			return
		}
		w.Write([]byte("hello"))
	})
	return httptest.NewServer(mux)
}

func TestRun(t *testing.T) {
	srv := server()
	defer srv.Close()
	rep, err := loadgen.Run(context.Background(), loadgen.Options{BaseURL: srv.URL, Email: "anna@example.org", Password: "pw",
		Paths: []string{"/page", "/missing"}, Concurrency: 3, Requests: 60, Duration: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Requests != 60 {
		t.Fatalf("got %d requests, want 60", rep.Requests)
	}
	page, missing := rep.Stats[0], rep.Stats[1]
	if page.Count != 30 || page.Errors != 0 || page.P50 <= 0 || page.P99 < page.P50 || page.Max < page.P99 {
		t.Fatalf("got %+v for /page, want 30 ok samples with ordered percentiles", page)
	}
	if missing.Count != 30 || missing.Errors != 30 || missing.FirstError != "status 404" {
		t.Fatalf("got %+v for /missing, want 30 errors, status 404", missing)
	}
	var b bytes.Buffer
	rep.Write(&b)
	if !strings.Contains(b.String(), "/page") || !strings.Contains(b.String(), "first error: status 404") {
		t.Fatalf("report:\n%s", b.String())
	}
}

func TestRunRefuses(t *testing.T) {
	srv := server()
	defer srv.Close()
	for name, o := range map[string]loadgen.Options{
		"remote host":    {BaseURL: "http://192.0.2.10:8080", Paths: []string{"/"}},
		"no scheme":      {BaseURL: "127.0.0.1:8080", Paths: []string{"/"}},
		"no paths":       {BaseURL: srv.URL},
		"relative path":  {BaseURL: srv.URL, Paths: []string{"page"}},
		"wrong password": {BaseURL: srv.URL, Email: "anna@example.org", Password: "no", Paths: []string{"/page"}},
		"too long":       {BaseURL: srv.URL, Paths: []string{"/page"}, Duration: time.Hour},
	} {
		if _, err := loadgen.Run(context.Background(), o); err == nil {
			t.Errorf("%s: got no error", name)
		}
	}
}
