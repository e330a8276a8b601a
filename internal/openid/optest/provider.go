package optest

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"golang.org/x/text/language"

	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// person is a test user; password "pw-" + username.
type person struct {
	storage.User
	Groups    []string
	Institute string
	Misbehave string // "nonce": the ID token carries another nonce; "audience": it is for another client (aud and azp)
}

var people = []person{
	{User: storage.User{ID: "sub-ada", Username: "ada", FirstName: "Ada", LastName: "Agent", Email: "ada@uni.example", EmailVerified: true, PreferredLanguage: language.English},
		Groups: []string{"zid-servicedesk", "staff"}, Institute: "ZID"},
	{User: storage.User{ID: "sub-bert", Username: "bert", FirstName: "Bert", LastName: "Admin", Email: "bert@uni.example", EmailVerified: true, PreferredLanguage: language.German},
		Groups: []string{"zid-admins"}, Institute: "ZID"},
	{User: storage.User{ID: "sub-carla", Username: "carla", FirstName: "Carla", LastName: "Student", Email: "carla@uni.example", EmailVerified: true, PreferredLanguage: language.German},
		Institute: "Institut für Mathematik"},
	{User: storage.User{ID: "sub-uma", Username: "uma", FirstName: "Uma", LastName: "Unverified", Email: "uma@uni.example", EmailVerified: false, PreferredLanguage: language.English}},
	{User: storage.User{ID: "sub-nora", Username: "nora", FirstName: "Nora", LastName: "Nomail", PreferredLanguage: language.English}},
	{User: storage.User{ID: "sub-nina", Username: "nina", FirstName: "Nina", LastName: "Nonce", Email: "nina@uni.example", EmailVerified: true, PreferredLanguage: language.English},
		Misbehave: "nonce"},
	{User: storage.User{ID: "sub-otto", Username: "otto", FirstName: "Otto", LastName: "Other", Email: "otto@uni.example", EmailVerified: true, PreferredLanguage: language.English},
		Misbehave: "audience"},
}

func byID(id string) *person {
	for i := range people {
		if people[i].ID == id {
			return &people[i]
		}
	}
	return nil
}

// users is the example storage's UserStore over people.
type users struct{}

func (users) GetUserByID(id string) *storage.User {
	if p := byID(id); p != nil {
		u := p.User
		u.Password = "pw-" + u.Username
		return &u
	}
	return nil
}

func (users) GetUserByUsername(name string) *storage.User {
	for _, p := range people {
		if p.Username == name {
			return users{}.GetUserByID(p.ID)
		}
	}
	return nil
}

func (users) ExampleClientID() string { return "service" }

// store is the example storage with servus's client, the extra claims and
// the misbehaviour.
type store struct {
	*storage.Storage
	client   *storage.Client
	lifetime time.Duration
}

// client lets any loopback port's callback in, and sets the ID token's
// lifetime (negative: already expired).
type client struct {
	*storage.Client
	lifetime time.Duration
}

func (c client) RedirectURIGlobs() []string {
	return []string{"http://127.0.0.1:*/login/oidc/callback", "http://localhost:*/login/oidc/callback"}
}

func (c client) PostLogoutRedirectURIGlobs() []string {
	return []string{"http://127.0.0.1:*/login", "http://localhost:*/login"}
}

func (c client) IDTokenLifetime() time.Duration { return c.lifetime }

func (s *store) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	if id != s.client.GetID() {
		return nil, fmt.Errorf("client not found")
	}
	return client{s.client, s.lifetime}, nil
}

// misbehaving is an auth request whose ID token the provider gets wrong
// on purpose.
type misbehaving struct {
	*storage.AuthRequest
	how string
}

func (m misbehaving) GetNonce() string {
	if m.how == "nonce" {
		return "not-the-nonce-servus-sent"
	}
	return m.AuthRequest.GetNonce()
}

func (s *store) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	r, err := s.Storage.AuthRequestByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	if ar, ok := r.(*storage.AuthRequest); ok {
		if p := byID(ar.UserID); p != nil && p.Misbehave != "" {
			return misbehaving{ar, p.Misbehave}, nil
		}
	}
	return r, nil
}

func extra(info *oidc.UserInfo, subject string) {
	p := byID(subject)
	if p == nil {
		return
	}
	if p.Groups != nil {
		info.AppendClaims("groups", p.Groups)
	}
	if p.Institute != "" {
		info.AppendClaims("institute", p.Institute)
	}
}

func (s *store) SetUserinfoFromToken(ctx context.Context, info *oidc.UserInfo, tokenID, subject, origin string) error {
	if err := s.Storage.SetUserinfoFromToken(ctx, info, tokenID, subject, origin); err != nil {
		return err
	}
	extra(info, subject)
	return nil
}

func (s *store) SetUserinfoFromRequest(ctx context.Context, info *oidc.UserInfo, token op.IDTokenRequest, scopes []string) error {
	if err := s.Storage.SetUserinfoFromRequest(ctx, info, token, scopes); err != nil {
		return err
	}
	extra(info, token.GetSubject())
	return nil
}

var loginPage = template.Must(template.New("login").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Uni Login</title></head>
<body><h1>Uni Login</h1>
<form method="post" action="/login/username">
<input type="hidden" name="id" value="{{.ID}}">
<label for="username">User name</label> <input id="username" name="username" autocomplete="username">
<label for="password">Password</label> <input id="password" name="password" type="password">
{{if .Error}}<p id="error">{{.Error}}</p>{{end}}
<button id="submit" type="submit">Sign in</button>
</form></body></html>`))

// Options configure a provider.
type Options struct {
	ClientID, ClientSecret string        // default ClientID, ClientSecret
	IDTokenLifetime        time.Duration // default an hour; negative: ID tokens are issued expired
}

// Serve runs the provider on ln until it fails; its issuer is
// http://<ln's address>.
func Serve(ln net.Listener, o Options) error {
	if o.ClientID == "" {
		o.ClientID, o.ClientSecret = ClientID, ClientSecret
	}
	if o.IDTokenLifetime == 0 {
		o.IDTokenLifetime = time.Hour
	}
	issuer := "http://" + ln.Addr().String()
	c := storage.WebClient(o.ClientID, o.ClientSecret, "http://127.0.0.1/login/oidc/callback")
	st := &store{Storage: storage.NewStorageWithClients(users{}, map[string]*storage.Client{o.ClientID: c}), client: c, lifetime: o.IDTokenLifetime}
	cfg := &op.Config{CryptoKey: sha256.Sum256([]byte("servus test provider")), DefaultLogoutRedirectURI: "/logged-out",
		CodeMethodS256: true, AuthMethodPost: true, SupportedUILocales: []language.Tag{language.English}}
	provider, err := op.NewProvider(cfg, st, op.StaticIssuer(issuer), op.WithAllowInsecure(),
		op.WithLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	if err != nil {
		return err
	}
	callback := op.AuthCallbackURL(provider)
	interceptor := op.NewIssuerInterceptor(provider.IssuerFromRequest)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /login/username", func(w http.ResponseWriter, r *http.Request) {
		loginPage.Execute(w, map[string]string{"ID": r.URL.Query().Get("authRequestID")})
	})
	mux.Handle("POST /login/username", interceptor.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.PostFormValue("id")
		if err := st.CheckUsernamePassword(strings.TrimSpace(r.PostFormValue("username")), r.PostFormValue("password"), id); err != nil {
			w.WriteHeader(http.StatusUnauthorized)
			loginPage.Execute(w, map[string]string{"ID": id, "Error": "Wrong user name or password"})
			return
		}
		http.Redirect(w, r, callback(r.Context(), id), http.StatusFound)
	}))
	mux.HandleFunc("GET /logged-out", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "signed out at the provider")
	})
	mux.Handle("POST /oauth/token", otherAudience(st, provider))
	mux.Handle("/", provider)
	return http.Serve(ln, mux)
}

// otherAudience serves the token endpoint, but re-issues the ID token of
// a person who misbehaves with "audience" for another client, signed with
// the provider's key: the token a provider would give another relying
// party.
func otherAudience(st *store, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		var resp map[string]any
		if rec.Code == http.StatusOK && json.Unmarshal(body, &resp) == nil {
			if raw, _ := resp["id_token"].(string); raw != "" {
				if tok, ok := reissue(r.Context(), st, raw); ok {
					resp["id_token"] = tok
					body, _ = json.Marshal(resp)
				}
			}
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		w.Write(body)
	})
}

func reissue(ctx context.Context, st *store, raw string) (string, bool) {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return "", false
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", false
	}
	claims := map[string]any{}
	if json.Unmarshal(payload, &claims) != nil {
		return "", false
	}
	sub, _ := claims["sub"].(string)
	if p := byID(sub); p == nil || p.Misbehave != "audience" {
		return "", false
	}
	claims["aud"], claims["azp"] = []string{"another-client"}, "another-client"
	key, err := st.SigningKey(ctx)
	if err != nil {
		return "", false
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: key.SignatureAlgorithm(), Key: jose.JSONWebKey{Key: key.Key(), KeyID: key.ID()}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", false
	}
	payload, _ = json.Marshal(claims)
	sig, err := signer.Sign(payload)
	if err != nil {
		return "", false
	}
	tok, err := sig.CompactSerialize()
	return tok, err == nil
}
