// Package demo fills an empty servus database with the demo data of a
// university computing centre: about 40 queues, their agents, admins,
// requesters and a few hundred tickets with realistic histories spread over
// the last six months. It works through desk's use cases only, as the people
// the history names, and is deterministic: the same data on every run.
package demo

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/auth"
	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// Login is one demo account.
type Login struct{ Email, Password, Role, Name string }

// Result says what Seed did.
type Result struct {
	Seeded                 bool
	Logins                 []Login
	Queues, Users, Tickets int
}

// span is how far back the demo's history reaches.
const span = 182 * 24 * time.Hour

// autoCloseAfter is the auto-close period the demo simulates.
const autoCloseAfter = 14 * 24 * time.Hour

// seed is the fixed seed of the demo's random source.
const seed = 0x5e7a05

// Seed fills an EMPTY database with a university computing centre's demo
// data and returns the logins; on a database that already has queues it
// does nothing (Seeded=false) and returns nil error. Every account has the
// password Password. Errors are those of the desk use cases it calls.
func Seed(ctx context.Context, db *store.DB, blobs *blob.Store, log *slog.Logger) (*Result, error) {
	res, _, err := run(ctx, db, blobs, log, time.Now())
	return res, err
}

// run is Seed with the real time now given; it also returns the seeder so
// that tests can compare the data with the plan.
func run(ctx context.Context, db *store.DB, blobs *blob.Store, log *slog.Logger, now time.Time) (*Result, *seeder, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	clk := &clock{}
	cheap := auth.CheapParams() // one public demo password: hashing strength buys nothing here
	// Quiet: demo people live at example domains; nobody is to be mailed.
	svc := desk.New(db, blobs, desk.Options{Now: clk.Now, PasswordParams: &cheap, Quiet: true})
	qs, err := svc.Queues(ctx, access.System)
	if err != nil {
		return nil, nil, err
	}
	if len(qs) > 0 {
		log.Info("demo data not seeded: the database already has queues", "queues", len(qs))
		return &Result{Seeded: false}, nil, nil
	}
	start := time.Now()
	s := newSeeder(svc, clk, now)
	if err := s.setup(ctx); err != nil {
		return nil, nil, err
	}
	s.plan()
	if err := s.execute(ctx); err != nil {
		return nil, nil, err
	}
	if err := s.automate(ctx); err != nil {
		return nil, nil, err
	}
	res := &Result{
		Seeded:  true,
		Queues:  len(queueDefs),
		Users:   len(s.people),
		Tickets: s.created,
		Logins: []Login{
			{Email: demoRequester, Password: Password, Role: string(ticket.RoleRequester), Name: s.people[demoRequester].name},
			{Email: demoAgent, Password: Password, Role: string(ticket.RoleAgent), Name: s.people[demoAgent].name},
			{Email: demoAdmin, Password: Password, Role: string(ticket.RoleAdmin), Name: s.people[demoAdmin].name},
			{Email: demoDelegate, Password: Password, Role: string(ticket.RoleRequester), Name: s.people[demoDelegate].name + " (IT delegate)"},
		},
	}
	log.Info("demo data seeded", "queues", res.Queues, "users", res.Users, "tickets", res.Tickets,
		"auto_closed", s.autoClosed, "steps", s.steps, "took", time.Since(start).Round(time.Millisecond))
	return res, s, nil
}

// clock is the demo's time: set to each step's moment before it runs.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the clock's time.
func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// person is a demo user.
type person struct {
	email, first, last, name string
	role                     ticket.Role
	female                   bool
	kind                     byte
	lang                     int // 0 German, 1 English
	inst, site, room, tel    string
	matrikel                 string
}

// seeder holds the demo's state while it seeds.
type seeder struct {
	svc  *desk.Service
	clk  *clock
	rng  *rand.Rand // the stream of the ticket being planned
	now  time.Time  // real time: nothing happens after it
	base time.Time  // midnight, span before today: the first day of the history

	people     map[string]*person
	requesters []*person
	members    map[string][]string // queue → member e-mails
	actors     map[string]access.Actor
	queueConf  map[string]bool

	tickets    []*pticket
	events     []event
	created    int
	autoClosed int
	steps      int // use-case calls made while replaying the history
}

func newSeeder(svc *desk.Service, clk *clock, now time.Time) *seeder {
	y, m, d := now.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, now.Location())
	s := &seeder{
		svc: svc, clk: clk, now: now,
		base:      today.AddDate(0, 0, -int(span/(24*time.Hour))),
		people:    map[string]*person{},
		members:   map[string][]string{},
		actors:    map[string]access.Actor{},
		queueConf: map[string]bool{},
	}
	return s
}

// demoTargets are the response targets of a demo queue: open Monday to
// Friday 08:00–17:00 in Vienna, closed on Austria's holidays and on 24 and
// 31 December; a first response within 4 business hours and a resolution
// within 3 business days (27 hours) as a rule, faster for the service desk
// and security, slower for procurement and licences.
func demoTargets(queue string) ticket.Targets {
	tg := ticket.Targets{Hours: "Mon-Fri 08:00-17:00", Zone: "Europe/Vienna", Holidays: ticket.HolidaysAustria,
		Closures: true, FirstResponse: 4 * 60, Resolution: 27 * 60}
	switch {
	case queue == qServicedesk:
		tg.FirstResponse = 2 * 60
	case queue == qSecurity:
		tg.FirstResponse, tg.Resolution = 60, 9*60
	case strings.HasPrefix(queue, "Vorort-Service"):
		tg.Resolution = 18 * 60
	case queue == "Beschaffung" || queue == "Lizenzen":
		tg.FirstResponse, tg.Resolution = 9*60, 90*60
	}
	return tg
}

// setup creates queues, users and memberships, as System, a little before
// the first ticket.
func (s *seeder) setup(ctx context.Context) error {
	t := s.base.Add(-2*24*time.Hour + 8*time.Hour)
	tick := func() { t = t.Add(7 * time.Second); s.clk.set(t) }
	for _, q := range queueDefs {
		tick()
		tg := demoTargets(q.name)
		nq := desk.NewQueue{Name: q.name, Default: q.def, Confidential: q.confidential, Targets: &tg}
		if q.local != "" {
			nq.Address = q.local + "@" + zidDomain
		}
		if _, err := s.svc.CreateQueue(ctx, access.System, nq); err != nil {
			return fmt.Errorf("demo: queue %s: %w", q.name, err)
		}
		s.queueConf[q.name] = q.confidential
	}
	// Staff turn low ratings into complaints there (feedback.go).
	if err := s.svc.SetComplaintsQueue(ctx, access.System, qComplaints); err != nil {
		return fmt.Errorf("demo: complaints queue: %w", err)
	}
	for _, d := range staffDefs {
		p := &person{first: d.first, last: d.last, name: d.first + " " + d.last, role: ticket.RoleAgent, kind: kindStaff}
		p.email = mailbox(d.first, d.last) + "@" + zidDomain
		if d.admin {
			p.role = ticket.RoleAdmin
		}
		s.people[p.email] = p
		tick()
		if _, err := s.svc.CreateUser(ctx, access.System, desk.NewUser{Email: p.email, Name: p.name, Role: p.role, Password: Password, Language: "de"}); err != nil {
			return fmt.Errorf("demo: user %s: %w", p.email, err)
		}
	}
	for i, d := range requesterDefs {
		p := &person{first: d.first, last: d.last, name: d.first + " " + d.last, role: ticket.RoleRequester,
			female: d.female, kind: d.kind, inst: d.inst, site: d.site, room: d.room}
		domain := staffDomain
		if d.kind == kindStudent {
			domain = studentDomain
			p.matrikel = fmt.Sprintf("1%07d", 1203000+i*7919%90000)
		} else {
			p.tel = fmt.Sprintf("507-%d", 20000+(i*3571)%60000)
		}
		p.email = mailbox(d.first, d.last) + "@" + domain
		lang := "de"
		if d.en {
			p.lang, lang = 1, "en"
		}
		s.people[p.email] = p
		s.requesters = append(s.requesters, p)
		tick()
		if _, err := s.svc.CreateUser(ctx, access.System, desk.NewUser{Email: p.email, Name: p.name, Role: p.role, Password: Password, Language: lang}); err != nil {
			return fmt.Errorf("demo: user %s: %w", p.email, err)
		}
	}
	for _, d := range staffDefs {
		email := mailbox(d.first, d.last) + "@" + zidDomain
		for _, q := range d.queues {
			tick()
			if err := s.svc.AddQueueMember(ctx, access.System, q, email); err != nil {
				return fmt.Errorf("demo: member %s of %s: %w", email, q, err)
			}
			s.members[q] = append(s.members[q], email)
		}
	}
	if err := s.institutes(ctx, tick); err != nil {
		return err
	}
	for email := range s.people {
		a, err := s.svc.ActorByEmail(ctx, email)
		if err != nil {
			return fmt.Errorf("demo: actor %s: %w", email, err)
		}
		s.actors[email] = a
	}
	if err := s.textModules(ctx); err != nil {
		return err
	}
	return s.assistant(ctx)
}

// event is one step of the demo's history, run with the clock at at.
type event struct {
	at   time.Time
	seq  int
	what string
	pt   *pticket // nil for jobs
	do   func(ctx context.Context) error
}

// at schedules do at time t.
func (s *seeder) at(t time.Time, pt *pticket, what string, do func(ctx context.Context) error) {
	s.events = append(s.events, event{at: t, seq: len(s.events), what: what, pt: pt, do: do})
}

// execute runs every planned step up to the real time now, in time order.
func (s *seeder) execute(ctx context.Context) error {
	// The auto-close job, as it would have run every night.
	for d := s.base.AddDate(0, 0, 1); d.Before(s.now); d = d.AddDate(0, 0, 1) {
		s.at(d.Add(2*time.Hour), nil, "auto-close", func(ctx context.Context) error {
			n, err := s.svc.AutoClose(ctx, autoCloseAfter)
			s.autoClosed += n
			return err
		})
	}
	sort.SliceStable(s.events, func(i, j int) bool {
		if !s.events[i].at.Equal(s.events[j].at) {
			return s.events[i].at.Before(s.events[j].at)
		}
		return s.events[i].seq < s.events[j].seq
	})
	for _, ev := range s.events {
		if ev.at.After(s.now) {
			continue // the future has not happened yet
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		s.clk.set(ev.at)
		s.steps++
		if err := ev.do(ctx); err != nil {
			if ev.pt != nil {
				return fmt.Errorf("demo: %s on %q (#%d): %w", ev.what, ev.pt.subject, ev.pt.num, err)
			}
			return fmt.Errorf("demo: %s: %w", ev.what, err)
		}
	}
	return nil
}

// mailbox is the local part of a person's address: vorname.nachname in
// ASCII.
func mailbox(first, last string) string {
	return fold(first) + "." + fold(last)
}

var folder = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "Ä", "ae", "Ö", "oe", "Ü", "ue", "é", "e", "á", "a", "'", "", " ", "-")

func fold(s string) string { return strings.ToLower(folder.Replace(s)) }

// demoInstitutes are the demo's institutes: the requesters whose institute
// starts with prefix are members (an admin's choice, as their demo
// addresses share one domain), the first named delegate is the IT
// delegate; the domains assign accounts made later (a subdomain nobody
// has yet), the directory value people signing in through LDAP.
var demoInstitutes = []struct {
	name, prefix, domain, directory, delegate string
}{
	{"Institut für Informatik", "Institut für Informatik", "informatik." + staffDomain, "informatik", demoDelegate},
	{"Institut für Sportwissenschaft", "Institut für Sportwissenschaft", "sport." + staffDomain, "sportwissenschaft", ""},
}

// demoDelegate is the IT delegate of the Institut für Informatik.
var demoDelegate = mailbox("Sonja", "Falkner") + "@" + staffDomain

// institutes creates the demo's institutes, members and delegates.
func (s *seeder) institutes(ctx context.Context, tick func()) error {
	for _, d := range demoInstitutes {
		tick()
		if _, err := s.svc.CreateOrganisation(ctx, access.System, desk.NewOrganisation{Name: d.name, Domains: []string{d.domain}, DirectoryValue: d.directory}); err != nil {
			return fmt.Errorf("demo: institute %s: %w", d.name, err)
		}
		first := true
		for _, p := range s.requesters {
			if !strings.HasPrefix(p.inst, d.prefix) {
				continue
			}
			delegate := p.email == d.delegate || (d.delegate == "" && first)
			first = false
			tick()
			if _, err := s.svc.AddOrganisationMember(ctx, access.System, d.name, p.email, delegate); err != nil {
				return fmt.Errorf("demo: member %s of %s: %w", p.email, d.name, err)
			}
		}
	}
	return nil
}
