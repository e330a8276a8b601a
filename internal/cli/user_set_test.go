package cli_test

import (
	"strings"
	"testing"
)

// TestUserSet changes, disables and enables a user from the command line;
// the last admin stays.
func TestUserSet(t *testing.T) {
	d := []string{"--data", t.TempDir()}
	for _, s := range []struct {
		args   []string
		code   int
		stdout string // prefix
		stderr string // substring
	}{
		{args: []string{"user", "add", "--email", "boss@zid.example", "--name", "Boss", "--role", "admin"}, stdout: "created admin"},
		{args: []string{"user", "add", "--email", "agnes@zid.example", "--name", "Agnes", "--role", "agent", "--password", "agnes-secret"}, stdout: "created agent"},
		{args: []string{"user", "set", "--email", "Agnes@zid.example", "--name", "Agnes Agent", "--language", "en"}, stdout: "agent agnes@zid.example (Agnes Agent), enabled"},
		{args: []string{"user", "set", "--email", "agnes@zid.example", "--auditor", "yes"}, stdout: "agent and auditor agnes@zid.example (Agnes Agent), enabled"},
		{args: []string{"user", "set", "--email", "agnes@zid.example", "--auditor", "no"}, stdout: "agent agnes@zid.example (Agnes Agent), enabled"},
		{args: []string{"user", "set", "--email", "agnes@zid.example", "--auditor", "maybe"}, code: 2, stderr: "--auditor: must be yes or no"},
		{args: []string{"user", "set", "--email", "agnes@zid.example", "--disable"}, stdout: "agent agnes@zid.example (Agnes Agent), disabled"},
		{args: []string{"user", "set", "--email", "agnes@zid.example", "--enable", "--role", "admin"}, stdout: "admin agnes@zid.example (Agnes Agent), enabled"},
		{args: []string{"user", "set", "--email", "boss@zid.example", "--role", "requester"}, stdout: "requester boss@zid.example"},
		{args: []string{"user", "set", "--email", "boss@zid.example", "--auditor", "yes"}, code: 1, stderr: "only agents and admins can be auditors besides"},
		{args: []string{"user", "set", "--email", "agnes@zid.example", "--disable"}, code: 1, stderr: "last enabled admin"},
		{args: []string{"user", "set", "--email", "nobody@zid.example", "--name", "X"}, code: 1, stderr: "servus user set: "},
		{args: []string{"user", "set", "--email", "agnes@zid.example"}, code: 2, stderr: "nothing to change"},
		{args: []string{"user", "set", "--email", "agnes@zid.example", "--disable", "--enable"}, code: 2, stderr: "exclude each other"},
		{args: []string{"user", "set", "--email", "agnes@zid.example", "--role", "boss"}, code: 2, stderr: "--role"},
		{args: []string{"user", "set", "--name", "X"}, code: 2, stderr: "--email is required"},
	} {
		r := run(t, nil, "", append(s.args, d...)...)
		name := strings.Join(s.args, " ")
		if r.code != s.code {
			t.Errorf("%s: exit %d, want %d; stderr:\n%s", name, r.code, s.code, r.stderr)
			continue
		}
		if !strings.HasPrefix(r.stdout, s.stdout) {
			t.Errorf("%s: stdout %q, want it to start %q", name, r.stdout, s.stdout)
		}
		if !strings.Contains(r.stderr, s.stderr) {
			t.Errorf("%s: stderr %q, want it to contain %q", name, r.stderr, s.stderr)
		}
	}
}
