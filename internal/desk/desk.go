// Package desk holds servus's use cases. Each exported method is one
// operation of one actor: it asks the access policy, then changes the
// ticket, writes its history (event entries) and audit rows in one
// transaction. Errors are *ticket.Error values (see ticket.ErrorCode):
// ENOTFOUND for anything the actor may not see, EFORBIDDEN for what they
// see but may not do, EINVALID with field problems, ECONFLICT for stale
// versions and refused transitions, EUNAUTHORIZED for bad credentials.
package desk

import (
	"io"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/servus-desk/servus/internal/auth"
	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// Options tune a Service; zero values take defaults.
type Options struct {
	Now           func() time.Time // clock; default time.Now
	MaxAttachment int64            // bytes per attachment; default 25 MiB
	// PasswordParams is the argon2id cost for new password hashes; default
	// auth.DefaultParams(). Tests and demo data use auth.CheapParams().
	PasswordParams *auth.Params
	// MailDomain is the right-hand side of the Message-IDs servus makes,
	// normally the host of the base URL; default "servus.localhost".
	MailDomain string
	// Quiet writes no notifications (for seeding demo data).
	Quiet bool
	// Mail tunes the delivery of notifications (see mail_out.go).
	Mail MailOptions
	// Inbound tunes mail intake (see mail_in.go).
	Inbound InboundOptions
	// AutoCloseAfter is how long a resolved ticket waits for its requester
	// before it closes by itself (the resolution mail names the day);
	// default 14 days.
	AutoCloseAfter time.Duration
	// FeedbackGrace is how long a feedback link of a resolution mail stays
	// valid beyond AutoCloseAfter; default 30 days (see feedback.go).
	FeedbackGrace time.Duration
	// Directory, when set, is the LDAP directory people sign in with
	// besides local passwords (see SignIn); GroupRules map the groups of
	// outside accounts to roles and queues (see SignInExternal).
	Directory  Directory
	GroupRules []GroupRule
	// OpenID, when set, is the OpenID Connect provider people sign in
	// with besides local passwords (see BeginOpenID).
	OpenID OpenIDProvider
	// Logger receives what a use case notices but does not fail on (an
	// unknown institute at sign-in); default slog.Default().
	Logger *slog.Logger
}

// Service runs servus's use cases against one database and blob store.
type Service struct {
	db    *store.DB
	blobs *blob.Store
	now   func() time.Time
	max   int64
	pw    auth.Params

	mailDomain string
	quiet      bool
	mail       MailOptions
	in         InboundOptions
	autoClose  time.Duration          // Options.AutoCloseAfter
	fbGrace    time.Duration          // Options.FeedbackGrace
	mailKey    atomic.Pointer[[]byte] // the HMAC key of mail addresses, once loaded (mail_auth.go)
	dir        Directory              // nil: local passwords only (accounts.go)
	rules      []GroupRule
	oidc       OpenIDProvider // nil: no OpenID Connect sign-in (openid.go)
	log        *slog.Logger   // Options.Logger
}

// Now returns the service's clock's time: the instant surfaces judge a
// ticket's response targets at (ticket.Ticket.TargetStateAt).
func (s *Service) Now() time.Time { return s.now() }

// New returns a Service over db and blobs.
func New(db *store.DB, blobs *blob.Store, opts Options) *Service {
	s := &Service{db: db, blobs: blobs, now: opts.Now, max: opts.MaxAttachment}
	if s.now == nil {
		s.now = time.Now
	}
	if s.max <= 0 {
		s.max = 25 << 20
	}
	s.mailDomain, s.quiet = opts.MailDomain, opts.Quiet
	s.dir, s.rules = opts.Directory, opts.GroupRules
	s.oidc = opts.OpenID
	s.log = opts.Logger
	if s.log == nil {
		s.log = slog.Default()
	}
	s.mail = opts.Mail.withDefaults()
	s.in = opts.Inbound.withDefaults()
	s.autoClose, s.fbGrace = opts.AutoCloseAfter, opts.FeedbackGrace
	if s.autoClose <= 0 {
		s.autoClose = 14 * 24 * time.Hour
	}
	if s.fbGrace <= 0 {
		s.fbGrace = DefaultFeedbackGrace
	}
	if s.mailDomain == "" {
		s.mailDomain = "servus.localhost"
	}
	s.pw = auth.DefaultParams()
	if opts.PasswordParams != nil {
		s.pw = *opts.PasswordParams
	}
	return s
}

// MaxAttachment is the largest attachment, in bytes, the service accepts.
func (s *Service) MaxAttachment() int64 { return s.max }

// NewUser is a user to create.
type NewUser struct {
	Email    string
	Name     string
	Role     ticket.Role
	Password string // optional; without one the user signs in by other means
	Language string // "de" or "en"; empty: the admin's default language setting
	// Service makes a service account: a program's, with no password and
	// no web sign-in, whose API tokens admins create.
	Service bool
}

// NewQueue is a queue to create.
type NewQueue struct {
	Name         string
	Address      string // functional mail address, optional
	Default      bool   // the queue for mail to no functional address
	Confidential bool   // new tickets confidential by default
	// TimeSpent says whether entries take the minutes spent; default off.
	TimeSpent ticket.TimeSpent
	// Targets are the response targets and business hours; nil takes
	// ticket.DefaultTargets (no targets).
	Targets *ticket.Targets
}

// NewTicket is a ticket to open. Requester defaults to the actor; staff may
// open on behalf of another requester (created as a user if unknown).
// Confidential nil takes the queue's default. Channel defaults to api.
// Files are public attachments sent with the ticket: the ticket is opened
// with all of them or not at all.
type NewTicket struct {
	Queue        string
	Subject      string
	Description  string
	Priority     ticket.Priority // default normal
	Due          *time.Time
	Confidential *bool
	Requester    string
	CC           []string
	Channel      ticket.Channel
	Files        []NewFile

	noReceipt bool // mail that asks for no automatic answer: no receipt to its sender
}

// NewFile is a file sent with a new ticket: its name as sent and its bytes,
// read once.
type NewFile struct {
	Name string
	Body io.Reader
}

// Patch changes a ticket's fields. Version must equal the ticket's current
// version or the change is refused with ECONFLICT. Nil fields stay as they
// are; ClearDue removes the due date. Description replaces the text of the
// ticket's description entry, keeping the earlier one.
type Patch struct {
	Version      int64
	Subject      *string
	Description  *string
	Priority     *ticket.Priority
	Due          *time.Time
	ClearDue     bool
	Confidential *bool
	CC           *[]string
}

// NewEntry is a timeline entry to add. Visibility defaults to public;
// requesters may only write public entries. Channel defaults to api.
type NewEntry struct {
	Kind       ticket.Kind // message, question, answer or comment
	Body       string
	Visibility ticket.Visibility
	Channel    ticket.Channel
	// TimeSpent is the minutes spent on the work the entry records
	// (ticket.MinTimeSpent..ticket.MaxTimeSpent), 0 for none; taken as the
	// ticket's queue says (ticket.TimeSpent).
	TimeSpent int
}

// Split names the entries of a ticket that move to a new ticket. Subject
// is the new ticket's; empty derives one from the ticket's. Version, when
// not zero, must equal the ticket's current version.
type Split struct {
	Entries []int64
	Subject string
	Version int64
	Channel ticket.Channel // where the split was made (web, api); default api
}

// Action is a state or assignment change. Version, when not zero, must equal
// the ticket's current version. Assignee names the member for assign;
// Queue the target for move; Target the other ticket for link and merge,
// with LinkKind one of ticket.LinkKinds (default "related").
type Action struct {
	Name     string
	Version  int64
	Assignee string
	Queue    string
	Target   int64
	LinkKind string
	Channel  ticket.Channel
}
