package desk_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/auth"
	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// clock is a test clock that moves only when told.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time      { return c.t }
func (c *clock) Add(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock               { return &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} }

// world is a small service desk: two queues (one confidential by default),
// agents in each, an admin in none, two requesters.
type world struct {
	svc                   *desk.Service
	db                    *store.DB
	clock                 *clock
	admin, agentA, agentB access.Actor // agentA in Servicedesk, agentB in Security
	alice, bob            access.Actor // requesters
}

func newWorld(t testing.TB, dialect string) *world {
	t.Helper()
	return newWorldOn(t, storetest.Open(t, dialect))
}

// newWorldOn builds the world on an empty, migrated database.
func newWorldOn(t testing.TB, db *store.DB, tune ...func(*desk.Options)) *world {
	t.Helper()
	ctx := context.Background()
	blobs, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	c := newClock()
	p := auth.CheapParams()
	opts := desk.Options{Now: c.Now, PasswordParams: &p, MaxAttachment: 1 << 20,
		Inbound: desk.InboundOptions{TrustedAuthServIDs: []string{trustedMX}}}
	for _, f := range tune {
		f(&opts)
	}
	w := &world{db: db, clock: c, svc: desk.New(db, blobs, opts)}
	must(w.svc.CreateQueue(ctx, access.System, desk.NewQueue{Name: "Servicedesk", Address: "servicedesk@example.org", Default: true}))
	must(w.svc.CreateQueue(ctx, access.System, desk.NewQueue{Name: "Security", Confidential: true}))
	for _, u := range []desk.NewUser{
		{Email: "admin@example.org", Name: "Ada Admin", Role: ticket.RoleAdmin, Password: "correct horse"},
		{Email: "anna@example.org", Name: "Anna Agent", Role: ticket.RoleAgent},
		{Email: "bernd@example.org", Name: "Bernd Agent", Role: ticket.RoleAgent},
		{Email: "alice@example.org", Name: "Alice Requester", Role: ticket.RoleRequester, Password: "alice-secret"},
		{Email: "bob@example.org", Name: "Bob Requester", Role: ticket.RoleRequester},
	} {
		must(w.svc.CreateUser(ctx, access.System, u))
	}
	if err := w.svc.AddQueueMember(ctx, access.System, "Servicedesk", "anna@example.org"); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.AddQueueMember(ctx, access.System, "Security", "bernd@example.org"); err != nil {
		t.Fatal(err)
	}
	w.admin, w.agentA, w.agentB = w.actor(t, "admin@example.org"), w.actor(t, "anna@example.org"), w.actor(t, "bernd@example.org")
	w.alice, w.bob = w.actor(t, "alice@example.org"), w.actor(t, "bob@example.org")
	return w
}

func (w *world) actor(t testing.TB, email string) access.Actor {
	t.Helper()
	a, err := w.svc.ActorByEmail(context.Background(), email)
	if err != nil {
		t.Fatalf("actor %s: %v", email, err)
	}
	return a
}

// must returns v, or ends the test run at an unexpected error (with the
// error and its stack).
func must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprintf("unexpected error: %v", err))
	}
	return v
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := ticket.ErrorCode(err); got != code {
		t.Fatalf("got error %v (code %q), want code %q", err, got, code)
	}
}

// forEachDialect runs f as a subtest against SQLite and PostgreSQL.
func forEachDialect(t *testing.T, f func(t *testing.T, w *world)) {
	forEachDialectWith(t, nil, f)
}

// forEachDialectWith is forEachDialect with the service's options tuned
// by tune.
func forEachDialectWith(t *testing.T, tune func(*desk.Options), f func(t *testing.T, w *world)) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			if tune == nil {
				f(t, newWorld(t, d))
				return
			}
			f(t, newWorldOn(t, storetest.Open(t, d), tune))
		})
	}
}

// unthrottled turns off the folding of staff notifications, for tests of
// who hears of what.
func unthrottled(o *desk.Options) { o.Mail.StaffWindow, o.Mail.StaffHourly = -1, -1 }

func TestLifecycle(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "servicedesk", Subject: "Drucker druckt nicht", Description: "Der Drucker im Raum 3.14 druckt nur leere Seiten."}))
		if tk.Number != 1 || tk.State != ticket.StateNew || tk.Version != 1 || tk.Requester != "alice@example.org" || tk.Queue != "Servicedesk" {
			t.Fatalf("got %+v, want ticket #1, new, version 1, by alice in Servicedesk", tk)
		}
		step := func(name string, f func() (*ticket.Ticket, error), want ticket.State) *ticket.Ticket {
			t.Helper()
			w.clock.Add(time.Minute)
			got, err := f()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if got.State != want {
				t.Fatalf("%s: got state %s, want %s", name, got.State, want)
			}
			return got
		}
		act := func(a access.Actor, name string) func() (*ticket.Ticket, error) {
			return func() (*ticket.Ticket, error) { return w.svc.Act(ctx, a, 1, desk.Action{Name: name}) }
		}
		entry := func(a access.Actor, kind ticket.Kind) func() (*ticket.Ticket, error) {
			return func() (*ticket.Ticket, error) {
				if _, err := w.svc.AddEntry(ctx, a, 1, desk.NewEntry{Kind: kind, Body: "Text " + string(kind)}); err != nil {
					return nil, err
				}
				return w.svc.Ticket(ctx, a, 1)
			}
		}
		got := step("take", act(w.agentA, "take"), ticket.StateOpen)
		if got.Assignee != "anna@example.org" {
			t.Fatalf("take: got assignee %q, want anna", got.Assignee)
		}
		step("question", entry(w.agentA, ticket.KindQuestion), ticket.StateWaiting)
		step("answer", entry(w.alice, ticket.KindAnswer), ticket.StateOpen)
		got = step("resolve", act(w.agentA, "resolve"), ticket.StateResolved)
		if got.ResolvedAt == nil {
			t.Fatal("resolve: resolved_at not set")
		}
		step("reply reopens", entry(w.alice, ticket.KindComment), ticket.StateOpen)
		step("resolve again", act(w.agentA, "resolve"), ticket.StateResolved)
		got = step("close", act(w.alice, "close"), ticket.StateClosed)
		if got.CloseReason != ticket.ReasonSolved || got.ClosedAt == nil {
			t.Fatalf("close: got reason %q closed_at %v, want solved and a time", got.CloseReason, got.ClosedAt)
		}
		_, err := w.svc.Act(ctx, w.agentA, 1, desk.Action{Name: "resolve"})
		wantCode(t, err, ticket.ECONFLICT)
		_, err = w.svc.AddEntry(ctx, w.alice, 1, desk.NewEntry{Kind: ticket.KindComment, Body: "noch da?"})
		wantCode(t, err, ticket.ECONFLICT)
		step("reopen", act(w.alice, "reopen"), ticket.StateOpen)

		// The history records every change, in order, with its author.
		es := must(w.svc.Entries(ctx, w.agentA, 1))
		var states []string
		for _, e := range es {
			if e.Kind == ticket.KindEvent && e.Field == "state" {
				states = append(states, e.OldValue+">"+e.NewValue+" by "+e.Author)
			}
		}
		want := "new>open by anna@example.org|open>waiting by anna@example.org|waiting>open by alice@example.org|open>resolved by anna@example.org|resolved>open by alice@example.org|open>resolved by anna@example.org|resolved>closed by alice@example.org|closed>open by alice@example.org"
		if got := strings.Join(states, "|"); got != want {
			t.Fatalf("state history:\ngot  %s\nwant %s", got, want)
		}
		if es[0].Kind != ticket.KindDescription || es[0].Author != "alice@example.org" {
			t.Fatalf("got first entry %+v, want alice's description", es[0])
		}
	})
}

func TestWithdrawAndRefusedTransitions(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "VPN", Description: "geht nicht"}))
		for _, name := range []string{"close", "reopen"} {
			_, err := w.svc.Act(ctx, w.alice, 1, desk.Action{Name: name})
			wantCode(t, err, ticket.ECONFLICT)
		}
		// A requester may not work the ticket.
		_, err := w.svc.Act(ctx, w.alice, 1, desk.Action{Name: "resolve"})
		wantCode(t, err, ticket.EFORBIDDEN)
		got := must(w.svc.Act(ctx, w.alice, 1, desk.Action{Name: "withdraw"}))
		if got.State != ticket.StateClosed || got.CloseReason != ticket.ReasonWithdrawn {
			t.Fatalf("got %s/%s, want closed/withdrawn", got.State, got.CloseReason)
		}
		_, err = w.svc.Act(ctx, w.alice, 1, desk.Action{Name: "withdraw"})
		wantCode(t, err, ticket.ECONFLICT)
		_, err = w.svc.Act(ctx, w.alice, 1, desk.Action{Name: "explode"})
		wantCode(t, err, ticket.EINVALID)
	})
}

func TestOptimisticVersioning(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Alt", Description: "x"}))
		s1, s2 := "Erster", "Zweiter"
		got := must(w.svc.UpdateTicket(ctx, w.agentA, tk.Number, desk.Patch{Version: tk.Version, Subject: &s1}))
		if got.Version != tk.Version+1 || got.Subject != s1 {
			t.Fatalf("got version %d subject %q, want %d %q", got.Version, got.Subject, tk.Version+1, s1)
		}
		_, err := w.svc.UpdateTicket(ctx, w.agentA, tk.Number, desk.Patch{Version: tk.Version, Subject: &s2})
		wantCode(t, err, ticket.ECONFLICT)
		now := must(w.svc.Ticket(ctx, w.agentA, tk.Number))
		if now.Subject != s1 {
			t.Fatalf("stale write changed the subject to %q", now.Subject)
		}
		_, err = w.svc.Act(ctx, w.agentA, tk.Number, desk.Action{Name: "take", Version: tk.Version})
		wantCode(t, err, ticket.ECONFLICT)
		_, err = w.svc.UpdateTicket(ctx, w.agentA, tk.Number, desk.Patch{Subject: &s2})
		wantCode(t, err, ticket.EINVALID)
		// The requester edits her own ticket's fields, but not its CC.
		_, err = w.svc.UpdateTicket(ctx, w.alice, tk.Number, desk.Patch{Version: now.Version, CC: &[]string{"bob@example.org"}})
		wantCode(t, err, ticket.EFORBIDDEN)
		// The history has the subject change.
		es := must(w.svc.Entries(ctx, w.agentA, tk.Number))
		last := es[len(es)-1]
		if last.Field != "subject" || last.OldValue != "Alt" || last.NewValue != s1 {
			t.Fatalf("got last entry %+v, want subject Alt -> %s", last, s1)
		}
	})
}

func TestConcurrentEditsOneWins(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Alt", Description: "x"}))
		const n = 8
		errs := make(chan error, n)
		for i := range n {
			go func() {
				p := ticket.Priority([]ticket.Priority{ticket.PriorityLow, ticket.PriorityHigh}[i%2])
				_, err := w.svc.UpdateTicket(ctx, w.agentA, tk.Number, desk.Patch{Version: tk.Version, Priority: &p})
				errs <- err
			}()
		}
		ok, conflicts := 0, 0
		for range n {
			switch err := <-errs; ticket.ErrorCode(err) {
			case "":
				ok++
			case ticket.ECONFLICT:
				conflicts++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if ok != 1 || conflicts != n-1 {
			t.Fatalf("got %d successes and %d conflicts, want 1 and %d", ok, conflicts, n-1)
		}
	})
}

func TestAutoClose(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		for range 3 {
			must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "s", Description: "d"}))
		}
		must(w.svc.Act(ctx, w.agentA, 1, desk.Action{Name: "resolve"}))
		w.clock.Add(10 * 24 * time.Hour)
		must(w.svc.Act(ctx, w.agentA, 2, desk.Action{Name: "resolve"}))
		w.clock.Add(5 * 24 * time.Hour)
		n := must(w.svc.AutoClose(ctx, 14*24*time.Hour))
		if n != 1 {
			t.Fatalf("closed %d, want 1", n)
		}
		for num, want := range map[int64]string{1: "closed/auto-closed", 2: "resolved/", 3: "new/"} {
			got := must(w.svc.Ticket(ctx, w.agentA, num))
			if s := string(got.State) + "/" + string(got.CloseReason); s != want {
				t.Errorf("ticket %d: got %s, want %s", num, s, want)
			}
		}
	})
}

func TestAuth(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		a := must(w.svc.ActorByPassword(ctx, "ALICE@example.org ", "alice-secret"))
		if a.Email != "alice@example.org" || a.Role != ticket.RoleRequester {
			t.Fatalf("got %+v, want alice", a)
		}
		for _, c := range [][2]string{{"alice@example.org", "wrong"}, {"nobody@example.org", "alice-secret"}, {"bob@example.org", ""}} {
			_, err := w.svc.ActorByPassword(ctx, c[0], c[1])
			wantCode(t, err, ticket.EUNAUTHORIZED)
		}
		tok := must(w.svc.CreateToken(ctx, w.agentA, "anna@example.org"))
		a = must(w.svc.ActorByToken(ctx, tok))
		if a.Email != "anna@example.org" || len(a.Queues) != 1 {
			t.Fatalf("got %+v, want anna with one queue", a)
		}
		_, err := w.svc.ActorByToken(ctx, tok+"x")
		wantCode(t, err, ticket.EUNAUTHORIZED)
		_, err = w.svc.CreateToken(ctx, w.agentA, "alice@example.org")
		wantCode(t, err, ticket.EFORBIDDEN)
		_, err = w.svc.CreateUser(ctx, w.agentA, desk.NewUser{Email: "x@example.org", Name: "X"})
		wantCode(t, err, ticket.EFORBIDDEN)
		_, err = w.svc.CreateUser(ctx, access.System, desk.NewUser{Email: "Anna@Example.org", Name: "Dup"})
		wantCode(t, err, ticket.ECONFLICT)
		_, err = w.svc.CreateUser(ctx, access.System, desk.NewUser{Email: "not-an-address", Name: "", Role: "boss"})
		if f := ticket.ErrorFields(err); f["email"] == "" || f["name"] == "" || f["role"] == "" {
			t.Fatalf("got %v, want field errors for email, name and role", err)
		}
	})
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
