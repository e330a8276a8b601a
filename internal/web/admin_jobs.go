package web

import (
	"net/http"
	"time"

	"github.com/servus-desk/servus/internal/desk"
)

// jobsData is the job list with the time it was read.
type jobsData struct {
	Jobs []*desk.JobStatus
	Now  time.Time
}

// adminJobs lists the background jobs with their schedule and last
// outcome (desk.Jobs).
func (h *handler) adminJobs(w http.ResponseWriter, r *http.Request, v *visit) {
	jobs, err := h.svc.Jobs(r.Context(), v.actor)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.render(w, r, v, http.StatusOK, "admin_jobs", &view{Title: v.l.T("jobs.title"), Nav: "admin", Data: &jobsData{Jobs: jobs, Now: time.Now()}})
}
