package cli_test

import (
	"database/sql"
	"fmt"
	"net"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/jhillyerd/enmime/v2"

	"github.com/servus-desk/servus/internal/servustest"
	"github.com/servus-desk/servus/internal/store/storetest"
)

// mailSink is an SMTP server on loopback that keeps the escalation
// digests and the reminder mails it receives.
type mailSink struct {
	mu        sync.Mutex
	digests   map[string]int // "to #n target: state" → how many digests said it
	perTo     map[string]int // recipient → digests
	reminders map[string]int // ticket number → reminder mails
	all       int
}

// digestLine is one ticket's target in a digest's text part: "#12 subject"
// and, on the next line, "  Erste Antwort: bald fällig (…)".
var digestLine = regexp.MustCompile(`(?m)^(#\d+) .*\n  ([^:\n]+): ([^(\n]+) \(`)

func startMailSink(t *testing.T) (*mailSink, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sink := &smtpSink{got: make(chan string, 100)}
	srv := smtp.NewServer(sink)
	srv.Domain = "mx.test"
	go srv.Serve(ln)
	ms := &mailSink{digests: map[string]int{}, perTo: map[string]int{}, reminders: map[string]int{}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for raw := range sink.got {
			env, err := enmime.ReadEnvelope(strings.NewReader(raw))
			ms.mu.Lock()
			ms.all++
			switch {
			case err != nil:
			case env.GetHeader("X-Servus-Escalation") != "":
				to := env.GetHeader("To")
				ms.perTo[to]++
				for _, m := range digestLine.FindAllStringSubmatch(env.Text, -1) {
					ms.digests[to+" "+m[1]+" "+m[2]+": "+strings.TrimSpace(m[3])]++
				}
			case strings.Contains(env.Text, "wartet noch auf Ihre Antwort"):
				ms.reminders[env.GetHeader("X-Servus-Ticket")]++
			}
			ms.mu.Unlock()
		}
	}()
	t.Cleanup(func() { srv.Close(); close(sink.got); <-done })
	return ms, "smtp://" + ln.Addr().String() + "?tls=none"
}

// lines returns how often each digest line came, in digests per
// recipient, and the reminders per ticket.
func (ms *mailSink) counts() (lines map[string]int, perTo map[string]int, reminders map[string]int) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	cp := func(m map[string]int) map[string]int {
		c := map[string]int{}
		for k, v := range m {
			c[k] = v
		}
		return c
	}
	return cp(ms.digests), cp(ms.perTo), cp(ms.reminders)
}

// TestEscalationsTwoInstances runs two servus processes on one PostgreSQL
// database, both running the escalation and the reminder job every 100ms
// and mailing through one SMTP server. The queue's first-response target
// is one minute round the clock (a target's smallest unit): each ticket
// becomes due soon 12 seconds before its due instant. Rather than wait
// most of the minute, the test moves the late tickets' stored due
// instants (first response, target_at, target_soon_at) back by one
// amount in the database, so that the first of them falls due 14 seconds
// later: due soon from 2 seconds on. Each of the queue's two members (one
// reading German, one English) hears of each ticket's due soon and its
// breach exactly once, and each waiting ticket's requester gets exactly
// one reminder, however often the two instances look.
func TestEscalationsTwoInstances(t *testing.T) {
	db := storetest.PostgresURL(t)
	store := []string{"--data", t.TempDir(), "--db", db}
	admin, requester := bootstrap(t, store)
	with := func(args ...string) []string { return append(args, store...) }
	mustRun(t, with("user", "add", "--email", "eve@zid.example", "--name", "Eve Agent", "--role", "agent", "--language", "en")...)
	mustRun(t, with("queue", "member", "--name", "Servicedesk", "--email", "eve@zid.example")...)
	sink, smtpURL := startMailSink(t)
	env := map[string]string{"SERVUS_SMTP_URL": smtpURL}
	var ins []*servustest.Server
	for range 2 {
		ins = append(ins, servustest.Start(t, servustest.Options{DB: db, Env: env,
			Args: []string{"--escalation-interval", "100ms", "--reminder-interval", "100ms", "--staff-mail-window", "0"}}))
	}
	a, b := ins[0].URL, ins[1].URL
	q := call(t, "PATCH", a+"/api/v1/queues/Servicedesk", admin, map[string]any{
		"escalate": true, "reminder": map[string]any{"after_seconds": 2},
		"targets": map[string]any{"first_response_minutes": 1, "resolution_minutes": 0, "hours": "Mon-Sun 00:00-24:00",
			"time_zone": "UTC", "holidays": "", "closed_dec_24_31": false, "closed_days": []string{}}}, 200)
	if q["escalate"] != true {
		t.Fatalf("queue after PATCH: %v", q)
	}
	const n = 4
	var late, waiting []string
	for i := range n + 2 {
		url := []string{a, b}[i%2]
		tk := call(t, "POST", url+"/api/v1/tickets", requester, map[string]any{"queue": "Servicedesk", "subject": fmt.Sprintf("Drucker %d", i), "description": "druckt nicht"}, 201)
		num := fmt.Sprint(tk["number"])
		if i < n {
			late = append(late, num)
			continue
		}
		// Asked within the minute: first response met, waiting, reminded.
		call(t, "POST", url+"/api/v1/tickets/"+num+"/entries", admin, map[string]any{"kind": "question", "body": "Welches Modell?"}, 201)
		waiting = append(waiting, num)
	}
	// Move the late tickets' clocks on: their due instants (and with them
	// the instants they become due soon) come earlier by the same amount,
	// as if they had been opened that much before. Escalation reads the
	// stored instants; nothing computes them again for these tickets.
	pg, err := sql.Open("pgx", db)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	lateSet := "(" + strings.Join(late, ",") + ")"
	firstDue := time.UnixMilli(int64(queryInt(t, pg, "SELECT MIN(first_response_due) FROM tickets WHERE number IN "+lateSet)))
	if d := time.Until(firstDue) - 14*time.Second; d > 0 {
		res, err := pg.Exec(`UPDATE tickets SET first_response_due = first_response_due - $1, target_at = target_at - $1,
			target_soon_at = target_soon_at - $1 WHERE number IN `+lateSet, d.Milliseconds())
		if err != nil {
			t.Fatalf("move the due instants: %v", err)
		}
		if n, _ := res.RowsAffected(); n != int64(len(late)) {
			t.Fatalf("moved the due instants of %d tickets, want %d", n, len(late))
		}
	}
	want := map[string]int{}
	for _, num := range late {
		for _, to := range []string{`"Ada Admin" <admin@zid.example>`, `"Eve Agent" <eve@zid.example>`} {
			if strings.Contains(to, "eve") {
				want[to+" #"+num+" First response: due soon"] = 1
				want[to+" #"+num+" First response: breached"] = 1
			} else {
				want[to+" #"+num+" Erste Antwort: bald fällig"] = 1
				want[to+" #"+num+" Erste Antwort: verletzt"] = 1
			}
		}
	}
	waitFor(t, 150*time.Second, "every ticket's due soon and breach in the digests", func() bool {
		lines, _, _ := sink.counts()
		return len(lines) >= len(want)
	})
	// Both instances go on looking; nothing more may come of it.
	runs := jobRuns(t, a, admin, "escalations")
	waitFor(t, 30*time.Second, "ten more runs of the escalation job", func() bool { return jobRuns(t, b, admin, "escalations") >= runs+10 })
	waitFor(t, 30*time.Second, "an empty outbox", func() bool {
		return call(t, "GET", a+"/api/v1/outbox?state=pending", admin, nil, 200)["total"] == 0.0
	})
	lines, perTo, reminders := sink.counts()
	for k, v := range want {
		if lines[k] != v {
			t.Errorf("%s: in %d digests, want %d", k, lines[k], v)
		}
	}
	for k := range lines {
		if want[k] == 0 {
			t.Errorf("unexpected digest line %s (all: %v)", k, lines)
		}
	}
	for _, num := range waiting {
		if reminders[num] != 1 {
			t.Errorf("ticket #%s: %d reminder mails, want exactly 1 (all: %v)", num, reminders[num], reminders)
		}
	}
	// The outbox holds one sent row per digest and recipient, as many as
	// arrived; both members got the same digests.
	rows := map[string]int{}
	for _, it := range call(t, "GET", a+"/api/v1/outbox?per_page=100", admin, nil, 200)["items"].([]any) {
		if it := it.(map[string]any); it["event"] == "escalation" {
			rows[fmt.Sprint(it["recipient"])]++
			if it["state"] != "sent" || it["ticket"] != 0.0 {
				t.Errorf("digest %v: state %v, ticket %v; want sent, 0", it["id"], it["state"], it["ticket"])
			}
		}
	}
	if rows["admin@zid.example"] != perTo[`"Ada Admin" <admin@zid.example>`] || rows["eve@zid.example"] != perTo[`"Eve Agent" <eve@zid.example>`] ||
		rows["admin@zid.example"] != rows["eve@zid.example"] || rows["admin@zid.example"] < 2 {
		t.Errorf("digest rows in the outbox %v, delivered %v; want the same for both members, at least 2", rows, perTo)
	}
	t.Logf("digests per member: %v; escalation job ran %v times", perTo, jobRuns(t, a, admin, "escalations"))
}
