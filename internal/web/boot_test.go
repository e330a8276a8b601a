package web_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"sync"
	"testing"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/app"
	"github.com/servus-desk/servus/internal/auth"
	"github.com/servus-desk/servus/internal/config"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/servustest"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// instance is a real servus (the built binary) serving on 127.0.0.1:0.
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
// fixture. It stops when t ends. The demo on SQLite is seeded once per test
// process (demoData) and copied into each instance's data folder: seeding
// it takes minutes under the race detector. servus still starts with
// --demo, which finds it seeded.
func boot(t testing.TB, dialect string, demo bool) *instance {
	t.Helper()
	data, db := t.TempDir(), ""
	if dialect == store.Postgres {
		db = storetest.PostgresURL(t)
	}
	args := []string{"--shutdown-timeout", "5s"}
	switch {
	case demo && db == "":
		if err := os.CopyFS(data, os.DirFS(demoData(t))); err != nil {
			t.Fatalf("copy the demo's data folder: %v", err)
		}
		args = append(args, "--demo")
	case demo:
		args = append(args, "--demo")
	default:
		seed(t, data, db, seedFixture)
	}
	return start(t, data, db, args...)
}

// The demo's SQLite data folder, seeded on first use by demoData and
// removed by TestMain; tests never start servus on it, only on copies.
var (
	demoOnce sync.Once
	demoDir  string
	demoErr  error
)

// demoData returns a closed SQLite data folder holding the demo, seeded
// as servus serve --demo seeds it (app.Core.SeedDemo) on first use.
func demoData(t testing.TB) string {
	t.Helper()
	demoOnce.Do(func() {
		if demoDir, demoErr = os.MkdirTemp("", "servus-demo-"); demoErr != nil {
			return
		}
		cfg := config.Default()
		cfg.Data = demoDir
		ctx := context.Background()
		core, err := app.Open(ctx, cfg, slog.New(slog.DiscardHandler))
		if err != nil {
			demoErr = err
			return
		}
		res, err := core.SeedDemo(ctx, nil)
		if cerr := core.Close(); err == nil {
			err = cerr
		}
		if err == nil && !res.Seeded {
			err = errors.New("the new data folder was not empty")
		}
		demoErr = err
	})
	if demoErr != nil {
		t.Fatalf("seed the demo: %v", demoErr)
	}
	return demoDir
}

// seed opens the database of data and db as servus does (migrating it)
// and fills it with fill.
func seed(t testing.TB, data, db string, fill func(testing.TB, *store.DB)) {
	t.Helper()
	cfg := config.Default()
	cfg.Data, cfg.DB = data, db
	core, err := app.Open(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("open servus: %v", err)
	}
	defer core.Close()
	fill(t, core.DB)
}

// start runs the servus binary on data and db with more serve flags until
// t ends.
func start(t testing.TB, data, db string, args ...string) *instance {
	t.Helper()
	s := servustest.Start(t, servustest.Options{Data: data, DB: db, Args: args})
	return &instance{URL: s.URL}
}
