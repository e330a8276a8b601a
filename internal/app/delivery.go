package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"sync"

	"github.com/servus-desk/servus/internal/config"
	"github.com/servus-desk/servus/internal/delivery"
	"github.com/servus-desk/servus/internal/desk"
)

// mailFrom is the sender of notifications: --mail-from, else
// servicedesk@<host of the base URL>.
func mailFrom(cfg config.Config, baseURL string) string {
	if cfg.MailFrom != "" {
		return cfg.MailFrom
	}
	host := "servus.localhost"
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return "servicedesk@" + host
}

// startDelivery starts the outbox's delivery worker in wg when --smtp-url
// is set; it stops when ctx ends. Without --smtp-url it only says, once,
// that notifications wait in the outbox. Its errors are bad mail settings.
func startDelivery(ctx context.Context, cfg config.Config, svc *desk.Service, baseURL string, wg *sync.WaitGroup, log *slog.Logger) error {
	if cfg.SMTPURL == "" {
		log.Info("no --smtp-url: notifications are not mailed; they wait in the outbox (GET /api/v1/outbox)")
		return nil
	}
	from := mailFrom(cfg, baseURL)
	r, err := delivery.NewRenderer(delivery.RenderOptions{BaseURL: baseURL, From: from, SubjectPrefix: cfg.SubjectPrefix})
	if err != nil {
		return fmt.Errorf("--mail-from: %w", err)
	}
	s, err := delivery.NewSender(delivery.SMTPOptions{URL: cfg.SMTPURL})
	if err != nil {
		return err
	}
	w := delivery.NewWorker(svc, r, s, delivery.WorkerOptions{Logger: log})
	log.Info("mailing notifications", "smtp", s.Addr(), "from", from)
	wg.Go(func() { w.Run(ctx) })
	return nil
}
