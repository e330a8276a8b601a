package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/servus-desk/servus/internal/ticket"
)

// testHandler is a handler with no desk behind it, for what the API decides
// on its own.
func testHandler(t *testing.T, opts Options) *handler {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(t.Output(), nil))
	}
	h, err := newHandler(nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// readProblem decodes a problem+json response, failing t if it is not one.
func readProblem(t *testing.T, res *http.Response, body []byte) problem {
	t.Helper()
	if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type = %q, want application/problem+json; body %s", ct, body)
	}
	var p problem
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("problem body %s: %v", body, err)
	}
	if p.Type != "about:blank" || p.Status != res.StatusCode || p.Title != http.StatusText(res.StatusCode) {
		t.Errorf("problem = %+v, want about:blank with status %d and its phrase", p, res.StatusCode)
	}
	return p
}

func TestFail(t *testing.T) {
	var logged strings.Builder
	h := testHandler(t, Options{Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	for _, tc := range []struct {
		name       string
		err        error
		status     int
		code       string
		detail     string
		fields     map[string]string
		wwwAuth    bool
		wantLogged bool
	}{
		{name: "invalid with fields", err: ticket.Validation{"subject": {Reason: "problem.empty"}, "q": {Reason: "problem.max_chars", Args: []any{1000}}}.Err(),
			status: 400, code: "invalid", detail: "Some fields are not valid.", fields: map[string]string{"subject": "must not be empty", "q": "must be at most 1000 characters"}},
		{name: "unauthorized", err: ticket.E(ticket.EUNAUTHORIZED, "err.api.token_invalid"), status: 401, code: "unauthorized", detail: "The API token is not valid.", wwwAuth: true},
		{name: "forbidden", err: ticket.E(ticket.EFORBIDDEN, "err.ticket.merge_forbidden", "#3"), status: 403, code: "forbidden", detail: "You may not merge into ticket #3."},
		{name: "not found", err: ticket.E(ticket.ENOTFOUND, "err.api.ticket_not_found"), status: 404, code: "not_found", detail: "Ticket not found."},
		{name: "conflict wrapped", err: fmt.Errorf("ctx: %w", ticket.E(ticket.ECONFLICT, "err.ticket.stale", "#7", int64(3), int64(4))), status: 409, code: "conflict",
			detail: "Ticket #7 was changed by someone else in the meantime (your version 3, now 4); reload it and try again."},
		{name: "state in English", err: ticket.E(ticket.ECONFLICT, "err.ticket.state_refuses", ticket.StateClosed, ticket.EventTake), status: 409, code: "conflict",
			detail: `A closed ticket cannot be changed by "take".`},
		{name: "too large", err: ticket.E(ticket.ETOOLARGE, "err.api.upload_too_large", int64(5)), status: 413, code: "too_large", detail: "The upload is larger than 5 bytes."},
		{name: "body limit", err: &http.MaxBytesError{Limit: 10}, status: 413, code: "too_large", detail: "The request body is larger than 10 bytes."},
		{name: "media type", err: &statusError{status: 415, code: "unsupported_media_type", detail: "JSON please."}, status: 415, code: "unsupported_media_type", detail: "JSON please."},
		{name: "internal coded", err: ticket.E(ticket.EINTERNAL, "err.store.db_url", "db password is hunter2"), status: 500, code: "internal", detail: "Internal error.", wantLogged: true},
		{name: "plain error", err: errors.New("disk on fire"), status: 500, code: "internal", detail: "Internal error.", wantLogged: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logged.Reset()
			w := httptest.NewRecorder()
			r := httptest.NewRequest("PATCH", "/api/v1/tickets/7", nil)
			h.fail(w, r, tc.err)
			res := w.Result()
			if res.StatusCode != tc.status {
				t.Fatalf("status = %d, want %d", res.StatusCode, tc.status)
			}
			p := readProblem(t, res, w.Body.Bytes())
			if p.Code != tc.code || p.Detail != tc.detail {
				t.Errorf("code, detail = %q, %q; want %q, %q", p.Code, p.Detail, tc.code, tc.detail)
			}
			if diff := cmp.Diff(tc.fields, p.Errors); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if got := res.Header.Get("WWW-Authenticate") != ""; got != tc.wwwAuth {
				t.Errorf("WWW-Authenticate set = %v, want %v", got, tc.wwwAuth)
			}
			if got := res.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", got)
			}
			log := logged.String()
			if tc.wantLogged {
				if !strings.Contains(log, "method=PATCH") || !strings.Contains(log, "path=/api/v1/tickets/7") || !strings.Contains(log, tc.err.Error()) {
					t.Errorf("log = %q, want the method, path and real error", log)
				}
				if strings.Contains(w.Body.String(), tc.err.Error()) {
					t.Errorf("body %s shows the internal error", w.Body)
				}
			} else if log != "" {
				t.Errorf("logged %q for a client error", log)
			}
		})
	}
}

func TestDecodeJSON(t *testing.T) {
	type inner struct {
		X int `json:"x"`
	}
	type body struct {
		Name   string    `json:"name"`
		Flag   bool      `json:"flag"`
		Count  int64     `json:"count"`
		Tags   []string  `json:"tags"`
		Inner  inner     `json:"inner"`
		Ticket ticketRef `json:"ticket"`
	}
	h := testHandler(t, Options{MaxBody: 64})
	for _, tc := range []struct {
		name        string
		contentType string
		body        string
		status      int               // 0: decodes
		detail      string            // part of the problem's detail
		fields      map[string]string // the problem's errors
		want        body
	}{
		{name: "ok", contentType: "application/json", body: `{"name":"x","flag":true,"count":3,"tags":["a"],"ticket":"#12"}`,
			want: body{Name: "x", Flag: true, Count: 3, Tags: []string{"a"}, Ticket: 12}},
		{name: "charset", contentType: "application/json; charset=utf-8", body: `{"name":"ä"}`, want: body{Name: "ä"}},
		{name: "plus json", contentType: "application/merge-patch+json", body: `{"ticket":7}`, want: body{Ticket: 7}},
		{name: "no content type", body: `{"name":"x"}`, want: body{Name: "x"}},
		{name: "form content type", contentType: "application/x-www-form-urlencoded", body: `{"name":"x"}`, status: 415, detail: "application/json"},
		{name: "text content type", contentType: "text/plain", body: `{}`, status: 415},
		{name: "empty", contentType: "application/json", body: ``, status: 400, detail: "empty"},
		{name: "broken", body: `{"name": "x",}`, status: 400, detail: "Invalid JSON at offset 14"},
		{name: "truncated", body: `{"name": "x"`, status: 400, detail: "ends in the middle"},
		{name: "string for bool", body: `{"flag":"yes"}`, status: 400, fields: map[string]string{"flag": "must be true or false"}},
		{name: "number for string", body: `{"name":5}`, status: 400, detail: "Field name must be a string", fields: map[string]string{"name": "must be a string"}},
		{name: "float for integer", body: `{"count":1.5}`, status: 400, fields: map[string]string{"count": "must be an integer"}},
		{name: "wrong element", body: `{"tags":["a",2]}`, status: 400, fields: map[string]string{"tags": "must be a string"}},
		{name: "nested", body: `{"inner":{"x":"1"}}`, status: 400, fields: map[string]string{"inner.x": "must be an integer"}},
		{name: "bad ticket ref", body: `{"ticket":"abc"}`, status: 400, fields: map[string]string{"ticket": "must be an integer"}},
		{name: "unknown field", body: `{"name":"x","confidental":true}`, status: 400, fields: map[string]string{"confidental": "unknown field"}},
		{name: "array body", body: `[1,2]`, status: 400, detail: "must be a JSON object"},
		{name: "two objects", body: `{"name":"x"} {"name":"y"}`, status: 400, detail: "one JSON object"},
		{name: "trailing garbage", body: `{"name":"x"} x`, status: 400, detail: "Invalid JSON"},
		{name: "trailing space", body: "{\"name\":\"x\"}\n\t ", want: body{Name: "x"}},
		{name: "too large", body: `{"name":"` + strings.Repeat("x", 100) + `"}`, status: 413, detail: "64 bytes"},
		{name: "null", body: `null`, want: body{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			r := httptest.NewRequest("POST", "/api/v1/x", strings.NewReader(tc.body))
			if tc.contentType != "" {
				r.Header.Set("Content-Type", tc.contentType)
			}
			var got body
			err := h.decodeJSON(w, r, &got)
			if tc.status == 0 {
				if err != nil {
					t.Fatalf("decode: %v", err)
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("decoded (-want +got):\n%s", diff)
				}
				return
			}
			if err == nil {
				t.Fatalf("decoded %+v, want status %d", got, tc.status)
			}
			h.fail(w, r, err)
			res := w.Result()
			if res.StatusCode != tc.status {
				t.Fatalf("status = %d, want %d (%s)", res.StatusCode, tc.status, w.Body)
			}
			p := readProblem(t, res, w.Body.Bytes())
			if !strings.Contains(p.Detail, tc.detail) {
				t.Errorf("detail = %q, want it to hold %q", p.Detail, tc.detail)
			}
			if tc.fields != nil {
				if diff := cmp.Diff(tc.fields, p.Errors); diff != "" {
					t.Errorf("errors (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestBearerToken(t *testing.T) {
	for _, tc := range []struct {
		name    string
		headers []string
		want    string
	}{
		{"none", nil, ""},
		{"bearer", []string{"Bearer abc.def"}, "abc.def"},
		{"lower case scheme", []string{"bearer abc"}, "abc"},
		{"upper case scheme", []string{"BEARER abc"}, "abc"},
		{"extra spaces", []string{"  Bearer   abc  "}, "abc"},
		{"empty token", []string{"Bearer "}, ""},
		{"scheme only", []string{"Bearer"}, ""},
		{"basic", []string{"Basic YWxpY2U6c2VjcmV0"}, ""},
		{"token without scheme", []string{"abc"}, ""},
		{"two words", []string{"Bearer abc def"}, ""},
		{"two headers", []string{"Bearer abc", "Bearer def"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/api/v1/queues", nil)
			for _, v := range tc.headers {
				r.Header.Add("Authorization", v)
			}
			if got := bearerToken(r); got != tc.want {
				t.Errorf("bearerToken = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestRouter covers what the router answers before any desk call: unknown
// paths, wrong methods, missing credentials and the OpenAPI document.
func TestRouter(t *testing.T) {
	srv := httptest.NewServer(testHandler(t, Options{BaseURL: "https://servus.example.org/"}).router())
	defer srv.Close()
	for _, tc := range []struct {
		name   string
		method string
		path   string
		header map[string]string
		status int
		code   string
		allow  string
		auth   string // WWW-Authenticate
	}{
		{name: "unknown path", method: "GET", path: "/api/v1/nothing", status: 404, code: "not_found"},
		{name: "trailing slash", method: "GET", path: "/api/v1/tickets/", status: 404, code: "not_found"},
		{name: "too deep", method: "GET", path: "/api/v1/tickets/1/entries/2/x", status: 404, code: "not_found"},
		{name: "root", method: "GET", path: "/api/v1/", status: 404, code: "not_found"},
		{name: "delete ticket", method: "DELETE", path: "/api/v1/tickets/1", status: 405, code: "method_not_allowed", allow: "GET, HEAD, PATCH"},
		{name: "put tickets", method: "PUT", path: "/api/v1/tickets", status: 405, code: "method_not_allowed", allow: "GET, HEAD, POST"},
		{name: "put users", method: "PUT", path: "/api/v1/users", status: 405, allow: "GET, HEAD, POST"},
		{name: "delete user", method: "DELETE", path: "/api/v1/users/a@example.org", status: 405, allow: "PATCH"},
		{name: "put queue", method: "PUT", path: "/api/v1/queues/Netz", status: 405, allow: "PATCH, DELETE"},
		{name: "post openapi", method: "POST", path: "/api/v1/openapi.json", status: 405, allow: "GET, HEAD"},
		{name: "no token", method: "GET", path: "/api/v1/tickets", status: 401, code: "unauthorized", auth: `Bearer realm="servus"`},
		{name: "basic auth", method: "GET", path: "/api/v1/queues", header: map[string]string{"Authorization": "Basic YTpi"}, status: 401, auth: `Bearer realm="servus"`},
		{name: "empty bearer", method: "POST", path: "/api/v1/tickets", header: map[string]string{"Authorization": "Bearer"}, status: 401},
		{name: "no token for upload", method: "POST", path: "/api/v1/tickets/1/attachments", status: 401},
		{name: "no token for download", method: "GET", path: "/api/v1/tickets/1/attachments/1", status: 401},
		{name: "openapi needs none", method: "GET", path: "/api/v1/openapi.json", status: 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			res, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != tc.status {
				t.Fatalf("status = %d, want %d; body %s", res.StatusCode, tc.status, body)
			}
			if tc.status == 200 {
				return
			}
			p := readProblem(t, res, body)
			if tc.code != "" && p.Code != tc.code {
				t.Errorf("code = %q, want %q", p.Code, tc.code)
			}
			if got := res.Header.Get("Allow"); got != tc.allow {
				t.Errorf("Allow = %q, want %q", got, tc.allow)
			}
			if tc.auth != "" && res.Header.Get("WWW-Authenticate") != tc.auth {
				t.Errorf("WWW-Authenticate = %q, want %q", res.Header.Get("WWW-Authenticate"), tc.auth)
			}
		})
	}
}

func TestServeOpenAPI(t *testing.T) {
	srv := httptest.NewServer(testHandler(t, Options{BaseURL: "https://servus.example.org/"}).router())
	defer srv.Close()
	res, err := http.Get(srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI string              `json:"openapi"`
		Servers []map[string]string `json:"servers"`
	}
	err = json.NewDecoder(res.Body).Decode(&doc)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	if doc.OpenAPI != "3.1.0" || len(doc.Servers) != 1 || doc.Servers[0]["url"] != "https://servus.example.org" {
		t.Errorf("openapi %q, servers %v; want 3.1.0 at https://servus.example.org", doc.OpenAPI, doc.Servers)
	}
	etag := res.Header.Get("ETag")
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/openapi.json", nil)
	req.Header.Set("If-None-Match", etag)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if etag == "" || res.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation with ETag %q: status %d, want 304", etag, res.StatusCode)
	}
}

func TestLoadOpenAPIRejectsBrokenDocuments(t *testing.T) {
	saved := openAPIJSON
	t.Cleanup(func() { openAPIJSON = saved })
	for _, doc := range []string{`{"openapi": "3.1.0",`, `{"openapi": "3.0.3"}`, `[]`} {
		openAPIJSON = []byte(doc)
		if _, err := newHandler(nil, Options{}); err == nil {
			t.Errorf("newHandler with openapi.json %s: no error", doc)
		}
	}
}

func TestParseFilter(t *testing.T) {
	day := func(s string) *time.Time {
		tm, ok := parseTime(s)
		if !ok {
			t.Fatalf("parseTime(%q) failed", s)
		}
		return &tm
	}
	for _, tc := range []struct {
		query  string
		want   ticket.Filter
		fields []string // parameters with problems
	}{
		{query: "", want: ticket.Filter{}},
		{query: "q=+drucker+&queue=Servicedesk&requester=a@x.org&assignee=none&priority=high&sort=-created&page=2&per_page=50",
			want: ticket.Filter{Q: "drucker", Queue: "Servicedesk", Requester: "a@x.org", Assignee: "none", Priority: "high", Sort: "-created", Page: 2, PerPage: 50}},
		{query: "state=open,waiting&state=new&state=open", want: ticket.Filter{States: []ticket.State{"open", "waiting", "new"}}},
		{query: "state=&state=,", want: ticket.Filter{}},
		{query: "created_after=2026-03-01&created_before=2026-03-02T10:00:00%2B01:00",
			want: ticket.Filter{CreatedAfter: day("2026-03-01T00:00:00Z"), CreatedBefore: day("2026-03-02T09:00:00Z")}},
		{query: "unknown=1&utm_source=x", want: ticket.Filter{}},
		{query: "state=open,bogus", fields: []string{"state"}},
		{query: "priority=highest", fields: []string{"priority"}},
		{query: "created_after=yesterday&created_before=2026-13-01", fields: []string{"created_after", "created_before"}},
		{query: "page=0&per_page=101", fields: []string{"page", "per_page"}},
		{query: "page=x&per_page=-1", fields: []string{"page", "per_page"}},
		{query: "sort=color", fields: []string{"sort"}},
		{query: "q=drucker&page=11&per_page=100", fields: []string{"page"}}, // beyond a text search's first 1,000 matches: by cursor
		{query: "sort=-due", want: ticket.Filter{Sort: "-due"}},
	} {
		t.Run(tc.query, func(t *testing.T) {
			q, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			got, err := parseFilter(q)
			if tc.fields != nil {
				if ticket.ErrorCode(err) != ticket.EINVALID {
					t.Fatalf("error = %v, want EINVALID", err)
				}
				var names []string
				for k := range ticket.ErrorFields(err) {
					names = append(names, k)
				}
				if diff := cmp.Diff(tc.fields, names, cmpSorted); diff != "" {
					t.Errorf("fields with problems (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("filter (-want +got):\n%s", diff)
			}
		})
	}
}

var cmpSorted = cmp.Transformer("sort", func(in []string) []string {
	out := append([]string(nil), in...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
})

func TestTicketNumber(t *testing.T) {
	for _, tc := range []struct {
		path string
		want int64 // 0: not found
	}{
		{"1234", 1234},
		{"%231234", 1234},
		{"0", 0},
		{"-5", 0},
		{"+5", 0},
		{"12a", 0},
		{"abc", 0},
		{"99999999999999999999", 0},
	} {
		r := httptest.NewRequest("GET", "/api/v1/tickets/"+tc.path, nil)
		mux := http.NewServeMux()
		var got int64
		var err error
		mux.HandleFunc("GET /api/v1/tickets/{number}", func(w http.ResponseWriter, r *http.Request) { got, err = ticketNumber(r) })
		mux.ServeHTTP(httptest.NewRecorder(), r)
		if tc.want == 0 {
			if ticket.ErrorCode(err) != ticket.ENOTFOUND {
				t.Errorf("%s: got %d, %v; want ENOTFOUND", tc.path, got, err)
			}
		} else if err != nil || got != tc.want {
			t.Errorf("%s: got %d, %v; want %d", tc.path, got, err, tc.want)
		}
	}
}

func TestParseTime(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // "" for a refusal
	}{
		{"2026-03-01", "2026-03-01T00:00:00Z"},
		{"2026-03-01T10:00:00+01:00", "2026-03-01T09:00:00Z"},
		{"2026-03-01T10:00:00.5Z", "2026-03-01T10:00:00.5Z"},
		{"2026-03-01 10:00", ""},
		{"01.03.2026", ""},
		{"", ""},
	} {
		got, ok := parseTime(tc.in)
		if tc.want == "" {
			if ok {
				t.Errorf("parseTime(%q) = %v, want a refusal", tc.in, got)
			}
			continue
		}
		if !ok || got.Format(time.RFC3339Nano) != tc.want || got.Location() != time.UTC {
			t.Errorf("parseTime(%q) = %v, %v; want %s", tc.in, got, ok, tc.want)
		}
	}
}
