package delivery

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/servus-desk/servus/internal/desk"
)

// escalationView is what the wording blocks of an escalation digest see.
type escalationView struct {
	Name              string // the recipient's name
	Queue             string
	Count             int // lines in the digest
	Breached, DueSoon int // lines in each state
}

// escalationLine is one ticket's target in the digest layouts.
type escalationLine struct {
	Ref, Subject, Link string
	Target, State, Due string
	Breached           bool
}

// escalationPage is what the digest layouts see.
type escalationPage struct {
	Lang      string
	Subject   string
	Greeting  string
	Intro     string
	Items     []escalationLine
	Outro     string
	Signature string
}

// renderEscalation builds an escalation digest in the recipient's
// language: one line per ticket and target with its state, due instant
// and link. It names the queue as its sender, has no Reply-To (it is
// about no one ticket) and threads on nothing.
func (r *Renderer) renderEscalation(m *desk.OutMail, now time.Time) (*Rendered, error) {
	lang := m.Recipient.Language
	words, ok := r.words[lang]
	if !ok {
		lang, words = Languages[0], r.words[Languages[0]]
	}
	e := m.Escalation
	v := escalationView{Name: m.Recipient.Name, Queue: e.Queue, Count: len(e.Items)}
	if v.Name == "" {
		v.Name = m.Recipient.Email
	}
	for _, it := range e.Items {
		if it.State == desk.EscalationBreached {
			v.Breached++
		} else {
			v.DueSoon++
		}
	}
	var err error
	exec := func(name string, data any) string {
		if err != nil {
			return ""
		}
		var b strings.Builder
		err = words.ExecuteTemplate(&b, name, data)
		return strings.TrimSpace(b.String())
	}
	p := escalationPage{Lang: lang, Subject: exec("escalation.subject", v), Greeting: exec("greeting", v),
		Intro: exec("escalation.intro", v), Outro: exec("escalation.outro", v), Signature: exec("escalation.signature", v)}
	for _, it := range e.Items {
		n := strconv.FormatInt(it.Number, 10)
		p.Items = append(p.Items, escalationLine{Ref: "#" + n, Subject: it.Subject, Link: r.opts.BaseURL + "/tickets/" + n,
			Target: exec("escalation."+it.Kind, v), State: exec("escalation."+it.State, v),
			Due: exec("escalation.due", r.whenZone(it.Due, lang)), Breached: it.State == desk.EscalationBreached})
	}
	if err != nil {
		return nil, fmt.Errorf("render %s mail in %s: %w", m.Event, lang, err)
	}
	var text, html bytes.Buffer
	if err := r.escalationText.Execute(&text, p); err != nil {
		return nil, fmt.Errorf("render text of %s mail: %w", m.Event, err)
	}
	if err := r.escalationHTML.Execute(&html, p); err != nil {
		return nil, fmt.Errorf("render HTML of %s mail: %w", m.Event, err)
	}
	out := &Rendered{To: m.Recipient.Email, Subject: p.Subject, Text: text.String(), HTML: html.String()}
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := setAddresses(msg, e.Queue, r.opts.From, "", "", m.Recipient.Name, m.Recipient.Email); err != nil {
		return nil, err
	}
	if err := msg.EnvelopeFrom(tagged(r.opts.From, m.BounceTag)); err != nil {
		return nil, fmt.Errorf("envelope sender: %w", err)
	}
	msg.Subject(out.Subject)
	msg.SetMessageIDWithValue(m.MessageID)
	msg.SetDateWithValue(now.In(r.opts.Location))
	// An automatic mail, as every mail of servus (RFC 3834).
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetGenHeader(gomail.HeaderXAutoResponseSuppress, "All")
	msg.SetGenHeader("X-Servus-Escalation", e.Queue)
	msg.SetUserAgent("servus")
	msg.SetBodyString(gomail.TypeTextPlain, out.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, out.HTML)
	out.Msg = msg
	return out, nil
}
