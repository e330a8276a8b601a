package desk_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/errtext"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// The admin's management of queues, members and users: each rule on
// SQLite and PostgreSQL.

// forEachDialectRaw runs f against SQLite and PostgreSQL with the world
// and a second connection to its database, to read the audit log by hand.
func forEachDialectRaw(t *testing.T, f func(t *testing.T, w *world, raw *sql.DB)) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dir, dbURL, driver, dsn := t.TempDir(), "", "sqlite", ""
			if d == store.Postgres {
				dbURL = storetest.PostgresURL(t)
				driver, dsn = "pgx", dbURL
			} else {
				dsn = "file:" + filepath.Join(dir, "servus.db") + "?_pragma=busy_timeout(10000)"
			}
			db, err := store.Open(ctx, dbURL, dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			raw, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { raw.Close() })
			f(t, newWorldOn(t, db), raw)
		})
	}
}

// auditRows returns "actorID detail" of the audit rows of action, oldest
// first.
func auditRows(t *testing.T, raw *sql.DB, action string) []string {
	t.Helper()
	q := "SELECT COALESCE(actor_id, 0), detail FROM audit_log WHERE action = 'ACTION' ORDER BY id"
	rows, err := raw.Query(strings.Replace(q, "ACTION", action, 1))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id int64
		var d string
		if err := rows.Scan(&id, &d); err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.TrimSpace(strings.Join([]string{itoa(id), d}, " ")))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// queueByName finds a queue of the list.
func queueByName(t *testing.T, w *world, name string) *ticket.Queue {
	t.Helper()
	qs := must(w.svc.Queues(context.Background(), access.System))
	i := slices.IndexFunc(qs, func(q *ticket.Queue) bool { return q.Name == name })
	if i < 0 {
		t.Fatalf("no queue %s in %v", name, qs)
	}
	return qs[i]
}

// assigneeEvents returns "old→new by author" of the assignee events of
// ticket number.
func assigneeEvents(t *testing.T, w *world, number int64) []string {
	t.Helper()
	var out []string
	for _, e := range must(w.svc.Entries(context.Background(), access.System, number)) {
		if e.Kind == ticket.KindEvent && e.Field == "assignee" {
			out = append(out, e.OldValue+"→"+e.NewValue+" by "+e.Author)
		}
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func TestUpdateQueue(t *testing.T) {
	forEachDialectRaw(t, func(t *testing.T, w *world, raw *sql.DB) {
		ctx := context.Background()
		q := must(w.svc.UpdateQueue(ctx, w.admin, "security", desk.QueuePatch{Name: ptr(" IT-Security "), Address: ptr("Security@Example.org"), Confidential: ptr(false)}))
		if q.Name != "IT-Security" || q.Address != "security@example.org" || q.Confidential || q.Default {
			t.Fatalf("got %+v, want IT-Security, security@example.org, not confidential, not default", q)
		}
		if got := queueByName(t, w, "IT-Security"); got.Address != "security@example.org" || got.Confidential {
			t.Fatalf("stored: got %+v", got)
		}
		// Members follow the queue (by ID): bernd still sees its tickets.
		if a := w.actor(t, "bernd@example.org"); !a.Member(q.ID) {
			t.Fatalf("bernd lost the renamed queue: %v", a.Queues)
		}
		// Nothing changed: no audit row.
		must(w.svc.UpdateQueue(ctx, w.admin, "IT-Security", desk.QueuePatch{Name: ptr("IT-Security")}))
		if got := auditRows(t, raw, "queue.update"); len(got) != 1 || !strings.Contains(got[0], "name: Security → IT-Security") ||
			!strings.Contains(got[0], "address:  → security@example.org") || !strings.HasPrefix(got[0], itoa(w.admin.UserID)+" ") {
			t.Fatalf("audit: got %q, want one row by the admin naming each change", got)
		}

		// Taken names (in any case) and addresses are ECONFLICT naming the field.
		_, err := w.svc.UpdateQueue(ctx, w.admin, "IT-Security", desk.QueuePatch{Name: ptr("SERVICEDESK")})
		wantCode(t, err, ticket.ECONFLICT)
		if ticket.ErrorFields(err)["name"] == "" {
			t.Errorf("got %v, want the name field named", err)
		}
		_, err = w.svc.UpdateQueue(ctx, w.admin, "IT-Security", desk.QueuePatch{Address: ptr("servicedesk@example.org")})
		wantCode(t, err, ticket.ECONFLICT)
		if ticket.ErrorFields(err)["address"] == "" {
			t.Errorf("got %v, want the address field named", err)
		}
		_, err = w.svc.CreateQueue(ctx, w.admin, desk.NewQueue{Name: "it-security"})
		wantCode(t, err, ticket.ECONFLICT)
		_, err = w.svc.UpdateQueue(ctx, w.admin, "IT-Security", desk.QueuePatch{Name: ptr(""), Address: ptr("not mail")})
		if f := ticket.ErrorFields(err); ticket.ErrorCode(err) != ticket.EINVALID || f["name"] == "" || f["address"] == "" {
			t.Fatalf("got %v, want EINVALID for name and address", err)
		}
		_, err = w.svc.UpdateQueue(ctx, w.agentA, "IT-Security", desk.QueuePatch{Confidential: ptr(true)})
		wantCode(t, err, ticket.EFORBIDDEN)
		_, err = w.svc.UpdateQueue(ctx, w.admin, "Nowhere", desk.QueuePatch{Confidential: ptr(true)})
		wantCode(t, err, ticket.ENOTFOUND)

		// An empty address removes it.
		if q := must(w.svc.UpdateQueue(ctx, w.admin, "IT-Security", desk.QueuePatch{Address: ptr("")})); q.Address != "" {
			t.Fatalf("address not removed: %+v", q)
		}

		// Exactly one default: making one the default moves the role; the
		// default cannot simply be unset.
		must(w.svc.UpdateQueue(ctx, w.admin, "IT-Security", desk.QueuePatch{Default: ptr(true)}))
		if !queueByName(t, w, "IT-Security").Default || queueByName(t, w, "Servicedesk").Default {
			t.Fatalf("default did not move: %+v", must(w.svc.Queues(ctx, access.System)))
		}
		_, err = w.svc.UpdateQueue(ctx, w.admin, "IT-Security", desk.QueuePatch{Default: ptr(false)})
		wantCode(t, err, ticket.ECONFLICT)
		if got := ticket.ErrorFields(err)["default"]; got != desk.ProblemDefaultQueue {
			t.Errorf("got field %q, want %q", got, desk.ProblemDefaultQueue)
		}
		// Default false on another queue changes nothing.
		must(w.svc.UpdateQueue(ctx, w.admin, "Servicedesk", desk.QueuePatch{Default: ptr(false)}))
		n := 0
		for _, q := range must(w.svc.Queues(ctx, access.System)) {
			if q.Default {
				n++
			}
		}
		if n != 1 || !queueByName(t, w, "IT-Security").Default {
			t.Fatalf("got %d default queues, want IT-Security alone", n)
		}
		// Mail to no functional address now lands in the new default.
		must(w.svc.UpdateQueue(ctx, w.admin, "Servicedesk", desk.QueuePatch{Default: ptr(true)}))
		tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "s", Description: "d"}))
		if tk.Queue != "Servicedesk" {
			t.Fatalf("got %s", tk.Queue)
		}
	})
}

func TestDeleteQueue(t *testing.T) {
	forEachDialectRaw(t, func(t *testing.T, w *world, raw *sql.DB) {
		ctx := context.Background()
		must(w.svc.CreateQueue(ctx, w.admin, desk.NewQueue{Name: "Netz", Address: "innet-admin@example.org"}))
		if err := w.svc.AddQueueMember(ctx, w.admin, "Netz", "anna@example.org"); err != nil {
			t.Fatal(err)
		}
		wantProblem := func(err error, problem string) {
			t.Helper()
			wantCode(t, err, ticket.ECONFLICT)
			if got := ticket.ErrorFields(err)["queue"]; got != problem {
				t.Fatalf("got %v (field %q), want %q", err, got, problem)
			}
		}

		// A ticket in it, open or closed, keeps it.
		tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Netz", Subject: "WLAN", Description: "weg"}))
		err := w.svc.DeleteQueue(ctx, w.admin, "Netz")
		wantProblem(err, desk.ProblemHasTickets)
		if !strings.Contains(errtext.Message("en", err), "move its tickets") {
			t.Errorf("got %v, want it to say to move the tickets", err)
		}
		must(w.svc.Act(ctx, w.admin, tk.Number, desk.Action{Name: "move", Queue: "Servicedesk"}))

		// An assistant leaf that files into it keeps it.
		leaf := must(w.svc.CreateAssistantNode(ctx, w.admin, desk.AssistantInput{Leaf: true, TitleDE: "WLAN", TitleEN: "Wi-Fi", Queue: "Netz", SubjectTemplate: "WLAN"}))
		wantProblem(w.svc.DeleteQueue(ctx, w.admin, "Netz"), desk.ProblemHasLeaves)
		if err := w.svc.DeleteAssistantNode(ctx, w.admin, leaf.ID); err != nil {
			t.Fatal(err)
		}

		// The default queue stays.
		wantProblem(w.svc.DeleteQueue(ctx, w.admin, "Servicedesk"), desk.ProblemDefaultQueue)
		wantCode(t, w.svc.DeleteQueue(ctx, w.agentA, "Netz"), ticket.EFORBIDDEN)
		wantCode(t, w.svc.DeleteQueue(ctx, w.admin, "Nowhere"), ticket.ENOTFOUND)

		id := queueByName(t, w, "Netz").ID
		info := must(w.svc.QueueInfo(ctx, w.admin, id))
		if !info.Deletable() || info.Use.Tickets != 0 || len(info.Members) != 1 {
			t.Fatalf("got %+v, want a deletable queue with one member", info)
		}
		if err := w.svc.DeleteQueue(ctx, w.admin, "netz"); err != nil {
			t.Fatal(err)
		}
		_, err = w.svc.QueueInfo(ctx, w.admin, id)
		wantCode(t, err, ticket.ENOTFOUND)
		if a := w.actor(t, "anna@example.org"); slices.Contains(a.Queues, id) {
			t.Fatalf("anna is still in the deleted queue: %v", a.Queues)
		}
		if got := auditRows(t, raw, "queue.delete"); len(got) != 1 || got[0] != itoa(w.admin.UserID)+" Netz" {
			t.Fatalf("audit: got %q", got)
		}
		// Its name is free again.
		must(w.svc.CreateQueue(ctx, w.admin, desk.NewQueue{Name: "Netz", Address: "innet-admin@example.org"}))
	})
}

func TestRemoveQueueMember(t *testing.T) {
	forEachDialectRaw(t, func(t *testing.T, w *world, raw *sql.DB) {
		ctx := context.Background()
		must(w.svc.CreateQueue(ctx, w.admin, desk.NewQueue{Name: "Netz"}))
		must(w.svc.CreateUser(ctx, w.admin, desk.NewUser{Email: "carl@example.org", Name: "Carl Agent", Role: ticket.RoleAgent}))
		for _, m := range [][2]string{{"Netz", "anna@example.org"}, {"Servicedesk", "carl@example.org"}} {
			if err := w.svc.AddQueueMember(ctx, w.admin, m[0], m[1]); err != nil {
				t.Fatal(err)
			}
		}
		anna := w.actor(t, "anna@example.org")
		open := func(queue, assignee string) int64 {
			t.Helper()
			tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: queue, Subject: "s", Description: "d"}))
			must(w.svc.Act(ctx, w.admin, tk.Number, desk.Action{Name: "assign", Assignee: assignee}))
			return tk.Number
		}
		mine := open("Servicedesk", "anna@example.org")    // unassigned by the removal
		waiting := open("Servicedesk", "anna@example.org") // a question pending: still not closed
		must(w.svc.AddEntry(ctx, anna, waiting, desk.NewEntry{Kind: ticket.KindQuestion, Body: "Which room?"}))
		closed := open("Servicedesk", "anna@example.org") // closed: history stays
		must(w.svc.Act(ctx, anna, closed, desk.Action{Name: "resolve"}))
		must(w.svc.Act(ctx, w.alice, closed, desk.Action{Name: "close"}))
		elsewhere := open("Netz", "anna@example.org")    // another queue: stays
		carls := open("Servicedesk", "carl@example.org") // another member: stays
		before := must(w.svc.Ticket(ctx, access.System, mine))

		got := must(w.svc.RemoveQueueMember(ctx, w.admin, "servicedesk", "ANNA@example.org"))
		if !slices.Equal(got, []int64{mine, waiting}) {
			t.Fatalf("unassigned %v, want %v", got, []int64{mine, waiting})
		}
		for n, want := range map[int64]string{mine: "", waiting: "", closed: "anna@example.org", elsewhere: "anna@example.org", carls: "carl@example.org"} {
			if tk := must(w.svc.Ticket(ctx, access.System, n)); tk.Assignee != want {
				t.Errorf("#%d: got assignee %q, want %q", n, tk.Assignee, want)
			}
		}
		after := must(w.svc.Ticket(ctx, access.System, mine))
		if after.Version != before.Version+1 || after.State != ticket.StateOpen {
			t.Errorf("#%d: got version %d state %s, want %d and still open", mine, after.Version, after.State, before.Version+1)
		}
		for _, n := range []int64{mine, waiting} {
			ev := assigneeEvents(t, w, n)
			if len(ev) != 2 || ev[1] != "anna@example.org→ by admin@example.org" {
				t.Errorf("#%d history: got %q, want the unassignment by the admin last", n, ev)
			}
		}
		if ev := assigneeEvents(t, w, elsewhere); len(ev) != 1 {
			t.Errorf("#%d history: got %q, want only the assignment", elsewhere, ev)
		}
		// Anna is no member of Servicedesk and cannot be assigned there.
		a := w.actor(t, "anna@example.org")
		if a.Member(queueByName(t, w, "Servicedesk").ID) || !a.Member(queueByName(t, w, "Netz").ID) {
			t.Fatalf("anna's queues: %v", a.Queues)
		}
		_, err := w.svc.Act(ctx, w.admin, mine, desk.Action{Name: "assign", Assignee: "anna@example.org"})
		wantCode(t, err, ticket.EINVALID)
		if got := auditRows(t, raw, "queue.member.remove"); len(got) != 1 || !strings.Contains(got[0], "Servicedesk: anna@example.org (2 tickets unassigned)") {
			t.Fatalf("audit: got %q", got)
		}

		// Again: she is no member (404), and only admins remove.
		_, err = w.svc.RemoveQueueMember(ctx, w.admin, "Servicedesk", "anna@example.org")
		wantCode(t, err, ticket.ENOTFOUND)
		if ticket.ErrorFields(err)["email"] != desk.ProblemNotMember {
			t.Errorf("got %v, want the not-member problem", err)
		}
		_, err = w.svc.RemoveQueueMember(ctx, w.agentA, "Netz", "anna@example.org")
		wantCode(t, err, ticket.EFORBIDDEN)
		_, err = w.svc.RemoveQueueMember(ctx, w.admin, "Nowhere", "anna@example.org")
		wantCode(t, err, ticket.ENOTFOUND)
		_, err = w.svc.RemoveQueueMember(ctx, w.admin, "Netz", "nobody@example.org")
		wantCode(t, err, ticket.ENOTFOUND)
	})
}

func TestUserRoleToRequester(t *testing.T) {
	forEachDialectRaw(t, func(t *testing.T, w *world, raw *sql.DB) {
		ctx := context.Background()
		must(w.svc.CreateQueue(ctx, w.admin, desk.NewQueue{Name: "Netz"}))
		if err := w.svc.AddQueueMember(ctx, w.admin, "Netz", "anna@example.org"); err != nil {
			t.Fatal(err)
		}
		var numbers []int64
		for _, q := range []string{"Servicedesk", "Netz"} {
			tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: q, Subject: "s", Description: "d"}))
			must(w.svc.Act(ctx, w.actor(t, "anna@example.org"), tk.Number, desk.Action{Name: "take"}))
			numbers = append(numbers, tk.Number)
		}
		// Agent to admin and back keeps memberships.
		must(w.svc.UpdateUser(ctx, w.admin, "anna@example.org", desk.UserPatch{Role: ptr(ticket.RoleAdmin)}))
		must(w.svc.UpdateUser(ctx, w.admin, "anna@example.org", desk.UserPatch{Role: ptr(ticket.RoleAgent)}))
		if a := w.actor(t, "anna@example.org"); len(a.Queues) != 2 || a.Role != ticket.RoleAgent {
			t.Fatalf("got %+v, want an agent in two queues", a)
		}
		u := must(w.svc.UpdateUser(ctx, w.admin, "anna@example.org", desk.UserPatch{Role: ptr(ticket.RoleRequester), Name: ptr("Anna Ex-Agent"), Language: ptr("en")}))
		if u.Role != ticket.RoleRequester || u.Name != "Anna Ex-Agent" || u.Language != "en" {
			t.Fatalf("got %+v", u)
		}
		a := w.actor(t, "anna@example.org")
		if len(a.Queues) != 0 || a.Staff() {
			t.Fatalf("got %+v, want a requester in no queue", a)
		}
		for _, n := range numbers {
			if tk := must(w.svc.Ticket(ctx, access.System, n)); tk.Assignee != "" {
				t.Errorf("#%d: still assigned to %s", n, tk.Assignee)
			}
			if ev := assigneeEvents(t, w, n); len(ev) != 2 || ev[1] != "anna@example.org→ by admin@example.org" {
				t.Errorf("#%d history: got %q", n, ev)
			}
		}
		if got := auditRows(t, raw, "queue.member.remove"); len(got) != 1 || !strings.Contains(got[0], "Netz, Servicedesk: anna@example.org as requester (2 tickets unassigned)") {
			t.Errorf("audit: got %q", got)
		}
		if got := auditRows(t, raw, "user.update"); len(got) != 3 || !strings.Contains(got[2], "name: Anna Agent → Anna Ex-Agent; language: de → en; role: agent → requester") {
			t.Errorf("audit: got %q", got)
		}
		_, err := w.svc.UpdateUser(ctx, w.admin, "anna@example.org", desk.UserPatch{Role: ptr(ticket.Role("boss")), Language: ptr("fr"), Name: ptr(" ")})
		if f := ticket.ErrorFields(err); ticket.ErrorCode(err) != ticket.EINVALID || f["role"] == "" || f["language"] == "" || f["name"] == "" {
			t.Fatalf("got %v, want EINVALID for role, language and name", err)
		}
		_, err = w.svc.UpdateUser(ctx, w.agentB, "alice@example.org", desk.UserPatch{Name: ptr("X")})
		wantCode(t, err, ticket.EFORBIDDEN)
		_, err = w.svc.UpdateUser(ctx, w.admin, "nobody@example.org", desk.UserPatch{Name: ptr("X")})
		wantCode(t, err, ticket.ENOTFOUND)
	})
}

func TestLastAdminProtected(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		wantProblem := func(err error, field, problem string) {
			t.Helper()
			wantCode(t, err, ticket.ECONFLICT)
			if got := ticket.ErrorFields(err)[field]; got != problem {
				t.Fatalf("got %v (field %s %q), want %q", err, field, got, problem)
			}
		}
		// Nobody demotes or disables themself.
		_, err := w.svc.UpdateUser(ctx, w.admin, "admin@example.org", desk.UserPatch{Role: ptr(ticket.RoleAgent)})
		wantProblem(err, "role", desk.ProblemOwnAccount)
		_, err = w.svc.UpdateUser(ctx, w.admin, "admin@example.org", desk.UserPatch{Disabled: ptr(true)})
		wantProblem(err, "disabled", desk.ProblemOwnAccount)
		// Their own name is theirs to change.
		must(w.svc.UpdateUser(ctx, w.admin, "admin@example.org", desk.UserPatch{Name: ptr("Ada A. Admin"), Role: ptr(ticket.RoleAdmin)}))

		// The last enabled admin stays, whoever asks.
		_, err = w.svc.UpdateUser(ctx, access.System, "admin@example.org", desk.UserPatch{Role: ptr(ticket.RoleRequester)})
		wantProblem(err, "role", desk.ProblemLastAdmin)
		_, err = w.svc.UpdateUser(ctx, access.System, "admin@example.org", desk.UserPatch{Disabled: ptr(true)})
		wantProblem(err, "disabled", desk.ProblemLastAdmin)
		if info := must(w.svc.UserInfo(ctx, w.admin, w.admin.UserID)); !info.LastAdmin {
			t.Fatalf("got %+v, want the last admin marked", info)
		}

		// With a second admin, either may go, but not both.
		must(w.svc.UpdateUser(ctx, w.admin, "bernd@example.org", desk.UserPatch{Role: ptr(ticket.RoleAdmin)}))
		bernd := w.actor(t, "bernd@example.org")
		if info := must(w.svc.UserInfo(ctx, w.admin, w.admin.UserID)); info.LastAdmin {
			t.Fatalf("got %+v, want not the last admin", info)
		}
		must(w.svc.UpdateUser(ctx, bernd, "admin@example.org", desk.UserPatch{Disabled: ptr(true)}))
		// A disabled admin does not count: bernd is the last one now.
		_, err = w.svc.UpdateUser(ctx, access.System, "bernd@example.org", desk.UserPatch{Disabled: ptr(true)})
		wantProblem(err, "disabled", desk.ProblemLastAdmin)
		_, err = w.svc.UpdateUser(ctx, access.System, "bernd@example.org", desk.UserPatch{Role: ptr(ticket.RoleAgent)})
		wantProblem(err, "role", desk.ProblemLastAdmin)
		// The disabled admin may be demoted; enabled again, the other may go.
		must(w.svc.UpdateUser(ctx, bernd, "admin@example.org", desk.UserPatch{Disabled: ptr(false)}))
		must(w.svc.UpdateUser(ctx, w.actor(t, "admin@example.org"), "bernd@example.org", desk.UserPatch{Role: ptr(ticket.RoleAgent)}))
		if a := w.actor(t, "bernd@example.org"); a.Role != ticket.RoleAgent || len(a.Queues) != 1 {
			t.Fatalf("got %+v, want bernd an agent in Security again", a)
		}
	})
}

// TestLastAdminRace: two admins demoting each other at once leave one.
func TestLastAdminRace(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		must(w.svc.UpdateUser(ctx, w.admin, "bernd@example.org", desk.UserPatch{Role: ptr(ticket.RoleAdmin)}))
		bernd := w.actor(t, "bernd@example.org")
		errs := make(chan error, 2)
		go func() {
			_, err := w.svc.UpdateUser(ctx, w.admin, "bernd@example.org", desk.UserPatch{Disabled: ptr(true)})
			errs <- err
		}()
		go func() {
			_, err := w.svc.UpdateUser(ctx, bernd, "admin@example.org", desk.UserPatch{Disabled: ptr(true)})
			errs <- err
		}()
		var failed int
		for range 2 {
			if err := <-errs; err != nil {
				wantCode(t, err, ticket.ECONFLICT)
				failed++
			}
		}
		l := must(w.svc.FindUsers(ctx, access.System, desk.UserFilter{Role: ticket.RoleAdmin, State: "active"}, 0, 0))
		if failed != 1 || l.Total != 1 {
			t.Fatalf("got %d refusals and %d enabled admins, want 1 and 1", failed, l.Total)
		}
	})
}

func TestDisableUser(t *testing.T) {
	forEachDialectRaw(t, func(t *testing.T, w *world, raw *sql.DB) {
		ctx := context.Background()
		const ttl = time.Hour
		// Dora has a password, a token, a session and an assigned ticket.
		must(w.svc.CreateUser(ctx, w.admin, desk.NewUser{Email: "dora@example.org", Name: "Dora Agent", Role: ticket.RoleAgent, Password: "dora-secret"}))
		if err := w.svc.AddQueueMember(ctx, w.admin, "Servicedesk", "dora@example.org"); err != nil {
			t.Fatal(err)
		}
		dora := w.actor(t, "dora@example.org")
		tok := must(w.svc.CreateToken(ctx, access.System, "dora@example.org"))
		session := must(w.svc.StartSession(ctx, dora, ttl))
		tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "s", Description: "d"}))
		must(w.svc.Act(ctx, dora, tk.Number, desk.Action{Name: "take"}))
		closed := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "s2", Description: "d"}))
		must(w.svc.Act(ctx, dora, closed.Number, desk.Action{Name: "take"}))
		must(w.svc.Act(ctx, dora, closed.Number, desk.Action{Name: "resolve"}))
		must(w.svc.Act(ctx, w.alice, closed.Number, desk.Action{Name: "close"}))

		w.clock.Add(time.Minute)
		u := must(w.svc.UpdateUser(ctx, w.admin, "dora@example.org", desk.UserPatch{Disabled: ptr(true)}))
		if !u.Disabled || u.DisabledAt == nil || !u.DisabledAt.Equal(w.clock.Now()) {
			t.Fatalf("got %+v, want disabled now", u)
		}
		_, err := w.svc.ActorByPassword(ctx, "dora@example.org", "dora-secret")
		wantCode(t, err, ticket.EUNAUTHORIZED)
		_, err = w.svc.ActorByToken(ctx, tok)
		wantCode(t, err, ticket.EUNAUTHORIZED)
		_, err = w.svc.SessionActor(ctx, session, ttl)
		wantCode(t, err, ticket.EUNAUTHORIZED)
		if got := must(w.svc.Ticket(ctx, access.System, tk.Number)); got.Assignee != "" {
			t.Fatalf("#%d still assigned to %s", tk.Number, got.Assignee)
		}
		if ev := assigneeEvents(t, w, tk.Number); len(ev) != 2 || ev[1] != "dora@example.org→ by admin@example.org" {
			t.Errorf("history: got %q", ev)
		}
		if got := must(w.svc.Ticket(ctx, access.System, closed.Number)); got.Assignee != "dora@example.org" {
			t.Errorf("closed #%d: got assignee %q, want dora kept", closed.Number, got.Assignee)
		}
		// She cannot be chosen as assignee, nor appears among the choices.
		_, err = w.svc.Act(ctx, w.admin, tk.Number, desk.Action{Name: "assign", Assignee: "dora@example.org"})
		wantCode(t, err, ticket.EINVALID)
		if v := must(w.svc.TicketView(ctx, w.admin, tk.Number)); slices.ContainsFunc(v.Members, func(m [2]string) bool { return m[0] == "dora@example.org" }) {
			t.Errorf("assignee choices %v include the disabled dora", v.Members)
		}
		if got := auditRows(t, raw, "user.disable"); len(got) != 1 || got[0] != itoa(w.admin.UserID)+" dora@example.org (1 sessions ended, 1 tickets unassigned)" {
			t.Errorf("audit: got %q", got)
		}
		// Disabling again changes nothing.
		must(w.svc.UpdateUser(ctx, w.admin, "dora@example.org", desk.UserPatch{Disabled: ptr(true)}))
		if got := auditRows(t, raw, "user.disable"); len(got) != 1 {
			t.Errorf("audit after a second disable: got %q", got)
		}

		// Enabled again: password and token work, the session stays ended,
		// memberships stayed, she may be assigned again.
		u = must(w.svc.UpdateUser(ctx, w.admin, "dora@example.org", desk.UserPatch{Disabled: ptr(false)}))
		if u.Disabled || u.DisabledAt != nil {
			t.Fatalf("got %+v, want enabled", u)
		}
		if a := must(w.svc.ActorByPassword(ctx, "dora@example.org", "dora-secret")); len(a.Queues) != 1 {
			t.Fatalf("got %+v, want dora in her queue", a)
		}
		must(w.svc.ActorByToken(ctx, tok))
		_, err = w.svc.SessionActor(ctx, session, ttl)
		wantCode(t, err, ticket.EUNAUTHORIZED)
		must(w.svc.Act(ctx, w.admin, tk.Number, desk.Action{Name: "assign", Assignee: "dora@example.org"}))
		if got := auditRows(t, raw, "user.enable"); len(got) != 1 {
			t.Errorf("audit: got %q", got)
		}
	})
}

func TestFindUsers(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		must(w.svc.CreateUser(ctx, w.admin, desk.NewUser{Email: "percent%@example.org", Name: "Under_Score", Role: ticket.RoleRequester}))
		must(w.svc.UpdateUser(ctx, w.admin, "bob@example.org", desk.UserPatch{Disabled: ptr(true)}))
		names := func(f desk.UserFilter) []string {
			t.Helper()
			l := must(w.svc.FindUsers(ctx, w.admin, f, 0, 0))
			var out []string
			for _, u := range l.Items {
				out = append(out, u.Name)
			}
			if l.Total != len(out) {
				t.Errorf("%+v: total %d, %d items", f, l.Total, len(out))
			}
			return out
		}
		for _, c := range []struct {
			f    desk.UserFilter
			want []string
		}{
			{desk.UserFilter{Query: "agent"}, []string{"Anna Agent", "Bernd Agent"}},
			{desk.UserFilter{Query: "ALICE@"}, []string{"Alice Requester"}},
			{desk.UserFilter{Query: "_"}, []string{"Under_Score"}},
			{desk.UserFilter{Query: "%"}, []string{"Under_Score"}},
			{desk.UserFilter{Role: ticket.RoleAdmin}, []string{"Ada Admin"}},
			{desk.UserFilter{State: "disabled"}, []string{"Bob Requester"}},
			{desk.UserFilter{Role: ticket.RoleRequester, State: "active"}, []string{"Alice Requester", "Under_Score"}},
			{desk.UserFilter{Query: "nobody"}, nil},
		} {
			if got := names(c.f); !slices.Equal(got, c.want) {
				t.Errorf("%+v: got %q, want %q", c.f, got, c.want)
			}
		}
		l := must(w.svc.FindUsers(ctx, w.admin, desk.UserFilter{}, 0, 0))
		if got := l.Queues["anna@example.org"]; !slices.Equal(got, []string{"Servicedesk"}) || len(l.Queues) != 2 {
			t.Errorf("queues: got %v", l.Queues)
		}
		if i := slices.IndexFunc(l.Items, func(u *ticket.User) bool { return u.Email == "bob@example.org" }); i < 0 || !l.Items[i].Disabled {
			t.Errorf("bob not shown disabled")
		}
		_, err := w.svc.FindUsers(ctx, w.admin, desk.UserFilter{Role: "boss", State: "asleep"}, 0, 0)
		if f := ticket.ErrorFields(err); f["role"] == "" || f["state"] == "" {
			t.Errorf("got %v, want role and state invalid", err)
		}
		for _, a := range []access.Actor{w.agentA, w.alice} {
			_, err = w.svc.FindUsers(ctx, a, desk.UserFilter{}, 0, 0)
			wantCode(t, err, ticket.EFORBIDDEN)
			_, err = w.svc.UserInfo(ctx, a, a.UserID)
			wantCode(t, err, ticket.EFORBIDDEN)
			_, err = w.svc.QueueInfo(ctx, a, 1)
			wantCode(t, err, ticket.EFORBIDDEN)
		}
		info := must(w.svc.UserInfo(ctx, w.admin, w.agentA.UserID))
		if info.User.Email != "anna@example.org" || !slices.Equal(info.Queues, []string{"Servicedesk"}) || info.Assigned != 0 || info.LastAdmin {
			t.Errorf("got %+v", info)
		}
		_, err = w.svc.UserInfo(ctx, w.admin, 999999)
		wantCode(t, err, ticket.ENOTFOUND)
	})
}

// TestAdminCountsScoped: the admin pages count a member's assigned tickets
// under the visibility policy, as search does: an admin outside a
// confidential queue counts none of its tickets, one inside counts them.
// Removing the member still unassigns every one of them.
func TestAdminCountsScoped(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		if err := w.svc.AddQueueMember(ctx, access.System, "Servicedesk", "bernd@example.org"); err != nil {
			t.Fatal(err)
		}
		must(w.svc.CreateUser(ctx, access.System, desk.NewUser{Email: "ida@example.org", Name: "Ida Admin", Role: ticket.RoleAdmin}))
		if err := w.svc.AddQueueMember(ctx, access.System, "Security", "ida@example.org"); err != nil {
			t.Fatal(err)
		}
		bernd, ida := w.actor(t, "bernd@example.org"), w.actor(t, "ida@example.org")
		var secret []int64
		for _, q := range []string{"Security", "Security", "Servicedesk"} {
			tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: q, Subject: "s", Description: "d"}))
			must(w.svc.Act(ctx, bernd, tk.Number, desk.Action{Name: "take"}))
			if tk.Confidential {
				secret = append(secret, tk.Number)
			}
		}
		security, servicedesk := queueByName(t, w, "Security").ID, queueByName(t, w, "Servicedesk").ID
		assigned := func(a access.Actor, queueID int64) int {
			t.Helper()
			for _, m := range must(w.svc.QueueInfo(ctx, a, queueID)).Members {
				if m.Email == "bernd@example.org" {
					return m.Assigned
				}
			}
			t.Fatalf("bernd is no member of queue %d", queueID)
			return 0
		}
		for _, c := range []struct {
			who                            string
			a                              access.Actor
			security, servicedesk, overall int
		}{
			{"admin outside Security", w.admin, 0, 1, 1},
			{"admin in Security", ida, 2, 1, 3},
		} {
			if got := assigned(c.a, security); got != c.security {
				t.Errorf("%s: QueueInfo(Security): got %d assigned to bernd, want %d", c.who, got, c.security)
			}
			if got := assigned(c.a, servicedesk); got != c.servicedesk {
				t.Errorf("%s: QueueInfo(Servicedesk): got %d assigned to bernd, want %d", c.who, got, c.servicedesk)
			}
			if got := must(w.svc.UserInfo(ctx, c.a, bernd.UserID)).Assigned; got != c.overall {
				t.Errorf("%s: UserInfo: got %d assigned to bernd, want %d", c.who, got, c.overall)
			}
			// the search the pages link to agrees
			p := must(w.svc.Search(ctx, c.a, ticket.Filter{Assignee: "bernd@example.org", Queue: "Security", Sort: "number"}))
			if p.Total != c.security {
				t.Errorf("%s: search: got %d, want %d", c.who, p.Total, c.security)
			}
		}

		// The admin outside Security removes bernd from it: both hidden
		// tickets lose him (an assignee must be a member), but their
		// numbers are not told to the admin.
		got := must(w.svc.RemoveQueueMember(ctx, w.admin, "Security", "bernd@example.org"))
		if len(got) != 0 {
			t.Errorf("RemoveQueueMember: got numbers %v, want none the admin may not see", got)
		}
		for _, n := range secret {
			if tk := must(w.svc.Ticket(ctx, access.System, n)); tk.Assignee != "" {
				t.Errorf("#%d: got assignee %q, want nobody", n, tk.Assignee)
			}
		}
	})
}

// TestQueueUseScoped: an admin outside a confidential queue counts none of
// its tickets, learns only that it holds some they may not see, and cannot
// delete it; a member admin counts them.
func TestQueueUseScoped(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		for range 2 {
			must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Security", Subject: "Phishing", Description: "d"}))
		}
		id := queueByName(t, w, "Security").ID
		info := must(w.svc.QueueInfo(ctx, w.admin, id))
		if info.Use.Tickets != 0 || info.Use.OpenTickets != 0 || !info.Use.Hidden || info.Deletable() {
			t.Fatalf("admin outside Security: got %+v (deletable %v), want 0 tickets, hidden ones, not deletable", info.Use, info.Deletable())
		}
		err := w.svc.DeleteQueue(ctx, w.admin, "Security")
		wantCode(t, err, ticket.ECONFLICT)
		if msg := errtext.Message("en", err); strings.Contains(msg, "2") || !strings.Contains(msg, "may not see") {
			t.Fatalf("delete refusal: got %q, want no count and a word of hidden tickets", err)
		}
		if err := w.svc.AddQueueMember(ctx, access.System, "Security", "admin@example.org"); err != nil {
			t.Fatal(err)
		}
		info = must(w.svc.QueueInfo(ctx, w.actor(t, "admin@example.org"), id))
		if info.Use.Tickets != 2 || info.Use.OpenTickets != 2 || info.Use.Hidden {
			t.Fatalf("member admin: got %+v, want 2 tickets, 2 open, none hidden", info.Use)
		}
	})
}
