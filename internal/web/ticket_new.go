package web

import (
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/errtext"
	"github.com/servus-desk/servus/internal/ticket"
)

// newTicketData is the new-ticket form and what was typed into it.
type newTicketData struct {
	Queues       []*ticket.Queue
	Queue        string
	Subject      string
	Description  string
	Priority     string
	Due          string
	Confidential string // "", "yes" or "no"
	Requester    string
	Channel      string
	NewRequester bool // the requester's address is not known yet: ask before creating them
	Today        string
	MaxFile      string // the largest file, as the page's language writes it
	Priorities   []ticket.Priority
	Channels     []ticket.Channel
	// Members are the institute's members an IT delegate (not staff) may
	// open a ticket for.
	Members []*ticket.OrgMember
}

// formChannels are the channels an agent may record for a ticket opened on
// someone's behalf, the most common first. A ticket staff open for
// themselves came by web.
var formChannels = []ticket.Channel{ticket.ChannelPhone, ticket.ChannelInPerson, ticket.ChannelMail, ticket.ChannelWeb}

func (h *handler) newTicketView(r *http.Request, v *visit, d *newTicketData) (*view, error) {
	qs, err := h.svc.Queues(r.Context(), v.actor)
	if err != nil {
		return nil, err
	}
	d.Queues, d.Priorities, d.Channels = qs, ticket.Priorities, formChannels
	if !v.actor.Staff() && v.actor.DelegateOf != 0 {
		if d.Members, err = h.svc.InstituteMembers(r.Context(), v.actor); err != nil {
			return nil, err
		}
	}
	d.Today = v.l.DateInput(h.now())
	d.MaxFile = v.l.Bytes(h.svc.MaxAttachment())
	if d.Queue == "" {
		for _, q := range qs {
			if q.Default {
				d.Queue = q.Name
			}
		}
	}
	if d.Priority == "" {
		d.Priority = string(ticket.PriorityNormal)
	}
	return &view{Title: v.l.T("new.title"), Nav: "new", Data: d}, nil
}

// newTicketForm shows the direct new-ticket form; ?queue= preselects a
// queue.
func (h *handler) newTicketForm(w http.ResponseWriter, r *http.Request, v *visit) {
	vw, err := h.newTicketView(r, v, &newTicketData{Queue: r.URL.Query().Get("queue")})
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.render(w, r, v, http.StatusOK, "ticket_new", vw)
}

// createTicket opens the ticket with the files sent with it (one step in
// desk: all or nothing) and shows it. A problem shows the form again, with
// what was typed.
func (h *handler) createTicket(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	d := &newTicketData{
		Queue: r.PostFormValue("queue"), Subject: r.PostFormValue("subject"), Description: r.PostFormValue("description"),
		Priority: r.PostFormValue("priority"), Due: r.PostFormValue("due"), Confidential: r.PostFormValue("confidential"),
		Requester: strings.TrimSpace(r.PostFormValue("requester")), Channel: r.PostFormValue("channel"),
	}
	nt := desk.NewTicket{Queue: d.Queue, Subject: d.Subject, Description: d.Description,
		Priority: ticket.Priority(d.Priority), Channel: ticket.ChannelWeb}
	problems := ticket.Validation{}
	if d.Due != "" {
		due, err := v.l.ParseDate(d.Due)
		if err != nil {
			problems.Add("due", "problem.not_date")
		} else {
			nt.Due = &due // desk refuses one in the past
		}
	}
	switch d.Confidential {
	case "yes", "no":
		c := d.Confidential == "yes"
		nt.Confidential = &c
	}
	if v.actor.Staff() && d.Requester != "" && ticket.NormalizeEmail(d.Requester) != v.actor.Email {
		nt.Requester = d.Requester
		nt.Channel = ticket.Channel(d.Channel)
		if d.Channel == "" {
			nt.Channel = formChannels[0]
		}
		if !slices.Contains(formChannels, nt.Channel) {
			problems.Add("channel", "problem.form_channel")
		}
		// A mistyped address would silently become a new person: a new
		// requester is created only when asked for.
		if _, err := h.svc.User(r.Context(), v.actor, d.Requester); ticket.ErrorCode(err) == ticket.ENOTFOUND {
			if r.PostFormValue("new_requester") != "yes" {
				d.NewRequester = true
				problems.Add("requester", "problem.new_requester")
			}
		} else if err != nil {
			h.fail(w, r, v, err)
			return
		}
	}
	if !v.actor.Staff() && v.actor.DelegateOf != 0 && d.Requester != "" && ticket.NormalizeEmail(d.Requester) != v.actor.Email {
		nt.Requester = d.Requester // a member of the delegate's institute: desk checks
	}
	var files []*multipart.FileHeader
	if r.MultipartForm != nil {
		files = r.MultipartForm.File["files"]
	}
	// A file too large is named here, with the other problems of the form;
	// desk refuses it too, by its bytes, and then opens no ticket.
	for _, fh := range files {
		if fh.Size > h.svc.MaxAttachment() {
			problems.Add("files", "problem.file_too_large", fh.Filename, v.l.Bytes(h.svc.MaxAttachment()))
			break
		}
	}
	again := func(err error, fields map[string]bool) {
		vw, verr := h.newTicketView(r, v, d)
		if verr != nil {
			h.fail(w, r, v, verr)
			return
		}
		status, msg, f := h.errorText(r, v, err)
		if strings.HasPrefix(ticket.ErrorReason(err), "err.org.") {
			// why a delegate may not open this one: say so
			msg, f = errtext.Message(v.l.Lang, err), map[string]bool{"requester": true}
		}
		for k := range fields {
			f[k] = true
		}
		vw.Error, vw.Fields = msg, f
		h.render(w, r, v, status, "ticket_new", vw)
	}
	if len(problems) > 0 {
		again(&ticket.Error{Code: ticket.EINVALID, Reason: "err.check_fields", Fields: problems}, nil)
		return
	}
	var err error
	nt.Files, err = openFiles(files)
	defer closeFiles(nt.Files)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	t, err := h.svc.CreateTicket(r.Context(), v.actor, nt) // with its files, or nothing
	if err != nil {
		again(err, nil)
		return
	}
	h.setFlash(w, "flash.created")
	http.Redirect(w, r, ticketPath(t.Number), http.StatusSeeOther)
}

// openFiles opens the uploaded files for a new ticket, leaving out empty
// file inputs; closeFiles closes what it opened.
func openFiles(files []*multipart.FileHeader) ([]desk.NewFile, error) {
	var out []desk.NewFile
	for _, fh := range files {
		if fh.Filename == "" && fh.Size == 0 {
			continue // an empty file input
		}
		f, err := fh.Open()
		if err != nil {
			return out, err
		}
		out = append(out, desk.NewFile{Name: fh.Filename, Body: f})
	}
	return out, nil
}

func closeFiles(files []desk.NewFile) {
	for _, f := range files {
		if c, ok := f.Body.(io.Closer); ok {
			c.Close()
		}
	}
}

// attachFiles stores each uploaded file on ticket number.
func (h *handler) attachFiles(r *http.Request, v *visit, number int64, vis ticket.Visibility, files []*multipart.FileHeader) error {
	for _, fh := range files {
		if fh.Filename == "" && fh.Size == 0 {
			continue // an empty file input
		}
		f, err := fh.Open()
		if err != nil {
			return err
		}
		_, err = h.svc.AddAttachment(r.Context(), v.actor, number, ticket.ChannelWeb, fh.Filename, vis, f)
		f.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// parseForm reads a url-encoded or multipart form within the upload limit.
func (h *handler) parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 4*h.svc.MaxAttachment()+(1<<20))
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		return r.ParseMultipartForm(1 << 20)
	}
	return r.ParseForm()
}
