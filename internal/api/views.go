package api

import (
	"fmt"
	"time"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/mail"
	"github.com/servus-desk/servus/internal/ticket"
)

// The JSON the API answers is the domain's JSON tags with times in UTC,
// plus links. Fields the Contract names (due, assignee) are always present,
// null when unset.

// ticketJSON is a ticket as the API shows it.
type ticketJSON struct {
	ticket.Ticket
	Assignee *string    `json:"assignee"`
	Due      *time.Time `json:"due"`
	URL      string     `json:"url"` // the ticket's page in the web UI
	// Response targets: always present, null without targets.
	FirstResponseDue *time.Time `json:"first_response_due"`
	ResolutionDue    *time.Time `json:"resolution_due"`
	FirstResponseAt  *time.Time `json:"first_response_at"`
	TargetState      *string    `json:"target_state"`
	TargetPaused     bool       `json:"target_paused"`
	// Feedback is the requester's rating, on GET of one ticket, for staff
	// and the requester; absent otherwise.
	Feedback *desk.Feedback `json:"feedback,omitempty"`
}

func (h *handler) ticketView(t *ticket.Ticket) ticketJSON {
	c := *t
	c.CreatedAt = c.CreatedAt.UTC()
	c.UpdatedAt = c.UpdatedAt.UTC()
	c.ResolvedAt = utcPtr(c.ResolvedAt)
	c.ClosedAt = utcPtr(c.ClosedAt)
	if c.CC == nil {
		c.CC = []string{}
	}
	v := ticketJSON{Ticket: c, Due: utcPtr(t.Due), URL: fmt.Sprintf("%s/tickets/%d", h.baseURL, t.Number),
		FirstResponseDue: utcPtr(t.FirstResponseDue), ResolutionDue: utcPtr(t.ResolutionDue),
		FirstResponseAt: utcPtr(t.FirstResponseAt), TargetPaused: t.TargetPaused()}
	if st := t.TargetStateAt(h.svc.Now()); st != "" {
		v.TargetState = &st
	}
	if t.Assignee != "" {
		v.Assignee = &c.Assignee
	}
	return v
}

func (h *handler) ticketViews(ts []*ticket.Ticket) []ticketJSON {
	out := make([]ticketJSON, 0, len(ts))
	for _, t := range ts {
		out = append(out, h.ticketView(t))
	}
	return out
}

// pageJSON is one page of search results.
type pageJSON struct {
	Items             []ticketJSON `json:"items"`
	Total             int          `json:"total"`
	Page              int          `json:"page"`
	PerPage           int          `json:"per_page"`
	TotalIsLowerBound bool         `json:"total_is_lower_bound,omitempty"`
	NextCursor        string       `json:"next_cursor,omitempty"`
	PrevCursor        string       `json:"prev_cursor,omitempty"`
}

func entryViews(es []*ticket.Entry) []ticket.Entry {
	out := make([]ticket.Entry, 0, len(es))
	for _, e := range es {
		out = append(out, entryView(e))
	}
	return out
}

// entryView is e for the API: body_html sanitised again (mail.SafeHTML),
// its inline images as cid: references to the content_id of the entry's
// attachments.
func entryView(e *ticket.Entry) ticket.Entry {
	c := *e
	c.CreatedAt = c.CreatedAt.UTC()
	c.BodyHTML = mail.SafeHTML(c.BodyHTML, func(id string) string { return "cid:" + id })
	return c
}

// attachmentJSON is an attachment with the API address of its bytes.
type attachmentJSON struct {
	ticket.Attachment
	URL string `json:"url"`
}

func (h *handler) attachmentView(number int64, a *ticket.Attachment) attachmentJSON {
	c := *a
	c.CreatedAt = c.CreatedAt.UTC()
	return attachmentJSON{Attachment: c, URL: fmt.Sprintf("%s/api/v1/tickets/%d/attachments/%d", h.baseURL, number, a.ID)}
}

func (h *handler) attachmentViews(number int64, as []*ticket.Attachment) []attachmentJSON {
	out := make([]attachmentJSON, 0, len(as))
	for _, a := range as {
		out = append(out, h.attachmentView(number, a))
	}
	return out
}

func queueView(q *ticket.Queue) ticket.Queue {
	c := *q
	c.CreatedAt = c.CreatedAt.UTC()
	if c.Targets.ClosedDays == nil {
		c.Targets.ClosedDays = []string{}
	}
	return c
}

func userView(u *ticket.User) ticket.User {
	c := *u
	c.CreatedAt = c.CreatedAt.UTC()
	c.DisabledAt = utcPtr(c.DisabledAt)
	return c
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
