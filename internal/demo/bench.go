package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// LongMarker is a word in the subject of every ticket SeedBench gives
// LongEntries entries, so that servus bench run can find one through the
// API's search.
const LongMarker = "Dauerbrenner"

// LongEntries is how many entries the long tickets of SeedBench have.
const LongEntries = 200

// BenchOptions say what SeedBench makes.
type BenchOptions struct {
	Tickets int // bulk tickets besides the demo's own (at least 1)
	// Progress, when set, is called after each committed batch with the
	// number of bulk tickets written so far.
	Progress func(done int)
}

// BenchResult says what SeedBench did.
type BenchResult struct {
	*Result
	Bulk, Entries, Attachments, Requesters, Long int
	Took                                         time.Duration
}

// benchBatch is how many tickets one transaction writes.
const benchBatch = 500

// SeedBench fills an EMPTY database for benchmarks: the demo's queues,
// staff, requesters and tickets (as Seed), then o.Tickets more tickets over
// the three years before the demo's history, with one requester per 50
// tickets. The bulk tickets are written in transactions of benchBatch
// tickets through the store's own insert functions, which index every text
// for search as a single create does: every state, several entries each
// (public messages, questions, answers, staff and queue notes, state
// events), a small attachment on about one in 30, confidential ones in the
// confidential queues and a few elsewhere, an audit row per ticket, and
// max(3, Tickets/50000) tickets with LongEntries entries and LongMarker in
// the subject. Text is German or English (as the requester), drawn from a
// Zipf-distributed vocabulary made of the demo's own texts and compounds of
// them. It refuses a database that has queues; errors are the store's.
func SeedBench(ctx context.Context, db *store.DB, blobs *blob.Store, o BenchOptions) (*BenchResult, error) {
	if o.Tickets < 1 {
		return nil, errors.New("bench seed: at least one ticket")
	}
	start := time.Now()
	res, s, err := run(ctx, db, blobs, nil, time.Now())
	if err != nil {
		return nil, err
	}
	if !res.Seeded {
		return nil, errors.New("bench seed: the database is not empty (it has queues); seed an empty one")
	}
	b := &bencher{s: s, db: db, blobs: blobs, o: o, rng: rand.New(rand.NewPCG(seed, 0xbe4c))}
	b.vocab = [2]*vocabulary{newVocabulary(0), newVocabulary(1)}
	if err := b.people(ctx); err != nil {
		return nil, err
	}
	if err := b.storeFiles(); err != nil {
		return nil, err
	}
	if err := b.tickets(ctx); err != nil {
		return nil, err
	}
	if err := db.Analyze(ctx); err != nil {
		return nil, err
	}
	return &BenchResult{Result: res, Bulk: o.Tickets, Entries: b.entries, Attachments: b.attachments,
		Requesters: len(b.reqs), Long: b.long, Took: time.Since(start)}, nil
}

// bencher holds SeedBench's state.
type bencher struct {
	s     *seeder
	db    *store.DB
	blobs *blob.Store
	o     BenchOptions
	rng   *rand.Rand
	vocab [2]*vocabulary

	reqs    []benchPerson
	queues  []*ticket.Queue
	members map[int64][]int64 // queue ID → member IDs
	staff   []int64           // every agent and admin
	files   []*ticket.Attachment

	entries, attachments, long int
}

type benchPerson struct {
	id   int64
	lang int
}

// people reads the demo's queues and people and adds requesters up to one
// per 50 tickets.
func (b *bencher) people(ctx context.Context) error {
	b.members = map[int64][]int64{}
	for _, p := range b.s.requesters {
		b.reqs = append(b.reqs, benchPerson{b.s.actors[p.email].UserID, p.lang})
	}
	for _, p := range b.s.people {
		if p.role != ticket.RoleRequester {
			b.staff = append(b.staff, b.s.actors[p.email].UserID)
		}
	}
	sort.Slice(b.staff, func(i, j int) bool { return b.staff[i] < b.staff[j] })
	err := b.db.Read(ctx, func(tx *store.Tx) (err error) {
		b.queues, err = tx.Queues(ctx, false)
		return err
	})
	if err != nil {
		return err
	}
	for _, q := range b.queues {
		for _, m := range b.s.members[q.Name] {
			b.members[q.ID] = append(b.members[q.ID], b.s.actors[m].UserID)
		}
	}
	want := max(len(b.reqs), b.o.Tickets/50)
	created := b.s.base.Add(-3 * 365 * 24 * time.Hour)
	for len(b.reqs) < want {
		err := b.db.Write(ctx, func(tx *store.Tx) error {
			for i := 0; i < 1000 && len(b.reqs) < want; i++ {
				n := len(b.reqs)
				d := requesterDefs[n%len(requesterDefs)]
				domain := staffDomain
				if d.kind == kindStudent {
					domain = studentDomain
				}
				u := &ticket.User{Email: fmt.Sprintf("%s.%d@%s", mailbox(d.first, d.last), n, domain),
					Name: d.first + " " + d.last, Role: ticket.RoleRequester, Language: "de", CreatedAt: created}
				lang := 0
				if b.rng.IntN(100) < 15 {
					u.Language, lang = "en", 1
				}
				if err := tx.InsertUser(ctx, u, ""); err != nil {
					return err
				}
				b.reqs = append(b.reqs, benchPerson{u.ID, lang})
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// files stores the few files the bulk tickets attach (blobs are
// content-addressed: each is stored once and referenced many times).
func (b *bencher) storeFiles() error {
	b.s.rng = rand.New(rand.NewPCG(seed, 0xf11e))
	add := func(name string, data []byte) error {
		info, err := b.blobs.Put(bytes.NewReader(data), int64(len(data))+1)
		if err != nil {
			return err
		}
		b.files = append(b.files, &ticket.Attachment{Name: name, ContentType: info.ContentType, Size: info.Size, Hash: info.Hash})
		return nil
	}
	for _, name := range []string{"screenshot.png", "fehlermeldung.png", "bildschirmfoto.png"} {
		if err := add(name, b.s.png()); err != nil {
			return err
		}
	}
	for i, name := range []string{"fehlerprotokoll.txt", "error-log.txt"} {
		var log strings.Builder
		for k := range 40 {
			fmt.Fprintf(&log, "2025-03-%02d 08:%02d:%02d ERROR %s\n", 1+i, k, k*7%60, b.vocab[i].sentence(b.rng, 8))
		}
		if err := add(name, []byte(log.String())); err != nil {
			return err
		}
	}
	return nil
}

// tickets writes the bulk tickets, benchBatch per transaction. On
// PostgreSQL, where a batch waits mostly on round trips to the server,
// benchWorkers batches are written at once; SQLite has one writer, so one.
// Each batch draws from its own random source (seeded by its index), so a
// seeded database holds the same tickets however the batches interleave.
func (b *bencher) tickets(ctx context.Context) error {
	n := b.o.Tickets
	first := b.s.base.Add(-3 * 365 * 24 * time.Hour)
	step := (3 * 365 * 24 * time.Hour) / time.Duration(n)
	long := map[int]bool{}
	for k := range max(3, n/50_000) {
		long[(k*2+1)*n/(2*max(3, n/50_000))] = true
	}
	workers := 1
	if b.db.Dialect() == "postgres" {
		workers = benchWorkers
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan int)
	var (
		mu       sync.Mutex
		done     int
		firstErr error
		wg       sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for from := range batches {
				var c benchCounts
				err := b.db.Write(ctx, func(tx *store.Tx) error {
					c = benchCounts{rng: rand.New(rand.NewPCG(seed, 0xbe4c+uint64(from)))}
					for i := from; i < n && i-from < benchBatch; i++ {
						if err := b.ticket(ctx, tx, &c, first.Add(time.Duration(i)*step), long[i]); err != nil {
							return err
						}
						c.tickets++
					}
					return nil
				})
				mu.Lock()
				if err != nil {
					if firstErr == nil {
						firstErr = err
					}
					cancel()
				} else {
					b.entries += c.entries
					b.attachments += c.attachments
					b.long += c.long
					done += c.tickets
					if b.o.Progress != nil {
						b.o.Progress(done)
					}
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for from := 0; from < n; from += benchBatch {
		select {
		case batches <- from:
		case <-ctx.Done():
			break feed
		}
	}
	close(batches)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

// benchWorkers is how many batches SeedBench writes at once on PostgreSQL.
const benchWorkers = 4

// benchCounts is one batch's random source and what it wrote.
type benchCounts struct {
	rng                                 *rand.Rand
	tickets, entries, attachments, long int
}

// benchStates is the share of each state among the bulk tickets, in
// tenths of a percent: of those created in the last benchRecent before the
// demo's history, as on a desk's busy weeks (recent); of older ones, as on
// a desk that closes its work (most are closed, a few stragglers stay, so
// every filter finds some). A year-old backlog of 30 % open tickets would
// be a desk nobody works at, and every count of open work would measure it.
var benchStates = []struct {
	state       ticket.State
	recent, old int
}{{ticket.StateNew, 70, 1}, {ticket.StateOpen, 100, 2}, {ticket.StateWaiting, 80, 1}, {ticket.StateResolved, 50, 1}, {ticket.StateClosed, 700, 995}}

// benchRecent is how far back from the demo's history bulk tickets still
// follow the busy weeks' mix of states.
const benchRecent = 30 * 24 * time.Hour

// ticket writes one bulk ticket created at at, with its entries.
func (b *bencher) ticket(ctx context.Context, tx *store.Tx, c *benchCounts, at time.Time, long bool) error {
	r := c.rng
	req := b.reqs[r.IntN(len(b.reqs))]
	v := b.vocab[req.lang]
	q := b.queues[r.IntN(len(b.queues))]
	state := ticket.StateClosed
	recent := b.s.base.Sub(at) < benchRecent
	for k, roll := 0, r.IntN(1000); k < len(benchStates); k++ {
		share := benchStates[k].old
		if recent {
			share = benchStates[k].recent
		}
		if roll < share {
			state = benchStates[k].state
			break
		}
		roll -= share
	}
	number, err := tx.NextTicketNumber(ctx)
	if err != nil {
		return err
	}
	subject := v.title(r, 3+r.IntN(5))
	if long {
		subject = LongMarker + ": " + subject
		c.long++
	}
	ch := []ticket.Channel{ticket.ChannelMail, ticket.ChannelMail, ticket.ChannelWeb, ticket.ChannelWeb, ticket.ChannelPhone, ticket.ChannelAPI}[r.IntN(6)]
	t := &ticket.Ticket{Number: number, Subject: subject, QueueID: q.ID, RequesterID: req.id,
		Priority: ticket.Priorities[[]int{0, 1, 1, 1, 1, 1, 2, 2, 3}[r.IntN(9)]], Confidential: q.Confidential || r.IntN(50) == 0,
		State: state, Channel: ch, Version: 1, CreatedAt: at, UpdatedAt: at}
	agents := b.members[q.ID]
	if len(agents) == 0 {
		agents = b.staff
	}
	agent := agents[r.IntN(len(agents))]
	if state != ticket.StateNew {
		t.AssigneeID = agent
	}
	// The timeline, planned first so that the ticket row carries its end.
	type step struct {
		kind   ticket.Kind
		author int64
		vis    ticket.Visibility
		body   string
		field  string
		old    string
		new    string
		file   *ticket.Attachment
	}
	steps := []step{{kind: ticket.KindDescription, author: req.id, vis: ticket.VisibilityPublic, body: v.letter(r, 20+r.IntN(100))}}
	if r.IntN(30) == 0 {
		steps = append(steps, step{kind: ticket.KindAttachment, author: req.id, vis: ticket.VisibilityPublic, file: b.files[r.IntN(len(b.files))]})
	}
	more := 0
	switch {
	case long:
		more = LongEntries - len(steps)
	case state != ticket.StateNew:
		more = 1 + r.IntN(3) + r.IntN(3)
	}
	for k := range more {
		switch roll := r.IntN(10); {
		case roll < 3:
			steps = append(steps, step{kind: ticket.KindMessage, author: agent, vis: ticket.VisibilityPublic, body: v.letter(r, 15+r.IntN(60))})
		case roll < 4 && k < more-1:
			steps = append(steps, step{kind: ticket.KindQuestion, author: agent, vis: ticket.VisibilityPublic, body: v.letter(r, 10+r.IntN(30))})
		case roll < 7:
			steps = append(steps, step{kind: ticket.KindAnswer, author: req.id, vis: ticket.VisibilityPublic, body: v.letter(r, 10+r.IntN(50))})
		case roll < 9:
			steps = append(steps, step{kind: ticket.KindComment, author: agent, vis: ticket.VisibilityStaff, body: v.sentence(r, 5+r.IntN(25))})
		case long: // every agent sees all of a long ticket
			steps = append(steps, step{kind: ticket.KindComment, author: agent, vis: ticket.VisibilityStaff, body: v.sentence(r, 5+r.IntN(25))})
		default:
			steps = append(steps, step{kind: ticket.KindComment, author: agent, vis: ticket.VisibilityQueue, body: v.sentence(r, 5+r.IntN(25))})
		}
	}
	if state != ticket.StateNew {
		steps = append(steps, step{kind: ticket.KindEvent, author: agent, vis: ticket.VisibilityPublic, field: "state", old: "new", new: string(ticket.StateOpen)})
	}
	switch state {
	case ticket.StateWaiting:
		steps = append(steps, step{kind: ticket.KindQuestion, author: agent, vis: ticket.VisibilityPublic, body: v.letter(r, 10+r.IntN(30))},
			step{kind: ticket.KindEvent, author: agent, vis: ticket.VisibilityPublic, field: "state", old: "open", new: string(state)})
	case ticket.StateResolved, ticket.StateClosed:
		steps = append(steps, step{kind: ticket.KindMessage, author: agent, vis: ticket.VisibilityPublic, body: v.letter(r, 15+r.IntN(60))},
			step{kind: ticket.KindEvent, author: agent, vis: ticket.VisibilityPublic, field: "state", old: "open", new: string(ticket.StateResolved)})
		if state == ticket.StateClosed {
			steps = append(steps, step{kind: ticket.KindEvent, author: 0, vis: ticket.VisibilityPublic, field: "state", old: "resolved", new: string(ticket.StateClosed)})
		}
	}
	gap := time.Duration(20+r.IntN(300)) * time.Minute
	if long {
		gap = 3 * time.Hour
	}
	end := at.Add(time.Duration(len(steps)-1) * gap)
	t.UpdatedAt = end
	switch state {
	case ticket.StateResolved:
		t.ResolvedAt = &end
	case ticket.StateClosed:
		resolved := end.Add(-gap)
		t.ResolvedAt, t.ClosedAt = &resolved, &end
		t.CloseReason = ticket.ReasonSolved
		if r.IntN(10) == 0 {
			t.CloseReason = ticket.ReasonAutoClosed
		}
	}
	if err := tx.InsertTicket(ctx, t); err != nil {
		return err
	}
	if err := tx.IndexNewText(ctx, t.ID, "subject", 0, ticket.VisibilityPublic, t.Subject); err != nil {
		return err
	}
	for k, st := range steps {
		when := at.Add(time.Duration(k) * gap)
		ech := ticket.ChannelWeb
		switch {
		case st.kind == ticket.KindEvent:
			ech = ticket.ChannelSystem
		case st.author == req.id:
			ech = ch
		}
		e := &ticket.Entry{TicketID: t.ID, Kind: st.kind, AuthorID: st.author, Channel: ech, Visibility: st.vis,
			Body: st.body, Field: st.field, OldValue: st.old, NewValue: st.new, CreatedAt: when}
		if st.file != nil {
			e.Body = st.file.Name
		}
		if err := tx.InsertEntry(ctx, e); err != nil {
			return err
		}
		c.entries++
		if st.file != nil {
			f := *st.file
			f.TicketID, f.EntryID, f.UploaderID, f.Visibility, f.CreatedAt = t.ID, e.ID, st.author, ticket.VisibilityPublic, when
			if err := tx.InsertAttachment(ctx, &f); err != nil {
				return err
			}
			c.attachments++
		}
	}
	return tx.InsertAudit(ctx, at, req.id, "ticket.create", t.ID, "")
}

// vocabulary is the words of one language, most frequent first, drawn
// Zipf-distributed as in real text.
type vocabulary struct {
	words              []string
	greetings, closing []string
}

// newVocabulary collects the words of the demo's texts in lang (0 German,
// 1 English) ranked by how often they occur there, followed by a long tail
// of rarer compounds made of them (as German makes its nouns), about 30,000
// words in all.
func newVocabulary(lang int) *vocabulary {
	count := map[string]int{}
	add := func(s string) {
		for _, w := range strings.FieldsFunc(stripPlaceholders(s), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-'
		}) {
			w = strings.Trim(w, "-")
			if w != "" && !strings.ContainsAny(w, "0123456789") {
				count[w]++
			}
		}
	}
	addTx := func(x tx) {
		for _, s := range x[lang] {
			add(s)
		}
	}
	for _, top := range topics {
		addTx(top.subj)
		addTx(top.body)
		addTx(top.ask)
		addTx(top.reply)
		addTx(top.solve)
		if lang == 0 {
			for _, n := range top.notes {
				add(n)
			}
		}
	}
	for _, x := range []tx{genericAsk, genericReply, thanks, reopenText, reworkText, reworkSolve, withdrawText, resendText} {
		addTx(x)
	}
	if lang == 0 {
		for _, n := range [][]string{triageNotes, genericNotes, stalledNotes, confNotes, softwares, printErrors, courses} {
			for _, s := range n {
				add(s)
			}
		}
	}
	v := &vocabulary{}
	for w := range count {
		v.words = append(v.words, w)
	}
	sort.Slice(v.words, func(i, j int) bool {
		if count[v.words[i]] != count[v.words[j]] {
			return count[v.words[i]] > count[v.words[j]]
		}
		return v.words[i] < v.words[j]
	})
	// The tail: compounds of two longer words, in a fixed order.
	var long []string
	for _, w := range v.words {
		if len([]rune(w)) >= 5 {
			long = append(long, w)
		}
	}
	seen := map[string]bool{}
	for _, w := range v.words {
		seen[strings.ToLower(w)] = true
	}
	r := rand.New(rand.NewPCG(seed, uint64(lang)))
	for len(v.words) < 30_000 && len(long) > 1 {
		a, c := long[r.IntN(len(long))], long[r.IntN(len(long))]
		var w string
		if lang == 0 {
			w = a + strings.ToLower(c)
		} else {
			w = strings.ToLower(a) + "-" + strings.ToLower(c)
		}
		if !seen[strings.ToLower(w)] {
			seen[strings.ToLower(w)] = true
			v.words = append(v.words, w)
		}
	}
	v.greetings = append(append([]string{}, greetDesk[lang]...), greetDeskStudent[lang]...)
	v.closing = append(append([]string{}, closeReq[lang]...), closeStudent[lang]...)
	return v
}

// stripPlaceholders removes the demo's {name} placeholders from s.
func stripPlaceholders(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '{':
			depth++
		case r == '}' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// sentence draws n words, with a full stop after every eight to fifteen.
func (v *vocabulary) sentence(r *rand.Rand, n int) string {
	z := rand.NewZipf(r, 1.1, 2, uint64(len(v.words)-1))
	var b strings.Builder
	upper := true
	next := 8 + r.IntN(8)
	for i := range n {
		w := v.words[z.Uint64()]
		if upper {
			rs := []rune(w)
			rs[0] = unicode.ToUpper(rs[0])
			w = string(rs)
			upper = false
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
		if i == n-1 || i == next {
			b.WriteByte('.')
			upper = true
			next = i + 8 + r.IntN(8)
		}
	}
	return b.String()
}

// title is a subject line of n words.
func (v *vocabulary) title(r *rand.Rand, n int) string {
	return strings.TrimSuffix(v.sentence(r, n), ".")
}

// letter is a mail-like text: greeting, n words, closing.
func (v *vocabulary) letter(r *rand.Rand, n int) string {
	return v.greetings[r.IntN(len(v.greetings))] + "\n\n" + v.sentence(r, n) + "\n\n" + v.closing[r.IntN(len(v.closing))]
}
