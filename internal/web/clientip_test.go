package web

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestClientIP(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("127.0.0.1/32")}
	for _, tc := range []struct {
		name, remote string
		xff          []string
		trusted      []netip.Prefix
		want         string
	}{
		{"no proxy configured: header ignored", "203.0.113.9:5000", []string{"198.51.100.1"}, nil, "203.0.113.9"},
		{"untrusted peer: header ignored", "203.0.113.9:5000", []string{"198.51.100.1"}, trusted, "203.0.113.9"},
		{"one trusted proxy", "10.1.2.3:5000", []string{"198.51.100.1"}, trusted, "198.51.100.1"},
		{"forged left part is skipped", "10.1.2.3:5000", []string{"1.2.3.4, 198.51.100.1"}, trusted, "198.51.100.1"},
		{"two trusted proxies", "127.0.0.1:5000", []string{"198.51.100.1, 10.9.9.9"}, trusted, "198.51.100.1"},
		{"header split over lines", "127.0.0.1:5000", []string{"198.51.100.1", "10.9.9.9"}, trusted, "198.51.100.1"},
		{"garbage stops the walk", "10.1.2.3:5000", []string{"198.51.100.1, nonsense"}, trusted, "10.1.2.3"},
		{"only proxies", "10.1.2.3:5000", []string{"10.0.0.7"}, trusted, "10.0.0.7"},
		{"trusted peer without header", "10.1.2.3:5000", nil, trusted, "10.1.2.3"},
		{"IPv6 client", "10.1.2.3:5000", []string{"2001:db8::1"}, trusted, "2001:db8::1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/login", nil)
			r.RemoteAddr = tc.remote
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := clientIP(r, tc.trusted); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}
