package api

import (
	"bytes"
	"net/http"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/bizhours"
	"github.com/servus-desk/servus/internal/desk"
)

// reportRowJSON is one line of a report. A figure over fewer than 5
// tickets (or derived from one) is null and its name is listed in
// withheld; a figure without data (no ticket with a target, say) is null
// and not listed. Durations are business minutes, rates percent.
type reportRowJSON struct {
	Group           string     `json:"group,omitempty"`
	Created         *float64   `json:"created"`
	Solved          *float64   `json:"solved"`
	Backlog         *float64   `json:"backlog"`
	FirstMedian     *float64   `json:"first_response_median_min"`
	FirstP90        *float64   `json:"first_response_p90_min"`
	ResMedian       *float64   `json:"resolution_median_min"`
	ResP90          *float64   `json:"resolution_p90_min"`
	FirstHit        *float64   `json:"first_response_target_hit_pct"`
	ResHit          *float64   `json:"resolution_target_hit_pct"`
	ReopenRate      *float64   `json:"reopen_rate_pct"`
	FeedbackCount   *float64   `json:"feedback_count"`
	FeedbackAverage *float64   `json:"feedback_average"`
	Feedback        []*float64 `json:"feedback_distribution"` // ratings 1..5
	TimeSpent       *float64   `json:"time_spent_min"`
	Withheld        []string   `json:"withheld"`
	AtLeast         []string   `json:"at_least,omitempty"` // durations beyond the last bucket: the value is a lower bound
}

// reportJSON is GET /api/v1/reports' answer.
type reportJSON struct {
	From       string          `json:"from"`
	To         string          `json:"to"`
	Queue      string          `json:"queue,omitempty"`
	GroupBy    string          `json:"group_by"`
	Scope      string          `json:"scope"` // "all" (auditors) or "visible"
	MinCell    int             `json:"min_cell"`
	Rows       []reportRowJSON `json:"rows"`
	Complaints *reportRowJSON  `json:"complaints"`
	Total      reportRowJSON   `json:"total"`
	// Load is tickets created by weekday (Monday first) and hour; null
	// for a cell under 5.
	Load [7][24]*float64 `json:"load"`
}

func figureJSON(f desk.Figure, name string, row *reportRowJSON) *float64 {
	switch {
	case f.Withheld:
		row.Withheld = append(row.Withheld, name)
		return nil
	case f.None:
		return nil
	}
	if f.AtLeast {
		row.AtLeast = append(row.AtLeast, name)
	}
	v := f.Value
	return &v
}

func rowJSON(r *desk.ReportRow) reportRowJSON {
	out := reportRowJSON{Group: r.Key, Withheld: []string{}}
	names := desk.ReportColumns[1:]
	ptrs := []**float64{&out.Created, &out.Solved, &out.Backlog, &out.FirstMedian, &out.FirstP90, &out.ResMedian, &out.ResP90,
		&out.FirstHit, &out.ResHit, &out.ReopenRate, &out.FeedbackCount, &out.FeedbackAverage}
	for i, f := range r.Figures() {
		v := figureJSON(f, names[i], &out)
		switch {
		case i < len(ptrs):
			*ptrs[i] = v
		case i < len(ptrs)+5:
			out.Feedback = append(out.Feedback, v)
		default:
			out.TimeSpent = v
		}
	}
	return out
}

// getReport is GET /api/v1/reports?from=&to=&queue=&group_by=&format=
// (staff and auditors): figures per queue, channel, priority, week or
// month and in all, as JSON or (format=csv) CSV. A parameter that names a
// person (group_by=assignee, assignee=, author=, …) answers 400: there
// are no figures about single persons (works council).
func (h *handler) getReport(w http.ResponseWriter, r *http.Request, a access.Actor) {
	// "Today", for a range left open, in the desk's time zone (the one
	// people who chose none see), not in UTC: the figures count days there.
	loc := time.UTC
	if st, err := h.svc.Settings(r.Context()); err == nil {
		if l, err := time.LoadLocation(st.TimeZone); err == nil {
			loc = l
		}
	}
	rq, err := desk.ParseReportQuery(r.URL.Query(), bizhours.DateOf(time.Now().In(loc)))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rep, err := h.svc.Report(r.Context(), a, rq)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if rq.Format == "csv" {
		var b bytes.Buffer
		if err := desk.WriteReportCSV(&b, rep); err != nil {
			h.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="report.csv"`)
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		w.Write(b.Bytes())
		return
	}
	out := reportJSON{From: rq.From.String(), To: rq.To.String(), Queue: rep.Query.Queue, GroupBy: rq.GroupBy,
		Scope: "visible", MinCell: desk.ReportMinCell, Rows: []reportRowJSON{}, Total: rowJSON(&rep.Total)}
	if rep.All {
		out.Scope = "all"
	}
	for i := range rep.Rows {
		out.Rows = append(out.Rows, rowJSON(&rep.Rows[i]))
	}
	if rep.Complaints != nil {
		c := rowJSON(rep.Complaints)
		out.Complaints = &c
	}
	for wd := range 7 {
		for hr := range 24 {
			if f := rep.Load[wd][hr]; !f.Withheld {
				v := f.Value
				out.Load[wd][hr] = &v
			}
		}
	}
	h.writeJSON(w, r, http.StatusOK, out)
}
