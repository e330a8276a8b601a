package api

import (
	"io"
	"net/http"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// auditItem is one row of the audit log as the API shows it.
type auditItem struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Ticket int64     `json:"ticket,omitempty"`
	Detail string    `json:"detail"`
}

// listAudit is GET /api/v1/audit?action=&actor=&ticket=&after=&before=&page=&per_page=
// (admins and auditors): the audit log, newest first, as {items, total,
// page, per_page}; with format=csv the whole selection as CSV, streamed as
// it is read. Days (YYYY-MM-DD) are taken in UTC. Every call is itself
// written to the log (audit.read).
func (h *handler) listAudit(w http.ResponseWriter, r *http.Request, a access.Actor) {
	q := r.URL.Query()
	v := ticket.Validation{}
	page, perPage := parsePaging(q, v)
	format := q.Get("format")
	if format != "" && format != "json" && format != "csv" {
		v.Add("format", "problem.one_of", "json, csv")
	}
	if err := v.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	f, err := desk.ParseAuditFilter(q, time.UTC)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if format == "csv" {
		h.auditCSV(w, r, a, f)
		return
	}
	p, err := h.svc.AuditLog(r.Context(), a, f, page, perPage)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := struct {
		Items   []auditItem `json:"items"`
		Total   int         `json:"total"`
		Page    int         `json:"page"`
		PerPage int         `json:"per_page"`
	}{Items: make([]auditItem, 0, len(p.Items)), Total: p.Total, Page: p.Page, PerPage: p.PerPage}
	for _, e := range p.Items {
		out.Items = append(out.Items, auditItem{At: e.At, Actor: e.Actor, Action: e.Action, Ticket: e.Ticket, Detail: e.Detail})
	}
	h.writeJSON(w, r, http.StatusOK, out)
}

// auditCSV answers with the audit log f selects as CSV, streamed as it is
// read. A failure before the first byte is a problem; one after it aborts
// the response, so that no client takes a cut body for the whole log.
func (h *handler) auditCSV(w http.ResponseWriter, r *http.Request, a access.Actor, f desk.AuditFilter) {
	started, err := h.svc.WriteAuditCSV(r.Context(), a, f, func() io.Writer {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="audit.csv"`)
		w.WriteHeader(http.StatusOK)
		return w
	})
	if err != nil && !started {
		h.fail(w, r, err)
		return
	}
	if err != nil {
		h.log.ErrorContext(r.Context(), "audit export cut short", "err", err)
		panic(http.ErrAbortHandler)
	}
}

// auditSummaryJSON is the monthly summary of the audit log as the API
// shows it.
type auditSummaryJSON struct {
	Month             string           `json:"month"`
	Zone              string           `json:"zone"`
	From              time.Time        `json:"from"`
	Before            time.Time        `json:"before"`
	Total             int              `json:"total"`
	Actions           []auditCountJSON `json:"actions"`
	ConfidentialReads []auditReadsJSON `json:"confidential_reads"`
	AdminChanges      []auditItem      `json:"admin_changes"`
	SignIn            auditSignInJSON  `json:"sign_in"`
}

type auditCountJSON struct {
	Action string `json:"action"`
	Queue  string `json:"queue,omitempty"`
	Count  int    `json:"count"`
}

type auditReadsJSON struct {
	Queue   string `json:"queue"`
	Tickets int    `json:"tickets"`
	Files   int    `json:"files"`
	Mail    int    `json:"mail"`
}

type auditSignInJSON struct {
	Failures int `json:"failures"`
	Limited  int `json:"limited"`
}

// auditSummary is GET /api/v1/audit/summary?month=YYYY-MM[&format=csv]
// (admins and auditors): the monthly summary of the audit log, the month
// taken in UTC (empty: the current one). Every call is written to the log
// (audit.read).
func (h *handler) auditSummary(w http.ResponseWriter, r *http.Request, a access.Actor) {
	q := r.URL.Query()
	format := q.Get("format")
	if format != "" && format != "json" && format != "csv" {
		v := ticket.Validation{}
		v.Add("format", "problem.one_of", "json, csv")
		h.fail(w, r, v.Err())
		return
	}
	m, err := h.svc.AuditSummary(r.Context(), a, q.Get("month"), time.UTC)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if format == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="audit-summary-`+m.Month+`.csv"`)
		w.WriteHeader(http.StatusOK)
		if err := m.WriteCSV(w); err != nil {
			h.log.ErrorContext(r.Context(), "audit summary cut short", "err", err)
		}
		return
	}
	out := auditSummaryJSON{Month: m.Month, Zone: m.Zone, From: m.From, Before: m.Before, Total: m.Total,
		Actions: make([]auditCountJSON, 0, len(m.Actions)), ConfidentialReads: make([]auditReadsJSON, 0, len(m.ConfidentialReads)),
		AdminChanges: make([]auditItem, 0, len(m.AdminChanges)), SignIn: auditSignInJSON{Failures: m.SignInFailures, Limited: m.SignInsLimited}}
	for _, c := range m.Actions {
		out.Actions = append(out.Actions, auditCountJSON{Action: c.Action, Queue: c.Queue, Count: c.Count})
	}
	for _, c := range m.ConfidentialReads {
		out.ConfidentialReads = append(out.ConfidentialReads, auditReadsJSON{Queue: c.Queue, Tickets: c.Tickets, Files: c.Files, Mail: c.Mail})
	}
	for _, e := range m.AdminChanges {
		out.AdminChanges = append(out.AdminChanges, auditItem{At: e.At, Actor: e.Actor, Action: e.Action, Ticket: e.Ticket, Detail: e.Detail})
	}
	h.writeJSON(w, r, http.StatusOK, out)
}
