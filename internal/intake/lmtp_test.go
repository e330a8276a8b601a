package intake_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/auth"
	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/intake"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprintf("unexpected error: %v", err))
	}
	return v
}

// newDesk is a service desk with a default queue Servicedesk
// (servicedesk@example.org) and a queue Netz (innet-admin@example.org).
func newDesk(t *testing.T, dialect string) *desk.Service {
	t.Helper()
	ctx := context.Background()
	p := auth.CheapParams()
	svc := desk.New(storetest.Open(t, dialect), must(blob.Open(t.TempDir())), desk.Options{PasswordParams: &p})
	must(svc.CreateQueue(ctx, access.System, desk.NewQueue{Name: "Servicedesk", Address: "servicedesk@example.org", Default: true}))
	must(svc.CreateQueue(ctx, access.System, desk.NewQueue{Name: "Netz", Address: "innet-admin@example.org"}))
	return svc
}

// startLMTP serves an LMTP listener for recv on 127.0.0.1 until the test
// ends and returns its address.
func startLMTP(t *testing.T, recv intake.Receiver) string {
	t.Helper()
	ln := must(net.Listen("tcp", "127.0.0.1:0"))
	l := intake.NewLMTP(recv, intake.LMTPOptions{})
	done := make(chan error, 1)
	go func() { done <- l.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := l.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// lmtpSend delivers raw to rcpts over one LMTP connection, as a mail
// server does, and returns each recipient's reply code (250 when stored).
func lmtpSend(t *testing.T, addr, from string, rcpts []string, raw string) map[string]int {
	t.Helper()
	return lmtpSendThen(t, addr, from, rcpts, raw, nil)
}

// lmtpSendThen is lmtpSend calling then with the replies before QUIT.
func lmtpSendThen(t *testing.T, addr, from string, rcpts []string, raw string, then func(map[string]int)) map[string]int {
	t.Helper()
	conn := must(net.Dial("tcp", addr))
	c := smtp.NewClientLMTP(conn)
	defer c.Close()
	if err := c.Hello("mx.example.org"); err != nil {
		t.Fatalf("LHLO: %v", err)
	}
	if err := c.Mail(from, nil); err != nil {
		t.Fatalf("MAIL: %v", err)
	}
	for _, r := range rcpts {
		if err := c.Rcpt(r, nil); err != nil {
			t.Fatalf("RCPT %s: %v", r, err)
		}
	}
	w := must(c.Data())
	if _, err := w.Write([]byte(raw)); err != nil {
		t.Fatalf("DATA: %v", err)
	}
	resp, err := w.CloseWithLMTPResponse()
	codes := map[string]int{}
	for r := range resp {
		codes[r] = 250
	}
	var lerr smtp.LMTPDataError
	if errors.As(err, &lerr) {
		for r, e := range lerr {
			codes[r] = e.Code
		}
	} else if err != nil {
		t.Fatalf("end of DATA: %v", err)
	}
	if then != nil {
		then(codes)
	}
	if err := c.Quit(); err != nil {
		t.Fatalf("QUIT: %v", err)
	}
	return codes
}

func mailText(from, to, subject, msgID, inReplyTo, body string) string {
	s := "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMessage-ID: <" + msgID + ">\r\n"
	if inReplyTo != "" {
		s += "In-Reply-To: <" + inReplyTo + ">\r\n"
	}
	return s + "Date: Mon, 02 Mar 2026 10:00:00 +0100\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n"
}

func TestLMTPConversation(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			svc := newDesk(t, d)
			addr := startLMTP(t, svc)

			raw := mailText("Carla <carla@example.org>", "innet-admin@example.org, servicedesk@example.org", "Switch rebootet", "sw1@carla", "", "Der Switch in Haus 4 startet ständig neu.")
			codes := lmtpSend(t, addr, "carla@example.org", []string{"innet-admin@example.org", "servicedesk@example.org"}, raw)
			if codes["innet-admin@example.org"] != 250 || codes["servicedesk@example.org"] != 250 {
				t.Fatalf("got replies %v, want 250 for both recipients", codes)
			}
			// The same delivery again (the mail server did not see our 250).
			codes = lmtpSend(t, addr, "carla@example.org", []string{"innet-admin@example.org"}, raw)
			if codes["innet-admin@example.org"] != 250 {
				t.Fatalf("got %v on the second delivery, want 250", codes)
			}
			page := must(svc.Search(ctx, access.System, ticket.Filter{}))
			if page.Total != 1 || page.Items[0].Queue != "Netz" || page.Items[0].Requester != "carla@example.org" {
				t.Fatalf("got %d tickets %+v, want one of carla in Netz", page.Total, page.Items)
			}
			number := page.Items[0].Number

			// Carla's follow-up threads by In-Reply-To.
			codes = lmtpSend(t, addr, "carla@example.org", []string{"servicedesk@example.org"},
				mailText("carla@example.org", "servicedesk@example.org", "Re: Switch rebootet", "sw2@carla", "sw1@carla", "Jetzt auch Haus 5."))
			if codes["servicedesk@example.org"] != 250 {
				t.Fatalf("got %v, want 250", codes)
			}
			es := must(svc.Entries(ctx, access.System, number))
			if last := es[len(es)-1]; last.Body != "Jetzt auch Haus 5." || last.Channel != ticket.ChannelMail {
				t.Errorf("got last entry %+v, want carla's follow-up", last)
			}
			if n := must(svc.Search(ctx, access.System, ticket.Filter{})).Total; n != 1 {
				t.Errorf("got %d tickets, want 1", n)
			}
		})
	}
}

// stub is a Receiver whose store step fails for some recipients and whose
// processing waits until released.
type stub struct {
	mu        sync.Mutex
	stored    []string
	processed []int64
	release   chan struct{}
}

func (s *stub) StoreInbound(_ context.Context, raw []byte, channel, rcpt string) (int64, *desk.Receipt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case strings.HasPrefix(rcpt, "down@"):
		return 0, nil, errors.New("database does not answer")
	case strings.HasPrefix(rcpt, "big@"):
		return 0, nil, ticket.E(ticket.ETOOLARGE, "err.mail.too_large_bytes", 10)
	}
	if channel != desk.ChannelLMTP || !strings.HasPrefix(string(raw), "Return-Path: <sender@example.org>\r\n") {
		return 0, nil, fmt.Errorf("got channel %q and raw %.40q, want lmtp with the envelope sender first", channel, raw)
	}
	s.stored = append(s.stored, rcpt)
	return int64(len(s.stored)), nil, nil
}

func (s *stub) ProcessInbound(_ context.Context, id int64) (*desk.Receipt, error) {
	<-s.release
	s.mu.Lock()
	defer s.mu.Unlock()
	s.processed = append(s.processed, id)
	return &desk.Receipt{Outcome: desk.OutcomeCreated, Inbound: id}, nil
}

// TestLMTPReplies: each recipient gets its own reply, 250 only after the
// store step and before processing, 451 when storing failed for the
// moment, 552 for a message too large.
func TestLMTPReplies(t *testing.T) {
	st := &stub{release: make(chan struct{})}
	addr := startLMTP(t, st)
	lmtpSendThen(t, addr, "sender@example.org", []string{"ok@example.org", "down@example.org", "big@example.org"},
		mailText("sender@example.org", "ok@example.org", "Hallo", "h1@x", "", "Hallo."), func(codes map[string]int) {
			want := map[string]int{"ok@example.org": 250, "down@example.org": 451, "big@example.org": 552}
			for r, c := range want {
				if codes[r] != c {
					t.Errorf("%s: got %d, want %d", r, codes[r], c)
				}
			}
			st.mu.Lock()
			if len(st.processed) != 0 || len(st.stored) != 1 {
				t.Errorf("got stored %v processed %v when the replies came, want stored 1, processed none yet", st.stored, st.processed)
			}
			st.mu.Unlock()
			close(st.release)
		})
	deadline := time.Now().Add(5 * time.Second)
	for {
		st.mu.Lock()
		n := len(st.processed)
		st.mu.Unlock()
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the stored message was never processed")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
