package app

import (
	"context"
	"log/slog"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/config"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/directory"
	"github.com/servus-desk/servus/internal/ticket"
)

// newDirectory builds the LDAP directory of cfg and the group rules of its
// mapping; nil without --ldap-url. Errors name the setting.
func newDirectory(cfg config.LDAP) (*directory.Directory, []desk.GroupRule, error) {
	if cfg.URL == "" {
		return nil, nil, nil
	}
	var rules []desk.GroupRule
	var dns []string
	for _, g := range cfg.Groups {
		rules = append(rules, desk.GroupRule{Group: g.Group, Role: ticket.Role(g.Role), Queues: g.Queues, Source: ticket.SourceLDAP})
		dns = append(dns, g.Group)
	}
	d, err := directory.New(directory.Config{URL: cfg.URL, BaseDN: cfg.BaseDN, BindDN: cfg.BindDN, BindPassword: cfg.BindPassword,
		UserFilter: cfg.UserFilter, GroupFilter: cfg.GroupFilter, GroupBaseDN: cfg.GroupBaseDN,
		IDAttr: cfg.IDAttr, UIDAttr: cfg.UIDAttr, NameAttr: cfg.NameAttr, MailAttr: cfg.MailAttr, LangAttr: cfg.LangAttr,
		InstituteAttr: cfg.Institute, Groups: dns, CAFile: cfg.CAFile, Timeout: cfg.Timeout})
	if err != nil {
		return nil, nil, err
	}
	return d, rules, nil
}

// checkGroupQueues logs the queues the group mapping names that servus
// does not have (sign-ins skip them; nothing is created).
func checkGroupQueues(ctx context.Context, svc *desk.Service, cfg config.LDAP, log *slog.Logger) {
	if len(cfg.Groups) == 0 {
		return
	}
	qs, err := svc.Queues(ctx, access.System)
	if err != nil {
		log.Warn("ldap: cannot check the queues of the group mapping", "err", err)
		return
	}
	have := map[string]bool{}
	for _, q := range qs {
		have[q.Name] = true
	}
	for _, g := range cfg.Groups {
		for _, q := range g.Queues {
			if !have[q] {
				log.Warn("ldap: the group mapping names a queue servus does not have; sign-ins skip it", "group", g.Group, "queue", q)
			}
		}
	}
}

// SyncDirectory disables the directory accounts whose entry left the
// directory and logs who (see desk.SyncDirectory).
func SyncDirectory(ctx context.Context, svc *desk.Service, log *slog.Logger) ([]string, error) {
	gone, err := svc.SyncDirectory(ctx)
	if err != nil {
		return nil, err
	}
	for _, e := range gone {
		log.Info("ldap sync: disabled an account that left the directory", "email", e)
	}
	return gone, nil
}

// directorySyncLoop runs SyncDirectory every interval until ctx ends.
