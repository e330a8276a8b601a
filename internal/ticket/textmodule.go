package ticket

import (
	"strings"
	"time"
)

// TextModule is a reusable answer ("Textbaustein") with placeholders. It
// belongs to one person (OwnerID, personal: nobody else sees it) or to a
// queue (QueueID, shared with the queue's members). The German and the
// English text of one answer are two modules of the same name and owner.
type TextModule struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Language  string    `json:"language"` // "de" or "en"
	Body      string    `json:"body"`
	OwnerID   int64     `json:"-"`
	Owner     string    `json:"owner,omitempty"` // e-mail of the owner of a personal module
	QueueID   int64     `json:"-"`
	Queue     string    `json:"queue,omitempty"` // the queue of a shared module
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Shared reports whether m belongs to a queue rather than to one person.
func (m *TextModule) Shared() bool { return m.QueueID != 0 }

// Macro is an answer plus field changes applied to a ticket in one step:
// an entry of EntryKind (none when empty) with the text of Module (in the
// requester's language where the module exists in both) or Body, then
// State (resolve or close; a question makes the ticket wait by itself),
// Priority, AssignMe (take the ticket) and MoveQueue. Owned as a
// TextModule is.
type Macro struct {
	ID          int64      `json:"id"`
	Name        string     `json:"name"`
	OwnerID     int64      `json:"-"`
	Owner       string     `json:"owner,omitempty"`
	QueueID     int64      `json:"-"`
	Queue       string     `json:"queue,omitempty"`
	ModuleID    int64      `json:"text_module,omitempty"`
	Body        string     `json:"body,omitempty"`
	Language    string     `json:"language"`
	EntryKind   Kind       `json:"entry_kind,omitempty"`
	Visibility  Visibility `json:"visibility"`
	State       string     `json:"state,omitempty"` // "", "resolve" or "close"
	Priority    Priority   `json:"priority,omitempty"`
	AssignMe    bool       `json:"assign_me"`
	MoveQueueID int64      `json:"-"`
	MoveQueue   string     `json:"move_queue,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// Shared reports whether m belongs to a queue rather than to one person.
func (m *Macro) Shared() bool { return m.QueueID != 0 }

// Placeholders are the names a text module may use, written {name} in its
// body ({{ and }} stand for literal braces):
//
//	{requester.name}  {requester.email}  {ticket.number}  {ticket.subject}
//	{ticket.queue}    {ticket.link}      {agent.name}     {agent.email}
var Placeholders = []string{"requester.name", "requester.email", "ticket.number", "ticket.subject",
	"ticket.queue", "ticket.link", "agent.name", "agent.email"}

// Template problems (catalog keys of field problems).
const (
	ProblemTemplateUnknown  = "problem.template_unknown"  // an unknown placeholder: %s
	ProblemTemplateOpen     = "problem.template_open"     // a { without its }
	ProblemTemplateStrayEnd = "problem.template_stray"    // a } without its {
	ProblemTemplateEmpty    = "problem.template_empty"    // {} names nothing
	ProblemTemplateNested   = "problem.template_unclosed" // a { inside a placeholder
)

// CheckTemplate returns the problem of body as a text module's text (a
// catalog key and its arguments), or "" when every placeholder is known
// and the braces balance.
func CheckTemplate(body string) (string, []any) {
	_, reason, args := expand(body, nil)
	return reason, args
}

// RenderTemplate replaces each placeholder of body by its value in vals
// (missing values render empty); body has passed CheckTemplate.
func RenderTemplate(body string, vals map[string]string) string {
	out, _, _ := expand(body, func(name string) string { return vals[name] })
	return out
}

// expand walks body once; with value nil it only checks.
func expand(body string, value func(string) string) (string, string, []any) {
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == '{' && i+1 < len(body) && body[i+1] == '{':
			b.WriteByte('{')
			i++
		case c == '}' && i+1 < len(body) && body[i+1] == '}':
			b.WriteByte('}')
			i++
		case c == '}':
			return "", ProblemTemplateStrayEnd, nil
		case c == '{':
			end := strings.IndexByte(body[i+1:], '}')
			if end < 0 {
				return "", ProblemTemplateOpen, nil
			}
			name := body[i+1 : i+1+end]
			if strings.ContainsRune(name, '{') {
				return "", ProblemTemplateNested, nil
			}
			name = strings.TrimSpace(name)
			if name == "" {
				return "", ProblemTemplateEmpty, nil
			}
			known := false
			for _, p := range Placeholders {
				if p == name {
					known = true
				}
			}
			if !known {
				return "", ProblemTemplateUnknown, []any{"{" + name + "}"}
			}
			if value != nil {
				b.WriteString(value(name))
			}
			i += end + 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), "", nil
}
