package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/i18n"
	"github.com/servus-desk/servus/internal/ticket"
)

func ticketPath(number int64) string { return "/tickets/" + strconv.FormatInt(number, 10) }

// ticketNumber reads {number} ("1234" or "#1234"); 0 when it is none.
func ticketNumber(r *http.Request) int64 {
	n, err := strconv.ParseInt(strings.TrimPrefix(r.PathValue("number"), "#"), 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// entryForm is what was typed into the ticket page's forms, kept when an
// action fails so that nothing typed is lost.
type entryForm struct {
	Kind       string
	Body       string
	Visibility string
	TimeSpent  string
	Seen       int64     // when the person loaded the page they acted on (Unix ms)
	Edit       *editForm // the edit form as sent, when saving it failed
	Module     int64     // the text module last inserted (text_modules.go)
}

// editForm is the ticket's edit form: the ticket's fields, or what was
// typed when saving failed (Kept), so that a conflict loses nothing.
type editForm struct {
	Subject, Description, Priority, Due, CC string
	Confidential                            bool
	Kept                                    bool
}

// timelineItem is one entry as the page shows it.
type timelineItem struct {
	// Entry is a named field, not embedded: the template reads its fields
	// through it directly (.Entry.Kind), where a promoted field costs
	// text/template a search through the embedded structs for every use,
	// about a sixth of the CPU of a page with 200 entries.
	Entry      *ticket.Entry
	AuthorName string
	Event      string // the sentence of an event entry
	Attachment *ticket.Attachment
	New        bool // came after the person loaded the page they acted on
	// Versions are the earlier texts of the description entry, with the
	// names of their authors.
	Versions   []versionItem
	Splittable bool   // may be chosen to split off into a new ticket
	TimeSpent  string // the minutes spent on it, written out; "" for none
}

// versionItem is an earlier text of the description as the page shows it.
type versionItem struct {
	ticket.DescriptionVersion
	AuthorName string
}

// ticketData is the ticket page.
type ticketData struct {
	*desk.TicketView
	Timeline   []timelineItem
	Form       entryForm
	Now        int64
	DueInput   string
	Priorities []ticket.Priority
	Can        map[string]bool
	Edit       editForm
	MaxFile    string // the largest file, as the page's language writes it
	Conflict   bool
	NewCount   int
	// Owner is whether the person edits as the ticket's requester (not as
	// its queue's worker): the fields a requester may change, and
	// confidentiality only one way.
	Owner        bool
	TimeSpentSum string // the minutes spent on the ticket, written out
	// Split: whether the ticket page offers to split entries off.
	Split bool
	// Modules are the text modules staff may insert into the reply,
	// filled in for this ticket; Macros those they may apply
	// (text_modules.go).
	Modules []desk.RenderedModule
	Macros  []*ticket.Macro
}

// showTicket is the ticket page; a ticket the person may not see is 404.
func (h *handler) showTicket(w http.ResponseWriter, r *http.Request, v *visit) {
	h.showTicketWith(w, r, v, ticketNumber(r), http.StatusOK, "", nil)
}

// showTicketWith renders the ticket page with status, an error message and
// the form as typed (nil for empty forms).
func (h *handler) showTicketWith(w http.ResponseWriter, r *http.Request, v *visit, number int64, status int, msg string, form *entryForm) {
	if number == 0 {
		h.renderError(w, r, v, http.StatusNotFound, "error.not_found")
		return
	}
	tv, err := h.svc.TicketView(r.Context(), v.actor, number)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	d := &ticketData{TicketView: tv, Now: h.now().UnixMilli(), Priorities: ticket.Priorities, Can: map[string]bool{},
		MaxFile: v.l.Bytes(h.svc.MaxAttachment())}
	for act, ok := range tv.Can {
		d.Can[string(act)] = ok
	}
	if form != nil {
		d.Form = *form
	}
	if d.Form.Kind == "" {
		d.Form.Kind = string(ticket.KindComment)
		if d.Can[string(access.ActAnswer)] && !v.actor.Staff() {
			d.Form.Kind = string(ticket.KindAnswer)
		}
	}
	if tv.Ticket.Due != nil {
		d.DueInput = v.l.DateInput(*tv.Ticket.Due)
	}
	if form != nil && form.Edit != nil {
		d.Edit = *form.Edit
		d.Edit.Kept = true
	} else {
		t := tv.Ticket
		d.Edit = editForm{Subject: t.Subject, Priority: string(t.Priority), Due: d.DueInput,
			CC: strings.Join(t.CC, ", "), Confidential: t.Confidential}
		for _, e := range tv.Entries {
			if e.ID == tv.DescriptionID {
				d.Edit.Description = e.Body
			}
		}
	}
	d.Owner = !d.Can[string(access.ActEdit)] && d.Can[string(access.ActEditOwn)]
	d.Split = d.Can[string(access.ActSplit)] && tv.Ticket.State != ticket.StateClosed
	if tv.Ticket.TimeSpent != nil && (*tv.Ticket.TimeSpent > 0 || tv.TimeSpent != ticket.TimeSpentOff) {
		d.TimeSpentSum = minutesText(v.l, *tv.Ticket.TimeSpent)
	}
	byEntry := map[int64]*ticket.Attachment{}
	for _, a := range tv.Attachments {
		byEntry[a.EntryID] = a
	}
	for _, e := range tv.Entries {
		it := timelineItem{Entry: e, AuthorName: displayName(v.l, tv.Names, e.Author), Attachment: byEntry[e.ID]}
		if e.Kind == ticket.KindEvent {
			it.Event = eventText(v.l, tv.Names, e)
		}
		if e.ID == tv.DescriptionID {
			for _, dv := range tv.DescriptionVersions {
				it.Versions = append(it.Versions, versionItem{DescriptionVersion: dv, AuthorName: name(tv.Names, dv.Author)})
			}
		}
		it.Splittable = d.Split && e.Kind != ticket.KindEvent && e.Kind != ticket.KindDescription
		if e.TimeSpent > 0 {
			it.TimeSpent = minutesText(v.l, e.TimeSpent)
		}
		if d.Form.Seen > 0 && e.CreatedAt.UnixMilli() > d.Form.Seen {
			it.New = true
			d.NewCount++
		}
		d.Timeline = append(d.Timeline, it)
	}
	d.Conflict = status == http.StatusConflict
	if v.actor.Staff() && !v.actor.Auditor() {
		if d.Modules, err = h.svc.RenderTicketModules(r.Context(), v.actor, number, h.baseURL); err != nil {
			h.fail(w, r, v, err)
			return
		}
		if d.Macros, err = h.svc.TicketMacros(r.Context(), v.actor, number); err != nil {
			h.fail(w, r, v, err)
			return
		}
	}
	h.render(w, r, v, status, "ticket", &view{Title: tv.Ticket.Ref() + " " + tv.Ticket.Subject, Error: msg, Data: d})
}

// minutesText writes minutes as the page's language does: "45 min",
// "1 h 20 min".
func minutesText(l *i18n.Localizer, minutes int) string {
	if minutes < 60 {
		return l.T("time_spent.minutes", minutes)
	}
	return l.T("time_spent.hours", minutes/60, minutes%60)
}

// name is the display name for an e-mail, or the e-mail.
func name(names map[string]string, email string) string {
	if email == "" {
		return "servus"
	}
	if n := names[email]; n != "" {
		return n
	}
	return email
}

// eventText is the sentence for a history entry, in l's language.
func eventText(l *i18n.Localizer, names map[string]string, e *ticket.Entry) string {
	old, new := e.OldValue, e.NewValue
	switch e.Field {
	case "state":
		return l.T("event.state", l.T("state."+old), l.T("state."+new))
	case "reminder":
		switch new {
		case "sent":
			return l.T("event.reminder_sent")
		case "closed":
			return l.T("event.reminder_closed")
		case "returned":
			return l.T("event.reminder_returned")
		}
	case "close_reason":
		return l.T("event.close_reason", l.T("reason."+new))
	case "priority":
		return l.T("event.priority", l.T("priority."+old), l.T("priority."+new))
	case "assignee":
		if new == "" {
			return l.T("event.unassigned")
		}
		if new == e.Author {
			return l.T("event.took")
		}
		return l.T("event.assignee", displayName(l, names, new))
	case "queue":
		return l.T("event.queue", old, new)
	case "subject":
		if old != "" {
			return l.T("event.subject_changed", old, new)
		}
		return l.T("event.subject", new)
	case "due":
		if new == "" {
			return l.T("event.due_cleared")
		}
		if t, err := time.Parse(time.RFC3339, new); err == nil {
			return l.T("event.due", l.Date(t))
		}
	case "confidential":
		if new == "true" {
			return l.T("event.confidential_on")
		}
		return l.T("event.confidential_off")
	case "cc":
		if new == "" {
			return l.T("event.cc_cleared")
		}
		return l.T("event.cc", new)
	case "opened_by":
		return l.T("event.opened_by")
	case "link":
		if new == "" {
			return l.T("event.unlink", l.T("link."+old))
		}
		return l.T("event.link", l.T("link."+new))
	// A merge names the other ticket only to a viewer who may see it; the
	// store leaves the number out otherwise.
	case "merged_into":
		if new == "" {
			return l.T("event.merged_into_hidden")
		}
		return l.T("event.merged_into", new)
	case "merged_from":
		if new == "" {
			return l.T("event.merged_from_hidden")
		}
		return l.T("event.merged_from", new)
	case "description":
		return l.T("event.description")
	case "split_into":
		if new == "" {
			return l.T("event.split_into_hidden")
		}
		return l.T("event.split_into", new)
	case "split_from":
		if new == "" {
			return l.T("event.split_from_hidden")
		}
		return l.T("event.split_from", new)
	}
	return l.T("event.other", e.Field, old, new)
}
