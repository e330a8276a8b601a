package web_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/app"
	"github.com/servus-desk/servus/internal/auth"
	"github.com/servus-desk/servus/internal/config"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// addrCatcher is a log handler that remembers the address of servus's
// "listening" line.
type addrCatcher struct {
	mu   sync.Mutex
	addr string
	ch   chan struct{}
}

func (c *addrCatcher) Enabled(context.Context, slog.Level) bool { return true }
func (c *addrCatcher) WithAttrs([]slog.Attr) slog.Handler       { return c }
func (c *addrCatcher) WithGroup(string) slog.Handler            { return c }
func (c *addrCatcher) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "listening" {
		return nil
	}
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "addr" {
			c.mu.Lock()
			c.addr = a.Value.String()
			c.mu.Unlock()
			close(c.ch)
		}
		return true
	})
	return nil
}

// instance is a real servus (app.Run) serving on 127.0.0.1:0.
type instance struct {
	URL string
}

// fixture users of a small servus; every password is fixturePassword.
const (
	fixturePassword = "correct horse battery"
	requesterEmail  = "rita.requester@uni.example"
	agentEmail      = "anton.agent@zid.example"   // member of Servicedesk
	outsiderEmail   = "olga.outsider@zid.example" // agent, member of Servicedesk only
	securityEmail   = "sepp.security@zid.example" // agent, member of Security
)

// seedFixture creates the queues and people of the journeys through desk.
func seedFixture(t testing.TB, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	cheap := auth.CheapParams()
	svc := desk.New(db, nil, desk.Options{PasswordParams: &cheap, Quiet: true})
	for _, q := range []desk.NewQueue{{Name: "Servicedesk", Default: true}, {Name: "Security", Confidential: true}} {
		if _, err := svc.CreateQueue(ctx, access.System, q); err != nil {
			t.Fatalf("create queue %s: %v", q.Name, err)
		}
	}
	for _, u := range []desk.NewUser{
		{Email: requesterEmail, Name: "Rita Requester", Role: ticket.RoleRequester, Language: "en"},
		{Email: agentEmail, Name: "Anton Agent", Role: ticket.RoleAgent, Language: "de"},
		{Email: outsiderEmail, Name: "Olga Outsider", Role: ticket.RoleAgent, Language: "de"},
		{Email: securityEmail, Name: "Sepp Security", Role: ticket.RoleAgent, Language: "de"},
	} {
		u.Password = fixturePassword
		if _, err := svc.CreateUser(ctx, access.System, u); err != nil {
			t.Fatalf("create user %s: %v", u.Email, err)
		}
	}
	for _, m := range [][2]string{{"Servicedesk", agentEmail}, {"Servicedesk", outsiderEmail}, {"Security", securityEmail}} {
		if err := svc.AddQueueMember(ctx, access.System, m[0], m[1]); err != nil {
			t.Fatalf("add member: %v", err)
		}
	}
	// The assistant: Medientechnik → Beamer flackert (a leaf with a room).
	menu, err := svc.CreateAssistantNode(ctx, access.System, desk.AssistantInput{TitleDE: "Medientechnik", TitleEN: "Media technology"})
	if err != nil {
		t.Fatalf("create assistant menu: %v", err)
	}
	_, err = svc.CreateAssistantNode(ctx, access.System, desk.AssistantInput{ParentID: menu.ID, Leaf: true,
		TitleDE: "Beamer flackert", TitleEN: "Projector flickers", Queue: "Servicedesk",
		HelpDE: "Bitte nennen Sie den Raum.", HelpEN: "Please name the room.",
		SubjectTemplate: "Beamer flackert: {room}",
		Fields:          []desk.AssistantField{{Name: "room", LabelDE: "Raum", LabelEN: "Room", Required: true, Kind: "text"}}})
	if err != nil {
		t.Fatalf("create assistant leaf: %v", err)
	}
}

// boot starts servus on dialect. With demo it seeds the demo data, else the
// fixture. It stops when t ends.
func boot(t testing.TB, dialect string, demo bool) *instance {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cfg := config.Default()
	cfg.Data, cfg.Addr, cfg.Demo = t.TempDir(), "127.0.0.1:0", demo
	cfg.ShutdownTimeout = 5 * time.Second
	if dialect == store.Postgres {
		cfg.DB = storetest.PostgresURL(t)
	}
	if !demo {
		core, err := app.Open(ctx, cfg, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatalf("open servus: %v", err)
		}
		seedFixture(t, core.DB)
		core.Close()
	}
	catch := &addrCatcher{ch: make(chan struct{})}
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx, cfg, discard{}, slog.New(catch)) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("servus stopped with %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Errorf("servus did not stop within 30s")
		}
	})
	select {
	case <-catch.ch:
	case err := <-done:
		t.Fatalf("servus ended before listening: %v", err)
	case <-time.After(3 * time.Minute):
		t.Fatalf("servus did not listen within 3 minutes")
	}
	catch.mu.Lock()
	defer catch.mu.Unlock()
	return &instance{URL: "http://" + catch.addr}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
