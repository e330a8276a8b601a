package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/auth"
	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// The end-to-end tests drive the API through a real HTTP server, over the
// real desk, store and blob store, as a sequence of table rows in the
// manner of pocketbase's tests/api.go. Each row names who calls (a token
// saved by an earlier row), what it sends and what must come back; every
// response is also checked against openapi.json.

const (
	testBaseURL       = "https://servus.test"
	testMaxAttachment = 64 << 10
)

// env is one servus behind an httptest.Server and the values rows saved.
type env struct {
	svc  *desk.Service
	srv  *httptest.Server
	doc  map[string]any
	vars map[string]string // saved values: ticket numbers, tokens ("tok:NAME"), ids
}

// newEnv boots servus the way the app does, over db, and bootstraps one
// admin whose token is vars["tok:admin"].
func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	return newEnvWith(t, db, desk.Options{})
}

// newEnvWith is newEnv with desk options (a clock); the attachment limit and
// cheap passwords are set here.
func newEnvWith(t *testing.T, db *store.DB, o desk.Options) *env {
	t.Helper()
	ctx := context.Background()
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	blobs, err := blob.Open(filepath.Join(t.TempDir(), "attachments"))
	if err != nil {
		t.Fatal(err)
	}
	p := auth.CheapParams()
	o.MaxAttachment, o.PasswordParams = testMaxAttachment, &p
	svc := desk.New(db, blobs, o)
	if _, err := svc.CreateUser(ctx, access.System, desk.NewUser{Email: "admin@example.org", Name: "Ada Admin", Role: ticket.RoleAdmin}); err != nil {
		t.Fatalf("bootstrap admin: %v", err)
	}
	token, err := svc.CreateToken(ctx, access.System, "admin@example.org")
	if err != nil {
		t.Fatalf("bootstrap token: %v", err)
	}
	srv := httptest.NewServer(New(svc, Options{Logger: logger, BaseURL: testBaseURL}))
	t.Cleanup(srv.Close)
	return &env{svc: svc, srv: srv, doc: openAPIDoc(t), vars: map[string]string{"tok:admin": token}}
}

// sqliteDB opens a temporary SQLite database as the app does.
func sqliteDB(t *testing.T) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, "", t.TempDir(), slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// scenario is one request and what must come back.
type scenario struct {
	name       string
	method     string
	path       string            // ${var} expanded
	as         string            // whose token: vars["tok:"+as]; "" sends none
	header     map[string]string // extra request headers
	body       any               // string: raw, ${var} expanded; []byte: raw; otherwise JSON-encoded
	status     int
	want       map[string]any    // response field (dotted path, "#" for a length) → value; strings are ${var} expanded
	absent     []string          // response fields that must not exist
	present    []string          // response fields that must exist, whatever their value
	wantHeader map[string]string // response headers, ${var} expanded
	save       map[string]string // vars[key] = response field
	check      func(t *testing.T, e *env, res *http.Response, body []byte)
	setup      func(t *testing.T, e *env) // run first; without a method it is the whole row
}

// operatorToken is a row in which the server's operator creates an API
// token for email on the command line (admins may not create one for a
// person), saved as vars[key].
func operatorToken(email, key string) scenario {
	return scenario{name: "operator token " + email, setup: func(t *testing.T, e *env) {
		t.Helper()
		tok, err := e.svc.CreateToken(context.Background(), access.System, email)
		if err != nil {
			t.Fatalf("token for %s: %v", email, err)
		}
		e.vars[key] = tok
	}}
}

// run runs the rows in order, each as a subtest.
func (e *env) run(t *testing.T, rows []scenario) {
	t.Helper()
	for _, sc := range rows {
		t.Run(sc.name, func(t *testing.T) { e.do(t, sc) })
	}
}

func (e *env) expand(t *testing.T, s string) string {
	t.Helper()
	return os.Expand(s, func(k string) string {
		if name, ok := strings.CutPrefix(k, "v:"); ok { // ${v:t1}: the current version of ticket t1
			n, _ := strconv.ParseInt(e.vars[name], 10, 64)
			tk, err := e.svc.Ticket(context.Background(), access.System, n)
			if err != nil {
				t.Fatalf("version of %s (#%d): %v", name, n, err)
			}
			return strconv.FormatInt(tk.Version, 10)
		}
		v, ok := e.vars[k]
		if !ok {
			t.Fatalf("no saved value %q", k)
		}
		return v
	})
}

func (e *env) do(t *testing.T, sc scenario) {
	t.Helper()
	if sc.setup != nil {
		sc.setup(t, e)
		if sc.method == "" {
			return
		}
	}
	var body io.Reader
	switch b := sc.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(e.expand(t, b))
	case []byte:
		body = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		body = bytes.NewReader(j)
	}
	path := e.expand(t, sc.path)
	req, err := http.NewRequest(sc.method, e.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil && sc.header["Content-Type"] == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range sc.header {
		req.Header.Set(k, v)
	}
	if sc.as != "" {
		req.Header.Set("Authorization", "Bearer "+e.expand(t, "${tok:"+sc.as+"}"))
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", sc.method, path, err)
	}
	raw, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != sc.status {
		t.Fatalf("%s %s as %q: status %d, want %d; body %s", sc.method, path, sc.as, res.StatusCode, sc.status, raw)
	}
	e.checkDocumented(t, sc.method, path, res, raw)
	var got any
	if strings.Contains(res.Header.Get("Content-Type"), "json") {
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatalf("body %s: %v", raw, err)
		}
	}
	for field, want := range sc.want {
		v, ok := lookup(got, field)
		if !ok {
			t.Errorf("%s: missing in %s", field, raw)
			continue
		}
		if !sameValue(e.expandAny(t, want), v) {
			t.Errorf("%s = %v, want %v", field, v, e.expandAny(t, want))
		}
	}
	for _, field := range sc.absent {
		if v, ok := lookup(got, field); ok {
			t.Errorf("%s = %v, want it absent", field, v)
		}
	}
	for _, field := range sc.present {
		if _, ok := lookup(got, field); !ok {
			t.Errorf("%s: missing in %s", field, raw)
		}
	}
	for k, want := range sc.wantHeader {
		if got := res.Header.Get(k); got != e.expand(t, want) {
			t.Errorf("header %s = %q, want %q", k, got, e.expand(t, want))
		}
	}
	for key, field := range sc.save {
		v, ok := lookup(got, field)
		if !ok {
			t.Fatalf("save %s: %s missing in %s", key, field, raw)
		}
		e.vars[key] = fmt.Sprint(v)
		if f, ok := v.(float64); ok {
			e.vars[key] = strconv.FormatFloat(f, 'f', -1, 64)
		}
	}
	if sc.check != nil {
		sc.check(t, e, res, raw)
	}
}

// checkDocumented fails t unless openapi.json describes the response (its
// status and content type) and the body fits the documented schema.
func (e *env) checkDocumented(t *testing.T, method, path string, res *http.Response, raw []byte) {
	t.Helper()
	if res.StatusCode == http.StatusMethodNotAllowed || res.StatusCode == http.StatusNotFound && !documentedPath(e.doc, path) {
		return // answers of the router to what the document does not list
	}
	ct := res.Header.Get("Content-Type")
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	if len(raw) == 0 {
		ct = ""
	}
	u := path
	if i := strings.IndexByte(u, '?'); i >= 0 {
		u = u[:i]
	}
	schema, ok := responseSchema(e.doc, method, u, res.StatusCode, ct)
	if !ok {
		t.Errorf("openapi.json does not describe %s %s answering %d %s", method, u, res.StatusCode, ct)
		return
	}
	if schema == nil || !strings.Contains(ct, "json") {
		return
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Errorf("body %s: %v", raw, err)
		return
	}
	for _, p := range checkSchema(e.doc, schema, v, "body") {
		t.Errorf("%s %s %d does not fit openapi.json: %s", method, u, res.StatusCode, p)
	}
}

func documentedPath(doc map[string]any, path string) bool {
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	for pattern := range doc["paths"].(map[string]any) {
		if matchPath(pattern, path) {
			return true
		}
	}
	return false
}

func (e *env) expandAny(t *testing.T, v any) any {
	if s, ok := v.(string); ok {
		return e.expand(t, s)
	}
	return v
}

// lookup finds a dotted path ("items.0.number", "errors.version",
// "items.#" for a length) in decoded JSON.
func lookup(v any, path string) (any, bool) {
	for part := range strings.SplitSeq(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[part]; !ok {
				return nil, false
			}
		case []any:
			if part == "#" {
				v = float64(len(x))
				continue
			}
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// sameValue compares a wanted value with a decoded one; a wanted string
// matches a number that prints the same (saved ticket numbers).
func sameValue(want, got any) bool {
	if s, ok := want.(string); ok {
		if f, isNum := got.(float64); isNum {
			return strconv.FormatFloat(f, 'f', -1, 64) == s
		}
	}
	w, _ := json.Marshal(want)
	g, _ := json.Marshal(got)
	return bytes.Equal(w, g)
}

// upload is a multipart/form-data body: fields in order, a file part for
// every name starting with "file:" (the rest is its file name).
type part struct{ name, value string }

func upload(t *testing.T, parts ...part) (contentType string, body []byte) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		var w io.Writer
		var err error
		if fileName, ok := strings.CutPrefix(p.name, "file:"); ok {
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"`, fileName))
			h.Set("Content-Type", "application/octet-stream")
			w, err = mw.CreatePart(h)
		} else {
			w, err = mw.CreateFormField(p.name)
		}
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, p.value)
	}
	mw.Close()
	return mw.FormDataContentType(), b.Bytes()
}

// numbers returns the ticket numbers of a list response's items.
func numbers(t *testing.T, body []byte) []string {
	t.Helper()
	var page struct {
		Items []struct {
			Number int64 `json:"number"`
		} `json:"items"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range page.Items {
		out = append(out, strconv.FormatInt(it.Number, 10))
	}
	return out
}

// hasNumbers checks a search page lists exactly the saved tickets named.
func hasNumbers(names ...string) func(t *testing.T, e *env, res *http.Response, body []byte) {
	return func(t *testing.T, e *env, _ *http.Response, body []byte) {
		t.Helper()
		var want []string
		for _, n := range names {
			want = append(want, e.vars[n])
		}
		got := numbers(t, body)
		if fmt.Sprint(sortedCopy(got)) != fmt.Sprint(sortedCopy(want)) {
			t.Errorf("tickets %v, want %v (%v)", got, want, names)
		}
	}
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// entryBodies checks which entry bodies a timeline shows.
func entryBodies(include []string, exclude []string) func(t *testing.T, e *env, res *http.Response, body []byte) {
	return func(t *testing.T, _ *env, _ *http.Response, body []byte) {
		t.Helper()
		var l struct {
			Items []ticket.Entry `json:"items"`
		}
		if err := json.Unmarshal(body, &l); err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, it := range l.Items {
			seen[it.Body] = true
		}
		for _, s := range include {
			if !seen[s] {
				t.Errorf("timeline lacks %q", s)
			}
		}
		for _, s := range exclude {
			if seen[s] {
				t.Errorf("timeline shows %q", s)
			}
		}
	}
}

// attachmentNames checks which attachments a list shows.
func attachmentNames(want ...string) func(t *testing.T, e *env, res *http.Response, body []byte) {
	return func(t *testing.T, _ *env, _ *http.Response, body []byte) {
		t.Helper()
		var l struct {
			Items []ticket.Attachment `json:"items"`
		}
		if err := json.Unmarshal(body, &l); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, it := range l.Items {
			got = append(got, it.Name)
		}
		if fmt.Sprint(sortedCopy(got)) != fmt.Sprint(sortedCopy(want)) {
			t.Errorf("attachments %q, want %q", got, want)
		}
	}
}
