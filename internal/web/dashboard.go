package web

import (
	"net/http"
)

// dashboard is "/": a requester's tickets, or an agent's work.
func (h *handler) dashboard(w http.ResponseWriter, r *http.Request, v *visit) {
	if v.actor.Auditor() { // an auditor's start is the audit log: they see no tickets
		http.Redirect(w, r, "/audit", http.StatusSeeOther)
		return
	}
	d, err := h.svc.Dashboard(r.Context(), v.actor, 8)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	data, err := h.withFilters(r, v, d) // saved filters: filters.go
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	out := &agentDashboard{dashboardData: data, QueuePaths: map[string]string{}}
	for _, q := range d.Queues {
		out.QueuePaths[q.Queue.Name] = queuePath(q.Queue.Name)
	}
	h.render(w, r, v, http.StatusOK, "dashboard", &view{Title: v.l.T("dashboard.title"), Nav: "dashboard", Data: out})
}

// agentDashboard is the dashboard with the views of the agent's queues
// (queue name → path).
type agentDashboard struct {
	*dashboardData
	QueuePaths map[string]string
}
