package desk

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/auth"
	"github.com/servus-desk/servus/internal/i18n"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// Satisfaction feedback: when a ticket is resolved (or closed as solved),
// its requester may rate the handling once, 1 to 5, with a comment: from
// the one-time link in the resolution mail (no sign-in needed), in the
// portal, or through the API. Feedback names nobody who worked the ticket:
// it is reported per queue and organisation-wide only.

// Feedback channels: where a rating was given.
const (
	FeedbackByLink   = "link"
	FeedbackByPortal = "portal"
	FeedbackByAPI    = "api"
)

// Limits of feedback.
const (
	// DefaultFeedbackGrace is how long a feedback link stays valid after
	// the ticket would close by itself (Options.FeedbackGrace).
	DefaultFeedbackGrace = 30 * 24 * time.Hour
	// MaxFeedbackComment is the longest comment, in characters.
	MaxFeedbackComment = 4000
	// ComplaintBelow: a rating below it with a comment may be turned into
	// a complaint ticket.
	ComplaintBelow = 3
)

// Why a feedback link is refused, as FeedbackRefusal tells it from the
// error of CheckFeedbackLink and RateByLink.
const (
	FeedbackLinkUnknown  = "unknown"  // no such link, or its ticket is gone: ENOTFOUND
	FeedbackLinkUsed     = "used"     // it gave a rating already: ECONFLICT
	FeedbackLinkExpired  = "expired"  // past its time: ECONFLICT
	FeedbackLinkRated    = "rated"    // the ticket was rated another way (portal, API): ECONFLICT
	FeedbackLinkReopened = "reopened" // the ticket is being worked again: ECONFLICT
)

// Feedback is a rating as the ticket page and the API show it.
type Feedback struct {
	Rating    int       `json:"rating"`
	Comment   string    `json:"comment"`
	Channel   string    `json:"channel"` // link, portal or api
	CreatedAt time.Time `json:"created_at"`
	// Complaint is the number of the complaint ticket made of the rating,
	// when there is one and the viewer may see it; 0 otherwise.
	Complaint int64 `json:"complaint,omitempty"`
}

// FeedbackMail is what a resolution mail to the requester carries for
// feedback: the one-time link's token and when it stops working.
type FeedbackMail struct {
	Token   string
	Expires time.Time
}

// FeedbackLinkInfo is what the feedback page shows of a usable link: the
// ticket's number and subject, nothing more.
type FeedbackLinkInfo struct {
	Number  int64
	Subject string
	Expires time.Time
}

// TicketFeedback is the feedback part of the ticket page, as one person
// sees it.
type TicketFeedback struct {
	Given *Feedback // the rating; nil when none, or the viewer may not see it
	// CanRate: the viewer is the requester and may rate now.
	CanRate bool
	// CanComplain: the viewer may turn the rating into a complaint ticket
	// (a low rating with a comment, a member of the ticket's queue, a
	// complaints queue configured, no complaint made yet).
	CanComplain bool
	// ComplaintsQueue is the complaints queue's name, when CanComplain.
	ComplaintsQueue string
}

// Rateable reports whether t may be rated: resolved, or closed after a
// resolution (solved, or auto-closed without a reaction).
func Rateable(t *ticket.Ticket) bool {
	switch t.State {
	case ticket.StateResolved:
		return true
	case ticket.StateClosed:
		return t.CloseReason == ticket.ReasonSolved || t.CloseReason == ticket.ReasonAutoClosed
	}
	return false
}

// validFeedback checks a rating and cleans its comment.
func validFeedback(rating int, comment string) (string, error) {
	v := ticket.Validation{}
	if rating < 1 || rating > 5 {
		v.Add("rating", "problem.rating")
	}
	comment = strings.TrimSpace(ticket.CleanText(comment))
	if utf8.RuneCountInString(comment) > MaxFeedbackComment {
		v.Add("comment", "problem.max_chars", MaxFeedbackComment)
	}
	return comment, v.Err()
}

// Rate records a's rating of the ticket with number, given through channel
// (FeedbackByPortal or FeedbackByAPI). Only the ticket's requester rates:
// ENOTFOUND when a may not see the ticket, EFORBIDDEN for anyone else
// (staff among them); EINVALID for a rating outside 1 to 5 or a comment
// too long; ECONFLICT when the ticket is not resolved or closed as solved,
// or was rated already (once per ticket).
func (s *Service) Rate(ctx context.Context, a access.Actor, number int64, rating int, comment, channel string) (*Feedback, error) {
	if channel != FeedbackByPortal && channel != FeedbackByAPI {
		return nil, ticket.E(ticket.EINVALID, "err.feedback.channel")
	}
	var out *Feedback
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		t, err := s.loadForUpdate(ctx, tx, a, number)
		if err != nil {
			return err
		}
		if a.IsSystem() || a.UserID != t.RequesterID {
			return ticket.E(ticket.EFORBIDDEN, "err.feedback.requester_only", t.Ref())
		}
		if comment, err = validFeedback(rating, comment); err != nil {
			return err
		}
		out, err = s.rate(ctx, tx, t, rating, comment, channel)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// rate stores the rating of t (locked by the caller) after checking that
// t may be rated and has no rating yet.
func (s *Service) rate(ctx context.Context, tx *store.Tx, t *ticket.Ticket, rating int, comment, channel string) (*Feedback, error) {
	if !Rateable(t) {
		return nil, ticket.E(ticket.ECONFLICT, "err.feedback.not_rateable", t.Ref()).Field("ticket", "problem.feedback_not_rateable")
	}
	if _, err := tx.FeedbackByTicket(ctx, t.ID); err == nil {
		return nil, feedbackGiven(t)
	} else if ticket.ErrorCode(err) != ticket.ENOTFOUND {
		return nil, err
	}
	f := &store.Feedback{TicketID: t.ID, Rating: rating, Comment: comment, Channel: channel, CreatedAt: s.now().UTC()}
	if err := tx.InsertFeedback(ctx, f); err != nil {
		if ticket.ErrorCode(err) == ticket.ECONFLICT {
			return nil, feedbackGiven(t)
		}
		return nil, err
	}
	return &Feedback{Rating: f.Rating, Comment: f.Comment, Channel: f.Channel, CreatedAt: f.CreatedAt}, nil
}

// feedbackGiven is the error for a second rating of t.
func feedbackGiven(t *ticket.Ticket) error {
	return ticket.E(ticket.ECONFLICT, "err.feedback.given", t.Ref()).Field("ticket", "problem.feedback_given")
}

// CheckFeedbackLink tells whether token is a usable feedback link and for
// which ticket, so that the feedback page can show the form, or say kindly
// why not. Errors: ENOTFOUND for an unknown link, ECONFLICT for one used,
// expired, or of a ticket rated already or reopened (FeedbackRefusal says
// which); database faults.
func (s *Service) CheckFeedbackLink(ctx context.Context, token string) (*FeedbackLinkInfo, error) {
	var out *FeedbackLinkInfo
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		l, t, err := s.feedbackLink(ctx, tx, token)
		if err != nil {
			return err
		}
		out = &FeedbackLinkInfo{Number: t.Number, Subject: t.Subject, Expires: l.ExpiresAt}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RateByLink records the rating given through feedback link token and uses
// the link up. Errors: those of CheckFeedbackLink; EINVALID for a rating
// outside 1 to 5 or a comment too long (checked after the link).
func (s *Service) RateByLink(ctx context.Context, token string, rating int, comment string) (*FeedbackLinkInfo, error) {
	var out *FeedbackLinkInfo
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		l, t, err := s.feedbackLink(ctx, tx, token)
		if err != nil {
			return err
		}
		if err := tx.LockTicket(ctx, t.Number); err != nil {
			return err
		}
		if l, t, err = s.feedbackLink(ctx, tx, token); err != nil { // again, under the lock
			return err
		}
		if comment, err = validFeedback(rating, comment); err != nil {
			return err
		}
		if err := tx.UseFeedbackLink(ctx, l.ID, s.now().UTC()); err != nil {
			return feedbackRefused(FeedbackLinkUsed)
		}
		if _, err := s.rate(ctx, tx, t, rating, comment, FeedbackByLink); err != nil {
			return err
		}
		out = &FeedbackLinkInfo{Number: t.Number, Subject: t.Subject, Expires: l.ExpiresAt}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// feedbackLink returns the usable feedback link of token and its ticket,
// or the error saying why the link is refused.
func (s *Service) feedbackLink(ctx context.Context, tx *store.Tx, token string) (*store.FeedbackLink, *ticket.Ticket, error) {
	if !auth.LooksLikeToken(token) {
		return nil, nil, feedbackRefused(FeedbackLinkUnknown)
	}
	l, err := tx.FeedbackLinkByHash(ctx, auth.HashToken(token))
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		return nil, nil, feedbackRefused(FeedbackLinkUnknown)
	} else if err != nil {
		return nil, nil, err
	}
	t, err := tx.TicketByID(ctx, access.System, l.TicketID)
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		return nil, nil, feedbackRefused(FeedbackLinkUnknown)
	} else if err != nil {
		return nil, nil, err
	}
	switch {
	case l.UsedAt != nil:
		return nil, nil, feedbackRefused(FeedbackLinkUsed)
	case !s.now().Before(l.ExpiresAt):
		return nil, nil, feedbackRefused(FeedbackLinkExpired)
	}
	if _, err := tx.FeedbackByTicket(ctx, t.ID); err == nil {
		return nil, nil, feedbackRefused(FeedbackLinkRated)
	} else if ticket.ErrorCode(err) != ticket.ENOTFOUND {
		return nil, nil, err
	}
	if !Rateable(t) {
		return nil, nil, feedbackRefused(FeedbackLinkReopened)
	}
	return l, t, nil
}

// feedbackRefused is the error for a feedback link refused for reason.
func feedbackRefused(reason string) error {
	switch reason {
	case FeedbackLinkUnknown:
		return ticket.E(ticket.ENOTFOUND, "err.feedback_link.unknown").Field("token", "problem.feedback_link.unknown")
	case FeedbackLinkUsed:
		return ticket.E(ticket.ECONFLICT, "err.feedback_link.used").Field("token", "problem.feedback_link.used")
	case FeedbackLinkRated:
		return ticket.E(ticket.ECONFLICT, "err.feedback_link.rated").Field("token", "problem.feedback_link.rated")
	case FeedbackLinkReopened:
		return ticket.E(ticket.ECONFLICT, "err.feedback_link.reopened").Field("token", "problem.feedback_link.reopened")
	}
	return ticket.E(ticket.ECONFLICT, "err.feedback_link.expired").Field("token", "problem.feedback_link.expired")
}

// FeedbackRefusal returns why err refuses a feedback link
// (FeedbackLinkUnknown …), or "" when err is about something else.
func FeedbackRefusal(err error) string {
	switch ticket.ErrorReason(err) {
	case "err.feedback_link.unknown":
		return FeedbackLinkUnknown
	case "err.feedback_link.used":
		return FeedbackLinkUsed
	case "err.feedback_link.expired":
		return FeedbackLinkExpired
	case "err.feedback_link.rated":
		return FeedbackLinkRated
	case "err.feedback_link.reopened":
		return FeedbackLinkReopened
	}
	return ""
}

// newFeedbackLink makes a one-time feedback link for the resolution of t
// at now and returns its token, to ride on the mail's outbox row; only its
// hash is kept with the link. It is valid while the ticket waits to close
// by itself and FeedbackGrace beyond.
func (s *Service) newFeedbackLink(ctx context.Context, tx *store.Tx, t *ticket.Ticket, now time.Time) (string, error) {
	token, hash, err := auth.NewToken()
	if err != nil {
		return "", err
	}
	l := &store.FeedbackLink{TicketID: t.ID, CreatedAt: now, ExpiresAt: now.Add(s.autoClose + s.fbGrace)}
	return token, tx.InsertFeedbackLink(ctx, l, hash)
}

// loadFeedbackMail adds to resolution mail m (notification id, to the
// ticket's requester) when the ticket closes by itself and, while it may
// still be rated and its link is usable, the feedback link.
func (s *Service) loadFeedbackMail(ctx context.Context, tx *store.Tx, m *OutMail, id int64, now time.Time) error {
	t := m.Ticket
	if t.State == ticket.StateResolved && t.ResolvedAt != nil {
		at := t.ResolvedAt.Add(s.autoClose)
		m.AutoCloseAt = &at
	}
	if m.Recipient.ID != t.RequesterID || !Rateable(t) {
		return nil
	}
	token, err := tx.NotificationSecret(ctx, id)
	if err != nil || token == "" {
		return err
	}
	l, err := tx.FeedbackLinkByHash(ctx, auth.HashToken(token))
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	if l.UsedAt != nil || !now.Before(l.ExpiresAt) || l.TicketID != t.ID {
		return nil
	}
	if _, err := tx.FeedbackByTicket(ctx, t.ID); err == nil {
		return nil // rated meanwhile, in the portal
	} else if ticket.ErrorCode(err) != ticket.ENOTFOUND {
		return err
	}
	m.Feedback = &FeedbackMail{Token: token, Expires: l.ExpiresAt}
	return nil
}

// ticketFeedback is the feedback part of t's page for a. Staff who see the
// ticket and its requester see the rating; the requester may rate a ticket
// that is rateable and not rated.
func (s *Service) ticketFeedback(ctx context.Context, tx *store.Tx, a access.Actor, t *ticket.Ticket) (*TicketFeedback, error) {
	out := &TicketFeedback{}
	requester := !a.IsSystem() && a.UserID == t.RequesterID
	if !requester && !a.Staff() {
		return out, nil
	}
	f, err := tx.FeedbackByTicket(ctx, t.ID)
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		out.CanRate = requester && Rateable(t)
		return out, nil
	} else if err != nil {
		return nil, err
	}
	out.Given = &Feedback{Rating: f.Rating, Comment: f.Comment, Channel: f.Channel, CreatedAt: f.CreatedAt}
	if f.ComplaintID != 0 {
		if c, err := tx.TicketByID(ctx, a, f.ComplaintID); err == nil && access.CanSeeTicket(a, c) {
			out.Given.Complaint = c.Number
		} else if err != nil && ticket.ErrorCode(err) != ticket.ENOTFOUND {
			return nil, err
		}
	}
	if complainable(a, t, f) {
		q, err := tx.ComplaintsQueue(ctx)
		if err != nil {
			return nil, err
		}
		if q != nil && q.ID != t.QueueID {
			out.CanComplain, out.ComplaintsQueue = true, q.Name
		}
	}
	return out, nil
}

// complainable says whether a may turn rating f of t into a complaint
// (complaints queue aside): a low rating with a comment, no complaint made
// of it yet, and a a member of t's queue.
func complainable(a access.Actor, t *ticket.Ticket, f *store.Feedback) bool {
	return f.Rating < ComplaintBelow && f.Comment != "" && f.ComplaintID == 0 &&
		!a.IsSystem() && a.Staff() && a.Member(t.QueueID)
}

// TicketFeedback returns the rating of the ticket with number as a sees
// it: nil when there is none or a may not see it (only staff and the
// ticket's requester do). ENOTFOUND when a may not see the ticket.
func (s *Service) TicketFeedback(ctx context.Context, a access.Actor, number int64) (*Feedback, error) {
	var out *Feedback
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		t, err := s.load(ctx, tx, a, number)
		if err != nil {
			return err
		}
		tf, err := s.ticketFeedback(ctx, tx, a, t)
		if err == nil {
			out = tf.Given
		}
		return err
	})
	return out, err
}

// TurnIntoComplaint makes a complaint ticket of the low rating of the
// ticket with number, for staff member a of the ticket's queue: in the
// complaints queue, for the same requester, with the rating and comment as
// its description, linked to the original ticket ("related"), confidential
// when the original is. It returns the new ticket; audited. ENOTFOUND when
// a may not see the ticket; EFORBIDDEN for anyone but a member of its
// queue; ECONFLICT when there is no complaints queue, the ticket has no
// rating below ComplaintBelow with a comment, or a complaint was made of
// it already.
func (s *Service) TurnIntoComplaint(ctx context.Context, a access.Actor, number int64) (*ticket.Ticket, error) {
	var out *ticket.Ticket
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		t, err := s.loadForUpdate(ctx, tx, a, number)
		if err != nil {
			return err
		}
		if a.IsSystem() || !a.Staff() || !a.Member(t.QueueID) {
			return ticket.E(ticket.EFORBIDDEN, "err.feedback.complaint_members", t.Queue)
		}
		f, err := tx.FeedbackByTicket(ctx, t.ID)
		if ticket.ErrorCode(err) == ticket.ENOTFOUND {
			return ticket.E(ticket.ECONFLICT, "err.feedback.no_low_rating", t.Ref())
		} else if err != nil {
			return err
		}
		if f.ComplaintID != 0 {
			return ticket.E(ticket.ECONFLICT, "err.feedback.complaint_made")
		}
		if !complainable(a, t, f) {
			return ticket.E(ticket.ECONFLICT, "err.feedback.no_low_rating", t.Ref())
		}
		q, err := tx.ComplaintsQueue(ctx)
		if err != nil {
			return err
		}
		if q == nil || q.ID == t.QueueID {
			return ticket.E(ticket.ECONFLICT, "err.feedback.no_complaints_queue")
		}
		req, err := tx.UserByID(ctx, t.RequesterID)
		if err != nil {
			return err
		}
		lang := i18n.Supported(req.Language)
		if lang == "" {
			lang = i18n.DefaultLanguage
		}
		conf := t.Confidential || q.Confidential
		nt := NewTicket{Queue: q.Name, Requester: req.Email, Channel: ticket.ChannelWeb, Priority: ticket.PriorityNormal,
			Confidential: &conf,
			Subject:      i18n.Text(lang, "feedback.complaint_subject", t.Ref(), t.Subject),
			Description:  i18n.Text(lang, "feedback.complaint_description", t.Ref(), t.Subject, f.Rating) + "\n\n" + f.Comment}
		if utf8.RuneCountInString(nt.Subject) > maxSubject {
			nt.Subject = string([]rune(nt.Subject)[:maxSubject-1]) + "…"
		}
		c, _, err := s.createTicket(ctx, tx, a, nt, nil)
		if err != nil {
			return err
		}
		if _, err := tx.InsertLink(ctx, c.ID, t.ID, "related", reverseLink("related")); err != nil {
			return err
		}
		if err := s.event(ctx, tx, a, c, "link", "", "related"); err != nil {
			return err
		}
		if err := s.event(ctx, tx, a, t, "link", "", reverseLink("related")); err != nil {
			return err
		}
		if err := tx.SetFeedbackComplaint(ctx, f.ID, c.ID); err != nil {
			return err
		}
		out = c
		return tx.InsertAudit(ctx, s.now().UTC(), a.UserID, "feedback.complaint", t.ID, c.Ref())
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ComplaintsQueue returns the name of the complaints queue, "" when none is
// set. Anyone may ask. Errors are database faults.
func (s *Service) ComplaintsQueue(ctx context.Context) (string, error) {
	var name string
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		q, err := tx.ComplaintsQueue(ctx)
		if q != nil {
			name = q.Name
		}
		return err
	})
	return name, err
}

// SetComplaintsQueue makes the queue named name the complaints queue ("":
// none), so that staff may turn low ratings into complaint tickets there.
// Admins only (EFORBIDDEN); ENOTFOUND for an unknown queue. Audited as a
// settings change when it changes.
func (s *Service) SetComplaintsQueue(ctx context.Context, a access.Actor, name string) error {
	if !a.Admin() {
		return ticket.E(ticket.EFORBIDDEN, "err.settings.admins_only")
	}
	name = strings.TrimSpace(name)
	return s.db.Write(ctx, func(tx *store.Tx) error {
		old, err := tx.ComplaintsQueue(ctx)
		if err != nil {
			return err
		}
		var value, oldName string
		if old != nil {
			oldName = old.Name
		}
		if name != "" {
			q, err := tx.QueueByName(ctx, name)
			if err != nil {
				return err
			}
			value, name = strconv.FormatInt(q.ID, 10), q.Name
		}
		if oldName == name {
			return nil
		}
		now := s.now().UTC()
		if err := tx.PutSetting(ctx, store.ComplaintsQueueKey, value, now, a.UserID); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, now, a.UserID, "settings.update",
			0, store.ComplaintsQueueKey+": "+strconv.Quote(oldName)+" → "+strconv.Quote(name))
	})
}
