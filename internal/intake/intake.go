// Package intake is servus's mail intake channels: an LMTP listener for a
// mail server to hand mail to, an IMAP poller for mailboxes, and reading one
// message from standard input (servus mail deliver). Each channel hands the
// raw message to a Receiver, which stores it durably before anything else;
// a channel acknowledges a message (LMTP 250, IMAP \Seen, exit code 0) only
// after that store step succeeded, and asks the sender to try again later
// (LMTP 4xx, IMAP: left unseen, exit code 75) when it did not. Processing
// follows the acknowledgement; a message left pending by a crash is
// processed by Sweep.
package intake

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/mail"
	"github.com/servus-desk/servus/internal/ticket"
)

// Receiver stores and processes inbound mail; *desk.Service is one.
type Receiver interface {
	// StoreInbound stores raw durably and returns its ID, or a receipt
	// when it is a duplicate of a message stored before.
	StoreInbound(ctx context.Context, raw []byte, channel, recipient string) (int64, *desk.Receipt, error)
	// ProcessInbound processes a stored message.
	ProcessInbound(ctx context.Context, id int64) (*desk.Receipt, error)
}

// Permanent reports whether err from StoreInbound means the message can
// never be stored (empty, too large), as opposed to a temporary fault of
// the disk or database, after which the sender should try again.
func Permanent(err error) bool {
	switch ticket.ErrorCode(err) {
	case ticket.EINVALID, ticket.ETOOLARGE:
		return true
	}
	return false
}

// ReadMessage reads one raw message from r, at most mail.MaxSize bytes;
// ETOOLARGE beyond, EINVALID for nothing at all.
func ReadMessage(r io.Reader) ([]byte, error) {
	raw, err := io.ReadAll(io.LimitReader(r, mail.MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("read message: %w", err)
	}
	if len(raw) > mail.MaxSize {
		return nil, ticket.E(ticket.ETOOLARGE, "err.mail.too_large_bytes", mail.MaxSize)
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, ticket.E(ticket.EINVALID, "err.mail.empty")
	}
	return raw, nil
}

// Deliver stores and processes one message read from r, as servus mail
// deliver does with standard input; recipient may name the address it was
// sent to. The error is from reading or storing (see Permanent); a message
// that was stored answers a receipt, also when processing failed.
func Deliver(ctx context.Context, recv Receiver, r io.Reader, recipient string) (*desk.Receipt, error) {
	raw, err := ReadMessage(r)
	if err != nil {
		return nil, err
	}
	id, dup, err := recv.StoreInbound(ctx, raw, desk.ChannelStdin, recipient)
	if err != nil {
		return nil, err
	}
	if dup != nil {
		return dup, nil
	}
	rc, err := recv.ProcessInbound(ctx, id)
	if err != nil {
		// Stored: a running servus processes it later.
		return &desk.Receipt{Outcome: desk.OutcomeFailed, Error: "processing postponed: " + err.Error(), Inbound: id}, nil
	}
	return rc, nil
}

// Pender processes messages left pending; *desk.Service is one.
type Pender interface {
	ProcessPending(ctx context.Context, olderThan time.Duration) (int, error)
}

// Sweep processes pending messages at once (those a crash left behind) and
// then every interval those pending for more than a minute, until ctx ends.
func Sweep(ctx context.Context, p Pender, interval time.Duration, log *slog.Logger) {
	older := time.Duration(0)
	for {
		n, err := p.ProcessPending(ctx, older)
		switch {
		case err != nil && ctx.Err() != nil:
			return
		case err != nil:
			log.Error("inbound: processing pending mail failed", "err", err)
		case n > 0:
			log.Info("inbound: processed pending mail", "count", n)
		}
		older = time.Minute
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}

// errorsAs is errors.As for a target type.
func errorsAs[T error](err error) (T, bool) {
	var t T
	ok := errors.As(err, &t)
	return t, ok
}
