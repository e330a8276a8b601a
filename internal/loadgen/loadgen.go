// Package loadgen measures how fast a running servus answers its pages: it
// signs in like a browser, requests a set of paths from several workers for
// a bounded time and count, and reports latency percentiles per path. It is
// the load command the README documents (servus load); performance goals
// are checked with it, never with timed unit tests.
package loadgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// DefaultPaths returns the page mix servus load requests unless told
// otherwise: the dashboard, the search (everything, and a text search), the
// queues page and the view of the demo's default queue (Servicedesk).
func DefaultPaths() []string {
	return []string{"/", "/search", "/search?q=drucker", "/queues", "/queues/Servicedesk"}
}

// Options say what to load and for how long. The run ends at Duration or
// after Requests requests, whichever comes first.
type Options struct {
	BaseURL     string        // e.g. http://127.0.0.1:8080; must be on this machine
	Email       string        // signs in through /login when set
	Password    string        //
	Paths       []string      // requested round-robin, e.g. "/", "/search?q=drucker"
	Concurrency int           // workers; default 4
	Duration    time.Duration // default 10s, at most 10 minutes
	Requests    int           // default 100000
}

// Stat is what one path measured.
type Stat struct {
	Path               string
	Count, Errors      int
	P50, P90, P99, Max time.Duration
	FirstError         string
}

// Report is a whole run.
type Report struct {
	Stats    []Stat
	Elapsed  time.Duration
	Requests int
}

// Run signs in and loads the server; it returns an error when the options
// are wrong, the URL is not on this machine, or signing in fails.
func Run(ctx context.Context, o Options) (*Report, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{
		Jar:     jar,
		Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
		Transport: &http.Transport{MaxIdleConnsPerHost: o.Concurrency, MaxConnsPerHost: o.Concurrency},
	}
	base := strings.TrimSuffix(o.BaseURL, "/")
	if o.Email != "" {
		resp, err := client.PostForm(base+"/login", url.Values{"email": {o.Email}, "password": {o.Password}})
		if err != nil {
			return nil, fmt.Errorf("sign in: %w", err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			return nil, fmt.Errorf("sign in as %s: got status %d, want 303", o.Email, resp.StatusCode)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, o.Duration)
	defer cancel()

	type sample struct {
		path int
		d    time.Duration
		err  string
	}
	var (
		mu      sync.Mutex
		samples []sample
		next    int
	)
	take := func() (int, bool) {
		mu.Lock()
		defer mu.Unlock()
		if next >= o.Requests || ctx.Err() != nil {
			return 0, false
		}
		next++
		return (next - 1) % len(o.Paths), true
	}
	start := time.Now()
	var wg sync.WaitGroup
	for range o.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i, ok := take()
				if !ok {
					return
				}
				t0 := time.Now()
				errText := get(ctx, client, base+o.Paths[i])
				d := time.Since(t0)
				if errors.Is(ctx.Err(), context.DeadlineExceeded) && errText != "" {
					return // cut off by the end of the run: not a sample
				}
				mu.Lock()
				samples = append(samples, sample{i, d, errText})
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	rep := &Report{Elapsed: time.Since(start), Requests: len(samples)}
	for i, p := range o.Paths {
		st := Stat{Path: p}
		var ds []time.Duration
		for _, s := range samples {
			if s.path != i {
				continue
			}
			st.Count++
			if s.err != "" {
				st.Errors++
				if st.FirstError == "" {
					st.FirstError = s.err
				}
				continue
			}
			ds = append(ds, s.d)
		}
		slices.Sort(ds)
		st.P50, st.P90, st.P99 = percentile(ds, 50), percentile(ds, 90), percentile(ds, 99)
		if len(ds) > 0 {
			st.Max = ds[len(ds)-1]
		}
		rep.Stats = append(rep.Stats, st)
	}
	return rep, nil
}

// get requests url and returns "" for a 2xx answer, else what went wrong.
func get(ctx context.Context, c *http.Client, u string) string {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err.Error()
	}
	resp, err := c.Do(req)
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err.Error()
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Sprintf("status %d", resp.StatusCode)
	}
	return ""
}

// percentile returns the p-th percentile (nearest rank) of sorted ds.
func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	k := (p*len(ds) + 99) / 100
	return ds[max(k, 1)-1]
}

func (o *Options) check() error {
	u, err := url.Parse(o.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--url %q: must be an http(s) URL", o.BaseURL)
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); (ip == nil || !ip.IsLoopback()) && host != "localhost" {
		return fmt.Errorf("--url %q: load is only ever sent to this machine (loopback)", o.BaseURL)
	}
	if len(o.Paths) == 0 {
		return errors.New("--paths: at least one path")
	}
	for _, p := range o.Paths {
		if !strings.HasPrefix(p, "/") {
			return fmt.Errorf("--paths: %q must start with /", p)
		}
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	if o.Duration <= 0 {
		o.Duration = 10 * time.Second
	}
	if o.Duration > 10*time.Minute {
		return errors.New("--duration: at most 10m")
	}
	if o.Requests <= 0 {
		o.Requests = 100_000
	}
	return nil
}

// Write prints r as a table.
func (r *Report) Write(w io.Writer) {
	fmt.Fprintf(w, "%d requests in %v (%.0f/s)\n", r.Requests, r.Elapsed.Round(time.Millisecond), float64(r.Requests)/r.Elapsed.Seconds())
	fmt.Fprintf(w, "%-40s %7s %6s %9s %9s %9s %9s\n", "path", "count", "errors", "p50", "p90", "p99", "max")
	for _, s := range r.Stats {
		fmt.Fprintf(w, "%-40s %7d %6d %9v %9v %9v %9v\n", s.Path, s.Count, s.Errors,
			s.P50.Round(10*time.Microsecond), s.P90.Round(10*time.Microsecond), s.P99.Round(10*time.Microsecond), s.Max.Round(10*time.Microsecond))
		if s.FirstError != "" {
			fmt.Fprintf(w, "  first error: %s\n", s.FirstError)
		}
	}
}
