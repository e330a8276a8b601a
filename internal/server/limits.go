package server

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// Defaults of the connection and body limits (Options).
const (
	DefaultBodyTimeout       = 10 * time.Second
	DefaultMaxConnsPerClient = 64
	DefaultMaxConns          = 4096
)

// shortBody gives every request d to send its body: a client that dribbles
// a body (slowloris) is cut after d, not after ReadTimeout. Handlers that
// have checked who is asking (a signed-in person, an API token) grant the
// long ReadTimeout again (web and api BodyTimeout options), so uploads of
// known people are not cut.
func shortBody(next http.Handler, d time.Duration) http.Handler {
	if d <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength != 0 {
			// An http.ResponseWriter without a connection (a test's
			// recorder) cannot: nothing to cut then.
			_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(d))
		}
		next.ServeHTTP(w, r)
	})
}

// LimitListener wraps ln so that at most perClient connections from one
// client address, and at most total connections in all, are open at once;
// a connection beyond either is closed as soon as it is accepted. Addresses
// in exempt (the trusted reverse proxies, which carry many clients) count
// only towards total. Zero or less for a limit means no limit.
func LimitListener(ln net.Listener, total, perClient int, exempt []netip.Prefix) net.Listener {
	return &limitListener{Listener: ln, total: total, perClient: perClient, exempt: exempt, open: map[netip.Addr]int{}}
}

type limitListener struct {
	net.Listener
	total, perClient int
	exempt           []netip.Prefix

	mu   sync.Mutex
	all  int
	open map[netip.Addr]int
}

func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		addr := peerAddr(c.RemoteAddr())
		if l.admit(addr) {
			return &limitConn{Conn: c, release: func() { l.release(addr) }}, nil
		}
		c.Close()
	}
}

func (l *limitListener) admit(a netip.Addr) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.total > 0 && l.all >= l.total {
		return false
	}
	counted := l.perClient > 0 && a.IsValid() && !inPrefixes(a, l.exempt)
	if counted && l.open[a] >= l.perClient {
		return false
	}
	l.all++
	if a.IsValid() {
		l.open[a]++
	}
	return true
}

func (l *limitListener) release(a netip.Addr) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.all--
	if a.IsValid() {
		if l.open[a]--; l.open[a] <= 0 {
			delete(l.open, a)
		}
	}
}

// limitConn gives its place back once, when it is closed.
type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

// peerAddr is the IP address of a connection's peer; the zero Addr when it
// has none (a Unix socket).
func peerAddr(a net.Addr) netip.Addr {
	if ta, ok := a.(*net.TCPAddr); ok {
		ip, _ := netip.AddrFromSlice(ta.IP)
		return ip.Unmap()
	}
	ap, err := netip.ParseAddrPort(a.String())
	if err != nil {
		return netip.Addr{}
	}
	return ap.Addr().Unmap()
}

func inPrefixes(a netip.Addr, ps []netip.Prefix) bool {
	a = a.Unmap()
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// loopback is who may read /metrics unless told otherwise.
var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}

// allowOnly answers 404 to a request whose peer, or any address a proxy
// named in X-Forwarded-For, is outside allow: a proxy in allow cannot pass
// on an outsider's request, and a client that forges the header only locks
// itself out.
func allowOnly(next http.Handler, allow []netip.Prefix) http.Handler {
	if len(allow) == 0 {
		allow = loopback
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !allowed(r, allow) {
			http.NotFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func allowed(r *http.Request, allow []netip.Prefix) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !inPrefixes(peer, allow) {
		return false
	}
	for _, h := range append(r.Header.Values("X-Forwarded-For"), r.Header.Values("Forwarded")...) {
		if h != "" {
			for part := range strings.SplitSeq(h, ",") {
				a, err := netip.ParseAddr(strings.TrimSpace(part))
				if err != nil || !inPrefixes(a, allow) {
					return false
				}
			}
		}
	}
	return true
}

// probeCache runs a readiness probe at most once every ttl and answers the
// cached result in between, so a load balancer's polling costs little.
type probeCache struct {
	probe func(context.Context) error
	ttl   time.Duration
	now   func() time.Time

	mu   sync.Mutex
	at   time.Time
	err  error
	done bool
}

func (p *probeCache) check(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if now := p.now(); !p.done || now.Sub(p.at) >= p.ttl {
		p.err, p.at, p.done = p.probe(ctx), now, true
	}
	return p.err
}
