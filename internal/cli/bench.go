package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/app"
	"github.com/servus-desk/servus/internal/demo"
	"github.com/servus-desk/servus/internal/loadgen"
)

func benchSeedCommand() *command {
	return &command{
		name:    "bench seed",
		summary: "fill an empty database with many realistic tickets for benchmarks",
		help: `Seeds the demo (queues, staff, requesters, a few hundred tickets with their
histories), then --tickets more over the three years before it, in large
transactions through the store's own insert and search-index code: German and
English text with a Zipf-like word distribution, every state, several entries
each, some attachments and confidential tickets, one requester per 50 tickets,
and a few tickets with 200 entries (subject word "Dauerbrenner"). Shows
progress on stderr; prints the rate, the demo's logins (password servus-demo)
and an API token of the demo's agent for servus bench run. The database must
be empty.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			cfg := storeConfig(fs)
			var n int
			var profile string
			fs.IntVar(&n, "tickets", 10_000, "how many `tickets` to add besides the demo's")
			fs.StringVar(&profile, "cpuprofile", "", "write a CPU profile of the seeding to `file` (for go tool pprof)")
			return func(ctx context.Context, e *env) error {
				if n < 1 || n > 10_000_000 {
					return usagef("--tickets: between 1 and 10000000")
				}
				if profile != "" {
					f, err := os.Create(profile)
					if err != nil {
						return err
					}
					defer f.Close()
					if err := pprof.StartCPUProfile(f); err != nil {
						return err
					}
					defer pprof.StopCPUProfile()
				}
				return withCore(ctx, e, cfg, func(c *app.Core) error {
					p := newProgress(e.stderr, n)
					res, err := c.SeedBench(ctx, demo.BenchOptions{Tickets: n, Progress: p.update})
					if err != nil {
						return err
					}
					p.done()
					fmt.Fprintf(e.stdout, "seeded %d tickets (%d demo, %d bulk, %d of them with %d entries), %d entries, %d attachments, %d requesters in %v: %.0f tickets/s\n",
						res.Tickets+res.Bulk, res.Tickets, res.Bulk, res.Long, demo.LongEntries, res.Entries, res.Attachments, res.Requesters,
						res.Took.Round(time.Millisecond), float64(res.Tickets+res.Bulk)/res.Took.Seconds())
					for _, l := range res.Logins {
						fmt.Fprintf(e.stdout, "login %s %s %s\n", l.Role, l.Email, l.Password)
					}
					fmt.Fprintf(e.stdout, "token %s %s\n", res.AgentEmail, res.AgentToken)
					return nil
				})
			}
		},
	}
}

// progress is a progress line on a terminal's stderr: done, rate, ETA.
type progress struct {
	w     io.Writer
	total int
	start time.Time
	last  time.Time
}

func newProgress(w io.Writer, total int) *progress {
	return &progress{w: w, total: total, start: time.Now()}
}

func (p *progress) update(done int) {
	now := time.Now()
	if now.Sub(p.last) < 200*time.Millisecond && done < p.total {
		return
	}
	p.last = now
	el := now.Sub(p.start).Seconds()
	rate := float64(done) / el
	eta := time.Duration(float64(p.total-done)/max(rate, 1e-9)) * time.Second
	const width = 30
	bar := strings.Repeat("#", width*done/p.total) + strings.Repeat(".", width-width*done/p.total)
	fmt.Fprintf(p.w, "\r[%s] %d/%d tickets  %.0f/s  ETA %v   ", bar, done, p.total, rate, eta.Round(time.Second))
}

func (p *progress) done() { fmt.Fprintln(p.w) }

func benchRunCommand() *command {
	return &command{
		name:    "bench run",
		summary: "measure a running servus seeded with bench seed",
		help: `Drives a running servus on this machine that servus bench seed filled: ticket
creation through the API with 1 and 16 clients, adding entries, mail over LMTP
(new tickets and replies; with --lmtp), searches (a common and a rare word,
filters only, a deep page) through the API as the token's agent and on the web
as agent and requester, the ticket page of a ticket with 200 entries, the
agent's dashboard and a list of 50. It finds these in the data itself. Each
workload runs for --duration. Prints a table of throughput and p50/p99 per
workload, the server's RSS (from /metrics) and the database size per ticket
(with --data or --db), and last one line of JSON (with --json only that).
Any answer other than success counts as an error of its workload.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			var o loadgen.BenchOptions
			var asJSON bool
			var only string
			fs.StringVar(&o.BaseURL, "url", "http://127.0.0.1:8080", "base `URL` of the servus to measure (loopback only)")
			fs.StringVar(&o.Token, "token", "", "API `token` of an agent (bench seed prints one)")
			fs.StringVar(&o.LMTP, "lmtp", "", "`address` of servus's LMTP listener; empty: no mail workloads")
			fs.DurationVar(&o.Duration, "duration", 5*time.Second, "how long each workload runs")
			fs.StringVar(&o.AgentEmail, "agent", "markus.gruber@zid.example.org", "agent to sign in on the web as (`e-mail`)")
			fs.StringVar(&o.RequesterEmail, "requester", "maria.huber@uibk.example", "requester to sign in on the web as (`e-mail`)")
			fs.StringVar(&o.Password, "password", demo.Password, "`password` of both")
			fs.StringVar(&o.Data, "data", "", "SQLite data `folder` of that servus, to measure the database")
			fs.StringVar(&o.DB, "db", "", "PostgreSQL `URL` of that servus, to measure the database")
			fs.StringVar(&only, "only", "", "comma-separated `workloads` to run (default all)")
			fs.BoolVar(&asJSON, "json", false, "print only the JSON line")
			return func(ctx context.Context, e *env) error {
				for _, w := range strings.Split(only, ",") {
					if w = strings.TrimSpace(w); w != "" {
						o.Only = append(o.Only, w)
					}
				}
				o.Progress = e.stderr
				rep, err := loadgen.RunBench(ctx, o)
				if err != nil {
					return err
				}
				if asJSON {
					rep.WriteJSON(e.stdout)
				} else {
					rep.Write(e.stdout)
				}
				return nil
			}
		},
	}
}
