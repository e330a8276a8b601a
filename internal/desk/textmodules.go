package desk

import (
	"context"
	"strconv"
	"strings"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// Text modules and macros belong to one person (personal) or to a queue
// (shared). Who does what:
//   - a personal one is seen, used, changed and deleted by its owner only
//     (not even by admins);
//   - a shared one is seen and used by the queue's members and by admins,
//     and changed, deleted or made by the same people: every member of the
//     queue and every admin;
//   - requesters and auditors have none.
//
// A module's text is checked when it is saved (ticket.CheckTemplate): an
// unknown placeholder or an unbalanced brace is refused then, never when
// the module is used.

// NewTextModule is a text module to make. Queue names the queue it is
// shared with; empty makes it personal (the actor's).
type NewTextModule struct {
	Name     string
	Language string // "de" or "en"; empty: the actor's language
	Body     string
	Queue    string
}

// TextModulePatch changes a text module; nil fields stay as they are.
type TextModulePatch struct {
	Name     *string
	Language *string
	Body     *string
}

// RenderedModule is a text module's text for one ticket: its placeholders
// replaced by the ticket's and the agent's data.
type RenderedModule struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Language string `json:"language"`
	Body     string `json:"body"`
}

const (
	maxModuleName = 100
	maxModuleBody = 20000
)

// staffOnly refuses requesters and auditors: text modules and macros are
// staff's tools.
func staffOnly(a access.Actor) error {
	if !a.Staff() || a.Auditor() {
		return ticket.E(ticket.EFORBIDDEN, "err.text_module.staff")
	}
	return nil
}

// mayManage says whether a may change or delete a module or macro owned by
// ownerID or shared with queueID (see the rules above).
func mayManage(a access.Actor, ownerID, queueID int64) bool {
	if queueID != 0 {
		return a.Admin() || a.Member(queueID)
	}
	return ownerID == a.UserID && !a.IsSystem()
}

// ownerQueue resolves the queue a new module or macro is shared with ("":
// personal) and checks that a may manage it there. Errors: EINVALID (no
// such queue, named in field "queue"), EFORBIDDEN.
func ownerQueue(ctx context.Context, tx *store.Tx, a access.Actor, name string) (*ticket.Queue, error) {
	if strings.TrimSpace(name) == "" {
		if a.IsSystem() {
			return nil, ticket.E(ticket.EINVALID, ticket.ReasonInvalidFields).Field("queue", "problem.required")
		}
		return nil, nil
	}
	q, err := tx.QueueByName(ctx, strings.TrimSpace(name))
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		return nil, ticket.E(ticket.EINVALID, "err.queue.no_such").Field("queue", "problem.unknown_queue")
	} else if err != nil {
		return nil, err
	}
	if !mayManage(a, 0, q.ID) {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.text_module.members", q.Name)
	}
	return q, nil
}

// validModule checks a module's fields into v.
func validModule(v ticket.Validation, m *ticket.TextModule) {
	m.Name = strings.TrimSpace(m.Name)
	if m.Name == "" {
		v.Add("name", "problem.empty")
	} else if len(m.Name) > maxModuleName {
		v.Add("name", "problem.max_chars", maxModuleName)
	}
	if m.Language != "de" && m.Language != "en" {
		v.Add("language", "problem.language")
	}
	m.Body = ticket.CleanText(m.Body)
	validText(v, "body", m.Body, maxModuleBody, true)
	if reason, args := ticket.CheckTemplate(m.Body); reason != "" {
		v.Add("body", reason, args...)
	}
}

// CreateTextModule makes a text module, personal or shared with a queue
// the actor may manage modules of. Errors: EFORBIDDEN (not staff, not a
// member of the queue), EINVALID (empty name, unknown language, unknown
// placeholder or unbalanced braces in the body, unknown queue), ECONFLICT
// (the owner has a module of that name and language).
func (s *Service) CreateTextModule(ctx context.Context, a access.Actor, nm NewTextModule) (*ticket.TextModule, error) {
	if err := staffOnly(a); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	m := &ticket.TextModule{Name: nm.Name, Language: nm.Language, Body: nm.Body, CreatedAt: now, UpdatedAt: now}
	if m.Language == "" {
		m.Language = a.Lang
	}
	v := ticket.Validation{}
	validModule(v, m)
	if err := v.Err(); err != nil {
		return nil, err
	}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		q, err := ownerQueue(ctx, tx, a, nm.Queue)
		if err != nil {
			return err
		}
		if q != nil {
			m.QueueID, m.Queue = q.ID, q.Name
		} else {
			m.OwnerID, m.Owner = a.UserID, a.Email
		}
		if err := tx.InsertTextModule(ctx, m); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, now, a.UserID, "text_module.create", 0, moduleDetail(m))
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// moduleDetail names m in the audit log: its ID, name, language and owner.
func moduleDetail(m *ticket.TextModule) string {
	owner := "personal"
	if m.Shared() {
		owner = "queue " + m.Queue
	}
	return "#" + strconv.FormatInt(m.ID, 10) + " " + m.Name + " (" + m.Language + ", " + owner + ")"
}

// TextModules lists the text modules a may see: their personal ones and
// those of their queues (every queue's for admins), by name. queue, when
// not empty, keeps the personal ones and that queue's. Errors:
// EFORBIDDEN (not staff), EINVALID (unknown queue).
func (s *Service) TextModules(ctx context.Context, a access.Actor, queue string) ([]*ticket.TextModule, error) {
	if err := staffOnly(a); err != nil {
		return nil, err
	}
	var out []*ticket.TextModule
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		qid, err := queueFilter(ctx, tx, queue)
		if err != nil {
			return err
		}
		out, err = tx.TextModules(ctx, a, qid)
		return err
	})
	return out, err
}

// queueFilter resolves a list's queue filter ("" for none) to its ID.
func queueFilter(ctx context.Context, tx *store.Tx, name string) (int64, error) {
	if name == "" {
		return 0, nil
	}
	q, err := tx.QueueByName(ctx, name)
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		return 0, ticket.E(ticket.EINVALID, "err.queue.no_such").Field("queue", "problem.unknown_queue")
	}
	if err != nil {
		return 0, err
	}
	return q.ID, nil
}

// TextModule returns the text module id; ENOTFOUND when a may not see it.
func (s *Service) TextModule(ctx context.Context, a access.Actor, id int64) (*ticket.TextModule, error) {
	if err := staffOnly(a); err != nil {
		return nil, err
	}
	var m *ticket.TextModule
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		m, err = tx.TextModule(ctx, a, id)
		return err
	})
	return m, err
}

// UpdateTextModule changes the text module id. Errors: ENOTFOUND (a may
// not see it), EFORBIDDEN (a may see but not manage it), EINVALID and
// ECONFLICT as for CreateTextModule.
func (s *Service) UpdateTextModule(ctx context.Context, a access.Actor, id int64, p TextModulePatch) (*ticket.TextModule, error) {
	if err := staffOnly(a); err != nil {
		return nil, err
	}
	var m *ticket.TextModule
	err := s.db.Write(ctx, func(tx *store.Tx) (err error) {
		if m, err = tx.TextModule(ctx, a, id); err != nil {
			return err
		}
		if !mayManage(a, m.OwnerID, m.QueueID) {
			return ticket.E(ticket.EFORBIDDEN, "err.text_module.members", m.Queue)
		}
		setIf(&m.Name, p.Name)
		setIf(&m.Language, p.Language)
		setIf(&m.Body, p.Body)
		v := ticket.Validation{}
		validModule(v, m)
		if err := v.Err(); err != nil {
			return err
		}
		m.UpdatedAt = s.now().UTC()
		if err := tx.UpdateTextModule(ctx, m); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, m.UpdatedAt, a.UserID, "text_module.update", 0, moduleDetail(m))
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// DeleteTextModule deletes the text module id; macros that used it lose
// their text. Errors: ENOTFOUND, EFORBIDDEN as for UpdateTextModule.
func (s *Service) DeleteTextModule(ctx context.Context, a access.Actor, id int64) error {
	if err := staffOnly(a); err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		m, err := tx.TextModule(ctx, a, id)
		if err != nil {
			return err
		}
		if !mayManage(a, m.OwnerID, m.QueueID) {
			return ticket.E(ticket.EFORBIDDEN, "err.text_module.members", m.Queue)
		}
		if err := tx.DeleteTextModule(ctx, id); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, s.now().UTC(), a.UserID, "text_module.delete", 0, moduleDetail(m))
	})
}

// TicketModules lists the text modules a may use on the ticket with
// number: their personal ones and those of the ticket's queue, one per
// name, in the requester's language where the module exists in both.
// Errors: ENOTFOUND (the ticket), EFORBIDDEN (not staff).
func (s *Service) TicketModules(ctx context.Context, a access.Actor, number int64) ([]*ticket.TextModule, error) {
	if err := staffOnly(a); err != nil {
		return nil, err
	}
	var out []*ticket.TextModule
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		t, err := s.load(ctx, tx, a, number)
		if err != nil {
			return err
		}
		all, err := tx.TextModules(ctx, a, t.QueueID)
		if err != nil {
			return err
		}
		lang, err := requesterLanguage(ctx, tx, t)
		if err != nil {
			return err
		}
		out = pickLanguage(all, lang)
		return nil
	})
	return out, err
}

// pickLanguage keeps one module per owner and name: the one in lang where
// there is one, else the first.
func pickLanguage(all []*ticket.TextModule, lang string) []*ticket.TextModule {
	type key struct {
		owner, queue int64
		name         string
	}
	at := map[key]int{}
	out := []*ticket.TextModule{}
	for _, m := range all {
		k := key{m.OwnerID, m.QueueID, strings.ToLower(m.Name)}
		if i, ok := at[k]; ok {
			if m.Language == lang {
				out[i] = m
			}
			continue
		}
		at[k] = len(out)
		out = append(out, m)
	}
	return out
}

// requesterLanguage is the language of t's requester ("de" when unknown).
func requesterLanguage(ctx context.Context, tx *store.Tx, t *ticket.Ticket) (string, error) {
	u, _, err := tx.UserByEmail(ctx, t.Requester)
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		return "de", nil
	} else if err != nil {
		return "", err
	}
	if u.Language == "en" {
		return "en", nil
	}
	return "de", nil
}

// RenderTextModule returns the text module id filled in for the ticket
// with number, in the requester's language where the module exists in
// both; baseURL makes {ticket.link}. Errors: ENOTFOUND (the ticket or the
// module a may not see), EFORBIDDEN (not staff).
func (s *Service) RenderTextModule(ctx context.Context, a access.Actor, number, id int64, baseURL string) (*RenderedModule, error) {
	if err := staffOnly(a); err != nil {
		return nil, err
	}
	var out *RenderedModule
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		t, err := s.load(ctx, tx, a, number)
		if err != nil {
			return err
		}
		m, err := tx.TextModule(ctx, a, id)
		if err != nil {
			return err
		}
		body, lang, err := s.renderModule(ctx, tx, a, t, m, baseURL)
		if err != nil {
			return err
		}
		out = &RenderedModule{ID: m.ID, Name: m.Name, Language: lang, Body: body}
		return nil
	})
	return out, err
}

// renderModule fills in m (or its sibling in the requester's language) for
// t and returns the text and its language.
func (s *Service) renderModule(ctx context.Context, tx *store.Tx, a access.Actor, t *ticket.Ticket, m *ticket.TextModule, baseURL string) (string, string, error) {
	lang, err := requesterLanguage(ctx, tx, t)
	if err != nil {
		return "", "", err
	}
	if m.Language != lang {
		sib, err := tx.TextModuleSibling(ctx, m, lang)
		if err != nil {
			return "", "", err
		}
		if sib != nil {
			m = sib
		}
	}
	vals, err := s.placeholderValues(ctx, tx, a, t, baseURL)
	if err != nil {
		return "", "", err
	}
	return ticket.RenderTemplate(m.Body, vals), m.Language, nil
}

// placeholderValues are the values of ticket.Placeholders for t and a.
func (s *Service) placeholderValues(ctx context.Context, tx *store.Tx, a access.Actor, t *ticket.Ticket, baseURL string) (map[string]string, error) {
	names, err := tx.UserNames(ctx, []string{t.Requester, a.Email})
	if err != nil {
		return nil, err
	}
	reqName := names[t.Requester]
	if reqName == "" {
		reqName = t.Requester
	}
	agent := a.Name
	if agent == "" {
		agent = names[a.Email]
	}
	if agent == "" {
		agent = actorName(a)
	}
	return map[string]string{
		"requester.name":  reqName,
		"requester.email": t.Requester,
		"ticket.number":   strconv.FormatInt(t.Number, 10),
		"ticket.subject":  t.Subject,
		"ticket.queue":    t.Queue,
		"ticket.link":     strings.TrimRight(baseURL, "/") + "/tickets/" + strconv.FormatInt(t.Number, 10),
		"agent.name":      agent,
		"agent.email":     a.Email,
	}, nil
}

// RenderTicketModules returns every text module a may use on the ticket
// with number (as TicketModules picks them) filled in for it, for the
// ticket page to insert. Errors as for TicketModules.
func (s *Service) RenderTicketModules(ctx context.Context, a access.Actor, number int64, baseURL string) ([]RenderedModule, error) {
	if err := staffOnly(a); err != nil {
		return nil, err
	}
	out := []RenderedModule{}
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		t, err := s.load(ctx, tx, a, number)
		if err != nil {
			return err
		}
		all, err := tx.TextModules(ctx, a, t.QueueID)
		if err != nil {
			return err
		}
		lang, err := requesterLanguage(ctx, tx, t)
		if err != nil {
			return err
		}
		vals, err := s.placeholderValues(ctx, tx, a, t, baseURL)
		if err != nil {
			return err
		}
		for _, m := range pickLanguage(all, lang) {
			out = append(out, RenderedModule{ID: m.ID, Name: m.Name, Language: m.Language, Body: ticket.RenderTemplate(m.Body, vals)})
		}
		return nil
	})
	return out, err
}
