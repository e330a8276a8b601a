package api

import (
	"net/http"
	"time"

	"github.com/servus-desk/servus/internal/access"
)

// jobView is one background job as GET /api/v1/jobs shows it.
type jobView struct {
	Name            string     `json:"name"`
	IntervalSeconds float64    `json:"interval_seconds"`
	NextRunAt       time.Time  `json:"next_run_at"`
	LastRunAt       *time.Time `json:"last_run_at,omitempty"`
	LastDurationMS  int64      `json:"last_duration_ms"`
	LastError       string     `json:"last_error"`
	Runs            int64      `json:"runs"`
	Failures        int64      `json:"failures"`
	RunningOn       string     `json:"running_on,omitempty"`
}

// listJobs is GET /api/v1/jobs (admins): the background jobs with their
// schedule and last outcome, as {items}.
func (h *handler) listJobs(w http.ResponseWriter, r *http.Request, a access.Actor) {
	jobs, err := h.svc.Jobs(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	now := time.Now()
	items := []jobView{}
	for _, j := range jobs {
		v := jobView{Name: j.Name, IntervalSeconds: j.Interval.Seconds(), NextRunAt: j.NextRunAt.UTC(), LastRunAt: utcPtr(j.LastRunAt),
			LastDurationMS: j.LastDuration.Milliseconds(), LastError: j.LastError, Runs: j.Runs, Failures: j.Failures}
		if j.Running(now) {
			v.RunningOn = j.LeaseOwner
		}
		items = append(items, v)
	}
	h.writeJSON(w, r, http.StatusOK, map[string]any{"items": items})
}
