package cli_test

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/store/storetest"
)

// TestPrivacyExport exports a person from the command line on both
// databases: a zip with their ticket and nobody else's, an audit row.
func TestPrivacyExport(t *testing.T) {
	for _, dialect := range dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			d := []string{"--data", t.TempDir()}
			if dialect == "postgres" {
				d = append(d, "--db", storetest.PostgresURL(t))
			}
			out := filepath.Join(t.TempDir(), "alice.zip")
			for _, s := range []struct {
				args   []string
				code   int
				stderr string
			}{
				{args: []string{"user", "add", "--email", "alice@zid.example", "--name", "Alice", "--role", "requester"}},
				{args: []string{"privacy", "export", "--email", "alice@zid.example", "--out", out}},
				{args: []string{"privacy", "export", "--email", "nobody@zid.example", "--out", out + ".2"}, code: 1, stderr: "servus privacy export: "},
				{args: []string{"privacy", "export", "--email", "alice@zid.example"}, code: 2, stderr: "--out is required"},
			} {
				r := run(t, nil, "", append(s.args, d...)...)
				if r.code != s.code || !strings.Contains(r.stderr, s.stderr) {
					t.Fatalf("%s: exit %d, stderr %q; want %d and %q", strings.Join(s.args, " "), r.code, r.stderr, s.code, s.stderr)
				}
			}
			if _, err := os.Stat(out + ".2"); err == nil {
				t.Errorf("a failed export left %s", out+".2")
			}
			z, err := zip.OpenReader(out)
			if err != nil {
				t.Fatal(err)
			}
			defer z.Close()
			files := map[string]string{}
			for _, f := range z.File {
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				files[f.Name] = string(b)
			}
			if !strings.Contains(files["account.json"], `"email": "alice@zid.example"`) || strings.TrimSpace(files["tickets.json"]) != "[]" {
				t.Errorf("account.json %q, tickets.json %q: want alice and no tickets", files["account.json"], files["tickets.json"])
			}
			if !strings.Contains(files["audit.json"], `"action": "privacy.export"`) || !strings.Contains(files["audit.json"], "(command line)") {
				t.Errorf("audit.json: got %s, want the export's own row", files["audit.json"])
			}
		})
	}
}
