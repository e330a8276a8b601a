package delivery

import (
	"context"
	"errors"
	"log/slog"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/servus-desk/servus/internal/desk"
)

// Outbox is what the worker needs of the use cases (desk.Service has it).
type Outbox interface {
	ClaimMail(ctx context.Context, lease time.Duration, limit int) ([]*desk.OutMail, error)
	FinishMail(ctx context.Context, id int64, sendErr error) error
}

// Transport delivers rendered messages, one error per message (a Sender,
// or a fake in tests).
type Transport interface {
	Send(ctx context.Context, msgs []*gomail.Msg) []error
}

// WorkerOptions tune a Worker; zero values take defaults.
type WorkerOptions struct {
	Interval time.Duration // how often to look for due mail; default 1s
	Batch    int           // mails per round and connection; default 20
	// Lease is how long a claimed mail stays reserved to this worker;
	// default 15m. It must exceed what sending a batch may take (Batch
	// times the SMTP timeout), or another instance may send a mail again.
	Lease  time.Duration
	Now    func() time.Time // the Date of mails; default time.Now
	Logger *slog.Logger
}

// Worker delivers the outbox: it claims due notifications, renders them,
// sends them and records each outcome. Several workers, in one or several
// servus instances, may run against one database at once: the claim's
// lease keeps them from sending a mail twice.
type Worker struct {
	box  Outbox
	r    *Renderer
	tr   Transport
	opts WorkerOptions
	log  *slog.Logger
}

// NewWorker returns a worker over box that renders with r and sends
// through tr.
func NewWorker(box Outbox, r *Renderer, tr Transport, opts WorkerOptions) *Worker {
	if opts.Interval <= 0 {
		opts.Interval = time.Second
	}
	if opts.Batch <= 0 {
		opts.Batch = 20
	}
	if opts.Lease <= 0 {
		opts.Lease = 15 * time.Minute
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Worker{box: box, r: r, tr: tr, opts: opts, log: log}
}

// Run delivers mail until ctx ends: a round every Interval, and the next
// round at once while rounds come back full. Failures are logged and
// retried by the outbox's back-off; Run returns nil when ctx ends.
func (w *Worker) Run(ctx context.Context) error {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		n, err := w.RunOnce(ctx)
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			w.log.Error("mail delivery round failed", "err", err)
		}
		next := w.opts.Interval
		if n == w.opts.Batch && err == nil {
			next = 0
		}
		t.Reset(next)
	}
}

// RunOnce runs one round: claims up to Batch due mails, renders and sends
// them, and records each outcome. It returns how many it claimed. Its error
// is a database fault; sending failures are recorded, not returned.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	mails, err := w.box.ClaimMail(ctx, w.opts.Lease, w.opts.Batch)
	if err != nil || len(mails) == 0 {
		return 0, err
	}
	// Outcomes are recorded even when ctx ends meanwhile: a mail the
	// server accepted must be marked sent, or it would go out again.
	finCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	var errs []error
	finish := func(m *desk.OutMail, sendErr error) {
		if sendErr != nil {
			var number int64 // 0 for account mail
			if m.Ticket != nil {
				number = m.Ticket.Number
			}
			w.log.Warn("mail not delivered", "id", m.ID, "ticket", number, "event", m.Event,
				"to", m.Recipient.Email, "err", sendErr)
		}
		if err := w.box.FinishMail(finCtx, m.ID, sendErr); err != nil {
			errs = append(errs, err)
		}
	}
	now := w.opts.Now()
	var msgs []*gomail.Msg
	var sending []*desk.OutMail
	for _, m := range mails {
		out, err := w.r.Render(m, now)
		if err != nil {
			finish(m, &permanentError{err})
			continue
		}
		msgs, sending = append(msgs, out.Msg), append(sending, m)
	}
	for i, sendErr := range w.tr.Send(ctx, msgs) {
		if sendErr != nil && ctx.Err() != nil {
			continue // shutting down: the lease runs out and the mail is tried again
		}
		finish(sending[i], sendErr)
	}
	return len(mails), errors.Join(errs...)
}
