package desk

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// CreateQueue adds a queue; admins only (EFORBIDDEN). EINVALID for bad
// fields, ECONFLICT for a taken name or address.
func (s *Service) CreateQueue(ctx context.Context, a access.Actor, nq NewQueue) (*ticket.Queue, error) {
	if !a.Admin() {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.queue.admins_create")
	}
	v := ticket.Validation{}
	nq.Name = strings.TrimSpace(nq.Name)
	nq.Address = ticket.NormalizeEmail(nq.Address)
	if nq.Name == "" {
		v.Add("name", "problem.empty")
	} else if len(nq.Name) > 100 {
		v.Add("name", "problem.max_chars", 100)
	}
	if nq.Address != "" && !ticket.ValidEmail(nq.Address) {
		v.Add("address", "problem.email")
	}
	if nq.TimeSpent == "" {
		nq.TimeSpent = ticket.TimeSpentOff
	}
	if !nq.TimeSpent.Valid() {
		v.Add("time_spent", ProblemTimeSpentSetting)
	}
	tg := ticket.DefaultTargets()
	if nq.Targets != nil {
		tg = *nq.Targets
	}
	validTargets(v, &tg)
	if err := v.Err(); err != nil {
		return nil, err
	}
	q := &ticket.Queue{Name: nq.Name, Address: nq.Address, Default: nq.Default, Confidential: nq.Confidential,
		TimeSpent: nq.TimeSpent, CreatedAt: s.now().UTC(), Targets: tg}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		if err := queueFree(ctx, tx, 0, &q.Name, &q.Address); err != nil {
			return err
		}
		if err := tx.InsertQueue(ctx, q); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, q.CreatedAt, a.UserID, "queue.create", 0, q.Name)
	})
	if err != nil {
		return nil, err
	}
	return q, nil
}

// Queues lists all queues by name (everyone may know which queues exist, to
// choose one for a request); staff also get their members.
func (s *Service) Queues(ctx context.Context, a access.Actor) ([]*ticket.Queue, error) {
	var qs []*ticket.Queue
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		if qs, err = tx.Queues(ctx, a.Staff()); err != nil || !a.Staff() {
			return err
		}
		return withReminders(ctx, tx, qs...)
	})
	if qs == nil {
		qs = []*ticket.Queue{}
	}
	return qs, err
}

// AddQueueMember makes the agent or admin with email a member of queue;
// admins only (EFORBIDDEN). An admin adding themself is audited as
// queue.member.self_add and the membership remembers when. ENOTFOUND for an unknown queue or user, EINVALID
// for a requester.
func (s *Service) AddQueueMember(ctx context.Context, a access.Actor, queue, email string) error {
	if !a.Admin() {
		return ticket.E(ticket.EFORBIDDEN, "err.queue.admins_members")
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		q, err := tx.QueueByName(ctx, queue)
		if err != nil {
			return err
		}
		u, _, err := tx.UserByEmail(ctx, ticket.NormalizeEmail(email))
		if err != nil {
			return err
		}
		if !u.Role.Staff() {
			return ticket.E(ticket.EINVALID, "err.queue.staff_members").Field("email", "problem.is_requester")
		}
		now := s.now().UTC()
		if u.ID == a.UserID {
			// An admin joining a queue (above all a confidential one) gains
			// its tickets: its own action name, and the queue's page shows it.
			if err := tx.AddMember(ctx, q.ID, u.ID, &now); err != nil {
				return err
			}
			detail := q.Name + ": " + u.Email
			if q.Confidential {
				detail += " (confidential queue)"
			}
			return tx.InsertAudit(ctx, now, a.UserID, "queue.member.self_add", 0, detail)
		}
		if err := tx.AddMember(ctx, q.ID, u.ID, nil); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, now, a.UserID, "queue.member.add", 0, q.Name+": "+u.Email)
	})
}

// QueuePatch changes a queue; nil fields stay as they are. An empty
// Address removes the functional address.
type QueuePatch struct {
	Name         *string
	Address      *string
	Default      *bool // only true: the default moves to another queue, it is never just unset
	Confidential *bool
	TimeSpent    *ticket.TimeSpent // off, optional or required
	// The response targets and their calendar (ticket.Targets); they apply
	// to tickets opened or moved in afterwards.
	FirstResponse *int
	Resolution    *int
	Hours         *string
	Zone          *string
	Holidays      *string
	Closures      *bool
	ClosedDays    *[]string
	Reminder      *ticket.Reminder // reminders for waiting tickets (reminders.go)
	Escalate      *bool            // escalation digests to the members (escalation.go)
}

// ProblemTimeSpentSetting is the problem of a queue's time spent setting
// that is none of off, optional, required.
const ProblemTimeSpentSetting = "problem.time_spent_setting"

// UpdateQueue changes the queue called name; admins only (EFORBIDDEN).
// There is always exactly one default queue once one exists: making a queue
// the default takes the role from the previous one, and Default false on
// the default queue is ECONFLICT (make another queue the default instead).
// ENOTFOUND for an unknown queue, EINVALID for bad fields, ECONFLICT for a
// taken name or address. Each change is written to the audit log.
func (s *Service) UpdateQueue(ctx context.Context, a access.Actor, name string, p QueuePatch) (*ticket.Queue, error) {
	if !a.Admin() {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.queue.admins_change")
	}
	v := ticket.Validation{}
	if p.Name != nil {
		*p.Name = strings.TrimSpace(*p.Name)
		if *p.Name == "" {
			v.Add("name", "problem.empty")
		} else if len(*p.Name) > 100 {
			v.Add("name", "problem.max_chars", 100)
		}
	}
	if p.Address != nil {
		*p.Address = ticket.NormalizeEmail(*p.Address)
		if *p.Address != "" && !ticket.ValidEmail(*p.Address) {
			v.Add("address", "problem.email")
		}
	}
	if p.TimeSpent != nil && !p.TimeSpent.Valid() {
		v.Add("time_spent", ProblemTimeSpentSetting)
	}
	if p.Reminder != nil {
		validReminder(v, *p.Reminder)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var q *ticket.Queue
	err := s.db.Write(ctx, func(tx *store.Tx) (err error) {
		if q, err = tx.QueueByName(ctx, name); err != nil {
			return err
		}
		old := q.Targets
		tg := old
		tg.ClosedDays = slices.Clone(old.ClosedDays)
		setIf(&tg.FirstResponse, p.FirstResponse)
		setIf(&tg.Resolution, p.Resolution)
		setIf(&tg.Hours, p.Hours)
		setIf(&tg.Zone, p.Zone)
		setIf(&tg.Holidays, p.Holidays)
		setIf(&tg.Closures, p.Closures)
		setIf(&tg.ClosedDays, p.ClosedDays)
		validTargets(v, &tg)
		if err := v.Err(); err != nil {
			return err
		}
		if err := queueFree(ctx, tx, q.ID, p.Name, p.Address); err != nil {
			return err
		}
		var changes []string
		change := func(field, old, new string) {
			if old != new {
				changes = append(changes, field+": "+old+" → "+new)
			}
		}
		if p.Name != nil {
			change("name", q.Name, *p.Name)
			q.Name = *p.Name
		}
		if p.Address != nil {
			change("address", q.Address, *p.Address)
			q.Address = *p.Address
		}
		if p.Default != nil {
			if q.Default && !*p.Default {
				return ticket.E(ticket.ECONFLICT, "err.queue.default_stays", q.Name).Field("default", ProblemDefaultQueue)
			}
			change("default", strconv.FormatBool(q.Default), strconv.FormatBool(*p.Default))
			q.Default = *p.Default
		}
		if p.Confidential != nil {
			change("confidential", strconv.FormatBool(q.Confidential), strconv.FormatBool(*p.Confidential))
			q.Confidential = *p.Confidential
		}
		if p.TimeSpent != nil {
			change("time_spent", string(q.TimeSpent), string(*p.TimeSpent))
			q.TimeSpent = *p.TimeSpent
		}
		change("first_response_minutes", strconv.Itoa(old.FirstResponse), strconv.Itoa(tg.FirstResponse))
		change("resolution_minutes", strconv.Itoa(old.Resolution), strconv.Itoa(tg.Resolution))
		change("hours", old.Hours, tg.Hours)
		change("time_zone", old.Zone, tg.Zone)
		change("holidays", old.Holidays, tg.Holidays)
		change("closed_dec_24_31", strconv.FormatBool(old.Closures), strconv.FormatBool(tg.Closures))
		change("closed_days", strings.Join(old.ClosedDays, " "), strings.Join(tg.ClosedDays, " "))
		q.Targets = tg
		if err := withReminders(ctx, tx, q); err != nil {
			return err
		}
		if p.Reminder != nil && *p.Reminder != *q.Reminder {
			change("reminder", describeReminder(*q.Reminder), describeReminder(*p.Reminder))
			if err := tx.SetQueueReminder(ctx, q.ID, *p.Reminder); err != nil {
				return err
			}
			*q.Reminder = *p.Reminder
		}
		if p.Escalate != nil && *p.Escalate != *q.Escalate {
			change("escalate", strconv.FormatBool(*q.Escalate), strconv.FormatBool(*p.Escalate))
			if err := tx.SetQueueEscalate(ctx, q.ID, *p.Escalate); err != nil {
				return err
			}
			*q.Escalate = *p.Escalate
		}
		if len(changes) == 0 {
			return nil
		}
		if err := tx.UpdateQueue(ctx, q); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, s.now().UTC(), a.UserID, "queue.update", 0, q.Name+": "+strings.Join(changes, "; "))
	})
	if err != nil {
		return nil, err
	}
	return q, nil
}

func setIf[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

// queueFree checks that no queue but id (0 for a new one) is called name
// (in any case) or has address; ECONFLICT naming the field otherwise. Nil
// or empty values are not checked.
func queueFree(ctx context.Context, tx *store.Tx, id int64, name, address *string) error {
	if name != nil && *name != "" {
		other, err := tx.QueueByName(ctx, *name)
		if err == nil && other.ID != id {
			return ticket.E(ticket.ECONFLICT, "err.queue.name_taken", other.Name).Field("name", "problem.taken")
		} else if err != nil && ticket.ErrorCode(err) != ticket.ENOTFOUND {
			return err
		}
	}
	if address != nil && *address != "" {
		other, err := tx.QueueByAddress(ctx, *address)
		if err == nil && other.ID != id {
			return ticket.E(ticket.ECONFLICT, "err.queue.address_taken", other.Name, *address).Field("address", "problem.taken")
		} else if err != nil && ticket.ErrorCode(err) != ticket.ENOTFOUND {
			return err
		}
	}
	return nil
}

// Problems that the admin operations name in an error's Fields, so that a
// surface can explain the refusal in the person's language.
const (
	ProblemDefaultQueue = "problem.default_queue"
	ProblemHasTickets   = "problem.has_tickets"
	ProblemHasLeaves    = "problem.has_leaves"
	ProblemNotMember    = "problem.not_member"
	ProblemOwnAccount   = "problem.own_account"
	ProblemLastAdmin    = "problem.last_admin"
)

// QueueMember is one member of a queue as the admin sees it: who, whether
// their account is disabled, and how many of the queue's tickets not closed
// are assigned to them.
type QueueMember = store.QueueMemberRow

// QueueUse counts what refers to a queue: its tickets (all, and those not
// closed) and the assistant leaves that file requests into it.
type QueueUse = store.QueueUse

// QueueInfo is one queue as the admin manages it: its members (disabled
// ones too, with their assigned tickets in the queue that the admin may
// see) and what refers to it.
type QueueInfo struct {
	Queue   *ticket.Queue
	Members []QueueMember
	Use     QueueUse
}

// Deletable reports whether the queue may be deleted: it holds no ticket,
// no assistant leaf files into it and it is not the default.
func (qi *QueueInfo) Deletable() bool {
	return qi.Use.Tickets == 0 && !qi.Use.Hidden && qi.Use.Leaves == 0 && !qi.Queue.Default
}

// QueueInfo returns the queue with id for the admin pages; admins only
// (EFORBIDDEN), ENOTFOUND for an unknown queue.
func (s *Service) QueueInfo(ctx context.Context, a access.Actor, id int64) (*QueueInfo, error) {
	if !a.Admin() {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.queue.admins_manage")
	}
	qi := &QueueInfo{}
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		if qi.Queue, err = tx.QueueByID(ctx, id); err != nil {
			return err
		}
		if err := withReminders(ctx, tx, qi.Queue); err != nil {
			return err
		}
		if qi.Members, err = tx.QueueMemberRows(ctx, a, id); err != nil {
			return err
		}
		for _, m := range qi.Members {
			qi.Queue.Members = append(qi.Queue.Members, m.Email)
		}
		qi.Use, err = tx.QueueUse(ctx, a, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return qi, nil
}

// DeleteQueue removes the queue called name; admins only (EFORBIDDEN).
// Only a queue that holds no ticket (open or closed: its history stays
// with it), that no assistant leaf files into and that is not the default
// queue can go; otherwise ECONFLICT says why, and its Fields name the
// reason ("queue": ProblemHasTickets, ProblemHasLeaves or
// ProblemDefaultQueue). ENOTFOUND for an unknown queue.
func (s *Service) DeleteQueue(ctx context.Context, a access.Actor, name string) error {
	if !a.Admin() {
		return ticket.E(ticket.EFORBIDDEN, "err.queue.admins_delete")
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		q, err := tx.QueueByName(ctx, name)
		if err != nil {
			return err
		}
		use, err := tx.QueueUse(ctx, a, q.ID)
		if err != nil {
			return err
		}
		refuse := func(problem, reason string, args ...any) error {
			return ticket.E(ticket.ECONFLICT, reason, args...).Field("queue", problem)
		}
		switch {
		case q.Default:
			return refuse(ProblemDefaultQueue, "err.queue.delete_default", q.Name)
		case use.Tickets == 0 && use.Hidden:
			return refuse(ProblemHasTickets, "err.queue.delete_hidden", q.Name)
		case use.Tickets > 0:
			return refuse(ProblemHasTickets, "err.queue.delete_tickets", q.Name, use.Tickets, use.OpenTickets)
		case use.Leaves > 0:
			return refuse(ProblemHasLeaves, "err.queue.delete_leaves", use.Leaves, q.Name)
		}
		if err := tx.DeleteQueue(ctx, q.ID); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, s.now().UTC(), a.UserID, "queue.delete", 0, q.Name)
	})
}

// RemoveQueueMember takes the person with email out of queue; admins only
// (EFORBIDDEN). Their tickets in the queue that are not closed and
// assigned to them become unassigned, each with a history event by a, in
// the same transaction (an assignee must be a member; this holds for
// tickets a may not see, too). It returns the numbers of those tickets
// that a may see. ENOTFOUND for an unknown queue or user, or one who is no
// member (Fields "email": ProblemNotMember).
func (s *Service) RemoveQueueMember(ctx context.Context, a access.Actor, queue, email string) ([]int64, error) {
	if !a.Admin() {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.queue.admins_members")
	}
	var unassigned []int64
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		q, err := tx.QueueByName(ctx, queue)
		if err != nil {
			return err
		}
		u, _, err := tx.UserByEmail(ctx, ticket.NormalizeEmail(email))
		if err != nil {
			return err
		}
		if ok, err := tx.RemoveMember(ctx, q.ID, u.ID); err != nil {
			return err
		} else if !ok {
			return ticket.E(ticket.ENOTFOUND, "err.queue.not_member", u.Email, q.Name).Field("email", ProblemNotMember)
		}
		if unassigned, err = tx.AssignedTicketNumbers(ctx, a, u.ID, q.ID); err != nil {
			return err
		}
		all, err := s.unassignAll(ctx, tx, a, u.ID, q.ID)
		if err != nil {
			return err
		}
		return tx.InsertAudit(ctx, s.now().UTC(), a.UserID, "queue.member.remove", 0,
			fmt.Sprintf("%s: %s (%d tickets unassigned)", q.Name, u.Email, len(all)))
	})
	if err != nil {
		return nil, err
	}
	return unassigned, nil
}

// unassignAll takes userID off every ticket not closed that is assigned
// to them (in queueID only, when not 0), whether a may see it or not,
// writing the history of each as a's change, and returns their numbers
// (for the audit log, not for a).
func (s *Service) unassignAll(ctx context.Context, tx *store.Tx, a access.Actor, userID, queueID int64) ([]int64, error) {
	numbers, err := tx.AssignedTicketNumbers(ctx, access.System, userID, queueID)
	if err != nil {
		return nil, err
	}
	for _, n := range numbers {
		if err := tx.LockTicket(ctx, n); err != nil {
			return nil, err
		}
		t, err := tx.TicketByNumber(ctx, access.System, n)
		if err != nil {
			return nil, err
		}
		if err := s.assign(ctx, tx, a, t, 0, ""); err != nil {
			return nil, err
		}
		if err := s.save(ctx, tx, t); err != nil {
			return nil, err
		}
	}
	return numbers, nil
}
