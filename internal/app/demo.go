package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"text/tabwriter"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/demo"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// DemoResult is what seeding the demo produced: the logins and an API token
// of the first admin. On a database seeded before, AdminToken is empty and
// AdminEmail names an active admin to make a token for (empty when there
// is none).
type DemoResult struct {
	*demo.Result
	AdminEmail string
	AdminToken string
}

// SeedDemo seeds demo data into an empty database (demo.Seed refuses a
// non-empty one and says so in Result.Seeded) and makes an API token for the
// first demo admin.
func (c *Core) SeedDemo(ctx context.Context, log *slog.Logger) (*DemoResult, error) {
	res, err := demo.Seed(ctx, c.DB, c.Blobs, log)
	if err != nil {
		return nil, fmt.Errorf("seed demo data: %w", err)
	}
	out := &DemoResult{Result: res}
	if !res.Seeded {
		// Seeded before: the token printed then is not kept (only its
		// hash), so name an admin to make a new one for.
		admins, err := c.Service.FindUsers(ctx, access.System, desk.UserFilter{Role: ticket.RoleAdmin, State: "active"}, 1, 0)
		if err != nil {
			return nil, fmt.Errorf("find an admin: %w", err)
		}
		if len(admins.Items) > 0 {
			out.AdminEmail = admins.Items[0].Email
		}
		return out, nil
	}
	for _, l := range res.Logins {
		if l.Role == "admin" {
			out.AdminEmail = l.Email
			break
		}
	}
	if out.AdminEmail != "" {
		tok, err := c.Service.CreateToken(ctx, access.System, out.AdminEmail)
		if err != nil {
			return nil, fmt.Errorf("create demo admin token: %w", err)
		}
		out.AdminToken = tok
	}
	return out, nil
}

// Print tells on w how to log in to the demo at baseURL (empty when servus
// is not serving).
func (d *DemoResult) Print(w io.Writer, baseURL string) {
	if !d.Seeded {
		fmt.Fprintln(w, "The database is not empty, so no demo data was seeded (the logins printed when it was seeded still work).")
		if baseURL != "" {
			fmt.Fprintf(w, "servus: %s\n", baseURL)
		}
		email := d.AdminEmail
		if email == "" {
			email = "ADMIN-E-MAIL"
		}
		fmt.Fprintf(w, "\nAn API token is shown only when it is made; for a new one run (same --data / --db):\n  servus token create --email %s\n", email)
		return
	}
	if baseURL != "" {
		fmt.Fprintf(w, "servus demo: %s\n", baseURL)
	} else {
		fmt.Fprintln(w, "Demo data seeded. Start servus with: servus serve (same --data / --db)")
	}
	fmt.Fprintln(w, "\nSign in with:")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  role\te-mail\tpassword")
	for _, l := range d.Logins {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", l.Role, l.Email, l.Password)
	}
	tw.Flush()
	if d.AdminToken != "" {
		fmt.Fprintf(w, "\nAPI token of %s:\n  %s\n", d.AdminEmail, d.AdminToken)
		if baseURL != "" {
			fmt.Fprintf(w, "Try:\n  curl -H 'Authorization: Bearer %s' %s/api/v1/tickets\n", d.AdminToken, baseURL)
		}
	}
}
