package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/servus-desk/servus/internal/desk"
)

// outboxData is /admin/outbox: one page of notifications in one state.
type outboxData struct {
	Tab    string
	State  string
	States []string
	Page   *desk.OutboxPage
	Pager  adminPager
}

const adminPerPage = 50

// adminOutbox lists the outbox, newest first, filtered by state (admins
// only).
func (h *handler) adminOutbox(w http.ResponseWriter, r *http.Request, v *visit) {
	q := r.URL.Query()
	state := q.Get("state")
	if !slices.Contains(desk.OutboxStates, state) {
		state = ""
	}
	page, _ := strconv.Atoi(q.Get("page"))
	p, err := h.svc.Outbox(r.Context(), v.actor, state, max(page, 1), adminPerPage)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	keep := url.Values{}
	if state != "" {
		keep.Set("state", state)
	}
	d := &outboxData{Tab: "outbox", State: state, States: desk.OutboxStates, Page: p,
		Pager: newAdminPager("/admin/outbox", keep, p.Page, p.PerPage, p.Total)}
	h.render(w, r, v, http.StatusOK, "admin_outbox", &view{Title: v.l.T("admin.outbox"), Nav: "admin", Data: d})
}

// adminRetryMail makes a failed or dropped notification due again
// (desk.RetryMail) and goes back to the list as it was.
func (h *handler) adminRetryMail(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	if _, err := h.svc.RetryMail(r.Context(), v.actor, adminPathID(r, "id")); err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.setFlash(w, "flash.mail_retried")
	back := "/admin/outbox"
	if s := r.PostFormValue("state"); slices.Contains(desk.OutboxStates, s) {
		back += "?state=" + s
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// failedMailData is /admin/mail/failed.
type failedMailData struct {
	Tab   string
	Page  *desk.InboundPage
	Pager adminPager
}

// adminFailedMail lists the inbound messages whose processing failed
// (admins only).
func (h *handler) adminFailedMail(w http.ResponseWriter, r *http.Request, v *visit) {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	p, err := h.svc.FailedMail(r.Context(), v.actor, max(page, 1), adminPerPage)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	d := &failedMailData{Tab: "failed", Page: p, Pager: newAdminPager("/admin/mail/failed", url.Values{}, p.Page, p.PerPage, p.Total)}
	h.render(w, r, v, http.StatusOK, "admin_mail_failed", &view{Title: v.l.T("admin.failed_mail"), Nav: "admin", Data: d})
}

// adminRetryInbound processes a failed message again (desk.RetryInbound);
// the flash says whether it went through or failed again.
func (h *handler) adminRetryInbound(w http.ResponseWriter, r *http.Request, v *visit) {
	rc, err := h.svc.RetryInbound(r.Context(), v.actor, adminPathID(r, "id"))
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	if rc.Outcome == "failed" {
		h.setFlash(w, "flash.inbound_failed")
	} else {
		h.setFlash(w, "flash.inbound_done")
	}
	http.Redirect(w, r, "/admin/mail/failed", http.StatusSeeOther)
}

// adminInboundEML sends a stored message as it arrived, as a download
// (desk.InboundRaw, which audits the read).
func (h *handler) adminInboundEML(w http.ResponseWriter, r *http.Request, v *visit) {
	id := adminPathID(r, "id")
	m, rc, err := h.svc.InboundRaw(r.Context(), v.actor, id)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	defer rc.Close()
	hd := w.Header()
	hd.Set("Content-Type", "message/rfc822")
	hd.Set("Content-Disposition", "attachment; filename=\"mail-"+strconv.FormatInt(id, 10)+".eml\"")
	hd.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	hd.Set("Content-Length", strconv.FormatInt(m.Size, 10))
	hd.Set("Cache-Control", "private, no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	copyBody(w, rc)
}
