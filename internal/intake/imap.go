package intake

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/servus-desk/servus/internal/config"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/mail"
)

// IMAP polls one mailbox: it fetches each new message (unseen, or every
// message when processed mail is moved away), stores it through the
// Receiver, and only then marks it \Seen (or moves it to the processed
// folder); a message whose store step failed stays as it is and is fetched
// again next time. Where the server offers IDLE it waits for new mail with
// it (and polls anyway every few minutes), else it polls every interval.
type IMAP struct {
	recv Receiver
	box  config.IMAPMailbox
	log  *slog.Logger
	// Retry is the first wait after a failed connection; it doubles up to
	// MaxRetry. Defaults 5s and 5 minutes.
	Retry, MaxRetry time.Duration
	// IdleRepoll bounds one IDLE wait: servus polls at least this often.
	// Default 5 minutes.
	IdleRepoll time.Duration
}

// NewIMAP returns a poller of box handing mail to recv; start it with Run.
func NewIMAP(recv Receiver, box config.IMAPMailbox, log *slog.Logger) *IMAP {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &IMAP{recv: recv, box: box, log: log.With("mailbox", box.String()),
		Retry: 5 * time.Second, MaxRetry: 5 * time.Minute, IdleRepoll: 5 * time.Minute}
}

// Run polls until ctx ends, reconnecting with back-off after failures.
func (p *IMAP) Run(ctx context.Context) {
	wait := p.Retry
	for {
		err := p.session(ctx)
		if ctx.Err() != nil {
			return
		}
		p.log.Warn("imap: connection failed; trying again", "err", err, "in", wait)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(wait*2, p.MaxRetry)
	}
}

// dial connects and logs in; news gets a value whenever the server says
// the mailbox changed.
func (p *IMAP) dial(news chan<- struct{}) (*imapclient.Client, error) {
	opts := &imapclient.Options{UnilateralDataHandler: &imapclient.UnilateralDataHandler{
		Mailbox: func(d *imapclient.UnilateralDataMailbox) {
			if d.NumMessages != nil {
				select {
				case news <- struct{}{}:
				default:
				}
			}
		},
	}}
	var c *imapclient.Client
	var err error
	switch p.box.TLS {
	case "tls":
		c, err = imapclient.DialTLS(p.box.Addr, opts)
	case "none":
		c, err = imapclient.DialInsecure(p.box.Addr, opts)
	default:
		c, err = imapclient.DialStartTLS(p.box.Addr, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", p.box.Addr, err)
	}
	if err := c.Login(p.box.User, p.box.Password).Wait(); err != nil {
		c.Close()
		return nil, fmt.Errorf("log in as %s: %w", p.box.User, err)
	}
	return c, nil
}

// session is one connection: select, poll, wait, poll … until an error or
// ctx ends.
func (p *IMAP) session(ctx context.Context) error {
	news := make(chan struct{}, 1)
	c, err := p.dial(news)
	if err != nil {
		return err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	if p.box.Processed != "" {
		// Create the folder if it is missing; an error here means it exists.
		_ = c.Create(p.box.Processed, nil).Wait()
	}
	if _, err := c.Select(p.box.Mailbox, nil).Wait(); err != nil {
		return fmt.Errorf("select %s: %w", p.box.Mailbox, err)
	}
	idle := c.Caps().Has(imap.CapIdle) || c.Caps().Has(imap.CapIMAP4rev2)
	for {
		if _, err := p.poll(ctx, c); err != nil {
			return err
		}
		if idle {
			if err := p.idle(ctx, c, news); err != nil {
				return err
			}
			continue
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(p.box.Interval):
		}
	}
}

// idle waits with IDLE for news, ctx's end or IdleRepoll.
func (p *IMAP) idle(ctx context.Context, c *imapclient.Client, news <-chan struct{}) error {
	cmd, err := c.Idle()
	if err != nil {
		return fmt.Errorf("idle: %w", err)
	}
	t := time.NewTimer(p.IdleRepoll)
	defer t.Stop()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-news:
	case <-t.C:
	case <-ctx.Done():
	case err := <-done:
		return fmt.Errorf("idle: %w", err)
	}
	if err := cmd.Close(); err != nil {
		return fmt.Errorf("end idle: %w", err)
	}
	if err := <-done; err != nil {
		return fmt.Errorf("idle: %w", err)
	}
	return ctx.Err()
}

// poll takes every new message of the selected mailbox and returns how
// many it stored.
func (p *IMAP) poll(ctx context.Context, c *imapclient.Client) (int, error) {
	criteria := &imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagSeen, imap.FlagDeleted}}
	if p.box.Processed != "" {
		criteria = &imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagDeleted}}
	}
	found, err := c.UIDSearch(criteria, nil).Wait()
	if err != nil {
		return 0, fmt.Errorf("search: %w", err)
	}
	n := 0
	for _, uid := range found.AllUIDs() {
		if ctx.Err() != nil {
			return n, ctx.Err()
		}
		raw, err := fetchRaw(c, uid)
		if err != nil {
			return n, err
		}
		id, dup, err := p.recv.StoreInbound(ctx, raw, desk.ChannelIMAP, p.box.To)
		switch {
		case err != nil && !Permanent(err):
			return n, fmt.Errorf("store message UID %d: %w", uid, err) // stays unseen: next time
		case err != nil:
			// Never storable (too large): flag it for a person and move on.
			p.log.Error("imap: message cannot be taken; flagged it", "uid", uid, "err", err)
			if err := c.Store(imap.UIDSetNum(uid), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true,
				Flags: []imap.Flag{imap.FlagSeen, imap.FlagFlagged}}, nil).Close(); err != nil {
				return n, fmt.Errorf("flag message UID %d: %w", uid, err)
			}
			continue
		}
		if err := p.done(c, uid); err != nil {
			return n, err
		}
		n++
		if dup != nil {
			p.log.Info("imap: duplicate", "uid", uid, "inbound", dup.Inbound, "ticket", dup.Ticket)
			if dup.Ticket != 0 || dup.Entry != 0 {
				continue
			}
			// The first copy may still wait to be processed: stored, and
			// then the connection dropped before the message was marked
			// (so it came again). Process it now rather than at the next
			// sweep; a message done already only answers its receipt.
			id = dup.Inbound
		}
		r, err := p.recv.ProcessInbound(ctx, id)
		if err != nil {
			p.log.Warn("imap: processing postponed", "inbound", id, "err", err)
			continue
		}
		p.log.Info("imap: received", "uid", uid, "inbound", id, "outcome", r.Outcome, "ticket", r.Ticket, "error", r.Error)
	}
	return n, nil
}

// done marks a stored message: \Seen, or moved to the processed folder.
func (p *IMAP) done(c *imapclient.Client, uid imap.UID) error {
	set := imap.UIDSetNum(uid)
	if p.box.Processed != "" {
		if _, err := c.Move(set, p.box.Processed).Wait(); err != nil {
			return fmt.Errorf("move message UID %d to %s: %w", uid, p.box.Processed, err)
		}
		return nil
	}
	if err := c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen}}, nil).Close(); err != nil {
		return fmt.Errorf("flag message UID %d seen: %w", uid, err)
	}
	return nil
}

// fetchRaw reads the whole message uid without setting \Seen.
func fetchRaw(c *imapclient.Client, uid imap.UID) ([]byte, error) {
	section := &imap.FetchItemBodySection{Peek: true}
	cmd := c.Fetch(imap.UIDSetNum(uid), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}})
	defer cmd.Close()
	var raw []byte
	for msg := cmd.Next(); msg != nil; msg = cmd.Next() {
		for item := msg.Next(); item != nil; item = msg.Next() {
			if b, ok := item.(imapclient.FetchItemDataBodySection); ok && b.Literal != nil {
				data, err := io.ReadAll(io.LimitReader(b.Literal, mail.MaxSize+1))
				if err != nil {
					return nil, fmt.Errorf("fetch message UID %d: %w", uid, err)
				}
				raw = data
			}
		}
	}
	if err := cmd.Close(); err != nil {
		return nil, fmt.Errorf("fetch message UID %d: %w", uid, err)
	}
	if raw == nil {
		return nil, errors.New("fetch: the server sent no message body")
	}
	return raw, nil
}
