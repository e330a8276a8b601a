package mail

import (
	"net/textproto"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseAuthResults(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     AuthResults
	}{
		{"gmail", "mx.google.com;\r\n       dkim=pass header.i=@example.org header.s=s1 header.b=Ab1+;\r\n       spf=pass (google.com: domain of x@example.org designates 192.0.2.1 as permitted sender) smtp.mailfrom=x@example.org;\r\n       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.org",
			AuthResults{AuthServID: "mx.google.com", Results: []AuthResult{
				{Method: "dkim", Result: "pass", Props: map[string]string{"header.i": "@example.org", "header.s": "s1", "header.b": "Ab1+"}},
				{Method: "spf", Result: "pass", Props: map[string]string{"smtp.mailfrom": "x@example.org"}},
				{Method: "dmarc", Result: "pass", Props: map[string]string{"header.from": "example.org"}},
			}}},
		{"microsoft 365 without authserv-id", "spf=pass (sender IP is 209.85.128.41)\r\n smtp.mailfrom=gmail.com; dkim=pass (signature was verified)\r\n header.d=gmail.com;dmarc=pass action=none header.from=gmail.com;compauth=pass\r\n reason=100",
			AuthResults{Results: []AuthResult{
				{Method: "spf", Result: "pass", Props: map[string]string{"smtp.mailfrom": "gmail.com"}},
				{Method: "dkim", Result: "pass", Props: map[string]string{"header.d": "gmail.com"}},
				{Method: "dmarc", Result: "pass", Props: map[string]string{"action": "none", "header.from": "gmail.com"}},
				{Method: "compauth", Result: "pass", Props: map[string]string{"reason": "100"}},
			}}},
		{"rspamd", "mx.example.org;\r\n\tdkim=pass header.d=example.com header.s=dkim header.b=Abc123;\r\n\tdmarc=pass (policy=reject) header.from=example.com;\r\n\tspf=pass (mx.example.org: domain of \"bob@example.com\" designates 192.0.2.7 as permitted sender) smtp.mailfrom=bob@example.com",
			AuthResults{AuthServID: "mx.example.org", Results: []AuthResult{
				{Method: "dkim", Result: "pass", Props: map[string]string{"header.d": "example.com", "header.s": "dkim", "header.b": "Abc123"}},
				{Method: "dmarc", Result: "pass", Props: map[string]string{"header.from": "example.com"}},
				{Method: "spf", Result: "pass", Props: map[string]string{"smtp.mailfrom": "bob@example.com"}},
			}}},
		{"opendmarc", "mx.example.org; dmarc=fail (p=reject dis=none) header.from=example.com",
			AuthResults{AuthServID: "mx.example.org", Results: []AuthResult{
				{Method: "dmarc", Result: "fail", Props: map[string]string{"header.from": "example.com"}},
			}}},
		{"opendkim with version, folded comment", "MX.Example.ORG 1; dkim=pass (2048-bit key;\r\n unprotected) header.d=example.com header.i=@example.com header.a=rsa-sha256",
			AuthResults{AuthServID: "mx.example.org", Results: []AuthResult{
				{Method: "dkim", Result: "pass", Props: map[string]string{"header.d": "example.com", "header.i": "@example.com", "header.a": "rsa-sha256"}},
			}}},
		{"spaces around =, quoted value, method version", `mx.example.org; spf = pass smtp.mailfrom = "bob@example.com"; dkim/1=neutral (bad format) header.d=example.com`,
			AuthResults{AuthServID: "mx.example.org", Results: []AuthResult{
				{Method: "spf", Result: "pass", Props: map[string]string{"smtp.mailfrom": "bob@example.com"}},
				{Method: "dkim", Result: "neutral", Props: map[string]string{"header.d": "example.com"}},
			}}},
		{"none", "mx.example.org; none", AuthResults{AuthServID: "mx.example.org"}},
		{"empty", "", AuthResults{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Header values arrive unfolded.
			h, _ := splitHeader([]byte("Authentication-Results: " + tc.in + "\r\n\r\n"))
			got := ParseAuthResults(h.Get("Authentication-Results"))
			if diff := cmp.Diff(tc.want, got, cmp.Comparer(func(a, b map[string]string) bool { return cmp.Equal(a, b) || len(a)+len(b) == 0 })); diff != "" {
				t.Errorf("ParseAuthResults (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSenderAuthenticated(t *testing.T) {
	trusted := []string{"mx.example.org", "mx2.example.org"}
	for _, tc := range []struct {
		name string
		ar   []string // Authentication-Results, topmost first
		from string
		want bool
	}{
		{"dmarc pass", []string{"mx.example.org; dmarc=pass (p=none) header.from=uni.example"}, "anna@uni.example", true},
		{"dmarc pass, other domain", []string{"mx.example.org; dmarc=pass header.from=evil.example"}, "anna@uni.example", false},
		{"dkim pass aligned", []string{"mx.example.org; dkim=pass header.d=uni.example header.s=x"}, "Anna@UNI.example", true},
		{"dkim pass by parent domain", []string{"mx.example.org; dkim=pass header.d=uni.example"}, "anna@mail.uni.example", true},
		{"dkim pass by header.i", []string{"mx.example.org; dkim=pass header.i=@uni.example"}, "anna@uni.example", true},
		{"dkim pass, subdomain of From does not vouch", []string{"mx.example.org; dkim=pass header.d=x.uni.example"}, "anna@uni.example", false},
		{"dkim pass other domain", []string{"mx.example.org; dkim=pass header.d=evil.example"}, "anna@uni.example", false},
		{"dkim fail", []string{"mx.example.org; dkim=fail header.d=uni.example"}, "anna@uni.example", false},
		{"spf pass aligned", []string{"mx.example.org; spf=pass smtp.mailfrom=bounce@lists.uni.example"}, "anna@uni.example", true},
		{"spf pass other domain", []string{"mx.example.org; spf=pass smtp.mailfrom=x@evil.example"}, "anna@uni.example", false},
		{"spf softfail", []string{"mx.example.org; spf=softfail smtp.mailfrom=anna@uni.example"}, "anna@uni.example", false},
		{"untrusted authserv-id", []string{"evil.example; dmarc=pass header.from=uni.example"}, "anna@uni.example", false},
		{"no authserv-id (Microsoft 365)", []string{"dmarc=pass action=none header.from=uni.example"}, "anna@uni.example", false},
		{"several from the trusted server (OpenDKIM and OpenDMARC)", []string{
			"mx.example.org; dkim=fail header.d=uni.example",
			"mx.example.org; dmarc=pass header.from=uni.example"}, "anna@uni.example", true},
		{"second trusted server", []string{"mx2.example.org; dmarc=pass header.from=uni.example"}, "anna@uni.example", true},
		{"untrusted above the trusted ones is skipped", []string{
			"spamfilter.internal; dmarc=fail header.from=uni.example",
			"mx.example.org; dmarc=pass header.from=uni.example"}, "anna@uni.example", true},
		{"forged trusted header below the receiving server's own", []string{
			"mx.example.org; dmarc=fail header.from=uni.example",
			"relay.evil.example; none",
			"mx.example.org; dmarc=pass header.from=uni.example"}, "anna@uni.example", false},
		{"nothing", nil, "anna@uni.example", false},
		{"no sender", []string{"mx.example.org; dmarc=pass header.from=uni.example"}, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := textproto.MIMEHeader{"Authentication-Results": tc.ar}
			if got := SenderAuthenticated(h, trusted, tc.from); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	if SenderAuthenticated(textproto.MIMEHeader{"Authentication-Results": {"mx.example.org; dmarc=pass header.from=uni.example"}}, nil, "anna@uni.example") {
		t.Error("authenticated with no trusted authserv-id configured")
	}
}
