package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/cli"
)

// deliver runs servus mail deliver with raw on standard input.
func deliver(t *testing.T, raw string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := cli.Run(context.Background(), append([]string{"mail", "deliver"}, args...), func(string) string { return "" },
		bytes.NewReader([]byte(raw)), &stdout, &stderr)
	return result{code, stdout.String(), stderr.String()}
}

func TestMailDeliver(t *testing.T) {
	data := t.TempDir()
	if r := run(t, nil, "", "queue", "add", "--data", data, "--name", "Servicedesk", "--default"); r.code != 0 {
		t.Fatalf("queue add: %d %s", r.code, r.stderr)
	}
	if r := run(t, nil, "", "queue", "add", "--data", data, "--name", "Netz", "--address", "innet-admin@example.org"); r.code != 0 {
		t.Fatalf("queue add: %d %s", r.code, r.stderr)
	}
	raw := "From: Ida <ida@example.org>\r\nTo: it@example.org\r\nSubject: Beamer\r\nMessage-ID: <b1@ida>\r\n\r\nDer Beamer in HS 1 geht nicht.\r\n"
	var got struct {
		Outcome string
		Ticket  int64
		Entry   int64
	}
	r := deliver(t, raw, "--data", data, "--to", "innet-admin@example.org")
	if r.code != cli.ExitOK {
		t.Fatalf("exit %d, want 0; stderr %s", r.code, r.stderr)
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || got.Outcome != "created" || got.Ticket != 1 || got.Entry == 0 {
		t.Fatalf("got %q (%v), want created ticket 1", r.stdout, err)
	}
	r = deliver(t, raw, "--data", data)
	if r.code != cli.ExitOK || !strings.Contains(r.stdout, `"outcome":"duplicate"`) {
		t.Errorf("second delivery: exit %d, stdout %q, want 0 and duplicate", r.code, r.stdout)
	}
	if r := run(t, nil, "", "queue", "list", "--data", data); r.code != 0 {
		t.Fatalf("queue list: %s", r.stderr)
	}

	// Nothing to take: a permanent failure, the mail server bounces.
	if r := deliver(t, "  \r\n", "--data", data); r.code != cli.ExitFailure {
		t.Errorf("empty mail: exit %d, want %d", r.code, cli.ExitFailure)
	}
	// A database that does not answer: try again later.
	r = deliver(t, raw, "--data", t.TempDir(), "--db", "postgres://servus@127.0.0.1:1/servus?connect_timeout=2")
	if r.code != cli.ExitTempFail {
		t.Errorf("database down: exit %d, want %d (EX_TEMPFAIL); stderr %s", r.code, cli.ExitTempFail, r.stderr)
	}
}
