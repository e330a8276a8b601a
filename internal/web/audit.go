package web

import (
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// auditPerPage is how many audit rows /audit shows at once.
const auditPerPage = 50

// auditData is /audit: the filter as entered, one page of rows, the pager
// and the CSV link of the same selection.
type auditData struct {
	Form  url.Values
	Page  *desk.AuditPage
	Pager adminPager
	CSV   string
}

// audit is GET /audit (admins and auditors): the audit log, filtered by
// time (days in the person's time zone), kind of action, actor and ticket,
// newest first, paged, with a link to the same selection as CSV. Reading it
// is itself written to the log.
func (h *handler) audit(w http.ResponseWriter, r *http.Request, v *visit) {
	q := r.URL.Query()
	keep := url.Values{}
	for _, k := range []string{"action", "actor", "ticket", "after", "before"} {
		if s := q.Get(k); s != "" {
			keep.Set(k, s)
		}
	}
	d := &auditData{Form: keep}
	vw := &view{Title: v.l.T("audit.title"), Nav: "audit", Data: d}
	f, err := desk.ParseAuditFilter(q, v.l.Loc)
	if err != nil {
		h.auditFail(w, r, v, vw, err)
		return
	}
	page, _ := strconv.Atoi(q.Get("page"))
	p, err := h.svc.AuditLog(r.Context(), v.actor, f, max(page, 1), auditPerPage)
	if err != nil {
		h.auditFail(w, r, v, vw, err)
		return
	}
	d.Page = p
	d.Pager = newAdminPager("/audit", keep, p.Page, p.PerPage, p.Total)
	csvQ := url.Values{}
	for k, vs := range keep {
		csvQ[k] = vs
	}
	// The export takes days as the API does (UTC); the page sends times.
	if !f.After.IsZero() {
		csvQ.Set("after", f.After.UTC().Format("2006-01-02T15:04:05Z"))
	}
	if !f.Before.IsZero() {
		csvQ.Set("before", f.Before.UTC().Format("2006-01-02T15:04:05Z"))
	}
	d.CSV = "/audit.csv?" + csvQ.Encode()
	h.render(w, r, v, http.StatusOK, "audit", vw)
}

// auditFail shows a bad filter on the page with the form as entered, any
// other error as fail does.
func (h *handler) auditFail(w http.ResponseWriter, r *http.Request, v *visit, vw *view, err error) {
	if ticket.ErrorCode(err) != ticket.EINVALID {
		h.fail(w, r, v, err)
		return
	}
	status, msg, fields := h.errorText(r, v, err)
	vw.Error, vw.Fields = msg, fields
	h.render(w, r, v, status, "audit", vw)
}

// auditCSV is GET /audit.csv (admins and auditors): the selection of
// /audit as CSV, all of it, streamed as it is read (as the API's
// format=csv).
func (h *handler) auditCSV(w http.ResponseWriter, r *http.Request, v *visit) {
	f, err := desk.ParseAuditFilter(r.URL.Query(), v.l.Loc)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	started, err := h.svc.WriteAuditCSV(r.Context(), v.actor, f, func() io.Writer {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="audit.csv"`)
		w.WriteHeader(http.StatusOK)
		return w
	})
	if err != nil && !started {
		h.fail(w, r, v, err)
		return
	}
	if err != nil {
		h.log.ErrorContext(r.Context(), "audit export cut short", "err", err)
		panic(http.ErrAbortHandler)
	}
}

// auditSummaryData is /audit/summary: the month asked for (as entered) and
// its summary.
type auditSummaryData struct {
	Month   string
	Summary *desk.AuditSummary
	CSV     string
}

// auditSummary is GET /audit/summary?month=YYYY-MM (admins and auditors):
// the monthly summary of the audit log, the month taken in the person's
// time zone (empty: the current month), with a link to it as CSV.
func (h *handler) auditSummary(w http.ResponseWriter, r *http.Request, v *visit) {
	month := r.URL.Query().Get("month")
	d := &auditSummaryData{Month: month}
	vw := &view{Title: v.l.T("audit.summary.title"), Nav: "audit", Data: d}
	m, err := h.svc.AuditSummary(r.Context(), v.actor, month, v.l.Loc)
	if err != nil {
		if ticket.ErrorCode(err) != ticket.EINVALID {
			h.fail(w, r, v, err)
			return
		}
		status, msg, fields := h.errorText(r, v, err)
		vw.Error, vw.Fields = msg, fields
		h.render(w, r, v, status, "audit_summary", vw)
		return
	}
	d.Month, d.Summary = m.Month, m
	d.CSV = "/audit/summary.csv?" + url.Values{"month": {m.Month}}.Encode()
	h.render(w, r, v, http.StatusOK, "audit_summary", vw)
}

// auditSummaryCSV is GET /audit/summary.csv?month=YYYY-MM: the summary of
// /audit/summary as CSV (the month in the person's time zone).
func (h *handler) auditSummaryCSV(w http.ResponseWriter, r *http.Request, v *visit) {
	m, err := h.svc.AuditSummary(r.Context(), v.actor, r.URL.Query().Get("month"), v.l.Loc)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="audit-summary-`+m.Month+`.csv"`)
	w.WriteHeader(http.StatusOK)
	if err := m.WriteCSV(w); err != nil {
		h.log.ErrorContext(r.Context(), "audit summary cut short", "err", err)
	}
}
