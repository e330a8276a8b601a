package api

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/mail"
	"github.com/servus-desk/servus/internal/ticket"
)

// mailTypes are the body types POST /api/v1/mail takes; a body without a
// Content-Type is read as message/rfc822 too.
var mailTypes = map[string]bool{"message/rfc822": true, "application/octet-stream": true, "text/plain": true}

// postMail is POST /api/v1/mail (admins): one raw message (message/rfc822)
// into the inbound path, ?to=ADDRESS naming the recipient → 200 with
// {outcome, ticket?, entry?, error?, inbound}: every stored message answers
// 200, also when processing failed (outcome "failed": it waits in the
// failed-mail list).
func (h *handler) postMail(w http.ResponseWriter, r *http.Request, a access.Actor) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || !mailTypes[mt] {
			h.fail(w, r, &statusError{status: http.StatusUnsupportedMediaType, code: "unsupported_media_type",
				detail: fmt.Sprintf("Content-Type %q is not supported here; send the raw mail as message/rfc822.", ct)})
			return
		}
	}
	body := http.MaxBytesReader(w, r.Body, mail.MaxSize)
	rc, err := h.svc.UploadMail(r.Context(), a, body, r.URL.Query().Get("to"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, rc)
}

// listFailedMail is GET /api/v1/mail/failed?page=&per_page= (admins): the
// messages whose processing failed, newest first, {items, total, page,
// per_page}.
func (h *handler) listFailedMail(w http.ResponseWriter, r *http.Request, a access.Actor) {
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	perPage, _ := strconv.Atoi(q.Get("per_page"))
	p, err := h.svc.FailedMail(r.Context(), a, page, perPage)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, p)
}

// inboundID reads the {id} of a stored message; ENOTFOUND when malformed.
func inboundID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, ticket.E(ticket.ENOTFOUND, "err.api.message_not_found")
	}
	return id, nil
}

// getMail is GET /api/v1/mail/{id} (admins): one stored message's record.
func (h *handler) getMail(w http.ResponseWriter, r *http.Request, a access.Actor) {
	id, err := inboundID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m, err := h.svc.InboundMessage(r.Context(), a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, m)
}

// getMailRaw is GET /api/v1/mail/{id}/eml (admins): the message as
// received.
func (h *handler) getMailRaw(w http.ResponseWriter, r *http.Request, a access.Actor) {
	id, err := inboundID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m, rc, err := h.svc.InboundRaw(r.Context(), a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	defer rc.Close()
	h.writeEML(w, r, fmt.Sprintf("mail-%d.eml", m.ID), m.Size, rc)
}

// retryInbound is POST /api/v1/mail/{id}/retry (admins): process a failed
// message again → 200 with its receipt; 409 when it was processed already.
func (h *handler) retryInbound(w http.ResponseWriter, r *http.Request, a access.Actor) {
	id, err := inboundID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rc, err := h.svc.RetryInbound(r.Context(), a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, rc)
}

// getEntryMail is GET /api/v1/tickets/{number}/entries/{id}/eml: the
// original mail an entry came from, to whoever sees the entry; 404
// otherwise, and for entries that did not come by mail.
func (h *handler) getEntryMail(w http.ResponseWriter, r *http.Request, a access.Actor) {
	number, err := ticketNumber(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.fail(w, r, ticket.E(ticket.ENOTFOUND, "err.api.entry_not_found"))
		return
	}
	m, rc, err := h.svc.EntryMail(r.Context(), a, number, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	defer rc.Close()
	h.writeEML(w, r, fmt.Sprintf("ticket-%d-entry-%d.eml", number, id), m.Size, rc)
}

// writeEML sends a stored mail as a download.
func (h *handler) writeEML(w http.ResponseWriter, r *http.Request, name string, size int64, rc io.Reader) {
	// Not seekable here on purpose: a whole mail, no ranges.
	h.writeDownload(w, r, name, "message/rfc822", size, time.Time{}, struct{ io.Reader }{rc})
}
