package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// adminQueuesData is /admin/queues: every queue with its address, flags
// and members, the new-queue form and the add-member form as typed.
type adminQueuesData struct {
	Tab          string
	Queues       []*ticket.Queue
	Staff        []*ticket.User // who can become a member
	Names        map[string]string
	Disabled     map[string]bool // by e-mail
	New          desk.NewQueue
	MemberQueue  string
	MemberEmail  string
	MemberFailed bool
}

// adminQueues lists the queues (admins only).
func (h *handler) adminQueues(w http.ResponseWriter, r *http.Request, v *visit) {
	h.renderAdminQueues(w, r, v, http.StatusOK, "", nil, &adminQueuesData{})
}

// adminCreateQueue creates a queue from the form.
func (h *handler) adminCreateQueue(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	nq := desk.NewQueue{Name: r.PostFormValue("name"), Address: strings.TrimSpace(r.PostFormValue("address")),
		Default: r.PostFormValue("default") != "", Confidential: r.PostFormValue("confidential") != ""}
	if _, err := h.svc.CreateQueue(r.Context(), v.actor, nq); err != nil {
		h.adminFormFailed(w, r, v, err, func(status int, msg string, fields map[string]bool) {
			d := &adminQueuesData{New: nq}
			h.renderAdminQueues(w, r, v, status, msg, fields, d)
		})
		return
	}
	h.setFlash(w, "flash.queue_created")
	http.Redirect(w, r, "/admin/queues", http.StatusSeeOther)
}

// adminAddMember makes a person a member of a queue.
func (h *handler) adminAddMember(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	queue, email := r.PostFormValue("queue"), r.PostFormValue("email")
	// The form on a queue's own page comes back there.
	back := "/admin/queues"
	if id, err := strconv.ParseInt(r.PostFormValue("back"), 10, 64); err == nil && id > 0 {
		back = "/admin/queues/" + strconv.FormatInt(id, 10)
	}
	if err := h.svc.AddQueueMember(r.Context(), v.actor, queue, email); err != nil {
		h.adminFormFailed(w, r, v, err, func(status int, msg string, fields map[string]bool) {
			d := &adminQueuesData{MemberQueue: queue, MemberEmail: email, MemberFailed: true}
			h.renderAdminQueues(w, r, v, status, msg, fields, d)
		})
		return
	}
	h.setFlash(w, "flash.member_added")
	http.Redirect(w, r, back, http.StatusSeeOther)
}

func (h *handler) renderAdminQueues(w http.ResponseWriter, r *http.Request, v *visit, status int, msg string, fields map[string]bool, d *adminQueuesData) {
	var err error
	if d.Queues, err = h.svc.Queues(r.Context(), v.actor); err != nil {
		h.fail(w, r, v, err)
		return
	}
	users, err := h.svc.Users(r.Context(), v.actor, 0, 0)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	d.Tab, d.Names, d.Disabled = "queues", map[string]string{}, map[string]bool{}
	for _, u := range users.Items {
		d.Names[u.Email] = u.Name
		d.Disabled[u.Email] = u.Disabled
		if u.Role.Staff() && !u.Disabled {
			d.Staff = append(d.Staff, u)
		}
	}
	h.render(w, r, v, status, "admin_queues", &view{Title: v.l.T("admin.queues"), Nav: "admin", Error: msg, Fields: fields, Data: d})
}

// adminFormFailed answers a failed admin form: internal errors as an error
// page, everything else by showing the form again through again;
// an unknown name or a taken one is the admin's input, so 422.
func (h *handler) adminFormFailed(w http.ResponseWriter, r *http.Request, v *visit, err error, again func(status int, msg string, fields map[string]bool)) {
	status, msg, fields := h.errorText(r, v, err)
	if status == http.StatusInternalServerError {
		h.fail(w, r, v, err)
		return
	}
	if status == http.StatusNotFound || status == http.StatusConflict {
		msg = v.l.T("admin.unknown") // an unknown queue or person, as typed
		if status == http.StatusConflict {
			msg = v.l.T("admin.taken")
		}
		status = http.StatusUnprocessableEntity
	}
	again(status, msg, fields)
}
