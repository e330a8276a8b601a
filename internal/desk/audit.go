package desk

import (
	"context"
	"encoding/csv"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// AuditFilter selects audit-log rows; zero fields select everything.
// Action is a kind of action ("ticket.view"), or a family of them when it
// ends in "." ("user."); Actor the acting person's e-mail address; Ticket a
// ticket's number; After (inclusive) and Before (exclusive) bound the time.
type AuditFilter struct {
	Action string
	Actor  string
	Ticket int64
	After  time.Time
	Before time.Time
}

// String renders f as the detail of the audit.read row its reading writes:
// its set fields as a query string ("action=user.&actor=…"), empty for none.
func (f AuditFilter) String() string {
	q := url.Values{}
	if f.Action != "" {
		q.Set("action", f.Action)
	}
	if f.Actor != "" {
		q.Set("actor", f.Actor)
	}
	if f.Ticket != 0 {
		q.Set("ticket", strconv.FormatInt(f.Ticket, 10))
	}
	if !f.After.IsZero() {
		q.Set("after", f.After.UTC().Format(time.RFC3339))
	}
	if !f.Before.IsZero() {
		q.Set("before", f.Before.UTC().Format(time.RFC3339))
	}
	return q.Encode()
}

// AuditEntry is one row of the audit log as it is read.
type AuditEntry = store.AuditRow

// AuditPage is one page of the audit log, newest first.
type AuditPage struct {
	Items   []*AuditEntry
	Total   int
	Page    int
	PerPage int
}

func (f *AuditFilter) validate() error {
	v := ticket.Validation{}
	if len(f.Action) > 100 {
		v.Add("action", "problem.max_chars", 100)
	}
	f.Actor = ticket.NormalizeEmail(f.Actor)
	if len(f.Actor) > 320 {
		v.Add("actor", "problem.max_chars", 320)
	}
	if f.Ticket < 0 {
		v.Add("ticket", "problem.number")
	}
	if !f.After.IsZero() && !f.Before.IsZero() && !f.Before.After(f.After) {
		v.Add("before", "problem.before_after")
	}
	return v.Err()
}

// readAudit checks that a may read the audit log (admins and auditors;
// EFORBIDDEN for everyone else), checks f (EINVALID) and writes the
// audit.read row that every reading leaves, with f as its detail. It is
// its own transaction, before the reading: the reading is recorded even
// when it fails halfway, and a long export holds no write lock.
func (s *Service) readAudit(ctx context.Context, a access.Actor, f *AuditFilter) error {
	if !access.CanReadAudit(a) {
		return ticket.E(ticket.EFORBIDDEN, "err.audit.admins_auditors_read")
	}
	if err := f.validate(); err != nil {
		return err
	}
	return s.recordAuditRead(ctx, a, f.String())
}

// recordAuditRead writes the audit.read row of a reading, with detail
// saying what was read.
func (s *Service) recordAuditRead(ctx context.Context, a access.Actor, detail string) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		return tx.InsertAudit(ctx, s.now(), a.UserID, "audit.read", 0, detail)
	})
}

func (f AuditFilter) store() store.AuditFilter {
	return store.AuditFilter{Action: f.Action, ActorEmail: f.Actor, Ticket: f.Ticket, After: f.After, Before: f.Before}
}

// AuditLog returns page (from 1) of perPage (1 to 200, default 50) rows of
// the audit log that f selects, newest first, with their total. Admins and
// auditors only (EFORBIDDEN); EINVALID for a bad filter. Every call writes
// an audit.read row with the filter (the reading is in the log it reads).
func (s *Service) AuditLog(ctx context.Context, a access.Actor, f AuditFilter, page, perPage int) (*AuditPage, error) {
	if err := s.readAudit(ctx, a, &f); err != nil {
		return nil, err
	}
	page = max(page, 1)
	if perPage <= 0 {
		perPage = 50
	}
	perPage = min(perPage, 200)
	out := &AuditPage{Page: page, PerPage: perPage}
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		out.Items, out.Total, err = tx.AuditPage(ctx, f.store(), perPage, (page-1)*perPage)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EachAuditEntry calls fn with every row of the audit log that f selects,
// newest first, as they are read from the database (for exports of any
// length: nothing is collected); an error of fn stops it and is returned.
// Admins and auditors only (EFORBIDDEN); EINVALID for a bad filter. Like
// AuditLog it writes an audit.read row first.
func (s *Service) EachAuditEntry(ctx context.Context, a access.Actor, f AuditFilter, fn func(*AuditEntry) error) error {
	if err := s.readAudit(ctx, a, &f); err != nil {
		return err
	}
	return s.db.Read(ctx, func(tx *store.Tx) error {
		return tx.EachAudit(ctx, f.store(), fn)
	})
}

// ParseAuditFilter reads a filter from the parameters action, actor,
// ticket, after and before of q, as the API and the /audit page take them:
// times as RFC 3339 or as a day YYYY-MM-DD in loc (after from its start,
// before up to its end). EINVALID names each bad parameter.
func ParseAuditFilter(q url.Values, loc *time.Location) (AuditFilter, error) {
	v := ticket.Validation{}
	f := AuditFilter{Action: strings.TrimSpace(q.Get("action")), Actor: strings.TrimSpace(q.Get("actor"))}
	if s := strings.TrimSpace(q.Get("ticket")); s != "" {
		n, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
		if err != nil || n <= 0 {
			v.Add("ticket", "problem.number")
		}
		f.Ticket = n
	}
	for _, name := range []string{"after", "before"} {
		s := strings.TrimSpace(q.Get(name))
		if s == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			day, derr := time.ParseInLocation("2006-01-02", s, loc)
			if derr != nil {
				v.Add(name, "problem.time")
				continue
			}
			if t = day; name == "before" {
				t = day.AddDate(0, 0, 1)
			}
		}
		if name == "after" {
			f.After = t
		} else {
			f.Before = t
		}
	}
	if err := v.Err(); err != nil {
		return AuditFilter{}, err
	}
	return f, nil
}

// WriteAuditCSV writes the audit log f selects as CSV (a header row at,
// actor, action, ticket, detail, then one row per entry, newest first),
// each row as it is read: start is called once, before anything is
// written, and returns where to write (the caller sets its headers then).
// Rows go out in batches; nothing is collected. Fields that a spreadsheet
// would take for a formula are prefixed with an apostrophe. Checks and
// errors as EachAuditEntry; started says whether start was called (after
// that an error can only cut the output short).
func (s *Service) WriteAuditCSV(ctx context.Context, a access.Actor, f AuditFilter, start func() io.Writer) (started bool, err error) {
	var cw *csv.Writer
	open := func() {
		cw = csv.NewWriter(start())
		cw.Write([]string{"at", "actor", "action", "ticket", "detail"})
	}
	n := 0
	err = s.EachAuditEntry(ctx, a, f, func(e *AuditEntry) error {
		if cw == nil {
			open()
		}
		num := ""
		if e.Ticket != 0 {
			num = strconv.FormatInt(e.Ticket, 10)
		}
		if err := cw.Write([]string{e.At.UTC().Format(time.RFC3339Nano), csvSafe(e.Actor), csvSafe(e.Action), num, csvSafe(e.Detail)}); err != nil {
			return err
		}
		if n++; n%500 == 0 {
			cw.Flush()
			return cw.Error()
		}
		return nil
	})
	if err != nil {
		return cw != nil, err
	}
	if cw == nil {
		open()
	}
	cw.Flush()
	return true, cw.Error()
}

// csvSafe keeps a spreadsheet from taking a field for a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
