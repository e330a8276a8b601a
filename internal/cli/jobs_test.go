package cli_test

import (
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/jhillyerd/enmime/v2"

	"github.com/servus-desk/servus/internal/servustest"
	"github.com/servus-desk/servus/internal/store/storetest"
)

// reminderSink is an SMTP server on loopback that counts the reminder
// mails it receives, by ticket number.
type reminderSink struct {
	mu        sync.Mutex
	reminders map[string]int
	all       int
}

func startReminderSink(t *testing.T) (*reminderSink, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sink := &smtpSink{got: make(chan string, 100)}
	srv := smtp.NewServer(sink)
	srv.Domain = "mx.test"
	go srv.Serve(ln)
	rs := &reminderSink{reminders: map[string]int{}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for raw := range sink.got {
			env, err := enmime.ReadEnvelope(strings.NewReader(raw))
			rs.mu.Lock()
			rs.all++
			if err == nil && strings.Contains(env.Text, "wartet noch auf Ihre Antwort") {
				rs.reminders[env.GetHeader("X-Servus-Ticket")]++
			}
			rs.mu.Unlock()
		}
	}()
	t.Cleanup(func() { srv.Close(); close(sink.got); <-done })
	return rs, "smtp://" + ln.Addr().String() + "?tls=none"
}

func (rs *reminderSink) counts() (map[string]int, int) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	c := map[string]int{}
	for k, v := range rs.reminders {
		c[k] = v
	}
	return c, rs.all
}

// jobRuns returns the runs of the job name as GET /api/v1/jobs reports
// them (-1 when it is not registered).
func jobRuns(t *testing.T, url, admin, name string) float64 {
	t.Helper()
	for _, j := range call(t, "GET", url+"/api/v1/jobs", admin, nil, 200)["items"].([]any) {
		if j := j.(map[string]any); j["name"] == name {
			return j["runs"].(float64)
		}
	}
	return -1
}

// TestRemindersTwoInstances runs two servus processes on one PostgreSQL
// database, both running the reminder job every 100ms and both mailing
// through one SMTP server. Each waiting ticket's requester gets exactly
// one reminder mail: one outbox row and one delivered mail per ticket,
// however often the two instances look.
func TestRemindersTwoInstances(t *testing.T) {
	db := storetest.PostgresURL(t)
	store := []string{"--data", t.TempDir(), "--db", db}
	admin, requester := bootstrap(t, store)
	sink, smtpURL := startReminderSink(t)
	env := map[string]string{"SERVUS_SMTP_URL": smtpURL}
	var ins []*servustest.Server
	for range 2 {
		ins = append(ins, servustest.Start(t, servustest.Options{DB: db, Env: env,
			Args: []string{"--reminder-interval", "100ms", "--staff-mail-window", "0"}}))
	}
	a, b := ins[0].URL, ins[1].URL
	q := call(t, "PATCH", a+"/api/v1/queues/Servicedesk", admin, map[string]any{"reminder": map[string]any{"after_seconds": 2}}, 200)
	if r, _ := q["reminder"].(map[string]any); r["after_seconds"] != 2.0 || r["then"] != "" {
		t.Fatalf("queue after PATCH: %v", q)
	}
	const n = 6
	var numbers []string
	for i := range n {
		url := []string{a, b}[i%2]
		tk := call(t, "POST", url+"/api/v1/tickets", requester, map[string]any{"queue": "Servicedesk", "subject": fmt.Sprintf("Drucker %d", i), "description": "druckt nicht"}, 201)
		num := fmt.Sprint(tk["number"])
		call(t, "POST", url+"/api/v1/tickets/"+num+"/entries", admin, map[string]any{"kind": "question", "body": "Welches Modell?"}, 201)
		numbers = append(numbers, num)
	}
	waitFor(t, 60*time.Second, "a reminder mail per waiting ticket", func() bool {
		c, _ := sink.counts()
		return len(c) == n
	})
	// Both instances go on looking; nothing more may come of it.
	runs := jobRuns(t, a, admin, "reminders")
	waitFor(t, 30*time.Second, "ten more runs of the reminder job", func() bool { return jobRuns(t, b, admin, "reminders") >= runs+10 })
	waitFor(t, 30*time.Second, "an empty outbox", func() bool {
		return call(t, "GET", a+"/api/v1/outbox?state=pending", admin, nil, 200)["total"] == 0.0
	})
	got, all := sink.counts()
	for _, num := range numbers {
		if got[num] != 1 {
			t.Errorf("ticket #%s: %d reminder mails, want exactly 1 (all: %v)", num, got[num], got)
		}
	}
	rows := map[string]int{}
	for _, it := range call(t, "GET", a+"/api/v1/outbox?per_page=100", admin, nil, 200)["items"].([]any) {
		if it := it.(map[string]any); it["event"] == "reminder" {
			rows[fmt.Sprint(it["ticket"])]++
			if it["state"] != "sent" {
				t.Errorf("reminder %v: state %v, want sent", it["id"], it["state"])
			}
		}
	}
	for _, num := range numbers {
		if rows[num] != 1 {
			t.Errorf("ticket #%s: %d reminder rows in the outbox, want 1 (all: %v)", num, rows[num], rows)
		}
	}
	// Every ticket is still waiting (the queue says nothing follows), and
	// its history shows the reminder once.
	for _, num := range numbers {
		tk := call(t, "GET", b+"/api/v1/tickets/"+num, admin, nil, 200)
		if tk["state"] != "waiting" {
			t.Errorf("#%s: state %v, want waiting", num, tk["state"])
		}
	}
	t.Logf("%d mails delivered in all; reminder job ran %v times", all, jobRuns(t, a, admin, "reminders"))
}

// TestJobScheduleSurvivesRestart: servus serve registers its jobs in the
// database; a restarted servus keeps their schedule and run counts rather
// than starting afresh.
func TestJobScheduleSurvivesRestart(t *testing.T) {
	for _, dialect := range dialects {
		t.Run(dialect, func(t *testing.T) {
			store := storeArgs(t, dialect)
			admin, _ := bootstrap(t, store)
			// Reminders every hour: the first run is at start, the next an
			// hour later, restart or not.
			args := append([]string{"--addr", "127.0.0.1:0", "--reminder-interval", "1h", "--auto-close-after", "2s"}, store...)
			first := startServe(t, nil, args...)
			waitFor(t, 20*time.Second, "the first reminder run", func() bool { return jobRuns(t, first.URL, admin, "reminders") == 1 })
			var before map[string]any
			for _, j := range call(t, "GET", first.URL+"/api/v1/jobs", admin, nil, 200)["items"].([]any) {
				if j.(map[string]any)["name"] == "reminders" {
					before = j.(map[string]any)
				}
			}
			if code := first.Stop(t); code != 0 {
				t.Fatalf("first servus exited %d", code)
			}
			second := startServe(t, nil, args...)
			// The auto-close job (every 200ms here) shows the runner is at
			// work; the hourly reminders must not have run again.
			ac := jobRuns(t, second.URL, admin, "auto-close")
			waitFor(t, 20*time.Second, "the auto-close job to run after the restart", func() bool {
				return jobRuns(t, second.URL, admin, "auto-close") > ac
			})
			for _, j := range call(t, "GET", second.URL+"/api/v1/jobs", admin, nil, 200)["items"].([]any) {
				if j := j.(map[string]any); j["name"] == "reminders" {
					if j["runs"] != 1.0 || j["next_run_at"] != before["next_run_at"] || j["interval_seconds"] != 3600.0 {
						t.Errorf("reminders after restart: %v, want as before: %v", j, before)
					}
				}
			}
		})
	}
}
