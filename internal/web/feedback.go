package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// feedbackData is /feedback/{token}: the form for a usable link, the thanks
// after rating, or what is wrong with the link (Problem: one of desk's
// FeedbackLink… reasons).
type feedbackData struct {
	Token   string
	Number  int64
	Subject string
	Rating  int
	Comment string
	Problem string
	Thanks  bool
}

// feedbackBucket is the rate limiter's bucket for the feedback page from
// the client of r; apart from the sign-in buckets.
func (h *handler) feedbackBucket(r *http.Request) string {
	return "feedback-ip:" + clientIP(r, h.trusted)
}

// feedbackLimited reports whether r's client tried too many unknown
// feedback links lately, and then answers 429. Only unknown links count
// (recordFeedbackMiss): a real link rates once anyway, and many people
// behind one campus address may rate at the same time.
func (h *handler) feedbackLimited(w http.ResponseWriter, r *http.Request, v *visit) bool {
	bucket := h.feedbackBucket(r)
	counts, err := h.svc.LoginFailures(r.Context(), []string{bucket}, h.window)
	if err != nil {
		h.fail(w, r, v, err)
		return true
	}
	if counts[bucket] >= h.limit {
		w.Header().Set("Retry-After", itoa(int(h.window.Seconds())))
		h.render(w, r, v, http.StatusTooManyRequests, "feedback", &view{Title: v.l.T("feedback.refused_heading"),
			Error: v.l.T("feedback.too_many", int(h.window.Minutes())), Data: feedbackData{Problem: "limited"}})
		return true
	}
	return false
}

// recordFeedbackMiss counts an unknown feedback link against r's client
// when err says the link is unknown.
func (h *handler) recordFeedbackMiss(r *http.Request, err error) error {
	if desk.FeedbackRefusal(err) != desk.FeedbackLinkUnknown {
		return nil
	}
	return h.svc.RecordLoginFailure(context.WithoutCancel(r.Context()), []string{h.feedbackBucket(r)}, h.window)
}

// feedbackForm is the page a resolution mail's feedback link opens,
// without signing in: the ticket's number and subject and the rating
// form, or kindly what is wrong with the link (always 200: the person did
// nothing wrong). A link that is not servus's counts against the client's
// limit (429 beyond), so that nobody can try links in bulk. The token is in
// the URL, so the page sends no Referer anywhere.
func (h *handler) feedbackForm(w http.ResponseWriter, r *http.Request, v *visit) {
	w.Header().Set("Referrer-Policy", "no-referrer")
	h.pageLanguage(w, r, v)
	token := r.PathValue("token")
	if h.feedbackLimited(w, r, v) {
		return
	}
	link, err := h.svc.CheckFeedbackLink(r.Context(), token)
	if rerr := h.recordFeedbackMiss(r, err); rerr != nil {
		h.fail(w, r, v, rerr)
		return
	}
	if err != nil {
		h.feedbackProblem(w, r, v, err)
		return
	}
	h.render(w, r, v, http.StatusOK, "feedback", &view{Title: v.l.T("feedback.title"),
		Data: feedbackData{Token: token, Number: link.Number, Subject: link.Subject}})
}

// feedbackPost records the rating given through a feedback link
// (desk.RateByLink) and thanks the person. Unknown links count against the
// client's limit, as on the page.
func (h *handler) feedbackPost(w http.ResponseWriter, r *http.Request, v *visit) {
	w.Header().Set("Referrer-Policy", "no-referrer")
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	token := r.PathValue("token")
	if h.feedbackLimited(w, r, v) {
		return
	}
	rating, _ := strconv.Atoi(r.PostFormValue("rating"))
	comment := r.PostFormValue("comment")
	link, err := h.svc.CheckFeedbackLink(r.Context(), token)
	if rerr := h.recordFeedbackMiss(r, err); rerr != nil {
		h.fail(w, r, v, rerr)
		return
	}
	if err != nil {
		h.feedbackProblem(w, r, v, err)
		return
	}
	data := feedbackData{Token: token, Number: link.Number, Subject: link.Subject, Rating: rating, Comment: comment}
	again := func(key, field string) {
		h.render(w, r, v, http.StatusBadRequest, "feedback", &view{Title: v.l.T("feedback.title"), Error: v.l.T(key),
			Fields: map[string]bool{field: true}, Data: data})
	}
	if rating < 1 || rating > 5 {
		again("feedback.missing_rating", "rating")
		return
	}
	if _, err := h.svc.RateByLink(r.Context(), token, rating, comment); err != nil {
		if ticket.ErrorCode(err) == ticket.EINVALID {
			again("feedback.too_long", "comment")
			return
		}
		h.feedbackProblem(w, r, v, err)
		return
	}
	h.render(w, r, v, http.StatusOK, "feedback", &view{Title: v.l.T("feedback.thanks_heading"),
		Data: feedbackData{Number: link.Number, Subject: link.Subject, Thanks: true}})
}

// feedbackProblem says kindly what is wrong with a feedback link, as a 200
// page, or fails with err when it is about something else.
func (h *handler) feedbackProblem(w http.ResponseWriter, r *http.Request, v *visit, err error) {
	reason := desk.FeedbackRefusal(err)
	if reason == "" {
		h.fail(w, r, v, err)
		return
	}
	h.render(w, r, v, http.StatusOK, "feedback", &view{Title: v.l.T("feedback.refused_heading"),
		Data: feedbackData{Problem: reason}})
}

// rateTicket is the portal's rating form on the ticket page: the
// requester rates a resolved (or closed as solved) ticket once.
func (h *handler) rateTicket(w http.ResponseWriter, r *http.Request, v *visit) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	number := ticketNumber(r)
	rating, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("rating")))
	if err != nil || rating < 1 || rating > 5 {
		h.showTicketWith(w, r, v, number, http.StatusBadRequest, v.l.T("feedback.missing_rating"), nil)
		return
	}
	if _, err := h.svc.Rate(r.Context(), v.actor, number, rating, r.PostFormValue("comment"), desk.FeedbackByPortal); err != nil {
		status, msg, _ := h.errorText(r, v, err)
		if status == http.StatusNotFound {
			h.fail(w, r, v, err)
			return
		}
		h.showTicketWith(w, r, v, number, status, msg, nil)
		return
	}
	h.setFlash(w, "flash.feedback_thanks")
	http.Redirect(w, r, ticketPath(number)+"#feedback", http.StatusSeeOther)
}

// complainTicket turns the ticket's low rating into a complaint ticket in
// the complaints queue (desk.TurnIntoComplaint) and opens it.
func (h *handler) complainTicket(w http.ResponseWriter, r *http.Request, v *visit) {
	number := ticketNumber(r)
	c, err := h.svc.TurnIntoComplaint(r.Context(), v.actor, number)
	if err != nil {
		status, msg, _ := h.errorText(r, v, err)
		if status == http.StatusNotFound {
			h.fail(w, r, v, err)
			return
		}
		h.showTicketWith(w, r, v, number, status, msg, nil)
		return
	}
	h.setFlash(w, "flash.complaint_made")
	http.Redirect(w, r, ticketPath(c.Number), http.StatusSeeOther)
}

// adminSaveComplaintsQueue sets the complaints queue (desk.SetComplaintsQueue)
// from the admin settings page.
func (h *handler) adminSaveComplaintsQueue(w http.ResponseWriter, r *http.Request, v *visit) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := h.svc.SetComplaintsQueue(r.Context(), v.actor, r.PostFormValue("complaints_queue")); err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.setFlash(w, "flash.complaints_saved")
	http.Redirect(w, r, "/admin/settings#complaints", http.StatusSeeOther)
}
