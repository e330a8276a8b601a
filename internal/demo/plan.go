package demo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// ticketCount is how many tickets the demo plans (plus a few duplicates that
// get merged).
const ticketCount = 300

// recentShare is the share of tickets from the last two weeks, so that the
// dashboards have current work.
const recentShare = 0.25

// Scenarios: how a ticket's life goes.
const (
	scQuick       = iota // taken, solved, resolved
	scAsk                // one question round before the solution
	scAsk2               // two question rounds
	scReopen             // solved, reopened by the requester, solved again
	scWithdraw           // withdrawn by the requester
	scStalledOpen        // in work for a long time
	scStalledWait        // waiting for an answer that does not come
	scUntouched          // nobody took it yet
)

// pticket is a planned ticket.
type pticket struct {
	top      *topic
	req      *person
	lang     int
	rep      *strings.Replacer
	initial  string // queue it is opened in
	target   string // queue it is worked in
	subject  string
	created  time.Time
	due      *time.Time
	prio     ticket.Priority
	channel  ticket.Channel
	cc       []string
	explicit bool // confidential on creation although its queue is not
	dupe     bool // the requester sends it twice
	k        int  // which variant of the topic: its subject, body, solution, question and answer
	conf     bool // confidential once in its target queue
	num      int64
	rng      *rand.Rand // the stream its history draws from
	dateVal  time.Time  // the date the texts name
}

// plan draws every ticket and schedules its history.
func (s *seeder) plan() {
	var pts []*pticket
	for i := range ticketCount {
		pts = append(pts, s.draw(i))
	}
	slices.SortStableFunc(pts, func(a, b *pticket) int { return a.created.Compare(b.created) })
	// Every state in the last week, whatever the hour the demo is seeded at.
	forced := []int{scUntouched, scStalledWait, scStalledOpen, scQuick, scUntouched, scStalledWait, scStalledOpen, scQuick, scAsk, scUntouched}
	week := s.base.Add(span - 7*24*time.Hour)
	var recent []*pticket
	for _, pt := range pts {
		if pt.created.After(week) && pt.created.Before(s.now.Add(-6*time.Hour)) {
			recent = append(recent, pt)
		}
	}
	force := map[*pticket]int{}
	for i, pt := range recent {
		if i*3 < len(recent) && i < len(forced) { // the older part of the week
			force[pt] = forced[i]
		}
	}
	for i, pt := range pts {
		sc, ok := force[pt]
		if !ok {
			sc = s.scenario()
		}
		s.life(pt, sc, pts[:i])
	}
	s.tickets = pts
}

// draw picks the ith ticket's topic, requester, time and texts.
//
// Each ticket draws from random streams of its own, seeded by its index:
// what it is about, who asks and its texts never depend on the weekday the
// history starts on, so the demo holds the same tickets on any day.
func (s *seeder) draw(i int) *pticket {
	s.rng = rand.New(rand.NewPCG(seed, uint64(3*i)))
	tr := rand.New(rand.NewPCG(seed, uint64(3*i+1))) // time of day, which depends on the date
	top := s.topic()
	req := s.requester(top)
	pt := &pticket{top: top, req: req, lang: req.lang, rng: rand.New(rand.NewPCG(seed, uint64(3*i+2)))}
	// When.
	days := float64(span/(24*time.Hour)) - 14
	var day float64
	if s.rng.Float64() < recentShare {
		day = days + s.rng.Float64()*14
	} else {
		day = s.rng.Float64() * days
	}
	t := s.base.Add(time.Duration(day * float64(24*time.Hour)))
	for !awake(t, req.kind == kindStudent) || t.Weekday() == time.Sunday && tr.Float64() < 0.7 {
		t = t.Add(time.Duration(20+tr.IntN(100)) * time.Minute)
	}
	if y, m, d := s.now.Date(); !t.Before(time.Date(y, m, d, 0, 0, 0, 0, s.now.Location())) {
		t = time.Date(y, m, d, 0, 0, 0, 0, s.now.Location()).Add(-time.Duration(1+tr.IntN(300)) * time.Minute)
	}
	pt.created = t
	// Where.
	pt.target = s.siteQueue(top.queue, req.site)
	pt.initial = pt.target
	if top.triage > 0 && s.rng.Float64() < top.triage {
		pt.initial = qServicedesk
	}
	pt.explicit = top.conf
	pt.conf = top.conf || s.queueConf[pt.target]
	// How.
	pt.prio = prioOf(top.prio[s.rng.IntN(len(top.prio))])
	switch r := s.rng.Float64(); {
	case r < 0.5:
		pt.channel = ticket.ChannelWeb
	case r < 0.85 || req.kind == kindStudent:
		pt.channel = ticket.ChannelMail
	default:
		pt.channel = ticket.ChannelPhone
	}
	pt.rep = s.values(pt)
	pt.k = s.rng.IntN(min(len(top.subj[pt.lang]), len(top.body[pt.lang]), len(top.solve[pt.lang])))
	pt.subject = pt.fill(top.subj[pt.lang][pt.k])
	if top.due > 0 && s.rng.Float64() < top.due {
		d := s.dueDate(pt)
		pt.due = &d
	}
	if req.kind != kindStudent && !pt.conf && s.rng.Float64() < 0.1 {
		pt.cc = []string{s.colleague(req).email}
	}
	pt.dupe = pt.channel == ticket.ChannelMail && !pt.conf && s.rng.Float64() < 0.06
	return pt
}

// life schedules the history of pt under scenario sc; earlier are the
// tickets opened before it.
func (s *seeder) life(pt *pticket, sc int, earlier []*pticket) {
	s.rng = pt.rng
	top, req := pt.top, pt.req
	t := pt.created
	reqCh := ticket.ChannelWeb
	if pt.channel != ticket.ChannelWeb {
		reqCh = ticket.ChannelMail
	}
	// Opened by the requester, or by an agent on the phone.
	opener := req.email
	desc := s.describe(pt)
	if pt.channel == ticket.ChannelPhone {
		opener = s.member(pt.initial, "")
		desc = s.phoneNote(pt)
	}
	nt := desk.NewTicket{Queue: pt.initial, Subject: pt.subject, Description: desc, Priority: pt.prio, Due: pt.due,
		Requester: req.email, CC: pt.cc, Channel: pt.channel}
	if pt.explicit {
		yes := true
		nt.Confidential = &yes
	}
	s.at(t, pt, "create", func(ctx context.Context) error {
		tk, err := s.svc.CreateTicket(ctx, s.actors[opener], nt)
		if err != nil {
			return err
		}
		pt.num = tk.Number
		s.created++
		return nil
	})
	if top.attach != "" && s.rng.Float64() < 0.35 {
		t = t.Add(time.Duration(1+s.rng.IntN(4)) * time.Minute)
		s.attach(t, pt, req.email)
	}
	// The requester sends it twice; an agent merges the second copy.
	if pt.dupe {
		dup := &pticket{top: top, req: req, lang: pt.lang, rep: pt.rep, initial: pt.initial, target: pt.initial, subject: pt.subject, prio: pt.prio, channel: pt.channel}
		t = t.Add(time.Duration(10+s.rng.IntN(30)) * time.Minute)
		dnt := desk.NewTicket{Queue: dup.initial, Subject: "WG: " + pt.subject, Description: s.pick(resendText[pt.lang]) + "\n\n" + desc, Priority: pt.prio, Requester: req.email, Channel: ticket.ChannelMail}
		dup.subject = dnt.Subject
		s.at(t, dup, "create duplicate", func(ctx context.Context) error {
			tk, err := s.svc.CreateTicket(ctx, s.actors[req.email], dnt)
			if err != nil {
				return err
			}
			dup.num = tk.Number
			s.created++
			return nil
		})
		t = office(t.Add(time.Duration(10+s.rng.IntN(50))*time.Minute), s)
		merger := s.member(dup.initial, "")
		s.at(t, dup, "merge", func(ctx context.Context) error {
			_, err := s.svc.Act(ctx, s.actors[merger], dup.num, desk.Action{Name: "merge", Target: pt.num, Channel: ticket.ChannelWeb})
			return err
		})
		s.tickets = append(s.tickets, dup)
	}
	if sc == scUntouched {
		return
	}
	// Triage: the service desk hands it on.
	if pt.initial != pt.target {
		sd := s.member(qServicedesk, "")
		t = office(t.Add(s.delay(pt, 5*time.Minute, 3*time.Hour)), s)
		if pt.conf && !pt.explicit {
			note := s.pick(confNotes)
			s.at(t, pt, "mark confidential", func(ctx context.Context) error {
				if _, err := s.svc.AddEntry(ctx, s.actors[sd], pt.num, desk.NewEntry{Kind: ticket.KindComment, Body: note, Visibility: ticket.VisibilityStaff, Channel: ticket.ChannelWeb}); err != nil {
					return err
				}
				return s.patch(ctx, sd, pt, func(p *desk.Patch) { yes := true; p.Confidential = &yes })
			})
			t = t.Add(time.Minute)
		} else if s.rng.Float64() < 0.6 {
			s.comment(t, pt, sd, pt.fill(strings.ReplaceAll(s.pick(triageNotes), "{queue}", pt.target)), ticket.VisibilityStaff)
			t = t.Add(time.Duration(1+s.rng.IntN(3)) * time.Minute)
		}
		target := pt.target
		s.at(t, pt, "move", func(ctx context.Context) error {
			_, err := s.svc.Act(ctx, s.actors[sd], pt.num, desk.Action{Name: "move", Queue: target, Channel: ticket.ChannelWeb})
			return err
		})
	}
	// Taken, or assigned by a colleague.
	worker := s.member(pt.target, "")
	t = office(t.Add(s.delay(pt, 10*time.Minute, 6*time.Hour)), s)
	if boss := s.member(pt.target, worker); s.rng.Float64() < 0.25 && boss != worker {
		s.at(t, pt, "assign", func(ctx context.Context) error {
			_, err := s.svc.Act(ctx, s.actors[boss], pt.num, desk.Action{Name: "assign", Assignee: worker, Channel: ticket.ChannelWeb})
			return err
		})
	} else {
		s.at(t, pt, "take", func(ctx context.Context) error {
			_, err := s.svc.Act(ctx, s.actors[worker], pt.num, desk.Action{Name: "take", Channel: ticket.ChannelWeb})
			return err
		})
	}
	if s.rng.Float64() < 0.1 && pt.prio.Rank() < 3 {
		t = t.Add(time.Duration(2+s.rng.IntN(20)) * time.Minute)
		up := ticket.Priorities[pt.prio.Rank()+1]
		s.at(t, pt, "raise priority", func(ctx context.Context) error {
			return s.patch(ctx, worker, pt, func(p *desk.Patch) { p.Priority = &up })
		})
	}
	if watcher := s.member(pt.target, worker); s.rng.Float64() < 0.12 && watcher != worker {
		t = t.Add(time.Duration(1+s.rng.IntN(30)) * time.Minute)
		s.at(t, pt, "watch", func(ctx context.Context) error {
			_, err := s.svc.Act(ctx, s.actors[watcher], pt.num, desk.Action{Name: "watch", Channel: ticket.ChannelWeb})
			return err
		})
	}
	if !pt.conf && s.rng.Float64() < 0.08 {
		if other := s.related(pt, earlier); other != nil {
			t = t.Add(time.Duration(1+s.rng.IntN(30)) * time.Minute)
			s.at(t, pt, "link", func(ctx context.Context) error {
				_, err := s.svc.Act(ctx, s.actors[worker], pt.num, desk.Action{Name: "link", Target: other.num, LinkKind: "related", Channel: ticket.ChannelWeb})
				return err
			})
		}
	}
	if s.rng.Float64() < 0.45 {
		t = office(t.Add(s.delay(pt, 5*time.Minute, 2*time.Hour)), s)
		s.note(t, pt, worker)
	}
	if sc == scWithdraw {
		t = awakeAt(t.Add(time.Duration(1+s.rng.IntN(40))*time.Hour), req.kind == kindStudent, s)
		body := s.reqShort(pt, s.pick(withdrawText[pt.lang]))
		s.at(t, pt, "withdraw", func(ctx context.Context) error {
			if _, err := s.svc.AddEntry(ctx, s.actors[req.email], pt.num, desk.NewEntry{Kind: ticket.KindComment, Body: body, Channel: reqCh}); err != nil {
				return err
			}
			_, err := s.svc.Act(ctx, s.actors[req.email], pt.num, desk.Action{Name: "withdraw", Channel: reqCh})
			return err
		})
		return
	}
	rounds := 0
	switch sc {
	case scAsk, scStalledWait:
		rounds = 1
	case scAsk2:
		rounds = 2
	}
	asked := -1
	for r := range rounds {
		t = office(t.Add(s.delay(pt, 20*time.Minute, 24*time.Hour)), s)
		g := s.rng.IntN(len(genericAsk[pt.lang]))
		if g == asked {
			g = (g + 1) % len(genericAsk[pt.lang])
		}
		ask, reply := pt.fill(genericAsk[pt.lang][g]), genericReply[pt.lang][g]
		if r == 0 && pt.k < len(top.ask[pt.lang]) {
			ask, reply = pt.fill(top.ask[pt.lang][pt.k]), top.reply[pt.lang][pt.k]
		} else {
			asked = g
		}
		s.entry(t, pt, worker, ticket.KindQuestion, s.agentText(pt, worker, ask), ticket.ChannelWeb)
		if sc == scStalledWait {
			return
		}
		t = awakeAt(t.Add(time.Duration(30+s.rng.IntN(48*60))*time.Minute), req.kind == kindStudent, s)
		s.entry(t, pt, req.email, ticket.KindAnswer, s.reqShort(pt, pt.fill(reply)), reqCh)
		if top.attach != "" && s.rng.Float64() < 0.3 {
			t = t.Add(time.Minute)
			s.attach(t, pt, req.email)
		}
	}
	if sc == scStalledOpen {
		t = office(t.Add(time.Duration(1+s.rng.IntN(72))*time.Hour), s)
		s.comment(t, pt, worker, s.pick(stalledNotes), s.vis())
		return
	}
	t = s.solve(t, pt, worker, reqCh, "")
	if sc == scReopen {
		t = awakeAt(t.Add(time.Duration(3+s.rng.IntN(60))*time.Hour), req.kind == kindStudent, s)
		body := s.reqShort(pt, s.pick(reopenText[pt.lang]))
		s.at(t, pt, "reopen", func(ctx context.Context) error {
			if _, err := s.svc.Act(ctx, s.actors[req.email], pt.num, desk.Action{Name: "reopen", Channel: reqCh}); err != nil {
				return err
			}
			_, err := s.svc.AddEntry(ctx, s.actors[req.email], pt.num, desk.NewEntry{Kind: ticket.KindAnswer, Body: body, Channel: reqCh})
			return err
		})
		t = office(t.Add(s.delay(pt, 30*time.Minute, 24*time.Hour)), s)
		s.note(t, pt, worker)
		t = s.solve(t, pt, worker, reqCh, s.pick(reworkText[pt.lang]))
	}
	if s.rng.Float64() < 0.45 {
		t = awakeAt(t.Add(time.Duration(1+s.rng.IntN(96))*time.Hour), req.kind == kindStudent, s)
		s.at(t, pt, "close", func(ctx context.Context) error {
			_, err := s.svc.Act(ctx, s.actors[req.email], pt.num, desk.Action{Name: "close", Channel: reqCh})
			return err
		})
		s.feedback(t.Add(3*time.Minute), pt)
	} // else the nightly auto-close does it after 14 days
}

// solve schedules the solution message, maybe the requester's thanks, and
// the resolution; it returns the time of the resolution.
func (s *seeder) solve(t time.Time, pt *pticket, worker string, reqCh ticket.Channel, prefix string) time.Time {
	t = office(t.Add(s.delay(pt, time.Hour, 72*time.Hour)), s)
	msg := pt.fill(pt.top.solve[pt.lang][pt.k])
	if prefix != "" {
		msg = prefix + lowerFirst(s.pick(reworkSolve[pt.lang]))
	}
	s.entry(t, pt, worker, ticket.KindMessage, s.agentText(pt, worker, msg), ticket.ChannelWeb)
	if s.rng.Float64() < 0.3 {
		t = awakeAt(t.Add(time.Duration(10+s.rng.IntN(300))*time.Minute), pt.req.kind == kindStudent, s)
		s.entry(t, pt, pt.req.email, ticket.KindAnswer, s.reqShort(pt, s.pick(thanks[pt.lang])), reqCh)
		t = office(t.Add(time.Duration(5+s.rng.IntN(120))*time.Minute), s)
	} else {
		t = t.Add(time.Duration(1+s.rng.IntN(3)) * time.Minute)
	}
	s.at(t, pt, "resolve", func(ctx context.Context) error {
		_, err := s.svc.Act(ctx, s.actors[worker], pt.num, desk.Action{Name: "resolve", Channel: ticket.ChannelWeb})
		return err
	})
	return t
}

func (s *seeder) entry(t time.Time, pt *pticket, author string, kind ticket.Kind, body string, ch ticket.Channel) {
	s.at(t, pt, string(kind), func(ctx context.Context) error {
		_, err := s.svc.AddEntry(ctx, s.actors[author], pt.num, desk.NewEntry{Kind: kind, Body: body, Channel: ch})
		return err
	})
}

func (s *seeder) comment(t time.Time, pt *pticket, author, body string, vis ticket.Visibility) {
	s.at(t, pt, "comment", func(ctx context.Context) error {
		_, err := s.svc.AddEntry(ctx, s.actors[author], pt.num, desk.NewEntry{Kind: ticket.KindComment, Body: body, Visibility: vis, Channel: ticket.ChannelWeb})
		return err
	})
}

// note schedules a work note by an agent, public, staff- or queue-only.
func (s *seeder) note(t time.Time, pt *pticket, worker string) {
	pool := pt.top.notes
	if len(pool) == 0 || s.rng.Float64() < 0.3 {
		pool = genericNotes
	}
	s.comment(t, pt, worker, pt.fill(s.pick(pool)), s.vis())
}

// vis draws a work note's visibility: public is the default (requesters may
// see how their request is worked).
func (s *seeder) vis() ticket.Visibility {
	switch r := s.rng.Float64(); {
	case r < 0.45:
		return ticket.VisibilityPublic
	case r < 0.8:
		return ticket.VisibilityStaff
	default:
		return ticket.VisibilityQueue
	}
}

// patch changes pt's fields as who, at pt's current version.
func (s *seeder) patch(ctx context.Context, who string, pt *pticket, change func(*desk.Patch)) error {
	a := s.actors[who]
	tk, err := s.svc.Ticket(ctx, a, pt.num)
	if err != nil {
		return err
	}
	p := desk.Patch{Version: tk.Version}
	change(&p)
	_, err = s.svc.UpdateTicket(ctx, a, pt.num, p)
	return err
}

// attach schedules a file from who: a screenshot or a forwarded mail.
func (s *seeder) attach(t time.Time, pt *pticket, who string) {
	var name string
	var data []byte
	switch pt.top.attach {
	case "png":
		name = s.pick([]string{"screenshot.png", "fehlermeldung.png", "foto-display.png", "bildschirmfoto.png"})
		if pt.lang == 1 {
			name = s.pick([]string{"screenshot.png", "error.png", "photo.png"})
		}
		data = s.png()
	default:
		name = "weitergeleitete-nachricht.txt"
		if pt.lang == 1 {
			name = "forwarded-message.txt"
		}
		data = []byte(pt.fill("From: {absender}\nTo: " + pt.req.email + "\nSubject: Ihr Postfach wird gesperrt / Your mailbox will be suspended\n\n" +
			"Sehr geehrte Nutzerin, sehr geehrter Nutzer,\n\nIhr Postfach hat das Speicherlimit erreicht. Bestätigen Sie Ihr Konto innerhalb von 24 Stunden unter\n" +
			"http://mailbox-verify.example.net/uibk/login\n\nAndernfalls wird Ihr Konto gesperrt.\n\nIhr IT-Service\n"))
	}
	s.at(t, pt, "attach", func(ctx context.Context) error {
		_, err := s.svc.AddAttachment(ctx, s.actors[who], pt.num, ticket.ChannelWeb, name, ticket.VisibilityPublic, bytes.NewReader(data))
		return err
	})
}

// png draws a small picture standing in for a screenshot.
func (s *seeder) png() []byte {
	w, h := 160, 100
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	bg := color.RGBA{240, 240, 240, 255}
	bar := color.RGBA{uint8(30 + s.rng.IntN(60)), uint8(80 + s.rng.IntN(80)), uint8(150 + s.rng.IntN(100)), 255}
	box := color.RGBA{200, uint8(40 + s.rng.IntN(40)), 40, 255}
	bx, by := 30+s.rng.IntN(40), 35+s.rng.IntN(20)
	for y := range h {
		for x := range w {
			c := bg
			switch {
			case y < 14:
				c = bar
			case x >= bx && x < bx+80 && y >= by && y < by+30:
				c = box
				if y > by+4 && y < by+8 && x > bx+6 && x < bx+74 {
					c = color.RGBA{255, 255, 255, 255}
				}
			case y%12 == 0 && x > 10 && x < w-10-s.rng.IntN(40):
				c = color.RGBA{180, 180, 180, 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img) // writing to memory does not fail
	return b.Bytes()
}

// related finds an earlier, visible ticket on the same topic to link to.
func (s *seeder) related(pt *pticket, earlier []*pticket) *pticket {
	for i := len(earlier) - 1; i >= 0 && i >= len(earlier)-60; i-- {
		o := earlier[i]
		if o.top == pt.top && !o.conf && o.created.Before(pt.created.Add(-time.Hour)) {
			return o
		}
	}
	return nil
}

// --- drawing ---

func (s *seeder) pick(xs []string) string { return xs[s.rng.IntN(len(xs))] }

func (s *seeder) topic() *topic {
	total := 0
	for i := range topics {
		total += topics[i].weight
	}
	n := s.rng.IntN(total)
	for i := range topics {
		if n < topics[i].weight {
			return &topics[i]
		}
		n -= topics[i].weight
	}
	return &topics[0]
}

// requester draws who asks about top; the demo requester gets a few more.
func (s *seeder) requester(top *topic) *person {
	if strings.IndexByte(top.who, kindLecturer) >= 0 && s.rng.Float64() < 0.08 {
		return s.people[demoRequester]
	}
	var fit []*person
	for _, p := range s.requesters {
		if strings.IndexByte(top.who, p.kind) >= 0 {
			fit = append(fit, p)
		}
	}
	return fit[s.rng.IntN(len(fit))]
}

// colleague draws someone to copy: of the same institute if there is one.
func (s *seeder) colleague(p *person) *person {
	if p.email != demoRequester && s.rng.Float64() < 0.25 {
		return s.people[demoRequester]
	}
	var same, staff []*person
	for _, o := range s.requesters {
		if o == p || o.kind == kindStudent {
			continue
		}
		staff = append(staff, o)
		if o.inst == p.inst {
			same = append(same, o)
		}
	}
	if len(same) > 0 {
		return same[s.rng.IntN(len(same))]
	}
	return staff[s.rng.IntN(len(staff))]
}

// member draws a member of queue other than not (unless it is the only one).
func (s *seeder) member(queue, not string) string {
	ms := s.members[queue]
	if len(ms) == 0 {
		panic("demo: queue without members: " + queue)
	}
	for range 8 {
		if m := ms[s.rng.IntN(len(ms))]; m != not {
			return m
		}
	}
	return ms[0]
}

func (s *seeder) scenario() int {
	r := s.rng.Float64()
	for i, w := range []float64{0.36, 0.28, 0.08, 0.06, 0.08, 0.06, 0.04, 0.04} {
		if r < w {
			return i
		}
		r -= w
	}
	return scQuick
}

// delay draws how long the next agent step takes: quicker for urgent work.
func (s *seeder) delay(pt *pticket, lo, hi time.Duration) time.Duration {
	switch pt.prio {
	case ticket.PriorityUrgent:
		hi = max(lo+time.Minute, hi/6)
	case ticket.PriorityHigh:
		hi = max(lo+time.Minute, hi/3)
	}
	return lo + time.Duration(s.rng.Int64N(int64(hi-lo)))
}

func (s *seeder) siteQueue(q, site string) string {
	if strings.HasPrefix(q, "Benutzerservice") && site == siteSport {
		site = siteInnrain
	}
	net := siteInnrain
	if site == siteTechnik {
		net = siteTechnik
	}
	return strings.NewReplacer("{site}", site, "{netsite}", net).Replace(q)
}

func prioOf(c byte) ticket.Priority {
	switch c {
	case 'l':
		return ticket.PriorityLow
	case 'h':
		return ticket.PriorityHigh
	case 'u':
		return ticket.PriorityUrgent
	}
	return ticket.PriorityNormal
}

// dueDate is the date the requester names, at the end of the working day.
func (s *seeder) dueDate(pt *pticket) time.Time {
	y, m, d := pt.dateVal.Date()
	return time.Date(y, m, d, 16, 0, 0, 0, pt.created.Location())
}

// --- time of day ---

// office moves t into the next working hours (Mon–Fri, 7:30–17:00).
func office(t time.Time, s *seeder) time.Time {
	for {
		min := t.Hour()*60 + t.Minute()
		wd := t.Weekday()
		if wd != time.Saturday && wd != time.Sunday && min >= 7*60+30 && min < 17*60 {
			return t
		}
		y, m, d := t.Date()
		morning := time.Date(y, m, d, 7, 30, 0, 0, t.Location()).Add(time.Duration(s.rng.IntN(120)) * time.Minute)
		if min >= 7*60+30 || wd == time.Saturday || wd == time.Sunday {
			morning = morning.AddDate(0, 0, 1)
		}
		t = morning
	}
}

// awake reports whether someone writes at t: staff in working hours,
// students also in the evening and at weekends.
func awake(t time.Time, student bool) bool {
	h := t.Hour()
	if student {
		return h >= 8 && h < 23
	}
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday && h >= 7 && h < 18
}

// awakeAt moves t to the next time the requester writes.
func awakeAt(t time.Time, student bool, s *seeder) time.Time {
	for !awake(t, student) {
		t = t.Add(time.Duration(30+s.rng.IntN(60)) * time.Minute)
	}
	return t
}

// --- texts ---

// values draws the placeholder values of one ticket.
func (s *seeder) values(pt *pticket) *strings.Replacer {
	p := pt.req
	r := s.rng
	floor := 1 + r.IntN(7)
	wing := "NSWO"[r.IntN(4)]
	room := p.room
	if room == "" || r.Float64() < 0.3 {
		room = fmt.Sprintf("%d%c%02d", floor, wing, 1+r.IntN(40))
	}
	dateVal := pt.created.AddDate(0, 0, 3+r.IntN(18))
	pt.dateVal = dateVal
	date := dateVal.Format("02.01.2006")
	if pt.lang == 1 {
		date = dateVal.Format("2 January 2006")
	}
	quota := 2 + r.IntN(8)
	host := fmt.Sprintf("%s-pc%02d", strings.ToLower(p.site[:3]), 1+r.IntN(60))
	if r.Float64() < 0.3 {
		host = fmt.Sprintf("srv-%s%d", shortName(p.inst), 1+r.IntN(4))
	}
	tel := p.tel
	if tel == "" {
		tel = fmt.Sprintf("507-%d", 20000+r.IntN(60000))
	}
	matrikel := p.matrikel
	if matrikel == "" {
		matrikel = fmt.Sprintf("1%07d", 1100000+r.IntN(900000))
	}
	prn := s.pick(printers)
	kv := []string{
		"{raum}", room,
		"{geb}", s.pick(buildings[p.site]),
		"{hs}", s.pick(halls[p.site]),
		"{inv}", fmt.Sprint(300000 + r.IntN(99999)),
		"{drucker}", prn,
		"{druckerq}", fmt.Sprintf("%s-%s", strings.ToUpper(shortName(p.inst)), strings.ReplaceAll(strings.Fields(prn)[0], "-", "")),
		"{fehler}", s.pick(printErrors),
		"{port}", fmt.Sprintf("Gi1/0/%d", 1+r.IntN(48)),
		"{betrag}", fmt.Sprintf("%d,%02d", 1+r.IntN(6), 10*r.IntN(10)),
		"{geraet}", fmt.Sprint(100 + r.IntN(80)),
		"{handy}", s.pick(phones),
		"{os}", s.pick(oses),
		"{mac}", fmt.Sprintf("3c:22:fb:%02x:%02x:%02x", r.IntN(256), r.IntN(256), r.IntN(256)),
		"{ip}", fmt.Sprintf("10.%d.%d.%d", 16+r.IntN(16), r.IntN(256), 2+r.IntN(250)),
		"{ap}", fmt.Sprintf("%02d", 1+r.IntN(40)),
		"{quota}", fmt.Sprintf("%d GB", quota),
		"{quotaneu}", fmt.Sprintf("%d GB", quota*2+5),
		"{tagung}", s.pick(conferences),
		"{inst_kurz}", shortName(p.inst),
		"{inst}", p.inst,
		"{vpnfehler}", s.pick(vpnErrors),
		"{sw}", s.pick(softwares),
		"{anzahl}", fmt.Sprint(3 + r.IntN(40)),
		"{kst}", fmt.Sprintf("%d%04d", 7+r.IntN(3), r.IntN(10000)),
		"{kurs}", s.pick(courses),
		"{lv}", fmt.Sprint(700000 + r.IntN(99999)),
		"{host}", host,
		"{sub}", shortName(p.inst) + "-" + s.pick([]string{"tagung", "projekt", "labor", "daten"}),
		"{tel}", tel,
		"{datum}", date,
		"{dose}", fmt.Sprintf("%d%c-%03d", floor, wing, 1+r.IntN(200)),
		"{jahr}", fmt.Sprint(pt.created.Year() + 1 + r.IntN(2)),
		"{bestell}", fmt.Sprintf("%05d", r.IntN(100000)),
		"{absender}", s.pick(senders),
		"{monat}", months[(int(pt.created.Month())+10)%12],
		"{matrikel}", matrikel,
		"{gast}", s.pick(guests),
		"{projekt}", fmt.Sprintf("P%05d", 30000+r.IntN(9000)),
		"{jobid}", fmt.Sprint(4100000 + r.IntN(99999)),
		"{gruppe}", s.pick(groups),
		"{topic}", pt.top.key,
		"{vorname}", p.first,
	}
	return strings.NewReplacer(kv...)
}

func (pt *pticket) fill(s string) string { return pt.rep.Replace(s) }

// describe writes the requester's description: greeting, text, signature.
func (s *seeder) describe(pt *pticket) string {
	p := pt.req
	greet, closing := greetDesk, closeReq
	if p.kind == kindStudent {
		greet, closing = greetDeskStudent, closeStudent
	}
	var b strings.Builder
	b.WriteString(s.pick(greet[pt.lang]) + "\n\n")
	b.WriteString(pt.fill(pt.top.body[pt.lang][pt.k]) + "\n\n")
	b.WriteString(s.pick(closing[pt.lang]) + "\n" + p.name)
	switch {
	case p.kind == kindStudent:
		if s.rng.Float64() < 0.5 {
			b.WriteString("\n" + map[int]string{0: "Matrikelnummer ", 1: "Student ID "}[pt.lang] + p.matrikel)
		}
	default:
		b.WriteString("\n" + p.inst)
		if p.room != "" {
			b.WriteString("\n" + map[int]string{0: "Raum ", 1: "Room "}[pt.lang] + p.room + ", " + map[int]string{0: "Tel. ", 1: "phone "}[pt.lang] + p.tel)
		}
	}
	return b.String()
}

// phoneNote is the description an agent writes for a call.
func (s *seeder) phoneNote(pt *pticket) string {
	p := pt.req
	who := p.name
	if p.kind != kindStudent {
		who = map[bool]string{true: "Frau ", false: "Herrn "}[p.female] + p.last + " (" + p.inst
		if p.tel != "" {
			who += ", Tel. " + p.tel
		}
		who += ")"
	}
	body := upperFirst(pt.fill(pt.top.body[pt.lang][pt.k]))
	return "Telefonische Meldung von " + who + ":\n\n" + body
}

// agentText wraps an agent's text in a salutation and signature.
func (s *seeder) agentText(pt *pticket, agent, body string) string {
	p, a := pt.req, s.people[agent]
	var greet string
	switch {
	case pt.lang == 1 && p.kind == kindStudent:
		greet = "Hello " + p.first + ","
	case pt.lang == 1:
		greet = map[bool]string{true: "Dear Ms ", false: "Dear Mr "}[p.female] + p.last + ","
	case p.kind == kindStudent:
		greet = "Hallo " + p.first + ","
	case s.rng.Float64() < 0.3:
		greet = map[bool]string{true: "Liebe Frau ", false: "Lieber Herr "}[p.female] + p.last + ","
	default:
		greet = map[bool]string{true: "Sehr geehrte Frau ", false: "Sehr geehrter Herr "}[p.female] + p.last + ","
	}
	sig := "Mit freundlichen Grüßen\n" + a.name + "\nZentrum für Informationsdienste – " + pt.target
	if pt.lang == 1 {
		sig = "Best regards\n" + a.name + "\nComputing Centre (ZID) – " + pt.target
	}
	return greet + "\n\n" + body + "\n\n" + sig
}

// reqShort wraps a requester's short reply.
func (s *seeder) reqShort(pt *pticket, body string) string {
	p := pt.req
	if s.rng.Float64() < 0.4 {
		return upperFirst(body) + "\n\n" + p.first
	}
	greet, closing := greetDesk, closeReq
	if p.kind == kindStudent {
		greet, closing = greetDeskStudent, closeStudent
	}
	return s.pick(greet[pt.lang]) + "\n\n" + body + "\n\n" + s.pick(closing[pt.lang]) + "\n" + p.name
}

// shortName is a short ASCII name for an institute, for drives and hosts.
func shortName(inst string) string {
	if i := strings.IndexByte(inst, '('); i > 0 {
		inst = inst[:i]
	}
	f := strings.Fields(inst)
	w := fold(f[len(f)-1])
	w = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r
		}
		return -1
	}, w)
	if len(w) > 10 {
		w = w[:10]
	}
	return w
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}
