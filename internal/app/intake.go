package app

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/servus-desk/servus/internal/config"
	"github.com/servus-desk/servus/internal/intake"
)

// SweepInterval is how often servus looks for inbound mail left pending
// (stored, but not processed: a crash, a database outage).
const SweepInterval = 30 * time.Second

// mailIntake is the mail intake of a running servus: the LMTP listener, the
// IMAP pollers and the sweeper of pending mail.
type mailIntake struct {
	lmtp *intake.LMTP
}

// startIntake starts the mail intake channels cfg asks for, as goroutines
// in wg that end with ctx (the LMTP listener with shutdown). It logs
// "lmtp listening addr=HOST:PORT" with the real port.
func startIntake(ctx context.Context, cfg config.Config, core *Core, wg *sync.WaitGroup, log *slog.Logger) (*mailIntake, error) {
	in := &mailIntake{}
	if ids := cfg.Inbound.TrustedAuthServIDs; len(ids) > 0 {
		log.Info("mail sender authentication: Authentication-Results of trusted mail servers and replies to reply addresses",
			"authserv_ids", strings.Join(ids, ","))
	} else {
		log.Warn("mail sender authentication is limited: without --mail-trusted-authserv-id only replies to servus's " +
			"per-recipient reply address (Reply-To of its notifications) prove their sender; any other mail from staff " +
			"about a ticket, and a requester's reply that would reopen one, is kept as a queue-only note marked \"unverified sender\" " +
			"that changes and sends nothing. Have your mail server check DKIM/SPF/DMARC and add Authentication-Results " +
			"(OpenDKIM/OpenDMARC or rspamd), then name its authserv-id with --mail-trusted-authserv-id (README: Mail intake)")
	}
	var boxes []config.IMAPMailbox
	for _, raw := range cfg.Inbound.IMAP {
		m, err := config.ParseIMAP(raw)
		if err != nil {
			return nil, err
		}
		boxes = append(boxes, m)
	}
	if cfg.Inbound.LMTP != "" {
		ln, err := net.Listen("tcp", cfg.Inbound.LMTP)
		if err != nil {
			return nil, fmt.Errorf("listen for LMTP on %s: %w", cfg.Inbound.LMTP, err)
		}
		in.lmtp = intake.NewLMTP(core.Service, intake.LMTPOptions{Logger: log})
		wg.Go(func() {
			if err := in.lmtp.Serve(ln); err != nil {
				log.Error("lmtp listener stopped", "err", err)
			}
		})
		log.Info("lmtp listening", "addr", ln.Addr().String())
	}
	for _, m := range boxes {
		p := intake.NewIMAP(core.Service, m, log)
		wg.Go(func() { p.Run(ctx) })
		log.Info("imap polling", "mailbox", m.String())
	}
	wg.Go(func() { intake.Sweep(ctx, core.Service, SweepInterval, log) })
	return in, nil
}

// shutdown stops the LMTP listener, waiting until ctx ends for the
// sessions in flight.
func (in *mailIntake) shutdown(ctx context.Context, log *slog.Logger) {
	if in == nil || in.lmtp == nil {
		return
	}
	if err := in.lmtp.Shutdown(ctx); err != nil {
		log.Warn("lmtp sessions still running after shutdown timeout; closed them", "err", err)
	}
}
