package app

import (
	"context"
	"log/slog"

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
	var dns []string
	for _, g := range cfg.Groups {
		dns = append(dns, g.Group)
	}
	d, err := directory.New(directory.Config{URL: cfg.URL, BaseDN: cfg.BaseDN, BindDN: cfg.BindDN, BindPassword: cfg.BindPassword,
		UserFilter: cfg.UserFilter, GroupFilter: cfg.GroupFilter, GroupBaseDN: cfg.GroupBaseDN,
		IDAttr: cfg.IDAttr, UIDAttr: cfg.UIDAttr, NameAttr: cfg.NameAttr, MailAttr: cfg.MailAttr, LangAttr: cfg.LangAttr,
		InstituteAttr: cfg.Institute, Groups: dns, CAFile: cfg.CAFile, Timeout: cfg.Timeout})
	if err != nil {
		return nil, nil, err
	}
	return d, groupRules(cfg.Groups, ticket.SourceLDAP), nil
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
