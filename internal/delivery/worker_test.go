package delivery_test

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/auth"
	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/delivery"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

const (
	baseURL  = "https://servus.example.org"
	mailFrom = "servicedesk@servus.example.org"
)

// clock is a test clock that moves only when told; safe for concurrent use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fixture is a small service desk with a worker sending to a test SMTP
// server: queue Servicedesk (anna, English) and Security (bernd, German),
// requesters alice (German) and bob (English), admin ada.
type fixture struct {
	db                        *store.DB
	svc                       *desk.Service
	clock                     *clock
	smtp                      *smtpd
	worker                    *delivery.Worker
	admin, anna, bernd, alice access.Actor
}

func newService(t testing.TB, db *store.DB, now func() time.Time, mail desk.MailOptions) *desk.Service {
	t.Helper()
	blobs, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	p := auth.CheapParams()
	return desk.New(db, blobs, desk.Options{Now: now, PasswordParams: &p, MailDomain: "servus.example.org", Mail: mail})
}

func seed(t testing.TB, svc *desk.Service) {
	t.Helper()
	ctx := context.Background()
	must(svc.CreateQueue(ctx, access.System, desk.NewQueue{Name: "Servicedesk", Address: "servicedesk@example.org", Default: true}))
	must(svc.CreateQueue(ctx, access.System, desk.NewQueue{Name: "Security", Confidential: true}))
	for _, u := range []desk.NewUser{
		{Email: "ada@example.org", Name: "Ada Admin", Role: ticket.RoleAdmin, Language: "en"},
		{Email: "anna@example.org", Name: "Anna Agent", Role: ticket.RoleAgent, Language: "en"},
		{Email: "bernd@example.org", Name: "Bernd Agent", Role: ticket.RoleAgent},
		{Email: "alice@example.org", Name: "Alice Requester", Role: ticket.RoleRequester},
		{Email: "bob@example.org", Name: "Bob Requester", Role: ticket.RoleRequester, Language: "en"},
	} {
		must(svc.CreateUser(ctx, access.System, u))
	}
	if err := svc.AddQueueMember(ctx, access.System, "Servicedesk", "anna@example.org"); err != nil {
		t.Fatal(err)
	}
	if err := svc.AddQueueMember(ctx, access.System, "Security", "bernd@example.org"); err != nil {
		t.Fatal(err)
	}
}

func newFixture(t *testing.T, dialect string, d *smtpd, mail desk.MailOptions) *fixture {
	t.Helper()
	c := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	f := &fixture{db: storetest.Open(t, dialect), clock: c, smtp: d}
	f.svc = newService(t, f.db, c.Now, mail)
	seed(t, f.svc)
	f.admin, f.anna, f.bernd, f.alice = f.actor(t, "ada@example.org"), f.actor(t, "anna@example.org"),
		f.actor(t, "bernd@example.org"), f.actor(t, "alice@example.org")
	f.worker = newWorker(t, f.svc, d, c.Now)
	return f
}

func newWorker(t testing.TB, box delivery.Outbox, d *smtpd, now func() time.Time) *delivery.Worker {
	t.Helper()
	r, err := delivery.NewRenderer(delivery.RenderOptions{BaseURL: baseURL, From: mailFrom, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	s, err := delivery.NewSender(delivery.SMTPOptions{URL: d.URL("?tls=none"), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return delivery.NewWorker(box, r, s, delivery.WorkerOptions{Now: now, Interval: 10 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelError}))})
}

func (f *fixture) actor(t *testing.T, email string) access.Actor {
	t.Helper()
	a, err := f.svc.ActorByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// round runs one delivery round and returns how many mails it claimed.
func (f *fixture) round(t *testing.T) int {
	t.Helper()
	n, err := f.worker.RunOnce(context.Background())
	if err != nil {
		t.Fatalf("delivery round: %v", err)
	}
	return n
}

// outbox returns the whole outbox, newest first.
func (f *fixture) outbox(t *testing.T) []*desk.OutboxItem {
	t.Helper()
	p, err := f.svc.Outbox(context.Background(), access.System, "", 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	return p.Items
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprintf("unexpected error: %v", err))
	}
	return v
}

// byRecipient maps mails to their one recipient.
func byRecipient(t *testing.T, ms []received) map[string]parsed {
	t.Helper()
	out := map[string]parsed{}
	for _, m := range ms {
		if len(m.To) != 1 {
			t.Fatalf("mail to %v, want one recipient", m.To)
		}
		if _, dup := out[m.To[0]]; dup {
			t.Fatalf("two mails to %s", m.To[0])
		}
		out[m.To[0]] = parse(t, m.Data)
	}
	return out
}

func contains(t *testing.T, what, s string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(s, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, s)
		}
	}
}

func lacks(t *testing.T, what, s string, nots ...string) {
	t.Helper()
	for _, w := range nots {
		if strings.Contains(s, w) {
			t.Errorf("%s has %q:\n%s", what, w, s)
		}
	}
}

// TestConversation drives the whole path, change → outbox → worker → SMTP,
// through a ticket's life on both databases.
func TestConversation(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			d := startSMTPD(t, nil)
			f := newFixture(t, dialect, d, desk.MailOptions{StaffWindow: -1}) // every event its own mail: the folding has its own test
			ctx := context.Background()

			// Creation: the receipt to alice (German), the queue's anna (English).
			tk := must(f.svc.CreateTicket(ctx, f.alice, desk.NewTicket{Queue: "Servicedesk",
				Subject: "Drucker <script>alert(1)</script> & Toner", Description: "Der Drucker im Raum 3.14 druckt nur leere Seiten.\n\nGruß, Alice"}))
			if n := f.round(t); n != 2 {
				t.Fatalf("first round claimed %d, want 2", n)
			}
			first := d.wait(2)
			got := byRecipient(t, first)
			d.none()
			receipt, queue := got["alice@example.org"], got["anna@example.org"]
			// The envelope sender is the mail's own bounce address, Reply-To
			// the queue's address with the recipient's reply tag, each
			// with its HMAC.
			for _, m := range first {
				local, domain, _ := strings.Cut(mailFrom, "@")
				if !regexp.MustCompile(`^` + regexp.QuoteMeta(local) + `\+bounce-\d+-[a-z2-7]{16}@` + regexp.QuoteMeta(domain) + `$`).MatchString(m.From) {
					t.Errorf("envelope sender %q, want %s+bounce-<id>-<mac>@%s", m.From, local, domain)
				}
			}
			replyTo := regexp.MustCompile(fmt.Sprintf(`^"Servicedesk" <servicedesk\+%d-[a-z2-7]{16}@example\.org>$`, tk.Number))
			if a, b := receipt.Header.Get("Reply-To"), queue.Header.Get("Reply-To"); !replyTo.MatchString(a) || !replyTo.MatchString(b) || a == b {
				t.Errorf("Reply-To %q and %q, want servicedesk+%d-<mac>@example.org, another for each recipient", a, b, tk.Number)
			}
			tag := fmt.Sprintf("[#%d]", tk.Number)
			link := fmt.Sprintf("%s/tickets/%d", baseURL, tk.Number)
			if s := receipt.subject(t); s != tag+" Drucker <script>alert(1)</script> & Toner" {
				t.Errorf("subject %q, want the tag and the subject as text", s)
			}
			for name, h := range map[string]string{
				"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All",
				"X-Servus-Ticket": fmt.Sprint(tk.Number),
			} {
				if got := receipt.Header.Get(name); got != h {
					t.Errorf("%s: %q, want %q", name, got, h)
				}
			}
			if from := receipt.Header.Get("From"); from != `"Servicedesk" <`+mailFrom+`>` {
				t.Errorf("From %q, want the queue's name and the sender address", from)
			}
			if to := receipt.Header.Get("To"); !strings.Contains(to, "<alice@example.org>") {
				t.Errorf("To %q", to)
			}
			if receipt.Header.Get("Date") == "" || receipt.Header.Get("Precedence") != "" {
				t.Errorf("Date %q, Precedence %q: want a date and no precedence", receipt.Header.Get("Date"), receipt.Header.Get("Precedence"))
			}
			receiptID := receipt.Header.Get("Message-ID")
			if !strings.HasPrefix(receiptID, fmt.Sprintf("<servus.%d.", tk.Number)) || !strings.HasSuffix(receiptID, "@servus.example.org>") {
				t.Errorf("Message-ID %q, want servus's own", receiptID)
			}
			if receipt.Type != "multipart/alternative" {
				t.Errorf("type %s, want multipart/alternative", receipt.Type)
			}
			contains(t, "receipt text", receipt.Text, "Guten Tag Alice Requester", "Nummer #", link,
				"Antworten Sie auf diese Mail", "Der Drucker im Raum 3.14", "Drucker <script>")
			contains(t, "receipt HTML", receipt.HTML, `href="`+link+`"`, "Drucker &lt;script&gt;alert(1)&lt;/script&gt; &amp; Toner",
				"Guten Tag Alice Requester")
			lacks(t, "receipt HTML", receipt.HTML, "<script>")
			contains(t, "queue mail", queue.Text, "Hello Anna Agent", "Alice Requester opened the new request #", "Der Drucker im Raum 3.14")
			lacks(t, "queue mail", queue.Text, "Guten Tag")

			// bernd (an agent outside the queue) watches; anna asks.
			must(f.svc.Act(ctx, f.bernd, tk.Number, desk.Action{Name: "watch"}))
			f.clock.Add(time.Minute)
			must(f.svc.AddEntry(ctx, f.anna, tk.Number, desk.NewEntry{Kind: ticket.KindQuestion, Body: "Welches Modell?"}))
			f.round(t)
			got = byRecipient(t, d.wait(2))
			q := got["alice@example.org"]
			if irt := q.Header.Get("In-Reply-To"); irt != receiptID {
				t.Errorf("question In-Reply-To %q, want the receipt %s", irt, receiptID)
			}
			if refs := q.Header.Get("References"); !strings.Contains(refs, receiptID) {
				t.Errorf("question References %q lack the receipt %s", refs, receiptID)
			}
			if s := q.subject(t); !strings.HasPrefix(s, tag+" ") {
				t.Errorf("question subject %q, want the tag", s)
			}
			contains(t, "question", q.Text, "Anna Agent hat eine Rückfrage", "Welches Modell?", "Bitte antworten Sie auf diese Mail",
				delivery.Marker, "schrieb Alice Requester:", "> Der Drucker im Raum 3.14")
			if i, j := strings.Index(q.Text, "Welches Modell?"), strings.Index(q.Text, delivery.Marker); i > j {
				t.Errorf("the new text comes after the marker:\n%s", q.Text)
			}
			contains(t, "question HTML", q.HTML, delivery.Marker, "Welches Modell?")
			contains(t, "watcher", got["bernd@example.org"].Text, "Anna Agent hat den Anfragenden von #")

			// A staff-only comment: bernd (staff, watching) hears of it, alice never.
			f.clock.Add(time.Minute)
			must(f.svc.AddEntry(ctx, f.anna, tk.Number, desk.NewEntry{Kind: ticket.KindComment, Body: "Toner bestellt, intern", Visibility: ticket.VisibilityStaff}))
			f.round(t)
			got = byRecipient(t, d.wait(1))
			if _, ok := got["bernd@example.org"]; !ok {
				t.Fatalf("staff comment went to %v, want bernd", got)
			}
			contains(t, "staff comment", got["bernd@example.org"].Text, "[intern: nur für Mitarbeitende sichtbar]", "Toner bestellt")
			d.none()

			// The re-check: a message is written to alice and bernd, then the
			// ticket turns confidential before the worker runs: bernd (no
			// member of Servicedesk) loses access and gets nothing.
			f.clock.Add(time.Minute)
			must(f.svc.AddEntry(ctx, f.anna, tk.Number, desk.NewEntry{Kind: ticket.KindMessage, Body: "Neuer Toner ist unterwegs."}))
			cur := must(f.svc.Ticket(ctx, f.anna, tk.Number))
			yes := true
			must(f.svc.UpdateTicket(ctx, f.anna, tk.Number, desk.Patch{Version: cur.Version, Confidential: &yes}))
			f.round(t)
			got = byRecipient(t, d.wait(1))
			m, ok := got["alice@example.org"]
			if !ok {
				t.Fatalf("message went to %v, want alice", got)
			}
			contains(t, "message", m.Text, "Neuer Toner ist unterwegs.", "> Welches Modell?")
			lacks(t, "message", m.Text, "Toner bestellt") // the staff comment is not quoted to alice
			d.none()
			var dropped []string
			for _, it := range f.outbox(t) {
				if it.State == "dropped" {
					dropped = append(dropped, it.Event+">"+it.Recipient+": "+it.LastError)
				}
			}
			if want := []string{"message>bernd@example.org: recipient may no longer see ticket #" + fmt.Sprint(tk.Number)}; fmt.Sprint(dropped) != fmt.Sprint(want) {
				t.Errorf("dropped %q, want %q", dropped, want)
			}

			// alice answers: to anna, the assignee, in English.
			f.clock.Add(time.Minute)
			must(f.svc.AddEntry(ctx, f.alice, tk.Number, desk.NewEntry{Kind: ticket.KindAnswer, Body: "HP LaserJet 4250"}))
			f.round(t)
			got = byRecipient(t, d.wait(1))
			contains(t, "answer", got["anna@example.org"].Text, "Alice Requester replied on #", "HP LaserJet 4250",
				delivery.Marker, "Anna Agent wrote:", "> Neuer Toner ist unterwegs.")

			// Resolution tells alice how to reopen.
			f.clock.Add(time.Minute)
			must(f.svc.Act(ctx, f.anna, tk.Number, desk.Action{Name: "resolve"}))
			f.round(t)
			got = byRecipient(t, d.wait(1))
			contains(t, "resolved", got["alice@example.org"].Text, "als gelöst markiert", "antworten Sie einfach auf diese Mail", link)
			if n := f.round(t); n != 0 {
				t.Errorf("a round after everything was sent claimed %d", n)
			}
			d.none()
		})
	}
}

// TestOutage: with the SMTP server down mail waits with back-off; when it
// is up again every mail arrives exactly once.
func TestOutage(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			d := startSMTPD(t, nil)
			f := newFixture(t, dialect, d, desk.MailOptions{})
			ctx := context.Background()
			d.down()
			tk := must(f.svc.CreateTicket(ctx, f.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "VPN", Description: "geht nicht"}))
			start := f.clock.Now()
			for i, wait := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute} {
				if n := f.round(t); n != 2 {
					t.Fatalf("attempt %d claimed %d, want 2", i+1, n)
				}
				for _, it := range f.outbox(t) {
					if it.State != "pending" || it.Attempts != i+1 || it.NextAttemptAt == nil ||
						!it.NextAttemptAt.Equal(f.clock.Now().Add(wait)) || !strings.Contains(it.LastError, "connect to") {
						t.Fatalf("attempt %d: got %+v, want pending, %d attempts, next in %s", i+1, it, i+1, wait)
					}
				}
				if n := f.round(t); n != 0 {
					t.Fatalf("a round before the back-off claimed %d", n)
				}
				f.clock.Add(wait)
			}
			d.up()
			if n := f.round(t); n != 2 {
				t.Fatalf("after the outage claimed %d, want 2", n)
			}
			got := byRecipient(t, d.wait(2))
			if _, ok := got["alice@example.org"]; !ok {
				t.Errorf("got mail for %v, want alice's receipt", got)
			}
			f.clock.Add(time.Hour)
			if n := f.round(t); n != 0 {
				t.Errorf("claimed %d after delivery", n)
			}
			d.none()
			for _, it := range f.outbox(t) {
				if it.State != "sent" || it.Attempts != 4 || it.SentAt == nil || it.SentAt.Sub(start) != 7*time.Minute {
					t.Errorf("got %+v, want sent on the 4th attempt after 7 minutes", it)
				}
			}
			_ = tk
		})
	}
}

// TestRefused: a 4xx answer retries, a 5xx fails at once; an admin's retry
// sends it.
func TestRefused(t *testing.T) {
	d := startSMTPD(t, nil)
	f := newFixture(t, store.SQLite, d, desk.MailOptions{})
	ctx := context.Background()
	d.setFail(&smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"})
	must(f.svc.CreateTicket(ctx, f.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "s", Description: "d"}))
	f.round(t)
	for _, it := range f.outbox(t) {
		if it.State != "pending" || it.Attempts != 1 || !strings.Contains(it.LastError, "451") {
			t.Errorf("after 451: got %+v, want pending for a retry", it)
		}
	}
	d.setFail(&smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"})
	f.clock.Add(time.Minute)
	f.round(t)
	items := f.outbox(t)
	for _, it := range items {
		if it.State != "failed" || it.Attempts != 2 || !strings.Contains(it.LastError, "550") {
			t.Errorf("after 550: got %+v, want failed", it)
		}
	}
	d.setFail(nil)
	f.clock.Add(time.Hour)
	if n := f.round(t); n != 0 {
		t.Fatalf("a failed mail was claimed again (%d)", n)
	}
	if _, err := f.svc.RetryMail(ctx, f.anna, items[0].ID); ticket.ErrorCode(err) != ticket.EFORBIDDEN {
		t.Errorf("agent retry: got %v, want forbidden", err)
	}
	if _, err := f.svc.RetryMail(ctx, f.admin, 999999); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Errorf("retry of nothing: got %v, want not found", err)
	}
	it, err := f.svc.RetryMail(ctx, f.admin, items[0].ID)
	if err != nil || it.State != "pending" || it.Attempts != 0 {
		t.Fatalf("retry: got %+v, %v; want pending with fresh attempts", it, err)
	}
	if n := f.round(t); n != 1 {
		t.Fatalf("after retry claimed %d, want 1", n)
	}
	got := d.wait(1)
	if got[0].To[0] != items[0].Recipient {
		t.Errorf("retried mail went to %v, want %s", got[0].To, items[0].Recipient)
	}
	if _, err := f.svc.RetryMail(ctx, f.admin, items[0].ID); ticket.ErrorCode(err) != ticket.ECONFLICT {
		t.Errorf("retry of a sent mail: got %v, want conflict", err)
	}
	d.none()
}

// openTwice opens one database twice, as two servus instances would.
func openTwice(t *testing.T, dialect string) (*store.DB, *store.DB) {
	t.Helper()
	ctx := context.Background()
	var url string
	dir := t.TempDir()
	if dialect == store.Postgres {
		url = storetest.PostgresURL(t)
	}
	open := func() *store.DB {
		db, err := store.Open(ctx, url, dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		return db
	}
	return open(), open()
}

// TestTwoInstances: two instances, each with its own connection to one
// database and its own worker, deliver a burst of mail; none twice.
func TestTwoInstances(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			d := startSMTPD(t, nil)
			db1, db2 := openTwice(t, dialect)
			svc1 := newService(t, db1, nil, desk.MailOptions{DailyCap: -1, StaffHourly: -1})
			svc2 := newService(t, db2, nil, desk.MailOptions{DailyCap: -1, StaffHourly: -1})
			seed(t, svc1)
			alice := must(svc1.ActorByEmail(context.Background(), "alice@example.org"))
			const tickets = 40 // 80 mails: receipt and queue member each
			for i := range tickets {
				must(svc1.CreateTicket(context.Background(), alice, desk.NewTicket{Queue: "Servicedesk", Subject: fmt.Sprint("T", i), Description: "d"}))
			}
			ctx, cancel := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			for _, svc := range []*desk.Service{svc1, svc2, svc1, svc2} {
				w := newWorker(t, svc, d, time.Now)
				wg.Go(func() { w.Run(ctx) })
			}
			got := d.wait(2 * tickets)
			time.Sleep(100 * time.Millisecond) // a duplicate would arrive now
			cancel()
			wg.Wait()
			d.none()
			seen := map[string]bool{}
			for _, m := range got {
				id := parse(t, m.Data).Header.Get("Message-ID")
				if seen[id] {
					t.Errorf("Message-ID %s delivered twice", id)
				}
				seen[id] = true
			}
			p := must(svc1.Outbox(context.Background(), access.System, "sent", 1, 100))
			if p.Total != 2*tickets {
				t.Errorf("%d sent, want %d", p.Total, 2*tickets)
			}
		})
	}
}

// TestRunStops: Run returns promptly when its context ends.
func TestRunStops(t *testing.T) {
	d := startSMTPD(t, nil)
	f := newFixture(t, store.SQLite, d, desk.MailOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.worker.Run(ctx) }()
	must(f.svc.CreateTicket(context.Background(), f.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "s", Description: "d"}))
	d.wait(2)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop")
	}
}
