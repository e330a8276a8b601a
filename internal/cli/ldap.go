package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/servus-desk/servus/internal/app"
	"github.com/servus-desk/servus/internal/config"
)

func ldapSyncCommand() *command {
	return &command{
		name:    "ldap sync",
		summary: "disable the directory accounts whose entry left the LDAP directory",
		help: `Lists everyone in the LDAP directory (--ldap-url, --ldap-base-dn, the service
bind and --ldap-user-filter, as servus serve has them) and disables each
directory account of servus whose entry is gone: its sessions end and its open
tickets are unassigned, audited as user.disable. Prints the disabled addresses,
one a line. Changes nothing when the directory lists nobody at all. servus
serve does the same every --ldap-sync-interval. It reads the same settings as
servus serve, including its --config file.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			cfg := config.Default()
			var file string
			cfg.StoreFlags(fs)
			cfg.ServeFlags(fs)
			cfg.LogFlags(fs)
			config.FileFlag(fs, &file)
			return func(ctx context.Context, e *env) error {
				if err := cfg.Validate(); err != nil {
					return &usageError{msg: err.Error()}
				}
				if cfg.LDAP.URL == "" {
					return usagef("--ldap-url: needed (and --ldap-base-dn)")
				}
				return withCore(ctx, e, &cfg, func(c *app.Core) error {
					gone, err := app.SyncDirectory(ctx, c.Service, logger(&cfg, e.stderr))
					if err != nil {
						return err
					}
					for _, g := range gone {
						fmt.Fprintln(e.stdout, g)
					}
					return nil
				})
			}
		},
	}
}
