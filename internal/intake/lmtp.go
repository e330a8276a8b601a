package intake

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/mail"
	"github.com/servus-desk/servus/internal/ticket"
)

// LMTPOptions tune the LMTP listener.
type LMTPOptions struct {
	Logger *slog.Logger
	Domain string // the name servus greets with; default "servus"
	// StoreTimeout bounds the store step of one message; default 1 minute.
	StoreTimeout time.Duration
}

// LMTP is servus's LMTP listener (RFC 2033): a mail server hands it mail,
// and it answers each recipient separately, 250 only once the message is
// stored durably, 451 on a temporary failure (so that the mail server
// tries again), 552/554 for a message that can never be taken.
type LMTP struct {
	recv   Receiver
	log    *slog.Logger
	srv    *smtp.Server
	ctx    context.Context // ends at shutdown
	cancel context.CancelFunc
	store  time.Duration
}

// NewLMTP returns an LMTP listener handing mail to recv. Start it with
// Serve.
func NewLMTP(recv Receiver, opts LMTPOptions) *LMTP {
	l := &LMTP{recv: recv, log: opts.Logger, store: opts.StoreTimeout}
	if l.log == nil {
		l.log = slog.New(slog.DiscardHandler)
	}
	if l.store <= 0 {
		l.store = time.Minute
	}
	l.ctx, l.cancel = context.WithCancel(context.Background())
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &lmtpSession{l: l, remote: c.Conn().RemoteAddr().String()}, nil
	}))
	s.LMTP = true
	s.Domain = opts.Domain
	if s.Domain == "" {
		s.Domain = "servus"
	}
	s.MaxMessageBytes = mail.MaxSize
	// Real-world mail has lines far over RFC 5322's 998 characters
	// (unfolded References, HTML without line breaks): the message's size
	// is the only limit, so that no line length earns a refusal, least of
	// all a temporary one that makes the mail server retry for days.
	s.MaxLineLength = mail.MaxSize
	s.MaxRecipients = 100
	s.ReadTimeout = 10 * time.Minute
	s.WriteTimeout = time.Minute
	s.ErrorLog = slogLogger{l.log}
	l.srv = s
	return l
}

// Serve accepts LMTP connections on ln until Shutdown or Close; it returns
// nil after either.
func (l *LMTP) Serve(ln net.Listener) error {
	err := l.srv.Serve(ln)
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	select {
	case <-l.ctx.Done():
		return nil // closed on purpose
	default:
	}
	return err
}

// Shutdown stops accepting connections and waits, until ctx ends, for the
// sessions in flight; a session still storing then is cut off (its sender
// gets no 250 and tries again). Messages stored but not yet processed stay
// pending for Sweep.
func (l *LMTP) Shutdown(ctx context.Context) error {
	err := l.srv.Shutdown(ctx)
	l.cancel()
	if errors.Is(err, smtp.ErrServerClosed) {
		err = nil
	}
	if ctx.Err() != nil {
		l.srv.Close()
	}
	return err
}

// recipientOrderer orders the recipients of one mail for storing: the
// one whose copy should be processed first (*desk.Service is one).
type recipientOrderer interface {
	OrderRecipients(ctx context.Context, rcpts []string) ([]string, error)
}

// lmtpSession is one LMTP transaction after another on one connection.
type lmtpSession struct {
	l      *LMTP
	remote string
	from   string
	rcpts  []string
}

func (s *lmtpSession) Reset()        { s.from, s.rcpts = "", nil }
func (s *lmtpSession) Logout() error { return nil }

func (s *lmtpSession) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

func (s *lmtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.rcpts = append(s.rcpts, to)
	return nil
}

// Data is used only by SMTP clients; LMTP uses LMTPData.
func (s *lmtpSession) Data(r io.Reader) error {
	return s.LMTPData(r, nil)
}

var (
	errTemporary   = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Temporary failure storing the message, try again later"}
	errTooLarge    = &smtp.SMTPError{Code: 552, EnhancedCode: smtp.EnhancedCode{5, 3, 4}, Message: "Message too large"}
	errLineTooLong = &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "Message has a line longer than the message may be"}
	errInvalid     = &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "Message cannot be taken: empty or unreadable"}
)

// LMTPData stores the message once per recipient (the second and later
// ones are duplicates of the first, so one mail makes one ticket), answers
// each recipient, and then processes what it stored.
func (s *lmtpSession) LMTPData(r io.Reader, status smtp.StatusCollector) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		// The answer for every recipient.
		if se, ok := errorsAs[*smtp.SMTPError](err); ok {
			return se // too large: 552
		} else if errors.Is(err, smtp.ErrTooLongLine) {
			return errLineTooLong // trying again never helps
		}
		return errTemporary // the connection broke
	}
	if !hasHeader(raw, "Return-Path") {
		// The delivering agent records the envelope sender (RFC 5321
		// 4.4); a bounce comes from the null sender <>.
		raw = append([]byte("Return-Path: <"+s.from+">\r\n"), raw...)
	}
	// The first copy stored is the one processed, the others are its
	// duplicates: the receiver may say which recipient decides (a
	// confidential queue's address wins).
	rcpts := s.rcpts
	if o, ok := s.l.recv.(recipientOrderer); ok {
		ctx, cancel := context.WithTimeout(s.l.ctx, s.l.store)
		ordered, err := o.OrderRecipients(ctx, rcpts)
		cancel()
		if err != nil {
			s.l.log.Error("lmtp: ordering recipients failed; the sender will try again", "remote", s.remote, "err", err)
			return errTemporary
		}
		rcpts = ordered
	}
	var toProcess []int64
	var firstErr error
	for _, rcpt := range rcpts {
		ctx, cancel := context.WithTimeout(s.l.ctx, s.l.store)
		id, dup, err := s.l.recv.StoreInbound(ctx, raw, desk.ChannelLMTP, rcpt)
		cancel()
		var answer error
		switch {
		case err == nil && dup == nil:
			toProcess = append(toProcess, id)
		case err == nil:
			s.l.log.Info("lmtp: duplicate", "rcpt", rcpt, "inbound", dup.Inbound, "ticket", dup.Ticket)
			// The first copy may still wait to be processed (stored, then
			// the connection dropped before the mail server heard 250):
			// process it now rather than at the next sweep.
			if dup.Ticket == 0 && dup.Entry == 0 && !slices.Contains(toProcess, dup.Inbound) {
				toProcess = append(toProcess, dup.Inbound)
			}
		case ticket.ErrorCode(err) == ticket.ETOOLARGE:
			answer = errTooLarge
		case ticket.ErrorCode(err) == ticket.EINVALID:
			answer = errInvalid
		default:
			s.l.log.Error("lmtp: storing failed; the sender will try again", "rcpt", rcpt, "remote", s.remote, "err", err)
			answer = errTemporary
		}
		if answer != nil && firstErr == nil {
			firstErr = answer
		}
		if status != nil {
			status.SetStatus(rcpt, answer)
		}
	}
	// The replies are on their way; now the processing.
	for _, id := range toProcess {
		rc, err := s.l.recv.ProcessInbound(s.l.ctx, id)
		if err != nil {
			s.l.log.Warn("lmtp: processing postponed", "inbound", id, "err", err)
			continue
		}
		s.l.log.Info("lmtp: received", "inbound", id, "outcome", rc.Outcome, "ticket", rc.Ticket, "error", rc.Error)
	}
	return firstErr
}

// hasHeader reports whether raw's header has a field called name.
func hasHeader(raw []byte, name string) bool {
	end := bytes.Index(raw, []byte("\n\n"))
	if i := bytes.Index(raw, []byte("\r\n\r\n")); i >= 0 && (end < 0 || i < end) {
		end = i
	}
	if end < 0 {
		end = len(raw)
	}
	prefix := strings.ToLower(name) + ":"
	for _, line := range bytes.Split(raw[:end], []byte("\n")) {
		if strings.HasPrefix(strings.ToLower(string(line)), prefix) {
			return true
		}
	}
	return false
}

// slogLogger is go-smtp's error log on slog.
type slogLogger struct{ log *slog.Logger }

func (l slogLogger) Printf(format string, v ...any) {
	l.log.Warn("lmtp: " + strings.TrimSpace(fmt.Sprintf(format, v...)))
}

func (l slogLogger) Println(v ...any) {
	l.log.Warn("lmtp: " + strings.TrimSpace(fmt.Sprintln(v...)))
}
