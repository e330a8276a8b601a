package desk

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// Retention modes: keep closed tickets, anonymise them, or delete them,
// Months after they were closed.
const (
	RetentionOff       = store.RetentionOff
	RetentionAnonymise = store.RetentionAnonymise
	RetentionDelete    = store.RetentionDelete
)

// MaxRetentionMonths bounds a retention period (100 years).
const MaxRetentionMonths = 1200

// RetentionBatch is how many tickets one retention transaction handles.
const RetentionBatch = 500

// RetentionRule says what happens to closed tickets: Mode off keeps them
// (Months 0), anonymise or delete acts on them Months after they closed.
type RetentionRule struct {
	Mode   string `json:"mode"`
	Months int    `json:"months"`
}

// Off reports whether r keeps every closed ticket.
func (r RetentionRule) Off() bool { return r.Mode == RetentionOff }

// String is r for the audit log and the command line: "off" or
// "anonymise after 24 months".
func (r RetentionRule) String() string {
	if r.Off() {
		return RetentionOff
	}
	return r.Mode + " after " + strconv.Itoa(r.Months) + " months"
}

// normalise trims and lowercases the mode; off has no months.
func (r *RetentionRule) normalise() {
	r.Mode = strings.ToLower(strings.TrimSpace(r.Mode))
	if r.Mode == RetentionOff {
		r.Months = 0
	}
}

// validate checks r; its fields are "mode" and "months".
func (r RetentionRule) validate() ticket.Validation {
	v := ticket.Validation{}
	switch r.Mode {
	case RetentionOff:
	case RetentionAnonymise, RetentionDelete:
		if r.Months < 1 || r.Months > MaxRetentionMonths {
			v.Add("months", "problem.retention_months", MaxRetentionMonths)
		}
	default:
		v.Add("mode", "problem.retention_mode")
	}
	return v
}

// Setting keys of the desk-wide default rule.
const (
	settingRetentionMode   = "retention_mode"
	settingRetentionMonths = "retention_months"
)

// retentionDefault reads the desk-wide default rule: off until an admin
// sets one (a saved value that is no longer valid counts as off).
func retentionDefault(ctx context.Context, tx *store.Tx) (RetentionRule, error) {
	rows, err := tx.Settings(ctx)
	if err != nil {
		return RetentionRule{}, err
	}
	r := RetentionRule{Mode: rows[settingRetentionMode].Value}
	r.Months, _ = strconv.Atoi(rows[settingRetentionMonths].Value)
	r.normalise()
	if r.Mode == "" || len(r.validate()) > 0 {
		return RetentionRule{Mode: RetentionOff}, nil
	}
	return r, nil
}

// RetentionDefault returns the desk-wide default rule. Admins only
// (EFORBIDDEN).
func (s *Service) RetentionDefault(ctx context.Context, a access.Actor) (RetentionRule, error) {
	if !a.Admin() {
		return RetentionRule{}, ticket.E(ticket.EFORBIDDEN, "err.retention.admins_only")
	}
	var r RetentionRule
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		r, err = retentionDefault(ctx, tx)
		return err
	})
	return r, err
}

// SetRetentionDefault makes r the desk-wide default rule and returns it as
// saved. Admins only (EFORBIDDEN); EINVALID names the field: mode (not off,
// anonymise or delete) or months (not 1 to MaxRetentionMonths). A change
// writes an audit row (settings.update) with the old and new rule.
func (s *Service) SetRetentionDefault(ctx context.Context, a access.Actor, r RetentionRule) (RetentionRule, error) {
	if !a.Admin() {
		return RetentionRule{}, ticket.E(ticket.EFORBIDDEN, "err.retention.admins_only")
	}
	r.normalise()
	if err := r.validate().Err(); err != nil {
		return RetentionRule{}, err
	}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		old, err := retentionDefault(ctx, tx)
		if err != nil || old == r {
			return err
		}
		now := s.now().UTC()
		if err := tx.PutSetting(ctx, settingRetentionMode, r.Mode, now, a.UserID); err != nil {
			return err
		}
		if err := tx.PutSetting(ctx, settingRetentionMonths, strconv.Itoa(r.Months), now, a.UserID); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, now, a.UserID, "settings.update", 0, "retention: "+strconv.Quote(old.String())+" → "+strconv.Quote(r.String()))
	})
	if err != nil {
		return RetentionRule{}, err
	}
	return r, nil
}

// QueueRetention is a queue's retention: its own rule (nil when it follows
// the default), the default, and the rule in force.
type QueueRetention struct {
	Queue     string         `json:"queue"`
	Own       *RetentionRule `json:"own"`
	Default   RetentionRule  `json:"default"`
	Effective RetentionRule  `json:"effective"`
}

// QueueRetention returns the retention of the queue called name. Admins
// only (EFORBIDDEN); ENOTFOUND for an unknown queue.
func (s *Service) QueueRetention(ctx context.Context, a access.Actor, name string) (*QueueRetention, error) {
	if !a.Admin() {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.retention.admins_only")
	}
	var out *QueueRetention
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		q, err := tx.QueueByName(ctx, name)
		if err != nil {
			return err
		}
		out, err = queueRetention(ctx, tx, q)
		return err
	})
	return out, err
}

func queueRetention(ctx context.Context, tx *store.Tx, q *ticket.Queue) (*QueueRetention, error) {
	def, err := retentionDefault(ctx, tx)
	if err != nil {
		return nil, err
	}
	own, err := tx.QueueRetentions(ctx)
	if err != nil {
		return nil, err
	}
	out := &QueueRetention{Queue: q.Name, Default: def, Effective: def}
	if r, ok := own[q.ID]; ok {
		out.Own = &RetentionRule{Mode: r.Mode, Months: r.Months}
		out.Effective = *out.Own
	}
	return out, nil
}

// SetQueueRetention gives the queue called name its own rule r, or with r
// nil lets it follow the default again, and returns its retention as now
// in force. Admins only (EFORBIDDEN); ENOTFOUND for an unknown queue;
// EINVALID as SetRetentionDefault. A change writes an audit row
// (queue.retention).
func (s *Service) SetQueueRetention(ctx context.Context, a access.Actor, name string, r *RetentionRule) (*QueueRetention, error) {
	if !a.Admin() {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.retention.admins_only")
	}
	if r != nil {
		r.normalise()
		if err := r.validate().Err(); err != nil {
			return nil, err
		}
	}
	var out *QueueRetention
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		q, err := tx.QueueByName(ctx, name)
		if err != nil {
			return err
		}
		before, err := queueRetention(ctx, tx, q)
		if err != nil {
			return err
		}
		row := store.QueueRetention{QueueID: q.ID}
		if r != nil {
			row.Mode, row.Months = r.Mode, r.Months
		}
		now := s.now().UTC()
		if err := tx.SetQueueRetention(ctx, row, now); err != nil {
			return err
		}
		if out, err = queueRetention(ctx, tx, q); err != nil {
			return err
		}
		if describeOwn(before.Own) == describeOwn(out.Own) {
			return nil
		}
		return tx.InsertAudit(ctx, now, a.UserID, "queue.retention", 0,
			q.Name+": "+strconv.Quote(describeOwn(before.Own))+" → "+strconv.Quote(describeOwn(out.Own)))
	})
	return out, err
}

func describeOwn(r *RetentionRule) string {
	if r == nil {
		return "default"
	}
	return r.String()
}

// RetentionOptions tune one retention run.
type RetentionOptions struct {
	// DryRun counts what the run would do and changes nothing.
	DryRun bool
	// AuditMonths removes audit-log rows older than this many months; 0
	// keeps the log whole.
	AuditMonths int
}

// RetentionQueue is what a run did (or would do) in one queue.
type RetentionQueue struct {
	Queue   string `json:"queue"`
	Mode    string `json:"mode"`
	Months  int    `json:"months"`
	Tickets int    `json:"tickets"`
}

// RetentionReport counts what a retention run did or, for a dry run, would
// do: tickets by queue and mode, files released, audit rows removed. It
// holds counts only, never content.
type RetentionReport struct {
	DryRun       bool             `json:"dry_run"`
	Queues       []RetentionQueue `json:"queues"`
	Anonymised   int              `json:"anonymised"`
	Deleted      int              `json:"deleted"`
	Files        int              `json:"files"`
	AuditDeleted int64            `json:"audit_deleted"`
}

// String is the report in one line, as the audit log keeps it.
func (r RetentionReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "anonymised %d, deleted %d tickets, removed %d files, %d audit rows", r.Anonymised, r.Deleted, r.Files, r.AuditDeleted)
	for _, q := range r.Queues {
		fmt.Fprintf(&b, "; %s: %s %d", q.Queue, q.Mode, q.Tickets)
	}
	return b.String()
}

// RunRetention applies every queue's retention rule at now: closed tickets
// closed more than the rule's months before now are anonymised (once) or
// deleted, RetentionBatch tickets per transaction, and audit rows older
// than opts.AuditMonths go. Several servus instances may run it at once on
// one PostgreSQL database: each batch claims its tickets (ClaimRetention),
// so no ticket is done twice; each transaction checks again that its
// tickets are still closed. A run that changed anything writes one audit
// row (retention.run) with the counts. A dry run counts and changes
// nothing. Its errors are database and file-system faults.
func (s *Service) RunRetention(ctx context.Context, now time.Time, opts RetentionOptions) (RetentionReport, error) {
	rep := RetentionReport{DryRun: opts.DryRun, Queues: []RetentionQueue{}}
	type plan struct {
		q    *ticket.Queue
		rule RetentionRule
	}
	var plans []plan
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		def, err := retentionDefault(ctx, tx)
		if err != nil {
			return err
		}
		own, err := tx.QueueRetentions(ctx)
		if err != nil {
			return err
		}
		qs, err := tx.Queues(ctx, false)
		if err != nil {
			return err
		}
		for _, q := range qs {
			rule := def
			if r, ok := own[q.ID]; ok {
				rule = RetentionRule{Mode: r.Mode, Months: r.Months}
			}
			if !rule.Off() {
				plans = append(plans, plan{q, rule})
			}
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	for _, p := range plans {
		cutoff := now.AddDate(0, -p.rule.Months, 0)
		n := 0
		if opts.DryRun {
			err = s.db.Read(ctx, func(tx *store.Tx) (err error) {
				n, err = tx.CountRetention(ctx, p.q.ID, p.rule.Mode, cutoff)
				return err
			})
		} else {
			var files int
			n, files, err = s.retainQueue(ctx, p.q.ID, p.rule.Mode, cutoff, now)
			rep.Files += files
		}
		if p.rule.Mode == RetentionDelete {
			rep.Deleted += n
		} else {
			rep.Anonymised += n
		}
		if n > 0 {
			rep.Queues = append(rep.Queues, RetentionQueue{Queue: p.q.Name, Mode: p.rule.Mode, Months: p.rule.Months, Tickets: n})
		}
		if err != nil {
			return rep, err
		}
	}
	if opts.AuditMonths > 0 {
		cutoff := now.AddDate(0, -opts.AuditMonths, 0)
		if opts.DryRun {
			err = s.db.Read(ctx, func(tx *store.Tx) (err error) {
				rep.AuditDeleted, err = tx.CountAuditBefore(ctx, cutoff)
				return err
			})
		} else {
			err = s.db.Write(ctx, func(tx *store.Tx) (err error) {
				rep.AuditDeleted, err = tx.DeleteAuditBefore(ctx, cutoff)
				return err
			})
		}
		if err != nil {
			return rep, err
		}
	}
	if opts.DryRun || rep.Anonymised+rep.Deleted == 0 && rep.AuditDeleted == 0 {
		return rep, nil
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		return tx.InsertAudit(ctx, s.now().UTC(), 0, "retention.run", 0, rep.String())
	})
	return rep, err
}

// retainQueue applies mode to the tickets of queueID closed before cutoff,
// batch by batch, and returns how many tickets it handled and how many
// files it removed.
func (s *Service) retainQueue(ctx context.Context, queueID int64, mode string, cutoff, now time.Time) (int, int, error) {
	done, files := 0, 0
	for {
		var hashes []string
		var handled []int64
		claimed := 0
		err := s.db.Write(ctx, func(tx *store.Tx) error {
			hashes, handled = nil, nil
			claim, err := tx.ClaimRetention(ctx, queueID, mode, cutoff, RetentionBatch)
			if err != nil {
				return err
			}
			claimed = len(claim)
			if mode == RetentionDelete {
				handled, hashes, err = tx.DeleteTickets(ctx, claim, &cutoff)
				return err
			}
			anonymous, err := tx.AnonymousRequester(ctx, now)
			if err != nil {
				return err
			}
			handled, hashes, err = tx.AnonymiseTickets(ctx, claim, anonymous, now, &cutoff)
			return err
		})
		if err != nil {
			return done, files, err
		}
		done += len(handled)
		n, err := s.removeUnusedBlobs(ctx, hashes)
		files += n
		if err != nil {
			return done, files, err
		}
		if claimed < RetentionBatch {
			return done, files, nil
		}
	}
}

// removeUnusedBlobs removes the files of hashes that no attachment or raw
// mail refers to any more and returns how many it removed.
func (s *Service) removeUnusedBlobs(ctx context.Context, hashes []string) (int, error) {
	if len(hashes) == 0 {
		return 0, nil
	}
	var used map[string]bool
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		used, err = tx.BlobsInUse(ctx, hashes)
		return err
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, h := range hashes {
		if used[h] {
			continue
		}
		if err := s.blobs.Remove(h); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
