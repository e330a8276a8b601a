package cli_test

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/servustest"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
)

// benchTickets is how many tickets TestBenchSeedAndRun's bench seed adds
// to the demo's 300; seeding the demo (one transaction per step of its
// history) takes most of the command's time. bench run needs a word found
// in at least 50 pages of 20 for its deep cursor (search-deep-cursor-api):
// with 1000 the common word matched 943 tickets the agent sees, too close;
// with 1400, 1213.
const benchTickets = 1400

// TestBenchSeedAndRun seeds benchTickets tickets besides the demo with
// servus bench seed, starts servus on them and runs every workload of
// servus bench run briefly: the JSON line must be well-formed and every
// workload must have run without an error. It measures nothing (figures
// are for docs/performance.md).
func TestBenchSeedAndRun(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			data := t.TempDir()
			storeArgs := []string{"--data", data}
			db := ""
			if dialect == store.Postgres {
				db = storetest.PostgresURL(t)
				storeArgs = append(storeArgs, "--db", db)
			}
			out := servustest.Run(t, append([]string{"bench", "seed", "--tickets", strconv.Itoa(benchTickets)}, storeArgs...)...)
			m := regexp.MustCompile(`(?m)^token \S+ (\S+)$`).FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("bench seed printed no token line:\n%s", out)
			}
			if !regexp.MustCompile(`(?m)^seeded \d+ tickets \(\d+ demo, ` + strconv.Itoa(benchTickets) + ` bulk, 3 of them with 200 entries\)`).MatchString(out) {
				t.Errorf("bench seed's summary is not as expected:\n%s", out)
			}
			srv := servustest.Start(t, servustest.Options{Data: data, DB: db, Args: []string{"--lmtp", "127.0.0.1:0"}})
			lm := srv.WaitLog(t, regexp.MustCompile(`"lmtp listening" addr=(\S+)`), 30*time.Second)
			js := servustest.Run(t, append([]string{"bench", "run", "--url", srv.URL, "--token", m[1], "--lmtp", lm[1],
				"--duration", "300ms", "--json"}, storeArgs...)...)
			if strings.Count(strings.TrimSpace(js), "\n") != 0 {
				t.Fatalf("bench run --json printed more than one line:\n%s", js)
			}
			var rep struct {
				Tickets        int     `json:"tickets"`
				CommonWord     string  `json:"common_word"`
				RareWord       string  `json:"rare_word"`
				LongEntries    int     `json:"long_ticket_entries"`
				RSSBytes       int64   `json:"rss_bytes"`
				BytesPerTicket float64 `json:"db_bytes_per_ticket"`
				Workloads      []struct {
					Name         string
					Count        int
					Errors       int
					PerSec       float64 `json:"per_sec"`
					P50ms, P99ms float64 `json:"-"`
					FirstError   string  `json:"first_error"`
				}
			}
			if err := json.Unmarshal([]byte(js), &rep); err != nil {
				t.Fatalf("bench run's JSON line: %v\n%s", err, js)
			}
			if rep.Tickets < benchTickets || rep.CommonWord == "" || rep.RareWord == "" || rep.LongEntries < 200 || rep.RSSBytes <= 0 || rep.BytesPerTicket <= 0 {
				t.Errorf("fixtures or measures missing: %+v", rep)
			}
			want := []string{"create-1", "create-16", "entry-add-8", "lmtp-new-8", "lmtp-reply-8", "search-common-api", "search-rare-api",
				"search-filter-api", "search-deep-api", "search-deep-cursor-api", "search-common-web-agent", "search-common-web-requester", "ticket-page-200",
				"dashboard-web-agent", "list-50-api"}
			var got []string
			for _, w := range rep.Workloads {
				got = append(got, w.Name)
				if w.Count == 0 || w.Errors != 0 || w.PerSec <= 0 {
					t.Errorf("workload %s: %d done, %d errors (first: %s), want some and none", w.Name, w.Count, w.Errors, w.FirstError)
				}
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("workloads\n got %v\nwant %v", got, want)
			}
		})
	}
}
