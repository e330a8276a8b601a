package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/app"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

func userSetCommand() *command {
	return &command{
		name:    "user set",
		summary: "change a user's name, language or role, or disable or enable the account",
		help: `Changes an existing user. Only the given flags change. A role of requester
ends every queue membership; --disable signs the person out everywhere and
stops their password and API tokens; either unassigns their tickets that
are not closed. --enable lets them sign in again. --auditor yes lets an
agent or admin read the audit log as well (the works council's member who
also works tickets); a role of requester or auditor withdraws it. The last enabled admin is
never demoted or disabled.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			cfg := storeConfig(fs)
			var email, name, role, lang, auditor string
			var disable, enable bool
			fs.StringVar(&email, "email", "", "e-mail `address` of the user (required)")
			fs.StringVar(&name, "name", "", "new full `name`")
			fs.StringVar(&role, "role", "", "new `role`: requester, agent, admin or auditor")
			fs.StringVar(&lang, "language", "", "new `language` of the user's mail and pages: de or en")
			fs.StringVar(&auditor, "auditor", "", "`yes` grants an agent or admin the auditor role besides (reads the audit log too), no withdraws it")
			fs.BoolVar(&disable, "disable", false, "disable the account")
			fs.BoolVar(&enable, "enable", false, "enable the account again")
			return func(ctx context.Context, e *env) error {
				if err := required("email", email); err != nil {
					return err
				}
				var p desk.UserPatch
				if name != "" {
					p.Name = &name
				}
				if role != "" {
					r := ticket.Role(role)
					if !r.Valid() {
						return usagef("--role: must be requester, agent, admin or auditor, not %q", role)
					}
					p.Role = &r
				}
				if lang != "" {
					if lang != "de" && lang != "en" {
						return usagef("--language: must be de or en, not %q", lang)
					}
					p.Language = &lang
				}
				switch auditor {
				case "":
				case "yes", "no":
					grant := auditor == "yes"
					p.Auditor = &grant
				default:
					return usagef("--auditor: must be yes or no, not %q", auditor)
				}
				switch {
				case disable && enable:
					return usagef("--disable and --enable exclude each other")
				case disable || enable:
					p.Disabled = &disable
				}
				if p == (desk.UserPatch{}) {
					return usagef("nothing to change: give --name, --role, --language, --auditor, --disable or --enable")
				}
				return withCore(ctx, e, cfg, func(c *app.Core) error {
					u, err := c.Service.UpdateUser(ctx, access.System, email, p)
					if err != nil {
						return err
					}
					state := "enabled"
					if u.Disabled {
						state = "disabled"
					}
					role := string(u.Role)
					if u.Auditor {
						role += " and auditor"
					}
					fmt.Fprintf(e.stdout, "%s %s (%s), %s\n", role, u.Email, u.Name, state)
					return nil
				})
			}
		},
	}
}
