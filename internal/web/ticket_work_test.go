package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
	"github.com/servus-desk/servus/internal/web"
)

// TestNewTicketOnBehalf: an agent opening a ticket for someone records how
// the request came; an address nobody has yet is created only when
// confirmed, so a typo makes no new person; the API's channel is not the
// form's.
func TestNewTicketOnBehalf(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{})
	anton := s.signedIn(t, agentEmail)
	form := url.Values{"queue": {"Servicedesk"}, "subject": {"Drucker am Empfang"}, "description": {"Kam persönlich vorbei."},
		"requester": {requesterEmail}, "channel": {"in-person"}}
	a := anton.post("/tickets/new", form)
	if a.status != http.StatusSeeOther {
		t.Fatalf("on behalf of a known requester: got %d, want 303\n%s", a.status, a.body)
	}
	n, _ := strconv.ParseInt(strings.TrimPrefix(a.header.Get("Location"), "/tickets/"), 10, 64)
	tk, err := s.svc.Ticket(context.Background(), s.actor(t, agentEmail), n)
	if err != nil || tk.Requester != requesterEmail || tk.Channel != ticket.ChannelInPerson {
		t.Fatalf("ticket: got requester %q channel %q (%v), want %s in-person", tk.Requester, tk.Channel, err, requesterEmail)
	}
	if b := anton.get(a.header.Get("Location")).body; !strings.Contains(b, "Persönlich") {
		t.Fatalf("ticket page lacks the channel Persönlich")
	}

	// A typo: the form asks before a new person exists.
	form.Set("requester", "rita.requestr@example.org")
	form.Set("subject", "Tippfehler")
	a = anton.post("/tickets/new", form)
	if a.status != http.StatusBadRequest || !strings.Contains(a.body, `name="new_requester"`) || !strings.Contains(a.body, "rita.requestr@example.org") {
		t.Fatalf("unknown requester: got %d, want 400 asking to confirm\n%s", a.status, a.body)
	}
	if _, err := s.svc.User(context.Background(), s.actor(t, agentEmail), "rita.requestr@example.org"); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Fatalf("unconfirmed requester: got %v, want ENOTFOUND (nobody created)", err)
	}
	page, err := s.svc.Search(context.Background(), s.actor(t, agentEmail), ticket.Filter{Q: "Tippfehler"})
	if err != nil || page.Total != 0 {
		t.Fatalf("unconfirmed: got %d tickets (%v), want none", page.Total, err)
	}
	form.Set("new_requester", "yes")
	if a = anton.post("/tickets/new", form); a.status != http.StatusSeeOther {
		t.Fatalf("confirmed new requester: got %d, want 303\n%s", a.status, a.body)
	}

	// Channels that the form does not offer are refused.
	form.Set("channel", "api")
	if a = anton.post("/tickets/new", form); a.status != http.StatusBadRequest || !strings.Contains(a.body, "Telefon, persönlich, E-Mail oder Web") {
		t.Fatalf("channel api: got %d, want 400 naming the choices\n%s", a.status, a.body)
	}

	// An agent's own ticket came by web, whatever the select says.
	a = anton.post("/tickets/new", url.Values{"queue": {"Servicedesk"}, "subject": {"Eigenes"}, "description": {"x"}, "channel": {"phone"}})
	if a.status != http.StatusSeeOther {
		t.Fatalf("own ticket: got %d\n%s", a.status, a.body)
	}
	n, _ = strconv.ParseInt(strings.TrimPrefix(a.header.Get("Location"), "/tickets/"), 10, 64)
	if tk, _ := s.svc.Ticket(context.Background(), s.actor(t, agentEmail), n); tk.Channel != ticket.ChannelWeb || tk.Requester != agentEmail {
		t.Fatalf("own ticket: got channel %q requester %q, want web %s", tk.Channel, tk.Requester, agentEmail)
	}

	// A requester cannot open tickets for others, whatever they send.
	rita := s.signedIn(t, requesterEmail)
	a = rita.post("/tickets/new", url.Values{"queue": {"Servicedesk"}, "subject": {"Für Olga"}, "description": {"x"},
		"requester": {outsiderEmail}, "channel": {"phone"}})
	n, _ = strconv.ParseInt(strings.TrimPrefix(a.header.Get("Location"), "/tickets/"), 10, 64)
	if tk, err := s.svc.Ticket(context.Background(), s.actor(t, requesterEmail), n); err != nil || tk.Requester != requesterEmail || tk.Channel != ticket.ChannelWeb {
		t.Fatalf("requester's ticket: got %+v (%v), want their own by web", tk, err)
	}
}

// TestNewTicketDueAndFiles: due dates are read as typed in German too and
// refused in the past; a file over the limit is refused before the ticket
// exists, so nothing is left behind and nothing typed is lost.
func TestNewTicketDueAndFiles(t *testing.T) {
	t.Parallel()
	s := newSiteWith(t, web.Options{}, desk.Options{MaxAttachment: 1000})
	rita := s.signedIn(t, requesterEmail)
	vienna, err := time.LoadLocation("Europe/Vienna") // the fixture's people live there
	if err != nil {
		t.Fatal(err)
	}
	next := time.Now().In(vienna).AddDate(0, 1, 0)
	a := rita.post("/tickets/new", url.Values{"queue": {"Servicedesk"}, "subject": {"Mit Datum"}, "description": {"x"},
		"due": {next.Format("2.1.2006")}})
	if a.status != http.StatusSeeOther {
		t.Fatalf("German due date: got %d, want 303\n%s", a.status, a.body)
	}
	n, _ := strconv.ParseInt(strings.TrimPrefix(a.header.Get("Location"), "/tickets/"), 10, 64)
	tk, _ := s.svc.Ticket(context.Background(), s.actor(t, requesterEmail), n)
	if want := next.Format("2006-01-02") + " 23:59:59"; tk.Due == nil || tk.Due.In(vienna).Format("2006-01-02 15:04:05") != want {
		t.Fatalf("due: got %v, want %s in Vienna", tk.Due, want)
	}
	a = rita.post("/tickets/new", url.Values{"queue": {"Servicedesk"}, "subject": {"Gestern fällig"}, "description": {"x"},
		"due": {"2020-01-01"}})
	if a.status != http.StatusBadRequest || !strings.Contains(a.body, "must not be in the past") {
		t.Fatalf("past due date: got %d, want 400 (English page: must not be in the past)\n%s", a.status, a.body)
	}

	a = rita.postFiles("/tickets/new", url.Values{"queue": {"Servicedesk"}, "subject": {"Großer Anhang"}, "description": {"Bitte ansehen."}},
		map[string]string{"gross.bin": strings.Repeat("x", 1500)})
	if a.status != http.StatusBadRequest || !strings.Contains(a.body, "gross.bin") || !strings.Contains(a.body, "Bitte ansehen.") {
		t.Fatalf("oversize file: got %d, want 400 naming the file with the text kept\n%s", a.status, a.body)
	}
	page, err := s.svc.Search(context.Background(), s.actor(t, requesterEmail), ticket.Filter{Q: "Anhang"})
	if err != nil || page.Total != 0 {
		t.Fatalf("after the refused file: %d tickets (%v), want none", page.Total, err)
	}
}

// TestWorkingStates: a waiting ticket can be resolved; a requester's file
// alone answers a question; a requester reopens a closed ticket within the
// grace period only; a merged ticket is never reopened; the merge form is
// only for those who may merge.
func TestWorkingStates(t *testing.T) {
	t.Parallel()
	clk := &resetClock{t: time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)}
	s := newSiteWith(t, web.Options{Now: clk.Now, SessionTTL: 30 * 24 * time.Hour}, desk.Options{Now: clk.Now, Inbound: desk.InboundOptions{ReopenGrace: 48 * time.Hour}})
	ctx := context.Background()
	anton, rita := s.signedIn(t, agentEmail), s.signedIn(t, requesterEmail)
	tk := s.ticket(t, requesterEmail, "Servicedesk", "Kein Zugang")
	path := "/tickets/" + strconv.FormatInt(tk.Number, 10)
	must := func(tk *ticket.Ticket, err error) *ticket.Ticket {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}
	state := func() ticket.State {
		t.Helper()
		return must(s.svc.Ticket(ctx, s.actor(t, agentEmail), tk.Number)).State
	}
	if _, err := s.svc.AddEntry(ctx, s.actor(t, agentEmail), tk.Number, desk.NewEntry{Kind: ticket.KindQuestion, Body: "Welcher Account?"}); err != nil {
		t.Fatal(err)
	}
	// The requester answers with a screenshot alone.
	if a := rita.postFiles(path+"/entries", url.Values{"kind": {"answer"}, "body": {""}}, map[string]string{"fehler.png": "PNG"}); a.status != http.StatusSeeOther {
		t.Fatalf("file-only answer: got %d\n%s", a.status, a.body)
	}
	if got := state(); got != ticket.StateOpen {
		t.Fatalf("after a file-only answer: got %s, want open", got)
	}
	atts, _ := s.svc.Attachments(ctx, s.actor(t, agentEmail), tk.Number)
	es, _ := s.svc.Entries(ctx, s.actor(t, agentEmail), tk.Number)
	for _, e := range es {
		if e.Kind == ticket.KindAttachment && e.Channel != ticket.ChannelWeb {
			t.Fatalf("attachment entry by web: channel %q, want web", e.Channel)
		}
	}
	if len(atts) != 1 {
		t.Fatalf("attachments: got %d, want 1", len(atts))
	}

	// Asked again, the requester stays silent: the agent may resolve.
	if _, err := s.svc.AddEntry(ctx, s.actor(t, agentEmail), tk.Number, desk.NewEntry{Kind: ticket.KindQuestion, Body: "Noch da?"}); err != nil {
		t.Fatal(err)
	}
	cur := must(s.svc.Ticket(ctx, s.actor(t, agentEmail), tk.Number))
	if b := anton.get(path).body; !strings.Contains(b, `name="action" value="resolve"`) {
		t.Fatalf("waiting ticket: the agent's page offers no resolve")
	}
	if a := anton.post(path+"/actions", url.Values{"action": {"resolve"}, "version": {strconv.FormatInt(cur.Version, 10)}}); a.status != http.StatusSeeOther {
		t.Fatalf("resolve a waiting ticket: got %d\n%s", a.status, a.body)
	}
	cur = must(s.svc.Act(ctx, s.actor(t, requesterEmail), tk.Number, desk.Action{Name: "close"}))

	// Within the grace period the requester may reopen; after it, not.
	clk.Add(24 * time.Hour)
	if b := rita.get(path).body; !strings.Contains(b, `value="reopen"`) {
		t.Fatalf("closed a day ago: no reopen button for the requester\n%s", b)
	}
	clk.Add(48 * time.Hour)
	if b := rita.get(path).body; strings.Contains(b, `value="reopen"`) {
		t.Fatalf("closed three days ago (grace two): the requester is offered reopen")
	}
	if a := rita.post(path+"/actions", url.Values{"action": {"reopen"}, "version": {strconv.FormatInt(cur.Version, 10)}}); a.status != http.StatusConflict {
		t.Fatalf("late reopen by the requester: got %d, want 409", a.status)
	}
	if got := state(); got != ticket.StateClosed {
		t.Fatalf("after the refused reopen: got %s, want closed", got)
	}
	// The queue's agent still may.
	if a := anton.post(path+"/actions", url.Values{"action": {"reopen"}, "version": {strconv.FormatInt(cur.Version, 10)}}); a.status != http.StatusSeeOther {
		t.Fatalf("reopen by the queue's agent: got %d\n%s", a.status, a.body)
	}

	// A merged ticket stays closed for everyone.
	dup := s.ticket(t, requesterEmail, "Servicedesk", "Kein Zugang (nochmal)")
	must(s.svc.Act(ctx, s.actor(t, agentEmail), dup.Number, desk.Action{Name: "merge", Target: tk.Number}))
	dupPath := "/tickets/" + strconv.FormatInt(dup.Number, 10)
	for _, c := range []*client{rita, anton} {
		if b := c.get(dupPath).body; strings.Contains(b, `value="reopen"`) {
			t.Fatalf("merged ticket offers reopen")
		}
	}
	d := must(s.svc.Ticket(ctx, s.actor(t, agentEmail), dup.Number))
	if _, err := s.svc.Act(ctx, s.actor(t, agentEmail), dup.Number, desk.Action{Name: "reopen", Version: d.Version}); ticket.ErrorCode(err) != ticket.ECONFLICT {
		t.Fatalf("reopen a merged ticket: got %v, want ECONFLICT", err)
	}

	// Sepp (Security only) may link the Servicedesk ticket, not merge it.
	if b := s.signedIn(t, securityEmail).get(path).body; !strings.Contains(b, "/link") || strings.Contains(b, "/merge") {
		t.Fatalf("non-member: want the link form and no merge form")
	}
	if b := anton.get(path).body; !strings.Contains(b, "/merge") {
		t.Fatalf("member: want the merge form")
	}
}

// TestEditConflictKeepsTyping: a stale edit is refused with the typed
// values still in the form, and nothing of them is saved; CC is edited
// there too and its change is in the history.
func TestEditConflictKeepsTyping(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{})
	ctx := context.Background()
	tk := s.ticket(t, requesterEmail, "Servicedesk", "Beamer defekt")
	path := "/tickets/" + strconv.FormatInt(tk.Number, 10)
	anton := s.signedIn(t, agentEmail)
	if _, err := s.svc.Act(ctx, s.actor(t, outsiderEmail), tk.Number, desk.Action{Name: "take", Version: tk.Version}); err != nil {
		t.Fatal(err)
	}
	a := anton.post(path+"/edit", url.Values{"version": {strconv.FormatInt(tk.Version, 10)}, "seen": {"1"},
		"subject": {"Beamer in HS A defekt"}, "priority": {"urgent"}, "due": {""}, "cc": {"chef@example.org"}, "confidential_shown": {"1"}})
	if a.status != http.StatusConflict {
		t.Fatalf("stale edit: got %d, want 409", a.status)
	}
	for _, want := range []string{`value="Beamer in HS A defekt"`, `value="urgent" selected`, ">chef@example.org</textarea>", "<details open>"} {
		if !strings.Contains(a.body, want) {
			t.Fatalf("conflict page lost the typed edit: want %s\n%s", want, a.body)
		}
	}
	cur, _ := s.svc.Ticket(ctx, s.actor(t, agentEmail), tk.Number)
	if cur.Subject != "Beamer defekt" || cur.Priority != ticket.PriorityNormal || len(cur.CC) != 0 {
		t.Fatalf("stale edit saved something: %+v", cur)
	}
	a = anton.post(path+"/edit", url.Values{"version": {strconv.FormatInt(cur.Version, 10)},
		"subject": {"Beamer in HS A defekt"}, "priority": {"normal"}, "due": {""}, "cc": {"chef@example.org, Vize@Example.org"}, "confidential_shown": {"1"}})
	if a.status != http.StatusSeeOther {
		t.Fatalf("current edit: got %d\n%s", a.status, a.body)
	}
	cur, _ = s.svc.Ticket(ctx, s.actor(t, agentEmail), tk.Number)
	if strings.Join(cur.CC, ",") != "chef@example.org,vize@example.org" {
		t.Fatalf("CC: got %v", cur.CC)
	}
	b := anton.get(path).body
	if !strings.Contains(b, "hat den Betreff von „Beamer defekt“ auf „Beamer in HS A defekt“ geändert") {
		t.Fatalf("history lacks the subject's old and new value\n%s", b)
	}
}

// TestAdminSendsResetLink: an admin mails a person the reset link (never
// seeing it); a disabled account gets none; nobody else may ask.
func TestAdminSendsResetLink(t *testing.T) {
	t.Parallel()
	s, _ := newResetSite(t, store.SQLite, web.Options{})
	admin := withAdmin(t, s)
	rita, err := s.svc.User(context.Background(), access.System, requesterEmail)
	if err != nil {
		t.Fatal(err)
	}
	path := "/admin/users/" + strconv.FormatInt(rita.ID, 10)
	for _, who := range []string{agentEmail, requesterEmail} {
		if a := s.signedIn(t, who).post(path+"/reset", nil); a.status != http.StatusNotFound {
			t.Fatalf("%s asks for a reset link: got %d, want 404", who, a.status)
		}
	}
	if b := admin.get(path).body; !strings.Contains(b, `action="`+path+`/reset"`) {
		t.Fatalf("user page lacks the reset form")
	}
	if a := admin.post(path+"/reset", nil); a.status != http.StatusSeeOther {
		t.Fatalf("admin sends a reset link: got %d\n%s", a.status, a.body)
	}
	if b := admin.get(path).body; strings.Contains(b, "/password/reset") {
		t.Fatalf("the admin's page shows the link")
	}
	if got := mailedTokens(t, s); got[requesterEmail] == "" || len(got) != 1 {
		t.Fatalf("reset mails: got %v, want one to %s", got, requesterEmail)
	}
	disabled := true
	if _, err := s.svc.UpdateUser(context.Background(), access.System, requesterEmail, desk.UserPatch{Disabled: &disabled}); err != nil {
		t.Fatal(err)
	}
	if a := admin.post(path+"/reset", nil); a.status != http.StatusConflict {
		t.Fatalf("reset link for a disabled account: got %d, want 409", a.status)
	}
	if got := mailedTokens(t, s); len(got) != 0 {
		t.Fatalf("a disabled account got reset mail: %v", got)
	}
}

// TestEditKeepsPassedDueDate: the edit form sends the due date back as
// shown; on an overdue ticket that is no new due date in the past, so
// changing the subject keeps the due date to the second. A new date in the
// past is refused by desk, as for a new ticket.
func TestEditKeepsPassedDueDate(t *testing.T) {
	t.Parallel()
	clk := &resetClock{t: time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)}
	s := newSiteWith(t, web.Options{Now: clk.Now, SessionTTL: 30 * 24 * time.Hour}, desk.Options{Now: clk.Now})
	ctx := context.Background()
	due := clk.Now().Add(7 * time.Hour) // 16:00 in Vienna, not the end of the day a date input means
	tk, err := s.svc.CreateTicket(ctx, s.actor(t, requesterEmail), desk.NewTicket{Queue: "Servicedesk", Subject: "Beamer", Description: "x", Due: &due, Channel: ticket.ChannelWeb})
	if err != nil {
		t.Fatal(err)
	}
	clk.Add(3 * 24 * time.Hour)
	anton := s.signedIn(t, agentEmail)
	path := "/tickets/" + strconv.FormatInt(tk.Number, 10)
	page := anton.get(path).body
	field := func(re string) string {
		m := regexp.MustCompile(re).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("the edit form lacks %s\n%s", re, page)
		}
		return m[1]
	}
	shownDue, shown := field(`name="due" type="date" value="([^"]*)"`), field(`name="due_shown" value="([^"]*)"`)
	if shownDue != "2026-05-04" || shown != shownDue {
		t.Fatalf("edit form shows due %q (shown %q), want 2026-05-04", shownDue, shown)
	}
	form := url.Values{"version": {strconv.FormatInt(tk.Version, 10)}, "subject": {"Beamer in HS A"}, "priority": {"normal"},
		"due": {shownDue}, "due_shown": {shown}, "cc": {""}, "confidential_shown": {"1"}}
	if a := anton.post(path+"/edit", form); a.status != http.StatusSeeOther {
		t.Fatalf("edit of an overdue ticket: got %d, want 303\n%s", a.status, a.body)
	}
	cur, _ := s.svc.Ticket(ctx, access.System, tk.Number)
	if cur.Subject != "Beamer in HS A" || cur.Due == nil || !cur.Due.Equal(due) {
		t.Fatalf("after the edit: subject %q, due %v; want the due date %v kept", cur.Subject, cur.Due, due)
	}
	form.Set("version", strconv.FormatInt(cur.Version, 10))
	form.Set("subject", "Beamer in HS B")
	form.Set("due", "2026-05-05")
	a := anton.post(path+"/edit", form)
	if a.status != http.StatusBadRequest || !strings.Contains(a.body, "Vergangenheit") && !strings.Contains(a.body, "in the past") {
		t.Fatalf("new due date in the past: got %d, want 400 saying so\n%s", a.status, a.body)
	}
	if cur, _ := s.svc.Ticket(ctx, access.System, tk.Number); cur.Subject != "Beamer in HS A" || !cur.Due.Equal(due) {
		t.Fatalf("the refused edit saved: subject %q, due %v", cur.Subject, cur.Due)
	}
}
