package app_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportDirection keeps the layout of the README true: imports point
// one way, from the command line down to the domain, and the leaves import
// no other servus package; server is a leaf among the HTTP packages and
// the web and the API never import each other.
func TestImportDirection(t *testing.T) {
	const mod = "github.com/servus-desk/servus/"
	// allowed[p] lists the servus packages p may import (directly or not).
	allowed := map[string][]string{
		"internal/ticket":        {},
		"internal/config":        {},
		"internal/i18n":          {},
		"internal/mail":          {},
		"internal/textsearch":    {},
		"internal/loadgen":       {"internal/textsearch"},
		"internal/bizhours":      {},
		"internal/directory":     {},
		"internal/openid":        {},
		"internal/openid/optest": {},
		"internal/saml":          {},
		"internal/errtext":       {"internal/ticket", "internal/i18n"},
		"internal/blob":          {"internal/ticket"},
		"internal/auth":          {"internal/ticket"},
		"internal/access":        {"internal/ticket", "internal/auth"},
		"internal/store":         {"internal/ticket", "internal/auth", "internal/access", "internal/textsearch", "internal/blob"},
		"internal/backup":        {"internal/ticket", "internal/auth", "internal/access", "internal/textsearch", "internal/store", "internal/blob"},
	}
	below := func(p string) map[string]bool {
		out := map[string]bool{}
		for _, q := range allowed[p] {
			out[q] = true
		}
		return out
	}
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Deps " "}}`, mod+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	// forbidden[p] lists servus packages p must not import, directly or not:
	// server is the HTTP plumbing and takes its handlers from app, so it
	// knows neither surface nor the layers below them; the web and the API
	// are two surfaces over desk and stay apart.
	forbidden := map[string][]string{
		"internal/server": {"internal/web", "internal/api", "internal/desk", "internal/store", "internal/app", "internal/cli", "internal/intake", "internal/delivery", "internal/demo"},
		"internal/web":    {"internal/api", "internal/server"},
		"internal/api":    {"internal/web", "internal/server"},
	}
	// Nothing below desk may import desk or anything above it.
	upper := []string{"internal/desk", "internal/api", "internal/web", "internal/server", "internal/app", "internal/cli", "internal/intake", "internal/delivery", "internal/demo"}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], mod)
		ok, restricted := allowed[pkg]
		for _, dep := range fields[1:] {
			if !strings.HasPrefix(dep, mod) {
				continue
			}
			d := strings.TrimPrefix(dep, mod)
			if d == "internal/servustest" {
				t.Errorf("%s imports internal/servustest, which only tests may use", pkg)
			}
			for _, f := range forbidden[pkg] {
				if d == f {
					t.Errorf("%s imports %s; it must not", pkg, d)
				}
			}
			if restricted && !below(pkg)[d] {
				t.Errorf("%s imports %s; it may import only %v", pkg, d, ok)
			}
			if pkg == "internal/desk" || strings.HasPrefix(pkg, "internal/desk/") {
				for _, u := range upper[1:] {
					if d == u {
						t.Errorf("desk imports %s, which stands above it", d)
					}
				}
			}
		}
	}
}
