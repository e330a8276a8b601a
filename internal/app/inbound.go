package app

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/servus-desk/servus/internal/config"
	"github.com/servus-desk/servus/internal/mail/inbound"
)

// SweepInterval is how often servus looks for inbound mail left pending
// (stored, but not processed: a crash, a database outage).
const SweepInterval = 30 * time.Second

// intake is the mail intake of a running servus: the LMTP listener, the
// IMAP pollers and the sweeper of pending mail.
type intake struct {
	lmtp *inbound.LMTP
}

// startIntake starts the mail intake channels cfg asks for, as goroutines
// in wg that end with ctx (the LMTP listener with shutdown). It logs
// "lmtp listening addr=HOST:PORT" with the real port.
func startIntake(ctx context.Context, cfg config.Config, core *Core, wg *sync.WaitGroup, log *slog.Logger) (*intake, error) {
	in := &intake{}
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
		in.lmtp = inbound.NewLMTP(core.Service, inbound.LMTPOptions{Logger: log})
		wg.Go(func() {
			if err := in.lmtp.Serve(ln); err != nil {
				log.Error("lmtp listener stopped", "err", err)
			}
		})
		log.Info("lmtp listening", "addr", ln.Addr().String())
	}
	for _, m := range boxes {
		p := inbound.NewIMAP(core.Service, m, log)
		wg.Go(func() { p.Run(ctx) })
		log.Info("imap polling", "mailbox", m.String())
	}
	wg.Go(func() { inbound.Sweep(ctx, core.Service, SweepInterval, log) })
	return in, nil
}

// shutdown stops the LMTP listener, waiting until ctx ends for the
// sessions in flight.
func (in *intake) shutdown(ctx context.Context, log *slog.Logger) {
	if in == nil || in.lmtp == nil {
		return
	}
	if err := in.lmtp.Shutdown(ctx); err != nil {
		log.Warn("lmtp sessions still running after shutdown timeout; closed them", "err", err)
	}
}
