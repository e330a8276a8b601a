package ticket

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Role is what a user is to servus.
type Role string

// Roles.
const (
	RoleRequester Role = "requester"
	RoleAgent     Role = "agent"
	RoleAdmin     Role = "admin"
	// RoleAuditor is the works council's and the data protection
	// officer's: reads the audit log, sees no ticket.
	RoleAuditor Role = "auditor"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	return r == RoleRequester || r == RoleAgent || r == RoleAdmin || r == RoleAuditor
}

// Staff reports whether r belongs to the IT department (agent or admin).
func (r Role) Staff() bool { return r == RoleAgent || r == RoleAdmin }

// User is a person servus knows: a requester, an agent or an admin.
type User struct {
	ID        int64     `json:"-"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	Language  string    `json:"language"` // "de" or "en"
	CreatedAt time.Time `json:"created_at"`
	// Disabled accounts cannot sign in, use their tokens or be assigned
	// tickets, and get no mail; DisabledAt is when an admin disabled it.
	Disabled   bool       `json:"disabled"`
	DisabledAt *time.Time `json:"disabled_at,omitempty"`
	// Kind is KindPerson or KindService. A service account is a program
	// using the API: it has no password, never signs in on the web, gets
	// no reset mail, and admins may create its tokens.
	Kind UserKind `json:"kind"`
	// Auditor is the auditor role held besides the role of agent or admin:
	// the person reads the audit log too (an auditor by Role alone sees no
	// ticket; one by this flag keeps what their role sees).
	Auditor bool `json:"auditor"`
	// AuthSource is where the account signs in: SourceLocal (servus's own
	// password, or none for an account made by mail) or an outside source
	// (SourceLDAP, SourceOIDC, SourceSAML), which has no local password.
	AuthSource AuthSource `json:"auth_source"`
	// ExternalID identifies the account at its outside source (LDAP:
	// entryUUID; OpenID: subject; SAML: persistent ID); empty for local.
	ExternalID string `json:"-"`
}

// AuthSource names where an account proves who it is.
type AuthSource string

// Account sources.
const (
	SourceLocal AuthSource = "local"
	SourceLDAP  AuthSource = "ldap"
	SourceOIDC  AuthSource = "oidc"
	SourceSAML  AuthSource = "saml"
)

// External reports whether a signs in at an outside identity source (and
// so has no local password).
func (a AuthSource) External() bool { return a != "" && a != SourceLocal }

// UserKind tells a person's account from a service account.
type UserKind string

// User kinds.
const (
	KindPerson  UserKind = "person"
	KindService UserKind = "service"
)

// Service reports whether u is a service account.
func (u *User) Service() bool { return u.Kind == KindService }

// Queue is a work group that answers tickets.
type Queue struct {
	ID           int64     `json:"-"`
	Name         string    `json:"name"`
	Address      string    `json:"address,omitempty"` // functional mail address, may be empty
	Default      bool      `json:"default"`           // receives mail to no functional address
	Confidential bool      `json:"confidential"`      // new tickets are confidential by default
	TimeSpent    TimeSpent `json:"time_spent"`        // whether entries take the minutes spent: off, optional, required
	Members      []string  `json:"members,omitempty"` // member e-mails, where loaded
	CreatedAt    time.Time `json:"created_at"`
	Targets      Targets   `json:"targets"`            // response targets and the business hours they count in
	Reminder     *Reminder `json:"reminder,omitempty"` // where loaded (see reminder.go)
	// Escalate, where loaded: the queue's members get a digest of its
	// tickets whose targets become due soon or are breached.
	Escalate *bool `json:"escalate,omitempty"`
}

// Targets are a queue's response targets and the calendar they are counted
// in (package bizhours reads it). A ticket takes the queue's targets when
// it is opened or moved into the queue; changing them later applies to new
// tickets only.
type Targets struct {
	// FirstResponse and Resolution are business minutes; 0 sets no target.
	FirstResponse int `json:"first_response_minutes"`
	Resolution    int `json:"resolution_minutes"`
	// Hours are the opening hours, as "Mon-Fri 08:00-17:00; Sat 09:00-12:00".
	Hours string `json:"hours"`
	// Zone is the IANA time zone of the hours, such as "Europe/Vienna".
	Zone string `json:"time_zone"`
	// Holidays names the public holidays the desk is closed on: HolidaysAustria or "" for none.
	Holidays string `json:"holidays"`
	// Closures closes the desk on 24 and 31 December too.
	Closures bool `json:"closed_dec_24_31"`
	// ClosedDays are further closed dates, YYYY-MM-DD, sorted.
	ClosedDays []string `json:"closed_days"`
}

// HolidaysAustria is Targets.Holidays for Austria's public holidays.
const HolidaysAustria = "AT"

// DefaultTargets are a new queue's calendar: no targets, Monday to Friday
// 08:00 to 17:00 in Vienna with Austria's holidays.
func DefaultTargets() Targets {
	return Targets{Hours: "Mon-Fri 08:00-17:00", Zone: "Europe/Vienna", Holidays: HolidaysAustria, ClosedDays: []string{}}
}

// Any reports whether the queue sets a target at all.
func (t Targets) Any() bool { return t.FirstResponse > 0 || t.Resolution > 0 }

// State is where a ticket stands in its life.
type State string

// States, as DESIGN.md draws them.
const (
	StateNew      State = "new"
	StateOpen     State = "open"
	StateWaiting  State = "waiting"
	StateResolved State = "resolved"
	StateClosed   State = "closed"
)

// States lists every state in life order.
var States = []State{StateNew, StateOpen, StateWaiting, StateResolved, StateClosed}

// Valid reports whether s is a known state.
func (s State) Valid() bool {
	for _, x := range States {
		if s == x {
			return true
		}
	}
	return false
}

// ActiveStates are the states of tickets still to be worked.
var ActiveStates = []State{StateNew, StateOpen, StateWaiting}

// Active reports whether s is new, open or waiting: still to be worked.
func (s State) Active() bool { return s == StateNew || s == StateOpen || s == StateWaiting }

// CloseReason records why a ticket was closed.
type CloseReason string

// Close reasons.
const (
	ReasonSolved     CloseReason = "solved"
	ReasonWithdrawn  CloseReason = "withdrawn"
	ReasonAutoClosed CloseReason = "auto-closed"
	ReasonMerged     CloseReason = "merged"
)

// Priority orders the work.
type Priority string

// Priorities, lowest first.
const (
	PriorityLow    Priority = "low"
	PriorityNormal Priority = "normal"
	PriorityHigh   Priority = "high"
	PriorityUrgent Priority = "urgent"
)

// Priorities lists every priority, lowest first.
var Priorities = []Priority{PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent}

// Valid reports whether p is a known priority.
func (p Priority) Valid() bool {
	for _, x := range Priorities {
		if p == x {
			return true
		}
	}
	return false
}

// Rank orders priorities: low 0 … urgent 3; unknown -1.
func (p Priority) Rank() int {
	for i, x := range Priorities {
		if p == x {
			return i
		}
	}
	return -1
}

// Channel is how an entry or ticket reached servus.
type Channel string

// Channels.
const (
	ChannelWeb    Channel = "web"
	ChannelMail   Channel = "mail"
	ChannelAPI    Channel = "api"
	ChannelPhone  Channel = "phone"
	ChannelSystem Channel = "system"
	// ChannelInPerson is a walk-in: the request was made at the desk.
	ChannelInPerson Channel = "in-person"
)

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool {
	switch c {
	case ChannelWeb, ChannelMail, ChannelAPI, ChannelPhone, ChannelSystem, ChannelInPerson:
		return true
	}
	return false
}

// Visibility says who may read an entry.
type Visibility string

// Visibilities, widest first.
const (
	VisibilityPublic Visibility = "public" // requesters and staff
	VisibilityStaff  Visibility = "staff"  // all agents
	VisibilityQueue  Visibility = "queue"  // members of the ticket's queue
)

// Valid reports whether v is a known visibility.
func (v Visibility) Valid() bool {
	return v == VisibilityPublic || v == VisibilityStaff || v == VisibilityQueue
}

// Kind is the kind of a timeline entry.
type Kind string

// Entry kinds.
const (
	KindDescription Kind = "description" // the first entry
	KindMessage     Kind = "message"     // agent to requester
	KindQuestion    Kind = "question"    // agent asks; ticket waits
	KindAnswer      Kind = "answer"      // requester replies
	KindComment     Kind = "comment"     // a work note, by anyone
	KindAttachment  Kind = "attachment"  // a file was attached
	KindEvent       Kind = "event"       // a field or state change, written by servus
)

// Ticket is one request and its handling. Number is the stable,
// human-facing identifier (#1234).
type Ticket struct {
	ID          int64  `json:"-"`
	Number      int64  `json:"number"`
	Subject     string `json:"subject"`
	Queue       string `json:"queue"`
	QueueID     int64  `json:"-"`
	Requester   string `json:"requester"` // e-mail
	RequesterID int64  `json:"-"`
	// RequesterOrg is the ID of the organisation (institute) the requester
	// belongs to, 0 for none: whose IT delegates may see the ticket.
	RequesterOrg int64       `json:"-"`
	CC           []string    `json:"cc"` // further requesters' e-mails
	Assignee     string      `json:"assignee,omitempty"`
	AssigneeID   int64       `json:"-"` // 0 when unassigned
	Priority     Priority    `json:"priority"`
	Due          *time.Time  `json:"due,omitempty"`
	Confidential bool        `json:"confidential"`
	State        State       `json:"state"`
	CloseReason  CloseReason `json:"close_reason,omitempty"`
	Channel      Channel     `json:"channel"`
	Version      int64       `json:"version"`
	CreatedAt    time.Time   `json:"created_at"`
	UpdatedAt    time.Time   `json:"updated_at"`
	ResolvedAt   *time.Time  `json:"resolved_at,omitempty"`
	ClosedAt     *time.Time  `json:"closed_at,omitempty"`
	Watchers     []string    `json:"watchers,omitempty"` // where loaded
	Links        []Link      `json:"links,omitempty"`    // where loaded
	// TimeSpent is the sum of the minutes spent recorded on the entries the
	// reader may see; where loaded (a single ticket), nil otherwise.
	TimeSpent *int `json:"time_spent,omitempty"`

	// Response targets (see Targets and README "Response targets"): the
	// business minutes the ticket got from its queue (0: none), when each
	// falls due, when staff first answered the requester publicly, and
	// TargetAt and TargetSoonAt, kept for lists: the instant the first
	// target still running falls due (or the due instant of one already
	// missed) and the instant it becomes due soon; nil when no clock runs
	// and nothing was missed.
	FirstResponseTarget int        `json:"-"`
	ResolutionTarget    int        `json:"-"`
	FirstResponseDue    *time.Time `json:"first_response_due,omitempty"`
	ResolutionDue       *time.Time `json:"resolution_due,omitempty"`
	FirstResponseAt     *time.Time `json:"first_response_at,omitempty"`
	TargetAt            *time.Time `json:"-"`
	TargetSoonAt        *time.Time `json:"-"`
	// TargetState is TargetStateAt of the moment the ticket was read, set
	// by the surfaces that show it; "" when it has no targets.
	TargetState string `json:"target_state,omitempty"`
}

// The states of a ticket's response targets (Ticket.TargetStateAt).
const (
	TargetOK       = "ok"
	TargetDueSoon  = "due_soon"
	TargetBreached = "breached"
)

// TargetStates lists the target states, best first.
var TargetStates = []string{TargetOK, TargetDueSoon, TargetBreached}

// HasTargets reports whether the ticket got any response target.
func (t *Ticket) HasTargets() bool { return t.FirstResponseTarget > 0 || t.ResolutionTarget > 0 }

// TargetStateAt tells how t's targets stand at now: "breached" once a
// target was missed (TargetAt before now), "due_soon" from TargetSoonAt
// on, else "ok"; "" for a ticket without targets. The ticket search
// compares the same stored instants (target=breached, target=due_soon).
func (t *Ticket) TargetStateAt(now time.Time) string {
	now = now.Truncate(time.Millisecond)
	switch {
	case !t.HasTargets():
		return ""
	case t.TargetAt != nil && t.TargetAt.Before(now):
		return TargetBreached
	case t.TargetSoonAt != nil && !t.TargetSoonAt.After(now):
		return TargetDueSoon
	}
	return TargetOK
}

// TargetPaused reports whether t's target clocks stand still because it
// waits for its requester.
func (t *Ticket) TargetPaused() bool { return t.HasTargets() && t.State == StateWaiting }

// Ref is the human form of a ticket number, "#1234".
func (t *Ticket) Ref() string { return fmt.Sprintf("#%d", t.Number) }

// ParseRef reads a ticket number in the form Ref writes ("#1234"); ok is
// false for anything else.
func ParseRef(s string) (number int64, ok bool) {
	digits, ok := strings.CutPrefix(s, "#")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}

// NamesTicket reports whether events of field hold another ticket's Ref as
// their new value (merged_into, merged_from). Read paths show that Ref only
// to those who may see the other ticket.
func NamesTicket(field string) bool {
	switch field {
	case "merged_into", "merged_from", "split_into", "split_from":
		return true
	}
	return false
}

// Entry is one item of a ticket's timeline.
type Entry struct {
	ID         int64      `json:"id"`
	TicketID   int64      `json:"-"`
	Kind       Kind       `json:"kind"`
	Author     string     `json:"author,omitempty"` // e-mail; empty for servus itself
	AuthorID   int64      `json:"-"`
	Channel    Channel    `json:"channel"`
	Visibility Visibility `json:"visibility"`
	Body       string     `json:"body,omitempty"`
	Field      string     `json:"field,omitempty"` // for events: what changed
	OldValue   string     `json:"old,omitempty"`
	NewValue   string     `json:"new,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	// BodyHTML is, for an entry that came by mail with HTML, the sanitised
	// HTML of the mail's new part (cut like Body); "" otherwise. Body stays
	// what is searched and mailed; BodyHTML must be sanitised again to be
	// shown (mail.SafeHTML).
	BodyHTML string `json:"body_html,omitempty"`
	// TimeSpent is the minutes spent on the work the entry records
	// (MinTimeSpent..MaxTimeSpent); 0 for none.
	TimeSpent int `json:"time_spent,omitempty"`
}

// DescriptionVersion is an earlier text of a ticket's description: what it
// said, who wrote that text and when (the ticket's requester at creation,
// or whoever edited it then).
type DescriptionVersion struct {
	Body      string    `json:"body"`
	Author    string    `json:"author,omitempty"` // e-mail; empty for servus itself or a deleted user
	CreatedAt time.Time `json:"created_at"`
}

// TimeSpent says whether the entries of a queue's tickets take the minutes
// spent on them.
type TimeSpent string

// Time spent settings of a queue.
const (
	TimeSpentOff      TimeSpent = "off"
	TimeSpentOptional TimeSpent = "optional"
	TimeSpentRequired TimeSpent = "required"
)

// TimeSpents lists the settings in the order forms offer them.
var TimeSpents = []TimeSpent{TimeSpentOff, TimeSpentOptional, TimeSpentRequired}

// Valid reports whether s is a known setting.
func (s TimeSpent) Valid() bool {
	return s == TimeSpentOff || s == TimeSpentOptional || s == TimeSpentRequired
}

// Limits of the minutes spent one entry records: a whole number of minutes
// below a day.
const (
	MinTimeSpent = 1
	MaxTimeSpent = 1439
)

// Link relates two tickets.
type Link struct {
	Kind   string `json:"kind"` // "related", "duplicate", "parent", "child", "merged"
	Number int64  `json:"number"`
}

// LinkKinds are the kinds of link a caller may create.
var LinkKinds = []string{"related", "duplicate", "parent", "child"}

// Attachment is a file on a ticket; its bytes live in the blob store under
// Hash.
type Attachment struct {
	ID          int64      `json:"id"`
	TicketID    int64      `json:"-"`
	EntryID     int64      `json:"entry_id,omitempty"`
	Name        string     `json:"name"`
	ContentType string     `json:"content_type"`
	Size        int64      `json:"size"`
	Hash        string     `json:"sha256"`
	ContentID   string     `json:"content_id,omitempty"` // an inline image's Content-ID in its mail, for cid: references
	Uploader    string     `json:"uploader,omitempty"`
	UploaderID  int64      `json:"-"`
	Visibility  Visibility `json:"visibility"`
	CreatedAt   time.Time  `json:"created_at"`
}

// NormalizeEmail lowercases and trims an address for comparison and storage.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidEmail reports whether s looks like a mail address: one @ with text on
// both sides, a dot in the domain, no spaces or angle brackets.
func ValidEmail(s string) bool {
	if len(s) > 254 || strings.ContainsAny(s, " \t\r\n<>,;\"") {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	if at < 1 || at == len(s)-1 {
		return false
	}
	domain := s[at+1:]
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}
