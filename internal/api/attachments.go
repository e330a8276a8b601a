package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/ticket"
)

// listAttachments is GET /api/v1/tickets/{number}/attachments:
// {items: [attachment…]}, the ones the caller may see.
func (h *handler) listAttachments(w http.ResponseWriter, r *http.Request, a access.Actor) {
	number, err := ticketNumber(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	as, err := h.svc.Attachments(r.Context(), a, number)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, list[attachmentJSON]{Items: h.attachmentViews(number, as)})
}

// uploadAttachments is POST /api/v1/tickets/{number}/attachments with a
// multipart/form-data body: one or more "file" parts and an optional
// "visibility" (public, staff or queue) that applies to the files after it;
// ?visibility= sets it for the whole request. Each file is streamed into
// the desk as it arrives, nothing is buffered; the answer is 201 with
// {items: [attachment…]}, always a list. A file beyond the desk's limit, or
// a body beyond it plus multipart overhead, is 413. Files stored before a
// failing part stay stored.
func (h *handler) uploadAttachments(w http.ResponseWriter, r *http.Request, a access.Actor) {
	number, err := ticketNumber(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		h.fail(w, r, &statusError{
			status: http.StatusUnsupportedMediaType,
			code:   "unsupported_media_type",
			detail: "Upload files as multipart/form-data with a part named \"file\".",
		})
		return
	}
	vis := ticket.Visibility(r.URL.Query().Get("visibility"))
	if vis != "" && !vis.Valid() {
		h.fail(w, r, invalidField("visibility", "problem.api_visibility"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, h.svc.MaxAttachment()+multipartOverhead)
	mr, err := r.MultipartReader()
	if err != nil {
		h.fail(w, r, ticket.E(ticket.EINVALID, "err.api.multipart", err))
		return
	}
	created := []attachmentJSON{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			h.fail(w, r, multipartError(err))
			return
		}
		switch part.FormName() {
		case "visibility":
			if len(created) > 0 {
				h.fail(w, r, invalidField("visibility", "problem.visibility_first"))
				return
			}
			b, err := io.ReadAll(io.LimitReader(part, 64))
			if err != nil {
				h.fail(w, r, multipartError(err))
				return
			}
			vis = ticket.Visibility(b)
			if !vis.Valid() {
				h.fail(w, r, invalidField("visibility", "problem.api_visibility"))
				return
			}
		case "file":
			if part.FileName() == "" {
				h.fail(w, r, invalidField("file", "problem.file_part"))
				return
			}
			body := &errReader{r: part}
			att, err := h.svc.AddAttachment(r.Context(), a, number, ticket.ChannelAPI, part.FileName(), vis, body)
			if body.err != nil && !errors.Is(body.err, io.EOF) {
				err = multipartError(body.err)
			}
			if err != nil {
				h.fail(w, r, err)
				return
			}
			created = append(created, h.attachmentView(number, att))
		default:
			h.fail(w, r, invalidField(part.FormName(), "problem.unknown_part"))
			return
		}
		part.Close()
	}
	if len(created) == 0 {
		h.fail(w, r, invalidField("file", "problem.files_required"))
		return
	}
	h.writeJSON(w, r, http.StatusCreated, list[attachmentJSON]{Items: created})
}

// errReader remembers the first error its reader returned, so that a body
// limit hit inside the desk still answers 413 however the desk wraps it.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && e.err == nil {
		e.err = err
	}
	return n, err
}

// multipartError is a body limit (413) or a broken multipart body (400).
func multipartError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return ticket.E(ticket.ETOOLARGE, "err.api.upload_too_large", mbe.Limit)
	}
	return ticket.E(ticket.EINVALID, "err.api.multipart", err)
}

// invalidField is an EINVALID error about one field: the problem reason
// and its arguments, which the message repeats ("Field due must be …").
func invalidField(field, reason string, args ...any) error {
	return ticket.E(ticket.EINVALID, "err.api.field", field, ticket.Problem{Reason: reason, Args: args}).
		Field(field, reason, args...)
}

// downloadAttachment is GET /api/v1/tickets/{number}/attachments/{id}: the
// bytes with their sniffed type, always as a download, sandboxed and never
// sniffed again by the browser. Range requests work where the blob store
// gives a seekable file.
func (h *handler) downloadAttachment(w http.ResponseWriter, r *http.Request, a access.Actor) {
	number, err := ticketNumber(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.fail(w, r, ticket.E(ticket.ENOTFOUND, "err.attachment.not_found"))
		return
	}
	att, rc, err := h.svc.OpenAttachment(r.Context(), a, number, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	defer rc.Close()
	h.writeDownload(w, r, att.Name, att.ContentType, att.Size, att.CreatedAt, rc)
}

// writeDownload sends stored bytes as a download: never shown inline,
// sandboxed, never sniffed again by the browser, not cached by proxies.
// Range requests work where rc can seek.
func (h *handler) writeDownload(w http.ResponseWriter, r *http.Request, name, contentType string, size int64, modtime time.Time, rc io.Reader) {
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": name})
	if disposition == "" {
		disposition = "attachment"
	}
	hd := w.Header()
	hd.Set("Content-Type", contentType)
	hd.Set("Content-Disposition", disposition)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "sandbox")
	hd.Set("Cache-Control", "private, no-store")
	if rs, ok := rc.(io.ReadSeeker); ok {
		http.ServeContent(w, r, "", modtime, rs)
		return
	}
	hd.Set("Content-Length", strconv.FormatInt(size, 10))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	if _, err := io.Copy(w, rc); err != nil {
		h.log.WarnContext(r.Context(), "api: download broke off",
			"method", r.Method, "path", r.URL.Path, "err", err)
	}
}
