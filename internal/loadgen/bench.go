package loadgen

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/emersion/go-smtp"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", for the size of a PostgreSQL database

	"github.com/servus-desk/servus/internal/textsearch"
)

// LongMarker is the word servus bench seed puts in the subject of its
// tickets with 200 entries (demo.LongMarker; loadgen imports no servus
// package).
const LongMarker = "Dauerbrenner"

// BenchOptions say which servus bench run drives and how.
type BenchOptions struct {
	BaseURL  string        // http://127.0.0.1:8080 (loopback only)
	Token    string        // API token of an agent (servus bench seed prints one)
	LMTP     string        // host:port of servus's LMTP listener; empty: no mail workloads
	Duration time.Duration // per workload; default 5s
	// Web sign-ins: an agent and a requester (the demo's by default).
	AgentEmail, RequesterEmail, Password string
	Data                                 string // SQLite data folder on this machine, to measure the database file
	DB                                   string // PostgreSQL URL, to measure the database
	// Only, when set, runs only the workloads whose names it lists.
	Only []string
	// Progress, when set, gets a line before each workload.
	Progress io.Writer
}

// Workload is what one workload measured.
type Workload struct {
	Name       string  `json:"name"`
	Clients    int     `json:"clients"`
	Count      int     `json:"count"`
	Errors     int     `json:"errors"`
	PerSec     float64 `json:"per_sec"`
	P50ms      float64 `json:"p50_ms"`
	P99ms      float64 `json:"p99_ms"`
	FirstError string  `json:"first_error,omitempty"`
}

// BenchReport is a whole servus bench run.
type BenchReport struct {
	Tickets        int        `json:"tickets"`
	CommonWord     string     `json:"common_word"`
	CommonMatches  int        `json:"common_matches"`
	RareWord       string     `json:"rare_word"`
	RareMatches    int        `json:"rare_matches"`
	LongTicket     int64      `json:"long_ticket"`
	LongEntries    int        `json:"long_ticket_entries"`
	RSSBytes       int64      `json:"rss_bytes"`           // 0: not measured
	RSSNote        string     `json:"rss_note,omitempty"`  // why not
	DBBytes        int64      `json:"db_bytes"`            // 0: not measured
	BytesPerTicket float64    `json:"db_bytes_per_ticket"` //
	DBNote         string     `json:"db_note,omitempty"`   // why not
	Workloads      []Workload `json:"workloads"`
}

// bench is one run's state.
type bench struct {
	o          BenchOptions
	base       string
	api        *http.Client
	agent      *http.Client // signed in on the web
	reqer      *http.Client
	queue      string // default queue
	qaddr      string // its mail address
	words      []string
	run        string // unique per run: senders and subjects
	mu         sync.Mutex
	made       []int64 // tickets created by the create workloads
	mailed     []int64 // tickets created over LMTP
	deepCursor string  // the common word's page 50 by cursor (findDeepCursor)
	// LMTP connections by worker, closed at the end of the run.
	mmu     sync.Mutex
	mailers map[int]*smtp.Client
	rep     BenchReport
}

// RunBench finds its fixtures in the seeded servus at o.BaseURL (the
// default queue, the ticket count, a ticket with LongMarker and its 200
// entries, a common and a rare word from a sample of tickets) and runs each
// workload for o.Duration: creation with 1 and 16 clients, adding entries,
// mail over LMTP (new and replies), searches through the API as the
// token's agent and on the web as agent and requester, the ticket page of
// the long ticket, the agent's dashboard and a list of 50. It then reads
// the server's RSS from /metrics and the database's size. An error means
// the run could not start (bad options, no fixtures, a sign-in refused);
// failed requests count as errors of their workload.
func RunBench(ctx context.Context, o BenchOptions) (*BenchReport, error) {
	lo := Options{BaseURL: o.BaseURL, Paths: []string{"/"}}
	if err := lo.check(); err != nil {
		return nil, err
	}
	if o.Token == "" {
		return nil, errors.New("--token: an agent's API token is needed (servus bench seed prints one)")
	}
	if o.Duration <= 0 {
		o.Duration = 5 * time.Second
	}
	if o.Duration > 10*time.Minute {
		return nil, errors.New("--duration: at most 10m per workload")
	}
	b := &bench{o: o, base: strings.TrimSuffix(o.BaseURL, "/"), run: strconv.FormatInt(time.Now().UnixNano()%1e9, 36),
		mailers: map[int]*smtp.Client{}}
	defer func() {
		for _, c := range b.mailers {
			c.Quit()
		}
	}()
	tr := &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64}
	b.api = &http.Client{Timeout: 60 * time.Second, Transport: tr}
	var err error
	if b.agent, err = b.signIn(ctx, o.AgentEmail, o.Password, tr); err != nil {
		return nil, err
	}
	if b.reqer, err = b.signIn(ctx, o.RequesterEmail, o.Password, tr); err != nil {
		return nil, err
	}
	if err := b.fixtures(ctx); err != nil {
		return nil, err
	}
	for _, w := range b.workloads() {
		if len(o.Only) > 0 && !slices.Contains(o.Only, w.name) {
			continue
		}
		if w.lmtp && o.LMTP == "" {
			continue
		}
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, "bench: %s (%d clients, %v)\n", w.name, w.clients, o.Duration)
		}
		b.rep.Workloads = append(b.rep.Workloads, b.measure(ctx, w))
	}
	b.measureRSS(ctx)
	b.measureDB(ctx)
	return &b.rep, nil
}

// workload is one thing bench run measures: do is one request of worker
// w, its ith.
type workload struct {
	name    string
	clients int
	lmtp    bool
	setup   func(ctx context.Context) error
	do      func(ctx context.Context, w, i int) error
}

func (b *bench) workloads() []workload {
	common, rare := url.QueryEscape(b.rep.CommonWord), url.QueryEscape(b.rep.RareWord)
	q := url.QueryEscape(b.queue)
	get := func(c *http.Client, path string) func(ctx context.Context, w, i int) error {
		return func(ctx context.Context, w, i int) error { return b.get(ctx, c, path, nil) }
	}
	mailers, mmu := b.mailers, &b.mmu
	lmtp := func(ctx context.Context, w int, msg func(i int) (string, []byte), i int) error {
		mmu.Lock()
		c := mailers[w]
		mmu.Unlock()
		if c == nil {
			conn, err := (&net.Dialer{Timeout: 10 * time.Second}).DialContext(ctx, "tcp", b.o.LMTP)
			if err != nil {
				return err
			}
			c = smtp.NewClientLMTP(conn)
			if err := c.Hello("bench.example.net"); err != nil {
				conn.Close()
				return err
			}
			mmu.Lock()
			mailers[w] = c
			mmu.Unlock()
		}
		from, raw := msg(i)
		err := sendLMTP(c, from, b.qaddr, raw)
		if err != nil {
			c.Close()
			mmu.Lock()
			delete(mailers, w)
			mmu.Unlock()
		}
		return err
	}
	create := func(ctx context.Context, w, i int) error {
		body := map[string]any{"queue": b.queue, "subject": b.text(w, i, 6), "description": b.text(w, i+1, 60)}
		var t struct {
			Number int64 `json:"number"`
		}
		if err := b.post(ctx, "/api/v1/tickets", body, &t); err != nil {
			return err
		}
		b.mu.Lock()
		b.made = append(b.made, t.Number)
		b.mu.Unlock()
		return nil
	}
	return []workload{
		{name: "create-1", clients: 1, do: create},
		{name: "create-16", clients: 16, do: create},
		{name: "entry-add-8", clients: 8, do: func(ctx context.Context, w, i int) error {
			b.mu.Lock()
			n := b.made[(w+8*i)%len(b.made)]
			b.mu.Unlock()
			return b.post(ctx, fmt.Sprintf("/api/v1/tickets/%d/entries", n), map[string]any{"kind": "comment", "body": b.text(w, i, 40)}, nil)
		}, setup: func(ctx context.Context) error {
			if len(b.made) == 0 {
				return create(ctx, 0, 0)
			}
			return nil
		}},
		{name: "lmtp-new-8", clients: 8, lmtp: true, do: func(ctx context.Context, w, i int) error {
			return lmtp(ctx, w, func(i int) (string, []byte) {
				from := fmt.Sprintf("bench-%s-%d@example.net", b.run, w)
				return from, b.mail(from, b.text(w, i, 6), fmt.Sprintf("<new-%s-%d-%d@bench.example.net>", b.run, w, i), b.text(w, i, 80))
			}, i)
		}},
		{name: "lmtp-reply-8", clients: 8, lmtp: true, setup: b.findMailed, do: func(ctx context.Context, w, i int) error {
			return lmtp(ctx, w, func(i int) (string, []byte) {
				k := (w + 8*i) % len(b.mailed)
				from := fmt.Sprintf("bench-%s-%d@example.net", b.run, k%8)
				n := b.mailed[k]
				return from, b.mail(from, fmt.Sprintf("Re: [#%d] %s", n, b.text(w, i, 4)), fmt.Sprintf("<re-%s-%d-%d@bench.example.net>", b.run, w, i), b.text(w, i, 40))
			}, i)
		}},
		{name: "search-common-api", clients: 2, do: get(b.api, "/api/v1/tickets?q="+common)},
		{name: "search-rare-api", clients: 2, do: get(b.api, "/api/v1/tickets?q="+rare)},
		{name: "search-filter-api", clients: 2, do: get(b.api, "/api/v1/tickets?queue="+q+"&state=open")},
		{name: "search-deep-api", clients: 2, do: get(b.api, "/api/v1/tickets?q="+common+"&page=50&per_page=20")},
		{name: "search-deep-cursor-api", clients: 2, setup: b.findDeepCursor, do: func(ctx context.Context, w, i int) error {
			return b.get(ctx, b.api, "/api/v1/tickets?q="+common+"&per_page=20&cursor="+url.QueryEscape(b.deepCursor), nil)
		}},
		{name: "search-common-web-agent", clients: 2, do: get(b.agent, "/search?q="+common)},
		{name: "search-common-web-requester", clients: 2, do: get(b.reqer, "/search?q="+common)},
		{name: "ticket-page-200", clients: 2, do: get(b.agent, fmt.Sprintf("/tickets/%d", b.rep.LongTicket))},
		{name: "dashboard-web-agent", clients: 2, do: get(b.agent, "/")},
		{name: "list-50-api", clients: 2, do: get(b.api, "/api/v1/tickets?queue="+q+"&per_page=50")},
	}
}

// measure runs w for the run's duration.
func (b *bench) measure(ctx context.Context, w workload) Workload {
	out := Workload{Name: w.name, Clients: w.clients}
	if w.setup != nil {
		if err := w.setup(ctx); err != nil {
			out.Errors, out.FirstError = 1, "setup: "+err.Error()
			return out
		}
	}
	// Each client makes at least one request, and requests in flight at
	// the end finish: none is cut off, so every workload has samples.
	deadline := time.Now().Add(b.o.Duration)
	var (
		mu   sync.Mutex
		ds   []time.Duration
		wg   sync.WaitGroup
		errs int
		// first error text
		first string
	)
	start := time.Now()
	for c := range w.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil && (i == 0 || time.Now().Before(deadline)); i++ {
				t0 := time.Now()
				err := w.do(ctx, c, i)
				d := time.Since(t0)
				if ctx.Err() != nil {
					return // interrupted
				}
				mu.Lock()
				if err != nil {
					errs++
					if first == "" {
						first = err.Error()
					}
				} else {
					ds = append(ds, d)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	slices.Sort(ds)
	out.Count, out.Errors, out.FirstError = len(ds), errs, first
	out.PerSec = float64(len(ds)) / el.Seconds()
	out.P50ms = ms(percentile(ds, 50))
	out.P99ms = ms(percentile(ds, 99))
	return out
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// signIn signs email in on the web and returns a client with the session.
func (b *bench) signIn(ctx context.Context, email, password string, tr http.RoundTripper) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 60 * time.Second, Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, b.base+"/login",
		strings.NewReader(url.Values{"email": {email}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("sign in as %s: %w", email, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("sign in as %s: got status %d, want 303 (wrong --agent/--requester/--password?)", email, resp.StatusCode)
	}
	return c, nil
}

// get requests path with c (adding the token for the API client) and
// decodes a JSON answer into out when it is not nil.
func (b *bench) get(ctx context.Context, c *http.Client, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.base+path, nil)
	if err != nil {
		return err
	}
	return b.do(c, req, out)
}

func (b *bench) post(ctx context.Context, path string, body, out any) error {
	js, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.base+path, bytes.NewReader(js))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	return b.do(b.api, req, out)
}

func (b *bench) do(c *http.Client, req *http.Request, out any) error {
	if c == b.api {
		req.Header.Set("Authorization", "Bearer "+b.o.Token)
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: status %d: %.200s", req.Method, req.URL.Path, resp.StatusCode, body)
	}
	if out != nil {
		return json.Unmarshal(body, out)
	}
	return nil
}

type ticketPage struct {
	Items []struct {
		Number  int64  `json:"number"`
		Subject string `json:"subject"`
	} `json:"items"`
	Total             int    `json:"total"`
	TotalIsLowerBound bool   `json:"total_is_lower_bound"`
	NextCursor        string `json:"next_cursor"`
}

// fixtures finds what the workloads need in the seeded data.
func (b *bench) fixtures(ctx context.Context) error {
	var qs struct {
		Items []struct {
			Name, Address string
			Default       bool
		} `json:"items"`
	}
	if err := b.get(ctx, b.api, "/api/v1/queues", &qs); err != nil {
		return fmt.Errorf("list queues: %w", err)
	}
	for _, q := range qs.Items {
		if q.Default || b.queue == "" {
			b.queue, b.qaddr = q.Name, q.Address
		}
		if q.Default {
			break
		}
	}
	if b.queue == "" {
		return errors.New("no queue: seed the database first (servus bench seed)")
	}
	if b.qaddr == "" && b.o.LMTP != "" {
		return fmt.Errorf("queue %s has no mail address for the LMTP workloads", b.queue)
	}
	var all ticketPage
	if err := b.get(ctx, b.api, "/api/v1/tickets?per_page=1", &all); err != nil {
		return fmt.Errorf("count tickets: %w", err)
	}
	b.rep.Tickets = all.Total
	var long ticketPage
	if err := b.get(ctx, b.api, "/api/v1/tickets?per_page=5&q="+LongMarker, &long); err != nil {
		return fmt.Errorf("find a long ticket: %w", err)
	}
	for _, t := range long.Items {
		var es struct {
			Items []json.RawMessage `json:"items"`
		}
		if err := b.get(ctx, b.api, fmt.Sprintf("/api/v1/tickets/%d/entries", t.Number), &es); err != nil {
			return fmt.Errorf("entries of #%d: %w", t.Number, err)
		}
		if len(es.Items) > b.rep.LongEntries {
			b.rep.LongTicket, b.rep.LongEntries = t.Number, len(es.Items)
		}
	}
	if b.rep.LongEntries < 200 {
		return fmt.Errorf("no ticket with 200 entries and %q in its subject that the token's user sees (seeded with servus bench seed?)", LongMarker)
	}
	return b.findWords(ctx, all.Total)
}

// findWords samples tickets and their descriptions for words: the common
// word is the one of the most frequent that matches most tickets (yet not
// all: not a stop word), the rare one a word seen once that matches few.
func (b *bench) findWords(ctx context.Context, total int) error {
	count := map[string]int{}
	addText := func(s string) {
		for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
			if len([]rune(w)) >= 5 {
				count[strings.ToLower(w)]++
			}
		}
	}
	pages := max(1, min(5, total/100))
	for p := 1; p <= pages; p++ {
		var pg ticketPage
		if err := b.get(ctx, b.api, fmt.Sprintf("/api/v1/tickets?per_page=50&page=%d", p*max(1, total/50/pages)), &pg); err != nil {
			return fmt.Errorf("sample tickets: %w", err)
		}
		for k, t := range pg.Items {
			addText(t.Subject)
			if k%5 != 0 {
				continue
			}
			var es struct {
				Items []struct {
					Body string `json:"body"`
				} `json:"items"`
			}
			if err := b.get(ctx, b.api, fmt.Sprintf("/api/v1/tickets/%d/entries", t.Number), &es); err != nil {
				return fmt.Errorf("sample entries: %w", err)
			}
			for _, e := range es.Items {
				addText(e.Body)
			}
		}
	}
	words := make([]string, 0, len(count))
	for w := range count {
		words = append(words, w)
	}
	sort.Slice(words, func(i, j int) bool {
		if count[words[i]] != count[words[j]] {
			return count[words[i]] > count[words[j]]
		}
		return words[i] < words[j]
	})
	if len(words) < 20 {
		return errors.New("too few words in the sampled tickets to find a common and a rare one")
	}
	b.words = words[:min(len(words), 300)]
	matches := func(w string) (int, bool, error) {
		var pg ticketPage
		err := b.get(ctx, b.api, "/api/v1/tickets?per_page=1&q="+url.QueryEscape(w), &pg)
		return pg.Total, pg.TotalIsLowerBound, err
	}
	for _, w := range words[:10] {
		if textsearch.ParseQuery(w).Empty() {
			continue // a stop word: no text condition at all
		}
		n, more, err := matches(w)
		if err != nil {
			return fmt.Errorf("search %q: %w", w, err)
		}
		// A capped count ("more than n") is as common as a search can
		// tell; the first such word is taken.
		if n > b.rep.CommonMatches && (n < total || more) {
			b.rep.CommonWord, b.rep.CommonMatches = w, n
		}
	}
	tried := 0
	for i := len(words) - 1; i >= 0 && tried < 20; i-- {
		if count[words[i]] > 1 {
			break
		}
		tried++
		n, _, err := matches(words[i])
		if err != nil {
			return fmt.Errorf("search %q: %w", words[i], err)
		}
		if n > 0 && (b.rep.RareWord == "" || n < b.rep.RareMatches) {
			b.rep.RareWord, b.rep.RareMatches = words[i], n
		}
	}
	if b.rep.CommonWord == "" || b.rep.RareWord == "" {
		return fmt.Errorf("no common or rare word found among %d sampled words", len(words))
	}
	return nil
}

// findDeepCursor asks for page 49 of the common word by number (20 a page)
// and keeps its next cursor: the cursor of page 50, which
// search-deep-cursor-api then asks for (the same page search-deep-api
// reaches by number). A page by number gives the same cursors as following
// them from the first page, which would cost 49 requests, each probing
// from the first match again.
func (b *bench) findDeepCursor(ctx context.Context) error {
	var pg ticketPage
	if err := b.get(ctx, b.api, "/api/v1/tickets?per_page=20&page=49&q="+url.QueryEscape(b.rep.CommonWord), &pg); err != nil {
		return err
	}
	if pg.NextCursor == "" {
		return fmt.Errorf("the common word %q has fewer than 50 pages, or servus gives no cursors", b.rep.CommonWord)
	}
	b.deepCursor = pg.NextCursor
	return nil
}

// findMailed lists the tickets the lmtp-new workload opened (their
// requesters are this run's senders). servus takes a mail in with the 250
// and makes its ticket a moment later, so it looks again for up to
// mailedWait until there are some.
func (b *bench) findMailed(ctx context.Context) error {
	deadline := time.Now().Add(mailedWait)
	for {
		for w := range 8 {
			var pg ticketPage
			from := fmt.Sprintf("bench-%s-%d@example.net", b.run, w)
			if err := b.get(ctx, b.api, "/api/v1/tickets?per_page=100&requester="+url.QueryEscape(from), &pg); err != nil {
				return err
			}
			for _, t := range pg.Items {
				b.mailed = append(b.mailed, t.Number)
			}
		}
		if len(b.mailed) > 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no tickets from the lmtp-new workload to reply to after %v (it must run first and succeed)", mailedWait)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// mailedWait is how long findMailed waits for the mailed tickets.
const mailedWait = time.Minute

// text is n words of the sampled vocabulary for worker w's ith request.
func (b *bench) text(w, i, n int) string {
	var s strings.Builder
	x := uint64(w*7919+i*104729) + 1
	for k := range n {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		if k > 0 {
			s.WriteByte(' ')
		}
		// Squared: the sample's frequent words come more often.
		f := float64(x%10000) / 10000
		s.WriteString(b.words[int(f*f*float64(len(b.words)))])
	}
	return s.String()
}

// mail is a plain text message.
func (b *bench) mail(from, subject, id, body string) []byte {
	return []byte("From: Bench <" + from + ">\r\nTo: " + b.qaddr + "\r\nSubject: " + subject +
		"\r\nMessage-ID: " + id + "\r\nDate: " + time.Now().Format(time.RFC1123Z) +
		"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n")
}

// sendLMTP delivers one message to rcpt over c.
func sendLMTP(c *smtp.Client, from, rcpt string, raw []byte) error {
	if err := c.Mail(from, nil); err != nil {
		return err
	}
	if err := c.Rcpt(rcpt, nil); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(raw); err != nil {
		return err
	}
	rs, err := w.CloseWithLMTPResponse()
	if err != nil {
		return err
	}
	if len(rs) != 1 {
		return fmt.Errorf("LMTP: %d answers for one recipient", len(rs))
	}
	return nil
}

// measureRSS reads process_resident_memory_bytes from /metrics.
func (b *bench) measureRSS(ctx context.Context) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, b.base+"/metrics", nil)
	resp, err := b.api.Do(req)
	if err != nil {
		b.rep.RSSNote = "/metrics: " + err.Error()
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, "process_resident_memory_bytes "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err == nil {
				b.rep.RSSBytes = int64(f)
				return
			}
		}
	}
	b.rep.RSSNote = fmt.Sprintf("/metrics (status %d) has no process_resident_memory_bytes", resp.StatusCode)
}

// measureDB reads the database's size: the SQLite files in the data
// folder, or PostgreSQL's pg_database_size.
func (b *bench) measureDB(ctx context.Context) {
	switch {
	case b.o.DB != "":
		db, err := sql.Open("pgx", b.o.DB)
		if err != nil {
			b.rep.DBNote = err.Error()
			return
		}
		defer db.Close()
		if err := db.QueryRowContext(ctx, "SELECT pg_database_size(current_database())").Scan(&b.rep.DBBytes); err != nil {
			b.rep.DBNote = "pg_database_size: " + err.Error()
			return
		}
	case b.o.Data != "":
		for _, f := range []string{"servus.db", "servus.db-wal"} {
			if fi, err := os.Stat(filepath.Join(b.o.Data, f)); err == nil {
				b.rep.DBBytes += fi.Size()
			}
		}
		if b.rep.DBBytes == 0 {
			b.rep.DBNote = "no servus.db in " + b.o.Data
			return
		}
	default:
		b.rep.DBNote = "not measured: give --data (SQLite) or --db (PostgreSQL)"
		return
	}
	var all ticketPage
	if err := b.get(ctx, b.api, "/api/v1/tickets?per_page=1", &all); err == nil && all.Total > 0 {
		b.rep.Tickets = all.Total
		b.rep.BytesPerTicket = float64(b.rep.DBBytes) / float64(all.Total)
	}
}

// Write prints r as a table and, last, one line of JSON.
func (r *BenchReport) Write(w io.Writer) {
	fmt.Fprintf(w, "tickets %d (seen by the token's user); common word %q (%d tickets), rare word %q (%d); ticket #%d has %d entries\n",
		r.Tickets, r.CommonWord, r.CommonMatches, r.RareWord, r.RareMatches, r.LongTicket, r.LongEntries)
	fmt.Fprintf(w, "%-28s %7s %7s %6s %9s %9s %9s\n", "workload", "clients", "count", "errors", "per s", "p50 ms", "p99 ms")
	for _, x := range r.Workloads {
		fmt.Fprintf(w, "%-28s %7d %7d %6d %9.1f %9.2f %9.2f\n", x.Name, x.Clients, x.Count, x.Errors, x.PerSec, x.P50ms, x.P99ms)
		if x.FirstError != "" {
			fmt.Fprintf(w, "  first error: %s\n", x.FirstError)
		}
	}
	if r.RSSBytes > 0 {
		fmt.Fprintf(w, "server RSS %.1f MB\n", float64(r.RSSBytes)/1e6)
	} else {
		fmt.Fprintf(w, "server RSS not measured: %s\n", r.RSSNote)
	}
	if r.DBBytes > 0 {
		fmt.Fprintf(w, "database %.1f MB, %.0f bytes per ticket\n", float64(r.DBBytes)/1e6, r.BytesPerTicket)
	} else {
		fmt.Fprintf(w, "database size %s\n", r.DBNote)
	}
	r.WriteJSON(w)
}

// WriteJSON prints r as one line of JSON.
func (r *BenchReport) WriteJSON(w io.Writer) {
	js, _ := json.Marshal(r)
	fmt.Fprintf(w, "%s\n", js)
}
