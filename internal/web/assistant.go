package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// The new-ticket assistant for requesters, in three steps that work
// without JavaScript:
//
//  1. GET /tickets/new/assistant?node=ID: choose, from the top level down
//     through menus (links, with breadcrumbs) to a leaf;
//  2. the leaf's page: its extra fields and free text, posted with
//     step=review;
//  3. the review: the ticket as it will be made, the values in hidden
//     fields, files to attach, and step=submit (or step=edit to go back).
//
// Files are chosen in step 3 only, right before the one request that
// creates the ticket: a browser never fills a file input again, so a file
// chosen on an earlier page would be gone by the next one, and servus keeps
// no uploads between requests. A post that carries files but does not
// create the ticket (step=edit, or refused fields) names them on the page
// it shows, so that nobody believes them attached.
//
// A request must say something beyond the path it was chosen by: the free
// text or at least one extra field (the description always holds the path,
// so desk's check for an empty description never fires here).
//
// A leaf that points to another application (software orders, firewall
// requests, ...) shows its help text and a link there in step 2, and no
// form: desk refuses to draft a ticket from it, so a forged post makes
// none either.
//
// Hidden fields are never trusted: every post is checked again against the
// current tree by desk.DraftAssistantTicket; the queue comes from the leaf,
// never from the form.

// crumb is one step of the breadcrumbs.
type crumb struct {
	ID    int64
	Title string
}

// choice is one entry of a menu.
type choice struct {
	ID    int64
	Title string
	Help  string
	Leaf  bool
	Link  bool // a leaf that leads to another application
	Count int  // a menu's entries
}

// assistField is one extra field as a form shows it.
type assistField struct {
	Name     string
	Label    string
	Help     string
	Required bool
	Textarea bool
	Value    string
	Bad      bool
}

// assistantData is what assistant.html gets.
type assistantData struct {
	Step    int
	Crumbs  []crumb // the way down to the current menu or leaf
	Title   string  // of the current menu or leaf ("" at the top)
	Help    string
	Choices []choice // step 1
	Leaf    int64    // steps 2 and 3
	Fields  []assistField
	Text    string
	Queue   string // step 3
	Subject string
	Body    string
	MaxFile string // the size limit of one attachment, as the hints name it
	Lost    string // names of files posted with a request that did not create the ticket
	AnyOne  bool   // the leaf has fields, none required: any of them or the text will do
	Link    string // a leaf that points to another application: its address; no form then
}

func (h *handler) assistantData(v *visit, t *desk.AssistantTree, node int64) *assistantData {
	lang := v.l.Lang
	d := &assistantData{Step: 1, MaxFile: v.l.Bytes(h.svc.MaxAttachment())}
	for _, n := range t.Path(node) {
		d.Crumbs = append(d.Crumbs, crumb{n.ID, n.Title(lang)})
	}
	if n := t.Node(node); n != nil {
		d.Title, d.Help = n.Title(lang), n.Help(lang)
		if n.Leaf && n.LinkURL != "" { // for these, no ticket: the help text and the link only
			d.Step, d.Link = 2, n.LinkURL
			return d
		}
		if n.Leaf {
			d.Step, d.Leaf = 2, n.ID
			for _, f := range n.Fields {
				d.Fields = append(d.Fields, assistField{Name: f.Name, Label: desk.FieldLabel(f, lang), Help: desk.FieldHelp(f, lang),
					Required: f.Required, Textarea: f.Kind == "textarea"})
			}
			d.AnyOne = len(d.Fields) > 0 && !slices.ContainsFunc(d.Fields, func(f assistField) bool { return f.Required })
			return d
		}
	}
	for _, c := range t.Children(node) {
		if c.Leaf && c.QueueID == 0 && c.LinkURL == "" {
			continue // a leaf whose queue is gone waits for an admin
		}
		d.Choices = append(d.Choices, choice{ID: c.ID, Title: c.Title(lang), Help: c.Help(lang), Leaf: c.Leaf, Link: c.LinkURL != "", Count: len(c.Children)})
	}
	return d
}

func (h *handler) assistantView(v *visit, d *assistantData) *view {
	title := v.l.T("assistant.title")
	if d.Title != "" {
		title = d.Title + " · " + title
	}
	return &view{Title: title, Nav: "new", Data: d}
}

// postedFiles returns the names of the files a multipart post carries.
func postedFiles(r *http.Request) []string {
	if r.MultipartForm == nil {
		return nil
	}
	var names []string
	for _, fh := range r.MultipartForm.File["files"] {
		if fh.Filename != "" {
			names = append(names, fh.Filename)
		}
	}
	return names
}

// assistantForm is steps 1 and 2.
func (h *handler) assistantForm(w http.ResponseWriter, r *http.Request, v *visit) {
	t, err := h.svc.AssistantTree(r.Context(), v.actor)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	var node int64
	if s := r.URL.Query().Get("node"); s != "" {
		node, err = strconv.ParseInt(s, 10, 64)
		if n := t.Node(node); err != nil || n == nil || (n.Leaf && n.QueueID == 0 && n.LinkURL == "") {
			h.renderError(w, r, v, http.StatusNotFound, "error.not_found")
			return
		}
	}
	h.render(w, r, v, http.StatusOK, "assistant", h.assistantView(v, h.assistantData(v, t, node)))
}

// assistantPost is steps 2 and 3: step=review shows the review, step=edit
// goes back to the fields, step=submit creates the ticket.
func (h *handler) assistantPost(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	leaf, err := strconv.ParseInt(r.PostFormValue("leaf"), 10, 64)
	if err != nil {
		h.renderError(w, r, v, http.StatusNotFound, "error.not_found")
		return
	}
	req := desk.AssistantRequest{Leaf: leaf, Text: r.PostFormValue("text"), Lang: v.l.Lang, Values: map[string]string{}}
	for k, vs := range r.PostForm {
		if name, ok := strings.CutPrefix(k, "f_"); ok && len(vs) > 0 {
			req.Values[name] = vs[0]
		}
	}
	step := r.PostFormValue("step")
	draft, err := h.svc.DraftAssistantTicket(r.Context(), v.actor, req)
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		h.renderError(w, r, v, http.StatusNotFound, "error.not_found")
		return
	}
	if err != nil && draft == nil {
		h.fail(w, r, v, err)
		return
	}
	t, terr := h.svc.AssistantTree(r.Context(), v.actor)
	if terr != nil {
		h.fail(w, r, v, terr)
		return
	}
	d := h.assistantData(v, t, leaf)
	d.Text, d.Lost = req.Text, strings.Join(postedFiles(r), ", ") // shown unless the ticket is made
	for i := range d.Fields {
		d.Fields[i].Value = draft.Values[d.Fields[i].Name]
	}
	vw := h.assistantView(v, d)
	if err != nil { // missing or bad fields: back to step 2
		var bad []string
		vw.Fields = map[string]bool{}
		for i, f := range d.Fields {
			if _, ok := ticket.ErrorFields(err)["f_"+f.Name]; ok {
				d.Fields[i].Bad, vw.Fields["f_"+f.Name] = true, true
				bad = append(bad, f.Label)
			}
		}
		vw.Error = v.l.T("error.invalid_fields", strings.Join(bad, ", "))
		if len(bad) == 0 {
			vw.Error = v.l.T("error.invalid")
		}
		h.render(w, r, v, http.StatusBadRequest, "assistant", vw)
		return
	}
	if step == "edit" {
		h.render(w, r, v, http.StatusOK, "assistant", vw)
		return
	}
	if !saysSomething(req.Text, draft.Values) {
		vw.Error, vw.Fields = v.l.T("assistant.need_input"), map[string]bool{"text": true}
		if len(d.Fields) == 0 {
			vw.Error = v.l.T("assistant.need_text")
		}
		h.render(w, r, v, http.StatusBadRequest, "assistant", vw)
		return
	}
	switch step {
	case "review":
		d.Step, d.Queue, d.Subject, d.Body = 3, draft.Ticket.Queue, draft.Ticket.Subject, draft.Ticket.Description
		h.render(w, r, v, http.StatusOK, "assistant", vw)
		return
	case "submit":
	default:
		h.fail(w, r, v, ticket.E(ticket.EINVALID, "err.assistant.unknown_step"))
		return
	}
	if r.MultipartForm != nil {
		draft.Ticket.Files, err = openFiles(r.MultipartForm.File["files"])
		defer closeFiles(draft.Ticket.Files)
		if err != nil {
			h.fail(w, r, v, err)
			return
		}
	}
	tk, err := h.svc.CreateTicket(r.Context(), v.actor, draft.Ticket) // with its files, or nothing
	if err != nil {
		status, msg, fields := h.errorText(r, v, err)
		if fields["description"] {
			vw.Fields = map[string]bool{"text": true}
		}
		vw.Error = msg
		h.render(w, r, v, status, "assistant", vw)
		return
	}
	h.setFlash(w, "flash.created")
	http.Redirect(w, r, ticketPath(tk.Number), http.StatusSeeOther)
}

// saysSomething reports whether a request gives more than its path: free
// text, or a value in at least one of the leaf's fields.
func saysSomething(text string, values map[string]string) bool {
	if strings.TrimSpace(text) != "" {
		return true
	}
	for _, val := range values {
		if val != "" {
			return true
		}
	}
	return false
}
