package web

import (
	"net/url"
	"testing"
)

// TestLocalPathHostile: every target a browser would take off-site (or that
// a server or proxy on the way might) becomes "/"; same-site paths stay,
// as the browser reads them.
func TestLocalPathHostile(t *testing.T) {
	t.Parallel()
	hostile := []string{
		"", "evil.example", "//evil.example", "///evil.example", "////evil.example/x",
		"/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "\t//evil.example", "/\t\t/evil.example",
		"/\\evil.example", "\\\\evil.example", "\\/evil.example", "/\\/evil.example",
		" //evil.example", "\x00//evil.example", "\x1f/\\evil.example", "\x0b//evil.example", "  /\t/evil.example",
		"/%2Fevil.example", "/%2fevil.example", "/%5Cevil.example", "/%5cevil.example", "/%2F%2Fevil.example",
		"http://evil.example", "https://evil.example/", "HTTPS://evil.example", "javascript:alert(1)",
		"JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>",
		"https:evil.example", "http:/evil.example", "//user@evil.example", "/\x00", "/a\x7fb", "/%zz",
		"\u3000//evil.example", "/tic\tkets/12", "/a\r\nSet-Cookie: x", "mailto:a@evil.example", "#//evil.example", "?next=//evil.example",
	}
	for _, in := range hostile {
		if got := localPath(in); got != "/" {
			t.Errorf("localPath(%q) = %q, want /", in, got)
		}
	}
	// The reported attack, as the sign-in link carries it.
	q, _ := url.ParseQuery("next=/%09/evil.example")
	if got := localPath(q.Get("next")); got != "/" {
		t.Errorf("next=/%%09/evil.example: got %q, want /", got)
	}
	fine := map[string]string{
		"/":                        "/",
		"/tickets/12":              "/tickets/12",
		"/search?q=drucker&page=2": "/search?q=drucker&page=2",
		"/queues/Servicedesk#list": "/queues/Servicedesk#list",
		" /tickets/12 ":            "/tickets/12",
		"/a\\b":                    "/a/b",
		"/search?q=a%2Fb":          "/search?q=a%2Fb",
		"/tickets/%C3%A4":          "/tickets/%C3%A4",
		"/tickets/ä":               "/tickets/%C3%A4",
		"/./evil.example":          "/./evil.example",
		"\\tickets":                "/tickets", // a backslash is a slash
	}
	for in, want := range fine {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}
