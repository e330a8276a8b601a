package config

import (
	"flag"
	"fmt"
	"net/netip"
	"time"
)

// HTTP limits of servus serve against slow or greedy clients.
const (
	DefaultHeaderTimeout     = 10 * time.Second
	DefaultBodyTimeout       = 10 * time.Second
	DefaultMaxConnsPerClient = 64
	DefaultMaxConns          = 4096
)

// HTTP is how servus serve guards its HTTP listener.
type HTTP struct {
	HeaderTimeout     time.Duration  // a request's headers must arrive within this
	BodyTimeout       time.Duration  // a body must arrive within this until the sender is known (signed in, token)
	MaxConnsPerClient int            // open connections from one address (trusted proxies exempt)
	MaxConns          int            // open connections in all
	MetricsAllow      []netip.Prefix // who may read /metrics; default loopback
	Profiling         bool           // serve Go's profiles at /debug/pprof/ to MetricsAllow
}

// DefaultHTTP returns the HTTP limits' defaults.
func DefaultHTTP() HTTP {
	return HTTP{
		HeaderTimeout:     DefaultHeaderTimeout,
		BodyTimeout:       DefaultBodyTimeout,
		MaxConnsPerClient: DefaultMaxConnsPerClient,
		MaxConns:          DefaultMaxConns,
		MetricsAllow:      []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")},
	}
}

// HTTPFlags registers the flags of the HTTP limits.
func (c *Config) HTTPFlags(fs *flag.FlagSet) {
	fs.Var((*duration)(&c.HTTP.HeaderTimeout), "header-timeout", "a client must send a request's headers within this `duration`")
	fs.Var((*duration)(&c.HTTP.BodyTimeout), "body-timeout", "a client that is not signed in must send a request's body within this `duration` (sign-in and password forms, unauthenticated API calls); signed-in people and API tokens get 5 minutes")
	fs.IntVar(&c.HTTP.MaxConnsPerClient, "max-conns-per-client", c.HTTP.MaxConnsPerClient, "most open HTTP connections from one client `address` (--trusted-proxies are exempt); more are closed at once")
	fs.IntVar(&c.HTTP.MaxConns, "max-conns", c.HTTP.MaxConns, "most open HTTP connections in all (`number`); more are closed at once")
	fs.Var((*prefixes)(&c.HTTP.MetricsAllow), "metrics-allow", "comma-separated `networks` that may read /metrics (others get 404), e.g. 127.0.0.1,10.0.0.0/8")
	fs.BoolVar(&c.HTTP.Profiling, "pprof", false, "serve Go's runtime profiles (CPU, heap, goroutines) at /debug/pprof/ to the --metrics-allow networks, for go tool pprof; off by default")
}

// validateHTTP checks the HTTP limits.
func (c *Config) validateHTTP() error {
	switch {
	case c.HTTP.HeaderTimeout <= 0:
		return fmt.Errorf("--header-timeout: must be positive, e.g. 10s")
	case c.HTTP.BodyTimeout <= 0:
		return fmt.Errorf("--body-timeout: must be positive, e.g. 10s")
	case c.HTTP.MaxConnsPerClient < 1:
		return fmt.Errorf("--max-conns-per-client: must be at least 1")
	case c.HTTP.MaxConns < c.HTTP.MaxConnsPerClient:
		return fmt.Errorf("--max-conns: must be at least --max-conns-per-client (%d)", c.HTTP.MaxConnsPerClient)
	case len(c.HTTP.MetricsAllow) == 0:
		return fmt.Errorf("--metrics-allow: name at least one network, e.g. 127.0.0.1")
	}
	return nil
}
