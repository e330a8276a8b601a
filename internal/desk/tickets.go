package desk

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// pastDue is the problem of a due date set in the past: a due date names
// when something is still to be done, so a new one is never in the past,
// whoever sets it and through whichever surface. A date that has passed
// since it was set stays (the ticket is overdue); an edit that leaves it as
// it is keeps it.
const pastDue = "problem.past"

// Limits on ticket text.
const (
	maxSubject = 250
	maxBody    = 200_000
	maxCC      = 50
)

func validText(v ticket.Validation, field, s string, max int, required bool) {
	switch {
	case required && strings.TrimSpace(s) == "":
		v.Add(field, "problem.empty")
	case utf8.RuneCountInString(s) > max:
		v.Add(field, "problem.max_chars", max)
	case !utf8.ValidString(s):
		v.Add(field, "problem.utf8")
	}
}

func validCC(v ticket.Validation, cc []string) []string {
	out := make([]string, 0, len(cc))
	for _, e := range cc {
		e = ticket.NormalizeEmail(e)
		if !ticket.ValidEmail(e) {
			v.Add("cc", "problem.emails")
			continue
		}
		if !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	if len(out) > maxCC {
		v.Add("cc", "problem.max_addresses", maxCC)
	}
	return out
}

// CreateTicket opens a ticket with its description as first entry. Staff
// may open one on behalf of another requester (an unknown address becomes a
// requester user); an IT delegate for a member of their institute, not a
// confidential one; a requester opens tickets for themself only
// (EFORBIDDEN). EINVALID for bad fields (a due date in the past among
// them), ENOTFOUND for an unknown queue, ETOOLARGE for a file beyond
// MaxAttachment. The ticket, its description, its files and the mails they
// owe are written in one transaction: no error leaves a ticket behind.
func (s *Service) CreateTicket(ctx context.Context, a access.Actor, nt NewTicket) (*ticket.Ticket, error) {
	v := ticket.Validation{}
	nt.Subject = ticket.CleanLine(nt.Subject)
	validText(v, "subject", nt.Subject, maxSubject, true)
	nt.Description = ticket.CleanText(nt.Description)
	validText(v, "description", nt.Description, maxBody, true)
	if strings.TrimSpace(nt.Queue) == "" {
		v.Add("queue", "problem.empty")
	}
	if nt.Priority == "" {
		nt.Priority = ticket.PriorityNormal
	}
	if !nt.Priority.Valid() {
		v.Add("priority", "problem.priority")
	}
	if nt.Channel == "" {
		nt.Channel = ticket.ChannelAPI
	}
	if !nt.Channel.Valid() || nt.Channel == ticket.ChannelSystem {
		v.Add("channel", "problem.channel")
	}
	nt.Requester = ticket.NormalizeEmail(nt.Requester)
	if nt.Requester == "" {
		nt.Requester = a.Email
	}
	if !ticket.ValidEmail(nt.Requester) {
		v.Add("requester", "problem.email")
	}
	cc := validCC(v, nt.CC)
	if nt.Due != nil && nt.Due.Before(s.now()) {
		v.Add("due", pastDue)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if a.Auditor() {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.ticket.auditors_open_none")
	}
	// A requester opens tickets for themself; an IT delegate also for the
	// members of their institute (checkOnBehalf, in the transaction).
	onBehalf := nt.Requester != a.Email && !a.Staff()
	if onBehalf && a.DelegateOf == 0 {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.ticket.for_self_only")
	}
	// The files' bytes are stored before the transaction (content-addressed:
	// one left unreferenced by a failure is harmless); a file too large or
	// unreadable opens no ticket.
	files, err := s.putFiles(nt.Files)
	if err != nil {
		return nil, err
	}
	var t *ticket.Ticket
	err = s.db.Write(ctx, func(tx *store.Tx) (err error) {
		if onBehalf {
			q, err := tx.QueueByName(ctx, nt.Queue)
			if err != nil {
				return err
			}
			confidential := q.Confidential
			if nt.Confidential != nil {
				confidential = *nt.Confidential
			}
			if err := checkOnBehalf(ctx, tx, a, nt.Requester, confidential); err != nil {
				return err
			}
		}
		if t, _, err = s.createTicket(ctx, tx, a, nt, cc); err != nil {
			return err
		}
		return s.attachNew(ctx, tx, a, t, nt.Channel, files)
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// putFiles stores the bytes of each file in the blob store.
func (s *Service) putFiles(files []NewFile) ([]*ticket.Attachment, error) {
	out := make([]*ticket.Attachment, 0, len(files))
	for _, f := range files {
		info, err := s.blobs.Put(f.Body, s.max)
		if err != nil {
			return nil, err
		}
		out = append(out, &ticket.Attachment{Name: blob.SafeName(f.Name), ContentType: info.ContentType, Size: info.Size, Hash: info.Hash})
	}
	return out, nil
}

// attachNew attaches stored files to the new ticket t inside its
// transaction: each is a public attachment entry in the timeline, as
// AddAttachment makes one, and is notified as such; the ticket stays at its
// first version.
func (s *Service) attachNew(ctx context.Context, tx *store.Tx, a access.Actor, t *ticket.Ticket, ch ticket.Channel, files []*ticket.Attachment) error {
	if len(files) == 0 {
		return nil
	}
	if !access.CanSeeTicket(a, t) || !access.CanAct(a, t, access.ActAttach) {
		return ticket.E(ticket.EFORBIDDEN, "err.ticket.may_not", access.ActAttach, t.Ref())
	}
	for _, f := range files {
		e := &ticket.Entry{TicketID: t.ID, Kind: ticket.KindAttachment, AuthorID: a.UserID, Author: a.Email,
			Channel: ch, Visibility: ticket.VisibilityPublic, Body: f.Name, CreatedAt: t.CreatedAt}
		if err := tx.InsertEntry(ctx, e); err != nil {
			return err
		}
		f.TicketID, f.EntryID, f.CreatedAt = t.ID, e.ID, t.CreatedAt
		f.UploaderID, f.Uploader, f.Visibility = a.UserID, a.Email, ticket.VisibilityPublic
		if err := tx.InsertAttachment(ctx, f); err != nil {
			return err
		}
		if err := s.notify(ctx, tx, a, t, NotifyAttached, e); err != nil {
			return err
		}
	}
	return nil
}

// createTicket is CreateTicket inside tx, after validation: nt is valid and
// cc normalised. It returns the ticket and its description entry.
func (s *Service) createTicket(ctx context.Context, tx *store.Tx, a access.Actor, nt NewTicket, cc []string) (*ticket.Ticket, *ticket.Entry, error) {
	now := s.now().UTC()
	q, err := tx.QueueByName(ctx, nt.Queue)
	if err != nil {
		return nil, nil, err
	}
	req, err := s.requesterUser(ctx, tx, nt.Requester)
	if err != nil {
		return nil, nil, err
	}
	number, err := tx.NextTicketNumber(ctx)
	if err != nil {
		return nil, nil, err
	}
	t := &ticket.Ticket{
		Number: number, Subject: ticket.CleanLine(nt.Subject), QueueID: q.ID, Queue: q.Name,
		RequesterID: req.ID, Requester: req.Email, CC: []string{}, Priority: nt.Priority,
		Due: nt.Due, Confidential: q.Confidential, State: ticket.StateNew, Channel: nt.Channel,
		Version: 1, CreatedAt: now, UpdatedAt: now,
	}
	if nt.Confidential != nil {
		t.Confidential = *nt.Confidential
	}
	if m, err := tx.Membership(ctx, req.ID); err != nil {
		return nil, nil, err
	} else if m != nil {
		t.RequesterOrg = m.OrganisationID
	}
	if takeTargets(t, q); t.HasTargets() {
		cal, err := calendarOf(q.Targets)
		if err != nil {
			return nil, nil, err
		}
		computeTargets(cal, t, nil, now)
	}
	if t.Due != nil {
		d := t.Due.UTC()
		t.Due = &d
	}
	if err := tx.InsertTicket(ctx, t); err != nil {
		return nil, nil, err
	}
	if err := tx.IndexNewText(ctx, t.ID, "subject", 0, ticket.VisibilityPublic, t.Subject); err != nil {
		return nil, nil, err
	}
	if err := s.setCC(ctx, tx, t, cc); err != nil {
		return nil, nil, err
	}
	desc := &ticket.Entry{TicketID: t.ID, Kind: ticket.KindDescription, AuthorID: req.ID, Author: req.Email,
		Channel: nt.Channel, Visibility: ticket.VisibilityPublic, Body: nt.Description, CreatedAt: now}
	if err := tx.InsertEntry(ctx, desc); err != nil {
		return nil, nil, err
	}
	if err := s.notifyWith(ctx, tx, a, t, NotifyCreated, desc, !nt.noReceipt); err != nil {
		return nil, nil, err
	}
	if a.UserID != req.ID {
		// Staff opened it on the requester's behalf: say who did.
		if err := s.event(ctx, tx, a, t, "opened_by", "", actorName(a)); err != nil {
			return nil, nil, err
		}
	}
	return t, desc, tx.InsertAudit(ctx, now, a.UserID, "ticket.create", t.ID, "")
}

func actorName(a access.Actor) string {
	if a.IsSystem() {
		return "servus"
	}
	return a.Email
}

// setCC stores t's further requesters (creating unknown ones) and sets t.CC.
func (s *Service) setCC(ctx context.Context, tx *store.Tx, t *ticket.Ticket, emails []string) error {
	ids := make([]int64, 0, len(emails))
	t.CC = []string{}
	for _, e := range emails {
		if e == t.Requester {
			continue
		}
		u, err := s.requesterUser(ctx, tx, e)
		if err != nil {
			return err
		}
		ids = append(ids, u.ID)
		t.CC = append(t.CC, u.Email)
	}
	slices.Sort(t.CC)
	return tx.SetCC(ctx, t.ID, ids)
}

// event writes a history entry: who changed which field from what to what.
func (s *Service) event(ctx context.Context, tx *store.Tx, a access.Actor, t *ticket.Ticket, field, old, new string) error {
	return tx.InsertEntry(ctx, &ticket.Entry{TicketID: t.ID, Kind: ticket.KindEvent, AuthorID: a.UserID,
		Channel: ticket.ChannelSystem, Visibility: ticket.VisibilityPublic, Field: field, OldValue: old,
		NewValue: new, CreatedAt: s.now().UTC()})
}

// load reads the ticket with number as a sees it, inside tx; ENOTFOUND when
// a may not see it. A look at a confidential ticket is audited.
func (s *Service) load(ctx context.Context, tx *store.Tx, a access.Actor, number int64) (*ticket.Ticket, error) {
	t, err := tx.TicketByNumber(ctx, a, number)
	if err != nil {
		return nil, err
	}
	if !access.CanSeeTicket(a, t) { // the query applied the same policy
		return nil, ticket.E(ticket.ENOTFOUND, "err.ticket.not_found", number)
	}
	return t, nil
}

// auditView records a read of a confidential ticket in the audit log.
func (s *Service) auditView(ctx context.Context, a access.Actor, t *ticket.Ticket, what string) error {
	if !t.Confidential || a.IsSystem() {
		return nil
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		return tx.InsertAudit(ctx, s.now().UTC(), a.UserID, "ticket.view", t.ID, what)
	})
}

// Ticket returns the ticket with number, with CC, watchers and links;
// ENOTFOUND when it does not exist or a may not see it.
func (s *Service) Ticket(ctx context.Context, a access.Actor, number int64) (*ticket.Ticket, error) {
	var t *ticket.Ticket
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		t, err = s.load(ctx, tx, a, number)
		return err
	})
	if err != nil {
		return nil, err
	}
	return t, s.auditView(ctx, a, t, "ticket")
}

// loadForUpdate is load for a change: the ticket stays locked until tx
// ends (store.LockTicket), so that a change without a version waits for
// another one rather than conflicting with it.
func (s *Service) loadForUpdate(ctx context.Context, tx *store.Tx, a access.Actor, number int64) (*ticket.Ticket, error) {
	if err := tx.LockTicket(ctx, number); err != nil {
		return nil, err
	}
	return s.load(ctx, tx, a, number)
}

// change loads a ticket for a change by a (locked until tx ends):
// ENOTFOUND if a may not see it, EFORBIDDEN if a may not do act, ECONFLICT
// if version is set and stale.
func (s *Service) change(ctx context.Context, tx *store.Tx, a access.Actor, number int64, act access.Action, version int64) (*ticket.Ticket, error) {
	t, err := s.loadForUpdate(ctx, tx, a, number)
	if err != nil {
		return nil, err
	}
	if !access.CanAct(a, t, act) {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.ticket.may_not", act, t.Ref())
	}
	if version != 0 && version != t.Version {
		return nil, ticket.E(ticket.ECONFLICT, "err.ticket.stale", t.Ref(), version, t.Version)
	}
	return t, nil
}

// save writes t as the next version after a change.
func (s *Service) save(ctx context.Context, tx *store.Tx, t *ticket.Ticket) error {
	old := t.Version
	t.Version++
	t.UpdatedAt = s.now().UTC()
	return tx.UpdateTicket(ctx, t, old)
}

func fmtTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// UpdateTicket changes fields of the ticket with number. p.Version must be
// the ticket's current version: a stale one gets ECONFLICT and changes
// nothing. Each changed field is written to the history; a new description
// keeps the text it replaces as an earlier version. A new due date in the
// past is EINVALID; the ticket's own due date, passed or not, may be sent
// again unchanged.
//
// Queue members and admins edit every field. A requester edits their own
// ticket's subject, description, priority, wished due date and
// confidentiality, not its CC, as long as it is not closed (a merged
// ticket is closed too): ECONFLICT otherwise. They may always make it
// confidential, even when closed, but making it public again is for the
// queue's members (EFORBIDDEN naming the field). ENOTFOUND, EFORBIDDEN,
// EINVALID.
func (s *Service) UpdateTicket(ctx context.Context, a access.Actor, number int64, p Patch) (*ticket.Ticket, error) {
	v := ticket.Validation{}
	if p.Version <= 0 {
		v.Add("version", "problem.version")
	}
	if p.Subject != nil {
		*p.Subject = ticket.CleanLine(*p.Subject)
		validText(v, "subject", *p.Subject, maxSubject, true)
	}
	if p.Description != nil {
		*p.Description = ticket.CleanText(*p.Description)
		validText(v, "description", *p.Description, maxBody, true)
	}
	if p.Priority != nil && !p.Priority.Valid() {
		v.Add("priority", "problem.priority")
	}
	var cc []string
	if p.CC != nil {
		cc = validCC(v, *p.CC)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var t *ticket.Ticket
	err := s.db.Write(ctx, func(tx *store.Tx) (err error) {
		if t, err = s.loadForUpdate(ctx, tx, a, number); err != nil {
			return err
		}
		worker := access.CanAct(a, t, access.ActEdit)
		if !worker && !access.CanAct(a, t, access.ActEditOwn) {
			return ticket.E(ticket.EFORBIDDEN, "err.ticket.may_not", access.ActEdit, t.Ref())
		}
		if p.Version != t.Version {
			return ticket.E(ticket.ECONFLICT, "err.ticket.stale", t.Ref(), p.Version, t.Version)
		}
		// A requester edits a closed ticket no more (a merged one lives on
		// in another), except to make it confidential, which they always
		// may. Staff keep the fields of a closed ticket right.
		onlyConfidential := p.Subject == nil && p.Description == nil && p.Priority == nil && p.Due == nil && !p.ClearDue &&
			p.CC == nil && p.Confidential != nil && *p.Confidential
		if !worker && t.State == ticket.StateClosed && !onlyConfidential {
			if t.CloseReason == ticket.ReasonMerged {
				return ticket.E(ticket.ECONFLICT, "err.ticket.edit_merged", t.Ref())
			}
			return ticket.E(ticket.ECONFLICT, "err.ticket.edit_closed", t.Ref())
		}
		if !worker && p.CC != nil {
			return ticket.E(ticket.EFORBIDDEN, "err.ticket.cc_staff").Field("cc", "problem.cc_staff")
		}
		if !worker && p.Confidential != nil && !*p.Confidential && t.Confidential {
			return ticket.E(ticket.EFORBIDDEN, "err.ticket.public_members").Field("confidential", "problem.public_members")
		}
		var events [][3]string
		if p.Subject != nil && *p.Subject != t.Subject {
			events = append(events, [3]string{"subject", t.Subject, *p.Subject})
			t.Subject = *p.Subject
			if err := tx.IndexText(ctx, t.ID, "subject", 0, ticket.VisibilityPublic, t.Subject); err != nil {
				return err
			}
		}
		if p.Description != nil {
			desc, err := tx.DescriptionEntry(ctx, t.ID)
			if err != nil {
				return err
			}
			if !access.CanSeeEntry(a, t, desc.Visibility) {
				return ticket.E(ticket.EFORBIDDEN, "err.ticket.may_not", access.ActEdit, t.Ref())
			}
			if !sameText(desc.Body, *p.Description) {
				if err := tx.ReplaceDescription(ctx, desc, *p.Description, a.UserID, s.now().UTC()); err != nil {
					return err
				}
				// The history says that the description changed; its texts
				// are the description's versions, seen as the entry is.
				events = append(events, [3]string{"description", "", ""})
			}
		}
		if p.Priority != nil && *p.Priority != t.Priority {
			events = append(events, [3]string{"priority", string(t.Priority), string(*p.Priority)})
			t.Priority = *p.Priority
		}
		if p.ClearDue && t.Due != nil {
			events = append(events, [3]string{"due", fmtTime(t.Due), ""})
			t.Due = nil
		} else if p.Due != nil && (t.Due == nil || !p.Due.Equal(*t.Due)) {
			if p.Due.Before(s.now()) {
				v.Add("due", pastDue)
				return v.Err()
			}
			d := p.Due.UTC()
			events = append(events, [3]string{"due", fmtTime(t.Due), fmtTime(&d)})
			t.Due = &d
		}
		if p.Confidential != nil && *p.Confidential != t.Confidential {
			events = append(events, [3]string{"confidential", strconv.FormatBool(t.Confidential), strconv.FormatBool(*p.Confidential)})
			t.Confidential = *p.Confidential
		}
		if p.CC != nil {
			before := strings.Join(t.CC, ", ")
			if err := s.setCC(ctx, tx, t, cc); err != nil {
				return err
			}
			if after := strings.Join(t.CC, ", "); after != before {
				events = append(events, [3]string{"cc", before, after})
			}
		}
		if len(events) == 0 {
			return nil // nothing changed: the version stays
		}
		for _, e := range events {
			if err := s.event(ctx, tx, a, t, e[0], e[1], e[2]); err != nil {
				return err
			}
		}
		return s.save(ctx, tx, t)
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// sameText reports whether two texts differ only in line endings (a
// browser sends CRLF for a text that came by mail with LF) or surrounding
// space: a form that sends a description back unchanged changes nothing.
func sameText(a, b string) bool {
	norm := func(s string) string { return strings.TrimSpace(strings.ReplaceAll(ticket.CleanText(s), "\r\n", "\n")) }
	return norm(a) == norm(b)
}
