package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// clientIP is the address of the person behind r, for rate limits. It is
// the connection's peer, unless that peer is a trusted reverse proxy: then
// X-Forwarded-For is read from the right (each proxy appends the address it
// saw) and the first address that is not a trusted proxy is the client. A
// client cannot forge its way past this: whatever it writes into the header
// itself stands left of what the trusted proxies appended.
func clientIP(r *http.Request, trusted []netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !isTrusted(peer, trusted) {
		return host
	}
	hops := r.Header.Values("X-Forwarded-For")
	var addrs []string
	for _, h := range hops {
		for part := range strings.SplitSeq(h, ",") {
			addrs = append(addrs, strings.TrimSpace(part))
		}
	}
	client := peer
	for i := len(addrs) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(addrs[i])
		if err != nil {
			break // garbage: believe no further
		}
		client = a.Unmap()
		if !isTrusted(client, trusted) {
			break
		}
	}
	return client.String()
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	a = a.Unmap()
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
