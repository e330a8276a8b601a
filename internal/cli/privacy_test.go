package cli_test

import (
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/store/storetest"
)

// TestPrivacyEraseAndRetentionRun erases a person who wrote a ticket by
// mail, from the command line, on both databases, and runs retention.
func TestPrivacyEraseAndRetentionRun(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			d := []string{"--data", t.TempDir()}
			if dialect == "postgres" {
				d = append(d, "--db", storetest.PostgresURL(t))
			}
			mail := "From: Fritz Example <fritz@zid.example>\r\nTo: it@zid.example\r\nSubject: Drucker kaputt\r\nMessage-ID: <p1@zid.example>\r\n\r\nDer Drucker druckt nicht.\r\n"
			for _, s := range []struct {
				args   []string
				stdin  string
				code   int
				stdout string // substring
				stderr string // substring
			}{
				{args: []string{"user", "add", "--email", "boss@zid.example", "--name", "Boss", "--role", "admin"}, stdout: "created admin"},
				{args: []string{"queue", "add", "--name", "IT", "--address", "it@zid.example", "--default"}},
				{args: []string{"mail", "deliver", "--to", "it@zid.example"}, stdin: mail},
				{args: []string{"privacy", "erase", "--email", "fritz@zid.example"}, stdout: "1 tickets anonymised"},
				{args: []string{"privacy", "erase", "--email", "fritz@zid.example"}, code: 1, stderr: "servus privacy erase: "},
				{args: []string{"privacy", "erase", "--email", "boss@zid.example"}, code: 1, stderr: "last enabled admin"},
				{args: []string{"privacy", "erase"}, code: 2, stderr: "--email is required"},
				{args: []string{"retention", "run", "--dry-run"}, stdout: "would anonymise 0, would delete 0 tickets"},
				{args: []string{"retention", "run", "--audit-retention", "-1"}, code: 2, stderr: "--audit-retention"},
				{args: []string{"retention", "run"}, stdout: "anonymise 0, delete 0 tickets"},
			} {
				r := run(t, nil, s.stdin, append(s.args, d...)...)
				name := strings.Join(s.args, " ")
				if r.code != s.code {
					t.Errorf("%s: exit %d, want %d; stderr:\n%s", name, r.code, s.code, r.stderr)
					continue
				}
				if !strings.Contains(r.stdout, s.stdout) || !strings.Contains(r.stderr, s.stderr) {
					t.Errorf("%s: stdout %q stderr %q, want %q and %q in them", name, r.stdout, r.stderr, s.stdout, s.stderr)
				}
			}
		})
	}
}
