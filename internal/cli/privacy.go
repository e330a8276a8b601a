package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/app"
)

// privacyCommands are the commands of servus privacy: a person's data
// exported (GDPR article 15) and erased (article 17).
func privacyCommands() []*command {
	return []*command{privacyExportCommand(), privacyEraseCommand()}
}

func privacyEraseCommand() *command {
	return &command{
		name:    "privacy erase",
		summary: "erase a person's data (GDPR article 17)",
		help: "Erases the person with this address: the tickets they requested are\n" +
			"anonymised, their address leaves the tickets they were a further\n" +
			"requester of, their account loses name, address, password and\n" +
			"preferences, and their sessions and API tokens end. Work they did as\n" +
			"staff stays, by a \"former staff member\". The audit log records the\n" +
			"erasure under the opaque ID printed here. The last admin is never erased.",
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			cfg := storeConfig(fs)
			var email string
			fs.StringVar(&email, "email", "", "e-mail `address` of the person to erase (required)")
			return func(ctx context.Context, e *env) error {
				if err := required("email", email); err != nil {
					return err
				}
				return withCore(ctx, e, cfg, func(c *app.Core) error {
					er, err := c.Service.ErasePerson(ctx, access.System, email)
					if err != nil {
						return err
					}
					fmt.Fprintf(e.stdout, "erased: id %s, %d tickets anonymised, %d files removed\n", er.ID, er.Tickets, er.Files)
					return nil
				})
			}
		},
	}
}
