package delivery

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	texttemplate "text/template"
	"time"
	"unicode"

	gomail "github.com/wneessen/go-mail"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// Marker is the line above the quoted history of every mail. Inbound mail
// is cut there, so that a reply keeps only its new text; it is the same in
// German and English mails.
const Marker = "---- Ursprüngliche Nachricht ----"

// Languages are the languages servus writes mail in; the first is the
// default for a recipient with another or no language.
var Languages = []string{"de", "en"}

// Events are the notification events every language has wording for.
var Events = []string{desk.NotifyCreated, desk.NotifyMessage, desk.NotifyQuestion, desk.NotifyResolved,
	desk.NotifyAnswer, desk.NotifyComment, desk.NotifyAttached, desk.NotifyClosed, desk.NotifyReopened,
	desk.NotifyWithdrawn, desk.NotifyAssigned, desk.NotifyDigest, desk.NotifyReminder}

// ResetPath is the web page a password reset link opens, with the link's
// token in the query parameter "token".
const ResetPath = "/password/reset"

// FeedbackPath is the web page a feedback link opens: FeedbackPath + token.
const FeedbackPath = "/feedback/"

//go:embed templates
var templateFS embed.FS

// RenderOptions configure a Renderer.
type RenderOptions struct {
	// BaseURL is servus's public URL; the ticket link is BaseURL/tickets/N.
	BaseURL string
	// From is the sender address of every mail (the envelope sender too,
	// so bounces come back to it). Its display name is the ticket's queue.
	From string
	// SubjectPrefix goes in front of the ticket number in the subject tag:
	// "#" (the default) makes "[#1234] Subject", "ZID #" makes
	// "[ZID #1234] Subject".
	SubjectPrefix string
	// Location is the time zone of dates in mails; default time.Local.
	Location *time.Location
}

// Renderer turns a desk.OutMail into a MIME message in its recipient's
// language. Its templates are parsed and checked by NewRenderer; it is safe
// for concurrent use.
type Renderer struct {
	opts  RenderOptions
	words map[string]*texttemplate.Template // language → wording blocks
	text  *texttemplate.Template
	html  *htmltemplate.Template
	// Account mail (a password reset) has layouts of its own.
	accountText *texttemplate.Template
	accountHTML *htmltemplate.Template
	// So has the escalation digest to a queue's members.
	escalationText *texttemplate.Template
	escalationHTML *htmltemplate.Template
}

// NewRenderer parses the embedded templates and checks that every language
// has wording for every event. Its errors name the broken template or the
// missing block, or a bad From address.
func NewRenderer(opts RenderOptions) (*Renderer, error) {
	if opts.SubjectPrefix == "" {
		opts.SubjectPrefix = "#"
	}
	if opts.Location == nil {
		opts.Location = time.Local
	}
	opts.BaseURL = strings.TrimRight(opts.BaseURL, "/")
	if _, err := mail.ParseAddress(opts.From); err != nil || !ticket.ValidEmail(opts.From) {
		return nil, fmt.Errorf("mail sender %q is not a mail address", opts.From)
	}
	funcs := texttemplate.FuncMap{"quote": quote}
	r := &Renderer{opts: opts, words: map[string]*texttemplate.Template{}}
	var err error
	if r.text, err = texttemplate.New("mail.txt.tmpl").Funcs(funcs).ParseFS(templateFS, "templates/mail.txt.tmpl"); err != nil {
		return nil, err
	}
	if r.html, err = htmltemplate.New("mail.html.tmpl").ParseFS(templateFS, "templates/mail.html.tmpl"); err != nil {
		return nil, err
	}
	if r.accountText, err = texttemplate.New("account.txt.tmpl").ParseFS(templateFS, "templates/account.txt.tmpl"); err != nil {
		return nil, err
	}
	if r.accountHTML, err = htmltemplate.New("account.html.tmpl").ParseFS(templateFS, "templates/account.html.tmpl"); err != nil {
		return nil, err
	}
	if r.escalationText, err = texttemplate.New("escalation.txt.tmpl").ParseFS(templateFS, "templates/escalation.txt.tmpl"); err != nil {
		return nil, err
	}
	if r.escalationHTML, err = htmltemplate.New("escalation.html.tmpl").ParseFS(templateFS, "templates/escalation.html.tmpl"); err != nil {
		return nil, err
	}
	for _, lang := range Languages {
		t, err := texttemplate.New(lang).Option("missingkey=error").ParseFS(templateFS, "templates/"+lang+".tmpl")
		if err != nil {
			return nil, err
		}
		need := []string{"greeting", "linklabel", "signature", "said", "internal", "account.from", "account.signature",
			"password_reset.subject", "password_reset.intro", "password_reset.linklabel", "password_reset.expiry",
			"password_reset.ignore", "escalation.subject", "escalation.intro", "escalation.first_response",
			"escalation.resolution", "escalation.due_soon", "escalation.breached", "escalation.due", "escalation.outro",
			"escalation.signature"}
		for _, ev := range Events {
			need = append(need, ev+".intro", ev+".outro")
		}
		for _, name := range need {
			if t.Lookup(name) == nil {
				return nil, fmt.Errorf("templates/%s.tmpl: no block %q", lang, name)
			}
		}
		r.words[lang] = t
	}
	return r, nil
}

// view is what the wording blocks see.
type view struct {
	Name     string // the recipient's name
	Ref      string // "#1234"
	Subject  string
	Queue    string
	Link     string
	Actor    string // who caused the mail; never empty
	Staff    bool   // the recipient is staff
	Requests bool   // the recipient is a requester of the ticket
	File     string // for attachment: the file's name
	Assignee string // for assigned: the assignee's display name, else their e-mail
	ToYou    bool   // for assigned: the recipient is the assignee
	Count    int    // for digest: how many entries it names
	// For resolved: the day the ticket closes by itself ("" when it does
	// not), and the requester's one-time feedback link ("" for none).
	AutoClose    string
	FeedbackLink string
}

// page is what the text and HTML layouts see.
type page struct {
	Lang      string
	Subject   string
	Greeting  string
	Intro     string
	Internal  string // a note that the entry is not for requesters, if so
	Body      string // the causing entry's text
	Outro     string
	LinkLabel string
	Link      string
	Signature string
	Marker    string
	History   []quoted
}

type quoted struct{ Head, Body string }

// Rendered is a mail ready to send.
type Rendered struct {
	Msg     *gomail.Msg
	To      string // the recipient's address
	Subject string
	Text    string
	HTML    string
}

// Subject is the subject of every mail about t: "[#1234] Subject" with
// the configured prefix.
func (r *Renderer) Subject(t *ticket.Ticket) string {
	return "[" + r.opts.SubjectPrefix + strconv.FormatInt(t.Number, 10) + "] " + t.Subject
}

// Render builds the mail for m, dated now. Its errors are template faults
// (a bug: sending it again will not help) and invalid addresses.
func (r *Renderer) Render(m *desk.OutMail, now time.Time) (*Rendered, error) {
	if m.Reset != nil {
		return r.renderReset(m, now)
	}
	if m.Escalation != nil {
		return r.renderEscalation(m, now)
	}
	lang := m.Recipient.Language
	words, ok := r.words[lang]
	if !ok {
		lang, words = Languages[0], r.words[Languages[0]]
	}
	t := m.Ticket
	v := view{
		Name: m.Recipient.Name, Ref: "#" + strconv.FormatInt(t.Number, 10), Subject: t.Subject, Queue: t.Queue,
		Link: r.opts.BaseURL + "/tickets/" + strconv.FormatInt(t.Number, 10), Actor: m.Actor,
		Staff: m.Staff, Requests: m.Requests, Assignee: m.Assignee, ToYou: t.AssigneeID == m.Recipient.ID,
	}
	if v.Actor == "" {
		v.Actor = "servus"
	}
	if m.AutoCloseAt != nil {
		v.AutoClose = r.day(*m.AutoCloseAt, lang)
	}
	if m.Feedback != nil {
		v.FeedbackLink = r.opts.BaseURL + FeedbackPath + url.PathEscape(m.Feedback.Token)
	}
	if v.Assignee == "" {
		v.Assignee = t.Assignee
	}
	if v.Name == "" {
		v.Name = m.Recipient.Email
	}
	p := page{Lang: lang, Subject: r.Subject(t), Link: v.Link, Marker: Marker}
	var err error
	exec := func(name string, data any) string {
		if err != nil {
			return ""
		}
		var b strings.Builder
		err = words.ExecuteTemplate(&b, name, data)
		return strings.TrimSpace(b.String())
	}
	if e := m.Entry; e != nil {
		switch e.Kind {
		case ticket.KindAttachment:
			v.File = e.Body
		default:
			p.Body = strings.TrimSpace(e.Body)
		}
		if e.Visibility != ticket.VisibilityPublic {
			p.Internal = exec("internal", string(e.Visibility))
		}
	}
	if len(m.Digest) > 0 {
		// A digest: every entry, each under who wrote it when.
		v.Count = len(m.Digest)
		var parts []string
		for _, e := range m.Digest {
			part := exec("said", struct{ When, Author string }{r.when(e.CreatedAt, lang), r.author(m, e)})
			if body := strings.TrimSpace(e.Body); body != "" {
				part += "\n" + body
			}
			if e.Visibility != ticket.VisibilityPublic {
				part += "\n" + exec("internal", string(e.Visibility))
			}
			parts = append(parts, part)
		}
		p.Body = strings.Join(parts, "\n\n")
	}
	p.Greeting = exec("greeting", v)
	p.Intro = exec(m.Event+".intro", v)
	p.Outro = exec(m.Event+".outro", v)
	p.LinkLabel = exec("linklabel", v)
	p.Signature = exec("signature", v)
	for _, e := range m.History {
		head := exec("said", struct{ When, Author string }{r.when(e.CreatedAt, lang), r.author(m, e)})
		p.History = append(p.History, quoted{Head: head, Body: strings.TrimSpace(e.Body)})
	}
	if err != nil {
		return nil, fmt.Errorf("render %s mail in %s: %w", m.Event, lang, err)
	}
	var text, html bytes.Buffer
	if err := r.text.Execute(&text, p); err != nil {
		return nil, fmt.Errorf("render text of %s mail: %w", m.Event, err)
	}
	if err := r.html.Execute(&html, p); err != nil {
		return nil, fmt.Errorf("render HTML of %s mail: %w", m.Event, err)
	}
	out := &Rendered{To: m.Recipient.Email, Subject: p.Subject, Text: text.String(), HTML: html.String()}
	if out.Msg, err = r.message(m, out, now); err != nil {
		return nil, err
	}
	return out, nil
}

// message builds the MIME message: multipart/alternative with the text
// and the HTML part, and the headers that thread it and keep
// auto-responders quiet.
func (r *Renderer) message(m *desk.OutMail, out *Rendered, now time.Time) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	replyTo := m.QueueAddress
	if replyTo == "" {
		replyTo = r.opts.From
	}
	if err := setAddresses(msg, m.Ticket.Queue, r.opts.From, m.Ticket.Queue, tagged(replyTo, m.ReplyTag), m.Recipient.Name, m.Recipient.Email); err != nil {
		return nil, err
	}
	if err := msg.EnvelopeFrom(tagged(r.opts.From, m.BounceTag)); err != nil {
		return nil, fmt.Errorf("envelope sender: %w", err)
	}
	msg.Subject(out.Subject)
	msg.SetMessageIDWithValue(m.MessageID)
	msg.SetDateWithValue(now.In(r.opts.Location))
	if m.InReplyTo != "" {
		msg.SetGenHeader(gomail.HeaderInReplyTo, "<"+m.InReplyTo+">")
	}
	if len(m.References) > 0 {
		msg.SetGenHeader(gomail.HeaderReferences, "<"+strings.Join(m.References, "> <")+">")
	}
	// RFC 3834: an automatic mail; responders (vacation notices) must not
	// answer it. X-Auto-Response-Suppress asks Exchange for the same. No
	// "Precedence: bulk": it is not a standard, and these are one-to-one
	// mails that spam filters should not file as bulk.
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetGenHeader(gomail.HeaderXAutoResponseSuppress, "All")
	msg.SetGenHeader("X-Servus-Ticket", strconv.FormatInt(m.Ticket.Number, 10))
	msg.SetUserAgent("servus")
	msg.SetBodyString(gomail.TypeTextPlain, out.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, out.HTML)
	return msg, nil
}

// tagged is addr with the subaddress tag: "desk@example.org" and
// "1234-abc" give "desk+1234-abc@example.org"; addr itself when tag is
// empty. The mail server must deliver local+anything to local (Postfix:
// recipient_delimiter = +).
func tagged(addr, tag string) string {
	local, domain, ok := strings.Cut(addr, "@")
	if tag == "" || !ok {
		return addr
	}
	return local + "+" + tag + "@" + domain
}

// author is the name of e's author as m knows it, else their address,
// else "servus".
func (r *Renderer) author(m *desk.OutMail, e *ticket.Entry) string {
	if name := m.Names[e.Author]; name != "" {
		return name
	}
	if e.Author != "" {
		return e.Author
	}
	return "servus"
}

// when formats a time for a mail in lang.
func (r *Renderer) when(t time.Time, lang string) string {
	t = t.In(r.opts.Location)
	if lang == "en" {
		return t.Format("2 Jan 2006 at 15:04")
	}
	return t.Format("02.01.2006 um 15:04")
}

// day formats the day of t for a mail in lang, with the weekday:
// "Montag, 16.03.2026", "Monday, 16 March 2026".
func (r *Renderer) day(t time.Time, lang string) string {
	t = t.In(r.opts.Location)
	if lang == "en" {
		return t.Format("Monday, 2 January 2006")
	}
	days := [...]string{"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"}
	return days[t.Weekday()] + ", " + t.Format("02.01.2006")
}

// quote prefixes every line of s with "> ".
func quote(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l == "" {
			lines[i] = ">"
		} else {
			lines[i] = "> " + l
		}
	}
	return strings.Join(lines, "\n")
}

// accountView is what the wording blocks of account mail see.
type accountView struct {
	Name    string // the recipient's name
	Email   string // the account's address
	Expires string // when the link stops working, with its time zone
}

// accountPage is what the account mail layouts see.
type accountPage struct {
	Lang      string
	Subject   string
	Greeting  string
	Intro     string
	LinkLabel string
	Link      string
	Expiry    string
	Ignore    string
	Signature string
}

// renderReset builds a password reset mail: the one-time link, when it
// stops working, and what to do if the recipient did not ask for it. It is
// about no ticket, so it has no ticket tag and no threading headers.
func (r *Renderer) renderReset(m *desk.OutMail, now time.Time) (*Rendered, error) {
	lang := m.Reset.Lang
	words, ok := r.words[lang]
	if !ok {
		lang = m.Recipient.Language
		if words, ok = r.words[lang]; !ok {
			lang, words = Languages[0], r.words[Languages[0]]
		}
	}
	v := accountView{Name: m.Recipient.Name, Email: m.Recipient.Email, Expires: r.whenZone(m.Reset.Expires, lang)}
	if v.Name == "" {
		v.Name = m.Recipient.Email
	}
	var err error
	exec := func(name string) string {
		if err != nil {
			return ""
		}
		var b strings.Builder
		err = words.ExecuteTemplate(&b, name, v)
		return strings.TrimSpace(b.String())
	}
	p := accountPage{Lang: lang, Link: r.opts.BaseURL + ResetPath + "?token=" + url.QueryEscape(m.Reset.Token),
		Subject: exec("password_reset.subject"), Greeting: exec("greeting"), Intro: exec("password_reset.intro"),
		LinkLabel: exec("password_reset.linklabel"), Expiry: exec("password_reset.expiry"),
		Ignore: exec("password_reset.ignore"), Signature: exec("account.signature")}
	from := exec("account.from")
	if err != nil {
		return nil, fmt.Errorf("render %s mail in %s: %w", m.Event, lang, err)
	}
	var text, html bytes.Buffer
	if err := r.accountText.Execute(&text, p); err != nil {
		return nil, fmt.Errorf("render text of %s mail: %w", m.Event, err)
	}
	if err := r.accountHTML.Execute(&html, p); err != nil {
		return nil, fmt.Errorf("render HTML of %s mail: %w", m.Event, err)
	}
	out := &Rendered{To: m.Recipient.Email, Subject: p.Subject, Text: text.String(), HTML: html.String()}
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := setAddresses(msg, from, r.opts.From, "", "", m.Recipient.Name, m.Recipient.Email); err != nil {
		return nil, err
	}
	if err := msg.EnvelopeFrom(tagged(r.opts.From, m.BounceTag)); err != nil {
		return nil, fmt.Errorf("envelope sender: %w", err)
	}
	msg.Subject(out.Subject)
	msg.SetMessageIDWithValue(m.MessageID)
	msg.SetDateWithValue(now.In(r.opts.Location))
	// An automatic mail, as every mail of servus (RFC 3834); it threads on
	// nothing and names no ticket.
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetGenHeader(gomail.HeaderXAutoResponseSuppress, "All")
	msg.SetUserAgent("servus")
	msg.SetBodyString(gomail.TypeTextPlain, out.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, out.HTML)
	out.Msg = msg
	return out, nil
}

// whenZone is when with the time zone's abbreviation, for a deadline.
func (r *Renderer) whenZone(t time.Time, lang string) string {
	return r.when(t, lang) + " (" + t.In(r.opts.Location).Format("MST") + ")"
}

// setAddresses sets From (fromName, from; the envelope sender too),
// Reply-To (replyName, replyTo; none when replyTo is empty) and To
// (toName, to) of msg. Every address is built as a net/mail Address, so
// that its display name is written quoted, or RFC 2047 encoded when it
// holds more than printable ASCII, whatever it contains (quotes, commas,
// backslashes, emoji); line breaks and other control characters in a
// name become spaces. Its errors name the header whose address is no
// single plain mail address.
func setAddresses(msg *gomail.Msg, fromName, from, replyName, replyTo, toName, to string) error {
	fa, err := address(fromName, from)
	if err != nil {
		return fmt.Errorf("From: %w", err)
	}
	msg.FromMailAddress(fa)
	msg.EnvelopeFromMailAddress(&mail.Address{Address: fa.Address})
	if replyTo != "" {
		ra, err := address(replyName, replyTo)
		if err != nil {
			return fmt.Errorf("Reply-To: %w", err)
		}
		msg.ReplyToMailAddress(ra)
	}
	ta, err := address(toName, to)
	if err != nil {
		return fmt.Errorf("To: %w", err)
	}
	msg.ToMailAddress(ta)
	return nil
}

// address is name and addr as a mail address; addr must be one plain
// address (no display name, no list).
func address(name, addr string) (*mail.Address, error) {
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Name != "" || a.Address != addr || !ticket.ValidEmail(addr) {
		return nil, fmt.Errorf("%q is not a mail address", addr)
	}
	return &mail.Address{Name: DisplayName(name), Address: a.Address}, nil
}

// DisplayName is name as it may stand in an address header: valid UTF-8,
// control characters (line breaks, tabs) as spaces, runs of spaces as one,
// no spaces at either end.
func DisplayName(name string) string {
	name = strings.ToValidUTF8(name, "\uFFFD")
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, name)
	return strings.Join(strings.Fields(name), " ")
}
