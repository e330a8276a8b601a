package web

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/bizhours"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// reportsData is /reports: the form as entered, the queues to choose
// from, the report and its charts (SVG, drawn here), and the CSV link.
type reportsData struct {
	From, To, Queue, GroupBy string
	Groups                   []string
	Queues                   []string
	Report                   *desk.Report
	Rows                     []reportRowView
	Total                    reportRowView
	Complaints               *reportRowView
	Load                     [7]reportLoadRow
	Volume, Backlog          template.HTML
	LoadChart, Feedback      template.HTML
	CSV, JSON                string
}

// reportRowView is one line of the figures table, as text.
type reportRowView struct {
	Label    string
	Cells    []string
	Feedback [5]string
}

// reportLoadRow is one weekday of the load table.
type reportLoadRow struct {
	Day   string
	Hours [24]string
}

// reports is GET /reports (staff and auditors): the report of the form's
// range, queue and grouping with charts and tables; a parameter naming a
// person gets the works council's reason, kindly, and no figures.
func (h *handler) reports(w http.ResponseWriter, r *http.Request, v *visit) {
	if !desk.CanReadReports(v.actor) {
		h.renderError(w, r, v, http.StatusNotFound, "error.not_found")
		return
	}
	q := r.URL.Query()
	d := &reportsData{From: q.Get("from"), To: q.Get("to"), Queue: q.Get("queue"), GroupBy: q.Get("group_by"), Groups: desk.ReportGroups}
	vw := &view{Title: v.l.T("reports.title"), Nav: "reports", Data: d}
	if qs, err := h.svc.Queues(r.Context(), v.actor); err == nil {
		for _, x := range qs {
			if x.Confidential && !v.actor.Member(x.ID) && !(v.actor.Auditor() || v.actor.AlsoAuditor) {
				continue
			}
			d.Queues = append(d.Queues, x.Name)
		}
	}
	today := bizhours.DateOf(time.Now().In(v.l.Loc))
	rq, err := desk.ParseReportQuery(q, today)
	if err == nil {
		d.From, d.To, d.GroupBy = rq.From.String(), rq.To.String(), rq.GroupBy
		d.Report, err = h.svc.Report(r.Context(), v.actor, rq)
	}
	if err != nil {
		if ticket.ErrorCode(err) != ticket.EINVALID {
			h.fail(w, r, v, err)
			return
		}
		status, msg, fields := h.errorText(r, v, err)
		if ticket.ErrorReason(err) == "err.report.person" {
			msg = v.l.T("err.report.person")
		}
		vw.Error, vw.Fields = msg, fields
		if d.GroupBy == "" || !containsString(desk.ReportGroups, d.GroupBy) {
			d.GroupBy = "month"
		}
		h.render(w, r, v, status, "reports", vw)
		return
	}
	d.Queue = d.Report.Query.Queue
	vals := rq.Values()
	vals.Set("format", "csv")
	d.CSV = "/reports.csv?" + vals.Encode()
	vals.Set("format", "json")
	d.JSON = "/api/v1/reports?" + vals.Encode()
	rep := d.Report
	for i := range rep.Rows {
		d.Rows = append(d.Rows, rowView(v, rq.GroupBy, rep.Rows[i].Key, &rep.Rows[i]))
	}
	d.Total = rowView(v, "", v.l.T("reports.total"), &rep.Total)
	if rep.Complaints != nil {
		c := rowView(v, "", v.l.T("reports.complaints", rep.Complaints.Key), rep.Complaints)
		d.Complaints = &c
	}
	for wd := range 7 {
		d.Load[wd].Day = weekdayName(v, wd)
		for hr := range 24 {
			d.Load[wd].Hours[hr] = rep.Load[wd][hr].Text(0)
		}
	}
	groupName := v.l.T("reports.group." + rq.GroupBy)
	var labels []string
	var created, solved, backlog []desk.Figure
	for i, row := range rep.Rows {
		labels = append(labels, d.Rows[i].Label)
		created, solved, backlog = append(created, row.Created), append(solved, row.Solved), append(backlog, row.Backlog)
	}
	d.Volume = barChart("chart-volume", v.l.T("reports.chart.volume"), v.l.T("reports.chart.volume_desc", groupName), labels,
		[]series{{v.l.T("reports.col.created"), "s1", created}, {v.l.T("reports.col.solved"), "s2", solved}})
	d.Backlog = barChart("chart-backlog", v.l.T("reports.chart.backlog"), v.l.T("reports.chart.backlog_desc", groupName), labels,
		[]series{{v.l.T("reports.col.backlog"), "s3", backlog}})
	var days []string
	for wd := range 7 {
		days = append(days, d.Load[wd].Day)
	}
	d.LoadChart = heatMap("chart-load", v.l.T("reports.chart.load"), v.l.T("reports.chart.load_desc"), days, &rep.Load)
	d.Feedback = barChart("chart-feedback", v.l.T("reports.chart.feedback"), v.l.T("reports.chart.feedback_desc"),
		[]string{"1", "2", "3", "4", "5"}, []series{{v.l.T("reports.count"), "s4", rep.Total.Feedback[:]}})
	h.render(w, r, v, http.StatusOK, "reports", vw)
}

// reportsCSV is GET /reports.csv (staff and auditors): the report of
// /reports as CSV, as the API's format=csv.
func (h *handler) reportsCSV(w http.ResponseWriter, r *http.Request, v *visit) {
	if !desk.CanReadReports(v.actor) {
		h.renderError(w, r, v, http.StatusNotFound, "error.not_found")
		return
	}
	rq, err := desk.ParseReportQuery(r.URL.Query(), bizhours.DateOf(time.Now().In(v.l.Loc)))
	if err != nil {
		if ticket.ErrorReason(err) == "err.report.person" {
			h.render(w, r, v, http.StatusBadRequest, "error", &view{Title: v.l.T("error.title"), Data: struct {
				Status  int
				Message string
			}{http.StatusBadRequest, v.l.T("err.report.person")}})
			return
		}
		h.fail(w, r, v, err)
		return
	}
	rep, err := h.svc.Report(r.Context(), v.actor, rq)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	var b bytes.Buffer
	if err := desk.WriteReportCSV(&b, rep); err != nil {
		h.fail(w, r, v, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="report.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b.Bytes())
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// weekdayName is weekday wd (0 Monday) in the person's language.
func weekdayName(v *visit, wd int) string {
	de := []string{"Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"}
	en := []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
	if v.l.Lang == "de" {
		return de[wd]
	}
	return en[wd]
}

// rowView makes the text cells of a report row: a channel's or
// priority's key in the person's language, durations as hours and
// minutes.
func rowView(v *visit, group, key string, r *desk.ReportRow) reportRowView {
	label := key
	switch group {
	case "channel":
		label = v.l.T("channel." + key)
	case "priority":
		label = v.l.T("priority." + key)
	}
	dur := func(f desk.Figure) string {
		if f.Withheld || f.None {
			return f.Text(0)
		}
		s := durationText(f.Value)
		if f.AtLeast {
			s = "> " + s
		}
		return s
	}
	pct := func(f desk.Figure) string {
		if f.Withheld || f.None {
			return f.Text(0)
		}
		return f.Text(1) + " %"
	}
	both := func(a, b string) string {
		if a == "" && b == "" {
			return "–"
		}
		return a + " / " + b
	}
	fb := r.FeedbackCount.Text(0)
	if !r.FeedbackAverage.None && !r.FeedbackAverage.Withheld {
		fb += " · Ø " + r.FeedbackAverage.Text(2)
	}
	spent := r.TimeSpent.Text(0)
	if !r.TimeSpent.None && !r.TimeSpent.Withheld {
		spent = durationText(r.TimeSpent.Value)
	}
	out := reportRowView{Label: label, Cells: []string{r.Created.Text(0), r.Solved.Text(0), r.Backlog.Text(0),
		both(dur(r.FirstMedian), dur(r.FirstP90)), both(dur(r.ResMedian), dur(r.ResP90)),
		dashIfEmpty(pct(r.FirstHit)), dashIfEmpty(pct(r.ResHit)), dashIfEmpty(pct(r.ReopenRate)), fb, dashIfEmpty(spent)}}
	for k := range 5 {
		out.Feedback[k] = r.Feedback[k].Text(0)
	}
	return out
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// durationText is minutes as "45 min", "3 h 20 min" or "2 d 4 h" (a day
// here is 24 business hours, shown only past 99 hours).
func durationText(minutes float64) string {
	m := int64(math.Round(minutes))
	switch {
	case m < 60:
		return fmt.Sprintf("%d min", m)
	case m < 100*60:
		if m%60 == 0 {
			return fmt.Sprintf("%d h", m/60)
		}
		return fmt.Sprintf("%d h %d min", m/60, m%60)
	}
	return fmt.Sprintf("%d h", (m+30)/60)
}

// series is one set of bars of a chart.
type series struct {
	Name   string
	Class  string
	Values []desk.Figure
}

// barChart draws grouped bars, one group per label, as an accessible
// SVG: role img, a title and a description; withheld values draw no bar
// but a small "<5" mark. The table beside it holds the numbers.
func barChart(id, title, desc string, labels []string, ss []series) template.HTML {
	const w, h, left, bottom, top = 640.0, 240.0, 44.0, 40.0, 12.0
	maxV := 0.0
	for _, s := range ss {
		for _, f := range s.Values {
			if !f.Withheld && !f.None {
				maxV = max(maxV, f.Value)
			}
		}
	}
	if maxV == 0 {
		maxV = 5
	}
	scale := niceCeil(maxV)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" id="%s" viewBox="0 0 %g %g" role="img" aria-labelledby="%s-t %s-d" xmlns="http://www.w3.org/2000/svg">`, id, w, h, id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, template.HTMLEscapeString(title), id, template.HTMLEscapeString(desc))
	plotH := h - bottom - top
	for i := 0; i <= 4; i++ {
		y := top + plotH - plotH*float64(i)/4
		fmt.Fprintf(&b, `<line class="grid" x1="%g" y1="%.1f" x2="%g" y2="%.1f"/><text class="axis" x="%g" y="%.1f" text-anchor="end">%s</text>`,
			left, y, w-4, y, left-6, y+4, trimFloat(scale*float64(i)/4))
	}
	n := max(len(labels), 1)
	gw := (w - left - 8) / float64(n)
	bw := gw * 0.8 / float64(max(len(ss), 1))
	every := 1 + n/16
	for i, l := range labels {
		x0 := left + gw*float64(i) + gw*0.1
		for k, s := range ss {
			if i >= len(s.Values) {
				continue
			}
			f := s.Values[i]
			x := x0 + bw*float64(k)
			switch {
			case f.Withheld:
				fmt.Fprintf(&b, `<text class="withheld" x="%.1f" y="%.1f" text-anchor="middle">&lt;5</text>`, x+bw/2, top+plotH-3)
			case f.None:
			default:
				bh := plotH * f.Value / scale
				fmt.Fprintf(&b, `<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s %s: %s</title></rect>`,
					s.Class, x, top+plotH-bh, max(bw-1, 1), bh, template.HTMLEscapeString(l), template.HTMLEscapeString(s.Name), trimFloat(f.Value))
			}
		}
		if i%every == 0 {
			fmt.Fprintf(&b, `<text class="axis" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, x0+gw*0.4, h-bottom+16, template.HTMLEscapeString(shortLabel(l)))
		}
	}
	// The legend.
	for k, s := range ss {
		x := left + float64(k)*150
		fmt.Fprintf(&b, `<rect class="%s" x="%g" y="%g" width="10" height="10"/><text class="axis" x="%g" y="%g">%s</text>`,
			s.Class, x, h-12, x+14, h-3, template.HTMLEscapeString(s.Name))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// heatMap draws the load by weekday and hour; a withheld cell is drawn
// hatched-light and marked in its tooltip.
func heatMap(id, title, desc string, days []string, load *[7][24]desk.Figure) template.HTML {
	const cell, left, top = 24.0, 40.0, 18.0
	w, h := left+24*cell+4, top+7*cell+4
	maxV := 1.0
	for _, row := range load {
		for _, f := range row {
			if !f.Withheld {
				maxV = max(maxV, f.Value)
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart heat" id="%s" viewBox="0 0 %g %g" role="img" aria-labelledby="%s-t %s-d" xmlns="http://www.w3.org/2000/svg">`, id, w, h, id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, template.HTMLEscapeString(title), id, template.HTMLEscapeString(desc))
	for hr := 0; hr < 24; hr += 3 {
		fmt.Fprintf(&b, `<text class="axis" x="%g" y="%g" text-anchor="middle">%02d</text>`, left+cell*float64(hr)+cell/2, top-5, hr)
	}
	for wd, row := range load {
		y := top + cell*float64(wd)
		fmt.Fprintf(&b, `<text class="axis" x="%g" y="%g" text-anchor="end">%s</text>`, left-6, y+cell/2+4, template.HTMLEscapeString(days[wd]))
		for hr, f := range row {
			x := left + cell*float64(hr)
			if f.Withheld {
				fmt.Fprintf(&b, `<rect class="cell-withheld" x="%g" y="%g" width="%g" height="%g"><title>%s %02d: &lt; 5</title></rect>`, x, y, cell-2, cell-2, template.HTMLEscapeString(days[wd]), hr)
				continue
			}
			fmt.Fprintf(&b, `<rect class="cell" x="%g" y="%g" width="%g" height="%g" fill-opacity="%.2f"><title>%s %02d: %s</title></rect>`,
				x, y, cell-2, cell-2, 0.15+0.85*f.Value/maxV, template.HTMLEscapeString(days[wd]), hr, trimFloat(f.Value))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten (at least 4, so
// the four grid steps are whole).
func niceCeil(v float64) float64 {
	if v <= 4 {
		return 4
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 4, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func trimFloat(v float64) string {
	if v == math.Trunc(v) {
		return fmt.Sprintf("%d", int64(v))
	}
	return fmt.Sprintf("%.1f", v)
}

// shortLabel keeps an axis label short.
func shortLabel(s string) string {
	r := []rune(s)
	if len(r) > 10 {
		return string(r[:9]) + "…"
	}
	return s
}
