package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/i18n"
	"github.com/servus-desk/servus/internal/ticket"
)

// The admin's editor of the new-ticket assistant at /admin/assistant: the
// tree as nested lists, and plain forms to add, edit, move (up, down, or to
// another menu) and delete nodes. Anyone but an admin gets a 404 page.

// adminRow is one node of the editor's list.
type adminRow struct {
	ID       int64
	ParentID int64
	Title    string // in the admin's language
	Other    string // in the other language
	Leaf     bool
	Queue    string
	NoQueue  bool   // a leaf whose queue is gone
	Link     string // a leaf that points to another application
	Subject  string
	Fields   int
	Up, Down int // positions to move to; -1 when it cannot move that way
	Children adminRows
}

// adminRows are the rows of one level, with the texts for the template's
// recursion.
type adminRows struct {
	L     *i18n.Localizer
	Items []*adminRow
}

// menuOption is a menu a node may be put in.
type menuOption struct {
	ID    int64
	Title string
	Depth int
}

// nodeForm is the add or edit form, with what was typed.
type nodeForm struct {
	ID       int64 // 0 when adding
	ParentID int64
	Leaf     bool
	TitleDE  string
	TitleEN  string
	HelpDE   string
	HelpEN   string
	Queue    string
	Subject  string
	Fields   []desk.AssistantField
	LinkURL  string
	Menus    []menuOption
	Queues   []*ticket.Queue
}

// extraFieldRows is how many empty field rows the form offers.
const extraFieldRows = 2

// adminAssistant lists the tree.
func (h *handler) adminAssistant(w http.ResponseWriter, r *http.Request, v *visit) {
	t, err := h.svc.AssistantTree(r.Context(), v.actor)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	other := "en"
	if v.l.Lang == "en" {
		other = "de"
	}
	var rows func(ns []*desk.AssistantNode) adminRows
	rows = func(ns []*desk.AssistantNode) adminRows {
		out := adminRows{L: v.l}
		for i, n := range ns {
			row := &adminRow{ID: n.ID, ParentID: n.ParentID, Title: n.Title(v.l.Lang), Other: n.Title(other), Leaf: n.Leaf,
				Queue: n.QueueName, NoQueue: n.Leaf && n.QueueID == 0 && n.LinkURL == "", Link: n.LinkURL, Subject: n.SubjectTemplate, Fields: len(n.Fields),
				Up: i - 1, Down: i + 1, Children: rows(n.Children)}
			if i == len(ns)-1 {
				row.Down = -1
			}
			out.Items = append(out.Items, row)
		}
		return out
	}
	h.render(w, r, v, http.StatusOK, "assistant_admin", &view{Title: v.l.T("assistant.admin_title"), Nav: "admin", Data: rows(t.Roots)})
}

// renderNodeForm shows the add or edit form.
func (h *handler) renderNodeForm(w http.ResponseWriter, r *http.Request, v *visit, status int, f *nodeForm, vw *view) {
	t, err := h.svc.AssistantTree(r.Context(), v.actor)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	if f.Queues, err = h.svc.Queues(r.Context(), v.actor); err != nil {
		h.fail(w, r, v, err)
		return
	}
	t.Walk(func(n *desk.AssistantNode, depth int) {
		if n.Leaf || (f.ID != 0 && onPath(t.Path(n.ID), f.ID)) {
			return
		}
		f.Menus = append(f.Menus, menuOption{ID: n.ID, Title: strings.Repeat("— ", depth) + n.Title(v.l.Lang), Depth: depth})
	})
	for range extraFieldRows {
		f.Fields = append(f.Fields, desk.AssistantField{Kind: "text"})
	}
	vw.Data, vw.Nav = f, "admin"
	if f.ID == 0 {
		vw.Title = v.l.T("assistant.add_title")
	} else {
		vw.Title = v.l.T("assistant.edit_title")
	}
	h.render(w, r, v, status, "assistant_node", vw)
}

func onPath(path []*desk.AssistantNode, id int64) bool {
	for _, n := range path {
		if n.ID == id {
			return true
		}
	}
	return false
}

// adminAssistantNew is the form for a new node: ?parent=ID&kind=leaf|menu.
func (h *handler) adminAssistantNew(w http.ResponseWriter, r *http.Request, v *visit) {
	parent, _ := strconv.ParseInt(r.URL.Query().Get("parent"), 10, 64)
	h.renderNodeForm(w, r, v, http.StatusOK, &nodeForm{ParentID: parent, Leaf: r.URL.Query().Get("kind") == "leaf"}, &view{})
}

// adminAssistantEdit is the form for node {id}.
func (h *handler) adminAssistantEdit(w http.ResponseWriter, r *http.Request, v *visit) {
	t, err := h.svc.AssistantTree(r.Context(), v.actor)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	n := t.Node(id)
	if n == nil {
		h.renderError(w, r, v, http.StatusNotFound, "error.not_found")
		return
	}
	f := &nodeForm{ID: n.ID, ParentID: n.ParentID, Leaf: n.Leaf, TitleDE: n.TitleDE, TitleEN: n.TitleEN, HelpDE: n.HelpDE,
		HelpEN: n.HelpEN, Queue: n.QueueName, Subject: n.SubjectTemplate, Fields: append([]desk.AssistantField(nil), n.Fields...),
		LinkURL: n.LinkURL}
	h.renderNodeForm(w, r, v, http.StatusOK, f, &view{})
}

// readNodeForm reads the posted form; field rows without a name and
// labels are left out.
func readNodeForm(r *http.Request) (*nodeForm, desk.AssistantInput) {
	f := &nodeForm{Leaf: r.PostFormValue("kind") == "leaf", TitleDE: r.PostFormValue("title_de"), TitleEN: r.PostFormValue("title_en"),
		HelpDE: r.PostFormValue("help_de"), HelpEN: r.PostFormValue("help_en"), Queue: r.PostFormValue("queue"),
		Subject: r.PostFormValue("subject_template"), LinkURL: r.PostFormValue("link_url")}
	f.ParentID, _ = strconv.ParseInt(r.PostFormValue("parent"), 10, 64)
	n, _ := strconv.Atoi(r.PostFormValue("field_count"))
	for i := range min(n, 50) {
		at := func(k string) string { return strings.TrimSpace(r.PostFormValue("field_" + k + "_" + strconv.Itoa(i))) }
		fd := desk.AssistantField{Name: at("name"), LabelDE: at("label_de"), LabelEN: at("label_en"), Kind: at("kind"),
			Required: at("required") != "", HelpDE: at("help_de"), HelpEN: at("help_en")}
		if fd.Name == "" && fd.LabelDE == "" && fd.LabelEN == "" {
			continue
		}
		f.Fields = append(f.Fields, fd)
	}
	in := desk.AssistantInput{ParentID: f.ParentID, Leaf: f.Leaf, TitleDE: f.TitleDE, TitleEN: f.TitleEN, HelpDE: f.HelpDE, HelpEN: f.HelpEN}
	if f.Leaf { // a menu ignores what the leaf part of the form holds
		in.Queue, in.SubjectTemplate, in.Fields, in.LinkURL = f.Queue, f.Subject, f.Fields, f.LinkURL
	}
	return f, in
}

// adminAssistantSave creates (POST /admin/assistant/new) or changes (POST
// /admin/assistant/{id}) a node.
func (h *handler) adminAssistantSave(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, v, err)
		return
	}
	f, in := readNodeForm(r)
	var err error
	if s := r.PathValue("id"); s != "" {
		if f.ID, err = strconv.ParseInt(s, 10, 64); err != nil {
			h.renderError(w, r, v, http.StatusNotFound, "error.not_found")
			return
		}
		_, err = h.svc.UpdateAssistantNode(r.Context(), v.actor, f.ID, in)
	} else {
		_, err = h.svc.CreateAssistantNode(r.Context(), v.actor, in)
	}
	if err != nil {
		status, msg, fields := h.errorText(r, v, err) // each field's problem, once, in the page's language
		if status == http.StatusNotFound {
			h.renderError(w, r, v, status, "error.not_found")
			return
		}
		h.renderNodeForm(w, r, v, status, f, &view{Error: msg, Fields: fields})
		return
	}
	h.setFlash(w, "assistant.saved")
	http.Redirect(w, r, "/admin/assistant", http.StatusSeeOther)
}

// adminAssistantMove moves node {id} to position within parent.
func (h *handler) adminAssistantMove(w http.ResponseWriter, r *http.Request, v *visit) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	parent, _ := strconv.ParseInt(r.PostFormValue("parent"), 10, 64)
	pos, _ := strconv.Atoi(r.PostFormValue("position"))
	if err := h.svc.MoveAssistantNode(r.Context(), v.actor, id, parent, pos); err != nil {
		h.fail(w, r, v, err)
		return
	}
	http.Redirect(w, r, "/admin/assistant#node-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// adminAssistantDelete removes node {id} and everything below it.
func (h *handler) adminAssistantDelete(w http.ResponseWriter, r *http.Request, v *visit) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if r.PostFormValue("confirm") != "yes" { // a subtree goes: only when ticked
		h.fail(w, r, v, ticket.E(ticket.EINVALID, "err.not_confirmed").Field("confirm", "problem.not_ticked"))
		return
	}
	if err := h.svc.DeleteAssistantNode(r.Context(), v.actor, id); err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.setFlash(w, "assistant.deleted")
	http.Redirect(w, r, "/admin/assistant", http.StatusSeeOther)
}
