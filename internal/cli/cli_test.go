package cli_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/app"
	"github.com/servus-desk/servus/internal/cli"
	"github.com/servus-desk/servus/internal/config"
)

// result is what one run of the command line left behind.
type result struct {
	code           int
	stdout, stderr string
}

// run runs the servus command line with env as its whole environment and
// stdin as its standard input.
func run(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := cli.Run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(stdin), &stdout, &stderr)
	return result{code, stdout.String(), stderr.String()}
}

func TestHelp(t *testing.T) {
	tests := []struct {
		args []string
		want []string // in stderr
	}{
		{[]string{"--help"}, []string{"Usage: servus COMMAND", "serve", "token create", "SERVUS_"}},
		{[]string{"-h"}, []string{"Usage: servus COMMAND"}},
		{[]string{"help"}, []string{"Usage: servus COMMAND"}},
		{[]string{"help", "serve"}, []string{"Usage: servus serve", "--addr", "SERVUS_ADDR", "--auto-close-after", "default 336h", "--data", "default ./servus-data", "--db", "--base-url", "--demo", "--config", "--log-format", "--log-level"}},
		{[]string{"serve", "--help"}, []string{"Usage: servus serve", "default 127.0.0.1:8080"}},
		{[]string{"user", "add", "--help"}, []string{"Usage: servus user add", "--email", "--name", "--role", "--password", "--password-stdin", "SERVUS_EMAIL"}},
		{[]string{"help", "user", "add"}, []string{"Usage: servus user add"}},
		{[]string{"token", "create", "-h"}, []string{"Usage: servus token create", "alone"}},
		{[]string{"queue", "add", "--help"}, []string{"--name", "--address", "--default", "--confidential"}},
		{[]string{"queue", "--help"}, []string{"queue add", "queue member", "queue list"}},
		{[]string{"migrate", "--help"}, []string{"Usage: servus migrate", "--data", "--db"}},
		{[]string{"demo", "--help"}, []string{"Usage: servus demo"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := run(t, nil, "", tt.args...)
			if r.code != 0 {
				t.Errorf("exit code: got %d, want 0; stderr:\n%s", r.code, r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout: got %q, want nothing (help goes to stderr)", r.stdout)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("help lacks %q:\n%s", w, r.stderr)
				}
			}
		})
	}
	// The outbound mail flags, each with its environment variable.
	r := run(t, nil, "", "serve", "--help")
	for _, want := range []string{"--smtp-url", "SERVUS_SMTP_URL", "--mail-from", "--subject-prefix", "[ZID #1234]"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("serve --help lacks %s", want)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	data := t.TempDir()
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string // in stderr
	}{
		{"no command", nil, nil, "Usage: servus COMMAND"},
		{"unknown command", nil, []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"group without subcommand", nil, []string{"user"}, "missing subcommand"},
		{"unknown subcommand", nil, []string{"token", "revoke"}, `unknown subcommand "revoke"`},
		{"unknown flag", nil, []string{"serve", "--frobnicate", "x"}, "not defined: -frobnicate"},
		{"bad smtp url", nil, []string{"serve", "--data", data, "--smtp-url", "mail.example.org:25"}, "--smtp-url:"},
		{"bad subject prefix", nil, []string{"serve", "--data", data, "--subject-prefix", "[ZID]"}, "--subject-prefix:"},
		{"stray argument", nil, []string{"migrate", "--data", data, "extra"}, `unexpected argument "extra"`},
		{"bad duration flag", nil, []string{"serve", "--auto-close-after", "fortnight"}, "not a duration"},
		{"bad addr", nil, []string{"serve", "--data", data, "--addr", "nowhere"}, "--addr:"},
		{"bad addr from env", map[string]string{"SERVUS_ADDR": "nowhere"}, []string{"serve", "--data", data}, "--addr:"},
		{"bad env value", map[string]string{"SERVUS_DEMO": "perhaps"}, []string{"serve"}, "SERVUS_DEMO:"},
		{"bad db", nil, []string{"migrate", "--data", data, "--db", "mysql://x"}, "--db:"},
		{"bad log format", nil, []string{"serve", "--log-format", "xml"}, "--log-format:"},
		{"missing email", nil, []string{"user", "add", "--data", data, "--name", "N", "--role", "agent"}, "--email is required"},
		{"bad role", nil, []string{"user", "add", "--data", data, "--email", "a@x.example", "--name", "N", "--role", "boss"}, "--role:"},
		{"bad language", nil, []string{"user", "add", "--data", data, "--email", "a@x.example", "--name", "N", "--role", "agent", "--language", "fr"}, "--language:"},
		{"two passwords", nil, []string{"user", "add", "--data", data, "--email", "a@x.example", "--name", "N", "--role", "agent", "--password", "p", "--password-stdin"}, "exclude"},
		{"token without email", nil, []string{"token", "create", "--data", data}, "--email is required"},
		{"queue without name", nil, []string{"queue", "add", "--data", data}, "--name is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, tt.env, "", tt.args...)
			if r.code != cli.ExitUsage {
				t.Errorf("exit code: got %d, want %d; stderr:\n%s", r.code, cli.ExitUsage, r.stderr)
			}
			if !strings.Contains(r.stderr, tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, r.stderr)
			}
		})
	}
}

// TestDataPrecedence checks a flag wins over the environment, and the
// environment over the default, by where the database appears.
func TestDataPrecedence(t *testing.T) {
	envDir := filepath.Join(t.TempDir(), "env")
	flagDir := filepath.Join(t.TempDir(), "flag")
	env := map[string]string{"SERVUS_DATA": envDir}

	r := run(t, env, "", "migrate")
	if r.code != 0 {
		t.Fatalf("migrate with SERVUS_DATA: exit %d; stderr:\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(envDir, "servus.db")); err != nil {
		t.Errorf("SERVUS_DATA not used: %v", err)
	}
	if !strings.HasPrefix(r.stdout, "applied ") || strings.HasPrefix(r.stdout, "applied 0 ") {
		t.Errorf("first migrate: got %q, want some migrations applied", r.stdout)
	}
	r = run(t, env, "", "migrate")
	if r.stdout != "applied 0 migrations (sqlite)\n" {
		t.Errorf("second migrate: got %q, want none applied", r.stdout)
	}

	r = run(t, env, "", "migrate", "--data", flagDir)
	if r.code != 0 {
		t.Fatalf("migrate --data: exit %d; stderr:\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(flagDir, "servus.db")); err != nil {
		t.Errorf("--data not used over SERVUS_DATA: %v", err)
	}
}

// TestAdminCommands drives user, token and queue commands on one data
// folder, including the errors of the use cases (exit 1, plain message).
func TestAdminCommands(t *testing.T) {
	data := t.TempDir()
	d := []string{"--data", data}
	steps := []struct {
		args   []string
		stdin  string
		code   int
		stdout string // prefix; "*" for any non-empty
		stderr string // substring
	}{
		{args: []string{"user", "add", "--email", "boss@zid.example", "--name", "Boss", "--role", "admin", "--password", "s3cret-pass"}, stdout: "created admin boss@zid.example (Boss)"},
		{args: []string{"user", "add", "--email", "Agent@zid.example", "--name", "Agnes", "--role", "agent", "--password-stdin", "--language", "en"}, stdin: "from-stdin-pw\n", stdout: "created agent agent@zid.example"},
		{args: []string{"user", "add", "--email", "boss@zid.example", "--name", "Again", "--role", "agent"}, code: 1, stderr: "servus user add: "},
		{args: []string{"user", "add", "--email", "betriebsrat@zid.example", "--name", "Betriebsrat", "--role", "auditor", "--password", "s3cret-pass"}, stdout: "created auditor betriebsrat@zid.example"},
		{args: []string{"queue", "add", "--name", "Audited"}, stdout: "created queue Audited"},
		{args: []string{"queue", "member", "--name", "Audited", "--email", "betriebsrat@zid.example"}, code: 1, stderr: "servus queue member: "},
		{args: []string{"user", "add", "--email", "not-an-address", "--name", "X", "--role", "requester"}, code: 1, stderr: "email"},
		{args: []string{"token", "create", "--email", "boss@zid.example"}, stdout: "*"},
		{args: []string{"token", "create", "--email", "nobody@zid.example"}, code: 1, stderr: "servus token create: "},
		{args: []string{"queue", "add", "--name", "Servicedesk", "--address", "servicedesk@zid.example", "--default"}, stdout: "created queue Servicedesk"},
		{args: []string{"queue", "add", "--name", "Security", "--confidential"}, stdout: "created queue Security"},
		{args: []string{"queue", "add", "--name", "Security"}, code: 1, stderr: "servus queue add: "},
		{args: []string{"queue", "member", "--name", "Security", "--email", "agent@zid.example"}, stdout: "added agent@zid.example to queue Security"},
		{args: []string{"queue", "member", "--name", "Nowhere", "--email", "agent@zid.example"}, code: 1, stderr: "servus queue member: "},
		{args: []string{"queue", "list"}, stdout: "NAME"},
	}
	for _, s := range steps {
		r := run(t, nil, s.stdin, append(s.args, d...)...)
		name := strings.Join(s.args, " ")
		if r.code != s.code {
			t.Errorf("%s: exit %d, want %d; stderr:\n%s", name, r.code, s.code, r.stderr)
			continue
		}
		switch {
		case s.stdout == "*" && strings.TrimSpace(r.stdout) == "":
			t.Errorf("%s: empty stdout", name)
		case s.stdout != "*" && !strings.HasPrefix(r.stdout, s.stdout):
			t.Errorf("%s: stdout %q, want it to start %q", name, r.stdout, s.stdout)
		}
		if !strings.Contains(r.stderr, s.stderr) {
			t.Errorf("%s: stderr %q, want it to contain %q", name, r.stderr, s.stderr)
		}
		if s.code == 1 && strings.Contains(r.stderr, "Usage:") {
			t.Errorf("%s: a refused operation shows usage:\n%s", name, r.stderr)
		}
	}

	// The token is alone on stdout: one line, no spaces.
	r := run(t, nil, "", append([]string{"token", "create", "--email", "agent@zid.example"}, d...)...)
	tok := strings.TrimSuffix(r.stdout, "\n")
	if r.code != 0 || tok == "" || strings.ContainsAny(tok, " \n\t") {
		t.Errorf("token create: got exit %d, stdout %q; want the token alone", r.code, r.stdout)
	}
	if r.stderr != "" {
		t.Errorf("token create: stderr %q, want nothing", r.stderr)
	}

	// The password read from stdin, without its newline, is the one set.
	cfg := config.Default()
	cfg.Data = data
	core, err := app.Open(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer core.Close()
	if _, err := core.Service.ActorByPassword(context.Background(), "agent@zid.example", "from-stdin-pw"); err != nil {
		t.Errorf("sign in with the password from --password-stdin: %v", err)
	}

	r = run(t, nil, "", append([]string{"queue", "list"}, d...)...)
	for _, want := range []string{"Servicedesk", "servicedesk@zid.example", "Security", "agent@zid.example"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("queue list lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestVersion(t *testing.T) {
	r := run(t, nil, "", "version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "servus ") {
		t.Errorf("version: exit %d, stdout %q", r.code, r.stdout)
	}
}
