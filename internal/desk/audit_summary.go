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

// AdminChangePrefixes are the kinds of action the monthly summary lists
// row by row as admin changes: users and their roles, queues and their
// members, settings, the new-ticket assistant and API tokens.
var AdminChangePrefixes = []string{"user.", "queue.", "settings.", "assistant.", "token."}

// AuditSummary is the monthly summary of the audit log for the works
// council's and the data protection officer's audits: counts by kind of
// action and queue, the reads of confidential tickets by queue, the admin
// changes row by row (naming the acting admin, as the log does) and the
// failed and refused sign-ins. It holds no figure per agent.
type AuditSummary struct {
	Month  string    // YYYY-MM
	Zone   string    // the time zone the month is taken in
	From   time.Time // the month's first instant (inclusive)
	Before time.Time // the next month's first instant (exclusive)

	Actions           []store.AuditCount
	ConfidentialReads []store.AuditConfidentialReads
	AdminChanges      []*AuditEntry
	SignInFailures    int // session.fail
	SignInsLimited    int // session.limited
	Total             int // all rows of the month
}

// ParseMonth reads a month YYYY-MM in loc and returns its first instant
// and that of the next month; an empty s is the month now is in.
// EINVALID (field month) for anything else.
func ParseMonth(s string, loc *time.Location, now time.Time) (from, before time.Time, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		n := now.In(loc)
		from = time.Date(n.Year(), n.Month(), 1, 0, 0, 0, 0, loc)
	} else {
		from, err = time.ParseInLocation("2006-01", s, loc)
		if err != nil || from.Year() < 1970 || from.Year() > 9999 {
			v := ticket.Validation{}
			v.Add("month", "problem.month")
			return time.Time{}, time.Time{}, v.Err()
		}
	}
	return from, from.AddDate(0, 1, 0), nil
}

// AuditSummary summarises the audit log of month (YYYY-MM, taken in loc;
// empty for the current month). Admins and auditors only (EFORBIDDEN);
// EINVALID for a bad month. Every call writes an audit.read row naming the
// month and zone.
func (s *Service) AuditSummary(ctx context.Context, a access.Actor, month string, loc *time.Location) (*AuditSummary, error) {
	if !access.CanReadAudit(a) {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.audit.admins_auditors_read")
	}
	from, before, err := ParseMonth(month, loc, s.now())
	if err != nil {
		return nil, err
	}
	out := &AuditSummary{Month: from.Format("2006-01"), Zone: loc.String(), From: from, Before: before, AdminChanges: []*AuditEntry{}}
	q := url.Values{"summary": {out.Month}, "zone": {out.Zone}}
	if err := s.recordAuditRead(ctx, a, q.Encode()); err != nil {
		return nil, err
	}
	err = s.db.Read(ctx, func(tx *store.Tx) (err error) {
		if out.Actions, err = tx.AuditCounts(ctx, from, before); err != nil {
			return err
		}
		if out.ConfidentialReads, err = tx.AuditConfidentialReadCounts(ctx, from, before); err != nil {
			return err
		}
		return tx.AuditActionsIn(ctx, from, before, AdminChangePrefixes, func(r *store.AuditRow) error {
			out.AdminChanges = append(out.AdminChanges, r)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	for _, c := range out.Actions {
		out.Total += c.Count
		switch c.Action {
		case "session.fail":
			out.SignInFailures += c.Count
		case "session.limited":
			out.SignInsLimited += c.Count
		}
	}
	return out, nil
}

// WriteCSV writes the summary as one CSV table with the columns section,
// item, queue, count, at, actor, detail: a row per kind of action and
// queue (section actions), per queue and kind of confidential read
// (confidential_reads; item ticket, file or mail), the sign-in counts
// (sign_in) and a row per admin change (admin_change; at in UTC). Fields a
// spreadsheet would take for a formula get a leading apostrophe.
func (m *AuditSummary) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	n := strconv.Itoa
	cw.Write([]string{"section", "item", "queue", "count", "at", "actor", "detail"})
	cw.Write([]string{"month", m.Month, "", n(m.Total), m.From.UTC().Format(time.RFC3339), "", m.Zone})
	for _, c := range m.Actions {
		cw.Write([]string{"actions", csvSafe(c.Action), csvSafe(c.Queue), n(c.Count), "", "", ""})
	}
	for _, c := range m.ConfidentialReads {
		for _, k := range []struct {
			item  string
			count int
		}{{"ticket", c.Tickets}, {"file", c.Files}, {"mail", c.Mail}} {
			if k.count > 0 {
				cw.Write([]string{"confidential_reads", k.item, csvSafe(c.Queue), n(k.count), "", "", ""})
			}
		}
	}
	cw.Write([]string{"sign_in", "session.fail", "", n(m.SignInFailures), "", "", ""})
	cw.Write([]string{"sign_in", "session.limited", "", n(m.SignInsLimited), "", "", ""})
	for _, e := range m.AdminChanges {
		cw.Write([]string{"admin_change", csvSafe(e.Action), "", "", e.At.UTC().Format(time.RFC3339Nano), csvSafe(e.Actor), csvSafe(e.Detail)})
	}
	cw.Flush()
	return cw.Error()
}
