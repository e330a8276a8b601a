package desk

import (
	"context"
	"strconv"
	"strings"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// MacroInput is a macro to make (CreateMacro) or its new fields
// (UpdateMacro: every field is replaced). Queue names the queue it is
// shared with (empty: personal; only on creation). The answer is
// TextModule (an ID) or Body (a text with placeholders in Language); with
// neither, EntryKind must be empty. State is "", "resolve" or "close";
// MoveQueue a queue name or empty.
type MacroInput struct {
	Name       string
	Queue      string
	TextModule int64
	Body       string
	Language   string
	EntryKind  ticket.Kind
	Visibility ticket.Visibility
	State      string
	Priority   ticket.Priority
	AssignMe   bool
	MoveQueue  string
}

// MacroUse applies a macro to a ticket. Version, when not zero, must be
// the ticket's current one; TimeSpent is the minutes of its entry, taken
// as the queue says (AddEntry); BaseURL makes {ticket.link}.
type MacroUse struct {
	Macro     int64
	Version   int64
	TimeSpent int
	BaseURL   string
	Channel   ticket.Channel
}

// validMacro checks in's fields into v and fills m with them (all but the
// owner, the module and the queue to move to, which need the database).
func validMacro(v ticket.Validation, a access.Actor, in MacroInput, m *ticket.Macro) {
	m.Name = strings.TrimSpace(in.Name)
	if m.Name == "" {
		v.Add("name", "problem.empty")
	} else if len(m.Name) > maxModuleName {
		v.Add("name", "problem.max_chars", maxModuleName)
	}
	m.Language = in.Language
	if m.Language == "" {
		m.Language = a.Lang
	}
	if m.Language != "de" && m.Language != "en" {
		m.Language = "de"
		if in.Language != "" {
			v.Add("language", "problem.language")
		}
	}
	m.Body = ticket.CleanText(in.Body)
	validText(v, "body", m.Body, maxModuleBody, false)
	if reason, args := ticket.CheckTemplate(m.Body); reason != "" {
		v.Add("body", reason, args...)
	}
	m.EntryKind = in.EntryKind
	switch m.EntryKind {
	case "", ticket.KindMessage, ticket.KindQuestion, ticket.KindAnswer, ticket.KindComment:
	default:
		v.Add("entry_kind", "problem.kind")
	}
	m.Visibility = in.Visibility
	if m.Visibility == "" {
		m.Visibility = ticket.VisibilityPublic
	}
	if !m.Visibility.Valid() {
		v.Add("visibility", "problem.visibility")
	} else if m.EntryKind != ticket.KindComment && m.Visibility != ticket.VisibilityPublic {
		v.Add("visibility", "problem.public_for", m.EntryKind)
	}
	if m.EntryKind != "" && m.Body == "" && in.TextModule == 0 {
		v.Add("body", "problem.macro_text")
	}
	if m.EntryKind == "" && (m.Body != "" || in.TextModule != 0) {
		v.Add("entry_kind", "problem.macro_kind")
	}
	if m.Body != "" && in.TextModule != 0 {
		v.Add("body", "problem.contradicts", "text_module")
	}
	m.State = in.State
	if m.State != "" && m.State != "resolve" && m.State != "close" {
		v.Add("state", "problem.macro_state")
	}
	if m.State != "" && m.EntryKind == ticket.KindQuestion {
		v.Add("state", "problem.macro_question_state")
	}
	m.Priority = in.Priority
	if m.Priority != "" && !m.Priority.Valid() {
		v.Add("priority", "problem.priority")
	}
	m.AssignMe = in.AssignMe
}

// macroRefs resolves the module and the queue to move to of in into m,
// checking that whoever sees m may see its module: a personal macro takes
// its owner's modules and those of the owner's queues, a shared one only
// its queue's. EINVALID otherwise.
func macroRefs(ctx context.Context, tx *store.Tx, a access.Actor, in MacroInput, m *ticket.Macro) error {
	m.ModuleID, m.MoveQueueID, m.MoveQueue = 0, 0, ""
	if in.TextModule != 0 {
		tm, err := tx.TextModule(ctx, a, in.TextModule)
		if ticket.ErrorCode(err) == ticket.ENOTFOUND {
			return ticket.E(ticket.EINVALID, ticket.ReasonInvalidFields).Field("text_module", "problem.unknown_text_module")
		} else if err != nil {
			return err
		}
		if m.Shared() && tm.QueueID != m.QueueID {
			return ticket.E(ticket.EINVALID, ticket.ReasonInvalidFields).Field("text_module", "problem.macro_module_queue", m.Queue)
		}
		m.ModuleID = tm.ID
	}
	if name := strings.TrimSpace(in.MoveQueue); name != "" {
		q, err := tx.QueueByName(ctx, name)
		if ticket.ErrorCode(err) == ticket.ENOTFOUND {
			return ticket.E(ticket.EINVALID, "err.queue.no_such").Field("move_queue", "problem.unknown_queue")
		} else if err != nil {
			return err
		}
		m.MoveQueueID, m.MoveQueue = q.ID, q.Name
	}
	return nil
}

func macroDetail(m *ticket.Macro) string {
	owner := "personal"
	if m.Shared() {
		owner = "queue " + m.Queue
	}
	return "#" + strconv.FormatInt(m.ID, 10) + " " + m.Name + " (" + owner + ")"
}

// CreateMacro makes a macro, personal or shared with a queue the actor is
// a member of (any queue for admins). Errors: EFORBIDDEN, EINVALID (bad
// fields, a module the macro's users could not see, unknown queues),
// ECONFLICT (the owner has a macro of that name).
func (s *Service) CreateMacro(ctx context.Context, a access.Actor, in MacroInput) (*ticket.Macro, error) {
	if err := staffOnly(a); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	m := &ticket.Macro{CreatedAt: now, UpdatedAt: now}
	v := ticket.Validation{}
	validMacro(v, a, in, m)
	if err := v.Err(); err != nil {
		return nil, err
	}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		q, err := ownerQueue(ctx, tx, a, in.Queue)
		if err != nil {
			return err
		}
		if q != nil {
			m.QueueID, m.Queue = q.ID, q.Name
		} else {
			m.OwnerID, m.Owner = a.UserID, a.Email
		}
		if err := macroRefs(ctx, tx, a, in, m); err != nil {
			return err
		}
		if err := tx.InsertMacro(ctx, m); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, now, a.UserID, "macro.create", 0, macroDetail(m))
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Macros lists the macros a may see, by name; queue as for TextModules.
// Errors: EFORBIDDEN (not staff), EINVALID (unknown queue).
func (s *Service) Macros(ctx context.Context, a access.Actor, queue string) ([]*ticket.Macro, error) {
	if err := staffOnly(a); err != nil {
		return nil, err
	}
	var out []*ticket.Macro
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		qid, err := queueFilter(ctx, tx, queue)
		if err != nil {
			return err
		}
		out, err = tx.Macros(ctx, a, qid)
		return err
	})
	return out, err
}

// TicketMacros lists the macros a may apply on the ticket with number:
// their personal ones and those of its queue. Errors: ENOTFOUND,
// EFORBIDDEN (not staff).
func (s *Service) TicketMacros(ctx context.Context, a access.Actor, number int64) ([]*ticket.Macro, error) {
	if err := staffOnly(a); err != nil {
		return nil, err
	}
	var out []*ticket.Macro
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		t, err := s.load(ctx, tx, a, number)
		if err != nil {
			return err
		}
		out, err = tx.Macros(ctx, a, t.QueueID)
		return err
	})
	return out, err
}

// Macro returns the macro id; ENOTFOUND when a may not see it.
func (s *Service) Macro(ctx context.Context, a access.Actor, id int64) (*ticket.Macro, error) {
	if err := staffOnly(a); err != nil {
		return nil, err
	}
	var m *ticket.Macro
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		m, err = tx.Macro(ctx, a, id)
		return err
	})
	return m, err
}

// UpdateMacro replaces the fields of the macro id by in's (its owner
// stays). Errors: ENOTFOUND, EFORBIDDEN (a sees but may not manage it),
// EINVALID, ECONFLICT as for CreateMacro.
func (s *Service) UpdateMacro(ctx context.Context, a access.Actor, id int64, in MacroInput) (*ticket.Macro, error) {
	if err := staffOnly(a); err != nil {
		return nil, err
	}
	var m *ticket.Macro
	err := s.db.Write(ctx, func(tx *store.Tx) (err error) {
		if m, err = tx.Macro(ctx, a, id); err != nil {
			return err
		}
		if !mayManage(a, m.OwnerID, m.QueueID) {
			return ticket.E(ticket.EFORBIDDEN, "err.text_module.members", m.Queue)
		}
		v := ticket.Validation{}
		validMacro(v, a, in, m)
		if err := v.Err(); err != nil {
			return err
		}
		if err := macroRefs(ctx, tx, a, in, m); err != nil {
			return err
		}
		m.UpdatedAt = s.now().UTC()
		if err := tx.UpdateMacro(ctx, m); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, m.UpdatedAt, a.UserID, "macro.update", 0, macroDetail(m))
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// DeleteMacro deletes the macro id. Errors: ENOTFOUND, EFORBIDDEN.
func (s *Service) DeleteMacro(ctx context.Context, a access.Actor, id int64) error {
	if err := staffOnly(a); err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		m, err := tx.Macro(ctx, a, id)
		if err != nil {
			return err
		}
		if !mayManage(a, m.OwnerID, m.QueueID) {
			return ticket.E(ticket.EFORBIDDEN, "err.text_module.members", m.Queue)
		}
		if err := tx.DeleteMacro(ctx, id); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, s.now().UTC(), a.UserID, "macro.delete", 0, macroDetail(m))
	})
}

// ApplyMacro applies a macro to the ticket with number in one
// transaction, asking the policy for each part: moving it (move), taking
// it (take: members only), its priority (edit), the entry (its kind, with
// the module filled in for the ticket in the requester's language, minutes
// spent as the queue says), then resolving or closing it (a closed ticket
// is resolved first). The history records each change, the audit log the
// macro, the outbox the notifications. A part that changes nothing (a
// priority the ticket has) is skipped. Errors: ENOTFOUND (the ticket or
// the macro a may not see), EFORBIDDEN (a part a may not do), EINVALID
// (time spent, a macro without anything to do), ECONFLICT (stale version,
// a transition the state machine refuses, a closed ticket).
func (s *Service) ApplyMacro(ctx context.Context, a access.Actor, number int64, use MacroUse) (*ticket.Ticket, error) {
	if err := staffOnly(a); err != nil {
		return nil, err
	}
	if use.Macro <= 0 {
		return nil, ticket.E(ticket.EINVALID, ticket.ReasonInvalidFields).Field("macro", "problem.required")
	}
	if use.TimeSpent != 0 && (use.TimeSpent < ticket.MinTimeSpent || use.TimeSpent > ticket.MaxTimeSpent) {
		return nil, ticket.E(ticket.EINVALID, ticket.ReasonInvalidFields).Field("time_spent", ProblemTimeSpentRange, ticket.MinTimeSpent, ticket.MaxTimeSpent)
	}
	if use.Channel == "" {
		use.Channel = ticket.ChannelAPI
	}
	var t *ticket.Ticket
	err := s.db.Write(ctx, func(tx *store.Tx) (err error) {
		if t, err = s.loadForUpdate(ctx, tx, a, number); err != nil {
			return err
		}
		m, err := tx.Macro(ctx, a, use.Macro)
		if err != nil {
			return err
		}
		if use.Version != 0 && use.Version != t.Version {
			return ticket.E(ticket.ECONFLICT, "err.ticket.stale", t.Ref(), use.Version, t.Version)
		}
		may := func(act access.Action) error {
			if !access.CanAct(a, t, act) {
				return ticket.E(ticket.EFORBIDDEN, "err.ticket.may_not", act, t.Ref())
			}
			return nil
		}
		changed := false
		if m.MoveQueueID != 0 && m.MoveQueueID != t.QueueID {
			if err := may(access.ActMove); err != nil {
				return err
			}
			if _, err := s.apply(ctx, tx, a, t, Action{Name: "move", Queue: m.MoveQueue}); err != nil {
				return err
			}
			changed = true
		}
		if m.AssignMe && t.AssigneeID != a.UserID {
			if err := may(access.ActTake); err != nil {
				return err
			}
			if _, err := s.apply(ctx, tx, a, t, Action{Name: "take"}); err != nil {
				return err
			}
			if err := s.notify(ctx, tx, a, t, NotifyAssigned, nil); err != nil {
				return err
			}
			changed = true
		}
		if m.Priority != "" && m.Priority != t.Priority {
			if err := may(access.ActEdit); err != nil {
				return err
			}
			if err := s.event(ctx, tx, a, t, "priority", string(t.Priority), string(m.Priority)); err != nil {
				return err
			}
			t.Priority = m.Priority
			changed = true
		}
		if m.EntryKind != "" {
			act := map[ticket.Kind]access.Action{ticket.KindMessage: access.ActMessage, ticket.KindQuestion: access.ActQuestion,
				ticket.KindAnswer: access.ActAnswer, ticket.KindComment: access.ActComment}[m.EntryKind]
			if err := may(act); err != nil {
				return err
			}
			if err := s.checkTimeSpent(ctx, tx, a, t, use.TimeSpent); err != nil {
				return err
			}
			body, err := s.macroText(ctx, tx, a, t, m, use.BaseURL)
			if err != nil {
				return err
			}
			if changed {
				// addEntry writes the ticket: the changes so far go with it.
				changed = false
			}
			if _, err := s.addEntry(ctx, tx, a, t, NewEntry{Kind: m.EntryKind, Body: body, Visibility: m.Visibility,
				Channel: use.Channel, TimeSpent: use.TimeSpent}); err != nil {
				return err
			}
		} else if use.TimeSpent != 0 {
			return ticket.E(ticket.EINVALID, ticket.ReasonInvalidFields).Field("time_spent", "problem.macro_no_entry")
		}
		switch m.State {
		case "resolve", "close":
			if err := may(access.ActResolve); err != nil {
				return err
			}
			if t.State != ticket.StateResolved && !(m.State == "close" && t.State == ticket.StateClosed) {
				if err := s.transition(ctx, tx, a, t, ticket.EventResolve); err != nil {
					return err
				}
				if m.State == "resolve" {
					if err := s.notify(ctx, tx, a, t, NotifyResolved, nil); err != nil {
						return err
					}
				}
				changed = true
			}
			if m.State == "close" && t.State != ticket.StateClosed {
				if err := may(access.ActClose); err != nil {
					return err
				}
				if err := s.transition(ctx, tx, a, t, ticket.EventClose); err != nil {
					return err
				}
				if err := s.notify(ctx, tx, a, t, NotifyClosed, nil); err != nil {
					return err
				}
				changed = true
			}
		}
		if changed {
			if err := s.save(ctx, tx, t); err != nil {
				return err
			}
		}
		return tx.InsertAudit(ctx, s.now().UTC(), a.UserID, "ticket.macro", t.ID, macroDetail(m))
	})
	if err != nil {
		return nil, err
	}
	return s.Ticket(ctx, a, number)
}

// macroText is the text of m's entry for t: its module filled in (in the
// requester's language where it exists in both) or its own text. A module
// a may no longer see (they left its queue) is ENOTFOUND.
func (s *Service) macroText(ctx context.Context, tx *store.Tx, a access.Actor, t *ticket.Ticket, m *ticket.Macro, baseURL string) (string, error) {
	if m.ModuleID != 0 {
		tm, err := tx.TextModule(ctx, a, m.ModuleID)
		if err != nil {
			return "", err
		}
		body, _, err := s.renderModule(ctx, tx, a, t, tm, baseURL)
		return body, err
	}
	if m.Body == "" {
		return "", ticket.E(ticket.EINVALID, ticket.ReasonInvalidFields).Field("macro", "problem.macro_text")
	}
	vals, err := s.placeholderValues(ctx, tx, a, t, baseURL)
	if err != nil {
		return "", err
	}
	return ticket.RenderTemplate(m.Body, vals), nil
}

// MacroInputOf returns m's fields as a MacroInput (for changing some of
// them).
func MacroInputOf(m *ticket.Macro) MacroInput {
	return MacroInput{Name: m.Name, Queue: m.Queue, TextModule: m.ModuleID, Body: m.Body, Language: m.Language,
		EntryKind: m.EntryKind, Visibility: m.Visibility, State: m.State, Priority: m.Priority, AssignMe: m.AssignMe,
		MoveQueue: m.MoveQueue}
}
