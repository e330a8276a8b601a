package cli

import (
	"context"
	"flag"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/loadgen"
)

func loadCommand() *command {
	return &command{
		name:    "load",
		summary: "measure page latency of a running servus on this machine",
		help: "Signs in to a running servus (on this machine only) and requests the given\n" +
			"pages from several workers until --duration or --requests runs out, then\n" +
			"prints requests per second and p50/p90/p99/max latency per page. Any answer\n" +
			"other than 2xx counts as an error.",
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			var o loadgen.Options
			var paths string
			fs.StringVar(&o.BaseURL, "url", "http://127.0.0.1:8080", "base `URL` of the servus to load (loopback only)")
			fs.StringVar(&o.Email, "email", "", "sign in as this `address` first (pages need a session)")
			fs.StringVar(&o.Password, "password", "", "the `password` to sign in with")
			fs.StringVar(&paths, "paths", strings.Join(loadgen.DefaultPaths(), ","), "comma-separated `paths` to request in turn")
			fs.IntVar(&o.Concurrency, "concurrency", 4, "parallel `workers`")
			fs.DurationVar(&o.Duration, "duration", 10*time.Second, "how long to load, at most 10m")
			fs.IntVar(&o.Requests, "requests", 100_000, "stop after this many `requests`")
			return func(ctx context.Context, e *env) error {
				for _, p := range strings.Split(paths, ",") {
					if p = strings.TrimSpace(p); p != "" {
						o.Paths = append(o.Paths, p)
					}
				}
				rep, err := loadgen.Run(ctx, o)
				if err != nil {
					return err
				}
				rep.Write(e.stdout)
				return nil
			}
		},
	}
}
