package mail

import (
	"net/textproto"
	"strings"
)

// AuthResults is one Authentication-Results header (RFC 8601): which
// server checked the mail (AuthServID) and what its checks said.
type AuthResults struct {
	// AuthServID names the server that added the header, lowercased; ""
	// when the header has none (Microsoft 365 writes none).
	AuthServID string
	// Results are the method results in header order; none for "none".
	Results []AuthResult
}

// AuthResult is one method's result: "dkim=pass header.d=example.org".
type AuthResult struct {
	Method string            // "dkim", "spf", "dmarc", …, lowercased, without a version
	Result string            // "pass", "fail", "none", …, lowercased
	Props  map[string]string // "header.d", "header.i", "header.from", "smtp.mailfrom", … (keys lowercased, values unquoted)
}

// ParseAuthResults reads the value of one Authentication-Results header:
// comments in parentheses are dropped, folded lines and white space around
// "=" tolerated, quoted values unquoted. It never fails: what it cannot
// read is left out, so a broken header simply proves nothing.
func ParseAuthResults(v string) AuthResults {
	var ar AuthResults
	parts := splitOutsideQuotes(stripComments(v), ';')
	if len(parts) == 0 {
		return ar
	}
	first := strings.Fields(parts[0])
	if len(first) > 0 && !strings.Contains(parts[0], "=") {
		ar.AuthServID = strings.ToLower(strings.Trim(first[0], `"`))
	} else {
		// No authserv-id (Microsoft 365): the first part is a result.
		parts = append([]string{""}, parts...)
	}
	for _, p := range parts[1:] {
		toks := fieldTokens(p)
		if len(toks) == 0 {
			continue
		}
		method, result, ok := strings.Cut(toks[0], "=")
		if !ok {
			continue // "none", or junk
		}
		method, _, _ = strings.Cut(strings.ToLower(method), "/")
		r := AuthResult{Method: method, Result: strings.ToLower(unquote(result)), Props: map[string]string{}}
		for _, t := range toks[1:] {
			k, val, ok := strings.Cut(t, "=")
			if !ok {
				continue
			}
			k = strings.ToLower(k)
			if _, seen := r.Props[k]; !seen {
				r.Props[k] = unquote(val)
			}
		}
		ar.Results = append(ar.Results, r)
	}
	return ar
}

// SenderAuthenticated reports whether the Authentication-Results of h,
// added by one of the trusted authserv-ids (the receiving mail servers,
// lowercased), say that from (an address) is authentic: dkim=pass for
// header.d (or header.i) of its domain or a parent of it, dmarc=pass with
// header.from its domain, or spf=pass with smtp.mailfrom in its domain or
// a subdomain of it, i.e. aligned with From.
//
// Only the topmost headers of trusted servers count: headers above them
// from other authserv-ids are skipped, and the first header below them
// that is not from a trusted server ends the search, so that a header a
// sender wrote into the mail, below the ones the receiving server
// prepended, proves nothing. Headers without an authserv-id never count.
// The receiving server must still remove headers carrying its own
// authserv-id from incoming mail (RFC 8601 section 5), or a mail it did
// not check at all could bring its own.
func SenderAuthenticated(h textproto.MIMEHeader, trusted []string, from string) bool {
	_, domain, ok := strings.Cut(strings.ToLower(strings.TrimSpace(from)), "@")
	if !ok || domain == "" || len(trusted) == 0 {
		return false
	}
	inBlock := false
	for _, v := range h["Authentication-Results"] {
		ar := ParseAuthResults(v)
		if ar.AuthServID == "" || !containsFold(trusted, ar.AuthServID) {
			if inBlock {
				return false
			}
			continue
		}
		inBlock = true
		for _, r := range ar.Results {
			if r.Result == "pass" && aligned(r, domain) {
				return true
			}
		}
	}
	return false
}

// aligned reports whether a passing result r vouches for fromDomain.
func aligned(r AuthResult, fromDomain string) bool {
	switch r.Method {
	case "dmarc":
		return strings.EqualFold(r.Props["header.from"], fromDomain)
	case "dkim":
		d := r.Props["header.d"]
		if d == "" {
			_, d, _ = strings.Cut(r.Props["header.i"], "@")
		}
		return d != "" && within(fromDomain, d)
	case "spf":
		mf := r.Props["smtp.mailfrom"]
		if _, d, ok := strings.Cut(mf, "@"); ok {
			mf = d
		}
		return mf != "" && within(mf, fromDomain)
	}
	return false
}

// within reports whether domain is parent or a subdomain of it
// (case-insensitively).
func within(domain, parent string) bool {
	domain, parent = strings.ToLower(strings.TrimSuffix(domain, ".")), strings.ToLower(strings.TrimSuffix(parent, "."))
	return domain == parent || (strings.Contains(parent, ".") && strings.HasSuffix(domain, "."+parent))
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(strings.TrimSpace(x), s) {
			return true
		}
	}
	return false
}

// stripComments removes (possibly nested) comments outside quoted strings.
func stripComments(s string) string {
	var b strings.Builder
	depth, quoted, esc := 0, false, false
	for _, c := range s {
		switch {
		case esc:
			esc = false
			if depth == 0 {
				b.WriteRune(c)
			}
			continue
		case c == '\\':
			esc = true
			if depth == 0 {
				b.WriteRune(c)
			}
			continue
		case quoted:
			if c == '"' {
				quoted = false
			}
		case c == '"' && depth == 0:
			quoted = true
		case c == '(':
			depth++
			continue
		case c == ')' && depth > 0:
			depth--
			b.WriteByte(' ')
			continue
		}
		if depth == 0 {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// splitOutsideQuotes splits s at sep where it is not inside a quoted string.
func splitOutsideQuotes(s string, sep rune) []string {
	var parts []string
	var b strings.Builder
	quoted, esc := false, false
	for _, c := range s {
		switch {
		case esc:
			esc = false
		case c == '\\':
			esc = true
		case c == '"':
			quoted = !quoted
		case c == sep && !quoted:
			parts = append(parts, b.String())
			b.Reset()
			continue
		}
		b.WriteRune(c)
	}
	return append(parts, b.String())
}

// fieldTokens splits one resinfo into "key=value" tokens, joining white
// space around "=" ("dkim = pass" is "dkim=pass").
func fieldTokens(s string) []string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.ReplaceAll(strings.ReplaceAll(s, " =", "="), "= ", "=")
	var out []string
	for _, t := range splitOutsideQuotes(s, ' ') {
		if t != "" {
			out = append(out, t)
		}
	}
	return out
}

// unquote removes the quotes of a quoted string, and its escapes.
func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
		s = strings.ReplaceAll(strings.ReplaceAll(s, `\"`, `"`), `\\`, `\`)
	}
	return s
}
