package desk

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// The new-ticket assistant: a tree that admins edit. A menu holds menus and
// leaves; a leaf is a kind of request and names the target queue, a
// subject template such as "Drucker defekt: {room}", extra fields to fill
// and help text. A leaf may instead point to another web application
// (software orders, firewall requests, ...): its help text explains that no
// ticket is opened for these, and no ticket can be made from it. Everyone
// signed in may read the tree.

// AssistantField is one extra field of a leaf.
type AssistantField = store.AssistantField

// AssistantNode is one node of the tree; Children are filled by
// AssistantTree.
type AssistantNode struct {
	store.AssistantNode
	Children []*AssistantNode
}

// Title is the node's title in lang ("de" or "en").
func (n *AssistantNode) Title(lang string) string { return pick(lang, n.TitleDE, n.TitleEN) }

// Help is the node's help text in lang.
func (n *AssistantNode) Help(lang string) string { return pick(lang, n.HelpDE, n.HelpEN) }

// FieldLabel and FieldHelp are a field's texts in lang.
func FieldLabel(f AssistantField, lang string) string { return pick(lang, f.LabelDE, f.LabelEN) }
func FieldHelp(f AssistantField, lang string) string  { return pick(lang, f.HelpDE, f.HelpEN) }

func pick(lang, de, en string) string {
	if lang == "en" && en != "" || de == "" {
		return en
	}
	return de
}

// AssistantTree is the whole tree.
type AssistantTree struct {
	Roots []*AssistantNode
	ByID  map[int64]*AssistantNode
}

// Node returns the node with id, or nil.
func (t *AssistantTree) Node(id int64) *AssistantNode { return t.ByID[id] }

// Path returns the nodes from the top down to id (inclusive); nil if id is
// not in the tree.
func (t *AssistantTree) Path(id int64) []*AssistantNode {
	var path []*AssistantNode
	for n := t.ByID[id]; n != nil; n = t.ByID[n.ParentID] {
		path = append(path, n)
		if len(path) > len(t.ByID) {
			return nil // a cycle; never stored, but never loop either
		}
	}
	slices.Reverse(path)
	return path
}

// Children returns the children of id (0: the top level).
func (t *AssistantTree) Children(id int64) []*AssistantNode {
	if id == 0 {
		return t.Roots
	}
	if n := t.ByID[id]; n != nil {
		return n.Children
	}
	return nil
}

// Walk calls f for every node, depth first, with its depth (0 at the top).
func (t *AssistantTree) Walk(f func(n *AssistantNode, depth int)) {
	var walk func(ns []*AssistantNode, d int)
	walk = func(ns []*AssistantNode, d int) {
		for _, n := range ns {
			f(n, d)
			walk(n.Children, d+1)
		}
	}
	walk(t.Roots, 0)
}

// descends reports whether id is anc or lies below it.
func (t *AssistantTree) descends(id, anc int64) bool {
	for _, n := range t.Path(id) {
		if n.ID == anc {
			return true
		}
	}
	return false
}

func buildTree(rows []*store.AssistantNode) *AssistantTree {
	t := &AssistantTree{ByID: make(map[int64]*AssistantNode, len(rows))}
	for _, r := range rows {
		t.ByID[r.ID] = &AssistantNode{AssistantNode: *r}
	}
	for _, r := range rows { // rows come by parent and position
		n := t.ByID[r.ID]
		if p := t.ByID[r.ParentID]; p != nil {
			p.Children = append(p.Children, n)
		} else {
			t.Roots = append(t.Roots, n)
		}
	}
	return t
}

// AssistantTree returns the assistant's tree; everyone signed in may read
// it.
func (s *Service) AssistantTree(ctx context.Context, a access.Actor) (*AssistantTree, error) {
	var t *AssistantTree
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		t, err = loadTree(ctx, tx)
		return err
	})
	return t, err
}

func loadTree(ctx context.Context, tx *store.Tx) (*AssistantTree, error) {
	rows, err := tx.AssistantNodes(ctx)
	if err != nil {
		return nil, err
	}
	return buildTree(rows), nil
}

// AssistantInput is a node as an admin writes it.
type AssistantInput struct {
	ParentID        int64 // 0: at the top
	Leaf            bool
	TitleDE         string
	TitleEN         string
	HelpDE          string
	HelpEN          string
	Queue           string // a leaf's queue, by name
	SubjectTemplate string
	Fields          []AssistantField
	LinkURL         string // a leaf's other web application (http or https); a leaf has a queue or a link, never both
}

var (
	fieldName   = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)
	placeholder = regexp.MustCompile(`\{([^{}]*)\}`)
)

const (
	maxAssistantFields = 12
	maxLinkURL         = 2000
)

// checkLink reports whether s is an absolute http or https address with a
// host: javascript:, data: and the like never reach a requester's browser.
func checkLink(s string) bool {
	if len(s) > maxLinkURL || strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" || u.User != nil {
		return false
	}
	return true
}

// validate checks in and returns the node it describes (without ID,
// position or parent checks).
func (in *AssistantInput) validate(ctx context.Context, tx *store.Tx) (*store.AssistantNode, error) {
	v := ticket.Validation{}
	n := &store.AssistantNode{ParentID: in.ParentID, Leaf: in.Leaf,
		TitleDE: strings.TrimSpace(in.TitleDE), TitleEN: strings.TrimSpace(in.TitleEN),
		HelpDE: strings.TrimSpace(in.HelpDE), HelpEN: strings.TrimSpace(in.HelpEN)}
	if n.TitleDE == "" || len(n.TitleDE) > 120 {
		v.Add("title_de", "problem.chars_between", 1, 120)
	}
	if n.TitleEN == "" || len(n.TitleEN) > 120 {
		v.Add("title_en", "problem.chars_between", 1, 120)
	}
	if len(n.HelpDE) > 4000 || len(n.HelpEN) > 4000 {
		v.Add("help", "problem.max_chars", 4000)
	}
	if !in.Leaf {
		if strings.TrimSpace(in.Queue) != "" || strings.TrimSpace(in.SubjectTemplate) != "" || len(in.Fields) > 0 ||
			strings.TrimSpace(in.LinkURL) != "" {
			v.Add("leaf", "problem.leaf_only")
		}
		return n, v.Err()
	}
	if link := strings.TrimSpace(in.LinkURL); link != "" {
		switch {
		case !checkLink(link):
			v.Add("link_url", "problem.link_url")
		case strings.TrimSpace(in.Queue) != "":
			v.Add("link_url", "problem.queue_or_link")
		case strings.TrimSpace(in.SubjectTemplate) != "" || len(in.Fields) > 0:
			v.Add("link_url", "problem.link_no_form")
		}
		n.LinkURL = link
		return n, v.Err()
	}
	if q := strings.TrimSpace(in.Queue); q == "" {
		v.Add("queue", "problem.leaf_needs_queue")
	} else if queue, err := tx.QueueByName(ctx, q); ticket.ErrorCode(err) == ticket.ENOTFOUND {
		v.Add("queue", "problem.no_queue")
	} else if err != nil {
		return nil, err
	} else {
		n.QueueID, n.QueueName = queue.ID, queue.Name
	}
	names := map[string]bool{}
	if len(in.Fields) > maxAssistantFields {
		v.Add("fields", "problem.max_fields", maxAssistantFields)
	}
	for _, f := range in.Fields {
		f.Name = strings.TrimSpace(f.Name)
		f.LabelDE, f.LabelEN = strings.TrimSpace(f.LabelDE), strings.TrimSpace(f.LabelEN)
		f.HelpDE, f.HelpEN = strings.TrimSpace(f.HelpDE), strings.TrimSpace(f.HelpEN)
		switch {
		case !fieldName.MatchString(f.Name):
			v.Add("fields", "problem.field_name", f.Name)
		case names[f.Name]:
			v.Add("fields", "problem.field_twice", f.Name)
		case f.LabelDE == "" || f.LabelEN == "":
			v.Add("fields", "problem.field_labels", f.Name)
		case f.Kind != "text" && f.Kind != "textarea":
			v.Add("fields", "problem.field_kind", f.Name)
		}
		names[f.Name] = true
		n.Fields = append(n.Fields, f)
	}
	n.SubjectTemplate = strings.TrimSpace(in.SubjectTemplate)
	if n.SubjectTemplate == "" || len(n.SubjectTemplate) > 200 {
		v.Add("subject_template", "problem.chars_between", 1, 200)
	}
	for _, m := range placeholder.FindAllStringSubmatch(n.SubjectTemplate, -1) {
		if !names[m[1]] {
			v.Add("subject_template", "problem.not_a_field", m[1])
		}
	}
	return n, v.Err()
}

// checkParent refuses a parent that is missing, a leaf, or (for an
// existing node id) the node itself or below it.
func checkParent(t *AssistantTree, id, parent int64) error {
	if parent == 0 {
		return nil
	}
	p := t.Node(parent)
	switch {
	case p == nil:
		return ticket.E(ticket.EINVALID, "err.assistant.no_parent").Field("parent", "problem.no_menu")
	case p.Leaf:
		return ticket.E(ticket.EINVALID, "err.assistant.leaf_holds_none").Field("parent", "problem.is_leaf")
	case id != 0 && t.descends(parent, id):
		return ticket.E(ticket.EINVALID, "err.assistant.cycle").Field("parent", "problem.cycle")
	}
	return nil
}

func adminOnly(a access.Actor) error {
	if !a.Admin() {
		return ticket.E(ticket.EFORBIDDEN, "err.assistant.admins_only")
	}
	return nil
}

// CreateAssistantNode adds a node at the end of its parent's children;
// admins only.
func (s *Service) CreateAssistantNode(ctx context.Context, a access.Actor, in AssistantInput) (*AssistantNode, error) {
	if err := adminOnly(a); err != nil {
		return nil, err
	}
	var out *AssistantNode
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		t, err := loadTree(ctx, tx)
		if err != nil {
			return err
		}
		if err := checkParent(t, 0, in.ParentID); err != nil {
			return err
		}
		n, err := in.validate(ctx, tx)
		if err != nil {
			return err
		}
		n.Position = len(t.Children(in.ParentID))
		n.CreatedAt = s.now().UTC()
		if err := tx.InsertAssistantNode(ctx, n); err != nil {
			return err
		}
		out = &AssistantNode{AssistantNode: *n}
		return tx.InsertAudit(ctx, n.CreatedAt, a.UserID, "assistant.create", 0, n.TitleDE)
	})
	return out, err
}

// UpdateAssistantNode changes node id (its parent too: a move to the end of
// the new parent's children); admins only. A menu with children cannot
// become a leaf.
func (s *Service) UpdateAssistantNode(ctx context.Context, a access.Actor, id int64, in AssistantInput) (*AssistantNode, error) {
	if err := adminOnly(a); err != nil {
		return nil, err
	}
	var out *AssistantNode
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		t, err := loadTree(ctx, tx)
		if err != nil {
			return err
		}
		old := t.Node(id)
		if old == nil {
			return ticket.E(ticket.ENOTFOUND, "err.assistant.no_node")
		}
		if err := checkParent(t, id, in.ParentID); err != nil {
			return err
		}
		n, err := in.validate(ctx, tx)
		if err != nil {
			return err
		}
		if n.Leaf && len(old.Children) > 0 {
			return ticket.E(ticket.EINVALID, "err.assistant.menu_not_empty").Field("leaf", "problem.menu_has_entries")
		}
		n.ID, n.CreatedAt, n.Position = id, old.CreatedAt, old.Position
		if in.ParentID != old.ParentID {
			n.Position = len(t.Children(in.ParentID))
		}
		if err := tx.UpdateAssistantNode(ctx, n); err != nil {
			return err
		}
		out = &AssistantNode{AssistantNode: *n}
		return tx.InsertAudit(ctx, s.now().UTC(), a.UserID, "assistant.update", 0, n.TitleDE)
	})
	return out, err
}

// DeleteAssistantNode removes node id and everything below it; admins
// only.
func (s *Service) DeleteAssistantNode(ctx context.Context, a access.Actor, id int64) error {
	if err := adminOnly(a); err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		t, err := loadTree(ctx, tx)
		if err != nil {
			return err
		}
		n := t.Node(id)
		if n == nil {
			return ticket.E(ticket.ENOTFOUND, "err.assistant.no_node")
		}
		var ids []int64
		var collect func(n *AssistantNode)
		collect = func(n *AssistantNode) {
			for _, c := range n.Children {
				collect(c)
			}
			ids = append(ids, n.ID)
		}
		collect(n)
		if err := tx.DeleteAssistantNodes(ctx, ids); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, s.now().UTC(), a.UserID, "assistant.delete", 0, n.TitleDE)
	})
}

// MoveAssistantNode puts node id under parent (0: the top) at index
// position among its new siblings (clamped); admins only. EINVALID for a
// leaf as parent or a cycle.
func (s *Service) MoveAssistantNode(ctx context.Context, a access.Actor, id, parent int64, position int) error {
	if err := adminOnly(a); err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		t, err := loadTree(ctx, tx)
		if err != nil {
			return err
		}
		n := t.Node(id)
		if n == nil {
			return ticket.E(ticket.ENOTFOUND, "err.assistant.no_node")
		}
		if err := checkParent(t, id, parent); err != nil {
			return err
		}
		siblings := slices.DeleteFunc(slices.Clone(t.Children(parent)), func(c *AssistantNode) bool { return c.ID == id })
		position = min(max(position, 0), len(siblings))
		siblings = slices.Insert(siblings, position, n)
		n.ParentID = parent
		for i, c := range siblings {
			if c.Position == i && c.ID != id {
				continue
			}
			c.Position = i
			if err := tx.UpdateAssistantNode(ctx, &c.AssistantNode); err != nil {
				return err
			}
		}
		return tx.InsertAudit(ctx, s.now().UTC(), a.UserID, "assistant.move", 0, n.TitleDE)
	})
}

// AssistantRequest is what a requester filled in for a leaf. Values are
// keyed by field name; names the leaf does not define are ignored.
type AssistantRequest struct {
	Leaf   int64
	Values map[string]string
	Text   string
	Lang   string // of the field labels in the description
}

// AssistantDraft is the ticket a request makes, for review and submit.
type AssistantDraft struct {
	Leaf   *AssistantNode
	Path   []*AssistantNode
	Values map[string]string // trimmed, the leaf's fields only
	Ticket NewTicket
}

const maxFieldValue = 2000

// DraftAssistantTicket checks req against the current tree and returns the
// ticket it makes: the leaf's queue, the subject from its template, the
// fields as a block above the free text. EINVALID names each missing or
// bad field as "f_<name>"; ENOTFOUND for a leaf that does not exist.
func (s *Service) DraftAssistantTicket(ctx context.Context, a access.Actor, req AssistantRequest) (*AssistantDraft, error) {
	t, err := s.AssistantTree(ctx, a)
	if err != nil {
		return nil, err
	}
	leaf := t.Node(req.Leaf)
	if leaf == nil {
		return nil, ticket.E(ticket.ENOTFOUND, "err.assistant.no_request")
	}
	if !leaf.Leaf {
		return nil, ticket.E(ticket.EINVALID, "err.assistant.choose_leaf").Field("leaf", "problem.is_menu")
	}
	if leaf.LinkURL != "" { // for these, another application, never a ticket
		return nil, ticket.E(ticket.EINVALID, "err.assistant.link_leaf").Field("leaf", "problem.is_link")
	}
	if leaf.QueueID == 0 {
		return nil, ticket.E(ticket.EINVALID, "err.assistant.no_queue").Field("queue", "problem.missing")
	}
	d := &AssistantDraft{Leaf: leaf, Path: t.Path(leaf.ID), Values: map[string]string{}}
	v := ticket.Validation{}
	var block strings.Builder
	titles := make([]string, len(d.Path))
	for i, n := range d.Path {
		titles[i] = n.Title(req.Lang)
	}
	block.WriteString(strings.Join(titles, " › ") + "\n")
	for _, f := range leaf.Fields {
		val := strings.TrimSpace(strings.ReplaceAll(req.Values[f.Name], "\r\n", "\n"))
		if f.Kind == "text" {
			val = strings.Join(strings.Fields(val), " ")
		}
		switch {
		case val == "" && f.Required:
			v.Add("f_"+f.Name, "problem.required")
		case len(val) > maxFieldValue:
			v.Add("f_"+f.Name, "problem.too_long")
		}
		d.Values[f.Name] = val
		if val == "" {
			continue
		}
		label := FieldLabel(f, req.Lang)
		if strings.Contains(val, "\n") {
			block.WriteString(label + ":\n  " + strings.ReplaceAll(val, "\n", "\n  ") + "\n")
		} else {
			block.WriteString(label + ": " + val + "\n")
		}
	}
	if err := v.Err(); err != nil {
		return d, err
	}
	subject := placeholder.ReplaceAllStringFunc(leaf.SubjectTemplate, func(m string) string {
		return strings.Join(strings.Fields(d.Values[m[1:len(m)-1]]), " ")
	})
	subject = strings.TrimRight(strings.Join(strings.Fields(subject), " "), " :-–,")
	if subject == "" {
		subject = leaf.Title(req.Lang)
	}
	if r := []rune(subject); len(r) > 200 {
		subject = string(r[:200]) + "…"
	}
	desc := strings.TrimRight(block.String(), "\n")
	if text := strings.TrimSpace(req.Text); text != "" {
		desc += "\n\n" + text
	}
	d.Ticket = NewTicket{Queue: leaf.QueueName, Subject: subject, Description: desc, Channel: ticket.ChannelWeb}
	return d, nil
}
